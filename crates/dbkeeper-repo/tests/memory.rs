//! Memory stays flat: 200 MiB streamed through zstd + age to a local directory and S3 at once,
//! and read back from both, while this process's peak RSS grows by less than 100 MiB.
//!
//! Alone in its test binary, so that no other test's allocations count; and the S3 server runs
//! in a child process (this same binary, re-run for `s3_server_child`), so that its buffers do
//! not count as dbkeeper's either.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use dbkeeper_core::secret::Secret;
use dbkeeper_repo::*;
use dbkeeper_testkit::s3 as testkit_s3;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

const MIB: usize = 1024 * 1024;
const CHILD_ENV: &str = "DBKEEPER_REPO_S3_CHILD";

/// Peak resident set size of this process so far, in bytes (`VmHWM`).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM line");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("VmHWM value");
    kb * 1024
}

/// Not a test of its own: when the memory test runs this binary again with `CHILD_ENV` set,
/// this serves S3 until its standard input closes (the parent finished or died).
#[test]
fn s3_server_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let server = S3Server::start();
    println!("S3-ENDPOINT {}", server.endpoint);
    let mut rest = String::new();
    let _ = std::io::stdin().read_line(&mut rest);
    drop(server);
}

/// The S3 server in a child process, stopped when dropped.
struct ChildServer {
    child: Child,
    endpoint: String,
}

impl ChildServer {
    fn start() -> ChildServer {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "s3_server_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn the S3 server child");
        let stdout = child.stdout.take().expect("child stdout");
        let mut lines = BufReader::new(stdout).lines();
        let endpoint = loop {
            let line = lines
                .next()
                .expect("the S3 child printed its endpoint")
                .expect("read child output");
            // The harness prints "test s3_server_child ... " on the same line first.
            if let Some((_, e)) = line.split_once("S3-ENDPOINT ") {
                break e.trim().to_string();
            }
        };
        // Keep reading what the child prints, so that it never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        ChildServer { child, endpoint }
    }

    fn url(&self, prefix: &str) -> String {
        format!(
            "s3://{}/{prefix}?endpoint={}&region={}&path_style=true",
            testkit_s3::BUCKET,
            self.endpoint,
            testkit_s3::REGION
        )
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // end of input: the child stops and cleans up
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_mib_to_local_and_s3_in_bounded_memory() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let server = ChildServer::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let local = local_repo(&dir.path().join("repo"), &keys).await;
    let opts = S3Options {
        credentials: Some(S3Credentials {
            access_key_id: testkit_s3::ACCESS_KEY.into(),
            secret_access_key: Secret::new(testkit_s3::SECRET_KEY),
            session_token: None,
        }),
        ..S3Options::default()
    };
    let store = open_store(
        &RepoLocation::parse(&server.url("mem")).expect("url"),
        &opts,
    )
    .await
    .expect("store");
    let s3 = Repository::open_or_init(store, "offsite", &keys)
        .await
        .expect("s3 repo");
    let before = peak_rss();

    let total = 200 * MIB;
    let started = std::time::Instant::now();
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(local.clone(), keys.clone()), (s3.clone(), keys.clone())],
        WriteOptions::default(),
    )
    .expect("begin");
    let mut obj = backup.object("big.copy").expect("object");
    let mut gen = Gen::new(2026);
    let mut plain_sha = Sha256::new();
    let mut written = 0;
    while written < total {
        let chunk = gen.chunk(MIB);
        plain_sha.update(&chunk);
        obj.write(chunk).await.expect("write");
        written += MIB;
    }
    let rec = obj.finish().await.expect("finish");
    assert_eq!(rec.copies.len(), 2, "{:?}", rec.failed);
    backup.commit(facts()).await.expect("commit");
    let write_secs = started.elapsed().as_secs_f64();
    let after_write = peak_rss().saturating_sub(before);
    let plain_sha = hex::encode(plain_sha.finalize());

    let decrypt = identity(&key_file);
    for repo in [&local, &s3] {
        let m = repo.latest("prod").await.expect("latest").expect("backup");
        let mut reader = repo
            .open_object(&m, "big.copy", &decrypt)
            .await
            .expect("open");
        let mut sha = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut n_total = 0usize;
        loop {
            let n = reader
                .read(&mut buf)
                .await
                .map_err(error_from_io)
                .expect("read");
            if n == 0 {
                break;
            }
            sha.update(&buf[..n]);
            n_total += n;
        }
        assert_eq!(n_total, total);
        assert_eq!(hex::encode(sha.finalize()), plain_sha, "{}", repo.label());
    }

    let grown = peak_rss().saturating_sub(before);
    eprintln!(
        "200 MiB to local+S3 in {write_secs:.1}s; peak RSS grew by {} MiB writing, {} MiB in all",
        after_write / MIB as u64,
        grown / MIB as u64
    );
    assert!(
        grown < 100 * MIB as u64,
        "peak RSS grew by {} MiB",
        grown / MIB as u64
    );
}
