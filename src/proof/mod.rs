//! Data Integrity proofs (W3C VC Data Integrity 1.0) and the cryptosuites
//! that make and check them.
//!
//! The JCS suites `eddsa-jcs-2022` (Ed25519) and `ecdsa-jcs-2019` (P-256)
//! over RFC 8785 canonical JSON, and with the `rdfc` feature the RDFC suites
//! `eddsa-rdfc-2022` and `ecdsa-rdfc-2019` over RDFC-1.0 canonical N-Quads;
//! with the `ecdsa-sd` feature, selective disclosure with `ecdsa-sd-2023`
//! ([`ecdsa_sd`]).

mod chain;
mod data_integrity;
#[cfg(feature = "ecdsa-sd")]
pub mod ecdsa_sd;
mod purpose;
mod suites;

#[cfg(feature = "rdfc")]
pub(crate) use suites::processor;
pub(crate) use suites::Contexts;

pub(crate) use chain::link;
pub use chain::previous_proof_ids;
#[cfg(feature = "ecdsa-sd")]
pub(crate) use data_integrity::proof_configuration;
pub use data_integrity::{add_proof, add_proof_to_set, proofs_of, DataIntegrityProof, ProofOptions};
#[cfg(feature = "rdfc")]
pub use data_integrity::{add_proof_to_set_with, add_proof_with};
pub(crate) use data_integrity::{chain_proof, create_proof};
pub use purpose::VerificationRelationship;

use crate::crypto::KeyAlgorithm;
use crate::error::{quoted, Error, ErrorCode, Result};

/// A Data Integrity cryptosuite passerelle implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cryptosuite {
    /// `eddsa-jcs-2022`: Ed25519 over JCS-canonicalized JSON (vc-di-eddsa §3.3).
    EddsaJcs2022,
    /// `ecdsa-jcs-2019`: ECDSA P-256 (SHA-256) or P-384 (SHA-384) over
    /// JCS-canonicalized JSON (vc-di-ecdsa §3.3).
    EcdsaJcs2019,
    /// `eddsa-rdfc-2022`: Ed25519 over the RDFC-1.0 canonical N-Quads of the
    /// JSON-LD document (vc-di-eddsa §3.2). Needs the `rdfc` feature.
    EddsaRdfc2022,
    /// `ecdsa-rdfc-2019`: ECDSA P-256 (SHA-256) or P-384 (SHA-384, for
    /// RDFC-1.0 too) over RDFC-1.0 canonical N-Quads (vc-di-ecdsa §3.2).
    /// Needs the `rdfc` feature.
    EcdsaRdfc2019,
    /// `ecdsa-sd-2023`: selective disclosure with ECDSA P-256 over
    /// RDFC-1.0 canonical N-Quads with HMAC blank node labels (vc-di-ecdsa
    /// §3.6): the issuer's base proof, the holder's derived proof. Needs
    /// the `ecdsa-sd` feature; see [`ecdsa_sd`].
    EcdsaSd2023,
}

impl Cryptosuite {
    /// Every suite this build implements.
    pub const ALL: &'static [Cryptosuite] = &[
        Cryptosuite::EddsaJcs2022,
        Cryptosuite::EcdsaJcs2019,
        #[cfg(feature = "rdfc")]
        Cryptosuite::EddsaRdfc2022,
        #[cfg(feature = "rdfc")]
        Cryptosuite::EcdsaRdfc2019,
        #[cfg(feature = "ecdsa-sd")]
        Cryptosuite::EcdsaSd2023,
    ];

    /// The JCS suite for signing with a key of type `algorithm` (what an
    /// [`Issuer`](crate::Issuer) uses unless told otherwise). P-521 has no
    /// Data Integrity suite: its ecdsa-jcs-2019 proofs are refused
    /// (`KEY_TYPE_UNSUPPORTED`) when signed, and it signs JOSE and COSE.
    pub fn for_key(algorithm: KeyAlgorithm) -> Self {
        match algorithm {
            KeyAlgorithm::Ed25519 => Cryptosuite::EddsaJcs2022,
            KeyAlgorithm::P256 | KeyAlgorithm::P384 | KeyAlgorithm::P521 => Cryptosuite::EcdsaJcs2019,
        }
    }

    /// The suite's first key type: Ed25519 for the eddsa suites, P-256 for
    /// the ecdsa ones (which also sign with P-384: see
    /// [`Cryptosuite::key_algorithms`]).
    pub fn key_algorithm(self) -> KeyAlgorithm {
        self.key_algorithms()[0]
    }

    /// Every key type the suite signs with: Ed25519 for the eddsa suites;
    /// P-256 (SHA-256) and P-384 (SHA-384) for the ecdsa ones (vc-di-ecdsa
    /// §3: the key's curve decides the hash).
    pub fn key_algorithms(self) -> &'static [KeyAlgorithm] {
        match self {
            Cryptosuite::EddsaJcs2022 | Cryptosuite::EddsaRdfc2022 => &[KeyAlgorithm::Ed25519],
            Cryptosuite::EcdsaJcs2019 | Cryptosuite::EcdsaRdfc2019 => &[KeyAlgorithm::P256, KeyAlgorithm::P384],
            Cryptosuite::EcdsaSd2023 => &[KeyAlgorithm::P256],
        }
    }

    /// The key types of [`Cryptosuite::key_algorithms`], for messages.
    pub(crate) fn key_names(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 | Cryptosuite::EddsaRdfc2022 => "an Ed25519",
            Cryptosuite::EcdsaJcs2019 | Cryptosuite::EcdsaRdfc2019 => "a P-256 or P-384",
            Cryptosuite::EcdsaSd2023 => "a P-256",
        }
    }

    /// Whether the suite signs with keys of type `algorithm`.
    pub fn accepts_key(self, algorithm: KeyAlgorithm) -> bool {
        self.key_algorithms().contains(&algorithm)
    }

    /// Whether the suite canonicalizes with JSON-LD and RDFC-1.0 (rather than JCS).
    pub fn is_rdfc(self) -> bool {
        matches!(
            self,
            Cryptosuite::EddsaRdfc2022 | Cryptosuite::EcdsaRdfc2019 | Cryptosuite::EcdsaSd2023
        )
    }

    /// The `cryptosuite` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
            Cryptosuite::EcdsaJcs2019 => "ecdsa-jcs-2019",
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EcdsaRdfc2019 => "ecdsa-rdfc-2019",
            Cryptosuite::EcdsaSd2023 => "ecdsa-sd-2023",
        }
    }

    /// Parses a `cryptosuite` string; suites this build does not implement
    /// are refused.
    pub fn parse(name: &str) -> Result<Self> {
        if let Some(suite) = Cryptosuite::ALL.iter().find(|s| s.as_str() == name) {
            return Ok(*suite);
        }
        let shown: String = name.chars().take(64).collect();
        Err(Error::new(
            ErrorCode::CryptosuiteUnsupported,
            format!("cryptosuite {}", quoted(&shown)),
        ))
    }
}

impl std::fmt::Display for Cryptosuite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
