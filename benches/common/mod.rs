//! The ~1 KB VCDM 2.0 credential the benchmarks sign and verify.

use serde_json::{json, Map, Value};

/// An unsigned Mines Act permit from `issuer`.
pub fn permit(issuer: &str) -> Map<String, Value> {
    let value = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:8a7d2f51-3c1e-4c4b-9f0e-2b6a1d5e7c90",
        "type": ["VerifiableCredential", "MinesActPermit"],
        "issuer": issuer,
        "name": [{"@value": "Mines Act Permit", "@language": "en"},
                 {"@value": "Permis en vertu de la Mines Act", "@language": "fr"}],
        "validFrom": "2026-01-15T09:00:00Z",
        "validUntil": "2031-01-15T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:operator-42",
            "permitNumber": "MX-1-234",
            "operations": ["exploration", "drilling", "reclamation"],
            "site": {"name": "Fictional Creek", "latitude": 49.25, "longitude": -123.1},
            "conditions": ["Reclamation bond posted", "Annual report due March 31"]
        }
    });
    value.as_object().cloned().unwrap_or_default()
}

/// The same permit with the demo's JSON-LD context, so that every term is
/// defined (what the `*-rdfc-*` suites need; the JCS suites and JWTs sign it as well).
#[allow(dead_code)]
pub fn permit_linked_data(issuer: &str) -> Map<String, Value> {
    let mut permit = permit(issuer);
    permit.insert(
        "@context".into(),
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://passerelle.example/contexts/canada/v1"
        ]),
    );
    permit
}
