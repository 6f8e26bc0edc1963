//! Active contexts and term definitions (JSON-LD 1.1 Processing Algorithms
//! §4.1 Context Processing, §4.2 Create Term Definition, §5.2 IRI
//! Expansion).
//!
//! Contexts are immutable once built and shared behind `Arc`: a context
//! derived from another (a remote context applied, a type-scoped context)
//! is built once and cached by [`super::JsonLd`].

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{invalid, unsupported, Processor};
use crate::error::{quoted, Error, ErrorCode, Result};

/// Remote contexts one document may pull in, directly or through others.
const MAX_REMOTE_CONTEXTS: usize = 32;

/// How many terms a term may be defined through (`a` → `b:x` → `c:y` …):
/// a bound on recursion, whatever a context holds.
const MAX_TERM_NESTING: usize = 64;

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
    fn same_as(&self, other: &TermDefinition) -> bool {
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

static NULL: Value = Value::Null;

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

/// A minimal reference resolution (RFC 3986 §5.2) for `@base`: fragments,
/// queries and absolute paths; other relative references are appended to
/// the base's directory.
fn resolve_against(base: &str, reference: &str) -> String {
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
    if let Some(p) = local.as_object().and_then(|m| m.get("@propagate")) {
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
                apply_definitions(Arc::make_mut(&mut result), definition, remote, override_protected)?;
            }
            _ => return Err(invalid("a context must be null, a URL or an object")),
        }
    }
    Ok(result)
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

/// The state of Create Term Definition (§4.2.2) over one context object.
struct TermBuilder<'a> {
    active: &'a mut ActiveContext,
    local: &'a Map<String, Value>,
    /// `false` while a term is being defined (to catch cycles), `true` after.
    defined: HashMap<&'a str, bool>,
    /// Definitions under way (each term defined through another nests one deeper).
    pending: usize,
    protected: bool,
    override_protected: bool,
}

impl<'a> TermBuilder<'a> {
    fn define(&mut self, term: &'a str) -> Result<()> {
        if self.pending >= MAX_TERM_NESTING {
            return Err(invalid("terms are defined through too many other terms"));
        }
        self.pending += 1;
        let outcome = self.define_inner(term);
        self.pending -= 1;
        outcome
    }

    fn define_inner(&mut self, term: &'a str) -> Result<()> {
        match self.defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => return Err(invalid(format!("cyclic definition of term {}", quoted(term)))),
            None => {}
        }
        if term.is_empty() {
            return Err(invalid("a term cannot be empty"));
        }
        self.defined.insert(term, false);
        let value = &self.local[term];
        if term == "@type" {
            // JSON-LD 1.1 allows `@type` to be given `@container: @set`
            // (and `@protected`); it changes nothing in expansion.
            let ok = value.as_object().is_some_and(|m| {
                m.iter().all(|(k, v)| match k.as_str() {
                    "@container" => v == "@set",
                    "@protected" => v.is_boolean(),
                    _ => false,
                })
            });
            if !ok {
                return Err(invalid("@type can only be given @container @set"));
            }
            self.defined.insert(term, true);
            return Ok(());
        }
        if is_keyword(term) {
            return Err(invalid(format!("keyword {} cannot be redefined", quoted(term))));
        }
        if looks_like_keyword(term) {
            self.defined.insert(term, true);
            return Ok(());
        }
        let previous = self.active.terms.remove(term);
        let (map, simple) = match value {
            Value::Null => (None, false),
            Value::String(_) => (None, true),
            Value::Object(map) => (Some(map), false),
            _ => {
                return Err(invalid(format!(
                    "term {} must map to null, a string or an object",
                    quoted(term)
                )))
            }
        };
        let mut def = TermDefinition {
            protected: self.protected,
            ..TermDefinition::default()
        };
        let id_value: Option<&Value> = match (value, map) {
            (Value::String(_), _) => Some(value),
            (_, Some(map)) => map.get("@id"),
            _ => Some(&NULL),
        };
        if let Some(map) = map {
            for key in map.keys() {
                if !matches!(
                    key.as_str(),
                    "@id" | "@type" | "@container" | "@context" | "@language" | "@protected" | "@prefix"
                ) {
                    return Err(match key.as_str() {
                        "@reverse" | "@index" | "@nest" | "@direction" => unsupported(key),
                        _ => invalid(format!("term {} has an unknown entry {}", quoted(term), quoted(key))),
                    });
                }
            }
            if let Some(p) = map.get("@protected") {
                def.protected = p.as_bool().ok_or_else(|| invalid("@protected must be true or false"))?;
            }
            if let Some(t) = map.get("@type") {
                let t = t.as_str().ok_or_else(|| invalid("a term's @type must be a string"))?;
                let expanded = self.expand(t, true)?.unwrap_or_else(|| Arc::from(""));
                let ok = matches!(&*expanded, "@id" | "@json" | "@none" | "@vocab")
                    || (is_absolute_iri(&expanded) && !is_blank_node(&expanded));
                if !ok {
                    return Err(Error::new(
                        ErrorCode::TermUndefined,
                        format!("the type of term {} is not an absolute IRI", quoted(term)),
                    ));
                }
                def.type_mapping = Some(expanded);
            }
        }
        match id_value {
            Some(Value::Null) => def.iri = None,
            Some(Value::String(id)) if id != term => {
                if !is_keyword(id) && looks_like_keyword(id) {
                    self.defined.insert(term, true);
                    return Ok(());
                }
                let iri = self
                    .expand(id, true)?
                    .ok_or_else(|| invalid("a term maps to nothing"))?;
                if !(is_keyword(&iri) || is_absolute_iri(&iri) || is_blank_node(&iri)) {
                    return Err(Error::new(
                        ErrorCode::TermUndefined,
                        format!("term {} does not map to an absolute IRI", quoted(term)),
                    ));
                }
                if &*iri == "@context" {
                    return Err(invalid("@context cannot be aliased"));
                }
                let inner_colon = colon_after_first(term).is_some_and(|i| i + 1 < term.len());
                let compact_or_path = inner_colon || term.contains('/');
                if compact_or_path {
                    self.defined.insert(term, true);
                    let own = self.expand(term, true)?;
                    if own.as_deref() != Some(&*iri) {
                        return Err(invalid(format!("term {} would expand to another IRI", quoted(term))));
                    }
                }
                if !term.contains(':') && !term.contains('/') && simple {
                    def.prefix = iri.ends_with([':', '/', '?', '#', '[', ']', '@']) || is_blank_node(&iri);
                }
                def.iri = Some(iri);
            }
            Some(Value::String(_)) | None => def.iri = Some(self.iri_of_term(term)?),
            Some(_) => return Err(invalid(format!("the @id of term {} must be a string", quoted(term)))),
        }
        if let Some(map) = map {
            if let Some(container) = map.get("@container") {
                def.container = container_of(container)?;
            }
            if let Some(context) = map.get("@context") {
                def.context = Some(Arc::new(context.clone()));
            }
            if let (Some(language), None) = (map.get("@language"), &def.type_mapping) {
                def.language = Some(match language {
                    Value::Null => None,
                    Value::String(tag) => Some(Arc::from(language_tag(tag)?.as_str())),
                    _ => return Err(invalid("a term's @language must be null or a string")),
                });
            }
            if let Some(prefix) = map.get("@prefix") {
                if term.contains(':') || term.contains('/') {
                    return Err(invalid("@prefix is only for simple terms"));
                }
                def.prefix = prefix
                    .as_bool()
                    .ok_or_else(|| invalid("@prefix must be true or false"))?;
                if def.prefix && def.iri.as_deref().is_some_and(is_keyword) {
                    return Err(invalid("a keyword cannot be a prefix"));
                }
            }
        }
        if let Some(previous) = previous {
            if !self.override_protected && previous.protected {
                if !previous.same_as(&def) {
                    return Err(invalid(format!("protected term {} cannot be redefined", quoted(term))));
                }
                def = (*previous).clone();
            }
        }
        self.active.terms.insert(term.to_owned(), Arc::new(def));
        self.defined.insert(term, true);
        Ok(())
    }

    /// §4.2.2 steps 14–17: the IRI of a term without its own `@id`.
    fn iri_of_term(&mut self, term: &'a str) -> Result<Arc<str>> {
        if let Some(colon) = colon_after_first(term) {
            let prefix = &term[..colon];
            if self.local.contains_key(prefix) {
                let key = self
                    .local
                    .get_key_value(prefix)
                    .map(|(k, _)| k.as_str())
                    .unwrap_or(prefix);
                self.define(key)?;
            }
            if let Some(iri) = self.active.terms.get(prefix).and_then(|d| d.iri.clone()) {
                return Ok(Arc::from(format!("{iri}{}", &term[colon + 1..])));
            }
            return Ok(Arc::from(term));
        }
        if term.contains('/') {
            return match self.expand(term, true)? {
                Some(iri) if is_absolute_iri(&iri) => Ok(iri),
                _ => Err(Error::new(
                    ErrorCode::TermUndefined,
                    format!("term {} is not an absolute IRI", quoted(term)),
                )),
            };
        }
        match &self.active.vocab {
            Some(vocab) => Ok(Arc::from(format!("{vocab}{term}"))),
            None => Err(Error::new(
                ErrorCode::TermUndefined,
                format!("term {} has no IRI and there is no @vocab", quoted(term)),
            )),
        }
    }

    /// IRI expansion during context processing: terms of the local context
    /// are defined first when used.
    fn expand(&mut self, value: &'a str, vocab: bool) -> Result<Option<Arc<str>>> {
        if is_keyword(value) {
            return Ok(Some(Arc::from(value)));
        }
        if looks_like_keyword(value) {
            return Ok(None);
        }
        if let Some((key, _)) = self.local.get_key_value(value) {
            if self.defined.get(value) != Some(&true) {
                self.define(key.as_str())?;
            }
        }
        if let Some(colon) = colon_after_first(value) {
            let prefix = &value[..colon];
            if let Some((key, _)) = self.local.get_key_value(prefix) {
                if self.defined.get(prefix) != Some(&true) {
                    self.define(key.as_str())?;
                }
            }
        }
        Ok(self.active.expand_iri(value, vocab))
    }
}

fn container_of(value: &Value) -> Result<Container> {
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
