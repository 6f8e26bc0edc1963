#!/usr/bin/env bash
# Node vs native verification time of the demo credential, in one run:
# the npm package in node (wasm/bench/bench.mjs) and the same call natively
# (benches/demo.rs), on the same files. Prints both and the ratio
# (budget: node ≤ 2× native), and the same for one raw Ed25519 verification.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --example canada > /dev/null
bash wasm/build.sh
node wasm/www/assemble.mjs target/canada wasm/pkg
ln -sfn ../pkg wasm/node_modules/passerelle
# The curve alone: raw Ed25519 verification, from a build with the `bench` export.
bash wasm/build.sh bench "$PWD/target/wasm-bench"
node wasm/bench/bench.mjs wasm/pkg/www/demo-data.json target/canada/credentials | tee target/wasm-bench.json
node wasm/bench/raw.mjs "$PWD/target/wasm-bench/nodejs/passerelle.js" | tee target/wasm-bench-raw.json
cargo bench --quiet --bench demo -- --warm-up-time 3 --measurement-time 10 'demo_native|ed25519_verify_native'
node -e '
const fs = require("fs");
const read = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
const native = (name) => read(`target/criterion/${name}/new/estimates.json`).median.point_estimate / 1000;
const line = (what, node, nat, budget) =>
  console.log(`${what}: node ${node.toFixed(1)} µs, native ${nat.toFixed(1)} µs, ratio ${(node / nat).toFixed(2)}×${budget}`);
line("demo credential", read("target/wasm-bench.json").node_us, native("demo_native"), " (budget 2×)");
line("raw Ed25519 verify", read("target/wasm-bench-raw.json").raw_verify_us, native("ed25519_verify_native"), "");
'
