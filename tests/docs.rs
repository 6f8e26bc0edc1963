//! The error-code table in `docs/error-codes.md` (included in the crate
//! docs) is the one generated from `ErrorCode::ALL`.
//! Regenerate with `PASSERELLE_BLESS=1 cargo test --test docs`.

use passerelle::{ErrorCode, Lang};
use std::path::Path;

fn table() -> String {
    let mut out = String::from("| Code | English | Français |\n|---|---|---|\n");
    for code in ErrorCode::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            code.message(Lang::En),
            code.message(Lang::Fr)
        ));
    }
    out
}

#[test]
fn the_error_code_table_is_current() {
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/error-codes.md");
    let expected = table();
    if std::env::var_os("PASSERELLE_BLESS").is_some() {
        std::fs::write(&doc_path, &expected).unwrap();
        return;
    }
    assert_eq!(
        std::fs::read_to_string(&doc_path).unwrap(),
        expected,
        "docs/error-codes.md is stale: PASSERELLE_BLESS=1 cargo test --test docs"
    );
}
