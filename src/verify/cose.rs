//! Credentials and presentations secured with COSE (`application/vc+cose`,
//! `application/vp+cose`, VC-JOSE-COSE §3.3): the same checks as any
//! credential or presentation, over the COSE_Sign1's payload, with its
//! signature as the `proof` check.

use std::sync::Arc;

use super::jose::{check_iss, check_nonce_and_aud, jwt_time_checks, party_role, Expected};
use super::CREDENTIAL_CHECKS;
use super::{with_rest_skipped, Check, CheckName, DocumentKind, Report, Securing, Verifier, VerifyOptions};
use crate::cose::{self, CoseCredential};
use crate::did::{DidResolver, ResolvedMethod};
use crate::error::{Error, Result};
use crate::jose::Media;
use crate::secured::EvidenceKey;

impl<R: DidResolver> Verifier<R> {
    /// Verifies the bytes of a COSE_Sign1 credential or presentation.
    pub(super) fn verify_cose(&self, bytes: &[u8], options: &VerifyOptions) -> Report {
        self.verify_cose_as(bytes, options, Expected::Any)
    }

    /// [`Verifier::verify_cose`] of a COSE_Sign1 that must be of the kind
    /// `expected` says: one of the other kind is refused before its checks.
    pub(super) fn verify_cose_as(&self, bytes: &[u8], options: &VerifyOptions, expected: Expected) -> Report {
        let format = || vec![(EvidenceKey::Format, cose::typ(Media::Credential).to_owned())];
        let refused = |error: Error| {
            let check = Check::failed(CheckName::Parse, &error, format());
            Report::new(
                DocumentKind::Credential,
                with_rest_skipped(check, CREDENTIAL_CHECKS),
                Vec::new(),
            )
        };
        let credential = match cose::parse_sign1(bytes, options.limits) {
            Ok(credential) => credential,
            Err(e) => return refused(e),
        };
        if let Some(refused) = expected.refuse(credential.media) {
            return refused;
        }
        let evidence = vec![
            (EvidenceKey::Format, cose::typ(credential.media).to_owned()),
            (EvidenceKey::Bytes, bytes.len().to_string()),
        ];
        let parse_check = Check::passed(CheckName::Parse, evidence);
        match credential.media {
            Media::Credential => {
                self.credential_report(&credential.payload, parse_check, options, Securing::Cose(&credential))
            }
            Media::Presentation => self.presentation_checks(
                credential.payload.clone(),
                parse_check,
                options,
                Securing::Cose(&credential),
            ),
        }
    }

    /// The `proof` check of a COSE credential or presentation: the key
    /// `kid` names signed it, and its JWT claims (`iss`, `nonce`, `aud`,
    /// `iat`, `nbf`, `exp`) are judged as a `vc+jwt`'s or `vp+jwt`'s are.
    pub(super) fn cose_proof_check(
        &self,
        credential: &CoseCredential,
        issuer: &str,
        options: &VerifyOptions,
        checks: &mut Vec<Check>,
    ) -> Option<Vec<Arc<ResolvedMethod>>> {
        let vm = credential.verification_method(issuer);
        let evidence = vec![
            (EvidenceKey::Format, cose::typ(credential.media).to_owned()),
            (EvidenceKey::Alg, credential.alg.as_str().to_owned()),
            (EvidenceKey::Kid, vm.clone()),
        ];
        self.token_proof_check(&vm, evidence, options, checks, |signer, evidence| {
            check_cose(credential, issuer, signer, options, evidence)
        })
    }
}

fn check_cose(
    credential: &CoseCredential,
    party: &str,
    signer: &ResolvedMethod,
    options: &VerifyOptions,
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    // JWT claims in the payload are judged as a vc+jwt's are: the same
    // signed payload gets the same verdict whatever secures it.
    check_iss(&credential.payload, party, party_role(credential.media))?;
    credential.verify_signature(&signer.method.public_key)?;
    check_nonce_and_aud(&credential.payload, options, evidence)?;
    jwt_time_checks(&credential.payload, options, evidence)
}
