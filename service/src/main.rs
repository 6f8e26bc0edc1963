//! `passerelle-service`: serve (the default), and administer tenants, API
//! keys and signing keys in the same database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use passerelle::Timestamp;
use passerelle_service::admin::{self, AdminError};
use passerelle_service::auth::Scope;
use passerelle_service::db::Db;
use passerelle_service::http::{self, Limits};
use passerelle_service::keys::{Algorithm, Kek};
use passerelle_service::{router, AppState};

/// The default database: a SQLite file under ./data.
const DEFAULT_DATABASE: &str = "sqlite://data/passerelle.db";

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
    /// The URL clients reach the service at; tenants' did:web DIDs derive from it.
    #[arg(
        long,
        global = true,
        env = "PASSERELLE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// The key-encryption key file (base64url, 32 bytes), unless PASSERELLE_KEK is set.
    #[arg(long, global = true, default_value = "data/kek")]
    kek_file: PathBuf,
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
    },
}

fn algorithm(name: &str) -> Result<Algorithm, AdminError> {
    Algorithm::parse(name).ok_or_else(|| AdminError::Invalid(format!("unknown algorithm {name:?}: ed25519 or p256")))
}

async fn run(cli: Cli) -> Result<(), AdminError> {
    let default_database = cli.database == DEFAULT_DATABASE;
    let db = Db::connect(&cli.database).await?;
    let kek = Kek::load(&cli.kek_file, default_database)?;
    let now = Timestamp::now();
    match cli.command.unwrap_or(Command::Serve {
        listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
    }) {
        Command::Serve { listen } => {
            if default_database {
                let key_file = cli.kek_file.with_file_name("demo-api-key");
                if let Some(did) = admin::bootstrap_demo(&db, &kek, &cli.public_url, &key_file, now).await? {
                    println!(
                        "created tenant {} ({did}); its API key is in {}",
                        admin::DEMO_TENANT,
                        key_file.display()
                    );
                }
            }
            let state = AppState::new(db, kek, &cli.public_url, Timestamp::now)
                .await
                .map_err(|e| AdminError::Invalid(e.to_string()))?;
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| AdminError::Invalid(format!("{listen}: {e}")))?;
            println!(
                "passerelle-service listening on http://{listen} (public URL {})",
                cli.public_url
            );
            http::serve(listener, router(state), Limits::default(), http::shutdown_signal()).await;
            println!("passerelle-service stopped");
        }
        Command::Tenant(TenantCommand::Create {
            name,
            types,
            algorithm: alg,
            audit_claims,
        }) => {
            let new = admin::NewTenant {
                id: &name,
                types: &types,
                algorithm: algorithm(&alg)?,
                audit_claims,
            };
            let did = admin::create_tenant(&db, &kek, &cli.public_url, &new, now).await?;
            println!("{did}");
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
        Command::Key(KeyCommand::Rotate { tenant, algorithm: alg }) => {
            let key_id = admin::rotate_key(&db, &kek, &tenant, algorithm(&alg)?, "cli", now).await?;
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
