//! Running the `passerelle` binary, for the command-line tests.

use std::process::{Command, Output};

/// Runs `passerelle` with `args` and waits for it.
pub fn passerelle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .output()
        .expect("run passerelle")
}
