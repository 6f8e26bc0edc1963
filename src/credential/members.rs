//! The members of credentials and presentations the verifier reads, with
//! the IRIs the VC contexts give them: with a JSON-LD suite, each must say
//! as written what the signed dataset says (see `jsonld::binding`).

use crate::jsonld::{Member, Shape};

macro_rules! iri {
    (cred $name:literal) => {
        concat!("https://www.w3.org/2018/credentials#", $name)
    };
    (status $name:literal) => {
        concat!("https://www.w3.org/ns/credentials/status#", $name)
    };
    (schema $name:literal) => {
        concat!("https://schema.org/", $name)
    };
}

const fn whole(term: &'static str, iri: &'static str) -> Member {
    Member {
        term,
        iri,
        shape: Shape::Whole,
    }
}

const ID: Member = whole("id", "@id");
const TYPE: Member = whole("type", "@type");

/// An issuer or holder: a URL, or an object with an `id` and its names.
const PARTY: &[Member] = &[
    ID,
    TYPE,
    whole("name", iri!(schema "name")),
    whole("description", iri!(schema "description")),
];

/// A `credentialStatus` entry (Bitstring Status List §2.1).
const STATUS_ENTRY: &[Member] = &[
    ID,
    TYPE,
    whole("statusPurpose", iri!(status "statusPurpose")),
    whole("statusListIndex", iri!(status "statusListIndex")),
    whole("statusListCredential", iri!(status "statusListCredential")),
    whole("statusSize", iri!(status "statusSize")),
    whole("statusMessage", iri!(status "statusMessage")),
    whole("statusReference", iri!(status "statusReference")),
];

/// A `credentialSubject`: its `id`, and what a status list credential's
/// subject holds (Bitstring Status List §2.2).
const SUBJECT: &[Member] = &[
    ID,
    TYPE,
    whole("statusPurpose", iri!(status "statusPurpose")),
    whole("encodedList", iri!(status "encodedList")),
    whole("statusSize", iri!(status "statusSize")),
    whole("ttl", iri!(status "ttl")),
];

/// What the verifier reads of a credential (VCDM 2.0, and 1.1's dates).
pub(crate) const CREDENTIAL: &[Member] = &[
    ID,
    TYPE,
    Member {
        term: "issuer",
        iri: iri!(cred "issuer"),
        shape: Shape::Nodes(PARTY),
    },
    whole("validFrom", iri!(cred "validFrom")),
    whole("validUntil", iri!(cred "validUntil")),
    whole("issuanceDate", iri!(cred "issuanceDate")),
    whole("expirationDate", iri!(cred "expirationDate")),
    Member {
        term: "credentialStatus",
        iri: iri!(cred "credentialStatus"),
        shape: Shape::Nodes(STATUS_ENTRY),
    },
    Member {
        term: "credentialSubject",
        iri: iri!(cred "credentialSubject"),
        shape: Shape::Nodes(SUBJECT),
    },
    whole("name", iri!(schema "name")),
    whole("description", iri!(schema "description")),
];

/// What the verifier reads of a presentation; each credential in it is
/// verified, and read, on its own.
pub(crate) const PRESENTATION: &[Member] = &[
    ID,
    TYPE,
    Member {
        term: "holder",
        iri: iri!(cred "holder"),
        shape: Shape::Nodes(PARTY),
    },
    whole("verifiableCredential", iri!(cred "verifiableCredential")),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonld::JsonLd;

    /// The table's IRIs are the ones the bundled v2 contexts give its terms:
    /// a credential using every member has exactly these predicates.
    #[test]
    fn the_table_iris_are_the_v2_context_iris() {
        let credential = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential"],
            "issuer": {"id": "did:example:issuer", "name": "Registrar", "description": "d"},
            "validFrom": "2026-01-01T00:00:00Z",
            "validUntil": "2027-01-01T00:00:00Z",
            "name": "n",
            "description": "d",
            "credentialSubject": {"id": "did:example:s"},
            "credentialStatus": {
                "id": "https://s.example/1#3", "type": "BitstringStatusListEntry",
                "statusPurpose": "message", "statusListIndex": "3",
                "statusListCredential": "https://s.example/1", "statusSize": 1,
                "statusReference": "https://s.example/ref",
                "statusMessage": [{"status": "0x0", "message": "ok"}]
            }
        });
        let predicates: Vec<String> = JsonLd::new()
            .to_rdf(&credential)
            .unwrap()
            .iter()
            .filter_map(|q| match &q.predicate {
                crate::canon::nquads::Term::Iri(iri) => Some(iri.clone()),
                _ => None,
            })
            .collect();
        let mut tables: Vec<&Member> = CREDENTIAL.iter().collect();
        tables.extend(PARTY);
        tables.extend(STATUS_ENTRY);
        for member in tables {
            let v1_only = matches!(member.term, "issuanceDate" | "expirationDate");
            let list_only = matches!(member.term, "encodedList" | "ttl");
            if member.iri.starts_with('@') || v1_only || list_only {
                continue;
            }
            assert!(
                predicates.iter().any(|p| p == member.iri),
                "{} is not {}: {predicates:?}",
                member.term,
                member.iri
            );
        }
    }
}
