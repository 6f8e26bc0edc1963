//! Credentials secured as `vc+sd-jwt` (VC-JOSE-COSE §3.2): an SD-JWT
//! (RFC 9901) whose claims, once the Disclosures sent are in place, are a
//! VCDM 2.0 credential. The credential checks run over those claims; the
//! `proof` check is the issuer's JWS signature, and the holder's Key
//! Binding JWT when the credential names a holder key (`cnf`) or the
//! verifier gives a challenge (its nonce) and domain (its audience).
//!
//! The credential's own properties must be in the clear: a digest (a `_sd`
//! member or a `{"...": digest}` element) anywhere outside
//! `credentialSubject` is refused, so a holder cannot leave out
//! `credentialStatus`, `validUntil`, a `type` or a context by not
//! disclosing it. Selective disclosure is accepted inside
//! `credentialSubject` only.
//!
//! An IETF SD-JWT VC (`dc+sd-jwt`, or `vc+sd-jwt` with a `vct` and no
//! `@context`, as that draft's transition allows) is read here too and
//! checked by `sd_jwt_vc.rs`.
//!
//! A presentation secured as a `vp+sd-jwt` (VC-JOSE-COSE §3.2.2) is signed
//! by its holder, entirely in the clear (no digest anywhere): it gets the
//! presentation checks, with the verifier's challenge and domain in its
//! `nonce` and `aud` claims, as a `vp+jwt`'s.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::jose::{check_iss, check_issued_at, check_nonce_and_aud, jwt_time_checks, party_role, Expected};
use super::CREDENTIAL_CHECKS;
use super::{
    with_rest_skipped, with_rest_skipped_after, Check, CheckName, DocumentKind, Report, Securing, Verifier,
    VerifyOptions,
};
use crate::did::{DidResolver, ResolvedMethod};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::Media;
use crate::sd_jwt::{self, SdJwt};
use crate::secured::EvidenceKey;

/// The media type of a credential secured with SD-JWT, as `typ` writes it.
pub(crate) const VC_SD_JWT: &str = "vc+sd-jwt";

/// The `typ` of an IETF SD-JWT VC.
pub(crate) const DC_SD_JWT: &str = "dc+sd-jwt";

/// The media type of a presentation secured with SD-JWT, as `typ` writes it.
pub(crate) const VP_SD_JWT: &str = "vp+sd-jwt";

/// What the claims of an SD-JWT are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Profile {
    /// A VCDM 2.0 credential (`vc+sd-jwt`, VC-JOSE-COSE §3.2).
    Vcdm,
    /// An IETF SD-JWT VC (`dc+sd-jwt`): `vct`, `iss`, `cnf`, `status`.
    SdJwtVc,
    /// A VCDM 2.0 presentation (`vp+sd-jwt`, VC-JOSE-COSE §3.2.2), signed
    /// by its holder.
    Presentation,
}

impl Profile {
    pub(super) fn typ(self) -> &'static str {
        match self {
            Profile::Vcdm => VC_SD_JWT,
            Profile::SdJwtVc => DC_SD_JWT,
            Profile::Presentation => VP_SD_JWT,
        }
    }

    /// What its claims are: a presentation, or a credential.
    fn media(self) -> Media {
        match self {
            Profile::Presentation => Media::Presentation,
            Profile::Vcdm | Profile::SdJwtVc => Media::Credential,
        }
    }
}

/// An SD-JWT read and processed, for the `proof` check.
pub(super) struct SecuredSdJwt<'a> {
    pub(super) sd_jwt: SdJwt<'a>,
    pub(super) kid: String,
    pub(super) disclosed: Vec<String>,
    pub(super) profile: Profile,
}

fn refused(error: Error) -> Report {
    let check = Check::failed(
        CheckName::Parse,
        &error,
        vec![(EvidenceKey::Format, "SD-JWT".to_owned())],
    );
    Report::new(
        DocumentKind::Credential,
        with_rest_skipped(check, CREDENTIAL_CHECKS),
        Vec::new(),
    )
}

/// Splits, reads and processes `text` as a `vc+sd-jwt`, with the profile's rules.
fn read<'a>(text: &'a str, options: &VerifyOptions) -> Result<(SecuredSdJwt<'a>, Map<String, Value>)> {
    let sd_jwt = sd_jwt::parse(text, options.limits)?;
    let header_invalid = |why: String| Error::new(ErrorCode::JoseHeaderInvalid, why);
    let payload = &sd_jwt.jwt.payload;
    let profile = match sd_jwt.jwt.typ() {
        Some(typ) if crate::jose::media_is(typ, DC_SD_JWT) => Profile::SdJwtVc,
        // The SD-JWT VC draft used vc+sd-jwt until late 2024: a `vct` and no
        // `@context` say which one this is.
        Some(typ) if crate::jose::media_is(typ, VC_SD_JWT) => {
            match payload.contains_key("vct") && !payload.contains_key("@context") {
                true => Profile::SdJwtVc,
                false => Profile::Vcdm,
            }
        }
        Some(typ) if crate::jose::media_is(typ, VP_SD_JWT) => Profile::Presentation,
        Some(typ) => {
            return Err(header_invalid(format!(
                "typ {} is not vc+sd-jwt, dc+sd-jwt or vp+sd-jwt",
                quoted(typ)
            )))
        }
        None => {
            return Err(header_invalid(
                "typ is missing: an SD-JWT credential says what it is".into(),
            ))
        }
    };
    let kid = crate::jose::required_kid(&sd_jwt.jwt.header)?;
    match profile {
        Profile::Vcdm => {
            if let Some(property) = disclosable_outside_subject(&sd_jwt.jwt.payload) {
                return Err(Error::new(
                    ErrorCode::SdJwtPayloadInvalid,
                    format!(
                        "{} is selectively disclosable: a holder could leave out the credential's own \
                         properties (its status, types, contexts, validity); only claims inside \
                         credentialSubject may be",
                        quoted(property)
                    ),
                ));
            }
            crate::jose::refuse_vc_vp_claims(&sd_jwt.jwt.payload)?;
        }
        Profile::SdJwtVc => super::sd_jwt_vc::check_signed_in_clear(&sd_jwt.jwt.payload)?,
        // The holder signs its presentation: nothing of it is left for the
        // holder to withhold, and anyone else could drop a Disclosure (its
        // nonce, a credential) on the way.
        Profile::Presentation => {
            let payload = &sd_jwt.jwt.payload;
            if payload.contains_key("_sd") || payload.values().any(holds_digest) {
                return Err(Error::new(
                    ErrorCode::SdJwtPayloadInvalid,
                    "a vp+sd-jwt presentation is signed in the clear: none of its members may be \
                     selectively disclosable (the credentials it carries disclose their own claims)",
                ));
            }
            crate::jose::refuse_vc_vp_claims(&sd_jwt.jwt.payload)?;
        }
    }
    let processed = sd_jwt.process(options.limits)?;
    let is_presentation = crate::credential::types(&processed.claims).contains(&"VerifiablePresentation");
    match profile {
        Profile::SdJwtVc => super::sd_jwt_vc::check_disclosed(&processed.disclosed)?,
        Profile::Vcdm if is_presentation => {
            return Err(Error::new(
                ErrorCode::TypeInvalid,
                "a vc+sd-jwt holds a credential: a presentation is secured as a vp+sd-jwt",
            ));
        }
        Profile::Presentation if !is_presentation => {
            return Err(Error::new(
                ErrorCode::TypeInvalid,
                "a vp+sd-jwt holds a presentation (type VerifiablePresentation)",
            ));
        }
        Profile::Vcdm | Profile::Presentation => {}
    }
    let secured = SecuredSdJwt {
        sd_jwt,
        kid,
        disclosed: processed.disclosed,
        profile,
    };
    Ok((secured, processed.claims))
}

/// The first property of the credential, other than `credentialSubject`,
/// that holds a digest (a `_sd` member or a `{"...": digest}` element) at
/// any depth; `_sd` itself when the credential's own properties are.
fn disclosable_outside_subject(payload: &Map<String, Value>) -> Option<&str> {
    if payload.contains_key("_sd") {
        return Some("_sd");
    }
    payload
        .iter()
        .find(|(name, value)| *name != "credentialSubject" && holds_digest(value))
        .map(|(name, _)| name.as_str())
}

/// Whether `value` holds a digest of a selectively disclosable claim or
/// array element (`_sd`, `...`), at any depth.
pub(super) fn holds_digest(value: &Value) -> bool {
    match value {
        Value::Object(object) => {
            object.contains_key("_sd") || object.contains_key("...") || object.values().any(holds_digest)
        }
        Value::Array(items) => items.iter().any(holds_digest),
        _ => false,
    }
}

impl<R: DidResolver> Verifier<R> {
    /// Verifies an SD-JWT (`vc+sd-jwt`, `dc+sd-jwt`, `vp+sd-jwt`): its
    /// parts read and the Disclosures put in place (the `parse` check),
    /// then the checks of its kind over the claims, with
    /// [`Verifier::sd_jwt_proof_check`]. One of another kind than
    /// `expected` says is refused before its checks,
    /// and an envelope holds a VCDM credential or presentation (VCDM 2.0
    /// §4.13, §4.14), never an SD-JWT VC.
    pub(super) fn verify_sd_jwt_as(&self, input: &[u8], options: &VerifyOptions, expected: Expected) -> Report {
        let Ok(text) = std::str::from_utf8(input) else {
            return refused(Error::new(ErrorCode::SdJwtMalformed, "an SD-JWT is ASCII text"));
        };
        let (secured, claims) = match read(text, options) {
            Ok(read) => read,
            Err(e) => return refused(e),
        };
        let parse_check = Check::passed(
            CheckName::Parse,
            vec![
                (EvidenceKey::Format, secured.profile.typ().to_owned()),
                (EvidenceKey::Bytes, input.len().to_string()),
            ],
        );
        if let Some(refused) = expected.refuse(secured.profile.media()) {
            return refused;
        }
        if matches!(expected, Expected::Envelope(_)) && secured.profile == Profile::SdJwtVc {
            let error = Error::new(
                ErrorCode::TypeInvalid,
                "an envelope holds a VCDM credential or presentation, not an SD-JWT VC (dc+sd-jwt)",
            );
            let checks = vec![parse_check, Check::failed(CheckName::DataModel, &error, Vec::new())];
            return Report::new(
                DocumentKind::Credential,
                with_rest_skipped_after(checks, CREDENTIAL_CHECKS),
                Vec::new(),
            );
        }
        match secured.profile {
            Profile::Vcdm => self.credential_report(&claims, parse_check, options, Securing::SdJwt(&secured)),
            Profile::SdJwtVc => self.sd_jwt_vc_report(&secured, &claims, parse_check, options),
            Profile::Presentation => self.presentation_checks(claims, parse_check, options, Securing::SdJwt(&secured)),
        }
    }

    /// The `proof` check of a `vc+sd-jwt`: `iss` (if any) is the issuer,
    /// the key `kid` names signed it, `iat`/`nbf`/`exp` fit the time, and
    /// the holder's Key Binding JWT when one is required. Returns the
    /// signer when its key was found, for the key binding check.
    pub(super) fn sd_jwt_proof_check(
        &self,
        secured: &SecuredSdJwt<'_>,
        issuer: &str,
        options: &VerifyOptions,
        checks: &mut Vec<Check>,
    ) -> Option<Vec<Arc<ResolvedMethod>>> {
        let vm = crate::jose::kid_method(&secured.kid, issuer);
        let mut evidence = vec![
            (EvidenceKey::Format, secured.profile.typ().to_owned()),
            (EvidenceKey::Alg, secured.sd_jwt.jwt.alg.as_str().to_owned()),
            (EvidenceKey::Kid, vm.clone()),
        ];
        evidence.extend(secured.disclosed.iter().map(|p| (EvidenceKey::Disclosed, p.clone())));
        self.token_proof_check(&vm, evidence, options, checks, |signer, evidence| {
            check_sd_jwt(secured, issuer, signer, options, evidence)
        })
    }
}

fn check_sd_jwt(
    secured: &SecuredSdJwt<'_>,
    issuer: &str,
    signer: &ResolvedMethod,
    options: &VerifyOptions,
    evidence: &mut Vec<(EvidenceKey, String)>,
) -> Result<()> {
    let jwt = &secured.sd_jwt.jwt;
    check_iss(&jwt.payload, issuer, party_role(secured.profile.media()))?;
    jwt.verify_signature(&signer.method.public_key)?;
    match secured.profile {
        Profile::Vcdm => jwt_time_checks(&jwt.payload, options, evidence)?,
        // An SD-JWT VC's `exp` and `nbf` are its validity period, checked as such.
        Profile::SdJwtVc => check_issued_at(&jwt.payload, options, evidence)?,
        // The holder's own signature binds the presentation to the verifier,
        // as a vp+jwt's does; a Key Binding JWT, if any, is checked below.
        Profile::Presentation => {
            check_nonce_and_aud(&jwt.payload, options, evidence)?;
            jwt_time_checks(&jwt.payload, options, evidence)?;
        }
    }
    // A challenge or a domain asks for the holder's proof, as it does of a
    // presentation's; a holder key in the credential always does.
    let asks = (secured.profile != Profile::Presentation && (options.challenge.is_some() || options.domain.is_some()))
        .then_some("a challenge or domain was given");
    let mut expected = sd_jwt::VerifyOptions::new(options.time);
    expected.nonce = options.challenge.clone();
    expected.audience = options.domain.clone();
    expected.limits = options.limits;
    if sd_jwt::check_holder_binding(&secured.sd_jwt, asks, &expected)? {
        evidence.push((EvidenceKey::KeyBinding, sd_jwt::KEY_BINDING_TYP.to_owned()));
        // A presentation's evidence already names them (check_nonce_and_aud).
        if secured.profile != Profile::Presentation {
            if let Some(challenge) = &options.challenge {
                evidence.push((EvidenceKey::Challenge, challenge.clone()));
            }
            if let Some(domain) = &options.domain {
                evidence.push((EvidenceKey::Domain, domain.clone()));
            }
        }
    }
    Ok(())
}
