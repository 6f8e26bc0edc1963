//! Who may act for a tenant: API keys (`Authorization: Bearer psk_…`),
//! stored as their SHA-256 only, each with its tenant and scopes; and,
//! when authorization servers are configured, OAuth 2.0 access tokens
//! (RFC 9068 JWTs, [`crate::oauth`]) with scopes `{action}:{tenant}`.

use axum::http::{header, HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::db::Db;
use crate::directory::hex;
use crate::problem::{Code, Problem};
use crate::AppState;

/// What an API key may do for its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Issue credentials.
    Issue,
    /// Change credentials' status.
    Status,
    /// Rotate keys, create lists, read the audit log.
    Admin,
    /// Verify credentials and presentations, when the service is told
    /// that verification needs authentication (`serve --verify-requires-auth`).
    Verify,
}

impl Scope {
    /// The scope's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Issue => "issue",
            Scope::Status => "status",
            Scope::Admin => "admin",
            Scope::Verify => "verify",
        }
    }

    /// Parses a scope name.
    pub fn parse(name: &str) -> Option<Scope> {
        match name {
            "issue" => Some(Scope::Issue),
            "status" => Some(Scope::Status),
            "admin" => Some(Scope::Admin),
            "verify" => Some(Scope::Verify),
            _ => None,
        }
    }
}

/// The prefix of every API key: a key is recognisable in a leaked log.
pub const API_KEY_PREFIX: &str = "psk_";

/// A new API key (shown once) and the digest stored for it.
pub fn new_api_key() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let key = format!("{API_KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let digest = api_key_digest(&key);
    Ok((key, digest))
}

/// The digest stored for an API key. A plain hash suffices: a key holds
/// 256 random bits, so nothing is gained by slowing the hash down.
pub fn api_key_digest(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// The caller, once authenticated: the label written to the audit log.
#[derive(Clone, Debug)]
pub struct Caller {
    /// `api-key:{label}` for an API key, `oauth:{client_id}:{sub}` for an
    /// access token.
    pub actor: String,
}

/// How long a known API key is trusted without asking the database again.
pub const API_KEY_CACHE_SECONDS: u64 = 10;

/// An API key's tenant, scopes and label.
type KeyEntry = (String, String, String);

/// API keys found in the database, kept a few seconds (known keys only:
/// random unknown keys must not fill it).
#[derive(Debug, Default)]
pub struct ApiKeyCache {
    known: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, KeyEntry)>>,
}

impl ApiKeyCache {
    const CAPACITY: usize = 10_000;

    fn get(&self, digest: &str) -> Option<KeyEntry> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        let (at, entry) = known.get(digest)?;
        (at.elapsed().as_secs() < API_KEY_CACHE_SECONDS).then(|| entry.clone())
    }

    fn put(&self, digest: String, entry: KeyEntry) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if known.len() >= Self::CAPACITY {
            known.clear();
        }
        known.insert(digest, (std::time::Instant::now(), entry));
    }
}

/// Checks that the request carries an API key of `tenant` with `scope`
/// (a bearer credential starting `psk_`), or, when authorization servers
/// are configured, an access token of one of them valid at the state's
/// clock with the scope `{scope}:{tenant}`. 401 `AUTH_INVALID` for a
/// credential that is not valid, 403 `SCOPE_MISSING` for a valid one that
/// does not allow this.
pub async fn authorize(state: &AppState, headers: &HeaderMap, tenant: &str, scope: Scope) -> Result<Caller, Problem> {
    let token = bearer(headers)?;
    if token.starts_with(API_KEY_PREFIX) {
        return api_key(&state.db, &state.api_keys, token, tenant, scope).await;
    }
    let access = access_token(state, token).await?;
    if !access.allows(scope, tenant) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            Code::ScopeMissing,
            format!("the access token lacks the scope {}:{tenant}", scope.as_str()),
        ));
    }
    Ok(Caller { actor: access.actor() })
}

/// Checks that the request may verify: a credential with the `verify`
/// scope for `tenant`, or, on the routes of no tenant, for any tenant.
pub async fn authorize_verification(
    state: &AppState,
    headers: &HeaderMap,
    tenant: Option<&str>,
) -> Result<Caller, Problem> {
    if let Some(tenant) = tenant {
        return authorize(state, headers, tenant, Scope::Verify).await;
    }
    let token = bearer(headers)?;
    let lacks = || {
        Problem::new(
            StatusCode::FORBIDDEN,
            Code::ScopeMissing,
            "this credential lacks the verify scope",
        )
    };
    if token.starts_with(API_KEY_PREFIX) {
        let (_, scopes, label) = known_api_key(&state.db, &state.api_keys, token).await?;
        if !scopes.split_whitespace().any(|s| s == Scope::Verify.as_str()) {
            return Err(lacks());
        }
        return Ok(Caller {
            actor: format!("api-key:{label}"),
        });
    }
    let access = access_token(state, token).await?;
    let verify = Scope::Verify.as_str();
    if !access
        .scopes
        .iter()
        .any(|s| s.split_once(':').is_some_and(|(action, _)| action == verify))
    {
        return Err(lacks());
    }
    Ok(Caller { actor: access.actor() })
}

/// The access token `token`, valid at the state's clock.
async fn access_token(state: &AppState, token: &str) -> Result<crate::oauth::AccessToken, Problem> {
    let Some(oauth) = &state.oauth else {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            Code::AuthInvalid,
            "the bearer credential is not an API key of this service",
        ));
    };
    oauth
        .validate(token, (state.clock)())
        .await
        .map_err(|e| Problem::new(StatusCode::UNAUTHORIZED, Code::AuthInvalid, e.to_string()))
}

/// The API key `token`'s tenant, scopes and label. The lookup is by
/// digest: the database never compares secrets.
async fn known_api_key(db: &Db, cache: &ApiKeyCache, token: &str) -> Result<KeyEntry, Problem> {
    let digest = api_key_digest(token);
    let found = match cache.get(&digest) {
        Some(entry) => Some(entry),
        None => {
            let found = db.api_key(&digest).await.map_err(Problem::database)?;
            if let Some(entry) = &found {
                cache.put(digest, entry.clone());
            }
            found
        }
    };
    found.ok_or_else(|| Problem::new(StatusCode::UNAUTHORIZED, Code::AuthInvalid, "unknown API key"))
}

/// Checks the API key `token` for `tenant` and `scope`.
async fn api_key(db: &Db, cache: &ApiKeyCache, token: &str, tenant: &str, scope: Scope) -> Result<Caller, Problem> {
    let (key_tenant, scopes, label) = known_api_key(db, cache, token).await?;
    if key_tenant != tenant {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            Code::ScopeMissing,
            format!("this API key acts for another tenant, not {tenant}"),
        ));
    }
    if !scopes.split_whitespace().any(|s| s == scope.as_str()) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            Code::ScopeMissing,
            format!("this API key lacks the {} scope", scope.as_str()),
        ));
    }
    Ok(Caller {
        actor: format!("api-key:{label}"),
    })
}

fn bearer(headers: &HeaderMap) -> Result<&str, Problem> {
    let missing = || {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            Code::AuthRequired,
            "Authorization: Bearer <key> is required",
        )
    };
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = values.next().ok_or_else(missing)?;
    if values.next().is_some() {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            Code::AuthInvalid,
            "more than one Authorization header",
        ));
    }
    let value = value.to_str().map_err(|_| missing())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(missing());
    }
    Ok(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_are_random_prefixed_and_stored_as_digests() {
        let (a, da) = new_api_key().unwrap();
        let (b, _) = new_api_key().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(API_KEY_PREFIX) && a.len() == API_KEY_PREFIX.len() + 43);
        assert_eq!(da, api_key_digest(&a));
        assert!(!da.contains(&a[4..]));
    }

    #[test]
    fn only_a_bearer_credential_is_read() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h).unwrap_err().code(), "AUTH_REQUIRED");
        h.insert(header::AUTHORIZATION, "Basic dXNlcjpwYXNz".parse().unwrap());
        assert_eq!(bearer(&h).unwrap_err().code(), "AUTH_REQUIRED");
        h.insert(header::AUTHORIZATION, "bearer psk_x".parse().unwrap());
        assert_eq!(bearer(&h).unwrap(), "psk_x");
    }
}
