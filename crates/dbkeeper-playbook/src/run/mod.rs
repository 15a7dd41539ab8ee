//! The runner: steps in dependency order, conditions, retries with backoff, timeouts, failure
//! handlers, the ledger, the run's lock and schedule slot, and the summary notifications.
//!
//! Semantics, in the order they apply to each step (the order of [`Playbook::order`]):
//! 1. A step runs only when no earlier step has failed — unless its `when` calls a status
//!    function (`always()`, `failure()`), which then decides alone. A step that failed with
//!    `continue_on_error: true` does not count as a failure here.
//! 2. Its `when`, if any, must be true. A `when` that reads a value that is not there (an output
//!    of a skipped step) is false, and the report says which value was missing.
//! 3. It is tried once, then up to `retries` more times, waiting `backoff`, 2×`backoff`, 4×…
//!    (at most an hour) between attempts; each attempt is bounded by `timeout`. Errors of kind
//!    `Config` or `Usage` are not retried: a wrong name or a missing secret stays wrong.
//! 4. When it fails, its `on_failure` handlers run (each once, with its own `timeout`).
//!
//! After the steps, if the run failed, the playbook's `on_failure` handlers run; then every
//! channel of the playbook's `notify:` is told according to its `on:`. A notification that
//! cannot be delivered is recorded and reported but never changes the run's outcome.

mod builtin;
mod context;
pub mod lock;
mod plan;
pub mod report;
mod values;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use dbkeeper_config::Config;
use dbkeeper_core::ledger::{Ledger, NewPlaybookRun, NotificationRecord};
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};

pub use context::{Actions, Connector, Outputs, StepContext};
pub use report::{human_ms, Outcome, RunReport, StepReport, StepStatus};

use crate::expr::{self, Value};
use crate::model::{Action, Handler, Playbook, Step};
use crate::msg;
use crate::notify::{self, Delivery, Notifier};
use values::{RunFacts, RunValues};

/// The longest wait between two attempts of a step.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// What the runner needs from its caller.
pub struct Deps<'a> {
    /// Runs inspect, backup, verify, prune and the reserved actions.
    pub actions: &'a dyn Actions,
    /// Connects to targets for `sql` steps.
    pub connector: &'a dyn Connector,
    pub notifier: &'a Notifier,
    /// Where runs, steps, slots and notifications are recorded; `None` records nothing.
    pub ledger: Option<&'a Ledger>,
    /// dbkeeper.yaml, for names the playbook does not define itself.
    pub config: Option<&'a Config>,
}

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Plan only: nothing is connected to, written or recorded.
    pub dry_run: bool,
    /// The schedule slot this run is for: it runs at most once per (job, slot).
    pub scheduled_for: Option<DateTime<Utc>>,
    /// The schedule job the slot belongs to; the playbook's name when `None`.
    pub job: Option<String>,
    /// The command's own run in the ledger (`runs.id`), linked from the playbook run.
    pub run_id: Option<i64>,
    /// The language of messages and notifications (a channel's own `lang` wins for it).
    pub lang: Lang,
    /// The zone of `run.weekday` and the other calendar fields.
    pub tz: Tz,
    /// Where the run's lock file lives (`STATE_DIR/locks`); `None` takes no lock.
    pub lock_dir: Option<PathBuf>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            dry_run: false,
            scheduled_for: None,
            job: None,
            run_id: None,
            lang: Lang::En,
            tz: chrono_tz::Asia::Shanghai,
            lock_dir: None,
        }
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Runs a playbook (or, with `dry_run`, plans it). `Err` only when the run could not start: its
/// lock is held (exit 75) or the ledger cannot be written. A run that started always returns its
/// report, failed steps included; see [`RunReport::exit_code`].
pub async fn run(pb: &Playbook, deps: &Deps<'_>, opts: &RunOptions) -> Result<RunReport> {
    let started = Instant::now();
    let now = Utc::now();
    let mut report = RunReport {
        playbook: pb.name.clone(),
        path: pb.path.display().to_string(),
        sha256: pb.sha256.clone(),
        playbook_run_id: None,
        outcome: Outcome::Ok,
        started_at: dbkeeper_core::now_rfc3339(),
        duration_ms: 0,
        scheduled_for: opts.scheduled_for.map(rfc3339),
        already_ran_by: None,
        steps: Vec::new(),
        handlers: Vec::new(),
        notifications: Vec::new(),
    };
    let facts = RunFacts {
        scheduled: opts.scheduled_for.is_some(),
        dry_run: opts.dry_run,
        local: opts.scheduled_for.unwrap_or(now).with_timezone(&opts.tz),
        run_id: 0,
    };
    if opts.dry_run {
        report.outcome = Outcome::Planned;
        report.steps = plan_steps(pb);
        return Ok(report);
    }

    let _lock = match &opts.lock_dir {
        Some(dir) => Some(lock::acquire(dir, &pb.name)?),
        None => None,
    };
    let ledger = deps.ledger;
    if let (Some(l), Some(slot)) = (ledger, &report.scheduled_for) {
        let job = opts.job.as_deref().unwrap_or(&pb.name);
        if let Some(claim) = l.claim_schedule_slot(job, slot)? {
            report.outcome = Outcome::AlreadyRan;
            report.already_ran_by = claim.playbook_run_id;
            return Ok(report);
        }
    }
    let prid = match ledger {
        Some(l) => Some(l.begin_playbook_run(&NewPlaybookRun {
            run_id: opts.run_id,
            playbook: pb.name.clone(),
            path: report.path.clone(),
            sha256: pb.sha256.clone(),
            scheduled_for: report.scheduled_for.clone(),
        })?),
        None => None,
    };
    let mut guard = Unfinished { ledger, prid };
    if let (Some(l), Some(id), Some(slot)) = (ledger, prid, &report.scheduled_for) {
        l.set_schedule_slot_run(opts.job.as_deref().unwrap_or(&pb.name), slot, id)?;
    }
    report.playbook_run_id = prid;
    let previous_failed = match (ledger, prid) {
        (Some(l), Some(id)) => l
            .previous_playbook_status(&pb.name, id)?
            .is_some_and(|s| s != "ok"),
        _ => false,
    };

    let mut runner = Runner {
        pb,
        deps,
        opts,
        prid,
        values: RunValues {
            steps: Vec::new(),
            vars: &pb.vars,
            facts: RunFacts {
                run_id: prid.unwrap_or(0),
                ..facts
            },
            failed: false,
        },
        deliveries: Vec::new(),
        handlers: Vec::new(),
    };
    for step in pb.order() {
        runner.step(step).await?;
    }
    if runner.values.failed {
        for h in &pb.on_failure {
            runner.handler(h, "").await?;
        }
    }

    let failed = runner.values.failed;
    report.outcome = if failed { Outcome::Failed } else { Outcome::Ok };
    report.steps = std::mem::take(&mut runner.values.steps);
    report.handlers = std::mem::take(&mut runner.handlers);
    report.duration_ms = elapsed_ms(started);
    // The outcome is recorded before the notifications go out: a hanging robot must not leave
    // the run looking unfinished.
    if let (Some(l), Some(id)) = (ledger, prid) {
        let error = report
            .steps
            .iter()
            .find(|s| s.status == StepStatus::Failed && !s.continue_on_error)
            .and_then(|s| s.error.clone());
        l.finish_playbook_run(
            id,
            if failed { "failed" } else { "ok" },
            report.exit_code(),
            error.as_deref(),
        )?;
    }
    guard.prid = None;

    for ch in &pb.notify {
        let Some(event) = notify::event_for(&ch.on, failed, previous_failed) else {
            continue;
        };
        let lang = notify::lang_of(ch, opts.lang);
        let m = notify::summary::build(&report, lang, event);
        let d = deps.notifier.send(ch, &m, event).await;
        runner.deliveries.push(d);
    }
    report.notifications = std::mem::take(&mut runner.deliveries);
    if let (Some(l), Some(id)) = (ledger, prid) {
        for d in &report.notifications {
            record_delivery(l, id, d)?;
        }
    }
    report.duration_ms = elapsed_ms(started);
    Ok(report)
}

/// The plan of a dry run: every step in run order, with what it would do.
fn plan_steps(pb: &Playbook) -> Vec<StepReport> {
    pb.order()
        .into_iter()
        .map(|s| {
            let mut r = StepReport::new(&s.id, s.action.name(), s.action.target());
            r.status = StepStatus::Planned;
            let text = plan::describe(&s.action);
            r.plan = Some(text.render(Lang::En));
            r.plan_text = Some(text);
            r.when = s.when.as_ref().map(|w| w.source.clone());
            r.needs = s.needs.clone();
            r.continue_on_error = s.continue_on_error;
            r
        })
        .collect()
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn record_delivery(l: &Ledger, prid: i64, d: &Delivery) -> Result<()> {
    l.add_notification(&NotificationRecord {
        playbook_run_id: Some(prid),
        channel: d.channel.clone(),
        kind: d.kind.clone(),
        event: d.event.clone(),
        delivered: d.delivered,
        attempts: i64::from(d.attempts),
        error: d.error.clone(),
        sent_at: dbkeeper_core::now_rfc3339(),
    })?;
    Ok(())
}

/// Marks the playbook run `interrupted` if the run is dropped before it finishes (Ctrl-C, the
/// binary's own timeout), so the ledger never shows a run as running forever.
struct Unfinished<'a> {
    ledger: Option<&'a Ledger>,
    prid: Option<i64>,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let (Some(l), Some(id)) = (self.ledger, self.prid) {
            let _ = l.finish_playbook_run(id, "interrupted", 130, Some("interrupted"));
        }
    }
}

enum Decision {
    Run,
    Skip(Text),
}

struct Runner<'a> {
    pb: &'a Playbook,
    deps: &'a Deps<'a>,
    opts: &'a RunOptions,
    prid: Option<i64>,
    values: RunValues<'a>,
    deliveries: Vec<Delivery>,
    handlers: Vec<StepReport>,
}

impl Runner<'_> {
    fn decide(&self, step: &Step) -> Decision {
        let has_status = step.when.as_ref().is_some_and(|w| w.has_status);
        if !has_status && self.values.failed {
            return Decision::Skip(Text::new(msg::SKIP_EARLIER_FAILED));
        }
        let Some(when) = &step.when else {
            return Decision::Run;
        };
        match expr::eval(&when.expr, &self.values) {
            Ok(Value::Bool(true)) => Decision::Run,
            Ok(_) => Decision::Skip(Text::new(msg::SKIP_WHEN).arg("when", &when.source)),
            Err(why) => Decision::Skip(
                Text::new(msg::SKIP_WHEN_ERROR)
                    .arg("when", &when.source)
                    .arg("why", why.render(Lang::En)),
            ),
        }
    }

    async fn step(&mut self, step: &Step) -> Result<()> {
        let mut rep = StepReport::new(&step.id, step.action.name(), step.action.target());
        rep.continue_on_error = step.continue_on_error;
        rep.needs = step.needs.clone();
        let ledger = self.deps.ledger;
        if let Decision::Skip(why) = self.decide(step) {
            rep.skipped_because = Some(why.render(Lang::En));
            rep.skipped_text = Some(why);
            if let (Some(l), Some(prid)) = (ledger, self.prid) {
                let row = l.begin_playbook_step(prid, &step.id, step.action.name(), None)?;
                l.finish_playbook_step(row, "skipped", 0, 0, "{}", rep.skipped_because.as_deref())?;
            }
            self.values.steps.push(rep);
            return Ok(());
        }
        let row = match (ledger, self.prid) {
            (Some(l), Some(prid)) => {
                Some(l.begin_playbook_step(prid, &step.id, step.action.name(), None)?)
            }
            _ => None,
        };
        let started = Instant::now();
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            let r = self
                .attempt(&step.id, &step.action, attempt, step.timeout)
                .await;
            match r {
                Ok(out) => break Ok(out),
                Err(e) if attempt > step.retries || !retryable(&e) => break Err(e),
                Err(e) => {
                    let wait = backoff(step.backoff, attempt);
                    tracing::warn!(step = %step.id, attempt, error = %e, wait = ?wait, "step failed; retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        };
        rep.attempts = attempt;
        rep.duration_ms = elapsed_ms(started);
        match result {
            Ok(out) => {
                rep.status = StepStatus::Ok;
                rep.outputs = out;
            }
            Err(e) => {
                rep.status = StepStatus::Failed;
                rep.error = Some(e.render(Lang::En));
                rep.error_full = Some(e);
                if !step.continue_on_error {
                    self.values.failed = true;
                }
            }
        }
        if let (Some(l), Some(row)) = (ledger, row) {
            l.finish_playbook_step(
                row,
                rep.status.as_str(),
                rep.attempts,
                rep.duration_ms,
                &serde_json::Value::Object(rep.outputs.clone()).to_string(),
                rep.error.as_deref(),
            )?;
        }
        let failed = rep.status == StepStatus::Failed;
        self.values.steps.push(rep);
        if failed {
            for h in &step.on_failure {
                self.handler(h, &step.id).await?;
            }
        }
        Ok(())
    }

    /// One `on_failure` handler: once, with its own timeout; its failure is reported, and the
    /// run has failed already.
    async fn handler(&mut self, h: &Handler, of: &str) -> Result<()> {
        let mut rep = StepReport::new(&h.id, h.action.name(), h.action.target());
        rep.handler_of = Some(of.to_string());
        let ledger = self.deps.ledger;
        let row = match (ledger, self.prid) {
            (Some(l), Some(prid)) => {
                Some(l.begin_playbook_step(prid, &h.id, h.action.name(), Some(of))?)
            }
            _ => None,
        };
        let started = Instant::now();
        let r = self.attempt(&h.id, &h.action, 1, h.timeout).await;
        rep.attempts = 1;
        rep.duration_ms = elapsed_ms(started);
        match r {
            Ok(out) => {
                rep.status = StepStatus::Ok;
                rep.outputs = out;
            }
            Err(e) => {
                rep.status = StepStatus::Failed;
                rep.error = Some(e.render(Lang::En));
                rep.error_full = Some(e);
            }
        }
        if let (Some(l), Some(row)) = (ledger, row) {
            l.finish_playbook_step(
                row,
                rep.status.as_str(),
                1,
                rep.duration_ms,
                &serde_json::Value::Object(rep.outputs.clone()).to_string(),
                rep.error.as_deref(),
            )?;
        }
        self.handlers.push(rep);
        Ok(())
    }

    /// One attempt of an action, bounded by `timeout`.
    async fn attempt(
        &mut self,
        id: &str,
        action: &Action,
        attempt: u32,
        timeout: Option<Duration>,
    ) -> Result<Outputs> {
        let ctx = StepContext {
            playbook: self.pb,
            step_id: id,
            attempt,
            lang: self.opts.lang,
            run_id: self.opts.run_id,
            playbook_run_id: self.prid,
            scheduled_for: self.opts.scheduled_for,
            config: self.deps.config,
            values: &self.values,
        };
        let deps = self.deps;
        let deliveries = &mut self.deliveries;
        let fut = async {
            match action {
                Action::Sql(w) => builtin::sql(&ctx, w, deps.connector).await,
                Action::Notify(w) => builtin::notify(&ctx, w, deps.notifier, deliveries).await,
                other => deps.actions.run(&ctx, other).await,
            }
        };
        match timeout {
            Some(d) => tokio::time::timeout(d, fut).await.unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Failed,
                    Text::new(msg::STEP_TIMEOUT).arg("step", id).arg(
                        "after",
                        human_ms(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
                    ),
                )
                .hint(Text::new(msg::STEP_TIMEOUT_HINT)))
            }),
            None => fut.await,
        }
    }
}

/// A wrong name or a missing secret stays wrong however often it is tried.
fn retryable(e: &Error) -> bool {
    !matches!(e.kind, ErrorKind::Config | ErrorKind::Usage)
}

/// `base`, 2×`base`, 4×`base` … before attempts 2, 3, 4 …, at most [`MAX_BACKOFF`].
pub fn backoff(base: Duration, failed_attempt: u32) -> Duration {
    let factor = 1u32 << failed_attempt.saturating_sub(1).min(20);
    base.saturating_mul(factor).min(MAX_BACKOFF)
}
