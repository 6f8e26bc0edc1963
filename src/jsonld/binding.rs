//! Acting only on what was signed, for the JSON-LD suites.
//!
//! An `*-rdfc-*` signature covers the canonical N-Quads of a document, and
//! many JSON spellings of a document give the same N-Quads: a member can be
//! written under its term, its IRI or a compact IRI, a keyword can stand for
//! its alias, a literal can be a value object. The verifier reads members by
//! their terms, so a spelling that moves a value out of the term it reads
//! would let the verifier act on something other than what was signed (a
//! status entry it does not see, a `validUntil` it does not read).
//!
//! The check here makes that impossible for the members listed in a
//! [`Member`] table: it builds a *view* of the document holding only the
//! members the verifier reads, spelled as it reads them, expands both, and
//! requires that for every IRI those members stand for, the view and the
//! signed document hold the same values. A value the verifier would not
//! see, or one that means something else than the verifier reads, is
//! refused with `SIGNED_FORM_MISMATCH`.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::expand::{Item, LiteralValue, Node};
use crate::error::{Error, ErrorCode, Result};

/// A member the verifier reads: its term, the IRI the VC contexts give it,
/// and how much of its value the verifier reads.
#[derive(Debug)]
pub struct Member {
    /// The JSON key the verifier reads.
    pub term: &'static str,
    /// The IRI (or keyword, `@id` / `@type`) the term stands for.
    pub iri: &'static str,
    /// What of the value is compared.
    pub shape: Shape,
}

/// How much of a member's value the verifier reads.
#[derive(Debug)]
pub enum Shape {
    /// All of it (a literal, a reference, or a structure read as a whole).
    Whole,
    /// Objects of which only these members are read (and compared).
    Nodes(&'static [Member]),
}

fn mismatch(detail: String) -> Error {
    Error::new(ErrorCode::SignedFormMismatch, detail)
}

/// The document as the verifier reads it: `@context` and the listed
/// members under their terms, nested objects cut to their listed members.
pub(crate) fn view(document: &Map<String, Value>, members: &[Member]) -> Map<String, Value> {
    let mut out = Map::with_capacity(members.len() + 1);
    if let Some(context) = document.get("@context") {
        out.insert("@context".into(), context.clone());
    }
    for member in members {
        if let Some(value) = document.get(member.term) {
            out.insert(member.term.into(), cut(value, &member.shape));
        }
    }
    out
}

fn cut(value: &Value, shape: &Shape) -> Value {
    match (shape, value) {
        (Shape::Nodes(members), Value::Object(object)) => Value::Object(view(object, members)),
        (Shape::Nodes(_), Value::Array(items)) => Value::Array(items.iter().map(|v| cut(v, shape)).collect()),
        _ => value.clone(),
    }
}

/// Checks that the signed document (`signed`, expanded) and the view of it
/// (`read`, expanded) say the same for every member in `members`.
pub(crate) fn compare(signed: &[Item<'_>], read: &[Item<'_>], members: &[Member]) -> Result<()> {
    match (signed, read) {
        ([Item::Node(signed)], [Item::Node(read)]) => compare_nodes(signed, read, members, ""),
        _ => Err(mismatch("the document is not one JSON-LD node".into())),
    }
}

fn compare_nodes(signed: &Node<'_>, read: &Node<'_>, members: &[Member], path: &str) -> Result<()> {
    let at = |term: &str| {
        if path.is_empty() {
            term.to_owned()
        } else {
            format!("{path}.{term}")
        }
    };
    let reads = |keyword: &str| members.iter().any(|m| m.iri == keyword);
    if reads("@id") && signed.id != read.id {
        return Err(mismatch(format!("{} differs from the signed identifier", at("id"))));
    }
    if reads("@type") && all_types(signed) != all_types(read) {
        return Err(mismatch(format!("{} differs from the signed types", at("type"))));
    }
    if signed.graph.is_some() != read.graph.is_some() {
        return Err(mismatch(format!(
            "{} has a graph the verifier does not read",
            at("@graph")
        )));
    }
    // Every IRI a listed member stands for, and every IRI the read members
    // expanded to (a term a context maps elsewhere is compared there).
    let mut iris: Vec<&str> = members
        .iter()
        .map(|m| m.iri)
        .filter(|iri| !iri.starts_with('@'))
        .collect();
    iris.extend(read.properties.iter().map(|(p, _)| &**p));
    iris.sort_unstable();
    iris.dedup();
    for iri in iris {
        let member = members.iter().find(|m| m.iri == iri);
        let name = member.map_or(iri, |m| m.term);
        let (signed_values, read_values) = (values(signed, iri), values(read, iri));
        let same = match member.map(|m| &m.shape) {
            Some(Shape::Nodes(nested)) => same_nodes(signed_values, read_values, nested, &at(name))?,
            _ => sorted(signed_values.iter().map(describe)) == sorted(read_values.iter().map(describe)),
        };
        if !same {
            return Err(mismatch(format!(
                "{} does not hold what was signed under <{iri}>",
                at(name)
            )));
        }
    }
    Ok(())
}

/// Nested nodes read member by member: each read node must match one
/// signed node (in any order) and the counts must agree.
fn same_nodes(signed: &[Item<'_>], read: &[Item<'_>], members: &[Member], path: &str) -> Result<bool> {
    if signed.len() != read.len() {
        return Ok(false);
    }
    let mut unmatched: Vec<&Item<'_>> = signed.iter().collect();
    for item in read {
        let position = unmatched.iter().position(|candidate| match (candidate, item) {
            (Item::Node(s), Item::Node(r)) => compare_nodes(s, r, members, path).is_ok(),
            (s, r) => describe(s) == describe(r),
        });
        match position {
            Some(i) => {
                unmatched.swap_remove(i);
            }
            None => {
                // Name the first difference found, when the shapes are nodes.
                if let (Some(Item::Node(s)), Item::Node(r)) = (unmatched.first(), item) {
                    compare_nodes(s, r, members, path)?;
                }
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// `rdf:type` written as a property states a type as `@type` does: both are
/// the types of the node.
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

fn all_types(node: &Node<'_>) -> Vec<String> {
    let stated = values(node, RDF_TYPE).iter().map(|item| match item {
        Item::Node(Node { id: Some(id), .. }) => id.to_string(),
        other => describe(other),
    });
    sorted(node.types.iter().map(|t| t.to_string()).chain(stated))
}

/// `document` without the context definitions it carries itself (inline
/// `@context` objects, at any depth): only context URLs, which the verifier
/// loads from its own bundled or supplied documents.
pub(crate) fn without_inline_contexts(document: &Value) -> Value {
    match document {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(key, value)| {
                    if key != "@context" {
                        return Some((key.clone(), without_inline_contexts(value)));
                    }
                    match value {
                        Value::String(_) => Some((key.clone(), value.clone())),
                        Value::Array(items) => Some((
                            key.clone(),
                            Value::Array(items.iter().filter(|c| c.is_string()).cloned().collect()),
                        )),
                        _ => None,
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_inline_contexts).collect()),
        other => other.clone(),
    }
}

/// Whether `document` carries a context definition of its own.
pub(crate) fn has_inline_context(document: &Value) -> bool {
    match document {
        Value::Object(map) => map.iter().any(|(key, value)| {
            let inline = key == "@context"
                && match value {
                    Value::Object(_) => true,
                    Value::Array(items) => items.iter().any(Value::is_object),
                    _ => false,
                };
            inline || has_inline_context(value)
        }),
        Value::Array(items) => items.iter().any(has_inline_context),
        _ => false,
    }
}

fn values<'n, 'a>(node: &'n Node<'a>, iri: &str) -> &'n [Item<'a>] {
    node.properties
        .iter()
        .find(|(p, _)| &**p == iri)
        .map_or(&[], |(_, items)| items.as_slice())
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = items.collect();
    out.sort_unstable();
    out
}

/// One canonical text for an expanded item, unordered sets sorted, so
/// that two items are the same data exactly when their texts are equal.
fn describe(item: &Item<'_>) -> String {
    let quote = |text: &str| Value::String(text.to_owned()).to_string();
    match item {
        Item::Node(node) => {
            let mut out = String::from("{");
            if let Some(id) = &node.id {
                out.push_str(&format!("@id={};", quote(id)));
            }
            let types: Vec<String> = sorted(node.types.iter().map(|t: &Arc<str>| quote(t)));
            out.push_str(&format!("@type=[{}];", types.join(",")));
            let mut properties: Vec<String> = node
                .properties
                .iter()
                .map(|(p, items)| format!("{}=[{}]", quote(p), sorted(items.iter().map(describe)).join(",")))
                .collect();
            properties.sort_unstable();
            out.push_str(&properties.join(";"));
            if let Some(graph) = &node.graph {
                out.push_str(&format!(";@graph=[{}]", sorted(graph.iter().map(describe)).join(",")));
            }
            out.push('}');
            out
        }
        Item::Value(literal) => {
            let value = match &literal.value {
                LiteralValue::String(s) => quote(s),
                LiteralValue::Number(n) => format!("#{n}"),
                LiteralValue::Bool(b) => format!("#{b}"),
                LiteralValue::Json(v) => format!("@json{v}"),
            };
            let datatype = literal.datatype.as_deref().map(quote).unwrap_or_default();
            let language = literal.language.as_deref().map(quote).unwrap_or_default();
            format!("{value}^^{datatype}@{language}")
        }
        Item::List(items) => format!("({})", items.iter().map(describe).collect::<Vec<_>>().join(",")),
    }
}
