//! Expansion (JSON-LD 1.1 Processing Algorithms §5.1 Expansion, §5.3 Value
//! Expansion), into a typed tree that [`super::to_rdf`] turns into quads.
//!
//! Safe mode, as Data Integrity requires (vc-data-integrity §4.x, "the
//! JSON-LD safe mode"): whatever plain expansion would silently drop — a
//! property or type the contexts do not define, a relative IRI, a free-floating
//! value — is an error instead, so that nothing unsigned rides along with a
//! signed document.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::context::{ActiveContext, Container, TermDefinition};
use super::iri::{is_absolute_iri, is_blank_node, is_keyword, language_tag};
use super::{invalid, undefined, unsupported, Processor};
use crate::error::{quoted, Error, ErrorCode, Result};

/// How deeply expansion follows nested objects and arrays; deeper
/// documents are refused with `INPUT_TOO_DEEP`.
///
/// Expansion and the quad writer recurse once per level. At this depth
/// they fit a 256 KiB thread stack with room to spare for the verifier's
/// frames above them, in debug builds too (about 3.2 KiB a level there,
/// measured by `tests/rdfc_poison.rs`); it is above the JSON reader's
/// default depth limit (32), so every document that limit accepts expands.
pub const MAX_DEPTH: usize = 48;

/// An expanded item: a node (or a graph object), a value, or a list.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    Node(Node<'a>),
    Value(Literal<'a>),
    List(Vec<Item<'a>>),
}

/// A node object; also a graph object when `graph` is set.
#[derive(Debug, Default)]
pub(crate) struct Node<'a> {
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) types: Vec<Arc<str>>,
    pub(crate) properties: Vec<(Arc<str>, Vec<Item<'a>>)>,
    pub(crate) graph: Option<Vec<Item<'a>>>,
}

impl Node<'_> {
    fn is_empty(&self) -> bool {
        self.id.is_none() && self.types.is_empty() && self.properties.is_empty() && self.graph.is_none()
    }
}

/// A value object.
#[derive(Debug)]
pub(crate) struct Literal<'a> {
    pub(crate) value: LiteralValue<'a>,
    /// `@type`: a datatype IRI (or `@json`).
    pub(crate) datatype: Option<Arc<str>>,
    pub(crate) language: Option<String>,
}

/// The JSON value of a value object.
#[derive(Debug)]
pub(crate) enum LiteralValue<'a> {
    String(&'a str),
    Number(&'a serde_json::Number),
    Bool(bool),
    /// A JSON literal (`@type: @json`), any JSON.
    Json(&'a Value),
}

/// Where the element being expanded sits.
#[derive(Clone, Copy)]
enum Parent<'d> {
    /// The top of the document or of a `@graph`: a value here would be dropped.
    Free,
    /// The value of a property, with the property's term definition.
    Property(Option<&'d TermDefinition>),
}

pub(crate) struct Expander<'p, 'j> {
    pub(crate) processor: &'p Processor<'j>,
}

impl Expander<'_, '_> {
    /// Expands a whole document.
    pub(crate) fn document<'a>(&self, active: &Arc<ActiveContext>, document: &'a Value) -> Result<Vec<Item<'a>>> {
        let mut items = self.expand(active, Parent::Free, document, false, 0)?;
        // A top-level object with only @graph stands for its graph (§5.1.2 step 19).
        if let [Item::Node(node)] = items.as_mut_slice() {
            if node.id.is_none() && node.types.is_empty() && node.properties.is_empty() {
                if let Some(graph) = node.graph.take() {
                    return Ok(graph);
                }
            }
        }
        Ok(items)
    }

    /// Expands `element` under `parent`.
    ///
    /// `expand`, `object` and `property` call one another once per level
    /// of nesting, so their stack frames are kept small (work that does not
    /// recurse lives in helpers that return before the next level starts):
    /// at [`MAX_DEPTH`] the recursion fits a 256 KiB thread stack, in debug
    /// builds too.
    fn expand<'a>(
        &self,
        active: &Arc<ActiveContext>,
        parent: Parent<'_>,
        element: &'a Value,
        from_map: bool,
        depth: usize,
    ) -> Result<Vec<Item<'a>>> {
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        match element {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let list_container =
                    matches!(parent, Parent::Property(Some(def)) if def.container.has(Container::LIST));
                for item in items {
                    let expanded = self.expand(active, parent, item, from_map, depth + 1)?;
                    if list_container && item.is_array() {
                        out.push(Item::List(expanded));
                    } else {
                        out.extend(expanded);
                    }
                }
                Ok(out)
            }
            Value::Object(map) => self.object(active, parent, map, from_map, depth),
            scalar => self.scalar(active, parent, scalar),
        }
    }

    /// A string, number or boolean: a value under a property, refused at the top.
    fn scalar<'a>(&self, active: &Arc<ActiveContext>, parent: Parent<'_>, scalar: &'a Value) -> Result<Vec<Item<'a>>> {
        match parent {
            Parent::Free => Err(invalid(format!(
                "a value outside any property would be dropped: {}",
                quoted(&scalar.to_string())
            ))),
            Parent::Property(def) => {
                // §5.1.2 step 4.2: a property-scoped context applies to the value too
                // (`proofPurpose: "assertionMethod"` expands with it).
                if let Some(scoped) = def.and_then(|d| d.context.as_ref()) {
                    let scoped_active = self.processor.scoped(active, scoped, true, true)?;
                    return Ok(vec![self.value(&scoped_active, def, scalar)?]);
                }
                Ok(vec![self.value(active, def, scalar)?])
            }
        }
    }

    /// Value Expansion (§5.3.2) of a scalar under a property.
    fn value<'a>(&self, active: &ActiveContext, def: Option<&TermDefinition>, value: &'a Value) -> Result<Item<'a>> {
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let (Some("@id" | "@vocab"), Value::String(s)) = (type_mapping, value) {
            let iri = node_iri(active, s, type_mapping == Some("@vocab"))?;
            return Ok(Item::Node(Node {
                id: Some(iri),
                ..Node::default()
            }));
        }
        let literal = match value {
            Value::String(s) => LiteralValue::String(s),
            Value::Number(n) => LiteralValue::Number(n),
            Value::Bool(b) => LiteralValue::Bool(*b),
            _ => return Err(invalid("not a scalar")),
        };
        let mut out = Literal {
            value: literal,
            datatype: None,
            language: None,
        };
        match def.and_then(|d| d.type_mapping.clone()) {
            Some(t) if !matches!(&*t, "@id" | "@vocab" | "@none") => out.datatype = Some(t),
            _ if value.is_string() => {
                let language = match def.and_then(|d| d.language.as_ref()) {
                    Some(explicit) => explicit.as_ref(),
                    None => active.language.as_ref(),
                };
                out.language = language.map(|l| l.to_string());
            }
            _ => {}
        }
        Ok(Item::Value(out))
    }

    /// A JSON object: a node, value, list or set object (§5.1.2 steps 7–20).
    fn object<'a>(
        &self,
        active: &Arc<ActiveContext>,
        parent: Parent<'_>,
        map: &'a Map<String, Value>,
        from_map: bool,
        depth: usize,
    ) -> Result<Vec<Item<'a>>> {
        let contexts = self.object_contexts(active, parent, map, from_map)?;
        let mut object = Object::default();
        for (key, element) in map {
            if key == "@context" {
                continue;
            }
            match self.entry(&contexts, parent, key, element, &mut object)? {
                Entry::Done => {}
                Entry::Graph => {
                    object.node.graph = Some(self.expand(&contexts.active, Parent::Free, element, false, depth + 1)?);
                }
                Entry::List => object.list = Some(self.expand(&contexts.active, parent, element, false, depth + 1)?),
                Entry::Set => object.set = Some(self.expand(&contexts.active, parent, element, false, depth + 1)?),
                Entry::Property(expanded) => {
                    self.property(&contexts.active, key, expanded, element, depth, &mut object)?
                }
            }
        }
        object.finish(parent)
    }

    /// Steps 7–11 of §5.1.2: the active context of an object's entries,
    /// the one its types are read in, and whether it is a JSON literal.
    fn object_contexts(
        &self,
        active: &Arc<ActiveContext>,
        parent: Parent<'_>,
        map: &Map<String, Value>,
        from_map: bool,
    ) -> Result<ObjectContexts> {
        let mut active = active.clone();
        // §5.1.2 step 7: a non-propagated (type-scoped) context ends at the
        // node that set it, unless this is a value object or a node reference.
        if let (Some(previous), false) = (&active.previous, from_map) {
            let is_value = map
                .keys()
                .any(|k| active.expand_iri(k, true).as_deref() == Some("@value"));
            let is_reference =
                map.len() == 1 && map.keys().all(|k| active.expand_iri(k, true).as_deref() == Some("@id"));
            if !is_value && !is_reference {
                active = previous.clone();
            }
        }
        if let Parent::Property(Some(TermDefinition {
            context: Some(scoped), ..
        })) = parent
        {
            active = self.processor.scoped(&active, scoped, true, true)?;
        }
        if let Some(local) = map.get("@context") {
            active = self.processor.inline(&active, local)?;
        }
        let type_scoped = active.clone();
        // Step 11: type-scoped contexts, types in lexical order.
        let mut type_keys: Vec<&str> = map
            .keys()
            .filter(|k| active.expand_iri(k, true).as_deref() == Some("@type"))
            .map(String::as_str)
            .collect();
        type_keys.sort_unstable();
        for key in &type_keys {
            let mut terms: Vec<&str> = match &map[*key] {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            terms.sort_unstable();
            for term in terms {
                if let Some(scoped) = type_scoped.term(term).and_then(|d| d.context.clone()) {
                    active = self.processor.scoped(&active, &scoped, false, false)?;
                }
            }
        }
        let input_is_json = type_keys
            .first()
            .and_then(|k| match &map[*k] {
                Value::String(s) => Some(s.as_str()),
                Value::Array(items) => items.last().and_then(Value::as_str),
                _ => None,
            })
            .is_some_and(|t| active.expand_iri(t, true).as_deref() == Some("@json"));
        Ok(ObjectContexts {
            active,
            type_scoped,
            input_is_json,
        })
    }

    /// One entry of an object: a keyword is done here unless its value
    /// needs expanding (`@graph`, `@list`, `@set`); a property is returned
    /// with its IRI.
    fn entry<'a>(
        &self,
        contexts: &ObjectContexts,
        parent: Parent<'_>,
        key: &str,
        element: &'a Value,
        object: &mut Object<'a>,
    ) -> Result<Entry> {
        let active = &contexts.active;
        let expanded = match active.expand_iri(key, true) {
            Some(iri) if is_keyword(&iri) || is_absolute_iri(&iri) || is_blank_node(&iri) => iri,
            _ => {
                return Err(undefined(format!(
                    "property {} is not defined by the context",
                    quoted(key)
                )))
            }
        };
        if !is_keyword(&expanded) {
            return Ok(Entry::Property(expanded));
        }
        if &*expanded != "@type" && object.seen_keywords.contains(&expanded) {
            return Err(invalid(format!("{expanded} is given twice")));
        }
        object.seen_keywords.push(expanded.clone());
        match &*expanded {
            "@id" => {
                let id = element.as_str().ok_or_else(|| invalid("@id must be a string"))?;
                object.node.id = Some(node_iri(active, id, false)?);
            }
            "@type" => {
                let types = match element {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(items) => items
                        .iter()
                        .map(|t| t.as_str().ok_or_else(|| invalid("@type values must be strings")))
                        .collect::<Result<Vec<_>>>()?,
                    _ => return Err(invalid("@type must be a string or an array of strings")),
                };
                for t in types {
                    let iri = contexts.type_scoped.expand_iri(t, true);
                    match iri {
                        Some(iri) if &*iri == "@json" => object.value_type = Some(iri),
                        Some(iri) if is_absolute_iri(&iri) || is_blank_node(&iri) => {
                            object.value_type = Some(iri.clone());
                            object.node.types.push(iri);
                        }
                        _ => return Err(undefined(format!("type {} is not defined by the context", quoted(t)))),
                    }
                }
            }
            "@graph" => return Ok(Entry::Graph),
            "@value" => {
                if !contexts.input_is_json && (element.is_object() || element.is_array()) {
                    return Err(invalid("@value must be a string, number, boolean or null"));
                }
                object.value = Some(element);
            }
            "@language" => match element {
                Value::String(tag) => object.language = Some(language_tag(tag)?),
                Value::Null => {}
                _ => return Err(invalid("@language must be a string")),
            },
            "@index" => {
                if !element.is_string() {
                    return Err(invalid("@index must be a string"));
                }
            }
            "@list" => {
                if matches!(parent, Parent::Free) {
                    return Err(invalid("a list outside any property would be dropped"));
                }
                return Ok(Entry::List);
            }
            "@set" => return Ok(Entry::Set),
            "@direction" => {
                if !matches!(element.as_str(), Some("ltr" | "rtl")) && !element.is_null() {
                    return Err(invalid("@direction must be \"ltr\" or \"rtl\""));
                }
            }
            keyword @ ("@included" | "@reverse" | "@nest") => return Err(unsupported(keyword)),
            other => return Err(invalid(format!("{other} cannot be used in a document"))),
        }
        Ok(Entry::Done)
    }

    /// A property's value, expanded and added to the node.
    fn property<'a>(
        &self,
        active: &Arc<ActiveContext>,
        key: &str,
        expanded: Arc<str>,
        element: &'a Value,
        depth: usize,
        object: &mut Object<'a>,
    ) -> Result<()> {
        let def = active.term(key).cloned();
        let items = match Self::unexpanded_property(def.as_deref(), element)? {
            Some(items) => items,
            None => self.expand(active, Parent::Property(def.as_deref()), element, false, depth + 1)?,
        };
        add_property(&mut object.node, expanded, def.as_deref(), items);
        Ok(())
    }

    /// The items of a property whose value is not expanded: a JSON literal
    /// or a language map.
    fn unexpanded_property<'a>(def: Option<&TermDefinition>, element: &'a Value) -> Result<Option<Vec<Item<'a>>>> {
        let container = def.map(|d| d.container).unwrap_or_default();
        if def.and_then(|d| d.type_mapping.as_deref()) == Some("@json") {
            return Ok(Some(vec![Item::Value(Literal {
                value: LiteralValue::Json(element),
                datatype: Some(Arc::from("@json")),
                language: None,
            })]));
        }
        match (container.has(Container::LANGUAGE), element) {
            (true, Value::Object(languages)) => language_map(languages).map(Some),
            _ => Ok(None),
        }
    }
}

fn too_deep() -> Error {
    Error::new(ErrorCode::InputTooDeep, "the JSON-LD document nests too deeply")
}

/// The contexts an object's entries are expanded in.
struct ObjectContexts {
    active: Arc<ActiveContext>,
    /// The context before type-scoped contexts: the one types are read in.
    type_scoped: Arc<ActiveContext>,
    input_is_json: bool,
}

/// What [`Expander::entry`] leaves to do with an entry.
enum Entry {
    Done,
    Graph,
    List,
    Set,
    /// A property, by its IRI.
    Property(Arc<str>),
}

/// An object being expanded: what its entries said so far.
#[derive(Default)]
struct Object<'a> {
    node: Node<'a>,
    value: Option<&'a Value>,
    value_type: Option<Arc<str>>,
    language: Option<String>,
    list: Option<Vec<Item<'a>>>,
    set: Option<Vec<Item<'a>>>,
    seen_keywords: Vec<Arc<str>>,
}

impl<'a> Object<'a> {
    /// §5.1.2 steps 15–20: the object as a value, list, set or node.
    fn finish(self, parent: Parent<'_>) -> Result<Vec<Item<'a>>> {
        let Object {
            node,
            value,
            value_type,
            language,
            list,
            set,
            ..
        } = self;
        if let Some(element) = value {
            if !node.properties.is_empty() || node.id.is_some() || node.graph.is_some() || list.is_some() {
                return Err(invalid("a value object cannot have other properties"));
            }
            if language.is_some() && value_type.is_some() {
                return Err(invalid("a value object cannot have both @type and @language"));
            }
            let literal = match element {
                Value::Null => return Ok(Vec::new()),
                _ if value_type.as_deref() == Some("@json") => LiteralValue::Json(element),
                Value::String(s) => LiteralValue::String(s),
                _ if language.is_some() => return Err(invalid("only strings can have a @language")),
                Value::Number(n) => LiteralValue::Number(n),
                Value::Bool(b) => LiteralValue::Bool(*b),
                _ => return Err(invalid("@value must be a string, number, boolean or null")),
            };
            return Ok(vec![Item::Value(Literal {
                value: literal,
                datatype: value_type,
                language,
            })]);
        }
        if let Some(items) = list {
            if !node.is_empty() {
                return Err(invalid("a list object cannot have other properties"));
            }
            return Ok(vec![Item::List(items)]);
        }
        if let Some(items) = set {
            if !node.is_empty() {
                return Err(invalid("a set object cannot have other properties"));
            }
            return Ok(items);
        }
        if node.is_empty() && matches!(parent, Parent::Free) {
            return Ok(Vec::new());
        }
        Ok(vec![Item::Node(node)])
    }
}

/// Adds a property's expanded `items` to `node`, in the containers its
/// definition asks for.
fn add_property<'a>(node: &mut Node<'a>, expanded: Arc<str>, def: Option<&TermDefinition>, mut items: Vec<Item<'a>>) {
    let container = def.map(|d| d.container).unwrap_or_default();
    if container.has(Container::LIST) && !matches!(items.as_slice(), [Item::List(_)]) {
        items = vec![Item::List(items)];
    }
    if container.has(Container::GRAPH) {
        items = items
            .into_iter()
            .map(|item| match item {
                Item::Node(n) if n.graph.is_some() && n.id.is_none() => Item::Node(n),
                other => Item::Node(Node {
                    graph: Some(vec![other]),
                    ..Node::default()
                }),
            })
            .collect();
    }
    if items.is_empty() && !container.has(Container::LIST) {
        return;
    }
    match node.properties.iter_mut().find(|(p, _)| *p == expanded) {
        Some((_, existing)) => existing.extend(items),
        None => node.properties.push((expanded, items)),
    }
}

/// A node identifier (`@id`, or a string coerced with `@type: @id`/`@vocab`):
/// an absolute IRI or a blank node; a relative IRI is refused (safe mode).
fn node_iri<'a>(active: &ActiveContext, value: &'a str, vocab: bool) -> Result<Cow<'a, str>> {
    match active.expand_iri(value, vocab) {
        Some(iri) if &*iri == value && (is_absolute_iri(value) || is_blank_node(value)) => Ok(Cow::Borrowed(value)),
        Some(iri) if is_absolute_iri(&iri) || is_blank_node(&iri) => Ok(Cow::Owned(iri.to_string())),
        _ => Err(undefined(format!(
            "identifier {} is not an absolute IRI",
            quoted(&value.chars().take(128).collect::<String>())
        ))),
    }
}

/// A language map (`@container: @language`): one language-tagged string
/// per entry, keys in lexical order.
fn language_map(map: &Map<String, Value>) -> Result<Vec<Item<'_>>> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for key in keys {
        let values = match &map[key] {
            Value::Array(items) => items.as_slice(),
            other => std::slice::from_ref(other),
        };
        for v in values {
            match v {
                Value::Null => {}
                Value::String(s) => out.push(Item::Value(Literal {
                    value: LiteralValue::String(s),
                    datatype: None,
                    language: if key == "@none" { None } else { Some(language_tag(key)?) },
                })),
                _ => return Err(invalid("language map values must be strings")),
            }
        }
    }
    Ok(out)
}
