//! SD-JWT (RFC 9901): a JWT whose claims the holder may disclose one by
//! one. The issuer replaces each selectively disclosable claim by the
//! digest of a *Disclosure* (a salted `[salt, name, value]` or `[salt,
//! value]`, base64url); the holder sends the issuer-signed JWT with the
//! Disclosures it chooses, and a Key Binding JWT signed with its own key
//! when the verifier asks for one:
//!
//! `<issuer-signed JWT>~<Disclosure>~…~<Disclosure>~<KB-JWT or nothing>`
//!
//! - [`issue`] makes an SD-JWT from claims and the JSON pointers (RFC 6901)
//!   of the claims to make disclosable: object members and array elements,
//!   at any depth, nested in each other (recursive disclosures), with
//!   optional decoy digests.
//! - [`present`] keeps the Disclosures of the claims a holder chooses, and
//!   adds a Key Binding JWT (`typ` `kb+jwt`, `iat`, `aud`, `nonce`,
//!   `sd_hash`).
//! - [`verify`] checks it all as RFC 9901 §7.1 and §7.3 say, with the time,
//!   the issuer's key and the expected nonce and audience given, and
//!   returns the claims as disclosed ([`Verified`]). Each refusal has its
//!   own code (`SD_JWT_…`, `KEY_BINDING_…`).
//!
//! Digests are SHA-256 (`_sd_alg` `sha-256`); another `_sd_alg` is
//! refused. JWTs are signed with EdDSA, ES256, ES384 or ES512, never `none`.
//!
//! ```
//! use passerelle::crypto::{Ed25519KeyPair, Signer};
//! use passerelle::sd_jwt::{self, IssueOptions, KeyBinding, VerifyOptions};
//! use passerelle::Timestamp;
//!
//! let issuer = Ed25519KeyPair::from_seed(&[1; 32]);
//! let holder = Ed25519KeyPair::from_seed(&[2; 32]);
//! let claims = serde_json::json!({"iss": "https://issuer.example", "birthdate": "1990-05-01", "age_over_19": true});
//! let options = IssueOptions { holder_key: Some(holder.public_key()), ..IssueOptions::default() };
//! let issued = sd_jwt::issue(claims.as_object().unwrap(), &["/birthdate", "/age_over_19"], &options, &issuer).unwrap();
//!
//! // The holder shows only age_over_19, bound to the verifier's nonce.
//! let at = Timestamp::parse("2026-12-01T10:00:00Z").unwrap();
//! let binding = KeyBinding { signer: &holder, nonce: "n-0S6", audience: "https://verifier.example", issued_at: at };
//! let shown = sd_jwt::present(&issued, &["/age_over_19"], Some(&binding), Default::default()).unwrap();
//!
//! let options = VerifyOptions::new(at).with_nonce("n-0S6").with_audience("https://verifier.example");
//! let verified = sd_jwt::verify(&shown, &issuer.public_key(), &options).unwrap();
//! assert_eq!(verified.claims["age_over_19"], true);
//! assert!(verified.claims.get("birthdate").is_none());
//! assert!(verified.key_bound);
//! ```

mod disclosure;
mod issue;
mod present;
mod process;
mod verify;

pub use disclosure::Disclosure;
pub use issue::{issue, issue_with_salts, IssueOptions};
pub use present::{present, KeyBinding};
pub use process::Processed;
pub(crate) use verify::check_holder_binding;
pub use verify::{verify, Verified, VerifyOptions};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::error::{Error, ErrorCode, Result};
use crate::jose::{parse_signed_jwt, SignedJwt};
use crate::json::Limits;

/// The `typ` of a Key Binding JWT (RFC 9901 §4.3).
pub const KEY_BINDING_TYP: &str = "kb+jwt";

/// The media type an envelope's `data:` URL names for an SD-JWT-secured
/// credential or presentation (VC-JOSE-COSE §3.2): `application/vc+sd-jwt`
/// or `application/vp+sd-jwt`.
pub fn envelope_media_type(media: crate::jose::Media) -> &'static str {
    match media {
        crate::jose::Media::Credential => "application/vc+sd-jwt",
        crate::jose::Media::Presentation => "application/vp+sd-jwt",
    }
}

/// The only `_sd_alg` implemented (and the default when absent).
pub const SHA_256: &str = "sha-256";

/// The base64url SHA-256 digest of `text`'s ASCII bytes: a Disclosure's
/// digest (§4.2.3) and a Key Binding JWT's `sd_hash` (§4.3.1).
pub(crate) fn digest(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

fn malformed(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::SdJwtMalformed, why)
}

/// An SD-JWT or SD-JWT+KB split into its parts, each read once: the
/// issuer-signed JWT (header checked, signature not yet verified), the
/// Disclosures in the order sent, and the Key Binding JWT's text if any.
#[derive(Clone, Debug)]
pub struct SdJwt<'a> {
    /// The issuer-signed JWT.
    pub jwt: SignedJwt<'a>,
    /// The Disclosures, in the order sent.
    pub disclosures: Vec<Disclosure>,
    /// The Key Binding JWT, when one follows the last `~`.
    pub key_binding: Option<&'a str>,
    /// `<JWT>~<Disclosure>~…~`: what a Key Binding JWT's `sd_hash` covers.
    presented: &'a str,
}

/// The claims of an IETF SD-JWT VC that may not come from a Disclosure: those
/// the draft lists, and `iat`, the issuance time the trust check judges the
/// issuer at (a holder hiding it would move that time).
pub(crate) const VC_NEVER_DISCLOSED: [&str; 4] = ["vct", "vct#integrity", "status", "iat"];

/// The one of `names` whose claim the JSON pointer lies in (its first
/// reference token): what is inside a claim that may not be disclosable
/// may not be either.
pub(crate) fn claim_of<'a>(pointer: &str, names: &[&'a str]) -> Option<&'a str> {
    let first = crate::json::pointer::tokens(pointer)?.into_iter().next()?;
    names.iter().copied().find(|name| *name == first)
}

/// VCDM properties, which mean nothing in an IETF SD-JWT VC: refused rather
/// than left unread (a status entry or an end of validity an issuer meant).
pub(crate) const VCDM_ONLY: [&str; 9] = [
    "@context",
    "credentialStatus",
    "credentialSubject",
    "issuer",
    "validFrom",
    "validUntil",
    "issuanceDate",
    "expirationDate",
    "proof",
];

/// The most Disclosures one SD-JWT may carry.
pub const MAX_DISCLOSURES: usize = 1024;

/// Splits `input` into its parts (RFC 9901 §4): every part non-empty but
/// the last, which is empty (an SD-JWT) or a Key Binding JWT (an
/// SD-JWT+KB); at most [`MAX_DISCLOSURES`] Disclosures; `limits` bound the
/// whole and each JSON part.
pub fn parse(input: &str, limits: Limits) -> Result<SdJwt<'_>> {
    limits.check_len(input.len())?;
    let input = input.trim_ascii();
    let Some(last_tilde) = input.rfind('~') else {
        return Err(malformed("no `~`: an SD-JWT is a JWT followed by `~`"));
    };
    let (presented, key_binding) = (&input[..=last_tilde], &input[last_tilde + 1..]);
    let mut parts = presented[..last_tilde].split('~');
    let jwt_text = parts.next().unwrap_or_default();
    if jwt_text.is_empty() {
        return Err(malformed("the issuer-signed JWT is empty"));
    }
    let jwt = parse_signed_jwt(jwt_text, limits)?;
    if jwt.typ().is_some_and(|typ| typ.eq_ignore_ascii_case(KEY_BINDING_TYP)) {
        return Err(malformed("the first part is a Key Binding JWT, not the issuer's"));
    }
    if !key_binding.is_empty() && key_binding.split('.').count() != 3 {
        return Err(malformed(
            "the part after the last `~` is neither empty nor a Key Binding JWT (is the final `~` missing?)",
        ));
    }
    let mut disclosures = Vec::new();
    for (i, part) in parts.enumerate() {
        if i >= MAX_DISCLOSURES {
            return Err(malformed(format!("more than {MAX_DISCLOSURES} Disclosures")));
        }
        if part.is_empty() {
            return Err(malformed(format!("Disclosure {} is empty (two `~` in a row)", i + 1)));
        }
        disclosures.push(Disclosure::parse(part, limits)?);
    }
    Ok(SdJwt {
        jwt,
        disclosures,
        key_binding: (!key_binding.is_empty()).then_some(key_binding),
        presented,
    })
}

impl SdJwt<'_> {
    /// `<JWT>~<Disclosure>~…~`, the text a Key Binding JWT's `sd_hash` covers.
    pub fn presented(&self) -> &str {
        self.presented
    }

    /// The claims with the Disclosures put in place of their digests (RFC
    /// 9901 §7.1 step 3), after the checks of steps 4 and 5. The issuer's
    /// signature is not checked here: [`verify`] does.
    pub fn process(&self, limits: Limits) -> Result<Processed> {
        process::process(&self.jwt.payload, &self.disclosures, limits)
    }
}
