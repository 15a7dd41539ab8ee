//! Shared by the backup tests: repositories, keys and independent comparisons made with the
//! engines' own clients (psql, mariadb, pg_dump, mariadb-dump) — never with dbkeeper's code.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dbkeeper_testkit::{run, Cli, ScratchInstance};

pub fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_dbkeeper"))
}

/// `dbkeeper keygen` into the work dir; returns (identity file, recipient).
pub fn keygen(c: &Cli, name: &str) -> (PathBuf, String) {
    let path = c.work_dir().join(name);
    let (code, out, err) = run(c.cmd().args(["keygen", "--out"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    let recipient = out.trim().to_string();
    assert!(recipient.starts_with("age1"), "{out}");
    (path, recipient)
}

/// A backup that a test restores.
pub struct Encrypted {
    /// The identity file that decrypts it.
    pub key: PathBuf,
    /// `file://…` of its repository (`repo` in the work dir).
    pub repo: String,
    pub id: String,
}

/// `dbkeeper backup URL` into a new local repository, encrypted to a new key (`k.key`).
pub fn encrypted_backup(c: &Cli, url: &str) -> Encrypted {
    let (key, recipient) = keygen(c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let (code, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "backup",
        url,
        "--repo",
        &repo,
        "--recipient",
        &recipient,
    ]));
    assert_eq!(code, 0, "{err}");
    let id = json(&out)["id"].as_str().expect("id").to_string();
    Encrypted { key, repo, id }
}

/// The finding of check `id` in an `inspect --format json` report of one target; `stderr` is
/// shown when there is none.
pub fn finding<'a>(report: &'a serde_json::Value, id: &str, stderr: &str) -> &'a serde_json::Value {
    report[0]["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["check"] == id))
        .unwrap_or_else(|| panic!("no finding {id} in {report}\n{stderr}"))
}

/// Parses a `--format json` stdout.
pub fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// Every file under `dir`, recursively.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

// PostgreSQL ---------------------------------------------------------------------------------

pub fn psql(s: &dyn ScratchInstance, db: &str, sql: &str) -> String {
    let t = s.target();
    let out = Command::new("psql")
        // Text forms of timestamps and money follow the session, not the data: pin them, so
        // that two servers started with other defaults compare by their data alone.
        .env("PGTZ", "UTC")
        .env("PGOPTIONS", "-c lc_monetary=C")
        .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
        .args([
            "-p",
            &t.port.to_string(),
            "-U",
            &t.user,
            "-d",
            db,
            "-c",
            sql,
        ])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn psql_file(s: &dyn ScratchInstance, db: &str, file: &Path) {
    let t = s.target();
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
        .args(["-p", &t.port.to_string(), "-U", &t.user, "-d", db, "-f"])
        .arg(file)
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "psql -f {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn pg_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dbkeeper-postgres/tests/fixtures")
        .join(name)
}

/// The schema as pg_dump prints it (comments and settings included), without the lines that
/// differ between any two dumps.
pub fn pg_schema(s: &dyn ScratchInstance, db: &str) -> String {
    let t = s.target();
    let out = Command::new("pg_dump")
        .args(["--schema-only", "--no-tablespaces", "-h", "127.0.0.1"])
        .args(["-p", &t.port.to_string(), "-U", &t.user, "-d", db])
        .output()
        .expect("pg_dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| {
            !l.starts_with("-- Dumped")
                && !l.starts_with("\\restrict")
                && !l.starts_with("\\unrestrict")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every table's row count and an order-independent hash of its rows, plus every sequence's
/// state and every large object's bytes.
pub fn pg_data(s: &dyn ScratchInstance, db: &str) -> BTreeMap<String, String> {
    pg_data_where(s, db, "true")
}

/// [`pg_data`] without unlogged tables, which a physical copy by design brings back empty.
pub fn pg_data_logged(s: &dyn ScratchInstance, db: &str) -> BTreeMap<String, String> {
    pg_data_where(s, db, "c.relpersistence <> 'u'")
}

fn pg_data_where(s: &dyn ScratchInstance, db: &str, filter: &str) -> BTreeMap<String, String> {
    let tables = psql(
        s,
        db,
        &format!(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg_toast%' AND {filter} ORDER BY 1"
        ),
    );
    let mut out = BTreeMap::new();
    for t in tables.lines().filter(|l| !l.is_empty()) {
        let v = psql(
            s,
            db,
            &format!(
                "SELECT count(*) || ' ' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '-') FROM {t} x"
            ),
        );
        out.insert(t.to_string(), v);
    }
    let seqs = psql(
        s,
        db,
        "SELECT coalesce(string_agg(format('%I.%I %s', schemaname, sequencename,
                 coalesce(last_value::text, 'not called')), E'\\n' ORDER BY schemaname, sequencename), '')
         FROM pg_sequences",
    );
    out.insert("(sequences)".into(), seqs);
    let lo = psql(
        s,
        db,
        "SELECT coalesce(string_agg(md5(lo_get(oid)), ',' ORDER BY oid), '') FROM pg_largeobject_metadata",
    );
    out.insert("(large objects)".into(), lo);
    out
}

pub fn assert_same_maps(what: &str, a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) {
    for (k, v) in a {
        assert_eq!(Some(v), b.get(k), "{what}: {k} differs");
    }
    assert_eq!(
        a.len(),
        b.len(),
        "{what}: other tables: {:?} vs {:?}",
        a.keys(),
        b.keys()
    );
}

// MariaDB ------------------------------------------------------------------------------------

pub fn mariadb_cmd(program: &str, s: &dyn ScratchInstance) -> Command {
    let t = s.target();
    let mut c = Command::new(program);
    c.arg("--no-defaults")
        .args(["-h", "127.0.0.1", "-P", &t.port.to_string(), "-u", &t.user]);
    // A server started on restored files has a generated admin password (in a 0600 file).
    if let Some(p) = &t.password {
        c.env("MYSQL_PWD", p.resolve().expect("scratch password").expose());
    }
    c
}

pub fn mariadb(s: &dyn ScratchInstance, sql: &str) -> String {
    let out = mariadb_cmd("mariadb", s)
        .args(["-N", "-B", "-e", sql])
        .output()
        .expect("mariadb");
    assert!(
        out.status.success(),
        "mariadb {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn mariadb_file(s: &dyn ScratchInstance, file: &Path) {
    let out = mariadb_cmd("mariadb", s)
        .stdin(std::fs::File::open(file).expect("fixture"))
        .output()
        .expect("mariadb");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn my_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dbkeeper-mysql/tests/fixtures/hard.sql")
}

/// Schema of one database as mariadb-dump prints it (routines, triggers, events, views).
pub fn my_schema(s: &dyn ScratchInstance, db: &str) -> String {
    let out = mariadb_cmd("mariadb-dump", s)
        .args([
            "--no-data",
            "--routines",
            "--triggers",
            "--events",
            "--skip-dump-date",
            "--skip-comments",
        ])
        .arg(db)
        .output()
        .expect("mariadb-dump");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // AUTO_INCREMENT=N follows the rows loaded, which is compared with the data.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            l.split(' ')
                .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every base table's row count and CHECKSUM TABLE of one database.
pub fn my_data(s: &dyn ScratchInstance, db: &str) -> BTreeMap<String, String> {
    let tables = mariadb(
        s,
        &format!(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}'
             AND table_type = 'BASE TABLE' ORDER BY 1"
        ),
    );
    let mut out = BTreeMap::new();
    for t in tables.lines().filter(|l| !l.is_empty()) {
        let q = format!("`{db}`.`{}`", t.replace('`', "``"));
        let count = mariadb(s, &format!("SELECT COUNT(*) FROM {q}"));
        let sum = mariadb(s, &format!("CHECKSUM TABLE {q} EXTENDED"));
        let sum = sum.split('\t').nth(1).unwrap_or_default().to_string();
        out.insert(t.to_string(), format!("{count} {sum}"));
    }
    out
}
