//! `schedule install`: native launchers for each job — systemd timer and service units, crontab
//! lines wrapped in `flock -n`, or Kubernetes CronJobs with `concurrencyPolicy: Forbid` — each
//! calling `dbkeeper run PLAYBOOK --schedule FILE --scheduled-for now`.
//!
//! Whatever fires, the run itself snaps `now` to the schedule's latest slot, refuses it when it is
//! more than `max_lateness` late, takes the job's lock and claims the slot in the ledger, so a
//! catch-up after a reboot, a DST repeat or a double fire runs each slot at most once.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use super::job::{Job, Missed};
use crate::msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallKind {
    Systemd,
    Cron,
    Kubernetes,
}

impl InstallKind {
    pub fn parse(s: &str) -> Option<InstallKind> {
        match s {
            "systemd" => Some(InstallKind::Systemd),
            "cron" => Some(InstallKind::Cron),
            "kubernetes" | "k8s" => Some(InstallKind::Kubernetes),
            _ => None,
        }
    }
}

/// How the launchers call dbkeeper.
#[derive(Clone, Debug)]
pub struct InstallOptions {
    /// The dbkeeper binary (absolute).
    pub exe: PathBuf,
    /// Passed as `--config` when set.
    pub config: Option<PathBuf>,
    /// Passed as `--state-dir` when set; also where crontab's `flock` files go.
    pub state_dir: Option<PathBuf>,
    /// The host's time zone: crontab lines for jobs in another zone get `CRON_TZ=`.
    pub host_tz: Option<Tz>,
    /// Kubernetes: the container image with dbkeeper in it.
    pub image: String,
    /// Kubernetes: where the playbooks and schedules are mounted (a ConfigMap).
    pub k8s_files_dir: PathBuf,
}

impl Default for InstallOptions {
    fn default() -> InstallOptions {
        InstallOptions {
            exe: PathBuf::from("/usr/local/bin/dbkeeper"),
            config: None,
            state_dir: None,
            host_tz: None,
            image: "dbkeeper:latest".into(),
            k8s_files_dir: PathBuf::from("/etc/dbkeeper"),
        }
    }
}

/// A file to write: its name and contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub file: String,
    pub contents: String,
}

/// Renders the launchers of every enabled job.
pub fn render(jobs: &[Job], kind: InstallKind, opts: &InstallOptions) -> Result<Vec<Rendered>> {
    let jobs: Vec<&Job> = jobs.iter().filter(|j| j.enabled).collect();
    match kind {
        InstallKind::Systemd => Ok(jobs.iter().flat_map(|j| systemd(j, opts)).collect()),
        InstallKind::Cron => Ok(vec![crontab(&jobs, opts)]),
        InstallKind::Kubernetes => jobs.iter().map(|j| kubernetes(j, opts)).collect(),
    }
}

/// The path a launcher started from anywhere can use: resolved when it exists.
fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p)
        .or_else(|_| std::path::absolute(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// The command line a launcher runs.
fn argv(opts: &InstallOptions, playbook: &Path, schedule: &Path) -> Vec<String> {
    let mut a = vec![opts.exe.display().to_string()];
    if let Some(c) = &opts.config {
        a.push("--config".into());
        a.push(absolute(c).display().to_string());
    }
    if let Some(s) = &opts.state_dir {
        a.push("--state-dir".into());
        a.push(absolute(s).display().to_string());
    }
    a.extend([
        "run".to_string(),
        playbook.display().to_string(),
        "--schedule".into(),
        schedule.display().to_string(),
        "--scheduled-for".into(),
        "now".into(),
    ]);
    a
}

/// Quotes for `/bin/sh` (crontab) when needed.
fn sh_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=@+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Quotes for systemd's `ExecStart=` (C-style double quotes; `%` is a specifier there).
fn systemd_quote(s: &str) -> String {
    let escaped = s.replace('%', "%%");
    if escaped
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-:=@+,%".contains(c))
    {
        escaped
    } else {
        format!("\"{}\"", escaped.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn list(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// Two digits, as systemd prints times: `01:30:00`, `00,30`.
fn list2(v: &[u32]) -> String {
    v.iter()
        .map(|n| format!("{n:02}"))
        .collect::<Vec<_>>()
        .join(",")
}

const WEEKDAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `OnCalendar=` lines. Vixie's day rule: with both day fields restricted, a day matches if either
/// does — two lines, one per field; otherwise one line with both (systemd ANDs them).
pub fn on_calendar(job: &Job) -> Vec<String> {
    let c = &job.cron;
    let field = |all: bool, v: Vec<u32>| if all { "*".to_string() } else { list(&v) };
    let hours: Vec<u32> = c.hours().collect();
    let minutes: Vec<u32> = c.minutes().collect();
    let two = |all: bool, v: Vec<u32>| if all { "*".to_string() } else { list2(&v) };
    let time = format!(
        "{}:{}:00",
        two(hours.len() == 24, hours),
        two(minutes.len() == 60, minutes)
    );
    let months = field(c.all_months(), c.months());
    let days = field(c.all_days(), c.days());
    let weekdays = c
        .weekdays()
        .iter()
        .map(|w| WEEKDAY_NAMES[*w as usize])
        .collect::<Vec<_>>()
        .join(",");
    let tz = job.tz.name();
    if c.days_or() {
        vec![
            format!("*-{months}-{days} {time} {tz}"),
            format!("{weekdays} *-{months}-* {time} {tz}"),
        ]
    } else if c.all_weekdays() {
        vec![format!("*-{months}-{days} {time} {tz}")]
    } else {
        vec![format!("{weekdays} *-{months}-{days} {time} {tz}")]
    }
}

fn systemd(job: &Job, opts: &InstallOptions) -> Vec<Rendered> {
    let unit = format!("dbkeeper-{}", job.name);
    let exec = argv(opts, &absolute(&job.playbook), &absolute(&job.path))
        .iter()
        .map(|a| systemd_quote(a))
        .collect::<Vec<_>>()
        .join(" ");
    let service = format!(
        "# Written by `dbkeeper schedule install --kind systemd`.\n\
         [Unit]\n\
         Description=dbkeeper job {name}\n\
         Wants=network-online.target\n\
         After=network-online.target\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         # The run picks its slot from the schedule, takes the job's lock and records the slot in\n\
         # the ledger: a catch-up after a reboot or a repeated DST hour runs each slot once.\n\
         ExecStart={exec}\n\
         Nice=10\n\
         IOSchedulingClass=best-effort\n",
        name = job.name,
    );
    let calendars: String = on_calendar(job)
        .iter()
        .map(|c| format!("OnCalendar={c}\n"))
        .collect();
    let timer = format!(
        "# Written by `dbkeeper schedule install --kind systemd`.\n\
         [Unit]\n\
         Description=dbkeeper schedule {name}: {cron} ({tz})\n\
         \n\
         [Timer]\n\
         {calendars}\
         # Catch up once after downtime (missed: {missed}); the run itself refuses slots older\n\
         # than max_lateness.\n\
         Persistent={persistent}\n\
         AccuracySec=1s\n\
         # DST: systemd skips a slot that falls in a spring-forward gap, where dbkeeper's own rule\n\
         # (and `dbkeeper schedule run`) runs it once right after the gap; Asia/Shanghai has none.\n\
         Unit={unit}.service\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n",
        name = job.name,
        cron = job.cron,
        tz = job.tz.name(),
        missed = missed_name(job.missed),
        persistent = job.missed == Missed::RunOnce,
    );
    vec![
        Rendered {
            file: format!("{unit}.service"),
            contents: service,
        },
        Rendered {
            file: format!("{unit}.timer"),
            contents: timer,
        },
    ]
}

fn missed_name(m: Missed) -> &'static str {
    match m {
        Missed::Skip => "skip",
        Missed::RunOnce => "run_once",
    }
}

fn crontab(jobs: &[&Job], opts: &InstallOptions) -> Rendered {
    let locks = opts
        .state_dir
        .as_ref()
        .map(|d| absolute(d).join("locks"))
        .unwrap_or_else(|| dbkeeper_core::state::State::default_dir().join("locks"));
    let mut out = String::from(
        "# Written by `dbkeeper schedule install --kind cron`; install with `crontab FILE`.\n\
         # `flock -n` keeps a second start from waiting behind a long run; dbkeeper also takes\n\
         # its own lock and records each slot in its ledger, so a slot runs at most once.\n\
         # Cron does not catch up after downtime: `dbkeeper schedule run` or systemd timers do.\n",
    );
    for job in jobs {
        out.push('\n');
        out.push_str(&format!("# {}: {}\n", job.name, job.playbook.display()));
        let same_zone = opts.host_tz.is_some_and(|h| h == job.tz);
        if !same_zone {
            // cronie reads CRON_TZ per line group; Debian's Vixie cron ignores it, so there the
            // host's zone must be the job's (a comment says which).
            out.push_str(&format!(
                "# needs a cron that reads CRON_TZ (cronie), or a host in {}\nCRON_TZ={}\n",
                job.tz.name(),
                job.tz.name()
            ));
        }
        let lock = locks.join(format!("{}.cron.lock", job.name));
        let cmd = argv(opts, &absolute(&job.playbook), &absolute(&job.path))
            .iter()
            .map(|a| sh_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "{} /usr/bin/flock -n {} {}\n",
            job.cron,
            sh_quote(&lock.display().to_string()),
            cmd
        ));
    }
    Rendered {
        file: "dbkeeper.crontab".into(),
        contents: out,
    }
}

/// The expression in the dialect Kubernetes reads (robfig/cron): Sunday as 0 only, the same
/// day rule when the day fields are plain `*` — but `*/2` there counts as restricted, so a
/// Vixie `*/2 … mon` (days AND weekday) cannot be said and is refused.
pub fn kubernetes_cron(job: &Job) -> Result<String> {
    let c = &job.cron;
    let field = |all: bool, v: Vec<u32>| if all { "*".to_string() } else { list(&v) };
    let hours: Vec<u32> = c.hours().collect();
    let minutes: Vec<u32> = c.minutes().collect();
    let days_all = c.all_days();
    let weekdays_all = c.all_weekdays();
    if !c.days_or() && !days_all && !weekdays_all {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::K8S_CRON)
                .arg("job", &job.name)
                .arg("cron", &job.cron),
        )
        .at(job.path.display().to_string())
        .hint(Text::new(msg::K8S_CRON_HINT)));
    }
    Ok(format!(
        "{} {} {} {} {}",
        field(minutes.len() == 60, minutes),
        field(hours.len() == 24, hours),
        field(days_all, c.days()),
        field(c.all_months(), c.months()),
        field(weekdays_all, c.weekdays()),
    ))
}

/// A DNS-1123 name for the CronJob (at most 52 characters, as Kubernetes requires for CronJobs).
fn k8s_name(job: &str) -> String {
    let mut s: String = format!("dbkeeper-{job}")
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.truncate(52);
    s.trim_end_matches('-').to_string()
}

fn kubernetes(job: &Job, opts: &InstallOptions) -> Result<Rendered> {
    let cron = kubernetes_cron(job)?;
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let file_name = |p: &Path| p.file_name().map(PathBuf::from).unwrap_or_default();
    let dir = &opts.k8s_files_dir;
    let playbook = dir.join("playbooks").join(file_name(&job.playbook));
    let schedule = dir.join("schedules").join(file_name(&job.path));
    let k8s_opts = InstallOptions {
        exe: PathBuf::from("dbkeeper"),
        state_dir: Some(PathBuf::from("/var/lib/dbkeeper")),
        config: opts.config.as_ref().map(|_| dir.join("dbkeeper.yaml")),
        ..opts.clone()
    };
    let mut args = argv(&k8s_opts, &playbook, &schedule);
    args.remove(0);
    let args = args.iter().map(|a| q(a)).collect::<Vec<_>>().join(", ");
    let name = k8s_name(&job.name);
    let contents = format!(
        "# Written by `dbkeeper schedule install --kind kubernetes`.\n\
         # Mount the playbooks, schedules (and dbkeeper.yaml) from the ConfigMap `dbkeeper-files`\n\
         # and keep the ledger on the volume `dbkeeper-state`: the ledger is what makes a slot run\n\
         # at most once, so it must outlive the pod.\n\
         apiVersion: batch/v1\n\
         kind: CronJob\n\
         metadata:\n\
         \x20 name: {name}\n\
         \x20 labels:\n\
         \x20   app.kubernetes.io/name: dbkeeper\n\
         spec:\n\
         \x20 schedule: {cron}\n\
         \x20 timeZone: {tz}\n\
         \x20 concurrencyPolicy: Forbid\n\
         \x20 startingDeadlineSeconds: {deadline}\n\
         \x20 suspend: false\n\
         \x20 successfulJobsHistoryLimit: 3\n\
         \x20 failedJobsHistoryLimit: 10\n\
         \x20 jobTemplate:\n\
         \x20   spec:\n\
         \x20     backoffLimit: 0\n\
         \x20     template:\n\
         \x20       spec:\n\
         \x20         restartPolicy: Never\n\
         \x20         containers:\n\
         \x20           - name: dbkeeper\n\
         \x20             image: {image}\n\
         \x20             args: [{args}]\n\
         \x20             volumeMounts:\n\
         \x20               - {{name: files, mountPath: {files}, readOnly: true}}\n\
         \x20               - {{name: state, mountPath: /var/lib/dbkeeper}}\n\
         \x20         volumes:\n\
         \x20           - {{name: files, configMap: {{name: dbkeeper-files}}}}\n\
         \x20           - {{name: state, persistentVolumeClaim: {{claimName: dbkeeper-state}}}}\n",
        cron = q(&cron),
        tz = q(job.tz.name()),
        deadline = job.max_lateness.as_secs().max(10),
        image = q(&opts.image),
        files = q(&dir.display().to_string()),
    );
    Ok(Rendered {
        file: format!("{name}.yaml"),
        contents,
    })
}
