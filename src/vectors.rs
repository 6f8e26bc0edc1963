//! Runs a test-vector directory: `manifest.json` plus the files it names
//! (format in `test-vectors/README.md`). Used by `cargo test` and by
//! `passerelle vectors run DIR`.

use std::path::Path;

use serde::Deserialize;

use serde_json::{Map, Value};

mod resolution;

pub use resolution::{ResolutionCase, ResolutionCaseOptions, ResolutionExpectation};

use crate::inputs::{check_key, Inputs};
use crate::time::Timestamp;
use crate::verify::Report;

/// The manifest of a test-vector directory.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version; this runner reads version 1.
    pub version: u32,
    /// The cases.
    pub cases: Vec<Case>,
    /// DID resolution cases (optional; see [`ResolutionCase`]).
    #[serde(default)]
    pub resolutions: Vec<ResolutionCase>,
}

/// One test case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// A unique, stable id.
    pub id: String,
    /// What the case tests.
    pub description: String,
    /// The document to verify (path relative to the manifest).
    pub input: String,
    /// DID documents the verifier knows (paths relative to the manifest).
    #[serde(default, rename = "didDocuments")]
    pub did_documents: Vec<String>,
    /// Verification options (keys in [`CASE_OPTION_KEYS`]).
    pub options: serde_json::Map<String, serde_json::Value>,
    /// The expected outcome.
    pub expect: Expectation,
}

/// The keys of a case's options: those of a verification's JSON options
/// (read by [`Inputs::read`](crate::inputs::Inputs::read), which refuses any
/// other with `OPTION_UNKNOWN`), and three whose values are paths relative
/// to the manifest: `registries` (snapshots, loaded in order), `didLogs`
/// (`{did: path}`) and `statusLists` (`{url: path}`; absent, the verifier
/// has no status list source). `time` is required.
pub const CASE_OPTION_KEYS: &[&str] = &[
    "time",
    "challenge",
    "domain",
    "maxBytes",
    "maxDepth",
    "cryptosuites",
    "statusPolicy",
    "trustAnchors",
    "seen",
    "registries",
    "didLogs",
    "statusLists",
];

/// The expected outcome of a case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// Whether the document verifies.
    pub verified: bool,
    /// Every failed check of the top-level report, in order.
    #[serde(default)]
    pub failures: Vec<ExpectedFailure>,
}

/// A failed check and its code.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// The check name (`proof`, `key_binding`, …).
    pub check: String,
    /// The stable error code.
    pub code: String,
}

/// The outcome of running one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// `None` when the case passed; otherwise what differed.
    pub problem: Option<String>,
    /// The report, when the case could be run.
    pub report: Option<Report>,
}

/// Reads and runs every case of the directory `dir`.
pub fn run_dir(dir: &Path) -> Result<Vec<CaseResult>, String> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    if manifest.version != 1 {
        return Err(format!("manifest version {} is not supported", manifest.version));
    }
    let cases = manifest.cases.iter().map(|case| run_case(dir, case));
    let resolutions = manifest.resolutions.iter().map(|case| CaseResult {
        id: case.id.clone(),
        problem: resolution::run(dir, case).err(),
        report: None,
    });
    Ok(cases.chain(resolutions).collect())
}

fn run_case(dir: &Path, case: &Case) -> CaseResult {
    match try_case(dir, case) {
        Ok((report, problem)) => CaseResult {
            id: case.id.clone(),
            problem,
            report: Some(report),
        },
        Err(problem) => CaseResult {
            id: case.id.clone(),
            problem: Some(problem),
            report: None,
        },
    }
}

/// The paths of the path-valued option `key` (`{name: path}`).
fn paths(options: &mut Map<String, Value>, key: &str) -> Result<Option<Vec<(String, String)>>, String> {
    match options.remove(key) {
        None => Ok(None),
        Some(Value::Object(given)) => given
            .into_iter()
            .map(|(name, path)| match path {
                Value::String(path) => Ok((name, path)),
                _ => Err(format!("options.{key}.{name}: a path is a string")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(format!("options.{key}: an object of paths")),
    }
}

fn try_case(dir: &Path, case: &Case) -> Result<(Report, Option<String>), String> {
    let read = |path: &str| std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"));
    let mut options = case.options.clone();
    for key in options.keys() {
        check_key(key, CASE_OPTION_KEYS).map_err(|e| format!("options: {e}"))?;
    }
    if !options.contains_key("time") {
        return Err("options.time is required".into());
    }
    let registries: Vec<String> = match options.remove("registries") {
        None => Vec::new(),
        Some(value) => serde_json::from_value(value).map_err(|e| format!("options.registries: {e}"))?,
    };
    let logs = paths(&mut options, "didLogs")?;
    let lists = paths(&mut options, "statusLists")?;

    let mut inputs = Inputs::new(Timestamp::from_unix_seconds(0));
    inputs
        .read(options, CASE_OPTION_KEYS)
        .map_err(|e| format!("options: {e}"))?;
    for path in &case.did_documents {
        inputs.did_document_text(read(path)?);
    }
    for path in &registries {
        // A refused snapshot is part of what a case tests: the store keeps the reason.
        inputs.snapshot(read(path)?);
    }
    for (did, path) in logs.into_iter().flatten() {
        let log = String::from_utf8(read(&path)?).map_err(|e| format!("{path}: {e}"))?;
        inputs.did_log(did, log);
    }
    if let Some(lists) = lists {
        inputs.status_source();
        for (url, path) in lists {
            inputs.status_list(url, read(&path)?);
        }
    }
    let input = read(&case.input)?;
    let (verifier, _) = inputs.build().map_err(|e| format!("{e}"))?;
    let report = verifier.verify(&input, verifier.options());

    let got: Vec<ExpectedFailure> = report
        .failures()
        .into_iter()
        .map(|(check, code)| ExpectedFailure {
            check: check.as_str().to_owned(),
            code: code.as_str().to_owned(),
        })
        .collect();
    let show = |f: &[ExpectedFailure]| {
        f.iter()
            .map(|f| format!("{}/{}", f.check, f.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let problem = if report.verified() != case.expect.verified {
        Some(format!(
            "verified is {}, expected {} (failures: [{}])",
            report.verified(),
            case.expect.verified,
            show(&got)
        ))
    } else if got != case.expect.failures {
        Some(format!(
            "failures [{}], expected [{}]",
            show(&got),
            show(&case.expect.failures)
        ))
    } else {
        None
    };
    Ok((report, problem))
}
