//! The `did:web` method: mapping between a DID and the HTTPS URL of its
//! document. Fetching is left to the caller (or to the `native` resolver);
//! the documents go into a [`StaticResolver`](super::StaticResolver).

use super::validate_did;
use crate::error::{Error, ErrorCode, Result};

fn invalid(did: &str, why: &str) -> Error {
    let shown: String = did.chars().take(80).collect();
    Error::new(ErrorCode::DidInvalid, format!("{shown}: {why}"))
}

/// The HTTPS URL of the document of a `did:web` (Read, steps 1–5).
///
/// ```
/// use passerelle::did::web::document_url;
/// assert_eq!(document_url("did:web:w3c-ccg.github.io").unwrap(),
///            "https://w3c-ccg.github.io/.well-known/did.json");
/// assert_eq!(document_url("did:web:example.com%3A3000:user:alice").unwrap(),
///            "https://example.com:3000/user/alice/did.json");
/// ```
pub fn document_url(did: &str) -> Result<String> {
    validate_did(did)?;
    let id = did
        .strip_prefix("did:web:")
        .ok_or_else(|| invalid(did, "not a did:web"))?;
    let mut segments = id.split(':');
    let authority = segments.next().unwrap_or_default();
    let (host, port) = match authority.split_once("%3A").or_else(|| authority.split_once("%3a")) {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    check_host(did, host)?;
    if let Some(port) = port {
        if port.is_empty()
            || port.len() > 5
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err()
        {
            return Err(invalid(did, "the port must be a number"));
        }
    }
    let path: Vec<&str> = segments.collect();
    if path.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(invalid(did, "empty or dot path segment"));
    }
    let mut url = format!("https://{host}");
    if let Some(port) = port {
        url.push(':');
        url.push_str(port);
    }
    if path.is_empty() {
        url.push_str("/.well-known");
    } else {
        for segment in path {
            url.push('/');
            url.push_str(segment);
        }
    }
    url.push_str("/did.json");
    Ok(url)
}

/// The `did:web` whose document is served at `url` (the inverse of
/// [`document_url`]).
pub fn did_for_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| invalid(url, "not an https URL"))?;
    let rest = rest
        .strip_suffix("/did.json")
        .ok_or_else(|| invalid(url, "does not end in /did.json"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut did = format!("did:web:{}", authority.replacen(':', "%3A", 1));
    if path != ".well-known" {
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            did.push(':');
            did.push_str(segment);
        }
    }
    document_url(&did)?;
    Ok(did)
}

fn check_host(did: &str, host: &str) -> Result<()> {
    if host.is_empty() || host.len() > 253 {
        return Err(invalid(did, "missing or overlong domain name"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    for label in &labels {
        let ok_chars = label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if label.is_empty() || label.len() > 63 || !ok_chars || label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(did, "not a domain name"));
        }
    }
    // The method forbids IP addresses: a name whose last label is numeric is one.
    if labels.last().is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return Err(invalid(did, "IP addresses are not allowed"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples_map_both_ways() {
        for (did, url) in [
            (
                "did:web:w3c-ccg.github.io",
                "https://w3c-ccg.github.io/.well-known/did.json",
            ),
            (
                "did:web:w3c-ccg.github.io:user:alice",
                "https://w3c-ccg.github.io/user/alice/did.json",
            ),
            (
                "did:web:example.com%3A3000:user:alice",
                "https://example.com:3000/user/alice/did.json",
            ),
        ] {
            assert_eq!(document_url(did).unwrap(), url);
            assert_eq!(did_for_url(url).unwrap(), did);
        }
    }

    #[test]
    fn refuses_ip_addresses_bad_ports_and_paths() {
        for bad in [
            "did:web:127.0.0.1",
            "did:web:example.com%3A99999",
            "did:web:example.com%3Ax",
            "did:web:-bad.example",
            "did:web:a..example",
            "did:key:z6Mk",
            "did:web:example.com:..:x",
        ] {
            assert_eq!(document_url(bad).unwrap_err().code(), ErrorCode::DidInvalid, "{bad}");
        }
    }
}
