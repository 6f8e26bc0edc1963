//! docs/service.md's transcript, run as written (bash and curl) against
//! the binary started the documented way in an empty folder, twice: the
//! outputs must be the ones the page shows.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn the_operators_guide_transcript_runs_as_shown() {
    let page = include_str!("../../docs/service.md");
    let start = page.find("KEY=$(cat data/demo-api-key)").expect("the transcript");
    let block = &page[start..];
    let block = &block[..block.find("```").unwrap()];
    let expected: Vec<&str> = block.lines().filter_map(|l| l.strip_prefix("# ")).collect();
    assert_eq!(expected.len(), 6, "{expected:?}");

    let folder = std::env::temp_dir().join(format!("passerelle-transcript-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_passerelle-service"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .current_dir(&folder)
        .env_remove("PASSERELLE_DATABASE")
        .env_remove("PASSERELLE_PUBLIC_URL")
        .env_remove("PASSERELLE_KEK")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the service did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let script = block.replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"));
    for run in 0..2 {
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&folder)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let got: Vec<&str> = text.lines().collect();
        assert_eq!(
            got,
            expected,
            "run {run}; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&folder);
}
