//! The `status` check of an IETF SD-JWT VC: its `status.status_list`
//! claim (draft-ietf-oauth-status-list, Validation Rules) read from the Status List
//! Token the verifier's status source supplies for its `uri`. The token
//! must be the credential issuer's — signed with a key of the issuer's,
//! for assertions — as a Bitstring Status List must be: another party's
//! list says nothing about the issuer's credentials. The status policy
//! applies as for Bitstring entries.

use serde_json::{Map, Value};

use super::jose::{check_iss, jwt_time_checks};
use super::status::{unknown_refused, without_source, StatusOutcome};
use super::{Check, Verifier, VerifyOptions};
use crate::did::{DidResolver, VerificationRelationship};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose;
use crate::json::Limits;
use crate::secured::{check_key_binding, EvidenceKey};
use crate::status::token::{StatusListReference, TokenStatusList, INVALID, STATUS_LIST_TOKEN_TYP, SUSPENDED, VALID};
use crate::status::MAX_LIST_CREDENTIAL_BYTES;

/// The status mechanism this verifier reads in a `status` claim.
const STATUS_LIST: &str = "status_list";

impl<R: DidResolver> Verifier<R> {
    /// The `status` check of an SD-JWT VC's claims, issued by `issuer`.
    pub(super) fn token_status_check(
        &self,
        claims: &Map<String, Value>,
        issuer: &str,
        options: &VerifyOptions,
    ) -> Check {
        self.token_status_outcome(claims, issuer, options).into_check()
    }

    fn token_status_outcome(
        &self,
        claims: &Map<String, Value>,
        issuer: &str,
        options: &VerifyOptions,
    ) -> StatusOutcome {
        let policy = options.status_policy;
        let failed = |error: Error, evidence, rule| StatusOutcome::Failed { error, evidence, rule };
        let status = match claims.get("status") {
            None => return StatusOutcome::NoEntries,
            Some(Value::Object(status)) if !status.is_empty() => status,
            Some(Value::Object(_)) => {
                // draft §6.2: at least one reference to a status mechanism.
                let error = Error::new(
                    ErrorCode::StatusListInvalid,
                    "the status claim names no status mechanism",
                );
                return failed(error, Vec::new(), None);
            }
            Some(_) => {
                let error = Error::new(ErrorCode::StatusListInvalid, "the status claim is not an object");
                return failed(error, Vec::new(), None);
            }
        };
        // Other members name status mechanisms this verifier does not read.
        let unchecked: Vec<String> = status.keys().filter(|name| *name != STATUS_LIST).cloned().collect();
        if !unchecked.is_empty() && !policy.accept_unknown_types {
            return unknown_refused(&unchecked, "status mechanisms");
        }
        let reference = match StatusListReference::from_status_claim(status) {
            None => return StatusOutcome::OnlyUnknownTypes { unchecked },
            Some(Ok(reference)) => reference,
            Some(Err(e)) => return failed(e, Vec::new(), None),
        };
        let mut evidence = vec![
            (EvidenceKey::StatusType, STATUS_LIST.to_owned()),
            (EvidenceKey::StatusListIndex, reference.index.to_string()),
            (EvidenceKey::StatusListCredential, reference.uri.clone()),
        ];
        if self.status.is_none() {
            return without_source(policy, evidence);
        }
        let value = match self.token_status_value(&reference, issuer, options) {
            Ok(value) => value,
            Err(e) => return failed(e, evidence, None),
        };
        evidence.push((EvidenceKey::Status, format!("0x{value:x}")));
        let at = |what: &str| format!("{what} in {} at index {}", reference.uri, reference.index);
        let error = match value {
            VALID => {
                return StatusOutcome::Read {
                    evidence,
                    message: None,
                    unchecked,
                }
            }
            INVALID => Error::new(ErrorCode::CredentialRevoked, at("INVALID (revoked)")),
            SUSPENDED => Error::new(ErrorCode::CredentialSuspended, at("SUSPENDED")),
            // 0x03 and 0x0C–0x0F are application-specific, the rest unregistered.
            other => Error::new(
                ErrorCode::StatusTypeUnsupported,
                at(&format!(
                    "status 0x{other:x}, whose meaning this verifier does not know,"
                )),
            ),
        };
        failed(error, evidence, None)
    }

    /// The draft's Validation Rules, steps 2–6: the Status List Token of
    /// `reference.uri`, checked, and the status at `reference.index`.
    fn token_status_value(&self, reference: &StatusListReference, issuer: &str, options: &VerifyOptions) -> Result<u8> {
        let uri = &reference.uri;
        let invalid = |why: &str| Error::new(ErrorCode::StatusListInvalid, format!("{uri}: {why}"));
        let source = self
            .status
            .as_deref()
            .ok_or_else(|| Error::new(ErrorCode::StatusListUnavailable, "no status source"))?;
        let bytes = source.status_list(uri)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| invalid("not a compact JWS"))?;
        let limits = Limits {
            max_bytes: MAX_LIST_CREDENTIAL_BYTES,
            ..options.limits
        };
        let token = jose::parse_signed_jwt(text.trim(), limits).map_err(|e| invalid(e.detail()))?;
        // A media type in `typ` may be written in full and in any case (RFC 7515 §4.1.9).
        let typ = token.typ().unwrap_or_default();
        let typ = typ
            .get(..12)
            .filter(|p| p.eq_ignore_ascii_case("application/"))
            .map_or(typ, |_| &typ[12..]);
        if !typ.eq_ignore_ascii_case(STATUS_LIST_TOKEN_TYP) {
            return Err(invalid(&format!("typ is not {STATUS_LIST_TOKEN_TYP}")));
        }
        // The issuer's own key, for assertions: a kid is resolved against
        // the issuer, never trusted on its own.
        let kid = jose::required_kid(&token.header).map_err(|e| invalid(e.detail()))?;
        let vm = jose::kid_method(&kid, issuer);
        let signer = self
            .keys
            .retrieve(&vm, options.pinned(), &self.resolver, options.time)
            .map_err(|e| invalid(&format!("its key {}: {} ({})", quoted(&vm), e.code(), e.detail())))?;
        token
            .verify_signature(&signer.method.public_key)
            .map_err(|e| invalid(&format!("its signature: {} ({})", e.code(), e.detail())))?;
        let (_, bound) = check_key_binding(
            std::slice::from_ref(&signer),
            VerificationRelationship::AssertionMethod,
            Some(issuer),
            EvidenceKey::Issuer,
        );
        bound.map_err(|e| invalid(&format!("not the issuer's key for assertions: {}", e.detail())))?;
        // The claims as any JWT's (`iss`, `iat`, `nbf`, `exp`), and `iat`
        // and `sub` required (§5.1).
        let claims = &token.payload;
        if claims.get("sub").and_then(Value::as_str) != Some(uri.as_str()) {
            return Err(invalid("its sub is not the uri the credential names"));
        }
        if !claims.contains_key("iat") {
            return Err(invalid("iat is required"));
        }
        check_iss(claims, issuer, "issuer").map_err(|e| invalid(e.detail()))?;
        jwt_time_checks(claims, options, &mut Vec::new()).map_err(|e| invalid(e.detail()))?;
        let list = TokenStatusList::from_claim(claims.get("status_list").unwrap_or(&Value::Null))
            .map_err(|e| invalid(e.detail()))?;
        list.get(reference.index).map_err(|e| invalid(e.detail()))
    }
}
