//! JSON Web Key (RFC 7517/8037) encodings of Ed25519 keys (`kty` `OKP`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::PublicKey;
use crate::error::{quoted, Error, ErrorCode, Result};

fn field<'a>(jwk: &'a Value, name: &str) -> Result<&'a str> {
    jwk.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new(ErrorCode::KeyInvalid, format!("JWK has no string {}", quoted(name))))
}

/// Decodes a public JWK. Only `OKP`/`Ed25519` is supported so far.
pub fn public_key(jwk: &Value) -> Result<PublicKey> {
    match (field(jwk, "kty")?, field(jwk, "crv")?) {
        ("OKP", "Ed25519") => {
            let x = URL_SAFE_NO_PAD
                .decode(field(jwk, "x")?)
                .map_err(|_| Error::new(ErrorCode::KeyInvalid, "JWK x is not base64url"))?;
            PublicKey::ed25519_from_bytes(&x)
        }
        (kty, crv) => Err(Error::new(ErrorCode::KeyTypeUnsupported, format!("JWK {kty}/{crv}"))),
    }
}

pub(super) fn ed25519_private(jwk: &Value) -> Result<Zeroizing<[u8; 32]>> {
    if (field(jwk, "kty")?, field(jwk, "crv")?) != ("OKP", "Ed25519") {
        return Err(Error::new(ErrorCode::KeyTypeUnsupported, "not an Ed25519 OKP JWK"));
    }
    let d = Zeroizing::new(
        URL_SAFE_NO_PAD
            .decode(field(jwk, "d")?)
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "JWK d is not base64url"))?,
    );
    let mut seed = Zeroizing::new([0u8; 32]);
    if d.len() != 32 {
        return Err(Error::new(ErrorCode::KeyInvalid, "JWK d must be 32 bytes"));
    }
    seed.copy_from_slice(&d);
    Ok(seed)
}

pub(super) fn ed25519_private_jwk(public: &PublicKey, seed: &[u8; 32]) -> Zeroizing<String> {
    let mut value = public.to_jwk();
    value["d"] = Value::String(URL_SAFE_NO_PAD.encode(seed));
    let text = Zeroizing::new(value.to_string());
    if let Some(Value::String(d)) = value.get_mut("d") {
        zeroize::Zeroize::zeroize(d);
    }
    text
}

impl PublicKey {
    /// The public JWK of this key.
    ///
    /// ```
    /// use passerelle::crypto::{jwk, Ed25519KeyPair, Signer};
    /// let key = Ed25519KeyPair::from_seed(&[3; 32]).public_key();
    /// assert_eq!(jwk::public_key(&key.to_jwk()).unwrap(), key);
    /// ```
    pub fn to_jwk(&self) -> Value {
        match self {
            PublicKey::Ed25519(key) => json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": URL_SAFE_NO_PAD.encode(key.as_bytes()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_key_types() {
        let ec = json!({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"});
        assert_eq!(public_key(&ec).unwrap_err().code(), ErrorCode::KeyTypeUnsupported);
        let short = json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"});
        assert_eq!(public_key(&short).unwrap_err().code(), ErrorCode::KeyInvalid);
    }
}
