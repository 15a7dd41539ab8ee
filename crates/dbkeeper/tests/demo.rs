//! `dbkeeper demo` runs the whole loop, in under a minute, and leaves nothing behind.

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
    let (code, out, _) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0);
    assert!(out.contains("lines verified: 1"), "{out}");
}
