//! `BitstringStatusListEntry` (Bitstring Status List §2.1): the
//! `credentialStatus` entries a credential carries.

use serde_json::{json, Map, Value};

use crate::error::{quoted, Error, ErrorCode, Result};

/// The purposes the spec defines, plus any other string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StatusPurpose {
    /// Not reversible: the credential is cancelled.
    Revocation,
    /// Reversible: the credential is temporarily not to be accepted.
    Suspension,
    /// Messages defined by `statusMessage`.
    Message,
    /// An updated credential is available.
    Refresh,
    /// A purpose this library does not interpret.
    Other(String),
}

impl StatusPurpose {
    /// Parses a `statusPurpose` string.
    pub fn parse(text: &str) -> Self {
        match text {
            "revocation" => StatusPurpose::Revocation,
            "suspension" => StatusPurpose::Suspension,
            "message" => StatusPurpose::Message,
            "refresh" => StatusPurpose::Refresh,
            other => StatusPurpose::Other(other.to_owned()),
        }
    }

    /// The `statusPurpose` string.
    pub fn as_str(&self) -> &str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
            StatusPurpose::Message => "message",
            StatusPurpose::Refresh => "refresh",
            StatusPurpose::Other(other) => other,
        }
    }
}

/// One `BitstringStatusListEntry`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEntry {
    /// The purpose.
    pub purpose: StatusPurpose,
    /// The position in the list.
    pub index: u64,
    /// The URL of the status list credential.
    pub list_url: String,
    /// Bits per status (default 1).
    pub status_size: u8,
    /// `statusMessage`: (status as `0x…`, message) pairs, when given: one
    /// for each of the 2^`status_size` values ([`check_messages`]).
    pub messages: Vec<(String, String)>,
    /// `statusReference`: URLs of material about the statuses (empty when
    /// absent; one is written as a string, several as an array).
    pub references: Vec<String>,
}

/// The value of a `statusMessage` status: `0x` then hexadecimal digits.
fn status_value(text: &str) -> Option<u32> {
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// The `statusMessage` rules for a status of `status_size` bits: when there
/// are messages (required above one bit), exactly one for each of the
/// 2^`status_size` values, each status written `0x…` in hexadecimal.
pub fn check_messages(status_size: u8, messages: &[(String, String)]) -> Result<()> {
    if !(1..=8).contains(&status_size) {
        return Err(invalid("statusSize must be 1 to 8"));
    }
    let count = 1usize << status_size;
    if messages.is_empty() && status_size == 1 {
        return Ok(());
    }
    if messages.len() != count {
        return Err(invalid(format!(
            "statusSize {status_size} needs {count} statusMessage entries, one for each value; there are {}",
            messages.len()
        )));
    }
    let mut seen = vec![false; count];
    for (status, _) in messages {
        let value = status_value(status).ok_or_else(|| {
            invalid(format!(
                "statusMessage status {} is not 0x followed by hexadecimal digits",
                quoted(status)
            ))
        })?;
        let slot = seen.get_mut(value as usize).ok_or_else(|| {
            invalid(format!(
                "statusMessage status {status} does not fit in {status_size} bit(s)"
            ))
        })?;
        if std::mem::replace(slot, true) {
            return Err(invalid(format!("statusMessage gives status {status} twice")));
        }
    }
    Ok(())
}

/// The `statusReference` rule: URLs, at least one when present.
pub fn check_references(references: &[String]) -> Result<()> {
    match references.iter().find(|r| !crate::credential::is_url(r)) {
        Some(bad) => Err(invalid(format!("statusReference {} is not a URL", quoted(bad)))),
        None => Ok(()),
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::StatusListInvalid, detail)
}

/// The `type` of a Bitstring Status List entry.
pub const BITSTRING_STATUS_LIST_ENTRY: &str = "BitstringStatusListEntry";

/// One `credentialStatus` entry of a credential, told apart by its `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialStatus {
    /// A `BitstringStatusListEntry`, read and checked.
    Bitstring(StatusEntry),
    /// An entry of other types, which this library does not check.
    Unsupported {
        /// Its `type` values.
        types: Vec<String>,
    },
}

impl CredentialStatus {
    /// Every `credentialStatus` entry of a credential, in order.
    ///
    /// An entry's `type` is a string or a non-empty array of strings (JSON-LD
    /// allows either); an entry is a `BitstringStatusListEntry` when its type
    /// is, or includes, that name.
    ///
    /// ```
    /// use passerelle::status::CredentialStatus;
    /// let credential = serde_json::json!({"credentialStatus": [
    ///     {"type": ["BitstringStatusListEntry"], "statusPurpose": "revocation",
    ///      "statusListIndex": "7", "statusListCredential": "https://status.example/1"},
    ///     {"type": "FooStatus2099"}
    /// ]});
    /// let entries = CredentialStatus::all_of(credential.as_object().unwrap()).unwrap();
    /// assert!(matches!(&entries[0], CredentialStatus::Bitstring(entry) if entry.index == 7));
    /// assert_eq!(entries[1], CredentialStatus::Unsupported { types: vec!["FooStatus2099".into()] });
    /// ```
    pub fn all_of(credential: &Map<String, Value>) -> Result<Vec<CredentialStatus>> {
        let entries: Vec<&Value> = match credential.get("credentialStatus") {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
        };
        let malformed = |why: &str| Error::new(ErrorCode::PropertyInvalid, why);
        entries
            .into_iter()
            .map(|entry| {
                let entry = entry
                    .as_object()
                    .ok_or_else(|| malformed("credentialStatus entries must be objects"))?;
                let types = crate::credential::required_types(entry).ok_or_else(|| {
                    malformed("credentialStatus entries need a type: a string or a non-empty array of strings")
                })?;
                if types.contains(&BITSTRING_STATUS_LIST_ENTRY) {
                    StatusEntry::from_json(entry).map(CredentialStatus::Bitstring)
                } else {
                    Ok(CredentialStatus::Unsupported {
                        types: types.into_iter().map(str::to_owned).collect(),
                    })
                }
            })
            .collect()
    }
}

impl StatusEntry {
    /// The `BitstringStatusListEntry` entries of a credential (see
    /// [`CredentialStatus::all_of`]; entries of other types are left out
    /// here, and the verifier's status check refuses them unless its
    /// [`StatusPolicy`](crate::verify::StatusPolicy) accepts them).
    pub fn all_of(credential: &Map<String, Value>) -> Result<Vec<StatusEntry>> {
        Ok(CredentialStatus::all_of(credential)?
            .into_iter()
            .filter_map(|status| match status {
                CredentialStatus::Bitstring(entry) => Some(entry),
                CredentialStatus::Unsupported { .. } => None,
            })
            .collect())
    }

    /// Reads one entry, checking the spec's rules.
    pub fn from_json(entry: &Map<String, Value>) -> Result<Self> {
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(format!("{key} must be a string")))
        };
        let purpose = StatusPurpose::parse(text("statusPurpose")?);
        let index_text = text("statusListIndex")?;
        if index_text.is_empty() || !index_text.bytes().all(|b| b.is_ascii_digit()) || index_text.len() > 19 {
            return Err(invalid(format!(
                "statusListIndex {} is not a base-10 integer",
                quoted(index_text)
            )));
        }
        let index: u64 = index_text
            .parse()
            .map_err(|_| invalid("statusListIndex is too large"))?;
        let list_url = text("statusListCredential")?.to_owned();
        if !crate::credential::is_url(&list_url) {
            return Err(invalid("statusListCredential must be a URL"));
        }
        let status_size = match entry.get("statusSize") {
            None => 1,
            Some(value) => value
                .as_u64()
                .filter(|s| (1..=8).contains(s))
                .map(|s| s as u8)
                .ok_or_else(|| invalid("statusSize must be 1 to 8"))?,
        };
        let messages: Vec<(String, String)> = match entry.get("statusMessage") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|m| {
                    let status = m
                        .get("status")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid("statusMessage entries need status"))?;
                    let message = m
                        .get("message")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid("statusMessage entries need message"))?;
                    Ok((status.to_owned(), message.to_owned()))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(invalid("statusMessage must be an array")),
        };
        check_messages(status_size, &messages)?;
        let references = match entry.get("statusReference") {
            None => Vec::new(),
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| invalid("statusReference must be a URL or an array of URLs"))
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(invalid("statusReference must be a URL or a non-empty array of URLs")),
        };
        check_references(&references)?;
        Ok(StatusEntry {
            purpose,
            index,
            list_url,
            status_size,
            messages,
            references,
        })
    }

    /// The entry as JSON.
    pub fn to_json(&self) -> Value {
        let mut entry = json!({
            "id": format!("{}#{}", self.list_url, self.index),
            "type": BITSTRING_STATUS_LIST_ENTRY,
            "statusPurpose": self.purpose.as_str(),
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list_url,
        });
        if self.status_size > 1 {
            entry["statusSize"] = self.status_size.into();
        }
        if !self.messages.is_empty() {
            entry["statusMessage"] = self
                .messages
                .iter()
                .map(|(s, m)| json!({"status": s, "message": m}))
                .collect();
        }
        match self.references.as_slice() {
            [] => {}
            [one] => entry["statusReference"] = one.as_str().into(),
            many => entry["statusReference"] = many.iter().map(|r| Value::from(r.as_str())).collect(),
        }
        entry
    }

    /// The message for a status value, when the entry defines messages
    /// (`0x1` and `0x01` are the same status).
    pub fn message_for(&self, value: u8) -> Option<&str> {
        self.messages
            .iter()
            .find(|(s, _)| status_value(s) == Some(u32::from(value)))
            .map(|(_, m)| m.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_examples() {
        let credential = json!({"credentialStatus": [{
            "id": "https://example.com/credentials/status/3#94567", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "94567",
            "statusListCredential": "https://example.com/credentials/status/3"
        }, {
            "id": "https://example.com/credentials/status/8#492847", "type": "BitstringStatusListEntry",
            "statusPurpose": "message", "statusListIndex": "492847", "statusSize": 2,
            "statusListCredential": "https://example.com/credentials/status/8",
            "statusMessage": [{"status":"0x0", "message":"pending_review"}, {"status":"0x1", "message":"accepted"},
                              {"status":"0x2", "message":"rejected"}, {"status":"0x3", "message":"undefined"}]
        }]});
        let entries = StatusEntry::all_of(credential.as_object().unwrap()).unwrap();
        assert_eq!(entries[0].purpose, StatusPurpose::Revocation);
        assert_eq!(entries[0].index, 94_567);
        assert_eq!(entries[1].message_for(2), Some("rejected"));
        assert_eq!(
            StatusEntry::from_json(entries[1].to_json().as_object().unwrap()).unwrap(),
            entries[1]
        );
    }

    #[test]
    fn reads_types_given_as_arrays_and_keeps_unknown_types() {
        let entry = json!({"statusPurpose": "revocation", "statusListIndex": "7",
                           "statusListCredential": "https://e.example/list"});
        let with_type = |t: Value| {
            let mut e = entry.clone();
            e["type"] = t;
            json!({ "credentialStatus": e })
        };
        for t in [
            json!("BitstringStatusListEntry"),
            json!(["BitstringStatusListEntry"]),
            json!(["ExtraType", "BitstringStatusListEntry"]),
        ] {
            let read = CredentialStatus::all_of(with_type(t.clone()).as_object().unwrap()).unwrap();
            assert!(
                matches!(&read[..], [CredentialStatus::Bitstring(e)] if e.index == 7),
                "{t}"
            );
            assert_eq!(StatusEntry::all_of(with_type(t).as_object().unwrap()).unwrap().len(), 1);
        }
        let read = CredentialStatus::all_of(with_type(json!(["FooStatus2099"])).as_object().unwrap()).unwrap();
        assert_eq!(
            read,
            [CredentialStatus::Unsupported {
                types: vec!["FooStatus2099".into()]
            }]
        );
        for t in [json!([]), json!(7), json!(["BitstringStatusListEntry", 7])] {
            assert_eq!(
                CredentialStatus::all_of(with_type(t.clone()).as_object().unwrap())
                    .unwrap_err()
                    .code(),
                ErrorCode::PropertyInvalid,
                "{t}"
            );
        }
    }

    #[test]
    fn refuses_malformed_entries() {
        let base = json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                          "statusListIndex": "7", "statusListCredential": "https://e.example/list"});
        for (key, value) in [
            ("statusListIndex", json!(7)),
            ("statusListIndex", json!("-1")),
            ("statusListIndex", json!("99999999999999999999")),
            ("statusListCredential", json!("not a url")),
            ("statusSize", json!(0)),
            ("statusSize", json!(2)),
        ] {
            let mut entry = base.clone();
            entry[key] = value;
            assert_eq!(
                StatusEntry::from_json(entry.as_object().unwrap()).unwrap_err().code(),
                ErrorCode::StatusListInvalid,
                "{key}"
            );
        }
    }
}
