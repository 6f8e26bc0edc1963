//! JSON pointers (RFC 6901), read strictly: the one reading every caller
//! of a pointer (required claims, selective disclosure) shares.

/// The unescaped reference tokens of `pointer` (RFC 6901 §3, §4): none
/// for the empty pointer (the whole document); `None` when it does not
/// start with `/` or a `~` is not followed by `0` or `1`.
pub(crate) fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    },
                    c => out.push(c),
                }
            }
            Some(out)
        })
        .collect()
}

/// `base` followed by one more reference token, `segment` escaped
/// (`~` as `~0`, `/` as `~1`).
pub(crate) fn pointer_join(base: &str, segment: &str) -> String {
    format!("{base}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

/// An array index as RFC 6901 writes it: `0`, or digits without a leading zero.
pub(crate) fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    (canonical && token.bytes().all(|b| b.is_ascii_digit())).then(|| token.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unescaped_and_malformed_pointers_refused() {
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(
            tokens("/a~1b/~0c/"),
            Some(vec!["a/b".into(), "~c".into(), String::new()])
        );
        for bad in ["a", "/~", "/~2", "/x~"] {
            assert_eq!(tokens(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_joined_token_reads_back_as_written() {
        let joined = pointer_join("/a", "b/c~d");
        assert_eq!(joined, "/a/b~1c~0d");
        assert_eq!(tokens(&joined), Some(vec!["a".into(), "b/c~d".into()]));
    }

    #[test]
    fn array_indexes_have_no_leading_zero() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        for bad in ["", "01", "-1", "1a", "+1"] {
            assert_eq!(array_index(bad), None, "{bad}");
        }
    }
}
