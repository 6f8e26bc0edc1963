//! Language value objects (VCDM 2.0 §4.6, Names and Descriptions).

use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

/// One string in one language, as VCDM 2.0 writes names and descriptions:
/// `{"@value": "…", "@language": "fr-CA", "@direction": "ltr"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LanguageValue<'a> {
    /// The text.
    pub value: &'a str,
    /// The BCP 47 language tag, if given.
    pub language: Option<&'a str>,
    /// The base direction, `ltr` or `rtl`, if given.
    pub direction: Option<&'a str>,
}

impl<'a> LanguageValue<'a> {
    /// Reads a plain string or one language value object.
    pub fn from_json(value: &'a Value) -> Result<Self> {
        let bad = |why: &str| Error::new(ErrorCode::LanguageValueInvalid, why.to_owned());
        match value {
            Value::String(text) => Ok(LanguageValue {
                value: text,
                language: None,
                direction: None,
            }),
            Value::Object(object) => {
                if let Some(key) = object
                    .keys()
                    .find(|k| !matches!(k.as_str(), "@value" | "@language" | "@direction"))
                {
                    return Err(bad(&format!("unexpected key {} in a language value", quoted(key))));
                }
                let value = object
                    .get("@value")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("@value must be a string"))?;
                let language = optional_str(object, "@language")?;
                if let Some(tag) = language {
                    if !is_language_tag(tag) {
                        return Err(bad(&format!("{} is not a BCP 47 language tag", quoted(tag))));
                    }
                }
                let direction = optional_str(object, "@direction")?;
                if let Some(dir) = direction {
                    if dir != "ltr" && dir != "rtl" {
                        return Err(bad("@direction must be ltr or rtl"));
                    }
                }
                Ok(LanguageValue {
                    value,
                    language,
                    direction,
                })
            }
            _ => Err(bad("a name or description must be a string or a language value object")),
        }
    }

    /// Picks the text for `lang` out of a name/description value (a string,
    /// an object or an array of them): the exact language, else the first.
    pub fn pick(value: &'a Value, lang: crate::Lang) -> Option<&'a str> {
        let all: Vec<LanguageValue> = match value {
            Value::Array(items) => items.iter().filter_map(|v| Self::from_json(v).ok()).collect(),
            single => Self::from_json(single).ok().into_iter().collect(),
        };
        let wanted = |v: &&LanguageValue| v.language.and_then(crate::Lang::parse) == Some(lang);
        all.iter().find(wanted).or(all.first()).map(|v| v.value)
    }
}

fn optional_str<'a>(object: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>> {
    match object.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::new(
            ErrorCode::LanguageValueInvalid,
            format!("{key} must be a string"),
        )),
    }
}

/// A well-formed BCP 47 tag, checked by shape: subtags of 1–8 letters or
/// digits, the first made of letters.
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A [`LanguageValue`] the typed parts of a document keep: the same
/// text, language and direction, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LanguageString {
    /// The text.
    pub value: String,
    /// The BCP 47 language tag, if given.
    pub language: Option<String>,
    /// The base direction, `ltr` or `rtl`, if given.
    pub direction: Option<String>,
}

impl From<LanguageValue<'_>> for LanguageString {
    fn from(v: LanguageValue<'_>) -> Self {
        LanguageString {
            value: v.value.to_owned(),
            language: v.language.map(str::to_owned),
            direction: v.direction.map(str::to_owned),
        }
    }
}

/// Reads `key` (`name` or `description`) of `object` (VCDM 2.0 §4.6): a
/// string, a language value object, or an array of them; none when absent.
pub(crate) fn language_values(object: &Map<String, Value>, key: &str) -> Result<Vec<LanguageString>> {
    match object.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| LanguageValue::from_json(item).map(LanguageString::from))
            .collect(),
        Some(value) => Ok(vec![LanguageValue::from_json(value)?.into()]),
    }
}

/// Checks `name` and `description` of `object` when present: a string, a
/// language value object, or an array of them.
pub fn validate_language_values(object: &Map<String, Value>) -> Result<()> {
    for key in ["name", "description"] {
        match object.get(key) {
            None => {}
            Some(Value::Array(items)) => {
                for item in items {
                    LanguageValue::from_json(item)?;
                }
            }
            Some(value) => {
                LanguageValue::from_json(value)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_strings_objects_and_arrays() {
        let object = json!({
            "name": [{"@value": "Permis", "@language": "fr-CA"}, {"@value": "Permit", "@language": "en", "@direction": "ltr"}],
            "description": "plain",
        });
        validate_language_values(object.as_object().unwrap()).unwrap();
        assert_eq!(LanguageValue::pick(&object["name"], crate::Lang::En).unwrap(), "Permit");
        assert_eq!(LanguageValue::pick(&object["name"], crate::Lang::Fr).unwrap(), "Permis");
    }

    #[test]
    fn refuses_malformed_language_values() {
        for bad in [
            json!({"name": {"@value": 3}}),
            json!({"name": {"@value": "x", "@language": "not a tag"}}),
            json!({"name": {"@value": "x", "@direction": "up"}}),
            json!({"name": {"@value": "x", "extra": 1}}),
            json!({"description": [true]}),
        ] {
            let err = validate_language_values(bad.as_object().unwrap()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::LanguageValueInvalid, "{bad}");
        }
    }
}
