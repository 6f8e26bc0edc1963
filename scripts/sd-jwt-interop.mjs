// SD-JWT VC interop, both ways, with the OpenWallet Foundation's TypeScript
// implementation (@sd-jwt/sd-jwt-vc and @sd-jwt/crypto-nodejs, from npm):
//
//   1. @sd-jwt issues an SD-JWT VC (ES256, a did:jwk issuer, the holder's key
//      in cnf), the holder presents one claim with a Key Binding JWT, and
//      `passerelle verify` verifies it — and refuses it with another nonce or
//      a changed Disclosure;
//   2. `passerelle issue --format sd-jwt-vc` issues one (P-256 did:key
//      issuer), `passerelle present` shows one claim with a Key Binding JWT,
//      and @sd-jwt verifies it (issuer signature, Disclosures, Key Binding
//      JWT with the nonce) and reads exactly the claims shown.
//
//   node scripts/sd-jwt-interop.mjs <dir with @sd-jwt in node_modules> <passerelle binary>
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [oracleDir, binary] = process.argv.slice(2);
const require = createRequire(join(resolve(oracleDir), "index.js"));
const { SDJwtVcInstance } = require("@sd-jwt/sd-jwt-vc");
const { ES256, digest, generateSalt } = require("@sd-jwt/crypto-nodejs");

const dir = mkdtempSync(join(tmpdir(), "sd-jwt-interop-"));
const passerelle = (...args) => {
  try {
    return { code: 0, out: execFileSync(binary, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    return { code: e.status, out: e.stdout?.toString() ?? "", err: e.stderr?.toString() ?? "" };
  }
};
const fail = (why) => {
  console.error(`SD-JWT interop: ${why}`);
  process.exit(1);
};
const b64url = (text) => Buffer.from(text).toString("base64url");
const NOW = 1_780_000_000; // 2026-05-28T20:26:40Z: a fixed time, not the clock's
const AT = new Date(NOW * 1000).toISOString().replace(".000Z", "Z");
const NONCE = "interop-nonce-1";
const AUDIENCE = "https://verifier.example";

// 1. @sd-jwt issues and presents; passerelle verifies.
{
  const issuerKeys = await ES256.generateKeyPair();
  const holderKeys = await ES256.generateKeyPair();
  const did = `did:jwk:${b64url(JSON.stringify(issuerKeys.publicKey))}`;
  const sdjwt = new SDJwtVcInstance({
    signer: await ES256.getSigner(issuerKeys.privateKey),
    signAlg: ES256.alg,
    verifier: await ES256.getVerifier(issuerKeys.publicKey),
    kbSigner: await ES256.getSigner(holderKeys.privateKey),
    kbSignAlg: ES256.alg,
    hasher: digest,
    hashAlg: "sha-256",
    saltGenerator: generateSalt,
  });
  const claims = {
    iss: did,
    iat: NOW - 3600,
    vct: "https://credentials.bc.passerelle.example/age",
    cnf: { jwk: holderKeys.publicKey },
    given_name: "Alex",
    birthdate: "1990-05-01",
    age_over_19: true,
  };
  const issued = await sdjwt.issue(claims, { _sd: ["given_name", "birthdate", "age_over_19"] }, { header: { kid: `${did}#0` } });
  const shown = await sdjwt.present(issued, { age_over_19: true }, { kb: { payload: { iat: NOW, aud: AUDIENCE, nonce: NONCE } } });
  const file = join(dir, "from-sd-jwt-js.sdjwt");
  writeFileSync(file, shown);
  const verify = (path, nonce) => passerelle("verify", path, "--json", "--at", AT, "--challenge", nonce, "--domain", AUDIENCE);
  const good = verify(file, NONCE);
  const report = JSON.parse(good.out);
  if (good.code !== 0) fail(`passerelle refused @sd-jwt's presentation: ${JSON.stringify(report.checks)}`);
  const disclosed = report.checks.find((c) => c.name === "proof").evidence.filter((e) => e.name === "disclosed").map((e) => e.value);
  if (JSON.stringify(disclosed) !== JSON.stringify(["/age_over_19"])) fail(`disclosed ${JSON.stringify(disclosed)}`);
  const nonceCode = JSON.parse(verify(file, "another-nonce").out).checks.find((c) => c.outcome === "failed")?.code;
  if (nonceCode !== "KEY_BINDING_NONCE_MISMATCH") fail(`another nonce gave ${nonceCode}`);
  // The Disclosure changed (its value re-encoded as false): its digest is no longer signed.
  const parts = shown.split("~");
  const [salt, name] = JSON.parse(Buffer.from(parts[1], "base64url").toString());
  parts[1] = b64url(JSON.stringify([salt, name, false]));
  const changed = join(dir, "changed.sdjwt");
  writeFileSync(changed, parts.join("~"));
  const changedCode = JSON.parse(verify(changed, NONCE).out).checks.find((c) => c.outcome === "failed")?.code;
  if (changedCode !== "SD_JWT_DISCLOSURE_UNREFERENCED") fail(`a changed Disclosure gave ${changedCode}`);
  console.log(`@sd-jwt → passerelle: verified (typ ${JSON.parse(Buffer.from(shown.split(".")[0], "base64url")).typ}, disclosed ${disclosed}); another nonce and a changed Disclosure refused`);
}

// 2. passerelle issues and presents; @sd-jwt verifies.
{
  const key = (name) => {
    const path = join(dir, name);
    const made = passerelle("key", "generate", "--type", "p256", "--out", path);
    if (made.code !== 0) fail(`key generate: ${made.err}`);
    return { path, ...JSON.parse(readFileSync(path, "utf8")) };
  };
  const publicJwk = (did) => {
    const resolved = JSON.parse(passerelle("did", "resolve", did, "--public-key-format", "JsonWebKey2020", "--json").out);
    return resolved.didDocument.verificationMethod[0].publicKeyJwk;
  };
  const issuer = key("issuer.json");
  const holder = key("holder.json");
  const claimsFile = join(dir, "claims.json");
  writeFileSync(claimsFile, JSON.stringify({ vct: "https://credentials.bc.passerelle.example/age", given_name: "Alex", birthdate: "1990-05-01", age_over_19: true }));
  const issued = passerelle("issue", claimsFile, "--key", issuer.path, "--format", "sd-jwt-vc", "--disclose", "/given_name", "--disclose", "/birthdate", "--disclose", "/age_over_19", "--holder-key", holder.path, "--at", AT);
  if (issued.code !== 0) fail(`passerelle issue: ${issued.err}`);
  const issuedFile = join(dir, "issued.sdjwt");
  writeFileSync(issuedFile, issued.out.trim());
  const shown = passerelle("present", issuedFile, "--disclose", "/age_over_19", "--holder-key", holder.path, "--nonce", NONCE, "--audience", AUDIENCE, "--at", AT);
  if (shown.code !== 0) fail(`passerelle present: ${shown.err}`);
  const holderJwk = publicJwk(holder.did);
  const sdjwt = new SDJwtVcInstance({
    verifier: await ES256.getVerifier(publicJwk(issuer.did)),
    kbVerifier: await ES256.getVerifier(holderJwk),
    hasher: digest,
    hashAlg: "sha-256",
  });
  const verified = await sdjwt.verify(shown.out.trim(), { keyBindingNonce: NONCE, requiredClaimKeys: ["age_over_19"] });
  const payload = verified.payload;
  if (payload.age_over_19 !== true || "birthdate" in payload || "given_name" in payload) fail(`@sd-jwt read ${JSON.stringify(payload)}`);
  if (verified.kb?.payload.aud !== AUDIENCE || payload.iss !== issuer.did) fail(`key binding or issuer: ${JSON.stringify(verified.kb)} ${payload.iss}`);
  // A presentation for another nonce is refused by @sd-jwt too.
  let refused = false;
  try {
    await sdjwt.verify(shown.out.trim(), { keyBindingNonce: "another-nonce" });
  } catch {
    refused = true;
  }
  if (!refused) fail("@sd-jwt accepted passerelle's presentation for another nonce");
  console.log(`passerelle → @sd-jwt: verified (claims ${Object.keys(payload).join(", ")}); another nonce refused`);
}
rmSync(dir, { recursive: true, force: true });
