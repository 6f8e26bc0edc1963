//! A self-signed certificate for 127.0.0.1, made for the test, written as
//! the PEM files `--tls-cert` and `--tls-key` take, and an HTTP agent
//! that trusts it (and nothing else).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;

/// A certificate and key in PEM files, and the certificate's DER.
#[derive(Clone, Debug)]
pub struct TestCert {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub der: Vec<u8>,
    /// The key file's text, to check it appears nowhere.
    pub key_pem: String,
}

/// PEM text: the label's armour around the base64 of `der`, 64 columns.
pub fn pem(label: &str, der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// A new self-signed certificate for 127.0.0.1 in `dir`, its files named
/// after `name`.
pub fn self_signed(dir: &Path, name: &str) -> TestCert {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let der = made.cert.der().to_vec();
    let key_pem = pem("PRIVATE KEY", &made.signing_key.serialize_der());
    let cert = dir.join(format!("{name}-cert.pem"));
    let key = dir.join(format!("{name}-key.pem"));
    std::fs::write(&cert, pem("CERTIFICATE", &der)).unwrap();
    std::fs::write(&key, &key_pem).unwrap();
    TestCert {
        cert,
        key,
        der,
        key_pem,
    }
}

/// An agent that trusts `der` as its only root; HTTP errors are answers.
pub fn agent_trusting(der: &[u8]) -> ureq::Agent {
    let root = ureq::tls::Certificate::from_der(der).to_owned();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![root])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}
