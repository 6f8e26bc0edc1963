//! The TRQP v2 HTTPS binding, client side (feature `native`): queries a
//! remote registry, and implements [`TrustResolver`] so the verifier can use
//! it instead of local snapshots.

use std::time::Duration;

use super::resolve::TrustAnswer;
use super::trqp::{Query, QueryContext, Response};
use super::{TrustResolver, TrustTime};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::time::Timestamp;

/// Largest response body read, in bytes.
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// A client for one TRQP registry endpoint (`https://registry.example`),
/// asking on behalf of the verifier's trust anchors.
pub struct TrqpClient {
    base_url: String,
    anchors: Vec<String>,
    bearer: Option<String>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for TrqpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrqpClient")
            .field("base_url", &self.base_url)
            .field("anchors", &self.anchors)
            .finish_non_exhaustive()
    }
}

impl TrqpClient {
    /// A client for `base_url` (no trailing slash), asking whether
    /// `anchors` authorize issuers, giving up after `timeout`. Redirects
    /// are not followed.
    pub fn new(base_url: impl Into<String>, anchors: Vec<String>, timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build();
        TrqpClient {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            anchors,
            bearer: None,
            agent: config.into(),
        }
    }

    /// Sends `Authorization: Bearer <token>` with every query.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// `POST /authorization`.
    pub fn authorization(&self, query: &Query) -> Result<Response> {
        self.post("/authorization", query)
    }

    /// `POST /recognition`.
    pub fn recognition(&self, query: &Query) -> Result<Response> {
        self.post("/recognition", query)
    }

    fn post(&self, path: &str, query: &Query) -> Result<Response> {
        let unavailable = |detail: String| Error::new(ErrorCode::RegistryUnavailable, detail);
        let body = serde_json::to_vec(query).map_err(|e| unavailable(e.to_string()))?;
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base_url))
            .header("Content-Type", "application/json");
        if let Some(token) = &self.bearer {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request
            .send(&body[..])
            .map_err(|e| unavailable(format!("{}{path}: {e}", self.base_url)))?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| unavailable(format!("reading the response: {e}")))?;
        let limits = Limits {
            max_bytes: MAX_RESPONSE_BYTES as usize,
            max_depth: 32,
        };
        let value = json::parse_strict(&bytes, limits).map_err(|e| unavailable(format!("status {status}: {e}")))?;
        if status != 200 {
            let code = value
                .get("code")
                .and_then(|c| c.as_str())
                .and_then(ErrorCode::from_code)
                .unwrap_or(ErrorCode::RegistryUnavailable);
            let detail = value.get("detail").and_then(|d| d.as_str()).unwrap_or("").to_owned();
            return Err(Error::new(code, format!("status {status}: {detail}")));
        }
        serde_json::from_value(value).map_err(|e| unavailable(format!("not a TRQP response: {e}")))
    }
}

impl TrustResolver for TrqpClient {
    fn anchors(&self) -> &[String] {
        &self.anchors
    }

    /// Asks at `when.issued`, then at `when.verified` as well: a remote
    /// registry may answer for a past time from the statements in force
    /// then, so a revocation or suspension since is looked for in its
    /// answer for the time of verification (any refusal then counts when
    /// `when.strict`).
    fn authorize_issuer_when(&self, issuer: &str, types: &[&str], when: TrustTime) -> TrustAnswer {
        when.judge(true, |time| self.authorize_issuer(issuer, types, time))
    }

    /// Asks each anchor about each credential type; the first "authorized"
    /// wins. Otherwise the most telling reason is kept (any reason beats
    /// `ISSUER_NOT_AUTHORIZED`); an unreachable registry gives
    /// `REGISTRY_UNAVAILABLE`.
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: Timestamp) -> TrustAnswer {
        let mut best: Option<TrustAnswer> = None;
        for anchor in &self.anchors {
            for kind in types.iter().filter(|t| **t != "VerifiableCredential") {
                let query = Query {
                    entity_id: issuer.to_owned(),
                    authority_id: anchor.clone(),
                    action: "issue".into(),
                    resource: (*kind).to_owned(),
                    context: Some(QueryContext { time: Some(time) }),
                };
                let answer = match self.authorization(&query) {
                    Ok(response) => response.to_answer(kind),
                    Err(error) => TrustAnswer {
                        authorized: false,
                        reason: Some(error),
                        matched_type: None,
                        resource: None,
                        path: vec![],
                    },
                };
                if answer.authorized {
                    return answer;
                }
                let weaker = |a: &TrustAnswer| {
                    a.reason
                        .as_ref()
                        .is_none_or(|e| e.code() == ErrorCode::IssuerNotAuthorized)
                };
                if best.as_ref().is_none_or(|b| weaker(b) && !weaker(&answer)) {
                    best = Some(answer);
                }
            }
        }
        best.unwrap_or(TrustAnswer {
            authorized: false,
            reason: Some(Error::new(
                ErrorCode::IssuerNotAuthorized,
                "the credential has no type to ask about",
            )),
            matched_type: None,
            resource: None,
            path: vec![],
        })
    }
}
