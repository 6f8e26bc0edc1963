//! Reaching other hosts on behalf of a credential (`did:web` documents,
//! status lists): which addresses may be reached ([`address`]) and how host
//! names become addresses ([`resolve`], feature `native`), and which hosts
//! the operator allows explicitly whatever their addresses ([`allow`]).

pub mod address;
pub mod allow;
#[cfg(feature = "native")]
pub mod resolve;
