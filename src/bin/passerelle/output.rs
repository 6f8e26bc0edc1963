//! Standard output that a reader may close early.
//!
//! `passerelle verify --json … | head -1` closes the pipe before the report
//! is written. `println!` would panic there; here the rest of the output is
//! dropped and the command keeps its exit status, so a pipeline still learns
//! the verdict. Any other write error (a full disk) ends the command with
//! status 2: output must not be lost silently.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};
use std::sync::OnceLock;

use passerelle::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of the one message this module may print.
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// Writes `args` to standard output (the `out!` and `outln!` macros).
pub fn write(args: Arguments) {
    match std::io::stdout().lock().write_fmt(args) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {}
        Err(e) => {
            match LANG.get().copied().unwrap_or_default() {
                Lang::En => errln!("passerelle: error: cannot write the output: {e}"),
                Lang::Fr => errln!("passerelle : erreur : impossible d'écrire la sortie : {e}"),
            }
            std::process::exit(2);
        }
    }
}

/// Writes `args` to standard error (the `errln!` macro), ignoring a failure:
/// there is nowhere left to report it.
pub fn write_err(args: Arguments) {
    let _ = std::io::stderr().lock().write_fmt(args);
}
