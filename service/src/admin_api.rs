//! A tenant's administration over HTTP, for callers with its `admin` scope
//! (an API key made with `--scope admin`, or an access token with
//! `admin:{tenant}`): rotating its signing key, reading and replacing the
//! credential types it may issue. Each operation is the command line's
//! ([`crate::admin`]), audited the same way; the instance reloads the
//! tenant at once, the others within a second.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::admin::{self, AdminError};
use crate::auth::{authorize, Caller, Scope};
use crate::db::TenantRow;
use crate::keys::Algorithm;
use crate::problem::{lang_of, Answer, Code, Problem};
use crate::request::{read_body, read_limited, refuse_unknown, refuse_unread};
use crate::AppState;

/// `POST /tenants/{tenant}/keys/rotate`: a new local signing key
/// (`{"algorithm": "ed25519" | "p256"}`, Ed25519 when left out).
pub async fn rotate_key(
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Answer {
    Answer {
        lang: lang_of(&headers),
        result: rotate(&state, &tenant_id, &headers, body).await,
    }
}

/// `GET /tenants/{tenant}/types`: the credential types the tenant may issue.
pub async fn get_types(State(state): State<AppState>, Path(tenant_id): Path<String>, headers: HeaderMap) -> Answer {
    let result = async {
        let (row, _) = admitted(&state, &tenant_id, &headers).await?;
        Ok(types_answer(&row.id, &row.allowed_types))
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// `PUT /tenants/{tenant}/types`: replaces the credential types the tenant
/// may issue (`{"types": ["MinesPermit", …]}`).
pub async fn set_types(
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Answer {
    Answer {
        lang: lang_of(&headers),
        result: replace_types(&state, &tenant_id, &headers, body).await,
    }
}

/// The tenant as stored (one whose key does not open here may still be
/// administered: a rotation is how it is mended) and the caller, if it
/// has the tenant's `admin` scope.
async fn admitted(state: &AppState, tenant_id: &str, headers: &HeaderMap) -> Result<(TenantRow, Caller), Problem> {
    let Some(row) = state.db.tenant(tenant_id).await.map_err(Problem::database)? else {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            Code::TenantUnknown,
            format!("no tenant {tenant_id:?}"),
        ));
    };
    let caller = authorize(state, headers, tenant_id, Scope::Admin).await?;
    Ok((row, caller))
}

/// The body, once the caller is admitted: a JSON object, an empty body
/// read as `{}`.
async fn admitted_body(
    state: &AppState,
    tenant_id: &str,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<(TenantRow, Caller, Map<String, Value>), Problem> {
    let (row, caller) = match admitted(state, tenant_id, headers).await {
        Ok(admitted) => admitted,
        Err(problem) => return Err(refuse_unread(body, problem).await),
    };
    // Read only once the caller is known.
    let bytes = read_limited(body).await?;
    let request = if bytes.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        read_body(&bytes)?
    };
    Ok((row, caller, request))
}

/// An administrative operation's failure as a problem.
fn refused(error: AdminError) -> Problem {
    match error {
        AdminError::Invalid(detail) => Problem::invalid(detail),
        AdminError::Database(error) => Problem::database(error),
        AdminError::KeyInHsm(_) => Problem::new(StatusCode::CONFLICT, Code::KeyInHsm, error.to_string()),
        AdminError::DidLog { error, .. } => {
            tracing::error!(%error, "the tenant's did:webvh log refused the change");
            Problem::library(StatusCode::SERVICE_UNAVAILABLE, &error)
        }
        AdminError::Key(error) => {
            tracing::error!(%error, "a new key could not be made");
            Problem::library_code(
                StatusCode::SERVICE_UNAVAILABLE,
                passerelle::ErrorCode::KeyInvalid,
                "the new key could not be made (the detail is logged)",
            )
        }
    }
}

/// Brings this instance's tenants up to date after a change (the others
/// compare the database's summary within a second).
async fn reload(state: &AppState) -> Result<(), Problem> {
    state
        .directory
        .refresh_tenants(&state.db, &state.keys)
        .await
        .map_err(|e| Problem::directory(&e))
}

async fn rotate(
    state: &AppState,
    tenant_id: &str,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Problem> {
    let (row, caller, request) = admitted_body(state, tenant_id, headers, body).await?;
    refuse_unknown(&request, &["algorithm"], "request")?;
    let algorithm = match request.get("algorithm") {
        None => Algorithm::Ed25519,
        Some(Value::String(name)) => Algorithm::parse(name)
            .ok_or_else(|| Problem::invalid(format!("unknown algorithm {name:?}: ed25519 or p256")))?,
        Some(_) => return Err(Problem::invalid("algorithm must be a string: ed25519 or p256")),
    };
    let now = (state.clock)();
    let key_id = admin::rotate_key(&state.db, &state.keys, tenant_id, algorithm, false, &caller.actor, now)
        .await
        .map_err(refused)?;
    reload(state).await?;
    let body = json!({
        "tenant": tenant_id,
        "keyId": key_id,
        "verificationMethod": format!("{}#{key_id}", row.did),
        "algorithm": algorithm.as_str(),
    });
    Ok((
        StatusCode::CREATED,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response())
}

async fn replace_types(
    state: &AppState,
    tenant_id: &str,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Problem> {
    let (_, caller, request) = admitted_body(state, tenant_id, headers, body).await?;
    refuse_unknown(&request, &["types"], "request")?;
    let Some(Value::Array(given)) = request.get("types") else {
        return Err(Problem::invalid("types must be an array of credential type names"));
    };
    let types = given
        .iter()
        .map(|t| t.as_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()
        .ok_or_else(|| Problem::invalid("types must be an array of strings"))?;
    let now = (state.clock)();
    admin::set_types(&state.db, tenant_id, &types, &caller.actor, now)
        .await
        .map_err(refused)?;
    reload(state).await?;
    Ok(types_answer(tenant_id, &types))
}

fn types_answer(tenant_id: &str, types: &[String]) -> Response {
    let body = json!({"tenant": tenant_id, "types": types});
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
