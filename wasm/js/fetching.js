// The `…Async` verifications: the page's fetchers supply what a document
// needs and the options lack — the signers' DID documents and logs, as the
// module's `needsOf` names them, and the status lists a first verification
// found missing for credentials whose signature held; verification itself
// stays in WebAssembly, synchronous and offline, and checks what was
// fetched exactly like supplied data. In JavaScript rather than Rust because
// promises cost the .wasm about 6 KB gzipped of futures machinery.
//
// The build writes a CommonJS copy of this file for the node target, so it
// holds nothing but the exported function and its helpers.

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

// The `id` of a DID document given as an object or as JSON text.
function idOf(document) {
  if (typeof document !== "string") return document?.id;
  try {
    return JSON.parse(document)?.id;
  } catch {
    return undefined;
  }
}

// `completed` with the DID documents of `dids` and the did:webvh logs of
// `logDids` that it lacks, fetched. `api`: as `verifyFetching`'s.
async function addSigners(api, completed, dids, logDids) {
  const { fetchDidDocument, fetchDidLog } = completed;
  if (fetchDidDocument) {
    const documents = [...(completed.didDocuments ?? [])];
    for (const did of dids) {
      if (documents.some((document) => idOf(document) === did)) continue;
      const text = await fetchText(fetchDidDocument, did, false);
      if (text === null) continue;
      try {
        api.checkJson(text); // strict: no duplicate keys, within the limits
      } catch {
        continue;
      }
      const document = JSON.parse(text);
      // Only the document of the DID asked for: one naming another DID
      // would stand in for that DID's own document.
      if (document !== null && typeof document === "object" && document.id === did) documents.push(document);
    }
    completed.didDocuments = documents;
  }
  if (fetchDidLog) {
    const logs = { ...completed.didLogs };
    for (const did of logDids) {
      if (logs[did] != null) continue;
      const log = await fetchText(fetchDidLog, did, true);
      if (log !== null) logs[did] = log;
    }
    completed.didLogs = logs;
  }
}

// At most this many status lists are fetched for one call: a credential
// may name thousands, and the page's fetcher is not to be hammered; a list
// not fetched fails its check (`STATUS_LIST_UNAVAILABLE`).
const MAX_FETCHED_LISTS = 16;

// The status lists named by the status checks that ran (`read`) and by
// those that found a list missing (`missing`, `STATUS_LIST_UNAVAILABLE`),
// in the report and in the reports of the credentials a presentation
// holds. A status check runs only for a credential whose signature held:
// the lists a forged credential names are never asked for. (A credential
// validly signed by any key, trusted or not, has its lists asked for, as
// when they are supplied: the page's fetcher decides which URLs it will
// fetch.)
function checkedLists(report, out = { read: new Set(), missing: new Set() }) {
  for (const check of report.checks) {
    if (check.name !== "status" || check.outcome === "skipped") continue;
    for (const entry of check.evidence) {
      if (entry.name !== "statusListCredential") continue;
      out.read.add(entry.value);
      if (check.code === "STATUS_LIST_UNAVAILABLE") out.missing.add(entry.value);
    }
  }
  for (const credential of report.credentials ?? []) checkedLists(credential, out);
  return out;
}

// How long a fetched status list is taken as fresh, in milliseconds: its
// `ttl`, at most the Bitstring Status List default, five minutes (the
// bytes are not verified yet when this is read).
function timeToLive(list) {
  try {
    const ttl = JSON.parse(list)?.credentialSubject?.ttl;
    if (Number.isFinite(ttl) && ttl >= 0) return Math.min(ttl, 300_000);
  } catch {
    // Not JSON (a JWT, say): the default.
  }
  return 300_000;
}

// The time of a call, in milliseconds: its `time` option, else the clock.
function callTime(options) {
  const time = options.time == null ? NaN : Date.parse(options.time);
  return Number.isNaN(time) ? Date.now() : time;
}

// A verifier's record of fetched lists keeps at most this many (the
// oldest go first).
const MAX_REMEMBERED_LISTS = 64;

// `input` verified by `verify(input, options)`, with what it needs and the
// options lack fetched by the options' fetchers: first the signers' DID
// documents and logs (`needsOf`), then, after a verification, the status
// lists its status checks found missing, and their signers; then it is
// verified again. `api`: the module's `needsOf` (all a document names) and
// `checkJson`, and `holds` (what a `PasserelleVerifier` holds; nothing for
// the free functions).
// `fetched`: for a `PasserelleVerifier`, a Map of the status lists its
// calls fetched, to when each is no longer fresh; one its status checks
// read past that is fetched again with the missing ones (the verifier
// would read the one it holds for good).
export async function verifyFetching(api, verify, input, options, fetched) {
  const given = options ?? {};
  for (const name of FETCHERS) {
    if (given[name] != null && typeof given[name] !== "function") throw invalidOption(`${name} must be a function`);
  }
  const completed = { ...given };
  // What the input names, read once; what the verifier lacks of it.
  const named = api.needsOf(input);
  const lacks = (key) => !api.holds(key);
  await addSigners(api, completed, named.dids.filter(lacks), named.didLogs.filter(lacks));
  if (!given.fetchStatusList || named.statusLists.length === 0) return verify(input, completed);
  // With a status list fetcher there is a status source: a list it has not
  // given yet is missing, not "no source".
  completed.statusLists = { ...given.statusLists };
  const now = callTime(given);
  // A list the page gives is the page's to give again.
  for (const url of Object.keys(completed.statusLists)) fetched?.delete(url);
  const first = verify(input, completed);
  const checked = checkedLists(first);
  const stale = fetched ? [...checked.read].filter((url) => fetched.get(url) <= now) : [];
  // Missing: lacking from what the verifier holds, not only from this
  // call's options.
  const missing = [...checked.missing].filter(lacks);
  const wanted = [...new Set([...stale, ...missing])]
    .filter((url) => named.statusLists.includes(url) && completed.statusLists[url] == null)
    .slice(0, MAX_FETCHED_LISTS);
  const dids = [];
  const logDids = [];
  const fresh = [];
  for (const url of wanted) {
    const list = await fetchText(given.fetchStatusList, url, false);
    if (list === null) continue;
    completed.statusLists[url] = list;
    fresh.push([url, now + timeToLive(list)]);
    const listNeeds = api.needsOf(list);
    addNew(dids, listNeeds.dids.filter(lacks));
    addNew(logDids, listNeeds.didLogs.filter(lacks));
  }
  if (fresh.length === 0) return first;
  await addSigners(api, completed, dids, logDids);
  const report = verify(input, completed);
  // Recorded once the verifier has them.
  for (const [url, until] of fresh) {
    fetched?.delete(url);
    fetched?.set(url, until);
  }
  while (fetched?.size > MAX_REMEMBERED_LISTS) fetched.delete(fetched.keys().next().value);
  return report;
}

// For each `PasserelleVerifier`, the status lists its `…Async` calls
// fetched (see `verifyFetching`).
const fetchedLists = new WeakMap();

// `verifyCredentialAsync` and `verifyPresentationAsync` over the module
// `wasm`, which also gains them on `PasserelleVerifier` (which fetches
// only what it does not hold: its own `needsOf`).
export function asyncVerifiers(wasm) {
  const fetching = (verify) =>
    async function (input, options) {
      const kept = this instanceof wasm.PasserelleVerifier;
      const api = { needsOf: wasm.needsOf, holds: kept ? (key) => this.holds(key) : () => false, checkJson: wasm.checkJson };
      if (kept && !fetchedLists.has(this)) fetchedLists.set(this, new Map());
      const fetched = kept ? fetchedLists.get(this) : null;
      return verifyFetching(api, (text, completed) => verify.call(this, text, completed), input, options, fetched);
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
