//! Host names to addresses, for the HTTPS fetchers (feature `native`).
//!
//! [`HostResolver`] is the one place a fetcher asks for addresses; the
//! system resolver is the default, and tests (or a deployment with its own
//! DNS policy) supply another. The fetchers' HTTP client looks each host up
//! once, checks every address against [`super::address`], and connects to
//! exactly the addresses it checked (DNS rebinding cannot slip another
//! address in between).

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;

use ureq::config::Config;
use ureq::http::uri::Scheme;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use super::address::{self, NonPublic};
use super::allow::AllowedHost;

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

/// Why a fetch was refused before any connection.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The host has an address that is not public ([`super::address`]).
    NonPublic {
        /// The host name as written in the URL.
        host: String,
        /// The first non-public address and its block.
        reason: NonPublic,
    },
    /// Plain HTTP was asked for a host with an address that is not loopback.
    PlainHttp {
        /// The host name as written in the URL.
        host: String,
    },
    /// The resolver gave no address.
    NoAddress {
        /// The host name as written in the URL.
        host: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NonPublic { host, reason } => write!(f, "{host}: {reason}"),
            Refusal::PlainHttp { host } => {
                write!(f, "{host}: plain HTTP is used only when every address is loopback")
            }
            Refusal::NoAddress { host } => write!(f, "{host} has no address"),
        }
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    /// The refusal inside a ureq error, if the request was refused by
    /// [`CheckedResolver`].
    pub(crate) fn of(error: &ureq::Error) -> Option<&Refusal> {
        match error {
            ureq::Error::Io(io) => io.get_ref()?.downcast_ref::<Refusal>(),
            _ => None,
        }
    }
}

/// What [`CheckedResolver`] lets through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Policy {
    /// Any address, private and loopback included (an intranet, or tests).
    pub allow_private: bool,
    /// Hosts allowed at any address they resolve to (`--allow-host`); every
    /// other host keeps the address checks.
    pub allowed_hosts: Vec<AllowedHost>,
    /// `http://` URLs, for hosts whose addresses are all loopback (tests).
    pub plain_http_on_loopback: bool,
}

impl Policy {
    /// The addresses to connect to for `host`, from one lookup's `found`
    /// addresses: all of them, or a refusal if any one is not allowed.
    fn admit(
        &self,
        host: &str,
        port: u16,
        plain_http: bool,
        found: Vec<SocketAddr>,
    ) -> Result<Vec<SocketAddr>, Refusal> {
        if found.is_empty() {
            return Err(Refusal::NoAddress { host: host.to_owned() });
        }
        let allowed = self.allowed_hosts.iter().any(|a| a.matches(host, port));
        if !self.allow_private && !allowed {
            if let Some(reason) = found.iter().find_map(|a| address::check(a.ip()).err()) {
                return Err(Refusal::NonPublic {
                    host: host.to_owned(),
                    reason,
                });
            }
        }
        if plain_http && !(self.plain_http_on_loopback && found.iter().all(|a| a.ip().is_loopback())) {
            return Err(Refusal::PlainHttp { host: host.to_owned() });
        }
        Ok(found)
    }
}

/// The resolver a fetcher's ureq agent uses: it looks the host up once with
/// a [`HostResolver`], checks every address against the [`Policy`], and
/// hands exactly those addresses to the connector. ureq keeps the URL's
/// host for TLS (SNI and the certificate check), so a name that answers
/// differently on a second lookup never gets one.
pub(crate) struct CheckedResolver {
    hosts: Arc<dyn HostResolver>,
    policy: Policy,
}

impl fmt::Debug for CheckedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedResolver")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl CheckedResolver {
    /// Looks hosts up with `hosts` and admits addresses by `policy`.
    pub(crate) fn new(hosts: Arc<dyn HostResolver>, policy: Policy) -> Self {
        CheckedResolver { hosts, policy }
    }

    /// One lookup, within `timeout` when there is one.
    fn lookup(&self, host: &str, port: u16, timeout: NextTimeout) -> Result<Vec<SocketAddr>, ureq::Error> {
        if timeout.after.is_not_happening() {
            return self.hosts.resolve(host, port).map_err(ureq::Error::Io);
        }
        let (sender, receiver) = mpsc::sync_channel(1);
        let hosts = self.hosts.clone();
        let name = host.to_owned();
        std::thread::Builder::new()
            .name("passerelle-resolve".into())
            .spawn(move || {
                let _ = sender.send(hosts.resolve(&name, port));
            })
            .map_err(ureq::Error::Io)?;
        match receiver.recv_timeout(*timeout.after) {
            Ok(found) => found.map_err(ureq::Error::Io),
            Err(RecvTimeoutError::Timeout) => Err(ureq::Error::Timeout(timeout.reason)),
            Err(RecvTimeoutError::Disconnected) => Err(ureq::Error::Io(io::Error::other("the host resolver stopped"))),
        }
    }
}

impl Resolver for CheckedResolver {
    fn resolve(&self, uri: &Uri, _config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(host)) = (uri.scheme(), uri.host()) else {
            return Err(ureq::Error::BadUri(format!("{uri}: no scheme or host")));
        };
        let plain_http = *scheme == Scheme::HTTP;
        if !plain_http && *scheme != Scheme::HTTPS {
            return Err(ureq::Error::BadUri(format!("{uri}: not http or https")));
        }
        let port = uri.port_u16().unwrap_or(if plain_http { 80 } else { 443 });
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let found = self.lookup(host, port, timeout)?;
        // Connect to the URL's port whatever port the resolver reported.
        let found = found.into_iter().map(|a| SocketAddr::new(a.ip(), port)).collect();
        let admitted = self
            .policy
            .admit(host, port, plain_http, found)
            .map_err(|refusal| ureq::Error::Io(io::Error::new(io::ErrorKind::PermissionDenied, refusal)))?;
        let mut addresses = self.empty();
        for address in admitted.into_iter().take(MAX_ADDRESSES) {
            addresses.push(address);
        }
        Ok(addresses)
    }
}

/// How many addresses ureq keeps from a resolver (all are checked).
const MAX_ADDRESSES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(list: &[&str]) -> Vec<SocketAddr> {
        list.iter()
            .map(|ip| SocketAddr::new(ip.parse().unwrap(), 443))
            .collect()
    }

    #[test]
    fn one_non_public_address_refuses_the_host() {
        let policy = Policy::default();
        let found = addresses(&["8.8.8.8", "2606:4700::1111"]);
        assert_eq!(policy.admit("h", 443, false, found.clone()).unwrap(), found);
        for list in [&["8.8.8.8", "127.0.0.1"][..], &["::1"], &["2606:4700::1111", "fd00::1"]] {
            let refusal = policy.admit("h", 443, false, addresses(list)).unwrap_err();
            assert!(matches!(refusal, Refusal::NonPublic { .. }), "{list:?}");
        }
        assert!(matches!(
            policy.admit("h", 443, false, vec![]),
            Err(Refusal::NoAddress { .. })
        ));
    }

    #[test]
    fn an_allowed_host_may_have_any_address_and_no_other_host_may() {
        let policy = Policy {
            allowed_hosts: vec![
                AllowedHost::parse("intranet.example").unwrap(),
                AllowedHost::parse("127.0.0.1:8443").unwrap(),
            ],
            ..Policy::default()
        };
        let private = addresses(&["10.0.0.1", "127.0.0.1"]);
        assert_eq!(
            policy.admit("INTRANET.example", 443, false, private.clone()).unwrap(),
            private
        );
        assert!(policy
            .admit("127.0.0.1", 8443, false, addresses(&["127.0.0.1"]))
            .is_ok());
        for (host, port) in [
            ("127.0.0.1", 443),
            ("evil-127.0.0.1.example", 8443),
            ("a.intranet.example", 443),
            ("intranet.example.evil", 443),
        ] {
            assert!(
                matches!(
                    policy.admit(host, port, false, private.clone()),
                    Err(Refusal::NonPublic { .. })
                ),
                "{host}:{port}"
            );
        }
        // Allowing a host does not allow plain HTTP.
        assert!(matches!(
            policy.admit("intranet.example", 80, true, addresses(&["127.0.0.1"])),
            Err(Refusal::PlainHttp { .. })
        ));
    }

    #[test]
    fn plain_http_needs_the_flag_and_loopback_addresses_only() {
        let open = Policy {
            allow_private: true,
            plain_http_on_loopback: true,
            ..Policy::default()
        };
        assert!(open.admit("h", 443, true, addresses(&["127.0.0.1", "::1"])).is_ok());
        assert!(matches!(
            open.admit("h", 443, true, addresses(&["127.0.0.1", "10.0.0.1"])),
            Err(Refusal::PlainHttp { .. })
        ));
        let no_flag = Policy {
            allow_private: true,
            plain_http_on_loopback: false,
            ..Policy::default()
        };
        assert!(matches!(
            no_flag.admit("h", 443, true, addresses(&["127.0.0.1"])),
            Err(Refusal::PlainHttp { .. })
        ));
        assert!(no_flag.admit("h", 443, false, addresses(&["127.0.0.1"])).is_ok());
    }
}
