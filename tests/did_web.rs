//! did:web over HTTP(S) against a loopback server: paths and ports, the
//! private-address guard (with the system resolver and with a stand-in
//! host resolver), redirects, size limits, wrong ids, timeouts, caching, and
//! a credential verified end to end.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use passerelle::crypto::{Ed25519KeyPair, Signer};
use passerelle::did::web_resolver::WebResolver;
use passerelle::did::DidResolver;
use passerelle::{ErrorCode, Issuer, Timestamp, Verifier, VerifyOptions};
use serde_json::json;

struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    /// Extra paths and bodies, filled once the port is known.
    routes: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

fn document(did: &str, key: &Ed25519KeyPair) -> String {
    json!({
        "id": did,
        "verificationMethod": [{"id": format!("{did}#key-1"), "type": "Multikey", "controller": did,
                                "publicKeyMultibase": key.public_key_multibase()}],
        "assertionMethod": [format!("{did}#key-1")]
    })
    .to_string()
}

/// The time of resolutions that do not verify a credential (a did:web
/// document has no history; a did:webvh log answers as of this time).
fn at() -> Timestamp {
    Timestamp::parse("2026-11-23T00:00:00Z").unwrap()
}

fn key() -> Ed25519KeyPair {
    Ed25519KeyPair::from_seed(&[61; 32])
}

/// A tiny HTTP/1.1 server on an ephemeral loopback port.
fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let routes: Arc<std::sync::Mutex<std::collections::HashMap<String, String>>> = Arc::default();
    let shared = routes.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            let routes = shared.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                let base = format!("did:web:localhost%3A{port}");
                let routed = routes.lock().unwrap().get(&path).cloned();
                let (status, extra, body) = match path.as_str() {
                    _ if routed.is_some() => ("200 OK", String::new(), routed.unwrap_or_default()),
                    "/.well-known/did.json" => ("200 OK", String::new(), document(&base, &key())),
                    "/user/alice/did.json" => {
                        ("200 OK", String::new(), document(&format!("{base}:user:alice"), &key()))
                    }
                    "/redirect/did.json" => (
                        "302 Found",
                        "Location: http://example.com/did.json\r\n".to_owned(),
                        String::new(),
                    ),
                    "/big/did.json" => (
                        "200 OK",
                        String::new(),
                        format!("{{\"id\": \"{base}:big\", \"padding\": \"{}\"}}", "x".repeat(400_000)),
                    ),
                    "/wrong/did.json" => (
                        "200 OK",
                        String::new(),
                        document("did:web:someone-else.example", &key()),
                    ),
                    "/slow/did.json" => {
                        std::thread::sleep(Duration::from_secs(3));
                        ("200 OK", String::new(), document(&format!("{base}:slow"), &key()))
                    }
                    _ => ("404 Not Found", String::new(), String::new()),
                };
                let mut stream = stream;
                let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}", body.len());
            });
        }
    });
    Server { port, requests, routes }
}

fn local_resolver() -> WebResolver {
    WebResolver::new(Duration::from_millis(1500))
        .allow_private_addresses(true)
        .plain_http_on_loopback(true)
}

#[test]
fn resolves_root_and_path_documents_on_an_allowed_loopback_host() {
    let server = start();
    let resolver = local_resolver();
    let root = format!("did:web:localhost%3A{}", server.port);
    assert_eq!(resolver.resolve(&root, at()).unwrap().id(), root);
    let alice = format!("{root}:user:alice");
    assert_eq!(resolver.resolve(&alice, at()).unwrap().id(), alice);
}

#[test]
fn private_and_loopback_hosts_are_refused_by_default() {
    let server = start();
    let did = format!("did:web:localhost%3A{}", server.port);
    let error = WebResolver::new(Duration::from_secs(1))
        .resolve(&did, at())
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::DidNotFound);
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    assert_eq!(server.requests.load(Ordering::SeqCst), 0, "nothing may be sent");
}

#[test]
fn redirects_oversize_documents_wrong_ids_and_slow_servers_are_refused() {
    let server = start();
    let resolver = local_resolver();
    let base = format!("did:web:localhost%3A{}", server.port);
    assert_eq!(
        resolver.resolve(&format!("{base}:redirect"), at()).unwrap_err().code(),
        ErrorCode::DidNotFound
    );
    assert_eq!(
        resolver.resolve(&format!("{base}:big"), at()).unwrap_err().code(),
        ErrorCode::DidDocumentInvalid
    );
    assert_eq!(
        resolver.resolve(&format!("{base}:wrong"), at()).unwrap_err().code(),
        ErrorCode::DidDocumentInvalid
    );
    assert_eq!(
        resolver.resolve(&format!("{base}:missing"), at()).unwrap_err().code(),
        ErrorCode::DidNotFound
    );
    let started = std::time::Instant::now();
    assert_eq!(
        resolver.resolve(&format!("{base}:slow"), at()).unwrap_err().code(),
        ErrorCode::DidNotFound
    );
    assert!(
        started.elapsed() < Duration::from_millis(2900),
        "the timeout did not cut the request"
    );
}

#[test]
fn documents_are_cached() {
    let server = start();
    let resolver = local_resolver();
    let did = format!("did:web:localhost%3A{}", server.port);
    resolver.resolve(&did, at()).unwrap();
    resolver.resolve(&did, at()).unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    let no_cache = local_resolver().cache_ttl(Duration::ZERO);
    no_cache.resolve(&did, at()).unwrap();
    no_cache.resolve(&did, at()).unwrap();
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[test]
fn a_did_web_issuer_verifies_against_the_loopback_server() {
    let server = start();
    let did = format!("did:web:localhost%3A{}", server.port);
    let issuer = Issuer::new(key(), format!("{did}#key-1")).unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": did, "credentialSubject": {"id": "did:example:x"}
    });
    let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    let credential = issuer.issue(unsigned.as_object().unwrap().clone(), at).unwrap();
    let report = Verifier::new(local_resolver()).verify(credential.to_json_string().as_bytes(), &VerifyOptions::at(at));
    assert!(report.verified(), "{}", report.render(passerelle::Lang::En));
    assert_eq!(key().public_key(), issuer_key(&did));
}

fn issuer_key(did: &str) -> passerelle::crypto::PublicKey {
    local_resolver()
        .resolve(did, at())
        .unwrap()
        .verification_method(&format!("{did}#key-1"))
        .unwrap()
        .public_key
}

#[test]
fn a_did_webvh_issuer_verifies_and_a_tampered_log_is_refused() {
    use passerelle::did::webvh::WebvhLog;
    let server = start();
    let location = format!("localhost%3A{}:dids:issuer", server.port);
    let update_key = Ed25519KeyPair::from_seed(&[62; 32]);
    let template = format!("did:webvh:{{SCID}}:{location}");
    let doc = json!({
        "id": template,
        "verificationMethod": [{"id": format!("{template}#key-1"), "type": "Multikey", "controller": template,
                                "publicKeyMultibase": key().public_key_multibase()}],
        "assertionMethod": [format!("{template}#key-1")]
    });
    let log = WebvhLog::create(
        &location,
        doc,
        &update_key,
        vec![],
        Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
    )
    .unwrap();
    let did = log.did().to_owned();
    server
        .routes
        .lock()
        .unwrap()
        .insert("/dids/issuer/did.jsonl".into(), log.to_jsonl());

    let issuer = Issuer::new(key(), format!("{did}#key-1")).unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": did, "credentialSubject": {"id": "did:example:x"}
    });
    let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), at)
        .unwrap()
        .to_json_string();
    let report = Verifier::new(local_resolver()).verify(credential.as_bytes(), &VerifyOptions::at(at));
    assert!(
        report.verified(),
        "{} {:?}",
        report.render(passerelle::Lang::En),
        local_resolver().resolve(&did, at).err()
    );

    // The same log with the key in the document swapped: the entry hash no longer matches.
    let attacker = Ed25519KeyPair::from_seed(&[66; 32]).public_key_multibase();
    let tampered = log.to_jsonl().replace(&key().public_key_multibase(), &attacker);
    server
        .routes
        .lock()
        .unwrap()
        .insert("/dids/issuer/did.jsonl".into(), tampered);
    let report = Verifier::new(local_resolver()).verify(credential.as_bytes(), &VerifyOptions::at(at));
    assert_eq!(
        report.failures().into_iter().map(|(_, c)| c).collect::<Vec<_>>(),
        [ErrorCode::DidLogInvalid]
    );
}

#[test]
fn status_lists_are_fetched_over_http_with_the_same_guards() {
    use passerelle::status::{HttpStatusLists, StatusList, MIN_ENTRIES};
    let server = start();
    let url = format!("https://localhost:{}/status/revocation-1", server.port);
    let issuer = Issuer::did_key(Ed25519KeyPair::from_seed(&[63; 32]));
    let mut list = StatusList::new(url.clone(), "revocation", MIN_ENTRIES, 1).unwrap();
    let entry = list.allocate().unwrap();
    let at = Timestamp::parse("2026-11-23T00:00:00Z").unwrap();
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": issuer.did(), "credentialSubject": {"id": "did:example:x"}, "credentialStatus": entry.to_json()
    });
    let credential = issuer
        .issue(unsigned.as_object().unwrap().clone(), at)
        .unwrap()
        .to_json_string();
    let publish = |list: &StatusList| {
        let body = serde_json::Value::Object(list.publish(&issuer, at, None).unwrap()).to_string();
        server
            .routes
            .lock()
            .unwrap()
            .insert("/status/revocation-1".into(), body);
    };
    publish(&list);
    let verify = |lists: HttpStatusLists| {
        Verifier::offline()
            .with_status(lists)
            .verify(credential.as_bytes(), &VerifyOptions::at(at))
    };
    assert!(verify(HttpStatusLists::with_policy(local_resolver())).verified());

    list.set(entry.index, 1).unwrap();
    publish(&list);
    let codes = |report: passerelle::Report| report.failures().into_iter().map(|(_, c)| c).collect::<Vec<_>>();
    assert_eq!(
        codes(verify(HttpStatusLists::with_policy(local_resolver()))),
        [ErrorCode::CredentialRevoked]
    );
    // The default policy does not reach loopback addresses.
    assert_eq!(
        codes(verify(HttpStatusLists::new(Duration::from_secs(1)))),
        [ErrorCode::StatusListUnavailable]
    );
}

/// Answers every lookup with the same addresses (a stand-in for DNS).
struct Answers(Vec<std::net::IpAddr>);

impl passerelle::net::resolve::HostResolver for Answers {
    fn resolve(&self, _host: &str, port: u16) -> std::io::Result<Vec<std::net::SocketAddr>> {
        Ok(self.0.iter().map(|ip| std::net::SocketAddr::new(*ip, port)).collect())
    }
}

fn answering(ips: &[&str]) -> Arc<Answers> {
    Arc::new(Answers(ips.iter().map(|ip| ip.parse().unwrap()).collect()))
}

#[test]
fn a_host_resolver_answering_loopback_is_refused_with_a_stable_code_and_nothing_is_sent() {
    use passerelle::status::{HttpStatusLists, StatusResolver};
    let server = start();
    let resolver = || WebResolver::new(Duration::from_secs(1)).with_host_resolver(answering(&["8.8.8.8", "127.0.0.1"]));
    let error = resolver()
        .resolve(&format!("did:web:issuer.example%3A{}", server.port), at())
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::DidNotFound);
    assert!(
        error.detail().contains("127.0.0.1 is not a public address"),
        "{}",
        error.detail()
    );
    let error = HttpStatusLists::with_policy(resolver())
        .status_list(&format!("https://status.example:{}/status/1", server.port))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::StatusListUnavailable);
    assert!(error.detail().contains("not a public address"), "{}", error.detail());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0, "nothing may be sent");
}

#[test]
fn the_document_comes_from_the_address_the_host_resolver_gave() {
    // `issuer.invalid` has no address in DNS (RFC 6761): only the host
    // resolver's answer leads to the loopback server.
    let server = start();
    let did = format!("did:web:issuer.invalid%3A{}:pinned", server.port);
    server
        .routes
        .lock()
        .unwrap()
        .insert("/pinned/did.json".into(), document(&did, &key()));
    let resolver = local_resolver().with_host_resolver(answering(&["127.0.0.1"]));
    assert_eq!(resolver.resolve(&did, at()).unwrap().id(), did);
}
