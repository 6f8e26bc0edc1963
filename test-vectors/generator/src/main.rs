//! Writes passerelle's test vectors into `test-vectors/` (or the directory
//! given as the first argument). Deterministic: same code, same bytes.

use std::path::PathBuf;

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    let files = passerelle_vectors::generate();
    for (path, bytes) in &files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create directory");
        }
        std::fs::write(&target, bytes).expect("write file");
    }
    eprintln!("wrote {} files to {}", files.len(), dir.display());
}
