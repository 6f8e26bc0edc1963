// passerelle against Digital Bazaar's verifier (@digitalbazaar/vc with
// @digitalbazaar/eddsa-jcs-2022-cryptosuite) on the same eddsa-jcs-2022
// credential (test-vectors/cases/vc-valid-did-key.json, a did:key issuer),
// both from its JSON text, offline: in node, then both in one page in
// headless Chromium (Debian's /usr/bin/chromium, playwright-core); each
// timed in alternating batches, median µs per verification (timing.js).
// Budget: passerelle ≥ 3× faster in Chromium; exits 1 when not met.
//   node wasm/bench/compare.mjs <pkg dir> <bundle dir> <result json>
// (wasm/bench/compare.sh installs the packages and makes the bundle first).
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, relative, extname, normalize, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { availableParallelism } from "node:os";
import { compare } from "./timing.js";
import { verifier } from "./db/verifier.js";

const BUDGET = 3;
const [pkg, bundle, resultPath] = process.argv.slice(2).map((p) => resolve(p));
const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const read = (path) => readFileSync(path, "utf8");

// Every context of contexts/ (path = URL without https://), for the offline loader.
const contexts = {};
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { if (name !== "LICENSES") walk(path); }
    else if (!name.endsWith(".md")) contexts[`https://${relative(join(root, "contexts"), path)}`] = JSON.parse(read(path));
  }
};
walk(join(root, "contexts"));
const data = {
  time: "2026-06-01T12:00:00Z", // the test vector's time of verification
  credential: read(join(root, "test-vectors/cases/vc-valid-did-key.json")),
  tampered: read(join(root, "test-vectors/cases/tampered-subject-value.json")),
  contexts,
  timing: { warmMs: 2000, samples: 15, sampleMs: 300 },
};
writeFileSync(join(bundle, "compare-data.json"), JSON.stringify(data));

const us = (m) => `${m.median_us.toFixed(1)} µs (min ${m.min_us.toFixed(1)}, max ${m.max_us.toFixed(1)})`;
const line = (where, r) =>
  console.log(`${where}: passerelle ${us(r.passerelle)}, @digitalbazaar/vc ${us(r.db)}: passerelle ${r.ratio.toFixed(2)}× faster`);

// node: the package's node build (the verifier module) and the packages unbundled.
const passerelle = await import(pathToFileURL(join(pkg, "nodejs", "index.js")).href);
const inNode = await compare({
  passerelle: (text) => passerelle.verifyCredential(text, { time: data.time }),
  db: verifier(contexts, data.time),
  credential: data.credential,
  tampered: data.tampered,
  options: data.timing,
});
line(`node ${process.version}`, inNode);

// Chromium: both in one page, served from here; nothing else is reachable.
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm" };
const mounts = [["/pkg/", pkg], ["/out/", bundle], ["/", here]];
const server = createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const [prefix, dir] = mounts.find(([p]) => url.startsWith(p));
  const path = normalize(join(dir, url.slice(prefix.length)));
  if (!path.startsWith(normalize(dir)) || !existsSync(path) || statSync(path).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" });
  res.end(readFileSync(path));
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const { chromium } = createRequire(join(here, "db", "package.json"))("playwright-core");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let inChromium, version;
try {
  version = browser.version();
  const page = await browser.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith("http://127.0.0.1")) external.push(r.url()); });
  page.on("console", (m) => { if (m.type() === "error") console.error(`page: ${m.text()}`); });
  await page.goto(`http://127.0.0.1:${server.address().port}/compare.html`);
  await page.waitForFunction(() => window.compareResult, null, { timeout: 180000, polling: 500 });
  inChromium = await page.evaluate(() => window.compareResult);
  if (inChromium.error) throw new Error(inChromium.error);
  if (external.length) throw new Error(`requests outside the page's server: ${external.join(", ")}`);
} finally {
  await browser.close();
  server.close();
}
line(`Chromium ${version}`, inChromium);

const cores = availableParallelism();
writeFileSync(resultPath, JSON.stringify({ cores, node: { version: process.version, ...inNode }, chromium: { version, ...inChromium } }, null, 2));
if (inChromium.ratio < BUDGET) {
  console.error(`budget not met: passerelle is ${inChromium.ratio.toFixed(2)}× faster in Chromium, budget ≥ ${BUDGET}×`);
  process.exit(1);
}
console.log(`budget met: ≥ ${BUDGET}× faster in Chromium (${cores} cores)`);
