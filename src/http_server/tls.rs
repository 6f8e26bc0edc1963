//! TLS for the server loop: a certificate chain and its private key read
//! from PEM files, served with rustls (TLS 1.2 and 1.3, the `ring`
//! provider, ALPN `http/1.1`: the loop speaks HTTP/1.1 only).

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use crate::error::Lang;

/// The largest certificate or key file read: a chain of a few
/// certificates is a few KB; a path to something else (a device, a log)
/// is refused instead of read without end.
const MAX_PEM_BYTES: u64 = 1 << 20;

/// A server certificate chain and its private key, ready to accept TLS
/// connections. Its `Debug` output names no key material.
#[derive(Clone)]
pub struct TlsConfig {
    pub(super) acceptor: tokio_rustls::TlsAcceptor,
    certificates: usize,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("certificates", &self.certificates)
            .field("private_key", &"[redacted]")
            .finish()
    }
}

impl TlsConfig {
    /// Reads the certificate chain from `cert` (PEM `CERTIFICATE` blocks,
    /// the server's own first, then the intermediates) and its private key
    /// from `key` (a PEM `PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE
    /// KEY` block), and checks that the key is the certificate's.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<TlsConfig, TlsError> {
        let chain = read_chain(cert)?;
        let certificates = chain.len();
        let private_key = read_key(key)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let refused = |e: rustls::Error| match e {
            rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => TlsError::KeyMismatch {
                cert: cert.to_owned(),
                key: key.to_owned(),
            },
            other => TlsError::Refused {
                cert: cert.to_owned(),
                key: key.to_owned(),
                reason: other.to_string(),
            },
        };
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(refused)?
            .with_no_client_auth()
            .with_single_cert(chain, private_key)
            .map_err(refused)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsConfig {
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            certificates,
        })
    }
}

/// The file's bytes, at most [`MAX_PEM_BYTES`], in memory wiped on drop
/// (the key file's are secret).
fn read(file: &Path) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let unreadable = |e: std::io::Error| TlsError::Unreadable {
        file: file.to_owned(),
        reason: e.to_string(),
    };
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_PEM_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        return Err(TlsError::TooLarge { file: file.to_owned() });
    }
    Ok(bytes)
}

fn read_chain(file: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read(file)?;
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| TlsError::BadPem { file: file.to_owned() })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate { file: file.to_owned() });
    }
    Ok(chain)
}

fn read_key(file: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let pem = read(file)?;
    // The reader's own errors are not passed on: they may quote the file.
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| match e {
        pem::Error::NoItemsFound => TlsError::NoKey { file: file.to_owned() },
        _ => TlsError::BadPem { file: file.to_owned() },
    })
}

/// Why a certificate or key file cannot be served. Each names the file;
/// none quotes it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsError {
    /// The file cannot be opened or read.
    Unreadable {
        /// The file.
        file: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The file is over 1 MiB: not a certificate or key file.
    TooLarge {
        /// The file.
        file: PathBuf,
    },
    /// A PEM block of the file does not decode.
    BadPem {
        /// The file.
        file: PathBuf,
    },
    /// The certificate file has no PEM `CERTIFICATE` block.
    NoCertificate {
        /// The file.
        file: PathBuf,
    },
    /// The key file has no PEM private key block.
    NoKey {
        /// The file.
        file: PathBuf,
    },
    /// The private key is not the one of the chain's first certificate.
    KeyMismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },
    /// rustls refused the certificate or the key (an unsupported key type,
    /// a certificate that does not parse).
    Refused {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// rustls' reason.
        reason: String,
    },
}

impl TlsError {
    /// The message, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (TlsError::Unreadable { file, reason }, Lang::En) => format!("cannot read {}: {reason}", file.display()),
            (TlsError::Unreadable { file, reason }, Lang::Fr) => {
                format!("impossible de lire {} : {reason}", file.display())
            }
            (TlsError::TooLarge { file }, Lang::En) => {
                format!("{}: over 1 MiB, not a certificate or key file", file.display())
            }
            (TlsError::TooLarge { file }, Lang::Fr) => {
                format!(
                    "{} : plus de 1 Mio, pas un fichier de certificat ou de clé",
                    file.display()
                )
            }
            (TlsError::BadPem { file }, Lang::En) => format!("{}: a PEM block does not decode", file.display()),
            (TlsError::BadPem { file }, Lang::Fr) => {
                format!("{} : un bloc PEM ne se décode pas", file.display())
            }
            (TlsError::NoCertificate { file }, Lang::En) => {
                format!("{}: no PEM CERTIFICATE block", file.display())
            }
            (TlsError::NoCertificate { file }, Lang::Fr) => {
                format!("{} : aucun bloc PEM CERTIFICATE", file.display())
            }
            (TlsError::NoKey { file }, Lang::En) => format!(
                "{}: no PEM private key block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)",
                file.display()
            ),
            (TlsError::NoKey { file }, Lang::Fr) => format!(
                "{} : aucun bloc PEM de clé privée (PRIVATE KEY, RSA PRIVATE KEY ou EC PRIVATE KEY)",
                file.display()
            ),
            (TlsError::KeyMismatch { cert, key }, Lang::En) => format!(
                "{}: not the private key of the certificate in {}",
                key.display(),
                cert.display()
            ),
            (TlsError::KeyMismatch { cert, key }, Lang::Fr) => format!(
                "{} : pas la clé privée du certificat de {}",
                key.display(),
                cert.display()
            ),
            (TlsError::Refused { cert, key, reason }, Lang::En) => {
                format!("{} and {}: refused by TLS: {reason}", cert.display(), key.display())
            }
            (TlsError::Refused { cert, key, reason }, Lang::Fr) => {
                format!("{} et {} : refusés par TLS : {reason}", cert.display(), key.display())
            }
        }
    }
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TlsError {}
