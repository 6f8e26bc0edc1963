//! Presentations: the holder's proof (Data Integrity, `vp+jwt`,
//! `vp+sd-jwt` or `vp+cose`), its binding to the holder, and every
//! credential inside, each with its own report.

use serde_json::{Map, Value};

use super::{
    key_binding_check, types_include, with_rest_skipped_after, Check, CheckName, DocumentKind, Report, Securing,
    Verifier, VerifyOptions, PRESENTATION_CHECKS,
};
use crate::credential::Presentation;
use crate::did::{DidResolver, VerificationRelationship};
use crate::error::{Error, ErrorCode};
use crate::jose::Media;
use crate::secured::EvidenceKey;

impl<R: DidResolver> Verifier<R> {
    pub(super) fn presentation_checks(
        &self,
        map: Map<String, Value>,
        parse_check: Check,
        options: &VerifyOptions,
        securing: Securing<'_>,
    ) -> Report {
        let mut checks = vec![parse_check];
        let read = Presentation::from_json(map);
        // Whose claims would they be? A presentation carries several.
        #[cfg(feature = "sd-jwt")]
        let read = read.and_then(|presentation| match options.required_claims.is_empty() {
            true => Ok(presentation),
            false => Err(Error::new(
                ErrorCode::OptionInvalid,
                "required claims name claims of one credential: verify it on its own",
            )),
        });
        let presentation = match read {
            Ok(p) => p,
            Err(e) => {
                checks.push(Check::failed(CheckName::DataModel, &e, Vec::new()));
                return Report::new(
                    DocumentKind::Presentation,
                    with_rest_skipped_after(checks, PRESENTATION_CHECKS),
                    Vec::new(),
                );
            }
        };
        let mut evidence = vec![(EvidenceKey::Credentials, presentation.credentials().len().to_string())];
        if let Some(holder) = presentation.holder() {
            evidence.push((EvidenceKey::Holder, holder.to_owned()));
        }
        checks.push(Check::passed(CheckName::DataModel, evidence));

        let signers = match securing {
            Securing::DataIntegrity => self.proof_checks(
                presentation.json(),
                VerificationRelationship::Authentication,
                options,
                true,
                &mut checks,
            ),
            Securing::Jose(jws) => {
                self.jose_proof_check(jws, presentation.holder().unwrap_or_default(), options, &mut checks)
            }
            #[cfg(feature = "sd-jwt")]
            Securing::SdJwt(secured) => {
                self.sd_jwt_proof_check(secured, presentation.holder().unwrap_or_default(), options, &mut checks)
            }
            #[cfg(feature = "cose")]
            Securing::Cose(secured) => {
                self.cose_proof_check(secured, presentation.holder().unwrap_or_default(), options, &mut checks)
            }
        };
        checks.push(key_binding_check(
            signers.as_deref(),
            VerificationRelationship::Authentication,
            presentation.holder(),
            EvidenceKey::Holder,
        ));

        // The challenge and domain bound the holder's proof; the issuers of
        // the credentials carried could not know them.
        let carried = VerifyOptions {
            challenge: None,
            domain: None,
            ..options.clone()
        };
        let reports: Vec<Report> = presentation
            .credentials()
            .into_iter()
            .map(|vc| {
                if cfg!(feature = "jose") && types_include(vc, Media::Credential.enveloped_type()) {
                    return self.verify_enveloped(vc, Media::Credential, &carried);
                }
                let parse_check = Check::passed(CheckName::Parse, Vec::new());
                self.credential_checks(vc, parse_check, &carried)
            })
            .collect();
        let failed: Vec<String> = reports
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.verified())
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        checks.push(if reports.is_empty() {
            Check::skipped(
                CheckName::Credentials,
                "The presentation holds no credential.",
                "La présentation ne contient aucune attestation.",
            )
        } else if failed.is_empty() {
            Check::passed(
                CheckName::Credentials,
                vec![(EvidenceKey::Count, reports.len().to_string())],
            )
        } else {
            let error = Error::new(
                ErrorCode::PresentationCredentialInvalid,
                format!(
                    "credential(s) {} failed",
                    crate::error::join(&mut failed.iter().map(String::as_str), ", ")
                ),
            );
            let evidence = failed.iter().map(|i| (EvidenceKey::Failed, i.clone())).collect();
            Check::failed(CheckName::Credentials, &error, evidence)
        });
        Report::new(DocumentKind::Presentation, checks, reports)
    }
}
