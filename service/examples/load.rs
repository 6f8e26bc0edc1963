//! A load generator for the service: N client threads, each with its own
//! keep-alive connection, send issuance (with status entries) or
//! verification requests round-robin over one or more instances and
//! report throughput and latency percentiles. `--kind library` measures
//! the library's in-process issuance instead, for comparison.
//!
//! ```sh
//! cargo run --release -p passerelle-service --example load -- \
//!   --url http://127.0.0.1:8080 --key "$(cat data/demo-api-key)" --tenant demo --type MinesPermit \
//!   --kind issue --clients 64 --requests 20000
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Args {
    urls: Vec<String>,
    key: String,
    tenant: String,
    credential_type: String,
    kind: String,
    clients: usize,
    requests: usize,
}

fn args() -> Args {
    let mut args = Args {
        urls: Vec::new(),
        key: String::new(),
        tenant: "demo".into(),
        credential_type: "MinesPermit".into(),
        kind: "issue".into(),
        clients: 64,
        requests: 10_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.urls.push(value.trim_end_matches('/').to_owned()),
            "--key" => args.key = value.trim().to_owned(),
            "--tenant" => args.tenant = value,
            "--type" => args.credential_type = value,
            "--kind" => args.kind = value,
            "--clients" => args.clients = value.parse().expect("--clients N"),
            "--requests" => args.requests = value.parse().expect("--requests N"),
            other => panic!("unknown flag {other}"),
        }
    }
    args
}

fn credential(args: &Args, n: usize) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", args.credential_type],
        "credentialSubject": {"id": "did:example:operator", "permitNumber": format!("LOAD-{n}")},
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn library_rate(requests: usize) {
    use passerelle::crypto::Ed25519KeyPair;
    let issuer = passerelle::Issuer::new(Ed25519KeyPair::generate().unwrap(), "did:web:issuer.example#key-1").unwrap();
    let now = passerelle::Timestamp::now();
    let started = Instant::now();
    for n in 0..requests {
        let mut c = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "MinesPermit"],
            "issuer": "did:web:issuer.example",
            "id": format!("urn:uuid:{n}"),
            "validFrom": now.to_string(),
            "credentialSubject": {"id": "did:example:operator", "permitNumber": format!("LOAD-{n}")},
            "credentialStatus": [
                {"id": format!("https://issuer.example/status/1#{n}"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": n.to_string(), "statusListCredential": "https://issuer.example/status/1"},
            ],
        });
        let map = c.as_object_mut().unwrap().clone();
        std::hint::black_box(issuer.issue(map, now).unwrap());
    }
    let elapsed = started.elapsed();
    println!(
        "library in-process issuance (one thread): {requests} in {:.2} s = {:.0}/s",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
}

fn main() {
    let args = args();
    if args.kind == "library" {
        library_rate(args.requests);
        return;
    }
    assert!(!args.urls.is_empty(), "give --url (repeatable)");
    // Verification load needs a credential to verify: issue one first.
    let sample = if args.kind == "verify" {
        let agent = ureq::Agent::new_with_defaults();
        let mut response = agent
            .post(format!("{}/tenants/{}/credentials/issue", args.urls[0], args.tenant))
            .header("authorization", format!("Bearer {}", args.key))
            .send_json(json!({"credential": credential(&args, 0)}))
            .expect("issue a sample credential");
        let value: Value = response.body_mut().read_json().unwrap();
        json!({"verifiableCredential": value["verifiableCredential"]}).to_string()
    } else {
        String::new()
    };
    let args = Arc::new(args);
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(args.requests)));
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for client in 0..args.clients {
            let (args, next, latencies, failures, sample) = (
                Arc::clone(&args),
                Arc::clone(&next),
                Arc::clone(&latencies),
                Arc::clone(&failures),
                sample.clone(),
            );
            scope.spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= args.requests {
                        break;
                    }
                    let url = &args.urls[(client + n) % args.urls.len()];
                    let t = Instant::now();
                    let result = if args.kind == "verify" {
                        agent
                            .post(format!("{url}/credentials/verify"))
                            .header("content-type", "application/json")
                            .send(&sample)
                    } else {
                        let body = json!({"credential": credential(&args, n)}).to_string();
                        agent
                            .post(format!("{url}/tenants/{}/credentials/issue", args.tenant))
                            .header("authorization", format!("Bearer {}", args.key))
                            .header("content-type", "application/json")
                            .send(&body)
                    };
                    let ok = match result {
                        Ok(mut r) => {
                            let status = r.status().as_u16();
                            let _ = r.body_mut().read_to_vec();
                            status == 200 || status == 201
                        }
                        Err(_) => false,
                    };
                    if ok {
                        mine.push(t.elapsed());
                    } else {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.lock().unwrap().extend(mine);
            });
        }
    });
    let elapsed = started.elapsed();
    let mut latencies = latencies.lock().unwrap().clone();
    latencies.sort();
    let done = latencies.len();
    println!(
        "{} over {} instance(s), {} clients: {done} ok, {} failed in {:.2} s = {:.0}/s; p50 {:.1} ms, p99 {:.1} ms",
        args.kind,
        args.urls.len(),
        args.clients,
        failures.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
}
