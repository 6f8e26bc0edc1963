//! passerelle demo: issue Canadian credentials, then verify them and a few
//! that must fail, printing what was checked in English or French.
//!
//! ```text
//! cargo run --example demo                 # English
//! cargo run --example demo -- --lang fr    # français
//! cargo run --example demo -- --out DIR    # where the files go (default target/demo)
//! ```
//!
//! Everything is embedded: fixed demo keys, DID documents supplied offline,
//! and a fixed time of verification, so the output is the same every day.
//! The DIDs are fictional (`.example` domains); the jurisdictions are real.

use std::path::PathBuf;

use passerelle::credential::LanguageValue;
use passerelle::crypto::Ed25519KeyPair;
use passerelle::did::{DidDocument, StaticResolver};
use passerelle::verify::Report;
use passerelle::{Issuer, Lang, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

const BC_MINES: &str = "did:web:mines.bc.passerelle.example";
const ISSUED: &str = "2026-03-02T15:00:00Z";
const NOW: &str = "2026-11-23T12:00:00Z";

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

fn names(en: &str, fr: &str, french_first: bool) -> Value {
    let en = json!({"@value": en, "@language": "en-CA"});
    let fr = json!({"@value": fr, "@language": "fr-CA"});
    if french_first {
        json!([fr, en])
    } else {
        json!([en, fr])
    }
}

fn credential(issuer: &str, kind: &str, name: Value, until: &str, subject: Value) -> Map<String, Value> {
    object(json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", kind],
        "issuer": issuer,
        "name": name,
        "validFrom": ISSUED,
        "validUntil": until,
        "credentialSubject": subject,
    }))
}

fn did_web_document(did: &str, key: &Ed25519KeyPair) -> Value {
    let vm = format!("{did}#key-1");
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": key.public_key_multibase()}],
        "assertionMethod": [vm],
        "authentication": [vm]
    })
}

struct Row {
    note: [&'static str; 2],
    name: Value,
    issuer: String,
    report: Report,
    expect_verified: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lang = Lang::En;
    let mut out = PathBuf::from("target/demo");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lang" => lang = args.next().as_deref().and_then(Lang::parse).ok_or("--lang en|fr")?,
            "--out" => out = args.next().map(PathBuf::from).ok_or("--out DIR")?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    std::fs::create_dir_all(out.join("dids"))?;
    let issued = Timestamp::parse(ISSUED)?;
    let now = Timestamp::parse(NOW)?;

    // Demo keys from fixed seeds: never use fixed seeds for real keys.
    let bc_key = Ed25519KeyPair::from_seed(&[0xBC; 32]);
    let bc = Issuer::new(Ed25519KeyPair::from_seed(&[0xBC; 32]), format!("{BC_MINES}#key-1"))?;
    let federal = Issuer::did_key(Ed25519KeyPair::from_seed(&[0xCA; 32]));
    let quebec = Issuer::did_key(Ed25519KeyPair::from_seed(&[0x9C; 32]));
    let holder = Issuer::did_key(Ed25519KeyPair::from_seed(&[0x42; 32]));
    let impostor = Issuer::did_key(Ed25519KeyPair::from_seed(&[0x66; 32]));

    let bc_document = did_web_document(BC_MINES, &bc_key);
    std::fs::write(
        out.join("dids/mines.bc.passerelle.example.json"),
        serde_json::to_vec_pretty(&bc_document)?,
    )?;
    let mut resolver = StaticResolver::default();
    resolver.insert(DidDocument::from_json(bc_document)?);
    let verifier = Verifier::new(resolver);

    let permit = bc.issue(
        credential(
            BC_MINES,
            "MinesActPermit",
            names("Mines Act Permit", "Permis en vertu de la Mines Act", false),
            "2031-03-02T15:00:00Z",
            json!({"id": "did:example:fictional-creek-mining", "permitNumber": "MX-1-234",
                   "jurisdiction": "CA-BC", "site": "Fictional Creek"}),
        ),
        issued,
    )?;
    let incorporation = federal.issue(
        credential(
            federal.did(),
            "CertificateOfIncorporation",
            names("Certificate of Incorporation", "Certificat de constitution", false),
            "2036-03-02T15:00:00Z",
            json!({"id": "did:example:northern-lights-inc", "legalName": "Northern Lights Inc. / Aurores boréales inc.",
                   "corporationNumber": "000000-0", "statute": "Canada Business Corporations Act"}),
        ),
        issued,
    )?;
    let birth = quebec.issue(
        credential(
            quebec.did(),
            "BirthCertificate",
            names("Birth Certificate", "Certificat de naissance", true),
            "2076-03-02T15:00:00Z",
            json!({"id": "did:example:citizen-7", "givenName": "Élodie", "familyName": "Tremblay",
                   "birthPlace": "Trois-Rivières", "jurisdiction": "CA-QC"}),
        ),
        issued,
    )?;
    let presentation = holder.present(
        object(json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": holder.did(),
            "verifiableCredential": [Value::Object(permit.json().clone()), Value::Object(incorporation.json().clone())]
        })),
        Some("nonce-3141"),
        Some("counter.passerelle.example"),
        now,
    )?;

    let mut tampered = permit.json().clone();
    tampered["credentialSubject"]["permitNumber"] = json!("MX-9-999");
    let mut forged = permit.json().clone();
    forged.shift_remove("proof");
    let forged = passerelle::proof::add_proof(
        &forged,
        passerelle::proof::Cryptosuite::EddsaJcs2022,
        &passerelle::proof::ProofOptions::assertion(impostor.verification_method(), issued),
        &Ed25519KeyPair::from_seed(&[0x66; 32]),
    )?;

    let presented_options = VerifyOptions {
        challenge: Some("nonce-3141".into()),
        domain: Some("counter.passerelle.example".into()),
        ..VerifyOptions::at(now)
    };
    let replay_options = VerifyOptions {
        challenge: Some("nonce-2718".into()),
        ..presented_options.clone()
    };
    let later = VerifyOptions::at(Timestamp::parse("2032-01-01T00:00:00Z")?);

    type Case<'a> = (&'a str, [&'static str; 2], Value, &'a VerifyOptions, bool);
    let cases: Vec<Case<'_>> = vec![
        (
            "bc-mines-act-permit.json",
            ["BC, did:web", "C.-B., did:web"],
            Value::Object(permit.json().clone()),
            &presented_options,
            true,
        ),
        (
            "ca-certificate-of-incorporation.json",
            ["federal, CBCA", "fédéral, LCSA"],
            Value::Object(incorporation.json().clone()),
            &presented_options,
            true,
        ),
        (
            "qc-birth-certificate.json",
            ["Québec, French first", "Québec, français d’abord"],
            Value::Object(birth.json().clone()),
            &presented_options,
            true,
        ),
        (
            "presentation.json",
            ["holder, challenge + domain", "détenteur, défi + domaine"],
            Value::Object(presentation.json().clone()),
            &presented_options,
            true,
        ),
        (
            "negative-tampered-permit.json",
            ["changed after signing", "modifié après signature"],
            Value::Object(tampered),
            &presented_options,
            false,
        ),
        (
            "negative-forged-permit.json",
            ["signed by an impostor", "signé par un imposteur"],
            Value::Object(forged),
            &presented_options,
            false,
        ),
        (
            "bc-mines-act-permit.json",
            ["checked in 2032", "vérifié en 2032"],
            Value::Object(permit.json().clone()),
            &later,
            false,
        ),
        (
            "presentation.json",
            ["replayed, other challenge", "rejouée, autre défi"],
            Value::Object(presentation.json().clone()),
            &replay_options,
            false,
        ),
    ];
    let mut rows = Vec::new();
    for (file, note, document, options, expect_verified) in cases {
        let bytes = serde_json::to_vec_pretty(&document)?;
        std::fs::write(out.join(file), &bytes)?;
        let report = verifier.verify(&bytes, options);
        let name = document
            .get("name")
            .cloned()
            .unwrap_or_else(|| names("Presentation", "Présentation", false));
        let issuer = document
            .get("issuer")
            .or(document.get("holder"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        rows.push(Row {
            note,
            name,
            issuer,
            report,
            expect_verified,
        });
    }

    print_table(&rows, lang);
    let all_as_expected = rows.iter().all(|r| r.report.verified() == r.expect_verified);
    match lang {
        Lang::En => println!(
            "\nFiles written to {}. Reproduce a line with the CLI, e.g.:",
            out.display()
        ),
        Lang::Fr => println!(
            "\nFichiers écrits dans {}. Pour refaire une ligne avec l’outil en ligne de commande :",
            out.display()
        ),
    }
    println!(
        "  cargo run --features cli -- verify --at {NOW} --did-document {0}/dids/mines.bc.passerelle.example.json {0}/bc-mines-act-permit.json",
        out.display()
    );
    if !all_as_expected {
        return Err("a demo line did not give its expected verdict".into());
    }
    Ok(())
}

fn print_table(rows: &[Row], lang: Lang) {
    let headers = match lang {
        Lang::En => ["#", "Credential", "Case", "Issuer", "Verdict", "Reason"],
        Lang::Fr => ["#", "Attestation", "Cas", "Émetteur", "Verdict", "Motif"],
    };
    let h = headers;
    println!(
        "{:<2} {:<32} {:<27} {:<22} {:<14} {}",
        h[0], h[1], h[2], h[3], h[4], h[5]
    );
    for (i, row) in rows.iter().enumerate() {
        let name = LanguageValue::pick(&row.name, lang).unwrap_or_default();
        let issuer: String = if row.issuer.chars().count() > 22 {
            format!("{}…", row.issuer.chars().take(21).collect::<String>())
        } else {
            row.issuer.clone()
        };
        let note = row.note[usize::from(lang == Lang::Fr)];
        let verdict = match (row.report.verified(), lang) {
            (true, Lang::En) => "✔ verified",
            (false, Lang::En) => "✘ not verified",
            (true, Lang::Fr) => "✔ vérifiée",
            (false, Lang::Fr) => "✘ non vérifiée",
        };
        let reason = row
            .report
            .checks()
            .iter()
            .find(|c| c.code.is_some())
            .map(|c| {
                format!(
                    "{} [{}]: {}",
                    c.name.label(lang),
                    c.code.map(|c| c.as_str()).unwrap_or(""),
                    c.message.get(lang)
                )
            })
            .unwrap_or_else(|| match lang {
                Lang::En => "all checks passed".to_owned(),
                Lang::Fr => "toutes les vérifications réussies".to_owned(),
            });
        println!(
            "{:<2} {:<32} {:<27} {:<22} {:<14} {}",
            i + 1,
            name,
            note,
            issuer,
            verdict,
            reason
        );
    }
}
