//! Host names to addresses, for the HTTPS fetchers (feature `native`).
//!
//! [`HostResolver`] is the one place a fetcher asks for addresses; the
//! system resolver is the default, and tests (or a deployment with its own
//! DNS policy) supply another.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// Turns a host name into the addresses to connect to.
pub trait HostResolver: Send + Sync {
    /// The addresses of `host` (a name, or an IP address without brackets)
    /// for a connection to `port`.
    fn resolve(&self, host: &str, port: u16) -> io::Result<Vec<SocketAddr>>;
}

/// The operating system's resolver (`getaddrinfo`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemResolver;

impl HostResolver for SystemResolver {
    fn resolve(&self, host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        Ok((host, port).to_socket_addrs()?.collect())
    }
}
