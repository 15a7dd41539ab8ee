//! `schedule install` renderings (checked against systemd-analyze where it is installed) and the
//! `schedule run` loop with a clock that runs a day in a moment.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dbkeeper_config::yaml::Document;
use dbkeeper_core::ledger::Ledger;
use dbkeeper_playbook::schedule::{
    self, install, render, run_loop, Clock, Cron, InstallKind, InstallOptions, Job, Launch,
    Launcher, LoopEvent, Missed, Slot,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> Vec<Job> {
    schedule::load_dir(&root().join("schedules")).expect("example schedules")
}

fn job(name: &str, cron: &str, tz: chrono_tz::Tz, missed: Missed) -> Job {
    Job {
        name: name.into(),
        path: format!("/etc/dbkeeper/schedules/{name}.yaml").into(),
        playbook: format!("/etc/dbkeeper/playbooks/{name}.yaml").into(),
        cron: Cron::parse(cron).expect("valid"),
        tz,
        missed,
        max_lateness: Duration::from_secs(3600),
        description: None,
        enabled: true,
    }
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

#[test]
fn systemd_timer_and_service() {
    let opts = InstallOptions {
        exe: "/usr/local/bin/dbkeeper".into(),
        state_dir: Some("/var/lib/dbkeeper".into()),
        ..InstallOptions::default()
    };
    let files = render(&examples(), InstallKind::Systemd, &opts).expect("render");
    let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        names,
        [
            "dbkeeper-daily-inspection.service",
            "dbkeeper-daily-inspection.timer",
            "dbkeeper-monthly-restore-drill.service",
            "dbkeeper-monthly-restore-drill.timer",
            "dbkeeper-nightly-backup.service",
            "dbkeeper-nightly-backup.timer",
        ]
    );
    let get = |n: &str| {
        files
            .iter()
            .find(|f| f.file == n)
            .map(|f| f.contents.clone())
            .unwrap_or_default()
    };
    let service = get("dbkeeper-nightly-backup.service");
    let pb = std::fs::canonicalize(root().join("playbooks/nightly-backup.yaml")).expect("abs");
    let sched = std::fs::canonicalize(root().join("schedules/nightly-backup.yaml")).expect("abs");
    assert!(
        service.contains(&format!(
            "ExecStart=/usr/local/bin/dbkeeper --state-dir /var/lib/dbkeeper run {} --schedule {} --scheduled-for now\n",
            pb.display(),
            sched.display()
        )),
        "{service}"
    );
    assert!(service.contains("Type=oneshot"));
    let timer = get("dbkeeper-nightly-backup.timer");
    assert!(
        timer.contains("OnCalendar=*-*-* 01:30:00 Asia/Shanghai\n"),
        "{timer}"
    );
    assert!(
        timer.contains("Persistent=true\n"),
        "run_once catches up: {timer}"
    );
    assert!(timer.contains("Unit=dbkeeper-nightly-backup.service\n"));
    assert!(get("dbkeeper-daily-inspection.timer").contains("Persistent=false\n"));
    assert!(get("dbkeeper-monthly-restore-drill.timer")
        .contains("OnCalendar=*-*-1 03:00:00 Asia/Shanghai\n"));
}

#[test]
fn systemd_says_vixies_day_rule_with_two_calendars() {
    let or = job("drill", "0 4 1-7 * sun", chrono_tz::UTC, Missed::Skip);
    assert_eq!(
        install::on_calendar(&or),
        ["*-*-1,2,3,4,5,6,7 04:00:00 UTC", "Sun *-*-* 04:00:00 UTC"]
    );
    let and = job("odd-mondays", "0 4 */2 * 1", chrono_tz::UTC, Missed::Skip);
    assert_eq!(
        install::on_calendar(&and),
        ["Mon *-*-1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 04:00:00 UTC"]
    );
}

/// The next `n` elapses systemd computes for the calendars, from `base`, in UTC.
fn systemd_elapses(calendars: &[String], base: &str, n: usize) -> Option<Vec<String>> {
    let mut all = Vec::new();
    for c in calendars {
        let out = std::process::Command::new("systemd-analyze")
            .args([
                "calendar",
                &format!("--iterations={n}"),
                &format!("--base-time={base}"),
                c,
            ])
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let l = line.trim();
            if let Some(rest) = l.strip_prefix("Next elapse:").or_else(|| {
                l.split_once(": ")
                    .filter(|(k, _)| k.starts_with("Iter."))
                    .map(|(_, v)| v)
            }) {
                // "Sun 2026-03-29 01:00:00 UTC"
                let parts: Vec<&str> = rest.split_whitespace().collect();
                if parts.len() >= 3 && parts[3..].first() == Some(&"UTC") {
                    all.push(format!("{}T{}Z", parts[1], parts[2]));
                }
            }
        }
    }
    all.sort();
    all.dedup();
    all.truncate(n);
    Some(all)
}

#[test]
fn systemd_agrees_with_our_fire_times() {
    if std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("systemd-analyze is not installed: skipped");
        return;
    }
    // Away from DST transitions, where systemd and dbkeeper agree (see below for the gap).
    let base = "2026-02-01 00:00 UTC";
    for (cron, tz) in [
        ("30 1 * * *", chrono_tz::Asia::Shanghai),
        ("0 4 1-7 * sun", chrono_tz::UTC),
        ("0 4 */2 * 1", chrono_tz::UTC),
        ("*/20 9-17/4 * * mon-fri", chrono_tz::Asia::Shanghai),
        ("15 7 * jan,feb,mar 0,7", chrono_tz::Europe::Berlin),
        ("@monthly", chrono_tz::Asia::Shanghai),
    ] {
        let j = job("x", cron, tz, Missed::Skip);
        let Some(theirs) = systemd_elapses(&install::on_calendar(&j), base, 8) else {
            eprintln!("systemd-analyze without --base-time: skipped");
            return;
        };
        let ours: Vec<String> = j
            .next(utc("2026-02-01T00:00:00Z"), 8)
            .iter()
            .map(|s| s.at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .collect();
        assert_eq!(ours, theirs, "{cron} in {tz}");
    }
}

#[test]
fn crontab_lines_with_flock() {
    let opts = InstallOptions {
        exe: "/usr/local/bin/dbkeeper".into(),
        state_dir: Some("/var/lib/dbkeeper".into()),
        host_tz: Some(chrono_tz::Asia::Shanghai),
        ..InstallOptions::default()
    };
    let mut jobs = examples();
    jobs.push(job(
        "berlin",
        "30 2 * * *",
        chrono_tz::Europe::Berlin,
        Missed::Skip,
    ));
    let mut off = job("off", "* * * * *", chrono_tz::UTC, Missed::Skip);
    off.enabled = false;
    jobs.push(off);
    let files = render(&jobs, InstallKind::Cron, &opts).expect("render");
    assert_eq!(files.len(), 1);
    let tab = &files[0].contents;
    let line = tab
        .lines()
        .find(|l| l.starts_with("30 1 * * * "))
        .expect("nightly line");
    assert!(
        line.starts_with("30 1 * * * /usr/bin/flock -n /var/lib/dbkeeper/locks/nightly-backup.cron.lock /usr/local/bin/dbkeeper --state-dir /var/lib/dbkeeper run /"),
        "{line}"
    );
    assert!(line.ends_with("--scheduled-for now"), "{line}");
    assert!(!line.contains('%'), "cron would take % for a newline");
    // Another zone than the host's: CRON_TZ just before its line.
    let lines: Vec<&str> = tab.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("30 2 * * *"))
        .expect("berlin line");
    assert_eq!(lines[i - 1], "CRON_TZ=Europe/Berlin");
    assert!(
        !tab.contains("CRON_TZ=Asia/Shanghai"),
        "the host's own zone needs none"
    );
    assert!(!tab.contains(" off"), "disabled jobs are not installed");
}

#[test]
fn kubernetes_cronjobs_forbid_concurrency() {
    let files = render(
        &examples(),
        InstallKind::Kubernetes,
        &InstallOptions::default(),
    )
    .expect("render");
    assert_eq!(files.len(), 3);
    let nightly = files
        .iter()
        .find(|f| f.file == "dbkeeper-nightly-backup.yaml")
        .expect("nightly");
    let doc = Document::parse("cronjob.yaml", &nightly.contents).expect("valid YAML");
    let text = &nightly.contents;
    assert!(text.contains("kind: CronJob"));
    assert!(text.contains("concurrencyPolicy: Forbid"));
    assert!(text.contains("schedule: \"30 1 * * *\""));
    assert!(text.contains("timeZone: \"Asia/Shanghai\""));
    assert!(
        text.contains("startingDeadlineSeconds: 21600"),
        "max_lateness 6h"
    );
    assert!(text.contains(r#"args: ["--state-dir", "/var/lib/dbkeeper", "run", "/etc/dbkeeper/playbooks/nightly-backup.yaml", "--schedule", "/etc/dbkeeper/schedules/nightly-backup.yaml", "--scheduled-for", "now"]"#), "{text}");
    drop(doc);
    // Sunday as 7 becomes 0 for Kubernetes; Vixie's `*/2 … mon` cannot be said there.
    let sunday = job("s", "0 4 * * 7", chrono_tz::UTC, Missed::Skip);
    assert_eq!(install::kubernetes_cron(&sunday).expect("ok"), "0 4 * * 0");
    let or = job("o", "0 4 1-3 * 5", chrono_tz::UTC, Missed::Skip);
    assert_eq!(install::kubernetes_cron(&or).expect("ok"), "0 4 1,2,3 * 5");
    let and = job("a", "0 4 */2 * 1", chrono_tz::UTC, Missed::Skip);
    let e = install::kubernetes_cron(&and).expect_err("refused");
    assert_eq!(e.main.what.id(), "schedule.k8s_cron");
}

// --- the loop ---

/// A clock that jumps to whatever it is asked to sleep until, plus an optional extra jump (a
/// suspended host) on one of the sleeps.
struct FakeClock {
    now: Mutex<DateTime<Utc>>,
    sleeps: Mutex<u32>,
    suspend: Option<(u32, chrono::Duration)>,
}

#[async_trait]
impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().expect("lock")
    }

    async fn sleep_until(&self, t: DateTime<Utc>) {
        let n = {
            let mut s = self.sleeps.lock().expect("lock");
            *s += 1;
            *s
        };
        let extra = match self.suspend {
            Some((at, d)) if at == n => d,
            _ => chrono::Duration::zero(),
        };
        {
            let mut now = self.now.lock().expect("lock");
            if t > *now {
                *now = t + extra;
            }
        }
        tokio::task::yield_now().await;
    }
}

#[derive(Default, Clone)]
struct Recorder(Launches);

/// Each launch: the job and the slot.
type Launches = Arc<Mutex<Vec<(String, DateTime<Utc>)>>>;

impl Launcher for Recorder {
    fn launch(&self, job: &Job, slot: &Slot) -> Launch {
        self.0
            .lock()
            .expect("lock")
            .push((job.name.clone(), slot.at));
        Box::pin(async { Ok(0) })
    }
}

async fn run_until(
    jobs: &[Job],
    ledger: &Ledger,
    clock: &FakeClock,
    launches: usize,
) -> (Vec<(String, DateTime<Utc>)>, Vec<LoopEvent>) {
    let rec = Recorder::default();
    let seen = rec.0.clone();
    let mut events = Vec::new();
    let shutdown = async {
        while seen.lock().expect("lock").len() < launches {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(
        Duration::from_secs(20),
        run_loop(jobs, ledger, &rec, clock, shutdown, &mut |e| events.push(e)),
    )
    .await
    .expect("the loop reached its launches")
    .expect("loop");
    let got = rec.0.lock().expect("lock").clone();
    (got, events)
}

#[tokio::test]
async fn the_loop_fires_each_slot_and_catches_up_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    // The hourly job last ran at 22:00 (recorded by a run), and the host comes up at 00:05 after
    // missing 23:00 and 00:00: it runs 00:00 once. The skip job catches nothing up.
    ledger
        .claim_schedule_slot("hourly", "2026-03-01T22:00:00Z")
        .expect("claim");
    let jobs = vec![
        job("hourly", "0 * * * *", chrono_tz::UTC, Missed::RunOnce),
        job("tenth", "*/10 * * * *", chrono_tz::UTC, Missed::Skip),
    ];
    let clock = FakeClock {
        now: Mutex::new(utc("2026-03-02T00:05:00Z")),
        sleeps: Mutex::new(0),
        suspend: None,
    };
    let (got, events) = run_until(&jobs, &ledger, &clock, 9).await;
    let shown: Vec<String> = got
        .iter()
        .map(|(j, t)| format!("{j} {}", t.format("%H:%M")))
        .collect();
    assert_eq!(
        shown,
        [
            "hourly 00:00", // caught up
            "tenth 00:10",
            "tenth 00:20",
            "tenth 00:30",
            "tenth 00:40",
            "tenth 00:50",
            "hourly 01:00",
            "tenth 01:00",
            "tenth 01:10",
        ]
    );
    assert!(
        matches!(&events[0], LoopEvent::Launched { job, catch_up: true, .. } if job == "hourly")
    );
}

#[tokio::test]
async fn a_suspended_host_misses_slots_and_runs_the_latest_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    ledger
        .claim_schedule_slot("hourly", "2026-03-02T00:00:00Z")
        .expect("claim");
    let jobs = vec![job("hourly", "0 * * * *", chrono_tz::UTC, Missed::RunOnce)];
    // The second sleep (until 02:00) wakes 3h20m late, at 05:20.
    let clock = FakeClock {
        now: Mutex::new(utc("2026-03-02T00:30:00Z")),
        sleeps: Mutex::new(0),
        suspend: Some((2, chrono::Duration::minutes(200))),
    };
    let (got, events) = run_until(&jobs, &ledger, &clock, 3).await;
    let shown: Vec<String> = got
        .iter()
        .map(|(_, t)| t.format("%H:%M").to_string())
        .collect();
    assert_eq!(shown, ["01:00", "05:00", "06:00"]);
    assert!(events.iter().any(
        |e| matches!(e, LoopEvent::Missed { slot, .. } if slot.at == utc("2026-03-02T02:00:00Z"))
    ));
}

#[test]
fn list_and_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    ledger
        .claim_schedule_slot("nightly-backup", "2026-02-28T17:30:00Z")
        .expect("claim");
    let all = schedule::status(&examples(), Some(&ledger), utc("2026-03-01T00:00:00Z"), 2)
        .expect("status");
    let nightly = all
        .iter()
        .find(|s| s.job == "nightly-backup")
        .expect("nightly");
    assert_eq!(
        nightly.next,
        ["2026-03-02T01:30:00+08:00", "2026-03-03T01:30:00+08:00"]
    );
    assert_eq!(
        nightly.next_utc,
        ["2026-03-01T17:30:00Z", "2026-03-02T17:30:00Z"]
    );
    assert_eq!(nightly.last_slot.as_deref(), Some("2026-02-28T17:30:00Z"));
    let json = serde_json::to_value(&all).expect("json");
    assert_eq!(json[0]["missed"], "skip");
}

#[test]
#[ignore = "prints the renderings for a person to read"]
fn show_renderings() {
    for kind in [
        InstallKind::Systemd,
        InstallKind::Cron,
        InstallKind::Kubernetes,
    ] {
        for f in render(&examples(), kind, &InstallOptions::default()).expect("render") {
            if f.file.contains("nightly") || f.file.ends_with(".crontab") {
                println!("==> {}\n{}", f.file, f.contents);
            }
        }
    }
}
