//! Per-client rate limits: a token bucket per client address and one per
//! bearer credential (by its digest). A request takes a token from its
//! address's bucket and, when it carries a bearer credential, from that
//! credential's too: sending made-up credentials does not buy fresh
//! buckets. Behind a reverse proxy named with `--trusted-proxy`, the client
//! address is the one the proxy adds to `X-Forwarded-For`. Over the limit a
//! request is refused with `429 RATE_LIMITED` and `Retry-After`, before any
//! work.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use passerelle::http_server::client_key;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest as _, Sha256};

use crate::problem::{lang_of, Code, Problem};

/// Token buckets, one per client.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    buckets: Mutex<HashMap<[u8; 16], (f64, Instant)>>,
    trusted_proxies: Vec<IpAddr>,
}

/// The default limit: far above what one honest client sends, low enough
/// that one client cannot take the whole service.
pub const DEFAULT_PER_SECOND: u32 = 5_000;

/// Clients remembered at most; past it, buckets that have refilled are
/// forgotten, and if every one is still limiting its client, new clients
/// are refused until some refill.
const MAX_CLIENTS: usize = 100_000;

impl RateLimiter {
    /// `per_second` requests a second per client, bursts of as many; 0
    /// turns the limit off.
    pub fn new(per_second: u32) -> RateLimiter {
        RateLimiter {
            per_second: f64::from(per_second),
            buckets: Mutex::new(HashMap::new()),
            trusted_proxies: Vec::new(),
        }
    }

    /// Takes the client address from `X-Forwarded-For` when the peer is
    /// one of `proxies` (the service's own reverse proxies): the right-most
    /// address there that is not one of them. From any other peer the
    /// header is ignored, so a client cannot choose its own bucket.
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpAddr>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// The address a request comes from: its peer, or for a trusted proxy
    /// the client it forwards for.
    pub fn client_address(&self, peer: IpAddr, forwarded_for: &[&[u8]]) -> IpAddr {
        let peer = client_key(peer);
        let trusted = |address: IpAddr| self.trusted_proxies.iter().any(|p| client_key(*p) == address);
        if !trusted(peer) {
            return peer;
        }
        // The header's hops, right to left, each read alone: what a client
        // wrote before the proxy's own entry cannot spoil that entry.
        let hops: Vec<&[u8]> = forwarded_for
            .iter()
            .flat_map(|value| value.split(|b| *b == b','))
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop_address(hop) {
                Some(address) if trusted(address) => client = address,
                Some(address) => return address,
                // Something unreadable: the last address known good stands.
                None => return client,
            }
        }
        client
    }

    /// Takes a token for `client`: whether the request may go on.
    pub fn allow(&self, client: [u8; 16], now: Instant) -> bool {
        if self.per_second <= 0.0 {
            return true;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            // A bucket that has refilled is as good as none: forget those.
            // Clients still being limited are kept (emptying the table
            // would hand each of them a fresh burst); when they alone fill
            // it, a new client waits.
            let per_second = self.per_second;
            buckets.retain(|_, (tokens, last)| {
                *tokens + now.saturating_duration_since(*last).as_secs_f64() * per_second < per_second
            });
            if buckets.len() >= MAX_CLIENTS {
                return false;
            }
        }
        let (tokens, last) = buckets.entry(client).or_insert((self.per_second, now));
        let refill = now.saturating_duration_since(*last).as_secs_f64() * self.per_second;
        *tokens = (*tokens + refill).min(self.per_second);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// One `X-Forwarded-For` hop as an address: `ip`, `ip:port` or
/// `[ipv6]:port`, counted as [`client_key`] counts it.
fn hop_address(hop: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(hop).ok()?.trim();
    let address = text
        .parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|socket| socket.ip()))?;
    Some(client_key(address))
}

/// The buckets a request takes a token from: its client address's and,
/// with a bearer credential, that credential's.
fn buckets_of(limiter: &RateLimiter, request: &Request) -> ([u8; 16], Option<[u8; 16]>) {
    let key = |kind: &[u8], value: &[u8]| {
        let digest = Sha256::new().chain_update(kind).chain_update(value).finalize();
        let mut bucket = [0u8; 16];
        bucket.copy_from_slice(&digest[..16]);
        bucket
    };
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let forwarded: Vec<&[u8]> = (request.headers().get_all("x-forwarded-for").iter())
        .map(|value| value.as_bytes())
        .collect();
    let address = peer.map(|peer| limiter.client_address(peer, &forwarded));
    // The address's own bytes (4 for IPv4, 16 for IPv6), no text made.
    let octets = match address {
        Some(IpAddr::V4(v4)) => v4.octets().to_vec(),
        Some(IpAddr::V6(v6)) => v6.octets().to_vec(),
        None => Vec::new(),
    };
    let address = key(b"peer\n", &octets);
    // The credential as authentication reads it (scheme in any case,
    // spaces trimmed), so that spellings of one key share its bucket.
    let bearer = (request.headers().get(header::AUTHORIZATION)).map(|value| {
        let value = value.as_bytes();
        let credential = match value.iter().position(|b| *b == b' ') {
            Some(space) if value[..space].eq_ignore_ascii_case(b"bearer") => value[space..].trim_ascii(),
            _ => value,
        };
        key(b"bearer\n", credential)
    });
    (address, bearer)
}

/// The middleware.
pub async fn limit(State(limiter): State<Arc<RateLimiter>>, request: Request, next: Next) -> Response {
    let now = Instant::now();
    let (address, bearer) = buckets_of(&limiter, &request);
    if limiter.allow(address, now) && bearer.is_none_or(|bearer| limiter.allow(bearer, now)) {
        return next.run(request).await;
    }
    let lang = lang_of(request.headers());
    let mut response = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        Code::RateLimited,
        format!("over {} requests a second", limiter.per_second),
    )
    .into_response_in(lang);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        let a = [1u8; 16];
        assert_eq!((0..20).filter(|_| limiter.allow(a, start)).count(), 10);
        assert!(limiter.allow([2u8; 16], start), "another client has its own bucket");
        assert!(!limiter.allow(a, start + Duration::from_millis(50)));
        assert!(limiter.allow(a, start + Duration::from_millis(150)));
        assert_eq!(
            (0..20)
                .filter(|_| limiter.allow(a, start + Duration::from_secs(5)))
                .count(),
            10
        );
    }

    fn request(peer: &str, forwarded: Option<&str>, bearer: Option<&str>) -> Request {
        let mut builder = Request::builder().uri("/credentials/verify");
        if let Some(forwarded) = forwarded {
            builder = builder.header("x-forwarded-for", forwarded);
        }
        if let Some(bearer) = bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {bearer}"));
        }
        let mut request = builder.body(axum::body::Body::empty()).unwrap();
        let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    }

    #[test]
    fn made_up_bearer_credentials_share_their_address_bucket() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        let allowed = (0..50)
            .filter(|i| {
                let (address, bearer) = buckets_of(&limiter, &request("192.0.2.7", None, Some(&format!("psk_{i}"))));
                limiter.allow(address, start) && bearer.is_none_or(|b| limiter.allow(b, start))
            })
            .count();
        assert_eq!(
            allowed, 10,
            "fifty different credentials from one address get one burst"
        );
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let limiter = RateLimiter::new(10).with_trusted_proxies(vec![proxy]);
        let (a, _) = buckets_of(&limiter, &request("10.0.0.5", Some("198.51.100.1"), None));
        let (b, _) = buckets_of(&limiter, &request("10.0.0.5", Some("198.51.100.2"), None));
        assert_ne!(a, b, "two clients behind the proxy have their own buckets");
        // The right-most address the proxy added counts, not what the
        // client wrote before it.
        let (spoofed, _) = buckets_of(&limiter, &request("10.0.0.5", Some("203.0.113.9, 198.51.100.1"), None));
        assert_eq!(spoofed, a);
        // From a peer that is not a trusted proxy, the header is ignored.
        let (direct, _) = buckets_of(&limiter, &request("192.0.2.7", Some("198.51.100.1"), None));
        let (plain, _) = buckets_of(&limiter, &request("192.0.2.7", None, None));
        assert_eq!(direct, plain);
        assert_eq!(
            limiter.client_address(proxy, &[b"198.51.100.1, 10.0.0.5"]),
            "198.51.100.1".parse::<IpAddr>().unwrap(),
            "a chain of trusted proxies is walked"
        );
        assert_eq!(limiter.client_address(proxy, &[b"not an address"]), proxy);
        assert_eq!(limiter.client_address(proxy, &[]), proxy);
        // A client's unreadable bytes before the proxy's entry spoil nothing.
        assert_eq!(
            limiter.client_address(proxy, &[b"\xff, 198.51.100.1"]),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        // Ports, bracketed IPv6, the mapped form of the proxy's address.
        assert_eq!(
            limiter.client_address(proxy, &[b"198.51.100.1:4711"]),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            limiter.client_address(proxy, &[b"[2001:db8::1]:4711"]),
            "2001:db8::".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            limiter.client_address("::ffff:10.0.0.5".parse().unwrap(), &[b"198.51.100.1"]),
            "198.51.100.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn spellings_of_one_credential_share_its_bucket() {
        let limiter = RateLimiter::new(10);
        let (_, a) = buckets_of(&limiter, &request("192.0.2.7", None, Some("psk_1")));
        let mut other = request("192.0.2.8", None, None);
        other
            .headers_mut()
            .insert(header::AUTHORIZATION, HeaderValue::from_static("BEARER   psk_1"));
        let (_, b) = buckets_of(&limiter, &other);
        assert_eq!(a, b);
    }

    #[test]
    fn a_full_table_keeps_the_clients_it_limits() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        for i in 0..MAX_CLIENTS as u32 {
            let mut client = [0u8; 16];
            client[..4].copy_from_slice(&i.to_be_bytes());
            assert!(limiter.allow(client, start));
        }
        // Every bucket is in use: a new client waits, the others keep
        // their state (emptying the table would give each a new burst).
        assert!(!limiter.allow([0xff; 16], start));
        let first = [0u8; 16];
        assert_eq!((0..20).filter(|_| limiter.allow(first, start)).count(), 9);
        // Once buckets have refilled they are forgotten, and room is made.
        assert!(limiter.allow([0xff; 16], start + std::time::Duration::from_secs(2)));
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow([0u8; 16], now)));
    }
}
