//! MariaDB: configuration, accounts, schema and session checks on scratch instances; each
//! provocation checked to flip exactly the checks it should.

mod common;

use std::time::Duration;

use common::{expect, flips, my, my_sql, run, set};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::Lang;
use dbkeeper_inspect::Status;

#[tokio::test]
async fn settings_accounts_and_tables_flip_exactly_their_check() {
    let (_my, engine, target) = my(&[]).await;
    let r0 = run(&engine, &target, &[], &[], None).await;
    for (id, s) in [
        ("MY-AV-001", Status::Ok),
        ("MY-AV-005", Status::Ok),
        ("MY-CFG-001", Status::Warning),
        ("MY-CFG-003", Status::Warning),
        ("MY-CFG-005", Status::Warning),
        ("MY-CFG-006", Status::Ok),
        ("MY-CFG-011", Status::Ok),
        ("MY-CFG-014", Status::Info),
        ("MY-CFG-026", Status::Info),
        ("MY-CFG-027", Status::Ok),
        ("MY-CFG-028", Status::Ok),
        ("MY-LCK-006", Status::Info),
        ("MY-QRY-002", Status::Info),
        ("MY-SEC-001", Status::Ok),
        ("MY-SEC-002", Status::Critical),
        ("MY-SEC-007", Status::Warning),
        ("MY-SEC-008", Status::Warning),
        ("MY-SEC-011", Status::Warning),
        ("MY-SEC-012", Status::Warning),
        ("MY-SEC-013", Status::Warning),
        ("MY-SEC-014", Status::Warning),
        ("MY-SEC-015", Status::Warning),
        ("MY-SEC-016", Status::NotRun),
        ("MY-SEC-018", Status::Warning),
        ("MY-SEC-019", Status::Ok),
        ("MY-SEC-022", Status::NotRun),
        ("MY-SEC-026", Status::NotRun),
        ("MY-REP-001", Status::Ok),
        ("MY-REP-007", Status::Warning),
        ("MY-IDX-001", Status::NotRun),
        ("MY-BAK-002", Status::Ok),
        ("MY-CFG-025", Status::Info),
        ("MY-MEM-001", Status::Ok),
        ("MY-SEC-024", Status::Ok),
        ("MY-SEC-025", Status::Ok),
        ("MY-VER-001", Status::Ok),
        ("MY-VER-002", Status::Ok),
        ("MY-VER-004", Status::Ok),
    ] {
        expect(&r0, id, s);
    }
    let mut before = r0;
    let steps: &[(&str, &[&str])] = &[
        ("SET GLOBAL innodb_flush_log_at_trx_commit = 1", &["MY-CFG-001"]),
        ("SET GLOBAL tx_isolation = 'READ-UNCOMMITTED'", &["MY-CFG-011"]),
        ("SET GLOBAL max_connections = 2000", &["MY-CFG-015", "MY-MEM-001"]),
        ("SET GLOBAL innodb_lock_wait_timeout = 100", &["MY-CFG-016"]),
        ("SET GLOBAL sort_buffer_size = 8388608", &["MY-CFG-017"]),
        ("SET GLOBAL tmp_table_size = 33554432", &["MY-CFG-020"]),
        ("SET GLOBAL log_output = 'TABLE'", &["MY-CFG-022"]),
        ("SET GLOBAL max_connect_errors = 100000", &["MY-CFG-026"]),
        ("SET GLOBAL sql_mode = ''", &["MY-CFG-027"]),
        ("SET GLOBAL character_set_server = 'latin1'", &["MY-CFG-028"]),
        ("SET GLOBAL innodb_print_all_deadlocks = ON", &["MY-LCK-006"]),
        ("SET GLOBAL slow_query_log = ON; SET GLOBAL long_query_time = 1", &["MY-QRY-002"]),
        ("SET GLOBAL wait_timeout = 600; SET GLOBAL interactive_timeout = 600", &["MY-SEC-014"]),
        ("SET GLOBAL max_password_errors = 5", &["MY-SEC-013"]),
        ("SET GLOBAL default_password_lifetime = 90", &["MY-SEC-012"]),
        ("SET GLOBAL thread_cache_size = 0", &["MY-MEM-006"]),
        ("SET GLOBAL require_secure_transport = ON", &["MY-SEC-008", "MY-SEC-010"]),
        ("CREATE USER 'app'@'%' IDENTIFIED BY 'App-Pa55-word'", &["MY-SEC-005"]),
        ("GRANT FILE ON *.* TO 'app'@'%'", &["MY-SEC-021"]),
        ("ALTER USER 'app'@'%' PASSWORD EXPIRE", &["MY-SEC-027"]),
        (
            "CREATE USER 'adm'@'%' IDENTIFIED BY 'Adm-Pa55-word'; GRANT ALL ON *.* TO 'adm'@'%' WITH GRANT OPTION",
            &["MY-SEC-004"],
        ),
        ("ALTER USER 'adm'@'%' REQUIRE X509", &["MY-SEC-023"]),
        ("CREATE USER ''@'localhost'", &["MY-SEC-001"]),
        ("CREATE USER 'bob'@'localhost' IDENTIFIED BY 'bob'", &["MY-SEC-003"]),
        (
            "CREATE USER 'old'@'localhost' IDENTIFIED VIA mysql_old_password USING '7d1c8a0d1c7b3e4f'",
            &["MY-SEC-006"],
        ),
        ("CREATE DATABASE test", &["MY-SEC-019"]),
        ("CREATE DATABASE app", &[]),
        ("CREATE TABLE app.mi (id int PRIMARY KEY) ENGINE = MyISAM", &["MY-INN-003"]),
        ("CREATE TABLE app.nokey (a int)", &["MY-IDX-003", "MY-IDX-004"]),
        (
            "CREATE TABLE app.red (id int PRIMARY KEY, a int, b int, KEY ka (a), KEY kab (a, b))",
            &["MY-IDX-002"],
        ),
        (
            "CREATE TABLE app.ai (id tinyint AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT = 125",
            &["MY-STO-005"],
        ),
        (
            "CREATE TABLE app.l1 (id int PRIMARY KEY, t varchar(10)) CHARACTER SET latin1",
            &["MY-STO-007"],
        ),
    ];
    for (i, (text, want)) in steps.iter().enumerate() {
        my_sql(&engine, text).await;
        let after = run(&engine, &target, &[], &[], None).await;
        assert_eq!(
            flips(&before, &after),
            set(want),
            "step {i}: {text}\n{}",
            common::dump(&after)
        );
        before = after;
    }
    expect(&before, "MY-SEC-004", Status::Critical);
    expect(&before, "MY-SEC-001", Status::Critical);
    expect(&before, "MY-SEC-003", Status::Critical);
    expect(&before, "MY-STO-005", Status::Critical);
    expect(&before, "MY-SEC-023", Status::Ok);
    // Evidence names accounts, never their hashes.
    let ev =
        serde_json::to_string(&before.finding("MY-SEC-003").expect("f").evidence).expect("json");
    assert!(
        ev.contains("'bob'@'localhost'") && !ev.contains('*'),
        "{ev}"
    );

    // Thresholds from the config.
    let cases: &[(&str, &str, f64, Status)] = &[
        ("MY-CON-001", "warning", 0.01, Status::Warning),
        ("MY-STO-001", "warning", 1.0, Status::Warning),
        ("MY-STO-006", "warning", 0.0, Status::Info),
        ("MY-AV-003", "warning", 0.0, Status::Ok),
        ("MY-SEC-020", "warning", 1.0, Status::Warning),
        ("MY-CFG-023", "warning", 0.01, Status::Warning),
    ];
    for (id, name, v, want) in cases {
        let r = run(&engine, &target, &[id], &[(id, name, *v)], None).await;
        expect(&r, id, *want);
    }
}

#[tokio::test]
async fn sessions_locks_and_transactions() {
    let (_my, engine, target) = my(&[]).await;
    my_sql(
        &engine,
        "CREATE DATABASE app; CREATE TABLE app.t (id int PRIMARY KEY, v int);
         INSERT INTO app.t VALUES (1, 0), (2, 0)",
    )
    .await;
    let connect = || dbkeeper_mysql::connect(&target);
    // Old row versions pile up behind a consistent snapshot that stays open.
    my_sql(
        &engine,
        "CREATE TABLE app.h (id int PRIMARY KEY, v int); INSERT INTO app.h VALUES (1, 0)",
    )
    .await;
    let snapshot = connect().await.expect("c");
    my_sql(
        &snapshot,
        "START TRANSACTION WITH CONSISTENT SNAPSHOT; SELECT * FROM app.h",
    )
    .await;
    for i in 0..50 {
        my_sql(&engine, &format!("UPDATE app.h SET v = {i} WHERE id = 1")).await;
    }
    let r = run(
        &engine,
        &target,
        &["MY-INN-001"],
        &[("MY-INN-001", "warning", 10.0)],
        None,
    )
    .await;
    expect(&r, "MY-INN-001", Status::Warning);
    my_sql(&snapshot, "COMMIT").await;
    let sleeper = connect().await.expect("c");
    let sleep_task = tokio::spawn(async move {
        let _ = sleeper.query("SELECT SLEEP(20)").await;
        sleeper
    });
    let holder = connect().await.expect("c");
    my_sql(
        &holder,
        "START TRANSACTION; UPDATE app.t SET v = v + 1 WHERE id = 1",
    )
    .await;
    let waiter = connect().await.expect("c");
    let wait_task = tokio::spawn(async move {
        let _ = waiter.query("UPDATE app.t SET v = 5 WHERE id = 1").await;
    });
    let alter = connect().await.expect("c");
    let alter_task = tokio::spawn(async move {
        let _ = alter.query("ALTER TABLE app.t ADD COLUMN c int").await;
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let over: &[(&str, &str, f64)] = &[
        ("MY-SES-001", "warning", 1.0),
        ("MY-SES-002", "warning", 1.0),
        ("MY-SES-003", "warning", 1.0),
        ("MY-LCK-002", "warning", 1.0),
        ("MY-LCK-005", "warning", 1.0),
    ];
    let only = ["sessions", "locks"];
    let r = run(&engine, &target, &only, over, None).await;
    for id in [
        "MY-SES-001",
        "MY-SES-002",
        "MY-SES-003",
        "MY-LCK-002",
        "MY-LCK-005",
    ] {
        expect(&r, id, Status::Warning);
    }
    let r = run(&engine, &target, &only, &[], None).await;
    for id in [
        "MY-SES-001",
        "MY-SES-002",
        "MY-SES-003",
        "MY-LCK-002",
        "MY-LCK-005",
    ] {
        expect(&r, id, Status::Ok);
    }
    my_sql(&holder, "ROLLBACK").await;
    let _ = wait_task.await;
    let _ = alter_task.await;
    let rows = engine
        .query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(20)%'")
        .await
        .expect("processlist");
    for row in rows {
        let id = row.get("ID").map(ToString::to_string).unwrap_or_default();
        let _ = engine
            .query(&format!("KILL QUERY {}", id.trim_matches('"')))
            .await;
    }
    let _ = sleep_task.await;
    // Let the released statements finish before judging the quiet state.
    for _ in 0..40 {
        let busy = engine
            .query("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()")
            .await
            .expect("innodb_trx");
        if busy
            .first()
            .and_then(|r| r.get("n"))
            .and_then(|v| v.as_i64())
            == Some(0)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let r = run(&engine, &target, &only, over, None).await;
    for id in [
        "MY-SES-001",
        "MY-SES-002",
        "MY-SES-003",
        "MY-LCK-002",
        "MY-LCK-005",
    ] {
        expect(&r, id, Status::Ok);
    }
    assert!(r
        .finding("MY-LCK-005")
        .expect("f")
        .summary
        .render(Lang::En)
        .contains("below"));
}

#[tokio::test]
async fn version_data_and_growth() {
    let (_my, engine, target) = my(&[]).await;
    let dir = tempfile::tempdir().expect("tmp");
    let opts = dbkeeper_inspect::InspectOptions {
        only: vec!["version".into()],
        versions: common::versions_file(
            dir.path(),
            r#"{"format": 1, "as_of": "2026-11-12", "products": {"mariadb": {"branches": [
            {"branch": "10.11", "eol": "2026-01-01", "latest": "10.11.21", "lts": false,
             "security": [{"version": "10.11.20", "cves": ["CVE-2026-0001"]}]}]}}}"#,
        ),
        ..Default::default()
    };
    let r = common::run_opts(
        &engine,
        &target,
        &opts,
        None,
        dbkeeper_inspect::Freshness::default(),
    )
    .await;
    expect(&r, "MY-VER-001", Status::Critical);
    expect(&r, "MY-VER-002", Status::Warning);
    expect(&r, "MY-VER-004", Status::Info);
    // Growth: two quiet runs measure none.
    let l = common::ledger(&dir);
    let only = ["MY-STO-003"];
    run(&engine, &target, &only, &[], Some(&l)).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = run(&engine, &target, &only, &[], Some(&l)).await;
    expect(&r, "MY-STO-003", Status::Ok);
}

#[tokio::test]
async fn more_tables_than_the_definition_cache() {
    let (_my, engine, target) = my(&[]).await;
    my_sql(&engine, "CREATE DATABASE many").await;
    let r = run(&engine, &target, &["MY-CFG-024"], &[], None).await;
    expect(&r, "MY-CFG-024", Status::Ok);
    // table_definition_cache cannot go below 400.
    for i in 0..401 {
        my_sql(
            &engine,
            &format!("CREATE TABLE many.t{i} (id int PRIMARY KEY)"),
        )
        .await;
    }
    let r = run(&engine, &target, &["MY-CFG-024"], &[], None).await;
    expect(&r, "MY-CFG-024", Status::Info);
}
