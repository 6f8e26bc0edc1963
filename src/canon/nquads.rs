//! RDF quads and their N-Quads text: a reader for the test suite's input
//! files and the canonical n-quads form that RDFC-1.0 hashes and returns.

use crate::error::{Error, ErrorCode, Result};

/// `xsd:string`, the datatype a plain literal has (not written out).
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `rdf:langString`, the datatype of a literal with a language tag.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// An RDF term.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// An IRI (without the angle brackets).
    Iri(String),
    /// A blank node, by its label in the input (without `_:`).
    Blank(String),
    /// A literal.
    Literal {
        /// The lexical form.
        value: String,
        /// The datatype IRI.
        datatype: String,
        /// The language tag, for `rdf:langString` literals.
        language: Option<String>,
    },
}

/// A quad: a triple in a graph (the default graph when `graph` is `None`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quad {
    /// The subject (an IRI or a blank node).
    pub subject: Term,
    /// The predicate (an IRI).
    pub predicate: Term,
    /// The object.
    pub object: Term,
    /// The graph name (an IRI or a blank node), if not the default graph.
    pub graph: Option<Term>,
}

fn invalid(line: usize, why: &str) -> Error {
    Error::new(ErrorCode::NquadsMalformed, format!("N-Quads line {line}: {why}"))
}

/// The largest N-Quads document [`parse`] reads (16 MiB).
pub const MAX_NQUADS_BYTES: usize = 16 * 1024 * 1024;

/// Reads an N-Quads document (one quad per line; comments and blank lines
/// allowed); `NQUADS_MALFORMED` otherwise, `INPUT_TOO_LARGE` past
/// [`MAX_NQUADS_BYTES`].
pub fn parse(text: &str) -> Result<Vec<Quad>> {
    if text.len() > MAX_NQUADS_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{} bytes of N-Quads, limit {MAX_NQUADS_BYTES}", text.len()),
        ));
    }
    let mut quads = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut reader = Reader {
            rest: line.trim_start(),
            line: number + 1,
        };
        if reader.rest.is_empty() || reader.rest.starts_with('#') {
            continue;
        }
        let subject = reader.term()?;
        let predicate = reader.term()?;
        let object = reader.term()?;
        reader.skip_space();
        let graph = if reader.rest.starts_with('.') {
            None
        } else {
            Some(reader.term()?)
        };
        reader.skip_space();
        let Some(after) = reader.rest.strip_prefix('.') else {
            return Err(invalid(reader.line, "a quad ends with ."));
        };
        let after = after.trim_start();
        if !(after.is_empty() || after.starts_with('#')) {
            return Err(invalid(reader.line, "text after the final ."));
        }
        if matches!(subject, Term::Literal { .. }) || !matches!(predicate, Term::Iri(_)) {
            return Err(invalid(
                reader.line,
                "a subject is an IRI or blank node, a predicate an IRI",
            ));
        }
        if matches!(graph, Some(Term::Literal { .. })) {
            return Err(invalid(reader.line, "a graph name is an IRI or blank node"));
        }
        quads.push(Quad {
            subject,
            predicate,
            object,
            graph,
        });
    }
    Ok(quads)
}

struct Reader<'a> {
    rest: &'a str,
    line: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start_matches([' ', '\t']);
    }

    fn term(&mut self) -> Result<Term> {
        self.skip_space();
        let line = self.line;
        if let Some(rest) = self.rest.strip_prefix('<') {
            let end = rest.find('>').ok_or_else(|| invalid(line, "unterminated IRI"))?;
            self.rest = &rest[end + 1..];
            let iri = unescape(&rest[..end], line)?;
            // IRIREF's excluded characters stay excluded when written as \u escapes.
            if iri.chars().any(|c| c <= ' ' || "<>\"{}|^`\\".contains(c)) {
                return Err(invalid(line, "a character IRIs cannot hold"));
            }
            return Ok(Term::Iri(iri));
        }
        if let Some(rest) = self.rest.strip_prefix("_:") {
            let end = rest.find([' ', '\t']).unwrap_or(rest.len());
            let label = rest[..end].trim_end_matches('.');
            if label.is_empty() {
                return Err(invalid(line, "empty blank node label"));
            }
            self.rest = &rest[label.len()..];
            return Ok(Term::Blank(label.to_owned()));
        }
        if let Some(rest) = self.rest.strip_prefix('"') {
            let mut end = None;
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.ok_or_else(|| invalid(line, "unterminated literal"))?;
            let value = unescape(&rest[..end], line)?;
            self.rest = &rest[end + 1..];
            if let Some(tagged) = self.rest.strip_prefix('@') {
                let end = tagged.find([' ', '\t']).unwrap_or(tagged.len());
                let language = tagged[..end].to_owned();
                self.rest = &tagged[end..];
                return Ok(Term::Literal {
                    value,
                    datatype: RDF_LANG_STRING.to_owned(),
                    language: Some(language),
                });
            }
            if let Some(typed) = self.rest.strip_prefix("^^") {
                self.rest = typed;
                let Term::Iri(datatype) = self.term()? else {
                    return Err(invalid(line, "a datatype is an IRI"));
                };
                return Ok(Term::Literal {
                    value,
                    datatype,
                    language: None,
                });
            }
            return Ok(Term::Literal {
                value,
                datatype: XSD_STRING.to_owned(),
                language: None,
            });
        }
        Err(invalid(line, "expected <IRI>, _:blank or \"literal\""))
    }
}

/// Decodes ECHAR (`\t \b \n \r \f \" \' \\`) and UCHAR (`\uXXXX`, `\UXXXXXXXX`).
fn unescape(text: &str, line: usize) -> Result<String> {
    if !text.contains('\\') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next() {
            Some('t') => '\t',
            Some('b') => '\u{8}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('f') => '\u{c}',
            Some('"') => '"',
            Some('\'') => '\'',
            Some('\\') => '\\',
            Some(u @ ('u' | 'U')) => {
                let width = if u == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(width).collect();
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == width)
                    .and_then(char::from_u32)
                    .ok_or_else(|| invalid(line, "bad \\u escape"))?
            }
            _ => return Err(invalid(line, "bad escape")),
        };
        out.push(decoded);
    }
    Ok(out)
}

/// Appends `term` in canonical n-quads form; blank nodes are written with
/// the label `label` gives them.
pub(crate) fn write_term(term: &Term, label: &dyn Fn(&str) -> String, out: &mut String) {
    match term {
        Term::Iri(iri) => {
            out.push('<');
            out.push_str(iri);
            out.push('>');
        }
        Term::Blank(name) => {
            out.push_str("_:");
            out.push_str(&label(name));
        }
        Term::Literal {
            value,
            datatype,
            language,
        } => {
            out.push('"');
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    '\u{0}'..='\u{1f}' | '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            match language {
                Some(language) => {
                    out.push('@');
                    out.push_str(language);
                }
                None if datatype != XSD_STRING => {
                    out.push_str("^^<");
                    out.push_str(datatype);
                    out.push('>');
                }
                None => {}
            }
        }
    }
}

/// Appends `quad` in canonical n-quads form, ending with a line feed.
pub(crate) fn write_quad(quad: &Quad, label: &dyn Fn(&str) -> String, out: &mut String) {
    write_term(&quad.subject, label, out);
    out.push(' ');
    write_term(&quad.predicate, label, out);
    out.push(' ');
    write_term(&quad.object, label, out);
    if let Some(graph) = &quad.graph {
        out.push(' ');
        write_term(graph, label, out);
    }
    out.push_str(" .\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_every_kind_of_term() {
        let text = "<http://a.example/s> <http://a.example/p> \"caf\\u00E9\\n\\\"x\\\"\"@fr _:g1 .\n\
                    _:b0 <http://a.example/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
                    # a comment\n\n\
                    _:b0 <http://a.example/p> \"plain\"^^<http://www.w3.org/2001/XMLSchema#string> .\n";
        let quads = parse(text).unwrap();
        assert_eq!(quads.len(), 3);
        let mut out = String::new();
        for quad in &quads {
            write_quad(quad, &|name| name.to_owned(), &mut out);
        }
        assert_eq!(
            out,
            "<http://a.example/s> <http://a.example/p> \"café\\n\\\"x\\\"\"@fr _:g1 .\n\
             _:b0 <http://a.example/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
             _:b0 <http://a.example/p> \"plain\" .\n"
        );
    }

    #[test]
    fn refuses_oversize_documents() {
        let big = "#".repeat(MAX_NQUADS_BYTES + 1);
        assert_eq!(parse(&big).unwrap_err().code(), ErrorCode::InputTooLarge);
    }

    proptest::proptest! {
        #[test]
        fn written_quads_read_back_equal(
            value in "(?s).{0,12}",
            language in proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
            label in "[a-z][a-z0-9]{0,5}",
        ) {
            let quad = Quad {
                subject: Term::Blank(label),
                predicate: Term::Iri("http://example.org/p".into()),
                object: Term::Literal {
                    datatype: if language.is_some() { RDF_LANG_STRING.into() } else { XSD_STRING.into() },
                    value,
                    language,
                },
                graph: Some(Term::Iri("http://example.org/g".into())),
            };
            let mut text = String::new();
            write_quad(&quad, &|name| name.to_owned(), &mut text);
            proptest::prop_assert_eq!(parse(&text).unwrap(), vec![quad]);
        }
    }

    #[test]
    fn refuses_broken_lines() {
        for bad in [
            "<a> <b> .",
            "\"lit\" <p> <o> .",
            "<s> _:p <o> .",
            "<s> <p> \"open .",
            "<s> <p> <o> <g> <h> .",
            "<s> <p> <o>",
            "<s> <p> <a\\u003Eb> .",
            "<s> <p> <a b> .",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
