//! `passerelle present`: a holder's presentation of an SD-JWT credential
//! (the Disclosures of the claims chosen, and a Key Binding JWT over them),
//! and the holder key files `issue --holder-key` reads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use passerelle::crypto::{jwk, PublicKey};
use passerelle::json::{parse_strict, Limits};
use passerelle::sd_jwt::{self, KeyBinding};
use passerelle::Timestamp;

use crate::{io_failure, load_signer, parse_time, read_input, Failure};

#[derive(clap::Args)]
pub(crate) struct PresentArgs {
    /// The SD-JWT credential as issued (`issue --format sd-jwt`), or - for standard input.
    credential: PathBuf,
    /// A claim to disclose, as a JSON pointer into the credential
    /// (`/credentialSubject/ageOver19`; repeatable). The claims around it and
    /// inside it are disclosed with it; nothing else is.
    #[arg(long = "disclose")]
    disclose: Vec<String>,
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

/// The public key of a holder key file: a key file from `key generate`
/// (its public part), or a public JWK.
pub(crate) fn holder_public_key(path: &Path) -> Result<PublicKey, Failure> {
    let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
    let file = parse_strict(&bytes, Limits::default())?;
    if file.get("kty").is_some() {
        return Ok(jwk::public_key(&file)?);
    }
    let (signer, _) = load_signer(path)?;
    Ok(signer.public_key())
}
