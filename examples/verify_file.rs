//! Verifies one credential file offline and prints the verdict and the
//! first failure's code: the smallest process around `Verifier::verify`,
//! for measuring time and peak memory (`/usr/bin/time -v`), as
//! docs/benchmarks-rdfc.md does.
//!
//! `cargo run --release --example verify_file -- <file> [<time>]`

use passerelle::{Timestamp, Verifier, VerifyOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: verify_file <file> [<time>]")?;
    let time = args.next().unwrap_or_else(|| "2030-01-01T00:00:00Z".to_owned());
    let bytes = std::fs::read(&path)?;
    let started = std::time::Instant::now();
    let report = Verifier::offline().verify(&bytes, &VerifyOptions::at(Timestamp::parse(&time)?));
    let elapsed = started.elapsed();
    let failure = report
        .failures()
        .first()
        .map(|(check, code)| format!("{check:?} {}", code.as_str()));
    println!(
        "{path}: {} bytes, verified {}, first failure {}, {:.1} ms",
        bytes.len(),
        report.verified(),
        failure.as_deref().unwrap_or("none"),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(())
}
