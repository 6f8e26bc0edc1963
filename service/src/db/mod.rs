//! The issuer's state in SQL, one schema for SQLite and PostgreSQL (sqlx's
//! `Any` driver; placeholders `$1…`, which both read), migrations embedded
//! and applied at start. Every write that is acknowledged to a caller is
//! committed first.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor, Row};

mod did_log;
mod tenants;

pub use did_log::{LogEntry, UpdateKeyRow};
pub use tenants::{KeyRow, TenantRow};

/// The embedded migrations (`service/migrations`).
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Which database the URL named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: one file, one service instance.
    Sqlite,
    /// PostgreSQL: several instances may share it.
    Postgres,
}

/// A connection pool to the service's database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// A status list as stored (its statuses are the `status_entries` rows).
#[derive(Clone, Debug)]
pub struct ListRow {
    /// Its URL (`statusListCredential`).
    pub url: String,
    /// Its tenant.
    pub tenant_id: String,
    /// Its number among the tenant's lists of that purpose.
    pub seq: i64,
    /// `revocation` or `suspension`.
    pub purpose: String,
    /// How many entries it has.
    pub entries: i64,
    /// Bumped by each status change.
    pub version: i64,
}

/// One status entry of a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    /// The list.
    pub list_url: String,
    /// The list's purpose.
    pub purpose: String,
    /// The index in it.
    pub index: i64,
    /// The status (0 or 1).
    pub status: i64,
}

/// One line of the audit log.
#[derive(Clone, Debug, Default)]
pub struct AuditLine {
    /// The tenant acted for.
    pub tenant_id: String,
    /// Who acted (an API key's label, a token's subject).
    pub actor: String,
    /// `issue`, `revoke`, `suspend`, `reinstate`, `rotate-key`, …
    pub action: String,
    /// The credential concerned.
    pub credential_id: Option<String>,
    /// Its type.
    pub credential_type: Option<String>,
    /// The status list concerned.
    pub list_url: Option<String>,
    /// The index in it.
    pub index: Option<i64>,
    /// SHA-256 (hex) of the credential issued.
    pub digest: Option<String>,
    /// The subject's claims (only when the tenant keeps them).
    pub claims: Option<String>,
}

/// What [`Db::summary`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// What tenants and their DID documents are made of: the keys' count
    /// and the sum of their `active` (changes when one is added, rotated or
    /// retired), the DID log entries' count and total length, the tenants'
    /// count and the sum of their revisions (changes when one is created or
    /// its types are replaced).
    pub tenants: [i64; 6],
    /// How many lists, and the sum of their versions.
    pub lists: (i64, i64),
}

/// An open transaction.
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Db {
    /// Connects to `url` (`sqlite://path` — the file and its folder are
    /// created —, or `postgres://…`) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(sqlx::Error::Configuration(
                format!("unsupported database URL {url:?}: sqlite:// or postgres://").into(),
            ));
        };
        let mut url = url.to_owned();
        if backend == Backend::Sqlite {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or("");
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    create_private_dir(parent).map_err(sqlx::Error::Io)?;
                }
            }
            if !url.contains('?') {
                url.push_str("?mode=rwc");
            }
        }
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes
                        // each commit durable before it is acknowledged.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Db { pool, backend })
    }

    /// The pool, for queries of the caller's own (tests, reports).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Begins a transaction that writes: SQLite takes its write lock at
    /// once (`BEGIN IMMEDIATE`), so two writers wait for each other
    /// instead of failing when one upgrades a read.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// One row that changes whenever a key is added, rotated or retired, a
    /// DID log grows (or its length changes), a tenant is created or its
    /// types replaced (revisions only grow), or a list is created or has a
    /// status changed (versions only grow): what a request must compare
    /// before trusting what is in memory.
    pub async fn summary(&self) -> Result<Summary, sqlx::Error> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM tenant_keys) AS kn, \
             (SELECT CAST(COALESCE(SUM(active), 0) AS BIGINT) FROM tenant_keys) AS ka, \
             (SELECT COUNT(*) FROM did_log_entries) AS en, \
             (SELECT CAST(COALESCE(SUM(LENGTH(entry)), 0) AS BIGINT) FROM did_log_entries) AS el, \
             (SELECT COUNT(*) FROM tenants) AS tn, \
             (SELECT CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM tenants) AS tr, \
             (SELECT COUNT(*) FROM status_lists) AS ln, \
             (SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM status_lists) AS lv",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Summary {
            tenants: [
                row.try_get("kn")?,
                row.try_get("ka")?,
                row.try_get("en")?,
                row.try_get("el")?,
                row.try_get("tn")?,
                row.try_get("tr")?,
            ],
            lists: (row.try_get("ln")?, row.try_get("lv")?),
        })
    }

    // Status lists.

    /// Every list.
    pub async fn lists(&self) -> Result<Vec<ListRow>, sqlx::Error> {
        let rows = sqlx::query("SELECT url, tenant_id, seq, purpose, entries, version FROM status_lists")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(list_of).collect()
    }

    /// The list published at `url`.
    pub async fn list(&self, url: &str) -> Result<Option<ListRow>, sqlx::Error> {
        let row = sqlx::query("SELECT url, tenant_id, seq, purpose, entries, version FROM status_lists WHERE url = $1")
            .bind(url)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| list_of(&r)).transpose()
    }

    /// The list's version and its entries whose status is not 0.
    pub async fn list_statuses(&self, url: &str) -> Result<(i64, Vec<(i64, i64)>), sqlx::Error> {
        // One transaction: the version read matches the statuses read.
        let mut tx = self.pool.begin().await?;
        let version: i64 = sqlx::query("SELECT version FROM status_lists WHERE url = $1")
            .bind(url)
            .fetch_one(&mut *tx)
            .await?
            .try_get("version")?;
        let rows = sqlx::query("SELECT idx, status FROM status_entries WHERE list_url = $1 AND status <> 0")
            .bind(url)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let statuses = rows
            .iter()
            .map(|r| Ok((r.try_get("idx")?, r.try_get("status")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok((version, statuses))
    }

    /// The status entries of a tenant's credential.
    pub async fn entries_of(&self, tenant_id: &str, credential_id: &str) -> Result<Vec<EntryRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        entries_of(&mut conn, tenant_id, credential_id).await
    }

    /// Whether the tenant issued a credential with this id.
    pub async fn credential_body(&self, tenant_id: &str, id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
        let row = sqlx::query("SELECT body FROM credentials WHERE tenant_id = $1 AND id = $2")
            .bind(tenant_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("body")).transpose()
    }

    /// The request digest and the credential issued under an idempotency key.
    pub async fn idempotent(
        &self,
        tenant_id: &str,
        key: &str,
    ) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
        let row =
            sqlx::query("SELECT request_digest, body FROM credentials WHERE tenant_id = $1 AND idempotency_key = $2")
                .bind(tenant_id)
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok((
                r.try_get::<Option<String>, _>("request_digest")?.unwrap_or_default(),
                r.try_get("body")?,
            ))
        })
        .transpose()
    }

    /// The audit log of a tenant, oldest first.
    pub async fn audit(&self, tenant_id: &str) -> Result<Vec<AuditLine>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT tenant_id, actor, action, credential_id, credential_type, list_url, idx, digest, claims \
             FROM audit_log WHERE tenant_id = $1 ORDER BY recorded, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditLine {
                    tenant_id: r.try_get("tenant_id")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    credential_id: r.try_get("credential_id")?,
                    credential_type: r.try_get("credential_type")?,
                    list_url: r.try_get("list_url")?,
                    index: r.try_get("idx")?,
                    digest: r.try_get("digest")?,
                    claims: r.try_get("claims")?,
                })
            })
            .collect()
    }
}

fn list_of(r: &sqlx::any::AnyRow) -> Result<ListRow, sqlx::Error> {
    Ok(ListRow {
        url: r.try_get("url")?,
        tenant_id: r.try_get("tenant_id")?,
        seq: r.try_get("seq")?,
        purpose: r.try_get("purpose")?,
        entries: r.try_get("entries")?,
        version: r.try_get("version")?,
    })
}

/// How many status lists there are: when it changes, a list was opened
/// (here, by another instance, or by `list create`).
pub async fn list_count(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM status_lists")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")
}

/// The newest list of `purpose` of the tenant, if any.
pub async fn current_list(
    conn: &mut AnyConnection,
    tenant_id: &str,
    purpose: &str,
) -> Result<Option<ListRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT url, tenant_id, seq, purpose, entries, version FROM status_lists \
         WHERE tenant_id = $1 AND purpose = $2 ORDER BY seq DESC LIMIT 1",
    )
    .bind(tenant_id)
    .bind(purpose)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| list_of(&r)).transpose()
}

/// Adds a list unless one of that tenant, purpose and number exists (a
/// concurrent instance made it): both are then the same list.
pub async fn create_list(conn: &mut AnyConnection, list: &ListRow, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO status_lists (url, tenant_id, seq, purpose, entries, version, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT DO NOTHING",
    )
    .bind(&list.url)
    .bind(&list.tenant_id)
    .bind(list.seq)
    .bind(&list.purpose)
    .bind(list.entries)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Takes `index` of the list for `credential_id` if no one has it:
/// whether it was free. The primary key makes two takers of one index
/// impossible, across instances too.
pub async fn take_index(
    conn: &mut AnyConnection,
    list_url: &str,
    index: i64,
    credential_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO status_entries (list_url, idx, status, credential_id) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING",
    )
    .bind(list_url)
    .bind(index)
    .bind(credential_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What an issuance records.
#[derive(Clone, Debug)]
pub struct Issued<'a> {
    /// The tenant.
    pub tenant_id: &'a str,
    /// The credential's id.
    pub id: &'a str,
    /// Its types, JSON.
    pub types: &'a str,
    /// SHA-256 (hex) of what was returned.
    pub digest: &'a str,
    /// The idempotency key and the request's digest, if one was given.
    pub idempotency: Option<(&'a str, &'a str)>,
    /// The credential, when kept.
    pub body: Option<&'a str>,
}

/// Records an issued credential. `Ok(false)` when the tenant already has
/// a credential of that id or that idempotency key (nothing is written).
pub async fn record_credential(conn: &mut AnyConnection, issued: &Issued<'_>, at: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO credentials (tenant_id, id, types, digest, issued_at, idempotency_key, request_digest, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(issued.tenant_id)
    .bind(issued.id)
    .bind(issued.types)
    .bind(issued.digest)
    .bind(at)
    .bind(issued.idempotency.map(|(k, _)| k))
    .bind(issued.idempotency.map(|(_, d)| d))
    .bind(issued.body)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates `dir` (and its parents) readable by its owner only: the
/// database holds credential bodies and, for some tenants, claims.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Nanoseconds since 1970 on this machine's clock: orders the audit log
/// (the service's clock, which `at` records, may be fixed or coarse).
fn recorded() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Appends a line to the audit log.
pub async fn append_audit(conn: &mut AnyConnection, line: &AuditLine, at: &str) -> Result<(), sqlx::Error> {
    let id = passerelle::random_urn_uuid().map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    sqlx::query(
        "INSERT INTO audit_log (id, at, recorded, tenant_id, actor, action, credential_id, credential_type, list_url, idx, digest, claims) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(at)
    .bind(recorded())
    .bind(&line.tenant_id)
    .bind(&line.actor)
    .bind(&line.action)
    .bind(&line.credential_id)
    .bind(&line.credential_type)
    .bind(&line.list_url)
    .bind(line.index)
    .bind(&line.digest)
    .bind(&line.claims)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The status entries of a tenant's credential, read in `conn`.
pub async fn entries_of(
    conn: &mut AnyConnection,
    tenant_id: &str,
    credential_id: &str,
) -> Result<Vec<EntryRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.list_url, l.purpose, e.idx, e.status FROM status_entries e \
         JOIN status_lists l ON l.url = e.list_url \
         WHERE l.tenant_id = $1 AND e.credential_id = $2 ORDER BY l.purpose",
    )
    .bind(tenant_id)
    .bind(credential_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EntryRow {
                list_url: r.try_get("list_url")?,
                purpose: r.try_get("purpose")?,
                index: r.try_get("idx")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}

/// Sets one entry's status and bumps its list's version.
pub async fn set_status(conn: &mut AnyConnection, list_url: &str, index: i64, status: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE status_entries SET status = $1 WHERE list_url = $2 AND idx = $3")
        .bind(status)
        .bind(list_url)
        .bind(index)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE status_lists SET version = version + 1 WHERE url = $1")
        .bind(list_url)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}
