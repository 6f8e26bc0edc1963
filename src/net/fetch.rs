//! One HTTP GET under the address policy (feature `native`): the client
//! every fetch on behalf of a credential or of an operator's configuration
//! goes through — `did:web` documents and logs, controlled identifier
//! documents, status lists, and callers of the public API such as the
//! issuer service's OAuth JWKS.
//!
//! A [`Fetcher`] looks each host up once, checks every address
//! ([`super::resolve`]: non-public addresses refused unless the host is
//! allowed explicitly), connects to exactly those addresses and keeps the
//! URL's host for TLS. It gives up after its timeout, reads at most the
//! caller's limit, follows no redirect and uses no proxy (a proxy would
//! resolve the host itself, after the check).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::allow::AllowedHost;
use super::resolve::{CheckedResolver, HostResolver, Policy, Refusal, SystemResolver};
use crate::error::{Error, ErrorCode, Result};

/// An HTTPS client bound to an address policy.
///
/// ```no_run
/// use std::time::Duration;
/// use passerelle::net::fetch::Fetcher;
/// let fetcher = Fetcher::new(Duration::from_secs(5));
/// let answer = fetcher.get("https://login.example/jwks.json", "application/json", 64 * 1024)?;
/// println!("{} bytes, max-age {:?}", answer.body().len(), answer.max_age());
/// # Ok::<(), passerelle::net::fetch::FetchError>(())
/// ```
#[derive(Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    /// The agent for the hosts on the allow-list when extra roots are
    /// given: it trusts those roots only.
    allowed_agent: Option<ureq::Agent>,
    /// Roots trusted for the hosts on the allow-list.
    roots: Vec<ureq::tls::Certificate<'static>>,
    timeout: Duration,
    hosts: Arc<dyn HostResolver>,
    policy: Policy,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher")
            .field("timeout", &self.timeout)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// A 200 answer, read whole within the limit.
#[derive(Clone, Debug)]
pub struct Fetched {
    body: Vec<u8>,
    cache_control: Option<String>,
}

impl Fetched {
    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, taken.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The `Cache-Control` header, if one was sent.
    pub fn cache_control(&self) -> Option<&str> {
        self.cache_control.as_deref()
    }

    /// How long the answer may be reused, in seconds, by its
    /// `Cache-Control` (RFC 9111 §5.2.2): `Some(0)` for `no-store` or
    /// `no-cache`, the `max-age` value otherwise, `None` when it says
    /// neither (or the value is not a number).
    pub fn max_age(&self) -> Option<u64> {
        let value = self.cache_control.as_deref()?;
        let mut max_age = None;
        for directive in value.split(',') {
            let directive = directive.trim();
            let (name, argument) = match directive.split_once('=') {
                Some((name, argument)) => (name.trim(), Some(argument.trim().trim_matches('"'))),
                None => (directive, None),
            };
            if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
                return Some(0);
            }
            if name.eq_ignore_ascii_case("max-age") {
                // A value too large for u64 is as good as forever.
                max_age = argument
                    .filter(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()))
                    .map(|a| a.parse::<u64>().unwrap_or(u64::MAX));
            }
        }
        max_age
    }
}

/// Why a fetch failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum FetchError {
    /// Refused before any connection by the address policy (a host with a
    /// non-public address, plain HTTP to a host that is not loopback, a
    /// host without an address).
    Refused(String),
    /// The host could not be reached, or did not answer in time.
    Unreachable(String),
    /// It answered with another status than 200.
    Status {
        /// The URL asked.
        url: String,
        /// The status it answered.
        status: u16,
    },
    /// The body is larger than the caller's limit.
    TooLarge {
        /// The URL asked.
        url: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body could not be read.
    Body {
        /// The URL asked.
        url: String,
        /// Why.
        why: String,
    },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Refused(why) | FetchError::Unreachable(why) => f.write_str(why),
            FetchError::Status { url, status } => write!(f, "{url} answered {status}"),
            FetchError::TooLarge { url, limit } => write!(f, "{url}: the body is larger than {limit} bytes"),
            FetchError::Body { url, why } => write!(f, "{url}: {why}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// The agent's settings: one timeout for the whole request, statuses read
/// as answers, no redirects, and no proxy.
fn agent_config(timeout: Duration, roots: Option<&[ureq::tls::Certificate<'static>]>) -> ureq::config::Config {
    let tls = match roots {
        Some(roots) => ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(roots))
            .build(),
        None => ureq::tls::TlsConfig::default(),
    };
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build()
}

/// An agent whose every connection goes to addresses `hosts` gave and
/// `policy` admitted.
fn agent(config: ureq::config::Config, hosts: &Arc<dyn HostResolver>, policy: Policy) -> ureq::Agent {
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new(),
        CheckedResolver::new(hosts.clone(), policy),
    )
}

impl Fetcher {
    /// A fetcher that gives up after `timeout`, reaches public addresses
    /// only, over HTTPS with the public roots.
    pub fn new(timeout: Duration) -> Self {
        let hosts: Arc<dyn HostResolver> = Arc::new(SystemResolver);
        let policy = Policy::default();
        Fetcher {
            agent: agent(agent_config(timeout, None), &hosts, policy.clone()),
            allowed_agent: None,
            roots: Vec::new(),
            timeout,
            hosts,
            policy,
        }
    }

    /// Allows hosts that resolve to private or loopback addresses (an
    /// intranet deployment, or tests).
    pub fn allow_private_addresses(mut self, allow: bool) -> Self {
        self.policy.allow_private = allow;
        self.rebuild()
    }

    /// Allows `hosts` at any address they resolve to, private and loopback
    /// included. A host matches an entry exactly, ASCII case aside, and on
    /// the entry's port when it names one ([`AllowedHost`]); every other
    /// host keeps the address checks.
    pub fn allow_hosts(mut self, hosts: impl IntoIterator<Item = AllowedHost>) -> Self {
        self.policy.allowed_hosts.extend(hosts);
        self.rebuild()
    }

    /// Whether the host and port of `url` are on the allow-list
    /// ([`Fetcher::allow_hosts`]).
    pub fn is_allowed_host(&self, url: &str) -> bool {
        let Ok(uri) = url.parse::<ureq::http::Uri>() else {
            return false;
        };
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("http") { 80 } else { 443 });
        uri.host()
            .is_some_and(|host| self.policy.allowed_hosts.iter().any(|a| a.matches(host, port)))
    }

    /// Trusts the root certificates of `pem` (one or more `CERTIFICATE`
    /// blocks) for the hosts allowed with [`Fetcher::allow_hosts`], in
    /// place of the public roots; other hosts keep the public roots.
    /// `OPTION_INVALID` when `pem` holds no certificate or cannot be read.
    pub fn trust_roots_for_allowed_hosts(mut self, pem: &[u8]) -> Result<Self> {
        let mut found = 0;
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => {
                    self.roots.push(cert);
                    found += 1;
                }
                Ok(_) => {}
                Err(e) => return Err(Error::new(ErrorCode::OptionInvalid, format!("a CA certificate: {e}"))),
            }
        }
        if found == 0 {
            return Err(Error::new(
                ErrorCode::OptionInvalid,
                "a CA certificate file holds no PEM CERTIFICATE block",
            ));
        }
        Ok(self.rebuild())
    }

    /// Allows `http://` URLs, only to hosts whose addresses are all
    /// loopback (any other host is refused): for tests against a local
    /// server. Never in production.
    pub fn plain_http_on_loopback(mut self, allow: bool) -> Self {
        self.policy.plain_http_on_loopback = allow;
        self.rebuild()
    }

    /// Whether [`Fetcher::plain_http_on_loopback`] was set.
    pub fn allows_plain_http_on_loopback(&self) -> bool {
        self.policy.plain_http_on_loopback
    }

    /// Whether [`Fetcher::allow_private_addresses`] was set.
    pub fn allows_private_addresses(&self) -> bool {
        self.policy.allow_private
    }

    /// Resolves host names with `hosts` instead of the system resolver.
    /// Each fetch looks its host up once; every address must pass
    /// [`crate::net::address::check`] (unless private addresses are
    /// allowed) and the connection goes to those addresses only.
    pub fn with_host_resolver(mut self, hosts: Arc<dyn HostResolver>) -> Self {
        self.hosts = hosts;
        self.rebuild()
    }

    /// Connects through `connector` (tests: a connector that refuses
    /// non-loopback targets before opening a socket). The other settings
    /// rebuild the agent with the default connector: set this one last.
    #[cfg(test)]
    pub(crate) fn with_connector(mut self, connector: impl ureq::unversioned::transport::Connector) -> Self {
        let resolver = CheckedResolver::new(self.hosts.clone(), self.policy.clone());
        self.agent = ureq::Agent::with_parts(self.agent.config().clone(), connector, resolver);
        self
    }

    fn rebuild(mut self) -> Self {
        self.agent = agent(agent_config(self.timeout, None), &self.hosts, self.policy.clone());
        self.allowed_agent = (!self.roots.is_empty()).then(|| {
            agent(
                agent_config(self.timeout, Some(&self.roots)),
                &self.hosts,
                self.policy.clone(),
            )
        });
        self
    }

    /// The agent for `url`: the one trusting the extra roots when its host
    /// is on the allow-list and extra roots were given.
    fn agent_for(&self, url: &str) -> &ureq::Agent {
        match &self.allowed_agent {
            Some(allowed) if self.is_allowed_host(url) => allowed,
            _ => &self.agent,
        }
    }

    /// GETs `url` with `Accept: accept` under the address policy, and
    /// returns a 200 answer of at most `limit` bytes.
    pub fn get(&self, url: &str, accept: &str, limit: u64) -> std::result::Result<Fetched, FetchError> {
        let mut response =
            self.agent_for(url)
                .get(url)
                .header("Accept", accept)
                .call()
                .map_err(|e| match Refusal::of(&e) {
                    Some(refusal) => FetchError::Refused(refusal.to_string()),
                    None => FetchError::Unreachable(e.to_string()),
                })?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(FetchError::Status {
                url: url.to_owned(),
                status,
            });
        }
        let cache_control = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                    url: url.to_owned(),
                    limit,
                },
                e => FetchError::Body {
                    url: url.to_owned(),
                    why: e.to_string(),
                },
            })?;
        Ok(Fetched { body, cache_control })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(cache_control: Option<&str>) -> Fetched {
        Fetched {
            body: Vec::new(),
            cache_control: cache_control.map(str::to_owned),
        }
    }

    #[test]
    fn max_age_reads_cache_control() {
        assert_eq!(with(Some("public, max-age=600")).max_age(), Some(600));
        assert_eq!(with(Some("Max-Age=\"30\"")).max_age(), Some(30));
        assert_eq!(with(Some("max-age=600, no-cache")).max_age(), Some(0));
        assert_eq!(with(Some("no-store")).max_age(), Some(0));
        assert_eq!(with(Some("max-age=99999999999999999999999")).max_age(), Some(u64::MAX));
        for unread in [
            None,
            Some("public"),
            Some("max-age=-1"),
            Some("max-age="),
            Some("max-age=1h"),
        ] {
            assert_eq!(with(unread).max_age(), None, "{unread:?}");
        }
    }

    #[test]
    fn the_allow_list_is_matched_on_host_and_port() {
        let fetcher = Fetcher::new(Duration::from_secs(1)).allow_hosts([
            AllowedHost::parse("127.0.0.1:8443").unwrap(),
            AllowedHost::parse("idp.example").unwrap(),
        ]);
        assert!(fetcher.is_allowed_host("https://127.0.0.1:8443/jwks"));
        assert!(fetcher.is_allowed_host("http://IDP.example/jwks"));
        assert!(!fetcher.is_allowed_host("https://127.0.0.1/jwks"));
        assert!(!fetcher.is_allowed_host("https://a.idp.example/jwks"));
        assert!(!fetcher.is_allowed_host("not a url"));
    }
}
