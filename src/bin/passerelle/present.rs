//! `passerelle present`: a holder's presentation of an SD-JWT credential
//! (the Disclosures of the claims chosen, and a Key Binding JWT over them)
//! or of an `ecdsa-sd-2023` credential (the claims chosen, with a proof
//! derived from the issuer's base proof), and the holder key files
//! `issue --holder-key` reads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use passerelle::crypto::{jwk, PublicKey};
use passerelle::json::{parse_object, parse_strict, Limits};
use passerelle::proof::ecdsa_sd;
use passerelle::sd_jwt::{self, KeyBinding};
use passerelle::Timestamp;
use serde_json::Value;

use crate::rdf::jsonld_with;
use crate::{io_failure, load_signer, parse_context_arg, parse_time, read_input, Failure};

#[derive(clap::Args)]
pub(crate) struct PresentArgs {
    /// The credential as issued, or - for standard input: an SD-JWT (`issue --format sd-jwt`),
    /// or JSON with an ecdsa-sd-2023 base proof (`issue --cryptosuite ecdsa-sd-2023`).
    credential: PathBuf,
    /// A claim to disclose, as a JSON pointer into the credential
    /// (`/credentialSubject/ageOver19`; repeatable). The claims around it and
    /// inside it are disclosed with it, and the claims the issuer made
    /// mandatory; nothing else is.
    #[arg(long = "disclose")]
    disclose: Vec<String>,
    /// With an ecdsa-sd-2023 credential: a JSON-LD context besides the bundled
    /// ones, as URL=FILE (repeatable). Contexts are never fetched.
    #[arg(long = "context", value_parser = parse_context_arg)]
    contexts: Vec<(String, PathBuf)>,
    /// The holder's key file (`key generate`), whose public key the credential's
    /// `cnf` names: adds a Key Binding JWT (needs --nonce and --audience).
    #[arg(long, requires_all = ["nonce", "audience"])]
    holder_key: Option<PathBuf>,
    /// The verifier's nonce (its `verify --challenge`).
    #[arg(long, requires = "holder_key")]
    nonce: Option<String>,
    /// The verifier (its `verify --domain`).
    #[arg(long, requires = "holder_key")]
    audience: Option<String>,
    /// When the holder signs (the Key Binding JWT's `iat`); default: now.
    #[arg(long, value_parser = parse_time)]
    at: Option<Timestamp>,
}

pub(crate) fn present(args: PresentArgs) -> Result<ExitCode, Failure> {
    let input = read_input(&args.credential, Limits::default().max_bytes)?;
    if input.trim_ascii_start().starts_with(b"{") {
        return present_derived(&args, &input);
    }
    if !args.contexts.is_empty() {
        return Err(Failure {
            en: "--context goes with an ecdsa-sd-2023 credential (JSON), not an SD-JWT".into(),
            fr: "--context va avec une attestation ecdsa-sd-2023 (JSON), pas un SD-JWT".into(),
        });
    }
    let text = String::from_utf8(input).map_err(|_| Failure {
        en: "the SD-JWT is not text".into(),
        fr: "le SD-JWT n’est pas du texte".into(),
    })?;
    let disclose: Vec<&str> = args.disclose.iter().map(String::as_str).collect();
    let holder = args.holder_key.as_deref().map(load_signer).transpose()?;
    let at = args.at.unwrap_or_else(Timestamp::now);
    let binding = match (&holder, &args.nonce, &args.audience) {
        (Some((signer, _)), Some(nonce), Some(audience)) => Some(KeyBinding {
            signer: signer.as_ref(),
            nonce,
            audience,
            issued_at: at,
        }),
        _ => None,
    };
    outln!(
        "{}",
        sd_jwt::present(&text, &disclose, binding.as_ref(), Limits::default())?
    );
    Ok(ExitCode::SUCCESS)
}

/// A JSON credential with an `ecdsa-sd-2023` base proof: the credential
/// reduced to the mandatory claims and those of `--disclose`, with the
/// derived proof a verifier checks.
fn present_derived(args: &PresentArgs, input: &[u8]) -> Result<ExitCode, Failure> {
    if args.holder_key.is_some() || args.at.is_some() {
        return Err(Failure {
            en: "--holder-key, --nonce, --audience and --at go with an SD-JWT; an ecdsa-sd-2023 \
                 derived proof has no Key Binding"
                .into(),
            fr: "--holder-key, --nonce, --audience et --at vont avec un SD-JWT ; une preuve dérivée \
                 ecdsa-sd-2023 n’a pas de Key Binding"
                .into(),
        });
    }
    let secured = parse_object(input, Limits::default())?;
    let derived = ecdsa_sd::derive_proof(&secured, &args.disclose, &jsonld_with(&args.contexts)?)?;
    outln!(
        "{}",
        serde_json::to_string_pretty(&Value::Object(derived)).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// The public key of a holder key file: a key file from `key generate`
/// (read for its `publicKeyMultibase` only), or a public JWK.
pub(crate) fn holder_public_key(path: &Path) -> Result<PublicKey, Failure> {
    let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| io_failure(path, e))?);
    let file = parse_strict(&bytes, Limits::default())?;
    if file.get("kty").is_some() {
        return Ok(jwk::public_key(&file)?);
    }
    let multikey = file["publicKeyMultibase"].as_str().ok_or_else(|| Failure {
        en: format!("{}: no publicKeyMultibase", path.display()),
        fr: format!("{} : pas de publicKeyMultibase", path.display()),
    })?;
    Ok(PublicKey::from_multikey(multikey)?)
}
