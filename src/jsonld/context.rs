//! Active contexts and term definitions (JSON-LD 1.1 Processing Algorithms
//! §4.1 Context Processing, §5.2 IRI Expansion against an active context;
//! the terms themselves are defined in `term.rs`).
//!
//! Contexts are immutable once built and shared behind `Arc`: a context
//! derived from another (a remote context applied, a type-scoped context)
//! is built once and cached by [`super::JsonLd`].

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::iri::{
    colon_after_first, is_absolute_iri, is_blank_node, is_keyword, language_tag, looks_like_keyword, resolve_against,
};
use super::term::TermBuilder;
use super::{invalid, unsupported, Processor};
use crate::error::{quoted, Error, ErrorCode, Result};

/// Remote contexts one document may pull in, directly or through others.
const MAX_REMOTE_CONTEXTS: usize = 32;

/// The container kinds a term can declare (a small bit set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Container(u8);

impl Container {
    pub(crate) const SET: Container = Container(1);
    pub(crate) const LIST: Container = Container(2);
    pub(crate) const GRAPH: Container = Container(4);
    pub(crate) const LANGUAGE: Container = Container(8);

    pub(crate) fn has(self, other: Container) -> bool {
        self.0 & other.0 != 0
    }

    /// The `@container` of a term definition; index, id and type maps are refused.
    pub(crate) fn parse(value: &Value) -> Result<Container> {
        let items = match value {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        let mut container = Container::default();
        for item in items {
            container.0 |= match item.as_str() {
                Some("@set") => Container::SET.0,
                Some("@list") => Container::LIST.0,
                Some("@graph") => Container::GRAPH.0,
                Some("@language") => Container::LANGUAGE.0,
                Some(other @ ("@index" | "@id" | "@type")) => return Err(unsupported(&format!("@container {other}"))),
                _ => return Err(invalid("unknown @container value")),
            };
        }
        let list_with_other = container.has(Container::LIST) && container.0 != Container::LIST.0;
        if list_with_other {
            return Err(invalid("@list cannot be combined with another container"));
        }
        Ok(container)
    }
}

/// A term definition (§4.2.2).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TermDefinition {
    /// The IRI or keyword the term maps to; `None` for a term mapped to null.
    pub(crate) iri: Option<Arc<str>>,
    /// Usable as the prefix of a compact IRI.
    pub(crate) prefix: bool,
    /// Cannot be redefined (outside property-scoped contexts).
    pub(crate) protected: bool,
    /// `@type`: `@id`, `@vocab`, `@json`, `@none` or a datatype IRI.
    pub(crate) type_mapping: Option<Arc<str>>,
    /// `@language`: `Some(None)` when explicitly null.
    pub(crate) language: Option<Option<Arc<str>>>,
    /// `@container`.
    pub(crate) container: Container,
    /// A scoped context (`@context`), kept as written and processed when used.
    pub(crate) context: Option<Arc<Value>>,
}

impl TermDefinition {
    /// Equal apart from `protected` (§4.2.2 step 28).
    pub(crate) fn same_as(&self, other: &TermDefinition) -> bool {
        self.iri == other.iri
            && self.prefix == other.prefix
            && self.type_mapping == other.type_mapping
            && self.language == other.language
            && self.container == other.container
            && self.context == other.context
    }
}

/// An active context.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActiveContext {
    pub(crate) terms: HashMap<String, Arc<TermDefinition>>,
    pub(crate) vocab: Option<Arc<str>>,
    pub(crate) base: Option<Arc<str>>,
    pub(crate) language: Option<Arc<str>>,
    /// The context to return to when leaving a node object, for contexts
    /// that do not propagate (type-scoped contexts).
    pub(crate) previous: Option<Arc<ActiveContext>>,
}

impl ActiveContext {
    /// The term definition of `term`, if any.
    pub(crate) fn term(&self, term: &str) -> Option<&Arc<TermDefinition>> {
        self.terms.get(term)
    }

    fn has_protected_terms(&self) -> bool {
        self.terms.values().any(|t| t.protected)
    }

    /// IRI expansion (§5.2.2) outside context processing. `Ok(None)` when the
    /// value maps to null or looks like a keyword.
    pub(crate) fn expand_iri(&self, value: &str, vocab: bool) -> Option<Arc<str>> {
        if is_keyword(value) {
            return Some(Arc::from(value));
        }
        if looks_like_keyword(value) {
            return None;
        }
        if let Some(def) = self.terms.get(value) {
            if let Some(iri) = &def.iri {
                if vocab || iri.starts_with('@') {
                    return Some(iri.clone());
                }
            } else if vocab {
                return None;
            }
        }
        self.expand_iri_tail(value, vocab)
    }

    /// Steps 6–9 of IRI expansion: compact IRIs, the vocabulary mapping,
    /// and what is left as written.
    fn expand_iri_tail(&self, value: &str, vocab: bool) -> Option<Arc<str>> {
        if let Some(colon) = colon_after_first(value) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Some(Arc::from(value));
            }
            if let Some(def) = self.terms.get(prefix) {
                if let (Some(iri), true) = (&def.iri, def.prefix) {
                    return Some(Arc::from(format!("{iri}{suffix}")));
                }
            }
            if is_absolute_iri(value) {
                return Some(Arc::from(value));
            }
        }
        if vocab {
            if let Some(v) = &self.vocab {
                return Some(Arc::from(format!("{v}{value}")));
            }
        }
        // Document-relative IRIs would resolve against the base; the
        // caller refuses whatever is still not absolute.
        if let Some(base) = &self.base {
            if !value.is_empty() && !vocab {
                return Some(Arc::from(resolve_against(base, value)));
            }
        }
        Some(Arc::from(value))
    }
}

/// Context processing (§4.1.2) of `local` on top of `active`.
pub(crate) fn process_context(
    processor: &Processor<'_>,
    active: &Arc<ActiveContext>,
    local: &Value,
    remote: &mut Vec<String>,
    override_protected: bool,
    mut propagate: bool,
) -> Result<Arc<ActiveContext>> {
    let mut result = active.clone();
    let own = match local {
        Value::Object(map) => Some(embedded_definition(map)?),
        _ => None,
    };
    if let Some(p) = own.and_then(|m| m.get("@propagate")) {
        propagate = p.as_bool().ok_or_else(|| invalid("@propagate must be true or false"))?;
    }
    if !propagate && result.previous.is_none() {
        Arc::make_mut(&mut result).previous = Some(active.clone());
    }
    let items = match local {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    for item in items {
        match item {
            Value::Null => {
                if !override_protected && result.has_protected_terms() {
                    return Err(invalid("a context with protected terms cannot be cleared with null"));
                }
                let previous = if propagate { None } else { result.previous.clone() };
                result = Arc::new(ActiveContext {
                    previous,
                    ..ActiveContext::default()
                });
            }
            Value::String(url) => {
                if remote.len() >= MAX_REMOTE_CONTEXTS {
                    return Err(invalid("too many remote contexts (a context includes itself?)"));
                }
                remote.push(url.clone());
                result = processor.remote(&result, url, remote)?;
            }
            Value::Object(definition) => {
                let definition = embedded_definition(definition)?;
                apply_definitions(Arc::make_mut(&mut result), definition, remote, override_protected)?;
            }
            _ => return Err(invalid("a context must be null, a URL or an object")),
        }
    }
    Ok(result)
}

/// A context object written as a whole context document, `{"@context":
/// {…}}`, stands for the definition it wraps. JSON-LD 1.1 §9.15 does not
/// list `@context` among a context definition's keys, but jsonld.js (what
/// the W3C suites run) reads such an object this way, and documents copy
/// context files inline like this. Stricter than jsonld.js, which drops
/// anything beside the wrapped `@context`: the wrapper must hold nothing
/// else, and what it wraps must be one context object.
fn embedded_definition(definition: &Map<String, Value>) -> Result<&Map<String, Value>> {
    let Some(inner) = definition.get("@context") else {
        return Ok(definition);
    };
    if definition.len() != 1 {
        return Err(invalid(
            "a context object holding @context (an embedded context document) must hold nothing else",
        ));
    }
    inner
        .as_object()
        .ok_or_else(|| invalid("an embedded context document's @context must be an object"))
}

/// §4.1.2 step 5.5 onwards: one context object.
fn apply_definitions(
    result: &mut ActiveContext,
    context: &Map<String, Value>,
    remote: &[String],
    override_protected: bool,
) -> Result<()> {
    if let Some(version) = context.get("@version") {
        if version.as_f64() != Some(1.1) {
            return Err(invalid("@version must be 1.1"));
        }
    }
    if context.contains_key("@import") {
        return Err(unsupported("@import"));
    }
    if context.contains_key("@direction") {
        return Err(unsupported("@direction in a context"));
    }
    if let (Some(base), true) = (context.get("@base"), remote.is_empty()) {
        result.base = match base {
            Value::Null => None,
            Value::String(iri) if is_absolute_iri(iri) => Some(Arc::from(iri.as_str())),
            _ => return Err(invalid("@base must be null or an absolute IRI")),
        };
    }
    if let Some(vocab) = context.get("@vocab") {
        result.vocab = match vocab {
            Value::Null => None,
            Value::String(iri) if is_absolute_iri(iri) || is_blank_node(iri) => Some(Arc::from(iri.as_str())),
            Value::String(iri) => {
                return Err(Error::new(
                    ErrorCode::TermUndefined,
                    format!("@vocab {} is not an absolute IRI", quoted(iri)),
                ))
            }
            _ => return Err(invalid("@vocab must be null or an IRI")),
        };
    }
    if let Some(language) = context.get("@language") {
        result.language = match language {
            Value::Null => None,
            Value::String(tag) => Some(Arc::from(language_tag(tag)?.as_str())),
            _ => return Err(invalid("@language must be null or a string")),
        };
    }
    let protected = match context.get("@protected") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid("@protected must be true or false")),
    };
    let mut builder = TermBuilder {
        active: result,
        local: context,
        defined: HashMap::with_capacity(context.len()),
        pending: 0,
        protected,
        override_protected,
    };
    for term in context.keys() {
        if matches!(
            term.as_str(),
            "@base" | "@direction" | "@import" | "@language" | "@propagate" | "@protected" | "@version" | "@vocab"
        ) {
            continue;
        }
        builder.define(term)?;
    }
    Ok(())
}
