// The demo's BC Mines Act permit verified through the npm package in node,
// the way the verifier page first calls it (a PasserelleVerifier made with
// the page's inputs, then one verification). `benches/demo.rs` does the same natively; `wasm/bench.sh`
// runs both in one run and prints the ratio. It also times a second
// credential verified by a PasserelleVerifier made once with the same
// inputs, whose status lists were verified by the first.
//   node wasm/bench/bench.mjs [--check | --samples N] <demo-data.json> <credentials dir> [<bench build's passerelle.js>]
// --check: verify once, and a tampered copy, then stop (the test command
// uses it to show the package loads in node by its name).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PasserelleVerifier } from "passerelle";

let args = process.argv.slice(2);
const check = args[0] === "--check";
if (check) args = args.slice(1);
// --samples N: samples of each measure (default 15); wasm/bench.sh takes
// several rounds of 5, each beside a native run.
let sampleCount = 15;
if (args[0] === "--samples") {
  sampleCount = Number(args[1]);
  args = args.slice(2);
}
const [dataPath, credentials, benchModule] = args;
const data = JSON.parse(readFileSync(dataPath, "utf8"));
const credential = readFileSync(join(credentials, "bc-mines-act-permit.json"), "utf8");

// The trust inputs of the page: anchors, snapshots and the registries' DID
// documents, at the demo's time.
const trustInputs = { trustAnchors: data.anchors, snapshots: data.snapshots, didDocuments: data.didDocuments, time: data.time };
// A verifier holding only those: each call brings the rest.
const store = new PasserelleVerifier(trustInputs);
const options = {
  time: data.time,
  didDocuments: data.didDocuments,
  didLogs: data.didLogs,
  statusLists: data.statusLists,
};
// The demo call: a verifier made with everything the page gives, then one
// verification (snapshots, status lists and the permit all verified). The
// verifier is freed after it, as the native bench drops its own: left to
// the garbage collector, thousands of them crowd the module's heap, and a
// sample would pay for earlier samples' verifiers (4.3 to 4.8 ms a call
// against 2.9 ms when each is freed, on a quiet machine).
const verifyOnce = () => {
  const verifier = new PasserelleVerifier({ ...trustInputs, ...options });
  try {
    return verifier.verifyCredential(credential);
  } finally {
    verifier.free();
  }
};

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
  const fetched = await new PasserelleVerifier(trustInputs).verifyCredentialAsync(credential, {
    time: data.time,
    fetchDidDocument: async (did) => (asked.push(did), data.didDocuments.find((d) => d.id === did) ?? null),
    fetchStatusList: async (url) => (asked.push(url), data.statusLists[url] ?? null),
  });
  if (!fetched.verified || asked.length === 0) {
    throw new Error(`verifyCredentialAsync: verified=${fetched.verified}, asked ${JSON.stringify(asked)}`);
  }
  // A PasserelleVerifier fetches what it lacks once, then holds it.
  const kept = new PasserelleVerifier({ time: data.time, trustAnchors: data.anchors, snapshots: data.snapshots, didDocuments: data.didDocuments });
  const keptAsked = [];
  const fetchStatusList = async (url) => (keptAsked.push(url), data.statusLists[url] ?? null);
  for (let i = 0; i < 2; i++) {
    const keptReport = await kept.verifyCredentialAsync(credential, { fetchStatusList });
    if (!keptReport.verified) throw new Error(`PasserelleVerifier.verifyCredentialAsync: ${JSON.stringify(keptReport.checks)}`);
  }
  if (keptAsked.length !== 2) throw new Error(`PasserelleVerifier fetched ${JSON.stringify(keptAsked)}, expected the two lists once`);
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
  const fullStore = new full.PasserelleVerifier(trustInputs);
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
      " a PasserelleVerifier fetched its two status lists once for two verifications;" +
      " the did:webvh Yukon claim and a vc+jwt token refused by the verifier module (DID_NOT_FOUND," +
      " CRYPTOSUITE_UNSUPPORTED, each naming its feature); the Yukon claim verified by passerelle/full," +
      ` also with its did:webvh log fetched (${fetchedLogs.join(", ")})`,
  );
  process.exit(0);
}

// The three measures (the demo call, a second credential through a kept
// verifier, one raw Ed25519 verification from the `bench` build) are taken
// in alternation, sample by sample, so that a load on the machine weighs on
// each alike: warm up (JIT, wasm tier-up), then 15 samples (or --samples) of ~0.5 s each,
// and keep the medians.
const bench = createRequire(import.meta.url)(benchModule);
// n verifications in one call (its key and signature are made once per call).
const rawBatch = (n) => {
  if (!bench.benchEd25519Verify(n)) throw new Error("benchEd25519Verify: a verification failed");
};

// The verifier object: made once with the page's inputs; the permit
// verified once (its two status lists verified and kept), then again.
const verifier = new PasserelleVerifier({ ...trustInputs, ...options });
const first = verifier.verifyCredential(credential);
if (!first.verified) throw new Error(`PasserelleVerifier: ${JSON.stringify(first.checks)}`);
const secondOnce = () => verifier.verifyCredential(credential);
// A different credential against the same kept lists: the revoked permit.
const revoked = readFileSync(join(credentials, "negative-revoked-permit.json"), "utf8");
const revokedReport = verifier.verifyCredential(revoked);
if (revokedReport.checks.find((c) => c.name === "status")?.code !== "CREDENTIAL_REVOKED") {
  throw new Error(`revoked permit: ${JSON.stringify(revokedReport.checks)}`);
}
const revokedOnce = () => verifier.verifyCredential(revoked);

const repeat = (call) => (n) => {
  for (let i = 0; i < n; i++) call();
};
const timeBatch = (batch, n) => {
  const start = process.hrtime.bigint();
  batch(n);
  return Number(process.hrtime.bigint() - start) / 1e3 / n; // µs per call
};
const calls = {
  node_us: repeat(verifyOnce),
  kept_second_us: repeat(secondOnce),
  kept_revoked_us: repeat(revokedOnce),
  raw_verify_us: rawBatch,
};
const sizes = {};
const warmUntil = Date.now() + 3000;
while (Date.now() < warmUntil) for (const [name, call] of Object.entries(calls)) sizes[name] = timeBatch(call, 20);
for (const name of Object.keys(calls)) sizes[name] = Math.max(10, Math.round(500_000 / sizes[name]));
const samples = Object.fromEntries(Object.keys(calls).map((name) => [name, []]));
for (let i = 0; i < sampleCount; i++) {
  for (const [name, call] of Object.entries(calls)) samples[name].push(timeBatch(call, sizes[name]));
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const result = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)]));
result.min_us = Math.min(...samples.node_us);
result.max_us = Math.max(...samples.node_us);
result.iterations = sizes.node_us;
console.log(JSON.stringify(result));
