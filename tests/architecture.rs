//! `ARCHITECTURE.md` names each module of `src/` and the modules it may
//! use. This test reads every `crate::` path in the library's code (test
//! modules left out) and fails on an arrow the document does not allow, on
//! a module the document does not list, and on a cycle in the allowed
//! arrows. It also keeps the library from reading a clock (principle 1).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The allowed arrows: the rows of the "Modules" table, `module` in the
/// first column and the modules it may use, each in backticks, in the last.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let table = text
        .split("## Modules")
        .nth(1)
        .expect("ARCHITECTURE.md has a Modules section");
    let mut out = BTreeMap::new();
    for line in table.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Some(module) = cells
            .first()
            .and_then(|c| c.strip_prefix('`'))
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        let uses = cells
            .last()
            .unwrap()
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        out.insert(module.trim_end_matches('/').to_owned(), uses);
    }
    out
}

/// The crate root's re-exports (`pub use module::{Name, …}` in lib.rs):
/// `crate::Name` is a use of `module`.
fn reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let mut out = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub use ")) {
        let (module, names) = line.split_once("::").unwrap();
        for name in names
            .trim_end_matches(';')
            .trim_matches(|c| c == '{' || c == '}')
            .split(',')
        {
            out.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its `#[cfg(test)] mod tests` (the last item
/// of a file, by this crate's convention) and without comments (a doc link
/// is no dependency).
fn non_test_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segment after each `crate::` (each item of a
/// `crate::{…}` group), resolved through the root's re-exports.
fn used_modules(code: &str, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let resolve = |segment: &str| -> Option<String> {
        let segment = segment.trim();
        let name: String = segment
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || name == "self" {
            None
        } else if name.starts_with(char::is_uppercase)
            || !segment[name.len()..].starts_with("::") && reexports.contains_key(&name)
        {
            reexports.get(&name).cloned().or(Some(format!("<root>::{name}")))
        } else {
            Some(name)
        }
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(inner.split(',').filter_map(resolve));
        } else {
            out.extend(resolve(rest));
        }
    }
    out
}

#[test]
fn every_use_crate_arrow_is_allowed() {
    let allowed = allowed();
    let reexports = reexports();
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if matches!(module.as_str(), "lib" | "bin") {
            continue;
        }
        let Some(may_use) = allowed.get(&module) else {
            problems.push(format!(
                "{module} (src/{}) is not in ARCHITECTURE.md",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        // A module's tests in a file of their own (`mod tests;` under
        // `#[cfg(test)]`) are test code throughout, like a `mod tests` block.
        let name = relative.file_name().unwrap_or_default().to_string_lossy();
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            continue;
        }
        for used in used_modules(&non_test_code(&text), &reexports) {
            if used != module && !may_use.contains(&used) {
                problems.push(format!(
                    "src/{} uses {used}: {module} → {used} is not allowed",
                    relative.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Principle 1: verification reads no clock. In the library's code (the
/// CLI in `src/bin/` left out: it reads the clock to default `--at`), the
/// one read of the wall clock is `Timestamp::now`'s own, for applications;
/// the other clocks are the HTTP resolver's cache age and the server
/// loop's share of the head deadline a TLS handshake used, both on the
/// monotonic clock (transport concerns, never compared with a time of
/// verification).
#[test]
fn the_library_reads_no_clock() {
    const CLOCKS: &[&str] = &[
        "SystemTime",
        "Instant::now",
        "Timestamp::now",
        "Date::now",
        "Date::new_0",
    ];
    const ALLOWED: &[(&str, &str)] = &[
        ("time.rs", "SystemTime"),
        ("did/web_resolver.rs", "Instant::now"),
        ("http_server.rs", "Instant::now"),
    ];
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with("bin/") {
            continue;
        }
        let code = non_test_code(&std::fs::read_to_string(&file).unwrap());
        for clock in CLOCKS {
            if code.contains(clock) && !ALLOWED.contains(&(relative.as_str(), clock)) {
                problems.push(format!("src/{relative} reads a clock: {clock}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_allowed_arrows_have_no_cycle() {
    let allowed = allowed();
    assert!(allowed.len() > 10, "the Modules table was not read: {allowed:?}");
    // Depth-first search for a back edge, reporting the cycle found.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Result<(), String> {
        if let Some(at) = stack.iter().position(|n| *n == node) {
            return Err(format!("{} → {node}", stack[at..].join(" → ")));
        }
        if !done.insert(node) {
            return Ok(());
        }
        stack.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done)?;
        }
        stack.pop();
        Ok(())
    }
    let mut done = BTreeSet::new();
    for module in allowed.keys() {
        let mut stack = Vec::new();
        if let Err(cycle) = visit(module, &allowed, &mut stack, &mut done) {
            panic!("ARCHITECTURE.md allows a cycle: {cycle}");
        }
    }
}

#[test]
fn a_forbidden_arrow_is_found() {
    // The reader itself: a grouped use, a re-exported name and a path.
    let reexports = reexports();
    let code = "use crate::{json::Limits, Timestamp};\n/// [`Issuer`](crate::Issuer)\nfn f() { crate::canon::jcs::canonicalize(x) }\n#[cfg(test)]\nmod tests { use crate::verify::Report; }";
    let used = used_modules(&non_test_code(code), &reexports);
    assert_eq!(used, ["canon", "json", "time"].iter().map(|s| s.to_string()).collect());
}
