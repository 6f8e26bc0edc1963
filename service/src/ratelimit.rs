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

/// Clients remembered at most; past it the buckets start afresh (an
/// attacker with many addresses gains at most one burst each).
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
    pub fn client_address(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let hops = forwarded_for.iter().flat_map(|value| value.split(','));
        let mut client = peer;
        for hop in hops.collect::<Vec<_>>().into_iter().rev() {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) if self.trusted_proxies.contains(&address) => client = address,
                Ok(address) => return address,
                // Something unreadable in a proxy's header: the last
                // address known good stands.
                Err(_) => return client,
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
            buckets.clear();
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
    let forwarded: Vec<&str> = (request.headers().get_all("x-forwarded-for").iter())
        .filter_map(|value| value.to_str().ok())
        .collect();
    let address = peer.map(|peer| limiter.client_address(peer, &forwarded));
    let address = key(b"peer\n", address.map(|a| a.to_string()).unwrap_or_default().as_bytes());
    let bearer = (request.headers().get(header::AUTHORIZATION)).map(|value| key(b"bearer\n", value.as_bytes()));
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
            limiter.client_address(proxy, &["198.51.100.1, 10.0.0.5"]),
            "198.51.100.1".parse::<IpAddr>().unwrap(),
            "a chain of trusted proxies is walked"
        );
        assert_eq!(limiter.client_address(proxy, &["not an address"]), proxy);
        assert_eq!(limiter.client_address(proxy, &[]), proxy);
    }

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow([0u8; 16], now)));
    }
}
