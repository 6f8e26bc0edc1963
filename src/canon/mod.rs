//! Canonical forms of JSON documents that signatures are computed over.
//!
//! Only the JSON Canonicalization Scheme (RFC 8785) exists so far; RDF
//! Dataset Canonicalization comes with the `eddsa-rdfc-2022` suite.

mod jcs;

pub use jcs::{canonicalize, canonicalize_entries_into, canonicalize_into, canonicalize_object_into, format_number};
