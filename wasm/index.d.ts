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

/** What the `status` check does with status it cannot check; any other key is refused (OPTION_UNKNOWN), a value that is not a boolean too (OPTION_INVALID). */
export interface StatusPolicy {
  /** Without `statusLists` (nor `fetchStatusList`), skip the status check rather than fail it (default false). */
  skipWithoutSource?: boolean;
  /**
   * Leave status entries of types other than BitstringStatusListEntry
   * unchecked rather than fail with STATUS_TYPE_UNSUPPORTED (default false).
   */
  acceptUnknownTypes?: boolean;
}

/**
 * Options of a verification. Everything is supplied by the caller: nothing is
 * fetched (see `FetchingVerifyOptions`). A key not listed here is refused with
 * OPTION_UNKNOWN naming it (a misspelt `challange` must not turn the
 * challenge check off), a value of the wrong type with OPTION_INVALID; a key
 * set to `null` or `undefined` is as if absent.
 */
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
  /** The challenge the document's proofs must carry (not those of the credentials a presentation carries). */
  challenge?: string;
  /** The domain the document's proofs must carry. */
  domain?: string;
  /**
   * Accepted cryptosuites (default: every suite of the module — "eddsa-jcs-2022";
   * in `passerelle/full` also "ecdsa-jcs-2019", "eddsa-rdfc-2022" and
   * "ecdsa-rdfc-2019"; in other builds as their `ecdsa` and `rdfc` features say).
   * Any other name is refused with OPTION_UNKNOWN; one of these four that
   * the module cannot verify may be named (its proofs fail CRYPTOSUITE_UNSUPPORTED).
   */
  cryptosuites?: Array<"eddsa-jcs-2022" | "ecdsa-jcs-2019" | "eddsa-rdfc-2022" | "ecdsa-rdfc-2019">;
  /**
   * Also require the issuer's authorization (and its recognition path) in
   * force at `time`, not only at the issuance date the credential claims (default false).
   */
  trustAtVerificationTime?: boolean;
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
export interface FetchingVerifyOptions extends VerifyOptions, FetchingOptions {}

/** The page's fetchers, for the `…Async` verifications. */
export interface FetchingOptions {
  /** The DID document of `did` (did:web and other methods that need one), as an object or JSON text. */
  fetchDidDocument?: (did: string) => Promise<object | string | null> | object | string | null;
  /** The did:webvh log (did.jsonl text) of `did` (`passerelle/full`; the `passerelle` module does not call it). */
  fetchDidLog?: (did: string) => Promise<string | null> | string | null;
  /** The status list credential at `url`, as an object or JSON text; asked only for credentials whose signature held. */
  fetchStatusList?: (url: string) => Promise<object | string | null> | object | string | null;
}

/** An Error thrown by the API: `code` is the stable passerelle code. */
export interface PasserelleError extends Error {
  code: string;
}

/**
 * What a `PasserelleVerifier` is made with: the options of a verification
 * (their policies and data become its defaults and what it holds) and the
 * trust store's inputs. Any other key is refused (OPTION_UNKNOWN).
 */
export interface VerifierInputs extends VerifyOptions {
  /** Trusted root registry DIDs; with them the `trust` check runs. */
  trustAnchors?: string[];
  /**
   * Signed registry snapshots (objects or JSON text), loaded in order at
   * `time`; a refused one is remembered, and answers that need it say why.
   */
  snapshots?: Array<string | object>;
  /** Snapshot sequences seen before, by registry DID (rollback protection). */
  seen?: Record<string, number>;
}

/** Options of a call to a `PasserelleVerifier`: those of a verification except `contexts` (given when it is made). */
export type VerifierCallOptions = Omit<VerifyOptions, "contexts">;

/**
 * A verifier made once and reused. It holds what it was made with (trust
 * anchors, snapshots, DID documents, did:webvh logs, status lists, contexts,
 * policies) and keeps what calls give (up to 64 DID documents, 64 logs and
 * 64 status lists, besides those it was made with), with the status lists
 * it verified (for their `ttl`, 5 minutes by default), keyed by URL or DID and the SHA-256 of
 * their content: a list given again unchanged is not verified again, one
 * given with other bytes is. A `time` given when it is made is the default
 * of every call; otherwise each call is at its own time (now unless given).
 */
export class PasserelleVerifier {
  /** Throws a PasserelleError (OPTION_UNKNOWN, OPTION_INVALID, DATE_INVALID, a DID document's code). */
  constructor(inputs?: VerifierInputs);
  /** Verifies a credential (or a presentation, told apart by its type) with what it holds and what `options` adds. */
  verifyCredential(credential: Secured, options?: VerifierCallOptions): Report;
  /** Verifies a presentation and every credential in it. */
  verifyPresentation(presentation: Secured, options?: VerifierCallOptions): Report;
  /** What `input` needs that this verifier does not hold (see `needsOf`). */
  needsOf(input: Secured): Needs;
  /** Whether it holds the DID document or did:webvh log of `key` (a DID), or the status list credential at `key` (a URL). */
  holds(key: string): boolean;
  /** `verifyCredential`, after fetching what the credential needs and the verifier does not hold. */
  verifyCredentialAsync(credential: Secured, options?: VerifierCallOptions & FetchingOptions): Promise<Report>;
  /** `verifyPresentation`, after fetching what the presentation needs and the verifier does not hold. */
  verifyPresentationAsync(presentation: Secured, options?: VerifierCallOptions & FetchingOptions): Promise<Report>;
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
