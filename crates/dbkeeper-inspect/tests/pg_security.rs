//! PostgreSQL: the 等保 2.0 level-3 baseline on a hardened cluster (and what breaks it), remote
//! access without TLS, WAL archiving, backup and drill freshness, and exit codes.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{expect, hba_replace, pg, run, run_opts, sql, sql_each};
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::Lang;
use dbkeeper_inspect::{
    BackupSeen, DrillSeen, Freshness, InspectOptions, Known, Profile, Status, Verdict,
};
use dbkeeper_postgres::scratch::ScratchOptions;

const PASSWORD: &str = "Hardened-Pa55-word";

fn fresh_backups(
    hours: i64,
    offsite: bool,
    encrypted: bool,
    drill_days: i64,
    passed: bool,
) -> Freshness {
    let at = Utc::now() - chrono::Duration::hours(hours);
    let mut list = vec![BackupSeen {
        repo: "local".into(),
        offsite: false,
        encrypted: true,
        finished_at: at,
        kind: "logical".into(),
        id: "20261125T013000Z-3f9c".into(),
    }];
    if offsite {
        list.push(BackupSeen {
            repo: "offsite".into(),
            offsite: true,
            encrypted,
            finished_at: at,
            kind: "logical".into(),
            id: "20261125T013000Z-3f9c".into(),
        });
    }
    Freshness {
        backups: Known::Yes(list),
        drill: Known::Yes(Some(DrillSeen {
            finished_at: Utc::now() - chrono::Duration::days(drill_days),
            passed,
            backup_id: "20261101T013000Z-aaaa".into(),
            report: Some("/var/lib/dbkeeper/drills/2026-11.html".into()),
        })),
    }
}

#[tokio::test]
async fn hardened_cluster_passes_the_baseline_and_each_breach_fails_its_clause() {
    let dir = tempfile::tempdir().expect("tmp");
    let (ca, cert, key) = common::pki(dir.path());
    let settings: Vec<(String, String)> = [
        ("fsync", "on"),
        ("full_page_writes", "on"),
        ("shared_preload_libraries", "passwordcheck,auth_delay"),
        ("auth_delay.milliseconds", "500"),
        ("idle_session_timeout", "10min"),
        ("log_statement", "ddl"),
        ("log_connections", "on"),
        ("log_disconnections", "on"),
        ("log_line_prefix", "%m [%p] %u@%d %r %e "),
        ("logging_collector", "on"),
        ("log_file_mode", "0600"),
        ("archive_mode", "on"),
        ("archive_command", "/bin/true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let opts = ScratchOptions {
        tls: Some((cert, key)),
        password: Some(PASSWORD.into()),
        settings,
        ..ScratchOptions::default()
    };
    let scratch = tokio::task::spawn_blocking(move || {
        dbkeeper_postgres::scratch::ScratchPostgres::start(opts)
    })
    .await
    .expect("join")
    .expect("scratch");
    let mut target = scratch.target().clone();
    // The Unix socket is trusted until the rules below replace that.
    let engine = dbkeeper_postgres::connect(&scratch.socket_target())
        .await
        .expect("connect over the socket");
    // The CA file lets pg_hba ask for client certificates.
    let data = scratch.data_dir().to_path_buf();
    std::fs::copy(&ca, data.join("root.crt")).expect("copy ca");
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(&data).expect("stat");
        std::os::unix::fs::chown(data.join("root.crt"), Some(m.uid()), Some(m.gid()))
            .expect("chown");
    }
    sql_each(
        &engine,
        "ALTER SYSTEM SET ssl_ca_file = 'root.crt';
         ALTER SYSTEM SET log_filename = 'postgresql-%Y-%m-%d.log'; SELECT pg_reload_conf()",
    )
    .await;
    sql(
        &engine,
        &format!(
            "ALTER ROLE CURRENT_USER VALID UNTIL '{}'",
            (Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%d")
        ),
    )
    .await;
    hba_replace(
        &scratch,
        &engine,
        "local all all scram-sha-256\n\
         hostssl all all 127.0.0.1/32 scram-sha-256\n\
         hostssl all all ::1/128 scram-sha-256\n\
         hostssl all postgres 10.0.0.0/8 scram-sha-256 clientcert=verify-full\n",
    )
    .await;
    target.password = Some(SecretRef::Command(vec!["printf".into(), PASSWORD.into()]));
    let engine = dbkeeper_postgres::connect(&target)
        .await
        .expect("connect over TLS with password");

    let opts = InspectOptions {
        profile: Profile::Djbh3,
        ..Default::default()
    };
    let good = fresh_backups(2, true, true, 10, true);
    let r = run_opts(&engine, &target, &opts, None, good.clone()).await;
    // Only tagged checks run under the profile.
    assert!(r
        .findings
        .iter()
        .all(|f| f.compliance.iter().any(|t| t.starts_with("djbh3:"))));
    let verdict = |r: &dbkeeper_inspect::Report, clause: &str| {
        r.clauses
            .iter()
            .find(|c| c.clause == clause)
            .unwrap_or_else(|| panic!("no clause {clause}"))
            .verdict
    };
    for c in [
        "8.1.4.1a", "8.1.4.1b", "8.1.4.1c", "8.1.4.1d", "8.1.4.2a", "8.1.4.2b", "8.1.4.2d",
        "8.1.4.2e", "8.1.4.3a", "8.1.4.3b", "8.1.4.3c", "8.1.4.4a", "8.1.4.4e", "8.1.4.9a",
        "8.1.4.9b",
    ] {
        assert_eq!(verdict(&r, c), Verdict::Pass, "{c}\n{}", common::dump(&r));
    }
    // What a PostgreSQL scratch cluster cannot have: page checksums (initdb without -k) and a
    // standby; what no query can decide: labels and encryption at rest.
    assert_eq!(verdict(&r, "8.1.4.7b"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.9c"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.2g"), Verdict::CannotDecide);
    assert_eq!(verdict(&r, "8.1.4.8b"), Verdict::CannotDecide);
    let undecided = r
        .clauses
        .iter()
        .find(|c| c.clause == "8.1.4.8b")
        .expect("8b");
    assert!(undecided.assessor_asks.render(Lang::ZhCn).contains("加密"));
    for id in [
        "PG-SEC-002",
        "PG-SEC-003",
        "PG-SEC-006",
        "PG-SEC-007",
        "PG-SEC-008",
        "PG-SEC-009",
        "PG-SEC-010",
        "PG-SEC-011",
        "PG-SEC-012",
        "PG-SEC-013",
        "PG-SEC-014",
        "PG-SEC-020",
        "PG-SEC-021",
        "PG-SEC-022",
        "PG-SEC-023",
        "PG-CON-003",
        "PG-BAK-001",
        "PG-BAK-002",
        "PG-BAK-003",
        "PG-BAK-004",
        "PG-BAK-006",
        "PG-WAL-004",
    ] {
        expect(&r, id, Status::Ok);
    }

    // Breaches, one clause each.
    sql_each(
        &engine,
        "ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1';
         ALTER SYSTEM SET log_truncate_on_rotation = on;
         ALTER SYSTEM SET log_filename = 'postgresql-%a.log'; SELECT pg_reload_conf()",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let engine = dbkeeper_postgres::connect(&target)
        .await
        .expect("reconnect");
    let stale = fresh_backups(30, false, true, 40, true);
    let r = run_opts(&engine, &target, &opts, None, stale).await;
    expect(&r, "PG-SEC-011", Status::Warning);
    expect(&r, "PG-SEC-022", Status::Warning);
    expect(&r, "PG-BAK-001", Status::Warning);
    expect(&r, "PG-BAK-003", Status::Critical);
    expect(&r, "PG-BAK-004", Status::Warning);
    assert_eq!(verdict(&r, "8.1.4.1c"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.3c"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.9a"), Verdict::Fail);
    assert_eq!(verdict(&r, "8.1.4.9b"), Verdict::Fail);

    // Backups and drills: every way they can be wrong.
    let only = InspectOptions {
        only: vec!["backup".into()],
        ..Default::default()
    };
    let cases: Vec<(Freshness, &[(&str, Status)])> = vec![
        (
            fresh_backups(50, true, false, 70, true),
            &[
                ("PG-BAK-001", Status::Critical),
                ("PG-BAK-003", Status::Warning),
                ("PG-BAK-004", Status::Critical),
                ("PG-BAK-006", Status::Warning),
            ],
        ),
        (
            fresh_backups(1, true, true, 1, false),
            &[("PG-BAK-001", Status::Ok), ("PG-BAK-004", Status::Critical)],
        ),
        (
            Freshness {
                backups: Known::Yes(Vec::new()),
                drill: Known::Yes(None),
            },
            &[
                ("PG-BAK-001", Status::Critical),
                ("PG-BAK-003", Status::Critical),
                ("PG-BAK-004", Status::Critical),
            ],
        ),
        (
            Freshness::default(),
            &[
                ("PG-BAK-001", Status::NotRun),
                ("PG-BAK-003", Status::NotRun),
                ("PG-BAK-004", Status::NotRun),
                ("PG-BAK-006", Status::NotRun),
            ],
        ),
    ];
    for (fresh, want) in cases {
        let r = run_opts(&engine, &target, &only, None, fresh).await;
        for (id, s) in want {
            expect(&r, id, *s);
        }
    }
}

/// The machine's first non-loopback IPv4 address, if it has one.
fn lan_address() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // No packet is sent: connecting a UDP socket only picks the route.
    s.connect("192.0.2.254:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback()).then_some(ip)
}

#[tokio::test]
async fn remote_plain_text_access_is_flagged() {
    let Some(ip) = lan_address() else {
        eprintln!("no non-loopback address on this machine: remote access cannot be provoked");
        return;
    };
    let (scratch, engine, target) = pg(&[("listen_addresses", "*")]).await;
    let net = match ip {
        std::net::IpAddr::V4(v4) => format!("{}/32", v4),
        std::net::IpAddr::V6(v6) => format!("{}/128", v6),
    };
    common::hba(&scratch, &engine, &format!("\nhost all all {net} trust\n")).await;
    let mut remote = target.clone();
    remote.host = ip.to_string();
    remote.tls.mode = dbkeeper_core::target::TlsMode::Disable;
    let e = dbkeeper_postgres::connect(&remote)
        .await
        .expect("connect over the LAN address");
    let r = run(&e, &remote, &[], &[], None).await;
    drop(e);
    expect(&r, "PG-CON-003", Status::Warning);
    expect(&r, "PG-SEC-027", Status::Info);
    expect(&r, "PG-SEC-012", Status::Warning);
    expect(&r, "PG-SEC-013", Status::Critical);
    // Not on this machine as far as dbkeeper can tell: no host facts, said so.
    for id in [
        "PG-AV-006",
        "PG-STO-001",
        "PG-STO-002",
        "PG-CFG-006",
        "PG-CFG-008",
    ] {
        expect(&r, id, Status::NotRun);
    }
    assert!(r.host.is_none());
    // Over loopback (the LAN session closed) the cluster has no remote plain-text session.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = run(&engine, &target, &["PG-CON-003"], &[], None).await;
    expect(&r, "PG-CON-003", Status::Ok);
}

#[tokio::test]
async fn failing_wal_archiving_is_critical() {
    // archive_command through ALTER SYSTEM: a command-line setting could not be changed later.
    let (_pg, engine, target) = pg(&[("archive_mode", "on")]).await;
    sql_each(
        &engine,
        "ALTER SYSTEM SET archive_command = 'false'; SELECT pg_reload_conf()",
    )
    .await;
    sql(
        &engine,
        "CREATE TABLE x AS SELECT generate_series(1, 1000) g",
    )
    .await;
    sql(&engine, "SELECT pg_switch_wal()").await;
    // The archiver tries three times a second apart before it reports the failure.
    let mut r = run(
        &engine,
        &target,
        &["backup", "checkpoints"],
        &[("PG-WAL-005", "warning", 1.0)],
        None,
    )
    .await;
    for _ in 0..20 {
        if r.finding("PG-WAL-004").map(|f| f.status) == Some(Status::Critical) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        r = run(
            &engine,
            &target,
            &["backup", "checkpoints"],
            &[("PG-WAL-005", "warning", 1.0)],
            None,
        )
        .await;
    }
    expect(&r, "PG-WAL-004", Status::Critical);
    expect(&r, "PG-WAL-005", Status::Warning);
    expect(&r, "PG-BAK-002", Status::Ok);
    expect(&r, "PG-BAK-005", Status::Ok);
    // A cp-based command that works: archiving recovers, and cp is pointed out.
    sql_each(
        &engine,
        "ALTER SYSTEM SET archive_command = 'cp %p /dev/null'; SELECT pg_reload_conf()",
    )
    .await;
    let mut r = run(&engine, &target, &["backup", "checkpoints"], &[], None).await;
    for _ in 0..40 {
        if r.finding("PG-WAL-004").map(|f| f.status) == Some(Status::Ok) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        r = run(&engine, &target, &["backup", "checkpoints"], &[], None).await;
    }
    expect(&r, "PG-WAL-004", Status::Ok);
    expect(&r, "PG-WAL-005", Status::Ok);
    expect(&r, "PG-BAK-005", Status::Info);
}

#[tokio::test]
async fn exit_codes_follow_the_verdict() {
    let (_pg, engine, target) = pg(&[]).await;
    // The default scratch runs with fsync off: critical.
    let r = run(&engine, &target, &[], &[], None).await;
    assert_eq!(r.exit_code(), 2);
    // Warnings only.
    let r = run(&engine, &target, &["PG-CFG-005"], &[], None).await;
    assert_eq!(r.exit_code(), 1);
    // Nothing wrong (notes and checks that cannot run do not count).
    let r = run(
        &engine,
        &target,
        &["PG-CFG-003", "PG-CFG-014", "PG-BAK-001"],
        &[],
        None,
    )
    .await;
    assert_eq!(r.exit_code(), 0, "{}", common::dump(&r));
    // A server that is not there: the caller's connection fails, the report says exit 3.
    let mut gone = target.clone();
    gone.port = 1;
    let e = dbkeeper_postgres::connect(&gone)
        .await
        .expect_err("nothing listens on port 1");
    let r = dbkeeper_inspect::Report::unreachable(&gone, "default", e);
    assert_eq!(r.exit_code(), 3);
}
