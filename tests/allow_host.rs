//! `--allow-host` and `--ca-cert`: status lists and did:web documents
//! fetched from hosts the operator allows explicitly, at loopback addresses
//! (plain HTTP through the library's test switch, and HTTPS with a
//! self-signed certificate through the command line); every other host,
//! even one resolving to the same address, keeps being refused.

mod common;

use common::cli::passerelle;

use std::io::{BufRead as _, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use passerelle::did::web_resolver::WebResolver;
use passerelle::did::DidResolver;
use passerelle::net::allow::AllowedHost;
use passerelle::net::resolve::HostResolver;
use passerelle::status::{HttpStatusLists, StatusResolver};
use passerelle::{ErrorCode, Timestamp};

/// Every name is 127.0.0.1: what a rebinding name, or a hostile DNS, answers.
struct EverythingIsLoopback;

impl HostResolver for EverythingIsLoopback {
    fn resolve(&self, _host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        Ok(vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)])
    }
}

/// Reads one request's head; returns its path.
fn read_head(stream: &mut impl std::io::Read) -> String {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) <= 2 {
            break;
        }
    }
    path
}

fn answer(stream: &mut impl std::io::Write, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
}

/// A plain HTTP server on 127.0.0.1 answering `body(port)` to every request;
/// its port and how many connections it accepted.
fn serve_http(body: impl Fn(u16) -> String + Send + 'static) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            read_head(&mut stream);
            answer(&mut stream, &body(port));
        }
    });
    (port, accepted)
}

fn local(allowed: &[&str]) -> WebResolver {
    WebResolver::new(Duration::from_secs(2))
        .plain_http_on_loopback(true)
        .with_host_resolver(Arc::new(EverythingIsLoopback))
        .allow_hosts(allowed.iter().map(|h| AllowedHost::parse(h).unwrap()))
}

#[test]
fn a_status_list_on_loopback_is_refused_by_default_and_fetched_from_an_allowed_host() {
    let (port, accepted) = serve_http(|_| String::from("{\"list\": 1}"));
    let url = format!("https://127.0.0.1:{port}/lists/1");
    let error = HttpStatusLists::with_policy(local(&[])).status_list(&url).unwrap_err();
    assert_eq!(error.code(), ErrorCode::StatusListUnavailable);
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "nothing may be sent");
    let bytes = HttpStatusLists::with_policy(local(&["127.0.0.1"]))
        .status_list(&url)
        .unwrap();
    assert_eq!(bytes, b"{\"list\": 1}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[test]
fn a_name_not_on_the_list_is_refused_though_it_resolves_to_an_allowed_address() {
    let (port, accepted) = serve_http(|_| String::from("{}"));
    let lists = HttpStatusLists::with_policy(local(&["127.0.0.1", "Status.Example"]));
    for host in [
        "evil-127.0.0.1.example",
        "127.0.0.1.example",
        "localhost",
        "a.status.example",
        "status.example.evil",
    ] {
        let error = lists
            .status_list(&format!("https://{host}:{port}/lists/1"))
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::StatusListUnavailable, "{host}");
        assert!(
            error.detail().contains("not a public address"),
            "{host}: {}",
            error.detail()
        );
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "a refused host was connected to");
    // The same name, in another case, is the allowed host.
    assert!(lists
        .status_list(&format!("https://STATUS.example:{port}/lists/1"))
        .is_ok());
}

#[test]
fn an_allowed_host_with_a_port_is_allowed_on_that_port_only() {
    let (port, accepted) = serve_http(|_| String::from("{}"));
    let other = if port == 65535 { port - 1 } else { port + 1 };
    let lists = HttpStatusLists::with_policy(local(&[&format!("127.0.0.1:{other}")]));
    let error = lists
        .status_list(&format!("https://127.0.0.1:{port}/lists/1"))
        .unwrap_err();
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
    let lists = HttpStatusLists::with_policy(local(&[&format!("127.0.0.1:{port}")]));
    assert!(lists.status_list(&format!("https://127.0.0.1:{port}/lists/1")).is_ok());
}

#[test]
fn did_web_documents_are_fetched_from_an_allowed_host_only() {
    let (port, _) =
        serve_http(|port| serde_json::json!({"id": format!("did:web:intranet.example%3A{port}")}).to_string());
    let did = format!("did:web:intranet.example%3A{port}");
    let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    let error = local(&[]).resolve(&did, at).unwrap_err();
    assert_eq!(error.code(), ErrorCode::DidNotFound);
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    assert_eq!(local(&["intranet.example"]).resolve(&did, at).unwrap().id(), did);
}

#[test]
fn a_controlled_identifier_document_is_fetched_from_its_own_url_from_an_allowed_host_only() {
    let paths = Arc::new(Mutex::new(Vec::new()));
    let seen = paths.clone();
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let controller = format!("https://issuers.intranet.example:{port}/issuers/7?v=1");
    let body = serde_json::json!({"id": controller}).to_string();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            seen.lock().unwrap().push(read_head(&mut stream));
            answer(&mut stream, &body);
        }
    });
    let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    let error = local(&[]).resolve(&controller, at).unwrap_err();
    assert_eq!(error.code(), ErrorCode::DidNotFound);
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    assert!(paths.lock().unwrap().is_empty(), "nothing may be sent");
    let document = local(&["issuers.intranet.example"]).resolve(&controller, at).unwrap();
    assert_eq!(document.id(), controller);
    assert_eq!(*paths.lock().unwrap(), ["/issuers/7?v=1"]);
    // A document that is another controller's is refused.
    let other = format!("https://issuers.intranet.example:{port}/issuers/8");
    let error = local(&["issuers.intranet.example"]).resolve(&other, at).unwrap_err();
    assert_eq!(error.code(), ErrorCode::DidDocumentInvalid, "{}", error.detail());
}

#[test]
fn a_ca_file_without_a_certificate_is_refused_with_option_invalid() {
    for pem in [
        &b""[..],
        b"not a pem file",
        b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
    ] {
        let error = WebResolver::new(Duration::from_secs(1))
            .trust_roots_for_allowed_hosts(pem)
            .unwrap_err();
        assert_eq!(
            error.code(),
            ErrorCode::OptionInvalid,
            "{}",
            String::from_utf8_lossy(pem)
        );
    }
}

// ---- The command line, over HTTPS with a self-signed certificate ----

/// A self-signed certificate for 127.0.0.1 (not a CA: the TLS client takes
/// it as its own root; valid until 2126) and its key, in PEM, from
/// `tests/fixtures/tls/` (made with the openssl command line; test only).
fn self_signed() -> (Vec<u8>, Vec<u8>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls");
    (
        std::fs::read(dir.join("cert.pem")).unwrap(),
        std::fs::read(dir.join("key.pem")).unwrap(),
    )
}

/// An HTTPS server on 127.0.0.1 answering the body `routes` holds for a
/// path; its port and how many connections it accepted.
struct Tls {
    port: u16,
    accepted: Arc<AtomicUsize>,
    routes: Arc<Mutex<std::collections::HashMap<String, String>>>,
}

fn serve_https(cert: &[u8], key: &[u8]) -> Tls {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(cert).unwrap()],
            PrivateKeyDer::from_pem_slice(key).unwrap(),
        )
        .unwrap();
    let acceptor = Arc::new(config);
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let routes: Arc<Mutex<std::collections::HashMap<String, String>>> = Arc::default();
    let (counter, shared) = (accepted.clone(), routes.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let (acceptor, routes) = (acceptor.clone(), shared.clone());
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let Ok(connection) = rustls::ServerConnection::new(acceptor) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let path = read_head(&mut tls);
                let body = routes.lock().unwrap().get(&path).cloned().unwrap_or_default();
                answer(&mut tls, &body);
            });
        }
    });
    Tls { port, accepted, routes }
}

fn status_check(out: &Output) -> (Option<i32>, String, String) {
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let status = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "status")
        .cloned()
        .unwrap_or_default();
    (
        out.status.code(),
        status["code"].as_str().unwrap_or_default().to_owned(),
        status.to_string(),
    )
}

#[test]
fn verify_fetches_a_status_list_over_https_from_an_allowed_loopback_host_with_its_ca() {
    let dir = std::env::temp_dir().join(format!("passerelle-allow-host-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let p = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let (cert, key) = self_signed();
    std::fs::write(dir.join("ca.pem"), &cert).unwrap();
    let server = serve_https(&cert, &key);
    let url = format!("https://127.0.0.1:{}/lists/r1", server.port);

    assert!(passerelle(&["key", "generate", "--out", &p("key.json")])
        .status
        .success());
    let created = passerelle(&["status", "create", "--store", &p("store"), "--url", &url]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    std::fs::write(
        dir.join("unsigned.json"),
        r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:x","credentialSubject":{"id":"did:example:h"}}"#,
    )
    .unwrap();
    let issued = passerelle(&[
        "issue",
        "--key",
        &p("key.json"),
        "--set-issuer",
        "--at",
        "2026-11-23T10:00:00Z",
        "--status-store",
        &p("store"),
        "--status-list",
        &url,
        &p("unsigned.json"),
    ]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    std::fs::write(dir.join("vc.json"), &issued.stdout).unwrap();
    let publish = || {
        let out = passerelle(&[
            "status",
            "publish",
            "--store",
            &p("store"),
            "--url",
            &url,
            "--key",
            &p("key.json"),
            "--at",
            "2026-11-23T11:00:00Z",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        server
            .routes
            .lock()
            .unwrap()
            .insert("/lists/r1".into(), String::from_utf8(out.stdout).unwrap());
    };
    publish();
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify", "--json", "--at", "2026-11-23T12:00:00Z", "--fetch-status"];
        args.extend_from_slice(extra);
        let vc = p("vc.json");
        args.push(&vc);
        status_check(&passerelle(&args))
    };

    // Public hosts only by default: refused before any connection.
    let (code, status, check) = verify(&[]);
    assert_eq!((code, status.as_str()), (Some(1), "STATUS_LIST_UNAVAILABLE"), "{check}");
    assert!(check.contains("not a public address"), "{check}");
    // A name that is not the allowed one, even a longer one ending like it.
    let (_, status, check) = verify(&["--allow-host", "evil-127.0.0.1.example", "--allow-host", "localhost"]);
    assert_eq!(status, "STATUS_LIST_UNAVAILABLE", "{check}");
    assert!(check.contains("not a public address"), "{check}");
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        0,
        "a refused host was connected to"
    );

    // Allowed, but its self-signed certificate is not trusted without --ca-cert.
    let (code, status, check) = verify(&["--allow-host", "127.0.0.1"]);
    assert_eq!((code, status.as_str()), (Some(1), "STATUS_LIST_UNAVAILABLE"), "{check}");
    assert!(!check.contains("not a public address"), "{check}");
    assert!(server.accepted.load(Ordering::SeqCst) >= 1);

    // Allowed, with its root: the list is fetched, verified and read.
    let ca = p("ca.pem");
    let (code, status, check) = verify(&["--allow-host", "127.0.0.1", "--ca-cert", &ca]);
    assert_eq!((code, status.as_str()), (Some(0), ""), "{check}");
    let revoked = passerelle(&[
        "status",
        "revoke",
        "--store",
        &p("store"),
        "--credential",
        &p("vc.json"),
    ]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    publish();
    let (code, status, check) = verify(&["--allow-host", &format!("127.0.0.1:{}", server.port), "--ca-cert", &ca]);
    assert_eq!((code, status.as_str()), (Some(1), "CREDENTIAL_REVOKED"), "{check}");
}

#[test]
fn verify_refuses_malformed_allow_host_and_ca_cert_values() {
    for value in ["*.example", "https://status.example", "host:0", ""] {
        let out = passerelle(&["verify", "--fetch-status", "--allow-host", value, "missing.json"]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--allow-host") && stderr.contains("OPTION_INVALID"),
            "{stderr}"
        );
    }
    // --allow-host alone would change nothing: it needs a fetch to apply to.
    let out = passerelle(&["verify", "--allow-host", "127.0.0.1", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--fetch-did-web") || stderr.contains("--fetch-status"),
        "{stderr}"
    );
    let dir = std::env::temp_dir().join(format!("passerelle-allow-host-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    let vc = dir.join("vc.json");
    std::fs::write(&vc, "{}").unwrap();
    let out = passerelle(&[
        "verify",
        "--fetch-status",
        "--allow-host",
        "127.0.0.1",
        "--ca-cert",
        bad.to_str().unwrap(),
        vc.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("OPTION_INVALID"), "{stderr}");
    let out = passerelle(&[
        "--lang",
        "fr",
        "verify",
        "--allow-host",
        "127.0.0.1",
        "--ca-cert",
        bad.to_str().unwrap(),
        "--fetch-status",
        vc.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("erreur"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
