//! The config file through the binary: named targets, every mistake at once with its position.

use dbkeeper_testkit::{run, url_of, Cli};

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_dbkeeper"))
}

#[test]
fn the_documented_example_config_lists_its_targets() {
    let c = cli();
    let example = include_str!("../../dbkeeper-config/examples/dbkeeper.yaml");
    c.write("dbkeeper.yaml", example);
    let (code, out, err) = run(c.cmd().args(["--lang", "en", "targets", "list"]));
    assert_eq!(code, 0, "{err}");
    for name in ["prod-pg", "prod-pg-replica", "his-mysql", "local-pg"] {
        assert!(out.contains(name), "{out}");
    }
    assert!(
        out.contains("env PROD_PG_PASSWORD"),
        "the password's source, never a value: {out}"
    );
    let (code, out, _) = run(c.cmd().args(["--format", "json", "targets", "list"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v[0]["name"], "prod-pg");
    assert_eq!(v[0]["tls_mode"], "verify-full");
    assert_eq!(v[2]["engine"], "mysql");
}

#[test]
fn every_mistake_is_reported_at_once_with_its_position() {
    let c = cli();
    let path = c.write(
        "bad.yaml",
        "version: 1\n\
         targets:\n\
         \x20 pg:\n\
         \x20   url: postgres://u@h/db\n\
         \x20   pasword: {env: X}\n\
         \x20 my:\n\
         \x20   url: mysql://u@h\n\
         \x20   password: hunter2-literal\n\
         \x20   tls: {mode: sometimes}\n",
    );
    let (code, out, err) =
        run(c
            .cmd()
            .args(["--config", path.to_str().expect("utf-8"), "targets", "list"]));
    assert_eq!(code, 78, "{err}");
    assert!(out.is_empty());
    let shown = path.display().to_string();
    assert!(
        err.contains(&format!("{shown}:5:5")),
        "unknown key at its column:\n{err}"
    );
    assert!(err.contains("password"), "did-you-mean:\n{err}");
    assert!(
        err.contains(&format!("{shown}:8:")),
        "literal password:\n{err}"
    );
    assert!(err.contains(&format!("{shown}:9:")), "bad tls mode:\n{err}");
    assert!(
        !err.contains("hunter2-literal"),
        "the literal is never echoed:\n{err}"
    );
    assert_eq!(err.matches("error:").count(), 3, "{err}");
    assert_eq!(err.matches("hint:").count(), 3, "{err}");

    let (code, _, err) = run(c
        .cmd()
        .args(["--lang", "zh-CN", "--config", &shown, "targets", "list"]));
    assert_eq!(code, 78);
    assert!(err.contains("错误") && err.contains("提示"), "{err}");
}

#[test]
fn missing_config_file_and_unknown_target_name() {
    let c = cli();
    let (code, _, err) =
        run(c
            .cmd()
            .args(["--config", "/nonexistent/dbkeeper.yaml", "targets", "list"]));
    assert_eq!(code, 78, "{err}");
    assert!(
        err.contains("/nonexistent/dbkeeper.yaml") && err.contains("hint:"),
        "{err}"
    );

    c.write(
        "dbkeeper.yaml",
        "version: 1\ntargets:\n  prod-pg:\n    url: postgres://u@127.0.0.1:1/x\n",
    );
    let (code, _, err) = run(c.cmd().args(["targets", "check", "prod-pq"]));
    assert_eq!(code, 64, "{err}");
    assert!(err.contains("prod-pg"), "did you mean:\n{err}");
}

#[test]
fn named_targets_are_checked_from_the_config() {
    let pg = dbkeeper_testkit::postgres();
    let db = dbkeeper_testkit::mariadb();
    let c = cli();
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  pg:\n    url: {}\n    tls: {{mode: disable}}\n  maria:\n    url: {}\n    description: 测试库\n",
            url_of(&pg, Some("postgres")),
            url_of(&db, None)
        ),
    );
    // No target named: every configured target is checked.
    let (code, out, err) = run(c.cmd().args(["--format", "json", "targets", "check"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v[0]["target"], "pg");
    assert_eq!(v[0]["facts"]["product"], "PostgreSQL");
    assert_eq!(v[1]["target"], "maria");
    assert_eq!(v[1]["facts"]["product"], "MariaDB");

    // One target down: the others are still checked, and the exit code says something failed.
    drop(db);
    let (code, out, err) = run(c.cmd().args(["--format", "json", "targets", "check"]));
    assert_eq!(code, 69, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["error"]["exit_code"], 69);
}
