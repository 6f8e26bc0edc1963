//! `vc+jwt` cases (VC-JOSE-COSE): compact JWS credentials signed with EdDSA,
//! ES256 and ES512, and the header, claim and key checks a verifier must make.
//! Input files are `cases/<id>.jwt`, holding the compact token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P521KeyPair, Signer};
use passerelle::did;
use passerelle::jose::{envelope, sign_compact, Media};
use passerelle::Issuer;
use serde_json::{json, Map, Value};

use super::{fails, permit, time, Vectors, ISSUED_AT, VERIFIED};

/// A compact JWS with exactly this header, signed by `signer` (or with an
/// empty signature when there is none, as `alg: none` has).
fn token(header: Value, payload: &Map<String, Value>, signer: Option<&dyn Signer>) -> Vec<u8> {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(Value::Object(payload.clone()).to_string())
    );
    let signature = signer
        .map(|s| s.sign(input.as_bytes()).expect("fixture"))
        .unwrap_or_default();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)).into_bytes()
}

fn claims(issuer: &str) -> Map<String, Value> {
    let mut claims = permit(issuer);
    claims.insert("iat".into(), time(ISSUED_AT).unix_seconds().into());
    claims
}

pub(crate) fn jose_cases(v: &mut Vectors) {
    let ed = Ed25519KeyPair::from_seed(&[0x31; 32]);
    let ed_did = did::key::did_for(&ed.public_key());
    let ed_kid = did::key::verification_method_for(&ed.public_key());
    let p256 = P256KeyPair::from_secret_bytes(&[0x32; 32]).expect("a fixed valid scalar");
    let p_did = did::key::did_for(&p256.public_key());
    let p_kid = did::key::verification_method_for(&p256.public_key());
    let jwt = |v: &mut Vectors, id: &str, description: &str, bytes: Vec<u8>, expect| {
        v.case_file(id, description, "jwt", bytes, &[], json!({}), expect);
    };

    let signed = sign_compact(&claims(&ed_did), &ed_kid, Media::Credential, &ed).expect("fixture");
    jwt(
        v,
        "jwt-valid-eddsa",
        "A vc+jwt credential signed with EdDSA (Ed25519) by its did:key issuer; kid names the key.",
        signed.clone().into_bytes(),
        VERIFIED,
    );
    let es256 = sign_compact(&claims(&p_did), &p_kid, Media::Credential, &p256).expect("fixture");
    jwt(
        v,
        "jwt-valid-es256",
        "A vc+jwt credential signed with ES256 (P-256) by its did:key issuer.",
        es256.into_bytes(),
        VERIFIED,
    );
    let mut scalar = [0x35; 66];
    scalar[0] = 1;
    let p521 = P521KeyPair::from_secret_bytes(&scalar).expect("a fixed valid scalar");
    let p521_did = did::key::did_for(&p521.public_key());
    let p521_kid = did::key::verification_method_for(&p521.public_key());
    let es512 = sign_compact(&claims(&p521_did), &p521_kid, Media::Credential, &p521).expect("fixture");
    jwt(
        v,
        "jwt-valid-es512",
        "A vc+jwt credential signed with ES512 (P-521, a 132-byte r‖s signature) by its did:key issuer (z2J9…).",
        es512.into_bytes(),
        VERIFIED,
    );
    jwt(
        v,
        "jwt-es512-by-p256-key",
        "alg ES512, signed by a P-256 key whose did:key the kid names: alg must fit the key's curve.",
        token(
            json!({"alg": "ES512", "kid": p_kid, "typ": "vc+jwt"}),
            &claims(&p_did),
            Some(&p256),
        ),
        fails(&[("proof", "JOSE_ALGORITHM_UNSUPPORTED")]),
    );

    let parts: Vec<&str> = signed.split('.').collect();
    let mut tampered_claims = claims(&ed_did);
    tampered_claims["credentialSubject"]["permitNumber"] = json!("MX-1-235");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(Value::Object(tampered_claims).to_string()),
        parts[2]
    );
    jwt(
        v,
        "jwt-tampered-payload",
        "The payload of a vc+jwt changed after signing.",
        tampered.into_bytes(),
        fails(&[("proof", "PROOF_SIGNATURE_INVALID")]),
    );

    jwt(
        v,
        "jwt-alg-none",
        "An unsecured JWT (alg none, empty signature): it must be ignored.",
        token(
            json!({"alg": "none", "kid": ed_kid, "typ": "vc+jwt"}),
            &claims(&ed_did),
            None,
        ),
        fails(&[("parse", "JOSE_ALGORITHM_UNSUPPORTED")]),
    );
    jwt(
        v,
        "jwt-alg-key-mismatch",
        "Signed with ES256 by a P-256 key, but kid names the issuer's Ed25519 key: alg must fit the key.",
        token(
            json!({"alg": "ES256", "kid": ed_kid, "typ": "vc+jwt"}),
            &claims(&ed_did),
            Some(&p256),
        ),
        fails(&[("proof", "JOSE_ALGORITHM_UNSUPPORTED")]),
    );
    jwt(
        v,
        "jwt-crit-unknown",
        "A header with crit naming an extension the verifier does not understand.",
        token(
            json!({"alg": "EdDSA", "kid": ed_kid, "typ": "vc+jwt", "crit": ["urn:example:policy"], "urn:example:policy": 1}),
            &claims(&ed_did),
            Some(&ed),
        ),
        fails(&[("parse", "JOSE_HEADER_INVALID")]),
    );
    jwt(
        v,
        "jwt-typ-wrong",
        "A header whose typ is not vc+jwt.",
        token(
            json!({"alg": "EdDSA", "kid": ed_kid, "typ": "dpop+jwt"}),
            &claims(&ed_did),
            Some(&ed),
        ),
        fails(&[("parse", "JOSE_HEADER_INVALID")]),
    );
    let mut with_vc = claims(&ed_did);
    with_vc.insert("vc".into(), json!({"type": ["VerifiableCredential"]}));
    jwt(
        v,
        "jwt-vc-claim",
        "A claims set with the legacy vc claim, which VC-JOSE-COSE forbids.",
        token(
            json!({"alg": "EdDSA", "kid": ed_kid, "typ": "vc+jwt"}),
            &with_vc,
            Some(&ed),
        ),
        fails(&[("parse", "JOSE_CLAIMS_INVALID")]),
    );
    let mut expired = claims(&ed_did);
    expired.insert("exp".into(), time("2026-03-01T00:00:00Z").unix_seconds().into());
    jwt(
        v,
        "jwt-expired",
        "A vc+jwt whose exp is before the verification time.",
        token(
            json!({"alg": "EdDSA", "kid": ed_kid, "typ": "vc+jwt"}),
            &expired,
            Some(&ed),
        ),
        fails(&[("proof", "PROOF_EXPIRED")]),
    );
    let other = Ed25519KeyPair::from_seed(&[0x33; 32]);
    let other_kid = did::key::verification_method_for(&other.public_key());
    jwt(
        v,
        "jwt-foreign-key",
        "Signed and named (kid) by a key the issuer does not control.",
        token(
            json!({"alg": "EdDSA", "kid": other_kid, "typ": "vc+jwt"}),
            &claims(&ed_did),
            Some(&other),
        ),
        fails(&[("key_binding", "KEY_CONTROLLER_MISMATCH")]),
    );
    controller_cases(v);
    enveloped_cases(v, &signed, &p256);
}

/// An issuer identified by an https URL (W3C Controlled Identifiers 1.0),
/// its key in the controlled identifier document the case supplies, named
/// by its URL or by its JWK thumbprint (RFC 7638).
fn controller_cases(v: &mut Vectors) {
    const ISSUER: &str = "https://mines.passerelle.example/issuers/7";
    const DOCUMENT: &str = "dids/cid-mines.passerelle.example-issuers-7.json";
    let key = Ed25519KeyPair::from_seed(&[0x36; 32]);
    let method = format!("{ISSUER}#key-1");
    let document = json!({
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": ISSUER,
        "verificationMethod": [{"id": method, "type": "JsonWebKey", "controller": ISSUER,
            "publicKeyJwk": key.public_key().to_jwk()}],
        "assertionMethod": [method]
    });
    v.files.insert(DOCUMENT.to_owned(), super::pretty(&document));
    let jwt = |v: &mut Vectors, id: &str, description: &str, kid: &str, documents: &[&str], expect| {
        let token = sign_compact(&claims(ISSUER), kid, Media::Credential, &key).expect("fixture");
        v.case_file(id, description, "jwt", token.into_bytes(), documents, json!({}), expect);
    };
    jwt(
        v,
        "jwt-https-issuer-cid",
        "An issuer identified by an https URL; kid names its key in the controlled identifier document supplied.",
        &method,
        &[DOCUMENT],
        VERIFIED,
    );
    let thumbprint = passerelle::crypto::jwk::thumbprint(&key.public_key());
    jwt(
        v,
        "jwt-https-issuer-kid-thumbprint",
        "The same, kid the key's JWK thumbprint URI (RFC 7638, RFC 9278): the issuer's method whose key has it.",
        &format!("{}{thumbprint}", passerelle::crypto::jwk::THUMBPRINT_URI_PREFIX),
        &[DOCUMENT],
        VERIFIED,
    );
    jwt(
        v,
        "jwt-https-issuer-no-document",
        "An https issuer whose controlled identifier document the verifier does not have (nothing is fetched).",
        &method,
        &[],
        fails(&[("proof", "DID_NOT_FOUND")]),
    );
}

/// Enveloped credentials and presentations (VCDM 2.0 §4.13, §4.14): JSON
/// whose `id` is a `data:` URL holding a token, and the envelope rules a
/// verifier must hold to.
fn enveloped_cases(v: &mut Vectors, vc_jwt: &str, holder_key: &P256KeyPair) {
    let vc = envelope(vc_jwt, Media::Credential);
    v.case(
        "enveloped-vc-valid",
        "An EnvelopedVerifiableCredential at the top level: verified as the vc+jwt its data: URL holds.",
        &vc,
        &[],
        json!({}),
        VERIFIED,
    );
    let holder = Issuer::did_key(holder_key);
    let presentation = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder.did(),
        "verifiableCredential": [vc]
    });
    let vp_jwt = holder
        .present_jwt(
            presentation.as_object().expect("an object").clone(),
            None,
            None,
            time(ISSUED_AT),
        )
        .expect("fixture");
    let vp = envelope(&vp_jwt, Media::Presentation);
    v.case(
        "enveloped-vp-valid",
        "An EnvelopedVerifiablePresentation holding a vp+jwt (ES256) that holds an enveloped vc+jwt.",
        &vp,
        &[],
        json!({}),
        VERIFIED,
    );
    let mut invalid = |id: &str,
                       description: &str,
                       base: &Map<String, Value>,
                       change: &dyn Fn(&mut Map<String, Value>),
                       code: &str| {
        let mut envelope = base.clone();
        change(&mut envelope);
        v.case(
            id,
            description,
            &envelope,
            &[],
            json!({}),
            fails(&[("data_model", code)]),
        );
    };
    invalid(
        "enveloped-vc-context-missing",
        "An enveloped credential without @context.",
        &vc,
        &|e| {
            e.remove("@context");
        },
        "CONTEXT_INVALID",
    );
    invalid(
        "enveloped-vc-context-empty",
        "An enveloped credential whose @context is an empty array.",
        &vc,
        &|e| {
            e.insert("@context".into(), json!([]));
        },
        "CONTEXT_INVALID",
    );
    invalid(
        "enveloped-vc-context-wrong",
        "An enveloped credential whose @context is the VCDM 1.1 one, which does not define the envelope.",
        &vc,
        &|e| {
            e.insert("@context".into(), json!(["https://www.w3.org/2018/credentials/v1"]));
        },
        "CONTEXT_INVALID",
    );
    invalid(
        "enveloped-vc-id-not-data-url",
        "An enveloped credential whose id is the bare token, without the data: prefix.",
        &vc,
        &|e| {
            e.insert("id".into(), json!(vc_jwt));
        },
        "ID_INVALID",
    );
    invalid(
        "enveloped-vc-type-missing",
        "An envelope without type: not an envelope, and not a credential either.",
        &vc,
        &|e| {
            e.remove("type");
        },
        "TYPE_INVALID",
    );
    invalid(
        "enveloped-vc-type-wrong",
        "A vc+jwt in an envelope typed EnvelopedVerifiablePresentation.",
        &vc,
        &|e| {
            e.insert("type".into(), json!("EnvelopedVerifiablePresentation"));
        },
        "TYPE_INVALID",
    );
    invalid(
        "enveloped-vc-unsigned-member",
        "An enveloped credential with a credentialSubject beside the token: the signature does not cover it.",
        &vc,
        &|e| {
            e.insert("credentialSubject".into(), json!({"permitNumber": "YT-MA-9999"}));
        },
        "PROPERTY_INVALID",
    );
    invalid(
        "enveloped-vp-context-missing",
        "An enveloped presentation without @context.",
        &vp,
        &|e| {
            e.remove("@context");
        },
        "CONTEXT_INVALID",
    );
    invalid(
        "enveloped-vp-id-not-data-url",
        "An enveloped presentation whose id is the bare token.",
        &vp,
        &|e| {
            e.insert("id".into(), json!(vp_jwt));
        },
        "ID_INVALID",
    );
}
