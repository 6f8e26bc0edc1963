//! Verifiable credentials.

use serde_json::{Map, Value};

use super::language::language_values;
use super::parts::{schemas, subjects, typed_objects, CredentialSchema, Subject, TypedObject};
use super::protected::{check_signed_spellings, Scope};
use super::related::{related_resources, RelatedResource};
use super::{
    check_context, check_optional_id, check_types, party_id, validate_language_values, DataModelVersion, LanguageString,
};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};
use crate::time::Timestamp;

/// A verifiable credential that passed data-model validation.
///
/// It holds the document exactly as written (every property, in order,
/// including `proof`), so serializing it again keeps the proof valid.
///
/// ```
/// use passerelle::{Credential, json::Limits};
/// let text = r#"{
///   "@context": ["https://www.w3.org/ns/credentials/v2"],
///   "type": ["VerifiableCredential"],
///   "issuer": "did:web:registrar.example",
///   "validFrom": "2026-01-01T00:00:00Z",
///   "credentialSubject": {"id": "did:example:123", "x-unknown": [3, 1, 2]}
/// }"#;
/// let credential = Credential::from_slice(text.as_bytes(), Limits::default()).unwrap();
/// assert_eq!(credential.issuer(), "did:web:registrar.example");
/// assert!(credential.to_json_string().contains(r#""x-unknown":[3,1,2]"#));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Credential {
    json: Map<String, Value>,
    facts: Facts,
}

/// The typed parts of a credential: what data-model validation reads out
/// of it, once, and what every later check reads instead of the JSON.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Facts {
    /// §4.3: which data model the first `@context` names.
    pub(crate) version: DataModelVersion,
    /// §4.5: the `type` values, in order (`VerifiableCredential` among them).
    pub(crate) types: Vec<String>,
    /// §4.7: the issuer's URL.
    pub(crate) issuer: String,
    /// §4.9: `validFrom` (`issuanceDate` in VCDM 1.1).
    pub(crate) valid_from: Option<Timestamp>,
    /// §4.9: `validUntil` (`expirationDate` in VCDM 1.1).
    pub(crate) valid_until: Option<Timestamp>,
    /// §4.8: the subjects, each making at least one claim.
    pub(crate) subjects: Vec<Subject>,
    /// §4.6: the credential's `name` values.
    pub(crate) names: Vec<LanguageString>,
    /// §4.6: the credential's `description` values.
    pub(crate) descriptions: Vec<LanguageString>,
    /// §4.11: `credentialSchema`.
    pub(crate) schemas: Vec<CredentialSchema>,
    /// §5.4: `refreshService`.
    pub(crate) refresh_services: Vec<TypedObject>,
    /// §5.5: `termsOfUse`.
    pub(crate) terms_of_use: Vec<TypedObject>,
    /// §5.6: `evidence`.
    pub(crate) evidence: Vec<TypedObject>,
    /// §5.3: `relatedResource`.
    pub(crate) related_resources: Vec<RelatedResource>,
}

impl Facts {
    /// The facts of a credential that is not a VCDM document (an SD-JWT
    /// VC): its types, its issuer and the time the trust check judges the
    /// issuer at (as `valid_from`), nothing else.
    #[cfg(feature = "sd-jwt")]
    pub(crate) fn of_claims(types: Vec<String>, issuer: String, issued: Option<Timestamp>) -> Facts {
        Facts {
            version: DataModelVersion::V2,
            types,
            issuer,
            valid_from: issued,
            valid_until: None,
            subjects: Vec::new(),
            names: Vec::new(),
            descriptions: Vec::new(),
            schemas: Vec::new(),
            refresh_services: Vec::new(),
            terms_of_use: Vec::new(),
            evidence: Vec::new(),
            related_resources: Vec::new(),
        }
    }
}

impl Credential {
    /// Parses (with [`json::parse_strict`]) and validates a credential.
    pub fn from_slice(input: &[u8], limits: Limits) -> Result<Self> {
        Self::from_json(json::parse_object(input, limits)?)
    }

    /// Validates a parsed credential against VCDM 2.0 §4 (or VCDM 1.1 when its
    /// first context is the 1.1 one).
    pub fn from_json(json: Map<String, Value>) -> Result<Self> {
        let facts = check(&json)?;
        Ok(Credential { json, facts })
    }

    /// The credential with `proof` added. A proof does not take part in
    /// data-model validation, so the checked fields stay valid.
    pub(crate) fn with_proof(mut self, proof: Map<String, Value>) -> Self {
        self.json.insert("proof".into(), Value::Object(proof));
        self
    }

    /// The whole document, as written.
    pub fn json(&self) -> &Map<String, Value> {
        &self.json
    }

    /// The document, consumed.
    pub fn into_json(self) -> Map<String, Value> {
        self.json
    }

    /// The document as compact JSON, properties in their original order.
    pub fn to_json_string(&self) -> String {
        Value::Object(self.json.clone()).to_string()
    }

    /// The data model version.
    pub fn version(&self) -> DataModelVersion {
        self.facts.version
    }

    /// The issuer's URL (the `issuer` string or `issuer.id`).
    pub fn issuer(&self) -> &str {
        &self.facts.issuer
    }

    /// The credential's types.
    pub fn types(&self) -> Vec<&str> {
        self.facts.types.iter().map(String::as_str).collect()
    }

    /// The subjects of `credentialSubject` (VCDM 2.0 §4.8).
    pub fn subjects(&self) -> &[Subject] {
        &self.facts.subjects
    }

    /// The credential's `name` values (§4.6).
    pub fn names(&self) -> &[LanguageString] {
        &self.facts.names
    }

    /// The credential's `description` values (§4.6).
    pub fn descriptions(&self) -> &[LanguageString] {
        &self.facts.descriptions
    }

    /// Its `credentialSchema` entries (§4.11).
    pub fn schemas(&self) -> &[CredentialSchema] {
        &self.facts.schemas
    }

    /// Its `refreshService` entries (§5.4).
    pub fn refresh_services(&self) -> &[TypedObject] {
        &self.facts.refresh_services
    }

    /// Its `termsOfUse` entries (§5.5).
    pub fn terms_of_use(&self) -> &[TypedObject] {
        &self.facts.terms_of_use
    }

    /// Its `evidence` entries (§5.6).
    pub fn evidence(&self) -> &[TypedObject] {
        &self.facts.evidence
    }

    /// Its `relatedResource` entries (§5.3), digests decoded.
    pub fn related_resources(&self) -> &[RelatedResource] {
        &self.facts.related_resources
    }

    /// `validFrom` (VCDM 2.0) or `issuanceDate` (VCDM 1.1).
    pub fn valid_from(&self) -> Option<Timestamp> {
        self.facts.valid_from
    }

    /// `validUntil` (VCDM 2.0) or `expirationDate` (VCDM 1.1).
    pub fn valid_until(&self) -> Option<Timestamp> {
        self.facts.valid_until
    }

    /// The `id`, when present.
    pub fn id(&self) -> Option<&str> {
        self.json.get("id").and_then(Value::as_str)
    }
}

/// Validates a credential against VCDM 2.0 §4–5 (or 1.1) without taking
/// it, and returns its typed parts.
pub(crate) fn check(json: &Map<String, Value>) -> Result<Facts> {
    let version = check_context(json)?;
    let protected = (version == DataModelVersion::V2).then_some(Scope::Credential);
    check_signed_spellings(json, protected)?;
    check_types(json, "VerifiableCredential")?;
    let types = super::types(json).into_iter().map(str::to_owned).collect();
    check_optional_id(json, "the credential")?;
    let issuer = json
        .get("issuer")
        .ok_or_else(|| Error::new(ErrorCode::IssuerInvalid, "issuer is missing"))
        .and_then(|v| party_id(v, ErrorCode::IssuerInvalid, "issuer"))?
        .to_owned();
    if let Some(Value::Object(issuer)) = json.get("issuer") {
        validate_language_values(issuer)?;
    }
    let subjects = subjects(json)?;
    let names = language_values(json, "name")?;
    let descriptions = language_values(json, "description")?;
    check_status_entries(json)?;
    let schemas = schemas(json)?;
    let refresh_services = typed_objects(json, "refreshService")?;
    let terms_of_use = typed_objects(json, "termsOfUse")?;
    let evidence = typed_objects(json, "evidence")?;
    let related_resources = related_resources(json)?;

    let (from_key, until_key, other_version) = match version {
        DataModelVersion::V2 => ("validFrom", "validUntil", ["issuanceDate", "expirationDate"]),
        DataModelVersion::V1 => ("issuanceDate", "expirationDate", ["validFrom", "validUntil"]),
    };
    // A date written in the other version's term is still signed and meant to
    // hold; ignoring it would accept a credential its issuer let expire.
    if json.contains_key(other_version[0]) || json.contains_key(other_version[1]) {
        return Err(Error::new(
            ErrorCode::DateInvalid,
            match version {
                DataModelVersion::V2 => "issuanceDate/expirationDate are VCDM 1.1 terms",
                DataModelVersion::V1 => "validFrom/validUntil are VCDM 2.0 terms",
            },
        ));
    }
    let valid_from = date(json, from_key)?;
    let valid_until = date(json, until_key)?;
    if version == DataModelVersion::V1 && valid_from.is_none() {
        return Err(Error::new(
            ErrorCode::DateInvalid,
            "a VCDM 1.1 credential needs issuanceDate",
        ));
    }
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until < from {
            return Err(Error::new(
                ErrorCode::ValidityRangeInvalid,
                format!("{until_key} {until} is before {from_key} {from}"),
            ));
        }
    }
    Ok(Facts {
        version,
        types,
        issuer,
        valid_from,
        valid_until,
        subjects,
        names,
        descriptions,
        schemas,
        refresh_services,
        terms_of_use,
        evidence,
        related_resources,
    })
}

fn date(json: &Map<String, Value>, key: &str) -> Result<Option<Timestamp>> {
    match json.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Timestamp::parse(text)
            .map(Some)
            .map_err(|e| Error::new(ErrorCode::DateInvalid, format!("{key}: {}", e.detail()))),
        Some(_) => Err(Error::new(ErrorCode::DateInvalid, format!("{key} must be a string"))),
    }
}

fn check_status_entries(json: &Map<String, Value>) -> Result<()> {
    let entries: Vec<&Value> = match json.get("credentialStatus") {
        None => return Ok(()),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
    };
    for entry in entries {
        let entry = entry
            .as_object()
            .ok_or_else(|| Error::new(ErrorCode::PropertyInvalid, "credentialStatus entries must be objects"))?;
        if super::required_types(entry).is_none() {
            return Err(Error::new(
                ErrorCode::PropertyInvalid,
                "credentialStatus entries need a type: a string or a non-empty array of strings",
            ));
        }
        check_optional_id(entry, "a credentialStatus")?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// A valid credential for tests to change.
    pub(crate) fn base() -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential", "ExampleCredential"],
            "issuer": {"id": "did:web:issuer.example", "name": [{"@value": "Émetteur", "@language": "fr"}]},
            "validFrom": "2026-01-01T00:00:00Z",
            "validUntil": "2027-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:1"}
        })
    }

    /// The code `change` makes the data model refuse, if any.
    pub(crate) fn code_with(change: impl FnOnce(&mut Map<String, Value>)) -> Option<&'static str> {
        let Value::Object(mut map) = base() else { unreachable!() };
        change(&mut map);
        Credential::from_json(map).err().map(|e| e.code().as_str())
    }

    #[test]
    fn valid_credential_reads_typed_fields() {
        let Value::Object(map) = base() else { unreachable!() };
        let c = Credential::from_json(map).unwrap();
        assert_eq!(c.issuer(), "did:web:issuer.example");
        assert_eq!(c.types(), ["VerifiableCredential", "ExampleCredential"]);
        assert_eq!(c.valid_until().unwrap().to_string(), "2027-01-01T00:00:00Z");
        assert_eq!(c.version(), DataModelVersion::V2);
    }

    #[test]
    fn each_rule_has_its_code() {
        assert_eq!(
            code_with(|m| {
                m.insert("@context".into(), json!(["https://example.org/x"]));
            }),
            Some("CONTEXT_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.remove("@context");
            }),
            Some("CONTEXT_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("type".into(), json!(["Other"]));
            }),
            Some("TYPE_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("issuer".into(), json!({"name": "x"}));
            }),
            Some("ISSUER_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("issuer".into(), json!("not a url"));
            }),
            Some("ISSUER_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.remove("credentialSubject");
            }),
            Some("SUBJECT_MISSING")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("credentialSubject".into(), json!([]));
            }),
            Some("SUBJECT_MISSING")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("validFrom".into(), json!("2026-01-01"));
            }),
            Some("DATE_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("validUntil".into(), json!("2025-01-01T00:00:00Z"));
            }),
            Some("VALIDITY_RANGE_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("id".into(), json!("not a url"));
            }),
            Some("ID_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("credentialSubject".into(), json!({"id": 5}));
            }),
            Some("ID_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("name".into(), json!({"@value": "x", "@language": "??"}));
            }),
            Some("LANGUAGE_VALUE_INVALID")
        );
        assert_eq!(
            code_with(|m| {
                m.insert("credentialStatus".into(), json!("x"));
            }),
            Some("PROPERTY_INVALID")
        );
        for status in [
            json!({"id": "https://status.example/1#1"}),
            json!([{"type": []}]),
            json!({"type": ["BitstringStatusListEntry", 7]}),
            json!({"type": {"@id": "BitstringStatusListEntry"}}),
        ] {
            assert_eq!(
                code_with(|m| {
                    m.insert("credentialStatus".into(), status.clone());
                }),
                Some("PROPERTY_INVALID"),
                "{status}"
            );
        }
        for status in [
            json!({"type": "FooStatus2099"}),
            json!([{"type": ["BitstringStatusListEntry"]}]),
        ] {
            assert_eq!(
                code_with(|m| {
                    m.insert("credentialStatus".into(), status.clone());
                }),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn reads_vcdm_1_1_dates() {
        let map = json!({
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": "VerifiableCredential",
            "issuer": "did:web:old.example",
            "issuanceDate": "2020-01-01T00:00:00Z",
            "expirationDate": "2030-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:old"}
        });
        let c = Credential::from_json(map.as_object().unwrap().clone()).unwrap();
        assert_eq!(c.version(), DataModelVersion::V1);
        assert_eq!(c.valid_from().unwrap().to_string(), "2020-01-01T00:00:00Z");
        let mut no_date = map.as_object().unwrap().clone();
        no_date.remove("issuanceDate");
        assert_eq!(
            Credential::from_json(no_date).unwrap_err().code(),
            ErrorCode::DateInvalid
        );
    }

    /// Each data model version states validity with its own two terms. A
    /// signed `validUntil` in a VCDM 1.1 credential (the 1.1 context defines
    /// it) or a signed `expirationDate` in a 2.0 one is a date the issuer
    /// meant to hold: neither ignored nor read under the other version's
    /// rules, the credential is refused.
    #[test]
    fn validity_terms_of_the_other_data_model_are_refused() {
        let v1 = json!({
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": "VerifiableCredential",
            "issuer": "did:web:old.example",
            "issuanceDate": "2020-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:old"}
        });
        let v2 = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiableCredential",
            "issuer": "did:web:new.example",
            "credentialSubject": {"id": "did:example:new"}
        });
        for (base, term) in [
            (&v1, "validUntil"),
            (&v1, "validFrom"),
            (&v2, "expirationDate"),
            (&v2, "issuanceDate"),
        ] {
            let mut map = base.as_object().unwrap().clone();
            map.insert(term.into(), json!("2021-01-01T00:00:00Z"));
            let err = Credential::from_json(map).unwrap_err();
            assert_eq!(err.code(), ErrorCode::DateInvalid, "{term}: {err}");
            assert!(err.to_string().contains(term), "{term}: {err}");
        }
    }
}
