//! Key pairs generated in the token: token objects sharing a random
//! `CKA_ID`, the private key sensitive, not extractable, sign only.

use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::Attribute;
use passerelle::crypto::KeyAlgorithm;

use super::encoding::{OID_ED25519, OID_P256, OID_P384, OID_P521, PRINTABLE_EDWARDS25519};
use super::error::HsmError;
use super::lookup::find_key;
use super::session::{lock, module, open_session};
use super::{HsmSigner, Pkcs11Config};

impl HsmSigner {
    /// Generates a key pair labelled `key_label` in the configured token
    /// and opens it: Ed25519 (`CKM_EC_EDWARDS_KEY_PAIR_GEN`), P-256, P-384
    /// or P-521 (`CKM_EC_KEY_PAIR_GEN`). Both are token objects sharing a
    /// random `CKA_ID`; the private key is private, sensitive, not
    /// extractable, and may only sign. Refused when the token already has
    /// objects with this label.
    pub fn generate(config: Pkcs11Config, key_label: &str, algorithm: KeyAlgorithm) -> Result<HsmSigner, HsmError> {
        let (mechanism, params): (Mechanism<'static>, &[&[u8]]) = match algorithm {
            // The OID first (RFC 8410, what SoftHSM 2.6 knows), then the
            // printable string PKCS#11 3.0 also names.
            KeyAlgorithm::Ed25519 => (Mechanism::EccEdwardsKeyPairGen, &[OID_ED25519, PRINTABLE_EDWARDS25519]),
            KeyAlgorithm::P256 => (Mechanism::EccKeyPairGen, &[OID_P256]),
            KeyAlgorithm::P384 => (Mechanism::EccKeyPairGen, &[OID_P384]),
            KeyAlgorithm::P521 => (Mechanism::EccKeyPairGen, &[OID_P521]),
            other => return Err(HsmError::UnsupportedAlgorithm(other)),
        };
        let module = module(&config.module)?;
        let session = open_session(&module, &config, true)?;
        let _generating = lock(&module.generating);
        let existing = session
            .find_objects(&[Attribute::Label(key_label.as_bytes().to_vec())])
            .map_err(|e| HsmError::pkcs11("finding objects", &e))?;
        if !existing.is_empty() {
            return Err(HsmError::KeyExists {
                label: key_label.to_owned(),
            });
        }
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| HsmError::Pkcs11 {
            operation: "drawing a key id",
            detail: e.to_string(),
        })?;
        let common = [
            Attribute::Token(true),
            Attribute::Label(key_label.as_bytes().to_vec()),
            Attribute::Id(id.to_vec()),
        ];
        let private_template = [
            &common[..],
            &[
                Attribute::Private(true),
                Attribute::Sensitive(true),
                Attribute::Extractable(false),
                Attribute::Sign(true),
                Attribute::Decrypt(false),
                Attribute::Derive(false),
                Attribute::Unwrap(false),
            ],
        ]
        .concat();
        let mut last_error = None;
        for params in params {
            let public_template = [
                &common[..],
                &[
                    Attribute::Private(false),
                    Attribute::Verify(true),
                    Attribute::EcParams(params.to_vec()),
                ],
            ]
            .concat();
            match session.generate_key_pair(&mechanism, &public_template, &private_template) {
                Ok((_public, private)) => {
                    let (key, found, public_key) = find_key(&session, key_label)?;
                    if key != private || found != algorithm {
                        return Err(HsmError::KeyMismatch {
                            label: key_label.to_owned(),
                        });
                    }
                    return HsmSigner::checked(module.clone(), config, key_label, session, key, algorithm, public_key);
                }
                Err(
                    e @ CkError::Pkcs11(
                        RvError::AttributeValueInvalid
                        | RvError::DomainParamsInvalid
                        | RvError::CurveNotSupported
                        | RvError::TemplateInconsistent,
                        _,
                    ),
                ) => last_error = Some(e),
                Err(e) => return Err(HsmError::pkcs11("generating a key pair", &e)),
            }
        }
        let error = last_error.unwrap_or(CkError::InvalidValue);
        Err(HsmError::pkcs11("generating a key pair", &error))
    }
}
