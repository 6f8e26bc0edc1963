//! Data Integrity proofs (W3C VC Data Integrity 1.0) and the cryptosuites
//! that make and check them.
//!
//! So far the JCS suites: `eddsa-jcs-2022` (Ed25519) and `ecdsa-jcs-2019`
//! (P-256), both over RFC 8785 canonical JSON.

mod data_integrity;
mod jcs_suites;

pub(crate) use data_integrity::create_proof;
pub use data_integrity::{add_proof, proofs_of, DataIntegrityProof, ProofOptions};

use crate::crypto::KeyAlgorithm;
use crate::error::{quoted, Error, ErrorCode, Result};

/// A Data Integrity cryptosuite passerelle implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cryptosuite {
    /// `eddsa-jcs-2022`: Ed25519 over JCS-canonicalized JSON (vc-di-eddsa §3.3).
    EddsaJcs2022,
    /// `ecdsa-jcs-2019`: ECDSA P-256 (SHA-256) over JCS-canonicalized JSON
    /// (vc-di-ecdsa §3.3).
    EcdsaJcs2019,
}

impl Cryptosuite {
    /// Every implemented suite.
    pub const ALL: &'static [Cryptosuite] = &[Cryptosuite::EddsaJcs2022, Cryptosuite::EcdsaJcs2019];

    /// The suite for signing with a key of type `algorithm`.
    pub fn for_key(algorithm: KeyAlgorithm) -> Self {
        match algorithm {
            KeyAlgorithm::Ed25519 => Cryptosuite::EddsaJcs2022,
            KeyAlgorithm::P256 => Cryptosuite::EcdsaJcs2019,
        }
    }

    /// The key type the suite signs with.
    pub fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            Cryptosuite::EddsaJcs2022 => KeyAlgorithm::Ed25519,
            Cryptosuite::EcdsaJcs2019 => KeyAlgorithm::P256,
        }
    }

    /// The `cryptosuite` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
            Cryptosuite::EcdsaJcs2019 => "ecdsa-jcs-2019",
        }
    }

    /// Parses a `cryptosuite` string; unknown suites are refused.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "eddsa-jcs-2022" => Ok(Cryptosuite::EddsaJcs2022),
            "ecdsa-jcs-2019" => Ok(Cryptosuite::EcdsaJcs2019),
            other => {
                let shown: String = other.chars().take(64).collect();
                Err(Error::new(
                    ErrorCode::CryptosuiteUnsupported,
                    format!("cryptosuite {}", quoted(&shown)),
                ))
            }
        }
    }
}

impl std::fmt::Display for Cryptosuite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
