//! The did:webvh tenants' rows: the key that signs a tenant's DID log
//! (sealed like the other local keys) and the log's entries, one row each.

use sqlx::{AnyConnection, Row};

use super::tenants::{insert_key, insert_tenant};
use super::{Db, KeyRow, TenantRow};

/// The key that signs a did:webvh tenant's log entries, as stored.
#[derive(Clone)]
pub struct UpdateKeyRow {
    /// Its name in the sealed secret's associated data (`update-1`).
    pub key_id: String,
    /// The public key, Multikey (the log's `updateKeys`).
    pub public_multikey: String,
    /// The secret key sealed under the key-encryption key.
    pub sealed_secret: String,
}

impl std::fmt::Debug for UpdateKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateKeyRow")
            .field("key_id", &self.key_id)
            .field("public_multikey", &self.public_multikey)
            .finish_non_exhaustive()
    }
}

/// One entry of a did:webvh log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Its version number (1 for the entry that created the DID).
    pub version: i64,
    /// The entry as signed: one line of JSON, without its newline.
    pub text: String,
}

impl Db {
    /// Adds a did:webvh tenant with its first key, the key that signs its
    /// log, and the log's first entry, in one transaction.
    pub async fn create_webvh_tenant(
        &self,
        tenant: &TenantRow,
        key: &KeyRow,
        update_key: &UpdateKeyRow,
        entry: &LogEntry,
        at: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        insert_tenant(&mut tx, tenant, at).await?;
        insert_key(&mut tx, &tenant.id, key, at).await?;
        sqlx::query(
            "INSERT INTO did_update_keys (tenant_id, key_id, public_multikey, sealed_secret, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&tenant.id)
        .bind(&update_key.key_id)
        .bind(&update_key.public_multikey)
        .bind(&update_key.sealed_secret)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        insert_entry(&mut tx, &tenant.id, entry, at).await?;
        tx.commit().await
    }

    /// The key that signs the tenant's DID log, if it has one.
    pub async fn update_key(&self, tenant_id: &str) -> Result<Option<UpdateKeyRow>, sqlx::Error> {
        let row =
            sqlx::query("SELECT key_id, public_multikey, sealed_secret FROM did_update_keys WHERE tenant_id = $1")
                .bind(tenant_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(UpdateKeyRow {
                key_id: r.try_get("key_id")?,
                public_multikey: r.try_get("public_multikey")?,
                sealed_secret: r.try_get("sealed_secret")?,
            })
        })
        .transpose()
    }

    /// The tenant's DID log entries, in order (none for a did:web tenant).
    pub async fn did_log(&self, tenant_id: &str) -> Result<Vec<LogEntry>, sqlx::Error> {
        let rows = sqlx::query("SELECT version, entry FROM did_log_entries WHERE tenant_id = $1 ORDER BY version")
            .bind(tenant_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(LogEntry {
                    version: r.try_get("version")?,
                    text: r.try_get("entry")?,
                })
            })
            .collect()
    }
}

/// Appends `entry` to the tenant's log; the primary key refuses a second
/// entry of the same version (two changes made at once from one log).
pub(super) async fn insert_entry(
    conn: &mut AnyConnection,
    tenant_id: &str,
    entry: &LogEntry,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO did_log_entries (tenant_id, version, entry, created_at) VALUES ($1, $2, $3, $4)")
        .bind(tenant_id)
        .bind(entry.version)
        .bind(&entry.text)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}
