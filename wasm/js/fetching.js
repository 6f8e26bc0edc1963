// The `…Async` verifications: the page's fetchers supply what a document
// needs (as the module's `needsOf` says) and the options lack; verification
// itself stays in WebAssembly, synchronous and offline, and checks what was
// fetched exactly like supplied data. In JavaScript rather than Rust because
// promises cost the .wasm about 6 KB gzipped of futures machinery.
//
// The build writes a CommonJS copy of this file for the node target, so it
// holds nothing but the two exported functions and their helpers.

const FETCHERS = ["fetchDidDocument", "fetchDidLog", "fetchStatusList"];

// An Error like the module's own: `code` is the stable passerelle code.
function invalidOption(detail) {
  const error = new Error(`OPTION_INVALID: ${detail}`);
  error.code = "OPTION_INVALID";
  return error;
}

// What `fetcher(key)` gives, as text; null when it throws, rejects, or gives
// nothing (or, for a did:webvh log, no text): the check that needed it then
// fails with its code rather than the whole call.
async function fetchText(fetcher, key, textOnly) {
  try {
    const value = await fetcher(key);
    if (typeof value === "string") return value;
    if (value == null || textOnly) return null;
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function addNew(list, items) {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

// `options`, with what `input` needs fetched by its fetchers and added to
// `statusLists`, `didDocuments` and `didLogs`. `api`: the module's
// `needsOf` and `checkJson`. Status lists come first: their proofs name
// signers too.
export async function completeOptions(api, input, options) {
  const given = options ?? {};
  for (const name of FETCHERS) {
    if (given[name] != null && typeof given[name] !== "function") throw invalidOption(`${name} must be a function`);
  }
  const { fetchDidDocument, fetchDidLog, fetchStatusList } = given;
  const completed = { ...given };
  const needs = api.needsOf(input);
  const dids = [...needs.dids];
  const logDids = [...needs.didLogs];

  if (fetchStatusList) {
    const lists = { ...given.statusLists };
    for (const url of needs.statusLists) {
      if (lists[url] != null) continue;
      const list = await fetchText(fetchStatusList, url, false);
      if (list === null) continue;
      lists[url] = list;
      const listNeeds = api.needsOf(list);
      addNew(dids, listNeeds.dids);
      addNew(logDids, listNeeds.didLogs);
    }
    completed.statusLists = lists;
  }
  if (fetchDidDocument) {
    const documents = [...(given.didDocuments ?? [])];
    for (const did of dids) {
      if (documents.some((document) => document?.id === did)) continue;
      const text = await fetchText(fetchDidDocument, did, false);
      if (text === null) continue;
      try {
        api.checkJson(text); // strict: no duplicate keys, within the limits
      } catch {
        continue;
      }
      const document = JSON.parse(text);
      if (document !== null && typeof document === "object" && !Array.isArray(document)) documents.push(document);
    }
    completed.didDocuments = documents;
  }
  if (fetchDidLog) {
    const logs = { ...given.didLogs };
    for (const did of logDids) {
      if (logs[did] != null) continue;
      const log = await fetchText(fetchDidLog, did, true);
      if (log !== null) logs[did] = log;
    }
    completed.didLogs = logs;
  }
  return completed;
}

// `verifyCredentialAsync` and `verifyPresentationAsync` over the module
// `wasm`, which also gains them on `PasserelleVerifier` (which fetches
// only what it does not hold: its own `needsOf`).
export function asyncVerifiers(wasm) {
  const fetching = (verify) =>
    async function (input, options) {
      const api = this instanceof wasm.PasserelleVerifier ? { needsOf: (x) => this.needsOf(x), checkJson: wasm.checkJson } : wasm;
      return verify.call(this, input, await completeOptions(api, input, options));
    };
  const kept = wasm.PasserelleVerifier.prototype;
  // What the input needs and the verifier does not hold.
  kept.needsOf = function (input) {
    const needs = wasm.needsOf(input);
    const lacks = (key) => !this.holds(key);
    return { dids: needs.dids.filter(lacks), didLogs: needs.didLogs.filter(lacks), statusLists: needs.statusLists.filter(lacks) };
  };
  kept.verifyCredentialAsync = fetching(kept.verifyCredential);
  kept.verifyPresentationAsync = fetching(kept.verifyPresentation);
  return {
    verifyCredentialAsync: fetching(wasm.verifyCredential),
    verifyPresentationAsync: fetching(wasm.verifyPresentation),
  };
}
