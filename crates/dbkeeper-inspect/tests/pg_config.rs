//! PostgreSQL: configuration, schema and security-object checks on one default scratch
//! cluster. Each provocation is checked to flip exactly the checks it should.

mod common;

use common::{expect, flips, hba, pg, run, run_opts, set, sql, sql_each};
use dbkeeper_core::Lang;
use dbkeeper_inspect::{Freshness, InspectOptions, Status};

#[tokio::test]
async fn configuration_flips_with_settings() {
    let (_pg, engine, target) = pg(&[]).await;
    let r0 = run(&engine, &target, &[], &[], None).await;
    for (id, s) in [
        ("PG-AV-001", Status::Ok),
        ("PG-AV-002", Status::Ok),
        ("PG-AV-003", Status::Info),
        ("PG-AV-005", Status::Ok),
        ("PG-AV-006", Status::Ok),
        ("PG-CFG-001", Status::Critical),
        ("PG-CFG-002", Status::Critical),
        ("PG-CFG-003", Status::Ok),
        ("PG-CFG-004", Status::Ok),
        ("PG-CFG-005", Status::Warning),
        ("PG-CFG-006", Status::Info),
        ("PG-CFG-007", Status::Ok),
        ("PG-CFG-008", Status::Ok),
        ("PG-CFG-009", Status::Info),
        ("PG-CFG-010", Status::Info),
        ("PG-CFG-011", Status::Ok),
        ("PG-CFG-012", Status::Ok),
        ("PG-CFG-013", Status::Ok),
        ("PG-CFG-014", Status::Info),
        ("PG-CFG-016", Status::Ok),
        ("PG-CFG-017", Status::Info),
        ("PG-CFG-018", Status::Info),
        ("PG-CFG-019", Status::Info),
        ("PG-CFG-020", Status::Ok),
        ("PG-CFG-021", Status::Info),
        ("PG-CFG-022", Status::Info),
        ("PG-CFG-023", Status::Ok),
        ("PG-CFG-024", Status::Ok),
        ("PG-CFG-025", Status::Ok),
        ("PG-CFG-026", Status::Ok),
        ("PG-CFG-027", Status::Info),
        ("PG-CFG-028", Status::Ok),
        ("PG-LCK-005", Status::Info),
        ("PG-QRY-001", Status::Warning),
        ("PG-QRY-002", Status::NotRun),
        ("PG-BAK-002", Status::Warning),
        ("PG-BAK-005", Status::Ok),
        ("PG-REP-001", Status::Ok),
        ("PG-REP-002", Status::NotRun),
        ("PG-REP-006", Status::NotRun),
        ("PG-REP-008", Status::NotRun),
        ("PG-REP-009", Status::Warning),
        ("PG-REP-010", Status::Ok),
        ("PG-SEC-009", Status::Warning),
        ("PG-SEC-020", Status::Warning),
        ("PG-SEC-021", Status::Warning),
        ("PG-SEC-022", Status::Warning),
        ("PG-SEC-026", Status::NotRun),
        ("PG-SEC-027", Status::Ok),
        ("PG-VER-001", Status::Ok),
        ("PG-VER-002", Status::Ok),
        ("PG-VER-003", Status::Ok),
        ("PG-VER-005", Status::Ok),
    ] {
        expect(&r0, id, s);
    }
    // Every not-run check says why, in both languages.
    for f in r0.with_status(Status::NotRun) {
        let why = f.reason.as_ref().expect("a reason");
        assert!(!why.render(Lang::En).is_empty() && !why.render(Lang::ZhCn).is_empty());
    }

    // Good settings (reloadable) turn their checks ok, and nothing else.
    sql_each(
        &engine,
        "ALTER SYSTEM SET jit = off; ALTER SYSTEM SET track_io_timing = on;
         ALTER SYSTEM SET wal_compression = on; ALTER SYSTEM SET checkpoint_timeout = '30min';
         ALTER SYSTEM SET idle_in_transaction_session_timeout = '5min';
         ALTER SYSTEM SET log_min_duration_statement = '1s'; ALTER SYSTEM SET log_temp_files = '10MB';
         ALTER SYSTEM SET log_lock_waits = on; ALTER SYSTEM SET maintenance_work_mem = '256MB';
         ALTER SYSTEM SET idle_session_timeout = '10min';
         ALTER SYSTEM SET log_line_prefix = '%m [%p] %u@%d %r %e ';
         ALTER SYSTEM SET log_statement = 'ddl'; ALTER SYSTEM SET log_connections = on;
         ALTER SYSTEM SET log_disconnections = on; SELECT pg_reload_conf();",
    )
    .await;
    // log_connections applies to new sessions: inspect over a new one.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let e1 = dbkeeper_postgres::connect(&target).await.expect("connect");
    let r1 = run(&e1, &target, &[], &[], None).await;
    assert_eq!(
        flips(&r0, &r1),
        set(&[
            "PG-CFG-009",
            "PG-CFG-014",
            "PG-CFG-017",
            "PG-CFG-018",
            "PG-CFG-019",
            "PG-CFG-021",
            "PG-CFG-022",
            "PG-CFG-027",
            "PG-LCK-005",
            "PG-SEC-009",
            "PG-SEC-020",
            "PG-SEC-021",
        ]),
        "{}",
        common::dump(&r1)
    );
    for id in ["PG-CFG-009", "PG-SEC-009", "PG-SEC-020", "PG-SEC-021"] {
        expect(&r1, id, Status::Ok);
    }

    // Bad settings flip theirs.
    sql_each(
        &e1,
        "ALTER SYSTEM SET autovacuum = off; ALTER SYSTEM SET random_page_cost = 0.5;
         ALTER SYSTEM SET effective_cache_size = '64MB'; ALTER SYSTEM SET log_statement = 'all';
         ALTER SYSTEM SET enable_seqscan = off; ALTER SYSTEM SET checkpoint_completion_target = 0.5;
         ALTER SYSTEM SET log_checkpoints = off; ALTER SYSTEM SET shared_buffers = '200MB';
         ALTER SYSTEM SET synchronous_standby_names = 'nobody'; SELECT pg_reload_conf();",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let e2 = dbkeeper_postgres::connect(&target).await.expect("connect");
    let r2 = run(&e2, &target, &[], &[], None).await;
    assert_eq!(
        flips(&r1, &r2),
        set(&[
            "PG-CFG-004",
            "PG-CFG-007",
            "PG-CFG-013",
            "PG-CFG-016",
            "PG-CFG-023",
            "PG-CFG-024",
            "PG-CFG-026",
            "PG-CFG-028",
            "PG-REP-010",
        ]),
        "{}",
        common::dump(&r2)
    );
    expect(&r2, "PG-REP-010", Status::Critical);
    expect(&r2, "PG-CFG-026", Status::Warning);
    sql_each(&e2, "ALTER SYSTEM RESET ALL; SELECT pg_reload_conf();").await;
}

#[tokio::test]
async fn schema_and_security_objects_flip_exactly_their_check() {
    let (scratch, engine, target) = pg(&[]).await;
    let mut before = run(&engine, &target, &[], &[], None).await;
    // Each step: SQL, then the checks that must flip (and only those).
    let steps: &[(&str, &[&str])] = &[
        (
            "CREATE TABLE dup (id int PRIMARY KEY, v int); INSERT INTO dup VALUES (1, 1), (2, 1);
             ANALYZE dup;",
            &[],
        ),
        (
            "CREATE TABLE d2 (id int PRIMARY KEY, a int, b int); CREATE INDEX d2_a ON d2 (a);
             CREATE INDEX d2_ab ON d2 (a, b); ANALYZE d2;",
            &["PG-IDX-003"],
        ),
        (
            "CREATE TABLE parent (id int PRIMARY KEY);
             CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent);
             ANALYZE parent, child;",
            &["PG-IDX-007"],
        ),
        ("CREATE TABLE nopk (a int); ANALYZE nopk;", &["PG-IDX-005"]),
        (
            "ALTER TABLE nopk ADD CONSTRAINT positive CHECK (a > 0) NOT VALID;",
            &["PG-IDX-006"],
        ),
        (
            "CREATE UNLOGGED TABLE ul (id int PRIMARY KEY);",
            &["PG-STO-006"],
        ),
        (
            "CREATE SEQUENCE small AS smallint; SELECT setval('small', 32000);",
            &["PG-STO-004"],
        ),
        (
            "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
             CREATE TRIGGER t BEFORE INSERT ON ul FOR EACH ROW EXECUTE FUNCTION trg();
             ALTER TABLE ul DISABLE TRIGGER t;",
            &["PG-SEC-024"],
        ),
        (
            "CREATE FUNCTION sd() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';",
            &["PG-SEC-017"],
        ),
        ("GRANT SELECT ON parent TO PUBLIC;", &["PG-SEC-019"]),
        ("GRANT CREATE ON SCHEMA public TO PUBLIC;", &["PG-SEC-016"]),
        (
            "SELECT pg_create_physical_replication_slot('idle_slot');",
            &["PG-REP-003"],
        ),
        (
            "CREATE ROLE s1 SUPERUSER LOGIN; CREATE ROLE s2 SUPERUSER LOGIN;",
            &["PG-SEC-001"],
        ),
        (
            "CREATE ROLE maker CREATEDB LOGIN PASSWORD 'Xy-12345678' VALID UNTIL 'infinity';",
            &["PG-SEC-018"],
        ),
        (
            "CREATE ROLE soon LOGIN PASSWORD 'Xy-12345678' VALID UNTIL 'tomorrow';",
            &["PG-SEC-005"],
        ),
        (
            "SET password_encryption = 'md5'; CREATE ROLE bob LOGIN PASSWORD 'bob';
             RESET password_encryption;",
            &["PG-SEC-003", "PG-SEC-004"],
        ),
        (
            "CREATE TABLE rls (id int PRIMARY KEY); ALTER TABLE rls ENABLE ROW LEVEL SECURITY;
             CREATE POLICY p ON rls USING (true);",
            &["PG-SEC-025"],
        ),
    ];
    for (i, (text, want)) in steps.iter().enumerate() {
        sql(&engine, text).await;
        let after = run(&engine, &target, &[], &[], None).await;
        assert_eq!(
            flips(&before, &after),
            set(want),
            "step {i}: {text}\n{}",
            common::dump(&after)
        );
        before = after;
    }
    // A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind.
    let e = engine
        .client()
        .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY dup_v ON dup (v)")
        .await;
    assert!(e.is_err(), "duplicate values must make it fail");
    let after = run(&engine, &target, &[], &[], None).await;
    assert_eq!(
        flips(&before, &after),
        set(&["PG-IDX-001"]),
        "{}",
        common::dump(&after)
    );
    expect(&after, "PG-IDX-001", Status::Warning);
    expect(&after, "PG-STO-004", Status::Critical);
    expect(&after, "PG-SEC-004", Status::Critical);
    expect(&after, "PG-SEC-025", Status::Ok);
    // Evidence never carries a password hash.
    let ev = serde_json::to_string(&after.finding("PG-SEC-003").expect("sec-003").evidence)
        .expect("json");
    assert!(ev.contains("bob") && !ev.contains("md5a"), "{ev}");
    before = after;

    // A tablespace inside the data directory.
    let inside = scratch_dir(&scratch).join("ts_inside");
    std::fs::create_dir(&inside).expect("mkdir");
    let meta = std::fs::metadata(scratch_dir(&scratch)).expect("stat");
    {
        use std::os::unix::fs::MetadataExt;
        std::os::unix::fs::chown(&inside, Some(meta.uid()), Some(meta.gid())).expect("chown");
    }
    engine
        .client()
        .batch_execute(&format!(
            "CREATE TABLESPACE ts_inside LOCATION '{}'",
            inside.display()
        ))
        .await
        .expect("create tablespace");
    let after = run(&engine, &target, &[], &[], None).await;
    assert_eq!(
        flips(&before, &after),
        set(&["PG-CFG-025"]),
        "{}",
        common::dump(&after)
    );
    before = after;

    // Access rules: a non-SSL remote line, then trust from anywhere, then a broken line.
    hba(
        &scratch,
        &engine,
        "\nhost all all 10.0.0.0/8 scram-sha-256\n",
    )
    .await;
    let after = run(&engine, &target, &[], &[], None).await;
    assert_eq!(
        flips(&before, &after),
        set(&["PG-SEC-012"]),
        "{}",
        common::dump(&after)
    );
    before = after;
    hba(&scratch, &engine, "host all all 0.0.0.0/0 trust\n").await;
    let after = run(&engine, &target, &[], &[], None).await;
    assert_eq!(
        flips(&before, &after),
        set(&["PG-SEC-013", "PG-SEC-014"]),
        "{}",
        common::dump(&after)
    );
    expect(&after, "PG-SEC-013", Status::Critical);
    expect(&after, "PG-SEC-014", Status::Critical);
    before = after;
    hba(&scratch, &engine, "host all all 999.1.1.1/32 trust\n").await;
    let after = run(&engine, &target, &[], &[], None).await;
    assert_eq!(
        flips(&before, &after),
        set(&["PG-SEC-015"]),
        "{}",
        common::dump(&after)
    );
}

fn scratch_dir(s: &dbkeeper_postgres::scratch::ScratchPostgres) -> std::path::PathBuf {
    use dbkeeper_core::scratch::ScratchInstance;
    s.data_dir().to_path_buf()
}

#[tokio::test]
async fn thresholds_from_the_config_flip_checks() {
    let (_pg, engine, target) = pg(&[]).await;
    sql(
        &engine,
        "CREATE TABLE old (id int PRIMARY KEY); INSERT INTO old SELECT generate_series(1, 1000);
         CREATE INDEX old_id2 ON old ((id * 2)); ANALYZE old;
         UPDATE pg_class SET relfrozenxid = '3' WHERE relname = 'old';
         CREATE EXTENSION pageinspect;",
    )
    .await;
    let base = run(&engine, &target, &[], &[], None).await;
    // (check, threshold, value, status it must then have)
    let cases: &[(&str, &str, f64, Status)] = &[
        ("PG-AV-003", "warning", 0.0, Status::Ok),
        ("PG-VAC-001", "warning", 1.0, Status::Warning),
        ("PG-VAC-002", "warning", 500.0, Status::Warning),
        ("PG-STO-001", "warning", 1.0, Status::Warning),
        ("PG-STO-002", "warning", 1.0, Status::Warning),
        ("PG-STO-005", "warning", 0.0, Status::Info),
        ("PG-STO-007", "warning", 100.0, Status::Info),
        ("PG-STO-008", "warning", 0.001, Status::Warning),
        ("PG-CFG-008", "warning", 1.0, Status::Warning),
        ("PG-CFG-006", "low", 0.0, Status::Ok),
        ("PG-CFG-006", "high", 0.1, Status::Warning),
        ("PG-CFG-010", "per_cpu", 1000.0, Status::Ok),
        ("PG-CON-001", "warning", 1.0, Status::Warning),
        ("PG-LCK-003", "warning", 0.001, Status::Warning),
        ("PG-IDX-002", "min_size", 0.0, Status::Info),
        ("PG-VER-004", "warning", 0.0, Status::Info),
        ("PG-WAL-003", "warning", 0.0, Status::Ok),
    ];
    for (id, name, v, want) in cases {
        let r = run(&engine, &target, &[id], &[(id, name, *v)], None).await;
        assert_eq!(r.findings.len(), 1, "--only runs one check");
        expect(&r, id, *want);
        let f = r.finding(id).expect("finding");
        assert!(f.thresholds.iter().any(|t| t.name == *name && t.overridden));
        if *want != Status::Ok {
            assert_ne!(
                base.finding(id).map(|f| f.status),
                Some(*want),
                "{id} already {want:?}"
            );
        }
    }
    // The table made old shows as the oldest one.
    let r = run(
        &engine,
        &target,
        &["PG-VAC-002"],
        &[("PG-VAC-002", "warning", 500.0)],
        None,
    )
    .await;
    assert!(r
        .finding("PG-VAC-002")
        .expect("f")
        .summary
        .render(Lang::En)
        .contains("old"));
}

#[tokio::test]
async fn version_data_file_decides_end_of_life_and_lag() {
    let (_pg, engine, target) = pg(&[]).await;
    let dir = tempfile::tempdir().expect("tmp");
    let file = |eol: &str, latest: &str, security: &str| {
        format!(
            r#"{{"format": 1, "as_of": "2026-11-12", "products": {{"postgresql": {{"branches": [
                {{"branch": "15", "eol": "{eol}", "latest": "{latest}", "security": [{security}]}}]}}}}}}"#
        )
    };
    let cases = [
        (
            file("2026-01-01", "15.20", ""),
            Status::Critical,
            Status::Ok,
        ),
        (file("2027-01-01", "15.20", ""), Status::Warning, Status::Ok),
        (
            file(
                "2030-01-01",
                "15.23",
                r#"{"version": "15.21", "cves": ["CVE-2026-9999"]}"#,
            ),
            Status::Ok,
            Status::Warning,
        ),
        (
            file(
                "2030-01-01",
                "15.23",
                r#"{"version": "15.21", "cves": []}, {"version": "15.22", "cves": []}, {"version": "15.23", "cves": ["CVE-2026-1"]}"#,
            ),
            Status::Ok,
            Status::Critical,
        ),
        (file("2030-01-01", "15.25", ""), Status::Ok, Status::Info),
    ];
    for (json, eol, minor) in cases {
        let opts = InspectOptions {
            only: vec!["version".into()],
            versions: common::versions_file(dir.path(), &json),
            ..Default::default()
        };
        let r = run_opts(&engine, &target, &opts, None, Freshness::default()).await;
        expect(&r, "PG-VER-001", eol);
        expect(&r, "PG-VER-002", minor);
        if minor == Status::Warning {
            let s = r
                .finding("PG-VER-002")
                .expect("f")
                .summary
                .render(Lang::ZhCn);
            assert!(s.contains("CVE-2026-9999"), "{s}");
        }
    }
    // A branch the file does not know: not run, saying so.
    let opts = InspectOptions {
        only: vec!["PG-VER-001".into()],
        versions: common::versions_file(
            dir.path(),
            r#"{"format": 1, "as_of": "2026-11-12", "products": {"postgresql": {"branches": []}}}"#,
        ),
        ..Default::default()
    };
    let r = run_opts(&engine, &target, &opts, None, Freshness::default()).await;
    expect(&r, "PG-VER-001", Status::NotRun);
    // A broken file is a config error with its path.
    std::fs::write(dir.path().join("bad.json"), "{not json").expect("write");
    let e = dbkeeper_inspect::VersionData::load(&dir.path().join("bad.json")).expect_err("bad");
    assert_eq!(e.exit_code(), 78);
    assert!(e.render(Lang::ZhCn).contains("版本数据文件"));
}
