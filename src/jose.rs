//! Credentials secured with JOSE (W3C VC-JOSE-COSE §3.1.1): the credential
//! is the JWS payload of a compact JWS, `typ` `vc+jwt`, signed with EdDSA
//! (Ed25519), ES256 (ECDSA P-256), ES384 (ECDSA P-384) or ES512 (ECDSA P-521; the ECDSA ones need the feature `ecdsa`).
//!
//! The header is checked before anything else (RFC 7515 §5.2, RFC 8725):
//! `alg` must be one of these and fit the signing key (no `none`, no HMAC,
//! no algorithm picked by the token for a key of another type), `typ` and
//! `cty` must name a credential, `crit` may list nothing (this verifier
//! understands no extension), and `kid` must name the verification method.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::crypto::{KeyAlgorithm, PublicKey, Signer};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::json::{parse_strict, Limits};
use crate::time::Timestamp;

/// The JWS algorithms a credential may be signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwsAlgorithm {
    /// `EdDSA` with Ed25519 (RFC 8037).
    EdDsa,
    /// `ES256`: ECDSA P-256 with SHA-256 (RFC 7518 §3.4), `r‖s` signatures.
    Es256,
    /// `ES384`: ECDSA P-384 with SHA-384 (RFC 7518 §3.4), `r‖s` signatures.
    Es384,
    /// `ES512`: ECDSA P-521 with SHA-512 (RFC 7518 §3.4), `r‖s` signatures.
    Es512,
}

impl JwsAlgorithm {
    /// The `alg` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            JwsAlgorithm::EdDsa => "EdDSA",
            JwsAlgorithm::Es256 => "ES256",
            JwsAlgorithm::Es384 => "ES384",
            JwsAlgorithm::Es512 => "ES512",
        }
    }

    /// The key type that signs with this algorithm.
    pub fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            JwsAlgorithm::EdDsa => KeyAlgorithm::Ed25519,
            JwsAlgorithm::Es256 => KeyAlgorithm::P256,
            JwsAlgorithm::Es384 => KeyAlgorithm::P384,
            JwsAlgorithm::Es512 => KeyAlgorithm::P521,
        }
    }

    /// The algorithm for a key type.
    pub fn for_key(key: KeyAlgorithm) -> Self {
        match key {
            KeyAlgorithm::Ed25519 => JwsAlgorithm::EdDsa,
            KeyAlgorithm::P256 => JwsAlgorithm::Es256,
            KeyAlgorithm::P384 => JwsAlgorithm::Es384,
            KeyAlgorithm::P521 => JwsAlgorithm::Es512,
        }
    }
}

/// A compact JWS whose header passed the checks and whose payload is a JSON
/// object. The signature is not verified yet: see [`Jws::verify_signature`].
#[derive(Clone, Debug)]
pub struct Jws<'a> {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The payload: the credential (or presentation).
    pub payload: Map<String, Value>,
    /// The signing algorithm.
    pub alg: JwsAlgorithm,
    /// The `kid` header: the verification method's URL (absolute, or a
    /// fragment relative to the issuer), or its key's JWK thumbprint.
    pub kid: String,
    /// What the payload is: a credential (`vc+jwt`) or a presentation (`vp+jwt`).
    pub media: Media,
    signing_input: &'a str,
    signature: Vec<u8>,
}

/// The secured content of a JWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/vc+jwt`.
    Credential,
    /// `application/vp+jwt`.
    Presentation,
}

impl Media {
    /// The `typ` header value: `vc+jwt` or `vp+jwt`.
    pub fn typ(self) -> &'static str {
        match self {
            Media::Credential => "vc+jwt",
            Media::Presentation => "vp+jwt",
        }
    }

    /// The media type a `data:` URL names: `application/vc+jwt` or
    /// `application/vp+jwt`.
    pub fn media_type(self) -> &'static str {
        match self {
            Media::Credential => "application/vc+jwt",
            Media::Presentation => "application/vp+jwt",
        }
    }

    /// What `payload` is, by its `type`, when it agrees with `declared`
    /// (the token's `typ`, if any); `None` when they disagree.
    pub(crate) fn of_payload(declared: Option<Media>, payload: &Map<String, Value>) -> Option<Media> {
        let is_presentation = crate::credential::types(payload).contains(&"VerifiablePresentation");
        match (declared, is_presentation) {
            (Some(Media::Credential), true) | (Some(Media::Presentation), false) => None,
            (Some(media), _) => Some(media),
            (None, true) => Some(Media::Presentation),
            (None, false) => Some(Media::Credential),
        }
    }

    /// The other kind: a presentation for a credential, and back.
    fn other(self) -> Media {
        match self {
            Media::Credential => Media::Presentation,
            Media::Presentation => Media::Credential,
        }
    }

    /// The `type` of an envelope holding this content (VCDM 2.0 §4.13, §4.14).
    pub fn enveloped_type(self) -> &'static str {
        match self {
            Media::Credential => "EnvelopedVerifiableCredential",
            Media::Presentation => "EnvelopedVerifiablePresentation",
        }
    }
}

/// `token` in an envelope (VCDM 2.0 §4.13, §4.14): the object a
/// presentation's `verifiableCredential` may hold, or sent on its own, whose
/// `id` is a `data:` URL (RFC 2397) with the token.
///
/// ```
/// use passerelle::jose::{envelope, Media};
/// let enveloped = envelope("eyJ…", Media::Credential);
/// assert_eq!(enveloped["type"], "EnvelopedVerifiableCredential");
/// assert_eq!(enveloped["id"], "data:application/vc+jwt,eyJ…");
/// ```
pub fn envelope(token: &str, media: Media) -> Map<String, Value> {
    envelope_as(media.media_type(), token, media)
}

/// `data` of `media_type` in an envelope of `media`: an SD-JWT as
/// `application/vc+sd-jwt` or `application/vp+sd-jwt`, COSE as the base64
/// of its bytes with `application/vc+cose;base64` or
/// `application/vp+cose;base64` (VC-JOSE-COSE §3.3).
///
/// ```
/// use passerelle::jose::{envelope_as, Media};
/// let enveloped = envelope_as("application/vp+sd-jwt", "eyJ…~", Media::Presentation);
/// assert_eq!(enveloped["type"], "EnvelopedVerifiablePresentation");
/// assert_eq!(enveloped["id"], "data:application/vp+sd-jwt,eyJ…~");
/// ```
pub fn envelope_as(media_type: &str, data: &str, media: Media) -> Map<String, Value> {
    let mut envelope = Map::new();
    envelope.insert("@context".into(), crate::credential::CONTEXT_V2.into());
    envelope.insert("type".into(), media.enveloped_type().into());
    envelope.insert("id".into(), format!("data:{media_type},{data}").into());
    envelope
}

/// What an envelope's `data:` URL holds: its media type (parameters
/// included) and its data, not yet decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enveloped<'a> {
    /// The media type, e.g. `application/vc+jwt`.
    pub media_type: &'a str,
    /// What follows the comma.
    pub data: &'a str,
}

/// Reads an envelope of `media` by VCDM 2.0's rules for it: `@context`
/// present, context URLs with the VCDM 2.0 one first (it defines the
/// envelope's terms), `type` exactly [`Media::enveloped_type`], `id` a `data:` URL, a
/// JOSE media type that is not the other kind's, and no other member — the
/// signature covers only the token, so anything beside it would be read
/// unsigned.
pub fn open_envelope(envelope: &Map<String, Value>, media: Media) -> Result<Enveloped<'_>> {
    // Context URLs only: an inline context beside the token is unsigned and
    // could give `id` or `type` another meaning to a JSON-LD reader.
    let contexts = match envelope.get("@context") {
        Some(Value::String(context)) => vec![context.as_str()],
        Some(Value::Array(contexts)) => contexts.iter().map(|c| c.as_str().unwrap_or_default()).collect(),
        _ => Vec::new(),
    };
    if contexts.first() != Some(&crate::credential::CONTEXT_V2) || contexts.contains(&"") {
        return Err(Error::new(
            ErrorCode::ContextInvalid,
            format!(
                "an envelope's @context must be context URLs, the first {}",
                crate::credential::CONTEXT_V2
            ),
        ));
    }
    let expected = media.enveloped_type();
    let single_type = match envelope.get("type") {
        Some(Value::String(name)) => Some(name.as_str()),
        Some(Value::Array(names)) if names.len() == 1 => names[0].as_str(),
        _ => None,
    };
    if single_type != Some(expected) {
        return Err(Error::new(
            ErrorCode::TypeInvalid,
            format!("an envelope's type must be {expected} alone"),
        ));
    }
    if let Some(other) = envelope
        .keys()
        .find(|k| !matches!(k.as_str(), "@context" | "type" | "id"))
    {
        return Err(Error::new(
            ErrorCode::PropertyInvalid,
            format!(
                "an envelope holds only @context, type and id: {} is not signed",
                quoted(other)
            ),
        ));
    }
    let (media_type, data) = envelope
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| id.strip_prefix("data:"))
        .and_then(|url| url.split_once(','))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::IdInvalid,
                format!("the id of an {expected} must be a data: URL"),
            )
        })?;
    let other = media.other();
    if media_type == other.media_type() {
        return Err(Error::new(
            ErrorCode::TypeInvalid,
            format!("an {expected} holds no {}", other.typ()),
        ));
    }
    Ok(Enveloped { media_type, data })
}

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::JoseMalformed, why)
}

fn header_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::JoseHeaderInvalid, why)
}

/// Whether `input` is meant as a compact JWS rather than JSON (it starts,
/// after whitespace, with the base64url of `{"`).
pub fn looks_like_compact_jws(input: &[u8]) -> bool {
    // A JSON document cannot start with `e`; every JWS header starts `{"`,
    // which base64url writes `eyJ`. The rest is checked by parse_compact.
    input.trim_ascii_start().starts_with(b"eyJ")
}

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed(format!("the {what} is not base64url without padding")))
}

fn json_part(part: &str, what: &str, limits: Limits) -> Result<Map<String, Value>> {
    match parse_strict(&decode_part(part, what)?, limits) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed(format!("the {what} is not a JSON object"))),
        Err(e) if e.code() == ErrorCode::JsonMalformed => Err(malformed(format!("the {what}: {}", e.detail()))),
        Err(e) => Err(e),
    }
}

/// A media type as `typ`/`cty` write it: `application/` may be left out
/// and the comparison ignores case (RFC 7515 §4.1.9).
pub(crate) fn media_is(value: &str, expected: &str) -> bool {
    let value = value.to_ascii_lowercase();
    value == expected || value.strip_prefix("application/") == Some(expected)
}

/// A compact JWS (a JWT) whose header passed the checks every JWS here
/// must pass (`alg` one of the accepted algorithms, no `crit`, no `b64`) and
/// whose payload is a JSON object. The signature is not verified yet: see
/// [`SignedJwt::verify_signature`]. What the payload is, the caller checks
/// (`typ`, claims): [`parse_compact`] for `vc+jwt`/`vp+jwt`, the SD-JWT
/// module for the Issuer-signed JWT and the Key Binding JWT.
#[derive(Clone, Debug)]
pub struct SignedJwt<'a> {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The payload.
    pub payload: Map<String, Value>,
    /// The signing algorithm.
    pub alg: JwsAlgorithm,
    signing_input: &'a str,
    signature: Vec<u8>,
}

/// Parses a compact JWS: three base64url parts, a header whose `alg` is
/// EdDSA, ES256, ES384 or ES512 (never `none` or HMAC), no `crit` and no `b64`,
/// and a JSON object payload read within `limits`.
pub fn parse_signed_jwt(text: &str, limits: Limits) -> Result<SignedJwt<'_>> {
    let mut parts = text.split('.');
    let (Some(head), Some(body), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(malformed("a compact JWS has three parts"));
    };
    let header = json_part(head, "header", limits)?;
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("EdDSA") => JwsAlgorithm::EdDsa,
        Some("ES256") => JwsAlgorithm::Es256,
        Some("ES384") => JwsAlgorithm::Es384,
        Some("ES512") => JwsAlgorithm::Es512,
        Some(other) => {
            let shown: String = other.chars().take(32).collect();
            return Err(Error::new(
                ErrorCode::JoseAlgorithmUnsupported,
                format!("alg {} (EdDSA, ES256, ES384 and ES512 are accepted)", quoted(&shown)),
            ));
        }
        None => return Err(header_invalid("alg is missing")),
    };
    match header.get("crit") {
        None => {}
        Some(Value::Array(names)) if !names.is_empty() => {
            return Err(header_invalid(format!(
                "crit lists {}, which this verifier does not understand",
                Value::Array(names.clone())
            )))
        }
        Some(other) => return Err(header_invalid(format!("crit must be a non-empty array, not {other}"))),
    }
    if header.contains_key("b64") {
        return Err(header_invalid("b64 (unencoded payloads) is not supported"));
    }
    let payload = json_part(body, "payload", limits)?;
    let signature = decode_part(sig, "signature")?;
    Ok(SignedJwt {
        header,
        payload,
        alg,
        signing_input: &text[..head.len() + 1 + body.len()],
        signature,
    })
}

impl SignedJwt<'_> {
    /// The `typ` header, if it is a string.
    pub fn typ(&self) -> Option<&str> {
        self.header.get("typ").and_then(Value::as_str)
    }

    /// The verification method its `kid` header names, as
    /// [`Jws::verification_method`] reads it against `base` (the issuer or
    /// holder); `None` without a string `kid`.
    pub fn verification_method(&self, base: &str) -> Option<String> {
        let kid = self.header.get("kid").and_then(Value::as_str)?;
        Some(kid_method(kid, base))
    }

    /// Verifies the signature with `key`, whose type must be the one `alg`
    /// names (an ES256 token cannot be checked with an Ed25519 key, nor the
    /// reverse).
    pub fn verify_signature(&self, key: &PublicKey) -> Result<()> {
        verify_jws_signature(self.alg, self.signing_input.as_bytes(), &self.signature, key)
    }
}

/// Verifies `signature` over `signing_input` with `key`, whose type must be
/// the one `alg` names; the signature is `r‖s` for ECDSA (JWS and COSE alike).
pub(crate) fn verify_jws_signature(
    alg: JwsAlgorithm,
    signing_input: &[u8],
    signature: &[u8],
    key: &PublicKey,
) -> Result<()> {
    if key.algorithm() != alg.key_algorithm() {
        return Err(Error::new(
            ErrorCode::JoseAlgorithmUnsupported,
            format!("alg {} does not fit a {} key", alg.as_str(), key.algorithm()),
        ));
    }
    let expected = alg.key_algorithm().signature_len();
    if signature.len() != expected {
        return Err(Error::new(
            ErrorCode::ProofValueInvalid,
            format!(
                "the {} signature has {} bytes, not {expected}",
                alg.as_str(),
                signature.len()
            ),
        ));
    }
    key.verify(signing_input, signature)
}

/// The `kid` header, which names the verification method: a non-empty string.
pub(crate) fn required_kid(header: &Map<String, Value>) -> Result<String> {
    match header.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => Ok(kid.clone()),
        Some(_) => Err(header_invalid("kid must be a non-empty string")),
        None => Err(header_invalid("kid is required: it names the verification method")),
    }
}

/// VC-JOSE-COSE §3.1: the claims are the credential's, never wrapped in a
/// `vc` or `vp` claim.
pub(crate) fn refuse_vc_vp_claims(payload: &Map<String, Value>) -> Result<()> {
    match ["vc", "vp"].into_iter().find(|claim| payload.contains_key(*claim)) {
        Some(claim) => Err(Error::new(
            ErrorCode::JoseClaimsInvalid,
            format!("the JWT claim {claim} must not be present (VC-JOSE-COSE §3.1)"),
        )),
        None => Ok(()),
    }
}

/// The NumericDate claim `name` of `claims`, if present.
pub(crate) fn time_claim(claims: &Map<String, Value>, name: &str) -> Result<Option<Timestamp>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|s| Some(Timestamp::from_unix_seconds(s)))
            .ok_or_else(|| Error::new(ErrorCode::JoseClaimsInvalid, format!("{name} must be whole seconds"))),
        Some(_) => Err(Error::new(
            ErrorCode::JoseClaimsInvalid,
            format!("{name} must be a NumericDate"),
        )),
    }
}

/// Parses a compact JWS and checks its header and claims (not the signature).
pub fn parse_compact(input: &[u8], limits: Limits) -> Result<Jws<'_>> {
    limits.check_len(input.len())?;
    let text = std::str::from_utf8(input.trim_ascii()).map_err(|_| malformed("not ASCII"))?;
    let SignedJwt {
        header,
        payload,
        alg,
        signing_input,
        signature,
    } = parse_signed_jwt(text, limits)?;
    let media = match header.get("typ") {
        None => None,
        Some(Value::String(typ)) if media_is(typ, Media::Credential.typ()) => Some(Media::Credential),
        Some(Value::String(typ)) if media_is(typ, Media::Presentation.typ()) => Some(Media::Presentation),
        Some(other) => return Err(header_invalid(format!("typ {other} is not vc+jwt or vp+jwt"))),
    };
    if let Some(cty) = header.get("cty") {
        let fits = cty.as_str().is_some_and(|c| match media {
            Some(Media::Presentation) => media_is(c, "vp"),
            _ => media_is(c, "vc"),
        });
        if !fits {
            return Err(header_invalid(format!("cty {cty} does not name the secured content")));
        }
    }
    let kid = required_kid(&header)?;
    refuse_vc_vp_claims(&payload)?;
    let media =
        Media::of_payload(media, &payload).ok_or_else(|| header_invalid("typ does not match the payload's type"))?;
    Ok(Jws {
        header,
        payload,
        alg,
        kid,
        media,
        signing_input,
        signature,
    })
}

impl Jws<'_> {
    /// The verification method `kid` names: absolute, a fragment resolved
    /// against `base` (the issuer or holder), or the method of `base`
    /// whose key has the JWK thumbprint `kid` gives.
    pub fn verification_method(&self, base: &str) -> String {
        kid_method(&self.kid, base)
    }

    /// Verifies the signature with `key`, whose type must be the one `alg`
    /// names (an ES256 token cannot be checked with an Ed25519 key, nor the
    /// reverse).
    pub fn verify_signature(&self, key: &PublicKey) -> Result<()> {
        verify_jws_signature(self.alg, self.signing_input.as_bytes(), &self.signature, key)
    }
}

/// The verification method a `kid` names (JWS and COSE alike): an
/// absolute URL; a fragment, resolved against `base` (the issuer or
/// holder); or a SHA-256 JWK thumbprint (RFC 7638), bare or as a JWK
/// Thumbprint URI (RFC 9278), which names the method of `base` whose key
/// has it (`{base}#urn:ietf:params:oauth:jwk-thumbprint:sha-256:…`).
pub(crate) fn kid_method(kid: &str, base: &str) -> String {
    use crate::crypto::jwk::THUMBPRINT_URI_PREFIX;
    let thumbprint = kid.strip_prefix(THUMBPRINT_URI_PREFIX).unwrap_or(kid);
    let is_thumbprint = thumbprint.len() == 43
        && thumbprint
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if kid.starts_with('#') {
        format!("{base}{kid}")
    } else if is_thumbprint {
        format!("{base}#{THUMBPRINT_URI_PREFIX}{thumbprint}")
    } else {
        kid.to_owned()
    }
}

/// Secures `payload` (a credential, or a presentation when `media` says so)
/// as a compact JWS signed by `signer`, naming `kid` in the header.
///
/// ```
/// use passerelle::crypto::{Ed25519KeyPair, Signer};
/// use passerelle::jose::{parse_compact, sign_compact, Media};
/// let key = Ed25519KeyPair::from_seed(&[4; 32]);
/// let kid = passerelle::did::key::verification_method_for(&key.public_key());
/// let credential = serde_json::json!({"@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"], "issuer": "did:example:x", "credentialSubject": {}});
/// let jwt = sign_compact(credential.as_object().unwrap(), &kid, Media::Credential, &key).unwrap();
/// let jws = parse_compact(jwt.as_bytes(), Default::default()).unwrap();
/// jws.verify_signature(&key.public_key()).unwrap();
/// ```
pub fn sign_compact(payload: &Map<String, Value>, kid: &str, media: Media, signer: &dyn Signer) -> Result<String> {
    sign_typed(payload, kid, media.typ(), signer)
}

/// A compact JWS of `payload` with the header `alg` (the signer's),
/// `kid` and `typ` (a Status List Token's `statuslist+jwt`, say).
pub fn sign_typed(payload: &Map<String, Value>, kid: &str, typ: &str, signer: &dyn Signer) -> Result<String> {
    let alg = JwsAlgorithm::for_key(signer.public_key().algorithm());
    let mut header = Map::new();
    header.insert("alg".into(), alg.as_str().into());
    header.insert("kid".into(), kid.into());
    header.insert("typ".into(), typ.into());
    sign_with_header(&header, payload, signer)
}

/// A compact JWS of `payload` with the protected `header` as given (its
/// `alg` must be the signer's: the caller writes it).
pub(crate) fn sign_with_header(
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    signer: &dyn Signer,
) -> Result<String> {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header.clone()).to_string()),
        URL_SAFE_NO_PAD.encode(Value::Object(payload.clone()).to_string())
    );
    let signature = signer.sign(signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Ed25519KeyPair;
    use serde_json::json;

    fn token(header: Value, payload: Value) -> String {
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string()),
            URL_SAFE_NO_PAD.encode([0u8; 64])
        )
    }

    fn credential() -> Value {
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "issuer": "did:example:x", "credentialSubject": {}})
    }

    #[test]
    fn header_checks_refuse_what_they_must() {
        let kid = "did:example:x#k";
        let cases: [(Value, ErrorCode); 9] = [
            (json!({"alg": "none", "kid": kid}), ErrorCode::JoseAlgorithmUnsupported),
            (json!({"alg": "HS256", "kid": kid}), ErrorCode::JoseAlgorithmUnsupported),
            (json!({"alg": "RS256", "kid": kid}), ErrorCode::JoseAlgorithmUnsupported),
            (json!({"kid": kid}), ErrorCode::JoseHeaderInvalid),
            (json!({"alg": "EdDSA"}), ErrorCode::JoseHeaderInvalid),
            (
                json!({"alg": "EdDSA", "kid": kid, "typ": "JWT"}),
                ErrorCode::JoseHeaderInvalid,
            ),
            (
                json!({"alg": "EdDSA", "kid": kid, "cty": "vp"}),
                ErrorCode::JoseHeaderInvalid,
            ),
            (
                json!({"alg": "EdDSA", "kid": kid, "crit": ["exp"], "exp": 1}),
                ErrorCode::JoseHeaderInvalid,
            ),
            (
                json!({"alg": "EdDSA", "kid": kid, "b64": false, "crit": []}),
                ErrorCode::JoseHeaderInvalid,
            ),
        ];
        for (header, code) in cases {
            let error = parse_compact(token(header.clone(), credential()).as_bytes(), Limits::default()).unwrap_err();
            assert_eq!(error.code(), code, "{header}: {}", error.detail());
        }
        let accepted = json!({"alg": "EdDSA", "kid": kid, "typ": "application/VC+JWT", "cty": "vc"});
        let accepted = token(accepted, credential());
        let jws = parse_compact(accepted.as_bytes(), Limits::default()).unwrap();
        assert_eq!((jws.alg, jws.media), (JwsAlgorithm::EdDsa, Media::Credential));
    }

    #[test]
    fn malformed_tokens_and_forbidden_claims_are_refused() {
        for bad in ["", "a.b", "eyJ.eyJ.", "a.b.c.d", "!!!.eyJ9.AA"] {
            let error = parse_compact(bad.as_bytes(), Limits::default()).unwrap_err();
            assert_eq!(error.code(), ErrorCode::JoseMalformed, "{bad}");
        }
        let mut with_vc = credential();
        with_vc["vc"] = json!({});
        let error = parse_compact(
            token(json!({"alg": "EdDSA", "kid": "#k"}), with_vc).as_bytes(),
            Limits::default(),
        )
        .unwrap_err();
        assert_eq!(error.code(), ErrorCode::JoseClaimsInvalid);
        let huge = "e".repeat(2000);
        let limits = Limits {
            max_bytes: 1000,
            ..Limits::default()
        };
        assert_eq!(
            parse_compact(huge.as_bytes(), limits).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
    }

    #[test]
    fn a_signature_verifies_only_with_its_key_and_algorithm() {
        let key = Ed25519KeyPair::from_seed(&[4; 32]);
        let jwt = sign_compact(credential().as_object().unwrap(), "#k", Media::Credential, &key).unwrap();
        assert!(looks_like_compact_jws(jwt.as_bytes()));
        assert!(!looks_like_compact_jws(b"{\"a\": 1}"));
        let jws = parse_compact(jwt.as_bytes(), Limits::default()).unwrap();
        jws.verify_signature(&key.public_key()).unwrap();
        let other = Ed25519KeyPair::from_seed(&[5; 32]).public_key();
        assert_eq!(
            jws.verify_signature(&other).unwrap_err().code(),
            ErrorCode::ProofSignatureInvalid
        );
        assert_eq!(jws.verification_method("did:example:x"), "did:example:x#k");
    }

    proptest::proptest! {
        #[test]
        fn any_flipped_character_fails(position in 0usize..400, replacement in proptest::sample::select(b"AQgw-_".to_vec())) {
            let key = Ed25519KeyPair::from_seed(&[4; 32]);
            let jwt = sign_compact(credential().as_object().unwrap(), "#k", Media::Credential, &key).unwrap();
            let mut bytes = jwt.into_bytes();
            let at = position % bytes.len();
            proptest::prop_assume!(bytes[at] != b'.' && bytes[at] != replacement);
            bytes[at] = replacement;
            let outcome = parse_compact(&bytes, Limits::default()).and_then(|jws| jws.verify_signature(&key.public_key()));
            proptest::prop_assert!(outcome.is_err());
        }

        #[test]
        fn signed_claims_read_back_equal(subject in "(?s).{0,40}", number in proptest::num::i64::ANY) {
            let key = Ed25519KeyPair::from_seed(&[6; 32]);
            let mut claims = credential();
            claims["credentialSubject"] = json!({"note": subject, "n": number});
            let claims = claims.as_object().unwrap().clone();
            let jwt = sign_compact(&claims, "#k", Media::Credential, &key).unwrap();
            let jws = parse_compact(jwt.as_bytes(), Limits::default()).unwrap();
            proptest::prop_assert_eq!(&jws.payload, &claims);
            jws.verify_signature(&key.public_key()).unwrap();
        }

        #[test]
        fn any_input_is_refused_or_parsed_without_panic(text in "[A-Za-z0-9_.-]{0,300}") {
            let _ = parse_compact(text.as_bytes(), Limits::default());
        }
    }
}
