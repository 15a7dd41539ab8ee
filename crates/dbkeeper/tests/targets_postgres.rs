//! `targets check` against a real scratch PostgreSQL the binary has never seen.

use dbkeeper_testkit::{run, url_of, Cli, PgOptions, ScratchInstance, ScratchPostgres};

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_dbkeeper"))
}

/// What the server says of itself, asked with the engine's own client.
fn psql(s: &ScratchPostgres, sql: &str) -> String {
    let t = s.target();
    let out = std::process::Command::new("psql")
        .args([
            "-X",
            "-A",
            "-t",
            "-h",
            "127.0.0.1",
            "-p",
            &t.port.to_string(),
            "-U",
            &t.user,
            "-d",
            "postgres",
            "-c",
            sql,
        ])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn reports_the_exact_version_as_table_and_json() {
    let pg = dbkeeper_testkit::postgres();
    let version = psql(&pg, "SELECT version()");
    let short = psql(&pg, "SHOW server_version");
    let short = short.split_whitespace().next().expect("version");
    let c = cli();
    let url = url_of(&pg, Some("postgres"));

    let (code, out, err) = run(c.cmd().args(["targets", "check", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&version),
        "the table shows what SELECT version() says:\n{out}"
    );
    assert!(out.contains("primary"), "{out}");
    assert!(out.contains("shared_buffers"), "{out}");

    let (code, out, err) = run(c.cmd().args(["--format", "json", "targets", "check", &url]));
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "json mode keeps stderr quiet: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let f = &v[0]["facts"];
    assert_eq!(v[0]["ok"], true);
    assert_eq!(f["product"], "PostgreSQL");
    assert_eq!(f["version_full"], version.as_str());
    assert_eq!(f["version"], short);
    assert_eq!(f["role"], "primary");
    assert_eq!(
        f["data_directory"],
        pg.data_dir().display().to_string().as_str()
    );
    let dbs = f["databases"].as_array().expect("databases");
    assert!(dbs
        .iter()
        .any(|d| d["name"] == "postgres" && d["size_bytes"].as_u64() > Some(0)));
    assert!(
        f["host"]["cpus"].as_u64() >= Some(1),
        "local server: host facts"
    );
    assert!(f["uptime_seconds"].is_u64());

    // The check is in the audit log, with the version.
    let audit = std::fs::read_to_string(c.audit_path()).expect("audit");
    assert!(
        audit.contains("\"action\":\"targets.check\"") && audit.contains(short),
        "{audit}"
    );
}

#[test]
fn wrong_password_and_tls_mismatch_are_clear() {
    let pg = ScratchPostgres::start(PgOptions {
        password: Some("right-horse-battery".into()),
        ..PgOptions::default()
    })
    .expect("scratch with password");
    let c = cli();
    let url = url_of(&pg, Some("postgres"));

    let (code, out, err) = run(c
        .cmd()
        .env("PGPASSWORD", "wr0ng-guess")
        .args(["targets", "check", &url]));
    assert_eq!(code, 78, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("hint:") && err.contains("PGPASSWORD"), "{err}");
    assert!(!err.contains("wr0ng-guess"), "{err}");

    let (code, _, err) = run(c
        .cmd()
        .env("PGPASSWORD", "right-horse-battery")
        .args(["targets", "check", &url]));
    assert_eq!(code, 0, "{err}");

    // A password file must be private, and works when it is.
    let cfg = format!(
        "version: 1\ntargets:\n  pg:\n    url: {url}\n    password: {{file: {}}}\n",
        c.work_dir().join("pw").display()
    );
    c.write("pw", "right-horse-battery\n");
    c.write("dbkeeper.yaml", &cfg);
    std::fs::set_permissions(
        c.work_dir().join("pw"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .expect("chmod");
    let (code, _, err) = run(c.cmd().args(["targets", "check", "pg"]));
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("chmod 600"), "{err}");
    std::fs::set_permissions(
        c.work_dir().join("pw"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    let (code, out, err) = run(c.cmd().args(["targets", "check", "pg"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("PostgreSQL"), "{out}");

    // TLS required against a server without TLS.
    let (code, _, err) = run(c.cmd().env("PGPASSWORD", "right-horse-battery").args([
        "targets",
        "check",
        &format!("{url}?sslmode=require"),
    ]));
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("TLS") || err.contains("tls"), "{err}");
}
