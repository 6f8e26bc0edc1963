//! Expanded JSON-LD to RDF quads (JSON-LD 1.1 Processing Algorithms §7.1
//! Node Map Generation and §8 RDF Serialization, done in one walk).
//!
//! The node map only gathers the statements about each node before they are
//! written; the quads are the same when written as the tree is walked. Every
//! blank node is relabelled (`b0`, `b1`, … in walk order), as node map
//! generation does, so that labels written in the document cannot collide
//! with generated ones.

use std::collections::HashMap;

use super::expand::{Item, Literal, LiteralValue, Node};
use super::invalid;
use crate::canon::nquads::{Quad, Term, RDF_LANG_STRING, XSD_STRING};
use crate::error::Result;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// The most quads a document may give. A credential gives a few hundred;
/// the bound keeps a 1 MiB document of list items (two quads and a blank
/// node each) from costing a gigabyte before canonicalization's own work
/// limit applies.
pub const MAX_QUADS: usize = 100_000;

/// Writes quads for expanded items.
#[derive(Default)]
pub(crate) struct RdfWriter {
    pub(crate) quads: Vec<Quad>,
    labels: HashMap<String, String>,
    counter: usize,
    /// Set when a quad past [`MAX_QUADS`] was dropped.
    too_many: bool,
}

impl RdfWriter {
    /// Writes the top-level items into the default graph.
    pub(crate) fn document(&mut self, items: &[Item<'_>]) -> Result<()> {
        for item in items {
            if let Item::Node(node) = item {
                self.node(node, None)?;
            }
            if self.too_many {
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::CanonicalizationLimit,
                    format!("the document gives more than {MAX_QUADS} quads"),
                ));
            }
        }
        Ok(())
    }

    fn fresh(&mut self) -> Term {
        Term::Blank(self.fresh_label())
    }

    fn fresh_label(&mut self) -> String {
        let label = format!("b{}", self.counter);
        self.counter += 1;
        label
    }

    fn identifier(&mut self, id: &str) -> Term {
        match id.strip_prefix("_:") {
            Some(name) => {
                if let Some(label) = self.labels.get(name) {
                    return Term::Blank(label.clone());
                }
                let label = self.fresh_label();
                self.labels.insert(name.to_owned(), label.clone());
                Term::Blank(label)
            }
            None => Term::Iri(id.to_owned()),
        }
    }

    /// Writes a node's statements into `graph` and returns its subject term.
    fn node(&mut self, node: &Node<'_>, graph: Option<&Term>) -> Result<Term> {
        let subject = match &node.id {
            Some(id) => self.identifier(id),
            None => self.fresh(),
        };
        for t in &node.types {
            let object = self.identifier(t);
            self.push(&subject, RDF_TYPE, object, graph);
        }
        for (property, items) in &node.properties {
            if property.starts_with("_:") {
                return Err(invalid("a property cannot be a blank node"));
            }
            for item in items {
                let object = self.object(item, graph)?;
                self.push(&subject, property, object, graph);
            }
        }
        if let Some(items) = &node.graph {
            for item in items {
                match item {
                    Item::Node(inner) => {
                        self.node(inner, Some(&subject))?;
                    }
                    // A value or list directly in a graph would be dropped (safe mode).
                    _ => return Err(invalid("a graph can only hold nodes, not values or lists")),
                }
            }
        }
        Ok(subject)
    }

    fn push(&mut self, subject: &Term, predicate: &str, object: Term, graph: Option<&Term>) {
        if self.quads.len() >= MAX_QUADS {
            self.too_many = true;
            return;
        }
        self.quads.push(Quad {
            subject: subject.clone(),
            predicate: Term::Iri(predicate.to_owned()),
            object,
            graph: graph.cloned(),
        });
    }

    /// §8.2 Object to RDF (and §8.3 List to RDF).
    fn object(&mut self, item: &Item<'_>, graph: Option<&Term>) -> Result<Term> {
        match item {
            Item::Node(node) => self.node(node, graph),
            Item::Value(literal) => literal_term(literal),
            Item::List(items) => {
                if items.is_empty() {
                    return Ok(Term::Iri(RDF_NIL.to_owned()));
                }
                let heads: Vec<Term> = items.iter().map(|_| self.fresh()).collect();
                for (i, element) in items.iter().enumerate() {
                    let first = self.object(element, graph)?;
                    self.push(&heads[i], RDF_FIRST, first, graph);
                    let rest = heads
                        .get(i + 1)
                        .cloned()
                        .unwrap_or_else(|| Term::Iri(RDF_NIL.to_owned()));
                    self.push(&heads[i], RDF_REST, rest, graph);
                }
                Ok(heads[0].clone())
            }
        }
    }
}

fn literal_term(literal: &Literal<'_>) -> Result<Term> {
    let datatype = literal.datatype.as_deref();
    let (value, default_type) = match &literal.value {
        LiteralValue::Json(json) => {
            let canonical = crate::canon::canonicalize(json)?;
            let text = String::from_utf8(canonical).map_err(|_| invalid("JSON literal is not UTF-8"))?;
            return Ok(Term::Literal {
                value: text,
                datatype: RDF_JSON.to_owned(),
                language: None,
            });
        }
        LiteralValue::String(s) => ((*s).to_owned(), XSD_STRING),
        LiteralValue::Bool(b) => (b.to_string(), XSD_BOOLEAN),
        LiteralValue::Number(n) => {
            // A JSON number is an IEEE double, as in JavaScript and RFC 8785:
            // an integer past 2^53 is the double nearest to it (jsonld.js
            // gives the same lexical form), and -0 is 0.
            let f = n
                .as_f64()
                .ok_or_else(|| invalid("a number cannot be written as an RDF literal"))?
                + 0.0;
            if datatype != Some(XSD_DOUBLE) && f.fract() == 0.0 && f.abs() < 1e21 {
                (format!("{f:.0}"), XSD_INTEGER)
            } else {
                (canonical_double(f), XSD_DOUBLE)
            }
        }
    };
    if let Some(language) = &literal.language {
        return Ok(Term::Literal {
            value,
            datatype: RDF_LANG_STRING.to_owned(),
            language: Some(language.clone()),
        });
    }
    Ok(Term::Literal {
        value,
        datatype: datatype.unwrap_or(default_type).to_owned(),
        language: None,
    })
}

/// The canonical lexical form of an `xsd:double` as JSON-LD writes it: one
/// digit before the point, at least one after, 16 significant digits at
/// most, and an exponent without `+` or leading zeros (`4.925E1`).
pub(crate) fn canonical_double(f: f64) -> String {
    let f = f + 0.0; // -0 is written as 0
    let text = format!("{f:.15e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            let trimmed = fraction.trim_end_matches('0');
            format!("{whole}.{}", if trimmed.is_empty() { "0" } else { trimmed })
        }
        None => format!("{mantissa}.0"),
    };
    format!("{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests {
    use super::canonical_double;

    #[test]
    fn doubles_in_canonical_form() {
        assert_eq!(canonical_double(49.25), "4.925E1");
        assert_eq!(canonical_double(-123.1), "-1.231E2");
        assert_eq!(canonical_double(0.0), "0.0E0");
        assert_eq!(canonical_double(-0.0), "0.0E0");
        assert_eq!(canonical_double(1.1), "1.1E0");
        assert_eq!(canonical_double(1e21), "1.0E21");
        assert_eq!(canonical_double(0.000001), "1.0E-6");
        // 16 significant digits, as JavaScript's toExponential(15).
        assert_eq!(canonical_double(0.1 + 0.2), "3.0E-1");
    }
}
