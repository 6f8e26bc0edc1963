//! The two `ecdsa-sd-2023` proof values (vc-di-ecdsa §3.5.2–3.5.3, §3.5.5–3.5.8):
//! a three-byte header, then a CBOR array of five items, written as
//! multibase base64url (`u…`).
//!
//! Only the CBOR these values use is read — definite-length byte strings,
//! text strings, arrays, maps and unsigned integers, each in its shortest
//! form, no tags — so one proof has one encoding: anything else is
//! `PROOF_VALUE_INVALID`.

use crate::crypto::multibase;
use crate::error::{Error, ErrorCode, Result};

/// Header of a base proof (the issuer's, given to the holder).
pub(super) const BASE_HEADER: [u8; 3] = [0xd9, 0x5d, 0x00];
/// Header of a derived proof (the holder's, given to a verifier).
pub(super) const DERIVED_HEADER: [u8; 3] = [0xd9, 0x5d, 0x01];

/// Bytes of an ECDSA P-256 signature (`r‖s`).
pub(super) const SIGNATURE_LEN: usize = 64;
/// Bytes of a multikey P-256 public key (two header bytes, 33 compressed).
pub(super) const PUBLIC_KEY_LEN: usize = 35;
/// Bytes of the HMAC key and of an HMAC-SHA-256 label.
pub(super) const HMAC_LEN: usize = 32;
/// Most statements one proof may sign: far above any credential, well
/// below what would let a proof value make the verifier allocate much.
pub(super) const MAX_STATEMENTS: usize = 4096;

/// The issuer's base proof (§3.5.2).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct BaseProof {
    pub base_signature: Vec<u8>,
    pub public_key: Vec<u8>,
    pub hmac_key: [u8; HMAC_LEN],
    pub signatures: Vec<Vec<u8>>,
    pub mandatory_pointers: Vec<String>,
}

/// The holder's derived proof (§3.5.7), its label map compressed: canonical
/// label number → HMAC label bytes, ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DerivedProof {
    pub base_signature: Vec<u8>,
    pub public_key: Vec<u8>,
    pub signatures: Vec<Vec<u8>>,
    pub label_map: Vec<(u64, [u8; HMAC_LEN])>,
    pub mandatory_indexes: Vec<u64>,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::ProofValueInvalid, why)
}

impl BaseProof {
    /// §3.5.2 serializeBaseProofValue.
    pub fn encode(&self) -> String {
        let mut out = BASE_HEADER.to_vec();
        head(&mut out, 4, 5);
        bytes(&mut out, &self.base_signature);
        bytes(&mut out, &self.public_key);
        bytes(&mut out, &self.hmac_key);
        head(&mut out, 4, self.signatures.len() as u64);
        for signature in &self.signatures {
            bytes(&mut out, signature);
        }
        head(&mut out, 4, self.mandatory_pointers.len() as u64);
        for pointer in &self.mandatory_pointers {
            head(&mut out, 3, pointer.len() as u64);
            out.extend_from_slice(pointer.as_bytes());
        }
        multibase::encode_base64url(&out)
    }

    /// §3.5.3 parseBaseProofValue, from the decoded multibase bytes.
    pub fn decode(value: &[u8]) -> Result<Self> {
        let mut reader = body(value, BASE_HEADER, "a base proof")?;
        reader.array_of(5)?;
        let base_signature = reader.bytes_of(SIGNATURE_LEN)?;
        let public_key = reader.bytes_of(PUBLIC_KEY_LEN)?;
        let hmac_key = reader.bytes_of(HMAC_LEN)?;
        let mut signatures = Vec::new();
        for _ in 0..reader.array()? {
            signatures.push(reader.bytes_of(SIGNATURE_LEN)?);
        }
        let mut mandatory_pointers = Vec::new();
        for _ in 0..reader.array()? {
            mandatory_pointers.push(reader.text()?);
        }
        reader.end()?;
        Ok(BaseProof {
            base_signature,
            public_key,
            hmac_key: hmac_key.try_into().map_err(|_| invalid("HMAC key length"))?,
            signatures,
            mandatory_pointers,
        })
    }
}

impl std::fmt::Debug for BaseProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The HMAC key is the holder's secret: it would let a verifier link
        // blank node labels to their canonical positions.
        f.debug_struct("BaseProof")
            .field("signatures", &self.signatures.len())
            .field("mandatory_pointers", &self.mandatory_pointers)
            .finish_non_exhaustive()
    }
}

impl DerivedProof {
    /// §3.5.7 serializeDerivedProofValue.
    pub fn encode(&self) -> String {
        let mut out = DERIVED_HEADER.to_vec();
        head(&mut out, 4, 5);
        bytes(&mut out, &self.base_signature);
        bytes(&mut out, &self.public_key);
        head(&mut out, 4, self.signatures.len() as u64);
        for signature in &self.signatures {
            bytes(&mut out, signature);
        }
        head(&mut out, 5, self.label_map.len() as u64);
        for (label, digest) in &self.label_map {
            head(&mut out, 0, *label);
            bytes(&mut out, digest);
        }
        head(&mut out, 4, self.mandatory_indexes.len() as u64);
        for index in &self.mandatory_indexes {
            head(&mut out, 0, *index);
        }
        multibase::encode_base64url(&out)
    }

    /// §3.5.8 parseDerivedProofValue, from the decoded multibase bytes:
    /// map keys and labels must be distinct and mandatory indexes strictly ascending,
    /// so that one derived proof has one meaning.
    pub fn decode(value: &[u8]) -> Result<Self> {
        if value.starts_with(&BASE_HEADER) {
            return Err(Error::new(
                ErrorCode::DerivedProofRequired,
                "the proof is the issuer's base proof; the holder derives a proof from it to present",
            ));
        }
        let mut reader = body(value, DERIVED_HEADER, "a derived proof")?;
        reader.array_of(5)?;
        let base_signature = reader.bytes_of(SIGNATURE_LEN)?;
        let public_key = reader.bytes_of(PUBLIC_KEY_LEN)?;
        let mut signatures = Vec::new();
        for _ in 0..reader.array()? {
            signatures.push(reader.bytes_of(SIGNATURE_LEN)?);
        }
        let mut label_map: Vec<(u64, [u8; HMAC_LEN])> = Vec::new();
        for _ in 0..reader.map()? {
            let label = reader.unsigned()?;
            let digest: [u8; HMAC_LEN] = reader
                .bytes_of(HMAC_LEN)?
                .try_into()
                .map_err(|_| invalid("label length"))?;
            // Two canonical labels under one name would make two blank
            // nodes one in what was signed.
            if label_map.iter().any(|(seen, d)| *seen == label || *d == digest) {
                return Err(invalid(format!("label map repeats c14n{label} or its label")));
            }
            label_map.push((label, digest));
        }
        label_map.sort_unstable_by_key(|(label, _)| *label);
        let mut mandatory_indexes: Vec<u64> = Vec::new();
        for _ in 0..reader.array()? {
            let index = reader.unsigned()?;
            if mandatory_indexes.last().is_some_and(|last| *last >= index) {
                return Err(invalid("mandatory indexes must be strictly ascending"));
            }
            mandatory_indexes.push(index);
        }
        reader.end()?;
        Ok(DerivedProof {
            base_signature,
            public_key,
            signatures,
            label_map,
            mandatory_indexes,
        })
    }
}

/// The bytes after `header`; `what` names the proof for the error.
fn body<'a>(value: &'a [u8], header: [u8; 3], what: &str) -> Result<Reader<'a>> {
    match value.strip_prefix(&header) {
        Some(rest) => Ok(Reader { rest }),
        None => Err(invalid(format!("not {what} of ecdsa-sd-2023 (header)"))),
    }
}

/// Appends a CBOR head: major type `major`, argument `n`, shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn bytes(out: &mut Vec<u8>, value: &[u8]) {
    head(out, 2, value.len() as u64);
    out.extend_from_slice(value);
}

/// A reader of the CBOR subset above.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(invalid("the CBOR ends early"));
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    /// A head of major type `major`: its argument, which must be in shortest form.
    fn head(&mut self, major: u8) -> Result<u64> {
        let initial = self.take(1)?[0];
        if initial >> 5 != major {
            return Err(invalid(format!(
                "CBOR major type {} where {major} was expected",
                initial >> 5
            )));
        }
        let (n, least) = match initial & 0x1f {
            small @ 0..=23 => (u64::from(small), 0),
            24 => (u64::from(self.take(1)?[0]), 24),
            25 => (
                u64::from(u16::from_be_bytes([self.take(1)?[0], self.take(1)?[0]])),
                0x100,
            ),
            26 => {
                let b = self.take(4)?;
                (u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])), 0x1_0000)
            }
            27 => {
                let b = self.take(8)?;
                let mut be = [0; 8];
                be.copy_from_slice(b);
                (u64::from_be_bytes(be), 0x1_0000_0000)
            }
            _ => return Err(invalid("indefinite-length or reserved CBOR item")),
        };
        if n < least {
            return Err(invalid("a CBOR integer is not in its shortest form"));
        }
        Ok(n)
    }

    fn count(&mut self, major: u8) -> Result<usize> {
        let n = self.head(major)?;
        // Each item takes at least one byte: a longer count is a lie.
        match usize::try_from(n) {
            Ok(n) if n <= MAX_STATEMENTS && n <= self.rest.len() => Ok(n),
            _ => Err(invalid(format!("a CBOR array or map of {n} items"))),
        }
    }

    fn array(&mut self) -> Result<usize> {
        self.count(4)
    }

    fn map(&mut self) -> Result<usize> {
        self.count(5)
    }

    fn array_of(&mut self, n: usize) -> Result<()> {
        match self.array()? {
            found if found == n => Ok(()),
            found => Err(invalid(format!("{found} components, not {n}"))),
        }
    }

    fn unsigned(&mut self) -> Result<u64> {
        self.head(0)
    }

    fn bytes_of(&mut self, len: usize) -> Result<Vec<u8>> {
        let found = self.head(2)?;
        if found != len as u64 {
            return Err(invalid(format!("a byte string of {found} bytes, not {len}")));
        }
        Ok(self.take(len)?.to_vec())
    }

    fn text(&mut self) -> Result<String> {
        let len = self.head(3)?;
        let len = usize::try_from(len).map_err(|_| invalid("text too long"))?;
        let raw = self.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|_| invalid("a CBOR text string is not UTF-8"))
    }

    fn end(&self) -> Result<()> {
        match self.rest.is_empty() {
            true => Ok(()),
            false => Err(invalid("bytes after the proof value's CBOR")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived() -> DerivedProof {
        DerivedProof {
            base_signature: vec![1; 64],
            public_key: vec![2; 35],
            signatures: vec![vec![3; 64], vec![4; 64]],
            label_map: vec![(0, [5; 32]), (1, [6; 32])],
            mandatory_indexes: vec![0, 4, 300],
        }
    }

    fn raw(value: &str) -> Vec<u8> {
        multibase::decode(value).unwrap()
    }

    #[test]
    fn derived_proofs_round_trip() {
        let proof = derived();
        assert_eq!(DerivedProof::decode(&raw(&proof.encode())).unwrap(), proof);
    }

    #[test]
    fn base_proofs_round_trip() {
        let proof = BaseProof {
            base_signature: vec![1; 64],
            public_key: vec![2; 35],
            hmac_key: [7; 32],
            signatures: vec![vec![3; 64]; 30],
            mandatory_pointers: vec!["/issuer".into(), "/credentialSubject/é".into()],
        };
        assert_eq!(BaseProof::decode(&raw(&proof.encode())).unwrap(), proof);
        assert!(!format!("{proof:?}").contains("7, 7"), "the HMAC key is not printed");
    }

    #[test]
    fn a_base_proof_given_to_a_verifier_says_so() {
        let mut value = raw(&derived().encode());
        value[2] = 0;
        let e = DerivedProof::decode(&value).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DerivedProofRequired);
    }

    #[test]
    fn every_truncation_and_trailing_byte_is_refused() {
        let value = raw(&derived().encode());
        for cut in 0..value.len() {
            let e = DerivedProof::decode(&value[..cut]).unwrap_err();
            assert_eq!(e.code(), ErrorCode::ProofValueInvalid, "cut at {cut}");
        }
        let mut longer = value.clone();
        longer.push(0);
        assert_eq!(
            DerivedProof::decode(&longer).unwrap_err().code(),
            ErrorCode::ProofValueInvalid
        );
    }

    #[test]
    fn a_second_spelling_of_the_same_proof_is_refused() {
        let value = raw(&derived().encode());
        // The first mandatory index (0) written on two bytes instead of one.
        let at = value.len() - 6;
        assert_eq!(&value[at..at + 2], &[0x83, 0x00]);
        let mut long = value[..at + 1].to_vec();
        long.extend_from_slice(&[0x18, 0x00]);
        long.extend_from_slice(&value[at + 2..]);
        assert!(DerivedProof::decode(&long).unwrap_err().detail().contains("shortest"));
        // Indefinite-length arrays.
        let mut indefinite = value.clone();
        indefinite[3] = 0x9f;
        assert_eq!(
            DerivedProof::decode(&indefinite).unwrap_err().code(),
            ErrorCode::ProofValueInvalid
        );
    }

    #[test]
    fn repeated_labels_and_unordered_indexes_are_refused() {
        let mut proof = derived();
        proof.label_map = vec![(0, [5; 32]), (0, [6; 32])];
        assert!(DerivedProof::decode(&raw(&proof.encode())).is_err());
        proof.label_map = vec![(0, [5; 32]), (1, [5; 32])];
        assert!(DerivedProof::decode(&raw(&proof.encode())).is_err());
        let mut proof = derived();
        proof.mandatory_indexes = vec![4, 0];
        assert!(DerivedProof::decode(&raw(&proof.encode())).is_err());
    }

    #[test]
    fn huge_counts_are_refused_before_allocating() {
        let mut value = DERIVED_HEADER.to_vec();
        value.extend_from_slice(&[0x85, 0x58, 0x40]);
        value.extend_from_slice(&[1; 64]);
        value.extend_from_slice(&[0x58, 0x23]);
        value.extend_from_slice(&[2; 35]);
        value.extend_from_slice(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert!(DerivedProof::decode(&value).unwrap_err().detail().contains("items"));
    }
}
