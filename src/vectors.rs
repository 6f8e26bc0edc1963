//! Runs a test-vector directory: `manifest.json` plus the files it names
//! (format in `test-vectors/README.md`). Used by `cargo test` and by
//! `passerelle vectors run DIR`.

use std::path::Path;

use serde::Deserialize;

use crate::did::{DidDocument, StaticResolver};
use crate::json::Limits;
use crate::proof::Cryptosuite;
use crate::registry::TrustStore;
use crate::time::Timestamp;
use crate::verify::{Report, Verifier, VerifyOptions};

/// The manifest of a test-vector directory.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version; this runner reads version 1.
    pub version: u32,
    /// The cases.
    pub cases: Vec<Case>,
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
    /// Verification options.
    pub options: CaseOptions,
    /// The expected outcome.
    pub expect: Expectation,
}

/// The options of a case.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseOptions {
    /// The time of verification.
    pub time: String,
    /// Expected presentation challenge.
    #[serde(default)]
    pub challenge: Option<String>,
    /// Expected presentation domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// Input size limit in bytes (default 1 MiB).
    #[serde(default, rename = "maxBytes")]
    pub max_bytes: Option<usize>,
    /// Nesting depth limit (default 32).
    #[serde(default, rename = "maxDepth")]
    pub max_depth: Option<usize>,
    /// Accepted cryptosuites (default: all implemented).
    #[serde(default)]
    pub cryptosuites: Option<Vec<String>>,
    /// Trusted root registry DIDs; when present the `trust` check runs.
    #[serde(default, rename = "trustAnchors")]
    pub trust_anchors: Vec<String>,
    /// Registry snapshots to load (paths relative to the manifest), in order.
    #[serde(default)]
    pub registries: Vec<String>,
    /// Snapshot sequences seen before, by registry DID (rollback protection).
    #[serde(default)]
    pub seen: std::collections::BTreeMap<String, u64>,
    /// `did:webvh` logs the verifier has, by DID (paths relative to the manifest).
    #[serde(default, rename = "didLogs")]
    pub did_logs: std::collections::BTreeMap<String, String>,
    /// Status list credentials the verifier has, by URL (paths relative to
    /// the manifest). Absent: the verifier has no status list source.
    #[serde(default, rename = "statusLists")]
    pub status_lists: Option<std::collections::BTreeMap<String, String>>,
    /// The status policy (default: fail closed).
    #[serde(default, rename = "statusPolicy")]
    pub status_policy: CaseStatusPolicy,
}

/// The status policy of a case (see [`StatusPolicy`](crate::verify::StatusPolicy)).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStatusPolicy {
    /// Skip the status check when there is no status list source.
    #[serde(default, rename = "skipWithoutSource")]
    pub skip_without_source: bool,
    /// Leave entries of unknown status types unchecked.
    #[serde(default, rename = "acceptUnknownTypes")]
    pub accept_unknown_types: bool,
}

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
    Ok(manifest.cases.iter().map(|case| run_case(dir, case)).collect())
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

fn try_case(dir: &Path, case: &Case) -> Result<(Report, Option<String>), String> {
    let mut resolver = StaticResolver::default();
    for path in &case.did_documents {
        let bytes = std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
        let value = crate::json::parse_strict(&bytes, Limits::default()).map_err(|e| format!("{path}: {e}"))?;
        resolver.insert(DidDocument::from_json(value).map_err(|e| format!("{path}: {e}"))?);
    }
    let time = Timestamp::parse(&case.options.time).map_err(|e| format!("options.time: {e}"))?;
    let mut options = VerifyOptions::at(time);
    options.challenge = case.options.challenge.clone();
    options.domain = case.options.domain.clone();
    if let Some(max) = case.options.max_bytes {
        options.limits.max_bytes = max;
    }
    if let Some(max) = case.options.max_depth {
        options.limits.max_depth = max;
    }
    if let Some(names) = &case.options.cryptosuites {
        // A suite this runner does not implement cannot be accepted anyway.
        options.cryptosuites = names.iter().filter_map(|n| Cryptosuite::parse(n).ok()).collect();
    }
    let mut store = TrustStore::new(case.options.trust_anchors.iter().cloned());
    for (registry, sequence) in &case.options.seen {
        store.mark_seen(registry, *sequence);
    }
    for path in &case.options.registries {
        let bytes = std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
        // A refused snapshot is part of what a case tests: the store keeps the reason.
        let _ = store.load_snapshot(&bytes, &resolver, time);
    }
    let input = std::fs::read(dir.join(&case.input)).map_err(|e| format!("{}: {e}", case.input))?;
    options.status_policy = crate::verify::StatusPolicy {
        skip_without_source: case.options.status_policy.skip_without_source,
        accept_unknown_types: case.options.status_policy.accept_unknown_types,
    };
    let lists = match &case.options.status_lists {
        None => None,
        Some(given) => {
            let mut lists = crate::status::StaticStatusLists::default();
            for (url, path) in given {
                lists.insert(
                    url.clone(),
                    std::fs::read(dir.join(path)).map_err(|e| format!("{path}: {e}"))?,
                );
            }
            Some(lists)
        }
    };
    let mut logs = crate::did::webvh::WebvhLogs::new();
    for (did, path) in &case.options.did_logs {
        let text = std::fs::read_to_string(dir.join(path)).map_err(|e| format!("{path}: {e}"))?;
        logs.insert(did.clone(), text);
    }
    let resolver = crate::did::FallbackResolver(resolver, logs);
    let mut verifier = Verifier::new(resolver).with_trust(store);
    if let Some(lists) = lists {
        verifier = verifier.with_status(lists);
    }
    let report = verifier.verify(&input, &options);

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
