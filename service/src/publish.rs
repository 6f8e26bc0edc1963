//! What the service publishes without authentication: each tenant's DID
//! document at the URL its did:web DID maps to, or its DID log at the URL
//! its did:webvh DID maps to, its status list credentials at stable URLs
//! (each signed, with `ETag` and `Cache-Control`), DID resolution, and the
//! credentials a caller kept under an idempotency key.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle::did::resolution::{parse_did_url, resolve, ResolutionOptions};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use crate::auth::{authorize, Scope};
use crate::directory::{hex, list_url};
use crate::problem::{lang_of, Answer, Code, Problem};
use crate::webvh;
use crate::AppState;

/// How long a cache may keep a status list before asking again: a
/// revocation reaches verifiers that fetch lists within this time.
pub const LIST_MAX_AGE_SECONDS: u32 = 60;

fn not_found(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::NOT_FOUND, Code::NotFound, detail)
}

/// How long a cache may keep a DID document or log before asking again
/// (a did:webvh log says the same to resolvers: [`webvh::LOG_TTL_SECONDS`]).
pub const DID_MAX_AGE_SECONDS: u64 = webvh::LOG_TTL_SECONDS;

/// The DID and, when it has one, the DID document of tenant `tenant_id`,
/// even one that cannot sign now: what it signed before must verify.
async fn published_did(state: &AppState, tenant_id: &str) -> Result<(String, Option<Value>), Problem> {
    match state.tenant(tenant_id).await {
        Ok(tenant) => Ok((tenant.row.did.clone(), Some(tenant.document.clone()))),
        Err(problem) => match state.directory.unavailable(tenant_id) {
            Some(unavailable) => Ok((unavailable.did, unavailable.document)),
            None => Err(problem),
        },
    }
}

/// `GET /tenants/{tenant}/did.json`: a did:web tenant's DID document. A
/// did:webvh tenant publishes no parallel did:web document: its
/// credentials name the did:webvh, which only its log resolves.
pub async fn did_document(State(state): State<AppState>, Path(tenant_id): Path<String>, headers: HeaderMap) -> Answer {
    let result = async {
        let (did, document) = published_did(&state, &tenant_id).await?;
        if webvh::is_webvh(&did) {
            return Err(not_found(format!(
                "tenant {tenant_id}'s DID is a did:webvh: its log is at /tenants/{tenant_id}/did.jsonl"
            )));
        }
        let document = document.ok_or_else(|| not_found(format!("tenant {tenant_id} has no DID document")))?;
        let bytes = document.to_string().into_bytes();
        let etag = format!("\"{}\"", hex(&Sha256::digest(&bytes)));
        Ok(public_document(&headers, "application/did+json", &etag, bytes))
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// `GET /tenants/{tenant}/did.jsonl`: a did:webvh tenant's DID log, as
/// this instance verified it; a log that does not verify is not served.
pub async fn did_log(State(state): State<AppState>, Path(tenant_id): Path<String>, headers: HeaderMap) -> Answer {
    let result = async {
        let (did, _) = published_did(&state, &tenant_id).await?;
        let log = state.directory.did_log(&did).ok_or_else(|| {
            not_found(format!(
                "tenant {tenant_id}'s DID is a did:web: its document is at /tenants/{tenant_id}/did.json"
            ))
        })?;
        let log = log.map_err(|e| Problem::library(StatusCode::SERVICE_UNAVAILABLE, &e))?;
        // The did:webvh method's media type for the log.
        Ok(public_document(
            &headers,
            "text/jsonl",
            &log.etag,
            log.bytes.as_ref().clone(),
        ))
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// A DID document or log: `304` when the caller's `If-None-Match` names
/// `etag`; readable from any origin (browser resolvers; the did:webvh
/// method requires it of the log).
fn public_document(headers: &HeaderMap, content_type: &'static str, etag: &str, bytes: Vec<u8>) -> Response {
    let cache = format!("max-age={DID_MAX_AGE_SECONDS}");
    let common = [
        (header::ETAG, etag.to_owned()),
        (header::CACHE_CONTROL, cache),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| etag_matches(tags, etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

/// `GET /tenants/{tenant}/status/{purpose}/{seq}`: the signed list,
/// `304` when the caller's `If-None-Match` is its `ETag`.
pub async fn status_list(
    State(state): State<AppState>,
    Path((tenant_id, purpose, seq)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let result = async {
        // One spelling per list: `01` and `+1` are not list 1.
        let seq: i64 = seq
            .parse()
            .ok()
            .filter(|n: &i64| n.to_string() == seq)
            .ok_or_else(|| not_found("no such list"))?;
        let url = list_url(&state.public_url, &tenant_id, &purpose, seq);
        let row = state
            .db
            .list(&url)
            .await
            .map_err(Problem::database)?
            .ok_or_else(|| not_found(format!("no status list {url}")))?;
        state.tenant(&tenant_id).await?;
        let published = state
            .directory
            .published(&state.db, &row, (state.clock)())
            .await
            .map_err(|e| Problem::directory(&e))?;
        let cache = format!("max-age={LIST_MAX_AGE_SECONDS}");
        let matches = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| etag_matches(tags, &published.etag));
        if matches {
            return Ok((
                StatusCode::NOT_MODIFIED,
                [(header::ETAG, published.etag), (header::CACHE_CONTROL, cache)],
            )
                .into_response());
        }
        Ok((
            [
                (header::CONTENT_TYPE, "application/vc".to_owned()),
                (header::ETAG, published.etag),
                (header::CACHE_CONTROL, cache),
            ],
            published.bytes.as_ref().clone(),
        )
            .into_response())
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// Whether an `If-None-Match` value names `etag` (RFC 9110 §13.1.2: a
/// list, weak comparison, or `*`).
fn etag_matches(tags: &str, etag: &str) -> bool {
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// `GET /1.0/identifiers/{did}`: a DID Resolution Result; the tenants'
/// did:web DIDs and did:webvh logs from the database (a did:webvh at the
/// service's time, with its version's metadata), did:key and did:jwk
/// computed.
pub async fn identifiers(State(state): State<AppState>, uri: axum::http::Uri, headers: HeaderMap) -> Answer {
    let result = async {
        let did = did_of_path(&uri)?;
        state
            .directory
            .refresh_tenants(&state.db, &state.keys)
            .await
            .map_err(|e| Problem::directory(&e))?;
        let options = ResolutionOptions {
            resolver: Some(&state.directory),
            time: Some((state.clock)()),
            ..ResolutionOptions::default()
        };
        let mut result = resolve(&did, &options);
        if result.document.is_some() {
            if let Some(metadata) = webvh_metadata(&state, &did) {
                result.document_metadata = metadata;
            }
        }
        let json = result.to_json();
        let status = match json["didResolutionMetadata"]["error"].as_str() {
            None => StatusCode::OK,
            Some("notFound") => StatusCode::NOT_FOUND,
            Some("methodNotSupported") => StatusCode::NOT_IMPLEMENTED,
            Some(error) if error.starts_with("invalid") || error.starts_with("unsupported") => StatusCode::BAD_REQUEST,
            Some(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Ok((
            status,
            [(
                header::CONTENT_TYPE,
                "application/ld+json;profile=\"https://w3id.org/did-resolution\"",
            )],
            json.to_string(),
        )
            .into_response())
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// The DID document metadata of a tenant's did:webvh (the DID of
/// `did_or_url`) resolved at the service's time, as the method lists it.
fn webvh_metadata(state: &AppState, did_or_url: &str) -> Option<Map<String, Value>> {
    let did = parse_did_url(did_or_url).ok()?.did;
    let log = state.directory.did_log(did)?.ok()?;
    let resolved = log.verified.in_force_at((state.clock)()).ok()?;
    let mut metadata = Map::new();
    metadata.insert("versionId".into(), resolved.version_id.into());
    metadata.insert("versionTime".into(), resolved.version_time.to_string().into());
    metadata.insert("created".into(), resolved.created.to_string().into());
    metadata.insert("updated".into(), resolved.updated.to_string().into());
    metadata.insert("scid".into(), resolved.scid.into());
    metadata.insert("portable".into(), false.into());
    metadata.insert("deactivated".into(), resolved.deactivated.into());
    // A string: DID Resolution metadata holds no integers.
    metadata.insert("ttl".into(), resolved.ttl.to_string().into());
    Some(metadata)
}

/// The DID (or DID URL, with its query) of `/1.0/identifiers/{did}` as the
/// caller wrote it. The path is read raw: a DID's own percent-encoding
/// (`did:web:host%3A8080`) must not be decoded; a path whose `%` were
/// themselves encoded (`%253A`) is decoded once.
fn did_of_path(uri: &axum::http::Uri) -> Result<String, Problem> {
    let bad = || {
        Problem::new(
            StatusCode::BAD_REQUEST,
            Code::RequestInvalid,
            "the path must be /1.0/identifiers/{did}",
        )
    };
    let raw = uri.path().strip_prefix("/1.0/identifiers/").ok_or_else(bad)?;
    let mut did = if raw.contains("%25") {
        let mut out = Vec::with_capacity(raw.len());
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (byte, _) => {
                    out.push(byte);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).map_err(|_| bad())?
    } else {
        raw.to_owned()
    };
    if let Some(query) = uri.query() {
        did.push('?');
        did.push_str(query);
    }
    Ok(did)
}

/// `GET /tenants/{tenant}/credentials/{id}` (VCALM §3.2.2): the credential,
/// for a caller with the `issue` scope, when it was kept (issued under an
/// idempotency key); the service does not otherwise keep what it signs.
pub async fn get_credential(
    State(state): State<AppState>,
    Path((tenant_id, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let result = async {
        state.tenant(&tenant_id).await?;
        authorize(&state, &headers, &tenant_id, Scope::Issue).await?;
        let unknown = || {
            Problem::new(
                StatusCode::NOT_FOUND,
                Code::CredentialUnknown,
                format!("no credential {id} kept by tenant {tenant_id}"),
            )
        };
        let body = state
            .db
            .credential_body(&tenant_id, &id)
            .await
            .map_err(Problem::database)?
            .ok_or_else(unknown)?
            .ok_or_else(unknown)?;
        Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
    }
    .await;
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, "text/plain")], "ok\n").into_response()
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    let result = match state.db.ping().await {
        Ok(()) => Ok(([(header::CONTENT_TYPE, "text/plain")], "ready\n").into_response()),
        Err(e) => Err(Problem::database(e)),
    };
    Answer {
        lang: lang_of(&headers),
        result,
    }
}

/// A path that exists, with another method.
pub async fn method_not_allowed(headers: HeaderMap) -> Answer {
    Answer {
        lang: lang_of(&headers),
        result: Err(Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            Code::RequestInvalid,
            "this endpoint does not take this method (see /openapi.json)",
        )),
    }
}

/// Any other path.
pub async fn fallback(headers: HeaderMap) -> Answer {
    Answer {
        lang: lang_of(&headers),
        result: Err(not_found("no endpoint at this path")),
    }
}
