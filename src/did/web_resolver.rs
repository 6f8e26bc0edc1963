//! Resolving `did:web` and `did:webvh` over HTTPS (feature `native`): the
//! DID's URL (port, path, percent-encoding per each method), a timeout, a
//! response size limit, no redirects, private and loopback addresses refused
//! unless the caller allows them (SSRF), and a cache. A `did:webvh` log is
//! verified entry by entry ([`super::webvh::resolve_log`]) at the current time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{web, DidDocument, DidResolver};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::net::address;
use crate::net::resolve::{HostResolver, SystemResolver};

/// Largest DID document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024;
/// Largest `did:webvh` log accepted, in bytes.
pub const MAX_LOG_BYTES: u64 = super::webvh::MAX_LOG_BYTES as u64;

/// A `did:web` resolver over HTTPS.
///
/// ```no_run
/// use std::time::Duration;
/// use passerelle::did::{web_resolver::WebResolver, DidResolver};
/// let resolver = WebResolver::new(Duration::from_secs(5));
/// let document = resolver.resolve("did:web:issuer.example")?;
/// # Ok::<(), passerelle::Error>(())
/// ```
pub struct WebResolver {
    agent: ureq::Agent,
    hosts: Arc<dyn HostResolver>,
    allow_private: bool,
    plain_http_on_loopback: bool,
    ttl: Duration,
    cache: Mutex<HashMap<String, (DidDocument, Instant)>>,
}

impl std::fmt::Debug for WebResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebResolver")
            .field("allow_private", &self.allow_private)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

fn unavailable(did: &str, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::DidNotFound, format!("{did}: {why}"))
}

impl WebResolver {
    /// A resolver that gives up after `timeout` and caches documents for
    /// five minutes.
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        WebResolver {
            agent: config.into(),
            hosts: Arc::new(SystemResolver),
            allow_private: false,
            plain_http_on_loopback: false,
            ttl: Duration::from_secs(300),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Allows hosts that resolve to private or loopback addresses (an
    /// intranet deployment, or tests).
    pub fn allow_private_addresses(mut self, allow: bool) -> Self {
        self.allow_private = allow;
        self
    }

    /// Fetches over plain HTTP, only from hosts that resolve to loopback
    /// addresses: for tests against a local server. Never in production.
    pub fn plain_http_on_loopback(mut self, allow: bool) -> Self {
        self.plain_http_on_loopback = allow;
        self
    }

    /// Resolves host names with `hosts` instead of the system resolver.
    pub fn with_host_resolver(mut self, hosts: Arc<dyn HostResolver>) -> Self {
        self.hosts = hosts;
        self
    }

    /// How long a resolved document is reused.
    pub fn cache_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// GETs `url` (for `did`, or any other name used in errors), enforcing
    /// the address policy, and returns at most `limit` bytes of a 200 answer.
    pub(crate) fn get(&self, did: &str, url: &str, limit: u64) -> Result<Vec<u8>> {
        let authority = url.trim_start_matches("https://").split('/').next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| unavailable(did, "bad port"))?),
            None => (authority, 443),
        };
        let addresses: Vec<IpAddr> = self
            .hosts
            .resolve(host, port)
            .map_err(|e| unavailable(did, e))?
            .into_iter()
            .map(|a| a.ip())
            .collect();
        if addresses.is_empty() {
            return Err(unavailable(did, "the host has no address"));
        }
        if !self.allow_private {
            if let Some(refusal) = addresses.iter().find_map(|ip| address::check(*ip).err()) {
                return Err(unavailable(did, format!("{host}: {refusal}")));
            }
        }
        let all_loopback = addresses.iter().all(IpAddr::is_loopback);
        let url = if self.plain_http_on_loopback && all_loopback {
            url.replacen("https://", "http://", 1)
        } else {
            url.to_owned()
        };
        let mut response = self
            .agent
            .get(&url)
            .header("Accept", "application/did+json, application/json, text/jsonl")
            .call()
            .map_err(|e| unavailable(did, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(unavailable(did, format!("{url} answered {status}")));
        }
        response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| Error::new(ErrorCode::DidDocumentInvalid, format!("{url}: {e}")))
    }

    fn fetch(&self, did: &str) -> Result<DidDocument> {
        if super::method_of(did)? == "webvh" {
            let url = super::webvh::log_url(did)?;
            let bytes = self.get(did, &url, MAX_LOG_BYTES)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::new(ErrorCode::DidLogInvalid, format!("{url}: not UTF-8")))?;
            let resolved =
                super::webvh::resolve_log(did, &text, crate::Timestamp::now(), &super::webvh::VersionQuery::Latest)?;
            return Ok(resolved.document);
        }
        let url = web::document_url(did)?;
        let bytes = self.get(did, &url, MAX_DOCUMENT_BYTES)?;
        let limits = Limits {
            max_bytes: MAX_DOCUMENT_BYTES as usize,
            max_depth: 16,
        };
        let value = json::parse_strict(&bytes, limits)
            .map_err(|e| Error::new(ErrorCode::DidDocumentInvalid, format!("{url}: {e}")))?;
        let document = DidDocument::from_json(value)?;
        if document.id() != did {
            return Err(Error::new(
                ErrorCode::DidDocumentInvalid,
                format!("{url} holds the document of {}", document.id()),
            ));
        }
        Ok(document)
    }
}

impl DidResolver for WebResolver {
    fn resolve(&self, did: &str) -> Result<DidDocument> {
        if !matches!(super::method_of(did)?, "web" | "webvh") {
            return Err(Error::new(
                ErrorCode::DidNotFound,
                format!("{did}: this resolver reads did:web and did:webvh only"),
            ));
        }
        if let Some((document, at)) = self.cache.lock().ok().and_then(|c| c.get(did).cloned()) {
            if at.elapsed() < self.ttl {
                return Ok(document);
            }
        }
        let document = self.fetch(did)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(did.to_owned(), (document.clone(), Instant::now()));
        }
        Ok(document)
    }
}
