//! The trust registry model: authorizations, recognitions and registries,
//! named after the ToIP Trust Registry Query Protocol v2 (`entity_id`,
//! `authority_id`, `action`, `resource`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};

use crate::error::{quoted, Error, ErrorCode, Lang, Result};
use crate::time::Timestamp;

/// A text in English and French.
///
/// Written as VCDM 2.0 language values
/// (`[{"@value": …, "@language": "en"}, {"@value": …, "@language": "fr"}]`);
/// also read from `{"en": …, "fr": …}`, which is easier to edit by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bilingual {
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
}

impl Bilingual {
    /// A text from its English and French forms.
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Self {
        Bilingual {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

impl Serialize for Bilingual {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        json!([{"@value": self.en, "@language": "en"}, {"@value": self.fr, "@language": "fr"}]).serialize(s)
    }
}

/// Read as [`Registry::from_json`] reads it (for TRQP answers, which carry names).
impl<'de> Deserialize<'de> for Bilingual {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        super::read::bilingual(&value).map_err(serde::de::Error::custom)
    }
}

/// Whether an authority statement is in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In force.
    #[default]
    Active,
    /// Temporarily not in force.
    Suspended,
    /// Withdrawn for good.
    Revoked,
}

/// "`entity_id` may perform `action` on `resource`", stated by the registry
/// `authority_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Authorization {
    /// The authorized issuer's DID.
    pub entity_id: String,
    /// The registry's DID.
    pub authority_id: String,
    /// What the issuer may do; `issue` for credentials.
    pub action: String,
    /// The credential type, namespaced by jurisdiction (`ca-bc:MinesActPermit`).
    pub resource: String,
    /// ISO 3166-2:CA code (`CA-BC`), or `CA` for federal.
    pub jurisdiction: String,
    /// The issuer's name.
    pub name: Bilingual,
    /// The statute under which the authorization is given.
    pub legal_authority: Bilingual,
    /// Start of the authorization.
    pub valid_from: Timestamp,
    /// End of the authorization, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Active, suspended or revoked.
    pub status: Status,
}

/// What a recognition covers: resource patterns and jurisdictions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Resource patterns: `*` (all), `ca-bc:*` (a namespace and the
    /// namespaces under it, such as `ca-bc-vancouver:*`), or an exact resource.
    pub resources: Vec<String>,
    /// Jurisdictions: `CA` (all of Canada), `CA-BC`, …
    pub jurisdictions: Vec<String>,
}

impl Scope {
    /// The scope of a trust anchor: everything.
    pub fn everything() -> Self {
        Scope {
            resources: vec!["*".into()],
            jurisdictions: vec!["*".into()],
        }
    }

    /// Whether `resource` in `jurisdiction` is within this scope.
    pub fn covers(&self, resource: &str, jurisdiction: &str) -> bool {
        self.resources.iter().any(|p| pattern_covers(p, resource))
            && self.jurisdictions.iter().any(|j| jurisdiction_covers(j, jurisdiction))
    }

    /// The intersection of `self` and `other`: what a recognition with scope
    /// `other` grants on a path whose scope so far is `self`. A path's
    /// scope only ever narrows.
    pub fn narrow(&self, other: &Scope) -> Scope {
        Scope {
            resources: meet(&self.resources, &other.resources, pattern_covers),
            jurisdictions: meet(&self.jurisdictions, &other.jurisdictions, jurisdiction_covers),
        }
    }

    /// Whether nothing is covered.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() || self.jurisdictions.is_empty()
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let resources = crate::error::join(&mut self.resources.iter().map(String::as_str), ", ");
        let jurisdictions = crate::error::join(&mut self.jurisdictions.iter().map(String::as_str), ", ");
        write!(f, "{resources} / {jurisdictions}")
    }
}

/// Pairwise intersection of two sets of nested patterns: where one pattern
/// covers the other, the narrower one remains.
fn meet(ours: &[String], theirs: &[String], covers: fn(&str, &str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in theirs {
        for q in ours {
            let narrower = if covers(q, p) {
                p
            } else if covers(p, q) {
                q
            } else {
                continue;
            };
            if !out.contains(narrower) {
                out.push(narrower.clone());
            }
        }
    }
    out
}

/// Whether the resource pattern `pattern` covers `target` (a resource or
/// another pattern). `ca-bc:*` covers `ca-bc:X` and `ca-bc-vancouver:*`,
/// not `ca:X` nor `ca-bcx:X`.
pub fn pattern_covers(pattern: &str, target: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(namespace) = pattern.strip_suffix(":*") {
        let target_namespace = target.rsplit_once(':').map(|(ns, _)| ns).unwrap_or("");
        return target_namespace == namespace
            || target_namespace
                .strip_prefix(namespace)
                .is_some_and(|rest| rest.starts_with('-'));
    }
    pattern == target
}

/// Whether the jurisdiction `outer` contains `inner` (`CA` contains `CA-BC`).
pub fn jurisdiction_covers(outer: &str, inner: &str) -> bool {
    outer == "*" || outer == inner || (outer == "CA" && inner.starts_with("CA-"))
}

/// "`authority_id` recognizes the registry `entity_id` for `scope`".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recognition {
    /// The recognized registry's DID.
    pub entity_id: String,
    /// The recognizing registry's DID.
    pub authority_id: String,
    /// Always `recognize`.
    pub action: String,
    /// What the recognized registry may authorize.
    pub scope: Scope,
    /// The recognized registry's name.
    pub name: Bilingual,
    /// The agreement or statute behind the recognition.
    pub legal_authority: Bilingual,
    /// Start of the recognition.
    pub valid_from: Timestamp,
    /// End of the recognition, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// Active, suspended or revoked.
    pub status: Status,
}

/// A registry's whole content at one sequence number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Registry {
    /// The registry's DID (it signs its snapshots).
    pub id: String,
    /// The registry's name.
    pub name: Bilingual,
    /// Its jurisdiction (`CA`, `CA-BC`, …).
    pub jurisdiction: String,
    /// Increases with every published snapshot.
    pub sequence: u64,
    /// Issuers this registry authorizes.
    pub authorizations: Vec<Authorization>,
    /// Registries this registry recognizes.
    pub recognitions: Vec<Recognition>,
}

impl Registry {
    /// Reads a registry from its JSON form (a snapshot's
    /// `credentialSubject`, or a source file): shapes and types, unknown
    /// fields refused (`REGISTRY_INVALID`). [`Registry::validate`] checks
    /// the content.
    pub fn from_json(value: Value) -> Result<Registry> {
        super::read::registry(value)
    }

    /// Checks the content: DIDs are well-formed, statements name this
    /// registry as their authority, windows are ordered, actions are known.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| Error::new(ErrorCode::RegistryInvalid, why);
        crate::did::validate_did(&self.id).map_err(|e| bad(format!("registry id: {}", e.detail())))?;
        for a in &self.authorizations {
            crate::did::validate_did(&a.entity_id)
                .map_err(|e| bad(format!("authorization entity_id: {}", e.detail())))?;
            if a.authority_id != self.id {
                return Err(bad(format!(
                    "authorization of {} names authority {}, not {}",
                    a.entity_id, a.authority_id, self.id
                )));
            }
            if a.action != "issue" {
                return Err(bad(format!(
                    "authorization action {}: only \"issue\" is defined",
                    quoted(&a.action)
                )));
            }
            if a.resource.is_empty() || a.resource.as_bytes().contains(&b'*') {
                return Err(bad(format!(
                    "authorization resource {} must be one credential type",
                    quoted(&a.resource)
                )));
            }
            if a.valid_until.is_some_and(|until| until < a.valid_from) {
                return Err(bad(format!("authorization of {} ends before it starts", a.entity_id)));
            }
        }
        for r in &self.recognitions {
            crate::did::validate_did(&r.entity_id)
                .map_err(|e| bad(format!("recognition entity_id: {}", e.detail())))?;
            if r.authority_id != self.id {
                return Err(bad(format!(
                    "recognition of {} names authority {}, not {}",
                    r.entity_id, r.authority_id, self.id
                )));
            }
            if r.action != "recognize" {
                return Err(bad(format!(
                    "recognition action {}: only \"recognize\" is defined",
                    quoted(&r.action)
                )));
            }
            if r.scope.is_empty() {
                return Err(bad(format!("recognition of {} has an empty scope", r.entity_id)));
            }
            if r.valid_until.is_some_and(|until| until < r.valid_from) {
                return Err(bad(format!("recognition of {} ends before it starts", r.entity_id)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_patterns() {
        assert!(pattern_covers("ca-bc:*", "ca-bc:MinesActPermit"));
        assert!(pattern_covers("ca-bc:*", "ca-bc-vancouver:BusinessLicence"));
        assert!(pattern_covers("ca-bc:*", "ca-bc-vancouver:*"));
        assert!(!pattern_covers("ca-bc:*", "ca:CertificateOfIncorporation"));
        assert!(!pattern_covers("ca-bc:*", "ca-bcx:Thing"));
        assert!(!pattern_covers("ca-bc-vancouver:*", "ca-bc:*"));
        assert!(pattern_covers("*", "anything:at-all"));
        assert!(pattern_covers(
            "ca:CertificateOfIncorporation",
            "ca:CertificateOfIncorporation"
        ));
    }

    #[test]
    fn narrowing_never_widens() {
        let bc = Scope {
            resources: vec!["ca-bc:*".into()],
            jurisdictions: vec!["CA-BC".into()],
        };
        let wide = Scope {
            resources: vec!["*".into(), "ca-bc-vancouver:*".into(), "ca-on:*".into()],
            jurisdictions: vec!["CA".into(), "CA-BC".into()],
        };
        let narrowed = bc.narrow(&wide);
        // "*" meets "ca-bc:*" as "ca-bc:*"; "ca-on:*" is outside it.
        assert_eq!(narrowed.resources, ["ca-bc:*", "ca-bc-vancouver:*"]);
        assert_eq!(narrowed.jurisdictions, ["CA-BC"]);
        assert!(Scope::everything().narrow(&bc) == bc);
    }

    #[test]
    fn bilingual_reads_both_forms_and_writes_language_values() {
        let from_map: Bilingual = serde_json::from_str(r#"{"en": "Permit", "fr": "Permis"}"#).unwrap();
        let written = serde_json::to_value(&from_map).unwrap();
        assert_eq!(written[1]["@language"], "fr");
        let back: Bilingual = serde_json::from_value(written).unwrap();
        assert_eq!(back, from_map);
        assert!(serde_json::from_str::<Bilingual>(r#"{"en": "only English"}"#).is_err());
    }
}
