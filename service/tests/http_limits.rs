//! Service-grade HTTP: half-sent requests cannot hold the service, slow
//! bodies time out, and oversize bodies are refused before they are read.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{start, Store};
use passerelle_service::http::Limits;

fn short_limits() -> Limits {
    Limits {
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

#[test]
fn eleven_hundred_half_sent_requests_leave_the_service_answering_others() {
    let service = start(Store::Sqlite, short_limits());
    let address = service.url.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    // From 22 addresses, each under its share of connections.
    for i in 0..1100 {
        let mut stream = common::connect_from(10 + (i / 50) as u8, &address);
        stream
            .write_all(b"POST /credentials/verify HTTP/1.1\r\nHost: x\r\nContent-")
            .unwrap();
        slow.push(stream);
    }
    let started = Instant::now();
    let health = service.get("/healthz", &[]);
    assert_eq!(health.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let issued = service.issue("MX-busy");
    assert_eq!(issued.status, 201, "{}", issued.text);

    // Past the head deadline, the server has closed every half-sent request.
    std::thread::sleep(Duration::from_millis(2500));
    let mut closed = 0;
    for stream in &mut slow {
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let mut buf = [0u8; 256];
        match stream.read(&mut buf) {
            Ok(_) => closed += 1, // an answer (408) or end of stream
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            Err(_) => {}
        }
    }
    assert_eq!(closed, slow.len(), "connections still held open");
}

#[test]
fn a_body_that_never_arrives_times_out() {
    let service = start(Store::Sqlite, short_limits());
    let address = service.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"POST /credentials/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"verifiable")
        .unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
}

#[test]
fn a_declared_oversize_body_is_refused_unread() {
    let service = start(Store::Sqlite, Limits::default());
    let address = service.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /credentials/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        passerelle_service::MAX_BODY_BYTES * 4
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("BODY_TOO_LARGE"), "{answer}");
}

#[test]
fn an_oversize_chunked_body_is_cut_off_at_the_limit() {
    let service = start(Store::Sqlite, Limits::default());
    let address = service.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    let key = service.key.clone();
    let head = format!(
        "POST /tenants/mines/credentials/issue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent <= passerelle_service::MAX_BODY_BYTES {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break; // the server answered and closed
        }
        sent += chunk.len();
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("BODY_TOO_LARGE"), "{answer}");
    assert_eq!(service.count("credentials"), 0);
}

#[test]
fn a_client_over_its_rate_is_refused_with_retry_after_and_others_are_not() {
    let setup = common::Setup {
        rate_limit: Some(20),
        ..common::Setup::default()
    };
    let service = common::start_with(Store::Sqlite, setup);
    let mut limited = 0;
    for _ in 0..60 {
        let answer = service.get("/healthz", &[]);
        if answer.status == 429 {
            assert_eq!(answer.body["code"], "RATE_LIMITED");
            limited += 1;
        }
    }
    assert!(limited >= 30, "only {limited} of 60 refused at 20/s");
    // A bearer credential, real or made up, does not buy the same address
    // a fresh budget (the address's bucket is empty).
    let auth = format!("Bearer {}", service.key);
    assert_eq!(service.get("/healthz", &[("authorization", &auth)]).status, 429);
    assert_eq!(
        service
            .get("/healthz", &[("authorization", "Bearer psk_made_up")])
            .status,
        429
    );
    // The bucket refills at its rate.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(service.get("/healthz", &[("authorization", &auth)]).status, 200);
}

/// An outside review held 1 GB of memory with 1 000 unauthenticated
/// near-megabyte bodies: the issuing endpoints now know the caller before
/// they read a body.
#[test]
fn an_unauthenticated_body_is_refused_before_it_is_read() {
    let service = start(Store::Sqlite, Limits::default());
    let address = service.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /tenants/mines/credentials/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"credential\":",
        passerelle_service::MAX_BODY_BYTES - 10
    );
    stream.write_all(head.as_bytes()).unwrap();
    // The body never comes; the answer does.
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}

/// An outside review held every connection slot from one address with
/// keep-alive connections each sending a request now and then: one
/// address now holds at most its share, and others are still served.
#[test]
fn one_address_holds_at_most_its_share_of_connections() {
    let limits = Limits {
        max_connections: 100,
        max_connections_per_address: 8,
        ..short_limits()
    };
    let service = start(Store::Sqlite, limits);
    let address = service.url.trim_start_matches("http://").to_owned();
    let held: Vec<TcpStream> = (0..8).map(|_| common::connect_from(20, &address)).collect();
    std::thread::sleep(Duration::from_millis(100));
    // The ninth from that address is closed at once, unanswered.
    let mut ninth = common::connect_from(20, &address);
    let _ = ninth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ninth.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut buf = [0u8; 64];
    let read = ninth.read(&mut buf);
    let closed = match &read {
        Ok(0) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        Ok(_) => false,
    };
    assert!(
        closed,
        "a ninth connection from one address was kept: {read:?} {:?}",
        String::from_utf8_lossy(&buf)
    );
    // Another address is served.
    let mut other = common::connect_from(21, &address);
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    other.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(held);
}
