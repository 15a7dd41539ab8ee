//! The command line's contract without any server: help, usage errors, languages, refusals.

use dbkeeper_testkit::{run, Cli};

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_dbkeeper"))
}

#[test]
fn help_lists_only_working_commands_and_exit_codes() {
    let c = cli();
    let (code, out, _) = run(c.cmd().arg("--help"));
    assert_eq!(code, 0);
    for cmd in [
        "targets", "inspect", "audit", "validate", "run", "schedule", "backup", "restore",
        "verify", "backups", "keygen", "demo",
    ] {
        assert!(out.contains(&format!("\n  {cmd} ")), "{cmd} in {out}");
    }
    assert!(out.contains("Exit codes"), "{out}");
    // No placeholders: commands that do not work yet are not offered.
    for later in ["export", "import", "report", "advise"] {
        assert!(!out.contains(&format!("\n  {later} ")), "{later} in {out}");
    }
}

#[test]
fn usage_errors_exit_64() {
    let c = cli();
    assert_eq!(run(&mut c.cmd()).0, 64, "no subcommand");
    assert_eq!(run(c.cmd().arg("frobnicate")).0, 64, "unknown subcommand");
    assert_eq!(run(c.cmd().args(["targets", "check", "--bogus"])).0, 64);
}

#[test]
fn password_in_url_is_refused_and_never_recorded() {
    let c = cli();
    let (code, out, err) =
        run(c
            .cmd()
            .args(["targets", "check", "postgres://app:Secr3tPw@127.0.0.1:1/x"]));
    assert_eq!(code, 64, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("contains a password") && err.contains("PGPASSWORD"),
        "{err}"
    );
    assert!(!err.contains("Secr3tPw"), "{err}");
    // Nothing under the state directory holds it either (ledger arguments are redacted).
    for entry in std::fs::read_dir(c.state_dir()).expect("state dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Secr3tPw"),
            "password found on disk"
        );
    }
}

#[test]
fn bad_urls_say_what_and_how() {
    let c = cli();
    let (code, _, err) = run(c.cmd().args(["targets", "check", "oracle://h/x"]));
    assert_eq!(code, 64);
    assert!(
        err.contains("unknown database scheme `oracle`") && err.contains("hint:"),
        "{err}"
    );
    let (code, _, err) =
        run(c
            .cmd()
            .args(["targets", "check", "postgres://h/x?sslmode=sometimes"]));
    assert_eq!(code, 64);
    assert!(
        err.contains("sometimes") && err.contains("verify-full"),
        "{err}"
    );
    let (code, _, err) = run(c.cmd().args(["targets", "check", "prod"]));
    assert_eq!(code, 64, "a name without a config");
    assert!(err.contains("prod"), "{err}");
}

#[test]
fn chinese_messages() {
    let c = cli();
    let (_, _, err) = run(c
        .cmd()
        .args(["--lang", "zh-CN", "targets", "check", "oracle://h/x"]));
    assert!(err.contains("错误") && err.contains("提示"), "{err}");
    // The locale picks Chinese too.
    let (_, _, err) =
        run(c
            .cmd()
            .env("LANG", "zh_CN.UTF-8")
            .args(["targets", "check", "oracle://h/x"]));
    assert!(err.contains("无法识别"), "{err}");
}

#[test]
fn targets_list_without_config_explains() {
    let c = cli();
    let (code, _, err) = run(c.cmd().args(["targets", "list"]));
    assert_eq!(code, 78);
    assert!(
        err.contains("no targets are configured") && err.contains("dbkeeper.yaml"),
        "{err}"
    );
}

#[test]
fn unreachable_server_is_one_clear_error() {
    let c = cli();
    let port = dbkeeper_core::scratch::free_port().expect("port");
    let (code, out, err) = run(c.cmd().args([
        "-q",
        "targets",
        "check",
        &format!("postgres://u@127.0.0.1:{port}/x"),
    ]));
    assert_eq!(code, 69, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(&port.to_string()), "{err}");
    let (code, _, err) = run(c.cmd().args([
        "-q",
        "targets",
        "check",
        &format!("mysql://u@127.0.0.1:{port}"),
    ]));
    assert_eq!(code, 69, "{err}");
}

#[test]
fn unwritable_state_dir_exit_73() {
    let c = cli();
    let file = c.write("not-a-dir", "x");
    let (code, _, err) = run(c
        .cmd()
        .env("DBKEEPER_STATE_DIR", file.join("sub"))
        .args(["audit", "show"]));
    assert_eq!(code, 73, "{err}");
    assert!(err.contains("state directory"), "{err}");
}
