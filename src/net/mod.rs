//! Reaching other hosts on behalf of a credential (`did:web` documents,
//! status lists): which addresses may be reached ([`address`]) and how host
//! names become addresses ([`resolve`], feature `native`).

pub mod address;
#[cfg(feature = "native")]
pub mod resolve;
