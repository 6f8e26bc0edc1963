#!/usr/bin/env bash
# Node vs native verification time of the demo credential, in one run:
# the npm package in node (wasm/bench/bench.mjs) and the same call natively
# (benches/demo.rs), on the same files. Prints both and the ratio, the same
# for one raw Ed25519 verification (budget: the demo's ratio no worse than
# the raw verification's), and a second credential verified by a
# PasserelleVerifier against the status lists it kept, against one raw
# Ed25519 verification in node (budget: ≤ 1.3×).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --example canada > /dev/null
bash wasm/build.sh
node wasm/www/assemble.mjs target/canada wasm/pkg
ln -sfn ../pkg wasm/node_modules/passerelle
# The curve alone: raw Ed25519 verification, from a build with the `bench` export.
bash wasm/build.sh bench "$PWD/target/wasm-bench"
node wasm/bench/bench.mjs wasm/pkg/www/demo-data.json target/canada/credentials \
  "$PWD/target/wasm-bench/nodejs/passerelle.js" | tee target/wasm-bench.json
cargo bench --quiet --bench demo -- --warm-up-time 3 --measurement-time 10 'demo_native|kept_second_native|ed25519_verify_native'
node -e '
const fs = require("fs");
const read = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
const native = (name) => read(`target/criterion/${name}/new/estimates.json`).median.point_estimate / 1000;
const line = (what, node, nat, budget) =>
  console.log(`${what}: node ${node.toFixed(1)} µs, native ${nat.toFixed(1)} µs, ratio ${(node / nat).toFixed(2)}×${budget}`);
const node = read("target/wasm-bench.json");
const raw = node.raw_verify_us;
const demoRatio = node.node_us / native("demo_native");
const rawRatio = raw / native("ed25519_verify_native");
line("demo credential", node.node_us, native("demo_native"), "");
line("raw Ed25519 verify", raw, native("ed25519_verify_native"), "");
console.log(`demo ratio / raw ratio: ${(demoRatio / rawRatio).toFixed(2)} (budget ≤ 1: ${demoRatio <= rawRatio ? "met" : "not met"})`);
line("second credential, kept verifier", node.kept_second_us, native("kept_second_native"), "");
console.log(`second credential in node / raw Ed25519 in node: ${(node.kept_second_us / raw).toFixed(2)}× (budget ≤ 1.3×: ${node.kept_second_us <= 1.3 * raw ? "met" : "not met"}); revoked permit against the kept lists: ${node.kept_revoked_us.toFixed(1)} µs`);
'
