//! Date-times as the data model writes them (XML Schema `dateTimeStamp`).
//!
//! Verification never reads the clock: the caller passes the time of
//! verification as a [`Timestamp`].

use std::fmt;

use crate::error::{quoted, Error, ErrorCode, Result};

/// An instant, to the nanosecond, in UTC.
///
/// Parsed from and printed as `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`,
/// the `dateTimeStamp` form that VCDM 2.0 requires (a time zone is mandatory).
///
/// ```
/// use passerelle::Timestamp;
/// let t = Timestamp::parse("2026-07-01T12:00:00-04:00").unwrap();
/// assert_eq!(t.to_string(), "2026-07-01T16:00:00Z");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
}

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp { seconds, nanos: 0 }
    }

    /// Seconds since 1970-01-01T00:00:00Z (the fraction is dropped).
    pub fn unix_seconds(self) -> i64 {
        self.seconds
    }

    /// The same instant moved by `seconds` (saturating).
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp {
            seconds: self.seconds.saturating_add(seconds),
            nanos: self.nanos,
        }
    }

    /// The current time from the system clock. Only applications call this;
    /// the library's verification takes the time as an input.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            seconds: since.as_secs() as i64,
            nanos: 0,
        }
    }

    /// Parses an XML Schema `dateTimeStamp` (time zone required).
    pub fn parse(text: &str) -> Result<Self> {
        parse(text.as_bytes()).ok_or_else(|| {
            let shown: String = text.chars().take(40).collect();
            Error::new(
                ErrorCode::DateInvalid,
                format!("{} is not an XML Schema dateTimeStamp", quoted(&shown)),
            )
        })
    }
}

fn digits(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    let part = bytes.get(at..at + len)?;
    part.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn expect(bytes: &[u8], at: usize, byte: u8) -> Option<()> {
    (bytes.get(at) == Some(&byte)).then_some(())
}

fn parse(b: &[u8]) -> Option<Timestamp> {
    let year = digits(b, 0, 4)?;
    expect(b, 4, b'-')?;
    let month = digits(b, 5, 2)?;
    expect(b, 7, b'-')?;
    let day = digits(b, 8, 2)?;
    expect(b, 10, b'T')?;
    let hour = digits(b, 11, 2)?;
    expect(b, 13, b':')?;
    let minute = digits(b, 14, 2)?;
    expect(b, 16, b':')?;
    let second = digits(b, 17, 2)?;
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(b[at] - b'0');
            }
            at += 1;
        }
        let count = at - start;
        if count == 0 {
            return None;
        }
        for _ in count..9 {
            nanos *= 10;
        }
    }
    let offset_minutes: i64 = match b.get(at)? {
        b'Z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() => {
            let oh = digits(b, at + 1, 2)?;
            expect(b, at + 3, b':')?;
            let om = digits(b, at + 4, 2)?;
            if oh > 14 || om > 59 || (oh == 14 && om != 0) {
                return None;
            }
            let total = i64::from(oh * 60 + om);
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(Timestamp {
        seconds: local - offset_minutes * 60,
        nanos,
    })
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil: days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // Every proof writes `created`, so the usual four-digit years are
        // laid out by hand rather than through the formatting machinery.
        let Ok(year @ 0..=9999) = u32::try_from(year) else {
            let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
            let sign = if year < 0 { "-" } else { "" };
            let year = year.unsigned_abs();
            write!(f, "{sign}{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")?;
            return self.fmt_fraction(f);
        };
        let mut text = *b"0000-00-00T00:00:00";
        put_digits(&mut text[0..4], year);
        put_digits(&mut text[5..7], month);
        put_digits(&mut text[8..10], day);
        put_digits(&mut text[11..13], (secs / 3600) as u32);
        put_digits(&mut text[14..16], (secs % 3600 / 60) as u32);
        put_digits(&mut text[17..19], (secs % 60) as u32);
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())?;
        self.fmt_fraction(f)
    }
}

impl Timestamp {
    /// Writes the fraction of a second (trailing zeros dropped) and `Z`.
    fn fmt_fraction(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos != 0 {
            let mut fraction = *b".000000000";
            put_digits(&mut fraction[1..], self.nanos);
            let text = std::str::from_utf8(&fraction).unwrap_or_default();
            f.write_str(text.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Writes `value`'s last `slot.len()` decimal digits into `slot`, zero-padded.
fn put_digits(slot: &mut [u8], mut value: u32) {
    for byte in slot.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(|e| serde::de::Error::custom(e.detail()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_and_offsets() {
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
        assert_eq!(
            Timestamp::parse("2023-02-24T23:36:38Z").unwrap().unix_seconds(),
            1_677_281_798
        );
        let west = Timestamp::parse("2026-01-01T00:00:00-05:00").unwrap();
        assert_eq!(west, Timestamp::parse("2026-01-01T05:00:00Z").unwrap());
    }

    #[test]
    fn fractions_order_and_print() {
        let a = Timestamp::parse("2026-01-01T00:00:00.5Z").unwrap();
        let b = Timestamp::parse("2026-01-01T00:00:00.25Z").unwrap();
        assert!(b < a);
        assert_eq!(a.to_string(), "2026-01-01T00:00:00.5Z");
    }

    #[test]
    fn refuses_invalid_forms() {
        for bad in [
            "2026-01-01",
            "2026-01-01T00:00:00",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01t00:00:00z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+15:00",
            "2026-01-01T00:00:00Zjunk",
            "0000-01-01T00:00:00Z",
            "२०२६-01-01T00:00:00Z",
        ] {
            assert_eq!(
                Timestamp::parse(bad).unwrap_err().code(),
                ErrorCode::DateInvalid,
                "{bad}"
            );
        }
        assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn display_round_trips_across_eras() {
        for text in [
            "0001-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2040-02-29T12:34:56Z",
            "9999-12-31T23:59:59Z",
            "2026-11-23T08:05:09.000000001Z",
            "2026-11-23T08:05:09.12Z",
        ] {
            assert_eq!(Timestamp::parse(text).unwrap().to_string(), text);
        }
        let last = Timestamp::parse("9999-12-31T23:59:59.25Z").unwrap();
        assert_eq!(last.plus_seconds(1).to_string(), "10000-01-01T00:00:00.25Z");
        assert_eq!(
            Timestamp::from_unix_seconds(-62_167_219_201).to_string(),
            "-0001-12-31T23:59:59Z"
        );
    }
}
