// End-to-end test of the verifier page in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; no browser download), with
// axe-core's accessibility rules in English and in French.
//   node www/test.mjs <pkg dir> <canada output dir> <screenshot path>
// The screenshot is the French page; the English one is saved beside it
// (its name with -en for -fr).
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { join, extname, normalize } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const [pkg, canada, screenshot] = process.argv.slice(2);
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = normalize(join(pkg, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (!path.startsWith(normalize(pkg)) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" });
  res.end(readFileSync(path));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/www/index.html`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
let passed = 0, failed = 0;
async function check(name, body) {
  try { await body(); passed++; console.log(`✔ ${name}`); }
  catch (error) { failed++; console.log(`✘ ${name}: ${error.message}`); }
}
const expectText = async (page, selector, text) => {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, text], { timeout: 10000 });
};
// The summary's verdict and each of its facts (dt → dd).
const expectSummary = async (page, expected) => {
  const { verdict, ...facts } = expected;
  await expectText(page, "#result .summary .verdict", verdict);
  const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#result .summary dl.facts dt")]
    .map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
  for (const [term, text] of Object.entries(facts)) {
    if (!shown[term]?.includes(text)) throw new Error(`${term}: expected "${text}", shown ${JSON.stringify(shown)}`);
  }
};
const noUnlabelled = async (page) => {
  const keys = await page.evaluate(() => [...document.querySelectorAll("#result dl.evidence dt")].map((dt) => [dt.dataset.key, dt.dataset.unlabelled]));
  if (!keys.length) throw new Error("no evidence shown");
  const unlabelled = keys.filter(([, u]) => u).map(([k]) => k);
  if (unlabelled.length) throw new Error(`evidence without a label: ${unlabelled.join(", ")}`);
};
// axe-core's rules on the page as it is (a report shown), in `lang`.
const axe = async (page, lang) => {
  if ((await page.getAttribute("html", "lang")) !== lang) throw new Error(`the page is not in ${lang}`);
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: axeScript });
  const { violations, passes } = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return { passes: result.passes.length, violations: result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`) };
  });
  console.log(`  axe-core ${lang}: ${violations.length} violations, ${passes} rules passed`);
  if (violations.length) throw new Error(violations.join("; "));
};
try {
  const page = await browser.newPage();
  const external = [];
  page.on("request", (request) => { if (!request.url().startsWith("http://127.0.0.1")) external.push(request.url()); });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  await page.fill("#time", "2026-11-23T12:00:00Z");

  await check("a valid demo credential is verified, with its registry path", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "on-professional-engineer-licence.json"), "utf8"));
    await page.click("#verify");
    await expectText(page, "#result .verdict", "Credential: Verified");
    await expectText(page, "#result", "Professional Engineers Ontario recognized for ca-on-peo:*");
  });
  await check("the summary leads, in English: what, issued by (the registry's name), for whom, valid until", async () => {
    await expectSummary(page, {
      verdict: "Credential: Verified",
      "What it is": "Professional Engineer Licence",
      "Issued by": "PEO Licensing, authorized by Professional Engineers Ontario",
      "Issued to": "Jordan Singh (did:example:engineer-314)",
      "Valid until": "no end date (valid from March 2, 2026 at 3:00 p.m. UTC)",
    });
    await page.screenshot({ path: screenshot.endsWith("-fr.png") ? screenshot.replace(/-fr\.png$/, "-en.png") : screenshot.replace(/(\.png)?$/, "-en.png"), fullPage: true });
  });
  await check("every evidence entry has its label in the page's language", () => noUnlabelled(page));
  await check("axe-core: no violations in English", () => axe(page, "en"));
  await check("a tampered credential shows the failing check and its code", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "negative-tampered-permit.json"), "utf8"));
    await page.click("#verify");
    await expectText(page, "#result .verdict", "Not verified");
    await expectText(page, "#result li.outcome-failed", "PROOF_SIGNATURE_INVALID");
    await expectText(page, "#result .summary .meaning", "Do not rely on what it says. Proof:");
    await expectText(page, "#result .summary", "did:web:mines.gov.bc.passerelle.example (claimed, not confirmed by the signature)");
  });
  await check("a revoked permit fails with CREDENTIAL_REVOKED (status list served with the page)", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "negative-revoked-permit.json"), "utf8"));
    await page.click("#verify");
    await expectText(page, "#result li.outcome-failed", "CREDENTIAL_REVOKED");
  });
  await check("switching to French shows French text, and results are announced", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "bc-mines-act-permit.json"), "utf8"));
    await page.click("#verify");
    await page.click("#lang");
    await expectText(page, "h1", "Vérificateur d’attestations");
    await expectText(page, "#result .verdict", "Attestation : Vérifiée");
    await expectText(page, "#result", "autorisé par Gouvernement de la Colombie-Britannique");
    const live = await page.getAttribute("#result", "aria-live");
    if (live !== "polite") throw new Error(`aria-live is ${live}`);
    if ((await page.getAttribute("html", "lang")) !== "fr") throw new Error("html lang is not fr");
    await page.screenshot({ path: screenshot, fullPage: true });
  });
  await check("the summary follows the language: French names from the registry", async () => {
    await expectSummary(page, {
      verdict: "Attestation : Vérifiée",
      "De quoi il s’agit": "Permis en vertu de la Mines Act",
      "Délivrée par": "Inspecteur en chef des mines, autorisé par Gouvernement de la Colombie-Britannique",
      "Délivrée à": "did:example:fictional-creek-mining",
      "Valide jusqu’au": "aucune date de fin (valide depuis le 2 mars 2026 à 15 h 00 UTC)",
    });
    await expectText(page, "#result ol.checks", "méthode de vérification");
    await expectText(page, "#result ol.checks", "révocation");
  });
  await check("every evidence entry has a French label", () => noUnlabelled(page));
  await check("the file picker is labelled in French, and a chosen file is verified", async () => {
    const picker = page.getByLabel("Ou choisissez un fichier");
    if ((await picker.getAttribute("id")) !== "file") throw new Error("the French label does not name the file input");
    await expectText(page, "#file-name", "Aucun fichier choisi");
    await picker.setInputFiles(join(canada, "credentials", "qc-birth-certificate.json"));
    await expectText(page, "#file-name", "qc-birth-certificate.json");
    await expectText(page, "#result .summary", "Élodie Tremblay (did:example:citizen-7)");
    await expectText(page, "#result .summary", "Certificat de naissance");
  });
  await check("axe-core: no violations in French", () => axe(page, "fr"));
  await check("a revoked permit's summary says why, in French", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "negative-revoked-permit.json"), "utf8"));
    await page.click("#verify");
    await expectText(page, "#result .summary .meaning", "Ne vous fiez pas à son contenu. Statut :");
    await noUnlabelled(page);
    await axe(page, "fr");
  });
  await check("every control is reachable with the keyboard", async () => {
    const ids = [];
    await page.evaluate(() => document.activeElement?.blur()); // from the top of the page
    for (let i = 0; i < 6; i++) { await page.keyboard.press("Tab"); ids.push(await page.evaluate(() => document.activeElement?.id)); }
    for (const id of ["lang", "input", "file", "time", "verify"]) if (!ids.includes(id)) throw new Error(`${id} not reached: ${ids}`);
  });
  await check("the package's web entry verifies with the page's fetchers (verifyCredentialAsync)", async () => {
    const permit = readFileSync(join(canada, "credentials", "bc-mines-act-permit.json"), "utf8");
    const result = await page.evaluate(async (permit) => {
      const module = await import("/full/web/index.js");
      await module.default();
      const data = await (await fetch("/www/demo-data.json")).json();
      const asked = [];
      const report = await module.verifyCredentialAsync(permit, {
        time: data.time,
        fetchDidDocument: async (did) => (asked.push(did), data.didDocuments.find((d) => d.id === did) ?? null),
        fetchStatusList: async (url) => (asked.push(url), data.statusLists[url] ?? null),
      });
      return { verified: report.verified, asked };
    }, permit);
    if (!result.verified || result.asked.length < 2) throw new Error(JSON.stringify(result));
  });
  await check("nothing was requested outside the page's own server", async () => {
    if (external.length) throw new Error(external.join(", "));
  });
} finally {
  await browser.close();
  server.close();
}
console.log(`page: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
