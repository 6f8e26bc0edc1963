//! Per-client rate limits: a token bucket per bearer credential (by its
//! digest) or, without one, per peer address. Over the limit a request is
//! refused with `429 RATE_LIMITED` and `Retry-After`, before any work.

use std::collections::HashMap;
use std::net::SocketAddr;
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
        }
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

/// Who a request comes from: its bearer credential if it has one, else
/// its peer address.
fn client_of(request: &Request) -> [u8; 16] {
    let mut hash = Sha256::new();
    match request.headers().get(header::AUTHORIZATION) {
        Some(value) => {
            hash.update(b"bearer\n");
            hash.update(value.as_bytes());
        }
        None => {
            hash.update(b"peer\n");
            if let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
                hash.update(addr.ip().to_string().as_bytes());
            }
        }
    }
    let digest = hash.finalize();
    let mut client = [0u8; 16];
    client.copy_from_slice(&digest[..16]);
    client
}

/// The middleware.
pub async fn limit(State(limiter): State<Arc<RateLimiter>>, request: Request, next: Next) -> Response {
    if limiter.allow(client_of(&request), Instant::now()) {
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

    #[test]
    fn zero_means_no_limit() {
        let limiter = RateLimiter::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow([0u8; 16], now)));
    }
}
