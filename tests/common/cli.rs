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

/// Runs `passerelle` with `args`, which must succeed; its standard output.
pub fn run(args: &[&str]) -> String {
    let output = passerelle(args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A test's scratch folder, naming its files as the command line takes them.
pub struct Files {
    pub dir: std::path::PathBuf,
}

impl Files {
    /// The path of the file `name` in the folder.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Writes `text` to the file `name`; its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.join(name), text).unwrap();
        self.path(name)
    }
}

/// The code of the first failed check of a `verify --json` report, or `none`.
pub fn failed_code(report: &serde_json::Value) -> &str {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == "failed")
        .and_then(|c| c["code"].as_str())
        .unwrap_or("none")
}
