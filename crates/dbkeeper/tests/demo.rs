//! `dbkeeper demo` runs the whole loop, in under a minute, and leaves nothing behind but its
//! ledger, audit log and inspection report.

use std::time::{Duration, Instant};

use dbkeeper_testkit::{gone, run, Cli};

#[test]
fn demo_runs_and_leaves_nothing_behind() {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let started = Instant::now();
    let (code, out, err) = run(c.cmd().args(["--format", "json", "demo"]));
    let took = started.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(took < Duration::from_secs(60), "demo took {took:?}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let sample = v["sample"].as_array().expect("sample tables");
    for table in [
        "hospitals",
        "doctors",
        "nurses",
        "patients",
        "consultations",
        "prescriptions",
    ] {
        let rows = sample
            .iter()
            .find(|t| t["table"] == table)
            .and_then(|t| t["rows"].as_u64())
            .unwrap_or(0);
        assert!(rows > 0, "{table} has rows: {out}");
    }
    assert_eq!(v["facts"]["product"], "PostgreSQL");
    // The inspection step: the whole catalogue, and the HTML report kept in the state dir.
    let inspect = &v["inspect"];
    assert!(inspect["checks"].as_u64() >= Some(70), "{inspect}");
    assert_eq!(
        (inspect["verdict"].as_str(), inspect["exit_code"].as_u64()),
        (Some("critical"), Some(2)),
        "the scratch runs with fsync off: {inspect}"
    );
    let report = std::path::PathBuf::from(inspect["report"].as_str().expect("report path"));
    assert!(
        report.starts_with(c.state_dir().join("reports")),
        "{}",
        report.display()
    );
    let html = std::fs::read_to_string(&report).expect("the report outlives the scratch server");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Database inspection report: demo") && html.contains("act now"));
    assert!(html.contains("PG-CFG-001") && html.contains("fsync"));
    assert!(html.len() > 20_000, "a full report, {} bytes", html.len());
    // The backup step: encrypted and compressed, restored into a second database, every
    // table's rows counted there equal to the backup's.
    let b = &v["backup"];
    assert!(
        b["stored_bytes"].as_u64() < b["plain_bytes"].as_u64(),
        "{b}"
    );
    let tables = b["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 6, "{b}");
    for t in tables {
        assert_eq!(t[1], t[2], "{t}");
        assert!(t[1].as_u64() > Some(0), "{t}");
    }
    // The drill of the same backup passed, and its report outlives the demo.
    assert_eq!(b["drill_verdict"], "pass", "{b}");
    let drill = std::path::PathBuf::from(b["drill_report"].as_str().expect("drill report"));
    let page = std::fs::read_to_string(&drill).expect("drill report kept");
    assert!(page.contains("PASS") && page.contains("amcheck"), "{page}");
    let pid = u32::try_from(v["teardown"]["server_pid"].as_u64().expect("pid")).expect("pid fits");
    let data_dir = v["facts"]["data_directory"].as_str().expect("data dir");
    assert!(
        gone(pid, std::path::Path::new(data_dir)),
        "server {pid} or {data_dir} left behind"
    );
    // No scratch directory of any kind is left in TMPDIR by that run.
    let leftovers: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .expect("tmp")
        .flatten()
        .filter(|e| data_dir.starts_with(&e.path().display().to_string()))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn demo_in_chinese_for_people() {
    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let (code, out, err) = run(c.cmd().args(["--lang", "zh-CN", "demo"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("正在加载示例数据"), "{err}");
    assert!(out.contains("演示完成") && out.contains("版本"), "{out}");
    assert!(
        out.contains("数据库巡检报告：demo"),
        "the inspection table: {out}"
    );
    let path = out
        .lines()
        .find_map(|l| l.split("可交付客户的 HTML 巡检报告：").nth(1))
        .unwrap_or_else(|| panic!("report path printed: {out}"));
    let html = std::fs::read_to_string(path.trim()).expect("report");
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("需立即处理"));
    let (code, out, _) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0);
    // targets check, inspect, backup, restore and the drill, each audited.
    assert!(out.contains("lines verified: 5"), "{out}");
}

#[test]
fn ctrl_c_tears_the_scratch_server_down() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let c = Cli::new(env!("CARGO_BIN_EXE_dbkeeper"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_dbkeeper"))
        .args(["demo", "--pause"])
        .env("DBKEEPER_STATE_DIR", c.state_dir())
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::piped()) // held open: the demo waits at its pause
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start demo");
    let stderr = child.stderr.take().expect("stderr");
    let mut data_dir = None;
    let mut saw_pause = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("line");
        if let Some(rest) = line.split("data in ").nth(1) {
            data_dir = Some(std::path::PathBuf::from(rest.trim()));
        }
        if line.contains("press Enter") {
            saw_pause = true;
            break;
        }
    }
    assert!(saw_pause, "demo reached its pause");
    let data_dir = data_dir.expect("data dir printed");
    assert!(data_dir.exists());
    let pid = i32::try_from(child.id()).expect("pid");
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s.code();
        }
        assert!(Instant::now() < deadline, "demo did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(130));
    assert!(
        !data_dir.exists(),
        "scratch directory removed: {}",
        data_dir.display()
    );
    // No postgres process is left serving that directory.
    let ps = Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .expect("ps");
    let ps = String::from_utf8_lossy(&ps.stdout);
    assert!(!ps.contains(&data_dir.display().to_string()), "{ps}");
}
