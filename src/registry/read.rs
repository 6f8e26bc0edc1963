//! Reading the registry model from JSON: one small reader per type, taking
//! the values it keeps out of the document (a snapshot can hold 100 000
//! authorizations), refusing unknown fields, and naming the field at fault.
//!
//! Written by hand rather than derived: serde's derived readers were most
//! of the registry code in the browser build.

use serde_json::{Map, Value};

use super::model::{Authorization, Bilingual, Recognition, Registry, Scope, Status};
use crate::error::{quoted, Error, ErrorCode, Lang, Result};
use crate::time::Timestamp;

fn invalid(detail: String) -> Error {
    Error::new(ErrorCode::RegistryInvalid, detail)
}

/// An object's fields, taken one by one; what is left at the end is unknown.
struct Fields {
    what: &'static str,
    map: Map<String, Value>,
}

impl Fields {
    fn of(value: Value, what: &'static str) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Fields { what, map }),
            _ => Err(invalid(format!("{what} must be an object"))),
        }
    }

    fn optional(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    fn required(&mut self, key: &str) -> Result<Value> {
        self.optional(key)
            .ok_or_else(|| invalid(format!("{} needs {key}", self.what)))
    }

    fn string(&mut self, key: &str) -> Result<String> {
        match self.required(key)? {
            Value::String(text) => Ok(text),
            _ => Err(invalid(format!("{} {key} must be a string", self.what))),
        }
    }

    fn time(&mut self, key: &str) -> Result<Timestamp> {
        let text = self.string(key)?;
        Timestamp::parse(&text).map_err(|e| invalid(format!("{} {key}: {}", self.what, e.detail())))
    }

    fn optional_time(&mut self, key: &str) -> Result<Option<Timestamp>> {
        if !self.map.contains_key(key) || self.map[key].is_null() {
            return Ok(None);
        }
        self.time(key).map(Some)
    }

    fn bilingual(&mut self, key: &str) -> Result<Bilingual> {
        let value = self.required(key)?;
        bilingual(&value).map_err(|why| invalid(format!("{} {key}: {why}", self.what)))
    }

    fn status(&mut self) -> Result<Status> {
        match self.optional("status") {
            None => Ok(Status::Active),
            Some(Value::String(text)) => match text.as_str() {
                "active" => Ok(Status::Active),
                "suspended" => Ok(Status::Suspended),
                "revoked" => Ok(Status::Revoked),
                other => Err(invalid(format!(
                    "{} status {} is not active, suspended or revoked",
                    self.what,
                    quoted(other)
                ))),
            },
            Some(_) => Err(invalid(format!("{} status must be a string", self.what))),
        }
    }

    fn strings(&mut self, key: &str) -> Result<Vec<String>> {
        let what = self.what;
        match self.required(key)? {
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text),
                    _ => Err(invalid(format!("{what} {key} must hold strings"))),
                })
                .collect(),
            _ => Err(invalid(format!("{what} {key} must be an array"))),
        }
    }

    fn list<T>(&mut self, key: &str, read: fn(Value) -> Result<T>) -> Result<Vec<T>> {
        match self.optional(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items.into_iter().map(read).collect(),
            Some(_) => Err(invalid(format!("{} {key} must be an array", self.what))),
        }
    }

    /// Refuses the fields no reader took.
    fn done(self) -> Result<()> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(key) => Err(invalid(format!("unknown field {} in {}", quoted(key), self.what))),
        }
    }
}

/// A bilingual text from `[{"@value", "@language"}, …]` or `{"en", "fr"}`.
pub(crate) fn bilingual(value: &Value) -> std::result::Result<Bilingual, &'static str> {
    let pick = |lang: Lang| -> Option<String> {
        match value {
            Value::Object(map) => map.get(lang.tag()).and_then(Value::as_str).map(str::to_owned),
            Value::Array(items) => items.iter().find_map(|item| {
                let tag = item.get("@language").and_then(Value::as_str)?;
                (Lang::parse(tag) == Some(lang))
                    .then(|| item.get("@value").and_then(Value::as_str).map(str::to_owned))?
            }),
            _ => None,
        }
    };
    match (pick(Lang::En), pick(Lang::Fr)) {
        (Some(en), Some(fr)) => Ok(Bilingual { en, fr }),
        _ => Err("a bilingual text needs an English and a French value"),
    }
}

fn authorization(value: Value) -> Result<Authorization> {
    let mut f = Fields::of(value, "an authorization")?;
    let read = Authorization {
        entity_id: f.string("entity_id")?,
        authority_id: f.string("authority_id")?,
        action: f.string("action")?,
        resource: f.string("resource")?,
        jurisdiction: f.string("jurisdiction")?,
        name: f.bilingual("name")?,
        legal_authority: f.bilingual("legal_authority")?,
        valid_from: f.time("valid_from")?,
        valid_until: f.optional_time("valid_until")?,
        status: f.status()?,
    };
    f.done()?;
    Ok(read)
}

fn scope(value: Value) -> Result<Scope> {
    let mut f = Fields::of(value, "a scope")?;
    let read = Scope {
        resources: f.strings("resources")?,
        jurisdictions: f.strings("jurisdictions")?,
    };
    f.done()?;
    Ok(read)
}

fn recognition(value: Value) -> Result<Recognition> {
    let mut f = Fields::of(value, "a recognition")?;
    let read = Recognition {
        entity_id: f.string("entity_id")?,
        authority_id: f.string("authority_id")?,
        action: f.string("action")?,
        scope: scope(f.required("scope")?)?,
        name: f.bilingual("name")?,
        legal_authority: f.bilingual("legal_authority")?,
        valid_from: f.time("valid_from")?,
        valid_until: f.optional_time("valid_until")?,
        status: f.status()?,
    };
    f.done()?;
    Ok(read)
}

/// A registry from its JSON form (a snapshot's `credentialSubject`, or a
/// source file), consumed. Checks shapes and types; [`Registry::validate`]
/// checks the content.
pub fn registry(value: Value) -> Result<Registry> {
    let mut f = Fields::of(value, "a registry")?;
    let sequence = match f.required("sequence")? {
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
    .ok_or_else(|| invalid("the registry sequence must be a whole number ≥ 0".into()))?;
    let read = Registry {
        id: f.string("id")?,
        name: f.bilingual("name")?,
        jurisdiction: f.string("jurisdiction")?,
        sequence,
        authorizations: f.list("authorizations", authorization)?,
        recognitions: f.list("recognitions", recognition)?,
    };
    f.done()?;
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "id": "did:web:registry.example",
            "name": {"en": "Registry", "fr": "Registre"},
            "jurisdiction": "CA",
            "sequence": 3,
            "authorizations": [{
                "entity_id": "did:web:issuer.example", "authority_id": "did:web:registry.example",
                "action": "issue", "resource": "ca:Permit", "jurisdiction": "CA",
                "name": [{"@value": "Issuer", "@language": "en"}, {"@value": "Émetteur", "@language": "fr"}],
                "legal_authority": {"en": "Act", "fr": "Loi"},
                "valid_from": "2026-01-01T00:00:00Z", "status": "suspended"
            }],
            "recognitions": [{
                "entity_id": "did:web:other.example", "authority_id": "did:web:registry.example",
                "action": "recognize", "scope": {"resources": ["ca-bc:*"], "jurisdictions": ["CA-BC"]},
                "name": {"en": "Other", "fr": "Autre"}, "legal_authority": {"en": "Accord", "fr": "Accord"},
                "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2030-01-01T00:00:00Z"
            }]
        })
    }

    #[test]
    fn reads_what_serialization_writes() {
        let read = registry(sample()).unwrap();
        assert_eq!(read.authorizations[0].status, Status::Suspended);
        assert_eq!(read.authorizations[0].name.fr, "Émetteur");
        assert_eq!(read.recognitions[0].scope.resources, ["ca-bc:*"]);
        assert_eq!(read.recognitions[0].status, Status::Active);
        let written = serde_json::to_value(&read).unwrap();
        assert_eq!(registry(written).unwrap(), read);
    }

    #[test]
    fn each_fault_is_named() {
        type Damage = fn(&mut Value);
        let cases: [(&str, Damage); 7] = [
            ("unknown field \"extra\" in a registry", |v| v["extra"] = json!(1)),
            ("unknown field \"note\" in an authorization", |v| {
                v["authorizations"][0]["note"] = json!("x")
            }),
            ("a registry needs id", |v| {
                v.as_object_mut().unwrap().remove("id");
            }),
            ("sequence", |v| v["sequence"] = json!(-1)),
            ("an authorization valid_from", |v| {
                v["authorizations"][0]["valid_from"] = json!("soon")
            }),
            ("English and a French", |v| v["name"] = json!({"en": "only"})),
            ("is not active, suspended or revoked", |v| {
                v["recognitions"][0]["status"] = json!("paused")
            }),
        ];
        for (expected, damage) in cases {
            let mut value = sample();
            damage(&mut value);
            let error = registry(value).unwrap_err();
            assert_eq!(error.code(), ErrorCode::RegistryInvalid);
            assert!(error.detail().contains(expected), "{expected}: {}", error.detail());
        }
        assert!(registry(json!([])).is_err());
    }
}
