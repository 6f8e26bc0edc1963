//! # passerelle
//!
//! Issue and verify W3C Verifiable Credentials so that federal, provincial,
//! territorial and municipal credentials in Canada verify the same way, in
//! an issuer service, on a command line and in a browser (`wasm/`).
//!
//! Verification is a pure function of its inputs: the time, the DID
//! documents and the accepted cryptosuites are passed in; nothing reads the
//! clock, the network or the disk. The result is a [`Report`] of checks,
//! each with a stable code and an English and French message.
//!
//! ## Quick start
//!
//! ```
//! use passerelle::{Issuer, Lang, Timestamp, Verifier, VerifyOptions};
//! use passerelle::crypto::Ed25519KeyPair;
//!
//! let issuer = Issuer::did_key(Ed25519KeyPair::generate()?);
//! let unsigned = serde_json::json!({
//!     "@context": ["https://www.w3.org/ns/credentials/v2"],
//!     "type": ["VerifiableCredential"],
//!     "issuer": issuer.did(),
//!     "validFrom": "2026-01-01T00:00:00Z",
//!     "credentialSubject": {"id": "did:example:permit-holder"}
//! });
//! let now = Timestamp::parse("2026-11-23T15:00:00Z")?;
//! let credential = issuer.issue(unsigned.as_object().unwrap().clone(), now)?;
//!
//! let report = Verifier::offline()
//!     .verify(credential.to_json_string().as_bytes(), &VerifyOptions::at(now));
//! assert!(report.verified());
//! println!("{}", report.render(Lang::Fr));
//! # Ok::<(), passerelle::Error>(())
//! ```
//!
//! ## Features
//!
//! | Feature | Status |
//! |---|---|
//! | VCDM 2.0 credentials and presentations (VCDM 1.1 read) | yes |
//! | `eddsa-jcs-2022` Data Integrity proofs (create, verify, proof sets) | yes |
//! | `ecdsa-jcs-2019` with P-256 (SHA-256) and P-384 (SHA-384) keys (feature `ecdsa`, default) | yes |
//! | `vc+jwt` credentials and `vp+jwt` presentations (VC-JOSE-COSE, compact JWS, EdDSA, ES256, ES384 and ES512), enveloped credentials and presentations: issue, verify (verify: feature `jose`, default) | yes |
//! | RDF Dataset Canonicalization RDFC-1.0 over N-Quads (W3C suite) | yes |
//! | JSON-LD 1.1 to RDF in safe mode, bundled contexts, [`jsonld::ContextLoader`] (feature `rdfc`, default) | yes |
//! | `eddsa-rdfc-2022` and `ecdsa-rdfc-2019` (feature `rdfc`; ECDSA also `ecdsa`): create, verify | yes |
//! | Proof chains (`previousProof`) with every suite | yes |
//! | `ecdsa-sd-2023` selective disclosure: base proof, derived proof, verify (feature `ecdsa-sd`, default) | yes |
//! | SD-JWT (RFC 9901), `vc+sd-jwt` / `dc+sd-jwt` credentials with Key Binding JWTs, `vp+sd-jwt` presentations (feature `sd-jwt`, default) | yes |
//! | `vc+cose` credentials and `vp+cose` presentations (COSE_Sign1; EdDSA, ES256, ES384, ES512; feature `cose`, default) | yes |
//! | JSON-LD `@reverse`, `@nest`, `@included`, index/id/type maps | no (refused) |
//! | RFC 8785 JSON canonicalization | yes |
//! | Ed25519, P-256, P-384 and P-521 keys: Multikey, JWK, `Signer` trait for HSM/KMS | yes |
//! | `did:key`, `did:jwk` (Ed25519, P-256, P-384, P-521), `did:web` (offline, or HTTPS with feature `native`) | yes |
//! | `did:webvh` v1.0 log verification, create and update (no witnesses) | yes |
//! | Issuers identified by `https` URLs with controlled identifier documents (CID 1.0), JWK thumbprint `kid`s, verification methods pinned by the verifier (feature `cid`, default) | yes |
//! | IETF Token Status Lists (`statuslist+jwt`) for SD-JWT VCs (feature `sd-jwt`, default) | yes |
//! | Reports with `en`/`fr` messages and stable codes | yes |
//! | Strict JSON reading: size/depth limits, duplicate-key refusal, exact numbers | yes |
//! | Trust registries: authorizations, recognitions, signed snapshots, resolution with evidence paths | yes |
//! | TRQP v2 queries and answers; HTTP server (feature `server`) and client (feature `native`) | yes |
//! | Bitstring Status List: issue, revoke, suspend, publish, check (bounded expansion, cache) | yes |
//! | Cargo feature `cli`: the `passerelle` command | yes |
//! | Cargo feature `vectors`: run a test-vector directory | yes |
//!
//! ## Error codes
//!
//! Every failure carries one of these stable codes ([`ErrorCode`]); the
//! messages below are the English ones, each also exists in French.
//!
#![doc = include_str!("../docs/error-codes.md")]
#![deny(missing_docs)]
// On docs.rs (and `RUSTDOCFLAGS="--cfg docsrs" cargo +nightly doc`), items behind a
// feature say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Data from outside never unwraps: every failure is an `Error` with a code.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![forbid(unsafe_code)]

pub mod canon;
#[cfg(feature = "cose")]
#[cfg_attr(docsrs, doc(cfg(feature = "cose")))]
pub mod cose;
pub mod credential;
pub mod crypto;
pub mod did;
mod error;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod http_server;
pub mod inputs;
mod issue;
pub mod jose;
pub mod json;
mod json_string;
#[cfg(feature = "rdfc")]
pub mod jsonld;
pub mod net;
pub mod proof;
pub mod registry;
#[cfg(feature = "sd-jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "sd-jwt")))]
pub mod sd_jwt;
mod secured;
pub mod status;
mod table;
mod time;
#[cfg(feature = "vectors")]
pub mod vectors;
pub mod verify;

pub use credential::{Credential, Presentation};
pub use error::{Error, ErrorCode, Lang, Result};
pub use issue::{random_urn_uuid, IssueDefaults, Issuer, CONTEXT_DATA_INTEGRITY_V2};
pub use time::Timestamp;
pub use verify::{Report, Verifier, VerifyOptions};
