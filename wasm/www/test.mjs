// End-to-end test of the verifier page in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; no browser download).
//   node www/test.mjs <pkg dir> <canada output dir> <screenshot path>
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { join, extname, normalize } from "node:path";
import { chromium } from "playwright-core";

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
  await check("a tampered credential shows the failing check and its code", async () => {
    await page.fill("#input", readFileSync(join(canada, "credentials", "negative-tampered-permit.json"), "utf8"));
    await page.click("#verify");
    await expectText(page, "#result .verdict", "Not verified");
    await expectText(page, "#result li.outcome-failed", "PROOF_SIGNATURE_INVALID");
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
  await check("every control is reachable with the keyboard", async () => {
    const ids = [];
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
