//! `passerelle`: issue and verify W3C Verifiable Credentials from the command line.
//!
//! Exit codes: 0 success (for `verify`, only when verified), 1 not verified
//! or a failed test vector, 2 usage or input error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::{DidDocument, StaticResolver};
use passerelle::json::{parse_object, parse_strict, Limits};
use passerelle::{did, Error, IssueDefaults, Issuer, Lang, Timestamp, Verifier, VerifyOptions};
use serde_json::{json, Value};

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
    /// Sign a credential (VCDM 2.0, eddsa-jcs-2022) and print it.
    Issue(IssueArgs),
    /// Verify a credential or presentation and print the report.
    Verify(VerifyArgs),
    /// Run test vectors.
    Vectors {
        #[command(subcommand)]
        command: VectorsCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate an Ed25519 key and print a key file (JSON with the secret key).
    Generate {
        /// Write the key file here (mode 0600) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The verification method to sign as (e.g. did:web:issuer.example#key-1); default: the key's did:key.
        #[arg(long)]
        verification_method: Option<String>,
    },
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
}

#[derive(clap::Args)]
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
    /// The challenge a presentation must carry.
    #[arg(long)]
    challenge: Option<String>,
    /// The domain a presentation must carry.
    #[arg(long)]
    domain: Option<String>,
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
    let result = match cli.command {
        Command::Key {
            command: KeyCommand::Generate {
                out,
                verification_method,
            },
        } => key_generate(out, verification_method),
        Command::Issue(args) => issue(args),
        Command::Verify(args) => verify(args, lang),
        Command::Vectors {
            command: VectorsCommand::Run { dir },
        } => vectors_run(&dir, lang),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            let (label, text) = match lang {
                Lang::En => ("error", failure.en),
                Lang::Fr => ("erreur", failure.fr),
            };
            eprintln!("passerelle: {label}: {text}");
            ExitCode::from(2)
        }
    }
}

fn key_generate(out: Option<PathBuf>, verification_method: Option<String>) -> Result<ExitCode, Failure> {
    let key = Ed25519KeyPair::generate()?;
    let vm = verification_method.unwrap_or_else(|| did::key::verification_method_for(&key.public_key()));
    let (did, _) = did::split_did_url(&vm)?;
    let file = json!({
        "type": "Ed25519",
        "did": did,
        "verificationMethod": vm,
        "publicKeyMultibase": key.public_key_multibase(),
        "secretKeyMultibase": key.secret_key_multibase().as_str(),
    });
    let text = zeroize::Zeroizing::new(serde_json::to_string_pretty(&file).unwrap_or_default() + "\n");
    match out {
        None => print!("{}", text.as_str()),
        Some(path) => {
            write_private(&path, text.as_bytes()).map_err(|e| io_failure(&path, e))?;
            let public =
                json!({"did": did, "verificationMethod": vm, "publicKeyMultibase": key.public_key_multibase()});
            println!("{}", serde_json::to_string_pretty(&public).unwrap_or_default());
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

fn issue(args: IssueArgs) -> Result<ExitCode, Failure> {
    let (key, vm) = load_key(&args.key)?;
    let issuer = Issuer::new(key, vm)?.with_defaults(IssueDefaults {
        assign_id: args.assign_id,
        set_valid_from: args.set_valid_from,
        proof_lifetime_seconds: None,
    });
    let input = read_input(&args.credential, Limits::default().max_bytes)?;
    let mut credential = parse_object(&input, Limits::default())?;
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
    let signed = issuer.issue(credential, args.at.unwrap_or_else(Timestamp::now))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&Value::Object(signed.into_json())).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

fn verify(args: VerifyArgs, lang: Lang) -> Result<ExitCode, Failure> {
    let mut resolver = StaticResolver::default();
    for path in &args.did_documents {
        let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
        resolver.insert(DidDocument::from_json(parse_strict(&bytes, Limits::default())?)?);
    }
    let mut options = VerifyOptions::at(args.at.unwrap_or_else(Timestamp::now));
    options.challenge = args.challenge;
    options.domain = args.domain;
    options.limits = Limits {
        max_bytes: args.max_bytes,
        max_depth: args.max_depth,
    };
    let input = read_input(&args.input, args.max_bytes)?;
    let report = Verifier::new(resolver).verify(&input, &options);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!("{}", report.render(lang));
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
            None => println!("✔ {}", result.id),
            Some(problem) => {
                failed += 1;
                println!("✘ {}: {problem}", result.id);
            }
        }
    }
    let passed = results.len() - failed;
    match lang {
        Lang::En => println!("{passed} passed, {failed} failed"),
        Lang::Fr => println!("{passed} réussis, {failed} échoués"),
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
