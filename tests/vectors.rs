//! Runs every case of `test-vectors/manifest.json` through the verifier.

use std::path::Path;

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
}
