//! Request bodies: JSON objects read by passerelle's strict reader (size
//! and depth limits, duplicate keys refused), unknown members refused.

use axum::http::StatusCode;
use passerelle::json::{parse_object, Limits};
use serde_json::{Map, Value};

use crate::problem::{Code, Problem};

/// The largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Reads a JSON object body.
pub fn read_body(body: &[u8]) -> Result<Map<String, Value>, Problem> {
    let limits = Limits {
        max_bytes: MAX_BODY_BYTES,
        max_depth: 64,
    };
    parse_object(body, limits).map_err(|e| Problem::library(StatusCode::BAD_REQUEST, &e))
}

/// Refuses members of `object` not in `known` (VCALM: an endpoint refuses
/// options it does not understand).
pub fn refuse_unknown(object: &Map<String, Value>, known: &[&str], what: &str) -> Result<(), Problem> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            Code::RequestInvalid,
            format!("unknown member {key:?} in {what} (known: {})", known.join(", ")),
        )),
    }
}

/// Reads a body up to [`MAX_BODY_BYTES`].
pub async fn read_limited(body: axum::body::Body) -> Result<axum::body::Bytes, Problem> {
    axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        let mut too_large = false;
        while let Some(error) = source {
            too_large |= error.is::<http_body_util::LengthLimitError>();
            source = error.source();
        }
        if too_large {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                Code::BodyTooLarge,
                format!("the body is over {MAX_BODY_BYTES} bytes"),
            )
        } else {
            Problem::new(
                StatusCode::BAD_REQUEST,
                Code::RequestInvalid,
                "the body could not be read",
            )
        }
    })
}

/// The most of a refused request's body read before answering: a small
/// body is read (closing a connection with unread data in it resets it,
/// and the client may lose the answer), a large one is not.
const DRAINED_BYTES: usize = 64 * 1024;

/// Answers `problem` to a request whose body was not read (after reading
/// what a second gives of it, at most [`DRAINED_BYTES`]).
pub async fn refuse_unread(body: axum::body::Body, problem: Problem) -> Problem {
    let drain = axum::body::to_bytes(body, DRAINED_BYTES);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), drain).await;
    problem
}

/// Refuses a request whose declared `Content-Length` is over the limit
/// before reading any of its body (a body without one is cut off at the
/// limit by the extractor).
pub async fn refuse_oversize(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        let lang = crate::problem::lang_of(request.headers());
        let problem = Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::BodyTooLarge,
            format!("the body is over {MAX_BODY_BYTES} bytes"),
        );
        return problem.into_response_in(lang);
    }
    next.run(request).await
}
