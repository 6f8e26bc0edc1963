//! Prometheus counters (`GET /metrics`, text format 0.0.4), and the
//! middleware that counts each request and logs it in a span carrying a
//! request id.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument as _;

use crate::AppState;

/// The counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [AtomicU64; 5],
    duration_micros: AtomicU64,
    issued: AtomicU64,
    verified: AtomicU64,
    refused: AtomicU64,
    next_id: AtomicU64,
}

impl Metrics {
    /// Counts an acknowledged issuance.
    pub fn issued(&self) {
        self.issued.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a verification and its outcome.
    pub fn verified(&self, verified: bool) {
        let counter = if verified { &self.verified } else { &self.refused };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition.
    pub fn text(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP passerelle_http_requests_total HTTP requests answered, by status class.\n");
        out.push_str("# TYPE passerelle_http_requests_total counter\n");
        for (i, class) in ["1xx", "2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
            let n = self.requests[i].load(Ordering::Relaxed);
            out.push_str(&format!("passerelle_http_requests_total{{class=\"{class}\"}} {n}\n"));
        }
        let seconds = self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6;
        out.push_str("# HELP passerelle_http_request_seconds_sum Time spent answering requests.\n");
        out.push_str("# TYPE passerelle_http_request_seconds_sum counter\n");
        out.push_str(&format!("passerelle_http_request_seconds_sum {seconds}\n"));
        for (name, help, counter) in [
            (
                "passerelle_credentials_issued_total",
                "Issuances committed.",
                &self.issued,
            ),
            (
                "passerelle_verifications_passed_total",
                "Verifications that passed.",
                &self.verified,
            ),
            (
                "passerelle_verifications_failed_total",
                "Verifications that failed.",
                &self.refused,
            ),
        ] {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                counter.load(Ordering::Relaxed)
            ));
        }
        out
    }
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>) -> Response {
    let mut text = state.metrics.text();
    text.push_str("# HELP passerelle_tenants_unavailable Tenants whose signing key cannot be opened (see the log).\n");
    text.push_str("# TYPE passerelle_tenants_unavailable gauge\n");
    text.push_str(&format!(
        "passerelle_tenants_unavailable {}\n",
        state.directory.unavailable_count()
    ));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// Counts the request, runs it in a span with its request id (the
/// caller's `X-Request-Id` if given, else a counter), and returns the id.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        // Kept only if it cannot forge log fields.
        .filter(|v| v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("r{}", state.metrics.next_id.fetch_add(1, Ordering::Relaxed)));
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path());
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let class = usize::from(status / 100).saturating_sub(1).min(4);
    state.metrics.requests[class].fetch_add(1, Ordering::Relaxed);
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    state.metrics.duration_micros.fetch_add(micros, Ordering::Relaxed);
    span.in_scope(|| tracing::info!(status, micros, "answered"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
