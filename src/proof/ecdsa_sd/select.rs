//! Choosing parts of a compact JSON-LD document by JSON pointer
//! (vc-di-ecdsa §3.4.10–3.4.13), and naming its blank nodes so that a
//! part's statements are the whole's (skolemization, §3.4.7–3.4.9).
//!
//! The Recommendation skolemizes the expanded document and compacts it
//! again; passerelle has no compaction, so it gives each node object of
//! the compact document an `id` in place. Which objects are node objects
//! is read from their shape; the caller checks the result (see
//! `group::canonicalize_and_group`): the skolemized document must state
//! exactly the original dataset with its blank nodes named, or the
//! document is refused.

use serde_json::{Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::pointer;

/// The most pointers one selection may hold.
pub(super) const MAX_POINTERS: usize = 256;

/// A step of a parsed pointer: a member name or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Member(String),
    Index(usize),
}

fn pointer_error(pointer: &str, why: &str) -> Error {
    let shown: String = pointer.chars().take(128).collect();
    Error::new(
        ErrorCode::PointerInvalid,
        format!("JSON pointer {}: {why}", quoted(&shown)),
    )
}

/// §3.4.10 jsonPointerToPaths, read strictly (RFC 6901): `~` must be
/// `~0` or `~1`; a step of digits only is an array index when it meets an
/// array (so `/0` can still name a member called `0`).
fn steps(pointer: &str) -> Result<Vec<String>> {
    if pointer.is_empty() {
        return Err(pointer_error(pointer, "the whole document cannot be selected"));
    }
    pointer::tokens(pointer).ok_or_else(|| pointer_error(pointer, "not a JSON pointer (RFC 6901)"))
}

/// Resolves `pointer` in `document`: the steps, each an index where it
/// meets an array. `POINTER_INVALID` when it names nothing.
fn resolve(document: &Value, pointer: &str) -> Result<Vec<Step>> {
    let mut value = document;
    let mut path = Vec::new();
    for step in steps(pointer)? {
        match value {
            Value::Object(map) => {
                value = map
                    .get(&step)
                    .ok_or_else(|| pointer_error(pointer, "names no member of the credential"))?;
                path.push(Step::Member(step));
            }
            Value::Array(items) => {
                let index = pointer::array_index(&step)
                    .ok_or_else(|| pointer_error(pointer, "an array step is not an index"))?;
                value = items
                    .get(index)
                    .ok_or_else(|| pointer_error(pointer, "an index past the end of an array"))?;
                path.push(Step::Index(index));
            }
            _ => {
                return Err(pointer_error(
                    pointer,
                    "goes through a value that is not an object or array",
                ))
            }
        }
    }
    if let Some(Step::Member(first)) = path.first() {
        if first == "@context" || first == "proof" {
            return Err(pointer_error(pointer, "@context and proof cannot be selected"));
        }
    }
    Ok(path)
}

/// Checks that every pointer names a part of `document` (so a typo is an
/// error, not a smaller disclosure).
pub(super) fn check_pointers(document: &Value, pointers: &[String]) -> Result<()> {
    if pointers.len() > MAX_POINTERS {
        return Err(Error::new(
            ErrorCode::PointerInvalid,
            format!("{} JSON pointers, limit {MAX_POINTERS}", pointers.len()),
        ));
    }
    for pointer in pointers {
        resolve(document, pointer)?;
    }
    Ok(())
}

/// A selection being built: like the document, with arrays kept sparse
/// (by index) until every pointer is in.
#[derive(Debug)]
enum Partial {
    Leaf(Value),
    Object(Map<String, Value>, Vec<(String, Partial)>),
    Array(Vec<(usize, Partial)>),
}

/// §3.4.11 createInitialSelection: a node's non-blank `id` and its `type`.
fn initial(source: &Value) -> Partial {
    let mut kept = Map::new();
    if let Value::Object(map) = source {
        if let Some(Value::String(id)) = map.get("id") {
            if !id.starts_with("_:") {
                kept.insert("id".into(), Value::String(id.clone()));
            }
        }
        if let Some(kind) = map.get("type") {
            kept.insert("type".into(), kind.clone());
        }
    }
    Partial::Object(kept, Vec::new())
}

impl Partial {
    /// §3.4.12 selectPaths, one pointer.
    fn select(&mut self, source: &Value, path: &[Step]) {
        let Some((step, rest)) = path.split_first() else {
            // The target: all of it (§3.4.12 steps 7–9).
            match (self, source) {
                (Partial::Object(kept, children), Value::Object(map)) => {
                    children.retain(|(name, _)| !map.contains_key(name));
                    for (k, v) in map {
                        kept.insert(k.clone(), v.clone());
                    }
                }
                (this, _) => *this = Partial::Leaf(source.clone()),
            }
            return;
        };
        match (self, step, source) {
            (Partial::Object(kept, children), Step::Member(name), Value::Object(map)) => {
                let Some(next) = map.get(name) else { return };
                if kept.contains_key(name) && !matches!(next, Value::Object(_) | Value::Array(_)) {
                    return;
                }
                let child = match children.iter().position(|(n, _)| n == name) {
                    Some(at) => &mut children[at].1,
                    None => {
                        let fresh = match next {
                            Value::Array(_) => Partial::Array(Vec::new()),
                            other => initial(other),
                        };
                        children.push((name.clone(), fresh));
                        let last = children.len() - 1;
                        &mut children[last].1
                    }
                };
                child.select(next, rest);
            }
            (Partial::Array(items), Step::Index(index), Value::Array(source_items)) => {
                let Some(next) = source_items.get(*index) else { return };
                let child = match items.iter().position(|(i, _)| i == index) {
                    Some(at) => &mut items[at].1,
                    None => {
                        let fresh = match next {
                            Value::Array(_) => Partial::Array(Vec::new()),
                            other => initial(other),
                        };
                        items.push((*index, fresh));
                        let last = items.len() - 1;
                        &mut items[last].1
                    }
                };
                child.select(next, rest);
            }
            // A whole value was already selected above this step.
            _ => {}
        }
    }

    /// The selection, its arrays made dense in their original order
    /// (§3.4.13 step 6) and members in the document's order.
    fn finish(self, source: &Value) -> Value {
        match self {
            Partial::Leaf(value) => value,
            Partial::Object(mut kept, children) => {
                let mut out = Map::new();
                let mut children: Vec<(String, Partial)> = children;
                if let Value::Object(map) = source {
                    for (k, v) in map {
                        if let Some(value) = kept.shift_remove(k) {
                            out.insert(k.clone(), value);
                        } else if let Some(at) = children.iter().position(|(n, _)| n == k) {
                            let (_, child) = children.swap_remove(at);
                            out.insert(k.clone(), child.finish(v));
                        }
                    }
                }
                Value::Object(out)
            }
            Partial::Array(mut items) => {
                items.sort_by_key(|(i, _)| *i);
                let source_items = source.as_array().map(Vec::as_slice).unwrap_or(&[]);
                Value::Array(
                    items
                        .into_iter()
                        .map(|(i, child)| child.finish(source_items.get(i).unwrap_or(&Value::Null)))
                        .collect(),
                )
            }
        }
    }
}

/// §3.4.13 selectJsonLd: the part of `document` the pointers name, with
/// the `id` and `type` of every node on the way and the document's
/// `@context`; `None` for no pointers. The pointers must have been checked.
pub(super) fn select_json_ld(document: &Map<String, Value>, pointers: &[String]) -> Result<Option<Map<String, Value>>> {
    if pointers.is_empty() {
        return Ok(None);
    }
    let source = Value::Object(document.clone());
    let mut selection = initial(&source);
    for pointer in pointers {
        let path = resolve(&source, pointer)?;
        selection.select(&source, &path);
    }
    let Value::Object(mut selected) = selection.finish(&source) else {
        return Ok(None);
    };
    let mut out = Map::with_capacity(selected.len() + 1);
    if let Some(context) = document.get("@context") {
        out.insert("@context".into(), context.clone());
    }
    selected.shift_remove("@context");
    out.append(&mut selected);
    Ok(Some(out))
}

/// Gives every node object of `document` without an `id` the IRI
/// `prefix` + a counter, and every blank node `id` `_:x` the IRI
/// `prefix` + `x` (§3.4.7–3.4.8, done on the compact form). Objects that
/// are not node objects — under `@context`, and value, list and set
/// objects — are left alone.
pub(super) fn skolemize(document: &Map<String, Value>, prefix: &str) -> Map<String, Value> {
    let mut count = 0usize;
    let mut out = document.clone();
    skolemize_node(&mut out, prefix, &mut count);
    out
}

fn skolemize_node(node: &mut Map<String, Value>, prefix: &str, count: &mut usize) {
    if ["@value", "@list", "@set"].iter().any(|k| node.contains_key(*k)) {
        return;
    }
    match node.get("id") {
        Some(Value::String(id)) if id.starts_with("_:") => {
            let named = format!("{prefix}{}", &id[2..]);
            node.insert("id".into(), Value::String(named));
        }
        Some(_) => {}
        None => {
            node.insert("id".into(), Value::String(format!("{prefix}_{count}")));
            *count += 1;
        }
    }
    for (key, value) in node.iter_mut() {
        if key != "@context" && key != "id" {
            skolemize_value(value, prefix, count);
        }
    }
}

fn skolemize_value(value: &mut Value, prefix: &str, count: &mut usize) {
    match value {
        Value::Object(map) => skolemize_node(map, prefix, count),
        Value::Array(items) => items.iter_mut().for_each(|v| skolemize_value(v, prefix, count)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Map<String, Value> {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": {"id": "did:example:issuer", "name": "Issuer"},
            "credentialSubject": {
                "id": "_:holder",
                "type": "Person",
                "name": "Jo",
                "birthDate": "2000-01-01",
                "licences": [{"class": "5"}, {"class": "6"}, {"class": "7"}]
            }
        })
        .as_object()
        .unwrap()
        .clone()
    }

    fn pointers(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn a_selection_keeps_ids_and_types_on_the_way_and_arrays_dense() {
        let chosen = select_json_ld(
            &doc(),
            &pointers(&["/credentialSubject/licences/2/class", "/credentialSubject/name"]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            Value::Object(chosen),
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "credentialSubject": {"type": "Person", "name": "Jo", "licences": [{"class": "7"}]}
            })
        );
    }

    #[test]
    fn selecting_a_whole_object_then_a_part_of_it_keeps_the_whole() {
        let whole = select_json_ld(&doc(), &pointers(&["/issuer", "/issuer/name"]))
            .unwrap()
            .unwrap();
        assert_eq!(whole["issuer"], json!({"id": "did:example:issuer", "name": "Issuer"}));
        let whole = select_json_ld(&doc(), &pointers(&["/issuer/name", "/issuer"]))
            .unwrap()
            .unwrap();
        assert_eq!(whole["issuer"], json!({"id": "did:example:issuer", "name": "Issuer"}));
    }

    #[test]
    fn pointers_that_name_nothing_are_errors() {
        for bad in [
            "",
            "issuer",
            "/nope",
            "/credentialSubject/licences/3",
            "/credentialSubject/licences/01",
            "/credentialSubject/name/x",
            "/@context",
            "/proof",
            "/a~2b",
        ] {
            let e = check_pointers(&Value::Object(doc()), &pointers(&[bad])).unwrap_err();
            assert_eq!(e.code(), ErrorCode::PointerInvalid, "{bad}");
        }
        assert!(select_json_ld(&doc(), &[]).unwrap().is_none());
    }

    #[test]
    fn escaped_pointer_steps_are_read() {
        let mut d = doc();
        d.insert("a/b~c".into(), json!(1));
        let chosen = select_json_ld(&d, &pointers(&["/a~1b~0c"])).unwrap().unwrap();
        assert_eq!(chosen["a/b~c"], 1);
    }

    #[test]
    fn skolemizing_names_every_node_object_and_no_value_object() {
        let mut d = doc();
        d.insert("name".into(), json!({"@value": "Permis", "@language": "fr"}));
        let s = skolemize(&d, "urn:sk:");
        assert_eq!(s["id"], "urn:sk:_0");
        assert_eq!(s["issuer"]["id"], "did:example:issuer");
        assert_eq!(s["credentialSubject"]["id"], "urn:sk:holder");
        assert_eq!(s["credentialSubject"]["licences"][2]["id"], "urn:sk:_3");
        assert!(s["name"].get("id").is_none());
        assert_eq!(s["@context"], d["@context"]);
    }
}
