//! `targets check` against a real scratch MariaDB the binary has never seen.

use dbkeeper_testkit::{run, url_of, Cli, MysqlOptions, ScratchInstance, ScratchMysql};

fn mariadb_client(s: &ScratchMysql, sql: &str) -> String {
    let t = s.target();
    let out = std::process::Command::new("mariadb")
        .args([
            "--no-defaults",
            "-h",
            "127.0.0.1",
            "-P",
            &t.port.to_string(),
            "-u",
            &t.user,
            "-N",
            "-B",
            "-e",
            sql,
        ])
        .output()
        .expect("mariadb client");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn reports_the_exact_version_as_table_and_json() {
    let db = dbkeeper_testkit::mariadb();
    let version = mariadb_client(&db, "SELECT VERSION()");
    let numeric: String = version.split('-').next().expect("numeric part").to_string();
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let url = url_of(&db, None);

    let (code, out, err) = run(c.cmd().args(["targets", "check", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&version),
        "the table shows what SELECT VERSION() says:\n{out}"
    );
    assert!(out.contains("innodb_buffer_pool_size"), "{out}");

    let (code, out, err) = run(c.cmd().args(["--format", "json", "targets", "check", &url]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let f = &v[0]["facts"];
    assert_eq!(f["product"], "MariaDB");
    assert_eq!(f["version"], numeric.as_str());
    assert_eq!(f["role"], "primary");
    assert!(f["databases"]
        .as_array()
        .expect("dbs")
        .iter()
        .any(|d| d["name"] == "mysql"));
    assert!(f["host"]["memory_total_bytes"].as_u64() > Some(0));
}

#[test]
fn wrong_password_and_tls_mismatch_are_clear() {
    let db = ScratchMysql::start(MysqlOptions {
        password: Some("maria-right-pw".into()),
        ..MysqlOptions::default()
    })
    .expect("scratch with password");
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let url = url_of(&db, None);

    let (code, _, err) = run(c
        .cmd()
        .env("MYSQL_PWD", "nope-nope")
        .args(["targets", "check", &url]));
    assert_eq!(code, 78, "{err}");
    assert!(
        err.contains("MYSQL_PWD") && !err.contains("nope-nope"),
        "{err}"
    );

    let (code, _, err) = run(c
        .cmd()
        .env("MYSQL_PWD", "maria-right-pw")
        .args(["targets", "check", &url]));
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = run(c.cmd().env("MYSQL_PWD", "maria-right-pw").args([
        "targets",
        "check",
        &format!("{url}?ssl-mode=require"),
    ]));
    assert_eq!(code, 78, "{err}");
}
