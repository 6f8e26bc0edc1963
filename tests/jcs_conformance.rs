//! RFC 8785 conformance: the cyberphone test data and the 100 000 ES6 number vectors.

mod common;

use passerelle::canon::{canonicalize, format_number};
use passerelle::json::{parse_strict, Limits};

#[test]
fn every_testdata_case_is_byte_exact() {
    let input_dir = common::conformance_dir().join("jcs-rfc8785/testdata/input");
    let mut names: Vec<_> = std::fs::read_dir(&input_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "expected the six upstream cases");
    let mut failures = Vec::new();
    for name in &names {
        let name = name.to_str().unwrap();
        let input = common::read(&format!("jcs-rfc8785/testdata/input/{name}"));
        let expected = common::read(&format!("jcs-rfc8785/testdata/output/{name}"));
        let value = parse_strict(&input, Limits::default()).unwrap();
        let actual = canonicalize(&value).unwrap();
        if actual != expected {
            failures.push(format!(
                "{name}:\n  got      {}\n  expected {}",
                String::from_utf8_lossy(&actual),
                String::from_utf8_lossy(&expected)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn es6_number_file_matches_line_by_line() {
    let text = String::from_utf8(common::read("jcs-rfc8785/es6-numbers/es6testfile100k.txt")).unwrap();
    let mut count = 0;
    let mut failures = Vec::new();
    for line in text.lines() {
        let (hex, expected) = line.split_once(',').unwrap();
        let value = f64::from_bits(u64::from_str_radix(hex, 16).unwrap());
        let actual = format_number(value).unwrap();
        if actual != expected && failures.len() < 20 {
            failures.push(format!("{hex}: got {actual}, expected {expected}"));
        }
        count += 1;
    }
    assert_eq!(count, 100_000);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn canonical_output_is_a_fixed_point() {
    let input_dir = common::conformance_dir().join("jcs-rfc8785/testdata/output");
    for entry in std::fs::read_dir(input_dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let again = canonicalize(&parse_strict(&bytes, Limits::default()).unwrap()).unwrap();
        assert_eq!(again, bytes);
    }
}
