//! Verifiable presentations.

use serde_json::{Map, Value};

use super::parts::{typed_objects, TypedObject};
use super::protected::{check_signed_spellings, Scope};
use super::{check_context, check_optional_id, check_types, party_id, DataModelVersion};
use crate::error::{Error, ErrorCode, Result};
use crate::json::{self, Limits};

/// A verifiable presentation that passed data-model validation (VCDM 2.0
/// §4.13): a holder's wrapper around credentials, signed for authentication.
#[derive(Clone, Debug, PartialEq)]
pub struct Presentation {
    json: Map<String, Value>,
    version: DataModelVersion,
    terms_of_use: Vec<TypedObject>,
}

impl Presentation {
    /// Parses (with [`json::parse_strict`]) and validates a presentation.
    pub fn from_slice(input: &[u8], limits: Limits) -> Result<Self> {
        Self::from_json(json::parse_object(input, limits)?)
    }

    /// Validates a parsed presentation.
    pub fn from_json(json: Map<String, Value>) -> Result<Self> {
        let version = check_context(&json)?;
        let protected = (version == DataModelVersion::V2).then_some(Scope::Presentation);
        check_signed_spellings(&json, protected)?;
        check_types(&json, "VerifiablePresentation")?;
        check_optional_id(&json, "the presentation")?;
        if let Some(holder) = json.get("holder") {
            party_id(holder, ErrorCode::PropertyInvalid, "holder")?;
        }
        match json.get("verifiableCredential") {
            None | Some(Value::Object(_)) => {}
            Some(Value::Array(items)) if items.iter().all(Value::is_object) => {}
            Some(_) => {
                return Err(Error::new(
                    ErrorCode::PropertyInvalid,
                    "verifiableCredential must be an object or an array of objects",
                ))
            }
        }
        let terms_of_use = typed_objects(&json, "termsOfUse")?;
        Ok(Presentation {
            json,
            version,
            terms_of_use,
        })
    }

    /// The whole document, as written.
    pub fn json(&self) -> &Map<String, Value> {
        &self.json
    }

    /// The data model version.
    pub fn version(&self) -> DataModelVersion {
        self.version
    }

    /// The holder's `termsOfUse` entries (VCDM 2.0 §5.5).
    pub fn terms_of_use(&self) -> &[TypedObject] {
        &self.terms_of_use
    }

    /// The holder's URL, when the presentation names one.
    pub fn holder(&self) -> Option<&str> {
        self.json
            .get("holder")
            .and_then(|h| party_id(h, ErrorCode::PropertyInvalid, "holder").ok())
    }

    /// The embedded credentials, as written (not yet validated).
    pub fn credentials(&self) -> Vec<&Map<String, Value>> {
        match self.json.get("verifiableCredential") {
            Some(Value::Object(one)) => vec![one],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validates_holder_and_credentials() {
        let ok = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
                        "holder": "did:example:h", "verifiableCredential": [{"a": 1}]});
        let p = Presentation::from_json(ok.as_object().unwrap().clone()).unwrap();
        assert_eq!(p.holder(), Some("did:example:h"));
        assert_eq!(p.credentials().len(), 1);

        let bad_type = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential"});
        assert_eq!(
            Presentation::from_json(bad_type.as_object().unwrap().clone())
                .unwrap_err()
                .code(),
            ErrorCode::TypeInvalid
        );
        let no_type = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
                             "termsOfUse": {"id": "https://example.org/tou"}});
        assert_eq!(
            Presentation::from_json(no_type.as_object().unwrap().clone())
                .unwrap_err()
                .code(),
            ErrorCode::PropertyInvalid
        );
        let bad_vc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation", "verifiableCredential": ["x"]});
        assert_eq!(
            Presentation::from_json(bad_vc.as_object().unwrap().clone())
                .unwrap_err()
                .code(),
            ErrorCode::PropertyInvalid
        );
    }
}
