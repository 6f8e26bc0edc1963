//! DID URLs (DID Core §3.2): a DID, then an optional path, query and
//! fragment, each checked against the RFC 3986 characters DID Core allows.

use crate::error::{quoted, Error, ErrorCode, Result};

/// Longest DID URL read, in bytes. The longest DIDs passerelle resolves are
/// `did:jwk`s ([`crate::did::jwk::MAX_DID_JWK_CHARS`]); a fragment naming a
/// did:key method doubles a did:key, far below this.
pub const MAX_DID_URL_BYTES: usize = 4096;

/// A DID URL split into its parts; the parts borrow the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DidUrl<'a> {
    /// The DID (checked with [`crate::did::validate_did`]).
    pub did: &'a str,
    /// The path, with its leading `/`; empty when there is none.
    pub path: &'a str,
    /// The query, without its `?`.
    pub query: Option<&'a str>,
    /// The fragment, without its `#`.
    pub fragment: Option<&'a str>,
}

impl DidUrl<'_> {
    /// Whether this is a DID alone (no path, query or fragment).
    pub fn is_did(&self) -> bool {
        self.path.is_empty() && self.query.is_none() && self.fragment.is_none()
    }

    /// Whether the URL has a path or a query (which `did:key` and
    /// `did:jwk` do not define).
    pub fn has_path_or_query(&self) -> bool {
        !self.path.is_empty() || self.query.is_some()
    }
}

/// Splits and checks a DID or DID URL: `DID_INVALID` when the DID part is
/// malformed, `DID_URL_INVALID` when the path, query or fragment is, or
/// when the input is longer than [`MAX_DID_URL_BYTES`].
///
/// ```
/// use passerelle::did::resolution::parse_did_url;
/// let url = parse_did_url("did:web:a.example/path?x=1#key-1").unwrap();
/// assert_eq!((url.did, url.path, url.query, url.fragment),
///            ("did:web:a.example", "/path", Some("x=1"), Some("key-1")));
/// ```
pub fn parse_did_url(text: &str) -> Result<DidUrl<'_>> {
    let end = text.find(['/', '?', '#']).unwrap_or(text.len());
    let (did, rest) = text.split_at(end);
    if text.len() > MAX_DID_URL_BYTES {
        let code = if rest.is_empty() {
            ErrorCode::DidInvalid
        } else {
            ErrorCode::DidUrlInvalid
        };
        return Err(Error::new(
            code,
            format!("{} bytes: longer than {MAX_DID_URL_BYTES}", text.len()),
        ));
    }
    crate::did::validate_did(did)?;
    let (rest, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    check_part(path, "path", |b| b == b'/')?;
    if let Some(query) = query {
        check_part(query, "query", |b| b == b'/' || b == b'?')?;
    }
    if let Some(fragment) = fragment {
        check_part(fragment, "fragment", |b| b == b'/' || b == b'?')?;
    }
    Ok(DidUrl {
        did,
        path,
        query,
        fragment,
    })
}

/// Checks that `part` is made of RFC 3986 `pchar`s (unreserved, sub-delims,
/// `:`, `@`, percent-escapes) and the extra characters `also` allows.
fn check_part(part: &str, name: &str, also: impl Fn(u8) -> bool) -> Result<()> {
    let invalid = |why: &str| {
        let shown: String = part.chars().take(80).collect();
        Error::new(ErrorCode::DidUrlInvalid, format!("{name} {}: {why}", quoted(&shown)))
    };
    let bytes = part.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            match bytes.get(i + 1..i + 3) {
                Some(hex) if hex.iter().all(u8::is_ascii_hexdigit) => i += 3,
                _ => return Err(invalid("bad percent-escape")),
            }
            continue;
        }
        let pchar = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        if !pchar && !also(b) {
            return Err(invalid("character not allowed in a DID URL"));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_every_part() {
        let url = parse_did_url("did:key:z6Mk/a/b?q=1/?#f/?").unwrap();
        assert_eq!(url.did, "did:key:z6Mk");
        assert_eq!(url.path, "/a/b");
        assert_eq!(url.query, Some("q=1/?"));
        assert_eq!(url.fragment, Some("f/?"));
        assert!(!url.is_did() && url.has_path_or_query());
        let plain = parse_did_url("did:key:z6Mk").unwrap();
        assert!(plain.is_did());
        let empty_fragment = parse_did_url("did:key:z6Mk#").unwrap();
        assert_eq!(empty_fragment.fragment, Some(""));
    }

    #[test]
    fn refuses_bad_parts_with_the_code_of_the_part() {
        for bad in [
            "did:key:z6Mk/^bar^/?query=`#x",
            "did:key:z6Mk#a b",
            "did:key:z6Mk#a#b",
            "did:key:z6Mk?%zz",
            "did:key:z6Mk/%4",
        ] {
            assert_eq!(
                parse_did_url(bad).unwrap_err().code(),
                ErrorCode::DidUrlInvalid,
                "{bad}"
            );
        }
        for bad in ["did:key:", "key:z6Mk#x", "did:Key:z#x", ""] {
            assert_eq!(parse_did_url(bad).unwrap_err().code(), ErrorCode::DidInvalid, "{bad}");
        }
        let long = format!("did:key:{}", "z".repeat(MAX_DID_URL_BYTES));
        assert_eq!(parse_did_url(&long).unwrap_err().code(), ErrorCode::DidInvalid);
        assert_eq!(
            parse_did_url(&format!("{long}#x")).unwrap_err().code(),
            ErrorCode::DidUrlInvalid
        );
    }
}
