//! The runner with a scripted `Actions`: order, outputs between steps, `when`, retries with
//! backoff, timeouts, failure handlers, dry runs, the ledger, slots and the run's lock.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use dbkeeper_core::engine::Engine;
use dbkeeper_core::ledger::Ledger;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};
use dbkeeper_playbook::notify::Notifier;
use dbkeeper_playbook::{
    parse_str, Action, Actions, Connector, Deps, Outcome, Outputs, Playbook, RunOptions,
    StepContext, StepStatus,
};
use serde_json::json;
use tokio::time::Instant;

/// What a scripted step does on each call.
#[derive(Clone)]
enum Do {
    Give(serde_json::Value),
    /// Fail this many times (with this kind), then give the outputs.
    FailFirst(u32, ErrorKind, serde_json::Value),
    Sleep(Duration),
}

/// (step id, attempt, when, what the action's templates rendered to).
type Call = (String, u32, Instant, Vec<String>);

#[derive(Default)]
struct Script {
    plan: HashMap<String, Do>,
    /// (step id, attempt, when, what the action's templates rendered to).
    calls: RefCell<Vec<Call>>,
}

impl Script {
    fn on(mut self, step: &str, what: Do) -> Script {
        self.plan.insert(step.to_string(), what);
        self
    }

    fn calls(&self) -> Vec<(String, u32)> {
        self.calls
            .borrow()
            .iter()
            .map(|(s, a, _, _)| (s.clone(), *a))
            .collect()
    }
}

fn outputs(v: serde_json::Value) -> Outputs {
    v.as_object().cloned().unwrap_or_default()
}

#[async_trait(?Send)]
impl Actions for Script {
    async fn run(&self, step: &StepContext<'_>, action: &Action) -> Result<Outputs> {
        let rendered: Vec<String> = action
            .templates()
            .iter()
            .map(|t| step.render(t))
            .collect::<Result<_>>()?;
        self.calls.borrow_mut().push((
            step.step_id.to_string(),
            step.attempt,
            Instant::now(),
            rendered,
        ));
        match self.plan.get(step.step_id).cloned() {
            Some(Do::Give(v)) => Ok(outputs(v)),
            Some(Do::FailFirst(n, kind, v)) => {
                if step.attempt <= n {
                    Err(Error::new(
                        kind,
                        Text::verbatim(format!("attempt {} failed", step.attempt)),
                    ))
                } else {
                    Ok(outputs(v))
                }
            }
            Some(Do::Sleep(d)) => {
                tokio::time::sleep(d).await;
                Ok(Outputs::new())
            }
            None => Ok(Outputs::new()),
        }
    }
}

struct NoEngines;

#[async_trait(?Send)]
impl Connector for NoEngines {
    async fn connect(&self, t: &Target) -> Result<Box<dyn Engine>> {
        Err(Error::new(
            ErrorKind::Unavailable,
            Text::verbatim(format!("no engine for {t}")),
        ))
    }
}

const HEAD: &str = "\
version: 1
name: t
targets:
  pg: {url: postgres://u@h/db}
repos:
  local: {url: file:///tmp/r}
";

fn playbook(steps: &str) -> Playbook {
    match parse_str("t.yaml", &format!("{HEAD}{steps}"), None, None) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render(Lang::En)),
    }
}

struct Env {
    _dir: tempfile::TempDir,
    ledger: Ledger,
    notifier: Notifier,
    lock_dir: std::path::PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("ledger.sqlite")).expect("ledger");
    let lock_dir = dir.path().join("locks");
    Env {
        _dir: dir,
        ledger,
        notifier: Notifier::new().expect("notifier"),
        lock_dir,
    }
}

async fn go(
    pb: &Playbook,
    script: &Script,
    env: &Env,
    opts: RunOptions,
) -> Result<dbkeeper_playbook::RunReport> {
    let deps = Deps {
        actions: script,
        connector: &NoEngines,
        notifier: &env.notifier,
        ledger: Some(&env.ledger),
        config: None,
    };
    dbkeeper_playbook::run(
        pb,
        &deps,
        &RunOptions {
            lock_dir: Some(env.lock_dir.clone()),
            ..opts
        },
    )
    .await
}

#[tokio::test]
async fn dependency_order_and_outputs_between_steps() {
    let pb = playbook(
        "steps:
  - id: drill
    action: verify
    needs: [backup, inspect]
    with: {backup: \"${steps.backup.outputs.backup_id}\", repo: local, report: \"/r/${steps.backup.outputs.backup_id}.md\"}
  - id: backup
    action: backup
    needs: [inspect]
    with: {target: pg, repos: [local]}
  - id: inspect
    action: inspect
    with: {target: pg}
",
    );
    let script = Script::default().on(
        "backup",
        Do::Give(json!({"backup_id": "20260301T013000Z-3f9c", "size_bytes": 1024})),
    );
    let env = env();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    assert_eq!(r.outcome, Outcome::Ok);
    assert_eq!(r.exit_code(), 0);
    assert_eq!(
        script.calls(),
        [
            ("inspect".into(), 1),
            ("backup".into(), 1),
            ("drill".into(), 1)
        ]
    );
    let drill = &script.calls.borrow()[2].3;
    assert_eq!(
        drill,
        &["20260301T013000Z-3f9c", "/r/20260301T013000Z-3f9c.md"]
    );
    assert!(r.problems(Lang::En).is_empty(), "quiet on success");
    // The ledger has the run and every step, outputs included.
    let runs = env.ledger.playbook_runs(Some("t"), 10).expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, "ok");
    let steps = env.ledger.playbook_steps(runs[0].id).expect("steps");
    let names: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| (s.step.as_str(), s.status.as_str()))
        .collect();
    assert_eq!(
        names,
        [("inspect", "ok"), ("backup", "ok"), ("drill", "ok")]
    );
    assert!(steps[1]
        .outputs
        .as_deref()
        .unwrap_or_default()
        .contains("3f9c"));
}

#[tokio::test]
async fn when_conditions_and_status_functions() {
    let pb = playbook(
        "vars: {env: prod, keep: 7}
steps:
  - id: inspect
    action: inspect
    with: {target: pg}
  - id: only-in-test
    action: prune
    needs: [inspect]
    when: vars.env == 'test'
    with: {repo: local}
  - id: on-warning
    action: prune
    needs: [inspect]
    when: \"steps.inspect.outputs.status in ['warning', 'critical'] && vars.keep > 3\"
    with: {repo: local}
  - id: reads-skipped
    action: prune
    needs: [only-in-test]
    when: steps.only-in-test.outputs.deleted > 0
    with: {repo: local}
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
  - id: after-failure
    action: prune
    with: {repo: local}
  - id: always
    action: prune
    when: always()
    with: {repo: local}
  - id: on-failure
    action: prune
    when: failure() && !steps.backup.ok
    needs: [backup]
    with: {repo: local}
",
    );
    let script = Script::default()
        .on(
            "inspect",
            Do::Give(json!({"status": "warning", "warnings": 2})),
        )
        .on("backup", Do::FailFirst(9, ErrorKind::Failed, json!({})));
    let env = env();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    let status: Vec<(&str, StepStatus)> =
        r.steps.iter().map(|s| (s.id.as_str(), s.status)).collect();
    assert_eq!(
        status,
        [
            ("inspect", StepStatus::Ok),
            ("only-in-test", StepStatus::Skipped),
            ("on-warning", StepStatus::Ok),
            ("reads-skipped", StepStatus::Skipped),
            ("backup", StepStatus::Failed),
            ("after-failure", StepStatus::Skipped),
            ("always", StepStatus::Ok),
            ("on-failure", StepStatus::Ok),
        ]
    );
    let why = |id: &str| {
        r.steps
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.skipped_because.clone())
            .unwrap_or_default()
    };
    assert!(
        why("only-in-test").contains("is false"),
        "{}",
        why("only-in-test")
    );
    assert!(
        why("reads-skipped").contains("has no value"),
        "{}",
        why("reads-skipped")
    );
    assert!(why("after-failure").contains("earlier step failed"));
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(r.exit_code(), 2);
    let problems = r.problems(Lang::En).join("\n");
    assert!(
        problems.contains("step `backup` (backup) failed after 1 attempt(s)"),
        "{problems}"
    );
    assert!(r.problems(Lang::ZhCn).join("\n").contains("步骤 `backup`"));
}

#[tokio::test(start_paused = true)]
async fn retries_back_off_exponentially() {
    let pb = playbook(
        "steps:
  - id: backup
    action: backup
    retries: 3
    backoff: 10s
    with: {target: pg, repos: [local]}
",
    );
    let script = Script::default().on(
        "backup",
        Do::FailFirst(3, ErrorKind::Unavailable, json!({"backup_id": "x"})),
    );
    let env = env();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    assert_eq!(r.outcome, Outcome::Ok);
    assert_eq!(r.steps[0].attempts, 4);
    let times: Vec<Instant> = script.calls.borrow().iter().map(|c| c.2).collect();
    let gaps: Vec<u64> = times.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
    assert_eq!(gaps, [10, 20, 40]);
}

#[tokio::test(start_paused = true)]
async fn retries_give_up_and_config_errors_are_not_retried() {
    let pb = playbook(
        "defaults: {retries: 2, backoff: 1s}
steps:
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
  - id: prune
    action: prune
    when: always()
    with: {repo: local}
",
    );
    let script = Script::default()
        .on(
            "backup",
            Do::FailFirst(9, ErrorKind::Unavailable, json!({})),
        )
        .on("prune", Do::FailFirst(9, ErrorKind::Config, json!({})));
    let env = env();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    assert_eq!(r.steps[0].attempts, 3, "1 + retries from defaults");
    assert_eq!(r.steps[1].attempts, 1, "a config error stays wrong");
    assert_eq!(r.outcome, Outcome::Failed);
}

#[tokio::test(start_paused = true)]
async fn timeouts_end_an_attempt() {
    let pb = playbook(
        "steps:
  - id: backup
    action: backup
    timeout: 5m
    retries: 1
    backoff: 1s
    with: {target: pg, repos: [local]}
",
    );
    let script = Script::default().on("backup", Do::Sleep(Duration::from_secs(3600)));
    let env = env();
    let started = Instant::now();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(r.steps[0].attempts, 2);
    let e = r.steps[0].error_full.as_ref().expect("error");
    assert_eq!(e.main.what.id(), "run.step_timeout");
    assert!(e.render(Lang::En).contains("did not finish within 5m 00s"));
    assert_eq!(
        started.elapsed().as_secs(),
        601,
        "two 5 minute attempts and a 1 s backoff"
    );
}

#[tokio::test]
async fn failure_handlers_run_and_continue_on_error_does_not_fail_the_run() {
    let pb = playbook(
        "steps:
  - id: prune
    action: prune
    continue_on_error: true
    with: {repo: local}
    on_failure:
      - {id: prune-alert, action: inspect, with: {target: pg}}
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
    on_failure:
      - {action: inspect, with: {target: pg, report: \"/r/${steps.backup.status}.md\"}}
  - id: never
    action: prune
    with: {repo: local}
on_failure:
  - {id: page, action: prune, with: {repo: local}}
",
    );
    let script = Script::default()
        .on("prune", Do::FailFirst(9, ErrorKind::Failed, json!({})))
        .on("backup", Do::FailFirst(9, ErrorKind::Failed, json!({})));
    let env = env();
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("run");
    let called: Vec<String> = script.calls().into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        called,
        [
            "prune",
            "prune-alert",
            "backup",
            "backup.on_failure[0]",
            "page"
        ],
        "the failed prune did not stop the backup; `never` did not run"
    );
    let handler_report = &script.calls.borrow()[3].3;
    assert_eq!(
        handler_report,
        &["/r/failed.md"],
        "a handler reads its step's status"
    );
    assert_eq!(r.handlers.len(), 3);
    assert_eq!(r.handlers[2].handler_of.as_deref(), Some(""));
    assert_eq!(r.outcome, Outcome::Failed);
    let rows = env
        .ledger
        .playbook_steps(r.playbook_run_id.expect("recorded"))
        .expect("steps");
    assert!(rows
        .iter()
        .any(|s| s.step == "page" && s.handler_of.as_deref() == Some("")));
}

#[tokio::test]
async fn dry_run_plans_and_touches_nothing() {
    let pb = playbook(
        "steps:
  - id: check
    action: sql
    needs: [backup]
    when: steps.backup.ok
    with: {target: pg, query: select count(*) from hospitals, expect: \"> 0\"}
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
",
    );
    let script = Script::default();
    let env = env();
    let r = go(
        &pb,
        &script,
        &env,
        RunOptions {
            dry_run: true,
            ..RunOptions::default()
        },
    )
    .await
    .expect("plan");
    assert_eq!(r.outcome, Outcome::Planned);
    assert!(script.calls().is_empty());
    assert!(env.ledger.playbook_runs(None, 10).expect("runs").is_empty());
    assert!(!env.lock_dir.exists(), "not even a lock file");
    let plan: Vec<(&str, &str)> = r
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.plan.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        plan,
        [
            ("backup", "back up pg (logical) to local"),
            (
                "check",
                "run `select count(*) from hospitals` on pg, expect > 0"
            ),
        ]
    );
    assert!(r
        .render(Lang::ZhCn)
        .contains("将 pg（logical）备份到 local"));
}

#[tokio::test]
async fn a_slot_runs_at_most_once() {
    let pb = playbook(
        "steps:
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
",
    );
    let env = env();
    let slot = chrono::DateTime::parse_from_rfc3339("2026-03-01T17:30:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let opts = RunOptions {
        scheduled_for: Some(slot),
        ..RunOptions::default()
    };
    let first = Script::default();
    let r1 = go(&pb, &first, &env, opts.clone()).await.expect("first");
    assert_eq!(r1.outcome, Outcome::Ok);
    let second = Script::default();
    let r2 = go(&pb, &second, &env, opts).await.expect("second");
    assert_eq!(r2.outcome, Outcome::AlreadyRan);
    assert_eq!(r2.already_ran_by, r1.playbook_run_id);
    assert_eq!(r2.exit_code(), 0);
    assert!(second.calls().is_empty());
    assert!(r2
        .render(Lang::En)
        .contains("already ran for the slot 2026-03-01T17:30:00Z"));
    assert_eq!(env.ledger.playbook_runs(None, 10).expect("runs").len(), 1);
}

#[tokio::test]
async fn overlapping_runs_are_refused() {
    let pb = playbook(
        "steps:
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
",
    );
    let env = env();
    // Another process holds the job's lock, as a still-running nightly backup would.
    std::fs::create_dir_all(&env.lock_dir).expect("locks");
    let lock = env.lock_dir.join("t.lock");
    // In its own process group, so that the sleep it starts (which inherits the lock) ends too.
    let mut holder = {
        use std::os::unix::process::CommandExt;
        std::process::Command::new("flock")
            .arg(&lock)
            .args(["sleep", "60"])
            .process_group(0)
            .spawn()
            .expect("flock(1)")
    };
    let mut waited = 0;
    while dbkeeper_playbook::run::lock::acquire(&env.lock_dir, "t").is_ok() {
        waited += 1;
        assert!(waited < 100, "flock never took the lock");
        std::thread::sleep(Duration::from_millis(50));
    }
    let script = Script::default();
    let e = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect_err("refused");
    assert_eq!(e.exit_code(), 75);
    assert_eq!(e.main.what.id(), "run.lock_held");
    assert!(script.calls().is_empty());
    // The lock dies with its process.
    let group = format!("-{}", holder.id());
    let killed = std::process::Command::new("kill")
        .args(["-KILL", "--", &group])
        .status()
        .expect("kill");
    assert!(killed.success());
    holder.wait().expect("wait");
    // The killed sleep is reaped by init a moment later; its lock goes with it.
    let mut tries = 0;
    while dbkeeper_playbook::run::lock::acquire(&env.lock_dir, "t").is_err() {
        tries += 1;
        assert!(tries < 200, "the lock outlived its process");
        std::thread::sleep(Duration::from_millis(25));
    }
    let r = go(&pb, &script, &env, RunOptions::default())
        .await
        .expect("free");
    assert_eq!(r.outcome, Outcome::Ok);
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_run_is_recorded_as_such() {
    let pb = playbook(
        "steps:
  - id: backup
    action: backup
    with: {target: pg, repos: [local]}
",
    );
    let script = Script::default().on("backup", Do::Sleep(Duration::from_secs(86_400)));
    let env = env();
    let cut = tokio::time::timeout(
        Duration::from_secs(60),
        go(&pb, &script, &env, RunOptions::default()),
    )
    .await;
    assert!(cut.is_err(), "the run was still going");
    let runs = env.ledger.playbook_runs(None, 1).expect("runs");
    assert_eq!(runs[0].status, "interrupted");
}

#[tokio::test]
async fn run_facts_follow_the_slot_in_the_run_zone() {
    let pb = playbook(
        "steps:
  - id: drill
    action: verify
    when: run.day_of_month == 2 && run.weekday == 1 && run.scheduled
    with: {latest: pg, repo: local, report: \"/d/${run.date}.md\"}
",
    );
    let script = Script::default();
    let env = env();
    // 17:30 UTC on 1 March 2026 is 01:30 on Monday 2 March in Shanghai.
    let slot = chrono::DateTime::parse_from_rfc3339("2026-03-01T17:30:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let r = go(
        &pb,
        &script,
        &env,
        RunOptions {
            scheduled_for: Some(slot),
            ..RunOptions::default()
        },
    )
    .await
    .expect("run");
    assert_eq!(r.steps[0].status, StepStatus::Ok);
    assert_eq!(script.calls.borrow()[0].3, ["/d/2026-03-02.md"]);
}
