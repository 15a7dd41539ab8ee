//! PostgreSQL: sessions, locks, prepared transactions, vacuum and index statistics, statement
//! statistics, and rates from ledger snapshots, provoked on scratch clusters.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{expect, ledger, pg, run, sql};
use dbkeeper_core::ledger::NewInspectionSnapshot;
use dbkeeper_core::Lang;
use dbkeeper_inspect::{BasisKind, Status};

/// Settings that need a restart, for one cluster that serves many checks.
const TUNED: &[(&str, &str)] = &[
    ("fsync", "on"),
    ("full_page_writes", "on"),
    ("max_connections", "30"),
    ("shared_buffers", "1MB"),
    ("max_prepared_transactions", "5"),
    ("shared_preload_libraries", "pg_stat_statements"),
    ("pg_stat_statements.max", "100"),
    ("wal_level", "logical"),
    ("max_wal_size", "32MB"),
    ("min_wal_size", "32MB"),
    ("superuser_reserved_connections", "0"),
    ("huge_pages", "off"),
    ("autovacuum_freeze_max_age", "900000000"),
    ("deadlock_timeout", "200ms"),
];

async fn side(target: &dbkeeper_core::target::Target) -> dbkeeper_postgres::PgEngine {
    dbkeeper_postgres::connect(target)
        .await
        .expect("side connection")
}

#[tokio::test]
async fn sessions_locks_and_prepared_transactions() {
    let (_pg, engine, target) = pg(TUNED).await;
    sql(
        &engine,
        "CREATE EXTENSION pg_stat_statements; CREATE TABLE blk (id int PRIMARY KEY);",
    )
    .await;
    let r = run(
        &engine,
        &target,
        &[],
        &[("PG-CFG-012", "min_shared_buffers", 1.0)],
        None,
    )
    .await;
    for (id, s) in [
        ("PG-CFG-001", Status::Ok),
        ("PG-CFG-002", Status::Ok),
        ("PG-CFG-011", Status::Warning),
        ("PG-CFG-012", Status::Info),
        ("PG-CFG-020", Status::Warning),
        ("PG-QRY-001", Status::Ok),
        ("PG-SES-001", Status::Ok),
        ("PG-SES-002", Status::Ok),
        ("PG-SES-003", Status::Ok),
        ("PG-SES-004", Status::Ok),
        ("PG-CON-002", Status::Ok),
        ("PG-LCK-001", Status::Ok),
        ("PG-LCK-002", Status::Ok),
    ] {
        expect(&r, id, s);
    }

    // An idle transaction holding a snapshot, a prepared transaction, a long query, and a
    // session blocked behind a lock.
    let idle = side(&target).await;
    sql(
        &idle,
        "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT txid_current();",
    )
    .await;
    let prep = side(&target).await;
    sql(
        &prep,
        "BEGIN; CREATE TABLE p1 (x int); PREPARE TRANSACTION 'gid1';",
    )
    .await;
    let sleeper = side(&target).await;
    let sleep_task = tokio::spawn(async move {
        let _ = sleeper.client().batch_execute("SELECT pg_sleep(20)").await;
    });
    let locker = side(&target).await;
    sql(&locker, "BEGIN; LOCK TABLE blk IN ACCESS EXCLUSIVE MODE;").await;
    let waiter = side(&target).await;
    let wait_task = tokio::spawn(async move {
        let _ = waiter.client().batch_execute("SELECT * FROM blk").await;
    });
    // Transactions after the snapshot, so that its xmin is old in transaction ids.
    sql(
        &engine,
        "DO $$ BEGIN FOR i IN 1..200 LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let over: &[(&str, &str, f64)] = &[
        ("PG-SES-001", "warning", 1.0),
        ("PG-SES-002", "warning", 1.0),
        ("PG-SES-003", "warning", 1.0),
        ("PG-SES-004", "warning", 100.0),
        ("PG-CON-002", "warning", 1.0),
        ("PG-LCK-002", "warning", 1.0),
    ];
    let only = ["sessions", "connections", "locks"];
    let r = run(&engine, &target, &only, over, None).await;
    for id in [
        "PG-SES-001",
        "PG-SES-002",
        "PG-SES-003",
        "PG-SES-004",
        "PG-CON-002",
        "PG-LCK-001",
        "PG-LCK-002",
    ] {
        expect(&r, id, Status::Warning);
    }
    let blocked = &r.finding("PG-LCK-001").expect("f").evidence;
    assert_eq!(blocked.rows_total, 1, "{blocked:?}");
    // With the default thresholds (minutes, millions of ids) only the blocked session counts.
    let r = run(&engine, &target, &only, &[], None).await;
    for id in [
        "PG-SES-001",
        "PG-SES-002",
        "PG-SES-003",
        "PG-SES-004",
        "PG-CON-002",
        "PG-LCK-002",
    ] {
        expect(&r, id, Status::Ok);
    }
    expect(&r, "PG-LCK-001", Status::Warning);

    sql(&locker, "ROLLBACK").await;
    let _ = wait_task.await;
    sql(&idle, "ROLLBACK").await;
    sql(&engine, "ROLLBACK PREPARED 'gid1'").await;
    sql(&engine, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%'").await;
    let _ = sleep_task.await;
    let r = run(&engine, &target, &only, over, None).await;
    for id in [
        "PG-SES-001",
        "PG-SES-002",
        "PG-SES-003",
        "PG-SES-004",
        "PG-CON-002",
        "PG-LCK-001",
        "PG-LCK-002",
    ] {
        expect(&r, id, Status::Ok);
    }
}

#[tokio::test]
async fn rates_come_from_the_change_between_snapshots() {
    let (_pg, engine, target) = pg(TUNED).await;
    let dir = tempfile::tempdir().expect("tmp");
    let l = ledger(&dir);
    sql(
        &engine,
        "CREATE EXTENSION pg_stat_statements;
         CREATE TABLE a (id int PRIMARY KEY, v int); INSERT INTO a VALUES (1, 0), (2, 0);
         SELECT pg_create_physical_replication_slot('keep', true);",
    )
    .await;
    let r1 = run(&engine, &target, &[], &[], Some(&l)).await;
    let s1 = r1.stats.as_ref().expect("stats");
    assert_eq!(s1.basis, BasisKind::Lifetime);
    assert!(s1.previous_snapshot_at.is_none());
    expect(&r1, "PG-STO-003", Status::NotRun);
    expect(&r1, "PG-LCK-004", Status::Ok);

    // A deadlock.
    let c7 = side(&target).await;
    let c8 = side(&target).await;
    sql(&c7, "BEGIN; UPDATE a SET v = 1 WHERE id = 1;").await;
    sql(&c8, "BEGIN; UPDATE a SET v = 1 WHERE id = 2;").await;
    let t7 = tokio::spawn(async move {
        let r = c7
            .client()
            .batch_execute("UPDATE a SET v = 2 WHERE id = 2")
            .await;
        let _ = c7.client().batch_execute("ROLLBACK").await;
        r.is_err()
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let r8 = c8
        .client()
        .batch_execute("UPDATE a SET v = 2 WHERE id = 1")
        .await;
    let _ = c8.client().batch_execute("ROLLBACK").await;
    let e7 = t7.await.expect("join");
    assert!(e7 || r8.is_err(), "one of them must be the deadlock victim");

    // Rollbacks, a spilling sort, slow and many distinct statements, WAL and growth.
    sql(&engine, &"BEGIN; SELECT 1; ROLLBACK;".repeat(1500)).await;
    sql(
        &engine,
        "SET work_mem = '64kB';
         SELECT count(*) FROM (SELECT g FROM generate_series(1, 300000) g ORDER BY g DESC) s;
         RESET work_mem;",
    )
    .await;
    for _ in 0..3 {
        sql(&engine, "SELECT pg_sleep(0.03)").await;
    }
    // pg_stat_statements ignores constants and aliases: a different number of columns makes
    // a different statement.
    for i in 1..=150 {
        sql(&engine, &format!("SELECT {}", vec!["1"; i].join(", "))).await;
    }
    sql(
        &engine,
        "CREATE TABLE pad (id int PRIMARY KEY, filler text) WITH (autovacuum_enabled = false);
         INSERT INTO pad SELECT g, repeat('x', 200) FROM generate_series(1, 150000) g;
         ANALYZE pad;",
    )
    .await;
    for _ in 0..3 {
        sql(&engine, "SELECT count(*) FROM pad").await;
    }
    // A table read only by sequential scans.
    sql(
        &engine,
        "CREATE TABLE scan (id int PRIMARY KEY, v int);
         INSERT INTO scan SELECT g, g FROM generate_series(1, 20000) g; ANALYZE scan;",
    )
    .await;
    for _ in 0..10 {
        sql(&engine, "SELECT count(*) FROM scan WHERE v > 5").await;
    }
    for i in 0..300 {
        sql(
            &engine,
            &format!("SELECT filler FROM pad WHERE id = {}", 1 + i * 499),
        )
        .await;
    }
    sql(&engine, "CHECKPOINT").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;

    let over: &[(&str, &str, f64)] = &[
        ("PG-QRY-002", "min_calls", 2.0),
        ("PG-MEM-003", "warning", 1_048_576.0),
        ("PG-QRY-005", "warning", 8192.0),
        ("PG-MEM-004", "min_reads", 100.0),
        ("PG-REP-004", "warning", 1_048_576.0),
        ("PG-WAL-002", "warning", 0.0),
        ("PG-IDX-004", "min_rows", 1000.0),
    ];
    let r2 = run(&engine, &target, &[], over, Some(&l)).await;
    let s2 = r2.stats.as_ref().expect("stats");
    assert_eq!(s2.basis, BasisKind::Delta, "{s2:?}");
    assert!(s2.previous_snapshot_at.is_some());
    for (id, s) in [
        ("PG-LCK-004", Status::Warning),
        ("PG-QRY-003", Status::Critical),
        ("PG-MEM-003", Status::Warning),
        ("PG-CFG-015", Status::Info),
        ("PG-QRY-002", Status::Warning),
        ("PG-QRY-004", Status::Info),
        ("PG-QRY-005", Status::Info),
        ("PG-REP-003", Status::Warning),
        ("PG-REP-004", Status::Warning),
        ("PG-WAL-002", Status::Warning),
        ("PG-IDX-004", Status::Info),
    ] {
        expect(&r2, id, s);
    }
    for id in ["PG-MEM-001", "PG-MEM-002", "PG-WAL-001", "PG-STO-003"] {
        let f = r2.finding(id).expect("finding");
        assert!(
            matches!(f.status, Status::Warning | Status::Critical),
            "{id}: {:?} {}",
            f.status,
            f.summary.render(Lang::En)
        );
    }
    assert!(matches!(
        r2.finding("PG-MEM-004").expect("f").status,
        Status::Warning | Status::Critical | Status::Ok
    ));
    let lck = r2.finding("PG-LCK-004").expect("f");
    assert_eq!(lck.basis.as_ref().map(|b| b.kind), Some(BasisKind::Delta));

    // Nothing happens: the counted checks go back to ok.
    let r3 = run(&engine, &target, &[], over, Some(&l)).await;
    // (PG-QRY-004 may see evictions caused by the inspection's own queries: the scratch
    // keeps only 100 statements.)
    for id in ["PG-LCK-004", "PG-MEM-003", "PG-WAL-001", "PG-CFG-015"] {
        expect(&r3, id, Status::Ok);
    }

    // Statistics reset: the period starts at the reset, and says so.
    sql(&engine, "SELECT pg_stat_reset()").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r4 = run(
        &engine,
        &target,
        &["PG-LCK-004", "PG-MEM-001"],
        &[],
        Some(&l),
    )
    .await;
    let s4 = r4.stats.as_ref().expect("stats");
    assert!(s4.reset, "{s4:?}");
    let b = r4
        .finding("PG-LCK-004")
        .expect("f")
        .basis
        .clone()
        .expect("basis");
    assert_eq!(b.kind, BasisKind::Lifetime);
    assert!(b.why.expect("why").render(Lang::En).contains("reset"));

    // A restart since the previous snapshot (recorded with another start time).
    let prev = l
        .latest_inspection_snapshot(&target.name, "postgres")
        .expect("read")
        .expect("some");
    l.add_inspection_snapshot(&NewInspectionSnapshot {
        target: target.name.clone(),
        engine: "postgres".into(),
        taken_at: Utc::now().to_rfc3339(),
        taken_at_unix: Utc::now().timestamp(),
        server_started_at: Some("2020-01-01T00:00:00Z".into()),
        stats_reset: None,
        uptime_seconds: Some(999_999_999),
        counters: prev.counters.clone(),
        run_id: None,
    })
    .expect("fake snapshot");
    let r5 = run(
        &engine,
        &target,
        &["PG-AV-004", "PG-LCK-004"],
        &[],
        Some(&l),
    )
    .await;
    expect(&r5, "PG-AV-004", Status::Warning);
    assert!(r5.stats.as_ref().expect("s").restarted);
    let b = r5
        .finding("PG-LCK-004")
        .expect("f")
        .basis
        .clone()
        .expect("basis");
    assert!(b.why.expect("why").render(Lang::ZhCn).contains("重启"));
    // The findings of each run are in the ledger too.
    let id = l
        .latest_inspection_snapshot(&target.name, "postgres")
        .expect("read")
        .expect("some")
        .id;
    let stored = l.inspection_findings(id).expect("findings");
    assert_eq!(stored.len(), 2);
    assert!(stored
        .iter()
        .any(|f| f.check_id == "PG-AV-004" && f.status == "warning"));
}

#[tokio::test]
async fn growth_is_measured_between_runs() {
    let (_pg, engine, target) = pg(&[("shared_preload_libraries", "pg_stat_statements")]).await;
    sql(&engine, "CREATE EXTENSION pg_stat_statements").await;
    let dir = tempfile::tempdir().expect("tmp");
    let l = ledger(&dir);
    // With room for every statement, pg_stat_statements evicts nothing.
    run(&engine, &target, &["PG-QRY-004"], &[], Some(&l)).await;
    let r = run(&engine, &target, &["PG-QRY-004"], &[], Some(&l)).await;
    expect(&r, "PG-QRY-004", Status::Ok);
    let only = ["PG-STO-003"];
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = run(&engine, &target, &only, &[], Some(&l)).await;
    expect(&r, "PG-STO-003", Status::Ok);
    sql(
        &engine,
        "CREATE TABLE grow AS SELECT g, repeat('y', 500) AS f FROM generate_series(1, 50000) g",
    )
    .await;
    let r = run(&engine, &target, &only, &[], Some(&l)).await;
    expect(&r, "PG-STO-003", Status::Critical);
    let f = r.finding("PG-STO-003").expect("f");
    assert!(f.evidence.values.contains_key("days_until_full"));
}

#[tokio::test]
async fn vacuum_statistics_and_slots() {
    let (_pg, engine, target) = pg(TUNED).await;
    sql(
        &engine,
        "CREATE TABLE dt (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
         INSERT INTO dt SELECT generate_series(1, 20000); DELETE FROM dt WHERE id > 5000;
         CREATE TABLE na (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
         INSERT INTO na SELECT generate_series(1, 2000);
         CREATE TABLE bl (id int PRIMARY KEY, f text) WITH (autovacuum_enabled = false);
         INSERT INTO bl SELECT g, repeat('z', 100) FROM generate_series(1, 100000) g;
         ANALYZE bl; DELETE FROM bl WHERE id % 10 <> 0;
         CREATE TABLE m (id int PRIMARY KEY); INSERT INTO m VALUES (1);",
    )
    .await;
    sql(
        &engine,
        "SELECT pg_create_logical_replication_slot('ls', 'test_decoding')",
    )
    .await;
    sql(&engine, "VACUUM bl").await;
    // Shared row locks of two transactions make a multixact.
    let c1 = side(&target).await;
    let c2 = side(&target).await;
    sql(&c1, "BEGIN; SELECT * FROM m WHERE id = 1 FOR SHARE;").await;
    sql(&c2, "BEGIN; SELECT * FROM m WHERE id = 1 FOR SHARE;").await;
    sql(&c1, "COMMIT").await;
    sql(&c2, "COMMIT").await;
    sql(
        &engine,
        "DO $$ BEGIN FOR i IN 1..200 LOOP PERFORM txid_current(); COMMIT; END LOOP; END $$",
    )
    .await;
    // Statistics reach the shared counters when a session goes idle (at most once a second).
    tokio::time::sleep(Duration::from_millis(1200)).await;
    sql(&engine, "SELECT 1").await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let r = run(&engine, &target, &["vacuum", "replication"], &[], None).await;
    expect(&r, "PG-VAC-004", Status::Critical);
    expect(&r, "PG-VAC-005", Status::Info);
    expect(&r, "PG-VAC-006", Status::Ok);
    expect(&r, "PG-VAC-008", Status::Warning);
    expect(&r, "PG-VAC-003", Status::Ok);
    expect(&r, "PG-REP-005", Status::Ok);
    expect(&r, "PG-REP-003", Status::Warning);
    let over: &[(&str, &str, f64)] = &[
        ("PG-VAC-006", "warning", 1_048_576.0),
        ("PG-VAC-003", "warning", 1.0),
        ("PG-REP-005", "warning", 100.0),
    ];
    let r = run(&engine, &target, &["vacuum", "replication"], over, None).await;
    expect(&r, "PG-VAC-006", Status::Warning);
    expect(&r, "PG-VAC-003", Status::Warning);
    expect(&r, "PG-REP-005", Status::Warning);
    assert!(r
        .finding("PG-VAC-006")
        .expect("f")
        .summary
        .render(Lang::En)
        .contains("bl"));

    // Clean up: the same checks pass.
    common::sql_each(&engine, "ANALYZE na; VACUUM FULL bl; VACUUM FULL dt; ALTER TABLE dt RESET (autovacuum_enabled); ALTER TABLE na RESET (autovacuum_enabled); ALTER TABLE bl RESET (autovacuum_enabled); ANALYZE dt, bl").await;
    sql(&engine, "SELECT pg_drop_replication_slot('ls')").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    sql(&engine, "SELECT 1").await;
    let r = run(
        &engine,
        &target,
        &["vacuum", "replication"],
        &[("PG-VAC-006", "warning", 1_048_576.0)],
        None,
    )
    .await;
    for id in [
        "PG-VAC-004",
        "PG-VAC-005",
        "PG-VAC-006",
        "PG-VAC-008",
        "PG-REP-003",
        "PG-REP-005",
    ] {
        expect(&r, id, Status::Ok);
    }

    // A vacuum slowed to a crawl shows as long-running.
    sql(
        &engine,
        "CREATE TABLE slow (id int, f text) WITH (autovacuum_enabled = false);
         INSERT INTO slow SELECT g, repeat('s', 200) FROM generate_series(1, 50000) g;
         DELETE FROM slow;",
    )
    .await;
    let vac = side(&target).await;
    let vac_task = tokio::spawn(async move {
        for stmt in [
            "SET vacuum_cost_delay = 100",
            "SET vacuum_cost_limit = 1",
            "VACUUM slow",
        ] {
            let _ = vac.client().batch_execute(stmt).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = run(
        &engine,
        &target,
        &["PG-VAC-007"],
        &[("PG-VAC-007", "warning", 1.0)],
        None,
    )
    .await;
    expect(&r, "PG-VAC-007", Status::Info);
    sql(
        &engine,
        "SELECT pg_cancel_backend(pid) FROM pg_stat_progress_vacuum",
    )
    .await;
    let _ = vac_task.await;
    let r = run(
        &engine,
        &target,
        &["PG-VAC-007"],
        &[("PG-VAC-007", "warning", 1.0)],
        None,
    )
    .await;
    expect(&r, "PG-VAC-007", Status::Ok);
}

#[tokio::test]
async fn checkpoint_age_and_privileges() {
    let (_pg, engine, target) = pg(&[]).await;
    // WAL written since the last checkpoint (well under max_wal_size: no checkpoint follows).
    sql(
        &engine,
        "CREATE TABLE w AS SELECT g, repeat('w', 300) AS f FROM generate_series(1, 100000) g",
    )
    .await;
    let r = run(
        &engine,
        &target,
        &["PG-WAL-003"],
        &[("PG-WAL-003", "warning", 0.0)],
        None,
    )
    .await;
    expect(&r, "PG-WAL-003", Status::Warning);
    let r = run(&engine, &target, &["PG-WAL-003"], &[], None).await;
    expect(&r, "PG-WAL-003", Status::Ok);

    // An unprivileged user: told what it lacks, and the checks it cannot run say why.
    sql(&engine, "CREATE ROLE plain LOGIN").await;
    let mut t = target.clone();
    t.user = "plain".into();
    let plain = dbkeeper_postgres::connect(&t)
        .await
        .expect("connect as plain");
    let r = run(&plain, &t, &[], &[], None).await;
    expect(&r, "PG-AV-005", Status::Warning);
    for id in ["PG-SEC-002", "PG-SEC-012", "PG-STO-008"] {
        expect(&r, id, Status::NotRun);
        let why = r
            .finding(id)
            .expect("f")
            .reason
            .as_ref()
            .expect("reason")
            .render(Lang::En);
        assert!(why.contains("plain"), "{id}: {why}");
    }
    sql(&engine, "GRANT pg_monitor TO plain").await;
    let plain = dbkeeper_postgres::connect(&t)
        .await
        .expect("connect as plain");
    let r = run(&plain, &t, &["PG-AV-005", "PG-STO-008"], &[], None).await;
    expect(&r, "PG-AV-005", Status::Info);
    expect(&r, "PG-STO-008", Status::Ok);
}
