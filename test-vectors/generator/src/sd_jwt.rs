//! `vc+sd-jwt` cases (VC-JOSE-COSE §3.2, RFC 9901): a permit whose subject
//! claims are selectively disclosable, presented with one claim and a Key
//! Binding JWT, and the rules of RFC 9901 §7.1 and §7.3 broken one at a
//! time; then IETF SD-JWT VCs (`dc+sd-jwt`, cases `sdjwt-vc-…`). Input files are `cases/<id>.sdjwt`, holding the SD-JWT text;
//! options give the nonce (`challenge`) and audience (`domain`) the Key
//! Binding JWT must carry.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, Signer};
use passerelle::did;
use passerelle::json::Limits;
use passerelle::sd_jwt::{self, Disclosure, IssueOptions, KeyBinding};
use passerelle::status::token::{self, sign_status_list_token, TokenStatusList};
use serde_json::{json, Map, Value};

use super::{fails, permit, time, Expect, Vectors, ISSUED_AT, VERIFIED, VERIFY_AT};

const NONCE: &str = "vector-nonce-1";
const AUDIENCE: &str = "https://verifier.example";

/// A JWS of `claims` with exactly `header`, signed by `signer` (an empty
/// signature without one, as `alg: none` has), followed by `~`.
fn signed(header: Value, claims: &Value, signer: Option<&dyn Signer>) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = signer
        .map(|s| s.sign(input.as_bytes()).expect("fixture"))
        .unwrap_or_default();
    format!("{input}.{}~", URL_SAFE_NO_PAD.encode(signature))
}

pub(crate) fn sd_jwt_cases(v: &mut Vectors) {
    let issuer = Ed25519KeyPair::from_seed(&[0x41; 32]);
    let issuer_did = did::key::did_for(&issuer.public_key());
    let kid = did::key::verification_method_for(&issuer.public_key());
    let holder = P256KeyPair::from_secret_bytes(&[0x42; 32]).expect("a fixed valid scalar");
    let mut claims = permit(&issuer_did);
    claims.insert("iat".into(), time(ISSUED_AT).unix_seconds().into());
    let options = IssueOptions {
        typ: "vc+sd-jwt".into(),
        kid: Some(kid.clone()),
        decoys: 1,
        holder_key: Some(holder.public_key()),
    };
    // Fixed salts, so that the files are the same each time they are made
    // (a real issuer draws them at random: `sd_jwt::issue`).
    let mut counter = 0;
    let mut salt = || {
        counter += 1;
        format!("vector-salt-{counter:02}")
    };
    let disclosable = ["/credentialSubject/permitNumber", "/credentialSubject/site"];
    let issued = sd_jwt::issue_with_salts(&claims, &disclosable, &options, &issuer, &mut salt).expect("fixture");
    let present = |nonce: &str, signer: &dyn Signer, at: &str| {
        let binding = KeyBinding {
            signer,
            nonce,
            audience: AUDIENCE,
            issued_at: time(at),
        };
        sd_jwt::present(
            &issued,
            &["/credentialSubject/permitNumber"],
            Some(&binding),
            Limits::default(),
        )
        .expect("fixture")
    };
    let shown = present(NONCE, &holder, VERIFY_AT);
    let expecting = json!({"challenge": NONCE, "domain": AUDIENCE});
    let case = |v: &mut Vectors, id: &str, description: &str, text: &str, options: Value, expect: Expect<'_>| {
        v.case_file(id, description, "sdjwt", text.as_bytes().to_vec(), &[], options, expect);
    };

    case(
        v,
        "sdjwt-valid-key-bound",
        "A vc+sd-jwt permit (did:key issuer, EdDSA; a decoy digest) presented with its permit number alone and the holder's Key Binding JWT (ES256) for the verifier's nonce and audience.",
        &shown,
        expecting.clone(),
        VERIFIED,
    );
    case(
        v,
        "sdjwt-other-nonce",
        "The same presentation, checked against another nonce.",
        &shown,
        json!({"challenge": "another-nonce", "domain": AUDIENCE}),
        fails(&[("proof", "KEY_BINDING_NONCE_MISMATCH")]),
    );
    case(
        v,
        "sdjwt-other-audience",
        "The same presentation, checked by another verifier (audience).",
        &shown,
        json!({"challenge": NONCE, "domain": "https://other-verifier.example"}),
        fails(&[("proof", "KEY_BINDING_AUDIENCE_MISMATCH")]),
    );
    case(
        v,
        "sdjwt-no-key-binding",
        "The SD-JWT as issued (every Disclosure, no Key Binding JWT): it names a holder key (cnf), so the holder's proof is required.",
        &issued,
        expecting.clone(),
        fails(&[("proof", "KEY_BINDING_MISSING")]),
    );
    case(
        v,
        "sdjwt-stale-key-binding",
        "The holder's Key Binding JWT was made an hour before the verification (more than the 300 s accepted).",
        &present(NONCE, &holder, "2026-06-01T11:00:00Z"),
        expecting.clone(),
        fails(&[("proof", "KEY_BINDING_TIME_INVALID")]),
    );
    let stranger = P256KeyPair::from_secret_bytes(&[0x43; 32]).expect("a fixed valid scalar");
    case(
        v,
        "sdjwt-key-binding-other-key",
        "A Key Binding JWT signed by another key than the holder key the credential names.",
        &present(NONCE, &stranger, VERIFY_AT),
        expecting.clone(),
        fails(&[("proof", "KEY_BINDING_SIGNATURE_INVALID")]),
    );
    let parts: Vec<&str> = shown.split('~').collect();
    let (jwt, disclosure, kb) = (parts[0], parts[1], parts[parts.len() - 1]);
    case(
        v,
        "sdjwt-disclosure-twice",
        "The one Disclosure sent twice.",
        &format!("{jwt}~{disclosure}~{disclosure}~{kb}"),
        expecting.clone(),
        fails(&[("parse", "SD_JWT_DIGEST_REUSED")]),
    );
    case(
        v,
        "sdjwt-disclosure-left-out",
        "The Disclosure left out, the Key Binding JWT kept: its sd_hash covers what was presented with it.",
        &format!("{jwt}~{kb}"),
        expecting.clone(),
        fails(&[("proof", "KEY_BINDING_HASH_MISMATCH")]),
    );
    let forged = Disclosure::member("forged-salt", "permitNumber", json!("MX-9-999")).expect("fixture");
    case(
        v,
        "sdjwt-disclosure-unsigned",
        "A Disclosure the issuer never made (its digest is in no _sd).",
        &format!("{jwt}~{}~", forged.encoded()),
        json!({}),
        fails(&[("parse", "SD_JWT_DISCLOSURE_UNREFERENCED")]),
    );
    let kb_none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "kb+jwt"}).to_string()),
        URL_SAFE_NO_PAD.encode(
            json!({"iat": time(VERIFY_AT).unix_seconds(), "aud": AUDIENCE, "nonce": NONCE, "sd_hash": "x"}).to_string()
        )
    );
    case(
        v,
        "sdjwt-key-binding-alg-none",
        "A Key Binding JWT with alg none.",
        &format!("{jwt}~{disclosure}~{kb_none}"),
        expecting.clone(),
        fails(&[("proof", "KEY_BINDING_INVALID")]),
    );

    // Issuer-signed JWTs written by hand: each breaks one rule.
    let header = json!({"alg": "EdDSA", "typ": "vc+sd-jwt", "kid": kid});
    let conflict = Disclosure::member("salt-c", "permitNumber", json!("MX-9-999")).expect("fixture");
    let mut clashing = Value::Object(claims.clone());
    clashing["credentialSubject"]["_sd"] = json!([conflict.digest()]);
    case(
        v,
        "sdjwt-claim-overwritten",
        "A Disclosure of permitNumber where the issuer wrote permitNumber in the clear: it would overwrite it.",
        &format!(
            "{}{}~",
            signed(header.clone(), &clashing, Some(&issuer)),
            conflict.encoded()
        ),
        json!({}),
        fails(&[("parse", "SD_JWT_CLAIM_CONFLICT")]),
    );
    let validity = Disclosure::member("salt-v", "validUntil", json!("2099-01-01T00:00:00Z")).expect("fixture");
    let mut hiding: Map<String, Value> = claims.clone();
    hiding.insert("_sd".into(), json!([validity.digest()]));
    case(
        v,
        "sdjwt-credential-property-disclosable",
        "The credential's own properties are selectively disclosable (a _sd at the top level): a holder could hide its status or validity.",
        &format!("{}{}~", signed(header.clone(), &Value::Object(hiding), Some(&issuer)), validity.encoded()),
        json!({}),
        fails(&[("parse", "SD_JWT_PAYLOAD_INVALID")]),
    );
    let mut ellipsis = Value::Object(claims.clone());
    ellipsis["credentialSubject"]["..."] = json!("x");
    case(
        v,
        "sdjwt-ellipsis-member",
        "An object member named `...` (reserved for array element digests).",
        &signed(header.clone(), &ellipsis, Some(&issuer)),
        json!({}),
        fails(&[("parse", "SD_JWT_PAYLOAD_INVALID")]),
    );
    let mut sha512 = Value::Object(claims.clone());
    sha512["_sd_alg"] = json!("sha-512");
    case(
        v,
        "sdjwt-hash-unsupported",
        "_sd_alg sha-512: only sha-256 is accepted.",
        &signed(header.clone(), &sha512, Some(&issuer)),
        json!({}),
        fails(&[("parse", "SD_JWT_HASH_UNSUPPORTED")]),
    );
    case(
        v,
        "sdjwt-issuer-alg-none",
        "The issuer-signed JWT with alg none.",
        &signed(
            json!({"alg": "none", "typ": "vc+sd-jwt", "kid": kid}),
            &Value::Object(claims.clone()),
            None,
        ),
        json!({}),
        fails(&[("parse", "JOSE_ALGORITHM_UNSUPPORTED")]),
    );
    sd_jwt_vc_cases(v, &issuer, &issuer_did, &kid, &holder);
    case(
        v,
        "sdjwt-other-typ",
        "An SD-JWT of an unknown profile (typ example+sd-jwt) is not read as a credential.",
        &signed(
            json!({"alg": "EdDSA", "typ": "example+sd-jwt", "kid": kid}),
            &Value::Object(claims),
            Some(&issuer),
        ),
        json!({}),
        fails(&[("parse", "JOSE_HEADER_INVALID")]),
    );
}

/// IETF SD-JWT VCs: JWT claims with `vct`, issued by a did:key.
fn sd_jwt_vc_cases(v: &mut Vectors, issuer: &Ed25519KeyPair, did: &str, kid: &str, holder: &P256KeyPair) {
    let vct = "https://credentials.bc.passerelle.example/age";
    let claims = json!({"vct": vct, "iss": did, "iat": time(ISSUED_AT).unix_seconds(),
        "birthdate": "1990-05-01", "age_over_19": true});
    let options = IssueOptions {
        typ: "dc+sd-jwt".into(),
        kid: Some(kid.to_owned()),
        decoys: 0,
        holder_key: Some(holder.public_key()),
    };
    let mut counter = 0;
    let mut salt = || {
        counter += 1;
        format!("vc-salt-{counter:02}")
    };
    let claims_map = claims.as_object().expect("an object").clone();
    let issued = sd_jwt::issue_with_salts(
        &claims_map,
        &["/birthdate", "/age_over_19"],
        &options,
        issuer,
        &mut salt,
    )
    .expect("fixture");
    let binding = KeyBinding {
        signer: holder,
        nonce: NONCE,
        audience: AUDIENCE,
        issued_at: time(VERIFY_AT),
    };
    let shown = sd_jwt::present(&issued, &["/age_over_19"], Some(&binding), Limits::default()).expect("fixture");
    let case = |v: &mut Vectors, id: &str, description: &str, text: &str, options: Value, expect: Expect<'_>| {
        v.case_file(id, description, "sdjwt", text.as_bytes().to_vec(), &[], options, expect);
    };
    case(
        v,
        "sdjwt-vc-valid",
        "An IETF SD-JWT VC (dc+sd-jwt; vct, iss a did:key, cnf) presented with age_over_19 alone and the holder's Key Binding JWT; data_model reads vct and iss.",
        &shown,
        json!({"challenge": NONCE, "domain": AUDIENCE}),
        VERIFIED,
    );
    let header = json!({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": kid});
    let with = |extra: Value| {
        let mut claims = json!({"vct": vct, "iss": did, "name": "A"});
        for (name, value) in extra.as_object().expect("an object") {
            claims[name] = value.clone();
        }
        claims
    };
    // IETF Token Status Lists: the issuer's list at LIST, its token
    // supplied to the verifier for that uri (or not), index 3 valid,
    // index 4 revoked.
    const LIST: &str = "https://bc.passerelle.example/status/1";
    let mut list = TokenStatusList::new(1, 1024).expect("a fixed size");
    list.set(4, token::INVALID).expect("in range");
    let issued_list = time(ISSUED_AT);
    let own = sign_status_list_token(&list, LIST, issued_list, None, kid, issuer).expect("fixture");
    let stranger = Ed25519KeyPair::from_seed(&[0x43; 32]);
    let stranger_kid = did::key::verification_method_for(&stranger.public_key());
    let foreign = sign_status_list_token(&list, LIST, issued_list, None, &stranger_kid, &stranger).expect("fixture");
    v.files.insert("status/tokens/bc-1.jwt".into(), own.into_bytes());
    v.files
        .insert("status/tokens/bc-1-foreign.jwt".into(), foreign.into_bytes());
    let with_index = |index: u64| with(json!({"status": {"status_list": {"idx": index, "uri": LIST}}}));
    let lists = |path: &str| json!({"statusLists": {LIST: path}});
    case(
        v,
        "sdjwt-vc-token-status-list-valid",
        "An SD-JWT VC whose status.status_list (index 3) is read from its issuer's Status List Token (statuslist+jwt, ZLIB): VALID.",
        &signed(header.clone(), &with_index(3), Some(issuer)),
        lists("status/tokens/bc-1.jwt"),
        VERIFIED,
    );
    case(
        v,
        "sdjwt-vc-token-status-list-revoked",
        "The same list at index 4, which holds INVALID: revoked.",
        &signed(header.clone(), &with_index(4), Some(issuer)),
        lists("status/tokens/bc-1.jwt"),
        fails(&[("status", "CREDENTIAL_REVOKED")]),
    );
    case(
        v,
        "sdjwt-vc-token-status-list-foreign-key",
        "The list's token signed by a key that is not the issuer's: it says nothing of the issuer's credentials.",
        &signed(header.clone(), &with_index(3), Some(issuer)),
        lists("status/tokens/bc-1-foreign.jwt"),
        fails(&[("status", "STATUS_LIST_INVALID")]),
    );
    case(
        v,
        "sdjwt-vc-token-status-list",
        "An SD-JWT VC with a Token Status List reference, and no status source: the status check fails closed.",
        &signed(header.clone(), &with_index(3), Some(issuer)),
        json!({}),
        fails(&[("status", "STATUS_LIST_UNAVAILABLE")]),
    );
    case(
        v,
        "sdjwt-vc-https-issuer",
        "An SD-JWT VC whose iss is an https URL, signed by a did:key that kid names: that key is not the issuer's.",
        &signed(
            header.clone(),
            &with(json!({"iss": "https://issuer.example"})),
            Some(issuer),
        ),
        json!({}),
        fails(&[("key_binding", "KEY_CONTROLLER_MISMATCH")]),
    );
    let hidden_vct = Disclosure::member("vct-salt", "vct", json!(vct)).expect("fixture");
    case(
        v,
        "sdjwt-vc-vct-disclosable",
        "An SD-JWT VC whose vct is selectively disclosable (draft §2.2.2.3 forbids it).",
        &format!(
            "{}{}~",
            signed(header, &json!({"iss": did, "_sd": [hidden_vct.digest()]}), Some(issuer)),
            hidden_vct.encoded()
        ),
        json!({}),
        fails(&[("parse", "SD_JWT_PAYLOAD_INVALID")]),
    );
}
