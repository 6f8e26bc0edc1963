//! The verification report: every check, its outcome, code, evidence and
//! English/French messages. The verdict is derived from the checks.

use std::borrow::Cow;

use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Lang};
use crate::json_string::write_string;
use crate::secured::EvidenceKey;

/// The version of the JSON form of a report ([`Report::to_json`]).
pub const REPORT_VERSION: u64 = 2;

/// The checks a report can hold, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckName {
    /// The input is JSON within the size and depth limits, without duplicate keys.
    Parse,
    /// The document follows the VC data model.
    DataModel,
    /// The proof's signature is valid for its key, purpose, time, challenge and domain.
    Proof,
    /// The signing key belongs to the issuer (or holder) and is listed for the purpose.
    KeyBinding,
    /// The credential is valid at the verification time.
    ValidityPeriod,
    /// Every credential inside a presentation verified.
    Credentials,
    /// The credential's status lists say it is neither revoked nor suspended.
    Status,
    /// A trusted registry authorized the issuer for the credential's type.
    Trust,
}

impl CheckName {
    /// Every check, in the order they run.
    pub const ALL: &'static [CheckName] = &[
        CheckName::Parse,
        CheckName::DataModel,
        CheckName::Proof,
        CheckName::KeyBinding,
        CheckName::ValidityPeriod,
        CheckName::Credentials,
        CheckName::Status,
        CheckName::Trust,
    ];

    /// The stable name (`parse`, `data_model`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Parse => "parse",
            CheckName::DataModel => "data_model",
            CheckName::Proof => "proof",
            CheckName::KeyBinding => "key_binding",
            CheckName::ValidityPeriod => "validity_period",
            CheckName::Credentials => "credentials",
            CheckName::Status => "status",
            CheckName::Trust => "trust",
        }
    }

    /// The check's name for a person.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CheckName::Parse, Lang::En) => "Parsing",
            (CheckName::Parse, Lang::Fr) => "Analyse",
            (CheckName::DataModel, Lang::En) => "Data model",
            (CheckName::DataModel, Lang::Fr) => "Modèle de données",
            (CheckName::Proof, Lang::En) => "Proof",
            (CheckName::Proof, Lang::Fr) => "Preuve",
            (CheckName::KeyBinding, Lang::En) => "Key binding",
            (CheckName::KeyBinding, Lang::Fr) => "Lien de la clé",
            (CheckName::ValidityPeriod, Lang::En) => "Validity period",
            (CheckName::ValidityPeriod, Lang::Fr) => "Période de validité",
            (CheckName::Credentials, Lang::En) => "Credentials",
            (CheckName::Credentials, Lang::Fr) => "Attestations",
            (CheckName::Status, Lang::En) => "Status",
            (CheckName::Status, Lang::Fr) => "Statut",
            (CheckName::Trust, Lang::En) => "Trust registry",
            (CheckName::Trust, Lang::Fr) => "Registre de confiance",
        }
    }

    fn passed_message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CheckName::Parse, Lang::En) => "The document is well-formed JSON within the limits.",
            (CheckName::Parse, Lang::Fr) => "Le document est du JSON bien formé, dans les limites.",
            (CheckName::DataModel, Lang::En) => "The document follows the Verifiable Credentials data model.",
            (CheckName::DataModel, Lang::Fr) => {
                "Le document respecte le modèle de données des attestations vérifiables."
            }
            (CheckName::Proof, Lang::En) => {
                "The signature is valid: the document has not been changed since it was signed."
            }
            (CheckName::Proof, Lang::Fr) => {
                "La signature est valide : le document n’a pas été modifié depuis sa signature."
            }
            (CheckName::KeyBinding, Lang::En) => {
                "The signing key belongs to the signer and is authorized for this use."
            }
            (CheckName::KeyBinding, Lang::Fr) => {
                "La clé de signature appartient au signataire et est autorisée pour cet usage."
            }
            (CheckName::ValidityPeriod, Lang::En) => "The credential is valid at the time of verification.",
            (CheckName::ValidityPeriod, Lang::Fr) => "L’attestation est valide au moment de la vérification.",
            (CheckName::Credentials, Lang::En) => "Every credential in the presentation verified.",
            (CheckName::Credentials, Lang::Fr) => "Toutes les attestations de la présentation ont été vérifiées.",
            (CheckName::Status, Lang::En) => "The credential is neither revoked nor suspended.",
            (CheckName::Status, Lang::Fr) => "L’attestation n’est ni révoquée ni suspendue.",
            (CheckName::Trust, Lang::En) => "A trusted registry authorizes the issuer for this kind of credential.",
            (CheckName::Trust, Lang::Fr) => "Un registre de confiance autorise l’émetteur pour ce type d’attestation.",
        }
    }
}

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check ran and succeeded.
    Passed,
    /// The check ran and failed; the check carries a code.
    Failed,
    /// The check did not run (an earlier check failed, or it does not apply).
    Skipped,
}

impl Outcome {
    /// The stable name (`passed`, `failed`, `skipped`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// A message for a person, in English and French.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    /// English.
    pub en: Cow<'static, str>,
    /// French.
    pub fr: Cow<'static, str>,
}

impl Message {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// One check of a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// Which check.
    pub name: CheckName,
    /// Passed, failed or skipped.
    pub outcome: Outcome,
    /// The stable error code, when failed.
    pub code: Option<ErrorCode>,
    /// What a person reads.
    pub message: Message,
    /// What was checked against what: key ids, times, types (name → value).
    pub evidence: Vec<(EvidenceKey, String)>,
    /// A technical detail for developers (English), when failed.
    pub detail: Option<String>,
}

impl Check {
    /// A passed check with its evidence.
    pub fn passed(name: CheckName, evidence: Vec<(EvidenceKey, String)>) -> Self {
        Check {
            name,
            outcome: Outcome::Passed,
            code: None,
            message: Message {
                en: name.passed_message(Lang::En).into(),
                fr: name.passed_message(Lang::Fr).into(),
            },
            evidence,
            detail: None,
        }
    }

    /// A failed check, from the error that failed it.
    pub fn failed(name: CheckName, error: &Error, evidence: Vec<(EvidenceKey, String)>) -> Self {
        Check {
            name,
            outcome: Outcome::Failed,
            code: Some(error.code()),
            message: Message {
                en: error.message(Lang::En).into(),
                fr: error.message(Lang::Fr).into(),
            },
            evidence,
            detail: Some(error.detail().to_owned()),
        }
    }

    /// A skipped check, with the reason in both languages.
    pub fn skipped(name: CheckName, en: &'static str, fr: &'static str) -> Self {
        Check {
            name,
            outcome: Outcome::Skipped,
            code: None,
            message: Message {
                en: en.into(),
                fr: fr.into(),
            },
            evidence: Vec::new(),
            detail: None,
        }
    }

    /// Skipped because an earlier check failed.
    pub(crate) fn skipped_after_failure(name: CheckName) -> Self {
        Check::skipped(
            name,
            "Not checked: an earlier check failed.",
            "Non vérifié : une vérification précédente a échoué.",
        )
    }
}

/// What was verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A verifiable credential.
    Credential,
    /// A verifiable presentation.
    Presentation,
}

impl DocumentKind {
    /// The stable name (`credential`, `presentation`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Credential => "credential",
            DocumentKind::Presentation => "presentation",
        }
    }
}

/// The result of verifying a credential or presentation.
///
/// `verified()` is derived: no check failed and the proof check passed (for
/// a presentation, its `credentials` check covers the embedded credentials,
/// each of which has its own report).
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a report says whether the document verified: read `verified()` or its checks"]
pub struct Report {
    kind: DocumentKind,
    checks: Vec<Check>,
    credentials: Vec<Report>,
}

impl Report {
    pub(crate) fn new(kind: DocumentKind, checks: Vec<Check>, credentials: Vec<Report>) -> Self {
        Report {
            kind,
            checks,
            credentials,
        }
    }

    /// Whether the document verified.
    pub fn verified(&self) -> bool {
        let proof_passed = self
            .check(CheckName::Proof)
            .is_some_and(|c| c.outcome == Outcome::Passed);
        proof_passed && self.checks.iter().all(|c| c.outcome != Outcome::Failed)
    }

    /// Credential or presentation.
    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// Every check, in order.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The check named `name`, if the report has it.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// The reports of the credentials inside a presentation.
    pub fn credentials(&self) -> &[Report] {
        &self.credentials
    }

    /// `(check, code)` of every failed check, in order.
    pub fn failures(&self) -> Vec<(CheckName, ErrorCode)> {
        self.checks
            .iter()
            .filter_map(|c| {
                c.code
                    .filter(|_| c.outcome == Outcome::Failed)
                    .map(|code| (c.name, code))
            })
            .collect()
    }

    /// The report as text for a person, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.render_into(lang, "", &mut out);
        out
    }

    fn render_into(&self, lang: Lang, indent: &str, out: &mut String) {
        use std::fmt::Write as _;
        let (what, verdict) = match (self.kind, self.verified(), lang) {
            (DocumentKind::Credential, true, Lang::En) => ("Credential", "VERIFIED"),
            (DocumentKind::Credential, false, Lang::En) => ("Credential", "NOT VERIFIED"),
            (DocumentKind::Presentation, true, Lang::En) => ("Presentation", "VERIFIED"),
            (DocumentKind::Presentation, false, Lang::En) => ("Presentation", "NOT VERIFIED"),
            (DocumentKind::Credential, true, Lang::Fr) => ("Attestation", "VÉRIFIÉE"),
            (DocumentKind::Credential, false, Lang::Fr) => ("Attestation", "NON VÉRIFIÉE"),
            (DocumentKind::Presentation, true, Lang::Fr) => ("Présentation", "VÉRIFIÉE"),
            (DocumentKind::Presentation, false, Lang::Fr) => ("Présentation", "NON VÉRIFIÉE"),
        };
        let _ = writeln!(out, "{indent}{what}: {verdict}");
        for check in &self.checks {
            let mark = match check.outcome {
                Outcome::Passed => "✔",
                Outcome::Failed => "✘",
                Outcome::Skipped => "–",
            };
            let code = check.code.map(|c| format!(" [{c}]")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}  {mark} {}{code}: {}",
                check.name.label(lang),
                printable(check.message.get(lang))
            );
            for (key, value) in &check.evidence {
                let _ = writeln!(out, "{indent}      {}: {}", key.label(lang), printable(value));
            }
        }
        for (i, credential) in self.credentials.iter().enumerate() {
            let _ = writeln!(out, "{indent}  #{}:", i + 1);
            credential.render_into(lang, &format!("{indent}    "), out);
        }
    }
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`): evidence
/// comes from the document (a `kid`, a registry's names), and a line break
/// or a terminal escape in it must not draw a line of its own.
fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

impl Report {
    /// The report as JSON, the form the CLI prints and the WebAssembly
    /// bindings return (`docs/report.md` describes it):
    /// `{reportVersion: 2, kind, verified, checks: [{name, outcome, code?,
    /// message: {en, fr}, evidence: [{name, value, label: {en, fr}}],
    /// detail?}], credentials?}`. `credentials` is present for a
    /// presentation only.
    pub fn to_json(&self) -> Value {
        let mut report = Map::new();
        report.insert("reportVersion".into(), Value::from(REPORT_VERSION));
        report.insert("kind".into(), Value::String(self.kind.as_str().into()));
        report.insert("verified".into(), Value::Bool(self.verified()));
        let checks = self.checks.iter().map(Check::to_json).collect();
        report.insert("checks".into(), Value::Array(checks));
        if self.kind == DocumentKind::Presentation {
            let credentials = self.credentials.iter().map(Report::to_json).collect();
            report.insert("credentials".into(), Value::Array(credentials));
        }
        Value::Object(report)
    }

    /// The text of [`Report::to_json`], written directly: what the
    /// WebAssembly bindings hand to JavaScript, without building the JSON
    /// value first.
    pub fn to_json_text(&self) -> String {
        let mut out = String::with_capacity(1024 + 768 * self.checks.len());
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        // REPORT_VERSION, spelt out (a test compares this with `to_json`).
        out.push_str("{\"reportVersion\":2,\"kind\":");
        write_string(self.kind.as_str(), out);
        out.push_str(if self.verified() {
            ",\"verified\":true"
        } else {
            ",\"verified\":false"
        });
        out.push_str(",\"checks\":[");
        for (i, check) in self.checks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            check.write_json(out);
        }
        out.push(']');
        if self.kind == DocumentKind::Presentation {
            out.push_str(",\"credentials\":[");
            for (i, credential) in self.credentials.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                credential.write_json(out);
            }
            out.push(']');
        }
        out.push('}');
    }
}

/// Appends `"key":` and `{"en": …, "fr": …}`.
fn write_bilingual(key: &str, en: &str, fr: &str, out: &mut String) {
    write_string(key, out);
    out.push_str(":{\"en\":");
    write_string(en, out);
    out.push_str(",\"fr\":");
    write_string(fr, out);
    out.push('}');
}

impl Check {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"name\":");
        write_string(self.name.as_str(), out);
        out.push_str(",\"outcome\":");
        write_string(self.outcome.as_str(), out);
        if let Some(code) = self.code {
            out.push_str(",\"code\":");
            write_string(code.as_str(), out);
        }
        out.push(',');
        write_bilingual("message", &self.message.en, &self.message.fr, out);
        out.push_str(",\"evidence\":[");
        for (i, (key, value)) in self.evidence.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            write_string(key.name(), out);
            out.push_str(",\"value\":");
            write_string(value, out);
            out.push(',');
            write_bilingual("label", key.label(Lang::En), key.label(Lang::Fr), out);
            out.push('}');
        }
        out.push(']');
        if let Some(detail) = &self.detail {
            out.push_str(",\"detail\":");
            write_string(detail, out);
        }
        out.push('}');
    }

    fn to_json(&self) -> Value {
        let text = |s: &str| Value::String(s.to_owned());
        let mut check = Map::new();
        check.insert("name".into(), text(self.name.as_str()));
        check.insert("outcome".into(), text(self.outcome.as_str()));
        if let Some(code) = self.code {
            check.insert("code".into(), text(code.as_str()));
        }
        let mut message = Map::new();
        message.insert("en".into(), text(&self.message.en));
        message.insert("fr".into(), text(&self.message.fr));
        check.insert("message".into(), Value::Object(message));
        // Each entry on its own, in order: a kind found twice (two status
        // entries, a proof set) gives two entries, never a joined string.
        let evidence = self
            .evidence
            .iter()
            .map(|(key, value)| {
                let mut entry = Map::new();
                entry.insert("name".into(), text(key.name()));
                entry.insert("value".into(), text(value));
                let mut label = Map::new();
                label.insert("en".into(), text(key.label(Lang::En)));
                label.insert("fr".into(), text(key.label(Lang::Fr)));
                entry.insert("label".into(), Value::Object(label));
                Value::Object(entry)
            })
            .collect();
        check.insert("evidence".into(), Value::Array(evidence));
        if let Some(detail) = &self.detail {
            check.insert("detail".into(), text(detail));
        }
        Value::Object(check)
    }
}

/// Serializes as [`Report::to_json`].
impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_each_check_once() {
        for &name in CheckName::ALL {
            // No wildcard: a new check is a compile error here until listed.
            match name {
                CheckName::Parse
                | CheckName::DataModel
                | CheckName::Proof
                | CheckName::KeyBinding
                | CheckName::ValidityPeriod
                | CheckName::Credentials
                | CheckName::Status
                | CheckName::Trust => {}
            }
            assert_eq!(CheckName::ALL.iter().filter(|&&n| n == name).count(), 1);
        }
        assert_eq!(CheckName::ALL.len(), 8);
    }

    #[test]
    fn stable_names_are_the_serialized_names() {
        for outcome in [Outcome::Passed, Outcome::Failed, Outcome::Skipped] {
            assert_eq!(serde_json::to_value(outcome).unwrap(), outcome.as_str());
        }
        for kind in [DocumentKind::Credential, DocumentKind::Presentation] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn json_keeps_check_order_and_each_evidence_entry() {
        let error = Error::new(ErrorCode::StatusListUnavailable, "index 7");
        let checks = vec![
            Check::passed(CheckName::Parse, vec![(EvidenceKey::Bytes, "10".into())]),
            Check::failed(
                CheckName::Status,
                &error,
                vec![(EvidenceKey::Status, "a".into()), (EvidenceKey::Status, "b".into())],
            ),
        ];
        let report = Report::new(DocumentKind::Credential, checks, Vec::new());
        let json = report.to_json();
        let text = crate::json::to_text(&json).unwrap();
        assert!(
            text.starts_with(
                r#"{"reportVersion":2,"kind":"credential","verified":false,"checks":[{"name":"parse","outcome":"passed","message":{"#
            ),
            "{text}"
        );
        let status = &json["checks"][1];
        assert_eq!(status["code"], "STATUS_LIST_UNAVAILABLE");
        let entries = status["evidence"].as_array().unwrap();
        let values: Vec<&str> = entries.iter().map(|e| e["value"].as_str().unwrap()).collect();
        assert_eq!(values, ["a", "b"]);
        assert!(entries.iter().all(|e| e["name"] == "status"));
        assert_eq!(entries[0]["label"]["fr"], "statut");
        assert_eq!(status["detail"], "index 7");
        assert_eq!(status["message"]["fr"], error.message(Lang::Fr));
        assert!(
            json.get("credentials").is_none(),
            "a credential's report has no credentials"
        );
        assert_eq!(serde_json::to_value(&report).unwrap(), json, "Serialize writes to_json");
    }

    #[test]
    fn evidence_cannot_draw_lines_of_its_own() {
        let check = Check::passed(
            CheckName::Proof,
            vec![(
                EvidenceKey::Kid,
                "did:x#k\n  ✔ Trust registry: Authorized\u{1b}[2J".into(),
            )],
        );
        let report = Report::new(DocumentKind::Credential, vec![check], Vec::new());
        let text = report.render(Lang::En);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            text.contains("did:x#k\\n  ✔ Trust registry: Authorized\\u{1b}[2J"),
            "{text}"
        );
    }

    #[test]
    fn json_text_is_the_text_of_to_json() {
        let awkward = Error::new(ErrorCode::ProofSignatureInvalid, "a \"quote\", \\, \n, \u{1}, é ← ");
        let checks = || {
            vec![
                Check::passed(CheckName::Parse, vec![(EvidenceKey::Bytes, "1598".into())]),
                Check::failed(
                    CheckName::Proof,
                    &awkward,
                    vec![(EvidenceKey::Issuer, "did:x:\"y\"".into())],
                ),
                Check::skipped(CheckName::Trust, "not run", "pas fait"),
            ]
        };
        let credential = Report::new(DocumentKind::Credential, checks(), Vec::new());
        let presentation = Report::new(
            DocumentKind::Presentation,
            checks(),
            vec![
                credential.clone(),
                Report::new(DocumentKind::Credential, Vec::new(), Vec::new()),
            ],
        );
        let empty = Report::new(DocumentKind::Presentation, Vec::new(), Vec::new());
        for report in [credential, presentation, empty] {
            let text = report.to_json_text();
            assert_eq!(text, crate::json::to_text(&report.to_json()).unwrap());
            assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), report.to_json());
        }
    }
}
