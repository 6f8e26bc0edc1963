//! Running the `passerelle` binary, for the command-line tests.

use std::process::{Command, Output};

/// Runs `passerelle` with `args` and waits for it.
pub fn passerelle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .output()
        .expect("run passerelle")
}

/// An empty scratch folder for one test: `name` tells tests of one process apart.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("passerelle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
