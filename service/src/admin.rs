//! Administration over the database, for the command line, the first
//! start and the admin endpoints (module `admin_api`): tenants, their
//! types, their keys and API keys.

use std::path::Path;

use passerelle::Timestamp;

use crate::auth::{new_api_key, Scope};
use crate::db::{AuditLine, Db, KeyRow, TenantRow};
use crate::directory::tenant_did;
use crate::keys::{generate, generate_hsm, Algorithm, KeyStore};

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

/// Types a tenant may issue: at least one, each a term, not
/// `VerifiableCredential` (every credential has it).
fn valid_types(types: &[String]) -> Result<(), AdminError> {
    if types.is_empty() || types.iter().any(|t| t == "VerifiableCredential" || !valid_type(t)) {
        return Err(AdminError::Invalid(
            "give the credential types the tenant may issue besides VerifiableCredential, each a term (a letter, then letters, digits, _ . -)".into(),
        ));
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
    let did = tenant_did(public_url, id);
    let key = new_key(keys, id, "key-1", algorithm, hsm).await?;
    let tenant = TenantRow {
        id: id.to_owned(),
        did: did.clone(),
        allowed_types: types.to_vec(),
        audit_claims,
    };
    db.create_tenant(&tenant, &key, &now.to_string()).await?;
    Ok(did)
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
/// document, so what they signed still verifies. Returns the new key's id.
pub async fn rotate_key(
    db: &Db,
    keys: &KeyStore,
    tenant: &str,
    algorithm: Algorithm,
    hsm: bool,
    actor: &str,
    now: Timestamp,
) -> Result<String, AdminError> {
    if hsm {
        keys.token(format!("tenant {tenant}: key rotate --hsm"))?;
    }
    let existing = db.keys(tenant).await?;
    if existing.is_empty() {
        return Err(AdminError::Invalid(format!("no tenant {tenant:?}")));
    }
    let key_id = format!("key-{}", existing.len() + 1);
    let key = new_key(keys, tenant, &key_id, algorithm, hsm).await?;
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: "rotate-key".into(),
        ..AuditLine::default()
    };
    db.rotate_key(tenant, &key, &audit, &now.to_string()).await?;
    Ok(key_id)
}

/// Retires `key_id` of `tenant`, a key that no longer signs (rotate
/// first): it leaves the DID document, and what it signed stops verifying.
/// For a key that may have been stolen.
pub async fn retire_key(db: &Db, tenant: &str, key_id: &str, actor: &str, now: Timestamp) -> Result<(), AdminError> {
    let audit = AuditLine {
        tenant_id: tenant.to_owned(),
        actor: actor.to_owned(),
        action: format!("retire-key {key_id}"),
        ..AuditLine::default()
    };
    if db.retire_key(tenant, key_id, &audit, &now.to_string()).await? {
        Ok(())
    } else {
        Err(AdminError::Invalid(format!(
            "tenant {tenant:?} has no key {key_id:?} that is neither the signing key nor retired (rotate first)"
        )))
    }
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
