//! Trust registry resolution: the demo federation line by line, every
//! reason code, multi-hop paths, scope narrowing, cycles, time windows,
//! snapshots; and properties (unrelated additions change no answer; a path
//! never grants more than its anchor's recognitions).

#[path = "../examples/canada/federation.rs"]
mod federation;

use federation::*;
use passerelle::did::{DidDocument, FallbackResolver, StaticResolver};
use passerelle::registry::{
    pattern_covers, Authorization, Bilingual, Recognition, Registry, Scope, Snapshot, Status, TrustStore, Wanted,
};
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};
use proptest::prelude::*;

fn resolver() -> StaticResolver {
    let mut resolver = StaticResolver::default();
    for (did, _) in ENTITIES {
        resolver.insert(DidDocument::from_json(did_document(did)).unwrap());
    }
    resolver
}

fn store_for(scenario: Scenario) -> TrustStore {
    let (snapshots, seen) = scenario.snapshots();
    let mut store = TrustStore::new([FEDERAL]);
    for (registry, sequence) in seen {
        store.mark_seen(&registry, sequence);
    }
    for document in snapshots.values() {
        let _ = store.load_snapshot(&serde_json::to_vec(document).unwrap(), &resolver(), t(NOW));
    }
    store
}

#[test]
fn every_demo_line_gives_its_expected_verdict_and_code() {
    for line in lines() {
        let verifier = Verifier::new(FallbackResolver(resolver(), webvh_logs()))
            .with_trust(store_for(line.scenario))
            .with_status(status_lists());
        let bytes = serde_json::to_vec(&line.credential).unwrap();
        let report = verifier.verify(&bytes, &VerifyOptions::at(t(NOW)));
        let codes: Vec<&str> = report.failures().iter().map(|(_, code)| code.as_str()).collect();
        match line.expected {
            None => assert!(report.verified(), "{}: {codes:?}", line.file),
            Some(code) => assert_eq!(codes, [code], "{}", line.file),
        }
    }
}

#[test]
fn the_trust_check_is_skipped_without_anchors_and_reports_the_path_in_both_languages() {
    let line = &lines()[3];
    let bytes = serde_json::to_vec(&line.credential).unwrap();
    let report = Verifier::new(resolver()).verify(&bytes, &VerifyOptions::at(t(NOW)));
    let trust = report.check(passerelle::verify::CheckName::Trust).unwrap();
    assert_eq!(trust.outcome, passerelle::verify::Outcome::Skipped);
    assert!(report.verified());

    let report = Verifier::new(resolver())
        .with_trust(store_for(Scenario::Current))
        .verify(&bytes, &VerifyOptions::at(t(NOW)));
    let trust = report.check(passerelle::verify::CheckName::Trust).unwrap();
    assert!(
        trust
            .message
            .en
            .contains("Professional Engineers Ontario recognized for ca-on-peo:*"),
        "{}",
        trust.message.en
    );
    assert!(
        trust
            .message
            .fr
            .contains("Ordre des ingénieurs de l’Ontario reconnu pour ca-on-peo:*"),
        "{}",
        trust.message.fr
    );
    let path = &trust.evidence.iter().find(|(k, _)| k.name() == "path").unwrap().1;
    assert_eq!(path, &format!("{PEO_LICENSING} ← {PEO} ← {ON} ← {FEDERAL}"));
}

// ---- small federations built in code ----

const ROOT: &str = "did:web:root.test.example";
const MID: &str = "did:web:mid.test.example";
const LEAF: &str = "did:web:leaf.test.example";
const ISSUER: &str = "did:web:issuer.test.example";

fn b(text: &str) -> Bilingual {
    Bilingual::new(text, text)
}

fn auth(registry: &str, issuer: &str, resource: &str, jurisdiction: &str) -> Authorization {
    Authorization {
        entity_id: issuer.into(),
        authority_id: registry.into(),
        action: "issue".into(),
        resource: resource.into(),
        jurisdiction: jurisdiction.into(),
        name: b("issuer"),
        legal_authority: b("act"),
        valid_from: t("2020-01-01T00:00:00Z"),
        valid_until: None,
        status: Status::Active,
    }
}

fn recognize(registry: &str, recognized: &str, resources: &[&str], jurisdictions: &[&str]) -> Recognition {
    Recognition {
        entity_id: recognized.into(),
        authority_id: registry.into(),
        action: "recognize".into(),
        scope: Scope {
            resources: resources.iter().map(|s| s.to_string()).collect(),
            jurisdictions: jurisdictions.iter().map(|s| s.to_string()).collect(),
        },
        name: b(recognized),
        legal_authority: b("agreement"),
        valid_from: t("2020-01-01T00:00:00Z"),
        valid_until: None,
        status: Status::Active,
    }
}

fn registry(id: &str, sequence: u64, authorizations: Vec<Authorization>, recognitions: Vec<Recognition>) -> Registry {
    Registry {
        id: id.into(),
        name: b(id),
        jurisdiction: "CA".into(),
        sequence,
        authorizations,
        recognitions,
    }
}

fn store(registries: Vec<Registry>) -> TrustStore {
    let mut store = TrustStore::new([ROOT]);
    for registry in registries {
        store
            .add(Snapshot::vouched_for(
                registry,
                t("2026-01-01T00:00:00Z"),
                t("2027-01-01T00:00:00Z"),
            ))
            .unwrap();
    }
    store
}

fn code(store: &TrustStore, resource_type: &str, at: &str) -> Option<ErrorCode> {
    store
        .authorize_issuer(ISSUER, &["VerifiableCredential", resource_type], t(at))
        .reason
        .map(|e| e.code())
}

fn chain(leaf_auth: Authorization, mid_scope: &[&str], leaf_scope: &[&str]) -> TrustStore {
    store(vec![
        registry(ROOT, 1, vec![], vec![recognize(ROOT, MID, mid_scope, &["CA"])]),
        registry(MID, 1, vec![], vec![recognize(MID, LEAF, leaf_scope, &["CA"])]),
        registry(LEAF, 1, vec![leaf_auth], vec![]),
    ])
}

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn a_three_hop_chain_authorizes_within_its_narrowed_scope() {
    let s = chain(
        auth(LEAF, ISSUER, "ca-on-x:Licence", "CA-ON"),
        &["ca-on:*"],
        &["ca-on-x:*"],
    );
    let answer = s.authorize_issuer(ISSUER, &["Licence"], t(AT));
    assert!(answer.authorized, "{:?}", answer.reason);
    assert_eq!(answer.resource.as_deref(), Some("ca-on-x:Licence"));
    assert_eq!(answer.path.len(), 4);
}

#[test]
fn a_wider_recognition_further_down_cannot_widen_the_scope() {
    // The middle registry recognizes the leaf for everything, but the root
    // recognized the middle for ca-on:* only.
    let s = chain(auth(LEAF, ISSUER, "ca-qc:Licence", "CA-QC"), &["ca-on:*"], &["*"]);
    assert_eq!(code(&s, "Licence", AT), Some(ErrorCode::ScopeViolation));
    let s = chain(auth(LEAF, ISSUER, "ca-on:Licence", "CA-ON"), &["ca-on:*"], &["*"]);
    assert_eq!(code(&s, "Licence", AT), None);
}

#[test]
fn status_and_time_windows_give_their_codes() {
    let mut suspended = auth(LEAF, ISSUER, "ca:Licence", "CA");
    suspended.status = Status::Suspended;
    assert_eq!(
        code(&chain(suspended, &["*"], &["*"]), "Licence", AT),
        Some(ErrorCode::AuthorizationSuspended)
    );

    let mut revoked = auth(LEAF, ISSUER, "ca:Licence", "CA");
    revoked.status = Status::Revoked;
    assert_eq!(
        code(&chain(revoked, &["*"], &["*"]), "Licence", AT),
        Some(ErrorCode::AuthorizationRevoked)
    );

    let mut window = auth(LEAF, ISSUER, "ca:Licence", "CA");
    window.valid_from = t("2026-01-01T00:00:00Z");
    window.valid_until = Some(t("2026-12-31T00:00:00Z"));
    let s = chain(window, &["*"], &["*"]);
    assert_eq!(
        code(&s, "Licence", "2025-06-01T00:00:00Z"),
        Some(ErrorCode::AuthorizationNotYetValid)
    );
    assert_eq!(
        code(&s, "Licence", "2027-06-01T00:00:00Z"),
        Some(ErrorCode::AuthorizationExpired)
    );
    assert_eq!(code(&s, "Licence", AT), None);
}

#[test]
fn a_suspended_or_expired_recognition_breaks_the_path() {
    let mut s = vec![
        registry(ROOT, 1, vec![], vec![recognize(ROOT, MID, &["*"], &["CA"])]),
        registry(MID, 1, vec![auth(MID, ISSUER, "ca:Licence", "CA")], vec![]),
    ];
    s[0].recognitions[0].status = Status::Suspended;
    assert_eq!(
        code(&store(s.clone()), "Licence", AT),
        Some(ErrorCode::RegistryNotRecognized)
    );
    s[0].recognitions[0].status = Status::Active;
    s[0].recognitions[0].valid_until = Some(t("2025-01-01T00:00:00Z"));
    assert_eq!(
        code(&store(s.clone()), "Licence", AT),
        Some(ErrorCode::RegistryNotRecognized)
    );
    s[0].recognitions[0].valid_until = None;
    assert_eq!(code(&store(s), "Licence", AT), None);
}

// ---- trust time: back-dating past a revocation ----

/// `resource` authorized for ISSUER by LEAF (under ROOT → MID → LEAF) over
/// `from`..`until` with `status`.
fn statement(from: &str, until: Option<&str>, status: Status) -> Authorization {
    let mut a = auth(LEAF, ISSUER, "ca:Licence", "CA");
    a.valid_from = t(from);
    a.valid_until = until.map(t);
    a.status = status;
    a
}

fn leaf_with(authorizations: Vec<Authorization>) -> TrustStore {
    store(vec![
        registry(ROOT, 1, vec![], vec![recognize(ROOT, MID, &["*"], &["CA"])]),
        registry(MID, 1, vec![], vec![recognize(MID, LEAF, &["*"], &["CA"])]),
        registry(LEAF, 1, authorizations, vec![]),
    ])
}

#[test]
fn a_back_dated_credential_does_not_reach_an_earlier_statement_past_a_revocation() {
    // The registry authorized the issuer until 2024, renewed it from 2025,
    // then revoked the renewal. A credential that claims 2023 must not be
    // judged by the first statement alone.
    for (status, expected) in [
        (Status::Revoked, ErrorCode::AuthorizationRevoked),
        (Status::Suspended, ErrorCode::AuthorizationSuspended),
    ] {
        let s = leaf_with(vec![
            statement("2020-01-01T00:00:00Z", Some("2024-12-31T23:59:59Z"), Status::Active),
            statement("2025-01-01T00:00:00Z", None, status),
        ]);
        assert_eq!(
            code(&s, "Licence", "2023-06-01T00:00:00Z"),
            Some(expected),
            "{status:?}"
        );
        assert_eq!(code(&s, "Licence", AT), Some(expected), "{status:?}");
        // Listed the other way round: the same answer.
        let s = leaf_with(vec![
            statement("2025-01-01T00:00:00Z", None, status),
            statement("2020-01-01T00:00:00Z", Some("2024-12-31T23:59:59Z"), Status::Active),
        ]);
        assert_eq!(
            code(&s, "Licence", "2023-06-01T00:00:00Z"),
            Some(expected),
            "{status:?}"
        );
    }
    // A revocation whose statement starts after the verification time still refuses.
    let s = leaf_with(vec![
        statement("2020-01-01T00:00:00Z", None, Status::Active),
        statement("2030-01-01T00:00:00Z", None, Status::Revoked),
    ]);
    assert_eq!(
        code(&s, "Licence", "2023-06-01T00:00:00Z"),
        Some(ErrorCode::AuthorizationRevoked)
    );
}

#[test]
fn a_statement_revoked_before_the_claimed_issuance_does_not_block_a_later_authorization() {
    // Revoked over 2020–2022, authorized again from 2023: a credential of
    // 2024 is judged by the new statement; one claiming 2021 is refused.
    let s = leaf_with(vec![
        statement("2020-01-01T00:00:00Z", Some("2022-12-31T23:59:59Z"), Status::Revoked),
        statement("2023-01-01T00:00:00Z", None, Status::Active),
    ]);
    assert_eq!(code(&s, "Licence", "2024-06-01T00:00:00Z"), None);
    assert_eq!(
        code(&s, "Licence", "2021-06-01T00:00:00Z"),
        Some(ErrorCode::AuthorizationRevoked)
    );
}

#[test]
fn a_back_dated_credential_does_not_cross_a_recognition_revoked_later() {
    // ROOT recognized MID until 2024, and again from 2025 until it revoked
    // (or suspended) that recognition.
    for status in [Status::Revoked, Status::Suspended] {
        let mut earlier = recognize(ROOT, MID, &["*"], &["CA"]);
        earlier.valid_until = Some(t("2024-12-31T23:59:59Z"));
        let mut later = recognize(ROOT, MID, &["*"], &["CA"]);
        later.valid_from = t("2025-01-01T00:00:00Z");
        later.status = status;
        let s = store(vec![
            registry(ROOT, 1, vec![], vec![earlier, later]),
            registry(MID, 1, vec![auth(MID, ISSUER, "ca:Licence", "CA")], vec![]),
        ]);
        let answer = s.authorize_issuer(ISSUER, &["Licence"], t("2023-06-01T00:00:00Z"));
        assert!(!answer.authorized, "{status:?}: {:?}", answer.path);
        assert_eq!(
            answer.reason.map(|e| e.code()),
            Some(ErrorCode::RegistryNotRecognized),
            "{status:?}"
        );
    }
}

// ---- trust time in the verifier's report ----

fn trust_issuer() -> passerelle::Issuer<passerelle::crypto::Ed25519KeyPair> {
    passerelle::Issuer::did_key(passerelle::crypto::Ed25519KeyPair::from_seed(&[0x5a; 32]))
}

/// A `Licence` credential from [`trust_issuer`], signed at `signed`, with
/// `validFrom` `valid_from` if given.
fn licence(valid_from: Option<&str>, signed: &str) -> Vec<u8> {
    let issuer = trust_issuer();
    let mut unsigned = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "Licence"],
        "issuer": issuer.did(),
        "credentialSubject": {"id": "did:example:holder"}
    });
    if let Some(from) = valid_from {
        unsigned["validFrom"] = from.into();
    }
    let signed = issuer.issue(unsigned.as_object().unwrap().clone(), t(signed)).unwrap();
    signed.to_json_string().into_bytes()
}

/// ROOT → MID → LEAF, LEAF authorizing [`trust_issuer`] with `statements`
/// (their periods and statuses), MID recognized by ROOT until `mid_until`.
fn trust_store(statements: &[(&str, Option<&str>, Status)], mid_until: Option<&str>) -> TrustStore {
    let did = trust_issuer().did().to_owned();
    let authorizations = statements
        .iter()
        .map(|(from, until, status)| Authorization {
            valid_from: t(from),
            valid_until: until.map(t),
            status: *status,
            ..auth(LEAF, &did, "ca:Licence", "CA")
        })
        .collect();
    let mut mid = recognize(ROOT, MID, &["*"], &["CA"]);
    mid.valid_until = mid_until.map(t);
    store(vec![
        registry(ROOT, 1, vec![], vec![mid]),
        registry(MID, 1, vec![], vec![recognize(MID, LEAF, &["*"], &["CA"])]),
        registry(LEAF, 1, authorizations, vec![]),
    ])
}

fn trust_of(store: TrustStore, credential: &[u8], at: &str, strict: bool) -> passerelle::verify::Check {
    let mut options = VerifyOptions::at(t(at));
    options.trust_at_verification_time = strict;
    let report = Verifier::offline().with_trust(store).verify(credential, &options);
    report.check(passerelle::verify::CheckName::Trust).unwrap().clone()
}

fn evidence<'a>(check: &'a passerelle::verify::Check, key: &str) -> Vec<&'a str> {
    check
        .evidence
        .iter()
        .filter(|(k, _)| k.name() == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

const RENEWED_THEN_REVOKED: &[(&str, Option<&str>, Status)] = &[
    ("2020-01-01T00:00:00Z", Some("2024-12-31T23:59:59Z"), Status::Active),
    ("2025-01-01T00:00:00Z", None, Status::Revoked),
];

#[test]
fn the_verifier_refuses_a_credential_back_dated_past_a_revocation_and_names_the_time() {
    // Issued (and signed) in 2026, after the revocation, but dated 2023.
    let credential = licence(Some("2023-06-01T00:00:00Z"), "2026-05-01T00:00:00Z");
    let check = trust_of(trust_store(RENEWED_THEN_REVOKED, None), &credential, AT, false);
    assert_eq!(
        check.code,
        Some(ErrorCode::AuthorizationRevoked),
        "{}",
        check.message.en
    );
    assert_eq!(evidence(&check, "issued"), ["2023-06-01T00:00:00Z"]);
    assert_eq!(evidence(&check, "issuedFrom"), ["validFrom"]);
    assert_eq!(evidence(&check, "judgedAt"), ["2023-06-01T00:00:00Z"]);
    assert!(
        check
            .message
            .en
            .contains("Time used: 2023-06-01T00:00:00Z, the issuance date the credential claims (validFrom)"),
        "{}",
        check.message.en
    );
    assert!(
        check.message.fr.contains(
            "Moment retenu : le 2023-06-01T00:00:00Z, date de délivrance déclarée par l’attestation (validFrom)"
        ),
        "{}",
        check.message.fr
    );
    // Dated into the revoked statement's own period: refused as well.
    let credential = licence(Some("2025-06-01T00:00:00Z"), "2026-05-01T00:00:00Z");
    let check = trust_of(trust_store(RENEWED_THEN_REVOKED, None), &credential, AT, false);
    assert_eq!(check.code, Some(ErrorCode::AuthorizationRevoked));
}

#[test]
fn an_authorization_that_ended_after_issuance_counts_unless_the_strict_option_is_on() {
    let ended = &[("2020-01-01T00:00:00Z", Some("2025-12-31T23:59:59Z"), Status::Active)][..];
    let credential = licence(Some("2025-06-01T00:00:00Z"), "2025-06-01T00:00:00Z");

    let check = trust_of(trust_store(ended, None), &credential, AT, false);
    assert_eq!(
        check.outcome,
        passerelle::verify::Outcome::Passed,
        "{}",
        check.message.en
    );
    assert_eq!(evidence(&check, "judgedAt"), ["2025-06-01T00:00:00Z"]);
    assert!(check.message.en.starts_with("Authorized: "), "{}", check.message.en);
    assert!(
        check.message.en.contains("Time used: 2025-06-01T00:00:00Z"),
        "{}",
        check.message.en
    );

    let check = trust_of(trust_store(ended, None), &credential, AT, true);
    assert_eq!(
        check.code,
        Some(ErrorCode::AuthorizationExpired),
        "{}",
        check.message.en
    );
    assert_eq!(evidence(&check, "judgedAt"), ["2025-06-01T00:00:00Z", AT]);
    assert!(
        check.message.en.starts_with(&format!(
            "The issuer is not authorized at the time of verification ({AT})"
        )),
        "{}",
        check.message.en
    );
    assert!(
        check.message.fr.starts_with(&format!(
            "L’émetteur n’est pas autorisé au moment de la vérification ({AT})"
        )),
        "{}",
        check.message.fr
    );
    assert!(
        check
            .message
            .en
            .contains(&format!("and the time of verification, {AT}.")),
        "{}",
        check.message.en
    );
    assert!(check
        .detail
        .as_deref()
        .unwrap()
        .starts_with(&format!("at the time of verification, {AT}")));

    // Renewed: in force at both times through two statements.
    let renewed = &[
        ("2020-01-01T00:00:00Z", Some("2025-12-31T23:59:59Z"), Status::Active),
        ("2026-01-01T00:00:00Z", None, Status::Active),
    ][..];
    let check = trust_of(trust_store(renewed, None), &credential, AT, true);
    assert_eq!(
        check.outcome,
        passerelle::verify::Outcome::Passed,
        "{}",
        check.message.en
    );
    assert!(
        check
            .message
            .fr
            .contains(&format!("et le moment de la vérification, le {AT}.")),
        "{}",
        check.message.fr
    );

    // The recognition path must be in force at the time of verification too.
    let check = trust_of(
        trust_store(renewed, Some("2025-12-31T23:59:59Z")),
        &credential,
        AT,
        false,
    );
    assert_eq!(
        check.outcome,
        passerelle::verify::Outcome::Passed,
        "{}",
        check.message.en
    );
    let check = trust_of(
        trust_store(renewed, Some("2025-12-31T23:59:59Z")),
        &credential,
        AT,
        true,
    );
    assert_eq!(
        check.code,
        Some(ErrorCode::RegistryNotRecognized),
        "{}",
        check.message.en
    );
}

#[test]
fn the_time_used_comes_from_valid_from_else_the_proof_else_the_verification() {
    let active = &[("2020-01-01T00:00:00Z", None, Status::Active)][..];
    let check = trust_of(
        trust_store(active, None),
        &licence(None, "2024-02-02T00:00:00Z"),
        AT,
        false,
    );
    assert_eq!(
        check.outcome,
        passerelle::verify::Outcome::Passed,
        "{}",
        check.message.en
    );
    assert_eq!(evidence(&check, "issued"), ["2024-02-02T00:00:00Z"]);
    assert_eq!(evidence(&check, "issuedFrom"), ["proof created"]);
    assert!(
        check.message.en.contains("(its proof’s created)"),
        "{}",
        check.message.en
    );

    // A credential dated after the time of verification is not trusted.
    let future = licence(Some("2027-01-01T00:00:00Z"), "2026-05-01T00:00:00Z");
    let check = trust_of(trust_store(active, None), &future, AT, false);
    assert_eq!(
        check.code,
        Some(ErrorCode::CredentialNotYetValid),
        "{}",
        check.message.en
    );
    assert!(
        check.message.en.contains("after the time of verification"),
        "{}",
        check.message.en
    );
    assert!(
        check.message.fr.contains("après le moment de la vérification"),
        "{}",
        check.message.fr
    );
}

#[test]
fn a_remote_answer_is_also_asked_for_at_the_time_of_verification() {
    use passerelle::registry::{TrustAnswer, TrustTime};
    let answer = |code: Option<ErrorCode>| TrustAnswer {
        authorized: code.is_none(),
        reason: code.map(|c| passerelle::Error::new(c, "remote")),
        matched_type: None,
        resource: None,
        path: vec![],
    };
    let when = TrustTime {
        issued: t("2023-06-01T00:00:00Z"),
        verified: t(AT),
        strict: false,
    };
    // Authorized at the claimed time, revoked (or merely ended) by now.
    for (now, remote, expected) in [
        (
            Some(ErrorCode::AuthorizationRevoked),
            true,
            Some(ErrorCode::AuthorizationRevoked),
        ),
        (
            Some(ErrorCode::AuthorizationSuspended),
            true,
            Some(ErrorCode::AuthorizationSuspended),
        ),
        (Some(ErrorCode::AuthorizationExpired), true, None),
        (Some(ErrorCode::AuthorizationRevoked), false, None),
    ] {
        let judged = when.judge(
            remote,
            |time| if time == when.issued { answer(None) } else { answer(now) },
        );
        assert_eq!(judged.reason.map(|e| e.code()), expected, "{now:?} {remote}");
    }
    let strict = TrustTime { strict: true, ..when };
    let judged = strict.judge(false, |time| {
        if time == when.issued {
            answer(None)
        } else {
            answer(Some(ErrorCode::AuthorizationExpired))
        }
    });
    assert_eq!(judged.reason.map(|e| e.code()), Some(ErrorCode::AuthorizationExpired));
}

#[test]
fn cycles_terminate() {
    let s = store(vec![
        registry(ROOT, 1, vec![], vec![recognize(ROOT, MID, &["*"], &["CA"])]),
        registry(MID, 1, vec![], vec![recognize(MID, LEAF, &["*"], &["CA"])]),
        registry(
            LEAF,
            1,
            vec![],
            vec![
                recognize(LEAF, MID, &["*"], &["CA"]),
                recognize(LEAF, ROOT, &["*"], &["CA"]),
            ],
        ),
    ]);
    assert_eq!(code(&s, "Licence", AT), Some(ErrorCode::IssuerNotAuthorized));
}

#[test]
fn two_recognitions_whose_scopes_read_alike_are_both_followed() {
    // `["x, ca:*"]` and `["x", "ca:*"]` are different scopes that print the
    // same ("x, ca:* / CA"). A search that remembered reached scopes by
    // their text took the second for the first and never followed it, so
    // the issuer, authorized under the second, was refused.
    let s = store(vec![
        registry(
            ROOT,
            1,
            vec![],
            vec![
                recognize(ROOT, MID, &["x, ca:*"], &["CA"]),
                recognize(ROOT, MID, &["x", "ca:*"], &["CA"]),
            ],
        ),
        registry(MID, 1, vec![auth(MID, ISSUER, "ca:Licence", "CA")], vec![]),
    ]);
    assert_eq!(code(&s, "Licence", AT), None);
    assert!(s.recognizes(ROOT, MID, "ca:*", t(AT)).is_some());
}

#[test]
fn unknown_types_and_unknown_issuers_are_not_authorized() {
    let s = chain(auth(LEAF, ISSUER, "ca:Licence", "CA"), &["*"], &["*"]);
    assert_eq!(code(&s, "OtherThing", AT), Some(ErrorCode::IssuerNotAuthorized));
    assert!(
        !s.authorize_issuer("did:web:stranger.example", &["Licence"], t(AT))
            .authorized
    );
    // A namespaced type must match exactly.
    assert!(s.authorize_issuer(ISSUER, &["ca:Licence"], t(AT)).authorized);
    assert!(!s.authorize_issuer(ISSUER, &["ca-bc:Licence"], t(AT)).authorized);
}

#[test]
fn rollback_is_refused_and_newer_snapshots_replace_older() {
    let mut s = store(vec![registry(ROOT, 5, vec![], vec![])]);
    let older = Snapshot::vouched_for(registry(ROOT, 4, vec![], vec![]), t(AT), t("2027-01-01T00:00:00Z"));
    assert_eq!(s.add(older).unwrap_err().code(), ErrorCode::SnapshotRollback);
    let changed_same_sequence = Snapshot::vouched_for(
        registry(ROOT, 5, vec![auth(ROOT, ISSUER, "x:Y", "CA")], vec![]),
        t(AT),
        t("2027-01-01T00:00:00Z"),
    );
    assert_eq!(
        s.add(changed_same_sequence).unwrap_err().code(),
        ErrorCode::SnapshotRollback
    );
    let newer = Snapshot::vouched_for(registry(ROOT, 6, vec![], vec![]), t(AT), t("2027-01-01T00:00:00Z"));
    s.add(newer).unwrap();
    assert_eq!(s.registry(ROOT).unwrap().sequence, 6);
}

#[test]
fn stale_and_tampered_snapshots_are_refused_and_named_in_answers() {
    let mut bc = registries().into_iter().find(|r| r.id == BC).unwrap();
    let fresh = serde_json::to_vec(&snapshot(&bc)).unwrap();
    let mut store = TrustStore::new([FEDERAL]);
    let federal = registries().into_iter().find(|r| r.id == FEDERAL).unwrap();
    store
        .load_snapshot(&serde_json::to_vec(&snapshot(&federal)).unwrap(), &resolver(), t(NOW))
        .unwrap();

    let later = t("2027-03-01T00:00:00Z");
    assert_eq!(
        store.load_snapshot(&fresh, &resolver(), later).unwrap_err().code(),
        ErrorCode::SnapshotStale
    );
    let answer = store.authorize_issuer(BC_MINES, &["MinesActPermit"], t(ISSUED));
    assert_eq!(answer.reason.unwrap().code(), ErrorCode::SnapshotStale);

    bc.sequence = 9;
    let mut tampered = snapshot(&bc);
    tampered["credentialSubject"]["authorizations"][0]["resource"] = "ca-bc:Anything".into();
    let bytes = serde_json::to_vec(&tampered).unwrap();
    assert_eq!(
        store.load_snapshot(&bytes, &resolver(), t(NOW)).unwrap_err().code(),
        ErrorCode::SnapshotSignatureInvalid
    );

    // Signed by someone else than the registry it describes.
    let mut forged = bc.clone();
    forged.id = BC.into();
    let signed_by_other = passerelle::registry::sign_snapshot(
        &forged,
        &key_of(QC),
        &format!("{QC}#key-1"),
        t(PUBLISHED),
        t(FRESH_UNTIL),
    );
    assert!(signed_by_other.is_err(), "the issuer refuses to sign for another DID");
}

#[test]
fn trqp_style_queries_from_a_named_authority() {
    let s = store_for(Scenario::Current);
    let anchors = [FEDERAL.to_owned()];
    let answer = s.authorize_from(
        &anchors,
        PEO_LICENSING,
        Wanted::Resource("ca-on-peo:ProfessionalEngineerLicence"),
        t(ISSUED),
    );
    assert!(answer.authorized);
    assert!(s.recognizes(FEDERAL, PEO, "ca-on-peo:*", t(ISSUED)).is_some());
    assert!(s.recognizes(FEDERAL, PEO, "ca-qc:*", t(ISSUED)).is_none());
    assert!(s.recognizes(FEDERAL, NOWHERE, "ca-ns:*", t(ISSUED)).is_none());
}

// ---- properties ----

fn arb_resource() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["ca", "ca-bc", "ca-on", "ca-bc-x", "ca-qc"]),
        prop::sample::select(vec!["A", "B", "C"]),
    )
        .prop_map(|(ns, name)| format!("{ns}:{name}"))
}

fn arb_pattern() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_owned()),
        prop::sample::select(vec!["ca:*", "ca-bc:*", "ca-on:*", "ca-bc-x:*", "ca-qc:*"]).prop_map(str::to_owned),
        arb_resource(),
    ]
}

fn arb_scope() -> impl Strategy<Value = Scope> {
    (
        prop::collection::vec(arb_pattern(), 1..3),
        prop::collection::vec(prop::sample::select(vec!["CA", "CA-BC", "CA-ON", "CA-QC"]), 1..3),
    )
        .prop_map(|(resources, jurisdictions)| Scope {
            resources,
            jurisdictions: jurisdictions.into_iter().map(str::to_owned).collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn narrowing_never_grants_what_an_ancestor_did_not(scopes in prop::collection::vec(arb_scope(), 1..5), resource in arb_resource()) {
        let mut path_scope = Scope::everything();
        for scope in &scopes {
            path_scope = path_scope.narrow(scope);
        }
        for scope in &scopes {
            for pattern in &path_scope.resources {
                prop_assert!(scope.resources.iter().any(|q| pattern_covers(q, pattern)), "{pattern} escapes {scope}");
            }
            if path_scope.covers(&resource, "CA-BC") {
                prop_assert!(scope.covers(&resource, "CA-BC"));
            }
        }
    }

    #[test]
    fn a_path_never_grants_a_scope_its_anchor_did_not(root_scope in arb_scope(), mid_scope in arb_scope(), resource in arb_resource()) {
        let s = store(vec![
            registry(ROOT, 1, vec![], vec![Recognition { scope: root_scope.clone(), ..recognize(ROOT, MID, &["*"], &["CA"]) }]),
            registry(MID, 1, vec![], vec![Recognition { scope: mid_scope, ..recognize(MID, LEAF, &["*"], &["CA"]) }]),
            registry(LEAF, 1, vec![auth(LEAF, ISSUER, &resource, "CA-BC")], vec![]),
        ]);
        let name = resource.rsplit_once(':').unwrap().1.to_owned();
        if s.authorize_issuer(ISSUER, &[resource.as_str(), name.as_str()], t(AT)).authorized {
            prop_assert!(root_scope.covers(&resource, "CA-BC"), "{resource} authorized outside the root's recognition {root_scope}");
        }
    }

    #[test]
    fn adding_an_unrelated_registry_or_authorization_changes_no_answer(
        extra_resource in arb_resource(), extra_scope in arb_scope(), at_days in 0i64..4000,
    ) {
        let base = || vec![
            registry(ROOT, 1, vec![auth(ROOT, "did:web:fed.example", "ca:A", "CA")], vec![recognize(ROOT, MID, &["ca-bc:*"], &["CA-BC"])]),
            registry(MID, 1, vec![auth(MID, ISSUER, "ca-bc:B", "CA-BC"), auth(MID, "did:web:out.example", "ca:C", "CA")], vec![]),
        ];
        let at = Timestamp::parse("2019-01-01T00:00:00Z").unwrap().plus_seconds(at_days * 86_400);
        let questions = [(ISSUER, "B"), ("did:web:fed.example", "A"), ("did:web:out.example", "C"), (ISSUER, "A")];
        let before = store(base());
        let mut more = base();
        // An unrelated registry that recognizes others, and an authorization for someone else.
        more.push(registry("did:web:unrelated.example", 1, vec![auth("did:web:unrelated.example", "did:web:stranger.example", &extra_resource, "CA-BC")],
            vec![Recognition { scope: extra_scope, ..recognize("did:web:unrelated.example", MID, &["*"], &["CA"]) }]));
        more[1].authorizations.push(auth(MID, "did:web:someone-else.example", &extra_resource, "CA-BC"));
        let after = store(more);
        for (issuer, kind) in questions {
            let a = before.authorize_issuer(issuer, &[kind], at);
            let b = after.authorize_issuer(issuer, &[kind], at);
            prop_assert_eq!(a.authorized, b.authorized, "{} {}", issuer, kind);
            prop_assert_eq!(a.reason.map(|e| e.code()), b.reason.map(|e| e.code()));
            prop_assert_eq!(a.path, b.path);
        }
    }
}

/// An SD-JWT VC's issuer is judged at its issuance time, `iat` (never
/// disclosable), not at `nbf`: an issuer authorized only from 2025 issuing
/// in 2024 a credential valid from 2025 is not authorized.
#[test]
#[cfg(feature = "sd-jwt")]
fn an_sd_jwt_vc_is_judged_at_its_issuance_time() {
    let issuer = trust_issuer();
    let claims = serde_json::json!({"vct": "Licence", "nbf": t("2025-06-01T00:00:00Z").unix_seconds()});
    let token = issuer
        .issue_sd_jwt_vc(
            claims.as_object().unwrap().clone(),
            &[],
            None,
            t("2024-06-01T00:00:00Z"),
        )
        .unwrap();
    let from_2025 = &[("2025-01-01T00:00:00Z", None, Status::Active)][..];
    let check = trust_of(trust_store(from_2025, None), token.as_bytes(), AT, false);
    assert_eq!(
        evidence(&check, "issued"),
        ["2024-06-01T00:00:00Z"],
        "{}",
        check.message.en
    );
    assert_eq!(
        check.outcome,
        passerelle::verify::Outcome::Failed,
        "{}",
        check.message.en
    );
}

#[test]
fn the_verifier_refuses_trust_from_a_snapshot_past_its_valid_until_at_the_time_of_verification() {
    // The snapshots were fresh when loaded (2026-01-01 to 2027-01-01); the
    // same verifier, asked later, must not go on trusting them.
    let always = &[("2020-01-01T00:00:00Z", None, Status::Active)][..];
    let credential = licence(Some("2026-05-01T00:00:00Z"), "2026-05-01T00:00:00Z");
    let fresh = trust_of(trust_store(always, None), &credential, AT, false);
    assert_eq!(fresh.code, None, "{}", fresh.message.en);
    for strict in [false, true] {
        let stale = trust_of(trust_store(always, None), &credential, "2027-02-01T00:00:00Z", strict);
        assert_eq!(stale.code, Some(ErrorCode::SnapshotStale), "{}", stale.message.en);
        assert!(
            stale.message.en.contains("out of date")
                && stale
                    .message
                    .en
                    .contains("the time of verification, 2027-02-01T00:00:00Z"),
            "{}",
            stale.message.en
        );
        assert!(
            stale.message.fr.contains("périmé")
                && stale
                    .message
                    .fr
                    .contains("le moment de la vérification, le 2027-02-01T00:00:00Z"),
            "{}",
            stale.message.fr
        );
    }
}

#[test]
fn an_anchor_whose_snapshot_was_refused_is_named_by_its_did_in_the_path() {
    let federal = registries().into_iter().find(|r| r.id == FEDERAL).unwrap();
    let mut store = TrustStore::new([FEDERAL]);
    let stale = serde_json::to_vec(&snapshot(&federal)).unwrap();
    let refused = store.load_snapshot(&stale, &resolver(), t("2027-03-01T00:00:00Z"));
    assert_eq!(refused.unwrap_err().code(), ErrorCode::SnapshotStale);
    let answer = store.authorize_issuer(BC_MINES, &["MinesActPermit"], t(ISSUED));
    assert_eq!(answer.reason.as_ref().map(|r| r.code()), Some(ErrorCode::SnapshotStale));
    for lang in [passerelle::Lang::En, passerelle::Lang::Fr] {
        let path = answer.render_path(lang);
        assert!(path.contains(FEDERAL), "{path}");
    }
}
