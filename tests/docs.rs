//! The error-code table in `docs/error-codes.md` (included in the crate
//! docs) and in the README is the one generated from `ErrorCode::ALL`.
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

const START: &str = "<!-- error-codes:start -->\n";
const END: &str = "<!-- error-codes:end -->";

#[test]
fn error_code_tables_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected = table();
    let doc_path = root.join("docs/error-codes.md");
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (before, rest) = readme
        .split_once(START)
        .expect("README has the error-codes:start marker");
    let (_, after) = rest.split_once(END).expect("README has the error-codes:end marker");
    let new_readme = format!("{before}{START}{expected}{END}{after}");

    if std::env::var_os("PASSERELLE_BLESS").is_some() {
        std::fs::write(&doc_path, &expected).unwrap();
        std::fs::write(&readme_path, &new_readme).unwrap();
        return;
    }
    assert_eq!(
        std::fs::read_to_string(&doc_path).unwrap(),
        expected,
        "docs/error-codes.md is stale"
    );
    assert_eq!(readme, new_readme, "the README's error-code table is stale");
}
