//! `passerelle status`: an issuer's status lists (create, revoke, suspend, reinstate, publish).

use super::*;

#[derive(clap::Args)]
pub(crate) struct StatusTarget {
    /// The status store folder.
    #[arg(long)]
    store: PathBuf,
    /// A credential whose status entry to change (its list URL and index are read from it).
    #[arg(long, conflicts_with_all = ["url", "index"])]
    credential: Option<PathBuf>,
    /// The status list URL (with --index).
    #[arg(long, requires = "index")]
    url: Option<String>,
    /// The index in the list (with --url).
    #[arg(long, requires = "url")]
    index: Option<u64>,
}

#[derive(Subcommand)]
pub(crate) enum StatusCommand {
    /// Create a status list in a store.
    Create {
        /// The status store folder.
        #[arg(long)]
        store: PathBuf,
        /// The URL the list credential will be published at.
        #[arg(long)]
        url: String,
        /// revocation, suspension or message.
        #[arg(long, default_value = "revocation")]
        purpose: String,
        /// Number of entries (at least 131072).
        #[arg(long, default_value_t = passerelle::status::MIN_ENTRIES)]
        entries: u64,
        /// Bits per status, statusSize (1 to 8; above 1, message lists only, with a
        /// --status-message for each of the 2^statusSize values).
        #[arg(long, default_value_t = 1)]
        status_size: u8,
        /// A statusMessage, as 0xVALUE=MESSAGE (repeatable: one for each value, or none
        /// for a one-bit list).
        #[arg(long = "status-message", value_parser = parse_status_message)]
        status_messages: Vec<(String, String)>,
        /// A statusReference URL: material explaining the statuses (repeatable).
        #[arg(long = "status-reference")]
        status_references: Vec<String>,
    },
    /// Set the status of an entry to a value (0x… or a number; a message list's value,
    /// with --credential its message entry).
    Set {
        #[command(flatten)]
        target: StatusTarget,
        /// The value, 0x… (hexadecimal) or decimal, below 2^statusSize.
        #[arg(long, value_parser = parse_status_value)]
        value: u8,
    },
    /// Revoke a credential (final).
    Revoke(StatusTarget),
    /// Suspend a credential.
    Suspend(StatusTarget),
    /// Lift a suspension.
    Reinstate(StatusTarget),
    /// Print the signed status list credential (or Status List Token) to publish at the
    /// list's URL.
    Publish {
        /// The status store folder.
        #[arg(long)]
        store: PathBuf,
        /// The status list URL.
        #[arg(long)]
        url: String,
        /// The issuer's key file.
        #[arg(long)]
        key: PathBuf,
        /// credential (a BitstringStatusListCredential, for VCDM credentials' entries) or
        /// token (an IETF Status List Token, statuslist+jwt, for SD-JWT VCs' `status`;
        /// revocation and suspension lists only; --valid-until is its `exp`).
        #[arg(long, value_enum, default_value = "credential")]
        format: ListFormat,
        /// Publication time; default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
        /// Until when verifiers may rely on this list.
        #[arg(long, value_parser = parse_time)]
        valid_until: Option<Timestamp>,
    },
}

/// How `status publish` writes a list.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ListFormat {
    /// A `BitstringStatusListCredential` (W3C Bitstring Status List).
    Credential,
    /// A Status List Token (`statuslist+jwt`, IETF Token Status List).
    Token,
}

/// `0xVALUE=MESSAGE`: a statusMessage pair (the value is checked with the
/// list's size when the list is made).
fn parse_status_message(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((status, message)) if !status.is_empty() => Ok((status.to_owned(), message.to_owned())),
        _ => Err("expected 0xVALUE=MESSAGE / attendu : 0xVALEUR=MESSAGE".to_owned()),
    }
}

/// A status value: `0x…` hexadecimal or decimal, 0 to 255.
fn parse_status_value(text: &str) -> Result<u8, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u8::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| "expected 0x0 to 0xff, or 0 to 255 / attendu : 0x0 à 0xff, ou 0 à 255".to_owned())
}

fn status_target(target: &StatusTarget, purpose: &str) -> Result<(String, u64), Failure> {
    if let (Some(url), Some(index)) = (&target.url, target.index) {
        return Ok((url.clone(), index));
    }
    let path = target.credential.as_ref().ok_or_else(|| Failure {
        en: "give --credential FILE, or --url and --index".into(),
        fr: "indiquez --credential FICHIER, ou --url et --index".into(),
    })?;
    let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
    let credential = parse_object(&bytes, Limits::default())?;
    let entry = passerelle::status::StatusEntry::all_of(&credential)?
        .into_iter()
        .find(|e| e.purpose.as_str() == purpose)
        .ok_or_else(|| Failure {
            en: format!("{} has no {purpose} status entry", path.display()),
            fr: format!("{} n’a pas d’entrée de statut « {purpose} »", path.display()),
        })?;
    Ok((entry.list_url, entry.index))
}

pub(crate) fn status(command: StatusCommand, lang: Lang) -> Result<ExitCode, Failure> {
    use passerelle::status::{set_status, FileStatusStore, StatusList, StatusStore};
    let change = |target: &StatusTarget, purpose: &str, value: u8, done: [&str; 2]| -> Result<ExitCode, Failure> {
        let mut store = FileStatusStore::open(&target.store)?;
        let (url, index) = status_target(target, purpose)?;
        set_status(&mut store, &url, index, value)?;
        outln!("{} {url} #{index}", done[usize::from(lang == Lang::Fr)]);
        Ok(ExitCode::SUCCESS)
    };
    match command {
        StatusCommand::Create {
            store,
            url,
            purpose,
            entries,
            status_size,
            status_messages,
            status_references,
        } => {
            let mut store = FileStatusStore::open(&store)?;
            let mut list = StatusList::new(url.clone(), &purpose, entries, status_size)?;
            // Above one bit, the messages are the issuer's to give: no
            // placeholder is made up for them.
            if status_size > 1 || !status_messages.is_empty() {
                list = list.with_messages(status_messages)?;
            }
            list = list.with_references(status_references)?;
            // Checked and saved under the list's lock: a list another
            // process creates or allocates from meanwhile is never replaced.
            let (mut new, mut existed) = (Some(list), false);
            store.update(&url, &mut |current| {
                existed = current.is_some();
                Ok(if existed { None } else { new.take() })
            })?;
            if existed {
                return Err(Failure {
                    en: format!("{url} already exists"),
                    fr: format!("{url} existe déjà"),
                });
            }
            outln!("{}", store.path_of(&url).display());
            Ok(ExitCode::SUCCESS)
        }
        StatusCommand::Revoke(target) => change(&target, "revocation", 1, ["revoked", "révoquée"]),
        StatusCommand::Suspend(target) => change(&target, "suspension", 1, ["suspended", "suspendue"]),
        StatusCommand::Reinstate(target) => change(&target, "suspension", 0, ["reinstated", "rétablie"]),
        StatusCommand::Set { target, value } => change(&target, "message", value, ["set", "modifiée"]),
        StatusCommand::Publish {
            store,
            url,
            key,
            format,
            at,
            valid_until,
        } => {
            let store = FileStatusStore::open(&store)?;
            let list = store.load(&url)?.ok_or_else(|| Failure {
                en: format!("no list {url}"),
                fr: format!("aucune liste {url}"),
            })?;
            if format == ListFormat::Token {
                let (signer, vm) = load_signer(&key)?;
                let at = at.unwrap_or_else(Timestamp::now);
                outln!("{}", list.publish_token(signer.as_ref(), &vm, at, valid_until)?);
                return Ok(ExitCode::SUCCESS);
            }
            let (key, vm) = load_key(&key)?;
            let issuer = Issuer::new(key, vm)?;
            let published = list.publish(&issuer, at.unwrap_or_else(Timestamp::now), valid_until)?;
            outln!(
                "{}",
                serde_json::to_string_pretty(&Value::Object(published)).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
