//! Trust registry cases: the pan-Canadian demo federation, line by line,
//! and the registry failure modes it does not show.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::{fails, pretty, Expect, Vectors, VERIFIED};

#[path = "../../../examples/canada/federation.rs"]
mod federation;

use federation::*;

fn host(did: &str) -> &str {
    did.trim_start_matches("did:web:")
}

struct Files {
    dids: Vec<String>,
    current: BTreeMap<String, String>,
    status_lists: Value,
    did_logs: Value,
}

fn write_snapshot(v: &mut Vectors, path: String, document: &Map<String, Value>) -> String {
    v.files.insert(path.clone(), pretty(&Value::Object(document.clone())));
    path
}

fn with_replaced(files: &Files, registry: &str, path: &str) -> Vec<String> {
    files
        .current
        .iter()
        .map(|(id, p)| if id == registry { path.to_owned() } else { p.clone() })
        .collect()
}

fn bc_variant(v: &mut Vectors, name: &str, change: impl Fn(&mut passerelle::registry::Authorization)) -> String {
    let mut bc = registries().into_iter().find(|r| r.id == BC).expect("BC registry");
    let mines = bc
        .authorizations
        .iter_mut()
        .find(|a| a.entity_id == BC_MINES)
        .expect("mines authorization");
    change(mines);
    write_snapshot(v, format!("registry/snapshots/{name}.json"), &snapshot(&bc))
}

#[allow(clippy::too_many_arguments)]
fn case(
    v: &mut Vectors,
    id: &str,
    description: &str,
    credential: &Map<String, Value>,
    files: &Files,
    registries: Vec<String>,
    options: Value,
    expect: Expect<'_>,
) {
    let input = format!("registry/cases/{id}.json");
    v.files
        .insert(input.clone(), pretty(&Value::Object(credential.clone())));
    let mut opts = json!({"time": NOW, "trustAnchors": [FEDERAL], "registries": registries, "statusLists": files.status_lists, "didLogs": files.did_logs});
    if let (Value::Object(base), Value::Object(more)) = (&mut opts, options) {
        base.extend(more);
    }
    v.add_case(id, description, &input, &files.dids, opts, expect);
}

/// Adds the registry cases and their files.
pub(crate) fn registry_cases(v: &mut Vectors) {
    let mut files = Files {
        dids: Vec::new(),
        current: BTreeMap::new(),
        status_lists: Value::Null,
        did_logs: Value::Null,
    };
    for (did, _) in ENTITIES {
        let path = format!("registry/dids/{}.json", host(did));
        v.files.insert(path.clone(), pretty(&did_document(did)));
        files.dids.push(path);
    }
    for registry in registries() {
        let path = write_snapshot(
            v,
            format!("registry/snapshots/{}.json", host(&registry.id)),
            &snapshot(&registry),
        );
        files.current.insert(registry.id.clone(), path);
    }
    let current: Vec<String> = files.current.values().cloned().collect();
    let mut status_lists = Map::new();
    for (url, document) in status_list_credentials() {
        let path = format!(
            "registry/status/{}.json",
            url.trim_start_matches("https://").replace('/', "_")
        );
        v.files.insert(path.clone(), pretty(&Value::Object(document)));
        status_lists.insert(url, Value::String(path));
    }
    files.status_lists = Value::Object(status_lists);
    let log = yukon_placer_log();
    let log_path = "registry/dids/mining.gov.yk.passerelle.example.jsonl".to_owned();
    v.files.insert(log_path.clone(), log.to_jsonl().into_bytes());
    files.did_logs = json!({ log.did(): log_path });

    for line in lines() {
        let id = format!(
            "registry-{}",
            line.file.trim_end_matches(".json").trim_start_matches("negative-")
        );
        let (registries, options) = match line.scenario {
            Scenario::Current => (current.clone(), json!({})),
            Scenario::TamperedYukon => {
                let (snapshots, _) = line.scenario.snapshots();
                let tampered = write_snapshot(
                    v,
                    "registry/snapshots/tampered-yukon.json".into(),
                    &snapshots[&format!("{}.json", host(YT))],
                );
                (with_replaced(&files, YT, &tampered), json!({}))
            }
            Scenario::RolledBackBc => {
                let (snapshots, seen) = line.scenario.snapshots();
                let older = write_snapshot(
                    v,
                    "registry/snapshots/rolled-back-bc.json".into(),
                    &snapshots[&format!("{}.json", host(BC))],
                );
                let seen: Map<String, Value> = seen.into_iter().map(|(id, seq)| (id, seq.into())).collect();
                (with_replaced(&files, BC, &older), json!({"seen": seen}))
            }
        };
        let id = if line.scenario == Scenario::Current {
            id
        } else {
            format!("{id}-{}", line.scenario.folder())
        };
        let description = format!("Pan-Canadian demo: {}.", line.case[0]);
        let expect = match line.expected {
            None => VERIFIED,
            Some(code) if code.starts_with("CREDENTIAL_") => fails(Box::leak(Box::new([("status", code)]))),
            Some(code) => fails(Box::leak(Box::new([("trust", code)]))),
        };
        case(
            v,
            &id,
            &description,
            &line.credential,
            &files,
            registries,
            options,
            expect,
        );
    }

    let permit = lines()
        .into_iter()
        .find(|l| l.file == "bc-mines-act-permit.json")
        .expect("permit")
        .credential;
    let incorporation = lines()
        .into_iter()
        .find(|l| l.file == "ca-certificate-of-incorporation.json")
        .expect("certificate")
        .credential;

    // BC's credential of a federal type, which BC is not authorized to
    // issue, changed after signing: the proof fails, and the trust check,
    // which would read the unsigned issuer and type, is not run.
    let mut federal_type = lines()
        .into_iter()
        .find(|l| l.file == "negative-bc-issues-federal-type.json")
        .expect("federal type")
        .credential;
    federal_type["credentialSubject"]["name"] = json!("Someone Else Ltd.");
    case(
        v,
        "registry-bc-issues-federal-type-proof-broken",
        "BC's credential of a federal type, changed after signing: only the proof fails; the unauthorized issuer and type it claims, which no valid signature covers, are not judged.",
        &federal_type,
        &files,
        current.clone(),
        json!({}),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    let suspended = bc_variant(v, "bc-mines-suspended", |a| {
        a.status = passerelle::registry::Status::Suspended
    });
    case(
        v,
        "registry-authorization-suspended",
        "The BC registry suspended the Chief Inspector of Mines' authorization.",
        &permit,
        &files,
        with_replaced(&files, BC, &suspended),
        json!({}),
        fails(&[("trust", "AUTHORIZATION_SUSPENDED")]),
    );
    let revoked = bc_variant(v, "bc-mines-revoked", |a| {
        a.status = passerelle::registry::Status::Revoked
    });
    case(
        v,
        "registry-authorization-revoked",
        "The BC registry revoked the Chief Inspector of Mines' authorization.",
        &permit,
        &files,
        with_replaced(&files, BC, &revoked),
        json!({}),
        fails(&[("trust", "AUTHORIZATION_REVOKED")]),
    );
    let later = bc_variant(v, "bc-mines-from-june", |a| a.valid_from = t("2026-06-01T00:00:00Z"));
    case(
        v,
        "registry-authorization-not-yet-valid",
        "The permit was issued in March; the issuer's authorization starts in June.",
        &permit,
        &files,
        with_replaced(&files, BC, &later),
        json!({}),
        fails(&[("trust", "AUTHORIZATION_NOT_YET_VALID")]),
    );
    case(
        v,
        "registry-snapshots-stale",
        "Verified after every snapshot's and status list's validUntil: the anchor's snapshot is stale and the status lists are no longer valid.",
        &permit,
        &files,
        current.clone(),
        json!({"time": "2027-03-01T00:00:00Z"}),
        fails(&[("status", "STATUS_LIST_INVALID"), ("trust", "SNAPSHOT_STALE")]),
    );
    case(
        v,
        "registry-no-trust-anchor",
        "No trust anchor configured: the trust check is skipped and the credential verifies.",
        &permit,
        &files,
        current.clone(),
        json!({"trustAnchors": []}),
        VERIFIED,
    );
    case(
        v,
        "registry-provincial-anchor",
        "A verifier that trusts only the BC registry: the BC permit verifies directly.",
        &permit,
        &files,
        current.clone(),
        json!({"trustAnchors": [BC]}),
        VERIFIED,
    );
    case(
        v,
        "registry-provincial-anchor-federal-credential",
        "A verifier that trusts only the BC registry: the federal certificate's registry is not recognized.",
        &incorporation,
        &files,
        current.clone(),
        json!({"trustAnchors": [BC]}),
        fails(&[("trust", "REGISTRY_NOT_RECOGNIZED")]),
    );
    case(
        v,
        "registry-snapshot-missing",
        "The BC snapshot is not supplied: the permit's issuer is not authorized by anything the verifier has.",
        &permit,
        &files,
        files
            .current
            .iter()
            .filter(|(id, _)| id.as_str() != BC)
            .map(|(_, p)| p.clone())
            .collect(),
        json!({}),
        fails(&[("trust", "ISSUER_NOT_AUTHORIZED")]),
    );
}
