//! Issuing: validate a credential, fill the defaults asked for, sign it.

use serde_json::{Map, Value};

use crate::credential::{Credential, DataModelVersion, Presentation, CONTEXT_V1};
use crate::crypto::Signer;
use crate::did::{self, VerificationRelationship};
use crate::error::{Error, ErrorCode, Result};
use crate::proof::{chain_proof, create_proof, Contexts, Cryptosuite, ProofOptions};

/// The Data Integrity context, which defines `DataIntegrityProof` and its
/// properties where the VCDM 1.1 context does not.
pub const CONTEXT_DATA_INTEGRITY_V2: &str = "https://w3id.org/security/data-integrity/v2";
use crate::time::Timestamp;

/// Which properties the issuer fills in when the credential lacks them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IssueDefaults {
    /// Give the credential a random `urn:uuid:` id.
    pub assign_id: bool,
    /// Set `validFrom` (`issuanceDate` for a VCDM 1.1 credential) to the
    /// time of issuance.
    pub set_valid_from: bool,
    /// Make the proof expire this many seconds after issuance.
    pub proof_lifetime_seconds: Option<i64>,
}

/// Signs credentials (and presentations) with one key.
///
/// ```
/// use passerelle::{Issuer, IssueDefaults, Timestamp};
/// use passerelle::crypto::Ed25519KeyPair;
/// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[8; 32]))
///     .with_defaults(IssueDefaults { assign_id: true, set_valid_from: true, ..Default::default() });
/// let unsigned = serde_json::json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"],
///     "issuer": issuer.did(),
///     "credentialSubject": {"id": "did:example:bob"}
/// });
/// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
/// let vc = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
/// assert!(vc.id().unwrap().starts_with("urn:uuid:"));
/// assert_eq!(vc.valid_from(), Some(at));
/// ```
pub struct Issuer<S: Signer> {
    signer: S,
    verification_method: String,
    did: String,
    suite: Cryptosuite,
    defaults: IssueDefaults,
    #[cfg(feature = "rdfc")]
    jsonld: Option<std::sync::Arc<crate::jsonld::JsonLd>>,
    #[cfg(feature = "ecdsa-sd")]
    mandatory_pointers: Vec<String>,
}

impl<S: Signer> std::fmt::Debug for Issuer<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("verification_method", &self.verification_method)
            .finish_non_exhaustive()
    }
}

impl<S: Signer> Issuer<S> {
    /// An issuer that signs with `signer`, named in proofs as
    /// `verification_method`: a DID URL whose DID is the issuer, or an
    /// `https` URL with a fragment whose URL (the controller's
    /// identifier, Controlled Identifiers 1.0) is the issuer.
    pub fn new(signer: S, verification_method: impl Into<String>) -> Result<Self> {
        let verification_method = verification_method.into();
        let (did, fragment) = did::split_controller_url(&verification_method)?;
        if !fragment.starts_with('#') {
            return Err(Error::new(
                ErrorCode::DidInvalid,
                "the verification method needs a #fragment",
            ));
        }
        let did = did.to_owned();
        Ok(Issuer {
            suite: Cryptosuite::for_key(signer.public_key().algorithm()),
            signer,
            verification_method,
            did,
            defaults: IssueDefaults::default(),
            #[cfg(feature = "rdfc")]
            jsonld: None,
            #[cfg(feature = "ecdsa-sd")]
            mandatory_pointers: Vec::new(),
        })
    }

    /// An issuer identified by the `did:key` of its signer's public key.
    pub fn did_key(signer: S) -> Self {
        let public = signer.public_key();
        Issuer {
            verification_method: did::key::verification_method_for(&public),
            did: did::key::did_for(&public),
            suite: Cryptosuite::for_key(public.algorithm()),
            signer,
            defaults: IssueDefaults::default(),
            #[cfg(feature = "rdfc")]
            jsonld: None,
            #[cfg(feature = "ecdsa-sd")]
            mandatory_pointers: Vec::new(),
        }
    }

    /// Signs Data Integrity proofs with `suite` instead of the JCS suite of
    /// the key's type — `eddsa-rdfc-2022` for an Ed25519 key, say.
    /// `KEY_TYPE_UNSUPPORTED` when the suite needs another type of key.
    ///
    /// ```
    /// # #[cfg(feature = "rdfc")] {
    /// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
    /// use passerelle::crypto::Ed25519KeyPair;
    /// use passerelle::proof::Cryptosuite;
    /// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[8; 32]))
    ///     .with_cryptosuite(Cryptosuite::EddsaRdfc2022).unwrap();
    /// let unsigned = serde_json::json!({
    ///     "@context": ["https://www.w3.org/ns/credentials/v2"],
    ///     "type": ["VerifiableCredential"],
    ///     "issuer": issuer.did(),
    ///     "credentialSubject": {"id": "did:example:bob"}
    /// });
    /// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    /// let vc = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
    /// assert_eq!(vc.json()["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    /// let report = Verifier::offline().verify(vc.to_json_string().as_bytes(), &VerifyOptions::at(at));
    /// assert!(report.verified());
    /// # }
    /// ```
    pub fn with_cryptosuite(mut self, suite: Cryptosuite) -> Result<Self> {
        let key = self.signer.public_key().algorithm();
        if !suite.accepts_key(key) {
            return Err(Error::new(
                ErrorCode::KeyTypeUnsupported,
                format!("{suite} needs {} key, not {key}", suite.key_names()),
            ));
        }
        self.suite = suite;
        Ok(self)
    }

    /// The JSON-LD processor (bundled contexts plus the caller's loaders)
    /// the `*-rdfc-*` suites use; by default the bundled contexts only.
    #[cfg(feature = "rdfc")]
    pub fn with_contexts(mut self, jsonld: std::sync::Arc<crate::jsonld::JsonLd>) -> Self {
        self.jsonld = Some(jsonld);
        self
    }

    /// With `ecdsa-sd-2023`: claims of the credential subjects every holder
    /// must show, as JSON pointers (`/credentialSubject/id`), beside the
    /// members outside `credentialSubject`, which are always mandatory (a
    /// verifier relies on them and could not see them dropped).
    ///
    /// ```
    /// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
    /// use passerelle::crypto::P256KeyPair;
    /// use passerelle::jsonld::JsonLd;
    /// use passerelle::proof::{ecdsa_sd, Cryptosuite};
    /// let issuer = Issuer::did_key(P256KeyPair::from_secret_bytes(&[9; 32]).unwrap())
    ///     .with_cryptosuite(Cryptosuite::EcdsaSd2023).unwrap()
    ///     .with_mandatory_pointers(vec!["/credentialSubject/id".into()]);
    /// let unsigned = serde_json::json!({
    ///     "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    ///     "type": ["VerifiableCredential"],
    ///     "issuer": issuer.did(),
    ///     "credentialSubject": {"id": "did:example:bob", "over19": true, "birthDate": "2001-02-03"}
    /// });
    /// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    /// let base = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
    /// let shown = ecdsa_sd::derive_proof(base.json(), &["/credentialSubject/over19".into()],
    ///                                    JsonLd::bundled()).unwrap();
    /// assert!(shown["credentialSubject"].get("birthDate").is_none());
    /// let text = serde_json::to_string(&shown).unwrap();
    /// assert!(Verifier::offline().verify(text.as_bytes(), &VerifyOptions::at(at)).verified());
    /// ```
    #[cfg(feature = "ecdsa-sd")]
    pub fn with_mandatory_pointers(mut self, pointers: Vec<String>) -> Self {
        self.mandatory_pointers = pointers;
        self
    }

    /// The `ecdsa-sd-2023` base proof of `credential`: every member outside
    /// `credentialSubject` mandatory, with the pointers the caller added.
    #[cfg(feature = "ecdsa-sd")]
    fn base_proof(&self, credential: &Map<String, Value>, options: &ProofOptions) -> Result<Map<String, Value>> {
        let mut mandatory: Vec<String> = credential
            .keys()
            .filter(|k| !matches!(k.as_str(), "@context" | "credentialSubject" | "proof"))
            .map(|k| crate::json::pointer::pointer_join("", k))
            .collect();
        mandatory.extend(self.mandatory_pointers.iter().cloned());
        let jsonld = crate::proof::processor(self.contexts());
        crate::proof::ecdsa_sd::base_proof(credential, options, &mandatory, &self.signer, jsonld)
    }

    fn contexts(&self) -> Contexts<'_> {
        #[cfg(feature = "rdfc")]
        return self.jsonld.as_deref();
        #[cfg(not(feature = "rdfc"))]
        None
    }

    /// Sets the defaults filled in on issuance.
    pub fn with_defaults(mut self, defaults: IssueDefaults) -> Self {
        self.defaults = defaults;
        self
    }

    /// The issuer's DID (what a credential's `issuer` must be).
    pub fn did(&self) -> &str {
        &self.did
    }

    /// The DID URL of the signing key.
    pub fn verification_method(&self) -> &str {
        &self.verification_method
    }

    /// Validates `credential` (VCDM 2.0, or 1.1; issuer = this issuer's
    /// DID, no proof yet), fills the requested defaults and signs it at time
    /// `at`.
    ///
    /// A VCDM 1.1 credential (first `@context`
    /// `https://www.w3.org/2018/credentials/v1`, `issuanceDate`) gets
    /// [`CONTEXT_DATA_INTEGRITY_V2`] appended to its `@context` when it is
    /// not there: the 1.1 context does not define `DataIntegrityProof`
    /// (Data Integrity §2.4 asks the signer to add it).
    ///
    /// ```
    /// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
    /// use passerelle::crypto::Ed25519KeyPair;
    /// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[8; 32]));
    /// let unsigned = serde_json::json!({
    ///     "@context": ["https://www.w3.org/2018/credentials/v1"],
    ///     "id": "urn:uuid:9f0c3d6e-2b7a-4e1f-8c55-1d2e3f4a5b6c",
    ///     "type": ["VerifiableCredential"],
    ///     "issuer": issuer.did(),
    ///     "issuanceDate": "2026-01-01T00:00:00Z",
    ///     "credentialSubject": {"id": "did:example:bob"}
    /// });
    /// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    /// let vc = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
    /// assert_eq!(vc.json()["@context"][1], "https://w3id.org/security/data-integrity/v2");
    /// let report = Verifier::offline().verify(vc.to_json_string().as_bytes(), &VerifyOptions::at(at));
    /// assert!(report.verified());
    /// ```
    pub fn issue(&self, credential: Map<String, Value>, at: Timestamp) -> Result<Credential> {
        self.issue_proof(credential, None, at)
    }

    /// As [`Issuer::issue`], with `proof_id` as the proof's `id`, so that a
    /// later proof can name it in `previousProof` (see
    /// [`Issuer::add_chained_proof`]).
    pub fn issue_with_proof_id(
        &self,
        credential: Map<String, Value>,
        proof_id: &str,
        at: Timestamp,
    ) -> Result<Credential> {
        self.issue_proof(credential, Some(proof_id), at)
    }

    fn issue_proof(&self, credential: Map<String, Value>, proof_id: Option<&str>, at: Timestamp) -> Result<Credential> {
        let checked = self.prepare(with_data_integrity_context(credential), at, true)?;
        let mut options = self.assertion_options(at);
        options.id = proof_id.map(str::to_owned);
        #[cfg(feature = "ecdsa-sd")]
        if self.suite == Cryptosuite::EcdsaSd2023 {
            let proof = self.base_proof(checked.json(), &options)?;
            return Ok(checked.with_proof(proof));
        }
        let proof = create_proof(checked.json(), self.suite, &options, &self.signer, self.contexts())?;
        Ok(checked.with_proof(proof))
    }

    fn assertion_options(&self, at: Timestamp) -> ProofOptions {
        let mut options = ProofOptions::assertion(self.verification_method.clone(), at);
        options.expires = self.defaults.proof_lifetime_seconds.map(|s| at.plus_seconds(s));
        options
    }

    /// Adds this signer's `assertionMethod` proof, made at `at`, to a
    /// credential that is already secured with one or more Data Integrity
    /// proofs (Data Integrity §4.3). With `previous` empty the proof joins
    /// the set independently; otherwise it follows the proofs whose `id`s
    /// are `previous` (a proof chain: it signs over them, so changing or
    /// removing them breaks it). `proof_id` is the new proof's `id`, for a
    /// later proof to follow it. The existing proofs are not verified here.
    ///
    /// The signer need not be the credential's issuer (a notary, say), but
    /// a [`Verifier`](crate::Verifier) binds every proof's key to the
    /// issuer: a proof by another party fails its key binding check.
    ///
    /// ```
    /// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
    /// use passerelle::crypto::Ed25519KeyPair;
    /// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[8; 32]));
    /// let unsigned = serde_json::json!({
    ///     "@context": ["https://www.w3.org/ns/credentials/v2"],
    ///     "type": ["VerifiableCredential"],
    ///     "issuer": issuer.did(),
    ///     "credentialSubject": {"id": "did:example:bob"}
    /// });
    /// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    /// let first = issuer.issue_with_proof_id(unsigned.as_object().unwrap().clone(), "urn:example:proof-1", at).unwrap();
    /// let chained = issuer.add_chained_proof(first, &["urn:example:proof-1"], None, at).unwrap();
    /// assert_eq!(chained.json()["proof"][1]["previousProof"], "urn:example:proof-1");
    /// let report = Verifier::offline().verify(chained.to_json_string().as_bytes(), &VerifyOptions::at(at));
    /// assert!(report.verified());
    /// ```
    pub fn add_chained_proof(
        &self,
        credential: Credential,
        previous: &[&str],
        proof_id: Option<&str>,
        at: Timestamp,
    ) -> Result<Credential> {
        let mut options = self.assertion_options(at);
        options.id = proof_id.map(str::to_owned);
        let secured = chain_proof(
            credential.json(),
            self.suite,
            &options,
            previous,
            &self.signer,
            self.contexts(),
        )?;
        Credential::from_json(secured)
    }

    /// Validates and completes `credential` as [`Issuer::issue`] does, then
    /// secures it as a `vc+jwt` compact JWS (VC-JOSE-COSE): EdDSA or ES256
    /// by key type, `kid` the verification method, `iat` the time of
    /// issuance and `exp` the proof lifetime, if one is set.
    ///
    /// ```
    /// use passerelle::{Issuer, Timestamp, Verifier, VerifyOptions};
    /// use passerelle::crypto::Ed25519KeyPair;
    /// let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[8; 32]));
    /// let unsigned = serde_json::json!({
    ///     "@context": ["https://www.w3.org/ns/credentials/v2"],
    ///     "type": ["VerifiableCredential"],
    ///     "issuer": issuer.did(),
    ///     "credentialSubject": {"id": "did:example:bob"}
    /// });
    /// let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    /// let jwt = issuer.issue_jwt(unsigned.as_object().unwrap().clone(), at).unwrap();
    /// let report = Verifier::offline().verify(jwt.as_bytes(), &VerifyOptions::at(at));
    /// // Verifying a token needs the `jose` feature (default on).
    /// assert_eq!(report.verified(), cfg!(feature = "jose"));
    /// ```
    pub fn issue_jwt(&self, credential: Map<String, Value>, at: Timestamp) -> Result<String> {
        let checked = self.prepare(credential, at, false)?;
        let mut claims = checked.into_json();
        self.stamp_jwt_times(&mut claims, at);
        crate::jose::sign_compact(
            &claims,
            &self.verification_method,
            crate::jose::Media::Credential,
            &self.signer,
        )
    }

    /// Secures `credential` as a COSE_Sign1 (`application/vc+cose`,
    /// VC-JOSE-COSE §3.3): its bytes, tagged; `alg`, `kid` (the issuer's
    /// verification method), `typ` and content type protected.
    #[cfg(feature = "cose")]
    pub fn issue_cose(&self, credential: Map<String, Value>, at: Timestamp) -> Result<Vec<u8>> {
        let checked = self.prepare(credential, at, false)?;
        crate::cose::sign_sign1(
            &checked.into_json(),
            &self.verification_method,
            crate::jose::Media::Credential,
            &self.signer,
        )
    }

    /// Secures `credential` as a `vc+jwt` ([`Issuer::issue_jwt`]) in an
    /// `EnvelopedVerifiableCredential` (VCDM 2.0 §4.13): JSON that verifies
    /// on its own or inside a presentation's `verifiableCredential`.
    pub fn issue_enveloped(&self, credential: Map<String, Value>, at: Timestamp) -> Result<Map<String, Value>> {
        let token = self.issue_jwt(credential, at)?;
        Ok(crate::jose::envelope(&token, crate::jose::Media::Credential))
    }

    /// Secures `credential` as a `vc+sd-jwt` (VC-JOSE-COSE §3.2, RFC
    /// 9901): the claims at the JSON pointers `disclose` become
    /// selectively disclosable, `holder_key` (if any) goes in `cnf` so a
    /// verifier requires the holder's Key Binding JWT. Returns the SD-JWT
    /// with every Disclosure, for the holder ([`crate::sd_jwt::present`]).
    ///
    /// Only claims inside `credentialSubject` may be disclosable
    /// (`/credentialSubject/birthDate`, not `/credentialSubject`,
    /// `/validUntil` or `/credentialStatus/0`): verifiers refuse a
    /// credential whose own properties a holder could hide
    /// (`OPTION_INVALID` here).
    #[cfg(feature = "sd-jwt")]
    pub fn issue_sd_jwt(
        &self,
        credential: Map<String, Value>,
        disclose: &[&str],
        holder_key: Option<crate::crypto::PublicKey>,
        at: Timestamp,
    ) -> Result<String> {
        if let Some(outside) = disclose.iter().find(|p| !p.starts_with("/credentialSubject/")) {
            return Err(Error::new(
                ErrorCode::OptionInvalid,
                format!(
                    "{}: only claims inside credentialSubject may be disclosable (a holder could \
                     leave out the credential's own properties)",
                    crate::error::quoted(outside)
                ),
            ));
        }
        let checked = self.prepare(credential, at, false)?;
        let mut claims = checked.into_json();
        self.stamp_jwt_times(&mut claims, at);
        let options = crate::sd_jwt::IssueOptions {
            typ: "vc+sd-jwt".into(),
            kid: Some(self.verification_method.clone()),
            decoys: 0,
            holder_key,
        };
        crate::sd_jwt::issue(&claims, disclose, &options, &self.signer)
    }

    /// Issues `claims` as an IETF SD-JWT VC (`typ` `dc+sd-jwt`): JWT claims
    /// with the credential type in `vct` (required) and the subject's own
    /// claims, `iss` set to the issuer's DID, `iat` to `at`, the claims at
    /// the JSON pointers `disclose` selectively disclosable, `holder_key`
    /// (if any) in `cnf`. Returns the SD-JWT with every Disclosure.
    ///
    /// Refused: no `vct` (`TYPE_INVALID`), an `iss` other than the issuer's
    /// DID (`ISSUER_INVALID`), a disclosable `iss`, `aud`, `exp`, `nbf`,
    /// `cnf`, `vct`, `vct#integrity` or `status` (`OPTION_INVALID`: a holder
    /// could leave them out).
    #[cfg(feature = "sd-jwt")]
    pub fn issue_sd_jwt_vc(
        &self,
        mut claims: Map<String, Value>,
        disclose: &[&str],
        holder_key: Option<crate::crypto::PublicKey>,
        at: Timestamp,
    ) -> Result<String> {
        if !matches!(claims.get("vct"), Some(Value::String(vct)) if !vct.is_empty()) {
            return Err(Error::new(ErrorCode::TypeInvalid, "an SD-JWT VC names its type in vct"));
        }
        match claims.get("iss") {
            None => {
                claims.insert("iss".into(), self.did.clone().into());
            }
            Some(iss) if iss.as_str() == Some(self.did.as_str()) => {}
            Some(iss) => {
                return Err(Error::new(
                    ErrorCode::IssuerInvalid,
                    format!("iss {iss} is not the issuer {}", self.did),
                ))
            }
        }
        if let Some(name) = crate::sd_jwt::VCDM_ONLY.iter().find(|name| claims.contains_key(**name)) {
            return Err(Error::new(
                ErrorCode::PropertyInvalid,
                format!(
                    "{} is a VCDM property: an SD-JWT VC does not use it (issue a VCDM credential instead)",
                    crate::error::quoted(name)
                ),
            ));
        }
        for name in ["iat", "nbf", "exp"] {
            crate::jose::time_claim(&claims, name)?;
        }
        if let Some(kept) = disclose
            .iter()
            .find(|p| crate::sd_jwt::claim_of(p, &crate::sd_jwt::VC_NEVER_DISCLOSED).is_some())
        {
            return Err(Error::new(
                ErrorCode::OptionInvalid,
                format!("{} cannot be disclosable in an SD-JWT VC", crate::error::quoted(kept)),
            ));
        }
        self.stamp_jwt_times(&mut claims, at);
        let options = crate::sd_jwt::IssueOptions {
            typ: "dc+sd-jwt".into(),
            kid: Some(self.verification_method.clone()),
            decoys: 0,
            holder_key,
        };
        crate::sd_jwt::issue(&claims, disclose, &options, &self.signer)
    }

    /// `iat` at `at`, and `exp` when the defaults give a proof lifetime: the
    /// JWT claims every token this issuer signs carries.
    fn stamp_jwt_times(&self, claims: &mut Map<String, Value>, at: Timestamp) {
        claims.insert("iat".into(), at.unix_seconds().into());
        if let Some(lifetime) = self.defaults.proof_lifetime_seconds {
            claims.insert("exp".into(), at.plus_seconds(lifetime).unix_seconds().into());
        }
    }

    /// The checks and defaults shared by both ways of securing; VCDM 1.1
    /// only when `v1_allowed` (Data Integrity: VC-JOSE-COSE secures VCDM
    /// 2.0 only).
    fn prepare(&self, mut credential: Map<String, Value>, at: Timestamp, v1_allowed: bool) -> Result<Credential> {
        if credential.contains_key("proof") {
            return Err(Error::new(
                ErrorCode::ProofAlreadyPresent,
                "the credential is already signed",
            ));
        }
        if self.defaults.assign_id && !credential.contains_key("id") {
            credential.insert("id".into(), Value::String(random_urn_uuid()?));
        }
        let v1 = first_context(&credential) == Some(CONTEXT_V1);
        let valid_from = if v1 { "issuanceDate" } else { "validFrom" };
        if self.defaults.set_valid_from && !credential.contains_key(valid_from) {
            credential.insert(valid_from.into(), Value::String(at.to_string()));
        }
        let checked = Credential::from_json(credential)?;
        if checked.version() != DataModelVersion::V2 && !v1_allowed {
            return Err(Error::new(
                ErrorCode::ContextInvalid,
                "VC-JOSE-COSE secures VCDM 2.0 credentials only",
            ));
        }
        if checked.issuer() != self.did {
            return Err(Error::new(
                ErrorCode::KeyControllerMismatch,
                format!(
                    "the credential's issuer is {}, but this issuer is {}",
                    checked.issuer(),
                    self.did
                ),
            ));
        }
        Ok(checked)
    }

    /// Signs a presentation for `authentication`, bound to the verifier's
    /// `challenge` and `domain`.
    pub fn present(
        &self,
        presentation: Map<String, Value>,
        challenge: Option<&str>,
        domain: Option<&str>,
        at: Timestamp,
    ) -> Result<Presentation> {
        let checked = self.own_presentation(presentation)?;
        let options = ProofOptions {
            verification_method: self.verification_method.clone(),
            proof_purpose: VerificationRelationship::Authentication,
            created: Some(at),
            expires: self.defaults.proof_lifetime_seconds.map(|s| at.plus_seconds(s)),
            challenge: challenge.map(str::to_owned),
            domain: domain.map(str::to_owned),
            id: None,
        };
        let proof = create_proof(checked.json(), self.suite, &options, &self.signer, self.contexts())?;
        let mut secured = checked.json().clone();
        secured.insert("proof".into(), Value::Object(proof));
        Presentation::from_json(secured)
    }
}

impl<S: Signer> Issuer<S> {
    /// Validates a presentation whose `holder`, if named, is this signer.
    fn own_presentation(&self, presentation: Map<String, Value>) -> Result<Presentation> {
        let checked = Presentation::from_json(presentation)?;
        if let Some(holder) = checked.holder() {
            if holder != self.did {
                return Err(Error::new(
                    ErrorCode::KeyControllerMismatch,
                    format!("the holder is {holder}, not {}", self.did),
                ));
            }
        }
        Ok(checked)
    }

    /// Secures `presentation` as a `vp+jwt` (VC-JOSE-COSE), bound to the
    /// verifier's `challenge` (claim `nonce`) and `domain` (claim `aud`).
    /// Credentials it carries are best enveloped: `{"type":
    /// "EnvelopedVerifiableCredential", "id": "data:application/vc+jwt,<token>"}`.
    pub fn present_jwt(
        &self,
        presentation: Map<String, Value>,
        challenge: Option<&str>,
        domain: Option<&str>,
        at: Timestamp,
    ) -> Result<String> {
        let claims = self.presentation_claims(presentation, challenge, domain, at)?;
        crate::jose::sign_compact(
            &claims,
            &self.verification_method,
            crate::jose::Media::Presentation,
            &self.signer,
        )
    }

    /// Secures `presentation` as a `vp+sd-jwt` (VC-JOSE-COSE §3.2.2): an
    /// SD-JWT signed by the holder with every member in the clear (a
    /// verifier refuses a presentation a Disclosure could change), bound to
    /// the verifier's `challenge` (claim `nonce`) and `domain` (claim
    /// `aud`). The credentials it carries are enveloped and disclose their
    /// own claims.
    #[cfg(feature = "sd-jwt")]
    pub fn present_sd_jwt(
        &self,
        presentation: Map<String, Value>,
        challenge: Option<&str>,
        domain: Option<&str>,
        at: Timestamp,
    ) -> Result<String> {
        let claims = self.presentation_claims(presentation, challenge, domain, at)?;
        let options = crate::sd_jwt::IssueOptions {
            typ: "vp+sd-jwt".into(),
            kid: Some(self.verification_method.clone()),
            decoys: 0,
            holder_key: None,
        };
        crate::sd_jwt::issue(&claims, &[], &options, &self.signer)
    }

    /// Secures `presentation` as a COSE_Sign1 (`application/vp+cose`,
    /// VC-JOSE-COSE §3.3.2), bound to the verifier's `challenge` (claim
    /// `nonce`) and `domain` (claim `aud`) in the payload, as a `vp+jwt`
    /// is.
    #[cfg(feature = "cose")]
    pub fn present_cose(
        &self,
        presentation: Map<String, Value>,
        challenge: Option<&str>,
        domain: Option<&str>,
        at: Timestamp,
    ) -> Result<Vec<u8>> {
        let claims = self.presentation_claims(presentation, challenge, domain, at)?;
        crate::cose::sign_sign1(
            &claims,
            &self.verification_method,
            crate::jose::Media::Presentation,
            &self.signer,
        )
    }

    /// The claims a secured presentation signs: the presentation, `iat`,
    /// and the verifier's challenge and domain as `nonce` and `aud`.
    fn presentation_claims(
        &self,
        presentation: Map<String, Value>,
        challenge: Option<&str>,
        domain: Option<&str>,
        at: Timestamp,
    ) -> Result<Map<String, Value>> {
        let checked = self.own_presentation(presentation)?;
        let mut claims = checked.json().clone();
        claims.insert("iat".into(), at.unix_seconds().into());
        if let Some(challenge) = challenge {
            claims.insert("nonce".into(), challenge.into());
        }
        if let Some(domain) = domain {
            claims.insert("aud".into(), domain.into());
        }
        Ok(claims)
    }
}

/// The first `@context` of a document, if it is a string.
fn first_context(document: &Map<String, Value>) -> Option<&str> {
    match document.get("@context")? {
        Value::String(url) => Some(url),
        Value::Array(items) => items.first()?.as_str(),
        _ => None,
    }
}

/// A VCDM 1.1 credential with [`CONTEXT_DATA_INTEGRITY_V2`] appended to its
/// `@context` when absent; any other document unchanged.
fn with_data_integrity_context(mut credential: Map<String, Value>) -> Map<String, Value> {
    if first_context(&credential) != Some(CONTEXT_V1) {
        return credential;
    }
    let appended = Value::String(CONTEXT_DATA_INTEGRITY_V2.into());
    match credential.get_mut("@context") {
        Some(Value::Array(items)) if !items.contains(&appended) => items.push(appended),
        Some(single @ Value::String(_)) => *single = Value::Array(vec![single.take(), appended]),
        _ => {}
    }
    credential
}

/// A random (version 4) UUID URN.
pub fn random_urn_uuid() -> Result<String> {
    let mut b = [0u8; 16];
    crate::crypto::random_bytes(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Ed25519KeyPair;
    use serde_json::json;

    fn at() -> Timestamp {
        Timestamp::parse("2030-05-01T00:00:00Z").unwrap()
    }

    #[test]
    fn refuses_foreign_issuer_existing_proof_and_old_model() {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[1; 32]));
        let base = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential",
                          "issuer": "did:web:someone-else.example", "credentialSubject": {"id": "did:example:s"}});
        let err = issuer.issue(base.as_object().unwrap().clone(), at()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyControllerMismatch);

        let mut signed = base.as_object().unwrap().clone();
        signed.insert("proof".into(), json!({}));
        assert_eq!(
            issuer.issue(signed, at()).unwrap_err().code(),
            ErrorCode::ProofAlreadyPresent
        );

        let old = json!({"@context": ["https://www.w3.org/2018/credentials/v1"], "type": "VerifiableCredential",
                         "issuer": issuer.did(), "issuanceDate": "2020-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:s"}});
        assert_eq!(
            issuer
                .issue_jwt(old.as_object().unwrap().clone(), at())
                .unwrap_err()
                .code(),
            ErrorCode::ContextInvalid
        );
    }

    /// A VCDM 1.1 credential is signed with Data Integrity, the
    /// data-integrity context appended once (Data Integrity §2.4).
    #[test]
    fn a_1_1_credential_gets_the_data_integrity_context_once() {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[1; 32]));
        for (context, expected) in [
            (json!("https://www.w3.org/2018/credentials/v1"), 2),
            (json!(["https://www.w3.org/2018/credentials/v1"]), 2),
            (
                json!(["https://www.w3.org/2018/credentials/v1", CONTEXT_DATA_INTEGRITY_V2]),
                2,
            ),
        ] {
            let old = json!({"@context": context, "type": "VerifiableCredential", "issuer": issuer.did(),
                             "issuanceDate": "2020-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:s"}});
            let vc = issuer.issue(old.as_object().unwrap().clone(), at()).unwrap();
            let contexts = vc.json()["@context"].as_array().unwrap();
            assert_eq!(contexts.len(), expected, "{context}");
            assert_eq!(contexts[1], CONTEXT_DATA_INTEGRITY_V2);
            assert_eq!(vc.version(), DataModelVersion::V1);
        }
    }

    #[test]
    fn set_valid_from_writes_issuance_date_in_a_1_1_credential() {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[1; 32])).with_defaults(IssueDefaults {
            set_valid_from: true,
            ..Default::default()
        });
        let old = json!({"@context": ["https://www.w3.org/2018/credentials/v1"], "type": "VerifiableCredential",
                         "issuer": issuer.did(), "credentialSubject": {"id": "did:example:s"}});
        let vc = issuer.issue(old.as_object().unwrap().clone(), at()).unwrap();
        assert_eq!(vc.json()["issuanceDate"], "2030-05-01T00:00:00Z");
        assert!(!vc.json().contains_key("validFrom"));
    }

    #[cfg(feature = "ecdsa")]
    #[test]
    fn a_p256_issuer_signs_with_ecdsa_jcs_2019_and_verifies() {
        use crate::crypto::P256KeyPair;
        use crate::verify::{CheckName, Verifier, VerifyOptions};
        let issuer = Issuer::did_key(P256KeyPair::from_secret_bytes(&[5; 32]).unwrap());
        assert!(issuer.did().starts_with("did:key:zDn"));
        let unsigned = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential",
                              "issuer": issuer.did(), "credentialSubject": {"id": "did:example:holder"}});
        let vc = issuer.issue(unsigned.as_object().unwrap().clone(), at()).unwrap();
        assert_eq!(vc.json()["proof"]["cryptosuite"], "ecdsa-jcs-2019");
        let report = Verifier::offline().verify(vc.to_json_string().as_bytes(), &VerifyOptions::at(at()));
        assert!(report.verified(), "{}", report.render(crate::Lang::En));

        let holder = Issuer::did_key(P256KeyPair::from_secret_bytes(&[6; 32]).unwrap());
        let presentation = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
                                  "holder": holder.did(), "verifiableCredential": [vc.json()]});
        let vp = holder
            .present(
                presentation.as_object().unwrap().clone(),
                Some("nonce-1"),
                Some("example.ca"),
                at(),
            )
            .unwrap();
        let mut options = VerifyOptions::at(at());
        options.challenge = Some("nonce-1".into());
        options.domain = Some("example.ca".into());
        let report = Verifier::offline().verify(Value::Object(vp.json().clone()).to_string().as_bytes(), &options);
        assert!(report.verified(), "{}", report.render(crate::Lang::En));
        assert_eq!(report.check(CheckName::Proof).unwrap().code, None);
    }

    #[test]
    fn keeps_existing_values_over_defaults() {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[1; 32])).with_defaults(IssueDefaults {
            assign_id: true,
            set_valid_from: true,
            proof_lifetime_seconds: Some(60),
        });
        let base = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:example:keep",
                          "type": "VerifiableCredential", "issuer": issuer.did(),
                          "validFrom": "2001-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:s"}});
        let vc = issuer.issue(base.as_object().unwrap().clone(), at()).unwrap();
        assert_eq!(vc.id(), Some("urn:example:keep"));
        assert_eq!(vc.json()["validFrom"], "2001-01-01T00:00:00Z");
        assert_eq!(vc.json()["proof"]["expires"], "2030-05-01T00:01:00Z");
    }

    /// Issuance runs the data-model check: what a verifier refuses is not
    /// signed (VCDM 2.0 §4.8, §4.11, §5.3–5.6, protected terms).
    #[test]
    fn refuses_what_the_data_model_refuses() {
        let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[1; 32]));
        let url = "https://example.org/x";
        for (key, value, code) in [
            ("termsOfUse", json!({"id": url}), ErrorCode::PropertyInvalid),
            ("evidence", json!([{"id": url}]), ErrorCode::PropertyInvalid),
            ("refreshService", json!({"id": url}), ErrorCode::PropertyInvalid),
            ("credentialSchema", json!({"id": url}), ErrorCode::PropertyInvalid),
            (
                "credentialSchema",
                json!({"type": "JsonSchema"}),
                ErrorCode::PropertyInvalid,
            ),
            ("credentialSubject", json!({}), ErrorCode::SubjectMissing),
            ("credentialSubject", json!([{}, {}]), ErrorCode::SubjectMissing),
            ("relatedResource", json!({"id": url}), ErrorCode::PropertyInvalid),
            (
                "relatedResource",
                json!({"id": url, "digestSRI": "sha384-abc"}),
                ErrorCode::PropertyInvalid,
            ),
            (
                "@context",
                json!(["https://www.w3.org/ns/credentials/v2", {"validUntil": url}]),
                ErrorCode::ProtectedTermRedefined,
            ),
        ] {
            let mut credential =
                json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential",
                                        "issuer": issuer.did(), "credentialSubject": {"id": "did:example:s"}})
                .as_object()
                .unwrap()
                .clone();
            credential.insert(key.into(), value.clone());
            assert_eq!(
                issuer.issue(credential.clone(), at()).unwrap_err().code(),
                code,
                "{key}: {value}"
            );
            assert_eq!(
                issuer.issue_jwt(credential, at()).unwrap_err().code(),
                code,
                "{key}: {value}"
            );
        }
    }

    #[test]
    fn uuids_are_version_4_and_distinct() {
        let (a, b) = (random_urn_uuid().unwrap(), random_urn_uuid().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
        assert_eq!(&a[23..24], "4");
    }
}
