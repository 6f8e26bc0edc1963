// Raw Ed25519 verification in node (the `bench` build's benchEd25519Verify),
// median of 15 samples after a warm-up, in µs per verification.
//   node wasm/bench/raw.mjs <path to the bench build's passerelle.js>
import { createRequire } from "node:module";

const bench = createRequire(import.meta.url)(process.argv[2]);
const timeBatch = (n) => {
  const start = process.hrtime.bigint();
  if (!bench.benchEd25519Verify(n)) throw new Error("benchEd25519Verify: a verification failed");
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
};
let perCall = timeBatch(20);
const warmUntil = Date.now() + 3000;
while (Date.now() < warmUntil) perCall = timeBatch(20);
const n = Math.max(10, Math.round(500_000 / perCall));
const samples = Array.from({ length: 15 }, () => timeBatch(n)).sort((a, b) => a - b);
console.log(JSON.stringify({ raw_verify_us: samples[Math.floor(samples.length / 2)], iterations: n }));
