//! Issuer side: a status list's state (statuses and allocated indexes),
//! random allocation without reuse, and publication as a signed
//! `BitstringStatusListCredential`.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::bitstring::{Bitstring, MAX_EXPANDED_BYTES, MIN_ENTRIES};
use super::entry::{StatusEntry, StatusPurpose};
use crate::crypto::Signer;
use crate::error::{Error, ErrorCode, Result};
use crate::time::Timestamp;
use crate::Issuer;

/// A status list as its issuer keeps it. Serialized (for a [`StatusStore`](super::StatusStore))
/// with both bitstrings as `encodedList` strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Stored", into = "Stored")]
pub struct StatusList {
    /// The URL the status list credential is published at (`statusListCredential`).
    pub url: String,
    /// `revocation`, `suspension`, `message`, …
    pub purpose: String,
    /// Bits per status.
    pub status_size: u8,
    /// `statusMessage` pairs (`0x…`, message) for `message` lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<(String, String)>,
    /// `statusReference` URLs given to every entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    statuses: Bitstring,
    allocated: Bitstring,
    /// How many indexes are taken.
    pub allocated_count: u64,
}

/// The stored form of a [`StatusList`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    url: String,
    purpose: String,
    status_size: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    messages: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    references: Vec<String>,
    statuses: String,
    allocated: String,
    allocated_count: u64,
}

impl TryFrom<Stored> for StatusList {
    type Error = Error;
    fn try_from(s: Stored) -> Result<Self> {
        let statuses = Bitstring::decode(&s.statuses, s.status_size, MAX_EXPANDED_BYTES)?;
        let allocated = Bitstring::decode(&s.allocated, 1, MAX_EXPANDED_BYTES)?;
        if allocated.entries() != statuses.entries() {
            return Err(invalid("the allocation map and the statuses differ in length"));
        }
        let count = allocated
            .as_bytes()
            .iter()
            .map(|b| u64::from(b.count_ones()))
            .sum::<u64>();
        if count != s.allocated_count {
            return Err(invalid("allocated_count does not match the allocation map"));
        }
        Ok(StatusList {
            url: s.url,
            purpose: s.purpose,
            status_size: s.status_size,
            messages: s.messages,
            references: s.references,
            statuses,
            allocated,
            allocated_count: count,
        })
    }
}

impl From<StatusList> for Stored {
    fn from(list: StatusList) -> Self {
        Stored {
            statuses: list.statuses.encode().unwrap_or_default(),
            allocated: list.allocated.encode().unwrap_or_default(),
            url: list.url,
            purpose: list.purpose,
            status_size: list.status_size,
            messages: list.messages,
            references: list.references,
            allocated_count: list.allocated_count,
        }
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::StatusListInvalid, detail)
}

impl StatusList {
    /// A new list of `entries` statuses (at least 131 072, the spec's
    /// minimum for herd privacy) of `status_size` bits, all zero.
    pub fn new(url: impl Into<String>, purpose: &str, entries: u64, status_size: u8) -> Result<Self> {
        let url = url.into();
        if !crate::credential::is_url(&url) {
            return Err(invalid("the status list URL must be a URL"));
        }
        if entries < MIN_ENTRIES {
            return Err(invalid(format!("a status list needs at least {MIN_ENTRIES} entries")));
        }
        if status_size > 1 && StatusPurpose::parse(purpose) != StatusPurpose::Message {
            return Err(invalid("statusSize above 1 is for the message purpose"));
        }
        let statuses = Bitstring::new(entries, status_size)?;
        let allocated = Bitstring::new(entries, 1)?;
        let messages = if status_size > 1 {
            (0..1u32 << status_size)
                .map(|v| (format!("0x{v:x}"), "undefined".to_owned()))
                .collect()
        } else {
            Vec::new()
        };
        Ok(StatusList {
            url,
            purpose: purpose.to_owned(),
            status_size,
            messages,
            references: Vec::new(),
            statuses,
            allocated,
            allocated_count: 0,
        })
    }

    /// The `statusMessage` of every entry: one (`0x…`, message) pair for each
    /// of the 2^`status_size` values ([`super::check_messages`]). For a
    /// list that allocated nothing yet: entries already issued keep theirs.
    pub fn with_messages(mut self, messages: Vec<(String, String)>) -> Result<Self> {
        super::check_messages(self.status_size, &messages)?;
        if self.allocated_count > 0 {
            return Err(invalid("the messages of a list that has issued entries cannot change"));
        }
        self.messages = messages;
        Ok(self)
    }

    /// The `statusReference` URLs of every entry.
    pub fn with_references(mut self, references: Vec<String>) -> Result<Self> {
        super::check_references(&references)?;
        if self.allocated_count > 0 {
            return Err(invalid(
                "the references of a list that has issued entries cannot change",
            ));
        }
        self.references = references;
        Ok(self)
    }

    /// The number of statuses.
    pub fn entries(&self) -> u64 {
        self.allocated.entries()
    }

    /// Takes a random free index (never one taken before) and returns the
    /// `credentialStatus` entry for it.
    pub fn allocate(&mut self) -> Result<StatusEntry> {
        let taken = &mut self.allocated;
        let entries = taken.entries();
        if self.allocated_count >= entries {
            return Err(Error::new(
                ErrorCode::StatusListFull,
                format!("all {entries} indexes of {} are taken", self.url),
            ));
        }
        let mut index = random_below(entries)?;
        // Random probes first; a linear walk from a random start finishes a nearly full list.
        let mut probes = 0;
        while taken.get(index)? == 1 {
            probes += 1;
            index = if probes < 32 {
                random_below(entries)?
            } else {
                (index + 1) % entries
            };
        }
        taken.set(index, 1)?;
        self.allocated_count += 1;
        Ok(self.entry(index))
    }

    /// Takes a chosen free index (migrating existing credentials, fixed
    /// test vectors); prefer [`StatusList::allocate`], whose random indexes
    /// give herd privacy.
    pub fn allocate_at(&mut self, index: u64) -> Result<StatusEntry> {
        if self.allocated.get(index)? == 1 {
            return Err(invalid(format!("index {index} of {} is already taken", self.url)));
        }
        self.allocated.set(index, 1)?;
        self.allocated_count += 1;
        Ok(self.entry(index))
    }

    /// The `credentialStatus` entry for `index`.
    pub fn entry(&self, index: u64) -> StatusEntry {
        StatusEntry {
            purpose: StatusPurpose::parse(&self.purpose),
            index,
            list_url: self.url.clone(),
            status_size: self.status_size,
            messages: self.messages.clone(),
            references: self.references.clone(),
        }
    }

    /// Whether `index` was allocated.
    pub fn is_allocated(&self, index: u64) -> Result<bool> {
        Ok(self.allocated.get(index)? == 1)
    }

    /// The status at `index`.
    pub fn get(&self, index: u64) -> Result<u8> {
        self.statuses.get(index)
    }

    /// Sets the status at an allocated `index` (1 revokes or suspends; 0
    /// reinstates a suspension). A revocation cannot be undone.
    pub fn set(&mut self, index: u64, value: u8) -> Result<()> {
        if !self.is_allocated(index)? {
            return Err(invalid(format!("index {index} of {} was never allocated", self.url)));
        }
        if StatusPurpose::parse(&self.purpose) == StatusPurpose::Revocation
            && self.statuses.get(index)? == 1
            && value == 0
        {
            return Err(invalid("a revocation cannot be undone"));
        }
        self.statuses.set(index, value)
    }

    /// The signed `BitstringStatusListCredential` for this list, issued by
    /// `issuer` at `issued`, valid until `valid_until` when given.
    pub fn publish<S: Signer>(
        &self,
        issuer: &Issuer<S>,
        issued: Timestamp,
        valid_until: Option<Timestamp>,
    ) -> Result<Map<String, Value>> {
        let mut subject = json!({
            "id": format!("{}#list", self.url),
            "type": "BitstringStatusList",
            "statusPurpose": self.purpose,
            "encodedList": self.statuses.encode()?,
        });
        if self.status_size > 1 {
            subject["statusSize"] = self.status_size.into();
            subject["statusMessages"] = self
                .messages
                .iter()
                .map(|(s, m)| json!({"status": s, "message": m}))
                .collect();
        }
        let mut credential = json!({
            "@context": [crate::credential::CONTEXT_V2],
            "id": self.url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer.did(),
            "validFrom": issued.to_string(),
            "credentialSubject": subject,
        });
        if let Some(until) = valid_until {
            credential["validUntil"] = until.to_string().into();
        }
        let Value::Object(credential) = credential else {
            unreachable!("built as an object")
        };
        Ok(issuer.issue(credential, issued)?.into_json())
    }
}

/// The same list as an IETF Token Status List (feature `sd-jwt`), for the
/// SD-JWT VCs whose `status.status_list` names it: revocation and
/// suspension only, since a token status means `VALID`, `INVALID` or
/// `SUSPENDED` and a message list's values mean what its issuer says.
#[cfg(feature = "sd-jwt")]
impl StatusList {
    /// The statuses as a Token Status List: a revoked entry `INVALID` (one
    /// bit per entry), a suspended one `SUSPENDED` (two bits).
    /// `OPTION_INVALID` for a list of another purpose.
    pub fn to_token_list(&self) -> Result<super::token::TokenStatusList> {
        use super::token::{TokenStatusList, INVALID, SUSPENDED};
        let (bits, set) = match StatusPurpose::parse(&self.purpose) {
            StatusPurpose::Revocation => (1, INVALID),
            StatusPurpose::Suspension => (2, SUSPENDED),
            _ => {
                return Err(Error::new(
                    ErrorCode::OptionInvalid,
                    format!(
                        "a {} list has no Token Status List form: a token's statuses are VALID, \
                         INVALID (revocation) and SUSPENDED (suspension)",
                        self.purpose
                    ),
                ))
            }
        };
        let entries = usize::try_from(self.entries()).map_err(|_| invalid("the list is too long"))?;
        let mut token_list = TokenStatusList::new(bits, entries)?;
        for index in 0..self.entries() {
            if self.statuses.get(index)? != 0 {
                token_list.set(index, set)?;
            }
        }
        Ok(token_list)
    }

    /// The signed Status List Token (`statuslist+jwt`) to publish at the
    /// list's URL, its `sub`: issued at `issued`, expiring at `expires`
    /// when given, signed by `signer` with `kid` (the issuer's verification
    /// method, the one its SD-JWT VCs name).
    pub fn publish_token(
        &self,
        signer: &dyn Signer,
        kid: &str,
        issued: Timestamp,
        expires: Option<Timestamp>,
    ) -> Result<String> {
        super::token::sign_status_list_token(&self.to_token_list()?, &self.url, issued, expires, kid, signer)
    }
}

fn random_below(bound: u64) -> Result<u64> {
    // Rejection sampling: no modulo bias.
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let mut bytes = [0u8; 8];
        crate::crypto::random_bytes(&mut bytes)?;
        let value = u64::from_le_bytes(bytes);
        if value < zone {
            return Ok(value % bound);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_never_repeats_and_fills_the_list() {
        let mut list = StatusList::new("https://status.example/1", "revocation", MIN_ENTRIES, 1).unwrap();
        let mut seen = vec![false; MIN_ENTRIES as usize];
        for _ in 0..MIN_ENTRIES {
            let index = list.allocate().unwrap().index as usize;
            assert!(!seen[index], "index {index} given twice");
            seen[index] = true;
        }
        assert_eq!(list.allocate().unwrap_err().code(), ErrorCode::StatusListFull);
        let stored = serde_json::to_string(&list).unwrap();
        let back: StatusList = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, list);
    }

    #[test]
    fn revocation_is_final_and_suspension_reversible() {
        let mut revocations = StatusList::new("https://status.example/r", "revocation", MIN_ENTRIES, 1).unwrap();
        let index = revocations.allocate().unwrap().index;
        revocations.set(index, 1).unwrap();
        assert_eq!(
            revocations.set(index, 0).unwrap_err().code(),
            ErrorCode::StatusListInvalid
        );
        let unallocated = (index + 1) % MIN_ENTRIES;
        assert!(revocations.set(unallocated, 1).is_err());

        let mut suspensions = StatusList::new("https://status.example/s", "suspension", MIN_ENTRIES, 1).unwrap();
        let index = suspensions.allocate().unwrap().index;
        suspensions.set(index, 1).unwrap();
        suspensions.set(index, 0).unwrap();
        assert_eq!(suspensions.get(index).unwrap(), 0);
    }

    #[test]
    fn small_lists_and_multi_bit_non_message_lists_are_refused() {
        assert!(StatusList::new("https://status.example/x", "revocation", 1024, 1).is_err());
        assert!(StatusList::new("https://status.example/x", "revocation", MIN_ENTRIES, 2).is_err());
        let messages = StatusList::new("https://status.example/m", "message", MIN_ENTRIES, 2).unwrap();
        assert_eq!(messages.messages.len(), 4);
    }

    /// Every set status, and only those, in the token form: `INVALID` for
    /// a revocation, `SUSPENDED` for a suspension; the token signed with
    /// the list's URL as its `sub`.
    #[cfg(feature = "sd-jwt")]
    #[test]
    fn revocation_and_suspension_lists_become_token_status_lists() {
        use super::super::token::{TokenStatusList, INVALID, SUSPENDED, VALID};
        use crate::crypto::Ed25519KeyPair;
        for (purpose, bits, set) in [("revocation", 1, INVALID), ("suspension", 2, SUSPENDED)] {
            let mut list = StatusList::new("https://status.example/t", purpose, MIN_ENTRIES, 1).unwrap();
            let taken: Vec<u64> = (0..3).map(|_| list.allocate().unwrap().index).collect();
            list.set(taken[0], 1).unwrap();
            list.set(taken[2], 1).unwrap();
            let token_list = list.to_token_list().unwrap();
            assert_eq!(
                (token_list.bits(), token_list.len() as u64),
                (bits, MIN_ENTRIES),
                "{purpose}"
            );
            let set_at: Vec<u64> = (0..MIN_ENTRIES)
                .filter(|&i| token_list.get(i).unwrap() != VALID)
                .collect();
            let mut expected = vec![taken[0], taken[2]];
            expected.sort();
            assert_eq!(set_at, expected, "{purpose}");
            assert_eq!(token_list.get(taken[0]).unwrap(), set, "{purpose}");

            let key = Ed25519KeyPair::from_seed(&[7; 32]);
            let at = Timestamp::parse("2026-12-01T00:00:00Z").unwrap();
            let token = list.publish_token(&key, "did:example:issuer#k", at, None).unwrap();
            let jwt = crate::jose::parse_signed_jwt(&token, crate::json::Limits::default()).unwrap();
            assert_eq!(jwt.payload["sub"], "https://status.example/t");
            assert_eq!(
                TokenStatusList::from_claim(&jwt.payload["status_list"]).unwrap(),
                token_list
            );
        }
        let messages = StatusList::new("https://status.example/m", "message", MIN_ENTRIES, 2).unwrap();
        assert_eq!(messages.to_token_list().unwrap_err().code(), ErrorCode::OptionInvalid);
    }
}
