//! GZIP (RFC 1952) around miniz_oxide's DEFLATE, for `encodedList`.
//!
//! A status list holds one GZIP member. Expansion goes into a buffer that
//! doubles, never past the caller's limit, so a GZIP bomb costs bounded
//! memory; the member's CRC-32 and length are checked. Written here rather than through a GZIP
//! crate because the browser build needs only this much of one.

use miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
use miniz_oxide::inflate::core::{decompress as inflate, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Why a GZIP member was refused (in English, for the error detail).
pub(crate) type GzipError = &'static str;

/// The refusal of a member that expands past the limit.
pub(crate) const TOO_LARGE: GzipError = "expands past the limit";

const ID: [u8; 2] = [0x1f, 0x8b];
const DEFLATE: u8 = 8;
const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
const RESERVED: u8 = 0xe0;

/// Compresses `data` into one GZIP member (maximum compression).
pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(data, 10);
    let mut out = Vec::with_capacity(deflated.len() + 18);
    // No name, no time (0), "unknown" operating system: the same bytes everywhere.
    out.extend_from_slice(&[ID[0], ID[1], DEFLATE, 0, 0, 0, 0, 0, 2, 255]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Expands one GZIP member, refusing output over `max_bytes`.
pub(crate) fn decompress(member: &[u8], max_bytes: usize) -> Result<Vec<u8>, GzipError> {
    let body = header_length(member)?;
    // miniz_oxide's core inflater into an output buffer that doubles up to
    // the limit (its stream API costs the wasm verifier more code).
    let mut inflater = Box::<DecompressorOxide>::default();
    let mut input = &member[body..];
    let mut out = vec![0u8; (4 * input.len()).clamp(1, max_bytes.max(1))];
    let mut written = 0;
    loop {
        let (status, read, wrote) = inflate(
            &mut inflater,
            input,
            &mut out,
            written,
            TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
        );
        input = &input[read..];
        written += wrote;
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput if out.len() >= max_bytes => return Err(TOO_LARGE),
            TINFLStatus::HasMoreOutput => out.resize((2 * out.len()).min(max_bytes), 0),
            _ => return Err("corrupt or truncated DEFLATE data"),
        }
    }
    out.truncate(written);
    let [c0, c1, c2, c3, s0, s1, s2, s3] = *input else {
        return Err("the trailer is missing or followed by more data");
    };
    if u32::from_le_bytes([c0, c1, c2, c3]) != crc32(&out) {
        return Err("the CRC-32 does not match");
    }
    if u32::from_le_bytes([s0, s1, s2, s3]) != out.len() as u32 {
        return Err("the length does not match");
    }
    Ok(out)
}

/// The length of the member's header (RFC 1952 §2.3.1).
fn header_length(member: &[u8]) -> Result<usize, GzipError> {
    let [id1, id2, method, flags, ..] = *member else {
        return Err("too short");
    };
    if [id1, id2] != ID || method != DEFLATE || flags & RESERVED != 0 {
        return Err("not a GZIP header");
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let length = member.get(at..at + 2).ok_or("truncated header")?;
        at += 2 + usize::from(u16::from_le_bytes([length[0], length[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let text = member.get(at..).ok_or("truncated header")?;
            at += 1 + text.iter().position(|b| *b == 0).ok_or("truncated header")?;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    if at > member.len() {
        return Err("truncated header");
    }
    Ok(at)
}

/// CRC-32 (ISO 3309, as GZIP uses), four bytes per step ("slicing by 4":
/// a 16 KiB list is checked on every cold status read, and one lookup per
/// byte made that a tenth of the read). The 4 KiB of tables are computed on
/// first use rather than stored: they would be 3.5 KB of the gzipped
/// WebAssembly module, and take microseconds to compute.
fn crc32(data: &[u8]) -> u32 {
    static TABLES: std::sync::OnceLock<[[u32; 256]; 4]> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(crc32_tables);
    let mut crc = !0u32;
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        let x = crc ^ u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        crc = tables[3][(x & 0xff) as usize]
            ^ tables[2][((x >> 8) & 0xff) as usize]
            ^ tables[1][((x >> 16) & 0xff) as usize]
            ^ tables[0][(x >> 24) as usize];
    }
    for byte in words.remainder() {
        crc = tables[0][((crc ^ u32::from(*byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Table 0 is the CRC of each byte value; table k that of the byte followed
/// by k zero bytes.
fn crc32_tables() -> [[u32; 256]; 4] {
    let mut tables = [[0u32; 256]; 4];
    for (value, slot) in tables[0].iter_mut().enumerate() {
        let mut crc = value as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
        *slot = crc;
    }
    for value in 0..256 {
        for k in 1..4 {
            let previous = tables[k - 1][value];
            tables[k][value] = (previous >> 8) ^ tables[0][(previous & 0xff) as usize];
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn reads_what_a_gzip_library_writes_with_every_header_field() {
        let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8 & 0x81).collect();
        let mut encoder = flate2::GzBuilder::new()
            .filename("list.bin")
            .comment("status")
            .extra(vec![1, 2, 3])
            .write(Vec::new(), flate2::Compression::default());
        encoder.write_all(&data).unwrap();
        let member = encoder.finish().unwrap();
        assert_eq!(decompress(&member, data.len()).unwrap(), data);
        assert_eq!(decompress(&member, data.len() - 1), Err(TOO_LARGE));
    }

    #[test]
    fn a_gzip_library_reads_what_this_writes() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 13) as u8).collect();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&compress(&data)[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn damage_is_refused() {
        let member = compress(&[0u8; 4096]);
        let mut bad_crc = member.clone();
        let at = bad_crc.len() - 8;
        bad_crc[at] ^= 1;
        assert_eq!(decompress(&bad_crc, 1 << 20), Err("the CRC-32 does not match"));
        let mut extra = member.clone();
        extra.push(0);
        assert!(decompress(&extra, 1 << 20).is_err());
        assert!(decompress(&member[..member.len() - 3], 1 << 20).is_err());
        assert!(decompress(&member[..12], 1 << 20).is_err());
        assert!(decompress(&[0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 0], 1 << 20).is_err());
        assert!(decompress(&[0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 0, 0, b'a'], 1 << 20).is_err());
    }

    proptest::proptest! {
        #[test]
        fn round_trip(data in proptest::collection::vec(proptest::num::u8::ANY, 0..3000)) {
            proptest::prop_assert_eq!(decompress(&compress(&data), data.len()).unwrap(), data);
        }

        #[test]
        fn crc32_equals_a_bit_at_a_time_crc(data in proptest::collection::vec(proptest::num::u8::ANY, 0..100)) {
            let mut slow = !0u32;
            for byte in &data {
                slow ^= u32::from(*byte);
                for _ in 0..8 {
                    slow = if slow & 1 == 1 { (slow >> 1) ^ 0xEDB8_8320 } else { slow >> 1 };
                }
            }
            proptest::prop_assert_eq!(crc32(&data), !slow);
        }

        #[test]
        fn any_input_is_refused_or_read_without_panic(member in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = decompress(&member, 1 << 16);
        }
    }
}
