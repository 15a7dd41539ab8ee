//! Helpers for the inspection tests: scratch servers, one inspection, status lookups.
//! Test code may panic on setup failures: a test that cannot set up must fail loudly.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use dbkeeper_core::engine::Engine;
use dbkeeper_core::ledger::Ledger;
use dbkeeper_core::target::Target;
use dbkeeper_core::Lang;
use dbkeeper_inspect::{inspect, Freshness, InspectOptions, Report, Status};

/// Runs an inspection; `overrides` are `(check, threshold, value)`.
pub async fn run(
    engine: &dyn Engine,
    target: &Target,
    only: &[&str],
    overrides: &[(&str, &str, f64)],
    ledger: Option<&Ledger>,
) -> Report {
    let mut opts = InspectOptions {
        only: only.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    for (c, n, v) in overrides {
        opts.overrides.set(c, n, *v);
    }
    inspect(engine, target, &opts, ledger, Freshness::default())
        .await
        .expect("inspect")
}

pub fn status(r: &Report, id: &str) -> Status {
    r.finding(id)
        .unwrap_or_else(|| panic!("no finding {id}"))
        .status
}

/// Panics with the finding's summary and evidence when the status is not the expected one.
pub fn expect(r: &Report, id: &str, want: Status) {
    let f = r.finding(id).unwrap_or_else(|| panic!("no finding {id}"));
    assert_eq!(
        f.status,
        want,
        "{id}: {} / {} / {:?}",
        f.summary.render(Lang::En),
        f.reason
            .as_ref()
            .map(|t| t.render(Lang::En))
            .unwrap_or_default(),
        f.evidence
    );
}

pub fn dump(r: &Report) -> String {
    let mut s = String::new();
    for f in &r.findings {
        s.push_str(&format!(
            "{:12} {:9} {}\n",
            f.check,
            f.status.as_str(),
            f.summary.render(Lang::En)
        ));
    }
    s
}

pub fn ledger(dir: &tempfile::TempDir) -> Ledger {
    Ledger::open(&dir.path().join("ledger.sqlite")).expect("ledger")
}

// --- PostgreSQL ---------------------------------------------------------------------------

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_postgres::scratch::{ScratchOptions as PgOptions, ScratchPostgres};
use dbkeeper_postgres::PgEngine;

/// A scratch PostgreSQL with extra `-c` settings, and a connection to it over TCP.
pub async fn pg(settings: &[(&str, &str)]) -> (ScratchPostgres, PgEngine, Target) {
    pg_with(PgOptions {
        settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..PgOptions::default()
    })
    .await
}

pub async fn pg_with(opts: PgOptions) -> (ScratchPostgres, PgEngine, Target) {
    let scratch = tokio::task::spawn_blocking(move || ScratchPostgres::start(opts))
        .await
        .expect("join")
        .expect("scratch postgres");
    let target = scratch.target().clone();
    let engine = dbkeeper_postgres::connect(&target).await.expect("connect");
    (scratch, engine, target)
}

/// Runs SQL (several statements, no result) on a connection.
pub async fn sql(engine: &PgEngine, text: &str) {
    engine
        .client()
        .batch_execute(text)
        .await
        .unwrap_or_else(|e| panic!("{text}: {e:?}"));
}

/// Appends lines to the scratch cluster's pg_hba.conf and reloads.
pub async fn hba(scratch: &ScratchPostgres, engine: &PgEngine, lines: &str) {
    let path = scratch.data_dir().join("pg_hba.conf");
    let mut text = std::fs::read_to_string(&path).expect("read pg_hba.conf");
    text.push_str(lines);
    std::fs::write(&path, text).expect("write pg_hba.conf");
    sql(engine, "SELECT pg_reload_conf()").await;
}

/// Replaces pg_hba.conf and reloads.
pub async fn hba_replace(scratch: &ScratchPostgres, engine: &PgEngine, lines: &str) {
    let path = scratch.data_dir().join("pg_hba.conf");
    std::fs::write(&path, lines).expect("write pg_hba.conf");
    sql(engine, "SELECT pg_reload_conf()").await;
}

/// The checks whose status differs between two reports.
pub fn flips(a: &Report, b: &Report) -> std::collections::BTreeSet<String> {
    b.findings
        .iter()
        .filter(|f| a.finding(f.check).map(|x| x.status) != Some(f.status))
        .map(|f| f.check.to_string())
        .collect()
}

pub fn set(ids: &[&str]) -> std::collections::BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// A version data file written to `dir`.
pub fn versions_file(dir: &std::path::Path, json: &str) -> dbkeeper_inspect::VersionData {
    let p = dir.join("versions.json");
    std::fs::write(&p, json).expect("write versions.json");
    dbkeeper_inspect::VersionData::load(&p).expect("load versions.json")
}

/// Runs an inspection with full options.
pub async fn run_opts(
    engine: &dyn Engine,
    target: &Target,
    opts: &InspectOptions,
    ledger: Option<&Ledger>,
    freshness: Freshness,
) -> Report {
    inspect(engine, target, opts, ledger, freshness)
        .await
        .expect("inspect")
}

/// Runs each `;`-separated statement on its own (ALTER SYSTEM may not run in a transaction,
/// which a multi-statement batch is).
pub async fn sql_each(engine: &PgEngine, text: &str) {
    for stmt in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sql(engine, stmt).await;
    }
}

/// A CA and a server certificate for 127.0.0.1 and localhost, as PEM files in `dir`:
/// (ca, cert, key).
pub fn pki(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "dbkeeper test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).expect("ca");
    let key = KeyPair::generate().expect("key");
    let mut p = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("params");
    p.distinguished_name.push(DnType::CommonName, "localhost");
    let cert = p.signed_by(&key, &ca_cert, &ca_key).expect("cert");
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write pem");
        path
    };
    (
        write("ca.pem", ca_cert.pem()),
        write("server.crt", cert.pem()),
        write("server.key", key.serialize_pem()),
    )
}

// --- MySQL / MariaDB ----------------------------------------------------------------------

use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions as MyOptions};
use dbkeeper_mysql::MysqlEngine;

/// A scratch MariaDB with extra server options, and a connection over its socket as root.
pub async fn my(settings: &[(&str, &str)]) -> (ScratchMysql, MysqlEngine, Target) {
    my_with(MyOptions {
        settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..MyOptions::default()
    })
    .await
}

pub async fn my_with(opts: MyOptions) -> (ScratchMysql, MysqlEngine, Target) {
    let scratch = tokio::task::spawn_blocking(move || ScratchMysql::start(opts))
        .await
        .expect("join")
        .expect("scratch mariadb");
    let target = scratch.socket_target();
    let engine = dbkeeper_mysql::connect(&target).await.expect("connect");
    (scratch, engine, target)
}

/// Runs each `;`-separated statement.
pub async fn my_sql(engine: &MysqlEngine, text: &str) {
    for stmt in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        engine
            .query(stmt)
            .await
            .unwrap_or_else(|e| panic!("{stmt}: {}", e.render(Lang::En)));
    }
}
