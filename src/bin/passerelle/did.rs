//! `passerelle did`: create, update and resolve did:webvh DIDs.

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

pub(crate) fn did_command(command: DidCommand) -> Result<ExitCode, Failure> {
    use passerelle::did::webvh::{key_hash, resolve_log, VersionQuery, WebvhLog};
    match command {
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
            println!("{}", log.did());
            eprintln!(
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
            println!("{}", serde_json::to_string_pretty(&output).unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}
