//! The OpenAPI 3.0 description of the service, served at `/openapi.json`
//! (`service/api/openapi.json`, written by hand; a test checks that it
//! names every route and only those).

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The document.
pub const DOCUMENT: &str = include_str!("../api/openapi.json");

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT).into_response()
}
