//! What a proof is for: the verification relationship its key must be
//! listed under (Controlled Identifiers §2.3), written as the proof's
//! `proofPurpose` (Data Integrity §2.1). Defined here, beside the proofs
//! that carry it; `did` re-exports it for the documents that list keys.

/// A verification relationship (Controlled Identifiers §2.3): what a key is
/// allowed to be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerificationRelationship {
    /// Issuing claims, such as credentials (`assertionMethod`).
    AssertionMethod,
    /// Proving control of the DID, such as signing presentations (`authentication`).
    Authentication,
}

impl VerificationRelationship {
    /// The property name in a DID document, which is also the `proofPurpose`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationRelationship::AssertionMethod => "assertionMethod",
            VerificationRelationship::Authentication => "authentication",
        }
    }
}
