//! The signing keys of an authorization server: a JWK Set (RFC 7517 §5)
//! read from a file at start, or fetched from a URL and kept fresh.
//!
//! A JWKS URL is fetched through the library's one fetcher
//! ([`passerelle::net::fetch`]): the host looked up once, every address
//! checked (private, loopback and other special-purpose addresses refused
//! unless the operator allows the host explicitly), the connection made to
//! the addresses checked, the URL's host kept for TLS, a timeout
//! ([`FETCH_TIMEOUT`]), a size limit ([`MAX_JWKS_BYTES`]), no redirect, no
//! proxy. `https` only; plain `http` only to a host the operator allowed
//! that resolves to loopback addresses only (a test authorization server).
//!
//! The keys are fetched at start (a failure refuses the start), then again
//! in the background when the answer's `Cache-Control: max-age` runs out
//! (bounded to [[`MIN_REFRESH`], [`MAX_REFRESH`]], [`DEFAULT_REFRESH`]
//! without one), and when a token names a `kid` the set does not have — at
//! most once per [`KID_MISS_INTERVAL`], so tokens with made-up kids cannot
//! make the service hammer the authorization server. A failed fetch keeps
//! the last good keys and is logged (the URL and why, never a key).

use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use passerelle::crypto::{jwk, KeyAlgorithm, PublicKey};
use passerelle::json::{parse_object, Limits};
use passerelle::net::allow::AllowedHost;
use passerelle::net::fetch::{FetchError, Fetcher};
use serde_json::Value;

use crate::oauth::ConfigError;

/// The largest JWKS read (file or answer), in bytes.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;

/// How long a JWKS fetch may take, connection included.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// The shortest time between two scheduled fetches (a shorter
/// `max-age`, `no-cache` and `no-store` count as this), and the wait
/// after a failed one.
pub const MIN_REFRESH: Duration = Duration::from_secs(60);

/// The longest time between two scheduled fetches.
pub const MAX_REFRESH: Duration = Duration::from_secs(24 * 3600);

/// The time between two scheduled fetches when the answer has no `max-age`.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(3600);

/// The shortest time between two fetches caused by unknown `kid`s.
pub const KID_MISS_INTERVAL: Duration = Duration::from_secs(60);

/// An issuer's keys usable for access tokens, by `kid`.
pub type Keys = Vec<(String, PublicKey)>;

/// The keys of `jwks` (the JWKS of `issuer`) that can sign access tokens.
/// Keys without `kid`, and keys of types tokens here cannot be signed with
/// (RSA, symmetric, P-521), are left out with a warning; a private key, a
/// malformed key or a repeated `kid` is an error, and so is a set with no
/// usable key.
pub fn parse(issuer: &str, jwks: &[u8]) -> Result<Keys, ConfigError> {
    let set = parse_object(
        jwks,
        Limits {
            max_bytes: MAX_JWKS_BYTES,
            max_depth: 8,
        },
    )
    .map_err(|e| ConfigError::new(format!("the JWKS of {issuer:?} is not a JSON object: {}", e.detail())))?;
    let Some(Value::Array(entries)) = set.get("keys") else {
        return Err(ConfigError::new(format!(
            "the JWKS of {issuer:?} has no \"keys\" array"
        )));
    };
    let mut keys: Keys = Vec::new();
    for entry in entries {
        let Some(members) = entry.as_object() else {
            return Err(ConfigError::new(format!(
                "a key of the JWKS of {issuer:?} is not an object"
            )));
        };
        let kid = members.get("kid").and_then(Value::as_str).unwrap_or("");
        if members.contains_key("d") || members.contains_key("k") {
            return Err(ConfigError::new(format!(
                "the JWKS of {issuer:?} holds secret key material (key {kid:?}): give the public keys only"
            )));
        }
        let kty = members.get("kty").and_then(Value::as_str).unwrap_or("");
        if !matches!(kty, "OKP" | "EC") {
            tracing::warn!(
                issuer,
                kid,
                kty,
                "JWKS key left out: only EdDSA, ES256 and ES384 keys sign tokens here"
            );
            continue;
        }
        if kid.is_empty() {
            tracing::warn!(
                issuer,
                "JWKS key left out: it has no kid, which tokens name their key by"
            );
            continue;
        }
        // A key this service cannot verify tokens with (an encryption key,
        // a curve it does not take) is left out, not a reason to refuse the
        // set: refusing would keep the last set, and with it any key the
        // authorization server has since withdrawn.
        let key = match jwk::public_key(entry) {
            Ok(key) => key,
            Err(error) => {
                tracing::warn!(issuer, kid, reason = error.detail(), "JWKS key left out");
                continue;
            }
        };
        if !matches!(
            key.algorithm(),
            KeyAlgorithm::Ed25519 | KeyAlgorithm::P256 | KeyAlgorithm::P384
        ) {
            tracing::warn!(
                issuer,
                kid,
                "JWKS key left out: only EdDSA, ES256 and ES384 keys sign tokens here"
            );
            continue;
        }
        if keys.iter().any(|(k, _)| k == kid) {
            return Err(ConfigError::new(format!("the JWKS of {issuer:?} has two keys {kid:?}")));
        }
        keys.push((kid.to_owned(), key));
    }
    if keys.is_empty() {
        return Err(ConfigError::new(format!(
            "the JWKS of {issuer:?} has no Ed25519, P-256 or P-384 key with a kid"
        )));
    }
    Ok(keys)
}

/// Reads the JWKS file `file` of `issuer`.
pub fn read_file(issuer: &str, file: &std::path::Path) -> Result<Keys, ConfigError> {
    let failed = |e: &dyn std::fmt::Display| ConfigError::new(format!("JWKS {}: {e}", file.display()));
    let size = std::fs::metadata(file).map_err(|e| failed(&e))?.len();
    if size > MAX_JWKS_BYTES as u64 {
        return Err(failed(&format!("{size} bytes, more than {MAX_JWKS_BYTES}")));
    }
    let bytes = std::fs::read(file).map_err(|e| failed(&e))?;
    parse(issuer, &bytes).map_err(|e| ConfigError::new(format!("{} ({})", e.detail(), file.display())))
}

/// The time until the next scheduled fetch, from an answer's `max-age`.
pub fn refresh_after(max_age: Option<u64>) -> Duration {
    match max_age {
        None => DEFAULT_REFRESH,
        Some(seconds) => Duration::from_secs(seconds).clamp(MIN_REFRESH, MAX_REFRESH),
    }
}

/// Where a JWKS is fetched from: the URL and the fetcher bound to the
/// operator's address policy.
#[derive(Clone, Debug)]
pub struct JwksUrl {
    url: String,
    fetcher: Fetcher,
}

impl JwksUrl {
    /// The JWKS at `url`, fetched under the address policy, `allowed`
    /// being the hosts the operator allows at any address
    /// (`--oauth-allow-host`). `https` only; `http` only to an allowed host
    /// (which must then resolve to loopback addresses only).
    pub fn new(url: &str, allowed: &[AllowedHost]) -> Result<JwksUrl, ConfigError> {
        let fetcher = Fetcher::new(FETCH_TIMEOUT).allow_hosts(allowed.iter().cloned());
        let fetcher = if url.starts_with("https://") {
            fetcher
        } else if url.starts_with("http://") {
            if !fetcher.is_allowed_host(url) {
                return Err(ConfigError::new(format!(
                    "JWKS URL {url}: plain http is fetched only from a host given with --oauth-allow-host (on loopback); use https"
                )));
            }
            fetcher.plain_http_on_loopback(true)
        } else {
            return Err(ConfigError::new(format!("JWKS URL {url}: only https URLs are fetched")));
        };
        Ok(JwksUrl {
            url: url.to_owned(),
            fetcher,
        })
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Fetches and reads the JWKS of `issuer` (blocking, at most
    /// [`FETCH_TIMEOUT`]); its keys and when to fetch it again.
    fn fetch(&self, issuer: &str) -> Result<(Keys, Duration), ConfigError> {
        let accept = "application/jwk-set+json, application/json";
        let fetched = self
            .fetcher
            .get(&self.url, accept, MAX_JWKS_BYTES as u64)
            .map_err(|e| {
                let hint = match e {
                    FetchError::Refused(_) => {
                        " (a host of the operator's own network is allowed with --oauth-allow-host)"
                    }
                    _ => "",
                };
                ConfigError::new(format!("the JWKS of {issuer:?} at {}: {e}{hint}", self.url))
            })?;
        let keys =
            parse(issuer, fetched.body()).map_err(|e| ConfigError::new(format!("{} ({})", e.detail(), self.url)))?;
        Ok((keys, refresh_after(fetched.max_age())))
    }
}

/// The keys of an issuer whose JWKS is fetched from a URL, kept fresh.
#[derive(Debug)]
pub struct Remote {
    issuer: String,
    source: JwksUrl,
    /// The last good keys.
    keys: RwLock<Arc<Keys>>,
    /// When the next scheduled fetch is due.
    due: Mutex<Instant>,
    /// When an unknown `kid` last caused a fetch; held while that fetch
    /// runs, so that tokens arriving meanwhile wait for its keys.
    last_miss: tokio::sync::Mutex<Option<Instant>>,
}

impl Remote {
    /// Fetches the keys of `issuer` from `source` now (blocking, at most
    /// [`FETCH_TIMEOUT`]): the start of the service, refused on failure.
    pub fn fetch_now(issuer: &str, source: JwksUrl) -> Result<Remote, ConfigError> {
        let (keys, after) = source.fetch(issuer)?;
        tracing::info!(issuer, url = source.url(), keys = keys.len(), "JWKS fetched");
        Ok(Remote {
            issuer: issuer.to_owned(),
            source,
            keys: RwLock::new(Arc::new(keys)),
            due: Mutex::new(Instant::now() + after),
            last_miss: tokio::sync::Mutex::new(None),
        })
    }

    /// The keys as last fetched.
    pub fn keys(&self) -> Arc<Keys> {
        Arc::clone(&self.keys.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn until_due(&self) -> Duration {
        let due = *self.due.lock().unwrap_or_else(|e| e.into_inner());
        due.saturating_duration_since(Instant::now())
    }

    /// Fetches the keys again (off the async workers); on failure the last
    /// good keys stay and the next scheduled fetch is [`MIN_REFRESH`] away.
    async fn refresh(self: &Arc<Self>, why: &'static str) {
        let this = Arc::clone(self);
        let fetched = tokio::task::spawn_blocking(move || this.source.fetch(&this.issuer)).await;
        let next = match fetched {
            Ok(Ok((keys, after))) => {
                tracing::info!(
                    issuer = %self.issuer,
                    url = self.source.url(),
                    why,
                    keys = keys.len(),
                    next_in_seconds = after.as_secs(),
                    "JWKS fetched again"
                );
                *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
                after
            }
            Ok(Err(error)) => {
                tracing::warn!(issuer = %self.issuer, why, %error, "JWKS fetch failed; the last keys stay in use");
                MIN_REFRESH
            }
            Err(error) => {
                tracing::warn!(issuer = %self.issuer, why, %error, "JWKS fetch stopped; the last keys stay in use");
                MIN_REFRESH
            }
        };
        *self.due.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now() + next;
    }

    /// A token named a `kid` the keys do not have: fetches them again,
    /// unless an unknown `kid` caused a fetch less than
    /// [`KID_MISS_INTERVAL`] ago.
    pub async fn refresh_on_unknown_kid(self: &Arc<Self>) {
        let mut last = self.last_miss.lock().await;
        if last.is_some_and(|at| at.elapsed() < KID_MISS_INTERVAL) {
            tracing::debug!(issuer = %self.issuer, "unknown kid: the JWKS was fetched for one less than 60 s ago");
            return;
        }
        *last = Some(Instant::now());
        self.refresh("a token named an unknown kid").await;
    }

    /// Fetches the keys whenever they are due, until `remote` is dropped
    /// (the task holds it only while fetching).
    pub async fn keep_fresh(remote: Weak<Remote>) {
        loop {
            let Some(wait) = remote.upgrade().map(|r| r.until_due()) else {
                return;
            };
            tokio::time::sleep(wait).await;
            let Some(remote) = remote.upgrade() else {
                return;
            };
            // A fetch for an unknown kid may have moved the date meanwhile.
            if remote.until_due().is_zero() {
                remote.refresh("scheduled").await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_bounded_and_defaults_to_an_hour() {
        assert_eq!(refresh_after(None), DEFAULT_REFRESH);
        assert_eq!(refresh_after(Some(0)), MIN_REFRESH);
        assert_eq!(refresh_after(Some(59)), MIN_REFRESH);
        assert_eq!(refresh_after(Some(600)), Duration::from_secs(600));
        assert_eq!(refresh_after(Some(86_401)), MAX_REFRESH);
        assert_eq!(refresh_after(Some(u64::MAX)), MAX_REFRESH);
    }

    #[test]
    fn only_https_and_allowed_plain_http_urls_are_taken() {
        let allowed = [AllowedHost::parse("127.0.0.1:8443").unwrap()];
        assert!(JwksUrl::new("https://login.example/jwks", &[]).is_ok());
        assert!(JwksUrl::new("http://127.0.0.1:8443/jwks", &allowed).is_ok());
        for refused in [
            "http://127.0.0.1:8443/jwks",
            "http://login.example/jwks",
            "ftp://login.example/jwks",
            "file:///etc/jwks.json",
        ] {
            let error = JwksUrl::new(refused, &[]).unwrap_err();
            assert!(error.detail().contains(refused), "{error}");
        }
        assert!(JwksUrl::new("http://127.0.0.1:9/jwks", &allowed).is_err());
    }

    #[test]
    fn a_jwks_with_private_keys_or_no_usable_key_is_refused() {
        let key = passerelle::crypto::Ed25519KeyPair::from_seed(&[5; 32]);
        let mut public = passerelle::crypto::Signer::public_key(&key).to_jwk();
        public["kid"] = "k1".into();
        let mut private = public.clone();
        private["d"] = "AAAA".into();
        let set = |keys: Vec<Value>| serde_json::json!({ "keys": keys }).to_string();
        let issuer = "https://as.example";
        assert!(parse(issuer, set(vec![private]).as_bytes()).is_err());
        let rsa = serde_json::json!({"kty": "RSA", "kid": "r", "n": "AQAB", "e": "AQAB"});
        assert!(parse(issuer, set(vec![rsa.clone()]).as_bytes()).is_err());
        assert!(parse(issuer, set(vec![public.clone(), public.clone()]).as_bytes()).is_err());
        assert!(parse(issuer, b"{\"keys\":[],\"keys\":[]}").is_err());
        let keys = parse(issuer, set(vec![rsa, public.clone()]).as_bytes()).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].0, "k1");
        // Keys it cannot verify with beside a usable one: left out (an
        // outside review saw one encryption key make every refresh fail,
        // so a withdrawn key stayed trusted).
        let p256 = passerelle::crypto::P256KeyPair::from_secret_bytes(&[6; 32]).unwrap();
        let mut encryption = passerelle::crypto::Signer::public_key(&p256).to_jwk();
        encryption["kid"] = "e1".into();
        encryption["use"] = "enc".into();
        encryption["alg"] = "ECDH-ES".into();
        let x25519 = serde_json::json!({"kty": "OKP", "crv": "X25519", "kid": "x", "x": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"});
        let keys = parse(issuer, set(vec![encryption.clone(), x25519.clone(), public]).as_bytes()).unwrap();
        let kids: Vec<&str> = keys.iter().map(|(kid, _)| kid.as_str()).collect();
        assert_eq!(kids, ["k1"]);
        assert!(parse(issuer, set(vec![encryption, x25519]).as_bytes()).is_err());
    }
}
