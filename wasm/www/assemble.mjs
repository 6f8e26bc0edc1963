// Assembles the verifier page into pkg/www with the demo's trust data
// (from `cargo run --example canada`'s output folder).
//   node www/assemble.mjs <canada output dir> <pkg dir>
import { readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const [canada, pkg] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const read = (path) => readFileSync(path, "utf8");
const jsonFiles = (dir, ext = ".json") => readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f));

const didLogs = {};
for (const path of jsonFiles(join(canada, "dids"), ".jsonl")) {
  const lines = read(path).trim().split("\n");
  didLogs[JSON.parse(lines[lines.length - 1]).state.id] = read(path);
}
const statusLists = {};
for (const path of jsonFiles(join(canada, "status"))) {
  const list = JSON.parse(read(path));
  statusLists[list.id] = list;
}
const data = {
  // The demo data is as of the demo's time; snapshots are checked for freshness then.
  time: "2026-11-23T12:00:00Z",
  anchors: ["did:web:registry.canada.passerelle.example"],
  snapshots: jsonFiles(join(canada, "registries", "current")).map((p) => JSON.parse(read(p))),
  didDocuments: jsonFiles(join(canada, "dids")).map((p) => JSON.parse(read(p))),
  didLogs,
  statusLists,
};
const out = join(pkg, "www");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "demo-data.json"), JSON.stringify(data));
for (const file of ["index.html", "app.js", "labels.js", "style.css"]) copyFileSync(join(here, file), join(out, file));
console.log(`page assembled in ${out}: ${data.snapshots.length} snapshots, ${data.didDocuments.length} DID documents`);
