//! `passerelle present`: a holder's presentation of an SD-JWT credential
//! (the Disclosures of the claims chosen, and a Key Binding JWT over them)
//! or of an `ecdsa-sd-2023` credential (the claims chosen, with a proof
//! derived from the issuer's base proof); with `--format`, credentials of
//! any format in a presentation the holder signs (Data Integrity,
//! `vp+jwt`, `vp+sd-jwt`, `vp+cose`); and the holder key files `issue
//! --holder-key` reads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use passerelle::cose;
use passerelle::crypto::{jwk, PublicKey};
use passerelle::jose::{self, envelope, envelope_as, Media};
use passerelle::json::{parse_object, parse_strict, Limits};
use passerelle::proof::ecdsa_sd;
use passerelle::sd_jwt::{self, KeyBinding};
use passerelle::{Issuer, Timestamp};
use serde_json::{json, Map, Value};

use crate::rdf::jsonld_with;
use crate::{io_failure, load_signer, parse_context_arg, parse_time, read_input, Failure};

#[derive(clap::Args)]
pub(crate) struct PresentArgs {
    /// The credential as issued, or - for standard input: an SD-JWT (`issue --format sd-jwt`),
    /// or JSON with an ecdsa-sd-2023 base proof (`issue --cryptosuite ecdsa-sd-2023`). With
    /// --format, one or more credentials of any format `issue` writes.
    #[arg(required = true)]
    credentials: Vec<PathBuf>,
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
    /// The holder's key file (`key generate`, or a verification method with its
    /// `secretKeyJwk`). Without --format, the key the credential's `cnf` names: adds a Key
    /// Binding JWT (needs --nonce and --audience). With --format, the key that signs the
    /// presentation, whose controller is its holder.
    #[arg(long)]
    holder_key: Option<PathBuf>,
    /// The verifier's nonce (its `verify --challenge`).
    #[arg(long, requires = "holder_key")]
    nonce: Option<String>,
    /// The verifier (its `verify --domain`).
    #[arg(long, requires = "holder_key")]
    audience: Option<String>,
    /// Put the credentials in a presentation the holder signs with --holder-key: di (a Data
    /// Integrity proof), jwt (a vp+jwt), sd-jwt (a vp+sd-jwt) or cose (a vp+cose, printed as
    /// base64). Tokens are enveloped, SD-JWTs and ecdsa-sd-2023 credentials reduced to the
    /// --disclose claims first; --nonce and --audience become its challenge and domain.
    #[arg(long, value_enum, requires = "holder_key")]
    format: Option<PresentationFormat>,
    /// When the holder signs (the Key Binding JWT's `iat`); default: now.
    #[arg(long, value_parser = parse_time)]
    at: Option<Timestamp>,
}

/// How `present --format` secures a presentation.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PresentationFormat {
    /// A Data Integrity proof.
    Di,
    /// A compact `vp+jwt`.
    Jwt,
    /// A `vp+sd-jwt`, every member in the clear.
    SdJwt,
    /// A COSE_Sign1 (`application/vp+cose`), printed as base64.
    Cose,
}

fn usage(en: &str, fr: &str) -> Failure {
    Failure {
        en: en.into(),
        fr: fr.into(),
    }
}

pub(crate) fn present(args: PresentArgs) -> Result<ExitCode, Failure> {
    if let Some(format) = args.format {
        return present_signed(&args, format);
    }
    let [credential] = args.credentials.as_slice() else {
        return Err(usage(
            "several credentials go in a presentation: give --format and --holder-key",
            "plusieurs attestations vont dans une présentation : donnez --format et --holder-key",
        ));
    };
    if args.holder_key.is_some() && (args.nonce.is_none() || args.audience.is_none()) {
        return Err(usage(
            "--holder-key adds a Key Binding JWT for one verifier: give its --nonce and --audience",
            "--holder-key ajoute un Key Binding JWT pour un vérificateur : donnez son --nonce et son --audience",
        ));
    }
    let input = read_input(credential, Limits::default().max_bytes)?;
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

/// `present --format`: the credentials, each as [`carried`] makes it, in a
/// presentation whose holder is the controller of `--holder-key`, signed
/// with that key for the verifier's `--nonce` and `--audience`.
fn present_signed(args: &PresentArgs, format: PresentationFormat) -> Result<ExitCode, Failure> {
    let Some(key_path) = &args.holder_key else {
        return Err(usage(
            "--format signs a presentation: give the holder's --holder-key",
            "--format signe une présentation : donnez la --holder-key du porteur",
        ));
    };
    let (key, vm) = load_signer(key_path)?;
    let holder = Issuer::new(key, vm)?;
    let mut disclosures = Disclosures {
        pointers: &args.disclose,
        used: vec![false; args.disclose.len()],
    };
    let mut credentials = Vec::with_capacity(args.credentials.len());
    for path in &args.credentials {
        let input = read_input(path, Limits::default().max_bytes)?;
        let credential = carried(&input, &mut disclosures, &args.contexts).map_err(|failure| Failure {
            en: format!("{}: {}", path.display(), failure.en),
            fr: format!("{} : {}", path.display(), failure.fr),
        })?;
        credentials.push(credential);
    }
    if let Some((pointer, _)) = args.disclose.iter().zip(&disclosures.used).find(|(_, used)| !**used) {
        return Err(Failure {
            en: format!("--disclose {pointer}: no credential has a claim there"),
            fr: format!("--disclose {pointer} : aucune attestation n’a de revendication à cet endroit"),
        });
    }
    let mut presentation = Map::new();
    presentation.insert("@context".into(), json!([passerelle::credential::CONTEXT_V2]));
    presentation.insert("type".into(), "VerifiablePresentation".into());
    presentation.insert("holder".into(), holder.did().into());
    presentation.insert("verifiableCredential".into(), Value::Array(credentials));
    let (nonce, audience) = (args.nonce.as_deref(), args.audience.as_deref());
    let at = args.at.unwrap_or_else(Timestamp::now);
    match format {
        PresentationFormat::Di => {
            let signed = holder.present(presentation, nonce, audience, at)?;
            outln!("{}", serde_json::to_string_pretty(signed.json()).unwrap_or_default());
        }
        PresentationFormat::Jwt => outln!("{}", holder.present_jwt(presentation, nonce, audience, at)?),
        PresentationFormat::SdJwt => outln!("{}", holder.present_sd_jwt(presentation, nonce, audience, at)?),
        PresentationFormat::Cose => {
            let bytes = holder.present_cose(presentation, nonce, audience, at)?;
            outln!("{}", STANDARD.encode(bytes));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--disclose` pointers and which of them some credential had.
struct Disclosures<'a> {
    pointers: &'a [String],
    used: Vec<bool>,
}

impl Disclosures<'_> {
    /// The pointers `claims` (a credential with every claim in place) has a claim at.
    fn found_in(&mut self, claims: &Value) -> Vec<&str> {
        let mut found = Vec::new();
        for (pointer, used) in self.pointers.iter().zip(&mut self.used) {
            if claims.pointer(pointer).is_some() {
                *used = true;
                found.push(pointer.as_str());
            }
        }
        found
    }
}

/// What a presentation carries for a credential as issued: a secured JSON
/// credential as it is (an `ecdsa-sd-2023` one reduced to the `--disclose`
/// claims it has, with its derived proof), a token in its envelope (an
/// SD-JWT with the Disclosures of the `--disclose` claims it has, COSE as
/// base64). Refused: what is not a secured credential, and, when claims
/// are chosen, a credential signed whole (it would show every claim).
fn carried(input: &[u8], disclosures: &mut Disclosures<'_>, contexts: &[(String, PathBuf)]) -> Result<Value, Failure> {
    let limits = Limits::default();
    let choosing = !disclosures.pointers.is_empty();
    let signed_whole = || {
        usage(
            "it is signed whole (its issuer made no claim selectively disclosable): it would show every \
             claim, not only the --disclose ones; present it without --disclose",
            "elle est signée d’un bloc (son émetteur n’a rendu aucune revendication divulgable \
             sélectivement) : elle montrerait toutes ses revendications, pas seulement celles de \
             --disclose ; présentez-la sans --disclose",
        )
    };
    if input.trim_ascii_start().starts_with(b"{") {
        let credential = parse_object(input, limits)?;
        let types: Vec<&str> = match credential.get("type") {
            Some(Value::String(one)) => vec![one],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"VerifiablePresentation") || types.contains(&"EnvelopedVerifiablePresentation") {
            return Err(a_presentation());
        }
        if types.contains(&"EnvelopedVerifiableCredential") {
            return match choosing {
                true => Err(signed_whole()),
                false => Ok(Value::Object(credential)),
            };
        }
        let Some(proof) = credential.get("proof") else {
            return Err(usage(
                "no proof: a presentation carries secured credentials (issue it first)",
                "aucune preuve : une présentation porte des attestations sécurisées (émettez-la d’abord)",
            ));
        };
        if proof.get("cryptosuite").and_then(Value::as_str) != Some("ecdsa-sd-2023") {
            return match choosing {
                true => Err(signed_whole()),
                false => Ok(Value::Object(credential)),
            };
        }
        let chosen: Vec<String> = disclosures
            .found_in(&Value::Object(credential.clone()))
            .into_iter()
            .map(str::to_owned)
            .collect();
        let derived = ecdsa_sd::derive_proof(&credential, &chosen, &jsonld_with(contexts)?)?;
        return Ok(Value::Object(derived));
    }
    if let Some(bytes) = cose::cose_bytes(input, limits) {
        if cose::parse_sign1(&bytes, limits)?.media != Media::Credential {
            return Err(a_presentation());
        }
        if choosing {
            return Err(signed_whole());
        }
        let data = STANDARD.encode(&bytes);
        return Ok(Value::Object(envelope_as(
            cose::envelope_media_type(Media::Credential),
            &data,
            Media::Credential,
        )));
    }
    let text = std::str::from_utf8(input)
        .map_err(|_| usage("not a credential", "pas une attestation"))?
        .trim_ascii();
    if text.contains('~') {
        return carried_sd_jwt(text, disclosures);
    }
    if jose::looks_like_compact_jws(text.as_bytes()) {
        if jose::parse_compact(text.as_bytes(), limits)?.media != Media::Credential {
            return Err(a_presentation());
        }
        if choosing {
            return Err(signed_whole());
        }
        return Ok(Value::Object(envelope(text, Media::Credential)));
    }
    Err(usage(
        "not a credential: JSON, a vc+jwt, an SD-JWT or COSE (bytes or base64) is expected",
        "pas une attestation : du JSON, un vc+jwt, un SD-JWT ou du COSE (octets ou base64) est attendu",
    ))
}

fn a_presentation() -> Failure {
    usage(
        "a presentation, not a credential",
        "une présentation, pas une attestation",
    )
}

/// A `vc+sd-jwt` with the Disclosures of the `--disclose` claims it has, enveloped.
fn carried_sd_jwt(text: &str, disclosures: &mut Disclosures<'_>) -> Result<Value, Failure> {
    let limits = Limits::default();
    let issued = sd_jwt::parse(text, limits)?;
    let payload = &issued.jwt.payload;
    let typ = issued.jwt.typ().unwrap_or_default().to_ascii_lowercase();
    if typ.ends_with("vp+sd-jwt") {
        return Err(a_presentation());
    }
    if typ.ends_with("dc+sd-jwt") || !payload.contains_key("@context") {
        return Err(usage(
            "an IETF SD-JWT VC (dc+sd-jwt) is not a VCDM credential: present it on its own, without --format",
            "un SD-JWT VC de l’IETF (dc+sd-jwt) n’est pas une attestation VCDM : présentez-le seul, sans --format",
        ));
    }
    if payload.contains_key("cnf") {
        // Its Key Binding JWT would be checked against a challenge the
        // verifier gives the presentation, not the credentials inside.
        return Err(usage(
            "this SD-JWT names a holder key (cnf): present it on its own with its Key Binding JWT, without --format",
            "ce SD-JWT nomme une clé de porteur (cnf) : présentez-le seul avec son Key Binding JWT, sans --format",
        ));
    }
    let claims = Value::Object(issued.process(limits)?.claims);
    let chosen = disclosures.found_in(&claims);
    let shown = sd_jwt::present(text, &chosen, None, limits)?;
    Ok(Value::Object(envelope_as(
        "application/vc+sd-jwt",
        &shown,
        Media::Credential,
    )))
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
