// Median time of one call, in node and in the browser alike: warm up (JIT,
// wasm tier-up), then `samples` batches of about `sampleMs` each, timed
// with performance.now(); the median of the batches' time per call, in µs.
// `fn` may return a promise: each call is awaited before the next.
export async function medianMicros(fn, { warmMs = 2000, samples = 15, sampleMs = 300 } = {}) {
  const batch = async (n) => {
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - start) * 1000) / n;
  };
  let perCall = await batch(10);
  const warmUntil = performance.now() + warmMs;
  while (performance.now() < warmUntil) perCall = await batch(10);
  const n = Math.max(10, Math.round((sampleMs * 1000) / perCall));
  const times = [];
  for (let i = 0; i < samples; i++) times.push(await batch(n));
  times.sort((a, b) => a - b);
  return { median_us: times[Math.floor(times.length / 2)], min_us: times[0], max_us: times[times.length - 1], iterations: n * samples };
}

// Both verifiers on the same credential text: each must accept it and
// refuse the tampered copy, then each is timed (passerelle first).
//   passerelle(text) → report ({verified}); db(object) → Promise<{verified}>
export async function compare({ passerelle, db, credential, tampered, options }) {
  const sanity = {
    passerelle: passerelle(credential).verified === true && passerelle(tampered).verified === false,
    db: (await db(JSON.parse(credential))).verified === true && (await db(JSON.parse(tampered))).verified === false,
  };
  if (!sanity.passerelle || !sanity.db) throw new Error(`sanity check failed: ${JSON.stringify(sanity)}`);
  const ours = await medianMicros(() => passerelle(credential), options);
  const theirs = await medianMicros(() => db(JSON.parse(credential)), options);
  return { passerelle: ours, db: theirs, ratio: theirs.median_us / ours.median_us };
}
