// Timing for the comparison, the same in node and in the browser.

// A batch of n calls of `fn`, each awaited before the next; µs per call.
async function batch(fn, n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - start) * 1000) / n;
}

const stats = (times, n) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median_us: sorted[Math.floor(sorted.length / 2)], min_us: sorted[0], max_us: sorted[sorted.length - 1], iterations: n * times.length };
};

// Both verifiers on the same credential text: each must accept it and
// refuse the tampered copy. Then both are warmed up (JIT, wasm tier-up) for
// `warmMs`, and timed in `samples` pairs of batches of about `sampleMs`
// each, passerelle then Digital Bazaar, so that both see the same load on a
// shared machine. Each: the median time per verification (µs); ratio: the
// ratio of the medians.
//   passerelle(text) → report ({verified}); db(object) → Promise<{verified}>
export async function compare({ passerelle, db, credential, tampered, options = {} }) {
  const { warmMs = 2000, samples = 15, sampleMs = 300 } = options;
  const sanity = {
    passerelle: passerelle(credential).verified === true && passerelle(tampered).verified === false,
    db: (await db(JSON.parse(credential))).verified === true && (await db(JSON.parse(tampered))).verified === false,
  };
  if (!sanity.passerelle || !sanity.db) throw new Error(`sanity check failed: ${JSON.stringify(sanity)}`);
  const ours = () => passerelle(credential);
  const theirs = () => db(JSON.parse(credential));
  let perCall = [await batch(ours, 10), await batch(theirs, 10)];
  const warmUntil = performance.now() + warmMs;
  while (performance.now() < warmUntil) perCall = [await batch(ours, 10), await batch(theirs, 10)];
  const n = perCall.map((us) => Math.max(10, Math.round((sampleMs * 1000) / us)));
  const times = [[], []];
  for (let i = 0; i < samples; i++) {
    times[0].push(await batch(ours, n[0]));
    times[1].push(await batch(theirs, n[1]));
  }
  const result = { passerelle: stats(times[0], n[0]), db: stats(times[1], n[1]) };
  return { ...result, ratio: result.db.median_us / result.passerelle.median_us };
}
