//! The report handed to JavaScript. The Rust `Report` becomes the plain
//! object of `Report::to_json` (the shape `index.d.ts` and docs/report.md
//! describe), but it crosses the boundary as a shorter text: each evidence
//! entry as its name and value, and a passed check's message left out when
//! it is that check's usual one. `js/report.js` puts the labels and usual
//! messages back from a catalog it is given once. Most of a report's text
//! is those labels and messages in two languages, and reading that text
//! with `JSON.parse` cost more than the rest of the boundary together.

use std::sync::atomic::{AtomicBool, Ordering};

use passerelle::json::write_string;
use passerelle::verify::{Check, CheckName, DocumentKind, EvidenceKey, Message, Outcome, Report, REPORT_VERSION};
use passerelle::Lang;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/report.js")]
extern "C" {
    /// The report object from the short text `report`; `catalog`, the
    /// labels and usual messages, comes with the first call only. Caught:
    /// a JavaScript exception must not unwind through the module, which
    /// would leave the verifier borrowed.
    #[wasm_bindgen(catch, js_name = expandReport)]
    fn expand_report(report: &str, catalog: Option<String>) -> Result<JsValue, JsValue>;
}

/// Whether `js/report.js` holds the catalog: the module and this flag live
/// and die with the one instance of the module.
static CATALOG_GIVEN: AtomicBool = AtomicBool::new(false);

/// `report` as the object `Report::to_json` describes.
pub(crate) fn to_js(report: &Report) -> Result<JsValue, JsValue> {
    let mut text = String::with_capacity(256 + 160 * report.checks().len());
    write_report(report, &mut text);
    let catalog = (!CATALOG_GIVEN.swap(true, Ordering::Relaxed)).then(catalog);
    expand_report(&text, catalog)
}

/// `{"reportVersion", "passed": {check: message}, "labels": {evidence
/// name: label}}`, messages and labels as `{"en": …, "fr": …}`.
fn catalog() -> String {
    let mut out = format!("{{\"reportVersion\":{REPORT_VERSION},\"passed\":{{");
    for (i, &name) in CheckName::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(name.as_str(), &mut out);
        out.push(':');
        let usual = Check::passed(name, Vec::new()).message;
        write_bilingual(&usual.en, &usual.fr, &mut out);
    }
    out.push_str("},\"labels\":{");
    for (i, &key) in EvidenceKey::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key.name(), &mut out);
        out.push(':');
        write_bilingual(key.label(Lang::En), key.label(Lang::Fr), &mut out);
    }
    out.push_str("}}");
    out
}

fn write_bilingual(en: &str, fr: &str, out: &mut String) {
    out.push_str("{\"en\":");
    write_string(en, out);
    out.push_str(",\"fr\":");
    write_string(fr, out);
    out.push('}');
}

/// `{"kind", "verified", "checks", "credentials"?}`, the checks written by
/// [`write_check`]; `credentials` for a presentation only.
fn write_report(report: &Report, out: &mut String) {
    out.push_str("{\"kind\":");
    write_string(report.kind().as_str(), out);
    out.push_str(if report.verified() {
        ",\"verified\":true,\"checks\":["
    } else {
        ",\"verified\":false,\"checks\":["
    });
    for (i, check) in report.checks().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_check(check, out);
    }
    out.push(']');
    if report.kind() == DocumentKind::Presentation {
        out.push_str(",\"credentials\":[");
        for (i, credential) in report.credentials().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_report(credential, out);
        }
        out.push(']');
    }
    out.push('}');
}

/// `{"name", "outcome", "code"?, "message"?, "evidence": [name, value, …],
/// "detail"?}`: `message` is left out when the check passed with its usual
/// message.
fn write_check(check: &Check, out: &mut String) {
    out.push_str("{\"name\":");
    write_string(check.name.as_str(), out);
    out.push_str(",\"outcome\":");
    write_string(check.outcome.as_str(), out);
    if let Some(code) = check.code {
        out.push_str(",\"code\":");
        write_string(code.as_str(), out);
    }
    if !is_usual(check) {
        out.push_str(",\"message\":");
        write_bilingual(&check.message.en, &check.message.fr, out);
    }
    out.push_str(",\"evidence\":[");
    for (i, (key, value)) in check.evidence.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key.name(), out);
        out.push(',');
        write_string(value, out);
    }
    out.push(']');
    if let Some(detail) = &check.detail {
        out.push_str(",\"detail\":");
        write_string(detail, out);
    }
    out.push('}');
}

/// Whether `check` passed with the message the catalog holds for it.
fn is_usual(check: &Check) -> bool {
    check.outcome == Outcome::Passed && {
        let Message { en, fr } = Check::passed(check.name, Vec::new()).message;
        check.message.en == en && check.message.fr == fr
    }
}
