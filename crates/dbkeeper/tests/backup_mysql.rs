//! `backup` and `restore` through the binary on real MariaDB servers. Every comparison uses
//! mariadb-dump and the mariadb client (CHECKSUM TABLE), never dbkeeper's own code.

mod common;

use common::*;
use dbkeeper_testkit::{run, url_of, MysqlOptions, ScratchInstance, ScratchMysql};

const DATABASES: [&str; 3] = ["hard", "互联网医院_审计", "legacy"];

/// A scratch server that keeps a binary log.
fn with_binlog(server_id: u32) -> ScratchMysql {
    ScratchMysql::start(MysqlOptions {
        settings: vec![
            ("log-bin".into(), "binlog".into()),
            ("server-id".into(), server_id.to_string()),
        ],
        ..MysqlOptions::default()
    })
    .expect("scratch MariaDB")
}

fn hard_source() -> ScratchMysql {
    let my = with_binlog(7);
    mariadb_file(&my, &my_fixture());
    my
}

#[test]
fn logical_round_trip_of_every_database_with_users_and_grants() {
    let src = hard_source();
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let url = url_of(&src, None);
    let (code, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "backup",
        &url,
        "--name",
        "his",
        "--repo",
        &repo,
        "--recipient",
        &recipient,
        "--all-databases",
        "--jobs",
        "3",
    ]));
    assert_eq!(code, 0, "{err}\n{out}");
    let b = json(&out);
    let m = &b["repos"][0]["manifest"];
    // The binlog position of the snapshot is recorded, and every table's rows from it.
    assert!(
        m["consistent_point"].to_string().contains("binlog."),
        "{}",
        m["consistent_point"]
    );
    for t in m["tables"].as_array().expect("tables") {
        let db = t["database"].as_str().expect("db");
        let table = t["table"].as_str().expect("table");
        let n = mariadb(&src, &format!("SELECT COUNT(*) FROM `{db}`.`{table}`"));
        assert_eq!(n, t["rows"].to_string(), "{db}.{table}");
    }

    // Inspections of the target named `his` now see a fresh, encrypted backup (from the ledger).
    c.write(
        "dbkeeper.yaml",
        &format!("version: 1\ntargets:\n  his: {{url: \"{url}\"}}\n"),
    );
    let (_, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        "his",
        "--only",
        "MY-BAK-001,MY-BAK-005,MY-BAK-006",
    ]));
    let report = json(&out);
    let f = report[0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == "MY-BAK-006")
        .unwrap_or_else(|| panic!("MY-BAK-006 in {out}"));
    assert_eq!(f["status"], "ok", "not a Galera node: {f}");
    // Only a local copy: the offsite check says so.
    let (_, out3, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", "his", "--only", "MY-BAK-003"]));
    let f3 = json(&out3)[0]["findings"][0].clone();
    assert_eq!(f3["check"], "MY-BAK-003");
    assert!(
        matches!(f3["status"].as_str(), Some("warning" | "critical")),
        "no offsite copy: {f3}"
    );
    for id in ["MY-BAK-001", "MY-BAK-005"] {
        let f = finding(&report, id, &err);
        assert_eq!(f["status"], "ok", "{id}: {f}");
    }

    let dst = dbkeeper_testkit::mariadb();
    let (code, out, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "his",
            "--repo",
            &repo,
            "--globals",
            "--jobs",
            "3",
            "--to",
            &url_of(&dst, None),
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 0, "{err}\n{out}");
    for db in DATABASES {
        assert_eq!(my_schema(&src, db), my_schema(&dst, db), "schema of {db}");
        assert_same_maps(db, &my_data(&src, db), &my_data(&dst, db));
    }
    // Users and their grants came along.
    let grants = |s: &dyn ScratchInstance| {
        let mut all = mariadb(
            s,
            "SELECT CONCAT(user, '@', host) FROM mysql.user WHERE user IN ('app', 'report') ORDER BY 1",
        );
        for (u, h) in [("app", "%"), ("report", "10.0.%")] {
            all.push('\n');
            all.push_str(&mariadb(s, &format!("SHOW GRANTS FOR '{u}'@'{h}'")));
        }
        all
    };
    assert!(!grants(&src).is_empty());
    assert_eq!(grants(&src), grants(&dst));

    // A second restore over the same databases is refused; nothing changes.
    mariadb(&dst, "CREATE TABLE hard.added_after (x int)");
    let (code, _, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "his",
            "--repo",
            &repo,
            "--to",
            &url_of(&dst, None),
            "--identity",
        ])
        .arg(&key));
    assert_ne!(code, 0, "{err}");
    assert_eq!(
        mariadb(
            &dst,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'added_after'"
        ),
        "1"
    );
    // A single database under another name.
    let (code, _, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "his",
            "--repo",
            &repo,
            "--from-database",
            "hard",
            "--database",
            "hard_copy",
            "--to",
            &url_of(&dst, None),
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 0, "{err}");
    assert_same_maps(
        "renamed",
        &my_data(&src, "hard"),
        &my_data(&dst, "hard_copy"),
    );
}

#[test]
fn physical_backup_is_prepared_and_starts() {
    let src = hard_source();
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let (code, _, err) = run(c.cmd().args([
        "backup",
        &url_of(&src, None),
        "--name",
        "his",
        "--kind",
        "physical",
        "--repo",
        &repo,
        "--recipient",
        &recipient,
    ]));
    assert_eq!(code, 0, "{err}");
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("restored");
    let (code, out, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "his",
            "--repo",
            &repo,
            "--identity",
        ])
        .arg(&key)
        .arg("--to-dir")
        .arg(&dir));
    assert_eq!(code, 0, "{err}\n{out}");
    let restored = ScratchMysql::start_from(dir, MysqlOptions::default())
        .expect("starts on the prepared files");
    for db in DATABASES {
        assert_same_maps(db, &my_data(&src, db), &my_data(&restored, db));
    }
}

/// Bytes in the server's binary logs.
fn binlog_bytes(s: &dyn ScratchInstance) -> u64 {
    mariadb(s, "SHOW BINARY LOGS")
        .lines()
        .filter_map(|l| l.split('\t').nth(1)?.parse::<u64>().ok())
        .sum()
}

/// A restore is left out of the binary log while nothing reads it, and written to it when asked
/// (`--binlog on`), while a binlog reader is connected, or when the user cannot tell (no
/// PROCESS privilege); `--binlog off` without the privilege to turn logging off is refused
/// with what to grant.
#[test]
fn a_restore_is_written_to_the_binary_log_only_when_something_reads_it() {
    let src = dbkeeper_testkit::mariadb();
    mariadb(
        &src,
        "CREATE DATABASE shop;
         USE shop;
         CREATE TABLE orders (id INT PRIMARY KEY, note TEXT);
         INSERT INTO orders SELECT seq, REPEAT(CONCAT('订单 ', seq), 20) FROM seq_1_to_20000;",
    );
    let c = cli();
    let Encrypted { key, repo, id } = encrypted_backup(&c, &url_of(&src, Some("shop")));
    let data_bytes: u64 = mariadb(&src, "SELECT SUM(LENGTH(note)) FROM shop.orders")
        .parse()
        .expect("bytes");
    let dst = with_binlog(9);
    let restore = |url: &str, extra: &[&str]| {
        let before = binlog_bytes(&dst);
        let mut cmd = c.cmd();
        cmd.args([
            "--format", "json", "restore", &id, "--repo", &repo, "--to", url,
        ])
        .args(extra)
        .arg("--identity")
        .arg(&key);
        let (code, out, err) = run(&mut cmd);
        let grew = binlog_bytes(&dst) - before;
        (code, out, err, grew)
    };
    let decision = |out: &str| json(out)["logical"]["binlog"].clone();

    // Nothing reads the log: the restore stays out of it, and every row is there.
    let (code, out, err, grew) = restore(&url_of(&dst, Some("auto")), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        decision(&out),
        serde_json::json!({"written": false, "reason": "no_readers", "readers": 0})
    );
    assert!(grew < data_bytes / 10, "binlog grew by {grew} bytes");
    assert_eq!(my_data(&dst, "auto"), my_data(&src, "shop"));

    // Asked for: written, rows and schema alike.
    let (code, out, err, grew) = restore(&url_of(&dst, Some("asked")), &["--binlog", "on"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(decision(&out)["written"], true);
    assert_eq!(decision(&out)["reason"], "asked");
    assert!(grew > data_bytes, "binlog grew by {grew} bytes only");
    let events = mariadb(&dst, "SHOW BINLOG EVENTS");
    assert!(
        events.contains("CREATE TABLE `orders`"),
        "the schema is logged too"
    );

    // A binlog reader (as a replica or an archiver for point-in-time recovery would be).
    let first = mariadb(&dst, "SHOW BINARY LOGS")
        .split('\t')
        .next()
        .unwrap_or_default()
        .to_string();
    let mut reader = mariadb_cmd("mariadb-binlog", &dst)
        .args([
            "--read-from-remote-server",
            "--stop-never",
            "--result-file=/dev/null",
        ])
        .arg(&first)
        .spawn()
        .expect("mariadb-binlog");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while mariadb(
        &dst,
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'",
    ) == "0"
    {
        assert!(std::time::Instant::now() < deadline, "no binlog reader");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (code, out, err, grew) = restore(&url_of(&dst, Some("read")), &[]);
    let _ = reader.kill();
    let _ = reader.wait();
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        decision(&out),
        serde_json::json!({"written": true, "reason": "readers", "readers": 1})
    );
    assert!(grew > data_bytes, "binlog grew by {grew} bytes only");

    // A user who cannot see other sessions cannot tell: written. Nor may it turn logging off.
    mariadb(
        &dst,
        "CREATE USER loader@'127.0.0.1';
         GRANT ALL ON `limited%`.* TO loader@'127.0.0.1';",
    );
    let limited = |db: &str| format!("mysql://loader@127.0.0.1:{}/{db}", dst.target().port);
    let (code, out, err, _) = restore(&limited("limited1"), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(decision(&out)["reason"], "cannot_tell");
    assert_eq!(decision(&out)["written"], true);
    let (code, _, err, _) = restore(&limited("limited2"), &["--binlog", "off"]);
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("BINLOG ADMIN"), "says what to grant: {err}");

    // On a terminal the decision is one line, in either language.
    let (code, out, err) = run(c
        .cmd()
        .args(["--lang", "zh-CN", "restore", &id, "--repo", &repo, "--to"])
        .arg(url_of(&dst, Some("zh")))
        .arg("--identity")
        .arg(&key));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("二进制日志：因没有已连接的副本"), "{out}");
}
