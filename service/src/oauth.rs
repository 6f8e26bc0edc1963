//! OAuth 2.0 bearer access tokens in the JWT profile (RFC 9068), besides
//! the service's own API keys.
//!
//! The authorization servers trusted are configured with their `iss` value
//! and their public keys (a JWKS file or URL); the service is one resource server,
//! with one audience (`aud`, usually its public URL). A token is accepted
//! when:
//!
//! - it is a compact JWS of at most [`MAX_TOKEN_BYTES`], its header and
//!   claims strict JSON (duplicate members refused);
//! - its header has `typ` `at+jwt` (or `application/at+jwt`), `alg`
//!   `EdDSA`, `ES256` or `ES384` (never `none`, never an HMAC), and a `kid`
//!   naming a key of its issuer's JWKS whose type fits `alg`; no `crit`;
//! - its signature verifies with that key (ECDSA signatures are `r‖s`);
//! - `iss` is a configured issuer; `aud` (a string or an array) holds the
//!   audience; `exp` is after now, `iat` (required) and `nbf` (if any) not
//!   more than [`CLOCK_SKEW_SECONDS`] ahead of now; `sub` and `client_id`
//!   are non-empty strings; `scope`, if present, is a string.
//!
//! Scopes name an action and a tenant: `issue:mines`, `status:mines`,
//! `admin:mines`. An issuer's keys come from a JWKS file read at start, or
//! from a JWKS URL fetched at start through the library's SSRF-safe
//! fetcher and kept fresh ([`crate::jwks`]). A token's `jku`, `x5u` or
//! `jwk` header is never used: the keys are the operator's choice only.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use passerelle::crypto::PublicKey;
use passerelle::jose::{parse_signed_jwt, JwsAlgorithm};
use passerelle::json::Limits;
use passerelle::{ErrorCode, Timestamp};
use serde_json::{Map, Value};

use crate::auth::Scope;
use crate::jwks::{JwksUrl, Keys, Remote};

pub use crate::jwks::MAX_JWKS_BYTES;

/// The largest access token read, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// How far ahead of the service's clock `iat` and `nbf` may be.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// What [`OAuth::validate`] says it takes.
const ACCEPTED_ALGS: &str = "access tokens are signed with EdDSA, ES256 or ES384 (never none, never an HMAC)";

/// Why the configuration of an authorization server was refused.
#[derive(Debug, thiserror::Error)]
#[error("OAuth: {0}")]
pub struct ConfigError(String);

impl ConfigError {
    /// A refusal saying `why`.
    pub fn new(why: impl Into<String>) -> Self {
        ConfigError(why.into())
    }

    /// Why, without the `OAuth:` prefix.
    pub fn detail(&self) -> &str {
        &self.0
    }
}

/// Why an access token was refused (the detail told to the caller).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TokenRejected(String);

fn reject(why: impl Into<String>) -> TokenRejected {
    TokenRejected(why.into())
}

/// An authorization server whose tokens are accepted.
#[derive(Debug)]
struct TrustedIssuer {
    /// Its `iss` value.
    issuer: String,
    /// Its signing keys.
    keys: IssuerKeys,
}

/// Where an issuer's keys come from.
#[derive(Debug)]
enum IssuerKeys {
    /// A JWKS given at start.
    Fixed(Arc<Keys>),
    /// A JWKS URL, fetched again when due and on an unknown `kid`.
    Fetched(Arc<Remote>),
}

impl IssuerKeys {
    fn current(&self) -> Arc<Keys> {
        match self {
            IssuerKeys::Fixed(keys) => Arc::clone(keys),
            IssuerKeys::Fetched(remote) => remote.keys(),
        }
    }
}

/// The key named `kid` among `keys`.
fn find(keys: &Keys, kid: &str) -> Option<PublicKey> {
    keys.iter().find(|(k, _)| k == kid).map(|(_, key)| *key)
}

/// The authorization servers trusted and the audience their tokens must
/// name.
#[derive(Debug)]
pub struct OAuth {
    audience: String,
    issuers: Vec<TrustedIssuer>,
    /// Whether the tasks keeping fetched JWKS fresh were started.
    refreshing: AtomicBool,
}

/// A valid access token: who it was issued to and what it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    /// The authorization server (`iss`).
    pub issuer: String,
    /// The resource owner or client it was issued for (`sub`).
    pub subject: String,
    /// The client it was issued to (`client_id`).
    pub client_id: String,
    /// Its scopes (`scope`, split on spaces).
    pub scopes: Vec<String>,
}

impl AccessToken {
    /// Whether it has the scope `{action}:{tenant}`.
    pub fn allows(&self, scope: Scope, tenant: &str) -> bool {
        self.scopes.iter().any(|s| {
            s.split_once(':')
                .is_some_and(|(action, t)| action == scope.as_str() && t == tenant)
        })
    }

    /// The actor the audit log names: `oauth:{client_id}:{sub}`.
    pub fn actor(&self) -> String {
        format!("oauth:{}:{}", self.client_id, self.subject)
    }
}

/// At most 64 characters of `text`, for error details.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().take(64).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    format!("{out:?}")
}

impl OAuth {
    /// No issuer yet; tokens must name `audience` in `aud`.
    pub fn new(audience: impl Into<String>) -> Result<OAuth, ConfigError> {
        let audience = audience.into();
        if audience.is_empty() {
            return Err(ConfigError("the audience must not be empty".into()));
        }
        Ok(OAuth {
            audience,
            issuers: Vec::new(),
            refreshing: AtomicBool::new(false),
        })
    }

    /// The audience tokens must name.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// Trusts the tokens of `issuer` signed with a key of the JWKS in `file`.
    pub fn add_issuer_file(&mut self, issuer: &str, file: &Path) -> Result<(), ConfigError> {
        self.check_new(issuer)?;
        let keys = crate::jwks::read_file(issuer, file)?;
        self.push(issuer, IssuerKeys::Fixed(Arc::new(keys)));
        Ok(())
    }

    /// Trusts the tokens of `issuer` signed with a key of `jwks` (a JWK
    /// Set, RFC 7517 §5; what is left out or refused:
    /// [`crate::jwks::parse`]).
    pub fn add_issuer(&mut self, issuer: &str, jwks: &[u8]) -> Result<(), ConfigError> {
        self.check_new(issuer)?;
        let keys = crate::jwks::parse(issuer, jwks)?;
        self.push(issuer, IssuerKeys::Fixed(Arc::new(keys)));
        Ok(())
    }

    /// Trusts the tokens of `issuer` signed with a key of the JWKS at
    /// `source`, fetched now — this blocks up to
    /// [`crate::jwks::FETCH_TIMEOUT`]: call it before serving, off the async
    /// workers — and refused if that fails; then kept fresh in the
    /// background ([`OAuth::start_refresh`]).
    pub fn add_issuer_url(&mut self, issuer: &str, source: JwksUrl) -> Result<(), ConfigError> {
        self.check_new(issuer)?;
        let remote = Remote::fetch_now(issuer, source)?;
        self.push(issuer, IssuerKeys::Fetched(Arc::new(remote)));
        Ok(())
    }

    fn check_new(&self, issuer: &str) -> Result<(), ConfigError> {
        if issuer.is_empty() {
            return Err(ConfigError::new("an issuer must not be empty"));
        }
        if self.issuers.iter().any(|i| i.issuer == issuer) {
            return Err(ConfigError::new(format!("issuer {issuer:?} is given twice")));
        }
        Ok(())
    }

    fn push(&mut self, issuer: &str, keys: IssuerKeys) {
        self.issuers.push(TrustedIssuer {
            issuer: issuer.to_owned(),
            keys,
        });
    }

    /// Starts, on the current Tokio runtime, the tasks that fetch JWKS
    /// URLs again when due; once (later calls do nothing), and nothing
    /// outside a runtime. Each task ends when its issuer is dropped.
    pub fn start_refresh(&self) {
        if self.refreshing.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        for trusted in &self.issuers {
            if let IssuerKeys::Fetched(remote) = &trusted.keys {
                runtime.spawn(Remote::keep_fresh(Arc::downgrade(remote)));
            }
        }
    }

    /// The access token `token` if it is valid at `now` (the service's
    /// clock); why not otherwise. Scopes are the caller's to check. A
    /// `kid` missing from a fetched JWKS makes it fetched again first
    /// (rate-limited, [`crate::jwks::KID_MISS_INTERVAL`]).
    pub async fn validate(&self, token: &str, now: Timestamp) -> Result<AccessToken, TokenRejected> {
        self.start_refresh();
        if token.len() > MAX_TOKEN_BYTES {
            return Err(reject(format!(
                "the access token has {} bytes, more than {MAX_TOKEN_BYTES}",
                token.len()
            )));
        }
        let limits = Limits {
            max_bytes: MAX_TOKEN_BYTES,
            max_depth: 8,
        };
        let jwt = parse_signed_jwt(token, limits).map_err(|e| {
            if e.code() == ErrorCode::JoseAlgorithmUnsupported {
                // The library's detail names ES512 too, refused below.
                let alg = e.detail().split(" (").next().unwrap_or("alg");
                reject(format!("{alg} is not accepted: {ACCEPTED_ALGS}"))
            } else {
                reject(format!(
                    "the bearer token is not an accepted signed JWT: {}",
                    e.detail()
                ))
            }
        })?;
        if !matches!(jwt.alg, JwsAlgorithm::EdDsa | JwsAlgorithm::Es256 | JwsAlgorithm::Es384) {
            return Err(reject(format!(
                "alg {} is not accepted: {ACCEPTED_ALGS}",
                jwt.alg.as_str()
            )));
        }
        match jwt.typ() {
            Some(typ) if is_at_jwt(typ) => {}
            Some(typ) => return Err(reject(format!("typ {} is not at+jwt (RFC 9068 §2.1)", shown(typ)))),
            None => return Err(reject("typ is missing: an access token's is at+jwt (RFC 9068 §2.1)")),
        }
        let kid = match jwt.header.get("kid") {
            Some(Value::String(kid)) if !kid.is_empty() => kid.as_str(),
            _ => return Err(reject("kid is missing: it names the issuer's key")),
        };
        let claims = &jwt.payload;
        let iss = string_claim(claims, "iss")?;
        let Some(trusted) = self.issuers.iter().find(|i| i.issuer == iss) else {
            return Err(reject(format!(
                "iss {} is not a trusted authorization server",
                shown(iss)
            )));
        };
        let mut key = find(&trusted.keys.current(), kid);
        if let (None, IssuerKeys::Fetched(remote)) = (key, &trusted.keys) {
            // The authorization server may have rotated its keys.
            remote.refresh_on_unknown_kid().await;
            key = find(&remote.keys(), kid);
        }
        let Some(key) = key else {
            return Err(reject(format!("no key {} in the JWKS of {}", shown(kid), shown(iss))));
        };
        jwt.verify_signature(&key)
            .map_err(|e| reject(format!("the signature does not verify: {}", e.detail())))?;

        // The claims, once the signature holds.
        let now = now.unix_seconds();
        let exp = numeric_date(claims, "exp")?.ok_or_else(|| reject("exp is missing"))?;
        if exp <= now {
            return Err(reject("the access token has expired"));
        }
        let iat = numeric_date(claims, "iat")?.ok_or_else(|| reject("iat is missing (RFC 9068 §2.2)"))?;
        if iat > now.saturating_add(CLOCK_SKEW_SECONDS) {
            return Err(reject("the access token is issued in the future (iat)"));
        }
        if let Some(nbf) = numeric_date(claims, "nbf")? {
            if nbf > now.saturating_add(CLOCK_SKEW_SECONDS) {
                return Err(reject("the access token is not valid yet (nbf)"));
            }
        }
        let audience_named = match claims.get("aud") {
            Some(Value::String(aud)) => *aud == self.audience,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(&self.audience)),
            _ => return Err(reject("aud is missing or not a string or an array of strings")),
        };
        if !audience_named {
            return Err(reject(format!(
                "the access token is not for this service (aud does not name {})",
                shown(&self.audience)
            )));
        }
        let subject = string_claim(claims, "sub")?;
        let client_id = string_claim(claims, "client_id")?;
        let scopes = match claims.get("scope") {
            None => Vec::new(),
            Some(Value::String(scope)) => scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            Some(_) => return Err(reject("scope must be a string of space-separated scopes")),
        };
        Ok(AccessToken {
            issuer: iss.to_owned(),
            subject: subject.to_owned(),
            client_id: client_id.to_owned(),
            scopes,
        })
    }
}

/// `at+jwt` as `typ` writes it: `application/` may be left out, case is
/// ignored (RFC 7515 §4.1.9).
fn is_at_jwt(typ: &str) -> bool {
    let typ = typ.to_ascii_lowercase();
    typ == "at+jwt" || typ == "application/at+jwt"
}

/// The claim `name`: a non-empty string without control characters.
fn string_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str, TokenRejected> {
    match claims.get(name) {
        Some(Value::String(value)) if !value.is_empty() && !value.chars().any(char::is_control) => Ok(value),
        Some(_) => Err(reject(format!("{name} must be a non-empty string"))),
        None => Err(reject(format!("{name} is missing (RFC 9068 §2.2)"))),
    }
}

/// The NumericDate claim `name` in whole seconds, if present.
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, TokenRejected> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let seconds = match (value.as_i64(), value.as_f64()) {
        (Some(seconds), _) => seconds,
        // Fractions allowed (RFC 7519 §2); `as` saturates.
        (None, Some(seconds)) if seconds.is_finite() => seconds.floor() as i64,
        _ => return Err(reject(format!("{name} must be a number of seconds"))),
    };
    Ok(Some(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_an_action_and_a_tenant() {
        let token = AccessToken {
            issuer: "https://as.example".into(),
            subject: "alice".into(),
            client_id: "portal".into(),
            scopes: vec!["issue:mines".into(), "status".into(), "admin:registrar:x".into()],
        };
        assert!(token.allows(Scope::Issue, "mines"));
        assert!(!token.allows(Scope::Status, "mines"));
        assert!(!token.allows(Scope::Issue, "registrar"));
        assert!(!token.allows(Scope::Admin, "registrar"));
        assert_eq!(token.actor(), "oauth:portal:alice");
    }

    #[test]
    fn typ_is_at_jwt_in_either_form() {
        for typ in ["at+jwt", "AT+JWT", "application/at+jwt"] {
            assert!(is_at_jwt(typ), "{typ}");
        }
        for typ in ["JWT", "jwt", "vc+jwt", "application/jwt", "at+jwt "] {
            assert!(!is_at_jwt(typ), "{typ}");
        }
    }
}
