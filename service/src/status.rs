//! `POST /tenants/{tenant}/credentials/status` (VCALM §3.2.4): revoke,
//! suspend or reinstate a credential the tenant issued. The change and its
//! audit line are committed before the answer; the list's version is
//! bumped, so every instance signs the list again before serving it.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::auth::{authorize, Scope};
use crate::db::{self, AuditLine};
use crate::problem::{lang_of, Answer, Code, Problem};
use crate::request::{read_body, refuse_unknown};
use crate::AppState;

/// The handler.
pub async fn update_status(
    State(state): State<AppState>,
    Path(tenant_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Answer {
    Answer {
        lang: lang_of(&headers),
        result: change(&state, &tenant_id, &headers, body).await,
    }
}

async fn change(
    state: &AppState,
    tenant_id: &str,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Response, Problem> {
    if let Err(problem) = state.tenant(tenant_id).await {
        return Err(crate::request::refuse_unread(body, problem).await);
    }
    let caller = match authorize(state, headers, tenant_id, Scope::Status).await {
        Ok(caller) => caller,
        Err(problem) => return Err(crate::request::refuse_unread(body, problem).await),
    };
    // Read only once the caller is known: no one unauthenticated makes
    // the service hold a megabyte.
    let body = crate::request::read_limited(body).await?;
    let request = read_body(&body)?;
    refuse_unknown(&request, &["credentialId", "credentialStatus", "status"], "request")?;
    let Some(Value::String(credential_id)) = request.get("credentialId") else {
        return Err(Problem::invalid("credentialId must be a string"));
    };
    let Some(Value::Object(entry)) = request.get("credentialStatus") else {
        return Err(Problem::invalid("credentialStatus must be an object"));
    };
    refuse_unknown(
        entry,
        &["type", "statusPurpose", "id", "statusListIndex", "statusListCredential"],
        "credentialStatus",
    )?;
    match entry.get("type").and_then(Value::as_str) {
        Some("BitstringStatusListEntry" | "BitstringStatusList") => {}
        _ => {
            return Err(Problem::invalid(
                "credentialStatus.type must be BitstringStatusListEntry",
            ))
        }
    }
    let Some(purpose) = entry.get("statusPurpose").and_then(Value::as_str) else {
        return Err(Problem::invalid("credentialStatus.statusPurpose must be a string"));
    };
    let Some(set) = request.get("status").and_then(Value::as_bool) else {
        return Err(Problem::invalid("status must be true or false"));
    };
    let action = match (purpose, set) {
        ("revocation", true) => "revoke",
        ("suspension", true) => "suspend",
        ("suspension", false) => "reinstate",
        ("revocation", false) => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                Code::StatusChangeInvalid,
                "a revocation cannot be undone",
            ))
        }
        _ => {
            return Err(Problem::invalid(format!(
                "unknown statusPurpose {purpose:?}: revocation or suspension"
            )))
        }
    };

    let at = (state.clock)().to_string();
    let mut tx = state.db.begin().await.map_err(Problem::database)?;
    let entries = db::entries_of(&mut tx, tenant_id, credential_id)
        .await
        .map_err(Problem::database)?;
    if entries.is_empty() {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            Code::CredentialUnknown,
            format!("tenant {tenant_id} issued no credential {credential_id} with status entries"),
        ));
    }
    let wanted: Vec<_> = entries.iter().filter(|e| e.purpose == purpose).collect();
    let given_list = entry.get("statusListCredential").and_then(Value::as_str);
    let Some(target) = wanted.iter().find(|e| given_list.is_none_or(|url| url == e.list_url)) else {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            Code::StatusChangeInvalid,
            format!(
                "credential {credential_id} has no {purpose} entry{}",
                given_list.map(|u| format!(" in {u}")).unwrap_or_default()
            ),
        ));
    };
    // Members naming the entry must name this one: a request is never
    // read as something else than it says.
    let index_text = target.index.to_string();
    let entry_id = format!("{}#{}", target.list_url, target.index);
    for (member, expected) in [("statusListIndex", index_text.as_str()), ("id", entry_id.as_str())] {
        if let Some(given) = entry.get(member) {
            if given.as_str() != Some(expected) {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    Code::StatusChangeInvalid,
                    format!("credentialStatus.{member} {given} is not the credential's {purpose} entry ({expected})"),
                ));
            }
        }
    }
    let value = i64::from(set);
    if target.status != value {
        db::set_status(&mut tx, &target.list_url, target.index, value)
            .await
            .map_err(Problem::database)?;
        let line = AuditLine {
            tenant_id: tenant_id.to_owned(),
            actor: caller.actor,
            action: action.into(),
            credential_id: Some(credential_id.clone()),
            list_url: Some(target.list_url.clone()),
            index: Some(target.index),
            ..AuditLine::default()
        };
        db::append_audit(&mut tx, &line, &at).await.map_err(Problem::database)?;
    }
    tx.commit().await.map_err(Problem::database)?;
    let body = json!({
        "credentialId": credential_id,
        "credentialStatus": {
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": target.index.to_string(),
            "statusListCredential": target.list_url,
        },
        "status": set,
    });
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response())
}
