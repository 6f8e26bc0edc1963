//! Canonical forms of JSON documents that signatures are computed over.
//!
//! The JSON Canonicalization Scheme (RFC 8785), and RDF Dataset
//! Canonicalization (RDFC-1.0) over N-Quads. The JSON-LD → RDF step that the
//! `*-rdfc-*` suites need is not written yet.

pub(crate) mod jcs;
pub mod nquads;
pub mod rdfc;

pub use jcs::{canonicalize, canonicalize_entries_into, canonicalize_into, canonicalize_object_into, format_number};
