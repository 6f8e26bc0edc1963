//! Trust Registry Query Protocol v2: the authorization and recognition
//! queries and responses, and an answerer over a [`TrustStore`].
//!
//! The HTTP binding (`POST /authorization`, `POST /recognition`, RFC 7807
//! problems) is in `server` (feature `server`) and `client` (feature
//! `native`); this module is transport-free, so it also runs in a browser.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::resolve::{PathStep, TrustAnswer, Wanted};
use super::store::TrustStore;
use crate::error::{quoted, Error, ErrorCode, Lang, Result};
use crate::json::{self, Limits};
use crate::time::Timestamp;

/// Largest TRQP request accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// Query conditions; TRQP defines `time`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryContext {
    /// The time as of which the statement must hold (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
}

/// "Does `authority_id` authorize `entity_id` to take `action` on `resource`?"
/// (TRQP v2 authorization query; `recognition` queries have the same shape).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The entity asked about (an issuer, or a registry for recognition).
    pub entity_id: String,
    /// The authority whose statements count (a trust anchor).
    pub authority_id: String,
    /// `issue` (authorization) or `recognize` (recognition).
    pub action: String,
    /// The resource: a credential type or namespaced resource
    /// (`ca-bc:MinesActPermit`); for recognition, a pattern such as `ca-bc:*`.
    pub resource: String,
    /// Optional conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<QueryContext>,
}

impl Query {
    /// Parses a query: at most [`MAX_REQUEST_BYTES`], no duplicate keys,
    /// the four identifiers present and non-empty.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let limits = Limits {
            max_bytes: MAX_REQUEST_BYTES,
            max_depth: 8,
        };
        let value =
            json::parse_strict(bytes, limits).map_err(|e| Error::new(ErrorCode::TrqpRequestInvalid, e.to_string()))?;
        let query: Query =
            serde_json::from_value(value).map_err(|e| Error::new(ErrorCode::TrqpRequestInvalid, e.to_string()))?;
        for (name, field) in [
            ("entity_id", &query.entity_id),
            ("authority_id", &query.authority_id),
            ("action", &query.action),
            ("resource", &query.resource),
        ] {
            if field.is_empty() {
                return Err(Error::new(
                    ErrorCode::TrqpRequestInvalid,
                    format!("{name} must not be empty"),
                ));
            }
        }
        Ok(query)
    }
}

/// The answer to a [`Query`]: the query's fields echoed, the verdict
/// (`authorized` or `recognized`), the times, a message, and two extension
/// members: `reason` (a passerelle code when the answer is no) and `path`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Echo of the query.
    pub entity_id: String,
    /// Echo of the query.
    pub authority_id: String,
    /// Echo of the query.
    pub action: String,
    /// Echo of the query.
    pub resource: String,
    /// The verdict of an authorization query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized: Option<bool>,
    /// The verdict of a recognition query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognized: Option<bool>,
    /// The time the query asked about, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_requested: Option<Timestamp>,
    /// The time the answer holds for.
    pub time_evaluated: Timestamp,
    /// A sentence for a person (English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The query's context, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<QueryContext>,
    /// Extension: why not, as a stable code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Extension: the evidence path, anchor first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<PathStep>,
    /// Extension: the resource that matched, when it differs from the query's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_resource: Option<String>,
}

/// A TRQP request the answerer cannot take, with its HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 400 (malformed), 404 (unknown authority or action), 413 (too large).
    pub status: u16,
    /// The stable code.
    pub error: Error,
}

impl Refusal {
    /// The RFC 7807 problem details body.
    pub fn problem(&self) -> Value {
        let mut body = Map::new();
        body.insert(
            "type".into(),
            format!(
                "https://passerelle.example/problems/{}",
                self.error.code().as_str().to_ascii_lowercase()
            )
            .into(),
        );
        body.insert("title".into(), self.error.message(Lang::En).into());
        body.insert("status".into(), self.status.into());
        body.insert("detail".into(), self.error.detail().into());
        body.insert("code".into(), self.error.code().as_str().into());
        Value::Object(body)
    }
}

fn refuse(status: u16, code: ErrorCode, detail: impl Into<String>) -> Refusal {
    Refusal {
        status,
        error: Error::new(code, detail),
    }
}

impl TrustStore {
    /// Answers a TRQP authorization query (`action` `issue`) from the
    /// snapshots: the query's `authority_id` is the anchor, `time` the
    /// query's context time or `now`.
    pub fn answer_authorization(&self, query: &Query, now: Timestamp) -> Result<Response, Refusal> {
        if query.action != "issue" {
            return Err(refuse(
                404,
                ErrorCode::TrqpRequestInvalid,
                format!("action {} is not defined; use \"issue\"", quoted(&query.action)),
            ));
        }
        self.known_authority(&query.authority_id)?;
        let time = query.context.as_ref().and_then(|c| c.time).unwrap_or(now);
        let wanted = [query.resource.as_str()];
        let mut answer = self.authorize_from(
            std::slice::from_ref(&query.authority_id),
            &query.entity_id,
            Wanted::Types(&wanted),
            time,
        );
        if let Some(stale) = self.stale_on(&answer.path, now) {
            answer.authorized = false;
            answer.reason = Some(stale);
        }
        let message = if answer.authorized {
            format!(
                "{} is authorized for {}+{} by {}.",
                query.entity_id, query.action, query.resource, query.authority_id
            )
        } else {
            answer
                .reason
                .as_ref()
                .map(|e| e.detail().to_owned())
                .unwrap_or_default()
        };
        Ok(response(query, Some(answer.authorized), None, time, message, &answer))
    }

    /// Answers a TRQP recognition query (`action` `recognize`): does
    /// `authority_id` recognize the registry `entity_id` for `resource`?
    pub fn answer_recognition(&self, query: &Query, now: Timestamp) -> Result<Response, Refusal> {
        if query.action != "recognize" {
            return Err(refuse(
                404,
                ErrorCode::TrqpRequestInvalid,
                format!("action {} is not defined; use \"recognize\"", quoted(&query.action)),
            ));
        }
        self.known_authority(&query.authority_id)?;
        let time = query.context.as_ref().and_then(|c| c.time).unwrap_or(now);
        let path = self.recognizes(&query.authority_id, &query.entity_id, &query.resource, time);
        let stale = path.as_deref().and_then(|path| self.stale_on(path, now));
        let recognized = path.is_some() && stale.is_none();
        let message = if recognized {
            format!(
                "{} recognizes {} for {}.",
                query.authority_id, query.entity_id, query.resource
            )
        } else {
            format!(
                "{} does not recognize {} for {}.",
                query.authority_id, query.entity_id, query.resource
            )
        };
        let answer = TrustAnswer {
            authorized: recognized,
            reason: stale
                .or_else(|| (!recognized).then(|| Error::new(ErrorCode::RegistryNotRecognized, message.clone()))),
            matched_type: None,
            resource: None,
            path: path.unwrap_or_default(),
        };
        Ok(response(query, None, Some(recognized), time, message, &answer))
    }

    fn known_authority(&self, authority: &str) -> Result<(), Refusal> {
        if self.registry(authority).is_none() {
            return Err(refuse(
                404,
                ErrorCode::RegistryNotRecognized,
                format!("no registry {authority} here"),
            ));
        }
        Ok(())
    }
}

fn response(
    query: &Query,
    authorized: Option<bool>,
    recognized: Option<bool>,
    time: Timestamp,
    message: String,
    answer: &TrustAnswer,
) -> Response {
    Response {
        entity_id: query.entity_id.clone(),
        authority_id: query.authority_id.clone(),
        action: query.action.clone(),
        resource: query.resource.clone(),
        authorized,
        recognized,
        time_requested: query.context.as_ref().and_then(|c| c.time),
        time_evaluated: time,
        message: Some(message),
        context: query.context.clone(),
        reason: answer.reason.as_ref().map(|e| e.code().as_str().to_owned()),
        path: answer.path.clone(),
        matched_resource: answer.resource.clone().filter(|r| *r != query.resource),
    }
}

impl Response {
    /// The answer as a [`TrustAnswer`] (for a client that verifies with a
    /// remote registry).
    pub fn to_answer(&self, matched_type: &str) -> TrustAnswer {
        let yes = self.authorized.or(self.recognized).unwrap_or(false);
        let reason = (!yes).then(|| {
            let code = self
                .reason
                .as_deref()
                .and_then(ErrorCode::from_code)
                .unwrap_or(ErrorCode::IssuerNotAuthorized);
            Error::new(code, self.message.clone().unwrap_or_default())
        });
        TrustAnswer {
            authorized: yes,
            reason,
            matched_type: yes.then(|| matched_type.to_owned()),
            resource: yes.then(|| self.matched_resource.clone().unwrap_or_else(|| self.resource.clone())),
            path: self.path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example_and_refuses_bad_queries() {
        let example = br#"{"entity_id": "user-1234", "authority_id": "auth-service-A", "action": "issue",
            "resource": "country:state:driverlicense", "context": {"time": "2025-06-19T11:30:00Z"}}"#;
        let query = Query::parse(example).unwrap();
        assert_eq!(query.context.unwrap().time.unwrap().to_string(), "2025-06-19T11:30:00Z");
        for bad in [
            &br#"{"entity_id": "a", "authority_id": "b", "action": "issue"}"#[..],
            br#"{"entity_id": "", "authority_id": "b", "action": "issue", "resource": "r"}"#,
            br#"{"entity_id": "a", "entity_id": "a", "authority_id": "b", "action": "issue", "resource": "r"}"#,
            br#"{"entity_id": "a", "authority_id": "b", "action": "issue", "resource": "r", "context": {"time": "yesterday"}}"#,
            b"[]",
            b"not json",
        ] {
            assert_eq!(Query::parse(bad).unwrap_err().code(), ErrorCode::TrqpRequestInvalid, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(
            Query::parse(&vec![b' '; MAX_REQUEST_BYTES + 1]).unwrap_err().code(),
            ErrorCode::TrqpRequestInvalid
        );
    }
}
