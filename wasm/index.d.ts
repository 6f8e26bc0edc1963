// Hand-written types for passerelle's WebAssembly API. Every field is
// documented; the wasm-bindgen glue is typed by wasm-bindgen itself.

/** A language for messages meant for people. */
export type Lang = "en" | "fr";

/** A message for a person, in English and in French. */
export interface Message {
  en: string;
  fr: string;
}

/** The stable name of a check. */
export type CheckName =
  | "parse"
  | "data_model"
  | "proof"
  | "key_binding"
  | "validity_period"
  | "status"
  | "trust"
  | "credentials";

/** One piece of evidence: its stable name, its value, its label for a person. */
export interface Evidence {
  /** The stable name (e.g. "cryptosuite", "validUntil", "statusListIndex"). */
  name: string;
  value: string;
  label: Message;
}

/** One check of a report. */
export interface Check {
  /** Which check. */
  name: CheckName;
  /** Passed, failed or skipped (an earlier check failed, or it does not apply). */
  outcome: "passed" | "failed" | "skipped";
  /** The stable error code, when failed (e.g. "PROOF_SIGNATURE_INVALID"). */
  code?: string;
  /** What a person reads, in both languages. */
  message: Message;
  /** What was checked against what (key ids, times, types, the registry
   * path…), one entry per value, in order (docs/report.md). */
  evidence: Evidence[];
  /** A technical detail for developers (English), when failed. */
  detail?: string;
}

/** The result of verifying a credential or a presentation. */
export interface Report {
  /** The version of this JSON form: 2. */
  reportVersion: 2;
  kind: "credential" | "presentation";
  /** Derived from the checks: no check failed and the proof passed. */
  verified: boolean;
  /** Every check, in order. */
  checks: Check[];
  /** For a presentation: the report of each credential in it. */
  credentials?: Report[];
}

/**
 * What the `verify…` functions take: a credential or presentation as JSON
 * text or as an object (Data Integrity proofs), or a compact JWS string
 * (`vc+jwt` / `vp+jwt`, VC-JOSE-COSE, EdDSA or ES256: `passerelle/full`
 * only; the `passerelle` module refuses a token with CRYPTOSUITE_UNSUPPORTED).
 */
export type Secured = string | object;

/** What the `status` check does with status it cannot check; any other key is refused (PROPERTY_INVALID). */
export interface StatusPolicy {
  /** Without `statusLists` (nor `fetchStatusList`), skip the status check rather than fail it (default false). */
  skipWithoutSource?: boolean;
  /**
   * Leave status entries of types other than BitstringStatusListEntry
   * unchecked rather than fail with STATUS_TYPE_UNSUPPORTED (default false).
   */
  acceptUnknownTypes?: boolean;
}

/** Options of a verification. Everything is supplied by the caller: nothing is fetched (see `FetchingVerifyOptions`). */
export interface VerifyOptions {
  /** The time of verification (XML Schema dateTimeStamp); default: now. */
  time?: string;
  /** Preferred language (reports always carry both). */
  lang?: Lang;
  /** DID documents the verifier may use (did:web and others; did:key and did:jwk need none). */
  didDocuments?: object[];
  /**
   * did:webvh logs (did.jsonl text) by DID, verified at `time`
   * (`passerelle/full`; the `passerelle` module ignores them and reports a
   * did:webvh signer as DID_NOT_FOUND, naming the `webvh` feature).
   */
  didLogs?: Record<string, string>;
  /**
   * Status list credentials (JSON text or object) by URL. Without this key
   * the verifier has no status list source: a credential with status entries
   * fails the `status` check with STATUS_LIST_UNAVAILABLE unless
   * `statusPolicy.skipWithoutSource`.
   */
  statusLists?: Record<string, string | object>;
  /** What the `status` check does with status it cannot check (default: fail closed). */
  statusPolicy?: StatusPolicy;
  /** The challenge a presentation's proof must carry. */
  challenge?: string;
  /** The domain a presentation's proof must carry. */
  domain?: string;
  /**
   * Accepted cryptosuites (default: every suite of the module — "eddsa-jcs-2022";
   * in `passerelle/full` also "ecdsa-jcs-2019", "eddsa-rdfc-2022" and
   * "ecdsa-rdfc-2019"; in other builds as their `ecdsa` and `rdfc` features say).
   */
  cryptosuites?: string[];
  /**
   * `passerelle/full` (builds with the `rdfc` feature) only: JSON-LD context documents (JSON text
   * or object) by URL, for credentials whose contexts are not bundled.
   * Contexts are never fetched; a context neither bundled nor given here fails
   * the `proof` check with CONTEXT_UNKNOWN.
   */
  contexts?: Record<string, string | object>;
  /** Input size limit in bytes (default 1 MiB). */
  maxBytes?: number;
  /** Nesting depth limit (default 32). */
  maxDepth?: number;
}

/**
 * Options of the `…Async` verifications: the same, plus fetchers the page
 * supplies (the library itself never opens a connection). Each is called for
 * what the document names and the options lack, and may return a promise.
 * A fetcher that throws, rejects or gives `null` leaves it missing: the check
 * that needed it fails with its code (`DID_NOT_FOUND`, `STATUS_LIST_UNAVAILABLE`).
 */
export interface FetchingVerifyOptions extends VerifyOptions {
  /** The DID document of `did` (did:web and other methods that need one), as an object or JSON text. */
  fetchDidDocument?: (did: string) => Promise<object | string | null> | object | string | null;
  /** The did:webvh log (did.jsonl text) of `did` (`passerelle/full`; the `passerelle` module does not call it). */
  fetchDidLog?: (did: string) => Promise<string | null> | string | null;
  /** The status list credential at `url`, as an object or JSON text. */
  fetchStatusList?: (url: string) => Promise<object | string | null> | object | string | null;
}

/** Options of `TrustStore.loadSnapshot`. */
export interface SnapshotOptions {
  /** DID documents of the registries (unless they are did:key). */
  didDocuments?: object[];
  /** The time of the freshness check; default: now. */
  time?: string;
}

/** An Error thrown by the API: `code` is the stable passerelle code. */
export interface PasserelleError extends Error {
  code: string;
}

/** Trust anchors and registry snapshots. */
export class TrustStore {
  /** A store trusting `anchors` (root registry DIDs). */
  constructor(anchors: string[]);
  /** Loads a signed snapshot; returns the registry DID. Throws a PasserelleError (SNAPSHOT_*, REGISTRY_INVALID). */
  loadSnapshot(snapshot: string | object, options?: SnapshotOptions): string;
  /** Records that `sequence` of `registry` was seen before (rollback protection). */
  markSeen(registry: string, sequence: number): void;
  /** The trust anchors. */
  anchors(): string[];
  /** Verifies a credential with this store's anchors and snapshots (adds the `trust` check). */
  verifyCredential(credential: Secured, options?: VerifyOptions): Report;
  /** Verifies a presentation with this store's anchors and snapshots. */
  verifyPresentation(presentation: Secured, options?: VerifyOptions): Report;
  /** `verifyCredential`, after fetching what the credential needs with the options' fetchers. */
  verifyCredentialAsync(credential: Secured, options?: FetchingVerifyOptions): Promise<Report>;
  /** `verifyPresentation`, after fetching what the presentation and its credentials need. */
  verifyPresentationAsync(presentation: Secured, options?: FetchingVerifyOptions): Promise<Report>;
  free(): void;
}

/** Verifies a credential without trust anchors (the `trust` check is skipped). Throws a PasserelleError on bad options. */
export function verifyCredential(credential: Secured, options?: VerifyOptions): Report;
/** Verifies a presentation and every credential in it, without trust anchors. */
export function verifyPresentation(presentation: Secured, options?: VerifyOptions): Report;
/** `verifyCredential`, after fetching what the credential needs with the options' fetchers. */
export function verifyCredentialAsync(credential: Secured, options?: FetchingVerifyOptions): Promise<Report>;
/** `verifyPresentation`, after fetching what the presentation and its credentials need. */
export function verifyPresentationAsync(presentation: Secured, options?: FetchingVerifyOptions): Promise<Report>;
/** What a document needs from outside, for a page that fetches it itself (see `needsOf`). */
export interface Needs {
  /** Signers whose DID documents resolve them (did:key and did:jwk need none). */
  dids: string[];
  /** did:webvh signers, resolved through their logs (`passerelle/full`; empty in `passerelle`). */
  didLogs: string[];
  /** Status list credential URLs. */
  statusLists: string[];
}
/**
 * What `input` names and verification will need: its signers' DIDs and its
 * status lists, and those of the credentials it holds. A status list
 * credential names its own signer: ask again once it is fetched. Input that
 * does not parse needs nothing. The `…Async` verifications are built on it.
 */
export function needsOf(input: Secured): Needs;
/** The English and French messages of a stable code. */
export function messageFor(code: string): Message;
/** Throws a PasserelleError (JSON_MALFORMED, JSON_DUPLICATE_KEY, INPUT_TOO_LARGE…) unless `text` is acceptable JSON. */
export function checkJson(text: string): void;

/** Web target only: loads the .wasm (from `module_or_path`, default next to the JS file). */
export default function init(module_or_path?: unknown): Promise<unknown>;
