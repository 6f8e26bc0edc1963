//! Hosts the operator allows explicitly (`--allow-host`): a host on the
//! list may be reached at any address it resolves to, private and loopback
//! included; every other host keeps the [`super::address`] checks.
//!
//! A name matches exactly (ASCII case aside): `127.0.0.1` allows neither
//! `evil-127.0.0.1.example` nor `localhost`, and `status.example` allows
//! neither `a.status.example` nor `status.example.` (no suffixes, no
//! wildcards). With a port (`status.example:8443`, `[::1]:8443`) only that
//! port is allowed.

use std::fmt;
use std::net::Ipv6Addr;

use crate::error::{quoted, Error, ErrorCode, Result};

/// One allowed host: a name (lowercase) or an IP address, and optionally a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedHost {
    /// The host as a URL writes it, lowercase, IPv6 without brackets.
    host: String,
    /// The only port allowed, if one was given.
    port: Option<u16>,
}

impl AllowedHost {
    /// Reads `name`, `name:port`, an IPv4 address (with or without a port),
    /// an IPv6 address (`::1`, `[::1]` or `[::1]:8443`).
    ///
    /// ```
    /// use passerelle::net::allow::AllowedHost;
    /// let host = AllowedHost::parse("Status.Example:8443").unwrap();
    /// assert!(host.matches("status.example", 8443));
    /// assert!(!host.matches("status.example", 443));
    /// assert!(AllowedHost::parse("*.example").is_err());
    /// ```
    /// `OPTION_INVALID` for anything else, saying why.
    pub fn parse(text: &str) -> Result<Self> {
        let refuse = |why: &str| {
            Error::new(
                ErrorCode::OptionInvalid,
                format!("allowed host {}: {why}", quoted(text)),
            )
        };
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (address, after) = rest
                .split_once(']')
                .ok_or_else(|| refuse("an IPv6 address opened with [ needs its ]"))?;
            address
                .parse::<Ipv6Addr>()
                .map_err(|_| refuse("not an IPv6 address between [ and ]"))?;
            let port = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| refuse("after ] only :PORT may follow"))?,
                ),
            };
            (address, port)
        } else if text.matches(':').count() > 1 {
            text.parse::<Ipv6Addr>()
                .map_err(|_| refuse("not a host name, an IP address or HOST:PORT"))?;
            (text, None)
        } else {
            match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        if host.is_empty() {
            return Err(refuse("the host is empty"));
        }
        if !host.contains(':')
            && !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err(refuse(
                "a host name holds letters, digits, '-', '.' and '_' only (no scheme, path, wildcard or space)",
            ));
        }
        let port = match port {
            None => None,
            Some(port) => Some(
                port.parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0 && port.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| refuse("the port must be a number from 1 to 65535"))?,
            ),
        };
        Ok(AllowedHost {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether a URL's `host` (IPv6 without brackets) and `port` are this
    /// allowed host: the same name, ASCII case aside, and the same port when
    /// one was given.
    pub fn matches(&self, host: &str, port: u16) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case(&self.host) && self.port.is_none_or(|p| p == port)
    }
}

impl fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.host.contains(':'), self.port) {
            (true, Some(port)) => write!(f, "[{}]:{port}", self.host),
            (false, Some(port)) => write!(f, "{}:{port}", self.host),
            _ => f.write_str(&self.host),
        }
    }
}

impl std::str::FromStr for AllowedHost {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        AllowedHost::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_exactly_case_aside_and_never_by_suffix() {
        let host = AllowedHost::parse("127.0.0.1").unwrap();
        assert!(host.matches("127.0.0.1", 443));
        assert!(host.matches("127.0.0.1", 8443));
        for other in [
            "evil-127.0.0.1.example",
            "127.0.0.1.example",
            "x127.0.0.1",
            "127.0.0.10",
            "localhost",
        ] {
            assert!(!host.matches(other, 443), "{other}");
        }
        let name = AllowedHost::parse("Status.EXAMPLE").unwrap();
        assert!(name.matches("status.example", 443));
        assert!(name.matches("STATUS.example", 443));
        assert!(!name.matches("a.status.example", 443));
        assert!(!name.matches("status.example.", 443));
        assert!(!name.matches("evilstatus.example", 443));
    }

    #[test]
    fn a_port_limits_the_match_to_that_port() {
        let host = AllowedHost::parse("localhost:8443").unwrap();
        assert!(host.matches("localhost", 8443));
        assert!(!host.matches("localhost", 443));
        let v6 = AllowedHost::parse("[::1]:8443").unwrap();
        assert!(v6.matches("::1", 8443));
        assert!(v6.matches("[::1]", 8443));
        assert!(!v6.matches("::1", 443));
        assert!(AllowedHost::parse("::1").unwrap().matches("::1", 1));
        assert!(AllowedHost::parse("[::1]").unwrap().matches("::1", 1));
        assert_eq!(v6.to_string(), "[::1]:8443");
        assert_eq!(AllowedHost::parse("A.example:1").unwrap().to_string(), "a.example:1");
    }

    #[test]
    fn malformed_values_are_refused() {
        for text in [
            "",
            ":443",
            "*.example",
            "https://status.example",
            "status.example/lists",
            "a b",
            "user@host",
            "host:0",
            "host:65536",
            "host:+1",
            "host:",
            "[::1",
            "[nothost]",
            "[::1]8443",
            "::g",
        ] {
            let refused = AllowedHost::parse(text).unwrap_err();
            assert_eq!(refused.code(), ErrorCode::OptionInvalid, "{text:?}");
        }
    }
}
