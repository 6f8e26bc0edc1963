//! `passerelle registry`: build, sign, inspect and serve trust registry snapshots.

use super::*;

#[derive(Subcommand)]
pub(crate) enum RegistryCommand {
    /// Check a registry source file (JSON; names as {"en": …, "fr": …}) and print it in snapshot form.
    Build {
        /// The registry source file.
        source: PathBuf,
    },
    /// Sign a registry source file as a snapshot, with the registry's key.
    Sign {
        /// The registry source file.
        source: PathBuf,
        /// The registry's key file (its verificationMethod must be a key of the registry's DID).
        #[arg(long)]
        key: PathBuf,
        /// Publication time; default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
        /// Until when verifiers may rely on the snapshot.
        #[arg(long, value_parser = parse_time)]
        valid_until: Timestamp,
    },
    /// Answer TRQP v2 queries (POST /authorization, POST /recognition) from snapshots.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// A registry snapshot, or a folder of them (repeatable).
        #[arg(long = "registry", required = true)]
        registries: Vec<PathBuf>,
        /// DID documents of the registries (unless they are did:key).
        #[arg(long = "did-document")]
        did_documents: Vec<PathBuf>,
        /// Folders of DID documents.
        #[arg(long = "did-dir")]
        did_dirs: Vec<PathBuf>,
        /// Serve HTTPS with this certificate chain (PEM, the server's
        /// certificate first); with --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key (PEM) of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Check a snapshot's signature and freshness and print its content.
    Inspect {
        /// The snapshot.
        snapshot: PathBuf,
        /// Time of the check; default: now.
        #[arg(long, value_parser = parse_time)]
        at: Option<Timestamp>,
        /// DID documents (the registry's, unless it is a did:key).
        #[arg(long = "did-document")]
        did_documents: Vec<PathBuf>,
        /// Folders of DID documents.
        #[arg(long = "did-dir")]
        did_dirs: Vec<PathBuf>,
    },
}

pub(crate) fn registry(command: RegistryCommand, lang: Lang) -> Result<ExitCode, Failure> {
    let read_source = |path: &Path| -> Result<Registry, Failure> {
        let bytes = std::fs::read(path).map_err(|e| io_failure(path, e))?;
        let value = parse_strict(
            &bytes,
            Limits {
                max_bytes: passerelle::registry::MAX_SNAPSHOT_BYTES,
                ..Limits::default()
            },
        )?;
        let registry = Registry::from_json(value).map_err(|e| {
            Failure::from(Error::new(
                passerelle::ErrorCode::RegistryInvalid,
                format!("{}: {}", path.display(), e.detail()),
            ))
        })?;
        registry.validate()?;
        Ok(registry)
    };
    match command {
        RegistryCommand::Build { source } => {
            let registry = read_source(&source)?;
            outln!("{}", serde_json::to_string_pretty(&registry).unwrap_or_default());
        }
        RegistryCommand::Sign {
            source,
            key,
            at,
            valid_until,
        } => {
            let registry = read_source(&source)?;
            let (key, vm) = load_key(&key)?;
            let snapshot = sign_snapshot(&registry, &key, &vm, at.unwrap_or_else(Timestamp::now), valid_until)?;
            outln!(
                "{}",
                serde_json::to_string_pretty(&Value::Object(snapshot)).unwrap_or_default()
            );
        }
        RegistryCommand::Serve {
            listen,
            registries,
            did_documents,
            did_dirs,
            tls_cert,
            tls_key,
        } => {
            // The certificate first: a wrong file is refused before any work.
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(
                    passerelle::http_server::TlsConfig::from_pem_files(&cert, &key).map_err(|e| Failure {
                        en: e.message(Lang::En),
                        fr: e.message(Lang::Fr),
                    })?,
                ),
                _ => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let resolver = load_resolver(&did_documents, &did_dirs)?;
            let mut store = TrustStore::new(Vec::<String>::new());
            for source in &registries {
                for path in json_files(source)? {
                    let bytes = std::fs::read(&path).map_err(|e| io_failure(&path, e))?;
                    if let Err(e) = store.load_snapshot(&bytes, &resolver, Timestamp::now()) {
                        errln!("passerelle: {}: [{}] {}", path.display(), e.code(), e.message(lang));
                    }
                }
            }
            let count = store.registries().count();
            let runtime = tokio::runtime::Runtime::new().map_err(|e| io_failure(Path::new(&listen), e))?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .map_err(|e| io_failure(Path::new(&listen), e))?;
                match lang {
                    Lang::En => errln!("passerelle: serving TRQP for {count} registries on {scheme}://{listen}"),
                    Lang::Fr => errln!("passerelle : service TRQP pour {count} registres sur {scheme}://{listen}"),
                }
                let store = std::sync::Arc::new(store);
                match tls {
                    Some(tls) => passerelle::registry::server::serve_tls(listener, store, Timestamp::now, tls).await,
                    None => passerelle::registry::server::serve(listener, store, Timestamp::now).await,
                }
                .map_err(|e| io_failure(Path::new(&listen), e))
            })?;
        }
        RegistryCommand::Inspect {
            snapshot,
            at,
            did_documents,
            did_dirs,
        } => {
            let resolver = load_resolver(&did_documents, &did_dirs)?;
            let bytes = std::fs::read(&snapshot).map_err(|e| io_failure(&snapshot, e))?;
            let opened = open_snapshot(&bytes, &resolver, at.unwrap_or_else(Timestamp::now))?;
            let r = opened.registry();
            let (valid, auths, recs) = match lang {
                Lang::En => ("valid", "authorizations", "recognitions"),
                Lang::Fr => ("valide", "autorisations", "reconnaissances"),
            };
            outln!("{} ({}) — {} #{}", r.name.get(lang), r.id, r.jurisdiction, r.sequence);
            outln!("{valid}: {} → {}", opened.valid_from(), opened.valid_until());
            outln!("{auths}: {}", r.authorizations.len());
            for a in &r.authorizations {
                let until = a.valid_until.map(|u| u.to_string()).unwrap_or_else(|| "…".into());
                outln!(
                    "  {} {} [{}] {:?} {} → {until} — {}",
                    a.entity_id,
                    a.resource,
                    a.jurisdiction,
                    a.status,
                    a.valid_from,
                    a.legal_authority.get(lang)
                );
            }
            outln!("{recs}: {}", r.recognitions.len());
            for rec in &r.recognitions {
                outln!(
                    "  {} [{}] {:?} — {}",
                    rec.entity_id,
                    rec.scope,
                    rec.status,
                    rec.legal_authority.get(lang)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
