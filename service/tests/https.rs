//! The service over HTTPS with a configured certificate: in-process and as
//! the binary is started (`serve --tls-cert … --tls-key …`), the options
//! refused, plain HTTP on the TLS port, a handshake that never ends.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::tls::{agent_trusting, self_signed, TestCert};
use common::{start_with, Scratch, Setup, Store};
use passerelle_service::http::Limits;

fn https_setup(cert: &TestCert, limits: Limits) -> Setup {
    Setup {
        limits,
        tls: Some(cert.clone()),
        ..Setup::default()
    }
}

#[test]
fn the_service_answers_over_https_and_names_https_urls() {
    let scratch = Scratch::new("https");
    let cert = self_signed(&scratch.0, "service");
    let service = start_with(Store::Sqlite, https_setup(&cert, Limits::default()));
    assert!(service.base.starts_with("https://127.0.0.1:"), "{}", service.base);
    assert_eq!(service.get("/healthz", &[]).status, 200);
    let credential = service.issued("MX-tls");
    let list = credential["credentialStatus"][0]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(list.starts_with("https://127.0.0.1:"), "{list}");
    // The status list the credential names is served at that URL.
    let path = list.trim_start_matches(&service.base);
    assert_eq!(service.get(path, &[]).status, 200);
    assert_eq!(service.verify(&credential, "en").status, 200);
}

#[test]
fn plain_http_to_the_tls_port_gets_no_http_answer() {
    let scratch = Scratch::new("https-plain");
    let cert = self_signed(&scratch.0, "service");
    let service = start_with(Store::Sqlite, https_setup(&cert, Limits::default()));
    let address = service.base.trim_start_matches("https://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    assert!(!answer.starts_with(b"HTTP/"), "{}", String::from_utf8_lossy(&answer));
    let plain = ureq::get(format!("http://{address}/healthz")).call();
    assert!(plain.is_err(), "{plain:?}");
    // A client that trusts nothing else than the public roots refuses it.
    let untrusting = ureq::get(format!("{}/healthz", service.base)).call();
    assert!(untrusting.is_err(), "{untrusting:?}");
    assert_eq!(service.get("/healthz", &[]).status, 200);
}

/// A client that opens TCP and never finishes (or starts) its handshake is
/// dropped at the head deadline: with every connection slot taken by such
/// clients, a real one is served once the deadline has passed.
#[test]
fn stalled_handshakes_are_dropped_at_the_head_deadline_and_free_their_slots() {
    let scratch = Scratch::new("https-stall");
    let cert = self_signed(&scratch.0, "service");
    let limits = Limits {
        max_connections: 4,
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let service = start_with(Store::Sqlite, https_setup(&cert, limits));
    let address = service.base.trim_start_matches("https://").to_owned();
    let mut stalled = Vec::new();
    for i in 0..4 {
        let mut stream = TcpStream::connect(&address).unwrap();
        if i % 2 == 0 {
            // The first bytes of a ClientHello record, then nothing.
            stream.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).unwrap();
        }
        stalled.push(stream);
    }
    let started = Instant::now();
    let health = service.get("/healthz", &[]);
    assert_eq!(health.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let mut closed = 0;
    for stream in &mut stalled {
        stream.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut buf = [0u8; 256];
        // End of stream, or an alert then the end, or a reset: closed.
        loop {
            match stream.read(&mut buf) {
                Ok(0) => {
                    closed += 1;
                    break;
                }
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                    closed += 1;
                    break;
                }
                Err(_) => break,
            }
        }
    }
    assert_eq!(closed, stalled.len(), "handshakes still held open");
}

// ---- The binary, as an operator starts it ----

fn binary(scratch: &Scratch) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle-service"));
    command
        .arg("--database")
        .arg(format!("sqlite://{}/state.db", scratch.0.display()))
        .env("PASSERELLE_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
        .env_remove("PASSERELLE_DATABASE")
        .env_remove("PASSERELLE_PUBLIC_URL")
        .env_remove("PASSERELLE_TLS_CERT")
        .env_remove("PASSERELLE_TLS_KEY");
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `passerelle-service` with `args`, which must fail; its stderr.
fn refused(scratch: &Scratch, args: &[&str]) -> String {
    let out = binary(scratch).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} started");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_binary_serves_https_with_tls_cert_and_tls_key() {
    let scratch = Scratch::new("https-binary");
    let cert = self_signed(&scratch.0, "service");
    let port = free_port();
    let mut server = binary(&scratch)
        .args(["--public-url", &format!("https://127.0.0.1:{port}")])
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--tls-cert")
        .arg(&cert.cert)
        .arg("--tls-key")
        .arg(&cert.key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let agent = agent_trusting(&cert.der);
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        match agent.get(format!("https://127.0.0.1:{port}/healthz")).call() {
            Ok(answer) => break answer.status().as_u16(),
            Err(e) => {
                assert!(Instant::now() < deadline, "the service did not start: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    };
    assert_eq!(status, 200);
    assert!(ureq::get(format!("http://127.0.0.1:{port}/healthz")).call().is_err());
    let _ = server.kill();
    let out = server.wait_with_output().unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains(&format!("listening on https://127.0.0.1:{port}")),
        "{printed}"
    );
    let key_body = cert.key_pem.lines().nth(1).unwrap();
    assert!(!printed.contains(key_body), "{printed}");
}

#[test]
fn the_binary_refuses_half_a_tls_configuration_and_bad_files() {
    let scratch = Scratch::new("https-refused");
    let cert = self_signed(&scratch.0, "a");
    let other = self_signed(&scratch.0, "b");
    let (c, k) = (cert.cert.to_str().unwrap(), cert.key.to_str().unwrap());
    let https = "https://issuer.example";

    let alone = refused(&scratch, &["--public-url", https, "serve", "--tls-cert", c]);
    assert!(alone.contains("--tls-key"), "{alone}");
    let alone = refused(&scratch, &["--public-url", https, "serve", "--tls-key", k]);
    assert!(alone.contains("--tls-cert"), "{alone}");
    // The same through the environment.
    let out = binary(&scratch)
        .args(["--public-url", https, "serve"])
        .env("PASSERELLE_TLS_CERT", c)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--tls-key"), "{stderr}");

    // TLS on, an http:// public URL: refused, saying why.
    let http = refused(
        &scratch,
        &[
            "--public-url",
            "http://127.0.0.1:8080",
            "serve",
            "--tls-cert",
            c,
            "--tls-key",
            k,
        ],
    );
    assert!(http.contains("not https://"), "{http}");

    let missing = scratch.0.join("missing.pem");
    let missing = missing.to_str().unwrap();
    let error = refused(
        &scratch,
        &["--public-url", https, "serve", "--tls-cert", c, "--tls-key", missing],
    );
    assert!(error.contains("cannot read") && error.contains(missing), "{error}");

    // A key file holding a certificate has no key.
    let error = refused(
        &scratch,
        &["--public-url", https, "serve", "--tls-cert", c, "--tls-key", c],
    );
    assert!(error.contains("no PEM private key") && error.contains(c), "{error}");

    // Another certificate's key.
    let wrong = other.key.to_str().unwrap();
    let error = refused(
        &scratch,
        &["--public-url", https, "serve", "--tls-cert", c, "--tls-key", wrong],
    );
    assert!(
        error.contains("not the private key of the certificate") && error.contains(wrong),
        "{error}"
    );
    for text in [&cert.key_pem, &other.key_pem] {
        assert!(!error.contains(text.lines().nth(1).unwrap()), "{error}");
    }
}
