//! Schedule files (`schedules/NAME.yaml`): which playbook runs when. The job's name is the file's
//! name without `.yaml`.
//!
//! ```yaml
//! version: 1
//! playbook: ../playbooks/nightly-backup.yaml   # relative to this file
//! cron: "30 1 * * *"                           # 5 fields, Vixie cron's meaning
//! timezone: Asia/Shanghai                      # default Asia/Shanghai
//! missed: run_once                             # skip | run_once (default run_once)
//! max_lateness: 6h                             # default 1h
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;
use dbkeeper_config::yaml::{did_you_mean, Document, Item};
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use super::cron::Cron;
use super::slots::{self, Slot};
use crate::msg;
use crate::spec;

/// What to do with slots that passed while nothing was running (the host was down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missed {
    /// Forget them; the next slot runs as usual (cron's behaviour).
    Skip,
    /// Run the latest missed slot once, if it is at most `max_lateness` old.
    RunOnce,
}

/// The default zone: the platform serves one province in China.
pub const DEFAULT_TZ: Tz = chrono_tz::Asia::Shanghai;
/// A run that starts more than this after its slot is not run (unless the file says otherwise).
pub const DEFAULT_MAX_LATENESS: Duration = Duration::from_secs(3600);

/// A validated schedule.
#[derive(Clone, Debug)]
pub struct Job {
    pub name: String,
    /// The schedule file.
    pub path: PathBuf,
    /// The playbook file, relative paths taken from the schedule's folder.
    pub playbook: PathBuf,
    pub cron: Cron,
    pub tz: Tz,
    pub missed: Missed,
    pub max_lateness: Duration,
    pub description: Option<String>,
    pub enabled: bool,
}

/// Whether a run launched at some time should go ahead, and for which slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotDecision {
    Run(Slot),
    /// The latest slot is older than `max_lateness`: not run.
    TooLate {
        slot: Slot,
        late: Duration,
    },
    /// The schedule has never fired before that time.
    NoSlot,
}

impl Job {
    /// The next `n` slots strictly after `after`.
    pub fn next(&self, after: DateTime<Utc>, n: usize) -> Vec<Slot> {
        slots::next_n(&self.cron, self.tz, after, n)
    }

    /// The latest slot at or before `t`.
    pub fn latest(&self, t: DateTime<Utc>) -> Option<Slot> {
        slots::latest_at_or_before(&self.cron, self.tz, t)
    }

    /// For a run launched at `at` (by cron, a systemd timer — possibly catching up after a
    /// reboot —, a CronJob or `schedule run`): the slot it stands for, which is the latest one at
    /// or before `at`, unless that is more than `max_lateness` ago.
    pub fn decide(&self, at: DateTime<Utc>) -> SlotDecision {
        let Some(slot) = self.latest(at) else {
            return SlotDecision::NoSlot;
        };
        let late = (at - slot.at).to_std().unwrap_or_default();
        if late > self.max_lateness {
            SlotDecision::TooLate { slot, late }
        } else {
            SlotDecision::Run(slot)
        }
    }

    /// After downtime: the slot to run now, if the policy says to catch up and one is due.
    /// `last` is the newest slot already run (from the ledger).
    pub fn catch_up(&self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Slot> {
        if self.missed == Missed::Skip || !self.enabled {
            return None;
        }
        match self.decide(now) {
            SlotDecision::Run(slot) if last.is_none_or(|l| slot.at > l) => Some(slot),
            _ => None,
        }
    }
}

/// Parses a schedule from text; `name` is the job's name, `base_dir` the schedule's folder.
pub fn parse_str(
    display_path: &str,
    text: &str,
    name: &str,
    base_dir: Option<&Path>,
) -> Result<Job> {
    let doc = Document::parse(display_path, text)?;
    let job = read(&doc, text, name, base_dir);
    doc.finish()?;
    let mut job = job.ok_or_else(|| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("schedule reader gave up without a reason"),
        )
    })?;
    job.path = PathBuf::from(display_path);
    Ok(job)
}

/// Reads a schedule file; the job is named after the file.
pub fn load(path: &Path) -> Result<Job> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::SCHEDULE_READ).arg("path", &shown),
        )
        .at(shown.clone())
        .hint(Text::new(msg::READ_HINT))
        .detail(e)
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut job = parse_str(&shown, &text, &name, path.parent())?;
    job.path = path.to_path_buf();
    Ok(job)
}

/// Every `*.yaml` and `*.yml` of a folder, by name; the problems of all files at once.
pub fn load_dir(dir: &Path) -> Result<Vec<Job>> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::SCHEDULE_DIR).arg("path", &shown),
        )
        .at(shown.clone())
        .hint(Text::new(msg::SCHEDULE_DIR_HINT))
        .detail(e)
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut jobs = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match load(&p) {
            Ok(j) => jobs.push(j),
            Err(e) => problems.extend(e.diagnostics().cloned()),
        }
    }
    match Error::many(ErrorKind::Config, problems) {
        Some(e) => Err(e),
        None => Ok(jobs),
    }
}

fn read(doc: &Document, text: &str, name: &str, base_dir: Option<&Path>) -> Option<Job> {
    let keys = spec::keys(spec::SCHEDULE);
    let top = doc.root().mapping(&keys);
    if let Some(v) = top.need("version") {
        if let Some(n) = v.get::<u64>() {
            if n != 1 {
                v.error(
                    Text::new(msg::VERSION).arg("version", n),
                    Text::new(msg::VERSION_HINT),
                );
                return None;
            }
        }
    }
    if !crate::read::is_name(name) {
        doc.reader().report(
            Some(dbkeeper_config::yaml::Pos::START),
            Text::new(msg::JOB_NAME).arg("name", name),
            Text::new(msg::NAME_HINT),
        );
    }
    let playbook = top.need("playbook").and_then(|i| {
        let rel: PathBuf = i.get()?;
        let path = match base_dir {
            Some(d) if rel.is_relative() => d.join(&rel),
            _ => rel,
        };
        // Only where a folder is known: a schedule parsed from text alone has nothing to look in.
        if base_dir.is_some() && !path.is_file() {
            i.error(
                Text::new(msg::SCHEDULE_PLAYBOOK_MISSING).arg("path", path.display()),
                Text::new(msg::SCHEDULE_PLAYBOOK_MISSING_HINT),
            );
            return None;
        }
        Some(path)
    });
    let cron = top.need("cron").and_then(|i| {
        let s: String = i.get()?;
        match Cron::parse(&s) {
            Ok(c) => Some(c),
            Err(e) => {
                inline(doc, text, &i, e);
                None
            }
        }
    });
    let tz = match top.get("timezone") {
        Some(i) => timezone(&i),
        None => Some(DEFAULT_TZ),
    };
    let missed = match top.get("missed") {
        Some(i) => i.one_of(&[("skip", Missed::Skip), ("run_once", Missed::RunOnce)]),
        None => Some(Missed::RunOnce),
    };
    let max_lateness = match top.get("max_lateness") {
        Some(i) => {
            let d: Option<Duration> = i.get();
            if d.is_some_and(|d| d.is_zero()) {
                i.error(
                    Text::new(msg::DURATION_ZERO).arg("key", i.path()),
                    Text::new(msg::DURATION_ZERO_HINT),
                );
                None
            } else {
                d
            }
        }
        None => Some(DEFAULT_MAX_LATENESS),
    };
    let description: Option<String> = top.optional("description");
    let enabled: bool = top.optional("enabled").unwrap_or(true);
    Some(Job {
        name: name.to_string(),
        path: PathBuf::new(),
        playbook: playbook?,
        cron: cron?,
        tz: tz?,
        missed: missed?,
        max_lateness: max_lateness?,
        description,
        enabled,
    })
}

/// A cron problem at its own column within the expression.
fn inline(doc: &Document, text: &str, item: &Item<'_>, e: crate::expr::ExprError) {
    let base = item.pos();
    let line = text
        .lines()
        .nth(base.line.saturating_sub(1))
        .unwrap_or_default();
    let rest: String = line.chars().skip(base.col.saturating_sub(1)).collect();
    let value = item.scalar().unwrap_or_default();
    let skip = usize::from(rest.starts_with(['"', '\'']));
    let exact = rest
        .chars()
        .skip(skip)
        .collect::<String>()
        .starts_with(value);
    let pos = if exact && e.at <= value.chars().count() {
        dbkeeper_config::yaml::Pos {
            line: base.line,
            col: base.col + skip + e.at,
        }
    } else {
        base
    };
    doc.reader().report(Some(pos), e.what, e.hint);
}

/// An IANA zone name, with a did-you-mean over every zone chrono-tz knows.
fn timezone(item: &Item<'_>) -> Option<Tz> {
    let s: String = item.get()?;
    if let Ok(tz) = s.parse::<Tz>() {
        return Some(tz);
    }
    let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
    let hint = match did_you_mean(&s, names) {
        Some(sug) => Text::new(msg::TZ_SUGGEST_HINT).arg("suggestion", sug),
        None => Text::new(msg::TZ_HINT),
    };
    item.error(Text::new(msg::TZ_UNKNOWN).arg("got", &s), hint);
    None
}

/// `now`, or a time in RFC 3339 (`2026-03-01T01:30:00+08:00`), as given to `--scheduled-for`.
pub fn parse_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Error::new(ErrorKind::Usage, Text::new(msg::TIME_FORMAT).arg("got", s))
                .hint(Text::new(msg::TIME_FORMAT_HINT))
                .detail(e)
        })
}

/// What `schedule list` and `schedule next` show of a job.
#[derive(Clone, Debug, serde::Serialize)]
pub struct JobStatus {
    pub job: String,
    pub playbook: String,
    pub schedule_file: String,
    pub cron: String,
    pub timezone: String,
    pub missed: Missed,
    pub max_lateness_secs: u64,
    pub enabled: bool,
    /// The next slots: RFC 3339 in the job's zone.
    pub next: Vec<String>,
    /// The next slots in UTC.
    pub next_utc: Vec<String>,
    /// Which of the next slots fall in a DST gap and run at its end instead.
    pub next_shifted: Vec<bool>,
    /// The newest slot run, from the ledger (RFC 3339 UTC).
    pub last_slot: Option<String>,
}

/// The status of each job with its next `n` slots after `now`; `ledger` adds the last slot run.
pub fn status(
    jobs: &[Job],
    ledger: Option<&dbkeeper_core::ledger::Ledger>,
    now: DateTime<Utc>,
    n: usize,
) -> Result<Vec<JobStatus>> {
    jobs.iter()
        .map(|j| {
            let next = if j.enabled {
                j.next(now, n)
            } else {
                Vec::new()
            };
            Ok(JobStatus {
                job: j.name.clone(),
                playbook: j.playbook.display().to_string(),
                schedule_file: j.path.display().to_string(),
                cron: j.cron.source().to_string(),
                timezone: j.tz.name().to_string(),
                missed: j.missed,
                max_lateness_secs: j.max_lateness.as_secs(),
                enabled: j.enabled,
                next: next
                    .iter()
                    .map(|s| {
                        s.at.with_timezone(&j.tz)
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                    })
                    .collect(),
                next_utc: next
                    .iter()
                    .map(|s| s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .collect(),
                next_shifted: next.iter().map(|s| s.shifted).collect(),
                last_slot: match ledger {
                    Some(l) => l.last_schedule_slot(&j.name)?,
                    None => None,
                },
            })
        })
        .collect()
}

/// What `dbkeeper run PLAYBOOK [--schedule FILE] --scheduled-for TIME` should do.
#[derive(Clone, Debug, PartialEq)]
pub enum ForRun {
    /// Run for this slot (set [`crate::RunOptions::scheduled_for`], `job` and `tz` from it).
    Slot {
        at: DateTime<Utc>,
        job: Option<String>,
        tz: Tz,
    },
    /// Do nothing and exit 0, saying why (in both languages).
    Skip(Text),
}

/// Resolves `--scheduled-for` (`now` or RFC 3339): with a schedule, the time is snapped to the
/// job's latest slot and refused when later than `max_lateness`; without one, the time itself is
/// the slot (to the second).
pub fn for_run(arg: &str, job: Option<&Job>, now: DateTime<Utc>) -> Result<ForRun> {
    let at = parse_time(arg, now)?;
    let Some(job) = job else {
        return Ok(ForRun::Slot {
            at: at.with_nanosecond(0).unwrap_or(at),
            job: None,
            tz: DEFAULT_TZ,
        });
    };
    Ok(match job.decide(at) {
        SlotDecision::Run(slot) => ForRun::Slot {
            at: slot.at,
            job: Some(job.name.clone()),
            tz: job.tz,
        },
        SlotDecision::TooLate { slot, late } => ForRun::Skip(
            Text::new(msg::SLOT_TOO_LATE)
                .arg("job", &job.name)
                .arg(
                    "slot",
                    slot.at
                        .with_timezone(&job.tz)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                )
                .arg(
                    "late",
                    crate::run::human_ms(u64::try_from(late.as_millis()).unwrap_or(u64::MAX)),
                )
                .arg(
                    "max",
                    crate::run::human_ms(
                        u64::try_from(job.max_lateness.as_millis()).unwrap_or(u64::MAX),
                    ),
                ),
        ),
        SlotDecision::NoSlot => ForRun::Skip(Text::new(msg::SLOT_NONE).arg("job", &job.name)),
    })
}
