//! The service started in-process on a loopback port, on SQLite in a
//! temporary folder or on a fresh PostgreSQL database of the cluster the
//! test command started (`PASSERELLE_TEST_POSTGRES`), with a fixed clock.

#![allow(dead_code)]

pub mod tls;

use std::path::PathBuf;
use std::time::Duration;

use passerelle::Timestamp;
use passerelle_service::admin::{self, DidMethod, NewTenant};
use passerelle_service::auth::Scope;
use passerelle_service::db::Db;
use passerelle_service::hsm::Pkcs11Config;
use passerelle_service::http::{self, Limits};
use passerelle_service::keys::{Algorithm, Kek, KeyStore};
use passerelle_service::oauth::OAuth;
use passerelle_service::{router, AppState};
use serde_json::{json, Value};

/// The environment variable naming the PostgreSQL cluster for tests.
pub const POSTGRES_VARIABLE: &str = "PASSERELLE_TEST_POSTGRES";

/// 2031-04-26: the service's clock in tests (no test reads today's date).
pub fn clock() -> Timestamp {
    Timestamp::from_unix_seconds(1_935_000_000)
}

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// The stores to run on: SQLite always; PostgreSQL when the test command
/// gave a cluster. Under CI a missing cluster is a failure, not a skip.
pub fn stores() -> Vec<Store> {
    match std::env::var(POSTGRES_VARIABLE) {
        Ok(_) => vec![Store::Sqlite, Store::Postgres],
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but {POSTGRES_VARIABLE} is not set: the test command starts PostgreSQL")
        }
        Err(_) => {
            eprintln!("{POSTGRES_VARIABLE} is not set: PostgreSQL runs skipped");
            vec![Store::Sqlite]
        }
    }
}

/// A scratch folder removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).unwrap();
        let dir = std::env::temp_dir().join(format!("passerelle-service-{name}-{}", u64::from_le_bytes(bytes)));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database URL for a new, empty database of `store`.
pub fn fresh_database(runtime: &tokio::runtime::Runtime, store: Store, scratch: &Scratch) -> String {
    match store {
        Store::Sqlite => format!("sqlite://{}/state.db", scratch.0.display()),
        Store::Postgres => {
            let base = std::env::var(POSTGRES_VARIABLE).unwrap();
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).unwrap();
            let name = format!("t{:016x}", u64::from_le_bytes(bytes));
            runtime.block_on(async {
                use sqlx::Connection as _;
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(&base).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            });
            let (server, _) = base.rsplit_once('/').unwrap();
            format!("{server}/{name}")
        }
    }
}

/// A running service with one tenant, `mines`, that may issue
/// `MinesPermit`, and an API key of it with every scope.
pub struct Service {
    /// The public URL (tenants' DIDs and lists' URLs derive from it).
    pub url: String,
    /// Where requests are sent: the public URL, unless one was given.
    pub base: String,
    pub key: String,
    pub db: Db,
    /// The database's URL, for the command line.
    pub database: String,
    /// The PKCS#11 token the service was given, if any.
    pub hsm: Option<Pkcs11Config>,
    pub runtime: tokio::runtime::Runtime,
    pub scratch: Scratch,
    pub agent: ureq::Agent,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub fn kek() -> Kek {
    Kek::from_base64url("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").unwrap()
}

/// How to start the service.
#[derive(Default)]
pub struct Setup {
    /// The HTTP limits.
    pub limits: Limits,
    /// The PKCS#11 token the service and its administration get.
    pub hsm: Option<Pkcs11Config>,
    /// Whether `mines`' first key is made in that token.
    pub hsm_tenant: bool,
    /// The authorization servers whose access tokens are accepted.
    pub oauth: Option<OAuth>,
    /// Requests a second per client, if not the default.
    pub rate_limit: Option<u32>,
    /// A trust registry, made for `mines`' DID.
    pub trust: Option<fn(&str) -> passerelle::registry::TrustStore>,
    /// The public URL, if not the loopback address listened on.
    pub public_url: Option<String>,
    /// The method of `mines`' DID.
    pub method: DidMethod,
    /// Whether verification needs a credential with the `verify` scope.
    pub verify_requires_auth: bool,
    /// Serve HTTPS with this certificate (the public URL is then https://).
    pub tls: Option<tls::TestCert>,
}

impl Service {
    /// Adds the tenant `registrar` (may issue `IncorporationCertificate`)
    /// with its first key made under `keys`.
    pub fn add_registrar(&self, keys: &KeyStore) {
        let types = vec!["IncorporationCertificate".to_owned()];
        let new = NewTenant {
            id: "registrar",
            types: &types,
            algorithm: Algorithm::Ed25519,
            audit_claims: false,
            hsm: false,
            method: DidMethod::Web,
        };
        self.runtime
            .block_on(admin::create_tenant(&self.db, keys, &self.url, &new, clock()))
            .unwrap();
    }

    /// A new API key of `tenant` with `scopes`.
    pub fn api_key(&self, tenant: &str, scopes: &[Scope], label: &str) -> String {
        self.runtime
            .block_on(admin::create_api_key(&self.db, tenant, scopes, label, clock()))
            .unwrap()
    }

    /// The keys the service was given: the test key-encryption key and
    /// its token, if any.
    pub fn keys(&self) -> KeyStore {
        KeyStore::new(kek(), self.hsm.clone())
    }
}

pub fn start(store: Store, limits: Limits) -> Service {
    start_with(
        store,
        Setup {
            limits,
            ..Setup::default()
        },
    )
}

pub fn start_with(store: Store, setup: Setup) -> Service {
    let Setup {
        limits,
        hsm,
        hsm_tenant,
        oauth,
        rate_limit,
        trust,
        public_url,
        method,
        verify_requires_auth,
        tls,
    } = setup;
    let keys = || KeyStore::new(kek(), hsm.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let scratch = Scratch::new("api");
    let url = fresh_database(&runtime, store, &scratch);
    let (db, listener, base, public_url, key) = runtime.block_on(async {
        let db = Db::connect(&url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{}", listener.local_addr().unwrap());
        let public_url = public_url.unwrap_or_else(|| base.clone());
        let types = vec!["MinesPermit".to_owned(), "ExplorationLicence".to_owned()];
        let new = NewTenant {
            id: "mines",
            types: &types,
            algorithm: Algorithm::Ed25519,
            audit_claims: false,
            hsm: hsm_tenant,
            method,
        };
        admin::create_tenant(&db, &keys(), &public_url, &new, clock())
            .await
            .unwrap();
        let key = admin::create_api_key(
            &db,
            "mines",
            &[Scope::Issue, Scope::Status, Scope::Admin],
            "test",
            clock(),
        )
        .await
        .unwrap();
        (db, listener, base, public_url, key)
    });
    let mut state = runtime
        .block_on(AppState::new(db.clone(), keys(), &public_url, clock))
        .unwrap();
    if let Some(oauth) = oauth {
        state = state.with_oauth(oauth);
    }
    if let Some(per_second) = rate_limit {
        state = state.with_rate_limit(per_second);
    }
    if verify_requires_auth {
        state = state.with_authenticated_verification();
    }
    if let Some(trust) = trust {
        state = state.with_trust(trust(&passerelle_service::directory::tenant_did(&public_url, "mines")));
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let config = tls
        .as_ref()
        .map(|t| http::TlsConfig::from_pem_files(&t.cert, &t.key).unwrap());
    runtime.spawn(http::serve(listener, router(state), limits, config, async {
        let _ = stopped.await;
    }));
    let agent: ureq::Agent = match &tls {
        Some(t) => tls::agent_trusting(&t.der),
        None => ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into(),
    };
    Service {
        url: public_url,
        base,
        key,
        db,
        database: url,
        hsm,
        runtime,
        scratch,
        agent,
        stop: Some(stop),
    }
}

/// An HTTP answer: status, headers we look at, body as JSON (or text).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub etag: Option<String>,
    pub content_type: String,
    /// `WWW-Authenticate`.
    pub challenge: Option<String>,
    /// `Cache-Control`.
    pub cache_control: Option<String>,
    /// `Access-Control-Allow-Origin`.
    pub allow_origin: Option<String>,
}

pub fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header("etag");
    let content_type = header("content-type").unwrap_or_default();
    let challenge = header("www-authenticate");
    let cache_control = header("cache-control");
    let allow_origin = header("access-control-allow-origin");
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        text,
        etag,
        content_type,
        challenge,
        cache_control,
        allow_origin,
    }
}

impl Service {
    pub fn post(&self, path: &str, key: Option<&str>, body: &str) -> Answer {
        self.post_with(path, key, body, &[])
    }

    pub fn post_with(&self, path: &str, key: Option<&str>, body: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send(body))
    }

    pub fn put(&self, path: &str, key: Option<&str>, body: &str) -> Answer {
        let mut request = self
            .agent
            .put(format!("{}{path}", self.url))
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        answer(request.send(body))
    }

    /// `GET` with `key` as the bearer credential.
    pub fn get_with_key(&self, path: &str, key: &str) -> Answer {
        self.get(path, &[("authorization", &format!("Bearer {key}"))])
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.call())
    }

    /// Issues a permit; returns the answer.
    pub fn issue(&self, permit: &str) -> Answer {
        let body = json!({"credential": permit_credential(permit)});
        self.post("/tenants/mines/credentials/issue", Some(&self.key), &body.to_string())
    }

    /// Issues a credential of type `kind` (besides `VerifiableCredential`).
    pub fn issue_type(&self, kind: &str) -> Answer {
        let mut credential = permit_credential("MX-types");
        credential["type"] = json!(["VerifiableCredential", kind]);
        let body = json!({"credential": credential});
        self.post("/tenants/mines/credentials/issue", Some(&self.key), &body.to_string())
    }

    /// Issues a permit and returns the credential.
    pub fn issued(&self, permit: &str) -> Value {
        let answer = self.issue(permit);
        assert_eq!(answer.status, 201, "{}", answer.text);
        answer.body["verifiableCredential"].clone()
    }

    pub fn verify(&self, credential: &Value, lang: &str) -> Answer {
        let body = json!({"verifiableCredential": credential});
        self.post_with(
            "/credentials/verify",
            None,
            &body.to_string(),
            &[("accept-language", lang)],
        )
    }

    pub fn set_status(&self, id: &str, purpose: &str, status: bool) -> Answer {
        let body = json!({
            "credentialId": id,
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": purpose},
            "status": status,
        });
        self.post("/tenants/mines/credentials/status", Some(&self.key), &body.to_string())
    }

    /// How many rows `table` has (the tables the tests count: fixed names).
    pub fn count(&self, table: &str) -> i64 {
        assert!(["credentials", "audit_log", "status_entries", "status_lists"].contains(&table));
        self.runtime.block_on(async {
            use sqlx::Row as _;
            let pool = self.db.pool();
            let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {table}")))
                .fetch_one(pool)
                .await
                .unwrap();
            row.try_get::<i64, _>("n").unwrap()
        })
    }
}

pub fn permit_credential(permit: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "MinesPermit"],
        "credentialSubject": {"id": "did:example:operator", "permitNumber": permit},
    })
}

/// Clients at other loopback addresses (the library's test helper).
#[path = "../../../tests/common/net.rs"]
pub mod net;

/// [`net::connect_from`] with the server's address as text.
pub fn connect_from(host: u8, server: &str) -> std::net::TcpStream {
    net::connect_from(host, server.parse().unwrap())
}
