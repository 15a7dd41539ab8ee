//! Times the full PostgreSQL catalogue on a database of 10,000 tables, and check_postgres'
//! comparable actions on the same database when it is installed, and prints the ratio.
//!
//! `cargo run --release -p dbkeeper-inspect --example bench_catalogue [TABLES]`
//!
//! Done-when of issue 5: under 5 s, and at least 5× faster than check_postgres.
#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_inspect::{inspect, Freshness, InspectOptions};
use dbkeeper_postgres::scratch::{ScratchOptions, ScratchPostgres};

/// check_postgres actions that cover what the catalogue checks (one process each, as Nagios
/// runs them), with the thresholds those without defaults insist on.
const ACTIONS: &[(&str, &[&str])] = &[
    ("archive_ready", &[]),
    ("autovac_freeze", &[]),
    ("backends", &[]),
    ("bloat", &[]),
    ("checkpoint", &["--warning=3600"]), // and --datadir, added below
    ("commitratio", &[]),
    ("database_size", &["--warning=100GB"]),
    ("disabled_triggers", &[]),
    ("hitratio", &[]),
    ("index_size", &["--warning=10GB"]),
    ("last_analyze", &[]),
    ("last_autoanalyze", &[]),
    ("last_autovacuum", &[]),
    ("last_vacuum", &[]),
    ("locks", &[]),
    ("prepared_txns", &[]),
    ("query_time", &["--warning=60", "--critical=120"]),
    ("relation_size", &["--warning=10GB"]),
    ("replication_slots", &["--warning=1GB"]),
    ("sequence", &[]),
    (
        "settings_checksum",
        &["--warning=00000000000000000000000000000000"],
    ),
    ("table_size", &["--warning=10GB"]),
    ("txn_idle", &["--warning=60", "--critical=120"]),
    ("txn_time", &["--warning=60", "--critical=120"]),
    ("txn_wraparound", &[]),
    ("wal_files", &[]),
];

#[tokio::main]
async fn main() {
    let tables: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let opts = ScratchOptions {
        settings: vec![("max_locks_per_transaction".into(), "256".into())],
        ..ScratchOptions::default()
    };
    let pg = tokio::task::spawn_blocking(move || ScratchPostgres::start(opts))
        .await
        .unwrap()
        .unwrap();
    let target = pg.target().clone();
    let engine = dbkeeper_postgres::connect(&target).await.unwrap();
    eprintln!("creating {tables} tables…");
    let t = Instant::now();
    // One statement per call: COMMIT inside DO is refused in a multi-statement batch.
    let create = format!(
        "DO $$ BEGIN
           FOR i IN 1..{tables} LOOP
             EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v int, p int %s)', i,
               CASE WHEN i % 10 = 0 THEN 'REFERENCES parent' ELSE '' END);
             IF i % 5 = 0 THEN EXECUTE format('CREATE INDEX ON t%s (v)', i); END IF;
             IF i % 500 = 0 THEN COMMIT; END IF;
           END LOOP;
         END $$"
    );
    for sql in [
        "CREATE TABLE parent (id int PRIMARY KEY)",
        create.as_str(),
        "ANALYZE",
    ] {
        engine.client().batch_execute(sql).await.unwrap();
    }
    eprintln!("created in {:.1?}", t.elapsed());

    let opts = InspectOptions::default();
    // A warm-up run (plans, catalogue caches), then the measured ones.
    let _ = inspect(&engine, &target, &opts, None, Freshness::default())
        .await
        .unwrap();
    let mut ours = Duration::MAX;
    let mut checks = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let r = inspect(&engine, &target, &opts, None, Freshness::default())
            .await
            .unwrap();
        ours = ours.min(t.elapsed());
        checks = r.findings.len();
    }
    println!(
        "dbkeeper inspect: {checks} checks on {tables} tables in {:.3} s (best of 3)",
        ours.as_secs_f64()
    );

    let Some(cp) = which("check_postgres") else {
        println!("check_postgres is not installed: no ratio (apt-get install check-postgres)");
        return;
    };
    let t = Instant::now();
    for (action, extra) in ACTIONS {
        let mut cmd = Command::new(&cp);
        if *action == "checkpoint" {
            // It runs pg_controldata, which Debian keeps beside the server programs.
            let path = format!(
                "{}:{}",
                pg.bin_dir().display(),
                std::env::var("PATH").unwrap_or_default()
            );
            cmd.arg(format!("--datadir={}", pg.data_dir().display()))
                .env("PATH", path);
        }
        let out = cmd
            .arg(format!("--action={action}"))
            .args(*extra)
            .args(["-H", "127.0.0.1", "-p", &target.port.to_string()])
            .args(["-u", &target.user, "-db", "postgres"])
            .env("PGCONNECT_TIMEOUT", "10")
            .output()
            .unwrap();
        let first = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(100)
            .collect::<String>();
        eprintln!("  {action}: {first}");
    }
    let theirs = t.elapsed();
    println!(
        "check_postgres: {} actions in {:.3} s",
        ACTIONS.len(),
        theirs.as_secs_f64()
    );
    println!(
        "ratio: dbkeeper is {:.1}x faster",
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(program))
        .find(|p| p.is_file())
}
