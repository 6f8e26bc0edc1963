//! Embeds the test vectors for the wasm test suites (which cannot read files).

use std::path::{Path, PathBuf};

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generator") {
                walk(&path, root, out);
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "jsonl" || e == "jwt" || e == "sdjwt")
            || path.starts_with(root.join("contexts"))
        {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, path.canonicalize().unwrap_or(path)));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every test-vector file: path relative to test-vectors/, bytes.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, path) in files {
        code.push_str(&format!(
            "    ({relative:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("vectors.rs");
    std::fs::write(out, code).expect("write vectors.rs");
}
