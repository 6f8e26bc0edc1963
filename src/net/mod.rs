//! Reaching other hosts on behalf of a credential (`did:web` documents,
//! status lists) or of an operator's configuration: which addresses may be
//! reached ([`address`]), how host names become addresses and the one
//! HTTP GET every fetch makes ([`resolve`], [`fetch`], feature `native`),
//! and which hosts the operator allows explicitly whatever their addresses
//! ([`allow`]).

pub mod address;
pub mod allow;
#[cfg(feature = "native")]
pub mod fetch;
#[cfg(feature = "native")]
pub mod resolve;
