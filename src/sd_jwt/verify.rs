//! Verifying an SD-JWT or SD-JWT+KB (RFC 9901 §7.1, §7.3): the issuer's
//! signature, the Disclosures, the validity claims, and the Key Binding JWT
//! when the verifier asks for one or the SD-JWT names a holder key.

use serde_json::{Map, Value};

use super::{digest, parse, SdJwt, KEY_BINDING_TYP};
use crate::crypto::{jwk, PublicKey};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::jose::{media_is, parse_signed_jwt, time_claim};
use crate::json::Limits;
use crate::time::Timestamp;

/// What [`verify`] checks against: explicit inputs, no clock read.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The verification time: `exp`/`nbf` of the SD-JWT and the Key
    /// Binding JWT's `iat` are judged at it.
    pub time: Timestamp,
    /// Whether a Key Binding JWT is required even if the SD-JWT names no
    /// holder key (then it fails: there is no key to check it with). It is
    /// always required when the SD-JWT has `cnf`.
    pub require_key_binding: bool,
    /// The nonce the Key Binding JWT must carry; required when key binding is.
    pub nonce: Option<String>,
    /// The audience (`aud`) the Key Binding JWT must name; required when key binding is.
    pub audience: Option<String>,
    /// How old a Key Binding JWT may be, in seconds (default 300).
    pub key_binding_max_age: i64,
    /// How far in the future an `iat` or `nbf` may be, in seconds, for
    /// clocks that differ (default 60).
    pub clock_skew: i64,
    /// Size and depth limits of every part.
    pub limits: Limits,
    /// The issuer-signed JWT's `typ` a profile requires (`dc+sd-jwt`,
    /// `vc+sd-jwt`); `None` accepts any but `kb+jwt`.
    pub typ: Option<String>,
}

impl VerifyOptions {
    /// Options at `time`: key binding required only by `cnf`, no nonce or
    /// audience yet, 300 s maximum age, 60 s skew, default limits, any `typ`.
    pub fn new(time: Timestamp) -> Self {
        VerifyOptions {
            time,
            require_key_binding: false,
            nonce: None,
            audience: None,
            key_binding_max_age: 300,
            clock_skew: 60,
            limits: Limits::default(),
            typ: None,
        }
    }

    /// The nonce the Key Binding JWT must carry.
    pub fn with_nonce(mut self, nonce: &str) -> Self {
        self.nonce = Some(nonce.to_owned());
        self
    }

    /// The audience the Key Binding JWT must name.
    pub fn with_audience(mut self, audience: &str) -> Self {
        self.audience = Some(audience.to_owned());
        self
    }
}

/// A verified SD-JWT: the claims as disclosed, and what was checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    /// The issuer-signed JWT's header.
    pub header: Map<String, Value>,
    /// The claims: those in the clear and those disclosed, `_sd` and
    /// `_sd_alg` removed, undisclosed array elements left out.
    pub claims: Map<String, Value>,
    /// Where each Disclosure sent went, as JSON pointers into `claims`.
    pub disclosed: Vec<String>,
    /// Whether a Key Binding JWT was checked: signed by the holder key in
    /// `cnf`, with the verifier's nonce and audience, recent, and covering
    /// exactly what was presented.
    pub key_bound: bool,
}

/// Verifies `input` (`<JWT>~<Disclosure>~…~[<KB-JWT>]`) with the issuer's
/// key `issuer_key` (the caller has established that it is the issuer's:
/// RFC 9901 §7.1 step 2.3). In order: the parts' form, the issuer's
/// signature, `_sd_alg`, each Disclosure in its place (every digest once,
/// every Disclosure referenced, no claim overwritten), `exp` and `nbf` at
/// the verification time, then key binding (§7.3).
pub fn verify(input: &str, issuer_key: &PublicKey, options: &VerifyOptions) -> Result<Verified> {
    let sd_jwt = parse(input, options.limits)?;
    if let Some(expected) = &options.typ {
        if !sd_jwt.jwt.typ().is_some_and(|typ| media_is(typ, expected)) {
            return Err(Error::new(
                ErrorCode::JoseHeaderInvalid,
                format!("typ is {:?}, not {}", sd_jwt.jwt.typ(), quoted(expected)),
            ));
        }
    }
    sd_jwt.jwt.verify_signature(issuer_key)?;
    let processed = sd_jwt.process(options.limits)?;
    check_validity(&processed.claims, options)?;
    let asks = options
        .require_key_binding
        .then_some("the verifier requires a Key Binding JWT");
    let key_bound = check_holder_binding(&sd_jwt, asks, options)?;
    Ok(Verified {
        header: sd_jwt.jwt.header.clone(),
        claims: processed.claims,
        disclosed: processed.disclosed,
        key_bound,
    })
}

/// `exp` and `nbf` of the processed claims, at the verification time (§7.1 step 6).
fn check_validity(claims: &Map<String, Value>, options: &VerifyOptions) -> Result<()> {
    if let Some(exp) = time_claim(claims, "exp")? {
        if options.time >= exp {
            return Err(Error::new(
                ErrorCode::CredentialExpired,
                format!("exp {exp} is not after {}", options.time),
            ));
        }
    }
    if let Some(nbf) = time_claim(claims, "nbf")? {
        if nbf > options.time.plus_seconds(options.clock_skew) {
            return Err(Error::new(
                ErrorCode::CredentialNotYetValid,
                format!("nbf {nbf} is after {}", options.time),
            ));
        }
    }
    Ok(())
}

fn kb_invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::KeyBindingInvalid, why)
}

/// The holder key `cnf` names: a `jwk` (RFC 7800 §3.2), the only
/// confirmation method implemented.
fn holder_key_of(cnf: Option<&Value>) -> Result<PublicKey> {
    let jwk = match cnf {
        None => {
            return Err(kb_invalid(
                "the SD-JWT names no holder key (cnf) to check the Key Binding JWT with",
            ))
        }
        Some(Value::Object(cnf)) => cnf.get("jwk"),
        Some(_) => return Err(kb_invalid("cnf is not an object")),
    };
    let Some(jwk) = jwk else {
        return Err(kb_invalid("cnf has no jwk (the only confirmation method accepted)"));
    };
    if jwk.get("d").is_some() {
        return Err(kb_invalid("cnf.jwk carries a private key (`d`): the issuer leaked it"));
    }
    jwk::public_key(jwk).map_err(|e| kb_invalid(format!("cnf.jwk: {}", e.detail())))
}

/// §7.3 step 5: the Key Binding JWT `kb` over `presented`, signed by the
/// key `cnf` names, with the nonce and audience of `options`.
/// The holder's proof: the Key Binding JWT, when one is presented, checked
/// against the holder key the issuer signed in the clear (`cnf`; a
/// disclosed one is refused when the Disclosures are put in place). One
/// is required when there is such a key, or when the verifier asks
/// (`verifier_asks` says why). `Ok(true)` when one was checked.
pub(crate) fn check_holder_binding(
    sd_jwt: &SdJwt<'_>,
    verifier_asks: Option<&str>,
    options: &VerifyOptions,
) -> Result<bool> {
    let holder_key = sd_jwt.jwt.payload.get("cnf");
    match (sd_jwt.key_binding, holder_key, verifier_asks) {
        (Some(kb), _, _) => check_key_binding(kb, sd_jwt.presented(), holder_key, options).map(|()| true),
        (None, Some(_), _) => Err(Error::new(
            ErrorCode::KeyBindingMissing,
            "the SD-JWT names a holder key (cnf) and no Key Binding JWT follows it",
        )),
        (None, None, Some(why)) => Err(Error::new(
            ErrorCode::KeyBindingMissing,
            format!("{why} and none was presented"),
        )),
        (None, None, None) => Ok(false),
    }
}

pub(crate) fn check_key_binding(kb: &str, presented: &str, cnf: Option<&Value>, options: &VerifyOptions) -> Result<()> {
    // The Key Binding JWT is read before anything is asked of the caller:
    // one that cannot be read says so, whatever the options.
    let jwt = parse_signed_jwt(kb, options.limits).map_err(|e| match e.code() {
        ErrorCode::InputTooLarge | ErrorCode::InputTooDeep => e,
        _ => kb_invalid(format!("the Key Binding JWT: {}", e.detail())),
    })?;
    if !jwt.typ().is_some_and(|typ| media_is(typ, KEY_BINDING_TYP)) {
        return Err(kb_invalid(format!("typ is {:?}, not kb+jwt", jwt.typ())));
    }
    let holder = holder_key_of(cnf)?;
    let (Some(nonce), Some(audience)) = (&options.nonce, &options.audience) else {
        return Err(Error::new(
            ErrorCode::KeyBindingRequestMissing,
            "the holder's Key Binding JWT is checked against the verifier's nonce and audience: give both",
        ));
    };
    jwt.verify_signature(&holder).map_err(|e| {
        Error::new(
            ErrorCode::KeyBindingSignatureInvalid,
            format!("the Key Binding JWT: {}", e.detail()),
        )
    })?;
    let claims = &jwt.payload;
    let string_claim = |name: &str| match claims.get(name) {
        Some(Value::String(value)) => Ok(value.as_str()),
        Some(_) => Err(kb_invalid(format!("{name} is not a string"))),
        None => Err(kb_invalid(format!("{name} is missing"))),
    };
    let Some(iat) = time_claim(claims, "iat").map_err(|e| kb_invalid(e.detail().to_owned()))? else {
        return Err(kb_invalid("iat is missing"));
    };
    if iat > options.time.plus_seconds(options.clock_skew) {
        return Err(Error::new(
            ErrorCode::KeyBindingTimeInvalid,
            format!("iat {iat} is after {}", options.time),
        ));
    }
    if iat < options.time.plus_seconds(-options.key_binding_max_age) {
        return Err(Error::new(
            ErrorCode::KeyBindingTimeInvalid,
            format!(
                "iat {iat} is more than {} s before {}",
                options.key_binding_max_age, options.time
            ),
        ));
    }
    if let Some(exp) = time_claim(claims, "exp").map_err(|e| kb_invalid(e.detail().to_owned()))? {
        if options.time >= exp {
            return Err(Error::new(
                ErrorCode::KeyBindingTimeInvalid,
                format!("exp {exp} has passed"),
            ));
        }
    }
    let got = string_claim("nonce")?;
    if got != nonce {
        return Err(Error::new(
            ErrorCode::KeyBindingNonceMismatch,
            format!("nonce {} is not {}", quoted(got), quoted(nonce)),
        ));
    }
    let got = string_claim("aud")?;
    if got != audience {
        return Err(Error::new(
            ErrorCode::KeyBindingAudienceMismatch,
            format!("aud {} is not {}", quoted(got), quoted(audience)),
        ));
    }
    if string_claim("sd_hash")? != digest(presented) {
        return Err(Error::new(
            ErrorCode::KeyBindingHashMismatch,
            "sd_hash is not the digest of the SD-JWT and Disclosures presented",
        ));
    }
    Ok(())
}
