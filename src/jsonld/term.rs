//! Create Term Definition (JSON-LD 1.1 Processing Algorithms §4.2.2): the
//! terms of one context object, defined into an active context, each term
//! used by another defined first.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::context::{ActiveContext, Container, TermDefinition};
use super::iri::{colon_after_first, is_absolute_iri, is_blank_node, is_keyword, language_tag, looks_like_keyword};
use super::{invalid, unsupported};
use crate::error::{quoted, Error, ErrorCode, Result};

/// How many terms a term may be defined through (`a` → `b:x` → `c:y` …):
/// a bound on recursion, whatever a context holds.
const MAX_TERM_NESTING: usize = 64;

static NULL: Value = Value::Null;

/// The state of Create Term Definition (§4.2.2) over one context object.
pub(crate) struct TermBuilder<'a> {
    pub(crate) active: &'a mut ActiveContext,
    pub(crate) local: &'a Map<String, Value>,
    /// `false` while a term is being defined (to catch cycles), `true` after.
    pub(crate) defined: HashMap<&'a str, bool>,
    /// Definitions under way (each term defined through another nests one deeper).
    pub(crate) pending: usize,
    pub(crate) protected: bool,
    pub(crate) override_protected: bool,
}

impl<'a> TermBuilder<'a> {
    pub(crate) fn define(&mut self, term: &'a str) -> Result<()> {
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
                def.container = Container::parse(container)?;
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
