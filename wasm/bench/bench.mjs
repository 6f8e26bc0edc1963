// The demo's BC Mines Act permit verified through the npm package in node,
// the way the verifier page calls it (TrustStore.verifyCredential with the
// page's options). `benches/demo.rs` does the same natively; `wasm/bench.sh`
// runs both in one run and prints the ratio.
//   node wasm/bench/bench.mjs [--check] <demo-data.json> <credentials dir>
// --check: verify once, and a tampered copy, then stop (the test command
// uses it to show the package loads in node by its name).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TrustStore } from "passerelle";

const args = process.argv.slice(2);
const check = args[0] === "--check";
const [dataPath, credentials] = check ? args.slice(1) : args;
const data = JSON.parse(readFileSync(dataPath, "utf8"));
const credential = readFileSync(join(credentials, "bc-mines-act-permit.json"), "utf8");

const store = new TrustStore(data.anchors);
for (const snapshot of data.snapshots) {
  store.loadSnapshot(snapshot, { didDocuments: data.didDocuments, time: data.time });
}
const options = {
  time: data.time,
  didDocuments: data.didDocuments,
  didLogs: data.didLogs,
  statusLists: data.statusLists,
};
const verifyOnce = () => store.verifyCredential(credential, options);

const report = verifyOnce();
if (!report.verified) {
  console.error(JSON.stringify(report, null, 2));
  throw new Error("the demo credential did not verify in node");
}
if (check) {
  const tampered = readFileSync(join(credentials, "negative-tampered-permit.json"), "utf8");
  const failed = store.verifyCredential(tampered, { ...options, lang: "fr" });
  const proof = failed.checks.find((c) => c.name === "proof");
  if (failed.verified || proof.code !== "PROOF_SIGNATURE_INVALID") {
    throw new Error(`tampered permit: expected PROOF_SIGNATURE_INVALID, got ${JSON.stringify(proof)}`);
  }
  // The same permit with nothing supplied: the page's fetchers are asked instead.
  const asked = [];
  const fetched = await store.verifyCredentialAsync(credential, {
    time: data.time,
    fetchDidDocument: async (did) => (asked.push(did), data.didDocuments.find((d) => d.id === did) ?? null),
    fetchStatusList: async (url) => (asked.push(url), data.statusLists[url] ?? null),
  });
  if (!fetched.verified || asked.length === 0) {
    throw new Error(`verifyCredentialAsync: verified=${fetched.verified}, asked ${JSON.stringify(asked)}`);
  }
  // The Yukon placer claim's issuer is a did:webvh: the verifier module
  // says it needs "passerelle/full", which verifies it.
  const claim = readFileSync(join(credentials, "yt-placer-claim-grant.json"), "utf8");
  const lean = store.verifyCredential(claim, options);
  const refused = lean.checks.find((c) => c.outcome === "failed");
  if (lean.verified || refused?.code !== "DID_NOT_FOUND" || !refused.detail.includes("`webvh` feature")) {
    throw new Error(`did:webvh in the verifier module: expected DID_NOT_FOUND naming the feature, got ${JSON.stringify(refused)}`);
  }
  // A vc+jwt token: refused by the verifier module, with the feature named.
  const token = readFileSync(new URL("../../test-vectors/cases/jwt-valid-eddsa.jwt", import.meta.url), "utf8");
  const tokenReport = store.verifyCredential(token, options);
  const parse = tokenReport.checks.find((c) => c.name === "parse");
  if (tokenReport.verified || parse?.code !== "CRYPTOSUITE_UNSUPPORTED" || !parse.detail.includes("`jose` feature")) {
    throw new Error(`vc+jwt in the verifier module: expected CRYPTOSUITE_UNSUPPORTED naming the feature, got ${JSON.stringify(parse)}`);
  }
  const full = await import("passerelle/full");
  const fullStore = new full.TrustStore(data.anchors);
  for (const snapshot of data.snapshots) {
    fullStore.loadSnapshot(snapshot, { didDocuments: data.didDocuments, time: data.time });
  }
  const claimReport = fullStore.verifyCredential(claim, options);
  if (!claimReport.verified) {
    throw new Error(`passerelle/full did not verify the Yukon claim: ${JSON.stringify(claimReport.checks)}`);
  }
  // The free function, fetching the claim's did:webvh log as well.
  const fetchedLogs = [];
  const claimFetched = await full.verifyCredentialAsync(claim, {
    time: data.time,
    fetchDidLog: async (did) => (fetchedLogs.push(did), data.didLogs[did] ?? null),
    fetchDidDocument: async (did) => data.didDocuments.find((d) => d.id === did) ?? null,
    fetchStatusList: async (url) => data.statusLists[url] ?? null,
  });
  if (!claimFetched.verified || fetchedLogs.length === 0) {
    throw new Error(`passerelle/full verifyCredentialAsync: verified=${claimFetched.verified}, logs asked ${fetchedLogs}`);
  }
  console.log(
    "npm package in node: demo permit verified; tampered copy refused with PROOF_SIGNATURE_INVALID;" +
      ` verified again with async fetchers (asked for ${asked.length}: ${asked.join(", ")});` +
      " the did:webvh Yukon claim and a vc+jwt token refused by the verifier module (DID_NOT_FOUND," +
      " CRYPTOSUITE_UNSUPPORTED, each naming its feature); the Yukon claim verified by passerelle/full," +
      ` also with its did:webvh log fetched (${fetchedLogs.join(", ")})`,
  );
  process.exit(0);
}

// Warm up (JIT, wasm tier-up), then time samples of ~0.5 s and keep the median.
const timeBatch = (n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) verifyOnce();
  return Number(process.hrtime.bigint() - start) / 1e3 / n; // µs per verification
};
let perCall = timeBatch(50);
const warmUntil = Date.now() + 3000;
while (Date.now() < warmUntil) perCall = timeBatch(50);
const n = Math.max(10, Math.round(500_000 / perCall));
const samples = Array.from({ length: 15 }, () => timeBatch(n)).sort((a, b) => a - b);
const median = samples[Math.floor(samples.length / 2)];
console.log(JSON.stringify({ node_us: median, min_us: samples[0], max_us: samples[samples.length - 1], iterations: n }));
