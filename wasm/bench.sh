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
# The node and native halves take turns, ROUNDS times (default 5): each
# round is a node run (5 samples of each measure) then a short criterion run,
# so that a change in the machine's load weighs on a round's two halves
# alike. Each round gives its ratios; the budgets are judged on the medians.
rounds=${ROUNDS:-5}
for round in $(seq 1 "$rounds"); do
  node wasm/bench/bench.mjs --samples 5 wasm/pkg/www/demo-data.json target/canada/credentials \
    "$PWD/target/wasm-bench/nodejs/passerelle.js" > "target/wasm-bench-$round.json"
  cargo bench --quiet --bench demo -- --warm-up-time 1 --measurement-time 3 \
    'demo_native|kept_second_native|ed25519_verify_native' > /dev/null
  node -e '
const fs = require("fs");
const native = (name) => JSON.parse(fs.readFileSync(`target/criterion/${name}/new/estimates.json`, "utf8")).median.point_estimate / 1000;
const names = ["demo_native", "kept_second_native", "ed25519_verify_native"];
fs.writeFileSync(process.argv[1], JSON.stringify(Object.fromEntries(names.map((n) => [n, native(n)]))));
' "target/native-bench-$round.json"
done
node -e '
const fs = require("fs");
const read = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
const rounds = Array.from({ length: +process.argv[1] }, (_, i) => ({ node: read(`target/wasm-bench-${i + 1}.json`), native: read(`target/native-bench-${i + 1}.json`) }));
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const per = rounds.map(({ node, native }) => ({
  demo: node.node_us / native.demo_native,
  raw: node.raw_verify_us / native.ed25519_verify_native,
  second: node.kept_second_us / node.raw_verify_us,
  secondNative: native.kept_second_native / native.ed25519_verify_native,
}));
rounds.forEach(({ node, native }, i) => {
  const r = per[i];
  console.log(`round ${i + 1}: demo node ${node.node_us.toFixed(1)} µs / native ${native.demo_native.toFixed(1)} µs = ${r.demo.toFixed(2)}×;` +
    ` raw Ed25519 node ${node.raw_verify_us.toFixed(1)} µs / native ${native.ed25519_verify_native.toFixed(1)} µs = ${r.raw.toFixed(2)}×;` +
    ` demo ratio / raw ratio ${(r.demo / r.raw).toFixed(2)};` +
    ` second credential node ${node.kept_second_us.toFixed(1)} µs = ${r.second.toFixed(2)}× raw (natively ${native.kept_second_native.toFixed(1)} µs = ${r.secondNative.toFixed(2)}× raw);` +
    ` revoked permit ${node.kept_revoked_us.toFixed(1)} µs`);
});
const demoOfRaw = median(per.map((r) => r.demo / r.raw));
const second = median(per.map((r) => r.second));
const secondNative = median(per.map((r) => r.secondNative));
console.log(`median of ${rounds.length} rounds: demo ratio / raw ratio ${demoOfRaw.toFixed(2)} (budget ≤ 1: ${demoOfRaw <= 1 ? "met" : "not met"});` +
  ` second credential in node ${second.toFixed(2)}× raw Ed25519 in node (budget ≤ 1.3×: ${second <= 1.3 ? "met" : "not met"}), natively ${secondNative.toFixed(2)}×`);
' "$rounds" | tee target/wasm-bench-summary.txt
