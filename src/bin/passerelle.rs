//! `passerelle`: issue and verify W3C Verifiable Credentials from the command line.
//!
//! Exit codes: 0 success (for `verify`, only when verified), 1 not verified
//! or a failed test vector, 2 usage or input error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use passerelle::crypto::{Ed25519KeyPair, P256KeyPair, P384KeyPair, P521KeyPair, Signer};
use passerelle::did::{DidDocument, DidResolver, VerificationMethod};
use passerelle::inputs::Inputs;
use passerelle::json::{parse_object, parse_strict, Limits};
use passerelle::proof::Cryptosuite;
use passerelle::registry::{open_snapshot, sign_snapshot, Registry, TrustStore};
use passerelle::{did, Error, ErrorCode, IssueDefaults, Issuer, Lang, Timestamp};
use serde_json::{json, Value};

/// `print!` that survives a closed pipe (see `output`).
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write(format_args!($($arg)*)) };
}
/// `println!` that survives a closed pipe (see `output`).
macro_rules! outln {
    ($($arg:tt)*) => { $crate::output::write(format_args!("{}\n", format_args!($($arg)*))) };
}
/// `eprintln!` that survives a closed standard error: a message nobody can
/// read is dropped, and the command keeps its exit status.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::output::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

#[path = "passerelle/did.rs"]
mod did_cli;
#[path = "passerelle/output.rs"]
mod output;
#[path = "passerelle/present.rs"]
mod present;
#[path = "passerelle/rdf.rs"]
mod rdf;
#[path = "passerelle/registry.rs"]
mod registry_cli;
#[path = "passerelle/status.rs"]
mod status_cli;

use did_cli::{did_command, DidCommand};
use registry_cli::{registry, RegistryCommand};
use status_cli::{status, StatusCommand};

#[derive(Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Issue and verify W3C Verifiable Credentials / Émettre et vérifier des attestations vérifiables W3C"
)]
struct Cli {
    /// Language of messages: en or fr (default: $PASSERELLE_LANG, else en).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Manage signing keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Sign a credential (VCDM 2.0, or 1.1 with Data Integrity; a Data Integrity proof, or a
    /// vc+jwt with --jwt) and print it; or add a proof to a signed one (--previous-proof, --add-proof).
    Issue(IssueArgs),
    /// Present a credential as its holder, showing only the claims chosen: an SD-JWT (with a Key
    /// Binding JWT), or an ecdsa-sd-2023 credential (a derived proof).
    Present(present::PresentArgs),
    /// Verify a credential or presentation (JSON, vc+jwt, vc+sd-jwt, dc+sd-jwt, or COSE as bytes
    /// or base64) and print the report.
    Verify(VerifyArgs),
    /// Resolve DIDs and DID URLs; create did:webvh DIDs and resolve a did:webvh log.
    Did {
        #[command(subcommand)]
        command: DidCommand,
    },
    /// Manage status lists (revocation, suspension) as an issuer.
    Status {
        #[command(subcommand)]
        command: StatusCommand,
    },
    /// Build, sign and inspect trust registry snapshots.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Run test vectors.
    Vectors {
        #[command(subcommand)]
        command: VectorsCommand,
    },
    /// JSON-LD to RDF: the canonical N-Quads the rdfc suites sign.
    Rdf {
        #[command(subcommand)]
        command: rdf::RdfCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate a key and print a key file (JSON with the secret key).
    Generate {
        /// Write the key file here (mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The key type: ed25519 (eddsa-jcs-2022 proofs), p256 or p384 (ecdsa-jcs-2019), p521 (ES512 JWT and COSE only).
        #[arg(long = "type", value_enum, default_value = "ed25519")]
        key_type: KeyType,
        /// The verification method to sign as (e.g. did:web:issuer.example#key-1); default: the key's did:key.
        #[arg(long)]
        verification_method: Option<String>,
    },
}

/// The key types `key generate` makes.
#[derive(Clone, Copy, clap::ValueEnum)]
enum KeyType {
    /// Ed25519.
    Ed25519,
    /// ECDSA on NIST P-256.
    P256,
    /// ECDSA on NIST P-384.
    P384,
    /// ECDSA on NIST P-521 (JWT and COSE: no Data Integrity suite has it).
    P521,
}

#[derive(clap::Args)]
struct IssueArgs {
    /// The unsigned credential (JSON file, or - for standard input).
    credential: PathBuf,
    /// Key file made by `passerelle key generate`.
    #[arg(long)]
    key: PathBuf,
    /// Time of issuance (proof `created`, default `validFrom`); default: now.
    #[arg(long, value_parser = parse_time)]
    at: Option<Timestamp>,
    /// Replace the credential's issuer with the key's DID.
    #[arg(long)]
    set_issuer: bool,
    /// Add a random urn:uuid id when the credential has none.
    #[arg(long)]
    assign_id: bool,
    /// Set validFrom to the time of issuance when the credential has none.
    #[arg(long)]
    set_valid_from: bool,
    /// Remove an existing proof before signing (re-signing).
    #[arg(long)]
    replace_proof: bool,
    /// Print a compact `vc+jwt` (VC-JOSE-COSE; EdDSA or ES256 by key type) instead of a Data
    /// Integrity proof: the same as --format jwt.
    #[arg(long, conflicts_with_all = ["cryptosuite", "format"])]
    jwt: bool,
    /// How to secure the credential: di (a Data Integrity proof, the default), jwt (a vc+jwt),
    /// sd-jwt (a vc+sd-jwt whose --disclose claims the holder may show one by one), sd-jwt-vc
    /// (an IETF SD-JWT VC, dc+sd-jwt: the input is JWT claims with a vct) or cose (a COSE_Sign1,
    /// application/vc+cose, printed as base64).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// With --format sd-jwt or sd-jwt-vc: a claim the holder may disclose or not, as a JSON pointer
    /// inside a property of the credential (`/credentialSubject/birthDate`; repeatable).
    #[arg(long = "disclose")]
    disclose: Vec<String>,
    /// With --format sd-jwt or sd-jwt-vc: the holder's key file or public JWK; the credential names it
    /// (`cnf`), and a verifier then requires the holder's Key Binding JWT.
    #[arg(long)]
    holder_key: Option<PathBuf>,
    /// With --jwt: print the token in an EnvelopedVerifiableCredential (JSON whose id is
    /// a data: URL), which verifies on its own or inside a presentation.
    #[arg(long)]
    enveloped: bool,
    /// The Data Integrity cryptosuite (default: eddsa-jcs-2022 for an Ed25519 key,
    /// ecdsa-jcs-2019 for P-256 and P-384); eddsa-rdfc-2022, ecdsa-rdfc-2019 and ecdsa-sd-2023
    /// sign the credential's JSON-LD form and need every term defined by its contexts.
    /// ecdsa-sd-2023 (P-256) gives the holder a base proof, from which `present --disclose`
    /// derives the credential a verifier accepts.
    #[arg(long, value_parser = parse_suite)]
    cryptosuite: Option<Cryptosuite>,
    /// With --cryptosuite ecdsa-sd-2023: a claim every holder must show, as a JSON pointer
    /// (`/credentialSubject/id`; repeatable). Every member outside credentialSubject is always
    /// mandatory; the holder chooses among the other claims (`present --disclose`).
    #[arg(long = "mandatory")]
    mandatory: Vec<String>,
    /// A JSON-LD context the rdfc suites and ecdsa-sd-2023 may use besides the bundled ones,
    /// as URL=FILE (repeatable). Contexts are never fetched.
    #[arg(long = "context", value_parser = parse_context_arg)]
    contexts: Vec<(String, PathBuf)>,
    /// Give the credential an entry in this status list (repeatable; needs --status-store). An
    /// SD-JWT VC takes one, in its `status` claim (publish the list with `status publish --format token`).
    #[arg(long = "status-list", requires = "status_store")]
    status_lists: Vec<String>,
    /// The status store holding those lists.
    #[arg(long)]
    status_store: Option<PathBuf>,
    /// The new proof's id (so that a later proof can name it with --previous-proof).
    #[arg(long, conflicts_with = "jwt")]
    proof_id: Option<String>,
    /// Add a proof to the already-secured credential, following the proof with this id
    /// (repeatable: a proof chain, Data Integrity §4.3); the proofs it names are signed over.
    #[arg(long = "previous-proof", conflicts_with_all = CHANGES_SIGNED)]
    previous_proofs: Vec<String>,
    /// Add an independent proof to the already-secured credential (a proof set).
    #[arg(long, conflicts_with_all = CHANGES_SIGNED)]
    add_proof: bool,
}

/// How `issue` secures a credential.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A Data Integrity proof.
    Di,
    /// A compact `vc+jwt`.
    Jwt,
    /// A `vc+sd-jwt` with selectively disclosable claims.
    SdJwt,
    /// An IETF SD-JWT VC (`dc+sd-jwt`): the input is JWT claims with `vct`, not a VCDM credential.
    SdJwtVc,
    /// A COSE_Sign1 (`application/vc+cose`), printed as base64.
    Cose,
}

/// The `issue` options that change a credential: refused when adding a
/// proof to one already signed, since they would break its proofs.
const CHANGES_SIGNED: [&str; 12] = [
    "jwt",
    "format",
    "replace_proof",
    "set_issuer",
    "assign_id",
    "set_valid_from",
    "status_lists",
    "status_store",
    "disclose",
    "holder_key",
    "enveloped",
    "mandatory",
];

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("fetching").args(["fetch_did_web", "fetch_status"]).multiple(true))]
struct VerifyArgs {
    /// The credential or presentation (JSON file, or - for standard input).
    input: PathBuf,
    /// Time of verification; default: now.
    #[arg(long, value_parser = parse_time)]
    at: Option<Timestamp>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// A DID document the verifier may use (repeatable). did:key needs none.
    #[arg(long = "did-document")]
    did_documents: Vec<PathBuf>,
    /// A folder of DID documents (every *.json in it; repeatable).
    #[arg(long = "did-dir")]
    did_dirs: Vec<PathBuf>,
    /// A verification method the verifier vouches for (JSON: id, type, controller, publicKeyJwk or
    /// publicKeyMultibase; repeatable): a proof naming it is checked with its key, no document
    /// needed, and the report says the key was pinned. Its controller must still be the issuer.
    #[arg(long = "verification-method")]
    verification_methods: Vec<PathBuf>,
    /// Fetch did:web documents, did:webvh logs and https issuers' controlled identifier documents
    /// over HTTPS when they are not given locally (public hosts only, unless --allow-host).
    #[arg(long)]
    fetch_did_web: bool,
    /// Fetch status list credentials over HTTPS when --status-list does not supply them
    /// (public hosts only, unless --allow-host; 8 MiB, 10 s, no redirects).
    #[arg(long)]
    fetch_status: bool,
    /// With --fetch-did-web or --fetch-status: also fetch from this host, whatever addresses it
    /// resolves to (private, loopback). HOST or HOST:PORT, matched exactly (repeatable).
    #[arg(long = "allow-host", value_parser = parse_allowed_host, requires = "fetching")]
    allow_hosts: Vec<passerelle::net::allow::AllowedHost>,
    /// A PEM file of root certificates trusted, in place of the public roots, for the hosts
    /// of --allow-host (repeatable; a test suite's self-signed certificate).
    #[arg(long = "ca-cert", requires = "allow_hosts")]
    ca_certs: Vec<PathBuf>,
    /// A did:webvh log (did.jsonl) the verifier may use (repeatable).
    #[arg(long = "did-log")]
    did_logs: Vec<PathBuf>,
    /// A trusted root registry DID (repeatable); enables the trust check.
    #[arg(long = "trust-anchor")]
    trust_anchors: Vec<String>,
    /// Also require the issuer's authorization and its recognition path to be in force at the
    /// time of verification, not only at the issuance date the credential claims.
    #[arg(long, alias = "trust-now")]
    trust_at_verification_time: bool,
    /// A registry snapshot, or a folder of them (repeatable).
    #[arg(long = "registry")]
    registries: Vec<PathBuf>,
    /// A JSON file {"registry DID": sequence} of snapshot sequences seen before (rollback protection).
    #[arg(long)]
    seen: Option<PathBuf>,
    /// A status list credential the verifier may use, or an SD-JWT VC's IETF Status List Token, or a
    /// folder of them (*.json, *.jwt; repeatable; keyed by their id, a token by its sub).
    /// Without any, a credential with status entries fails with STATUS_LIST_UNAVAILABLE.
    #[arg(long = "status-list")]
    status_lists: Vec<PathBuf>,
    /// Without --status-list, skip the status check of credentials with status entries rather than fail it.
    #[arg(long)]
    skip_status_without_source: bool,
    /// Leave status entries of types the verifier does not check unchecked
    /// rather than fail with STATUS_TYPE_UNSUPPORTED.
    #[arg(long)]
    accept_unknown_status_types: bool,
    /// A JSON-LD context the rdfc suites may use besides the bundled ones,
    /// as URL=FILE (repeatable). Contexts are never fetched.
    #[arg(long = "context", value_parser = parse_context_arg)]
    contexts: Vec<(String, PathBuf)>,
    /// The challenge a presentation must carry.
    #[arg(long)]
    challenge: Option<String>,
    /// The domain a presentation must carry.
    #[arg(long)]
    domain: Option<String>,
    /// A claim the credential must hold as presented, as a JSON pointer
    /// (`/credentialSubject/ageOver19`; repeatable): what the holder was asked to disclose.
    #[arg(long = "require-claim")]
    required_claims: Vec<String>,
    /// Input size limit in bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    max_bytes: usize,
    /// Nesting depth limit.
    #[arg(long, default_value_t = Limits::default().max_depth)]
    max_depth: usize,
}

#[derive(Subcommand)]
enum VectorsCommand {
    /// Run every case of a test-vector directory (its manifest.json).
    Run {
        /// The directory holding manifest.json.
        dir: PathBuf,
    },
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::parse(text).ok_or_else(|| "expected en or fr / attendu : en ou fr".to_owned())
}

fn parse_context_arg(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((url, path)) if !url.is_empty() && !path.is_empty() => Ok((url.to_owned(), PathBuf::from(path))),
        _ => Err("expected URL=FILE".to_owned()),
    }
}

fn parse_allowed_host(text: &str) -> Result<passerelle::net::allow::AllowedHost, String> {
    passerelle::net::allow::AllowedHost::parse(text).map_err(|e| {
        let code = ErrorCode::OptionInvalid;
        format!(
            "{code}: {} / {} ({}; expected HOST or HOST:PORT, no scheme, path or wildcard / \
             attendu : HÔTE ou HÔTE:PORT, sans schéma, chemin ni joker)",
            code.message(Lang::En),
            code.message(Lang::Fr),
            e.detail(),
        )
    })
}

fn parse_suite(text: &str) -> Result<Cryptosuite, String> {
    Cryptosuite::parse(text).map_err(|e| e.detail().to_owned())
}

fn parse_time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|e| e.detail().to_owned())
}

/// A failure of the command itself (not a verification result).
struct Failure {
    en: String,
    fr: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            en: format!("{} ({}: {})", e.message(Lang::En), e.code(), e.detail()),
            fr: format!("{} ({} : {})", e.message(Lang::Fr), e.code(), e.detail()),
        }
    }
}

fn io_failure(path: &Path, e: std::io::Error) -> Failure {
    Failure {
        en: format!("cannot read or write {}: {e}", path.display()),
        fr: format!("impossible de lire ou d’écrire {} : {e}", path.display()),
    }
}

fn read_input(path: &Path, limit: usize) -> Result<Vec<u8>, Failure> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    // Read one byte past the limit so the parser reports INPUT_TOO_LARGE
    // without the whole of an oversize input being held in memory.
    let cap = limit as u64 + 1;
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| io_failure(path, e))?;
    } else {
        let file = std::fs::File::open(path).map_err(|e| io_failure(path, e))?;
        file.take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| io_failure(path, e))?;
    }
    Ok(bytes)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli
        .lang
        .or_else(|| std::env::var("PASSERELLE_LANG").ok().and_then(|l| Lang::parse(&l)))
        .unwrap_or_default();
    output::set_lang(lang);
    let result = match cli.command {
        Command::Key {
            command:
                KeyCommand::Generate {
                    out,
                    key_type,
                    verification_method,
                },
        } => key_generate(out, key_type, verification_method),
        Command::Issue(args) => issue(args),
        Command::Present(args) => present::present(args),
        Command::Verify(args) => verify(args, lang),
        Command::Vectors {
            command: VectorsCommand::Run { dir },
        } => vectors_run(&dir, lang),
        Command::Registry { command } => registry(command, lang),
        Command::Status { command } => status(command, lang),
        Command::Did { command } => did_command(command, lang),
        Command::Rdf { command } => rdf::rdf(command),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            let (label, text) = match lang {
                Lang::En => ("error", failure.en),
                Lang::Fr => ("erreur", failure.fr),
            };
            errln!("passerelle: {label}: {text}");
            ExitCode::from(2)
        }
    }
}

fn key_generate(
    out: Option<PathBuf>,
    key_type: KeyType,
    verification_method: Option<String>,
) -> Result<ExitCode, Failure> {
    let (type_name, public, secret) = match key_type {
        KeyType::Ed25519 => {
            let key = Ed25519KeyPair::generate()?;
            ("Ed25519", key.public_key(), key.secret_key_multibase())
        }
        KeyType::P256 => {
            let key = P256KeyPair::generate()?;
            ("P-256", key.public_key(), key.secret_key_multibase())
        }
        KeyType::P384 => {
            let key = P384KeyPair::generate()?;
            ("P-384", key.public_key(), key.secret_key_multibase())
        }
        KeyType::P521 => {
            let key = P521KeyPair::generate()?;
            ("P-521", key.public_key(), key.secret_key_multibase())
        }
    };
    let vm = verification_method.unwrap_or_else(|| did::key::verification_method_for(&public));
    let (did, _) = did::split_controller_url(&vm)?;
    let file = json!({
        "type": type_name,
        "did": did,
        "verificationMethod": vm,
        "publicKeyMultibase": public.to_multikey(),
        "secretKeyMultibase": secret.as_str(),
    });
    let text = zeroize::Zeroizing::new(serde_json::to_string_pretty(&file).unwrap_or_default() + "\n");
    match out {
        None => out!("{}", text.as_str()),
        Some(path) => {
            write_private(&path, text.as_bytes()).map_err(|e| io_failure(&path, e))?;
            let public = json!({"did": did, "verificationMethod": vm, "publicKeyMultibase": public.to_multikey()});
            outln!("{}", serde_json::to_string_pretty(&public).unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

fn load_key(path: &Path) -> Result<(Ed25519KeyPair, String), Failure> {
    let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| io_failure(path, e))?);
    let file = parse_strict(&bytes, Limits::default())?;
    let bad = |why: &str| Failure {
        en: format!("{}: {why}", path.display()),
        fr: format!("{} : {why}", path.display()),
    };
    let secret = file["secretKeyMultibase"]
        .as_str()
        .ok_or_else(|| bad("no secretKeyMultibase"))?;
    let key = Ed25519KeyPair::from_secret_multibase(secret)?;
    let vm = file["verificationMethod"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| did::key::verification_method_for(&key.public_key()));
    Ok((key, vm))
}

/// A key file's signer, of any type, and its verification method. The file
/// is what `key generate` writes (`type`, `secretKeyMultibase`,
/// `verificationMethod`) or a verification method with its private JWK
/// (`id`, `type`, `controller`, `publicKeyJwk`, `secretKeyJwk`).
fn load_signer(path: &Path) -> Result<(Box<dyn Signer>, String), Failure> {
    let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| io_failure(path, e))?);
    let file = parse_strict(&bytes, Limits::default())?;
    if file.get("secretKeyJwk").is_some() {
        return method_signer(path, &file);
    }
    let key_type = file["type"].as_str();
    if !matches!(key_type, Some("P-256" | "P-384" | "P-521")) {
        let (key, vm) = load_key(path)?;
        return Ok((Box::new(key), vm));
    }
    let secret = file["secretKeyMultibase"].as_str().ok_or_else(|| Failure {
        en: format!("{}: no secretKeyMultibase", path.display()),
        fr: format!("{} : pas de secretKeyMultibase", path.display()),
    })?;
    let key: Box<dyn Signer> = match key_type {
        Some("P-384") => Box::new(P384KeyPair::from_secret_multibase(secret)?),
        Some("P-521") => Box::new(P521KeyPair::from_secret_multibase(secret)?),
        _ => Box::new(P256KeyPair::from_secret_multibase(secret)?),
    };
    let vm = file["verificationMethod"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| did::key::verification_method_for(&key.public_key()));
    Ok((key, vm))
}

/// The signer of a verification method with its private JWK (`secretKeyJwk`),
/// whose public key must be the method's.
fn method_signer(path: &Path, file: &serde_json::Value) -> Result<(Box<dyn Signer>, String), Failure> {
    let method = VerificationMethod::from_json(file)?;
    let secret = &file["secretKeyJwk"];
    let key: Box<dyn Signer> = match secret["crv"].as_str() {
        Some("Ed25519") => Box::new(Ed25519KeyPair::from_jwk(secret)?),
        Some("P-256") => Box::new(P256KeyPair::from_jwk(secret)?),
        Some("P-384") => Box::new(P384KeyPair::from_jwk(secret)?),
        Some("P-521") => Box::new(P521KeyPair::from_jwk(secret)?),
        other => {
            let crv = other.unwrap_or("(none)");
            return Err(Failure {
                en: format!(
                    "{}: secretKeyJwk crv {crv} is not Ed25519, P-256, P-384 or P-521",
                    path.display()
                ),
                fr: format!(
                    "{} : la crv {crv} de secretKeyJwk n’est pas Ed25519, P-256, P-384 ni P-521",
                    path.display()
                ),
            });
        }
    };
    if key.public_key() != method.public_key {
        return Err(Failure {
            en: format!(
                "{}: secretKeyJwk is not the private key of the method's public key",
                path.display()
            ),
            fr: format!(
                "{} : secretKeyJwk n’est pas la clé privée de la clé publique de la méthode",
                path.display()
            ),
        });
    }
    Ok((key, method.id))
}

fn issue(args: IssueArgs) -> Result<ExitCode, Failure> {
    let (key, vm) = load_signer(&args.key)?;
    let mut issuer = Issuer::new(key, vm)?;
    if let Some(suite) = args.cryptosuite {
        issuer = issuer.with_cryptosuite(suite)?;
    }
    if !args.contexts.is_empty() {
        issuer = issuer.with_contexts(std::sync::Arc::new(rdf::jsonld_with(&args.contexts)?));
    }
    let mut issuer = issuer.with_defaults(IssueDefaults {
        assign_id: args.assign_id,
        set_valid_from: args.set_valid_from,
        proof_lifetime_seconds: None,
    });
    let adding = args.add_proof || !args.previous_proofs.is_empty();
    let format = match (args.format, args.jwt) {
        (Some(format), _) => format,
        (None, true) => Format::Jwt,
        (None, false) => Format::Di,
    };
    check_issue_options(&args, format, adding)?;
    if !args.mandatory.is_empty() {
        issuer = issuer.with_mandatory_pointers(args.mandatory.clone());
    }
    let input = read_input(&args.credential, Limits::default().max_bytes)?;
    let mut credential = parse_object(&input, Limits::default())?;
    let at = args.at.unwrap_or_else(Timestamp::now);
    if adding {
        let previous: Vec<&str> = args.previous_proofs.iter().map(String::as_str).collect();
        let secured = passerelle::Credential::from_json(credential)?;
        let chained = issuer.add_chained_proof(secured, &previous, args.proof_id.as_deref(), at)?;
        outln!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(chained.into_json())).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.replace_proof {
        credential.shift_remove("proof");
    }
    if args.set_issuer {
        match credential.get_mut("issuer") {
            Some(Value::Object(object)) => {
                object.insert("id".into(), issuer.did().into());
            }
            _ => {
                credential.insert("issuer".into(), issuer.did().into());
            }
        }
    }
    // Checked before an index is taken from the list.
    if format == Format::SdJwtVc && !args.status_lists.is_empty() && credential.contains_key("status") {
        return Err(Failure {
            en: "the claims already have a status: --status-list would replace it".into(),
            fr: "les revendications ont déjà un status : --status-list le remplacerait".into(),
        });
    }
    let mut status_entries = Vec::new();
    if let Some(store_dir) = &args.status_store {
        let mut store = passerelle::status::FileStatusStore::open(store_dir)?;
        // Each allocation loads, allocates and saves under the list's lock:
        // concurrent issuers never take the same index or lose one.
        for url in &args.status_lists {
            status_entries.push(passerelle::status::allocate(&mut store, url)?);
        }
        if !status_entries.is_empty() && format != Format::SdJwtVc {
            let entries = status_entries.iter().map(|e| e.to_json()).collect();
            credential.insert("credentialStatus".into(), Value::Array(entries));
        }
    }
    if matches!(format, Format::SdJwt | Format::SdJwtVc) {
        let disclose: Vec<&str> = args.disclose.iter().map(String::as_str).collect();
        let holder = args.holder_key.as_deref().map(present::holder_public_key).transpose()?;
        if let (Format::SdJwtVc, Some(entry)) = (format, status_entries.first()) {
            // An SD-JWT VC refers to its list entry in its `status` claim.
            credential.insert(
                "status".into(),
                serde_json::json!({"status_list": {"idx": entry.index, "uri": entry.list_url}}),
            );
        }
        let issued = match format {
            Format::SdJwtVc => issuer.issue_sd_jwt_vc(credential, &disclose, holder, at)?,
            _ => issuer.issue_sd_jwt(credential, &disclose, holder, at)?,
        };
        outln!("{issued}");
        return Ok(ExitCode::SUCCESS);
    }
    if args.enveloped {
        let enveloped = Value::Object(issuer.issue_enveloped(credential, at)?);
        outln!("{}", serde_json::to_string_pretty(&enveloped).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    if format == Format::Cose {
        use base64::Engine as _;
        let bytes = issuer.issue_cose(credential, at)?;
        outln!("{}", base64::engine::general_purpose::STANDARD.encode(bytes));
        return Ok(ExitCode::SUCCESS);
    }
    if format == Format::Jwt {
        outln!("{}", issuer.issue_jwt(credential, at)?);
        return Ok(ExitCode::SUCCESS);
    }
    let signed = match &args.proof_id {
        Some(id) => issuer.issue_with_proof_id(credential, id, at)?,
        None => issuer.issue(credential, at)?,
    };
    outln!(
        "{}",
        serde_json::to_string_pretty(&Value::Object(signed.into_json())).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// The `issue` options that go only with others, checked before anything
/// is read or allocated (a status list index, say).
fn check_issue_options(args: &IssueArgs, format: Format, adding: bool) -> Result<(), Failure> {
    let usage = |en: &str, fr: &str| {
        Err(Failure {
            en: en.into(),
            fr: fr.into(),
        })
    };
    let selective = matches!(format, Format::SdJwt | Format::SdJwtVc);
    if !args.mandatory.is_empty()
        && (args.cryptosuite != Some(Cryptosuite::EcdsaSd2023) || format != Format::Di || adding)
    {
        return usage(
            "--mandatory goes with --cryptosuite ecdsa-sd-2023 (a new Data Integrity proof)",
            "--mandatory va avec --cryptosuite ecdsa-sd-2023 (une nouvelle preuve Data Integrity)",
        );
    }
    if args.cryptosuite.is_some() && format != Format::Di {
        return usage(
            "--cryptosuite goes with a Data Integrity proof (--format di)",
            "--cryptosuite va avec une preuve Data Integrity (--format di)",
        );
    }
    if format == Format::SdJwtVc && args.set_issuer {
        return usage(
            "an SD-JWT VC gets its iss from the key; --set-issuer is for VCDM credentials",
            "un SD-JWT VC reçoit son iss de la clé ; --set-issuer est pour les attestations VCDM",
        );
    }
    if format == Format::SdJwtVc && args.status_lists.len() > 1 {
        return usage(
            "an SD-JWT VC refers to one status list (its status claim): give one --status-list",
            "un SD-JWT VC renvoie à une seule liste de statut (sa revendication status) : donnez une --status-list",
        );
    }
    if format != Format::Di && args.proof_id.is_some() {
        return usage(
            "--proof-id goes with a Data Integrity proof (--format di)",
            "--proof-id va avec une preuve Data Integrity (--format di)",
        );
    }
    if !selective && (!args.disclose.is_empty() || args.holder_key.is_some()) {
        return usage(
            "--disclose and --holder-key go with --format sd-jwt or sd-jwt-vc",
            "--disclose et --holder-key vont avec --format sd-jwt ou sd-jwt-vc",
        );
    }
    if args.enveloped && format != Format::Jwt {
        return usage(
            "--enveloped goes with --jwt (or --format jwt)",
            "--enveloped va avec --jwt (ou --format jwt)",
        );
    }
    Ok(())
}

/// The `*.json` files of `path` when it is a folder, else `path` itself.
fn json_files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    files_ending(path, &["json"])
}

/// The files of `path` with one of `extensions` when it is a folder (not
/// `*.seen.json`), else `path` itself.
fn files_ending(path: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| io_failure(path, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| extensions.iter().any(|e| x == *e))
                && !p.to_string_lossy().ends_with(".seen.json")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Adds the DID documents of `files` and of every `*.json` in `dirs`.
fn add_documents(inputs: &mut Inputs, files: &[PathBuf], dirs: &[PathBuf]) -> Result<(), Failure> {
    let mut all = files.to_vec();
    for dir in dirs {
        all.extend(json_files(dir)?);
    }
    for path in &all {
        let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
        inputs.did_document(DidDocument::from_json(parse_strict(&bytes, Limits::default())?)?);
    }
    Ok(())
}

/// A resolver over the DID documents of `files` and `dirs`.
fn load_resolver(files: &[PathBuf], dirs: &[PathBuf]) -> Result<Box<dyn DidResolver>, Failure> {
    let mut inputs = Inputs::new(Timestamp::now());
    add_documents(&mut inputs, files, dirs)?;
    Ok(inputs.into_resolver()?.0)
}

/// Adds the trust anchors, the sequences seen and the snapshots; returns
/// the snapshots' paths, in the order given.
fn add_trust(inputs: &mut Inputs, args: &VerifyArgs) -> Result<Vec<PathBuf>, Failure> {
    for anchor in &args.trust_anchors {
        inputs.trust_anchor(anchor.clone());
    }
    if let Some(path) = &args.seen {
        let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
        for (registry, sequence) in parse_object(&bytes, Limits::default())? {
            if let Some(sequence) = sequence.as_u64() {
                inputs.seen(registry, sequence);
            }
        }
    }
    let mut paths = Vec::new();
    for source in &args.registries {
        for path in json_files(source)? {
            inputs.snapshot(std::fs::read(&path).map_err(|e| io_failure(&path, e))?);
            paths.push(path);
        }
    }
    Ok(paths)
}

/// The HTTPS fetcher of --fetch-did-web and --fetch-status: public hosts,
/// and the hosts of --allow-host with the roots of --ca-cert.
fn web_resolver(args: &VerifyArgs) -> Result<passerelle::did::web_resolver::WebResolver, Failure> {
    let mut web = passerelle::did::web_resolver::WebResolver::new(std::time::Duration::from_secs(10))
        .allow_hosts(args.allow_hosts.iter().cloned());
    for path in &args.ca_certs {
        let pem = std::fs::read(path).map_err(|e| io_failure(path, e))?;
        web = web.trust_roots_for_allowed_hosts(&pem).map_err(|e| {
            let mut failure = Failure::from(e);
            failure.en = format!("{}: {}", path.display(), failure.en);
            failure.fr = format!("{} : {}", path.display(), failure.fr);
            failure
        })?;
    }
    Ok(web)
}

fn verify(args: VerifyArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let at = args.at.unwrap_or_else(Timestamp::now);
    let mut inputs = Inputs::new(at);
    add_documents(&mut inputs, &args.did_documents, &args.did_dirs)?;
    let snapshots = add_trust(&mut inputs, &args)?;
    let options = &mut inputs.options;
    options.challenge = args.challenge.clone();
    options.domain = args.domain.clone();
    options.required_claims = args.required_claims.clone();
    for path in &args.verification_methods {
        let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| io_failure(path, e))?);
        let method = VerificationMethod::from_json(&parse_strict(&bytes, Limits::default())?)?;
        options.pinned_methods.push(method);
    }
    options.trust_at_verification_time = args.trust_at_verification_time;
    options.status_policy = passerelle::verify::StatusPolicy {
        skip_without_source: args.skip_status_without_source,
        accept_unknown_types: args.accept_unknown_status_types,
    };
    options.limits = Limits {
        max_bytes: args.max_bytes,
        max_depth: args.max_depth,
    };
    let input = read_input(&args.input, args.max_bytes)?;
    // A status source only when status lists were given: without one, the
    // status policy decides.
    if !args.status_lists.is_empty() {
        inputs.status_source();
    }
    for source in &args.status_lists {
        for path in files_ending(source, &["json", "jwt"])? {
            inputs.status_list_credential(std::fs::read(&path).map_err(|e| io_failure(&path, e))?)?;
        }
    }
    for path in &args.did_logs {
        let text = std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?;
        inputs.did_log(did_cli::log_did(path, &text)?, text);
    }
    if args.fetch_did_web {
        inputs.fallback_resolver(Box::new(web_resolver(&args)?));
    }
    if args.fetch_status {
        let lists = passerelle::status::HttpStatusLists::with_policy(web_resolver(&args)?);
        inputs.fallback_status_source(std::sync::Arc::new(lists));
    }
    for (url, path) in &args.contexts {
        inputs.context(
            url.clone(),
            std::fs::read_to_string(path).map_err(|e| io_failure(path, e))?,
        );
    }
    let (verifier, refused) = inputs.build()?;
    for (at, e) in refused {
        let path = snapshots.get(at).map(|p| p.display().to_string()).unwrap_or_default();
        let (label, message) = match lang {
            Lang::En => ("warning: snapshot refused", e.message(Lang::En)),
            Lang::Fr => ("avertissement : instantané refusé", e.message(Lang::Fr)),
        };
        errln!("passerelle: {label}: {path}: [{}] {message}", e.code());
    }
    let report = verifier.verify(&input, verifier.options());
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        out!("{}", report.render(lang));
    }
    Ok(if report.verified() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn vectors_run(dir: &Path, lang: Lang) -> Result<ExitCode, Failure> {
    let results = passerelle::vectors::run_dir(dir).map_err(|e| Failure { en: e.clone(), fr: e })?;
    let mut failed = 0;
    for result in &results {
        match &result.problem {
            None => outln!("✔ {}", result.id),
            Some(problem) => {
                failed += 1;
                outln!("✘ {}: {problem}", result.id);
            }
        }
    }
    let passed = results.len() - failed;
    match lang {
        Lang::En => outln!("{passed} passed, {failed} failed"),
        Lang::Fr => outln!("{passed} réussis, {failed} échoués"),
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
