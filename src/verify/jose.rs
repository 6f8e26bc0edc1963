//! Credentials secured as `vc+jwt` (VC-JOSE-COSE): the same checks as a
//! Data Integrity credential, with the JWS signature as the `proof` check.

use std::sync::Arc;

use super::{with_rest_skipped, Check, CheckName, DocumentKind, Report, Securing, Verifier, VerifyOptions};
use super::{CREDENTIAL_CHECKS, PRESENTATION_CHECKS};
use crate::did::{DidResolver, ResolvedMethod};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{self, Jws, Media};

impl<R: DidResolver> Verifier<R> {
    /// Verifies a compact JWS: header and claims, then the credential checks.
    pub(super) fn verify_jwt(&self, input: &[u8], options: &VerifyOptions) -> Report {
        let jws = match jose::parse_compact(input, options.limits) {
            Ok(jws) => jws,
            Err(e) => {
                let check = Check::failed(CheckName::Parse, &e, vec![("format", "compact JWS".to_owned())]);
                return Report::new(
                    DocumentKind::Credential,
                    with_rest_skipped(check, CREDENTIAL_CHECKS),
                    Vec::new(),
                );
            }
        };
        if jws.media == Media::Presentation {
            let e = Error::new(
                ErrorCode::JoseHeaderInvalid,
                "vp+jwt presentations are not supported yet",
            );
            let check = Check::failed(CheckName::Parse, &e, vec![("format", "vp+jwt".to_owned())]);
            return Report::new(
                DocumentKind::Presentation,
                with_rest_skipped(check, PRESENTATION_CHECKS),
                Vec::new(),
            );
        }
        let parse_check = Check::passed(
            CheckName::Parse,
            vec![("format", "vc+jwt".to_owned()), ("bytes", input.len().to_string())],
        );
        self.credential_report(&jws.payload, parse_check, options, true, Securing::Jose(&jws))
    }

    /// The `proof` check of a JWT: claims that must agree with the
    /// credential, the key `kid` names, the signature, then `exp`, `iat`
    /// and `nbf` against the verification time. Returns the signer when
    /// its key was found, so the key binding can still be judged.
    pub(super) fn jose_proof_check(
        &self,
        jws: &Jws<'_>,
        issuer: &str,
        options: &VerifyOptions,
        checks: &mut Vec<Check>,
    ) -> Option<Vec<Arc<ResolvedMethod>>> {
        let vm = jws.verification_method(issuer);
        let mut evidence = vec![
            ("format", "vc+jwt".to_owned()),
            ("alg", jws.alg.as_str().to_owned()),
            ("kid", vm.clone()),
        ];
        let signer = match self.keys.retrieve(&vm, &self.resolver) {
            Ok(signer) => signer,
            Err(e) => {
                checks.push(Check::failed(CheckName::Proof, &e, evidence));
                return None;
            }
        };
        match check_jwt(jws, issuer, &signer, options, &mut evidence) {
            Ok(()) => checks.push(Check::passed(CheckName::Proof, evidence)),
            Err(e) => checks.push(Check::failed(CheckName::Proof, &e, evidence)),
        }
        Some(vec![signer])
    }
}

fn check_jwt(
    jws: &Jws<'_>,
    issuer: &str,
    signer: &ResolvedMethod,
    options: &VerifyOptions,
    evidence: &mut Vec<(&'static str, String)>,
) -> Result<()> {
    if let Some(iss) = jws.payload.get("iss") {
        if iss.as_str() != Some(issuer) {
            return Err(Error::new(
                ErrorCode::JoseClaimsInvalid,
                format!("iss {iss} is not the issuer {}", quoted(issuer)),
            ));
        }
    }
    jws.verify_signature(&signer.method.public_key)?;
    if let Some(iat) = jws.time_claim("iat")? {
        evidence.push(("created", iat.to_string()));
        if iat > options.time {
            return Err(Error::new(
                ErrorCode::ProofCreatedInFuture,
                format!("iat {iat} is after {}", options.time),
            ));
        }
    }
    if let Some(nbf) = jws.time_claim("nbf")? {
        if nbf > options.time {
            return Err(Error::new(
                ErrorCode::ProofCreatedInFuture,
                format!("nbf {nbf} is after {}", options.time),
            ));
        }
    }
    if let Some(exp) = jws.time_claim("exp")? {
        evidence.push(("expires", exp.to_string()));
        if exp <= options.time {
            return Err(Error::new(
                ErrorCode::ProofExpired,
                format!("exp {exp}, verified at {}", options.time),
            ));
        }
    }
    Ok(())
}
