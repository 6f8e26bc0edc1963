//! An authorization server's JWKS fetched from a URL: a loopback HTTP
//! server (allowed explicitly with `--oauth-allow-host`) serves it and
//! counts the fetches. Tokens verify with its keys; a key rotated at the
//! server is taken on the first token naming it, and a second unknown
//! `kid` within a minute is refused without another fetch; a failed fetch
//! keeps the last good keys; a private address not allowed, plain HTTP to
//! a host not allowed, and an oversize JWKS are refused at start. SQLite
//! only: nothing here is the store's.

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{Ipv4Addr, TcpListener};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{permit_credential, start_with, Scratch, Service, Setup, Store};
use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::net::allow::AllowedHost;
use passerelle_service::jwks::{JwksUrl, MAX_JWKS_BYTES};
use passerelle_service::oauth::OAuth;
use serde_json::{json, Value};

const ISSUER: &str = "https://login.example/realms/gov";
const AUDIENCE: &str = "https://vc.example/api";

/// What the loopback authorization server answers, and how often it was asked.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
}

struct JwksServer {
    port: u16,
    answer: Arc<Mutex<Answer>>,
    fetches: Arc<AtomicUsize>,
}

impl JwksServer {
    /// Serves `body` at every path, one connection after the other.
    fn start(body: String) -> JwksServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let answer = Arc::new(Mutex::new(Answer { status: 200, body }));
        let fetches = Arc::new(AtomicUsize::new(0));
        let (served, counter) = (Arc::clone(&answer), Arc::clone(&fetches));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 2 {
                    line.clear();
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let Answer { status, body } = served.lock().unwrap().clone();
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/jwk-set+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        JwksServer { port, answer, fetches }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/realms/gov/jwks", self.port)
    }

    fn allowed(&self) -> Vec<AllowedHost> {
        vec![AllowedHost::parse(&format!("127.0.0.1:{}", self.port)).unwrap()]
    }

    fn serve(&self, status: u16, body: String) {
        *self.answer.lock().unwrap() = Answer { status, body };
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// A JWKS holding `keys`, each with its kid.
fn jwks(keys: &[(&str, &Ed25519KeyPair)]) -> String {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(kid, key)| {
            let mut jwk = key.public_key().to_jwk();
            jwk["kid"] = json!(kid);
            jwk
        })
        .collect();
    json!({ "keys": keys }).to_string()
}

/// An access token with scope `issue:mines`, signed by `key` and naming `kid`.
fn token(kid: &str, key: &Ed25519KeyPair) -> String {
    let now = common::clock().unix_seconds();
    let header = json!({"typ": "at+jwt", "alg": "EdDSA", "kid": kid});
    let claims = json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "client_id": "permits-portal",
        "iat": now - 30, "exp": now + 300, "scope": "issue:mines",
    });
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = key.sign(input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&signature))
}

fn issue_with(service: &Service, token: &str, permit: &str) -> common::Answer {
    let body = json!({"credential": permit_credential(permit)}).to_string();
    service.post("/tenants/mines/credentials/issue", Some(token), &body)
}

/// The service trusting `ISSUER` with the JWKS at `server`'s URL.
fn service_for(server: &JwksServer) -> Service {
    let mut oauth = OAuth::new(AUDIENCE).unwrap();
    let source = JwksUrl::new(&server.url(), &server.allowed()).unwrap();
    oauth.add_issuer_url(ISSUER, source).unwrap();
    start_with(
        Store::Sqlite,
        Setup {
            oauth: Some(oauth),
            ..Setup::default()
        },
    )
}

#[test]
fn a_rotated_key_is_fetched_on_its_first_token_and_unknown_kids_are_rate_limited() {
    let first = Ed25519KeyPair::generate().unwrap();
    let second = Ed25519KeyPair::generate().unwrap();
    let server = JwksServer::start(jwks(&[("ed-1", &first)]));
    let service = service_for(&server);
    assert_eq!(server.fetches(), 1, "fetched once at start");

    let issued = issue_with(&service, &token("ed-1", &first), "MX-jwks-1");
    assert_eq!(issued.status, 201, "{}", issued.text);
    assert_eq!(server.fetches(), 1, "a known kid fetches nothing");

    // The authorization server rotates: ed-2 replaces ed-1.
    server.serve(200, jwks(&[("ed-2", &second)]));
    let issued = issue_with(&service, &token("ed-2", &second), "MX-jwks-2");
    assert_eq!(issued.status, 201, "{}", issued.text);
    assert_eq!(server.fetches(), 2, "the unknown kid fetched the JWKS once");

    // Within the minute, other unknown kids — and the key removed — are
    // refused without asking the authorization server again.
    let stranger = Ed25519KeyPair::generate().unwrap();
    for (kid, key) in [("ed-3", &stranger), ("random-kid", &stranger), ("ed-1", &first)] {
        let refused = issue_with(&service, &token(kid, key), "MX-jwks-x");
        assert_eq!(refused.status, 401, "{kid}: {}", refused.text);
        assert_eq!(refused.body["code"], "AUTH_INVALID", "{kid}");
        assert!(refused.text.contains("no key"), "{kid}: {}", refused.text);
    }
    assert_eq!(server.fetches(), 2, "an unknown kid within 60 s fetched again");
    assert_eq!(issue_with(&service, &token("ed-2", &second), "MX-jwks-3").status, 201);
}

#[test]
fn a_failed_fetch_keeps_the_last_good_keys() {
    let key = Ed25519KeyPair::generate().unwrap();
    let server = JwksServer::start(jwks(&[("ed-1", &key)]));
    let service = service_for(&server);
    server.serve(503, "{}".into());
    let stranger = Ed25519KeyPair::generate().unwrap();
    let refused = issue_with(&service, &token("ed-9", &stranger), "MX-fail-1");
    assert_eq!(refused.status, 401, "{}", refused.text);
    assert_eq!(server.fetches(), 2, "the unknown kid asked again");
    let issued = issue_with(&service, &token("ed-1", &key), "MX-fail-2");
    assert_eq!(issued.status, 201, "{}", issued.text);
}

#[test]
fn private_addresses_plain_http_and_oversize_sets_are_refused_at_start() {
    let key = Ed25519KeyPair::generate().unwrap();
    let server = JwksServer::start(jwks(&[("ed-1", &key)]));
    let port = server.port;
    let add = |url: &str, allowed: &[AllowedHost]| {
        let source = JwksUrl::new(url, allowed)?;
        OAuth::new(AUDIENCE).unwrap().add_issuer_url(ISSUER, source)
    };

    // Not allowed: loopback is not a public address, whatever its name.
    for url in [
        format!("https://127.0.0.1:{port}/jwks"),
        format!("https://localhost:{port}/jwks"),
        format!("https://[::ffff:127.0.0.1]:{port}/jwks"),
    ] {
        let refused = add(&url, &[]).unwrap_err().to_string();
        assert!(refused.contains("is not a public address"), "{url}: {refused}");
        assert!(refused.contains("--oauth-allow-host"), "{url}: {refused}");
    }
    // Allowing another port of the same host allows nothing here.
    let other_port = [AllowedHost::parse(&format!("127.0.0.1:{}", port.wrapping_add(1))).unwrap()];
    let refused = add(&format!("https://127.0.0.1:{port}/jwks"), &other_port).unwrap_err();
    assert!(refused.to_string().contains("is not a public address"), "{refused}");
    // Plain HTTP only to a host allowed explicitly.
    let refused = add(&server.url(), &[]).unwrap_err().to_string();
    assert!(refused.contains("plain http"), "{refused}");
    assert_eq!(server.fetches(), 0, "a refused URL was fetched");

    // Over the size limit.
    let padding = "x".repeat(MAX_JWKS_BYTES);
    let mut oversize: Value = serde_json::from_str(&jwks(&[("ed-1", &key)])).unwrap();
    oversize["padding"] = json!(padding);
    server.serve(200, oversize.to_string());
    let refused = add(&server.url(), &server.allowed()).unwrap_err().to_string();
    assert!(
        refused.contains(&format!("larger than {MAX_JWKS_BYTES} bytes")),
        "{refused}"
    );
    // Not a JWKS, and an error status.
    server.serve(200, "<html>login</html>".into());
    let refused = add(&server.url(), &server.allowed()).unwrap_err().to_string();
    assert!(refused.contains("not a JSON object"), "{refused}");
    server.serve(404, "{}".into());
    let refused = add(&server.url(), &server.allowed()).unwrap_err().to_string();
    assert!(refused.contains("answered 404"), "{refused}");
    // The same server, allowed and sane, is taken.
    server.serve(200, jwks(&[("ed-1", &key)]));
    add(&server.url(), &server.allowed()).unwrap();
}

#[test]
fn the_binary_refuses_to_start_with_a_jwks_url_it_may_not_fetch() {
    let scratch = Scratch::new("jwks-start");
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let database = format!("sqlite://{}/state.db", scratch.0.display());
    let output = Command::new(env!("CARGO_BIN_EXE_passerelle-service"))
        .args([
            "--database",
            &database,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(["--oauth-issuer", ISSUER, "--oauth-jwks"])
        .arg(format!("https://127.0.0.1:{port}/jwks"))
        .env("PASSERELLE_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        .env_remove("PASSERELLE_DATABASE")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("127.0.0.1 is not a public address") && stderr.contains("--oauth-allow-host"),
        "{stderr}"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the service listens"
    );
}
