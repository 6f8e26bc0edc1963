//! TRQP v2 over HTTP on loopback: our client against our server, the
//! verifier using a remote registry, malformed requests, and a server that
//! never answers.

mod common;
#[path = "../examples/canada/federation.rs"]
mod federation;

use std::io::Read as _;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use federation::*;
use passerelle::did::{DidDocument, FallbackResolver, StaticResolver};
use passerelle::registry::client::TrqpClient;
use passerelle::registry::trqp::{Query, QueryContext};
use passerelle::registry::TrustStore;
use passerelle::{ErrorCode, Timestamp, Verifier, VerifyOptions};

fn resolver() -> StaticResolver {
    let mut resolver = StaticResolver::default();
    for (did, _) in ENTITIES {
        resolver.insert(DidDocument::from_json(did_document(did)).unwrap());
    }
    resolver
}

fn federation_store() -> TrustStore {
    let (snapshots, _) = Scenario::Current.snapshots();
    let mut store = TrustStore::new([FEDERAL]);
    for document in snapshots.values() {
        store
            .load_snapshot(&serde_json::to_vec(document).unwrap(), &resolver(), t(NOW))
            .unwrap();
    }
    store
}

fn demo_now() -> Timestamp {
    t(NOW)
}

/// Starts the server on an ephemeral loopback port, in its own thread.
fn start_server() -> SocketAddr {
    let store = Arc::new(federation_store());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            passerelle::registry::server::serve(listener, store, demo_now)
                .await
                .unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(10)).unwrap()
}

fn client(addr: SocketAddr) -> TrqpClient {
    TrqpClient::new(
        format!("http://{addr}"),
        vec![FEDERAL.to_owned()],
        Duration::from_secs(5),
    )
}

fn query(entity: &str, action: &str, resource: &str) -> Query {
    Query {
        entity_id: entity.into(),
        authority_id: FEDERAL.into(),
        action: action.into(),
        resource: resource.into(),
        context: Some(QueryContext { time: Some(t(ISSUED)) }),
    }
}

#[test]
fn authorization_and_recognition_queries_round_trip() {
    let client = client(start_server());
    let yes = client
        .authorization(&query(PEO_LICENSING, "issue", "ca-on-peo:ProfessionalEngineerLicence"))
        .unwrap();
    assert_eq!(yes.authorized, Some(true));
    assert_eq!(yes.time_evaluated, t(ISSUED));
    assert_eq!(yes.path.len(), 4, "anchor, two recognitions, authorization");

    let by_type = client
        .authorization(&query(BC_MINES, "issue", "MinesActPermit"))
        .unwrap();
    assert_eq!(by_type.authorized, Some(true));
    assert_eq!(by_type.matched_resource.as_deref(), Some("ca-bc:MinesActPermit"));

    let no = client
        .authorization(&query(BC_REGISTRAR, "issue", "CertificateOfIncorporation"))
        .unwrap();
    assert_eq!(no.authorized, Some(false));
    assert_eq!(no.reason.as_deref(), Some("SCOPE_VIOLATION"));

    let recognized = client
        .recognition(&query(WHITEHORSE, "recognize", "ca-yt-whitehorse:*"))
        .unwrap();
    assert_eq!(recognized.recognized, Some(true));
    let not = client.recognition(&query(NOWHERE, "recognize", "ca-ns:*")).unwrap();
    assert_eq!(not.recognized, Some(false));
}

#[test]
fn the_verifier_gives_the_same_verdicts_with_the_remote_registry() {
    let addr = start_server();
    let remote = Verifier::new(FallbackResolver(resolver(), webvh_logs()))
        .with_trust(client(addr))
        .with_status(status_lists());
    let local = Verifier::new(FallbackResolver(resolver(), webvh_logs()))
        .with_trust(federation_store())
        .with_status(status_lists());
    let options = VerifyOptions::at(t(NOW));
    let mut compared = 0;
    for line in lines().into_iter().filter(|l| l.scenario == Scenario::Current) {
        let bytes = serde_json::to_vec(&line.credential).unwrap();
        let (r, l) = (remote.verify(&bytes, &options), local.verify(&bytes, &options));
        assert_eq!(r.verified(), l.verified(), "{}", line.file);
        assert_eq!(r.failures(), l.failures(), "{}", line.file);
        assert_eq!(r.verified(), line.expected.is_none(), "{}", line.file);
        compared += 1;
    }
    assert_eq!(compared, 12);
}

fn raw_post(addr: SocketAddr, path: &str, body: &[u8]) -> (u16, String, serde_json::Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent
        .post(format!("http://{addr}{path}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn malformed_requests_get_problem_details() {
    let addr = start_server();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("/authorization", b"{not json".to_vec(), 400, "TRQP_REQUEST_INVALID"),
        (
            "/authorization",
            br#"{"entity_id": "a", "authority_id": "b", "action": "issue"}"#.to_vec(),
            400,
            "TRQP_REQUEST_INVALID",
        ),
        (
            "/authorization",
            br#"{"entity_id":"a","entity_id":"b","authority_id":"c","action":"issue","resource":"r"}"#.to_vec(),
            400,
            "TRQP_REQUEST_INVALID",
        ),
        ("/authorization", vec![b' '; 64 * 1024], 413, "TRQP_REQUEST_INVALID"),
        (
            "/authorization",
            serde_json::to_vec(&query(BC_MINES, "govern", "x")).unwrap(),
            404,
            "TRQP_REQUEST_INVALID",
        ),
        (
            "/recognition",
            serde_json::to_vec(&query(BC, "issue", "ca-bc:*")).unwrap(),
            404,
            "TRQP_REQUEST_INVALID",
        ),
        (
            "/authorization",
            br#"{"entity_id":"a","authority_id":"did:web:unknown.example","action":"issue","resource":"r"}"#.to_vec(),
            404,
            "REGISTRY_NOT_RECOGNIZED",
        ),
    ];
    for (path, body, status, code) in cases {
        let (got_status, content_type, problem) = raw_post(addr, path, &body);
        assert_eq!(
            got_status,
            status,
            "{path} {}",
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
        assert_eq!(content_type, "application/problem+json");
        assert_eq!(problem["status"], status);
        assert_eq!(problem["code"], code);
        assert!(problem["title"].is_string() && problem["type"].is_string());
    }
}

#[test]
fn a_server_that_never_answers_times_out_with_registry_unavailable() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        // Accept and read, never answer; keep the connections open.
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten().take(8) {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let client = TrqpClient::new(
        format!("http://{addr}"),
        vec![FEDERAL.to_owned()],
        Duration::from_millis(300),
    );
    let started = Instant::now();
    let error = client
        .authorization(&query(BC_MINES, "issue", "MinesActPermit"))
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::RegistryUnavailable);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );

    let line = lines()
        .into_iter()
        .find(|l| l.file == "bc-mines-act-permit.json")
        .unwrap();
    // The permit has status entries; this case is about the registry, so
    // the status check is skipped explicitly.
    let mut options = VerifyOptions::at(t(NOW));
    options.status_policy.skip_without_source = true;
    let report = Verifier::new(resolver())
        .with_trust(client)
        .verify(&serde_json::to_vec(&line.credential).unwrap(), &options);
    assert_eq!(
        report.failures().into_iter().map(|(_, c)| c).collect::<Vec<_>>(),
        [ErrorCode::RegistryUnavailable]
    );
}

#[test]
fn a_closed_port_is_registry_unavailable() {
    let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = TrqpClient::new(
        format!("http://{addr}"),
        vec![FEDERAL.to_owned()],
        Duration::from_secs(2),
    );
    assert_eq!(
        client.authorization(&query(BC_MINES, "issue", "x")).unwrap_err().code(),
        ErrorCode::RegistryUnavailable
    );
}

/// An outside review found the server answering "authorized" from
/// snapshots whose `validUntil` had passed: freshness was checked only when
/// they were loaded. Each answer now judges it at the server's time.
#[test]
fn answers_from_a_snapshot_past_its_valid_until_are_refused_as_stale() {
    let store = federation_store();
    let fresh = store
        .answer_authorization(
            &query(PEO_LICENSING, "issue", "ca-on-peo:ProfessionalEngineerLicence"),
            demo_now(),
        )
        .unwrap();
    assert_eq!(fresh.authorized, Some(true));
    let later = demo_now().plus_seconds(10 * 365 * 24 * 3600);
    let stale = store
        .answer_authorization(
            &query(PEO_LICENSING, "issue", "ca-on-peo:ProfessionalEngineerLicence"),
            later,
        )
        .unwrap();
    assert_eq!(stale.authorized, Some(false));
    assert_eq!(stale.reason.as_deref(), Some("SNAPSHOT_STALE"));
    let recognition = store
        .answer_recognition(&query(WHITEHORSE, "recognize", "ca-yt-whitehorse:*"), later)
        .unwrap();
    assert_eq!(recognition.recognized, Some(false));
    assert_eq!(recognition.reason.as_deref(), Some("SNAPSHOT_STALE"));
}

/// An outside review made the server unreachable with 1 100 half-sent
/// requests (no deadline for request heads). They no longer hold it.
#[test]
fn half_sent_requests_leave_the_server_answering() {
    use std::io::Write as _;
    let addr = start_server();
    let mut held = Vec::new();
    // From 22 addresses, each under its share of connections.
    for i in 0..1100 {
        let mut stream = common::net::connect_from(10 + (i / 50) as u8, addr);
        stream
            .write_all(b"POST /authorization HTTP/1.1\r\nHost: x\r\nContent-")
            .unwrap();
        held.push(stream);
    }
    let started = Instant::now();
    let yes = client(addr)
        .authorization(&query(PEO_LICENSING, "issue", "ca-on-peo:ProfessionalEngineerLicence"))
        .unwrap();
    assert_eq!(yes.authorized, Some(true));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // Past the 10 s head deadline the server has closed every one of them.
    std::thread::sleep(Duration::from_millis(11_000).saturating_sub(started.elapsed()));
    let mut open = 0;
    for stream in &mut held {
        stream.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        let mut buf = [0u8; 64];
        if matches!(stream.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut)
        {
            open += 1;
        }
    }
    assert_eq!(open, 0, "half-sent requests still held open");
}
