//! `validate` and `schedule list|next` through the binary, on the shipped examples and on mistakes.

use dbkeeper_testkit::{run, Cli};

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shipped_playbooks_and_schedules_validate() {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let root = repo_root();
    let mut files = Vec::new();
    for dir in ["playbooks", "schedules"] {
        for e in std::fs::read_dir(root.join(dir)).expect("dir").flatten() {
            if e.path().extension().is_some_and(|x| x == "yaml") {
                files.push(e.path().display().to_string());
            }
        }
    }
    assert!(files.len() >= 6, "{files:?}");
    let (code, out, err) = run(c.cmd().arg("validate").args(&files));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        files.len(),
        "{out}"
    );
}

#[test]
fn every_playbook_mistake_is_named_with_its_position() {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let a = c.write(
        "a.yaml",
        "version: 1\nname: a\nsteps:\n  - id: one\n    action: bakup\n  - id: two\n    action: sql\n    needs: [three]\n",
    );
    let b = c.write(
        "b.yaml",
        "version: 1\nname: b\nsteps:\n  - id: x\n    action: notify\n    retires: 3\n",
    );
    let (code, out, err) = run(c.cmd().args([
        "validate",
        &a.display().to_string(),
        &b.display().to_string(),
    ]));
    assert_eq!(code, 78, "{err}");
    assert!(out.is_empty());
    assert!(err.contains(&format!("{}:5:13", a.display())), "{err}");
    assert!(err.contains("did you mean `backup`"), "{err}");
    assert!(
        err.contains(&format!("{}:8:", a.display())),
        "dangling need: {err}"
    );
    assert!(
        err.contains(&format!("{}:6:5", b.display())),
        "unknown key in the second file: {err}"
    );
    let (_, _, err) = run(c
        .cmd()
        .args(["--lang", "zh-CN", "validate", &a.display().to_string()]));
    assert!(err.contains("错误"), "{err}");
}

#[test]
fn schedule_next_follows_the_cron_and_zone() {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    c.write(
        "pb.yaml",
        "version: 1\nname: pb\nsteps:\n  - id: s\n    action: notify\n    with: {message: hi}\n",
    );
    c.write(
        "schedules/pb.yaml",
        "version: 1\nplaybook: ../pb.yaml\ncron: \"30 1 * * 0\"\ntimezone: Asia/Shanghai\n",
    );
    let (code, out, err) = run(c.cmd().args(["--format", "json", "schedule", "next", "3"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let next = v[0]["next"].as_array().expect("next");
    assert_eq!(next.len(), 3);
    for t in next {
        let t = chrono::DateTime::parse_from_rfc3339(t.as_str().expect("time")).expect("rfc3339");
        use chrono::{Datelike, Timelike};
        assert_eq!(
            (t.weekday(), t.hour(), t.minute()),
            (chrono::Weekday::Sun, 1, 30),
            "{t}"
        );
        assert_eq!(t.offset().local_minus_utc(), 8 * 3600);
    }
    let (code, out, _) = run(c.cmd().args(["schedule", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("pb.yaml") && out.contains("never"), "{out}");
    assert_eq!(v[0]["job"], "pb");
}
