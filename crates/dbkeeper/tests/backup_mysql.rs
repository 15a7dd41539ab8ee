//! `backup` and `restore` through the binary on real MariaDB servers. Every comparison uses
//! mariadb-dump and the mariadb client (CHECKSUM TABLE), never dbkeeper's own code.

mod common;

use common::*;
use dbkeeper_testkit::{run, url_of, MysqlOptions, ScratchInstance, ScratchMysql};

const DATABASES: [&str; 3] = ["hard", "互联网医院_审计", "legacy"];

fn hard_source() -> ScratchMysql {
    let my = ScratchMysql::start(MysqlOptions {
        settings: vec![
            ("log-bin".into(), "binlog".into()),
            ("server-id".into(), "7".into()),
        ],
        ..MysqlOptions::default()
    })
    .expect("scratch MariaDB");
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
        let f = report[0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["check"] == id)
            .unwrap_or_else(|| panic!("{id} in {out}{err}"));
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
