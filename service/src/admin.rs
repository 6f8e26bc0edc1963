//! Administration over the database, for the command line, the first
//! start and the admin endpoints (module `admin_api`): tenants, their
//! types, their keys and API keys.

use std::path::Path;

use passerelle::did::webvh::WebvhLog;
use passerelle::Timestamp;

use crate::auth::{new_api_key, Scope};
use crate::db::{AuditLine, Db, KeyRow, LogEntry, TenantRow, UpdateKeyRow};
use crate::directory::{tenant_did, tenant_location};
use crate::keys::{generate, generate_hsm, open_local, Algorithm, KeyStore, TenantSigner};
use crate::webvh::{self, UPDATE_KEY_ID};

/// Why an administrative operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The arguments are not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// The database refused.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A key could not be made or opened.
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
    /// A did:webvh tenant's log could not be written: it does not verify,
    /// or the new entry would not.
    #[error("tenant {tenant}: its did:webvh log: {error}")]
    DidLog {
        /// The tenant.
        tenant: String,
        /// What the library refused.
        error: passerelle::Error,
    },
    /// A local key would take the place of the tenant's HSM key.
    #[error("tenant {0} signs with an HSM key: rotate it with `passerelle-service key rotate --tenant {0} --hsm`")]
    KeyInHsm(String),
}

/// The DID method of a tenant's DID.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DidMethod {
    /// `did:web`: a DID document at the URL the DID maps to.
    #[default]
    Web,
    /// `did:webvh`: a log of signed versions of the DID document at the
    /// URL the DID maps to, each version signed by the tenant's update key.
    Webvh,
}

impl DidMethod {
    /// Parses `web` / `webvh`.
    pub fn parse(name: &str) -> Option<DidMethod> {
        match name {
            "web" => Some(DidMethod::Web),
            "webvh" => Some(DidMethod::Webvh),
            _ => None,
        }
    }
}

/// The name of the tenant made on the first start with the default database.
pub const DEMO_TENANT: &str = "demo";

/// The credential types the demo tenant may issue.
pub const DEMO_TYPES: &[&str] = &["MinesPermit", "IncorporationCertificate", "ExampleCredential"];

fn valid_name(id: &str) -> Result<(), AdminError> {
    let ok = !id.is_empty()
        && id.len() <= 63
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(AdminError::Invalid(format!(
            "tenant name {id:?}: 1 to 63 of a-z, 0-9 and -, not starting with -"
        )))
    }
}

/// A credential type name as the VC v2 context's terms are: a letter,
/// then letters, digits, `_`, `.` or `-` (no space, no IRI).
fn valid_type(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
        && name.len() <= 128
}

/// The most types a tenant may be given.
pub const MAX_TYPES: usize = 64;

/// Types a tenant may issue: one to [`MAX_TYPES`], each a term, none twice,
/// none a term the VCDM v2 context defines (`VerifiableCredential`, which
/// every credential has, `VerifiablePresentation`, the status list and
/// envelope types, properties such as `id` or `credentialSubject`): a
/// credential typed with one of those would mean something else.
fn valid_types(types: &[String]) -> Result<(), AdminError> {
    if types.is_empty() || types.len() > MAX_TYPES || types.iter().any(|t| !valid_type(t)) {
        return Err(AdminError::Invalid(format!(
            "give 1 to {MAX_TYPES} credential types the tenant may issue besides VerifiableCredential, each a term (a letter, then letters, digits, _ . -)"
        )));
    }
    if let Some(reserved) = types.iter().find(|t| passerelle::credential::is_base_context_term(t)) {
        return Err(AdminError::Invalid(format!(
            "{reserved:?} is a term of the VCDM v2 context, not a credential type a tenant issues"
        )));
    }
    if let Some(twice) = types.iter().enumerate().find(|(i, t)| types[..*i].contains(t)) {
        return Err(AdminError::Invalid(format!("{:?} is given twice", twice.1)));
    }
    Ok(())
}

/// A tenant to create.
#[derive(Clone, Debug)]
pub struct NewTenant<'a> {
    /// Its name in URLs.
    pub id: &'a str,
    /// The credential types it may issue.
    pub types: &'a [String],
    /// Its first key's algorithm.
    pub algorithm: Algorithm,
    /// Whether the audit log keeps the subjects' claims.
    pub audit_claims: bool,
    /// Whether its first key is generated in the PKCS#11 token (labelled
    /// `passerelle/{tenant}/key-1`) rather than sealed in the database.
    pub hsm: bool,
    /// The method of its DID.
    pub method: DidMethod,
}

/// A new key `key_id` of `tenant`: in the token when `hsm` is set (the
/// row then has its label and no sealed secret), else sealed locally.
async fn new_key(
    keys: &KeyStore,
    tenant: &str,
    key_id: &str,
    algorithm: Algorithm,
    hsm: bool,
) -> Result<KeyRow, AdminError> {
    let (public_multikey, sealed_secret, hsm_label) = if hsm {
        let (public_multikey, label) = generate_hsm(keys, tenant, key_id, algorithm).await?;
        (public_multikey, None, Some(label))
    } else {
        let (public_multikey, sealed, _) = generate(&keys.kek, tenant, key_id, algorithm)?;
        (public_multikey, Some(sealed), None)
    };
    Ok(KeyRow {
        retired: false,
        key_id: key_id.to_owned(),
        public_multikey,
        sealed_secret,
        hsm_label,
        active: true,
    })
}

/// Creates a tenant with a new key; returns its DID. With `new.hsm` and no
/// PKCS#11 token in `keys`, nothing is done and the error says so.
pub async fn create_tenant(
    db: &Db,
    keys: &KeyStore,
    public_url: &str,
    new: &NewTenant<'_>,
    now: Timestamp,
) -> Result<String, AdminError> {
    let NewTenant {
        id,
        types,
        algorithm,
        audit_claims,
        hsm,
        method,
    } = *new;
    valid_name(id)?;
    valid_types(types)?;
    if hsm {
        keys.token(format!("tenant {id}: --hsm"))?;
    }
    // Checked first, so that no key is made in the token for nothing.
    if db.tenant(id).await?.is_some() {
        return Err(AdminError::Invalid(format!("tenant {id:?} exists already")));
    }
    if method == DidMethod::Webvh {
        // The did:webvh method takes a domain name (no IP address), as
        // did:web does: the same check of the same host and path.
        passerelle::did::web::document_url(&tenant_did(public_url, id)).map_err(|e| {
            AdminError::Invalid(format!(
                "a did:webvh needs a public URL whose host is a domain name (--public-url {public_url}): {}",
                e.detail()
            ))
        })?;
    }
    let key = new_key(keys, id, "key-1", algorithm, hsm).await?;
    let mut tenant = TenantRow {
        id: id.to_owned(),
        did: tenant_did(public_url, id),
        allowed_types: types.to_vec(),
        audit_claims,
    };
    let at = now.to_string();
    match method {
        DidMethod::Web => db.create_tenant(&tenant, &key, &at).await?,
        DidMethod::Webvh => {
            let (public_multikey, sealed_secret, signer) = generate(&keys.kek, id, UPDATE_KEY_ID, Algorithm::Ed25519)?;
            let location = tenant_location(public_url, id);
            let (did, entry) = webvh::create(&location, std::slice::from_ref(&key), &*signer, now)
                .map_err(|error| did_log_error(id, error))?;
            tenant.did = did;
            let update_key = UpdateKeyRow {
                key_id: UPDATE_KEY_ID.to_owned(),
                public_multikey,
                sealed_secret,
            };
            db.create_webvh_tenant(&tenant, &key, &update_key, &entry, &at).await?;
        }
    }
    Ok(tenant.did)
}

fn did_log_error(tenant: &str, error: passerelle::Error) -> AdminError {
    AdminError::DidLog {
        tenant: tenant.to_owned(),
        error,
    }
}

/// A did:webvh tenant's log as stored, and its update key opened: what
/// appends an entry. Read before a change is made, so that nothing is
/// done (no key made in a token) for a log that cannot be appended to.
struct LogWriter {
    log: WebvhLog,
    signer: TenantSigner,
}

impl LogWriter {
    /// The writer of `row`'s log; `None` for a did:web tenant.
    async fn open(db: &Db, keys: &KeyStore, row: &TenantRow) -> Result<Option<LogWriter>, AdminError> {
        if !webvh::is_webvh(&row.did) {
            return Ok(None);
        }
        let update = db
            .update_key(&row.id)
            .await?
            .ok_or_else(|| AdminError::Invalid(format!("tenant {:?} has a did:webvh but no update key", row.id)))?;
        let signer = open_local(
            &keys.kek,
            &row.id,
            &update.key_id,
            &update.sealed_secret,
            &update.public_multikey,
        )?;
        let entries = db.did_log(&row.id).await?;
        let log = webvh::open(&row.did, &entries).map_err(|error| did_log_error(&row.id, error))?;
        Ok(Some(LogWriter { log, signer }))
    }

    /// The entry whose document lists `keys`.
    fn append(&self, tenant: &str, keys: &[KeyRow], now: Timestamp) -> Result<LogEntry, AdminError> {
        webvh::append(&self.log, keys, &*self.signer, now).map_err(|error| did_log_error(tenant, error))
    }
}

/// A new API key for `tenant` with `scopes`: returned once, stored as a digest.
pub async fn create_api_key(
    db: &Db,
    tenant: &str,
    scopes: &[Scope],
    label: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    if db.tenant(tenant).await?.is_none() {
        return Err(AdminError::Invalid(format!("no tenant {tenant:?}")));
    }
    if scopes.is_empty() {
        return Err(AdminError::Invalid(
            "give at least one scope: issue, status, admin".into(),
        ));
    }
    let (key, digest) = new_api_key().map_err(|e| AdminError::Invalid(e.to_string()))?;
    let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    db.add_api_key(&digest, tenant, &scopes.join(" "), label, &now.to_string())
        .await?;
    Ok(key)
}

/// Gives `tenant` a new signing key, generated in the PKCS#11 token when
/// `hsm` is set (refused without one); the old ones stay in its DID
/// document, so what they signed still verifies (a did:webvh tenant's log
/// gets the new document as an entry). Returns the new key's id.
pub async fn rotate_key(
    db: &Db,
    keys: &KeyStore,
    tenant: &str,
    algorithm: Algorithm,
    hsm: bool,
    actor: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    rotate(db, keys, tenant, algorithm, hsm, false, actor, now).await
}

/// As [`rotate_key`] with a local key, for a tenant that signs with an HSM
/// key and is to leave it (`key rotate --leave-hsm`): asked for by name,
/// never by omission.
pub async fn rotate_key_out_of_hsm(
    db: &Db,
    keys: &KeyStore,
    tenant: &str,
    algorithm: Algorithm,
    actor: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    rotate(db, keys, tenant, algorithm, false, true, actor, now).await
}

#[allow(clippy::too_many_arguments)]
async fn rotate(
    db: &Db,
    keys: &KeyStore,
    tenant: &str,
    algorithm: Algorithm,
    hsm: bool,
    leave_hsm: bool,
    actor: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    if hsm {
        keys.token(format!("tenant {tenant}: key rotate --hsm"))?;
    }
    let row = db
        .tenant(tenant)
        .await?
        .ok_or_else(|| AdminError::Invalid(format!("no tenant {tenant:?}")))?;
    let mut existing = db.keys(tenant).await?;
    // A local key must not quietly take the place of a key kept in an HSM.
    if !hsm && !leave_hsm && existing.iter().any(|k| k.active && k.hsm_label.is_some()) {
        return Err(AdminError::KeyInHsm(tenant.to_owned()));
    }
    let log = LogWriter::open(db, keys, &row).await?;
    let key_id = format!("key-{}", existing.len() + 1);
    let key = new_key(keys, tenant, &key_id, algorithm, hsm).await?;
    let entry = match &log {
        Some(log) => {
            for old in &mut existing {
                old.active = false;
            }
            existing.push(key.clone());
            Some(log.append(tenant, &existing, now)?)
        }
        None => None,
    };
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: "rotate-key".into(),
        ..AuditLine::default()
    };
    db.rotate_key(tenant, &key, entry.as_ref(), &audit, &now.to_string())
        .await?;
    Ok(key_id)
}

/// Retires `key_id` of `tenant`, a key that no longer signs (rotate
/// first): it leaves the DID document (a did:webvh tenant's log gets the
/// document without it as an entry, signed with the update key `keys`
/// opens), and what it signed stops verifying. For a key that may have
/// been stolen.
pub async fn retire_key(
    db: &Db,
    keys: &KeyStore,
    tenant: &str,
    key_id: &str,
    actor: &str,
    now: Timestamp,
) -> Result<(), AdminError> {
    let refused = || {
        AdminError::Invalid(format!(
            "tenant {tenant:?} has no key {key_id:?} that is neither the signing key nor retired (rotate first)"
        ))
    };
    let row = db.tenant(tenant).await?.ok_or_else(refused)?;
    let entry = match LogWriter::open(db, keys, &row).await? {
        Some(log) => {
            let mut remaining = db.keys(tenant).await?;
            let retired = remaining
                .iter_mut()
                .find(|k| k.key_id == key_id && !k.active && !k.retired)
                .ok_or_else(refused)?;
            retired.retired = true;
            Some(log.append(tenant, &remaining, now)?)
        }
        None => None,
    };
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: format!("retire-key {key_id}"),
        ..AuditLine::default()
    };
    if db
        .retire_key(tenant, key_id, entry.as_ref(), &audit, &now.to_string())
        .await?
    {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Opens `tenant`'s next status list of `purpose` (`list create`): the
/// one issuances take indexes from from now on, on every instance (each
/// compares the number of lists before a group of issuances). Audited.
/// Returns its URL.
pub async fn create_list(
    db: &Db,
    public_url: &str,
    tenant: &str,
    purpose: &str,
    actor: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    if !crate::issue::STATUS_PURPOSES.contains(&purpose) {
        return Err(AdminError::Invalid(format!(
            "unknown purpose {purpose:?}: revocation or suspension"
        )));
    }
    if db.tenant(tenant).await?.is_none() {
        return Err(AdminError::Invalid(format!("no tenant {tenant:?}")));
    }
    let at = now.to_string();
    let mut tx = db.begin().await?;
    let seq = crate::db::current_list(&mut tx, tenant, purpose)
        .await?
        .map_or(1, |list| list.seq + 1);
    let list = crate::db::ListRow {
        url: crate::directory::list_url(public_url, tenant, purpose, seq),
        tenant_id: tenant.to_owned(),
        seq,
        purpose: purpose.to_owned(),
        entries: crate::issue::LIST_ENTRIES,
        version: 0,
    };
    crate::db::create_list(&mut tx, &list, &at).await?;
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: "create-list".to_owned(),
        list_url: Some(list.url.clone()),
        ..AuditLine::default()
    };
    crate::db::append_audit(&mut tx, &audit, &at).await?;
    tx.commit().await?;
    Ok(list.url)
}

/// Replaces the credential types `tenant` may issue with `types` (the
/// checks of [`create_tenant`]), audited; running instances take the
/// change within a second (the tenant's revision is part of the summary
/// they compare).
pub async fn set_types(db: &Db, tenant: &str, types: &[String], actor: &str, now: Timestamp) -> Result<(), AdminError> {
    valid_types(types)?;
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: format!("set-types {}", types.join(" ")),
        ..AuditLine::default()
    };
    if db.set_allowed_types(tenant, types, &audit, &now.to_string()).await? {
        Ok(())
    } else {
        Err(AdminError::Invalid(format!("no tenant {tenant:?}")))
    }
}

/// On the first start with the embedded defaults: the demo tenant and an
/// API key for it with every scope, written to `key_file` (mode 0600).
/// Nothing is done if the tenant exists.
pub async fn bootstrap_demo(
    db: &Db,
    keys: &KeyStore,
    public_url: &str,
    key_file: &Path,
    now: Timestamp,
) -> Result<Option<String>, AdminError> {
    if db.tenant(DEMO_TENANT).await?.is_some() {
        return Ok(None);
    }
    let types: Vec<String> = DEMO_TYPES.iter().map(|t| (*t).to_owned()).collect();
    let new = NewTenant {
        id: DEMO_TENANT,
        types: &types,
        algorithm: Algorithm::Ed25519,
        audit_claims: false,
        hsm: false,
        method: DidMethod::Web,
    };
    let did = create_tenant(db, keys, public_url, &new, now).await?;
    let key = create_api_key(
        db,
        DEMO_TENANT,
        &[Scope::Issue, Scope::Status, Scope::Admin],
        "demo",
        now,
    )
    .await?;
    write_secret(key_file, &key).map_err(|e| AdminError::Invalid(format!("{}: {e}", key_file.display())))?;
    Ok(Some(did))
}

fn write_secret(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut f = options.open(file)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

#[cfg(test)]
mod type_tests {
    use super::*;

    fn check(types: &[&str]) -> Result<(), AdminError> {
        valid_types(&types.iter().map(|t| t.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn terms_of_the_v2_context_duplicates_and_too_many_types_are_refused() {
        assert!(check(&["MinesPermit", "ExplorationLicence"]).is_ok());
        for reserved in [
            "VerifiableCredential",
            "VerifiablePresentation",
            "EnvelopedVerifiableCredential",
            "BitstringStatusListCredential",
            "id",
            "credentialSubject",
            "validFrom",
        ] {
            let refused = check(&["MinesPermit", reserved]).unwrap_err().to_string();
            assert!(refused.contains("VCDM v2 context"), "{reserved}: {refused}");
        }
        assert!(check(&["MinesPermit", "MinesPermit"])
            .unwrap_err()
            .to_string()
            .contains("twice"));
        let many: Vec<String> = (0..=MAX_TYPES).map(|i| format!("Type{i}")).collect();
        assert!(valid_types(&many).is_err());
        assert!(valid_types(&many[..MAX_TYPES]).is_ok());
        assert!(check(&[]).is_err());
    }
}
