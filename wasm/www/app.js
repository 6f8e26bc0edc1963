// The offline verifier page: the wasm module, the demo's trust anchor,
// registry snapshots, DID documents, did:webvh log and status lists, all
// served with the page. Nothing is fetched from elsewhere.
import init, { PasserelleVerifier } from "../full/web/index.js";
import { TEXT, CHECKS, evidenceValue } from "./labels.js";

let lang = "en";
let last = null; // { report, document }: what is shown, rendered again on a language switch
let data = null;
let trust = null;
// The names the accepted registry snapshots give: registry DID → name, and
// "registry issuer" → the name that registry gives the issuer.
const registryNames = new Map();
const issuerNames = new Map();

const $ = (id) => document.getElementById(id);
const colon = () => (lang === "fr" ? " : " : ": ");

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = TEXT[lang][node.dataset.text];
  const button = $("lang");
  button.textContent = TEXT[lang].other;
  button.lang = TEXT[lang].otherLang;
  document.title = `passerelle — ${TEXT[lang].title}`;
  const file = $("file").files[0];
  $("file-name").textContent = file ? file.name : TEXT[lang].noFile;
  if (trust) $("trust-note").textContent = TEXT[lang].trust(data.snapshots.length);
  if (last) render(last);
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

// A value in the page's language: a string, a language value
// ({"@value", "@language"}), or an array of them (en-CA matches en).
function inLanguage(value) {
  if (typeof value === "string") return value;
  const values = (Array.isArray(value) ? value : [value]).filter((v) => v && typeof v["@value"] === "string");
  const tagged = values.find((v) => String(v["@language"] ?? "").toLowerCase().split("-")[0] === lang);
  return (tagged ?? values[0])?.["@value"];
}

function formatTime(text) {
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) return text;
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", {
    year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC", timeZoneName: "short",
  }).format(time);
}

// The document as JSON, or a token's payload (vc+jwt): what the summary reads.
function parseDocument(input) {
  if (typeof input !== "string") return input && typeof input === "object" ? input : null;
  const text = input.trim();
  try {
    if (text.startsWith("{")) return JSON.parse(text);
    const parts = text.split(".");
    if (parts.length === 3) {
      const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))));
    }
  } catch (_) { /* the report says why it does not parse */ }
  return null;
}

// What the credential is: its name, else its type (MinesActPermit → Mines Act Permit).
function credentialName(doc) {
  const name = doc && inLanguage(doc.name);
  if (name) return name;
  const types = [doc?.type ?? []].flat().filter((t) => t !== "VerifiableCredential");
  return types.length ? types.map((t) => String(t).replace(/([a-z])([A-Z])/g, "$1 $2")).join(", ") : TEXT[lang].unnamedCredential;
}

// The value of a check's first evidence entry named `name` (report version 2).
const evidenceOf = (check, name) => check?.evidence?.find((e) => e.name === name)?.value;

// Who issued it: the name the registry that authorizes the issuer gives it,
// found from the trust check's evidence path (issuer ← authorizing registry
// ← … ← anchor, as DIDs) in the snapshots the verifier accepted; only when the
// proof and key binding show the issuer signed it. Otherwise its DID, saying
// what it lacks.
function issuerLine(report) {
  const check = (name) => report.checks.find((c) => c.name === name);
  const trustCheck = check("trust");
  const issuer = evidenceOf(check("data_model"), "issuer");
  if (!issuer) return TEXT[lang].unknown;
  const signed = check("proof")?.outcome === "passed" && check("key_binding")?.outcome === "passed";
  if (!signed) return TEXT[lang].claimedIssuer(issuer);
  const path = evidenceOf(trustCheck, "path");
  if (trustCheck?.outcome === "passed" && path) {
    const [issuerDid, registryDid] = path.split(" ← ");
    const name = issuerNames.get(`${registryDid} ${issuerDid}`);
    const registry = registryNames.get(registryDid);
    if (name && registry) return TEXT[lang].authorizedBy(inLanguage(name), inLanguage(registry));
  }
  return trustCheck?.outcome === "skipped" ? issuer : TEXT[lang].notInRegistry(issuer);
}

// For whom: the first subject's name (name, legalName, tradeName, given and
// family names) and its id.
function subjectLine(doc) {
  const subject = [doc?.credentialSubject ?? []].flat()[0];
  if (!subject || typeof subject !== "object") return TEXT[lang].unknown;
  const given = [inLanguage(subject.givenName), inLanguage(subject.familyName)].filter(Boolean).join(" ");
  const name = inLanguage(subject.name) ?? inLanguage(subject.legalName) ?? inLanguage(subject.tradeName) ?? (given || undefined);
  const id = typeof subject.id === "string" ? subject.id : undefined;
  if (name && id) return `${name} (${id})`;
  return name ?? id ?? TEXT[lang].unknown;
}

function validityLine(doc) {
  const until = typeof doc?.validUntil === "string" ? formatTime(doc.validUntil) : TEXT[lang].noEnd;
  return typeof doc?.validFrom === "string" ? TEXT[lang].fromUntil(formatTime(doc.validFrom), until) : until;
}

// The plain-language summary of one credential: verdict, then what it is,
// who issued it, for whom, until when. When not verified, it says what
// failed first, and that the credential's claims are not to be relied on.
function summary(report, doc, heading) {
  const ok = report.verified;
  const section = element("section", { className: "summary" }, [
    element("p", { className: `verdict ${ok ? "ok" : "ko"}`, textContent: `${heading}${colon()}${ok ? TEXT[lang].verified : TEXT[lang].notVerified}` }),
  ]);
  const failed = report.checks.find((c) => c.outcome === "failed");
  const trusted = report.checks.some((c) => c.name === "trust" && c.outcome === "passed");
  const meaning = !ok
    ? TEXT[lang].meaningKo(CHECKS[failed?.name]?.[lang] ?? failed?.name ?? "", failed?.message[lang] ?? "")
    : report.kind === "presentation" ? TEXT[lang].meaningPresentation
    : trusted ? TEXT[lang].meaningOk : TEXT[lang].meaningNoTrust;
  section.append(element("p", { className: "meaning", textContent: meaning }));
  if (report.kind === "credential") {
    const facts = element("dl", { className: "facts" });
    const rows = [
      [TEXT[lang].what, credentialName(doc)],
      [TEXT[lang].issuedBy, issuerLine(report)],
      [TEXT[lang].issuedTo, subjectLine(doc)],
      [TEXT[lang].validUntil, validityLine(doc)],
    ];
    for (const [term, value] of rows) facts.append(element("dt", { textContent: term }), element("dd", { textContent: value }));
    section.append(facts);
  }
  return section;
}

function checkList(report) {
  const list = element("ol", { className: "checks" });
  for (const check of report.checks) {
    const item = element("li", { className: `outcome-${check.outcome}` }, [
      element("strong", { textContent: CHECKS[check.name]?.[lang] ?? check.name }),
      document.createTextNode(check.code ? ` [${check.code}] ` : " "),
      document.createTextNode(check.message[lang]),
    ]);
    // Each entry has its label in both languages, from the library's one table (EvidenceKey).
    if (check.evidence?.length) {
      const dl = element("dl", { className: "evidence" });
      for (const { name, value, label } of check.evidence) {
        const term = element("dt", { textContent: label?.[lang] || name });
        term.dataset.key = name;
        if (!label?.[lang]) term.dataset.unlabelled = "true";
        dl.append(term, element("dd", { textContent: evidenceValue(name, value, lang) }));
      }
      item.append(dl);
    }
    list.append(item);
  }
  return list;
}

// One report: its summary first, then what was checked, then (for a
// presentation) each credential in it the same way.
function reportSection(report, doc, heading, level) {
  const kind = report.kind === "presentation" ? TEXT[lang].presentation : heading;
  const section = element("section", {}, [
    element(`h${level}`, { textContent: report.kind === "presentation" ? TEXT[lang].presentationSummary : TEXT[lang].summary }),
    summary(report, doc, kind),
    element(`h${level + 1}`, { textContent: TEXT[lang].checks }),
    checkList(report),
  ]);
  const held = [doc?.verifiableCredential ?? []].flat();
  (report.credentials ?? []).forEach((nested, i) => {
    const inner = held[i]?.type === "EnvelopedVerifiableCredential" ? parseDocument(String(held[i].id ?? "").split(",").pop()) : parseDocument(held[i]);
    section.append(reportSection(nested, inner, TEXT[lang].nested, level + 1));
  });
  return section;
}

function render({ report, document: doc }) {
  $("result").replaceChildren(reportSection(report, doc, TEXT[lang].credential, 2));
}

function verifyInput() {
  const text = $("input").value.trim();
  if (!text) {
    last = null;
    $("result").replaceChildren(element("p", { className: "verdict ko", textContent: TEXT[lang].empty }));
    return;
  }
  const options = {};
  const time = $("time").value.trim();
  if (time) options.time = time;
  try {
    last = { report: trust.verifyCredential(text, options), document: parseDocument(text) };
    render(last);
  } catch (error) {
    last = null;
    $("result").replaceChildren(element("p", { className: "verdict ko", textContent: `${TEXT[lang].error}${colon()}${error.code ?? ""} ${error.message}` }));
  }
}

async function readFile(file) {
  $("file-name").textContent = file.name;
  $("input").value = await file.text();
  verifyInput();
}

// Indexes the names of an accepted snapshot's registry and of the issuers it authorizes.
function indexNames(snapshot) {
  const subject = snapshot.credentialSubject ?? {};
  registryNames.set(subject.id, subject.name);
  for (const auth of subject.authorizations ?? []) issuerNames.set(`${subject.id} ${auth.entity_id}`, auth.name);
}

async function main() {
  await init();
  data = await (await fetch("demo-data.json")).json();
  // The demo's snapshots are checked for freshness at the demo's time, which
  // is also the time of a verification unless the page's time field says otherwise.
  trust = new PasserelleVerifier({
    trustAnchors: data.anchors, snapshots: data.snapshots, time: data.time,
    didDocuments: data.didDocuments, didLogs: data.didLogs, statusLists: data.statusLists,
  });
  // Names are shown only along the passed trust check's path, which only
  // snapshots the verifier accepted can give.
  data.snapshots.forEach(indexNames);
  $("lang").addEventListener("click", () => { lang = lang === "en" ? "fr" : "en"; applyLanguage(); });
  $("form").addEventListener("submit", (event) => { event.preventDefault(); verifyInput(); });
  $("file").addEventListener("change", (event) => { if (event.target.files[0]) readFile(event.target.files[0]); });
  const box = $("input");
  box.addEventListener("dragover", (event) => { event.preventDefault(); box.classList.add("dragging"); });
  box.addEventListener("dragleave", () => box.classList.remove("dragging"));
  box.addEventListener("drop", (event) => {
    event.preventDefault();
    box.classList.remove("dragging");
    if (event.dataTransfer.files[0]) readFile(event.dataTransfer.files[0]);
  });
  applyLanguage();
  document.body.dataset.ready = "true";
}

main();
