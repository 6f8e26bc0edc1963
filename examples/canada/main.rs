//! The pan-Canadian demo: a federal root registry recognizes provincial and
//! territorial registries for their own namespaces; they authorize issuers
//! or recognize regulators and cities in turn. Credentials from each level
//! are verified against that picture, with the negatives a verifier must
//! catch, and the table is printed in English or French.
//!
//! ```text
//! cargo run --release --example canada                # English
//! cargo run --release --example canada -- --lang fr   # français
//! cargo run --release --example canada -- --out DIR   # output folder (default target/canada)
//! ```
//!
//! Everything is embedded (fixed demo keys and times); nothing to start.
//! The output folder holds the credentials, DID documents and snapshots, so
//! any line can be checked again with `passerelle verify`.

mod age;
mod federation;

use std::path::{Path, PathBuf};

use federation::{Line, Scenario, FEDERAL, NOW};
use passerelle::credential::LanguageValue;
use passerelle::did::{DidDocument, FallbackResolver, StaticResolver};
use passerelle::registry::TrustStore;
use passerelle::verify::{Outcome, Report};
use passerelle::{Lang, Verifier, VerifyOptions};
use serde_json::Value;

fn write_json(path: &Path, value: &Value) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    std::fs::write(path, bytes)
}

fn resolver() -> StaticResolver {
    let mut resolver = StaticResolver::default();
    for (did, _) in federation::ENTITIES {
        resolver.insert(DidDocument::from_json(federation::did_document(did)).expect("demo DID document"));
    }
    resolver
}

/// Writes a scenario's snapshots and returns a verifier that trusts the
/// federal root and has loaded them (refusals are kept by the store).
type DemoVerifier = Verifier<FallbackResolver<StaticResolver, passerelle::did::webvh::WebvhLogs>>;

fn verifier_for(scenario: Scenario, out: &Path) -> Result<DemoVerifier, Box<dyn std::error::Error>> {
    let (snapshots, seen) = scenario.snapshots();
    let mut store = TrustStore::new([FEDERAL]);
    for (registry, sequence) in &seen {
        store.mark_seen(registry, *sequence);
    }
    let resolver = resolver();
    let dir = out.join("registries").join(scenario.folder());
    for (name, document) in snapshots {
        let value = Value::Object(document);
        write_json(&dir.join(&name), &value)?;
        let bytes = serde_json::to_vec(&value)?;
        let _ = store.load_snapshot(&bytes, &resolver, federation::t(NOW));
    }
    if !seen.is_empty() {
        let state: serde_json::Map<String, Value> = seen.iter().map(|(id, seq)| (id.clone(), (*seq).into())).collect();
        write_json(
            &out.join("registries").join(format!("{}.seen.json", scenario.folder())),
            &Value::Object(state),
        )?;
    }
    Ok(Verifier::new(FallbackResolver(resolver, federation::webvh_logs()))
        .with_trust(store)
        .with_status(federation::status_lists()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lang = Lang::En;
    let mut out = PathBuf::from("target/canada");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lang" => lang = args.next().as_deref().and_then(Lang::parse).ok_or("--lang en|fr")?,
            "--out" => out = args.next().map(PathBuf::from).ok_or("--out DIR")?,
            other => return Err(format!("unknown argument {other} (use --lang en|fr, --out DIR)").into()),
        }
    }
    // Every DID file twice: flat in dids/ (for --did-dir), and under web/ at the
    // path its URL gives, so that folder can be served as the issuers' sites.
    for (did, _) in federation::ENTITIES {
        let document = federation::did_document(did);
        write_json(
            &out.join("dids")
                .join(format!("{}.json", did.trim_start_matches("did:web:"))),
            &document,
        )?;
        let url = passerelle::did::web::document_url(did)?;
        write_json(&out.join("web").join(url.trim_start_matches("https://")), &document)?;
    }
    let log = federation::yukon_placer_log();
    std::fs::write(
        out.join("dids").join("mining.gov.yk.passerelle.example.jsonl"),
        log.to_jsonl(),
    )?;
    let log_path = out
        .join("web")
        .join(passerelle::did::webvh::log_url(log.did())?.trim_start_matches("https://"));
    std::fs::create_dir_all(log_path.parent().ok_or("a log path has a folder")?)?;
    std::fs::write(&log_path, log.to_jsonl())?;
    let verifiers = [Scenario::Current, Scenario::TamperedYukon, Scenario::RolledBackBc]
        .into_iter()
        .map(|s| verifier_for(s, &out).map(|v| (s, v)))
        .collect::<Result<Vec<_>, _>>()?;
    let options = VerifyOptions::at(federation::t(NOW));
    for (url, document) in federation::status_list_credentials() {
        let name = url.trim_start_matches("https://").replace('/', "_");
        write_json(
            &out.join("status").join(format!("{name}.json")),
            &Value::Object(document),
        )?;
    }

    let mut lines = federation::lines();
    // One line below the registry: a credential changed after signing.
    let mut tampered = lines
        .iter()
        .find(|l| l.file == "bc-mines-act-permit.json")
        .expect("permit")
        .credential
        .clone();
    tampered["credentialSubject"]["permitNumber"] = "MX-9-999".into();
    lines.push(Line {
        file: "negative-tampered-permit.json",
        case: ["changed after signing", "modifié après signature"],
        credential: tampered,
        scenario: Scenario::Current,
        expected: Some("PROOF_SIGNATURE_INVALID"),
    });

    let mut rows = Vec::new();
    for line in &lines {
        let value = Value::Object(line.credential.clone());
        write_json(&out.join("credentials").join(line.file), &value)?;
        let verifier = &verifiers.iter().find(|(s, _)| *s == line.scenario).expect("scenario").1;
        let report = verifier.verify(&serde_json::to_vec(&value)?, &options);
        let name = |lang| {
            line.credential
                .get("name")
                .and_then(|n| LanguageValue::pick(n, lang))
                .unwrap_or("")
                .to_owned()
        };
        let issuer = line.credential.get("issuer").and_then(Value::as_str).unwrap_or("");
        rows.push(Row {
            file: line.file,
            name: [name(Lang::En), name(Lang::Fr)],
            case: line.case,
            issuer: issuer.to_owned(),
            expected: line.expected,
            report,
        });
    }
    // The age credential, shown at a counter: a vc+sd-jwt presentation
    // with the over-19 claim alone, checked against the clerk's request.
    let at_counter = VerifyOptions {
        challenge: Some(age::CLERK_NONCE.into()),
        domain: Some(age::CLERK.into()),
        ..options.clone()
    };
    let current = &verifiers
        .iter()
        .find(|(s, _)| *s == Scenario::Current)
        .expect("scenario")
        .1;
    for line in age::presented_lines() {
        std::fs::write(out.join("credentials").join(line.file), format!("{}\n", line.text))?;
        rows.push(Row {
            file: line.file,
            name: line.name.map(str::to_owned),
            case: line.case,
            issuer: line.issuer.to_owned(),
            expected: line.expected,
            report: current.verify(
                line.text.as_bytes(),
                &VerifyOptions {
                    required_claims: line.required.iter().map(|p| p.to_string()).collect(),
                    ..at_counter.clone()
                },
            ),
        });
    }
    // Positives first, in each group the order given.
    rows.sort_by_key(|row| row.expected.is_some());
    print_table(&rows, lang);

    let unexpected: Vec<&str> = rows
        .iter()
        .filter(|row| first_code(&row.report) != row.expected || row.report.verified() != row.expected.is_none())
        .map(|row| row.file)
        .collect();
    match lang {
        Lang::En => println!(
            "\nFiles written to {}. Check a line again with the CLI, for example:",
            out.display()
        ),
        Lang::Fr => println!(
            "\nFichiers écrits dans {}. Pour revérifier une ligne avec l’outil en ligne de commande :",
            out.display()
        ),
    }
    println!(
        "  cargo run --features cli -- verify --at {NOW} --trust-anchor {FEDERAL} \\\n    --registry {0}/registries/current --did-dir {0}/dids --did-log {0}/dids/mining.gov.yk.passerelle.example.jsonl \\\n    --status-list {0}/status {0}/credentials/bc-mines-act-permit.json",
        out.display()
    );
    if !unexpected.is_empty() {
        return Err(format!("lines without their expected verdict: {unexpected:?}").into());
    }
    Ok(())
}

fn first_code(report: &Report) -> Option<&'static str> {
    report
        .checks()
        .iter()
        .find(|c| c.outcome == Outcome::Failed)
        .and_then(|c| c.code)
        .map(|c| c.as_str())
}

/// One line of the table: what was verified and what came of it.
struct Row {
    file: &'static str,
    name: [String; 2],
    case: [&'static str; 2],
    issuer: String,
    expected: Option<&'static str>,
    report: Report,
}

fn print_table(rows: &[Row], lang: Lang) {
    let h = match lang {
        Lang::En => ["#", "Credential", "Case", "Issuer", "Verdict"],
        Lang::Fr => ["#", "Attestation", "Cas", "Émetteur", "Verdict"],
    };
    println!("{:<3}{:<34}{:<30}{:<47}{}", h[0], h[1], h[2], h[3], h[4]);
    for (i, row) in rows.iter().enumerate() {
        let report = &row.report;
        let fr = usize::from(lang == Lang::Fr);
        let name = &row.name[fr];
        let issuer = row.issuer.trim_start_matches("did:web:");
        // did:webvh:<SCID>:host… — show the host part.
        let issuer = issuer
            .strip_prefix("did:webvh:")
            .and_then(|rest| rest.split_once(':'))
            .map(|(_, host)| host)
            .unwrap_or(issuer);
        let verdict = match (report.verified(), lang) {
            (true, Lang::En) => "✔ verified",
            (false, Lang::En) => "✘ not verified",
            (true, Lang::Fr) => "✔ vérifiée",
            (false, Lang::Fr) => "✘ non vérifiée",
        };
        let case = row.case[fr];
        println!("{:<3}{:<34}{:<30}{:<47}{}", i + 1, name, case, issuer, verdict);
        let reason = report
            .checks()
            .iter()
            .find(|c| c.outcome == Outcome::Failed)
            .or_else(|| report.checks().iter().find(|c| c.name.as_str() == "trust"));
        if let Some(check) = reason {
            let code = check.code.map(|c| format!("[{c}] ")).unwrap_or_default();
            println!("   └ {}: {code}{}", check.name.label(lang), check.message.get(lang));
        }
    }
}
