//! Runs every case of `test-vectors/manifest.json` through the verifier.

use std::path::Path;
use std::sync::OnceLock;

use passerelle::vectors::CaseResult;

/// Every case's result, run once for the tests of this file.
fn results() -> &'static [CaseResult] {
    static RESULTS: OnceLock<Vec<CaseResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors");
        passerelle::vectors::run_dir(&dir).unwrap()
    })
}

/// Every case gives its expected verdict and codes; and the report's JSON
/// text, written directly for the WebAssembly bindings, is the text of its
/// JSON value, for every report the vectors give (one run for both).
#[test]
fn every_test_vector_gives_its_expected_verdict_and_codes() {
    let results = results();
    assert!(results.len() >= 40, "only {} cases", results.len());
    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.problem.as_ref().map(|p| format!("{}: {p}", r.id)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
    let mut compared = 0;
    for result in results {
        let Some(report) = &result.report else { continue };
        let value = report.to_json();
        assert_eq!(
            report.to_json_text(),
            passerelle::json::to_text(&value).unwrap(),
            "{}",
            result.id
        );
        compared += 1;
    }
    assert!(compared >= 150, "only {compared} reports compared");
}

/// Act only on what was signed: in every vector's report whose proof or key
/// binding failed, no check that reads the credential's claims (validity
/// period, status, trust) passed or failed: each is skipped, since nothing
/// it would read is covered by a valid signature. Presentations: each
/// credential's own report, by the same rule.
#[test]
fn no_check_reads_the_claims_of_a_credential_whose_signature_failed() {
    use passerelle::verify::{CheckName, Outcome};
    use passerelle::Report;
    fn unsigned_claims_read(report: &Report, id: &str, seen: &mut usize, problems: &mut Vec<String>) {
        let signature_failed = report
            .checks()
            .iter()
            .any(|c| matches!(c.name, CheckName::Proof | CheckName::KeyBinding) && c.outcome == Outcome::Failed);
        if signature_failed && report.kind() == passerelle::verify::DocumentKind::Credential {
            *seen += 1;
            for check in report.checks() {
                if matches!(
                    check.name,
                    CheckName::ValidityPeriod | CheckName::Status | CheckName::Trust
                ) && check.outcome != Outcome::Skipped
                {
                    problems.push(format!(
                        "{id}: {} {:?} after a failed signature",
                        check.name.as_str(),
                        check.outcome
                    ));
                }
            }
        }
        for credential in report.credentials() {
            unsigned_claims_read(credential, id, seen, problems);
        }
    }
    let mut seen = 0;
    let mut problems = Vec::new();
    for result in results() {
        if let Some(report) = &result.report {
            unsigned_claims_read(report, &result.id, &mut seen, &mut problems);
        }
    }
    assert!(seen >= 20, "only {seen} credentials with a failed signature");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
