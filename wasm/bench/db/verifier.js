// Digital Bazaar's verifier for the comparison (wasm/bench/compare.sh):
// @digitalbazaar/vc's verifyCredential with a DataIntegrityProof suite over
// the eddsa-jcs-2022 cryptosuite, and a document loader that is offline:
// the JSON-LD contexts from our contexts/ folder, and the did:key issuer's
// DID document built once from the DID (as did:key resolution specifies).
// Run as is in node (Ed25519 from node's crypto, OpenSSL) and bundled with
// esbuild for the browser (Ed25519 from @noble/ed25519, SHA-256 from
// WebCrypto: the packages' "browser" fields).
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { createVerifyCryptosuite } from "@digitalbazaar/eddsa-jcs-2022-cryptosuite";

const DID_V1 = "https://www.w3.org/ns/did/v1";
const MULTIKEY_V1 = "https://w3id.org/security/multikey/v1";

// The DID document of an Ed25519 did:key (did:key method, §3.1.1).
function didKeyDocument(did) {
  const multibase = did.slice("did:key:".length);
  const method = { id: `${did}#${multibase}`, type: "Multikey", controller: did, publicKeyMultibase: multibase };
  return {
    "@context": [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [method],
    authentication: [method.id],
    assertionMethod: [method.id],
    capabilityDelegation: [method.id],
    capabilityInvocation: [method.id],
  };
}

// contexts: { url: context document }. Anything else is refused, never fetched.
export function documentLoader(contexts) {
  const dids = new Map();
  return async (url) => {
    if (Object.hasOwn(contexts, url)) return { contextUrl: null, documentUrl: url, document: contexts[url] };
    const [did, fragment] = url.split("#");
    if (did.startsWith("did:key:z6Mk")) {
      if (!dids.has(did)) dids.set(did, didKeyDocument(did));
      const document = dids.get(did);
      if (fragment === undefined) return { contextUrl: null, documentUrl: url, document };
      const method = document.verificationMethod.find((m) => m.id === url);
      if (method) return { contextUrl: null, documentUrl: url, document: { "@context": MULTIKEY_V1, ...method } };
    }
    throw new Error(`offline document loader: ${url} is not available`);
  };
}

// A verify(credential object) → Promise<{verified, error?}> at time `now`.
export function verifier(contexts, now) {
  const loader = documentLoader(contexts);
  const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  return (credential) => vc.verifyCredential({ credential, suite, documentLoader: loader, now });
}
