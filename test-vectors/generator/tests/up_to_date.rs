//! The committed test vectors are exactly what the generator produces, and
//! generating twice gives the same bytes.

use std::path::Path;

#[test]
fn committed_vectors_match_the_generator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = passerelle_vectors::generate();
    assert_eq!(
        files,
        passerelle_vectors::generate(),
        "the generator is not deterministic"
    );
    let mut stale = Vec::new();
    for (path, bytes) in &files {
        if std::fs::read(dir.join(path)).ok().as_ref() != Some(bytes) {
            stale.push(path.clone());
        }
    }
    for folder in [
        "cases",
        "dids",
        "registry/cases",
        "registry/dids",
        "registry/snapshots",
        "status/cases",
        "status/lists",
    ] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            let name = format!("{folder}/{}", entry.unwrap().file_name().to_string_lossy());
            if !files.contains_key(&name) {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing (run `cargo run -p passerelle-vectors`): {stale:?}"
    );
}
