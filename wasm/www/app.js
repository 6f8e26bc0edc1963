// The offline verifier page: the wasm module, the demo's trust anchor,
// registry snapshots, DID documents, did:webvh log and status lists, all
// served with the page. Nothing is fetched from elsewhere.
import init, { TrustStore } from "../full/web/index.js";

const TEXT = {
  en: {
    title: "Credential verifier", other: "Français", otherLang: "fr",
    intro: "Paste, drop or choose a credential or presentation. It is checked in this browser; nothing is sent anywhere.",
    inputLabel: "Credential or presentation (JSON)", dropHint: "You can also drop a file on the box above.",
    fileLabel: "Or choose a file", timeLabel: "Time of verification (empty: now)", verify: "Verify",
    verified: "Verified", notVerified: "Not verified", checks: "What was checked",
    credential: "Credential", presentation: "Presentation", nested: "Credential in the presentation",
    error: "This could not be verified", empty: "Paste or choose a credential first.",
    trust: (n) => `Trusted: Government of Canada registry (demo), ${n} registry snapshots loaded.`,
  },
  fr: {
    title: "Vérificateur d’attestations", other: "English", otherLang: "en",
    intro: "Collez, déposez ou choisissez une attestation ou une présentation. Elle est vérifiée dans ce navigateur; rien n’est envoyé ailleurs.",
    inputLabel: "Attestation ou présentation (JSON)", dropHint: "Vous pouvez aussi déposer un fichier dans la zone ci-dessus.",
    fileLabel: "Ou choisissez un fichier", timeLabel: "Moment de la vérification (vide : maintenant)", verify: "Vérifier",
    verified: "Vérifiée", notVerified: "Non vérifiée", checks: "Ce qui a été vérifié",
    credential: "Attestation", presentation: "Présentation", nested: "Attestation de la présentation",
    error: "La vérification n’a pas pu se faire", empty: "Collez ou choisissez d’abord une attestation.",
    trust: (n) => `Confiance : registre du gouvernement du Canada (démo), ${n} instantanés de registres chargés.`,
  },
};
const LABELS = {
  parse: { en: "Parsing", fr: "Analyse" }, data_model: { en: "Data model", fr: "Modèle de données" },
  proof: { en: "Proof", fr: "Preuve" }, key_binding: { en: "Key binding", fr: "Lien de la clé" },
  validity_period: { en: "Validity period", fr: "Période de validité" }, status: { en: "Status", fr: "Statut" },
  trust: { en: "Trust registry", fr: "Registre de confiance" }, credentials: { en: "Credentials", fr: "Attestations" },
};

let lang = "en";
let lastReport = null;
let data = null;
let trust = null;

const $ = (id) => document.getElementById(id);

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = TEXT[lang][node.dataset.text];
  const button = $("lang");
  button.textContent = TEXT[lang].other;
  button.lang = TEXT[lang].otherLang;
  document.title = `passerelle — ${TEXT[lang].title}`;
  if (trust) $("trust-note").textContent = TEXT[lang].trust(data.snapshots.length);
  if (lastReport) render(lastReport);
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function reportSection(report, heading) {
  const ok = report.verified;
  const kind = report.kind === "presentation" ? TEXT[lang].presentation : heading;
  const section = element("section", {}, [
    element("p", {
      className: `verdict ${ok ? "ok" : "ko"}`,
      textContent: `${kind}${lang === "fr" ? " : " : ": "}${ok ? TEXT[lang].verified : TEXT[lang].notVerified}`,
    }),
    element("h2", { textContent: TEXT[lang].checks }),
  ]);
  const list = element("ol", { className: "checks" });
  for (const check of report.checks) {
    const label = LABELS[check.name]?.[lang] ?? check.name;
    const item = element("li", { className: `outcome-${check.outcome}` }, [
      element("strong", { textContent: label }),
      document.createTextNode(check.code ? ` [${check.code}] ` : " "),
      document.createTextNode(check.message[lang]),
    ]);
    const entries = Object.entries(check.evidence ?? {});
    if (entries.length) {
      const dl = element("dl", { className: "evidence" });
      for (const [key, value] of entries) dl.append(element("dt", { textContent: key }), element("dd", { textContent: value }));
      item.append(dl);
    }
    list.append(item);
  }
  section.append(list);
  for (const nested of report.credentials ?? []) section.append(reportSection(nested, TEXT[lang].nested));
  return section;
}

function render(report) {
  $("result").replaceChildren(reportSection(report, TEXT[lang].credential));
}

function verifyInput() {
  const text = $("input").value.trim();
  if (!text) {
    $("result").replaceChildren(element("p", { className: "verdict ko", textContent: TEXT[lang].empty }));
    return;
  }
  const options = { didDocuments: data.didDocuments, didLogs: data.didLogs, statusLists: data.statusLists };
  const time = $("time").value.trim();
  if (time) options.time = time;
  try {
    lastReport = trust.verifyCredential(text, options);
    render(lastReport);
  } catch (error) {
    lastReport = null;
    $("result").replaceChildren(element("p", { className: "verdict ko", textContent: `${TEXT[lang].error}: ${error.code ?? ""} ${error.message}` }));
  }
}

async function readFile(file) {
  $("input").value = await file.text();
  verifyInput();
}

async function main() {
  await init();
  data = await (await fetch("demo-data.json")).json();
  trust = new TrustStore(data.anchors);
  for (const snapshot of data.snapshots) {
    try { trust.loadSnapshot(snapshot, { didDocuments: data.didDocuments, time: data.time }); } catch (_) { /* remembered by the store */ }
  }
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
