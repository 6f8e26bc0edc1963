//! passerelle's issuer and verifier service: the VCALM endpoints over a
//! SQLite or PostgreSQL database, one tenant per issuing body, each with
//! its did:web or did:webvh DID, keys sealed at rest, API keys and status
//! lists.
//!
//! [`router`] over [`http::serve`] serves; the `passerelle-service`
//! binary wraps it with a command line (`serve`, `tenant create`,
//! `tenant set-types`, `api-key create`, `key rotate`, `key retire`).
//! `docs/service.md` is the operator's guide.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod admin;
mod admin_api;
pub mod auth;
pub mod db;
pub mod directory;
pub mod hsm;
pub mod http;
pub mod issue;
pub mod jwks;
pub mod keys;
pub mod metrics;
pub mod oauth;
pub mod openapi;
pub mod problem;
mod publish;
pub mod ratelimit;
mod request;
mod status;
pub mod trust;
mod verify;
pub mod webvh;
pub mod writer;

use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use passerelle::{Timestamp, Verifier};

use crate::db::Db;
use crate::directory::{Directory, Tenant};
use crate::keys::KeyStore;
use crate::problem::{Code, Problem};

pub use issue::{LIST_ENTRIES, STATUS_PURPOSES};
pub use request::MAX_BODY_BYTES;

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Tenants and published lists, from the database.
    pub directory: Directory,
    /// Where tenants' keys are: the key that seals local keys, the
    /// PKCS#11 token of HSM keys.
    pub keys: Arc<KeyStore>,
    /// The URL the service is reached at (its tenants' DIDs derive from it).
    pub public_url: String,
    /// The clock: the system's in production, a fixed time in tests.
    pub clock: fn() -> Timestamp,
    /// The verifier of the directory's generation it was made at.
    verifier: Arc<Mutex<(u64, Arc<Verifier<Directory>>)>>,
    /// Request and issuance counters.
    pub metrics: Arc<metrics::Metrics>,
    /// The issuance writer (group commit).
    pub writer: writer::Writer,
    /// API keys recently found.
    pub api_keys: Arc<auth::ApiKeyCache>,
    /// The authorization servers whose access tokens are accepted, if any.
    pub oauth: Option<Arc<oauth::OAuth>>,
    /// When tenants were last compared with the database.
    tenants_checked: Arc<Mutex<Option<std::time::Instant>>>,
    /// Requests a second per client.
    pub rate_limiter: Arc<ratelimit::RateLimiter>,
    /// The trust registry, if the service was given one.
    pub trust: Option<Arc<passerelle::registry::TrustStore>>,
    /// Whether verification needs a credential with the `verify` scope
    /// (else the verification endpoints are public).
    pub verify_requires_auth: bool,
}

impl AppState {
    /// The state over `db`, its tenants loaded (their keys opened from
    /// `keys`: a `Kek` converts into a store without an HSM). Only API keys
    /// are accepted until [`AppState::with_oauth`].
    pub async fn new(
        db: Db,
        keys: impl Into<KeyStore>,
        public_url: &str,
        clock: fn() -> Timestamp,
    ) -> Result<AppState, passerelle::Error> {
        let keys = keys.into();
        let directory = Directory::new(public_url);
        directory.refresh_tenants(&db, &keys).await?;
        let verifier = (directory.generation(), Arc::new(new_verifier(&directory, None)));
        let public_url = public_url.trim_end_matches('/').to_owned();
        Ok(AppState {
            writer: writer::Writer::spawn(db.clone(), public_url.clone()),
            db,
            directory,
            keys: Arc::new(keys),
            public_url,
            clock,
            verifier: Arc::new(Mutex::new(verifier)),
            metrics: Arc::default(),
            api_keys: Arc::default(),
            oauth: None,
            tenants_checked: Arc::default(),
            rate_limiter: Arc::new(ratelimit::RateLimiter::new(ratelimit::DEFAULT_PER_SECOND)),
            trust: None,
            verify_requires_auth: false,
        })
    }

    /// Limits each client (an address, and a bearer credential) to
    /// `per_second` requests a second; 0 for no limit.
    pub fn with_rate_limit(self, per_second: u32) -> Self {
        self.with_rate_limiter(ratelimit::RateLimiter::new(per_second))
    }

    /// Requires a credential with the `verify` scope on the verification
    /// endpoints (`verify:{tenant}` on a tenant's, any tenant's on the
    /// others), read before the body.
    pub fn with_authenticated_verification(mut self) -> Self {
        self.verify_requires_auth = true;
        self
    }

    /// Limits clients with `limiter` (for example one that knows the
    /// service's reverse proxies).
    pub fn with_rate_limiter(mut self, limiter: ratelimit::RateLimiter) -> Self {
        self.rate_limiter = Arc::new(limiter);
        self
    }

    /// Judges issuance and verification against `store`, and answers TRQP
    /// queries from it under `/trqp`.
    pub fn with_trust(mut self, store: passerelle::registry::TrustStore) -> Self {
        let store = Arc::new(store);
        self.trust = Some(Arc::clone(&store));
        let generation = self.directory.generation();
        self.verifier = Arc::new(Mutex::new((
            generation,
            Arc::new(new_verifier(&self.directory, Some(store))),
        )));
        self
    }

    /// Accepts access tokens of the authorization servers of `oauth`
    /// besides API keys. JWKS fetched from URLs are kept fresh by tasks
    /// started here when called on a Tokio runtime, else at the first
    /// token.
    pub fn with_oauth(mut self, oauth: oauth::OAuth) -> Self {
        oauth.start_refresh();
        self.oauth = Some(Arc::new(oauth));
        self
    }

    /// The tenant named `id` (reloading tenants first if the database has
    /// new ones or new keys; compared at most once a second, since an
    /// issuer signing a second longer with a retired key is harmless: the
    /// key stays in its DID document).
    pub async fn tenant(&self, id: &str) -> Result<Arc<Tenant>, Problem> {
        let due = {
            let mut checked = self.tenants_checked.lock().unwrap_or_else(|e| e.into_inner());
            let due = checked.is_none_or(|at| at.elapsed() >= std::time::Duration::from_secs(1))
                || self.directory.tenant(id).is_none();
            if due {
                *checked = Some(std::time::Instant::now());
            }
            due
        };
        if due {
            self.directory
                .refresh_tenants(&self.db, &self.keys)
                .await
                .map_err(|e| Problem::directory(&e))?;
        }
        if let Some(tenant) = self.directory.tenant(id) {
            return Ok(tenant);
        }
        match self.directory.unavailable(id) {
            Some(unavailable) => Err(Problem::library_code(
                StatusCode::SERVICE_UNAVAILABLE,
                unavailable.code,
                unavailable.reason,
            )),
            None => Err(Problem::new(
                StatusCode::NOT_FOUND,
                Code::TenantUnknown,
                format!("no tenant {id:?}"),
            )),
        }
    }

    /// Brings tenants and lists up to date with the database before a
    /// verification.
    pub async fn refresh(&self, now: Timestamp) -> Result<(), Problem> {
        let unavailable = |e: passerelle::Error| Problem::directory(&e);
        // One query tells whether anything changed since the last request.
        let summary = self.db.summary().await.map_err(Problem::database)?;
        self.directory
            .refresh_tenants_at(&self.db, &self.keys, summary.tenants)
            .await
            .map_err(unavailable)?;
        self.directory
            .refresh_lists_at(&self.db, now, summary.lists)
            .await
            .map_err(unavailable)
    }

    /// The verifier of the directory as it is now. A verifier keeps the
    /// lists it verified (by URL, for their time to live), so one made
    /// before a change is replaced, not cleared: a verification still
    /// running on it could put an old list back.
    pub fn verifier(&self) -> Arc<Verifier<Directory>> {
        let generation = self.directory.generation();
        let mut current = self.verifier.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != generation {
            *current = (generation, Arc::new(new_verifier(&self.directory, self.trust.clone())));
        }
        Arc::clone(&current.1)
    }
}

fn new_verifier(directory: &Directory, trust: Option<Arc<passerelle::registry::TrustStore>>) -> Verifier<Directory> {
    let verifier = Verifier::new(directory.clone()).with_status(directory.clone());
    match trust {
        Some(trust) => verifier.with_trust(trust),
        None => verifier,
    }
}

/// Every route of the service.
pub fn router(state: AppState) -> Router {
    let tenant_routes = Router::new()
        .route("/credentials/issue", post(issue::issue))
        .route("/credentials/status", post(status::update_status))
        .route("/credentials/verify", post(verify::tenant_verify_credential))
        .route("/presentations/verify", post(verify::tenant_verify_presentation))
        .route("/credentials/{id}", get(publish::get_credential))
        .route("/did.json", get(publish::did_document))
        .route("/did.jsonl", get(publish::did_log))
        .route("/status/{purpose}/{seq}", get(publish::status_list))
        .route("/keys/rotate", post(admin_api::rotate_key))
        .route("/types", get(admin_api::get_types).put(admin_api::set_types));
    let mut routes = Router::new()
        .nest("/tenants/{tenant}", tenant_routes)
        .route("/credentials/verify", post(verify::verify_credential))
        .route("/presentations/verify", post(verify::verify_presentation))
        .route("/1.0/identifiers/{did}", get(publish::identifiers))
        .route("/healthz", get(publish::healthz))
        .route("/readyz", get(publish::readyz))
        .route("/metrics", get(metrics::render))
        .route("/openapi.json", get(openapi::openapi));
    if let Some(store) = &state.trust {
        // TRQP v2 (`/trqp/authorization`, `/trqp/recognition`), answered
        // from the same registry, each answer's freshness judged then.
        let registry = passerelle::registry::server::router(Arc::clone(store), state.clock);
        routes = routes.nest_service("/trqp", registry);
    }
    routes
        .fallback(publish::fallback)
        .method_not_allowed_fallback(publish::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(request::refuse_oversize))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state.rate_limiter),
            ratelimit::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::count))
        .with_state(state)
}
