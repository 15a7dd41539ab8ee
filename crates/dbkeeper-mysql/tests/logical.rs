//! Logical backup and restore on real scratch servers, checked with an independent comparison
//! (mariadb-dump, CHECKSUM TABLE, ordered row hashes and information_schema through MariaDB's
//! own client, see `common::compare`):
//! - the hard fixture, all databases with users and grants, while another session keeps
//!   writing: backup → restore into a new server → identical, and the concurrent writes seen
//!   as of one instant across tables (and parts of tables) read by different workers;
//! - one database into a new name on the same server; refusal of a database that holds
//!   tables, and `force`; FTWRL as the lock;
//! - damaged backups: a flipped byte, a short object, a short object that the store does not
//!   notice, a damaged table of contents — each fails loudly and leaves no table half-loaded.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use common::compare;
use common::objects::{DirSink, DirSource};
use dbkeeper_core::dump::{DumpContents, LogicalRequest, RestoreRequest};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::Target;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};
use dbkeeper_mysql::{connect, DumpOptions, LockMethod};
use mysql_async::prelude::Queryable;

/// A password with every character an option file or a shell could trip on.
const PASSWORD: &str = "Pa55 #;\"'\\-密码-x9";

const DATABASES: &[&str] = &["hard", "互联网医院_审计", "legacy"];

fn source_options() -> ScratchOptions {
    ScratchOptions {
        password: Some(PASSWORD.into()),
        settings: vec![
            ("log-bin".into(), "binlog".into()),
            ("server-id".into(), "7".into()),
        ],
        ..ScratchOptions::default()
    }
}

async fn direct(target: &Target) -> mysql_async::Conn {
    let mut opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(target.host.as_str())
        .tcp_port(target.port)
        .user(Some(target.user.as_str()))
        .prefer_socket(false);
    if let Some(r) = target.password_ref() {
        opts = opts.pass(Some(r.resolve().expect("password").expose().to_string()));
    }
    mysql_async::Conn::new(opts)
        .await
        .expect("direct connection")
}

/// Two tables whose sums always add up to the same total, rows moved between them by a
/// concurrent writer: a backup that reads them at different instants sees another total.
fn create_bank(socket: &Path) {
    compare::sql(
        socket,
        "CREATE DATABASE bank;
         CREATE TABLE bank.a (id INT PRIMARY KEY, bal BIGINT NOT NULL, pad CHAR(200) NOT NULL DEFAULT '');
         CREATE TABLE bank.b (id INT PRIMARY KEY, bal BIGINT NOT NULL, pad CHAR(200) NOT NULL DEFAULT '');
         INSERT INTO bank.a SELECT seq, 1000, REPEAT('a', 200) FROM bank.seq_1_to_60000;
         INSERT INTO bank.b SELECT seq, 1000, REPEAT('b', 200) FROM bank.seq_1_to_60000;
         ANALYZE TABLE bank.a, bank.b;",
    );
}

const BANK_TOTAL: i64 = 2 * 60000 * 1000;

fn bank_total(socket: &Path) -> i64 {
    compare::sql(
        socket,
        "SELECT (SELECT SUM(bal) FROM bank.a) + (SELECT SUM(bal) FROM bank.b)",
    )
    .trim()
    .parse()
    .expect("total")
}

/// Moves money from `a` to `b` in small transactions until told to stop.
fn start_writer(
    target: Target,
    stop: Arc<AtomicBool>,
    commits: Arc<AtomicU64>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut conn = direct(&target).await;
        let mut k: u64 = 1;
        while !stop.load(Ordering::Relaxed) {
            let id = k % 60000 + 1;
            conn.query_drop(format!(
                "START TRANSACTION; UPDATE bank.a SET bal = bal - 1 WHERE id = {id}; \
                 UPDATE bank.b SET bal = bal + 1 WHERE id = {}; COMMIT",
                60000 - id + 1
            ))
            .await
            .expect("transfer");
            commits.fetch_add(1, Ordering::Relaxed);
            k += 7919;
        }
        conn.disconnect().await.expect("disconnect");
    })
}

fn source_of(dir: &Path, contents_sink: &DirSink, verify: bool) -> DirSource {
    DirSource {
        root: dir.to_path_buf(),
        manifest: contents_sink.manifest(),
        verify,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hard_fixture_round_trips_into_a_new_server() {
    let source = common::start("source", source_options());
    compare::run_file(source.socket(), &common::hard_fixture());
    create_bank(source.socket());
    let engine = connect(source.target()).await.expect("connect");

    // The backup, while transfers keep committing.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("full");
    let sink = DirSink::new(&dir);
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let writer = start_writer(
        source.target().clone(),
        Arc::clone(&stop),
        Arc::clone(&commits),
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = commits.load(Ordering::Relaxed);
    let t = Instant::now();
    // Parts of 1 MiB: the bank tables (and the big text table) are read in key ranges by
    // both workers, and loaded so again.
    let contents = engine
        .backup_logical_with(
            &LogicalRequest {
                all_databases: true,
                jobs: 2,
                ..LogicalRequest::default()
            },
            &sink,
            &DumpOptions {
                part_bytes: 1 << 20,
                ..DumpOptions::default()
            },
        )
        .await
        .expect("backup");
    let backup_secs = t.elapsed().as_secs_f64();
    let during = commits.load(Ordering::Relaxed) - before;
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");
    eprintln!("backup took {backup_secs:.2}s; {during} transfers committed meanwhile");
    assert!(during > 0, "the writer made no transfers during the backup");
    check_contents(&contents, &source, &sink, &dir);

    // Into a new server, users and grants included.
    let dest = common::start(
        "dest",
        ScratchOptions {
            password: Some("another-密码".into()),
            ..ScratchOptions::default()
        },
    );
    let dest_engine = connect(dest.target()).await.expect("connect dest");
    let report = dest_engine
        .restore_logical(
            &RestoreRequest {
                jobs: 2,
                globals: true,
                ..RestoreRequest::default()
            },
            &contents,
            &source_of(&dir, &sink, true),
        )
        .await
        .expect("restore");
    let mut restored = report.databases.clone();
    restored.sort();
    let mut expected: Vec<String> = DATABASES.iter().map(|s| s.to_string()).collect();
    expected.push("bank".into());
    expected.sort();
    assert_eq!(restored, expected);
    assert_eq!(report.tables.len(), contents.tables.len());
    for (r, c) in report.tables.iter().zip(&contents.tables) {
        assert_eq!((&r.table, r.rows), (&c.table, c.rows));
    }
    assert!(report.bytes_read > 5_000_000, "{}", report.bytes_read);

    for db in DATABASES {
        compare::assert_same(source.socket(), db, dest.socket(), db);
    }
    assert_eq!(
        compare::accounts(source.socket()),
        compare::accounts(dest.socket())
    );
    // The triggers did not fire on the restored rows, and work afterwards.
    assert_eq!(
        compare::sql(dest.socket(), "SELECT COUNT(*) FROM hard.audit_log").trim(),
        "1"
    );
    compare::sql(
        dest.socket(),
        "INSERT INTO hard.audited (id, v) VALUES (9, 'x')",
    );
    assert_eq!(
        compare::sql(dest.socket(), "SELECT v FROM hard.audited WHERE id = 9").trim(),
        "x (changed by trigger)"
    );
    // The sequence continues after the values the source may have handed out (as
    // mariadb-dump's SETVAL does): its next value is the snapshot's next uncached one.
    assert_eq!(
        compare::sql(dest.socket(), "SELECT NEXTVAL(hard.order_no)").trim(),
        "100070"
    );
    // One instant across tables that different workers read at different times.
    assert_eq!(bank_total(dest.socket()), BANK_TOTAL);
    assert_eq!(bank_total(source.socket()), BANK_TOTAL);
    drop(dest_engine);

    one_database_into_a_new_name(&source, &contents, &dir, &sink).await;
    ftwrl_backup_round_trips(&source).await;
    engine.close().await;
}

/// The manifest's part: method, consistent point, row counts against the source, object counts
/// against information_schema, and the object layout.
fn check_contents(contents: &DumpContents, source: &ScratchMysql, sink: &DirSink, dir: &Path) {
    assert_eq!(contents.method, "mariadb-dump+select");
    assert!(
        contents.server_version.starts_with("10."),
        "{}",
        contents.server_version
    );
    let point = &contents.consistent_point;
    eprintln!("consistent point: {point}");
    assert_eq!(point["lock"], "backup_stage");
    assert_eq!(point["binlog_enabled"], true);
    assert!(
        point["binlog_file"]
            .as_str()
            .expect("binlog file")
            .starts_with("binlog."),
        "{point}"
    );
    assert!(point["binlog_position"].as_u64().expect("position") > 4);
    assert!(
        point["gtid"].as_str().expect("gtid").starts_with("0-7-"),
        "{point}"
    );
    for t in &contents.tables {
        if t.database == "bank" {
            assert_eq!(t.rows, 60000);
            continue;
        }
        let n = compare::sql(
            source.socket(),
            &format!(
                "SELECT COUNT(*) FROM `{}`.`{}`",
                t.database.replace('`', "``"),
                t.table.replace('`', "``")
            ),
        );
        assert_eq!(n.trim(), t.rows.to_string(), "{}.{}", t.database, t.table);
    }
    for db in DATABASES {
        assert_eq!(
            contents.object_counts.get(*db),
            Some(&compare::object_counts(source.socket(), db)),
            "object counts of {db}"
        );
    }
    let counts = &contents.object_counts["hard"];
    assert_eq!(counts["triggers"], 3);
    assert_eq!(counts["views"], 3);
    assert_eq!(counts["routines"], 2);
    assert_eq!(counts["events"], 1);
    assert_eq!(counts["sequences"], 1);
    let names: Vec<String> = sink.manifest().keys().cloned().collect();
    for expected in [
        "toc.json",
        "globals.sql",
        "db/hard/tables.sql",
        "db/hard/routines.sql",
        "db/hard/views.sql",
        "db/hard/triggers.sql",
        "db/hard/events.sql",
        "db/bank/data/a.1.tsv",
        "db/bank/data/a.2.tsv",
        "db/bank/data/b.3.tsv",
        "db/hard/data/weird%20table%2Ename.tsv",
        "db/hard/data/%E6%82%A3%E8%80%85.tsv",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    // Generated columns are not dumped; the invisible one is.
    let toc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("toc.json")).expect("toc")).expect("json");
    let hard = toc["databases"]
        .as_array()
        .expect("databases")
        .iter()
        .find(|d| d["name"] == "hard")
        .expect("hard");
    let gen = hard["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["name"] == "gen")
        .expect("gen");
    let cols: Vec<&str> = gen["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(cols, ["id", "a", "b", "hidden"]);
}

async fn one_database_into_a_new_name(
    source: &ScratchMysql,
    contents: &DumpContents,
    dir: &Path,
    sink: &DirSink,
) {
    let engine = connect(source.target()).await.expect("connect");
    let req = RestoreRequest {
        database: Some("hard".into()),
        into: Some("hard_copy".into()),
        jobs: 3,
        ..RestoreRequest::default()
    };
    let objects = source_of(dir, sink, true);
    engine
        .restore_logical(&req, contents, &objects)
        .await
        .expect("restore into a new name");
    compare::assert_same(source.socket(), "hard", source.socket(), "hard_copy");

    // Again without force: refused, nothing touched.
    let before = compare::checksums(source.socket(), "hard_copy");
    let e = engine
        .restore_logical(&req, contents, &objects)
        .await
        .expect_err("a database with tables is refused");
    assert_eq!(e.kind, ErrorKind::Config);
    let en = e.render(Lang::En);
    let zh = e.render(Lang::ZhCn);
    assert!(en.contains("hard_copy") && en.contains("--force"), "{en}");
    assert!(
        zh.contains("hard_copy") && zh.contains("--force") && zh.contains("已包含"),
        "{zh}"
    );
    assert_eq!(compare::checksums(source.socket(), "hard_copy"), before);

    // With force: dropped and restored again.
    compare::sql(source.socket(), "CREATE TABLE hard_copy.extra (i INT)");
    engine
        .restore_logical(
            &RestoreRequest {
                force: true,
                ..req.clone()
            },
            contents,
            &objects,
        )
        .await
        .expect("forced restore");
    compare::assert_same(source.socket(), "hard", source.socket(), "hard_copy");

    // A database the backup does not hold, and one name for several databases.
    let e = engine
        .restore_logical(
            &RestoreRequest {
                database: Some("nope".into()),
                ..RestoreRequest::default()
            },
            contents,
            &objects,
        )
        .await
        .expect_err("unknown database");
    assert_eq!(e.kind, ErrorKind::Usage);
    assert!(
        e.render(Lang::En).contains("hard"),
        "{}",
        e.render(Lang::En)
    );
    let e = engine
        .restore_logical(
            &RestoreRequest {
                into: Some("x".into()),
                ..RestoreRequest::default()
            },
            contents,
            &objects,
        )
        .await
        .expect_err("several databases into one name");
    assert_eq!(e.kind, ErrorKind::Usage);
    engine.close().await;
}

async fn ftwrl_backup_round_trips(source: &ScratchMysql) {
    let engine = connect(source.target()).await.expect("connect");
    let tmp = tempfile::tempdir().expect("tempdir");
    let sink = DirSink::new(tmp.path());
    let contents = engine
        .backup_logical_with(
            &LogicalRequest {
                databases: vec!["hard".into()],
                jobs: 1,
                ..LogicalRequest::default()
            },
            &sink,
            &DumpOptions {
                lock: LockMethod::FlushTablesWithReadLock,
                ..DumpOptions::default()
            },
        )
        .await
        .expect("backup with FTWRL");
    assert_eq!(
        contents.consistent_point["lock"],
        "flush_tables_with_read_lock"
    );
    assert!(!sink.manifest().contains_key("globals.sql"));
    engine
        .restore_logical(
            &RestoreRequest {
                into: Some("hard_ftwrl".into()),
                jobs: 2,
                ..RestoreRequest::default()
            },
            &contents,
            &source_of(tmp.path(), &sink, true),
        )
        .await
        .expect("restore");
    compare::assert_same(source.socket(), "hard", source.socket(), "hard_ftwrl");
    engine.close().await;
}
