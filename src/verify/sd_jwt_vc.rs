//! IETF SD-JWT VCs (`dc+sd-jwt`, draft-ietf-oauth-sd-jwt-vc): an SD-JWT
//! whose claims are not a VCDM document but JWT claims — `vct` (the type),
//! `iss`, `iat`, `nbf`, `exp`, `cnf`, `status` — beside the subject's own.
//! The checks of the report, with what each reads:
//!
//! - `data_model`: `vct`, a non-empty string in the clear; the issuer, a
//!   DID or an `https` URL in `iss` (or the controller of an absolute
//!   `kid`). An `https` issuer's keys come from its controlled identifier
//!   document (supplied, or fetched with the `native` feature) or a method
//!   the verifier pinned; JWT VC Issuer Metadata is not read.
//! - `proof`: the issuer's signature with the key `kid` names, `iat`, and
//!   the holder's Key Binding JWT (as for `vc+sd-jwt`).
//! - `key_binding`: that key is the issuer's, for assertions.
//! - `validity_period`: `nbf` and `exp`.
//! - `status`: a `status.status_list` claim read from the issuer's IETF
//!   Token Status List (`token_status`); other status mechanisms fail with
//!   `STATUS_TYPE_UNSUPPORTED` unless the caller accepts unknown status
//!   types.
//! - `trust`: the issuer authorized for `vct`, judged at `iat` (else `nbf`).
//!
//! `vct`, `vct#integrity` and `status` must not be disclosable (draft
//! §2.2.2.3); arriving in a Disclosure, they are refused, as `iss`, `aud`,
//! `exp`, `nbf` and `cnf` are for every SD-JWT.

use serde_json::{Map, Value};

use super::sd_jwt::SecuredSdJwt;
use super::{
    key_binding_check, with_rest_skipped_after, Check, CheckName, DocumentKind, Report, Verifier, VerifyOptions,
    CREDENTIAL_CHECKS,
};
use crate::credential::Facts;
use crate::did::{DidResolver, VerificationRelationship};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::time_claim;
use crate::secured::EvidenceKey;

use crate::sd_jwt::{claim_of, VCDM_ONLY, VC_NEVER_DISCLOSED as NEVER_DISCLOSED};

/// Refuses `vct`, `vct#integrity`, `status` or `iat` put in place by a Disclosure.
pub(super) fn check_disclosed(disclosed: &[String]) -> Result<()> {
    match disclosed
        .iter()
        .find(|pointer| claim_of(pointer, &NEVER_DISCLOSED).is_some())
    {
        Some(pointer) => Err(Error::new(
            ErrorCode::SdJwtPayloadInvalid,
            format!(
                "{} of an SD-JWT VC was selectively disclosable: a holder could leave it out",
                quoted(pointer)
            ),
        )),
        None => Ok(()),
    }
}

/// Refuses `vct`, `vct#integrity`, `status` or `iat` signed with digests of
/// selectively disclosable parts inside (a status reference a holder could
/// leave out): what Disclosures cannot put in place, the issuer must not
/// hide either.
pub(super) fn check_signed_in_clear(signed: &Map<String, Value>) -> Result<()> {
    match signed
        .iter()
        .find(|(name, value)| NEVER_DISCLOSED.contains(&name.as_str()) && super::sd_jwt::holds_digest(value))
    {
        Some((name, _)) => Err(Error::new(
            ErrorCode::SdJwtPayloadInvalid,
            format!(
                "{} of an SD-JWT VC holds selectively disclosable parts: a holder could leave them out",
                quoted(name)
            ),
        )),
        None => Ok(()),
    }
}

/// The type and issuer of an SD-JWT VC, from what the issuer signed in the clear.
fn type_and_issuer(secured: &SecuredSdJwt<'_>) -> Result<(String, String)> {
    let signed = &secured.sd_jwt.jwt.payload;
    let vct = match signed.get("vct") {
        Some(Value::String(vct)) if !vct.is_empty() => vct.clone(),
        Some(_) => return Err(Error::new(ErrorCode::TypeInvalid, "vct is not a non-empty string")),
        None => return Err(Error::new(ErrorCode::TypeInvalid, "an SD-JWT VC names its type in vct")),
    };
    let issuer = match signed.get("iss") {
        Some(Value::String(iss)) => match crate::did::validate_controller_id(iss) {
            Ok(()) => iss.clone(),
            Err(e) => {
                return Err(Error::new(
                    ErrorCode::IssuerInvalid,
                    format!("iss is not a DID or an https URL: {}", e.detail()),
                ))
            }
        },
        Some(_) => return Err(Error::new(ErrorCode::IssuerInvalid, "iss is not a string")),
        None => match crate::did::split_controller_url(&secured.kid) {
            Ok((controller, fragment)) if fragment.starts_with('#') => controller.to_owned(),
            _ => {
                return Err(Error::new(
                    ErrorCode::IssuerInvalid,
                    "no iss, and kid is not an absolute URL naming the issuer's key",
                ))
            }
        },
    };
    Ok((vct, issuer))
}

impl<R: DidResolver> Verifier<R> {
    /// The report of an SD-JWT VC (see the module's documentation).
    pub(super) fn sd_jwt_vc_report(
        &self,
        secured: &SecuredSdJwt<'_>,
        claims: &Map<String, Value>,
        parse_check: Check,
        options: &VerifyOptions,
    ) -> Report {
        let mut checks = vec![parse_check];
        let facts = type_and_issuer(secured).and_then(|(vct, issuer)| {
            if let Some(name) = VCDM_ONLY.iter().find(|name| claims.contains_key(**name)) {
                return Err(Error::new(
                    ErrorCode::PropertyInvalid,
                    format!("{} is a VCDM property: an SD-JWT VC does not use it", quoted(name)),
                ));
            }
            super::required::check_required_claims(claims, &options.required_claims)?;
            // iat and nbf are never disclosed (checked when the Disclosures
            // were put in place): the issuance time is the issuer's, and
            // the trust check judges the issuer at it (else at nbf).
            let issued = time_claim(claims, "iat")?;
            let nbf = time_claim(claims, "nbf")?;
            time_claim(claims, "exp")?;
            Ok(Facts::of_claims(vec![vct], issuer, issued.or(nbf)))
        });
        let facts = match facts {
            Ok(facts) => facts,
            Err(e) => {
                checks.push(Check::failed(CheckName::DataModel, &e, Vec::new()));
                return Report::new(
                    DocumentKind::Credential,
                    with_rest_skipped_after(checks, CREDENTIAL_CHECKS),
                    Vec::new(),
                );
            }
        };
        checks.push(Check::passed(
            CheckName::DataModel,
            vec![
                (EvidenceKey::Types, facts.types[0].clone()),
                (EvidenceKey::Issuer, facts.issuer.clone()),
            ],
        ));
        let signers = self.sd_jwt_proof_check(secured, &facts.issuer, options, &mut checks);
        checks.push(key_binding_check(
            signers.as_deref(),
            VerificationRelationship::AssertionMethod,
            Some(&facts.issuer),
            EvidenceKey::Issuer,
        ));
        if super::signature_held(&checks) {
            checks.push(validity(claims, options));
            checks.push(self.token_status_check(claims, &facts.issuer, options));
            // No claim of an SD-JWT VC is a Data Integrity proof: the trust
            // check reads no `proof.created` from them.
            checks.push(self.trust_check(&Map::new(), &facts, options));
        } else {
            super::skip_claim_checks(&mut checks);
        }
        Report::new(DocumentKind::Credential, checks, Vec::new())
    }
}

/// `nbf` not after the verification time, `exp` after it (RFC 7519 §4.1.4:
/// at `exp` it has expired).
fn validity(claims: &Map<String, Value>, options: &VerifyOptions) -> Check {
    let mut evidence = vec![(EvidenceKey::Time, options.time.to_string())];
    let judged = (|| {
        if let Some(nbf) = time_claim(claims, "nbf")? {
            evidence.push((EvidenceKey::ValidFrom, nbf.to_string()));
            if nbf > options.time {
                return Err(Error::new(
                    ErrorCode::CredentialNotYetValid,
                    format!("nbf {nbf} is after {}", options.time),
                ));
            }
        }
        if let Some(exp) = time_claim(claims, "exp")? {
            evidence.push((EvidenceKey::Expires, exp.to_string()));
            if exp <= options.time {
                return Err(Error::new(
                    ErrorCode::CredentialExpired,
                    format!("exp {exp}, verified at {}", options.time),
                ));
            }
        }
        Ok(())
    })();
    match judged {
        Ok(()) => Check::passed(CheckName::ValidityPeriod, evidence),
        Err(e) => Check::failed(CheckName::ValidityPeriod, &e, evidence),
    }
}
