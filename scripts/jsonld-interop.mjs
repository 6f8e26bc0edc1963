// JSON-LD interop: passerelle's canonical N-Quads (JSON-LD to RDF, then
// RDFC-1.0) against jsonld.js, Digital Bazaar's implementation that the W3C
// Data Integrity test suites run, on the same documents and contexts.
//
//   node scripts/jsonld-interop.mjs <jsonld.js dir> <passerelle binary> [count] [seed]
//
// The documents: every rdfc, proof-chain and VCDM 1.1 test vector, a VCDM
// 1.1 credential the binary issues with eddsa-rdfc-2022 (the data-integrity
// context appended), then `count` random documents made from a fixed seed
// with the JSON-LD features credentials use (scoped and inline contexts,
// some written as embedded context documents `{"@context": {…}}`, @vocab, compact IRIs, coerced @id/@vocab/dateTime values,
// lists, language maps, @json, graph containers, blank nodes, numbers of every
// size, control characters in strings). Both sides must give the same
// N-Quads, byte for byte, or both refuse the document; anything else fails.
// jsonld.js runs in safe mode with a document loader that serves only
// passerelle's bundled contexts: nothing is fetched.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

const [oracleDir, binary, countArg = "300", seedArg = "2026"] = process.argv.slice(2);
const jsonld = createRequire(join(resolve(oracleDir), "index.js"))("jsonld");
const root = resolve(new URL("..", import.meta.url).pathname);
const contextsDir = join(root, "contexts");

const documentLoader = async (url) => {
  const path = join(contextsDir, url.replace(/^https:\/\//, ""));
  if (!url.startsWith("https://") || !existsSync(path)) throw new Error(`context not bundled: ${url}`);
  return { contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(path, "utf8")) };
};

// A small deterministic generator (LCG), so every run checks the same documents.
let state = Number(seedArg) >>> 0;
const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (items) => items[Math.floor(random() * items.length)];

const inline = {
  "@vocab": "https://interop.example/v#",
  ex: "https://interop.example/ns/",
  ref: { "@id": "https://interop.example/v#ref", "@type": "@id" },
  kind: { "@id": "https://interop.example/v#kind", "@type": "@vocab" },
  steps: { "@id": "https://interop.example/v#steps", "@container": "@list" },
  labels: { "@id": "https://interop.example/v#labels", "@container": "@language" },
  blob: { "@id": "https://interop.example/v#blob", "@type": "@json" },
  when: { "@id": "https://interop.example/v#when", "@type": "http://www.w3.org/2001/XMLSchema#dateTime" },
  inner: { "@id": "https://interop.example/v#inner", "@container": "@graph" },
  french: { "@id": "https://interop.example/v#french", "@language": "fr" },
  Scoped: { "@id": "https://interop.example/v#Scoped", "@context": { note: "https://interop.example/scoped#note" } },
};
const keys = ["a", "b", "name", "description", "count", "ex:thing", "ref", "kind", "steps", "labels", "blob", "when", "inner", "french", "nested", "note"];

function scalar() {
  return pick([
    () => `s${Math.floor(random() * 100)}`,
    () => Math.floor(random() * 2000) - 1000,
    () => Math.round(random() * 1e6) / 100,
    () => random() < 0.5,
    () => random() * 1e21,
    () => pick([2 ** 53 + 2, -0, 0.000123, 123456789012345680000]),
    () => ({ "@value": `t${Math.floor(random() * 9)}`, "@language": pick(["en", "fr-CA", "EN-gb"]) }),
    () => ({ "@value": "2026-01-02T03:04:05Z", "@type": "http://www.w3.org/2001/XMLSchema#dateTime" }),
    () => "é \" \\ \n tab\t bell\u0007 del\u007f \u2028 😀",
  ])();
}

function value(key, depth) {
  switch (key) {
    case "ref": return pick([`https://interop.example/r/${Math.floor(random() * 5)}`, `_:n${Math.floor(random() * 3)}`, "did:example:1"]);
    case "kind": return pick(["Alpha", "Beta", "ex:Gamma"]);
    case "steps": return Array.from({ length: Math.floor(random() * 4) }, scalar);
    case "labels": return { en: "hello", fr: ["bonjour", "salut"], "@none": "x" };
    case "blob": return pick([{ z: 1, a: [true, null, 2.5, "é"] }, [1, "two"], null, "text"]);
    case "when": return `2026-0${1 + Math.floor(random() * 8)}-01T00:00:00Z`;
    case "inner": return depth > 2 ? scalar() : node(depth + 1);
    case "nested": return depth > 2 ? scalar() : random() < 0.5 ? node(depth + 1) : [node(depth + 1), scalar()];
    default: return random() < 0.7 ? scalar() : [scalar(), scalar()];
  }
}

function node(depth) {
  const n = {};
  if (random() < 0.5) n["@id"] = pick([`https://interop.example/n/${Math.floor(random() * 5)}`, `_:b${Math.floor(random() * 3)}`, "urn:uuid:1"]);
  if (random() < 0.5) n["@type"] = pick(["Thing", ["Thing", "ex:Other"], "Scoped", "https://interop.example/T"]);
  for (let i = 1 + Math.floor(random() * 5); i > 0; i--) {
    const key = pick(keys);
    n[key] = value(key, depth);
  }
  return n;
}

const work = join(root, "target", "jsonld-interop");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const files = [];
const vectorPrefixes = ["rdfc-", "chain-", "vcdm11-"];
for (const name of readdirSync(join(root, "test-vectors", "cases")).filter((f) => vectorPrefixes.some((p) => f.startsWith(p)))) {
  files.push(join(root, "test-vectors", "cases", name));
}
// A VCDM 1.1 credential as the W3C suites send it, issued by the binary.
{
  const key = join(work, "key.json");
  execFileSync(binary, ["key", "generate", "--out", key]);
  const unsigned = join(work, "unsigned-1.1.json");
  writeFileSync(unsigned, JSON.stringify({
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    id: "urn:uuid:7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    type: ["VerifiableCredential"],
    issuer: "did:example:replaced",
    issuanceDate: "2026-01-01T00:00:00Z",
    expirationDate: "2027-01-01T00:00:00Z",
    credentialSubject: { id: "did:example:holder" },
  }));
  const issued = execFileSync(binary, ["issue", "--key", key, "--set-issuer", "--at", "2026-01-01T00:00:00Z",
    "--cryptosuite", "eddsa-rdfc-2022", unsigned]);
  const path = join(work, "issued-1.1.json");
  writeFileSync(path, issued);
  files.push(path);
}
for (let i = 0; i < Number(countArg); i++) {
  const doc = node(0);
  // Some inline contexts are written as an embedded context document.
  const own = random() < 0.15 ? { "@context": inline } : inline;
  doc["@context"] = random() < 0.3 ? ["https://www.w3.org/ns/credentials/v2", own] : own;
  if (random() < 0.2) doc["@graph"] = [node(1), node(1)];
  const path = join(work, `doc${i}.json`);
  writeFileSync(path, JSON.stringify(doc));
  files.push(path);
}

const ours = JSON.parse(execFileSync(binary, ["rdf", "canonicalize", "--json", ...files], { maxBuffer: 1 << 28 }).toString());
let same = 0;
let bothRefused = 0;
const failures = [];
for (const file of files) {
  const mine = ours[file];
  let theirs;
  let theirError;
  try {
    theirs = await jsonld.canonize(JSON.parse(readFileSync(file, "utf8")), {
      algorithm: "RDFC-1.0", format: "application/n-quads", safe: true, documentLoader,
    });
  } catch (e) {
    theirError = e.message;
  }
  if (mine.error !== undefined && theirError !== undefined) bothRefused++;
  else if (mine.nquads !== undefined && mine.nquads === theirs) same++;
  else failures.push({ file, ours: mine.nquads ?? mine.error, theirs: theirs ?? theirError });
}
for (const f of failures.slice(0, Number(process.env.SHOW ?? 5))) {
  console.error(`differs: ${f.file}\n--- passerelle\n${f.ours}\n--- jsonld.js\n${f.theirs}`);
}
console.log(`jsonld.js interop: ${same} identical, ${bothRefused} refused by both, ${failures.length} different (of ${files.length})`);
process.exit(failures.length === 0 ? 0 : 1);
