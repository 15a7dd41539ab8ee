//! `schedule run`: a foreground loop for hosts (and containers) without systemd or cron. It
//! sleeps until the next slot of any job, launches the run, and goes back to sleep; on start it
//! catches up the latest missed slot of `run_once` jobs. Runs are launched the same way the
//! other launchers do it — `dbkeeper run PLAYBOOK --schedule FILE --scheduled-for SLOT` — so the
//! run's own lock and the ledger's slot record apply just the same.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use dbkeeper_core::ledger::Ledger;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::task::JoinSet;

use super::job::{Job, Missed, SlotDecision};
use super::slots::{self, Slot};
use crate::msg;

/// Time, so that tests can run a week of schedule in a moment.
#[async_trait]
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    async fn sleep_until(&self, t: DateTime<Utc>);
}

/// The real clock.
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, t: DateTime<Utc>) {
        let wait = (t - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;
    }
}

/// A launch in progress: resolves to the run's exit code.
pub type Launch = Pin<Box<dyn Future<Output = Result<u8>> + Send + 'static>>;

/// Starts one run of a job for a slot.
pub trait Launcher {
    fn launch(&self, job: &Job, slot: &Slot) -> Launch;
}

/// Launches `EXE [GLOBAL ARGS] run PLAYBOOK --schedule FILE --scheduled-for SLOT` as a child
/// process. A child outlives a stopped loop and finishes its run (and records it) on its own.
pub struct ProcessLauncher {
    pub exe: PathBuf,
    /// `--config`, `--state-dir` … as the loop itself was given them.
    pub global_args: Vec<String>,
}

impl Launcher for ProcessLauncher {
    fn launch(&self, job: &Job, slot: &Slot) -> Launch {
        let mut cmd = tokio::process::Command::new(&self.exe);
        cmd.args(&self.global_args)
            .arg("run")
            .arg(&job.playbook)
            .arg("--schedule")
            .arg(&job.path)
            .arg("--scheduled-for")
            .arg(slot.at.to_rfc3339_opts(SecondsFormat::Secs, true))
            .stdin(std::process::Stdio::null());
        let exe = self.exe.display().to_string();
        Box::pin(async move {
            let status = cmd.status().await.map_err(|e| {
                Error::new(ErrorKind::Failed, Text::new(msg::LAUNCH).arg("exe", &exe)).detail(e)
            })?;
            // Killed by a signal: 128 + signal, as shells report it.
            Ok(status.code().map_or_else(
                || {
                    use std::os::unix::process::ExitStatusExt;
                    128u8.saturating_add(u8::try_from(status.signal().unwrap_or(0)).unwrap_or(0))
                },
                |c| u8::try_from(c).unwrap_or(1),
            ))
        })
    }
}

/// What the loop did, for the binary to log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoopEvent {
    /// A run was started for a slot (`catch_up` after downtime).
    Launched {
        job: String,
        slot: Slot,
        catch_up: bool,
    },
    /// It ended with this exit code.
    Finished {
        job: String,
        slot: Slot,
        exit_code: u8,
    },
    /// It could not be started, or its task failed.
    LaunchFailed {
        job: String,
        slot: Slot,
        error: String,
    },
    /// Slots passed without a run (downtime, a suspended host) and the policy says not to run them.
    Missed { job: String, slot: Slot },
}

/// Runs until `shutdown` completes. Slots are never launched twice by the loop; the ledger and
/// the run's lock guard against other launchers.
pub async fn run_loop(
    jobs: &[Job],
    ledger: &Ledger,
    launcher: &dyn Launcher,
    clock: &dyn Clock,
    shutdown: impl Future<Output = ()>,
    on_event: &mut dyn FnMut(LoopEvent),
) -> Result<()> {
    let jobs: Vec<&Job> = jobs.iter().filter(|j| j.enabled).collect();
    let mut running: Running = JoinSet::new();
    // Where each job stands: the newest slot run (by anyone, from the ledger) or seen here.
    let start = clock.now();
    let mut last: HashMap<String, DateTime<Utc>> = HashMap::new();
    for job in &jobs {
        let recorded = ledger
            .last_schedule_slot(&job.name)?
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|t| t.with_timezone(&Utc));
        match job.catch_up(recorded, start) {
            Some(slot) => {
                spawn(&mut running, launcher, job, slot, true, on_event);
                last.insert(job.name.clone(), slot.at);
            }
            None => {
                last.insert(job.name.clone(), start);
            }
        }
    }

    tokio::pin!(shutdown);
    loop {
        let next: Option<Due> = {
            let due: Vec<(usize, Slot)> = jobs
                .iter()
                .enumerate()
                .filter_map(|(i, j)| {
                    let after = last.get(&j.name).copied().unwrap_or(start);
                    slots::next_after(&j.cron, j.tz, after).map(|s| (i, s))
                })
                .collect();
            due.iter().map(|(_, s)| s.at).min().map(|at| {
                let now_due = due.into_iter().filter(|(_, s)| s.at == at).collect();
                (at, now_due)
            })
        };
        let sleep = async {
            match &next {
                Some((at, _)) => clock.sleep_until(*at).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            Some(done) = running.join_next(), if !running.is_empty() => {
                on_event(match done {
                    Ok((job, slot, Ok(code))) => LoopEvent::Finished { job, slot, exit_code: code },
                    Ok((job, slot, Err(e))) => LoopEvent::LaunchFailed { job, slot, error: e.render(dbkeeper_core::Lang::En) },
                    Err(e) => LoopEvent::LaunchFailed {
                        job: String::new(),
                        slot: Slot { at: start, local: start.naive_utc(), shifted: false },
                        error: e.to_string(),
                    },
                });
            }
            _ = sleep => {
                let Some((_, due)) = next else { continue };
                let now = clock.now();
                for (i, slot) in due {
                    let job = jobs[i];
                    // Woken late (a suspended host): the slots in between are missed; the latest
                    // runs if the policy and its lateness allow, like any other launcher's.
                    match job.latest(now) {
                        Some(latest) if latest.at > slot.at => {
                            on_event(LoopEvent::Missed { job: job.name.clone(), slot });
                            last.insert(job.name.clone(), latest.at);
                            match job.decide(now) {
                                SlotDecision::Run(s) if job.missed == Missed::RunOnce => {
                                    spawn(&mut running, launcher, job, s, true, on_event);
                                }
                                _ => on_event(LoopEvent::Missed { job: job.name.clone(), slot: latest }),
                            }
                        }
                        _ => {
                            last.insert(job.name.clone(), slot.at);
                            spawn(&mut running, launcher, job, slot, false, on_event);
                        }
                    }
                }
            }
        }
    }
}

type Running = JoinSet<(String, Slot, Result<u8>)>;

/// The next instant anything fires, and which jobs (by index) fire then.
type Due = (DateTime<Utc>, Vec<(usize, Slot)>);

fn spawn(
    running: &mut Running,
    launcher: &dyn Launcher,
    job: &Job,
    slot: Slot,
    catch_up: bool,
    on_event: &mut dyn FnMut(LoopEvent),
) {
    on_event(LoopEvent::Launched {
        job: job.name.clone(),
        slot,
        catch_up,
    });
    let fut = launcher.launch(job, &slot);
    let name = job.name.clone();
    running.spawn(async move { (name, slot, fut.await) });
}
