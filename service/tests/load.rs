//! The service's state under load and faults, with the release-like
//! binary as operators run it: concurrent issuances across instances
//! sharing one database, an instance killed with SIGKILL mid-load and
//! restarted. What was acknowledged must be in the database, no status
//! index may be handed out twice, and every acknowledged revocation must
//! be in the published lists.

mod common;

use std::collections::HashSet;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{fresh_database, permit_credential, Scratch, Store, POSTGRES_VARIABLE};
use serde_json::{json, Value};

const KEK: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const PUBLIC_URL: &str = "https://issuer.example";

fn binary(database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle-service"));
    command
        .env("PASSERELLE_KEK", KEK)
        .env("PASSERELLE_DATABASE", database)
        .env("PASSERELLE_PUBLIC_URL", PUBLIC_URL)
        .env_remove("PASSERELLE_LOG");
    command
}

fn admin(database: &str, args: &[&str]) -> String {
    let out = binary(database).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One `passerelle-service serve` process.
struct Instance {
    database: String,
    port: u16,
    child: Option<Child>,
}

impl Instance {
    fn start(database: &str, port: u16) -> Instance {
        let child = binary(database)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let instance = Instance {
            database: database.to_owned(),
            port,
            child: Some(child),
        };
        instance.wait_ready();
        instance
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ureq::get(format!("{}/readyz", self.url())).call().is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("instance on port {} did not become ready", self.port);
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    fn restart(&mut self) {
        self.kill();
        *self = Instance::start(&self.database.clone(), self.port);
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// What the clients were told.
#[derive(Default)]
struct Acknowledged {
    issued: Vec<Value>,
    revoked: Vec<String>,
}

/// `total` issuances from `clients` threads spread over `urls`, each with
/// its own idempotency key and retried (on another instance) until
/// acknowledged; every tenth acknowledged credential is revoked. `fault`
/// runs once, when `fault_at` issuances are acknowledged.
fn run_load(
    urls: &[String],
    key: &str,
    total: usize,
    clients: usize,
    fault_at: usize,
    fault: impl FnOnce() + Send,
) -> Acknowledged {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    std::thread::scope(|scope| {
        for client in 0..clients {
            let (next, done, acknowledged) = (Arc::clone(&next), Arc::clone(&done), Arc::clone(&acknowledged));
            scope.spawn(move || {
                let agent = agent();
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= total {
                        break;
                    }
                    let body = json!({"credential": permit_credential(&format!("LOAD-{n}"))}).to_string();
                    let idempotency = format!("load-{n}");
                    let mut attempt = 0;
                    let credential = loop {
                        let url = &urls[(client + n + attempt) % urls.len()];
                        let answer = agent
                            .post(format!("{url}/tenants/mines/credentials/issue"))
                            .header("authorization", format!("Bearer {key}"))
                            .header("idempotency-key", &idempotency)
                            .send(&body);
                        if let Ok(mut response) = answer {
                            let status = response.status().as_u16();
                            let text = response.body_mut().read_to_string().unwrap_or_default();
                            if status == 201 {
                                let value: Value = serde_json::from_str(&text).unwrap();
                                break value["verifiableCredential"].clone();
                            }
                            assert!(status >= 500, "issuance {n}: {status} {text}");
                        }
                        attempt += 1;
                        assert!(attempt < 200, "issuance {n} never acknowledged");
                        std::thread::sleep(Duration::from_millis(25));
                    };
                    let id = credential["id"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap().issued.push(credential);
                    if n % 10 == 0 {
                        let body = json!({
                            "credentialId": id,
                            "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
                            "status": true,
                        })
                        .to_string();
                        let url = &urls[(client + n + 1) % urls.len()];
                        let answer = agent
                            .post(format!("{url}/tenants/mines/credentials/status"))
                            .header("authorization", format!("Bearer {key}"))
                            .send(&body);
                        // Acknowledged only on 200; a killed instance's answer is lost.
                        if answer.is_ok_and(|r| r.status().as_u16() == 200) {
                            acknowledged.lock().unwrap().revoked.push(id);
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        let done = Arc::clone(&done);
        scope.spawn(move || {
            while done.load(Ordering::SeqCst) < fault_at.min(total) {
                std::thread::sleep(Duration::from_millis(5));
            }
            fault();
        });
    });
    Arc::try_unwrap(acknowledged).ok().unwrap().into_inner().unwrap()
}

/// Checks the database and the published lists against what was acknowledged.
fn check(database: &str, verifier_url: &str, acknowledged: &Acknowledged, total: usize) {
    assert_eq!(acknowledged.issued.len(), total);
    // No index twice among the acknowledged credentials.
    let mut taken = HashSet::new();
    for credential in &acknowledged.issued {
        for entry in credential["credentialStatus"].as_array().unwrap() {
            let index = (
                entry["statusListCredential"].as_str().unwrap().to_owned(),
                entry["statusListIndex"].as_str().unwrap().to_owned(),
            );
            assert!(taken.insert(index.clone()), "index handed out twice: {index:?}");
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use sqlx::Row as _;
        let db = passerelle_service::db::Db::connect(database).await.unwrap();
        let pool = db.pool();
        let count = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_one(pool)
                .await
                .unwrap()
                .try_get::<i64, _>("n")
                .unwrap()
        };
        // Exactly one credential per logical issuance: retries were replays.
        assert_eq!(count("SELECT COUNT(*) AS n FROM credentials").await, total as i64);
        assert_eq!(
            count("SELECT COUNT(*) AS n FROM status_entries").await,
            2 * total as i64
        );
        let ids: HashSet<String> = sqlx::query("SELECT credential_id FROM audit_log WHERE action = 'issue'")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("credential_id").unwrap())
            .collect();
        let revoked: HashSet<String> = sqlx::query("SELECT credential_id FROM audit_log WHERE action = 'revoke'")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("credential_id").unwrap())
            .collect();
        for credential in &acknowledged.issued {
            let id = credential["id"].as_str().unwrap();
            assert!(ids.contains(id), "acknowledged issuance {id} is not in the audit log");
        }
        for id in &acknowledged.revoked {
            assert!(
                revoked.contains(id),
                "acknowledged revocation {id} is not in the audit log"
            );
        }
    });
    // Every acknowledged revocation is in the published list; the others verify.
    let agent = agent();
    let revoked: HashSet<&str> = acknowledged.revoked.iter().map(String::as_str).collect();
    assert!(
        revoked.len() >= total / 20,
        "too few revocations were acknowledged: {}",
        revoked.len()
    );
    for credential in acknowledged.issued.iter().step_by(7).chain(
        acknowledged
            .issued
            .iter()
            .filter(|c| revoked.contains(c["id"].as_str().unwrap())),
    ) {
        let body = json!({"verifiableCredential": credential}).to_string();
        let mut answer = agent
            .post(format!("{verifier_url}/credentials/verify"))
            .send(&body)
            .unwrap();
        let status = answer.status().as_u16();
        let text = answer.body_mut().read_to_string().unwrap();
        let id = credential["id"].as_str().unwrap();
        if revoked.contains(id) {
            assert!(
                status == 400 && text.contains("\"code\":\"CREDENTIAL_REVOKED\""),
                "{id}: {status} {text}"
            );
        } else if status != 200 {
            // Revoked though its acknowledgement was lost with a killed instance.
            assert!(
                text.contains("\"code\":\"CREDENTIAL_REVOKED\""),
                "{id}: {status} {text}"
            );
        }
    }
}

fn set_up(database: &str) -> String {
    admin(database, &["tenant", "create", "mines", "--type", "MinesPermit"]);
    admin(
        database,
        &[
            "api-key", "create", "--tenant", "mines", "--scope", "issue", "--scope", "status",
        ],
    )
}

fn postgres_database(scratch: &Scratch) -> Option<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if std::env::var(POSTGRES_VARIABLE).is_err() {
        common::stores(); // fails under CI
        return None;
    }
    Some(fresh_database(&runtime, Store::Postgres, scratch))
}

#[test]
fn two_thousand_concurrent_issuances_across_two_instances_on_postgres() {
    let scratch = Scratch::new("load");
    let Some(database) = postgres_database(&scratch) else {
        return;
    };
    let key = set_up(&database);
    let a = Instance::start(&database, free_port());
    let b = Instance::start(&database, free_port());
    let urls = [a.url(), b.url()];
    let acknowledged = run_load(&urls, &key, 2000, 64, 0, || {});
    check(&database, &a.url(), &acknowledged, 2000);
    // Both instances publish the same statuses.
    check(&database, &b.url(), &acknowledged, 2000);
}

#[test]
fn an_instance_killed_mid_load_loses_nothing_on_postgres() {
    let scratch = Scratch::new("kill-pg");
    let Some(database) = postgres_database(&scratch) else {
        return;
    };
    let key = set_up(&database);
    let a = Mutex::new(Instance::start(&database, free_port()));
    let b = Instance::start(&database, free_port());
    let urls = [a.lock().unwrap().url(), b.url()];
    let acknowledged = run_load(&urls, &key, 1000, 32, 300, || a.lock().unwrap().restart());
    check(&database, &urls[0], &acknowledged, 1000);
}

#[test]
fn the_single_instance_killed_mid_load_loses_nothing_on_sqlite() {
    let scratch = Scratch::new("kill-sqlite");
    let database = format!("sqlite://{}/state.db", scratch.0.display());
    let key = set_up(&database);
    let a = Mutex::new(Instance::start(&database, free_port()));
    let urls = [a.lock().unwrap().url()];
    let acknowledged = run_load(&urls, &key, 600, 16, 200, || a.lock().unwrap().restart());
    check(&database, &urls[0], &acknowledged, 600);
}
