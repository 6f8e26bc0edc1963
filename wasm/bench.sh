#!/usr/bin/env bash
# Node vs native verification time of the demo credential, in one run:
# the npm package in node (wasm/bench/bench.mjs) and the same call natively
# (benches/demo.rs), on the same files. Prints both and the ratio
# (budget: node ≤ 2× native).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --example canada > /dev/null
bash wasm/build.sh
node wasm/www/assemble.mjs target/canada wasm/pkg
ln -sfn ../pkg wasm/node_modules/passerelle
node wasm/bench/bench.mjs wasm/pkg/www/demo-data.json target/canada/credentials | tee target/wasm-bench.json
cargo bench --quiet --bench demo -- --warm-up-time 3 --measurement-time 10 demo_native
node -e '
const fs = require("fs");
const node = JSON.parse(fs.readFileSync("target/wasm-bench.json", "utf8")).node_us;
const native = JSON.parse(fs.readFileSync("target/criterion/demo_native/new/estimates.json", "utf8")).median.point_estimate / 1000;
console.log(`demo credential: node ${node.toFixed(1)} µs, native ${native.toFixed(1)} µs, ratio ${(node / native).toFixed(2)}× (budget 2×)`);
'
