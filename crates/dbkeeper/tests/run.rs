//! `dbkeeper run` and `schedule install` through the binary: playbooks against real scratch
//! servers, a `file://` repository with an age key, the ledger, the lock and schedule slots.
//! Databases are read back with psql / mariadb, never with dbkeeper's own code.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use dbkeeper_testkit::{run, url_of, Cli, ScratchInstance};

/// `dbkeeper.yaml` with the target `src` and the encrypted repository `local` in the work dir.
fn config(c: &Cli, url: &str, retention: &str) -> PathBuf {
    let (_, recipient) = keygen(c, "backup.key");
    let repo = c.work_dir().join("repo");
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  src:\n    url: {url}\nrepos:\n  local:\n    url: file://{}\n    encryption: {{recipients: [{recipient}]}}\n    retention: {retention}\n",
            repo.display()
        ),
    )
}

fn run_json(c: &Cli, args: &[&str]) -> (i32, serde_json::Value, String) {
    let (code, out, err) = run(c.cmd().args(["--format", "json", "run"]).args(args));
    (code, json(&out), err)
}

fn step<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == id))
        .unwrap_or_else(|| panic!("no step {id} in {report:#}"))
}

const NIGHTLY: &str = r#"version: 1
name: nightly
steps:
  - id: inspect
    action: inspect
    with:
      target: src
      profile: quick
      only: [PG-CON-001, PG-CON-002, PG-LCK-001]   # checks a fresh scratch server passes
      report: "reports/inspection-${run.date}.md"
      fail_on: critical
  - id: backup
    action: backup
    needs: [inspect]
    with: {target: src, repos: [local]}
  - id: prune
    action: prune
    needs: [backup]
    with: {repo: local, target: src}
  # Outputs pass between steps: a `when` reads one, a template names a file after another.
  - id: count
    action: sql
    needs: [backup]
    when: "steps.backup.outputs.rows >= 3 && steps.backup.outputs.stored_bytes > 0 && steps.backup.outputs.plain_bytes > 0 && steps.inspect.outputs.verdict == 'ok'"
    with: {target: src, query: "select count(*) from patients", expect: "= 3"}
  - id: evidence
    action: inspect
    needs: [count]
    with:
      target: src
      profile: quick
      only: [PG-CON-001]
      report: "reports/after-${steps.backup.outputs.backup_id}.json"
      fail_on: critical
"#;

#[test]
fn nightly_backup_playbook_runs_inspect_backup_prune_and_passes_outputs() {
    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE DATABASE hospital");
    psql(
        &pg,
        "hospital",
        "CREATE TABLE patients (id int primary key, name text); INSERT INTO patients VALUES (1,'a'),(2,'b'),(3,'c')",
    );
    let c = cli();
    config(&c, &url_of(&pg, Some("hospital")), "{keep_last: 1}");
    let pb = c.write("nightly.yaml", NIGHTLY);
    let pb = pb.display().to_string();

    let (code, report, err) = run_json(&c, &[&pb]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert_eq!(report["outcome"], "ok", "{report:#}");
    assert!(
        report["playbook_run_id"].as_i64().is_some(),
        "recorded in the ledger"
    );
    for id in ["inspect", "backup", "prune", "count", "evidence"] {
        assert_eq!(step(&report, id)["status"], "ok", "{id}: {report:#}");
    }
    let b = &step(&report, "backup")["outputs"];
    let id = b["backup_id"].as_str().expect("backup_id").to_string();
    assert_eq!(b["target"], "src");
    assert_eq!(b["repos"], serde_json::json!(["local"]));
    assert_eq!(b["rows"], 3);
    assert!(b["plain_bytes"].as_u64().unwrap_or(0) > 0, "{b}");
    assert!(b["stored_bytes"].as_u64().unwrap_or(0) > 0, "{b}");
    assert_eq!(step(&report, "prune")["outputs"]["deleted"], 0);
    assert_eq!(step(&report, "count")["outputs"]["value"], 3);
    let inspect = &step(&report, "inspect")["outputs"];
    assert!(inspect["verdict"].is_string(), "{inspect}");
    assert!(inspect["counts"].is_object(), "{inspect}");
    let report_path = inspect["report_path"].as_str().expect("report_path");
    assert!(c.work_dir().join(report_path).is_file(), "{report_path}");
    // The backup id reached a later step's template.
    assert!(
        c.work_dir()
            .join(format!("reports/after-{id}.json"))
            .is_file(),
        "{report:#}"
    );

    let (code, out, err) = run(c
        .cmd()
        .args(["--format", "json", "backups", "list", "--repo", "local"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&id), "{out}");

    // Under cron: nothing at all on success. The retention (keep_last: 1) drops the first backup.
    // (Backup ids are per second: a second later the new one is unambiguously the newer.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (code, out, err) = run(c.cmd().args(["-q", "run", &pb]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.is_empty() && err.is_empty(),
        "stdout: {out}\nstderr: {err}"
    );
    let (_, out, _) = run(c
        .cmd()
        .args(["--format", "json", "backups", "list", "--repo", "local"]));
    assert!(!out.contains(&id), "pruned by the second run: {out}");

    // The audit log names the playbook, its hash and the outcome.
    let audit = std::fs::read_to_string(c.audit_path()).expect("audit");
    let run_line = audit
        .lines()
        .find(|l| l.contains("\"action\":\"run\""))
        .expect("an audit line for the run");
    assert!(run_line.contains("\"playbook\":\"nightly\""), "{run_line}");
    assert!(
        run_line.contains(report["sha256"].as_str().unwrap_or("?")),
        "{run_line}"
    );
    assert!(run_line.contains("\"outcome\":\"ok\""), "{run_line}");
}

#[test]
fn failures_retries_lock_and_schedule_slots() {
    let pg = dbkeeper_testkit::postgres();
    psql(
        &pg,
        "postgres",
        "CREATE TABLE marks (what text); CREATE SEQUENCE flaky; CREATE TABLE ticks (at timestamptz default now())",
    );
    let c = cli();
    config(&c, &url_of(&pg, Some("postgres")), "{keep_last: 3}");

    // A failing step: exit 2, its handler runs, later steps do not, the run's handler runs.
    let failing = c.write(
        "failing.yaml",
        r#"version: 1
name: failing
steps:
  - id: check
    action: sql
    with: {target: src, query: "select 1", expect: "= 2"}
    on_failure:
      - action: sql
        with: {target: src, query: "insert into marks values ('step handler')"}
  - id: after
    action: sql
    needs: [check]
    with: {target: src, query: "insert into marks values ('should not run')"}
on_failure:
  - action: sql
    with: {target: src, query: "insert into marks values ('run handler')"}
"#,
    );
    let (code, report, err) = run_json(&c, &[&failing.display().to_string()]);
    assert_eq!(code, 2, "{err}\n{report:#}");
    assert_eq!(report["outcome"], "failed");
    assert_eq!(step(&report, "check")["status"], "failed");
    assert_eq!(step(&report, "after")["status"], "skipped");
    assert!(
        err.contains("check"),
        "the failure is named on stderr: {err}"
    );
    assert_eq!(
        psql(
            &pg,
            "postgres",
            "select string_agg(what, ',' order by what) from marks"
        ),
        "run handler,step handler"
    );

    // A transient failure (division by zero on the first call only) is retried.
    let flaky = c.write(
        "flaky.yaml",
        r#"version: 1
name: flaky
steps:
  - id: flaky
    action: sql
    retries: 2
    backoff: 1s
    with: {target: src, query: "select 1 / (nextval('flaky') - 1)", expect: "= 1"}
"#,
    );
    let (code, report, err) = run_json(&c, &[&flaky.display().to_string()]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    assert_eq!(step(&report, "flaky")["attempts"], 2, "{report:#}");

    // A second run of a playbook while the first holds its lock: 75 at once.
    let slow = c.write(
        "slow.yaml",
        "version: 1\nname: slow\nsteps:\n  - id: sleep\n    action: sql\n    with: {target: src, query: \"select pg_sleep(4)\"}\n",
    );
    let mut first = Command::new(env!("CARGO_BIN_EXE_dbkeeper"))
        .current_dir(c.work_dir())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DBKEEPER_STATE_DIR", c.state_dir())
        .env("HOME", c.work_dir())
        .args(["-q", "run"])
        .arg(&slow)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let lock = c.state_dir().join("locks/slow.lock");
    let started = Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |s| s.trim().is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(30), "no lock taken");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (code, _, err) = run(c.cmd().args(["run", &slow.display().to_string()]));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&first.id().to_string()),
        "names the holder: {err}"
    );
    assert_eq!(first.wait().expect("wait").code(), Some(0));

    // One run per schedule slot, however often it is fired.
    let tick = c.write(
        "tick.yaml",
        "version: 1\nname: tick\nsteps:\n  - id: tick\n    action: sql\n    with: {target: src, query: \"insert into ticks default values\"}\n",
    );
    let tick = tick.display().to_string();
    let slot = "2026-01-01T01:30:00Z";
    let (code, report, err) = run_json(&c, &[&tick, "--scheduled-for", slot]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["outcome"], "ok");
    let (code, report, err) = run_json(&c, &[&tick, "--scheduled-for", slot]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["outcome"], "already_ran", "{report:#}");
    assert_eq!(psql(&pg, "postgres", "select count(*) from ticks"), "1");
}

#[test]
fn mariadb_backup_and_sql_steps() {
    let my = dbkeeper_testkit::mariadb();
    mariadb(
        &my,
        "CREATE DATABASE shop; CREATE TABLE shop.orders (id int primary key); INSERT INTO shop.orders VALUES (1),(2)",
    );
    let c = cli();
    config(&c, &url_of(&my, Some("shop")), "{keep_last: 3}");
    let pb = c.write(
        "my.yaml",
        r#"version: 1
name: my-nightly
steps:
  - id: backup
    action: backup
    with: {target: src, repos: [local]}
  - id: users
    action: sql
    needs: [backup]
    when: "steps.backup.outputs.rows == 2"
    with: {target: src, query: "select count(*) from orders", expect: "= 2"}
"#,
    );
    let (code, report, err) = run_json(&c, &[&pb.display().to_string()]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    let id = step(&report, "backup")["outputs"]["backup_id"]
        .as_str()
        .expect("backup_id")
        .to_string();
    assert_eq!(step(&report, "users")["status"], "ok", "{report:#}");
    let (code, out, err) = run(c
        .cmd()
        .args(["--format", "json", "backups", "list", "--repo", "local"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&id), "{out}");
}

#[test]
fn dry_run_touches_nothing() {
    let c = cli();
    // Nothing listens on port 1: a dry run that connected would fail.
    config(&c, "postgres://nobody@127.0.0.1:1/none", "{keep_last: 1}");
    let pb = c.write(
        "pb.yaml",
        "version: 1\nname: dry\nsteps:\n  - id: backup\n    action: backup\n    with: {target: src, repos: [local]}\n  - id: prune\n    action: prune\n    needs: [backup]\n    with: {repo: local}\n",
    );
    let (code, out, err) = run(c
        .cmd()
        .args(["run", &pb.display().to_string(), "--dry-run"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("backup") && out.contains("prune"), "{out}");
    assert!(!c.work_dir().join("repo").exists(), "no repository created");
    assert!(!c.state_dir().join("locks").exists(), "no lock taken");
    let (code, report, err) = run_json(&c, &[&pb.display().to_string(), "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["outcome"], "planned");
    assert!(report["playbook_run_id"].is_null(), "not recorded");
}

#[test]
fn a_monthly_drill_playbook_backs_up_verifies_and_judges_sanity_queries() {
    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE DATABASE shop");
    psql(
        &pg,
        "shop",
        "CREATE TABLE patients AS SELECT g AS id FROM generate_series(1, 300) g",
    );
    let c = cli();
    config(&c, &url_of(&pg, Some("shop")), "{keep_last: 3}");
    let key = c.work_dir().join("backup.key");
    let pb = c.write(
        "drill.yaml",
        &format!(
            "version: 1\nname: drill\nsecrets:\n  age_identity: {{file: {}}}\nsteps:\n  - id: backup\n    action: backup\n    with: {{target: src, repos: [local]}}\n  - id: drill\n    action: verify\n    needs: [backup]\n    retries: 2\n    with:\n      backup: \"${{steps.backup.outputs.backup_id}}\"\n      repo: local\n      identity: age_identity\n      rto_max: 10m\n      report: \"reports/drill-${{steps.backup.outputs.backup_id}}.html\"\n      sanity:\n        - {{name: patients, sql: \"select count(*) from patients\", expect: \"= 300\"}}\n  - id: after\n    action: sql\n    needs: [drill]\n    when: \"steps.drill.outputs.ok\"\n    with: {{target: src, query: \"select 1\", expect: \"= 1\"}}\n",
            key.display()
        ),
    );
    let pb = pb.display().to_string();
    let (code, out, err) = run(c.cmd().args(["validate", &pb]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, report, err) = run_json(&c, &[&pb]);
    assert_eq!(code, 0, "{err}\n{report:#}");
    let drill = step(&report, "drill");
    assert_eq!(drill["outputs"]["ok"], true, "{drill}");
    assert_eq!(drill["outputs"]["sanity_failed"], 0);
    let path = drill["outputs"]["report_path"]
        .as_str()
        .expect("report path");
    let html = std::fs::read_to_string(c.work_dir().join(path))
        .or_else(|_| std::fs::read_to_string(path))
        .expect("the drill report");
    assert!(html.contains("patients") && html.contains("PASS"), "{html}");
    assert_eq!(step(&report, "after")["status"], "ok");

    // A sanity expectation that does not hold fails the drill, naming the query and value.
    let bad = std::fs::read_to_string(&pb)
        .expect("pb")
        .replace("= 300", "= 301")
        .replace("retries: 2", "retries: 0");
    let bad_pb = c.write("bad.yaml", &bad);
    let (code, report, _) = run_json(&c, &[&bad_pb.display().to_string()]);
    assert_eq!(code, 2, "{report:#}");
    let text = step(&report, "drill").to_string();
    assert!(text.contains("patients") && text.contains("301"), "{text}");

    // The actions of later versions still fail clearly, once.
    let later = c.write(
        "later.yaml",
        "version: 1\nname: later\nsteps:\n  - id: out\n    action: export\n    retries: 3\n    with: {target: src, format: csv, out: x.csv}\n",
    );
    let (code, out, err) = run(c.cmd().args(["validate"]).arg(&later));
    if code == 0 {
        let (code, report, _) = run_json(&c, &[&later.display().to_string()]);
        assert_eq!(code, 2);
        assert_eq!(
            step(&report, "out")["attempts"],
            1,
            "not retried: {report:#}"
        );
    } else {
        assert_eq!(code, 78, "{out}{err}");
    }
}

#[test]
fn a_broken_playbook_is_a_config_error_with_positions() {
    let c = cli();
    let pb = c.write(
        "bad.yaml",
        "version: 1\nname: bad\nsteps:\n  - id: one\n    action: bakup\n  - id: two\n    action: sql\n    needs: [three]\n",
    );
    let (code, out, err) = run(c.cmd().args(["run", &pb.display().to_string()]));
    assert_eq!(code, 78, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains(&format!("{}:5:13", pb.display())), "{err}");
    assert!(
        err.contains(&format!("{}:8:", pb.display())),
        "every error: {err}"
    );
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shipped_playbooks_load_and_plan() {
    let c = cli();
    for name in [
        "nightly-backup",
        "daily-inspection",
        "monthly-restore-drill",
    ] {
        let pb = repo_root().join(format!("playbooks/{name}.yaml"));
        let (code, report, err) = run_json(&c, &[&pb.display().to_string(), "--dry-run"]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(report["playbook"], name);
        assert!(!report["steps"].as_array().expect("steps").is_empty());
    }
}

#[test]
fn schedule_install_writes_launchers_that_call_run() {
    let c = cli();
    c.write(
        "pb.yaml",
        "version: 1\nname: pb\nsteps:\n  - id: s\n    action: notify\n    with: {message: hi}\n",
    );
    c.write(
        "schedules/pb.yaml",
        "version: 1\nplaybook: ../pb.yaml\ncron: \"30 1 * * *\"\ntimezone: Asia/Shanghai\n",
    );
    std::fs::create_dir_all(c.work_dir().join("out")).expect("mkdir");
    let (code, out, err) = run(c
        .cmd()
        .args(["schedule", "install", "--kind", "cron", "--out", "out"]));
    assert_eq!(code, 0, "{err}");
    let crontab = c.work_dir().join("out/dbkeeper.crontab");
    assert!(out.contains("dbkeeper.crontab"), "prints the path: {out}");
    let text = std::fs::read_to_string(&crontab).expect("crontab");
    let line = text
        .lines()
        .find(|l| l.starts_with("30 1 * * *"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("flock -n"), "{line}");
    assert!(line.contains(env!("CARGO_BIN_EXE_dbkeeper")), "{line}");
    assert!(line.contains(" run "), "{line}");
    assert!(line.contains("--scheduled-for now"), "{line}");
    assert!(line.contains("--schedule"), "{line}");

    let (code, _, err) = run(c
        .cmd()
        .args(["schedule", "install", "--kind", "systemd", "--out", "out"]));
    assert_eq!(code, 0, "{err}");
    let units: Vec<String> = files(&c.work_dir().join("out"))
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert!(units.iter().any(|u| u.ends_with(".timer")), "{units:?}");
    let service = files(&c.work_dir().join("out"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "service"))
        .expect("a service unit");
    let service = std::fs::read_to_string(service).expect("read");
    assert!(service.contains("--scheduled-for now"), "{service}");

    let (code, _, err) = run(c.cmd().args([
        "schedule",
        "install",
        "--kind",
        "kubernetes",
        "--out",
        "out",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        files(&c.work_dir().join("out"))
            .iter()
            .any(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("CronJob"))),
        "a CronJob manifest"
    );
}

#[test]
fn validate_online_connects_checks_privileges_and_opens_repositories() {
    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE ROLE weak LOGIN");
    psql(&pg, "postgres", "CREATE DATABASE app");
    let c = cli();
    config(&c, &url_of(&pg, Some("postgres")), "{keep_last: 1}");
    let pb = c.write(
        "pb.yaml",
        "version: 1\nname: nightly\nsteps:\n  - id: inspect\n    action: inspect\n    with: {target: src}\n  - id: backup\n    action: backup\n    needs: [inspect]\n    with: {target: src, repos: [local]}\n",
    );
    let pb = pb.display().to_string();
    // A superuser and an empty repository location: ready.
    let (code, out, err) = run(c.cmd().args(["validate", "--online", &pb]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("PostgreSQL") && out.contains("first backup creates"),
        "{out}"
    );
    assert!(
        !c.work_dir().join("repo").exists(),
        "validation creates nothing"
    );

    // An account without pg_monitor / read rights: named, with what it lacks; exit 78.
    let weak = format!("postgres://weak@{}/app", pg.target().address());
    let pb2 = c.write(
        "weak.yaml",
        &format!("version: 1\nname: weak\ntargets:\n  w:\n    url: {weak}\nsteps:\n  - id: backup\n    action: backup\n    with: {{target: w, repos: [local]}}\n"),
    );
    let (code, out, err) = run(c
        .cmd()
        .args(["--format", "json", "validate", "--online"])
        .arg(&pb2));
    assert_eq!(code, 78, "{out}{err}");
    let v = json(&out);
    let probe = &v["online"][0];
    assert_eq!(probe["ok"], false, "{v}");
    assert!(
        probe["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("pg_read_all_data"),
        "{v}"
    );

    // An unreachable target: 69.
    let pb3 = c.write(
        "gone.yaml",
        "version: 1\nname: gone\ntargets:\n  g:\n    url: postgres://nobody@127.0.0.1:1/none\nsteps:\n  - id: i\n    action: inspect\n    with: {target: g}\n",
    );
    let (code, _, err) = run(c.cmd().args(["validate", "--online"]).arg(&pb3));
    assert_eq!(code, 69, "{err}");
    assert!(err.contains("1 of 1"), "{err}");
}
