//! The TRQP v2 HTTPS binding, server side (feature `server`): `POST
//! /authorization` and `POST /recognition` answered from a [`TrustStore`],
//! with RFC 7807 problem responses and a request size limit. Over TLS
//! with a certificate of its own ([`serve_tls`]), or in plain HTTP/1.1
//! behind a reverse proxy that does TLS ([`serve`]).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::post;
use axum::Router;

use super::store::TrustStore;
use super::trqp::{Query, Refusal, MAX_REQUEST_BYTES};
use crate::error::{Error, ErrorCode};
use crate::time::Timestamp;

#[derive(Clone)]
struct Registry {
    store: Arc<TrustStore>,
    clock: fn() -> Timestamp,
}

/// The routes, answering from `store` at the time `clock` gives (the
/// system clock in production, a fixed time in tests).
pub fn router(store: Arc<TrustStore>, clock: fn() -> Timestamp) -> Router {
    Router::new()
        .route("/authorization", post(authorization))
        .route("/recognition", post(recognition))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(Registry { store, clock })
}

/// Serves `router(store, clock)` on `listener` with the default
/// [`ServerLimits`](crate::http_server::ServerLimits) (a half-sent request
/// is closed after 10 s) until the task is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<TrustStore>,
    clock: fn() -> Timestamp,
) -> std::io::Result<()> {
    let limits = crate::http_server::ServerLimits::default();
    crate::http_server::serve(listener, router(store, clock), limits, std::future::pending()).await;
    Ok(())
}

/// Serves `router(store, clock)` on `listener` over TLS with `tls`, with
/// the default [`ServerLimits`](crate::http_server::ServerLimits) (a
/// handshake and head not done after 10 s are dropped) until the task is
/// dropped.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    store: Arc<TrustStore>,
    clock: fn() -> Timestamp,
    tls: crate::http_server::TlsConfig,
) -> std::io::Result<()> {
    let limits = crate::http_server::ServerLimits::default();
    crate::http_server::serve_tls(listener, router(store, clock), limits, tls, std::future::pending()).await;
    Ok(())
}

fn problem(refusal: &Refusal) -> HttpResponse {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        refusal.problem().to_string(),
    )
        .into_response()
}

fn parse(body: Result<Bytes, BytesRejection>) -> Result<Query, Refusal> {
    let body = body.map_err(|rejection| {
        let status = rejection.status().as_u16();
        let why = if status == 413 {
            "request body too large"
        } else {
            "unreadable request body"
        };
        Refusal {
            status,
            error: Error::new(ErrorCode::TrqpRequestInvalid, why),
        }
    })?;
    Query::parse(&body).map_err(|error| {
        let status = if body.len() > MAX_REQUEST_BYTES { 413 } else { 400 };
        Refusal { status, error }
    })
}

fn answer(result: Result<super::trqp::Response, Refusal>) -> HttpResponse {
    match result {
        Ok(response) => match serde_json::to_string(&response) {
            Ok(body) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
            Err(e) => problem(&Refusal {
                status: 500,
                error: Error::new(ErrorCode::RegistryUnavailable, e.to_string()),
            }),
        },
        Err(refusal) => problem(&refusal),
    }
}

async fn authorization(State(registry): State<Registry>, body: Result<Bytes, BytesRejection>) -> HttpResponse {
    answer(parse(body).and_then(|query| registry.store.answer_authorization(&query, (registry.clock)())))
}

async fn recognition(State(registry): State<Registry>, body: Result<Bytes, BytesRejection>) -> HttpResponse {
    answer(parse(body).and_then(|query| registry.store.answer_recognition(&query, (registry.clock)())))
}
