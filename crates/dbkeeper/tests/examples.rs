//! The three shipped playbooks (playbooks/*.yaml), run end to end with `dbkeeper run` against a
//! scratch PostgreSQL with the sample data, a local repository and a real S3 server on loopback.
//! Only what the customer's machines would differ in is rewritten: the inventory (where the
//! servers, repositories and channels are) and the absolute paths of the key and the reports.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use dbkeeper_testkit::s3::S3Server;
use dbkeeper_testkit::{run, url_of, Cli, PgOptions, ScratchPostgres};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A webhook receiver: answers 200 to every request and counts them.
fn hook() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(500)));
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            seen.fetch_add(1, Ordering::SeqCst);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\nConnection: close\r\n\r\n{\"errcode\":0,\"errmsg\":\"ok\"}");
        }
    });
    (url, hits)
}

/// Copies a shipped playbook into `dir`, with the host-specific paths pointed at `work`.
fn shipped(name: &str, dir: &Path, key: &Path, work: &Path) -> String {
    let text = std::fs::read_to_string(repo_root().join(format!("playbooks/{name}.yaml")))
        .expect("shipped playbook")
        .replace("/etc/dbkeeper/keys/backup.age", &key.display().to_string())
        .replace("/var/lib/dbkeeper", &work.display().to_string())
        // The sample's consultations have fixed dates (so that tests are repeatable); the
        // drill's "recent activity" query is meant for live data.
        .replace("interval '400 days'", "interval '100 years'");
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

fn cmd(c: &Cli, s3: &S3Server, hook: &str) -> assert_cmd::Command {
    let mut cmd = c.cmd();
    cmd.env("AWS_ACCESS_KEY_ID", &s3.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &s3.secret_key)
        .env("WECOM_WEBHOOK", hook)
        .env("DINGTALK_WEBHOOK", hook)
        .env("DINGTALK_SECRET", "SEC-test-signing-secret")
        .env("TEST_MAIL_HOOK", hook);
    cmd
}

#[test]
fn the_shipped_playbooks_run_end_to_end() {
    // A server set up as production would be (fsync on), with the platform's sample data.
    let pg = ScratchPostgres::start(PgOptions {
        settings: vec![
            ("fsync".into(), "on".into()),
            ("full_page_writes".into(), "on".into()),
        ],
        ..PgOptions::default()
    })
    .expect("scratch PostgreSQL");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(dbkeeper_postgres::sample::load(
        dbkeeper_testkit::ScratchInstance::target(&pg),
        "hospital",
    ))
    .expect("sample data");

    let c = cli();
    let (key, recipient) = keygen(&c, "backup.age");
    let s3 = S3Server::start();
    let (hook_url, hits) = hook();
    let dir = c.work_dir().join("playbooks");
    std::fs::create_dir_all(dir.join("inventory")).expect("mkdir");
    std::fs::create_dir_all(c.work_dir().join("drills")).expect("mkdir");
    std::fs::write(
        dir.join("inventory/prod.yaml"),
        format!(
            "version: 1\ntargets:\n  prod-pg:\n    url: {}\nrepos:\n  local:\n    url: file://{}\n    encryption: {{recipients: [{recipient}]}}\n    retention: {{keep_last: 7}}\n  offsite:\n    url: \"{}\"\n    encryption: {{recipients: [{recipient}]}}\n    retention: {{keep_daily: 30}}\nnotify:\n  dba-mail:\n    kind: webhook\n    url: {{env: TEST_MAIL_HOOK}}\n",
            url_of(&pg, Some("hospital")),
            c.work_dir().join("repo").display(),
            s3.url("dbkeeper")
        ),
    )
    .expect("inventory");
    let work = c.work_dir();

    // Nightly: one dump to local disk and S3, both pruned.
    let pb = shipped("nightly-backup", &dir, &key, &work);
    let (code, out, err) = run(cmd(&c, &s3, &hook_url).args(["--format", "json", "run", &pb]));
    assert_eq!(code, 0, "{err}\n{out}");
    let report = json(&out);
    assert_eq!(report["outcome"], "ok", "{report:#}");
    let mut lc = cmd(&c, &s3, &hook_url);
    let offsite = s3.url("dbkeeper");
    let (_, out, _) = run(lc.args(["--format", "json", "backups", "list", "--repo", &offsite]));
    assert_eq!(json(&out)[0]["backup"]["status"], "complete", "{out}");

    // Monthly: the drill restores the newest offsite backup, judges the sanity queries, files
    // the report, then sends the evidence (to the test's receiver).
    let pb = shipped("monthly-restore-drill", &dir, &key, &work);
    let (code, out, err) = run(cmd(&c, &s3, &hook_url).args(["--format", "json", "run", &pb]));
    assert_eq!(code, 0, "{err}\n{out}");
    let report = json(&out);
    assert_eq!(report["outcome"], "ok", "{report:#}");
    let drills: Vec<_> = files(&work.join("drills"));
    assert_eq!(drills.len(), 1, "{drills:?}");
    let md = std::fs::read_to_string(&drills[0]).expect("drill report");
    assert!(
        md.contains("prescriptions-amounts") && md.contains("PASS"),
        "{md}"
    );
    assert!(
        hits.load(Ordering::SeqCst) >= 2,
        "evidence and the always-notification sent"
    );

    // Daily: the whole catalogue, an HTML report; a fresh server has no critical finding.
    let pb = shipped("daily-inspection", &dir, &key, &work);
    let (code, out, err) = run(cmd(&c, &s3, &hook_url).args(["--format", "json", "run", &pb]));
    assert_eq!(code, 0, "{err}\n{out}");
    let reports = files(&work.join("reports"));
    assert_eq!(reports.len(), 1, "{reports:?}");
    let html = std::fs::read_to_string(&reports[0]).expect("report");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..100.min(html.len())]
    );
}
