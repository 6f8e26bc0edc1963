//! What the checks found, as typed evidence: each entry names what it is
//! (an [`EvidenceKey`], with its stable name in the JSON report and its
//! label for a person in English and French) and holds one value. A check
//! that finds several values of one kind (two types, two status entries)
//! gives several entries; nothing is joined into one string.

use crate::error::Lang;
use crate::proof::VerificationRelationship;

macro_rules! evidence_keys {
    ($( $(#[$doc:meta])* $variant:ident $(if $feature:literal)? => $name:literal, $fr:literal; )*) => {
        /// What a piece of evidence is.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EvidenceKey {
            $( $(#[$doc])* $(#[cfg(feature = $feature)])? $variant, )*
        }

        impl EvidenceKey {
            /// Every key, in table order.
            pub const ALL: &'static [EvidenceKey] = &[$( $(#[cfg(feature = $feature)])? EvidenceKey::$variant, )*];

            /// The stable name in the JSON report (`cryptosuite`, `validUntil`, …).
            pub fn name(self) -> &'static str {
                match self {
                    $( $(#[cfg(feature = $feature)])? EvidenceKey::$variant => $name, )*
                }
            }

            /// The label a person reads. In English the specifications'
            /// property names are kept as they are.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( $(#[cfg(feature = $feature)])? (EvidenceKey::$variant, Lang::Fr) => $fr, )*
                    (key, Lang::En) => key.name(),
                }
            }
        }
    };
}

evidence_keys! {
    /// The size of the input read.
    Bytes => "bytes", "octets";
    /// The form of a secured document (`vc+jwt`, `compact JWS`).
    Format => "format", "format";
    /// The document's `id`.
    Id => "id", "id";
    /// One of the document's `type` values.
    Types => "types", "types";
    /// The issuer.
    Issuer => "issuer", "émetteur";
    /// The holder of a presentation.
    Holder => "holder", "détenteur";
    /// A proof's `id`.
    ProofId => "proofId", "identifiant de preuve";
    /// A proof id that a proof's `previousProof` names (the proof it follows in a chain).
    PreviousProof => "previousProof", "preuve précédente";
    /// A proof's cryptosuite.
    Cryptosuite => "cryptosuite", "suite cryptographique";
    /// A proof's verification method.
    VerificationMethod => "verificationMethod", "méthode de vérification";
    /// A JWS `alg`.
    Alg => "alg", "algorithme";
    /// A JWS `kid`.
    Kid => "kid", "identifiant de clé";
    /// Where a disclosed claim of an SD-JWT went (a JSON pointer into the credential).
    Disclosed if "sd-jwt" => "disclosed", "revendication divulguée";
    /// How the holder proved possession of the credential's key (`kb+jwt`).
    KeyBinding if "sd-jwt" => "keyBinding", "preuve de possession";
    /// When a proof was created.
    Created => "created", "créée";
    /// When a proof expires.
    Expires => "expires", "expire";
    /// The challenge a presentation's proof carried.
    Challenge => "challenge", "défi";
    /// The domain a presentation's proof carried.
    Domain => "domain", "domaine";
    /// The controller of a signing key.
    Controller => "controller", "contrôleur";
    /// A key listed under `assertionMethod`.
    AssertionMethod => "assertionMethod", "méthode d’assertion";
    /// A key listed under `authentication`.
    Authentication => "authentication", "authentification";
    /// A key the verifier's caller pinned (no document lists it).
    PinnedByVerifier if "cid" => "pinnedByVerifier", "clé fixée par le vérificateur";
    /// The verification time.
    Time => "time", "moment de la vérification";
    /// The credential's `validFrom`.
    ValidFrom => "validFrom", "valide à partir du";
    /// The credential's `validUntil`.
    ValidUntil => "validUntil", "valide jusqu’au";
    /// A status entry of a type left unchecked (its `type`, quoted).
    StatusType => "statusType", "type de statut";
    /// A status entry's purpose.
    StatusPurpose => "statusPurpose", "objet du statut";
    /// A status entry's index.
    StatusListIndex => "statusListIndex", "index dans la liste";
    /// A status entry's list.
    StatusListCredential => "statusListCredential", "liste de statuts";
    /// The status value read.
    Status => "status", "statut";
    /// The message of a status value.
    StatusMessage => "statusMessage", "message de statut";
    /// The status policy that decided the outcome.
    StatusPolicy => "statusPolicy", "politique de statut";
    /// A status type the caller accepted without checking it.
    UncheckedStatusType => "uncheckedStatusType", "type de statut non vérifié";
    /// The issuance time the credential claims.
    Issued => "issued", "délivrée";
    /// Where the issuance time was read (`validFrom`, `proof created`).
    IssuedFrom => "issuedFrom", "date de délivrance tirée de";
    /// A time the issuer's authorization was judged at.
    JudgedAt => "judgedAt", "autorisation évaluée le";
    /// The credential type the registry matched.
    Type => "type", "type";
    /// The registry resource that authorizes it.
    Resource => "resource", "ressource";
    /// The recognition path, by ids.
    Path => "path", "chemin";
    /// How many credentials a presentation holds.
    Credentials => "credentials", "attestations";
    /// How many credentials were checked.
    Count => "count", "nombre";
    /// A credential of a presentation that failed (its position).
    Failed => "failed", "échouée";
}

impl EvidenceKey {
    /// The key naming a method listed under `relationship`.
    pub fn listed_under(relationship: VerificationRelationship) -> Self {
        match relationship {
            VerificationRelationship::AssertionMethod => EvidenceKey::AssertionMethod,
            VerificationRelationship::Authentication => EvidenceKey::Authentication,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_key_has_a_french_label() {
        let mut names: Vec<&str> = EvidenceKey::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EvidenceKey::ALL.len());
        for key in EvidenceKey::ALL {
            assert!(!key.label(Lang::Fr).is_empty());
            assert_eq!(key.label(Lang::En), key.name());
        }
    }

    #[test]
    fn a_relationship_names_its_own_key() {
        for relationship in [
            VerificationRelationship::AssertionMethod,
            VerificationRelationship::Authentication,
        ] {
            assert_eq!(EvidenceKey::listed_under(relationship).name(), relationship.as_str());
        }
    }
}
