//! `passerelle did`: resolve DIDs and DID URLs; create and resolve did:webvh DIDs.

use super::*;

#[derive(Subcommand)]
pub(crate) enum DidCommand {
    /// Create a did:webvh DID: writes its log and prints the DID.
    WebvhCreate {
        /// Where the log is published: a domain (with %3A port) and optional :path segments.
        #[arg(long)]
        location: String,
        /// Key file of the update key (signs the log).
        #[arg(long)]
        update_key: PathBuf,
        /// Key file of the key credentials are signed with (#key-1); default: the update key.
        #[arg(long)]
        assertion_key: Option<PathBuf>,
        /// Key file of a next update key to commit to (pre-rotation; repeatable).
        #[arg(long = "next-key")]
        next_keys: Vec<PathBuf>,
        /// Where to write the log (did.jsonl).
        #[arg(long)]
        out: PathBuf,
        /// Version time; default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
    },
    /// Resolve a DID or dereference a DID URL (did:key, did:jwk, did:web,
    /// did:webvh) and print the DID Resolution Result; exit 1 when it has an error.
    Resolve {
        /// The DID or DID URL (e.g. did:key:z6Mk…#z6Mk…).
        did: String,
        /// did:key public key format: Multikey (default), JsonWebKey2020,
        /// Ed25519VerificationKey2020, Ed25519VerificationKey2018, X25519KeyAgreementKey2020,
        /// X25519KeyAgreementKey2019.
        #[arg(long)]
        public_key_format: Option<String>,
        /// enableExperimentalPublicKeyTypes: `true` allows the did:key formats the method
        /// calls experimental (…2018, …2019); `false` refuses any other than the three a
        /// key's role allows (invalidPublicKeyType). Unset: experimental formats refused,
        /// an unknown one unsupportedPublicKeyType. The flag alone is `true`; `=false` sets `false`.
        #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
        experimental_public_key_types: Option<bool>,
        /// Leave out the X25519 key-agreement key derived from an Ed25519 did:key.
        #[arg(long)]
        no_key_agreement: bool,
        /// Print the DID Resolution Result as JSON.
        #[arg(long)]
        json: bool,
        /// A DID document to resolve did:web from (repeatable).
        #[arg(long = "did-document")]
        did_documents: Vec<PathBuf>,
        /// A did:webvh log (did.jsonl) to resolve from (repeatable).
        #[arg(long = "did-log")]
        did_logs: Vec<PathBuf>,
        /// Fetch did:web documents and did:webvh logs over HTTPS when not given locally (public hosts only).
        #[arg(long)]
        fetch_did_web: bool,
        /// The time the DID is resolved at (did:webvh: the version in force then); default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
    },
    /// Verify a did:webvh log and print the DID document.
    WebvhResolve {
        /// The DID.
        did: String,
        /// The log (did.jsonl).
        #[arg(long)]
        log: PathBuf,
        /// Time of verification; default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
        /// A versionId to return instead of the latest version.
        #[arg(long)]
        version_id: Option<String>,
    },
}

pub(crate) fn did_command(command: DidCommand, lang: Lang) -> Result<ExitCode, Failure> {
    use passerelle::did::webvh::{key_hash, resolve_log, VersionQuery, WebvhLog};
    match command {
        DidCommand::Resolve {
            did,
            public_key_format,
            experimental_public_key_types,
            no_key_agreement,
            json,
            did_documents,
            did_logs,
            fetch_did_web,
            at,
        } => {
            let mut logs = passerelle::did::webvh::WebvhLogs::new();
            for path in &did_logs {
                let text = std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?;
                logs.insert(log_did(path, &text)?, text);
            }
            let mut resolver: Box<dyn passerelle::did::DidResolver> = Box::new(passerelle::did::FallbackResolver(
                load_resolver(&did_documents, &[])?,
                logs,
            ));
            if fetch_did_web {
                let web = passerelle::did::web_resolver::WebResolver::new(std::time::Duration::from_secs(10));
                resolver = Box::new(passerelle::did::FallbackResolver(resolver, web));
            }
            let options = passerelle::did::ResolutionOptions {
                public_key_format: public_key_format.as_deref(),
                enable_experimental_public_key_types: experimental_public_key_types,
                enable_encryption_key_derivation: !no_key_agreement,
                resolver: Some(resolver.as_ref()),
                time: Some(at.unwrap_or_else(Timestamp::now)),
            };
            let result = passerelle::did::resolve(&did, &options);
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&result.to_json()).unwrap_or_default()
                );
            } else {
                out!("{}", summary(&result, lang));
            }
            return Ok(if result.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        DidCommand::WebvhCreate {
            location,
            update_key,
            assertion_key,
            next_keys,
            out,
            at,
        } => {
            let (update, _) = load_key(&update_key)?;
            let assertion = match &assertion_key {
                Some(path) => load_key(path)?.0,
                None => load_key(&update_key)?.0,
            };
            let mut hashes = Vec::new();
            for path in &next_keys {
                hashes.push(key_hash(&load_key(path)?.0.public_key().to_multikey()));
            }
            let template = format!("did:webvh:{{SCID}}:{location}");
            let document = json!({
                "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                "id": template,
                "verificationMethod": [{"id": format!("{template}#key-1"), "type": "Multikey", "controller": template,
                                        "publicKeyMultibase": assertion.public_key_multibase()}],
                "assertionMethod": [format!("{template}#key-1")],
                "authentication": [format!("{template}#key-1")]
            });
            let log = WebvhLog::create(&location, document, &update, hashes, at.unwrap_or_else(Timestamp::now))?;
            std::fs::write(&out, log.to_jsonl()).map_err(|e| io_failure(&out, e))?;
            outln!("{}", log.did());
            errln!(
                "log: {} → {}",
                out.display(),
                passerelle::did::webvh::log_url(log.did())?
            );
        }
        DidCommand::WebvhResolve {
            did,
            log,
            at,
            version_id,
        } => {
            let text = std::fs::read_to_string(&log).map_err(|e| io_failure(&log, e))?;
            let query = version_id.map(VersionQuery::VersionId).unwrap_or_default();
            let resolved = resolve_log(&did, &text, at.unwrap_or_else(Timestamp::now), &query)?;
            let output = json!({
                "didDocument": serde_json::Value::Object(resolved.document.json().clone()),
                "didDocumentMetadata": {
                    "versionId": resolved.version_id,
                    "versionTime": resolved.version_time.to_string(),
                    "created": resolved.created.to_string(),
                    "updated": resolved.updated.to_string(),
                    "scid": resolved.scid,
                    "deactivated": resolved.deactivated,
                    "ttl": resolved.ttl.to_string(),
                }
            });
            outln!("{}", serde_json::to_string_pretty(&output).unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The DID a did:webvh log describes (its last entry's `state.id`).
pub(crate) fn log_did(path: &Path, text: &str) -> Result<String, Failure> {
    text.lines()
        .last()
        .and_then(|line| serde_json::from_str::<Value>(line).ok())
        .and_then(|entry| entry["state"]["id"].as_str().map(str::to_owned))
        .ok_or_else(|| {
            Failure::from(Error::new(
                passerelle::ErrorCode::DidLogInvalid,
                format!("{}: no DID in the log", path.display()),
            ))
        })
}

/// A resolution result for people: what was resolved and dereferenced, or
/// the error (its DID Resolution name, code, message and detail), then the
/// resource as JSON.
fn summary(result: &passerelle::did::ResolutionResult, lang: Lang) -> String {
    use passerelle::did::resolution::error_name;
    let (resolved, dereferenced, error) = match lang {
        Lang::En => ("resolved", "dereferenced", "error"),
        Lang::Fr => ("résolu", "déréférencé", "erreur"),
    };
    let colon = if lang == Lang::Fr { " :" } else { ":" };
    let mut out = format!("{}\n", result.input);
    if let Some(e) = result.failure() {
        out.push_str(&format!(
            "  {error}{colon} {} ({}) — {} {}\n",
            error_name(e.code()),
            e.code(),
            e.message(lang),
            e.detail()
        ));
        return out;
    }
    let json = result.to_json();
    if let Some(document) = &result.document {
        out.push_str(&format!("  {resolved}{colon} {}\n", document.id()));
    }
    let shown = match json.get("contentStream") {
        Some(content) => {
            let id = content.get("id").and_then(Value::as_str).unwrap_or_default();
            let kind = content.get("type").and_then(Value::as_str).unwrap_or("DID document");
            out.push_str(&format!("  {dereferenced}{colon} {id} ({kind})\n"));
            content.clone()
        }
        None => json["didDocument"].clone(),
    };
    out.push_str(&serde_json::to_string_pretty(&shown).unwrap_or_default());
    out.push('\n');
    out
}
