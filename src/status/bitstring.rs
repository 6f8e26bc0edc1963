//! The status bitstring: index 0 is the left-most bit (Bitstring Status
//! List §7.1), GZIP-compressed and multibase base64url-encoded as
//! `encodedList` (§3.3, §3.4). Expansion is bounded: a GZIP bomb is refused.

use super::gzip;

use crate::crypto::multibase;
use crate::error::{Error, ErrorCode, Result};

/// The spec's minimum number of entries (16 KiB of bits), for herd privacy.
pub const MIN_ENTRIES: u64 = 131_072;

/// Largest expanded bitstring accepted, in bytes (16 MiB: 134 million
/// one-bit entries).
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;

/// Largest `encodedList` accepted, in characters.
pub const MAX_ENCODED_CHARS: usize = 4 * 1024 * 1024;

/// A bitstring of `entries` statuses of `status_size` bits each.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
    status_size: u8,
}

impl std::fmt::Debug for Bitstring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Bitstring({} entries of {} bit(s))",
            self.entries(),
            self.status_size
        )
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::StatusListInvalid, detail)
}

impl Bitstring {
    /// All-zero statuses: `entries` entries of `status_size` bits (1 to 8).
    pub fn new(entries: u64, status_size: u8) -> Result<Self> {
        if !(1..=8).contains(&status_size) {
            return Err(invalid(format!("statusSize {status_size} must be 1 to 8 bits")));
        }
        let bits = entries
            .checked_mul(u64::from(status_size))
            .ok_or_else(|| invalid("too many entries"))?;
        let len = bits.div_ceil(8);
        if len > MAX_EXPANDED_BYTES as u64 {
            return Err(invalid(format!("{entries} entries exceed {MAX_EXPANDED_BYTES} bytes")));
        }
        Ok(Bitstring {
            bytes: vec![0; len as usize],
            status_size,
        })
    }

    /// Wraps expanded bytes.
    pub fn from_bytes(bytes: Vec<u8>, status_size: u8) -> Result<Self> {
        if !(1..=8).contains(&status_size) {
            return Err(invalid(format!("statusSize {status_size} must be 1 to 8 bits")));
        }
        Ok(Bitstring { bytes, status_size })
    }

    /// The expanded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The number of statuses.
    pub fn entries(&self) -> u64 {
        self.bytes.len() as u64 * 8 / u64::from(self.status_size)
    }

    /// Bits per status.
    pub fn status_size(&self) -> u8 {
        self.status_size
    }

    fn check(&self, index: u64) -> Result<u64> {
        if index >= self.entries() {
            return Err(invalid(format!(
                "index {index} is outside the list of {} entries",
                self.entries()
            )));
        }
        Ok(index * u64::from(self.status_size))
    }

    /// The status at `index` (its `status_size` bits, most significant first).
    pub fn get(&self, index: u64) -> Result<u8> {
        self.get_as(index, self.status_size)
    }

    /// The number of statuses of `status_size` bits the bits hold (a list
    /// that does not state its size is read with the entry's).
    pub fn entries_as(&self, status_size: u8) -> u64 {
        self.bytes.len() as u64 * 8 / u64::from(status_size.max(1))
    }

    /// The status at `index` read as `status_size` bits (1 to 8), most
    /// significant first: the bits are the same, the division differs.
    pub fn get_as(&self, index: u64, status_size: u8) -> Result<u8> {
        if !(1..=8).contains(&status_size) {
            return Err(invalid(format!("statusSize {status_size} must be 1 to 8 bits")));
        }
        let entries = self.entries_as(status_size);
        if index >= entries {
            return Err(invalid(format!(
                "index {index} is outside the list of {entries} entries"
            )));
        }
        let first = index * u64::from(status_size);
        let mut value = 0u8;
        for bit in first..first + u64::from(status_size) {
            let byte = self.bytes[(bit / 8) as usize];
            value = (value << 1) | ((byte >> (7 - bit % 8)) & 1);
        }
        Ok(value)
    }

    /// Sets the status at `index` to `value` (which must fit `status_size` bits).
    pub fn set(&mut self, index: u64, value: u8) -> Result<()> {
        let first = self.check(index)?;
        let size = u32::from(self.status_size);
        if size < 8 && u32::from(value) >= 1 << size {
            return Err(invalid(format!("value {value} does not fit in {size} bit(s)")));
        }
        for (i, bit) in (first..first + u64::from(self.status_size)).enumerate() {
            let on = (value >> (size as usize - 1 - i)) & 1 == 1;
            let mask = 0x80u8 >> (bit % 8);
            let byte = &mut self.bytes[(bit / 8) as usize];
            if on {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
        Ok(())
    }

    /// `encodedList`: `u` + base64url(GZIP(bytes)).
    pub fn encode(&self) -> Result<String> {
        Ok(multibase::encode_base64url(&gzip::compress(&self.bytes)))
    }

    /// Expands an `encodedList`, refusing more than `max_bytes` of output
    /// (a GZIP bomb stops there, in bounded memory).
    pub fn decode(encoded: &str, status_size: u8, max_bytes: usize) -> Result<Self> {
        if encoded.len() > MAX_ENCODED_CHARS {
            return Err(invalid("encodedList is too long"));
        }
        if !encoded.starts_with('u') {
            return Err(invalid("encodedList must be multibase base64url (u…)"));
        }
        let compressed = multibase::decode(encoded).map_err(|_| invalid("encodedList is not base64url"))?;
        let expanded = gzip::decompress(&compressed, max_bytes).map_err(|why| match why {
            gzip::TOO_LARGE => invalid(format!("the expanded list is larger than {max_bytes} bytes")),
            why => invalid(format!("encodedList is not GZIP: {why}")),
        })?;
        Bitstring::from_bytes(expanded, status_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_zero_is_the_left_most_bit() {
        let mut list = Bitstring::new(16, 1).unwrap();
        list.set(0, 1).unwrap();
        list.set(9, 1).unwrap();
        assert_eq!(list.as_bytes(), &[0x80, 0x40]);
        assert_eq!(
            (list.get(0).unwrap(), list.get(1).unwrap(), list.get(9).unwrap()),
            (1, 0, 1)
        );
    }

    #[test]
    fn multi_bit_statuses() {
        let mut list = Bitstring::new(8, 2).unwrap();
        list.set(1, 0b10).unwrap();
        list.set(3, 0b11).unwrap();
        assert_eq!(list.as_bytes(), &[0b0010_0011, 0]);
        assert_eq!(list.get(1).unwrap(), 2);
        assert!(list.set(0, 4).is_err());
        assert!(list.get(8).is_err());
    }

    #[test]
    fn the_spec_example_decodes_to_an_empty_list() {
        // Bitstring Status List v1.0, Example 3.
        let list = Bitstring::decode(
            "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
            1,
            MAX_EXPANDED_BYTES,
        )
        .unwrap();
        assert_eq!(list.entries(), MIN_ENTRIES);
        assert!(list.as_bytes().iter().all(|b| *b == 0));
    }

    #[test]
    fn encode_decode_round_trip() {
        let mut list = Bitstring::new(MIN_ENTRIES, 1).unwrap();
        list.set(94_567, 1).unwrap();
        let again = Bitstring::decode(&list.encode().unwrap(), 1, MAX_EXPANDED_BYTES).unwrap();
        assert_eq!(again, list);
    }

    #[test]
    fn a_gzip_bomb_is_refused_in_bounded_memory() {
        // 64 MiB of zeros compress to about 64 KB; expansion stops within 32 KiB past max_bytes.
        use std::io::Write as _;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            gzip.write_all(&zeros).unwrap();
        }
        let bomb = multibase::encode_base64url(&gzip.finish().unwrap());
        assert!(bomb.len() < 1024 * 1024);
        let err = Bitstring::decode(&bomb, 1, 1024 * 1024).unwrap_err();
        assert_eq!(err.code(), ErrorCode::StatusListInvalid);
        assert!(err.detail().contains("larger than"));
    }

    #[test]
    fn malformed_lists_are_refused() {
        for bad in ["", "zAAAA", "u!!!", "uAAAA"] {
            assert_eq!(
                Bitstring::decode(bad, 1, 1024).unwrap_err().code(),
                ErrorCode::StatusListInvalid,
                "{bad}"
            );
        }
    }
}
