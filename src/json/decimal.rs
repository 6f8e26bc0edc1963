//! Exact decimal-to-binary conversion of JSON numbers.
//!
//! A JSON number with a fraction or an exponent becomes the nearest `f64`
//! (ties to even). It must be the nearest one: JCS writes the parsed number
//! back, so a reader that is one unit in the last place off signs different
//! bytes than every other implementation. `str::parse::<f64>` is exact but
//! brings about 16 KB of tables to the WebAssembly module (gzipped), and
//! serde_json's exact reader about 9 KB; numbers with fractions are rare in
//! credentials, so this one trades speed for size. Most numbers take the
//! fast path (at most 15 significant digits and a power of ten up to 22,
//! where one correctly rounded multiplication or division is exact); the
//! rest go through a decimal that is shifted by powers of two until it lies
//! in `[0.5, 1)`, then rounded. Numbers whose halfway point needs many digits
//! need at most 767 significant digits; 800 are kept, and the digits dropped
//! beyond them still count when rounding.

/// Significant digits kept; any digit past them only matters as "non-zero".
const MAX_DIGITS: usize = 800;

/// The powers of ten that `f64` holds exactly.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// A decimal `0.d₀d₁d₂… × 10^point`, digits as values 0–9, no leading or
/// trailing zeros; `truncated` if non-zero digits were dropped after them.
struct Decimal {
    digits: Vec<u8>,
    point: i32,
    truncated: bool,
}

/// The nearest `f64` to `text`, a number that already matched the JSON
/// grammar (`-?int frac? exp?`). `None` when it is too large for `f64`.
/// Numbers too small for `f64` become (signed) zero, like every JSON reader.
pub(crate) fn parse_f64(text: &[u8]) -> Option<f64> {
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let decimal = Decimal::read(text);
    let magnitude = decimal.into_f64()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// Whether `text` (a JSON number) may be read as the double `value` it
/// rounds to. A double is signed as its shortest text (RFC 8785
/// §3.2.2.3); when either that text or `text` is an integer and the two
/// mean different numbers, a reader keeping every written digit would act
/// on a value the signature does not cover (`9007199254740993.0` is signed
/// as `9007199254740992`). A fraction rounded to another fraction is the
/// approximation every reader makes, and passes.
pub(crate) fn reads_as_written(text: &[u8], value: f64) -> bool {
    let unsigned = match text.split_first() {
        Some((b'-', rest)) => rest,
        _ => text,
    };
    let written = Decimal::read(unsigned);
    // JCS's own formatter: one copy of the float printer in the module.
    let Ok(signed) = crate::canon::format_number(value.abs()) else {
        return false;
    };
    let shortest = Decimal::read(signed.as_bytes());
    let same = written.digits == shortest.digits && written.point == shortest.point && !written.truncated;
    let integral = written.digits.len() <= written.point.max(0) as usize && !written.truncated;
    same || !(integral || value.fract() == 0.0)
}

impl Decimal {
    fn read(text: &[u8]) -> Decimal {
        let mut digits = Vec::new();
        let mut truncated = false;
        // Digits seen before the '.', leading zeros excluded.
        let mut point: i64 = 0;
        let mut in_fraction = false;
        let mut rest = text;
        while let Some((&byte, tail)) = rest.split_first() {
            match byte {
                b'0'..=b'9' => {
                    let digit = byte - b'0';
                    if digits.is_empty() && digit == 0 {
                        if in_fraction {
                            point -= 1;
                        }
                    } else {
                        if digits.len() < MAX_DIGITS {
                            digits.push(digit);
                        } else if digit != 0 {
                            truncated = true;
                        }
                        if !in_fraction {
                            point += 1;
                        }
                    }
                }
                b'.' => in_fraction = true,
                _ => break,
            }
            rest = tail;
        }
        if let Some((b'e' | b'E', exponent)) = rest.split_first() {
            point += read_exponent(exponent);
        }
        // Past ±400 the result is infinity or zero whatever the digits
        // (`point` is exact here: the digit count plus a saturated exponent).
        let point = point.clamp(-100_000, 100_000) as i32;
        let mut decimal = Decimal {
            digits,
            point,
            truncated,
        };
        decimal.trim();
        decimal
    }

    fn into_f64(mut self) -> Option<f64> {
        if self.digits.is_empty() {
            return Some(0.0);
        }
        if let Some(exact) = self.fast_path() {
            return Some(exact);
        }
        // 10^309 is past f64::MAX; below 10^-330 rounds to zero (the
        // smallest subnormal is about 4.9e-324).
        if self.point > 310 {
            return None;
        }
        if self.point < -330 {
            return Some(0.0);
        }
        let mut exponent: i32 = 0;
        while self.point > 0 {
            let shift = if self.point > 18 { 60 } else { 3 * self.point as u32 };
            self.shift_right(shift);
            exponent += shift as i32;
        }
        while self.point < 0 || self.digits[0] < 5 {
            let shift = if self.point < -18 {
                60
            } else if self.point < 0 {
                3 * (-self.point) as u32
            } else {
                1
            };
            self.shift_left(shift);
            exponent -= shift as i32;
        }
        // Now the value is v × 2^exponent with v in [0.5, 1), that is
        // (2v) × 2^binary with 2v in [1, 2).
        let mut binary = exponent - 1;
        if binary < -1022 {
            // Subnormal: fewer significant bits; shift them out.
            let mut remaining = (-1022 - binary) as u32;
            while remaining > 0 && !self.digits.is_empty() {
                let shift = remaining.min(60);
                self.shift_right(shift);
                remaining -= shift;
            }
            binary = -1022;
        }
        self.shift_left(53);
        let mut mantissa = self.round_to_integer();
        if mantissa == 1 << 53 {
            mantissa >>= 1;
            binary += 1;
        }
        if binary > 1023 {
            return None;
        }
        let bits = if mantissa < 1 << 52 {
            mantissa
        } else {
            (((binary + 1023) as u64) << 52) | (mantissa & ((1 << 52) - 1))
        };
        Some(f64::from_bits(bits))
    }

    /// Exact when the digits fit the 53-bit significand and the power of
    /// ten is exact: one correctly rounded operation.
    fn fast_path(&self) -> Option<f64> {
        if self.digits.len() > 15 || self.truncated {
            return None;
        }
        let whole = self.digits.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d)) as f64;
        let power = self.point - self.digits.len() as i32;
        match power {
            0..=22 => Some(whole * EXACT_POWERS[power as usize]),
            -22..=-1 => Some(whole / EXACT_POWERS[(-power) as usize]),
            _ => None,
        }
    }

    /// Multiplies by 2^shift, shift ≤ 60.
    fn shift_left(&mut self, shift: u32) {
        let mut carry: u64 = 0;
        for digit in self.digits.iter_mut().rev() {
            let product = (u64::from(*digit) << shift) + carry;
            *digit = (product % 10) as u8;
            carry = product / 10;
        }
        let mut head = Vec::new();
        while carry > 0 {
            head.push((carry % 10) as u8);
            carry /= 10;
        }
        self.point += head.len() as i32;
        head.reverse();
        head.append(&mut self.digits);
        self.digits = head;
        self.trim();
    }

    /// Divides by 2^shift, shift ≤ 60.
    fn shift_right(&mut self, shift: u32) {
        let mask = (1u64 << shift) - 1;
        let mut remainder: u64 = 0;
        let mut quotient = Vec::with_capacity(self.digits.len() + 20);
        let mut next = self.digits.iter();
        loop {
            let digit = match next.next() {
                Some(&digit) => digit,
                None if remainder != 0 && quotient.len() < MAX_DIGITS + 20 => 0,
                None => break,
            };
            remainder = remainder * 10 + u64::from(digit);
            let out = (remainder >> shift) as u8;
            remainder &= mask;
            if quotient.is_empty() && out == 0 {
                self.point -= 1;
            } else {
                quotient.push(out);
            }
        }
        if remainder != 0 {
            self.truncated = true;
        }
        self.digits = quotient;
        self.trim();
    }

    fn trim(&mut self) {
        if self.digits.len() > MAX_DIGITS {
            if self.digits[MAX_DIGITS..].iter().any(|&d| d != 0) {
                self.truncated = true;
            }
            self.digits.truncate(MAX_DIGITS);
        }
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// The integer part, rounded to nearest, ties to even.
    fn round_to_integer(&self) -> u64 {
        if self.point < 0 {
            return 0;
        }
        let point = self.point as usize;
        let mut integer: u64 = 0;
        for index in 0..point {
            integer = integer * 10 + u64::from(self.digits.get(index).copied().unwrap_or(0));
        }
        let round_up = match self.digits.get(point) {
            Some(&digit) if digit > 5 => true,
            Some(&5) => self.truncated || self.digits.len() > point + 1 || integer & 1 == 1,
            _ => false,
        };
        integer + u64::from(round_up)
    }
}

/// The exponent after `e`, saturated at ±10^15: the digits before it move
/// the point by at most their count (far less: inputs are bounded in
/// bytes), so a larger exponent still leaves the point past ±400, where the
/// result is infinity or zero, and a smaller one is exact, so the two
/// cancel as they should.
fn read_exponent(text: &[u8]) -> i64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let magnitude = digits
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .fold(0i64, |acc, &byte| {
            (acc * 10 + i64::from(byte - b'0')).min(1_000_000_000_000_000)
        });
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Option<f64> {
        parse_f64(text.as_bytes())
    }

    /// `str::parse` is exact: the oracle.
    fn oracle(text: &str) -> Option<f64> {
        let value: f64 = text.parse().unwrap();
        value.is_finite().then_some(value)
    }

    fn agrees(text: &str) {
        let ours = parse(text).map(f64::to_bits);
        let theirs = oracle(text).map(f64::to_bits);
        assert_eq!(ours, theirs, "{text}");
    }

    #[test]
    fn simple_numbers() {
        for text in [
            "0.5",
            "1.0",
            "-2.5",
            "3.14159",
            "1e3",
            "1E-3",
            "0.1",
            "-0.0",
            "123456789012345.6",
        ] {
            agrees(text);
        }
        assert_eq!(parse("-0.0").unwrap().to_bits(), (-0.0f64).to_bits());
    }

    /// A long run of zeros before the digits moves the exponent the other
    /// way: the exponent must be read exactly far enough that the two
    /// cancel (a saturated exponent read `0.<999 999 zeros>1e1000001`, which
    /// is 10, as 1, under a valid signature).
    #[test]
    fn long_zero_runs_and_large_exponents_cancel_exactly() {
        let zeros = "0".repeat(999_999);
        assert_eq!(parse(&format!("0.{zeros}1e1000001")), Some(10.0));
        assert_eq!(parse(&format!("1{zeros}0e-1000001")), Some(0.1));
        assert_eq!(parse(&format!("0.{zeros}1e1000000000000000000000000")), None);
        assert_eq!(parse(&format!("1{zeros}e-1000000000000000000000000")), Some(0.0));
    }

    #[test]
    fn extremes() {
        for text in [
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1e-400",
            "9007199254740993",
            "9007199254740993.0000000000000000000000000000001",
            "0.000000000000000000000000000000000000000000001e-300",
            "1e0000000000000000000000000000000000003",
        ] {
            agrees(text);
        }
        assert_eq!(parse("1.7976931348623159e308"), None);
        assert_eq!(parse("1e400"), None);
        assert_eq!(parse("1e999999999999999999999"), None);
        assert_eq!(parse("1e-999999999999999999999"), Some(0.0));
    }

    #[test]
    fn long_inputs_are_bounded() {
        let long = format!("0.{}1e5", "0".repeat(100_000));
        agrees(&long);
        let many = format!("{}.5", "7".repeat(5_000));
        assert_eq!(parse(&many), None);
        agrees(&format!("1.{}e-10", "3".repeat(5_000)));
    }

    /// The exact decimal of a value halfway between two doubles, and that
    /// value nudged by one digit each way: the hardest cases for rounding.
    fn halfway(bits: u64) -> String {
        // {:e} of a double is its shortest form, not its exact value: the
        // exact decimal is built by hand from m × 2^e.
        let (mantissa, exponent) = {
            let raw_exponent = ((bits >> 52) & 0x7ff) as i32;
            let fraction = bits & ((1 << 52) - 1);
            if raw_exponent == 0 {
                (fraction, -1074)
            } else {
                (fraction | (1 << 52), raw_exponent - 1075)
            }
        };
        // (2m + 1) × 2^(e-1), exactly, as a decimal string.
        exact_decimal(2 * mantissa + 1, exponent - 1)
    }

    /// `m × 2^e` written out exactly.
    fn exact_decimal(m: u64, e: i32) -> String {
        let mut digits: Vec<u8> = m.to_string().bytes().map(|b| b - b'0').collect();
        let mut point = digits.len() as i64;
        let double = |digits: &mut Vec<u8>, point: &mut i64| {
            let mut carry = 0;
            for d in digits.iter_mut().rev() {
                let x = *d * 2 + carry;
                *d = x % 10;
                carry = x / 10;
            }
            if carry > 0 {
                digits.insert(0, carry);
                *point += 1;
            }
        };
        let halve = |digits: &mut Vec<u8>, point: &mut i64| {
            let mut remainder = 0;
            let mut out = Vec::with_capacity(digits.len() + 1);
            for &d in digits.iter() {
                let x = remainder * 10 + d;
                out.push(x / 2);
                remainder = x % 2;
            }
            if remainder > 0 {
                out.push(5);
            }
            if out[0] == 0 {
                out.remove(0);
                *point -= 1;
            }
            *digits = out;
        };
        for _ in 0..e.max(0) {
            double(&mut digits, &mut point);
        }
        for _ in 0..(-e).max(0) {
            halve(&mut digits, &mut point);
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("0.{text}e{point}")
    }

    /// `0.DIGITSeN` with `extra` appended to its digits.
    fn with_digits(text: &str, extra: &str) -> String {
        let (digits, exponent) = text.split_at(text.find('e').unwrap());
        format!("{digits}{extra}{exponent}")
    }

    #[test]
    fn halfway_cases_round_to_even() {
        for bits in [
            1u64,
            2,
            3,
            0x000f_ffff_ffff_ffff,
            0x0010_0000_0000_0000,
            0x3ff0_0000_0000_0000,
            0x4340_0000_0000_0001,
        ] {
            let text = halfway(bits);
            agrees(&text);
            agrees(&with_digits(&text, "1"));
        }
    }

    proptest! {
        #[test]
        fn any_double_reads_back(bits in any::<u64>()) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            for text in [format!("{value:e}"), format!("{value:?}")] {
                prop_assert_eq!(parse(&text).map(f64::to_bits), Some(bits), "{}", text);
            }
        }

        #[test]
        fn halfway_points_match_the_oracle(bits in 0u64..0x7fef_ffff_ffff_ffff) {
            let text = halfway(bits);
            agrees(&text);
            // One more digit past the halfway point: rounds up.
            agrees(&with_digits(&text, "000001"));
        }

        #[test]
        fn random_decimals_match_the_oracle(
            negative in any::<bool>(),
            int in "[1-9][0-9]{0,40}|0",
            frac in "[0-9]{0,40}",
            exponent in -400i32..400,
        ) {
            let sign = if negative { "-" } else { "" };
            let text = if frac.is_empty() {
                format!("{sign}{int}e{exponent}")
            } else {
                format!("{sign}{int}.{frac}e{exponent}")
            };
            agrees(&text);
        }
    }
}
