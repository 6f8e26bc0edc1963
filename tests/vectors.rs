//! Runs every case of `test-vectors/manifest.json` through the verifier.

use std::path::Path;

/// Every case gives its expected verdict and codes; and the report's JSON
/// text, written directly for the WebAssembly bindings, is the text of its
/// JSON value, for every report the vectors give (one run for both).
#[test]
fn every_test_vector_gives_its_expected_verdict_and_codes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors");
    let results = passerelle::vectors::run_dir(&dir).unwrap();
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
    for result in &results {
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
