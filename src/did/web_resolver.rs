//! Resolving `did:web` and `did:webvh` over HTTPS (feature `native`), and
//! the controlled identifier documents of controllers identified by an
//! `https` URL (fetched from that URL): the
//! DID's URL (port, path, percent-encoding per each method), a timeout, a
//! response size limit, no redirects, no proxy, hosts with any non-public
//! address refused unless the caller allows them (SSRF: each host is looked
//! up once and the connection goes to the addresses checked: the
//! library's one fetcher, [`crate::net::fetch`]), and a cache. A `did:webvh` log is
//! verified entry by entry ([`super::webvh::verify_log`]) and answers with
//! the version in force at the time asked (the time of verification).
//!
//! The cache is a transport concern, not a verification input: what it
//! holds (a `did:web` document, a verified `did:webvh` log) does not depend
//! on the time of verification, and how long it is reused is measured on
//! the monotonic clock (`Instant`), never compared with that time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::webvh::VerifiedLog;
use super::{web, DidDocument, DidResolver};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::net::allow::AllowedHost;
use crate::net::fetch::{FetchError, Fetcher};
use crate::net::resolve::HostResolver;

/// Largest DID document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024;
/// Largest `did:webvh` log accepted, in bytes.
pub const MAX_LOG_BYTES: u64 = super::webvh::MAX_LOG_BYTES as u64;

/// A `did:web` resolver over HTTPS.
///
/// ```no_run
/// use std::time::Duration;
/// use passerelle::did::{web_resolver::WebResolver, DidResolver};
/// use passerelle::Timestamp;
/// let resolver = WebResolver::new(Duration::from_secs(5));
/// let at = Timestamp::parse("2026-11-23T12:00:00Z")?;
/// let document = resolver.resolve("did:web:issuer.example", at)?;
/// # Ok::<(), passerelle::Error>(())
/// ```
pub struct WebResolver {
    /// The HTTP client, with its address policy.
    fetcher: Fetcher,
    ttl: Duration,
    /// What was fetched, by DID, and when (monotonic: only to expire it).
    cache: Mutex<HashMap<String, (Fetched, Instant)>>,
}

/// A fetched and checked answer, valid at any time of verification.
#[derive(Clone, Debug)]
enum Fetched {
    /// A `did:web` document.
    Document(DidDocument),
    /// A `did:webvh` log, every entry verified.
    Log(Arc<VerifiedLog>),
}

impl Fetched {
    /// The document in force at `time`.
    fn at(&self, time: crate::Timestamp) -> Result<DidDocument> {
        match self {
            Fetched::Document(document) => Ok(document.clone()),
            Fetched::Log(log) => log.document_at(time),
        }
    }
}

impl std::fmt::Debug for WebResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebResolver")
            .field("allow_private", &self.fetcher.allows_private_addresses())
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
        WebResolver {
            fetcher: Fetcher::new(timeout),
            ttl: Duration::from_secs(300),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Allows hosts that resolve to private or loopback addresses (an
    /// intranet deployment, or tests).
    pub fn allow_private_addresses(mut self, allow: bool) -> Self {
        self.fetcher = self.fetcher.allow_private_addresses(allow);
        self
    }

    /// Allows `hosts` at any address they resolve to, private and loopback
    /// included (`--allow-host`: an intranet, or a test suite serving on
    /// 127.0.0.1). A host matches an entry exactly, ASCII case aside, and on
    /// the entry's port when it names one ([`AllowedHost`]); every other host
    /// keeps the address checks.
    pub fn allow_hosts(mut self, hosts: impl IntoIterator<Item = AllowedHost>) -> Self {
        self.fetcher = self.fetcher.allow_hosts(hosts);
        self
    }

    /// Trusts the root certificates of `pem` (one or more `CERTIFICATE`
    /// blocks) for the hosts allowed with [`WebResolver::allow_hosts`], in
    /// place of the public roots; other hosts keep the public roots.
    /// `OPTION_INVALID` when `pem` holds no certificate or cannot be read.
    pub fn trust_roots_for_allowed_hosts(mut self, pem: &[u8]) -> Result<Self> {
        self.fetcher = self.fetcher.trust_roots_for_allowed_hosts(pem)?;
        Ok(self)
    }

    /// Fetches over plain HTTP, only from hosts whose addresses are all
    /// loopback (any other host is refused): for tests against a local
    /// server. Never in production.
    pub fn plain_http_on_loopback(mut self, allow: bool) -> Self {
        self.fetcher = self.fetcher.plain_http_on_loopback(allow);
        self
    }

    /// Resolves host names with `hosts` instead of the system resolver.
    /// Each fetch looks its host up once; every address must pass
    /// [`crate::net::address::check`] (unless private addresses are
    /// allowed) and the connection goes to those addresses only.
    pub fn with_host_resolver(mut self, hosts: Arc<dyn HostResolver>) -> Self {
        self.fetcher = self.fetcher.with_host_resolver(hosts);
        self
    }

    /// Connects through `connector` (tests: a connector that refuses
    /// non-loopback targets before opening a socket). The other settings
    /// rebuild the agent with the default connector: set this one last.
    #[cfg(test)]
    pub(crate) fn with_connector(mut self, connector: impl ureq::unversioned::transport::Connector) -> Self {
        self.fetcher = self.fetcher.with_connector(connector);
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
        // The fetcher's resolver refuses plain HTTP to any host that is not
        // loopback only.
        let url = if self.fetcher.allows_plain_http_on_loopback() {
            url.replacen("https://", "http://", 1)
        } else {
            url.to_owned()
        };
        let accept = "application/did+json, application/json, text/jsonl";
        match self.fetcher.get(&url, accept, limit) {
            Ok(fetched) => Ok(fetched.into_body()),
            Err(e @ (FetchError::TooLarge { .. } | FetchError::Body { .. })) => {
                Err(Error::new(ErrorCode::DidDocumentInvalid, e.to_string()))
            }
            Err(e) => Err(unavailable(did, e)),
        }
    }

    fn fetch(&self, did: &str) -> Result<Fetched> {
        // A controller identified by an https URL: its controlled
        // identifier document is at that URL (Controlled Identifiers §3.3 step 4).
        let is_url = did.starts_with("https://");
        if !is_url && super::method_of(did)? == "webvh" {
            let url = super::webvh::log_url(did)?;
            let bytes = self.get(did, &url, MAX_LOG_BYTES)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::new(ErrorCode::DidLogInvalid, format!("{url}: not UTF-8")))?;
            return Ok(Fetched::Log(Arc::new(super::webvh::verify_log(did, &text)?)));
        }
        let url = if is_url {
            did.to_owned()
        } else {
            web::document_url(did)?
        };
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
        Ok(Fetched::Document(document))
    }
}

impl DidResolver for WebResolver {
    /// A `did:web` document (it has no history: the same at every time),
    /// the version of a `did:webvh` in force at `time`, or the controlled
    /// identifier document of a controller identified by an `https` URL.
    fn resolve(&self, did: &str, time: crate::Timestamp) -> Result<DidDocument> {
        let is_url = did.starts_with("https://");
        if is_url {
            super::validate_controller_id(did)?;
        } else if !matches!(super::method_of(did)?, "web" | "webvh") {
            return Err(Error::new(
                ErrorCode::DidNotFound,
                format!("{did}: this resolver reads did:web, did:webvh and https controllers only"),
            ));
        }
        // Freshness of the cache: the monotonic clock, a transport concern
        // (how often to fetch again), never the time of verification.
        if let Some((fetched, at)) = self.cache.lock().ok().and_then(|c| c.get(did).cloned()) {
            if at.elapsed() < self.ttl {
                return fetched.at(time);
            }
        }
        let fetched = self.fetch(did)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(did.to_owned(), (fetched.clone(), Instant::now()));
        }
        fetched.at(time)
    }
}

#[cfg(test)]
mod tests {
    //! The fetch goes to the addresses that were checked: resolvers that
    //! answer differently from one lookup to the next, and a connector that
    //! refuses every non-loopback target before a socket is opened, so no
    //! test sends a packet beyond 127.0.0.1.

    use super::*;
    use std::io::{self, BufRead as _, BufReader, Write as _};
    use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use ureq::unversioned::transport::{ConnectionDetails, Connector, TcpConnector};

    /// Answers `first` on the first lookup and `then` on every later one.
    struct Rebinding {
        first: Vec<IpAddr>,
        then: Vec<IpAddr>,
        lookups: AtomicUsize,
    }

    impl Rebinding {
        fn new(first: &[&str], then: &[&str]) -> Arc<Self> {
            let parse = |list: &[&str]| list.iter().map(|ip| ip.parse().unwrap()).collect();
            Arc::new(Rebinding {
                first: parse(first),
                then: parse(then),
                lookups: AtomicUsize::new(0),
            })
        }
    }

    impl HostResolver for Rebinding {
        fn resolve(&self, _host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
            let answer = if self.lookups.fetch_add(1, Ordering::SeqCst) == 0 {
                &self.first
            } else {
                &self.then
            };
            Ok(answer.iter().map(|ip| SocketAddr::new(*ip, port)).collect())
        }
    }

    /// Records the targets ureq is about to connect to and refuses any set
    /// with a non-loopback address, before the TCP connector runs.
    #[derive(Clone, Debug, Default)]
    struct LoopbackOnly {
        targets: Arc<Mutex<Vec<SocketAddr>>>,
    }

    impl Connector<()> for LoopbackOnly {
        type Out = ();

        fn connect(
            &self,
            details: &ConnectionDetails,
            chained: Option<()>,
        ) -> std::result::Result<Option<()>, ureq::Error> {
            let targets: Vec<SocketAddr> = details.addrs.iter().copied().collect();
            self.targets.lock().unwrap().extend(&targets);
            if targets.iter().all(|a| a.ip().is_loopback()) {
                Ok(chained)
            } else {
                Err(ureq::Error::Io(io::Error::other("the test connects to loopback only")))
            }
        }
    }

    /// A loopback HTTP server answering every request with `body(port)`, one
    /// connection after the other; returns its port and the number of
    /// connections it accepted.
    fn serve(body: impl Fn(u16) -> String + Send + 'static) -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                let body = body(port);
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (port, accepted)
    }

    /// The number of connections the server at `port` accepted before this
    /// call: a probe connection is answered only after every earlier one.
    fn connections(port: u16, accepted: &AtomicUsize) -> usize {
        let mut probe = std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        probe.write_all(b"GET /probe HTTP/1.1\r\n\r\n").unwrap();
        let _ = io::Read::read_to_end(&mut probe, &mut Vec::new());
        accepted.load(Ordering::SeqCst) - 1
    }

    /// The time of every resolution here (a did:web document has no history).
    fn at() -> crate::Timestamp {
        crate::Timestamp::from_unix_seconds(1_795_000_000)
    }

    fn document(did: &str) -> String {
        serde_json::json!({"id": did}).to_string()
    }

    /// `base` looking hosts up with `hosts` and connecting through `gate`
    /// (set last: the other settings rebuild the agent with the default
    /// connector).
    fn gated(base: WebResolver, hosts: Arc<dyn HostResolver>, gate: &LoopbackOnly) -> WebResolver {
        base.with_host_resolver(hosts)
            .with_connector(().chain(gate.clone()).chain(TcpConnector::default()))
    }

    fn resolver(hosts: Arc<dyn HostResolver>, gate: &LoopbackOnly) -> WebResolver {
        gated(WebResolver::new(Duration::from_secs(2)), hosts, gate)
    }

    #[test]
    fn a_name_that_rebinds_to_loopback_after_the_check_is_never_connected_to() {
        let (port, accepted) = serve(|port| document(&format!("did:web:localhost%3A{port}")));
        let hosts = Rebinding::new(&["8.8.8.8"], &["127.0.0.1"]);
        let gate = LoopbackOnly::default();
        let error = resolver(hosts.clone(), &gate)
            .resolve(&format!("did:web:localhost%3A{port}"), at())
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::DidNotFound);
        assert_eq!(connections(port, &accepted), 0, "the loopback server was reached");
        assert_eq!(
            hosts.lookups.load(Ordering::SeqCst),
            1,
            "the host was looked up more than once"
        );
        let targets = gate.targets.lock().unwrap().clone();
        assert_eq!(targets, [SocketAddr::new("8.8.8.8".parse().unwrap(), port)]);
    }

    #[test]
    fn a_status_list_host_that_rebinds_to_loopback_is_never_connected_to() {
        use crate::status::{HttpStatusLists, StatusResolver};
        let (port, accepted) = serve(|_| String::from("{}"));
        let hosts = Rebinding::new(&["2606:4700::1111"], &["127.0.0.1"]);
        let gate = LoopbackOnly::default();
        let lists = HttpStatusLists::with_policy(resolver(hosts.clone(), &gate));
        let error = lists
            .status_list(&format!("https://localhost:{port}/status/1"))
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::StatusListUnavailable);
        assert_eq!(connections(port, &accepted), 0, "the loopback server was reached");
        assert_eq!(hosts.lookups.load(Ordering::SeqCst), 1);
        let targets = gate.targets.lock().unwrap().clone();
        assert_eq!(targets, [SocketAddr::new("2606:4700::1111".parse().unwrap(), port)]);
    }

    #[test]
    fn a_name_with_any_non_public_address_is_refused_before_connecting() {
        let (port, accepted) = serve(|port| document(&format!("did:web:localhost%3A{port}")));
        for answer in [
            &["127.0.0.1"][..],
            &["8.8.8.8", "10.0.0.1"],
            &["::ffff:127.0.0.1"],
            &["64:ff9b::7f00:1"],
        ] {
            let gate = LoopbackOnly::default();
            let error = resolver(Rebinding::new(answer, answer), &gate)
                .resolve(&format!("did:web:localhost%3A{port}"), at())
                .unwrap_err();
            assert_eq!(error.code(), ErrorCode::DidNotFound, "{answer:?}");
            assert!(error.detail().contains("not a public address"), "{}", error.detail());
            assert!(gate.targets.lock().unwrap().is_empty(), "{answer:?}");
        }
        assert_eq!(connections(port, &accepted), 0);
    }

    #[test]
    fn the_connection_goes_to_the_resolved_address_not_to_a_second_lookup() {
        // `rebind.invalid` has no address in DNS (RFC 6761): only the
        // resolver's answer can lead to the loopback server.
        let (port, accepted) = serve(|port| document(&format!("did:web:rebind.invalid%3A{port}")));
        let hosts = Rebinding::new(&["127.0.0.1"], &["8.8.8.8"]);
        let gate = LoopbackOnly::default();
        let did = format!("did:web:rebind.invalid%3A{port}");
        let local = WebResolver::new(Duration::from_secs(2))
            .allow_private_addresses(true)
            .plain_http_on_loopback(true);
        let document = gated(local, hosts.clone(), &gate).resolve(&did, at()).unwrap();
        assert_eq!(document.id(), did);
        assert_eq!(connections(port, &accepted), 1);
        assert_eq!(hosts.lookups.load(Ordering::SeqCst), 1);
        let targets = gate.targets.lock().unwrap().clone();
        assert_eq!(targets, [SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port)]);
    }
}
