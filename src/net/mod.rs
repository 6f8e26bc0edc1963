//! Reaching other hosts on behalf of a credential (`did:web` documents,
//! status lists): which addresses may be reached ([`address`]).

pub mod address;
