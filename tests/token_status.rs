//! IETF Token Status Lists (draft-ietf-oauth-status-list): an SD-JWT VC's
//! `status.status_list` read from its issuer's Status List Token, and each
//! rule of §6.4 broken once.

mod common;

use common::{failure, object};
use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::jose::sign_typed;
use passerelle::status::token::{sign_status_list_token, TokenStatusList, INVALID, SUSPENDED};
use passerelle::status::StaticStatusLists;
use passerelle::verify::{CheckName, EvidenceKey, Outcome, StatusPolicy};
use passerelle::{did, ErrorCode, Issuer, Report, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

const LIST: &str = "https://status.bc.passerelle.example/lists/1";

fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

fn issuer_key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[61; 32])
}

fn kid() -> String {
    did::key::verification_method_for(&issuer_key().public_key())
}

/// An SD-JWT VC of the issuer whose status is `status`.
fn credential(status: Value) -> String {
    let claims = object(
        json!({"vct": "https://credentials.bc.passerelle.example/age", "age_over_19": true,
        "status": status}),
    );
    let issued = Issuer::did_key(issuer_key())
        .issue_sd_jwt_vc(claims, &[], None, at())
        .unwrap();
    passerelle::sd_jwt::present(&issued, &[], None, Default::default()).unwrap()
}

fn at_index(index: u64) -> String {
    credential(json!({"status_list": {"idx": index, "uri": LIST}}))
}

/// The issuer's list: 2 bits per token; 5 revoked, 6 suspended, 7 holds 3.
fn list() -> TokenStatusList {
    let mut list = TokenStatusList::new(2, 64).unwrap();
    list.set(5, INVALID).unwrap();
    list.set(6, SUSPENDED).unwrap();
    list.set(7, 3).unwrap();
    list
}

fn issuers_token() -> String {
    sign_status_list_token(
        &list(),
        LIST,
        at(),
        Some(at().plus_seconds(3600)),
        &kid(),
        &issuer_key(),
    )
    .unwrap()
}

fn verify_with(token: Option<&str>, credential: &str, options: &VerifyOptions) -> Report {
    let mut verifier = Verifier::offline();
    if let Some(token) = token {
        let mut lists = StaticStatusLists::default();
        lists.insert(LIST, token.as_bytes().to_vec());
        verifier = verifier.with_status(lists);
    }
    verifier.verify(credential.as_bytes(), options)
}

fn status_of(report: &Report) -> (Outcome, Option<ErrorCode>) {
    let check = report.check(CheckName::Status).unwrap();
    (check.outcome, check.code)
}

#[test]
fn each_status_value_is_read_from_the_issuers_list() {
    let options = VerifyOptions::at(at());
    let token = issuers_token();
    let report = verify_with(Some(&token), &at_index(4), &options);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let status = report.check(CheckName::Status).unwrap();
    let evidence: Vec<_> = status.evidence.iter().map(|(k, v)| (k.name(), v.as_str())).collect();
    assert!(evidence.contains(&("statusListCredential", LIST)), "{evidence:?}");
    assert!(evidence.contains(&("statusListIndex", "4")), "{evidence:?}");
    assert!(evidence.contains(&("status", "0x0")), "{evidence:?}");
    for (index, code) in [
        (5, ErrorCode::CredentialRevoked),
        (6, ErrorCode::CredentialSuspended),
        (7, ErrorCode::StatusTypeUnsupported),
        (64, ErrorCode::StatusListInvalid),
    ] {
        let report = verify_with(Some(&token), &at_index(index), &options);
        assert_eq!(failure(&report), (CheckName::Status, code), "index {index}");
    }
}

/// A Status List Token with these claims and header changes, signed by `signer`.
fn token_with(claims: impl FnOnce(&mut Map<String, Value>), typ: &str, kid: &str, signer: &dyn Signer) -> String {
    let mut payload = object(json!({"sub": LIST, "iat": at().unix_seconds(), "status_list": list().to_claim()}));
    claims(&mut payload);
    sign_typed(&payload, kid, typ, signer).unwrap()
}

#[test]
fn what_section_6_4_refuses_is_refused() {
    let options = VerifyOptions::at(at());
    let key = issuer_key();
    let stranger = Ed25519KeyPair::from_seed(&[62; 32]);
    let stranger_kid = did::key::verification_method_for(&stranger.public_key());
    let unchanged = |_: &mut Map<String, Value>| {};
    let cases: Vec<(&str, String)> = vec![
        (
            "signed by another party's key",
            token_with(unchanged, "statuslist+jwt", &stranger_kid, &stranger),
        ),
        (
            "the issuer's kid, another key's signature",
            token_with(unchanged, "statuslist+jwt", &kid(), &stranger),
        ),
        ("another typ", token_with(unchanged, "jwt", &kid(), &key)),
        (
            "sub is another list",
            token_with(
                |c| {
                    c.insert("sub".into(), json!("https://status.example/other"));
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "no sub",
            token_with(
                |c| {
                    c.remove("sub");
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "no iat",
            token_with(
                |c| {
                    c.remove("iat");
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "issued after the verification",
            token_with(
                |c| {
                    c.insert("iat".into(), json!(at().unix_seconds() + 60));
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "expired",
            token_with(
                |c| {
                    c.insert("exp".into(), json!(at().unix_seconds()));
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "iss another party",
            token_with(
                |c| {
                    c.insert("iss".into(), json!("did:example:other"));
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "bits 3",
            token_with(
                |c| {
                    c["status_list"]["bits"] = json!(3);
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        (
            "no status_list",
            token_with(
                |c| {
                    c.remove("status_list");
                },
                "statuslist+jwt",
                &kid(),
                &key,
            ),
        ),
        ("not a JWS", String::from("{\"sub\": \"x\"}")),
    ];
    for (what, token) in cases {
        let report = verify_with(Some(&token), &at_index(4), &options);
        assert_eq!(
            failure(&report),
            (CheckName::Status, ErrorCode::StatusListInvalid),
            "{what}"
        );
    }
    // A malformed reference in the credential.
    for status in [
        json!({"status_list": {"idx": -1, "uri": LIST}}),
        json!({"status_list": {"idx": 4}}),
        json!("revoked?"),
    ] {
        let report = verify_with(Some(&issuers_token()), &credential(status.clone()), &options);
        assert_eq!(
            failure(&report),
            (CheckName::Status, ErrorCode::StatusListInvalid),
            "{status}"
        );
    }
}

#[test]
fn the_status_policy_applies_as_for_bitstring_lists() {
    let strict = VerifyOptions::at(at());
    // No status source: fails closed, unless the caller accepts it.
    assert_eq!(
        failure(&verify_with(None, &at_index(4), &strict)),
        (CheckName::Status, ErrorCode::StatusListUnavailable)
    );
    let mut lenient = VerifyOptions::at(at());
    lenient.status_policy = StatusPolicy {
        skip_without_source: true,
        accept_unknown_types: true,
    };
    assert_eq!(
        status_of(&verify_with(None, &at_index(4), &lenient)).0,
        Outcome::Skipped
    );
    // A source without the list: unavailable, whatever the policy.
    let mut other = StaticStatusLists::default();
    other.insert("https://status.example/else", issuers_token().into_bytes());
    let report = Verifier::offline()
        .with_status(other)
        .verify(at_index(4).as_bytes(), &lenient);
    assert_eq!(failure(&report), (CheckName::Status, ErrorCode::StatusListUnavailable));
    // Another status mechanism beside the list: refused, unless accepted.
    let both = credential(json!({"status_list": {"idx": 4, "uri": LIST}, "status_assertion": {}}));
    assert_eq!(
        failure(&verify_with(Some(&issuers_token()), &both, &strict)),
        (CheckName::Status, ErrorCode::StatusTypeUnsupported)
    );
    let report = verify_with(Some(&issuers_token()), &both, &lenient);
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    let status = report.check(CheckName::Status).unwrap();
    assert!(status
        .evidence
        .iter()
        .any(|(k, v)| *k == EvidenceKey::UncheckedStatusType && v == "status_assertion"));
    // ... and still revoked when the list says so.
    let revoked = credential(json!({"status_list": {"idx": 5, "uri": LIST}, "status_assertion": {}}));
    assert_eq!(
        failure(&verify_with(Some(&issuers_token()), &revoked, &lenient)),
        (CheckName::Status, ErrorCode::CredentialRevoked)
    );
}

#[test]
fn a_token_supplied_among_status_lists_is_keyed_by_its_sub() {
    let mut lists = StaticStatusLists::default();
    assert_eq!(
        lists
            .insert_credential(format!("{}\n", issuers_token()).into_bytes())
            .unwrap(),
        LIST
    );
    let report = Verifier::offline()
        .with_status(lists)
        .verify(at_index(5).as_bytes(), &VerifyOptions::at(at()));
    assert_eq!(failure(&report), (CheckName::Status, ErrorCode::CredentialRevoked));
}

mod properties {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use proptest::prelude::*;

    /// The bytes each part of a compact JWS decodes to (`None`: one does not).
    fn decoded(token: &str) -> Option<Vec<Vec<u8>>> {
        token.split('.').map(|part| URL_SAFE_NO_PAD.decode(part).ok()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_statuses_round_trip(bits in prop::sample::select(vec![1u8, 2, 4, 8]), statuses in prop::collection::vec(any::<u8>(), 1..300)) {
            let mask = ((1u16 << bits) - 1) as u8;
            let mut list = TokenStatusList::new(bits, statuses.len()).unwrap();
            for (index, status) in statuses.iter().enumerate() {
                list.set(index as u64, status & mask).unwrap();
            }
            let read = TokenStatusList::from_claim(&list.to_claim()).unwrap();
            for (index, status) in statuses.iter().enumerate() {
                prop_assert_eq!(read.get(index as u64).unwrap(), status & mask);
            }
        }

        #[test]
        fn any_byte_flip_of_the_token_fails_the_status_check(position in any::<prop::sample::Index>(), mask in 1u8..=255) {
            let token = issuers_token();
            let mut bytes = token.clone().into_bytes();
            let flip = position.index(bytes.len());
            bytes[flip] ^= mask;
            let flipped = String::from_utf8_lossy(&bytes).into_owned();
            // A flip in a base64 character's unused low bits decodes to the same token.
            prop_assume!(decoded(&flipped).is_none() || decoded(&flipped) != decoded(&token));
            let report = verify_with(Some(&flipped), &at_index(4), &VerifyOptions::at(at()));
            prop_assert_eq!(status_of(&report).0, Outcome::Failed);
        }
    }
}

/// Review: an issuer (not this library's) that let part of `status` be
/// selectively disclosable, or signed it empty: the holder could hide the
/// reference, so the credential is refused, never passed unchecked.
#[test]
fn a_status_claim_that_names_no_mechanism_or_hides_one_is_refused() {
    let options = VerifyOptions::at(at());
    let report = verify_with(Some(&issuers_token()), &credential(json!({})), &options);
    assert_eq!(failure(&report), (CheckName::Status, ErrorCode::StatusListInvalid));
    let claims = object(
        json!({"vct": "https://credentials.bc.passerelle.example/age", "iss": did::key::did_for(&issuer_key().public_key()),
        "iat": at().unix_seconds(), "status": {"status_list": {"idx": 5, "uri": LIST}}}),
    );
    let sd_options = passerelle::sd_jwt::IssueOptions {
        typ: "dc+sd-jwt".into(),
        kid: Some(kid()),
        decoys: 0,
        holder_key: None,
    };
    let issued = passerelle::sd_jwt::issue(&claims, &["/status/status_list"], &sd_options, &issuer_key()).unwrap();
    let hidden = passerelle::sd_jwt::present(&issued, &[], None, Default::default()).unwrap();
    let report = verify_with(Some(&issuers_token()), &hidden, &options);
    assert_eq!(failure(&report), (CheckName::Parse, ErrorCode::SdJwtPayloadInvalid));
}

/// Review: a Status List Token not yet valid (`nbf`) says nothing yet.
#[test]
fn a_token_not_yet_valid_is_refused() {
    let token = token_with(
        |c| {
            c.insert("nbf".into(), json!(at().unix_seconds() + 60));
        },
        "statuslist+jwt",
        &kid(),
        &issuer_key(),
    );
    let report = verify_with(Some(&token), &at_index(4), &VerifyOptions::at(at()));
    assert_eq!(failure(&report), (CheckName::Status, ErrorCode::StatusListInvalid));
    // typ as a full media type, any case (RFC 7515 §4.1.9), is the same typ.
    for typ in ["application/statuslist+jwt", "StatusList+JWT"] {
        let token = token_with(|_| {}, typ, &kid(), &issuer_key());
        assert!(
            verify_with(Some(&token), &at_index(4), &VerifyOptions::at(at())).verified(),
            "{typ}"
        );
    }
}

/// A status source that counts the lists asked for.
#[derive(Clone, Default)]
struct Counting(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl passerelle::status::StatusResolver for Counting {
    fn status_list(&self, _url: &str) -> passerelle::Result<Vec<u8>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(issuers_token().into_bytes())
    }
}

/// Review: the status of a credential whose proof failed is not fetched
/// (draft §8.3): a forger must not make the verifier call a URL it chose.
#[test]
fn no_status_is_fetched_for_a_credential_whose_proof_failed() {
    let counting = Counting::default();
    let verifier = Verifier::offline().with_status(counting.clone());
    let options = VerifyOptions::at(at());
    // Signed by a stranger, naming the issuer's key.
    let stranger = Ed25519KeyPair::from_seed(&[63; 32]);
    let payload = json!({"vct": "https://credentials.bc.passerelle.example/age", "iss": did::key::did_for(&issuer_key().public_key()),
        "iat": at().unix_seconds(), "status": {"status_list": {"idx": 4, "uri": "https://tracker.example/?victim=42"}}});
    let forged = format!(
        "{}~",
        sign_typed(payload.as_object().unwrap(), &kid(), "dc+sd-jwt", &stranger).unwrap()
    );
    let report = verifier.verify(forged.as_bytes(), &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::ProofSignatureInvalid));
    assert_eq!(status_of(&report).0, Outcome::Skipped);
    // The same for a Data Integrity credential with a Bitstring entry.
    let issuer = Issuer::did_key(issuer_key());
    let mut unsigned = common::permit(issuer.did());
    unsigned.insert(
        "credentialStatus".into(),
        json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "7", "statusListCredential": "https://tracker.example/?victim=43"}),
    );
    let signed = issuer
        .issue(unsigned, at())
        .unwrap()
        .to_json_string()
        .replace("YT-MA-0042", "YT-MA-0043");
    let report = verifier.verify(signed.as_bytes(), &options);
    assert_eq!(failure(&report), (CheckName::Proof, ErrorCode::ProofSignatureInvalid));
    assert_eq!(status_of(&report).0, Outcome::Skipped);
    assert_eq!(counting.0.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// Review: an IETF `status` claim on a VCDM credential is a status this
/// verifier does not read there: it fails closed, not "no status entry".
#[test]
fn an_ietf_status_claim_on_a_vcdm_credential_fails_closed() {
    let issuer = Issuer::did_key(issuer_key());
    let mut unsigned = common::permit(issuer.did());
    unsigned.insert("status".into(), json!({"status_list": {"idx": 5, "uri": LIST}}));
    let signed = issuer.issue(unsigned, at()).unwrap().to_json_string();
    let report = verify_with(Some(&issuers_token()), &signed, &VerifyOptions::at(at()));
    assert_eq!(failure(&report), (CheckName::Status, ErrorCode::StatusTypeUnsupported));
}
