//! Data Integrity proofs (W3C VC Data Integrity 1.0) and the cryptosuites
//! that make and check them.
//!
//! So far: `eddsa-jcs-2022` (Ed25519 over RFC 8785 canonical JSON).

mod data_integrity;
mod eddsa_jcs_2022;

pub(crate) use data_integrity::create_proof;
pub use data_integrity::{add_proof, proofs_of, DataIntegrityProof, ProofOptions};

use crate::error::{quoted, Error, ErrorCode, Result};

/// A Data Integrity cryptosuite passerelle implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cryptosuite {
    /// `eddsa-jcs-2022`: Ed25519 over JCS-canonicalized JSON (vc-di-eddsa §3.3).
    EddsaJcs2022,
}

impl Cryptosuite {
    /// Every implemented suite.
    pub const ALL: &'static [Cryptosuite] = &[Cryptosuite::EddsaJcs2022];

    /// The `cryptosuite` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
        }
    }

    /// Parses a `cryptosuite` string; unknown suites are refused.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "eddsa-jcs-2022" => Ok(Cryptosuite::EddsaJcs2022),
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
