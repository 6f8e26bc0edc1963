//! The demo's age credential: a `vc+sd-jwt` the BC identity office
//! issues with the birth date and the over-19 claim disclosable, shown at a
//! counter with the over-19 claim alone (and the negatives a clerk's
//! verifier must catch). Needs the `sd-jwt` and `ecdsa` features.
// Also read by tests/cli.rs, which uses part of it.
#![allow(dead_code)]

use serde_json::json;

use crate::federation::{credential, issuer_of, names, t, BC_ID, ISSUED, NOW};

/// The counter clerk's request the age credential is shown for: its nonce
/// (`verify --challenge`) and the clerk's site (`--domain`).
pub const CLERK_NONCE: &str = "counter-7f3a";
pub const CLERK: &str = "https://clerk.bc.passerelle.example";

/// A line whose credential is text (a `vc+sd-jwt` presentation), verified
/// with the clerk's nonce and domain.
pub struct PresentedLine {
    pub file: &'static str,
    pub case: [&'static str; 2],
    pub name: [&'static str; 2],
    pub issuer: &'static str,
    pub text: String,
    /// The claims the clerk asks for (`verify --require-claim`).
    pub required: &'static [&'static str],
    pub expected: Option<&'static str>,
}

/// What the counter asks for: the over-19 claim.
pub const OVER_19: &[&str] = &["/credentialSubject/ageOver19"];

fn holder_key() -> passerelle::crypto::P256KeyPair {
    passerelle::crypto::P256KeyPair::from_secret_bytes(&[0x1B; 32]).expect("demo holder key")
}

/// The provincial age credential, issued as a `vc+sd-jwt` with the birth
/// date and the over-19 claim disclosable and the holder's key in `cnf`.
pub fn age_credential() -> String {
    use passerelle::crypto::Signer as _;
    let unsigned = credential(
        BC_ID,
        "AgeCredential",
        names("Age Credential", "Attestation d’âge", false),
        json!({"birthDate": "1990-05-01", "ageOver19": true}),
    );
    issuer_of(BC_ID)
        .issue_sd_jwt(
            unsigned,
            &["/credentialSubject/birthDate", "/credentialSubject/ageOver19"],
            Some(holder_key().public_key()),
            t(ISSUED),
        )
        .expect("age credential")
}

/// The age credential shown at the counter: the over-19 claim alone, bound
/// to `nonce`.
fn shown_over_19(issued: &str, nonce: &str) -> String {
    let holder = holder_key();
    let binding = passerelle::sd_jwt::KeyBinding {
        signer: &holder,
        nonce,
        audience: CLERK,
        issued_at: t(NOW),
    };
    passerelle::sd_jwt::present(
        issued,
        &["/credentialSubject/ageOver19"],
        Some(&binding),
        Default::default(),
    )
    .expect("presentation")
}

pub fn presented_lines() -> Vec<PresentedLine> {
    let issued = age_credential();
    let shown = shown_over_19(&issued, CLERK_NONCE);
    let parts: Vec<&str> = shown.split('~').collect();
    let line = |file, case, text, expected| PresentedLine {
        file,
        case,
        name: ["Age Credential", "Attestation d’âge"],
        issuer: BC_ID,
        text,
        required: OVER_19,
        expected,
    };
    vec![
        line(
            "bc-age-over-19.sdjwt",
            ["BC, over 19 shown alone", "C.-B., 19 ans et plus seul"],
            shown.clone(),
            None,
        ),
        line(
            "negative-age-other-nonce.sdjwt",
            ["shown for another request", "montrée pour une autre demande"],
            shown_over_19(&issued, "another-counter"),
            Some("KEY_BINDING_NONCE_MISMATCH"),
        ),
        line(
            "negative-age-reused-disclosure.sdjwt",
            ["a disclosure sent twice", "divulgation envoyée deux fois"],
            format!("{}~{}~{}~{}", parts[0], parts[1], parts[1], parts[2]),
            Some("SD_JWT_DIGEST_REUSED"),
        ),
        PresentedLine {
            required: &["/credentialSubject/ageOver19", "/credentialSubject/birthDate"],
            ..line(
                "negative-age-birth-date-withheld.sdjwt",
                ["birth date asked, not shown", "date de naissance demandée, cachée"],
                shown.clone(),
                Some("REQUIRED_CLAIM_MISSING"),
            )
        },
        line(
            "negative-age-no-holder-proof.sdjwt",
            ["forwarded without its holder", "transmise sans son titulaire"],
            issued,
            Some("KEY_BINDING_MISSING"),
        ),
    ]
}
