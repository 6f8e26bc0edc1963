//! SD-JWT (RFC 9901): the RFC's examples, issue → present → verify round
//! trips, and every rule of §7.1 and §7.3 broken once.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::object;
use passerelle::crypto::{jwk, Ed25519KeyPair, P256KeyPair, PublicKey, Signer};
use passerelle::jose::{sign_compact, Media};
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, Disclosure, IssueOptions, KeyBinding, VerifyOptions};
use passerelle::{ErrorCode, Timestamp};
use serde_json::{json, Value};

fn rfc(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/rfc9901")
        .join(name);
    std::fs::read_to_string(path).unwrap().trim().to_owned()
}

/// The issuer key of RFC 9901 Appendix A.5.
fn rfc_issuer() -> PublicKey {
    jwk::public_key(&json!({"kty": "EC", "crv": "P-256",
        "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ", "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}))
    .unwrap()
}

/// When the §5.2 Key Binding JWT was made (its `iat`), plus a minute.
fn rfc_time() -> Timestamp {
    Timestamp::from_unix_seconds(1_748_537_243 + 60)
}

fn rfc_options() -> VerifyOptions {
    VerifyOptions::new(rfc_time())
        .with_nonce("1234567890")
        .with_audience("https://verifier.example.org")
}

#[test]
fn rfc_9901_presentation_verifies_to_the_processed_payload() {
    let verified = sd_jwt::verify(&rfc("presented-5.2.txt"), &rfc_issuer(), &rfc_options()).unwrap();
    // §5.2, "the following Processed SD-JWT Payload".
    let expected = json!({
        "iss": "https://issuer.example.com", "iat": 1683000000, "exp": 1883000000, "sub": "user_42",
        "nationalities": ["US"],
        "cnf": {"jwk": {"kty": "EC", "crv": "P-256",
            "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc", "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"}},
        "family_name": "Doe",
        "address": {"street_address": "123 Main St", "locality": "Anytown", "region": "Anystate", "country": "US"},
        "given_name": "John"
    });
    assert_eq!(Value::Object(verified.claims), expected);
    assert!(verified.key_bound);
    assert_eq!(verified.header["typ"], "example+sd-jwt");
    let mut disclosed = verified.disclosed.clone();
    disclosed.sort();
    assert_eq!(
        disclosed,
        ["/address", "/family_name", "/given_name", "/nationalities/0"]
    );
}

#[test]
fn rfc_9901_presentation_fails_on_each_key_binding_rule() {
    let presented = rfc("presented-5.2.txt");
    let issuer = rfc_issuer();
    let refused = |input: &str, options: &VerifyOptions| sd_jwt::verify(input, &issuer, options).unwrap_err().code();
    assert_eq!(
        refused(&presented, &rfc_options().with_nonce("another")),
        ErrorCode::KeyBindingNonceMismatch
    );
    assert_eq!(
        refused(&presented, &rfc_options().with_audience("https://else.example")),
        ErrorCode::KeyBindingAudienceMismatch
    );
    let mut late = rfc_options();
    late.time = late.time.plus_seconds(3600);
    assert_eq!(refused(&presented, &late), ErrorCode::KeyBindingTimeInvalid);
    let mut early = rfc_options();
    early.time = early.time.plus_seconds(-3600);
    assert_eq!(refused(&presented, &early), ErrorCode::KeyBindingTimeInvalid);
    let mut unasked = rfc_options();
    unasked.nonce = None;
    assert_eq!(refused(&presented, &unasked), ErrorCode::KeyBindingRequestMissing);
    // A Disclosure left out: the Key Binding JWT covers what was sent, not this.
    let parts: Vec<&str> = presented.split('~').collect();
    let fewer = [&parts[..2], &parts[3..]].concat().join("~");
    assert_eq!(refused(&fewer, &rfc_options()), ErrorCode::KeyBindingHashMismatch);
    // Without its Key Binding JWT: the SD-JWT names a holder key, so one is required.
    let unbound = presented[..=presented.rfind('~').unwrap()].to_owned();
    assert_eq!(refused(&unbound, &rfc_options()), ErrorCode::KeyBindingMissing);
    // Another issuer key.
    let other = P256KeyPair::from_secret_bytes(&[9; 32]).unwrap().public_key();
    assert_eq!(
        sd_jwt::verify(&presented, &other, &rfc_options()).unwrap_err().code(),
        ErrorCode::ProofSignatureInvalid
    );
}

#[test]
fn rfc_9901_issued_sd_jwt_processes_to_every_claim() {
    let issued = rfc("issued-5.1.txt");
    let parsed = sd_jwt::parse(&issued, Limits::default()).unwrap();
    parsed.jwt.verify_signature(&rfc_issuer()).unwrap();
    assert_eq!(parsed.disclosures.len(), 10);
    assert!(parsed.key_binding.is_none());
    let processed = parsed.process(Limits::default()).unwrap();
    // §5.1's input claims, plus what the issuer added in the clear.
    for (name, value) in [
        ("given_name", json!("John")),
        ("email", json!("johndoe@example.com")),
        ("phone_number_verified", json!(true)),
        ("updated_at", json!(1570000000)),
        ("nationalities", json!(["US", "DE"])),
        ("birthdate", json!("1940-01-01")),
    ] {
        assert_eq!(processed.claims[name], value, "{name}");
    }
    assert!(processed.claims.get("_sd").is_none() && processed.claims.get("_sd_alg").is_none());
}

/// A holder key, an issuer key, and claims with disclosable members,
/// nested members, array elements and a disclosable array of disclosable elements.
struct Fixture {
    issuer: Ed25519KeyPair,
    holder: P256KeyPair,
}

const DISCLOSABLE: [&str; 7] = [
    "/birthdate",
    "/age_over_19",
    "/address",
    "/address/locality",
    "/nationalities",
    "/nationalities/0",
    "/nationalities/1",
];

fn at() -> Timestamp {
    Timestamp::parse("2040-03-01T12:00:00Z").unwrap()
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            issuer: Ed25519KeyPair::from_seed(&[31; 32]),
            holder: P256KeyPair::from_secret_bytes(&[32; 32]).unwrap(),
        }
    }

    fn claims() -> Value {
        json!({"iss": "https://permits.gov.bc.passerelle.example", "vct": "https://bc.passerelle.example/age",
               "iat": at().unix_seconds() - 86400, "exp": at().unix_seconds() + 86400,
               "birthdate": "1990-05-01", "age_over_19": true,
               "address": {"locality": "Victoria", "region": "BC"},
               "nationalities": ["CA", "FR"]})
    }

    fn issue(&self, decoys: usize) -> String {
        let options = IssueOptions {
            holder_key: Some(self.holder.public_key()),
            decoys,
            typ: "dc+sd-jwt".into(),
            ..IssueOptions::default()
        };
        sd_jwt::issue(&object(Self::claims()), &DISCLOSABLE, &options, &self.issuer).unwrap()
    }

    fn present(&self, issued: &str, disclose: &[&str]) -> String {
        let binding = KeyBinding {
            signer: &self.holder,
            nonce: "nonce-1",
            audience: "https://verifier.example",
            issued_at: at(),
        };
        sd_jwt::present(issued, disclose, Some(&binding), Limits::default()).unwrap()
    }

    fn options() -> VerifyOptions {
        VerifyOptions::new(at())
            .with_nonce("nonce-1")
            .with_audience("https://verifier.example")
    }

    fn verify(&self, presented: &str) -> passerelle::Result<sd_jwt::Verified> {
        sd_jwt::verify(presented, &self.issuer.public_key(), &Self::options())
    }
}

#[test]
fn only_the_chosen_claims_are_disclosed() {
    let fixture = Fixture::new();
    let issued = fixture.issue(2);
    let shown = fixture.present(&issued, &["/age_over_19", "/nationalities/1", "/address/region"]);
    let verified = fixture.verify(&shown).unwrap();
    let claims = Value::Object(verified.claims);
    assert_eq!(claims["age_over_19"], true);
    assert!(claims.get("birthdate").is_none());
    assert_eq!(claims["nationalities"], json!(["FR"]));
    // region is in the clear inside the disclosable address; locality stays hidden.
    assert_eq!(claims["address"], json!({"region": "BC"}));
    assert!(verified.key_bound);
}

#[test]
fn rules_of_section_7_each_refused_with_its_code() {
    let fixture = Fixture::new();
    let issuer = &fixture.issuer;
    let issued = fixture.issue(0);
    let parsed = sd_jwt::parse(&issued, Limits::default()).unwrap();
    let some_disclosure = parsed
        .disclosures
        .iter()
        .find(|d| d.name() == Some("birthdate"))
        .unwrap()
        .clone();
    let jwt = &issued[..issued.find('~').unwrap()];
    let unbound = |payload: Value, disclosures: &[&Disclosure]| {
        let mut text = sign_compact(&object(payload), "#k", Media::Credential, issuer).unwrap();
        text.push('~');
        for d in disclosures {
            text.push_str(d.encoded());
            text.push('~');
        }
        text
    };
    let code = |input: &str| {
        let mut options = Fixture::options();
        options.nonce = None;
        sd_jwt::verify(input, &issuer.public_key(), &options)
            .unwrap_err()
            .code()
    };
    let member = Disclosure::member("salt-a", "given_name", json!("Ann")).unwrap();
    let element = Disclosure::element("salt-b", json!("CA"));
    let cases: Vec<(&str, String, ErrorCode)> = vec![
        (
            "a Disclosure sent twice",
            format!("{jwt}~{0}~{0}~", some_disclosure.encoded()),
            ErrorCode::SdJwtDigestReused,
        ),
        (
            "a Disclosure the issuer never signed",
            unbound(json!({"a": 1}), &[&member]),
            ErrorCode::SdJwtDisclosureUnreferenced,
        ),
        (
            "a digest twice in _sd",
            unbound(json!({"_sd": [member.digest(), member.digest()]}), &[]),
            ErrorCode::SdJwtDigestReused,
        ),
        (
            "a digest in _sd and in an array",
            unbound(json!({"_sd": [member.digest()], "x": [{"...": member.digest()}]}), &[]),
            ErrorCode::SdJwtDigestReused,
        ),
        (
            "a digest in _sd and in an array, its Disclosure sent",
            unbound(
                json!({"_sd": [member.digest()], "x": [{"...": member.digest()}]}),
                &[&member],
            ),
            ErrorCode::SdJwtDigestReused,
        ),
        (
            "no final `~`: a Disclosure where the Key Binding JWT would be",
            format!("{jwt}~{}", some_disclosure.encoded()),
            ErrorCode::SdJwtMalformed,
        ),
        (
            "a disclosed claim overwriting one in the clear",
            unbound(json!({"given_name": "Bob", "_sd": [member.digest()]}), &[&member]),
            ErrorCode::SdJwtClaimConflict,
        ),
        (
            "`...` as an object member",
            unbound(json!({"...": "x"}), &[]),
            ErrorCode::SdJwtPayloadInvalid,
        ),
        (
            "`...` beside another member in an array",
            unbound(json!({"x": [{"...": element.digest(), "y": 1}]}), &[&element]),
            ErrorCode::SdJwtPayloadInvalid,
        ),
        (
            "_sd not an array",
            unbound(json!({"_sd": "abc"}), &[]),
            ErrorCode::SdJwtPayloadInvalid,
        ),
        (
            "_sd_alg nested",
            unbound(json!({"o": {"_sd_alg": "sha-256"}}), &[]),
            ErrorCode::SdJwtPayloadInvalid,
        ),
        (
            "_sd_alg sha-512",
            unbound(json!({"_sd_alg": "sha-512"}), &[]),
            ErrorCode::SdJwtHashUnsupported,
        ),
        (
            "an element Disclosure in _sd",
            unbound(json!({"_sd": [element.digest()]}), &[&element]),
            ErrorCode::SdJwtDisclosureInvalid,
        ),
        (
            "a member Disclosure in an array",
            unbound(json!({"x": [{"...": member.digest()}]}), &[&member]),
            ErrorCode::SdJwtDisclosureInvalid,
        ),
        (
            "expired",
            unbound(json!({"exp": at().unix_seconds() - 1}), &[]),
            ErrorCode::CredentialExpired,
        ),
        (
            "not yet valid",
            unbound(json!({"nbf": at().unix_seconds() + 3600}), &[]),
            ErrorCode::CredentialNotYetValid,
        ),
        ("no trailing `~`", jwt.to_owned(), ErrorCode::SdJwtMalformed),
        ("an empty Disclosure", format!("{jwt}~~"), ErrorCode::SdJwtMalformed),
        (
            "a Disclosure not base64url",
            format!("{jwt}~%%~"),
            ErrorCode::SdJwtDisclosureInvalid,
        ),
        (
            "cnf and no Key Binding JWT",
            issued.clone(),
            ErrorCode::KeyBindingMissing,
        ),
    ];
    for (what, input, expected) in cases {
        assert_eq!(code(&input), expected, "{what}");
    }
}

fn none_jwt(header: Value, payload: Value) -> String {
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

#[test]
fn key_binding_jwt_rules_each_refused_with_its_code() {
    let fixture = Fixture::new();
    let issued = fixture.issue(0);
    let shown = fixture.present(&issued, &["/age_over_19"]);
    fixture.verify(&shown).unwrap();
    let base = &shown[..=shown.rfind('~').unwrap()];
    let code = |input: String| fixture.verify(&input).unwrap_err().code();
    // `alg: none` for the issuer's JWT and for the Key Binding JWT.
    let payload = json!({"iss": "x", "_sd_alg": "sha-256"});
    assert_eq!(
        code(format!("{}~", none_jwt(json!({"alg": "none"}), payload))),
        ErrorCode::JoseAlgorithmUnsupported
    );
    let kb = json!({"iat": at().unix_seconds(), "aud": "https://verifier.example", "nonce": "nonce-1", "sd_hash": "x"});
    assert_eq!(
        code(format!(
            "{base}{}",
            none_jwt(json!({"alg": "none", "typ": "kb+jwt"}), kb)
        )),
        ErrorCode::KeyBindingInvalid
    );
    // Signed by another key than the holder's.
    let stranger = P256KeyPair::from_secret_bytes(&[77; 32]).unwrap();
    let binding = KeyBinding {
        signer: &stranger,
        nonce: "nonce-1",
        audience: "https://verifier.example",
        issued_at: at(),
    };
    let forged = sd_jwt::present(&issued, &["/age_over_19"], Some(&binding), Limits::default()).unwrap();
    assert_eq!(code(forged), ErrorCode::KeyBindingSignatureInvalid);
    // A Key Binding JWT typed otherwise, or missing a claim.
    let sign = |header: Value, payload: Value| {
        let head = URL_SAFE_NO_PAD.encode(header.to_string());
        let body = URL_SAFE_NO_PAD.encode(payload.to_string());
        let signature = fixture.holder.sign(format!("{head}.{body}").as_bytes()).unwrap();
        format!("{base}{head}.{body}.{}", URL_SAFE_NO_PAD.encode(signature))
    };
    let sd_hash = {
        use sha2::Digest as _;
        URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(base.as_bytes()))
    };
    let good =
        json!({"iat": at().unix_seconds(), "aud": "https://verifier.example", "nonce": "nonce-1", "sd_hash": sd_hash});
    assert!(fixture
        .verify(&sign(json!({"alg": "ES256", "typ": "kb+jwt"}), good.clone()))
        .is_ok());
    assert_eq!(
        code(sign(json!({"alg": "ES256", "typ": "JWT"}), good.clone())),
        ErrorCode::KeyBindingInvalid
    );
    for claim in ["iat", "aud", "nonce", "sd_hash"] {
        let mut without = good.clone();
        without.as_object_mut().unwrap().remove(claim);
        assert_eq!(
            code(sign(json!({"alg": "ES256", "typ": "kb+jwt"}), without)),
            ErrorCode::KeyBindingInvalid,
            "{claim}"
        );
    }
    // A verifier that requires key binding from an SD-JWT with no holder key.
    let plain = sd_jwt::issue(
        &object(json!({"iss": "x", "a": 1})),
        &["/a"],
        &IssueOptions::default(),
        &fixture.issuer,
    )
    .unwrap();
    let mut strict = Fixture::options();
    strict.require_key_binding = true;
    assert_eq!(
        sd_jwt::verify(&plain, &fixture.issuer.public_key(), &strict)
            .unwrap_err()
            .code(),
        ErrorCode::KeyBindingMissing
    );
    let mut lax = Fixture::options();
    lax.nonce = None;
    let verified = sd_jwt::verify(&plain, &fixture.issuer.public_key(), &lax).unwrap();
    assert!(!verified.key_bound);
    assert_eq!(verified.claims["a"], 1, "the issued SD-JWT carries every Disclosure");
}

#[test]
fn issuing_refuses_what_cannot_be_disclosed() {
    let key = Ed25519KeyPair::from_seed(&[3; 32]);
    let claims = object(json!({"a": {"b": [1, 2]}, "cnf": {}}));
    let options = IssueOptions::default();
    for (pointer, expected) in [
        ("/missing", ErrorCode::SdJwtClaimNotFound),
        ("/a/b/7", ErrorCode::SdJwtClaimNotFound),
        ("/cnf", ErrorCode::OptionInvalid),
        ("a", ErrorCode::OptionInvalid),
    ] {
        let error = sd_jwt::issue(&claims, &[pointer], &options, &key).unwrap_err();
        assert_eq!(error.code(), expected, "{pointer}");
    }
    let reserved = object(json!({"x": {"_sd": []}}));
    assert_eq!(
        sd_jwt::issue(&reserved, &[], &options, &key).unwrap_err().code(),
        ErrorCode::SdJwtPayloadInvalid
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(24))]

    /// Any subset of the disclosable claims verifies and reveals exactly that subset.
    #[test]
    fn any_subset_reveals_exactly_that_subset(mask in 0u8..16, decoys in 0usize..3) {
        let fixture = Fixture::new();
        let issued = fixture.issue(decoys);
        let choices = ["/birthdate", "/age_over_19", "/address/locality", "/nationalities/0"];
        let chosen: Vec<&str> = choices.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, p)| *p).collect();
        let verified = fixture.verify(&fixture.present(&issued, &chosen)).unwrap();
        let claims = Value::Object(verified.claims);
        proptest::prop_assert_eq!(claims.get("birthdate").is_some(), chosen.contains(&"/birthdate"));
        proptest::prop_assert_eq!(claims.get("age_over_19").is_some(), chosen.contains(&"/age_over_19"));
        proptest::prop_assert_eq!(claims.pointer("/address/locality").is_some(), chosen.contains(&"/address/locality"));
        let nationalities = if chosen.contains(&"/nationalities/0") { Some(json!(["CA"])) } else { None };
        proptest::prop_assert_eq!(claims.get("nationalities").cloned(), nationalities);
    }

    /// Any character of a presentation changed: refused, never a panic.
    #[test]
    fn any_changed_character_fails(position in 0usize..4000, replacement in proptest::sample::select(b"AQgw-_~.".to_vec())) {
        let fixture = Fixture::new();
        let shown = fixture.present(&fixture.issue(0), &["/age_over_19", "/address"]);
        let mut bytes = shown.into_bytes();
        let at = position % bytes.len();
        proptest::prop_assume!(bytes[at] != replacement);
        bytes[at] = replacement;
        let changed = String::from_utf8(bytes).unwrap();
        proptest::prop_assert!(fixture.verify(&changed).is_err());
    }
}

/// Claims that decide whether an SD-JWT is valid or bound to its holder
/// (`exp`, `nbf`, `iss`, `cnf`): never disclosable (RFC 9901 §9.7), so a
/// holder cannot leave them out.
#[test]
fn validity_and_holder_claims_are_never_selectively_disclosable() {
    let key = Ed25519KeyPair::from_seed(&[3; 32]);
    let claims = object(json!({"iss": "x", "exp": at().unix_seconds() - 10, "nbf": 1, "name": "A"}));
    for pointer in ["/exp", "/nbf", "/iss", "/cnf", "/_sd_alg"] {
        let error = sd_jwt::issue(&claims, &[pointer, "/name"], &IssueOptions::default(), &key).unwrap_err();
        assert_eq!(error.code(), ErrorCode::OptionInvalid, "{pointer}");
    }
    // Made disclosable all the same by another issuer: refused when disclosed.
    let holder = P256KeyPair::from_secret_bytes(&[4; 32]).unwrap();
    let exp = Disclosure::member("s1", "exp", json!(at().unix_seconds() - 10)).unwrap();
    let cnf = Disclosure::member("s2", "cnf", json!({"jwk": holder.public_key().to_jwk()})).unwrap();
    let options = VerifyOptions::new(at());
    for disclosure in [&exp, &cnf] {
        let payload = object(json!({"iss": "x", "_sd": [disclosure.digest()]}));
        let token = format!(
            "{}~{}~",
            sign_compact(&payload, "#k", Media::Credential, &key).unwrap(),
            disclosure.encoded()
        );
        let error = sd_jwt::verify(&token, &key.public_key(), &options).unwrap_err();
        assert_eq!(error.code(), ErrorCode::SdJwtPayloadInvalid, "{:?}", disclosure.name());
    }
}

#[test]
fn the_expected_typ_is_checked_and_a_private_holder_key_refused() {
    let fixture = Fixture::new();
    let shown = fixture.present(&fixture.issue(0), &["/age_over_19"]);
    let mut options = Fixture::options();
    options.typ = Some("dc+sd-jwt".into());
    assert!(sd_jwt::verify(&shown, &fixture.issuer.public_key(), &options).is_ok());
    options.typ = Some("vc+sd-jwt".into());
    assert_eq!(
        sd_jwt::verify(&shown, &fixture.issuer.public_key(), &options)
            .unwrap_err()
            .code(),
        ErrorCode::JoseHeaderInvalid
    );
    // A cnf whose JWK carries the private key `d`.
    let holder = P256KeyPair::from_secret_bytes(&[32; 32]).unwrap();
    let private: Value = serde_json::from_str(&holder.to_private_jwk()).unwrap();
    let payload = object(json!({"iss": "x", "cnf": {"jwk": private}}));
    let token = format!(
        "{}~",
        sign_compact(&payload, "#k", Media::Credential, &fixture.issuer).unwrap()
    );
    let binding = KeyBinding {
        signer: &holder,
        nonce: "nonce-1",
        audience: "https://verifier.example",
        issued_at: at(),
    };
    let shown = sd_jwt::present(&token, &[], Some(&binding), Limits::default()).unwrap();
    assert_eq!(fixture.verify(&shown).unwrap_err().code(), ErrorCode::KeyBindingInvalid);
}

#[test]
fn presenting_a_claim_the_credential_lacks_says_so() {
    let fixture = Fixture::new();
    let error = sd_jwt::present(&fixture.issue(0), &["/nope"], None, Limits::default()).unwrap_err();
    assert_eq!(error.code(), ErrorCode::SdJwtClaimNotFound);
}

/// Not only the claims themselves: nothing inside them either (an element
/// of `aud`, the key in `cnf`), on issuing and when disclosed.
#[test]
fn nothing_inside_validity_and_holder_claims_is_selectively_disclosable() {
    let key = Ed25519KeyPair::from_seed(&[3; 32]);
    let holder = P256KeyPair::from_secret_bytes(&[4; 32]).unwrap();
    let claims = object(json!({"iss": "x", "aud": ["https://a.example", "https://b.example"],
                               "cnf": {"jwk": holder.public_key().to_jwk()}, "name": "A"}));
    for pointer in ["/aud/0", "/cnf/jwk", "/exp/x"] {
        let error = sd_jwt::issue(&claims, &[pointer, "/name"], &IssueOptions::default(), &key).unwrap_err();
        assert_eq!(error.code(), ErrorCode::OptionInvalid, "{pointer}");
    }
    // Made disclosable all the same by another issuer: refused when disclosed.
    let element = Disclosure::element("s1", json!("https://a.example"));
    let payload = object(json!({"iss": "x", "aud": [{"...": element.digest()}, "https://b.example"]}));
    let token = format!(
        "{}~{}~",
        sign_compact(&payload, "#k", Media::Credential, &key).unwrap(),
        element.encoded()
    );
    let error = sd_jwt::verify(&token, &key.public_key(), &VerifyOptions::new(at())).unwrap_err();
    assert_eq!(error.code(), ErrorCode::SdJwtPayloadInvalid);
}
