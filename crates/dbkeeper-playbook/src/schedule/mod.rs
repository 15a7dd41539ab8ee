//! Schedules: which playbook runs when — 5-field cron expressions with Vixie cron's meaning, a
//! time zone with a stated DST rule, a missed-run policy, at most one run per slot — and the
//! launchers: systemd timers, crontab lines, Kubernetes CronJobs, or the `schedule run` loop.

pub mod cron;
pub mod daemon;
pub mod install;
pub mod job;
pub mod slots;

pub use cron::Cron;
pub use daemon::{run_loop, Clock, Launch, Launcher, LoopEvent, ProcessLauncher, SystemClock};
pub use install::{render, InstallKind, InstallOptions, Rendered};
pub use job::{
    for_run, load, load_dir, parse_time, status, ForRun, Job, JobStatus, Missed, SlotDecision,
};
pub use slots::Slot;
