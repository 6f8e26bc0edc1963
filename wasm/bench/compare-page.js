// The comparison in the browser (served by wasm/bench/compare.mjs): passerelle's
// verifier module and Digital Bazaar's verifier bundled with esbuild, in this page.
import init, { verifyCredential } from "/pkg/web/index.js";
import { verifier } from "/out/db.js";
import { compare } from "./timing.js";

const out = document.getElementById("out");
try {
  await init();
  const data = await (await fetch("/out/compare-data.json")).json();
  const result = await compare({
    passerelle: (text) => verifyCredential(text, { time: data.time }),
    db: verifier(data.contexts, data.time),
    credential: data.credential,
    tampered: data.tampered,
    options: data.timing,
  });
  out.textContent = JSON.stringify(result, null, 2);
  window.compareResult = result;
} catch (error) {
  out.textContent = `failed: ${error.stack ?? error}`;
  window.compareResult = { error: String(error.stack ?? error) };
}
