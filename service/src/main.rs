//! `passerelle-service`: serve (the default), and administer tenants, API
//! keys and signing keys in the same database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use passerelle::net::allow::AllowedHost;
use passerelle::Timestamp;
use passerelle_service::admin::{self, AdminError};
use passerelle_service::auth::Scope;
use passerelle_service::db::Db;
use passerelle_service::hsm::Pkcs11Config;
use passerelle_service::http::{self, Limits};
use passerelle_service::jwks::JwksUrl;
use passerelle_service::keys::{Algorithm, Kek, KeyStore};
use passerelle_service::oauth::OAuth;
use passerelle_service::ratelimit::RateLimiter;
use passerelle_service::{router, AppState};

/// The default database: a SQLite file under ./data.
const DEFAULT_DATABASE: &str = "sqlite://data/passerelle.db";

/// The environment variable holding the PKCS#11 user PIN (never a flag:
/// a flag shows in `ps`).
const PIN_VARIABLE: &str = "PASSERELLE_PKCS11_PIN";

#[derive(Parser)]
#[command(
    name = "passerelle-service",
    version,
    about = "Issue, verify and manage the status of W3C Verifiable Credentials over HTTP (VCALM)."
)]
struct Cli {
    /// The database: sqlite://FILE or postgres://USER@HOST:PORT/DB.
    #[arg(long, global = true, env = "PASSERELLE_DATABASE", default_value = DEFAULT_DATABASE)]
    database: String,
    /// The URL clients reach the service at; tenants' DIDs (did:web, did:webvh) derive from it.
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        value_parser = public_url
    )]
    public_url: String,
    /// The key-encryption key file (base64url, 32 bytes), unless PASSERELLE_KEK is set.
    #[arg(long, global = true, default_value = "data/kek")]
    kek_file: PathBuf,
    /// The PKCS#11 module (shared library) of the HSM holding tenants' HSM
    /// keys; the user PIN is read from PASSERELLE_PKCS11_PIN.
    #[arg(long, global = true, env = "PASSERELLE_PKCS11_MODULE", requires = "pkcs11_token")]
    pkcs11_module: Option<PathBuf>,
    /// The label of the PKCS#11 token holding tenants' HSM keys.
    #[arg(long, global = true, env = "PASSERELLE_PKCS11_TOKEN", requires = "pkcs11_module")]
    pkcs11_token: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// An OAuth authorization server whose access tokens (RFC 9068 JWTs)
        /// are accepted besides API keys: its `iss` value (repeatable, one
        /// --oauth-jwks each, in the same order).
        #[arg(long = "oauth-issuer", requires = "oauth_jwks")]
        oauth_issuers: Vec<String>,
        /// The JWKS of the --oauth-issuer of the same position: a file, or
        /// an https:// URL fetched at start and kept fresh.
        #[arg(long = "oauth-jwks", requires = "oauth_issuers")]
        oauth_jwks: Vec<String>,
        /// A host (HOST or HOST:PORT) whose JWKS URL may be fetched at a
        /// private or loopback address (repeatable); plain http:// only to
        /// such a host, on loopback.
        #[arg(long = "oauth-allow-host", value_parser = parse_allowed_host)]
        oauth_allow_hosts: Vec<AllowedHost>,
        /// The audience access tokens must name in `aud` (default: the public URL).
        #[arg(long, env = "PASSERELLE_OAUTH_AUDIENCE")]
        oauth_audience: Option<String>,
        /// Requests a second each client (an address, and a bearer credential) may send; 0: no limit.
        #[arg(long, default_value_t = passerelle_service::ratelimit::DEFAULT_PER_SECOND)]
        rate_limit: u32,
        /// The address of a reverse proxy in front of the service
        /// (repeatable): from it, the client address is taken from
        /// `X-Forwarded-For`.
        #[arg(long = "trusted-proxy", value_name = "IP")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Verification needs a credential with the `verify` scope (else
        /// the verification endpoints are public).
        #[arg(long, env = "PASSERELLE_VERIFY_REQUIRES_AUTH")]
        verify_requires_auth: bool,
        /// A trust registry trusted as a root (DID; repeatable): issuance is
        /// refused for types the tenant's registry does not authorize.
        #[arg(long = "trust-anchor", requires = "registries")]
        trust_anchors: Vec<String>,
        /// A signed registry snapshot file (repeatable).
        #[arg(long = "registry", requires = "trust_anchors")]
        registries: Vec<PathBuf>,
        /// A registry's DID document file, for did:web registries (repeatable).
        #[arg(long = "registry-did-document")]
        registry_did_documents: Vec<PathBuf>,
        /// Serve HTTPS with this certificate chain (PEM, the server's
        /// certificate first); with --tls-key, and an https:// public URL.
        #[arg(long, env = "PASSERELLE_TLS_CERT", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key (PEM) of --tls-cert.
        #[arg(long, env = "PASSERELLE_TLS_KEY", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Manage tenants.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Manage tenants' signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Manage tenants' status lists.
    #[command(subcommand)]
    List(ListCommand),
}

#[derive(Subcommand)]
enum ListCommand {
    /// Open a tenant's next status list of a purpose: issuances take their
    /// indexes from it from now on (the older lists keep their entries).
    Create {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// revocation or suspension.
        #[arg(long)]
        purpose: String,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant (an issuing body) with a new signing key; prints its DID.
    Create {
        /// Its name in URLs (a-z, 0-9, -).
        name: String,
        /// A credential type it may issue (repeatable).
        #[arg(long = "type", required = true)]
        types: Vec<String>,
        /// The key algorithm: ed25519 or p256.
        #[arg(long, default_value = "ed25519")]
        algorithm: String,
        /// Keep the subjects' claims in the audit log.
        #[arg(long)]
        audit_claims: bool,
        /// Generate its key in the PKCS#11 token (--pkcs11-module, --pkcs11-token).
        #[arg(long)]
        hsm: bool,
        /// Its DID's method: web (a DID document) or webvh (a log of signed
        /// versions of it; the public URL's host must be a domain name).
        #[arg(long, default_value = "web")]
        method: String,
    },
    /// Replace the credential types a tenant may issue; running instances
    /// take the change within a second.
    SetTypes {
        /// The tenant.
        name: String,
        /// The credential types it may issue from now on.
        #[arg(required = true)]
        types: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ApiKeyCommand {
    /// Create an API key; prints it once (only its digest is stored).
    Create {
        /// The tenant it acts for.
        #[arg(long)]
        tenant: String,
        /// A scope: issue, status, admin (repeatable).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// A label for the audit log.
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// Revoke a tenant's API keys of a label (instances stop accepting
    /// them within 10 s).
    Revoke {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// The label given when they were created.
        #[arg(long)]
        label: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Give a tenant a new signing key; old keys stay in its DID document.
    Rotate {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// The key algorithm: ed25519 or p256.
        #[arg(long, default_value = "ed25519")]
        algorithm: String,
        /// Generate the key in the PKCS#11 token (--pkcs11-module, --pkcs11-token).
        #[arg(long, conflicts_with = "leave_hsm")]
        hsm: bool,
        /// A local key for a tenant that signs with an HSM key (refused
        /// without this flag).
        #[arg(long)]
        leave_hsm: bool,
    },
    /// Retire a key that no longer signs (rotate first): it leaves the DID
    /// document, and what it signed stops verifying (a stolen key).
    Retire {
        /// The tenant.
        #[arg(long)]
        tenant: String,
        /// The key's id (`key-1`).
        #[arg(long)]
        key: String,
    },
}

fn did_method(name: &str) -> Result<admin::DidMethod, AdminError> {
    admin::DidMethod::parse(name)
        .ok_or_else(|| AdminError::Invalid(format!("unknown DID method {name:?}: web or webvh")))
}

fn algorithm(name: &str) -> Result<Algorithm, AdminError> {
    Algorithm::parse(name).ok_or_else(|| AdminError::Invalid(format!("unknown algorithm {name:?}: ed25519 or p256")))
}

/// The PKCS#11 token of the options, with the PIN from the environment.
fn pkcs11(module: Option<PathBuf>, token: Option<String>) -> Result<Option<Pkcs11Config>, AdminError> {
    match (module, token) {
        (None, None) => Ok(None),
        (Some(module), Some(token)) => {
            let pin = std::env::var(PIN_VARIABLE).map_err(|_| {
                AdminError::Invalid(format!(
                    "--pkcs11-module is given: set the token's user PIN in {PIN_VARIABLE}"
                ))
            })?;
            Ok(Some(Pkcs11Config::new(module, token, pin)))
        }
        _ => Err(AdminError::Invalid(
            "give both --pkcs11-module and --pkcs11-token, or neither".into(),
        )),
    }
}

fn parse_allowed_host(text: &str) -> Result<AllowedHost, String> {
    AllowedHost::parse(text).map_err(|e| e.detail().to_owned())
}

/// The public URL as given, if it is `http://` or `https://` (in lower
/// case, as the DIDs and status list URLs made from it are compared) with
/// a host.
fn public_url(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or("the public URL starts with https:// or http:// (in lower case)")?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err("the public URL names a host".into());
    }
    Ok(text.to_owned())
}

/// The certificate and key of the options, if any: both or neither, and
/// an https:// public URL with them.
fn tls(cert: Option<PathBuf>, key: Option<PathBuf>, public_url: &str) -> Result<Option<http::TlsConfig>, AdminError> {
    match (cert, key) {
        (None, None) => Ok(None),
        (Some(cert), Some(key)) => {
            http::check_public_url_for_tls(public_url).map_err(AdminError::Invalid)?;
            http::TlsConfig::from_pem_files(&cert, &key)
                .map(Some)
                .map_err(|e| AdminError::Invalid(e.to_string()))
        }
        // clap refuses one without the other on the command line; this
        // is for the environment variables.
        _ => Err(AdminError::Invalid(
            "give both --tls-cert and --tls-key (PASSERELLE_TLS_CERT, PASSERELLE_TLS_KEY), or neither".into(),
        )),
    }
}

/// The authorization servers of the options, if any. A JWKS given as a URL
/// is fetched here (blocking).
fn oauth(
    issuers: &[String],
    jwks: &[String],
    allowed_hosts: &[AllowedHost],
    audience: Option<String>,
    public_url: &str,
) -> Result<Option<OAuth>, AdminError> {
    if issuers.is_empty() && jwks.is_empty() {
        return Ok(None);
    }
    if issuers.len() != jwks.len() {
        return Err(AdminError::Invalid(format!(
            "{} --oauth-issuer and {} --oauth-jwks: give one JWKS file or URL per issuer",
            issuers.len(),
            jwks.len()
        )));
    }
    let audience = audience.unwrap_or_else(|| public_url.trim_end_matches('/').to_owned());
    let invalid = |e: passerelle_service::oauth::ConfigError| AdminError::Invalid(e.to_string());
    let mut oauth = OAuth::new(audience).map_err(invalid)?;
    for (issuer, source) in issuers.iter().zip(jwks) {
        if source.starts_with("https://") || source.starts_with("http://") {
            let url = JwksUrl::new(source, allowed_hosts).map_err(invalid)?;
            oauth.add_issuer_url(issuer, url).map_err(invalid)?;
        } else {
            oauth.add_issuer_file(issuer, Path::new(source)).map_err(invalid)?;
        }
    }
    Ok(Some(oauth))
}

async fn run(cli: Cli) -> Result<(), AdminError> {
    let default_database = cli.database == DEFAULT_DATABASE;
    let hsm = pkcs11(cli.pkcs11_module, cli.pkcs11_token)?;
    let db = Db::connect(&cli.database).await?;
    let keys = KeyStore::new(Kek::load(&cli.kek_file, default_database)?, hsm);
    let now = Timestamp::now();
    match cli.command.unwrap_or(Command::Serve {
        listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
        oauth_issuers: Vec::new(),
        oauth_jwks: Vec::new(),
        oauth_allow_hosts: Vec::new(),
        oauth_audience: None,
        rate_limit: passerelle_service::ratelimit::DEFAULT_PER_SECOND,
        trusted_proxies: Vec::new(),
        verify_requires_auth: false,
        trust_anchors: Vec::new(),
        registries: Vec::new(),
        registry_did_documents: Vec::new(),
        tls_cert: None,
        tls_key: None,
    }) {
        Command::Serve {
            listen,
            oauth_issuers,
            oauth_jwks,
            oauth_allow_hosts,
            oauth_audience,
            rate_limit,
            trusted_proxies,
            verify_requires_auth,
            trust_anchors,
            registries,
            registry_did_documents,
            tls_cert,
            tls_key,
        } => {
            let tls = tls(tls_cert, tls_key, &cli.public_url)?;
            // JWKS URLs are fetched before serving; blocking is fine then.
            let oauth = tokio::task::block_in_place(|| {
                oauth(
                    &oauth_issuers,
                    &oauth_jwks,
                    &oauth_allow_hosts,
                    oauth_audience,
                    &cli.public_url,
                )
            })?;
            if default_database {
                let key_file = cli.kek_file.with_file_name("demo-api-key");
                if let Some(did) = admin::bootstrap_demo(&db, &keys, &cli.public_url, &key_file, now).await? {
                    println!(
                        "created tenant {} ({did}); its API key is in {}",
                        admin::DEMO_TENANT,
                        key_file.display()
                    );
                }
            }
            let mut state = AppState::new(db, keys, &cli.public_url, Timestamp::now)
                .await
                .map_err(|e| AdminError::Invalid(e.to_string()))?
                .with_rate_limiter(RateLimiter::new(rate_limit).with_trusted_proxies(trusted_proxies.clone()));
            if verify_requires_auth {
                state = state.with_authenticated_verification();
            }
            if !trust_anchors.is_empty() {
                let sources = passerelle_service::trust::TrustSources {
                    anchors: trust_anchors,
                    snapshots: registries,
                    did_documents: registry_did_documents,
                };
                let store = passerelle_service::trust::load(&sources, now).map_err(AdminError::Invalid)?;
                state = state.with_trust(store);
            }
            if let Some(oauth) = oauth {
                state = state.with_oauth(oauth);
            }
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| AdminError::Invalid(format!("{listen}: {e}")))?;
            println!(
                "passerelle-service listening on {}://{listen} (public URL {})",
                if tls.is_some() { "https" } else { "http" },
                cli.public_url
            );
            let mut limits = Limits::default();
            if !trusted_proxies.is_empty() {
                // Every connection comes from a proxy: the proxy limits
                // its clients' connections, not this per-address share.
                limits.max_connections_per_address = limits.max_connections;
            }
            http::serve(listener, router(state), limits, tls, http::shutdown_signal()).await;
            println!("passerelle-service stopped");
        }
        Command::Tenant(TenantCommand::Create {
            name,
            types,
            algorithm: alg,
            audit_claims,
            hsm,
            method,
        }) => {
            let new = admin::NewTenant {
                id: &name,
                types: &types,
                algorithm: algorithm(&alg)?,
                audit_claims,
                hsm,
                method: did_method(&method)?,
            };
            let did = admin::create_tenant(&db, &keys, &cli.public_url, &new, now).await?;
            println!("{did}");
        }
        Command::Tenant(TenantCommand::SetTypes { name, types }) => {
            admin::set_types(&db, &name, &types, "cli", now).await?;
            println!("{name} may issue {}", types.join(", "));
        }
        Command::ApiKey(ApiKeyCommand::Revoke { tenant, label }) => {
            let n = db.revoke_api_keys(&tenant, &label).await?;
            if n == 0 {
                return Err(AdminError::Invalid(format!(
                    "tenant {tenant:?} has no API key labelled {label:?}"
                )));
            }
            println!("{n} API key(s) of {tenant} labelled {label} revoked");
        }
        Command::ApiKey(ApiKeyCommand::Create { tenant, scopes, label }) => {
            let scopes = scopes
                .iter()
                .map(|s| {
                    Scope::parse(s)
                        .ok_or_else(|| AdminError::Invalid(format!("unknown scope {s:?}: issue, status, admin")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            println!("{}", admin::create_api_key(&db, &tenant, &scopes, &label, now).await?);
        }
        Command::Key(KeyCommand::Retire { tenant, key }) => {
            admin::retire_key(&db, &keys, &tenant, &key, "cli", now).await?;
            println!("{tenant}: {key} retired");
        }
        Command::List(ListCommand::Create { tenant, purpose }) => {
            let url = admin::create_list(&db, &cli.public_url, &tenant, &purpose, "cli", now).await?;
            println!("{tenant}: {url} takes new {purpose} entries from now on");
        }
        Command::Key(KeyCommand::Rotate {
            tenant,
            algorithm: alg,
            hsm,
            leave_hsm,
        }) => {
            let key_id = if leave_hsm {
                admin::rotate_key_out_of_hsm(&db, &keys, &tenant, algorithm(&alg)?, "cli", now).await?
            } else {
                admin::rotate_key(&db, &keys, &tenant, algorithm(&alg)?, hsm, "cli", now).await?
            };
            println!("{tenant}: {key_id} signs from now on");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PASSERELLE_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_public_url_is_lower_case_http_or_https_with_a_host() {
        assert!(super::public_url("https://issuer.example").is_ok());
        assert!(super::public_url("http://127.0.0.1:8080").is_ok());
        // An outside review got did:web:HTTPS%3A:… from an upper-case scheme.
        for refused in [
            "HTTPS://issuer.example",
            "ftp://issuer.example",
            "https://",
            "https:///x",
            "issuer.example",
        ] {
            assert!(super::public_url(refused).is_err(), "{refused}");
        }
    }
}
