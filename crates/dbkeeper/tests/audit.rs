//! The audit log end to end: entries written by real runs, shown, verified, and tampering caught.

use dbkeeper_testkit::{run, Cli};

fn cli_with_entries(n: usize) -> Cli {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let port = dbkeeper_core::scratch::free_port().expect("port");
    for i in 0..n {
        // Each check of an unreachable server still touches a target, so it is audited.
        let url = format!("postgres://u{i}@127.0.0.1:{port}/x");
        let (code, _, _) = run(c.cmd().args(["-q", "targets", "check", &url]));
        assert_eq!(code, 69);
    }
    c
}

fn edit(c: &Cli, f: impl FnOnce(&mut Vec<String>)) {
    let text = std::fs::read_to_string(c.audit_path()).expect("audit log");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    f(&mut lines);
    std::fs::write(c.audit_path(), lines.join("\n") + "\n").expect("write");
}

#[test]
fn show_and_verify_an_intact_log() {
    let c = cli_with_entries(3);
    let (code, out, _) = run(c.cmd().args(["audit", "show"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("targets.check") && out.contains("failed (69)"),
        "{out}"
    );
    let (code, out, _) = run(c.cmd().args(["--format", "json", "audit", "show"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(3));
    assert_eq!(v[2]["seq"], 3);
    let (code, out, _) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("lines verified: 3"), "{out}");
}

#[test]
fn one_changed_digit_is_named() {
    let c = cli_with_entries(4);
    edit(&c, |l| {
        // Change the exit code recorded on line 2 from 69 to 68.
        l[1] = l[1].replace("\"exit_code\":69", "\"exit_code\":68");
    });
    let (code, _, err) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("line 2") && err.contains("was changed"),
        "{err}"
    );
    assert!(err.contains("audit.jsonl:2"), "{err}");
}

#[test]
fn deleted_reordered_and_inserted_lines_are_named() {
    let c = cli_with_entries(4);
    let original = std::fs::read_to_string(c.audit_path()).expect("log");

    edit(&c, |l| {
        l.remove(2);
    });
    let (code, _, err) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 65);
    assert!(err.contains("removed before line 3"), "{err}");

    std::fs::write(c.audit_path(), &original).expect("restore");
    edit(&c, |l| l.swap(0, 1));
    let (code, _, err) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 65);
    assert!(
        err.contains("line 1") && err.contains("out of order"),
        "{err}"
    );

    std::fs::write(c.audit_path(), &original).expect("restore");
    edit(&c, |l| {
        let dup = l[0].clone();
        l.insert(1, dup);
    });
    let (code, _, err) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 65);
    assert!(err.contains("line 2") && err.contains("inserted"), "{err}");

    std::fs::write(c.audit_path(), &original).expect("restore");
    let (code, _, _) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0, "the untouched log verifies again");
}

#[test]
fn tamper_report_in_chinese() {
    let c = cli_with_entries(2);
    edit(&c, |l| l[0] = l[0].replace("u0", "u9"));
    let (code, _, err) = run(c.cmd().args(["--lang", "zh-CN", "audit", "verify"]));
    assert_eq!(code, 65);
    assert!(err.contains("第 1 行被修改"), "{err}");
}
