//! Issuer keys in a PKCS#11 token: SoftHSM2 (`scripts/softhsm.sh`
//! installs it), with throwaway tokens made here. Without SoftHSM the
//! tests are skipped, unless `CI=true`, where they fail. The last tests
//! run the service with a tenant whose keys are in the token.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cryptoki::context::Pkcs11;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use passerelle::crypto::{multibase, KeyAlgorithm, Signer};
use passerelle::{ErrorCode, Issuer, Lang, Timestamp, Verifier, VerifyOptions};
use passerelle_service::hsm::{HsmError, HsmSigner, Pkcs11Config};
use serde_json::{json, Value};

/// The user PIN: '-' is not base58, so it cannot turn up in a Multikey.
const PIN: &str = "hsm-pin-0451";
const SO_PIN: &str = "hsm-so-pin-8812";
/// The token every test but one uses.
const TOKEN: &str = "passerelle-test";
/// A token of its own for the test that logs the process out.
const RECONNECT_TOKEN: &str = "passerelle-reconnect";
/// The tokens of the service's tenant, one per store (each run of the
/// test makes the same labels, `passerelle/mines/key-1`…).
const SQLITE_TENANT_TOKEN: &str = "passerelle-tenant-sqlite";
const POSTGRES_TENANT_TOKEN: &str = "passerelle-tenant-postgres";

const MODULES: &[&str] = &[
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
];

/// The SoftHSM module, with this run's tokens initialized; `None` (the
/// test then returns) when SoftHSM is not installed, outside CI.
fn softhsm() -> Option<&'static Path> {
    static MODULE: OnceLock<Option<PathBuf>> = OnceLock::new();
    MODULE.get_or_init(set_up).as_deref()
}

fn set_up() -> Option<PathBuf> {
    let module = MODULES.iter().map(PathBuf::from).find(|path| path.exists());
    let util = Command::new("softhsm2-util").arg("--version").output().is_ok();
    let Some(module) = module.filter(|_| util) else {
        let missing = "SoftHSM2 (softhsm2-util and libsofthsm2.so) is not installed: run scripts/softhsm.sh";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{missing}");
        }
        eprintln!("skipping the HSM tests: {missing}");
        return None;
    };
    // A token directory of this run's own; SoftHSM reads SOFTHSM2_CONF
    // when the module is initialized, so it is set before any test opens it.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    remove_stale_token_dirs(tmp);
    let dir = tmp.join(format!("softhsm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir.join("tokens").display()
        ),
    )
    .unwrap();
    std::env::set_var("SOFTHSM2_CONF", &conf);
    for label in [TOKEN, RECONNECT_TOKEN, SQLITE_TENANT_TOKEN, POSTGRES_TENANT_TOKEN] {
        let output = Command::new("softhsm2-util")
            .args([
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                PIN,
                "--so-pin",
                SO_PIN,
            ])
            .env("SOFTHSM2_CONF", &conf)
            .output()
            .expect("running softhsm2-util");
        assert!(
            output.status.success(),
            "softhsm2-util --init-token: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Some(module)
}

/// Removes the token directories of earlier runs whose process is gone.
fn remove_stale_token_dirs(tmp: &Path) {
    let (Ok(entries), true) = (std::fs::read_dir(tmp), Path::new("/proc/self").exists()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("softhsm-")) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn config(module: &Path, token: &str, pin: &str) -> Pkcs11Config {
    Pkcs11Config::new(module, token, pin)
}

fn at() -> Timestamp {
    Timestamp::parse("2031-01-01T00:00:00Z").unwrap()
}

/// Issues a credential with `signer` (did:key), checks that it verifies,
/// and that it does not once a byte of its signature is flipped.
fn issue_and_verify(signer: &HsmSigner) {
    let issuer = Issuer::did_key(signer);
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did(),
        "validFrom": "2030-06-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:alice", "name": "Alice"}
    });
    let credential = issuer.issue(unsigned.as_object().unwrap().clone(), at()).unwrap();
    let verifier = Verifier::offline();
    let report = verifier.verify(credential.to_json_string().as_bytes(), &VerifyOptions::at(at()));
    assert!(report.verified(), "{:?}: {}", signer, report.render(Lang::En));

    let mut tampered = credential.json().clone();
    let proof = tampered["proof"].as_object_mut().unwrap();
    let mut signature = multibase::decode(proof["proofValue"].as_str().unwrap()).unwrap();
    let middle = signature.len() / 2;
    signature[middle] ^= 0x01;
    proof.insert(
        "proofValue".into(),
        Value::from(multibase::encode_base58btc(&signature)),
    );
    let text = serde_json::to_string(&tampered).unwrap();
    let report = verifier.verify(text.as_bytes(), &VerifyOptions::at(at()));
    assert!(!report.verified(), "a flipped signature byte verified ({signer:?})");
}

/// Generates a key pair, opens it again by label, signs and verifies.
fn round_trip(algorithm: KeyAlgorithm, label: &str, signature_len: usize) -> Option<HsmSigner> {
    let module = softhsm()?;
    let generated = HsmSigner::generate(config(module, TOKEN, PIN), label, algorithm).unwrap();
    assert_eq!(generated.public_key().algorithm(), algorithm);
    let opened = HsmSigner::open(config(module, TOKEN, PIN), label).unwrap();
    assert_eq!(opened.public_key(), generated.public_key());
    assert_eq!(opened.label(), label);
    assert_eq!(opened.algorithm(), algorithm);

    let message = format!("a message for {label}");
    let signature = opened.sign(message.as_bytes()).unwrap();
    assert_eq!(signature.len(), signature_len);
    generated.public_key().verify(message.as_bytes(), &signature).unwrap();
    let signature = generated.sign(message.as_bytes()).unwrap();
    opened.public_key().verify(message.as_bytes(), &signature).unwrap();
    let mut flipped = signature.clone();
    flipped[3] ^= 0x80;
    assert!(opened.public_key().verify(message.as_bytes(), &flipped).is_err());
    assert!(opened.public_key().verify(b"another message", &signature).is_err());
    Some(opened)
}

#[test]
fn ed25519_key_signs_a_credential() {
    let Some(signer) = round_trip(KeyAlgorithm::Ed25519, "issuer-ed25519", 64) else {
        return;
    };
    assert!(signer.public_key().to_multikey().starts_with("z6Mk"));
    issue_and_verify(&signer);
}

#[test]
fn p256_key_signs_a_credential() {
    let Some(signer) = round_trip(KeyAlgorithm::P256, "issuer-p256", 64) else {
        return;
    };
    assert!(signer.public_key().to_multikey().starts_with("zDn"));
    issue_and_verify(&signer);
}

#[test]
fn p384_key_signs_a_credential() {
    let Some(signer) = round_trip(KeyAlgorithm::P384, "issuer-p384", 96) else {
        return;
    };
    assert!(signer.public_key().to_multikey().starts_with("z82"));
    issue_and_verify(&signer);
}

#[test]
fn p521_key_signs() {
    // P-521 is for JOSE and COSE (ES512): the Data Integrity suites have no P-521 form.
    round_trip(KeyAlgorithm::P521, "issuer-p521", 132);
}

/// The group order of P-256, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

#[test]
fn ecdsa_signatures_have_low_s() {
    let Some(module) = softhsm() else { return };
    let signer = HsmSigner::generate(config(module, TOKEN, PIN), "low-s-p256", KeyAlgorithm::P256).unwrap();
    let half: Vec<u8> = (0..32)
        .map(|i| (P256_ORDER[i] >> 1) | if i > 0 { (P256_ORDER[i - 1] & 1) << 7 } else { 0 })
        .collect();
    // About half of the token's signatures have a high s before normalizing.
    for i in 0..64u32 {
        let message = i.to_be_bytes();
        let signature = signer.sign(&message).unwrap();
        assert!(signature[32..] <= half[..], "high s written");
        signer.public_key().verify(&message, &signature).unwrap();
    }
}

#[test]
fn eight_threads_sign_at_once() {
    let Some(module) = softhsm() else { return };
    for (algorithm, label) in [
        (KeyAlgorithm::Ed25519, "threads-ed25519"),
        (KeyAlgorithm::P256, "threads-p256"),
    ] {
        let signer = HsmSigner::generate(config(module, TOKEN, PIN), label, algorithm).unwrap();
        let public_key = signer.public_key();
        std::thread::scope(|scope| {
            for thread in 0..8 {
                let signer = &signer;
                scope.spawn(move || {
                    for i in 0..25 {
                        let message = format!("thread {thread}, message {i}");
                        let signature = signer.sign(message.as_bytes()).unwrap();
                        public_key.verify(message.as_bytes(), &signature).unwrap();
                    }
                });
            }
        });
    }
}

#[test]
fn tokio_tasks_share_a_signer() {
    let Some(module) = softhsm() else { return };
    let signer = HsmSigner::generate(config(module, TOKEN, PIN), "tasks-p384", KeyAlgorithm::P384).unwrap();
    let signer = std::sync::Arc::new(signer);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .build()
        .unwrap();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let signer = std::sync::Arc::clone(&signer);
                tokio::task::spawn_blocking(move || {
                    let message = format!("task {i}");
                    let signature = signer.sign(message.as_bytes()).unwrap();
                    signer.public_key().verify(message.as_bytes(), &signature).unwrap();
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

#[test]
fn a_wrong_pin_is_an_error() {
    let Some(module) = softhsm() else { return };
    HsmSigner::generate(config(module, TOKEN, PIN), "pin-check", KeyAlgorithm::Ed25519).unwrap();
    // Whether or not another test holds a session (then the process is
    // logged in to the token already), a wrong PIN is refused.
    for _ in 0..2 {
        let error = HsmSigner::open(config(module, TOKEN, "wrong-pin-9931"), "pin-check").unwrap_err();
        assert!(
            matches!(error, HsmError::PinIncorrect { .. } | HsmError::PinMismatch { .. }),
            "{error:?}"
        );
        assert!(!format!("{error} {error:?}").contains("wrong-pin-9931"));
        let error =
            HsmSigner::generate(config(module, TOKEN, "wrong-pin-9931"), "pin-new", KeyAlgorithm::P256).unwrap_err();
        assert!(
            matches!(error, HsmError::PinIncorrect { .. } | HsmError::PinMismatch { .. }),
            "{error:?}"
        );
    }
    // The right PIN still opens it.
    HsmSigner::open(config(module, TOKEN, PIN), "pin-check").unwrap();
}

#[test]
fn debug_output_has_no_pin() {
    let Some(module) = softhsm() else { return };
    let config = config(module, TOKEN, PIN);
    assert!(!format!("{config:?}").contains(PIN));
    let signer = HsmSigner::generate(config, "debug-ed25519", KeyAlgorithm::Ed25519).unwrap();
    let shown = format!("{signer:?} {signer:#?}");
    assert!(!shown.contains(PIN), "{shown}");
    assert!(shown.contains("debug-ed25519"), "{shown}");
    assert!(shown.contains(&signer.public_key().to_multikey()), "{shown}");
}

#[test]
fn unknown_token_key_and_duplicate_label_are_errors() {
    let Some(module) = softhsm() else { return };
    let error = HsmSigner::open(config(module, "no-such-token", PIN), "x").unwrap_err();
    assert!(matches!(error, HsmError::TokenNotFound { .. }), "{error:?}");
    let error = HsmSigner::open(config(module, TOKEN, PIN), "no-such-key").unwrap_err();
    assert!(matches!(error, HsmError::KeyNotFound { .. }), "{error:?}");

    HsmSigner::generate(config(module, TOKEN, PIN), "taken", KeyAlgorithm::P256).unwrap();
    let error = HsmSigner::generate(config(module, TOKEN, PIN), "taken", KeyAlgorithm::Ed25519).unwrap_err();
    assert!(matches!(error, HsmError::KeyExists { .. }), "{error:?}");
    // Still exactly one key of that label, which opens.
    assert_eq!(
        HsmSigner::open(config(module, TOKEN, PIN), "taken")
            .unwrap()
            .algorithm(),
        KeyAlgorithm::P256
    );
}

#[test]
fn private_key_is_sensitive_and_not_extractable() {
    let Some(module) = softhsm() else { return };
    HsmSigner::generate(config(module, TOKEN, PIN), "attributes-p256", KeyAlgorithm::P256).unwrap();
    let pkcs11 = Pkcs11::new(module).unwrap();
    let slot = token_slot(&pkcs11, TOKEN);
    let session = pkcs11.open_ro_session(slot).unwrap();
    // The process is logged in already while signers are open; log in if not.
    let _ = session.login(UserType::User, Some(&AuthPin::from(PIN)));
    let key = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Label(b"attributes-p256".to_vec()),
        ])
        .unwrap();
    assert_eq!(key.len(), 1);
    let attributes = session
        .get_attributes(
            key[0],
            &[
                cryptoki::object::AttributeType::Token,
                cryptoki::object::AttributeType::Sensitive,
                cryptoki::object::AttributeType::Extractable,
                cryptoki::object::AttributeType::Sign,
            ],
        )
        .unwrap();
    for attribute in attributes {
        match attribute {
            Attribute::Token(v) | Attribute::Sensitive(v) | Attribute::Sign(v) => assert!(v, "{attribute:?}"),
            Attribute::Extractable(v) => assert!(!v, "extractable"),
            other => panic!("{other:?}"),
        }
    }
}

fn token_slot(pkcs11: &Pkcs11, label: &str) -> cryptoki::slot::Slot {
    pkcs11
        .get_slots_with_initialized_token()
        .unwrap()
        .into_iter()
        .find(|slot| pkcs11.get_token_info(*slot).unwrap().label() == label)
        .unwrap()
}

#[test]
fn signing_reconnects_after_a_logout() {
    let Some(module) = softhsm() else { return };
    let signer = HsmSigner::generate(
        config(module, RECONNECT_TOKEN, PIN),
        "reconnect-p256",
        KeyAlgorithm::P256,
    )
    .unwrap();
    // Another handle on the same (already initialized) module logs the
    // process out of the token, as a restarted HSM would.
    let pkcs11 = Pkcs11::new(module).unwrap();
    let session = pkcs11.open_ro_session(token_slot(&pkcs11, RECONNECT_TOKEN)).unwrap();
    session.logout().unwrap();
    let private = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .unwrap();
    assert!(private.is_empty(), "still logged in");
    drop(session);

    let signature = signer.sign(b"after the logout").unwrap();
    signer.public_key().verify(b"after the logout", &signature).unwrap();
    issue_and_verify(&signer);
}

#[test]
fn signing_failure_is_signing_failed() {
    let Some(module) = softhsm() else { return };
    let signer = HsmSigner::generate(config(module, TOKEN, PIN), "doomed-ed25519", KeyAlgorithm::Ed25519).unwrap();
    // Delete the key under the signer: its next signature fails, and the
    // error says so without the PIN.
    let pkcs11 = Pkcs11::new(module).unwrap();
    let session = pkcs11.open_rw_session(token_slot(&pkcs11, TOKEN)).unwrap();
    let _ = session.login(UserType::User, Some(&AuthPin::from(PIN)));
    for key in session
        .find_objects(&[Attribute::Label(b"doomed-ed25519".to_vec())])
        .unwrap()
    {
        session.destroy_object(key).unwrap();
    }
    drop(session);
    let error = signer.sign(b"no key").unwrap_err();
    assert_eq!(error.code(), ErrorCode::SigningFailed);
    assert!(error.detail().contains("doomed-ed25519"), "{}", error.detail());
    assert!(!error.detail().contains(PIN), "{}", error.detail());
}

fn tenant_token(store: common::Store) -> &'static str {
    match store {
        common::Store::Sqlite => SQLITE_TENANT_TOKEN,
        common::Store::Postgres => POSTGRES_TENANT_TOKEN,
    }
}

/// The DID document's verification method `key_id` (its Multikey).
fn method_key(document: &Value, key_id: &str) -> String {
    let suffix = format!("#{key_id}");
    document["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"].as_str().unwrap().ends_with(&suffix))
        .unwrap_or_else(|| panic!("no {key_id} in {document}"))["publicKeyMultibase"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A tenant created with its key in the token issues over HTTP with it;
/// rotated to a local key and back to the token, every generation of
/// credential verifies, and the DID document lists every key.
#[test]
fn a_tenant_with_its_key_in_the_hsm_issues_and_rotates() {
    let Some(module) = softhsm() else { return };
    for store in common::stores() {
        let config = config(module, tenant_token(store), PIN);
        let service = common::start_with(
            store,
            common::Setup {
                hsm: Some(config.clone()),
                hsm_tenant: true,
                ..common::Setup::default()
            },
        );
        let did = passerelle_service::directory::tenant_did(&service.url, "mines");

        // The row: a label, a public key, no sealed secret.
        let rows = service.runtime.block_on(service.db.keys("mines")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].hsm_label.as_deref(), Some("passerelle/mines/key-1"));
        assert!(rows[0].sealed_secret.is_none());
        let in_token = HsmSigner::open(config.clone(), "passerelle/mines/key-1").unwrap();
        assert_eq!(rows[0].public_multikey, in_token.public_key().to_multikey());

        // Issued over HTTP with the token's key; verified over HTTP.
        let first = service.issued("MX-hsm-1");
        assert_eq!(first["proof"]["verificationMethod"], format!("{did}#key-1"));
        assert_eq!(first["proof"]["cryptosuite"], "eddsa-jcs-2022");
        let document = service.get("/tenants/mines/did.json", &[]).body;
        assert_eq!(method_key(&document, "key-1"), in_token.public_key().to_multikey());
        let verified = service.verify(&first, "en");
        assert_eq!(verified.status, 200, "{store:?}: {}", verified.text);
        // The published status list is signed in the token too.
        let list = first["credentialStatus"][0]["statusListCredential"].as_str().unwrap();
        let list = service.get(list.strip_prefix(&service.url).unwrap(), &[]);
        assert_eq!(list.status, 200);
        assert_eq!(list.body["proof"]["verificationMethod"], format!("{did}#key-1"));

        // Rotated to a local key: both keys listed, both generations verify.
        let keys = service.keys();
        let rotate = |algorithm, hsm| {
            service.runtime.block_on(passerelle_service::admin::rotate_key(
                &service.db,
                &keys,
                "mines",
                algorithm,
                hsm,
                "test",
                common::clock(),
            ))
        };
        // Not by omitting --hsm (an outside review saw a local key quietly
        // take the HSM key's place), only when asked for by name.
        let refused = rotate(passerelle_service::keys::Algorithm::P256, false).unwrap_err();
        assert!(
            matches!(refused, passerelle_service::admin::AdminError::KeyInHsm(_)),
            "{refused}"
        );
        assert_eq!(service.runtime.block_on(service.db.keys("mines")).unwrap().len(), 1);
        let local = service
            .runtime
            .block_on(passerelle_service::admin::rotate_key_out_of_hsm(
                &service.db,
                &keys,
                "mines",
                passerelle_service::keys::Algorithm::P256,
                "test",
                common::clock(),
            ));
        assert_eq!(local.unwrap(), "key-2");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let second = service.issued("MX-local-2");
        assert_eq!(second["proof"]["verificationMethod"], format!("{did}#key-2"));
        let rows = service.runtime.block_on(service.db.keys("mines")).unwrap();
        assert!(rows[1].hsm_label.is_none() && rows[1].sealed_secret.is_some());
        let document = service.get("/tenants/mines/did.json", &[]).body;
        assert_eq!(document["verificationMethod"].as_array().unwrap().len(), 2);
        assert_eq!(method_key(&document, "key-1"), in_token.public_key().to_multikey());
        for credential in [&first, &second] {
            let verified = service.verify(credential, "en");
            assert_eq!(verified.status, 200, "{store:?}: {}", verified.text);
        }

        // And back to the token, with a P-256 key this time.
        assert_eq!(
            rotate(passerelle_service::keys::Algorithm::P256, true).unwrap(),
            "key-3"
        );
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let third = service.issued("MX-hsm-3");
        assert_eq!(third["proof"]["verificationMethod"], format!("{did}#key-3"));
        assert_eq!(third["proof"]["cryptosuite"], "ecdsa-jcs-2019");
        let key_3 = HsmSigner::open(config.clone(), "passerelle/mines/key-3").unwrap();
        let document = service.get("/tenants/mines/did.json", &[]).body;
        assert_eq!(document["verificationMethod"].as_array().unwrap().len(), 3);
        assert_eq!(method_key(&document, "key-3"), key_3.public_key().to_multikey());
        for credential in [&first, &second, &third] {
            let verified = service.verify(credential, "en");
            assert_eq!(verified.status, 200, "{store:?}: {}", verified.text);
        }
        // An existing tenant is refused before a key is made in the token.
        let taken = service.runtime.block_on(passerelle_service::admin::create_tenant(
            &service.db,
            &keys,
            &service.url,
            &passerelle_service::admin::NewTenant {
                id: "mines",
                types: &["MinesPermit".to_owned()],
                algorithm: passerelle_service::keys::Algorithm::Ed25519,
                audit_claims: false,
                hsm: true,
                method: passerelle_service::admin::DidMethod::Web,
            },
            common::clock(),
        ));
        assert!(taken.unwrap_err().to_string().contains("exists"));
    }
}

/// An instance without the token, or whose token's key is not the one in
/// the database, refuses to load the tenant, and says which and why.
#[test]
fn a_tenant_whose_hsm_key_cannot_be_had_is_refused_clearly() {
    let Some(module) = softhsm() else { return };
    let store = common::Store::Sqlite;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let scratch = common::Scratch::new("hsm-refused");
    let url = common::fresh_database(&runtime, store, &scratch);
    let config = config(module, TOKEN, PIN);
    let keys = passerelle_service::keys::KeyStore::new(common::kek(), Some(config.clone()));
    let public_url = "https://issuer.example";
    runtime.block_on(async {
        let db = passerelle_service::db::Db::connect(&url).await.unwrap();
        let types = vec!["MinesPermit".to_owned()];
        let new = passerelle_service::admin::NewTenant {
            id: "refused",
            types: &types,
            algorithm: passerelle_service::keys::Algorithm::Ed25519,
            audit_claims: false,
            hsm: true,
            method: passerelle_service::admin::DidMethod::Web,
        };
        passerelle_service::admin::create_tenant(&db, &keys, public_url, &new, common::clock())
            .await
            .unwrap();
        // Loads with the token.
        passerelle_service::AppState::new(db.clone(), keys, public_url, common::clock)
            .await
            .unwrap();
        // Without it the service starts; that tenant alone cannot sign, and
        // why names the tenant and the missing configuration.
        let state = passerelle_service::AppState::new(db.clone(), common::kek(), public_url, common::clock)
            .await
            .unwrap();
        let reason = state.directory.unavailable("refused").unwrap().reason;
        assert!(
            reason.contains("refused") && reason.contains("--pkcs11-module"),
            "{reason}"
        );
        assert_eq!(
            state.tenant("refused").await.err().unwrap().code(),
            ErrorCode::KeyInvalid.as_str()
        );
        // With a database key that is not the token's.
        let other = passerelle::crypto::Ed25519KeyPair::from_seed(&[9; 32])
            .public_key()
            .to_multikey();
        sqlx::query("UPDATE tenant_keys SET public_multikey = $1 WHERE tenant_id = 'refused'")
            .bind(&other)
            .execute(db.pool())
            .await
            .unwrap();
        let keys = passerelle_service::keys::KeyStore::new(common::kek(), Some(config));
        let state = passerelle_service::AppState::new(db, keys, public_url, common::clock)
            .await
            .unwrap();
        let reason = state.directory.unavailable("refused").unwrap().reason;
        assert!(
            reason.contains("refused") && reason.contains("passerelle/refused/key-1") && reason.contains(&other),
            "{reason}"
        );
        assert!(!reason.contains(PIN));
    });
}
