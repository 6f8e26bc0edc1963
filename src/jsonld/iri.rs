//! IRIs, keywords and language tags as JSON-LD 1.1 uses them (Syntax §1.7,
//! §9.2; Processing Algorithms §5.2), and the small `@base` resolution
//! passerelle needs.

use super::invalid;
use crate::error::{quoted, Result};

/// The keywords of JSON-LD 1.1.
pub(crate) fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "@base"
            | "@container"
            | "@context"
            | "@default"
            | "@direction"
            | "@embed"
            | "@explicit"
            | "@graph"
            | "@id"
            | "@import"
            | "@included"
            | "@index"
            | "@json"
            | "@language"
            | "@list"
            | "@nest"
            | "@none"
            | "@omitDefault"
            | "@prefix"
            | "@preserve"
            | "@propagate"
            | "@protected"
            | "@requireAll"
            | "@reverse"
            | "@set"
            | "@type"
            | "@value"
            | "@version"
            | "@vocab"
    )
}

/// `@` followed by ASCII letters only: reserved for future keywords, ignored.
pub(crate) fn looks_like_keyword(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// An absolute IRI: a scheme (RFC 3987 §2.2) followed by `:`, and no
/// character that N-Quads cannot write in an IRI.
pub(crate) fn is_absolute_iri(s: &str) -> bool {
    let writable = s
        .chars()
        .all(|c| !(c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\')));
    writable && has_scheme(s)
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(end) if end > 0 => {
            let scheme = &s.as_bytes()[..end];
            scheme[0].is_ascii_alphabetic()
                && scheme
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        }
        _ => false,
    }
}

/// A well-formed language tag (BCP 47 syntax: letters, then `-` and
/// alphanumeric subtags), in lower case as JSON-LD processors normalize it.
pub(crate) fn language_tag(tag: &str) -> Result<String> {
    let mut subtags = tag.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok = subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(tag.to_ascii_lowercase())
    } else {
        Err(invalid(format!("{} is not a language tag", quoted(tag))))
    }
}

/// The byte index of the first `:` after the first character, if any.
pub(crate) fn colon_after_first(s: &str) -> Option<usize> {
    s.bytes().skip(1).position(|b| b == b':').map(|i| i + 1)
}

pub(crate) fn is_blank_node(s: &str) -> bool {
    s.starts_with("_:")
}

/// A minimal reference resolution (RFC 3986 §5.2) for `@base`: fragments,
/// queries and absolute paths; other relative references are appended to
/// the base's directory.
pub(crate) fn resolve_against(base: &str, reference: &str) -> String {
    let without_fragment = base.split('#').next().unwrap_or(base);
    if reference.starts_with('#') {
        return format!("{without_fragment}{reference}");
    }
    let without_query = without_fragment.split('?').next().unwrap_or(without_fragment);
    if reference.starts_with('?') {
        return format!("{without_query}{reference}");
    }
    let authority_end = without_query
        .find("://")
        .map(|i| i + 3 + without_query[i + 3..].find('/').unwrap_or(without_query.len() - i - 3))
        .unwrap_or(0);
    if reference.starts_with('/') {
        return format!("{}{reference}", &without_query[..authority_end]);
    }
    let dir_end = without_query.rfind('/').map(|i| i + 1).unwrap_or(without_query.len());
    let dir_end = dir_end.max(authority_end);
    format!(
        "{}{}{reference}",
        &without_query[..dir_end],
        if dir_end == authority_end { "/" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_iris_need_a_scheme() {
        assert!(is_absolute_iri("https://example.org/x"));
        assert!(is_absolute_iri("urn:uuid:1"));
        assert!(is_absolute_iri("did:key:z6Mk"));
        assert!(!is_absolute_iri("relative/path"));
        assert!(!is_absolute_iri(":x"));
        assert!(!is_absolute_iri("1a:b"));
    }

    #[test]
    fn keywords_and_keyword_lookalikes() {
        assert!(is_keyword("@id"));
        assert!(!is_keyword("@foo"));
        assert!(looks_like_keyword("@foo"));
        assert!(!looks_like_keyword("@foo1"));
        assert!(!looks_like_keyword("@"));
    }

    #[test]
    fn base_resolution() {
        assert_eq!(
            resolve_against("https://a.example/b/c", "#f"),
            "https://a.example/b/c#f"
        );
        assert_eq!(resolve_against("https://a.example/b/c", "/d"), "https://a.example/d");
        assert_eq!(resolve_against("https://a.example/b/c", "d"), "https://a.example/b/d");
        assert_eq!(resolve_against("https://a.example", "d"), "https://a.example/d");
    }
}
