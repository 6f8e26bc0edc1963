//! Signed registry snapshots: a registry's whole content at one sequence
//! number, signed by the registry as an `eddsa-jcs-2022` credential whose
//! `validUntil` bounds how long a verifier may rely on it.

use serde_json::{Map, Value};

use super::model::Registry;
use crate::crypto::Signer;
use crate::did::DidResolver;
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::proof::Cryptosuite;
use crate::secured::{verify_secured_credential, KeyCache, ProofInputs, Stage};
use crate::time::Timestamp;
use crate::{IssueDefaults, Issuer};

/// The credential type of a snapshot.
pub const SNAPSHOT_TYPE: &str = "TrustRegistrySnapshot";

/// Largest snapshot accepted, in bytes (a registry of about 100 000
/// authorizations fits).
pub const MAX_SNAPSHOT_BYTES: usize = 256 * 1024 * 1024;

/// A registry's content a trust store may rely on: either a signed
/// snapshot whose signature, key and freshness were checked
/// ([`open_snapshot`]), or content the caller vouches for itself
/// ([`Snapshot::vouched_for`]). Nothing else makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub(crate) registry: Registry,
    valid_from: Timestamp,
    valid_until: Timestamp,
}

impl Snapshot {
    /// A registry the caller vouches for without a signature: content it
    /// built or loaded itself (its own database, a test). The store trusts
    /// it as if it were a checked snapshot valid from `valid_from` to
    /// `valid_until`; use [`open_snapshot`] for anything received.
    pub fn vouched_for(registry: Registry, valid_from: Timestamp, valid_until: Timestamp) -> Self {
        Snapshot {
            registry,
            valid_from,
            valid_until,
        }
    }

    /// The registry's content.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// When the snapshot was published.
    pub fn valid_from(&self) -> Timestamp {
        self.valid_from
    }

    /// Until when a verifier may rely on it.
    pub fn valid_until(&self) -> Timestamp {
        self.valid_until
    }
}

/// Signs `registry` as a snapshot published at `published` and fresh until
/// `valid_until`, with the registry's key (`verification_method` must be a
/// key of the registry's DID).
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::registry::{sign_snapshot, open_snapshot, Bilingual, Registry};
/// use passerelle::{did, Timestamp};
/// let key = Ed25519KeyPair::from_seed(&[1; 32]);
/// let registry = Registry {
///     id: did::key::did_for(&key.public_key()),
///     name: Bilingual::new("Demo registry", "Registre de démonstration"),
///     jurisdiction: "CA".into(), sequence: 1, authorizations: vec![], recognitions: vec![],
/// };
/// let t = |s| Timestamp::parse(s).unwrap();
/// let signed = sign_snapshot(&registry, &key, &did::key::verification_method_for(&key.public_key()),
///                            t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z")).unwrap();
/// let bytes = serde_json::to_vec(&signed).unwrap();
/// let opened = open_snapshot(&bytes, &did::StaticResolver::default(), t("2026-01-15T00:00:00Z")).unwrap();
/// assert_eq!(opened.registry(), &registry);
/// let stale = open_snapshot(&bytes, &did::StaticResolver::default(), t("2026-03-01T00:00:00Z")).unwrap_err();
/// assert_eq!(stale.code().as_str(), "SNAPSHOT_STALE");
/// ```
pub fn sign_snapshot(
    registry: &Registry,
    signer: &dyn Signer,
    verification_method: &str,
    published: Timestamp,
    valid_until: Timestamp,
) -> Result<Map<String, Value>> {
    registry.validate()?;
    if valid_until <= published {
        return Err(Error::new(
            ErrorCode::RegistryInvalid,
            "validUntil must be after the publication time",
        ));
    }
    let subject = serde_json::to_value(registry).map_err(|e| Error::new(ErrorCode::RegistryInvalid, e.to_string()))?;
    let mut credential = Map::new();
    credential.insert(
        "@context".into(),
        Value::Array(vec![crate::credential::CONTEXT_V2.into()]),
    );
    credential.insert(
        "type".into(),
        Value::Array(vec!["VerifiableCredential".into(), SNAPSHOT_TYPE.into()]),
    );
    credential.insert("issuer".into(), registry.id.clone().into());
    credential.insert("validFrom".into(), published.to_string().into());
    credential.insert("validUntil".into(), valid_until.to_string().into());
    credential.insert("credentialSubject".into(), subject);
    let issuer = Issuer::new(signer, verification_method)?.with_defaults(IssueDefaults::default());
    Ok(issuer.issue(credential, published)?.into_json())
}

/// Opens a snapshot at time `time`: checks its signature with the
/// registry's key (resolved through `resolver`; `did:key` needs none), that
/// the registry signed its own snapshot, that it is fresh, and its content.
///
/// Errors: `SNAPSHOT_SIGNATURE_INVALID` (signature, key or signer),
/// `SNAPSHOT_STALE` (outside its validity period), `REGISTRY_INVALID`
/// (not a snapshot, or content that breaks the model).
pub fn open_snapshot(bytes: &[u8], resolver: &dyn DidResolver, time: Timestamp) -> Result<Snapshot> {
    let limits = Limits {
        max_bytes: MAX_SNAPSHOT_BYTES,
        ..Limits::default()
    };
    let document = json::parse_object(bytes, limits).map_err(|e| invalid(e.detail()))?;
    let inputs = ProofInputs {
        time,
        cryptosuites: Cryptosuite::ALL,
        contexts: None,
        challenge: None,
        domain: None,
        pinned: &[],
    };
    let verified = match verify_secured_credential(&document, resolver, &KeyCache::default(), &inputs) {
        Ok(verified) => verified,
        Err((stage, e)) => {
            let detail = format!("{}: {}", stage.as_str(), e.code());
            return Err(match stage {
                Stage::DataModel => invalid(&detail),
                Stage::ValidityPeriod => Error::new(ErrorCode::SnapshotStale, detail),
                Stage::Proof | Stage::KeyBinding => Error::new(ErrorCode::SnapshotSignatureInvalid, detail),
            });
        }
    };
    if !verified.has_type(SNAPSHOT_TYPE) {
        return Err(invalid("the credential is not a TrustRegistrySnapshot"));
    }
    let signer = verified.issuer().to_owned();
    let (Some(valid_from), Some(valid_until)) = (verified.valid_from(), verified.valid_until()) else {
        return Err(invalid("a snapshot needs validFrom and validUntil"));
    };
    // The document is not needed past this point but for two dates and the
    // issuer: take the subject instead of copying a possibly huge registry.
    let mut document = document;
    let subject = document.shift_remove("credentialSubject").unwrap_or(Value::Null);
    let registry = Registry::from_json(subject)?;
    registry.validate()?;
    if signer != registry.id {
        return Err(Error::new(
            ErrorCode::SnapshotSignatureInvalid,
            "a registry must sign its own snapshot",
        ));
    }
    Ok(Snapshot {
        registry,
        valid_from,
        valid_until,
    })
}

/// The registry id a snapshot claims, read without checking anything (to
/// say which registry a refused snapshot was for).
pub fn claimed_registry_id(bytes: &[u8]) -> Option<String> {
    let limits = Limits {
        max_bytes: MAX_SNAPSHOT_BYTES,
        ..Limits::default()
    };
    let document = json::parse_object(bytes, limits).ok()?;
    let subject_id = document
        .get("credentialSubject")
        .and_then(|s| s.get("id"))
        .and_then(Value::as_str);
    subject_id
        .or(document.get("issuer").and_then(Value::as_str))
        .map(str::to_owned)
}

fn invalid(detail: &str) -> Error {
    Error::new(ErrorCode::RegistryInvalid, detail.to_owned())
}
