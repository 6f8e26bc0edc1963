//! Verifying RDFC-1.0 poison credentials (issue #14, finding 3): the
//! largest ring, clique, hub, twin hubs and pairs of blank nodes under the
//! 1 MiB default input limit, and the 2 000-node ring of the report. Each
//! is refused with `CANONICALIZATION_LIMIT`; the budget is 1 s and 256 MiB
//! each (docs/benchmarks-rdfc.md has the numbers).
//!
//! With `RDFC_POISON_OUT=<dir>` the credentials are also written to files,
//! for `passerelle verify` under `/usr/bin/time -v`.

#[path = "common/poison.rs"]
mod poison;

use criterion::{criterion_group, criterion_main, Criterion};
use passerelle::json::Limits;
use passerelle::{Verifier, VerifyOptions};
use poison::Shape;
use std::hint::black_box;
use std::time::Duration;

fn benches(c: &mut Criterion) {
    let options = VerifyOptions::at(poison::at());
    let verifier = Verifier::offline();
    let mut cases: Vec<(String, Vec<u8>)> = Shape::ALL
        .iter()
        .map(|shape| {
            (
                format!("{shape:?} at 1 MiB"),
                poison::at_limit(*shape, Limits::default().max_bytes),
            )
        })
        .collect();
    cases.push(("Ring of 2000".into(), poison::credential(Shape::Ring, 2_000)));
    if let Some(dir) = std::env::var_os("RDFC_POISON_OUT") {
        for (name, bytes) in &cases {
            let file = format!("{}.json", name.to_lowercase().replace(' ', "-"));
            std::fs::write(std::path::Path::new(&dir).join(file), bytes).unwrap();
        }
    }
    let mut group = c.benchmark_group("rdfc_poison");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    for (name, bytes) in &cases {
        let report = verifier.verify(bytes, &options);
        assert_eq!(
            report.failures().first().map(|(_, code)| code.as_str()),
            Some("CANONICALIZATION_LIMIT"),
            "{name}"
        );
        group.bench_function(format!("verify {name} ({} KB)", bytes.len() / 1000), |b| {
            b.iter(|| verifier.verify(black_box(bytes), &options))
        });
    }
    group.finish();
}

criterion_group!(rdfc_poison, benches);
criterion_main!(rdfc_poison);
