//! Base58 with the Bitcoin alphabet, as multibase `z` uses.
//!
//! Signatures and keys are encoded on every issue and decoded on every
//! verify, so this works on limbs of 58^5 rather than one digit at a time.

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const CHUNK: u64 = 58 * 58 * 58 * 58 * 58; // 58^5 < 2^32

const fn decode_table() -> [u8; 128] {
    let mut table = [0xFF; 128];
    let mut i = 0;
    while i < 58 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
}
const DECODE: [u8; 128] = decode_table();

/// Encodes bytes in base58btc (without the multibase `z`).
pub fn encode(input: &[u8]) -> String {
    let zeros = input.iter().take_while(|b| **b == 0).count();
    // The number as big-endian base-2^32 limbs.
    let rest = &input[zeros..];
    let mut limbs: Vec<u32> = Vec::with_capacity(rest.len() / 4 + 1);
    let head = rest.len() % 4;
    if head > 0 {
        limbs.push(rest[..head].iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)));
    }
    for chunk in rest[head..].chunks_exact(4) {
        limbs.push(u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]));
    }
    let mut digits: Vec<u8> = Vec::with_capacity(rest.len() * 138 / 100 + 5);
    let mut start = 0;
    while start < limbs.len() {
        // Divide by 58^5, keeping the remainder: five base58 digits.
        let mut remainder = 0u64;
        for limb in &mut limbs[start..] {
            let value = (remainder << 32) | u64::from(*limb);
            *limb = (value / CHUNK) as u32;
            remainder = value % CHUNK;
        }
        while start < limbs.len() && limbs[start] == 0 {
            start += 1;
        }
        for _ in 0..5 {
            digits.push((remainder % 58) as u8);
            remainder /= 58;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let mut out = Vec::with_capacity(zeros + digits.len());
    out.resize(zeros, b'1');
    out.extend(digits.iter().rev().map(|d| ALPHABET[usize::from(*d)]));
    String::from_utf8(out).unwrap_or_default() // the alphabet is ASCII
}

/// Decodes base58btc; `None` on a character outside the alphabet.
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let zeros = bytes.iter().take_while(|b| **b == b'1').count();
    let mut values = Vec::with_capacity(bytes.len());
    for &c in bytes {
        let v = *DECODE.get(usize::from(c))?;
        if v == 0xFF {
            return None;
        }
        values.push(v);
    }
    // Little-endian base-2^32 limbs, built five digits at a time.
    let mut limbs: Vec<u32> = Vec::with_capacity(bytes.len() / 5 + 1);
    let rest = &values[zeros..];
    let head = rest.len() % 5;
    let groups = (head > 0)
        .then(|| &rest[..head])
        .into_iter()
        .chain(rest[head..].chunks_exact(5));
    for group in groups {
        let multiplier = 58u64.pow(group.len() as u32);
        let mut carry = group.iter().fold(0u64, |acc, d| acc * 58 + u64::from(*d));
        for limb in &mut limbs {
            let value = u64::from(*limb) * multiplier + carry;
            *limb = value as u32;
            carry = value >> 32;
        }
        while carry > 0 {
            limbs.push(carry as u32);
            carry >>= 32;
        }
    }
    let mut out = vec![0u8; zeros];
    let mut big_endian: Vec<u8> = limbs.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
    let leading = big_endian.iter().take_while(|b| **b == 0).count();
    big_endian.drain(..leading);
    out.extend_from_slice(&big_endian);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(encode(b""), "");
        assert_eq!(encode(&[0]), "1");
        assert_eq!(encode(&[0, 0, 1]), "112");
        assert_eq!(encode(b"hello world"), "StV1DL6CwTryKyV");
        assert_eq!(decode("StV1DL6CwTryKyV").unwrap(), b"hello world");
        assert_eq!(decode("").unwrap(), b"");
        assert!(decode("0").is_none());
        assert!(decode("é").is_none());
    }

    proptest! {
        #[test]
        fn matches_the_bs58_crate(bytes in prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..100)) {
            let ours = encode(&bytes);
            prop_assert_eq!(&ours, &bs58::encode(&bytes).into_string());
            prop_assert_eq!(decode(&ours).unwrap(), bytes);
        }

        #[test]
        fn decodes_like_the_bs58_crate(text in "[1-9A-HJ-NP-Za-km-z]{0,60}") {
            prop_assert_eq!(decode(&text), bs58::decode(&text).into_vec().ok());
        }
    }
}
