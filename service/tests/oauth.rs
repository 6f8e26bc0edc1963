//! OAuth 2.0 access tokens (RFC 9068 JWTs) beside API keys: tokens signed
//! here with an Ed25519 and a P-256 key whose JWKS the service was given;
//! each bad token refused with 401 AUTH_INVALID, a valid one without the
//! scope with 403 SCOPE_MISSING, and nothing written for either. The time
//! is the service's test clock. SQLite only: nothing here is the store's.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{permit_credential, start_with, Scratch, Service, Setup, Store};
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, Signer};
use passerelle_service::oauth::OAuth;
use serde_json::{json, Value};

const ISSUER: &str = "https://login.example/realms/gov";
const AUDIENCE: &str = "https://vc.example/api";
const ISSUE: &str = "/tenants/mines/credentials/issue";

struct Authority {
    ed: Ed25519KeyPair,
    p256: P256KeyPair,
    p384: P384KeyPair,
    /// A key the JWKS does not have.
    stranger: Ed25519KeyPair,
    service: Service,
    _jwks: Scratch,
}

fn now() -> i64 {
    common::clock().unix_seconds()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `header.payload.signature`, signed by `signer` (r‖s for P-256, as JWS
/// writes it), the header and payload given as text.
fn sign_text(header: &str, payload: &str, signer: &dyn Signer) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = signer.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&signature))
}

fn sign(header: &Value, claims: &Value, signer: &dyn Signer) -> String {
    sign_text(&header.to_string(), &claims.to_string(), signer)
}

fn header(alg: &str, kid: &str) -> Value {
    json!({"typ": "at+jwt", "alg": alg, "kid": kid})
}

/// Claims of a token valid at the test clock with `scope`.
fn claims(scope: &str) -> Value {
    json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "alice",
        "client_id": "permits-portal",
        "iat": now() - 30,
        "exp": now() + 300,
        "jti": "b7f0e3b6-0c1d-4a53-9a0e-5a1d2f0f9d11",
        "scope": scope,
    })
}

fn authority() -> Authority {
    let ed = Ed25519KeyPair::generate().unwrap();
    let p256 = P256KeyPair::generate().unwrap();
    let p384 = P384KeyPair::generate().unwrap();
    let stranger = Ed25519KeyPair::generate().unwrap();
    let mut ed_jwk = ed.public_key().to_jwk();
    ed_jwk["kid"] = json!("ed-1");
    ed_jwk["use"] = json!("sig");
    let mut p256_jwk = p256.public_key().to_jwk();
    p256_jwk["kid"] = json!("p256-1");
    p256_jwk["alg"] = json!("ES256");
    let mut p384_jwk = p384.public_key().to_jwk();
    p384_jwk["kid"] = json!("p384-1");
    // An RSA key, as authorization servers often publish too: left out.
    let rsa = json!({"kty": "RSA", "kid": "rsa-1", "alg": "RS256", "n": "sXch", "e": "AQAB"});
    let scratch = Scratch::new("oauth-jwks");
    let file = scratch.0.join("jwks.json");
    std::fs::write(&file, json!({"keys": [rsa, ed_jwk, p256_jwk, p384_jwk]}).to_string()).unwrap();
    let mut oauth = OAuth::new(AUDIENCE).unwrap();
    oauth.add_issuer_file(ISSUER, &file).unwrap();
    let service = start_with(
        Store::Sqlite,
        Setup {
            oauth: Some(oauth),
            ..Setup::default()
        },
    );
    Authority {
        ed,
        p256,
        p384,
        stranger,
        service,
        _jwks: scratch,
    }
}

fn issue_with(service: &Service, token: &str, permit: &str) -> common::Answer {
    let body = json!({"credential": permit_credential(permit)}).to_string();
    service.post(ISSUE, Some(token), &body)
}

#[test]
fn a_valid_access_token_issues_and_the_audit_log_names_its_client_and_subject() {
    let a = authority();
    let token = sign(&header("EdDSA", "ed-1"), &claims("openid issue:mines"), &a.ed);
    let issued = issue_with(&a.service, &token, "MX-oauth-1");
    assert_eq!(issued.status, 201, "{}", issued.text);
    let credential = issued.body["verifiableCredential"].clone();
    assert_eq!(a.service.verify(&credential, "en").status, 200);
    let lines = a.service.runtime.block_on(a.service.db.audit("mines")).unwrap();
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!(line.actor, "oauth:permits-portal:alice");
    }

    // ES256 (r‖s), `typ` in its long form, `aud` an array, a fractional
    // `exp`, `iat` a little ahead (within the skew); two scopes.
    let mut es = claims("issue:mines status:mines");
    es["aud"] = json!(["https://other.example", AUDIENCE]);
    es["exp"] = json!(now() as f64 + 60.5);
    es["iat"] = json!(now() + 30);
    let token = sign(
        &json!({"typ": "application/at+jwt", "alg": "ES256", "kid": "p256-1"}),
        &es,
        &a.p256,
    );
    let issued = issue_with(&a.service, &token, "MX-oauth-2");
    assert_eq!(issued.status, 201, "{}", issued.text);
    let id = issued.body["verifiableCredential"]["id"].as_str().unwrap();
    let body = json!({
        "credentialId": id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
        "status": true,
    });
    let revoked = a
        .service
        .post("/tenants/mines/credentials/status", Some(&token), &body.to_string());
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let lines = a.service.runtime.block_on(a.service.db.audit("mines")).unwrap();
    assert_eq!(lines.last().unwrap().action, "revoke");
    assert_eq!(lines.last().unwrap().actor, "oauth:permits-portal:alice");

    // ES384.
    let token = sign(&header("ES384", "p384-1"), &claims("issue:mines"), &a.p384);
    let issued = issue_with(&a.service, &token, "MX-oauth-3");
    assert_eq!(issued.status, 201, "{}", issued.text);

    // API keys still work beside tokens.
    assert_eq!(a.service.issue("MX-key").status, 201);
}

#[test]
fn bad_access_tokens_are_refused_with_401_and_missing_scopes_with_403() {
    let a = authority();
    let good_header = header("EdDSA", "ed-1");
    let with = |change: &dyn Fn(&mut Value)| {
        let mut c = claims("issue:mines");
        change(&mut c);
        sign(&good_header, &c, &a.ed)
    };
    let unsigned = |header: Value, claims: Value, signature: &[u8]| {
        format!(
            "{}.{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes()),
            b64(signature)
        )
    };
    let flipped = {
        let token = sign(&good_header, &claims("issue:mines"), &a.ed);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let mut signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        signature[10] ^= 0x01;
        format!("{input}.{}", b64(&signature))
    };
    let oversize = with(&|c| c["padding"] = json!("x".repeat(8 * 1024)));
    assert!(oversize.len() > 8 * 1024);
    let hs256 = {
        let input = format!(
            "{}.{}",
            b64(header("HS256", "ed-1").to_string().as_bytes()),
            b64(claims("issue:mines").to_string().as_bytes())
        );
        // An HMAC keyed with the public key: the classic confusion.
        use sha2::{Digest as _, Sha256};
        let mac = Sha256::digest([a.ed.public_key().as_bytes(), input.as_bytes()].concat());
        format!("{input}.{}", b64(&mac))
    };
    let duplicate_claim = sign_text(
        &good_header.to_string(),
        &claims("issue:mines")
            .to_string()
            .replacen('{', r#"{"sub":"mallory","#, 1),
        &a.ed,
    );

    let cases: Vec<(&str, String)> = vec![
        ("expired", with(&|c| c["exp"] = json!(now() - 1))),
        ("expiring now", with(&|c| c["exp"] = json!(now()))),
        ("no exp", with(&|c| drop(c.as_object_mut().unwrap().remove("exp")))),
        ("wrong audience", with(&|c| c["aud"] = json!("https://other.example"))),
        (
            "audience array without ours",
            with(&|c| c["aud"] = json!(["https://other.example"])),
        ),
        ("no audience", with(&|c| drop(c.as_object_mut().unwrap().remove("aud")))),
        (
            "wrong issuer",
            with(&|c| c["iss"] = json!("https://login.example/realms/other")),
        ),
        ("issued in the future", with(&|c| c["iat"] = json!(now() + 120))),
        ("no iat", with(&|c| drop(c.as_object_mut().unwrap().remove("iat")))),
        ("not yet valid", with(&|c| c["nbf"] = json!(now() + 120))),
        ("no sub", with(&|c| drop(c.as_object_mut().unwrap().remove("sub")))),
        (
            "no client_id",
            with(&|c| drop(c.as_object_mut().unwrap().remove("client_id"))),
        ),
        ("scope not a string", with(&|c| c["scope"] = json!(["issue:mines"]))),
        ("alg none", unsigned(header("none", "ed-1"), claims("issue:mines"), b"")),
        ("HS256", hs256),
        (
            "ES512",
            sign(&header("ES512", "p256-1"), &claims("issue:mines"), &a.p256),
        ),
        (
            "typ JWT",
            sign(
                &json!({"typ": "JWT", "alg": "EdDSA", "kid": "ed-1"}),
                &claims("issue:mines"),
                &a.ed,
            ),
        ),
        (
            "no typ",
            sign(&json!({"alg": "EdDSA", "kid": "ed-1"}), &claims("issue:mines"), &a.ed),
        ),
        (
            "no kid",
            sign(&json!({"typ": "at+jwt", "alg": "EdDSA"}), &claims("issue:mines"), &a.ed),
        ),
        (
            "key not in the JWKS",
            sign(&good_header, &claims("issue:mines"), &a.stranger),
        ),
        (
            "unknown kid",
            sign(&header("EdDSA", "ed-2"), &claims("issue:mines"), &a.ed),
        ),
        (
            "kid of another key type",
            sign(&header("EdDSA", "p256-1"), &claims("issue:mines"), &a.ed),
        ),
        (
            "ES256 signed with the Ed25519 key",
            sign(&header("ES256", "p256-1"), &claims("issue:mines"), &a.ed),
        ),
        (
            "the RSA key left out",
            sign(&header("EdDSA", "rsa-1"), &claims("issue:mines"), &a.ed),
        ),
        ("flipped signature byte", flipped),
        ("oversize", oversize),
        ("duplicate claim", duplicate_claim),
        ("not a JWT", "opaque-token-from-somewhere".into()),
        (
            "crit",
            sign(
                &json!({"typ": "at+jwt", "alg": "EdDSA", "kid": "ed-1", "crit": ["exp"]}),
                &claims("issue:mines"),
                &a.ed,
            ),
        ),
    ];
    for (name, token) in &cases {
        let answer = issue_with(&a.service, token, "MX-bad");
        assert_eq!(answer.status, 401, "{name}: {}", answer.text);
        assert_eq!(answer.body["code"], "AUTH_INVALID", "{name}: {}", answer.text);
        assert_eq!(
            answer.challenge.as_deref(),
            Some("Bearer error=\"invalid_token\""),
            "{name}"
        );
    }

    let scope_cases: Vec<(&str, String)> = vec![
        ("status only", sign(&good_header, &claims("status:mines"), &a.ed)),
        ("another tenant", sign(&good_header, &claims("issue:registrar"), &a.ed)),
        ("a bare action", sign(&good_header, &claims("issue"), &a.ed)),
        ("no scope", with(&|c| drop(c.as_object_mut().unwrap().remove("scope")))),
        ("admin is not issue", sign(&good_header, &claims("admin:mines"), &a.ed)),
    ];
    for (name, token) in &scope_cases {
        let answer = issue_with(&a.service, token, "MX-scope");
        assert_eq!(answer.status, 403, "{name}: {}", answer.text);
        assert_eq!(answer.body["code"], "SCOPE_MISSING", "{name}: {}", answer.text);
        assert_eq!(
            answer.challenge.as_deref(),
            Some("Bearer error=\"insufficient_scope\""),
            "{name}"
        );
    }
    // No credential at all: the bare challenge.
    let answer = a.service.post(ISSUE, None, "{}");
    assert_eq!((answer.status, answer.challenge.as_deref()), (401, Some("Bearer")));

    assert_eq!(a.service.count("credentials"), 0);
    assert_eq!(a.service.count("audit_log"), 0);
    assert_eq!(a.service.count("status_entries"), 0);

    // The same token, valid, issues: the refusals were the changes.
    let answer = issue_with(&a.service, &sign(&good_header, &claims("issue:mines"), &a.ed), "MX-ok");
    assert_eq!(answer.status, 201, "{}", answer.text);
}

#[test]
fn without_oauth_configured_a_jwt_is_not_an_api_key() {
    let service = common::start(Store::Sqlite, passerelle_service::http::Limits::default());
    let key = Ed25519KeyPair::generate().unwrap();
    let token = sign(&header("EdDSA", "ed-1"), &claims("issue:mines"), &key);
    let answer = issue_with(&service, &token, "MX-none");
    assert_eq!(
        (answer.status, answer.body["code"].as_str()),
        (401, Some("AUTH_INVALID"))
    );
    assert!(answer.text.contains("not an API key"), "{}", answer.text);
}

#[test]
fn an_access_token_with_the_admin_scope_administers_its_tenant_only() {
    let a = authority();
    let admin = sign(&header("EdDSA", "ed-1"), &claims("admin:mines"), &a.ed);
    let types = a.service.get_with_key("/tenants/mines/types", &admin);
    assert_eq!(types.status, 200, "{}", types.text);
    let rotated = a.service.post("/tenants/mines/keys/rotate", Some(&admin), "{}");
    assert_eq!(rotated.status, 201, "{}", rotated.text);
    let lines = a.service.runtime.block_on(a.service.db.audit("mines")).unwrap();
    let line = lines.last().unwrap();
    assert_eq!(
        (line.action.as_str(), line.actor.as_str()),
        ("rotate-key", "oauth:permits-portal:alice")
    );

    for scope in ["issue:mines status:mines", "admin:registrar", "admin"] {
        let token = sign(&header("EdDSA", "ed-1"), &claims(scope), &a.ed);
        let refused = a
            .service
            .put("/tenants/mines/types", Some(&token), r#"{"types": ["MinesPermit"]}"#);
        assert_eq!(refused.status, 403, "{scope}: {}", refused.text);
        assert_eq!(refused.body["code"], "SCOPE_MISSING", "{scope}");
    }
    // An admin token does not issue.
    assert_eq!(issue_with(&a.service, &admin, "MX-admin").status, 403);
}
