//! What a document needs from outside: the DIDs of its signers and the
//! status lists it names, and those of the credentials it holds. The
//! `…Async` verifications (`js/fetching.js`) ask the page's fetchers for
//! them; verification itself stays synchronous and offline.

use passerelle::did::{method_of, split_did_url};
use passerelle::jose::looks_like_compact_jws;
use passerelle::json::{parse_strict, Limits};
use passerelle::proof::proofs_of;
use passerelle::status::StatusEntry;
use serde_json::{Map, Value};

/// What a document needs from outside.
#[derive(Default)]
pub(crate) struct Needs {
    /// DIDs whose documents resolve them (did:key and did:jwk need none).
    dids: Vec<String>,
    /// did:webvh DIDs, resolved through their logs (none without `webvh`,
    /// which refuses them whatever is supplied).
    did_logs: Vec<String>,
    /// Status list credential URLs.
    status_lists: Vec<String>,
}

impl Needs {
    /// `{dids, didLogs, statusLists}`, each an array of strings.
    pub(crate) fn to_json(&self) -> Value {
        let strings = |list: &[String]| Value::Array(list.iter().cloned().map(Value::String).collect());
        let mut needs = Map::new();
        needs.insert("dids".to_owned(), strings(&self.dids));
        needs.insert("didLogs".to_owned(), strings(&self.did_logs));
        needs.insert("statusLists".to_owned(), strings(&self.status_lists));
        Value::Object(needs)
    }

    /// Records that `did` signs: by its document, its log, or itself.
    fn push_signer(&mut self, did: &str) {
        match method_of(did) {
            Ok("key" | "jwk") => {}
            Ok("webvh") if cfg!(feature = "webvh") => push_unique(&mut self.did_logs, did),
            Ok("webvh") => {}
            _ => push_unique(&mut self.dids, did),
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|known| known == item) {
        list.push(item.to_owned());
    }
}

fn as_slice(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    }
}

/// The signers' DIDs (other than did:key and did:jwk, which resolve by
/// themselves) and status list URLs of `document` and, for a presentation,
/// of the credentials it holds (a credential's own `verifiableCredential`
/// member is nothing the verifier reads: what it names is not fetched).
fn collect_needs(document: &Map<String, Value>, needs: &mut Needs) {
    for proof in proofs_of(document).unwrap_or_default() {
        let method = proof
            .get("verificationMethod")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Ok((did, _)) = split_did_url(method) {
            needs.push_signer(did);
        }
    }
    // Malformed entries name nothing to fetch: the status check reports them.
    for entry in StatusEntry::all_of(document).unwrap_or_default() {
        push_unique(&mut needs.status_lists, &entry.list_url);
    }
    let presentation = as_slice(document.get("type"))
        .iter()
        .any(|t| t.as_str() == Some("VerifiablePresentation"));
    for credential in as_slice(document.get("verifiableCredential"))
        .iter()
        .filter(|_| presentation)
    {
        if let Value::Object(credential) = credential {
            collect_document_needs(credential, needs);
        }
    }
}

/// What a JSON credential or presentation needs: an envelope's token's, or
/// its own.
fn collect_document_needs(document: &Map<String, Value>, needs: &mut Needs) {
    #[cfg(feature = "jose")]
    if let Some(id) = document.get("id").and_then(Value::as_str) {
        if collect_enveloped_needs(id, needs) {
            return;
        }
    }
    collect_needs(document, needs);
}

/// What the token in an envelope's `data:` URL `id` needs (a `vc+jwt`,
/// `vp+jwt`, `vc+sd-jwt` or `vp+sd-jwt`); false when `id` holds none.
#[cfg(feature = "jose")]
fn collect_enveloped_needs(id: &str, needs: &mut Needs) -> bool {
    let Some(url) = id.strip_prefix("data:application/") else {
        return false;
    };
    let token = ["vc+jwt,", "vp+jwt,"].iter().find_map(|t| url.strip_prefix(t));
    if let Some(token) = token {
        collect_token_needs(token, needs);
        return true;
    }
    #[cfg(feature = "sd-jwt")]
    if let Some(sd_jwt) = ["vc+sd-jwt,", "vp+sd-jwt,"].iter().find_map(|t| url.strip_prefix(t)) {
        collect_sd_jwt_needs(sd_jwt, needs);
        return true;
    }
    false
}

/// What `input` (JSON, a compact `vc+jwt`/`vp+jwt`, or an SD-JWT) needs from outside.
/// Input that does not parse needs nothing: verification reports why.
pub(crate) fn needs_of_input(input: &str) -> Needs {
    let mut needs = Needs::default();
    // JSON first: an envelope holds a `~` too. An SD-JWT's first part is a
    // compact JWS: its `~` says which it is.
    if let Ok(Value::Object(document)) = parse_strict(input.as_bytes(), Limits::default()) {
        collect_document_needs(&document, &mut needs);
    } else if cfg!(feature = "sd-jwt") && input.contains('~') {
        collect_sd_jwt_needs(input.trim(), &mut needs);
    } else if looks_like_compact_jws(input.as_bytes()) {
        collect_token_needs(input, &mut needs);
    }
    needs
}

/// An SD-JWT's signer (its `kid`, relative to `iss`, the credential's
/// issuer or the presentation's holder), the Status List Token of an
/// SD-JWT VC's `status.status_list`, and what a VCDM payload needs (what
/// its Disclosures hide names nothing to fetch: status is never
/// disclosable).
fn collect_sd_jwt_needs(input: &str, needs: &mut Needs) {
    let issuer_jwt = input.split('~').next().unwrap_or_default();
    let Ok(jwt) = passerelle::jose::parse_signed_jwt(issuer_jwt, Limits::default()) else {
        return;
    };
    let payload = &jwt.payload;
    let method = jwt.verification_method(party(payload, &["iss", "issuer", "holder"]));
    if let Some(Ok((did, _))) = method.as_deref().map(split_did_url) {
        needs.push_signer(did);
    }
    let list = payload
        .get("status")
        .and_then(|s| s.get("status_list"))
        .and_then(|l| l.get("uri"));
    if let Some(Value::String(uri)) = list {
        push_unique(&mut needs.status_lists, uri);
    }
    collect_needs(payload, needs);
}

/// The id of the first of `keys` a payload names (a string, or an object's `id`):
/// the party a relative `kid` is resolved against.
fn party<'a>(payload: &'a Map<String, Value>, keys: &[&str]) -> &'a str {
    keys.iter()
        .find_map(|key| match payload.get(*key) {
            Some(Value::String(id)) => Some(id.as_str()),
            Some(Value::Object(party)) => party.get("id").and_then(Value::as_str),
            _ => None,
        })
        .unwrap_or_default()
}

/// A JWS's signer (its `kid`, relative to the issuer or holder) and what
/// its payload needs; nothing without `jose`, where a token is refused.
fn collect_token_needs(token: &str, needs: &mut Needs) {
    if !cfg!(feature = "jose") {
        return;
    }
    let Ok(jws) = passerelle::jose::parse_compact(token.as_bytes(), Limits::default()) else {
        return;
    };
    let base = party(&jws.payload, &["issuer", "holder"]);
    if let Ok((did, _)) = split_did_url(&jws.verification_method(base)) {
        needs.push_signer(did);
    }
    collect_needs(&jws.payload, needs);
}

#[cfg(all(test, feature = "jose"))]
mod tests {
    use super::*;
    use passerelle::crypto::{Ed25519KeyPair, Signer};
    use passerelle::jose::{sign_compact, Media};
    use serde_json::json;

    #[test]
    fn a_token_needs_its_signer_and_status_lists_and_so_do_enveloped_ones() {
        let key = Ed25519KeyPair::from_seed(&[3; 32]);
        let credential = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:web:issuer.example", "credentialSubject": {},
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": "7", "statusListCredential": "https://issuer.example/status/1"}});
        let vc = sign_compact(credential.as_object().unwrap(), "#key-1", Media::Credential, &key).unwrap();
        let needs = needs_of_input(&vc);
        assert_eq!(needs.dids, ["did:web:issuer.example"]);
        assert_eq!(needs.status_lists, ["https://issuer.example/status/1"]);

        let holder = passerelle::did::key::verification_method_for(&key.public_key());
        let presentation = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
            "verifiableCredential": [{"type": "EnvelopedVerifiableCredential", "id": format!("data:application/vc+jwt,{vc}")}]});
        let vp = sign_compact(presentation.as_object().unwrap(), &holder, Media::Presentation, &key).unwrap();
        let needs = needs_of_input(&vp);
        assert_eq!(needs.dids, ["did:web:issuer.example"], "did:key holders need nothing");
        assert_eq!(needs.status_lists, ["https://issuer.example/status/1"]);
        assert!(needs_of_input("eyJ.not.a-token").dids.is_empty());
    }
}

#[cfg(all(test, feature = "sd-jwt"))]
mod sd_jwt_tests {
    use super::*;
    use passerelle::crypto::Ed25519KeyPair;
    use passerelle::jose::{envelope_as, Media};
    use passerelle::sd_jwt::{issue, IssueOptions};
    use serde_json::json;

    fn options(typ: &str) -> IssueOptions {
        IssueOptions {
            typ: typ.into(),
            kid: Some("#key-1".into()),
            decoys: 0,
            holder_key: None,
        }
    }

    #[test]
    fn a_vp_sd_jwt_needs_its_holder_and_what_its_enveloped_sd_jwts_need() {
        let key = Ed25519KeyPair::from_seed(&[4; 32]);
        let credential = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:web:issuer.example", "credentialSubject": {"age": 20},
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": "7", "statusListCredential": "https://issuer.example/status/1"}});
        let vc = issue(
            credential.as_object().unwrap(),
            &["/credentialSubject/age"],
            &options("vc+sd-jwt"),
            &key,
        )
        .unwrap();
        let presentation = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
            "holder": "did:web:holder.example",
            "verifiableCredential": [envelope_as("application/vc+sd-jwt", &vc, Media::Credential)]});
        let vp = issue(presentation.as_object().unwrap(), &[], &options("vp+sd-jwt"), &key).unwrap();
        let enveloped = Value::Object(envelope_as("application/vp+sd-jwt", &vp, Media::Presentation)).to_string();
        for input in [vp.as_str(), enveloped.as_str()] {
            let needs = needs_of_input(input);
            assert_eq!(
                needs.dids,
                ["did:web:holder.example", "did:web:issuer.example"],
                "{input}"
            );
            assert_eq!(needs.status_lists, ["https://issuer.example/status/1"], "{input}");
        }
    }
}

#[cfg(test)]
mod signer_tests {
    use super::*;

    #[test]
    fn did_webvh_signers_need_their_logs_and_only_where_the_build_resolves_them() {
        let credential = r#"{"proof": [
            {"verificationMethod": "did:webvh:QmHash:example.org#key-1"},
            {"verificationMethod": "did:web:example.org#key-1"},
            {"verificationMethod": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}"#;
        let needs = needs_of_input(credential);
        assert_eq!(needs.dids, ["did:web:example.org"], "did:key resolves by itself");
        let logs: &[&str] = if cfg!(feature = "webvh") {
            &["did:webvh:QmHash:example.org"]
        } else {
            &[]
        };
        assert_eq!(needs.did_logs, logs);
        let json = needs.to_json();
        assert_eq!(json["dids"][0], "did:web:example.org");
        assert!(json["statusLists"].as_array().is_some_and(Vec::is_empty));
    }
}

#[cfg(test)]
mod member_tests {
    use super::*;
    use serde_json::json;

    /// Review: a credential's own `verifiableCredential` member is nothing
    /// the verifier reads, so the DIDs and lists in it are not fetched; a
    /// presentation's credentials' are.
    #[test]
    fn only_a_presentation_s_credentials_are_followed() {
        let held = json!({"proof": {"verificationMethod": "did:web:held.example#k"},
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                "statusListIndex": "7", "statusListCredential": "https://held.example/status/1"}});
        let credential = json!({"type": ["VerifiableCredential"], "proof": {"verificationMethod": "did:web:issuer.example#k"},
            "verifiableCredential": [held.clone()]});
        let needs = needs_of_input(&credential.to_string());
        assert_eq!(needs.dids, ["did:web:issuer.example"]);
        assert!(needs.status_lists.is_empty());
        let presentation = json!({"type": "VerifiablePresentation", "verifiableCredential": [held]});
        let needs = needs_of_input(&presentation.to_string());
        assert_eq!(needs.dids, ["did:web:held.example"]);
        assert_eq!(needs.status_lists, ["https://held.example/status/1"]);
    }
}
