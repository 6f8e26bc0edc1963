//! `POST /credentials/verify` and `POST /presentations/verify` (VCALM
//! §3.3): passerelle's verifier, with the tenants' DID documents and the
//! status lists as the database has them now. A credential that fails a
//! check is answered 400 with the report, its first failure's code and
//! title as the problem's.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle::verify::Outcome;
use passerelle::{Lang, Report, VerifyOptions};
use serde_json::{json, Value};

use crate::problem::{lang_of, Answer, Code, Problem};
use crate::request::{read_body, refuse_unknown};
use crate::AppState;

/// `POST /credentials/verify`.
pub async fn verify_credential(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Answer {
    handle(&state, None, &headers, body, Kind::Credential).await
}

/// `POST /presentations/verify`.
pub async fn verify_presentation(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Answer {
    handle(&state, None, &headers, body, Kind::Presentation).await
}

/// `POST /tenants/{tenant}/credentials/verify`: as `/credentials/verify`,
/// for a tenant that exists.
pub async fn tenant_verify_credential(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    handle(&state, Some(&tenant), &headers, body, Kind::Credential).await
}

/// `POST /tenants/{tenant}/presentations/verify`.
pub async fn tenant_verify_presentation(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    handle(&state, Some(&tenant), &headers, body, Kind::Presentation).await
}

async fn handle(state: &AppState, tenant: Option<&str>, headers: &HeaderMap, body: Body, kind: Kind) -> Answer {
    let lang = lang_of(headers);
    let result = match admitted(state, tenant, headers).await {
        // The body is read once the caller is admitted.
        Ok(()) => match crate::request::read_limited(body).await {
            Ok(bytes) => verify(state, &bytes, kind, lang).await,
            Err(problem) => Err(problem),
        },
        Err(problem) => Err(crate::request::refuse_unread(body, problem).await),
    };
    Answer { lang, result }
}

/// Whether the request may verify here: the tenant exists and, when the
/// service requires it, the caller has the `verify` scope.
async fn admitted(state: &AppState, tenant: Option<&str>, headers: &HeaderMap) -> Result<(), Problem> {
    if let Some(tenant) = tenant {
        known_tenant(state, tenant).await?;
    }
    if state.verify_requires_auth {
        crate::auth::authorize_verification(state, headers, tenant).await?;
    }
    Ok(())
}

/// A tenant's verifier answers for a tenant that exists, even one that
/// cannot sign now.
async fn known_tenant(state: &AppState, tenant: &str) -> Result<(), Problem> {
    match state.tenant(tenant).await {
        Ok(_) => Ok(()),
        Err(_) if state.directory.unavailable(tenant).is_some() => Ok(()),
        Err(problem) => Err(problem),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Credential,
    Presentation,
}

async fn verify(state: &AppState, body: &Bytes, kind: Kind, lang: Lang) -> Result<Response, Problem> {
    let mut request = read_body(body)?;
    let (member, known_options): (&str, &[&str]) = match kind {
        Kind::Credential => (
            "verifiableCredential",
            &["returnResults", "returnProblemDetails", "returnCredential"],
        ),
        Kind::Presentation => (
            "verifiablePresentation",
            &[
                "challenge",
                "domain",
                "returnPresentation",
                "returnResults",
                "returnProblemDetails",
            ],
        ),
    };
    refuse_unknown(&request, &[member, "options"], "request")?;
    let options = match request.remove("options") {
        None => serde_json::Map::new(),
        Some(Value::Object(options)) => options,
        Some(_) => return Err(Problem::invalid("options must be an object")),
    };
    refuse_unknown(&options, known_options, "options")?;
    let text = |key: &str| match options.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Problem::invalid(format!("options.{key} must be a string"))),
    };
    for flag in [
        "returnResults",
        "returnProblemDetails",
        "returnCredential",
        "returnPresentation",
    ] {
        if options.get(flag).is_some_and(|v| !v.is_boolean()) {
            return Err(Problem::invalid(format!("options.{flag} must be true or false")));
        }
    }
    let now = (state.clock)();
    let mut verify_options = VerifyOptions::at(now);
    verify_options.challenge = text("challenge")?;
    verify_options.domain = text("domain")?;

    let document = match request.remove(member) {
        Some(Value::Object(document)) => document,
        // A compact JWS / SD-JWT given as a string: verified as such.
        Some(Value::String(token)) => {
            return finish(state, kind, Input::Token(token), &verify_options, lang, now).await
        }
        _ => return Err(Problem::invalid(format!("{member} must be an object"))),
    };
    finish(state, kind, Input::Json(document), &verify_options, lang, now).await
}

/// What is verified: the document as the request's reader parsed it, or
/// a token.
enum Input {
    Json(serde_json::Map<String, Value>),
    Token(String),
}

async fn finish(
    state: &AppState,
    kind: Kind,
    input: Input,
    options: &VerifyOptions,
    lang: Lang,
    now: passerelle::Timestamp,
) -> Result<Response, Problem> {
    state.refresh(now).await?;
    let verifier = state.verifier();
    let report = match (kind, input) {
        // Parsed once, by the strict reader: verified as parsed.
        (Kind::Credential, Input::Json(document)) => verifier.verify_credential_json(&document, options),
        (Kind::Credential, Input::Token(token)) => verifier.verify_credential(token.as_bytes(), options),
        // The library reads presentations from bytes only.
        (Kind::Presentation, Input::Json(document)) => {
            let text = passerelle::json::to_text(&Value::Object(document))
                .map_err(|e| Problem::library(StatusCode::BAD_REQUEST, &e))?;
            verifier.verify_presentation(text.as_bytes(), options)
        }
        (Kind::Presentation, Input::Token(token)) => verifier.verify_presentation(token.as_bytes(), options),
    };
    state.metrics.verified(report.verified());
    answer(&report, lang)
}

fn problem_details(report: &Report, lang: Lang) -> Vec<Value> {
    let mut out = Vec::new();
    for check in report.checks() {
        if let Some(code) = check.code.filter(|_| check.outcome == Outcome::Failed) {
            out.push(json!({
                "type": format!("https://passerelle.example/problems/{}", code.as_str().to_ascii_lowercase()),
                "code": code.as_str(),
                "title": code.message(lang),
                "detail": check.detail.clone().unwrap_or_default(),
            }));
        }
    }
    for credential in report.credentials() {
        out.extend(problem_details(credential, lang));
    }
    out
}

/// The first failed check's code and detail, the presentation's own
/// checks before its credentials'.
fn first_failure(report: &Report) -> Option<(passerelle::ErrorCode, String)> {
    let own = report.checks().iter().find_map(|check| {
        let code = check.code.filter(|_| check.outcome == Outcome::Failed)?;
        Some((
            code,
            check.detail.clone().unwrap_or_else(|| "verification failed".into()),
        ))
    });
    own.or_else(|| report.credentials().iter().find_map(first_failure))
}

fn answer(report: &Report, lang: Lang) -> Result<Response, Problem> {
    let details = problem_details(report, lang);
    if report.verified() {
        let body = json!({"verified": true, "problemDetails": details, "report": report.to_json()});
        return Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response());
    }
    let problem = match first_failure(report) {
        Some((code, detail)) => Problem::library_code(StatusCode::BAD_REQUEST, code, detail),
        None => Problem::new(StatusCode::BAD_REQUEST, Code::RequestInvalid, "verification failed"),
    };
    Err(problem
        .with("verified", Value::Bool(false))
        .with("problemDetails", Value::Array(details))
        .with("report", report.to_json()))
}
