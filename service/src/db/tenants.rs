//! Tenants and their keys as stored, and the queries that add, read,
//! rotate and retire them.

use sqlx::{AnyConnection, Row};

use super::did_log::{self, LogEntry};
use super::{append_audit, AuditLine, Db};

/// A tenant as stored.
#[derive(Clone, Debug)]
pub struct TenantRow {
    /// The tenant's name in URLs.
    pub id: String,
    /// Its DID.
    pub did: String,
    /// The credential types it may issue (besides `VerifiableCredential`).
    pub allowed_types: Vec<String>,
    /// Whether the audit log keeps the subject's claims.
    pub audit_claims: bool,
}

/// A tenant's key as stored.
#[derive(Clone)]
pub struct KeyRow {
    /// The verification method's fragment (`key-1`).
    pub key_id: String,
    /// The public key, Multikey.
    pub public_multikey: String,
    /// The secret key sealed under the key-encryption key (local keys).
    pub sealed_secret: Option<String>,
    /// The HSM object label (HSM keys).
    pub hsm_label: Option<String>,
    /// Whether it is the key that signs.
    pub active: bool,
    /// Whether it was retired (compromised, say): out of the DID
    /// document, so that nothing it signed verifies any more.
    pub retired: bool,
}

impl std::fmt::Debug for KeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRow")
            .field("key_id", &self.key_id)
            .field("public_multikey", &self.public_multikey)
            .field("hsm_label", &self.hsm_label)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Adds a tenant with its first key, in one transaction.
    pub async fn create_tenant(&self, tenant: &TenantRow, key: &KeyRow, at: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        insert_tenant(&mut tx, tenant, at).await?;
        insert_key(&mut tx, &tenant.id, key, at).await?;
        tx.commit().await
    }

    /// The tenant named `id`.
    pub async fn tenant(&self, id: &str) -> Result<Option<TenantRow>, sqlx::Error> {
        let row = sqlx::query("SELECT id, did, allowed_types, audit_claims FROM tenants WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| tenant_of(&r)).transpose()
    }

    /// Every tenant.
    pub async fn tenants(&self) -> Result<Vec<TenantRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, did, allowed_types, audit_claims FROM tenants ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(tenant_of).collect()
    }

    /// Replaces the credential types `tenant_id` may issue and bumps its
    /// revision (so that instances load it again), with its audit line, in
    /// one transaction. Whether there was such a tenant.
    pub async fn set_allowed_types(
        &self,
        tenant_id: &str,
        types: &[String],
        audit: &AuditLine,
        at: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE tenants SET allowed_types = $1, revision = revision + 1 WHERE id = $2")
            .bind(serde_json::to_string(types).unwrap_or_default())
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        append_audit(&mut tx, audit, at).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Stores an API key's digest with its tenant and scopes.
    pub async fn add_api_key(
        &self,
        digest: &str,
        tenant_id: &str,
        scopes: &str,
        label: &str,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO api_keys (digest, tenant_id, scopes, label, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(digest)
            .bind(tenant_id)
            .bind(scopes)
            .bind(label)
            .bind(at)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Deletes the tenant's API keys with this label; how many there were.
    pub async fn revoke_api_keys(&self, tenant_id: &str, label: &str) -> Result<u64, sqlx::Error> {
        sqlx::query("DELETE FROM api_keys WHERE tenant_id = $1 AND label = $2")
            .bind(tenant_id)
            .bind(label)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
    }

    /// The tenant, scopes and label of the API key with this digest.
    pub async fn api_key(&self, digest: &str) -> Result<Option<(String, String, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT tenant_id, scopes, label FROM api_keys WHERE digest = $1")
            .bind(digest)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get("tenant_id")?, r.try_get("scopes")?, r.try_get("label")?)))
            .transpose()
    }

    /// A tenant's keys, oldest first.
    pub async fn keys(&self, tenant_id: &str) -> Result<Vec<KeyRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT key_id, public_multikey, sealed_secret, hsm_label, active FROM tenant_keys \
             WHERE tenant_id = $1 ORDER BY created_at, key_id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KeyRow {
                    key_id: r.try_get("key_id")?,
                    public_multikey: r.try_get("public_multikey")?,
                    sealed_secret: r.try_get("sealed_secret")?,
                    hsm_label: r.try_get("hsm_label")?,
                    active: r.try_get::<i64, _>("active")? == 1,
                    retired: r.try_get::<i64, _>("active")? < 0,
                })
            })
            .collect()
    }

    /// Makes `key` the tenant's signing key; the others stay, retired, so
    /// that what they signed still verifies. A did:webvh tenant's log
    /// `entry` (the new document) is appended in the same transaction.
    pub async fn rotate_key(
        &self,
        tenant_id: &str,
        key: &KeyRow,
        entry: Option<&LogEntry>,
        audit: &AuditLine,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        // Only the signing key steps down: a retired key (-1) stays retired.
        sqlx::query("UPDATE tenant_keys SET active = 0 WHERE tenant_id = $1 AND active = 1")
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        insert_key(&mut tx, tenant_id, key, at).await?;
        if let Some(entry) = entry {
            did_log::insert_entry(&mut tx, tenant_id, entry, at).await?;
        }
        append_audit(&mut tx, audit, at).await?;
        tx.commit().await
    }

    /// Retires a key that no longer signs (`active` −1): it leaves the DID
    /// document (a did:webvh tenant's log `entry`, appended in the same
    /// transaction). Whether there was such a key.
    pub async fn retire_key(
        &self,
        tenant_id: &str,
        key_id: &str,
        entry: Option<&LogEntry>,
        audit: &AuditLine,
        at: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin().await?;
        let done =
            sqlx::query("UPDATE tenant_keys SET active = -1 WHERE tenant_id = $1 AND key_id = $2 AND active = 0")
                .bind(tenant_id)
                .bind(key_id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(entry) = entry {
            did_log::insert_entry(&mut tx, tenant_id, entry, at).await?;
        }
        append_audit(&mut tx, audit, at).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Adds the tenant's row.
pub(super) async fn insert_tenant(conn: &mut AnyConnection, tenant: &TenantRow, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO tenants (id, did, allowed_types, audit_claims, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&tenant.id)
        .bind(&tenant.did)
        .bind(serde_json::to_string(&tenant.allowed_types).unwrap_or_default())
        .bind(i64::from(tenant.audit_claims))
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Adds one of the tenant's keys.
pub(super) async fn insert_key(
    conn: &mut AnyConnection,
    tenant_id: &str,
    key: &KeyRow,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tenant_keys (tenant_id, key_id, public_multikey, sealed_secret, hsm_label, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant_id)
    .bind(&key.key_id)
    .bind(&key.public_multikey)
    .bind(&key.sealed_secret)
    .bind(&key.hsm_label)
    .bind(i64::from(key.active))
    .bind(at)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The tenant a row of `tenants` holds.
fn tenant_of(r: &sqlx::any::AnyRow) -> Result<TenantRow, sqlx::Error> {
    let types: String = r.try_get("allowed_types")?;
    Ok(TenantRow {
        id: r.try_get("id")?,
        did: r.try_get("did")?,
        allowed_types: serde_json::from_str(&types).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        audit_claims: r.try_get::<i64, _>("audit_claims")? != 0,
    })
}
