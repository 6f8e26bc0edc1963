// The report object from the short text the module writes
// (wasm/src/report.rs): each evidence entry arrives as its name and value,
// and a passed check's usual message is left out; both come back from the
// catalog the module gives with its first report. Every report gets objects
// of its own (nothing is shared between reports), with the keys in the
// order `Report::to_json` writes them.

let catalog = null;

function bilingual(message) {
  return { en: message.en, fr: message.fr };
}

function check(given) {
  const out = { name: given.name, outcome: given.outcome };
  if (given.code !== undefined) out.code = given.code;
  out.message = given.message ?? bilingual(catalog.passed[given.name]);
  const pairs = given.evidence;
  const evidence = [];
  for (let i = 0; i < pairs.length; i += 2) {
    evidence.push({ name: pairs[i], value: pairs[i + 1], label: bilingual(catalog.labels[pairs[i]]) });
  }
  out.evidence = evidence;
  if (given.detail !== undefined) out.detail = given.detail;
  return out;
}

function report(given) {
  const out = { reportVersion: catalog.reportVersion, kind: given.kind, verified: given.verified, checks: given.checks.map(check) };
  if (given.credentials !== undefined) out.credentials = given.credentials.map(report);
  return out;
}

export function expandReport(text, catalogText) {
  if (catalogText != null) catalog = JSON.parse(catalogText);
  return report(JSON.parse(text));
}
