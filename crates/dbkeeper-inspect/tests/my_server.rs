//! MariaDB: binary logs and replication between two scratch instances, performance_schema
//! statistics, start-up settings, rates from ledger snapshots, and the 等保 baseline on a
//! hardened instance.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{expect, ledger, my, my_sql, my_with, run, run_opts};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::Lang;
use dbkeeper_inspect::{
    BackupSeen, BasisKind, DrillSeen, Freshness, InspectOptions, Known, Profile, Status, Verdict,
};
use dbkeeper_mysql::scratch::ScratchOptions;

/// The machine's first non-loopback address, if it has one.
fn lan_address() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.254:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback()).then_some(ip)
}

async fn replica_state(engine: &dbkeeper_mysql::MysqlEngine) -> (String, String) {
    let rows = engine
        .query("SHOW SLAVE STATUS")
        .await
        .expect("slave status");
    let r = rows.first().cloned().unwrap_or_default();
    let get = |k: &str| {
        r.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    (get("Slave_IO_Running"), get("Slave_SQL_Running"))
}

#[tokio::test]
async fn binary_log_replication_and_statement_statistics() {
    let (source, src, src_target) = my(&[
        ("log-bin", "mysql-bin"),
        ("server-id", "1"),
        ("binlog-format", "MIXED"),
        ("sync-binlog", "0"),
        ("binlog-checksum", "NONE"),
        ("binlog-expire-logs-seconds", "3600"),
        ("performance-schema", "ON"),
        ("tls-version", "TLSv1.1,TLSv1.2,TLSv1.3"),
    ])
    .await;
    my_sql(
        &src,
        "CREATE DATABASE app; CREATE TABLE app.s (id int PRIMARY KEY, v int, f int, KEY kv (v));
         INSERT INTO app.s VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3);
         CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'Repl-Pa55-word';
         GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'",
    )
    .await;
    for _ in 0..3 {
        my_sql(&src, "SELECT SLEEP(0.03)").await;
        my_sql(&src, "SELECT * FROM app.s WHERE id = 1").await;
        my_sql(&src, "SELECT * FROM app.s WHERE v + 0 = 1").await;
    }
    let over: &[(&str, &str, f64)] = &[
        ("MY-STO-004", "warning", 1.0),
        ("MY-QRY-003", "min_calls", 2.0),
        ("MY-QRY-004", "min_calls", 2.0),
    ];
    let r = run(&src, &src_target, &[], over, None).await;
    for (id, s) in [
        ("MY-CFG-002", Status::Warning),
        ("MY-CFG-003", Status::Ok),
        ("MY-CFG-004", Status::Ok),
        ("MY-CFG-009", Status::Warning),
        ("MY-CFG-010", Status::Warning),
        ("MY-CFG-014", Status::Ok),
        ("MY-BAK-002", Status::Warning),
        ("MY-STO-002", Status::Ok),
        ("MY-STO-004", Status::Warning),
        ("MY-QRY-003", Status::Warning),
        ("MY-QRY-004", Status::Info),
        ("MY-IDX-001", Status::Info),
        ("MY-SEC-009", Status::Warning),
        ("MY-REP-007", Status::Warning),
    ] {
        expect(&r, id, s);
    }
    assert!(r
        .finding("MY-IDX-001")
        .expect("f")
        .summary
        .render(Lang::En)
        .contains("kv"));
    // Default thresholds: binary logs of a few KiB, no statement called 100 times.
    let r = run(
        &src,
        &src_target,
        &["MY-STO-004", "MY-QRY-003", "MY-QRY-004"],
        &[],
        None,
    )
    .await;
    for id in ["MY-STO-004", "MY-QRY-003", "MY-QRY-004"] {
        expect(&r, id, Status::Ok);
    }

    // A replica of it.
    let (_replica, rep, rep_target) = my(&[("server-id", "2")]).await;
    let change = format!(
        "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = {}, MASTER_USER = 'repl',
         MASTER_PASSWORD = 'Repl-Pa55-word', MASTER_USE_GTID = no",
        source.port()
    );
    my_sql(&rep, &change).await;
    my_sql(&rep, "START SLAVE").await;
    for _ in 0..40 {
        if replica_state(&rep).await == ("Yes".into(), "Yes".into()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(replica_state(&rep).await, ("Yes".into(), "Yes".into()));
    let r = run(&rep, &rep_target, &["replication"], &[], None).await;
    expect(&r, "MY-REP-001", Status::Ok);
    expect(&r, "MY-REP-002", Status::Ok);
    expect(&r, "MY-REP-003", Status::Info);
    expect(&r, "MY-REP-004", Status::Warning);
    expect(&r, "MY-REP-006", Status::Ok);
    expect(&r, "MY-REP-007", Status::Ok);
    let r = run(&src, &src_target, &["MY-REP-007"], &[], None).await;
    expect(&r, "MY-REP-007", Status::Ok);

    my_sql(
        &rep,
        "STOP SLAVE; SET GLOBAL slave_parallel_threads = 4; SET GLOBAL read_only = ON",
    )
    .await;
    my_sql(&rep, "CHANGE MASTER TO MASTER_DELAY = 60; START SLAVE").await;
    my_sql(&src, "INSERT INTO app.s VALUES (10, 10, 10)").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let r = run(
        &rep,
        &rep_target,
        &["replication"],
        &[("MY-REP-002", "warning", 1.0)],
        None,
    )
    .await;
    expect(&r, "MY-REP-002", Status::Warning);
    expect(&r, "MY-REP-003", Status::Ok);
    expect(&r, "MY-REP-004", Status::Ok);

    // The source goes away (a port nobody listens on): the IO thread stops with an error.
    my_sql(&rep, "STOP SLAVE; CHANGE MASTER TO MASTER_PORT = 1, MASTER_DELAY = 0, MASTER_CONNECT_RETRY = 1; START SLAVE").await;
    let mut r = run(&rep, &rep_target, &["replication"], &[], None).await;
    for _ in 0..20 {
        if r.finding("MY-REP-006").map(|f| f.status) == Some(Status::Warning) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        r = run(&rep, &rep_target, &["replication"], &[], None).await;
    }
    expect(&r, "MY-REP-001", Status::Critical);
    expect(&r, "MY-REP-006", Status::Warning);
    my_sql(&rep, "STOP SLAVE").await;
}

#[tokio::test]
async fn start_up_settings() {
    let (_m, engine, target) = my(&[
        ("slave-skip-errors", "1062"),
        ("innodb-file-per-table", "OFF"),
        ("skip-name-resolve", "OFF"),
        ("innodb-flush-method", "fsync"),
        ("innodb-log-buffer-size", "33554432"),
        ("query-cache-type", "1"),
        ("query-cache-size", "268435456"),
        ("innodb-doublewrite", "1"),
        ("innodb-flush-log-at-trx-commit", "1"),
        ("bind-address", "0.0.0.0"),
    ])
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let l = ledger(&dir);
    let r = run(&engine, &target, &[], &[], Some(&l)).await;
    for (id, s) in [
        ("MY-CFG-001", Status::Ok),
        ("MY-CFG-005", Status::Ok),
        ("MY-CFG-008", Status::Critical),
        ("MY-CFG-012", Status::Info),
        ("MY-CFG-013", Status::Warning),
        ("MY-CFG-018", Status::Info),
        ("MY-CFG-019", Status::Info),
        ("MY-CFG-021", Status::Info),
        ("MY-SEC-024", Status::Info),
    ] {
        expect(&r, id, s);
    }
    // A client on another machine (the LAN address), in clear text: the inspection's own
    // session is flagged, and host facts are not guessed.
    if let Some(ip) = lan_address() {
        my_sql(
            &engine,
            &format!("CREATE USER 'lan'@'{ip}' IDENTIFIED BY 'Lan-Pa55-word'; GRANT ALL ON *.* TO 'lan'@'{ip}'"),
        )
        .await;
        let mut lan = target.clone();
        lan.socket = None;
        lan.host = ip.to_string();
        lan.port = _m.port();
        lan.user = "lan".into();
        lan.tls.mode = dbkeeper_core::target::TlsMode::Disable;
        lan.password = Some(SecretRef::Command(vec![
            "printf".into(),
            "Lan-Pa55-word".into(),
        ]));
        let le = dbkeeper_mysql::connect(&lan)
            .await
            .expect("connect over the LAN address");
        let r = run(
            &le,
            &lan,
            &["MY-SEC-025", "MY-AV-006", "MY-STO-001"],
            &[],
            None,
        )
        .await;
        expect(&r, "MY-SEC-025", Status::Info);
        expect(&r, "MY-AV-006", Status::NotRun);
        expect(&r, "MY-STO-001", Status::NotRun);
    }
    // The query cache: distinct statements never hit, the same one does.
    my_sql(&engine, "CREATE DATABASE app; CREATE TABLE app.q (id int PRIMARY KEY); INSERT INTO app.q VALUES (1)").await;
    for i in 0..40 {
        my_sql(&engine, &format!("SELECT id FROM app.q WHERE id = {i}")).await;
    }
    let over: &[(&str, &str, f64)] = &[("MY-MEM-013", "min_events", 10.0)];
    let r = run(&engine, &target, &["MY-MEM-013"], over, Some(&l)).await;
    expect(&r, "MY-MEM-013", Status::Info);
    for _ in 0..40 {
        my_sql(&engine, "SELECT id FROM app.q WHERE id = 1").await;
    }
    let r = run(&engine, &target, &["MY-MEM-013"], over, Some(&l)).await;
    expect(&r, "MY-MEM-013", Status::Ok);

    // Forced recovery mode has an instance of its own.
    let (_f, fe, ft) = my(&[("innodb-force-recovery", "1")]).await;
    let r = run(&fe, &ft, &["MY-CFG-007"], &[], None).await;
    expect(&r, "MY-CFG-007", Status::Warning);
    let r = run(&engine, &target, &["MY-CFG-007"], &[], None).await;
    expect(&r, "MY-CFG-007", Status::Ok);
}

#[tokio::test]
async fn rates_come_from_the_change_between_snapshots() {
    let (scratch, engine, target) = my(&[
        ("innodb-buffer-pool-size", "16777216"),
        ("innodb-log-buffer-size", "2097152"),
        ("log-bin", "mysql-bin"),
        ("server-id", "1"),
        ("binlog-cache-size", "4096"),
        ("binlog-format", "ROW"),
        ("key-buffer-size", "65536"),
    ])
    .await;
    let dir = tempfile::tempdir().expect("tmp");
    let l = ledger(&dir);
    my_sql(
        &engine,
        "CREATE DATABASE app;
         CREATE TABLE app.a (id int PRIMARY KEY, v int); INSERT INTO app.a VALUES (1, 0), (2, 0);
         CREATE TABLE app.j1 (id int PRIMARY KEY, v int); CREATE TABLE app.j2 (id int PRIMARY KEY, v int);
         CREATE TABLE app.txt (id int PRIMARY KEY, c text);
         CREATE TABLE app.mi (id int PRIMARY KEY, v int, KEY kv (v)) ENGINE = MyISAM;
         CREATE USER 'plain'@'127.0.0.1' IDENTIFIED BY 'Plain-Pa55-word'",
    )
    .await;
    my_sql(
        &engine,
        "INSERT INTO app.j1 SELECT seq, seq % 50 FROM app.seq_1_to_200;
         INSERT INTO app.j2 SELECT seq, seq % 50 FROM app.seq_1_to_200;
         INSERT INTO app.txt SELECT seq, REPEAT('t', seq % 7) FROM app.seq_1_to_200;
         INSERT INTO app.mi SELECT seq, seq FROM app.seq_1_to_20000",
    )
    .await;
    let r1 = run(&engine, &target, &[], &[], Some(&l)).await;
    assert_eq!(r1.stats.as_ref().expect("s").basis, BasisKind::Lifetime);
    expect(&r1, "MY-MEM-003", Status::Ok);

    // A deadlock (two row-lock waits, one victim).
    let c1 = dbkeeper_mysql::connect(&target).await.expect("c");
    let c2 = dbkeeper_mysql::connect(&target).await.expect("c");
    my_sql(
        &c1,
        "START TRANSACTION; UPDATE app.a SET v = 1 WHERE id = 1",
    )
    .await;
    my_sql(
        &c2,
        "START TRANSACTION; UPDATE app.a SET v = 1 WHERE id = 2",
    )
    .await;
    let t1 = tokio::spawn(async move {
        let r = c1.query("UPDATE app.a SET v = 2 WHERE id = 2").await;
        let _ = c1.query("ROLLBACK").await;
        r.is_err()
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r2 = c2.query("UPDATE app.a SET v = 2 WHERE id = 1").await;
    let _ = c2.query("ROLLBACK").await;
    assert!(
        t1.await.expect("join") || r2.is_err(),
        "one must be the deadlock victim"
    );

    // Failed logins (aborted connection attempts) and refused connections.
    let mut bad = scratch.target().clone();
    bad.user = "nobody".into();
    for _ in 0..5 {
        let _ = dbkeeper_mysql::connect(&bad).await;
    }
    // MariaDB's smallest max_connections is 10.
    my_sql(&engine, "SET GLOBAL max_connections = 10").await;
    let mut plain = scratch.target().clone();
    plain.user = "plain".into();
    plain.password = Some(SecretRef::Command(vec![
        "printf".into(),
        "Plain-Pa55-word".into(),
    ]));
    let mut held = Vec::new();
    for _ in 0..14 {
        if let Ok(c) = dbkeeper_mysql::connect(&plain).await {
            held.push(c);
        }
    }
    drop(held);
    my_sql(&engine, "SET GLOBAL max_connections = 151").await;

    // Slow statements, temporary tables on disk, sort merges, joins without indexes, large
    // transactions through the binary log cache, MyISAM key reads, buffer pool misses.
    my_sql(&engine, "SET SESSION long_query_time = 0").await;
    for _ in 0..200 {
        my_sql(&engine, "SELECT c, COUNT(*) FROM app.txt GROUP BY c").await;
    }
    my_sql(&engine, "SET SESSION sort_buffer_size = 32768").await;
    for _ in 0..120 {
        my_sql(
            &engine,
            "SELECT * FROM app.mi ORDER BY v DESC LIMIT 1 OFFSET 15000",
        )
        .await;
    }
    for _ in 0..300 {
        my_sql(
            &engine,
            "SELECT COUNT(*) FROM app.j1 JOIN app.j2 ON app.j1.v = app.j2.v",
        )
        .await;
    }
    for i in 0..150 {
        my_sql(
            &engine,
            &format!(
                "INSERT INTO app.txt VALUES ({}, REPEAT('b', 10000))",
                1000 + i
            ),
        )
        .await;
    }
    for i in 0..300 {
        my_sql(
            &engine,
            &format!("SELECT v FROM app.mi WHERE v = {}", 1 + i * 61),
        )
        .await;
    }
    my_sql(
        &engine,
        "CREATE TABLE app.big (id int PRIMARY KEY, f varchar(1000));
         INSERT INTO app.big SELECT seq, REPEAT('f', 900) FROM app.seq_1_to_40000;
         ANALYZE TABLE app.big",
    )
    .await;
    for _ in 0..2 {
        my_sql(&engine, "SELECT COUNT(*) FROM app.big WHERE f LIKE '%x%'").await;
    }
    my_sql(&engine, "SET SESSION long_query_time = 10").await;
    let over: &[(&str, &str, f64)] = &[
        ("MY-CON-002", "min_events", 1.0),
        ("MY-MEM-012", "min_events", 10.0),
        ("MY-LCK-001", "warning", 1.0),
        // pghero's 99% bar rather than MySQLTuner's 95%: a 16 MiB pool under a 36 MiB scan.
        ("MY-MEM-003", "warning", 99.0),
        ("MY-MEM-007", "warning", 100.0),
        ("MY-MEM-007", "min_events", 10.0),
    ];
    let r2 = run(&engine, &target, &[], over, Some(&l)).await;
    assert_eq!(r2.stats.as_ref().expect("s").basis, BasisKind::Delta);
    for (id, s) in [
        ("MY-LCK-003", Status::Warning),
        ("MY-LCK-001", Status::Info),
        ("MY-CON-002", Status::Critical),
        ("MY-CON-003", Status::Warning),
        ("MY-QRY-001", Status::Critical),
        ("MY-MEM-008", Status::Info),
        ("MY-MEM-009", Status::Info),
        ("MY-MEM-010", Status::Info),
        ("MY-MEM-011", Status::Info),
        ("MY-MEM-012", Status::Info),
        ("MY-INN-002", Status::Info),
        ("MY-STO-003", Status::Critical),
        ("MY-MEM-007", Status::Info),
        ("MY-CFG-025", Status::Ok),
    ] {
        expect(&r2, id, s);
    }
    let bp = r2.finding("MY-MEM-003").expect("f");
    assert!(
        matches!(bp.status, Status::Warning | Status::Critical),
        "{}",
        bp.summary.render(Lang::En)
    );
    assert_eq!(bp.basis.as_ref().map(|b| b.kind), Some(BasisKind::Delta));
    expect(&r2, "MY-MEM-002", Status::Info);

    // Nothing happens: the counted checks are ok again.
    let r3 = run(&engine, &target, &[], over, Some(&l)).await;
    for id in [
        "MY-LCK-003",
        "MY-LCK-001",
        "MY-CON-003",
        "MY-MEM-010",
        "MY-MEM-004",
        "MY-MEM-005",
        "MY-INN-002",
        "MY-LCK-004",
    ] {
        expect(&r3, id, Status::Ok);
    }

    // An account without PROCESS and SELECT on mysql.*: told what it lacks; the checks that
    // read accounts say why they cannot run.
    let pe = dbkeeper_mysql::connect(&plain)
        .await
        .expect("connect as plain");
    let r = run(
        &pe,
        &plain,
        &["MY-AV-005", "MY-SEC-001", "MY-SEC-002"],
        &[],
        None,
    )
    .await;
    expect(&r, "MY-AV-005", Status::Warning);
    for id in ["MY-SEC-001", "MY-SEC-002"] {
        expect(&r, id, Status::NotRun);
        let why = r
            .finding(id)
            .expect("f")
            .reason
            .as_ref()
            .expect("reason")
            .render(Lang::En);
        assert!(why.contains("plain"), "{why}");
    }

    // FLUSH STATUS resets the counters: the period starts there, and says so. The pauses make
    // the flush visible in whole seconds however fast the steps before it ran.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    my_sql(&engine, "FLUSH STATUS").await;
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let r4 = run(&engine, &target, &["MY-LCK-003"], &[], Some(&l)).await;
    assert!(r4.stats.as_ref().expect("s").reset, "{:?}", r4.stats);
    // A restart since the previous snapshot (recorded with a longer uptime).
    let prev = l
        .latest_inspection_snapshot(&target.name, "mysql")
        .expect("read")
        .expect("some");
    l.add_inspection_snapshot(&dbkeeper_core::ledger::NewInspectionSnapshot {
        uptime_seconds: Some(999_999_999),
        server_started_at: Some("2020-01-01T00:00:00Z".into()),
        taken_at: Utc::now().to_rfc3339(),
        taken_at_unix: Utc::now().timestamp(),
        ..prev_record(&prev)
    })
    .expect("fake");
    let r5 = run(&engine, &target, &["MY-AV-004"], &[], Some(&l)).await;
    expect(&r5, "MY-AV-004", Status::Warning);
}

const PASSWORD: &str = "Hardened-Pa55-word!";

#[tokio::test]
async fn hardened_instance_passes_the_baseline() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_ca, cert, key) = common::pki(dir.path());
    // Encryption keys readable by the server's OS user (a test key, nothing secret).
    let keyfile =
        std::env::temp_dir().join(format!("dbkeeper-inspect-keys-{}", std::process::id()));
    std::fs::write(
        &keyfile,
        "1;a7addd9adea9978fda19f21e6be987880e68ea1b5a3aed2b8d6b4a1d1b1e1a5e\n",
    )
    .expect("keys");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&keyfile, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let files = tempfile::tempdir().expect("tmp");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(files.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    let settings: Vec<(String, String)> = [
        ("plugin-load-add", "server_audit"),
        ("plugin-load-add", "simple_password_check"),
        ("plugin-load-add", "file_key_management"),
        (
            "file-key-management-filename",
            keyfile.to_str().expect("utf-8 path"),
        ),
        ("innodb-encrypt-tables", "ON"),
        ("server-audit-logging", "ON"),
        ("server-audit-events", "CONNECT,QUERY_DDL,QUERY_DCL"),
        ("server-audit-file-rotations", "0"),
        ("max-password-errors", "5"),
        ("wait-timeout", "600"),
        ("interactive-timeout", "600"),
        ("require-secure-transport", "ON"),
        ("local-infile", "OFF"),
        (
            "secure-file-priv",
            files.path().to_str().expect("utf-8 path"),
        ),
        ("innodb-doublewrite", "1"),
        ("innodb-flush-log-at-trx-commit", "1"),
        ("log-bin", "mysql-bin"),
        ("server-id", "1"),
        ("sync-binlog", "1"),
        ("binlog-format", "ROW"),
        ("binlog-expire-logs-seconds", "864000"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (_m, engine, target) = my_with(ScratchOptions {
        tls: Some((cert, key)),
        password: Some(PASSWORD.into()),
        settings,
    })
    .await;
    my_sql(
        &engine,
        "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket; DROP USER IF EXISTS 'root'@'vm';
         DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1');
         FLUSH PRIVILEGES; SET GLOBAL default_password_lifetime = 90",
    )
    .await;
    let opts = InspectOptions {
        profile: Profile::Djbh3,
        ..Default::default()
    };
    let now = Utc::now();
    let fresh = Freshness {
        backups: Known::Yes(vec![
            BackupSeen {
                repo: "local".into(),
                offsite: false,
                encrypted: true,
                finished_at: now - chrono::Duration::hours(3),
                kind: "logical".into(),
                id: "a".into(),
            },
            BackupSeen {
                repo: "offsite".into(),
                offsite: true,
                encrypted: true,
                finished_at: now - chrono::Duration::hours(3),
                kind: "logical".into(),
                id: "a".into(),
            },
        ]),
        drill: Known::Yes(Some(DrillSeen {
            finished_at: now - chrono::Duration::days(5),
            passed: true,
            backup_id: "a".into(),
            report: None,
        })),
    };
    let r = run_opts(&engine, &target, &opts, None, fresh.clone()).await;
    let verdict = |r: &dbkeeper_inspect::Report, c: &str| {
        r.clauses
            .iter()
            .find(|x| x.clause == c)
            .unwrap_or_else(|| panic!("clause {c}"))
            .verdict
    };
    for c in [
        "8.1.4.1a", "8.1.4.1b", "8.1.4.1c", "8.1.4.2a", "8.1.4.2b", "8.1.4.2d", "8.1.4.2e",
        "8.1.4.3a", "8.1.4.3b", "8.1.4.3c", "8.1.4.4a", "8.1.4.4e", "8.1.4.7b", "8.1.4.8b",
        "8.1.4.9a", "8.1.4.9b",
    ] {
        assert_eq!(verdict(&r, c), Verdict::Pass, "{c}\n{}", common::dump(&r));
    }
    // No replica here; two factors and labels are outside what a query can show.
    assert_eq!(verdict(&r, "8.1.4.9c"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.1d"), Verdict::CannotDecide);
    assert_eq!(verdict(&r, "8.1.4.2g"), Verdict::CannotDecide);

    // Audit breaches: a user left out, then records that rotate away, then syslog.
    my_sql(&engine, "SET GLOBAL server_audit_excl_users = 'app'").await;
    let r = run(&engine, &target, &["MY-SEC-016"], &[], None).await;
    expect(&r, "MY-SEC-016", Status::Warning);
    my_sql(
        &engine,
        "SET GLOBAL server_audit_excl_users = ''; SET GLOBAL server_audit_file_rotations = 9",
    )
    .await;
    let r = run(&engine, &target, &["MY-SEC-016", "MY-SEC-017"], &[], None).await;
    expect(&r, "MY-SEC-016", Status::Ok);
    expect(&r, "MY-SEC-017", Status::Warning);
    my_sql(&engine, "SET GLOBAL server_audit_output_type = 'syslog'").await;
    let r = run(&engine, &target, &["MY-SEC-017"], &[], None).await;
    expect(&r, "MY-SEC-017", Status::NotRun);
    let _ = std::fs::remove_file(&keyfile);
}

fn prev_record(
    p: &dbkeeper_core::ledger::InspectionSnapshot,
) -> dbkeeper_core::ledger::NewInspectionSnapshot {
    dbkeeper_core::ledger::NewInspectionSnapshot {
        target: p.target.clone(),
        engine: p.engine.clone(),
        taken_at: p.taken_at.clone(),
        taken_at_unix: p.taken_at_unix,
        server_started_at: p.server_started_at.clone(),
        stats_reset: p.stats_reset.clone(),
        uptime_seconds: p.uptime_seconds,
        counters: p.counters.clone(),
        run_id: p.run_id,
    }
}
