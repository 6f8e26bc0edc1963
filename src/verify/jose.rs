//! Credentials secured as `vc+jwt` (VC-JOSE-COSE): the same checks as a
//! Data Integrity credential, with the JWS signature as the `proof` check.

use std::sync::Arc;

use super::{
    with_rest_skipped, with_rest_skipped_after, Check, CheckName, DocumentKind, Outcome, Report, Securing, Verifier,
    VerifyOptions,
};
use super::{CREDENTIAL_CHECKS, PRESENTATION_CHECKS};
use crate::did::{DidResolver, ResolvedMethod};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{self, Jws, Media};
use crate::secured::EvidenceKey;

impl<R: DidResolver> Verifier<R> {
    /// Verifies a compact JWS: header and claims, then the credential checks.
    /// Without the `jose` feature a token is recognized and refused. This
    /// and the two other entries below return early in such a build, so
    /// the compiler leaves JOSE verification out of it.
    pub(super) fn verify_jwt(&self, input: &[u8], options: &VerifyOptions) -> Report {
        self.verify_jwt_as(input, options, Expected::Any)
    }

    /// [`Verifier::verify_jwt`] of a token that must be of the kind
    /// `expected` says: one of the other kind is refused before its checks.
    pub(super) fn verify_jwt_as(&self, input: &[u8], options: &VerifyOptions, expected: Expected) -> Report {
        // A `~` cannot be in a compact JWS: it separates an SD-JWT's parts.
        #[cfg(feature = "sd-jwt")]
        if input.contains(&b'~') {
            return self.verify_sd_jwt_as(input, options, expected);
        }
        let parsed = if cfg!(feature = "jose") {
            jose::parse_compact(input, options.limits)
        } else {
            Err(Error::new(
                ErrorCode::CryptosuiteUnsupported,
                "vc+jwt and vp+jwt need passerelle's `jose` feature, which this build leaves out",
            ))
        };
        let jws = match parsed {
            Ok(jws) => jws,
            Err(e) => {
                let check = Check::failed(
                    CheckName::Parse,
                    &e,
                    vec![(EvidenceKey::Format, "compact JWS".to_owned())],
                );
                return Report::new(
                    DocumentKind::Credential,
                    with_rest_skipped(check, CREDENTIAL_CHECKS),
                    Vec::new(),
                );
            }
        };
        if let Some(refused) = expected.refuse(jws.media) {
            return refused;
        }
        let format = jws.media.typ();
        let parse_check = Check::passed(
            CheckName::Parse,
            vec![
                (EvidenceKey::Format, format.to_owned()),
                (EvidenceKey::Bytes, input.len().to_string()),
            ],
        );
        match jws.media {
            Media::Credential => self.credential_report(&jws.payload, parse_check, options, Securing::Jose(&jws)),
            Media::Presentation => {
                self.presentation_checks(jws.payload.clone(), parse_check, options, Securing::Jose(&jws))
            }
        }
    }

    /// Verifies an envelope of `media` (VCDM 2.0 §4.13, §4.14) as the
    /// token its `data:` URL holds: first the envelope's own rules
    /// ([`jose::open_envelope`], a `data_model` failure), then the token, which
    /// must be of the kind the envelope says.
    pub(super) fn verify_enveloped(
        &self,
        envelope: &serde_json::Map<String, serde_json::Value>,
        media: Media,
        options: &VerifyOptions,
    ) -> Report {
        if !cfg!(feature = "jose") {
            // The refusal verify_jwt gives any token without `jose`.
            return self.verify_jwt(b"", options);
        }
        let (kind, names) = match media {
            Media::Credential => (DocumentKind::Credential, CREDENTIAL_CHECKS),
            Media::Presentation => (DocumentKind::Presentation, PRESENTATION_CHECKS),
        };
        let refused = |name: CheckName, error: Error| refused_envelope(media, name, error);
        let enveloped = match jose::open_envelope(envelope, media) {
            Ok(enveloped) => enveloped,
            Err(e) => return refused(CheckName::DataModel, e),
        };
        let report = match self.verify_enveloped_token(enveloped, media, options) {
            Ok(report) => report,
            Err(e) => return refused(CheckName::Parse, e),
        };
        // A token of the other kind was refused as such (`Expected::Envelope`);
        // one that could not be read says why, whatever kind it claims.
        match report.checks().first().filter(|c| c.outcome == Outcome::Failed) {
            Some(unreadable) => Report::new(kind, with_rest_skipped(unreadable.clone(), names), Vec::new()),
            None => report,
        }
    }

    /// The report on the token an envelope of `media` holds, by the media
    /// type its `data:` URL names: a JWS (`vc+jwt`, `vp+jwt`), an SD-JWT
    /// (`vc+sd-jwt`, `vp+sd-jwt`) or a COSE_Sign1 in base64 (`vc+cose`,
    /// `vp+cose`, VC-JOSE-COSE §3.3). Refused: any other media type, or
    /// data that is not of the kind it names.
    fn verify_enveloped_token(
        &self,
        enveloped: jose::Enveloped<'_>,
        media: Media,
        options: &VerifyOptions,
    ) -> Result<Report> {
        #[cfg(feature = "cose")]
        if enveloped.media_type == crate::cose::envelope_media_type(media) {
            use base64::Engine as _;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(enveloped.data)
                .map_err(|_| {
                    Error::new(
                        ErrorCode::CoseMalformed,
                        format!("the data of an {} envelope is not base64", crate::cose::typ(media)),
                    )
                })?;
            return Ok(self.verify_cose_as(&bytes, options, Expected::Envelope(media)));
        }
        #[cfg(feature = "sd-jwt")]
        if enveloped.media_type == crate::sd_jwt::envelope_media_type(media) {
            return Ok(self.verify_sd_jwt_as(enveloped.data.as_bytes(), options, Expected::Envelope(media)));
        }
        if enveloped.media_type != media.media_type() {
            let other = match media {
                Media::Credential => Media::Presentation,
                Media::Presentation => Media::Credential,
            };
            if envelope_media_types(other).contains(&enveloped.media_type) {
                return Ok(kind_mismatch(media, other, Some(media.enveloped_type())));
            }
            return Err(Error::new(
                ErrorCode::CryptosuiteUnsupported,
                format!(
                    "{} is not a securing mechanism this verifier reads (it reads {})",
                    quoted(enveloped.media_type),
                    envelope_media_types(media).join(", ")
                ),
            ));
        }
        // A `~` separates an SD-JWT's parts: never in what says it is a JWS.
        if !jose::looks_like_compact_jws(enveloped.data.as_bytes()) || enveloped.data.contains('~') {
            return Err(Error::new(
                ErrorCode::JoseMalformed,
                format!("the data of an {} is not a compact JWS", media.enveloped_type()),
            ));
        }
        Ok(self.verify_jwt_as(enveloped.data.as_bytes(), options, Expected::Envelope(media)))
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
        // Never reached without `jose` (verify_jwt refuses every token
        // first), which the compiler cannot see through `Securing`.
        if !cfg!(feature = "jose") {
            return None;
        }
        let vm = jws.verification_method(issuer);
        let evidence = vec![
            (EvidenceKey::Format, jws.media.typ().to_owned()),
            (EvidenceKey::Alg, jws.alg.as_str().to_owned()),
            (EvidenceKey::Kid, vm.clone()),
        ];
        self.token_proof_check(&vm, evidence, options, checks, |signer, evidence| {
            check_jwt(jws, issuer, signer, options, evidence)
        })
    }

    /// The `proof` check of a signed token (JWS, SD-JWT, COSE): the key
    /// `vm` names retrieved, then `check` judges the token with it. The
    /// check is pushed onto `checks` with `evidence`; the signer is
    /// returned when its key was found, so the key binding can still be
    /// judged.
    pub(super) fn token_proof_check(
        &self,
        vm: &str,
        mut evidence: Vec<(EvidenceKey, String)>,
        options: &VerifyOptions,
        checks: &mut Vec<Check>,
        check: impl FnOnce(&ResolvedMethod, &mut Vec<(EvidenceKey, String)>) -> Result<()>,
    ) -> Option<Vec<Arc<ResolvedMethod>>> {
        let signer = match self.keys.retrieve(vm, options.pinned(), &self.resolver, options.time) {
            Ok(signer) => signer,
            Err(e) => {
                checks.push(Check::failed(CheckName::Proof, &e, evidence));
                return None;
            }
        };
        match check(&signer, &mut evidence) {
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
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    check_iss(&jws.payload, issuer, party_role(jws.media))?;
    jws.verify_signature(&signer.method.public_key)?;
    check_nonce_and_aud(&jws.payload, options, evidence)?;
    jwt_time_checks(&jws.payload, options, evidence)
}

/// The report on an envelope of `media` refused by the check `name`
/// (`parse` for its token, `data_model` for the envelope or the kind of
/// what it holds): the rest of its checks skipped.
fn refused_envelope(media: Media, name: CheckName, error: Error) -> Report {
    refused_as(media, name, error, Some(media.enveloped_type()))
}

/// The report on a document of kind `media` refused by the check `name`,
/// its `format` (if known) as evidence: the rest of its checks skipped.
fn refused_as(media: Media, name: CheckName, error: Error, format: Option<&str>) -> Report {
    let (kind, names) = match media {
        Media::Credential => (DocumentKind::Credential, CREDENTIAL_CHECKS),
        Media::Presentation => (DocumentKind::Presentation, PRESENTATION_CHECKS),
    };
    let evidence = || {
        format
            .map(|f| (EvidenceKey::Format, f.to_owned()))
            .into_iter()
            .collect()
    };
    let mut checks = Vec::with_capacity(names.len());
    if name == CheckName::DataModel {
        checks.push(Check::passed(CheckName::Parse, evidence()));
    }
    checks.push(Check::failed(name, &error, evidence()));
    Report::new(kind, with_rest_skipped_after(checks, names), Vec::new())
}

/// A `found` where a `media` was expected, in an envelope when
/// `envelope` names its type: a `data_model` failure.
fn kind_mismatch(media: Media, found: Media, envelope: Option<&str>) -> Report {
    let place = envelope.unwrap_or("where one is verified");
    let error = Error::new(
        ErrorCode::TypeInvalid,
        format!("a {} is not a {} ({place})", kind_name(found), kind_name(media)),
    );
    refused_as(media, CheckName::DataModel, error, envelope)
}

/// The media types an envelope of `media` may name in its `data:` URL, in
/// this build.
fn envelope_media_types(media: Media) -> Vec<&'static str> {
    #[cfg_attr(not(any(feature = "sd-jwt", feature = "cose")), allow(unused_mut))]
    let mut types = vec![media.media_type()];
    #[cfg(feature = "sd-jwt")]
    types.push(crate::sd_jwt::envelope_media_type(media));
    #[cfg(feature = "cose")]
    types.push(crate::cose::envelope_media_type(media));
    types
}

/// What a token must be, by where it was found.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Expected {
    /// Anything: [`Verifier::verify`] reads credentials and presentations.
    Any,
    /// A credential or a presentation: what [`Verifier::verify_credential`]
    /// or [`Verifier::verify_presentation`] was given.
    Kind(Media),
    /// What an envelope of this kind holds.
    Envelope(Media),
}

impl Expected {
    /// The report refusing a token of kind `found` where another was
    /// expected (a `data_model` failure); `None` when it fits.
    pub(super) fn refuse(self, found: Media) -> Option<Report> {
        match self {
            Expected::Kind(media) if media != found => Some(kind_mismatch(media, found, None)),
            Expected::Envelope(media) if media != found => {
                Some(kind_mismatch(media, found, Some(media.enveloped_type())))
            }
            _ => None,
        }
    }
}

fn kind_name(media: Media) -> &'static str {
    match media {
        Media::Credential => "credential",
        Media::Presentation => "presentation",
    }
}

/// The verifier's challenge as the claim `nonce` and its domain in `aud`
/// (VC-JOSE-COSE secures a presentation's binding to its verifier as JWT
/// claims, whatever signs them).
pub(super) fn check_nonce_and_aud(
    claims: &serde_json::Map<String, serde_json::Value>,
    options: &VerifyOptions,
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    if let Some(expected) = &options.challenge {
        if claims.get("nonce").and_then(serde_json::Value::as_str) != Some(expected.as_str()) {
            return Err(Error::new(
                ErrorCode::ChallengeMismatch,
                "the nonce differs from the challenge",
            ));
        }
        evidence.push((EvidenceKey::Challenge, expected.clone()));
    }
    if let Some(expected) = &options.domain {
        let audience = match claims.get("aud") {
            Some(serde_json::Value::String(aud)) => aud == expected,
            Some(serde_json::Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(expected.as_str())),
            _ => false,
        };
        if !audience {
            return Err(Error::new(
                ErrorCode::DomainMismatch,
                format!("aud does not name {expected}"),
            ));
        }
        evidence.push((EvidenceKey::Domain, expected.clone()));
    }
    Ok(())
}

/// A JWT claim `iss`, when present, names `issuer` (the `role` the
/// document gives it: issuer or holder).
pub(super) fn check_iss(claims: &serde_json::Map<String, serde_json::Value>, issuer: &str, role: &str) -> Result<()> {
    match claims.get("iss") {
        Some(iss) if iss.as_str() != Some(issuer) => Err(Error::new(
            ErrorCode::JoseClaimsInvalid,
            format!("iss {iss} is not the {role} {}", quoted(issuer)),
        )),
        _ => Ok(()),
    }
}

/// `iat`, when present, not after the verification time.
pub(super) fn check_issued_at(
    claims: &serde_json::Map<String, serde_json::Value>,
    options: &VerifyOptions,
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    if let Some(iat) = jose::time_claim(claims, "iat")? {
        evidence.push((EvidenceKey::Created, iat.to_string()));
        if iat > options.time {
            return Err(Error::new(
                ErrorCode::ProofCreatedInFuture,
                format!("iat {iat} is after {}", options.time),
            ));
        }
    }
    Ok(())
}

/// `iat` and `nbf` not after the verification time, `exp` after it.
pub(super) fn jwt_time_checks(
    claims: &serde_json::Map<String, serde_json::Value>,
    options: &VerifyOptions,
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    check_issued_at(claims, options, evidence)?;
    let time_claim = |name: &str| jose::time_claim(claims, name);
    if let Some(nbf) = time_claim("nbf")? {
        if nbf > options.time {
            return Err(Error::new(
                ErrorCode::ProofCreatedInFuture,
                format!("nbf {nbf} is after {}", options.time),
            ));
        }
    }
    if let Some(exp) = time_claim("exp")? {
        evidence.push((EvidenceKey::Expires, exp.to_string()));
        if exp <= options.time {
            return Err(Error::new(
                ErrorCode::ProofExpired,
                format!("exp {exp}, verified at {}", options.time),
            ));
        }
    }
    Ok(())
}

/// Who signs a document of `media`: its issuer or its holder.
pub(super) fn party_role(media: Media) -> &'static str {
    match media {
        Media::Credential => "issuer",
        Media::Presentation => "holder",
    }
}
