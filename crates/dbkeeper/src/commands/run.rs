//! `dbkeeper run PLAYBOOK`: the playbook runner of `dbkeeper-playbook`, given the actions that
//! live in this binary (inspect, backup, prune; verify and the reserved actions refuse clearly)
//! and the engines for `sql` steps.
//!
//! Exit codes: 0 the run succeeded (or its schedule slot had already run, or is too late),
//! 2 a step failed, 75 another run of the playbook holds its lock, 78 the playbook (or the
//! config) is wrong — with every problem listed, as `validate` does.

use std::path::PathBuf;

use async_trait::async_trait;
use dbkeeper_backup::repos::{self, OpenRepo};
use dbkeeper_backup::{BackupRequest, Progress};
use dbkeeper_config::InspectSettings;
use dbkeeper_core::dump::LogicalRequest;
use dbkeeper_core::engine::Engine;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Text};
use dbkeeper_inspect::InspectOptions;
use dbkeeper_playbook::notify::Notifier;
use dbkeeper_playbook::schedule::{self, ForRun};
use dbkeeper_playbook::{
    Action, Actions, BackupWith, Connector, Deps, InspectWith, Outcome, Outputs, PruneWith,
    RunOptions, RunReport, Severity, StepContext, StepReport, StepStatus, VerifyWith,
};
use dbkeeper_repo::{BackupKind, S3Options, WriteOptions};
use dbkeeper_report::Table;
use serde_json::{json, Value};

use super::backup as backup_cmd;
use super::inspect::{self as inspect_cmd, ReportFormat};
use super::run_msg as m;
use crate::app::Ctx;
use crate::cli::{Format, RunArgs};
use crate::commands::engines;
use crate::output;

/// Tables dumped in parallel when a backup step does not say (the `backup` command's default).
const DEFAULT_JOBS: u32 = 2;

pub async fn run(ctx: &Ctx, a: RunArgs) -> Result<u8, Error> {
    let config = ctx.config()?;
    // Every problem of the playbook at once, as `validate` reports them (exit 78).
    let pb = dbkeeper_playbook::load(&a.playbook, config)?;
    let job = a.schedule.as_deref().map(schedule::load).transpose()?;

    let mut opts = RunOptions {
        dry_run: a.dry_run,
        job: a
            .job
            .clone()
            .or_else(|| job.as_ref().map(|j| j.name.clone())),
        run_id: Some(ctx.run_id),
        lang: ctx.lang,
        tz: job.as_ref().map_or(schedule::job::DEFAULT_TZ, |j| j.tz),
        lock_dir: Some(ctx.state.dir().join("locks")),
        ..RunOptions::default()
    };
    if let Some(arg) = &a.scheduled_for {
        match schedule::for_run(arg, job.as_ref(), chrono::Utc::now())? {
            ForRun::Slot {
                at,
                job: slot_job,
                tz,
            } => {
                opts.scheduled_for = Some(at);
                opts.tz = tz;
                if opts.job.is_none() {
                    opts.job = slot_job;
                }
            }
            // A launcher fired too late (or off-slot): nothing to do, and not an error, or
            // cron would mail it every time.
            ForRun::Skip(why) => {
                if !ctx.quiet {
                    output::stderr_line(&why.render(ctx.lang));
                }
                if !a.dry_run {
                    audit(ctx, &pb, "skipped", 0, None)?;
                }
                return Ok(0);
            }
        }
    }

    let notifier = Notifier::new()?;
    let actions = BinActions { ctx };
    let deps = Deps {
        actions: &actions,
        connector: &BinConnector,
        notifier: &notifier,
        ledger: Some(&ctx.state.ledger),
        config,
    };
    let report = match dbkeeper_playbook::run(&pb, &deps, &opts).await {
        Ok(r) => r,
        Err(e) => {
            if !a.dry_run {
                audit(ctx, &pb, "not_started", e.exit_code(), None)?;
            }
            return Err(e);
        }
    };
    let code = report.exit_code();
    if !a.dry_run {
        audit(ctx, &pb, outcome_name(&report), code, Some(&report))?;
    }

    if ctx.format == Format::Json {
        output::json(&report)?;
    } else if !(ctx.quiet && !report.failed() && !a.dry_run) {
        // Quiet on success (cron mails whatever a job prints); a failure is always shown.
        output::stdout_line(&render_table(&report, ctx.lang));
    }
    for p in report.problems(ctx.lang) {
        output::stderr_line(&p);
    }
    Ok(code)
}

fn outcome_name(r: &RunReport) -> &'static str {
    match r.outcome {
        Outcome::Ok => "ok",
        Outcome::Failed => "failed",
        Outcome::AlreadyRan => "already_ran",
        Outcome::Planned => "planned",
    }
}

/// The audit log's line for the run: which playbook (by name and content hash) and how it ended.
fn audit(
    ctx: &Ctx,
    pb: &dbkeeper_playbook::Playbook,
    outcome: &str,
    code: u8,
    report: Option<&RunReport>,
) -> Result<(), Error> {
    ctx.audit(
        "run",
        None,
        code,
        json!({
            "playbook": pb.name,
            "path": pb.path,
            "sha256": pb.sha256,
            "outcome": outcome,
            "playbook_run_id": report.and_then(|r| r.playbook_run_id),
            "scheduled_for": report.and_then(|r| r.scheduled_for.clone()),
            "steps": report.map(|r| r.steps.iter().map(|s| json!({
                "id": s.id, "action": s.action, "status": s.status,
            })).collect::<Vec<_>>()),
        }),
    )
}

/// One row per step and handler, then the outcome line.
fn render_table(r: &RunReport, lang: Lang) -> String {
    let l = |msg| Text::new(msg).render(lang);
    let mut t = Table::new(vec![
        l(m::COL_STEP),
        l(m::COL_ACTION),
        l(m::COL_TARGET),
        l(m::COL_STATUS),
        l(m::COL_ATTEMPTS),
        l(m::COL_DURATION),
        l(m::COL_DETAIL),
    ]);
    for s in r.steps.iter().chain(&r.handlers) {
        let status = match s.status {
            StepStatus::Ok => l(m::STATUS_OK),
            StepStatus::Failed if s.continue_on_error => l(m::STATUS_FAILED_ALLOWED),
            StepStatus::Failed => l(m::STATUS_FAILED),
            StepStatus::Skipped => l(m::STATUS_SKIPPED),
            StepStatus::Planned => l(m::STATUS_PLANNED),
        };
        let ran = matches!(s.status, StepStatus::Ok | StepStatus::Failed);
        t.row(vec![
            s.id.clone(),
            s.action.clone(),
            s.target.clone().unwrap_or_else(|| "-".into()),
            status,
            if ran {
                s.attempts.to_string()
            } else {
                "-".into()
            },
            if ran {
                dbkeeper_playbook::run::human_ms(s.duration_ms)
            } else {
                "-".into()
            },
            detail(s, lang),
        ]);
    }
    // The outcome line is the library's own last line, so both renderings say the same thing.
    let rendered = r.render(lang);
    let outcome = rendered.lines().last().unwrap_or_default();
    format!("{t}\n{outcome}")
}

fn detail(s: &StepReport, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(of) = &s.handler_of {
        parts.push(if of.is_empty() {
            Text::new(m::HANDLER_OF_RUN).render(lang)
        } else {
            Text::new(m::HANDLER_OF).arg("step", of).render(lang)
        });
    }
    match s.status {
        StepStatus::Planned => {
            if let Some(p) = &s.plan_text {
                parts.push(p.render(lang));
            }
            if let Some(w) = &s.when {
                parts.push(format!("when: {w}"));
            }
        }
        StepStatus::Skipped => {
            if let Some(t) = &s.skipped_text {
                parts.push(t.render(lang));
            }
        }
        StepStatus::Failed => {
            // The first line only: the whole error, with its hint, follows on stderr.
            if let Some(e) = &s.error_full {
                parts.push(e.main.what.render(lang));
            }
        }
        StepStatus::Ok => {
            let scalars: Vec<String> = s
                .outputs
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::String(x) => Some(format!("{k}={x}")),
                    Value::Number(_) | Value::Bool(_) => Some(format!("{k}={v}")),
                    _ => None,
                })
                .collect();
            parts.push(scalars.join(" "));
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("; ")
}

/// Engines for `sql` steps.
struct BinConnector;

#[async_trait(?Send)]
impl Connector for BinConnector {
    async fn connect(&self, target: &Target) -> Result<Box<dyn Engine>, Error> {
        engines::connect(target).await
    }
}

/// The actions implemented by the binary's crates.
struct BinActions<'a> {
    ctx: &'a Ctx,
}

#[async_trait(?Send)]
impl Actions for BinActions<'_> {
    async fn run(&self, step: &StepContext<'_>, action: &Action) -> Result<Outputs, Error> {
        match action {
            Action::Inspect(w) => inspect(self.ctx, step, w).await,
            Action::Backup(w) => backup(self.ctx, step, w).await,
            Action::Prune(w) => prune(self.ctx, step, w).await,
            Action::Verify(w) => verify(self.ctx, step, w).await,
            Action::Sql(_) | Action::Notify(_) => Err(Error::new(
                ErrorKind::Internal,
                Text::new(m::BUILTIN_ACTION).arg("action", action.name()),
            )),
            other => Err(Error::new(
                ErrorKind::Config,
                Text::new(m::RESERVED_UNAVAILABLE).arg("action", other.name()),
            )
            .at(step_at(step))
            .hint(Text::new(m::RESERVED_UNAVAILABLE_HINT))),
        }
    }
}

/// `file:line:col` of the step (a handler has none of its own: its id then).
fn step_at(step: &StepContext<'_>) -> String {
    step.playbook
        .step(step.step_id)
        .map_or_else(|| step.step_id.to_string(), |s| s.at.clone())
}

async fn inspect(ctx: &Ctx, step: &StepContext<'_>, w: &InspectWith) -> Result<Outputs, Error> {
    let target = step.target(&w.target)?;
    let config = ctx.config()?;
    // The same layering as `dbkeeper inspect`: config defaults, the target's own settings, then
    // what the step says.
    let none = InspectSettings::default();
    let settings = step
        .playbook
        .targets
        .iter()
        .find(|t| t.name == w.target)
        .map(|t| &t.inspect)
        .or_else(|| config.and_then(|c| c.target(&w.target)).map(|t| &t.inspect));
    let defaults = config.map_or(&none, |c| &c.defaults.inspect);
    let mut opts = InspectOptions::from_config(target.engine, defaults, settings)?;
    opts.apply_cli(target.engine, w.profile.as_deref(), &w.only, &w.skip)?;
    opts.run_id = Some(ctx.run_id);
    let report_file = match &w.report {
        Some(t) => {
            let path = PathBuf::from(step.render(t)?);
            let fmt = ReportFormat::of(&path)?;
            Some((path, fmt))
        }
        None => None,
    };

    let engine = engines::connect(&target).await?;
    let report = dbkeeper_inspect::inspect(
        engine.as_ref(),
        &target,
        &opts,
        Some(&ctx.state.ledger),
        inspect_cmd::freshness(ctx, &target),
    )
    .await?;
    let Some(verdict) = report.verdict() else {
        let mut e = Error::new(
            ErrorKind::CouldNotCheck,
            Text::new(m::INSPECT_UNREACHABLE).arg("target", &target),
        );
        if let Some(cause) = &report.error {
            e = e.detail(cause.render(Lang::En));
        }
        return Err(e);
    };

    let mut written = None;
    if let Some((path, fmt)) = &report_file {
        // A playbook names its report folder once (often with a date in the file name); a new
        // host must not fail its first night because the folder is not there yet.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| inspect_cmd::report_write_error(path, e))?;
        }
        inspect_cmd::write_atomically(path, fmt.render(&report, ctx.lang).as_bytes())
            .map_err(|e| inspect_cmd::report_write_error(path, e))?;
        written = Some(path.display().to_string());
    }
    let counts = report.counts();
    ctx.audit(
        "inspect",
        Some(&target.name),
        report.exit_code(),
        json!({
            "playbook": step.playbook.name,
            "step": step.step_id,
            "profile": report.profile,
            "verdict": verdict.as_str(),
            "counts": counts,
            "checks": report.findings.len(),
            "report": written,
        }),
    )?;

    let failing = match w.fail_on {
        Severity::Warning => counts.warning + counts.critical > 0,
        Severity::Critical => counts.critical > 0,
    };
    if failing {
        // The report is written first: it is what the person paged by the failure reads.
        return Err(Error::new(
            ErrorKind::Failed,
            Text::new(m::INSPECT_FAIL_ON)
                .arg("target", &target)
                .arg("criticals", counts.critical)
                .arg("warnings", counts.warning)
                .arg(
                    "fail_on",
                    match w.fail_on {
                        Severity::Warning => "warning",
                        Severity::Critical => "critical",
                    },
                ),
        )
        .at(target.name.clone())
        .hint(
            Text::new(m::INSPECT_FAIL_ON_HINT)
                .arg("report", written.as_deref().unwrap_or("-"))
                .arg("target", &w.target),
        ));
    }

    let mut out = Outputs::new();
    out.insert("status".into(), Value::from(verdict.as_str()));
    out.insert("verdict".into(), Value::from(verdict.as_str()));
    out.insert("warnings".into(), Value::from(counts.warning));
    out.insert("criticals".into(), Value::from(counts.critical));
    out.insert("checks".into(), Value::from(report.findings.len()));
    out.insert(
        "counts".into(),
        serde_json::to_value(counts).unwrap_or(Value::Null),
    );
    if let Some(p) = written {
        out.insert("report_path".into(), Value::from(p));
    }
    Ok(out)
}

async fn backup(ctx: &Ctx, step: &StepContext<'_>, w: &BackupWith) -> Result<Outputs, Error> {
    let mut target = step.target(&w.target)?;
    // Filed under the same name as `dbkeeper backup TARGET` uses, so `backups list --target`,
    // `restore latest` and the inspections' freshness checks find these backups too.
    target.name = dbkeeper_backup::repo_name(&target);
    let mut open: Vec<OpenRepo> = Vec::new();
    for r in &w.repos {
        let entry = step.repo(r)?;
        open.push(repos::open_for_write(&entry, &w.recipients, &S3Options::default()).await?);
    }
    let result = dbkeeper_backup::backup(BackupRequest {
        target: &target,
        repos: open,
        kind: match w.kind {
            dbkeeper_playbook::BackupKind::Logical => BackupKind::Logical,
            dbkeeper_playbook::BackupKind::Physical => BackupKind::Physical,
        },
        logical: LogicalRequest {
            databases: Vec::new(),
            all_databases: false,
            globals: false,
            jobs: w.jobs.unwrap_or(DEFAULT_JOBS) as usize,
        },
        write: WriteOptions::default(),
        run_id: Some(ctx.run_id.to_string()),
        progress: Progress::new(),
    })
    .await;
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            ctx.audit(
                "backup",
                Some(&target.name),
                e.exit_code(),
                json!({
                    "playbook": step.playbook.name, "step": step.step_id,
                    "repos": w.repos, "error": e.main.what.id(),
                }),
            )?;
            return Err(e);
        }
    };
    backup_cmd::record(ctx, &outcome)?;
    let complete = outcome.is_complete_everywhere();
    ctx.audit(
        "backup",
        Some(&target.name),
        if complete {
            0
        } else {
            ErrorKind::Failed.exit_code()
        },
        json!({
            "playbook": step.playbook.name,
            "step": step.step_id,
            "backup_id": outcome.id.to_string(),
            "kind": outcome.kind,
            "repos": outcome.repos.iter().map(|r| json!({
                "repo": r.repo, "complete": r.manifest.is_some(),
            })).collect::<Vec<_>>(),
            "plain_bytes": outcome.plain_bytes,
            "tables": outcome.tables,
            "rows": outcome.rows,
        }),
    )?;
    if !complete {
        let failed: Vec<&str> = outcome
            .repos
            .iter()
            .filter(|r| r.manifest.is_none())
            .map(|r| r.repo.as_str())
            .collect();
        let why: Vec<String> = outcome
            .repos
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| format!("{}: {e}", r.repo)))
            .collect();
        return Err(Error::new(
            ErrorKind::Failed,
            Text::new(m::BACKUP_INCOMPLETE)
                .arg("id", outcome.id)
                .arg("target", &outcome.target)
                .arg("repos", failed.join(", ")),
        )
        .hint(Text::new(m::BACKUP_INCOMPLETE_HINT))
        .detail(why.join("; ")));
    }

    // Sizes of one copy: every repository holds the same objects.
    let (plain, stored) = outcome.manifest().map_or((outcome.plain_bytes, 0), |mf| {
        (mf.plain_size_bytes(), mf.stored_size_bytes())
    });
    let mut out = Outputs::new();
    out.insert("backup_id".into(), Value::from(outcome.id.to_string()));
    out.insert("target".into(), Value::from(outcome.target.clone()));
    out.insert(
        "repos".into(),
        Value::from(
            outcome
                .repos
                .iter()
                .map(|r| Value::from(r.repo.clone()))
                .collect::<Vec<_>>(),
        ),
    );
    out.insert("plain_bytes".into(), Value::from(plain));
    out.insert("stored_bytes".into(), Value::from(stored));
    out.insert("size_bytes".into(), Value::from(stored));
    out.insert(
        "duration_ms".into(),
        Value::from(
            u64::try_from((outcome.ended_at - outcome.started_at).num_milliseconds()).unwrap_or(0),
        ),
    );
    out.insert("tables".into(), Value::from(outcome.tables));
    out.insert("rows".into(), Value::from(outcome.rows));
    Ok(out)
}

/// A restore drill; its report is filed like `dbkeeper verify`'s. A drill that fails its
/// checks fails the step (after writing the report: the evidence is kept either way).
async fn verify(ctx: &Ctx, step: &StepContext<'_>, w: &VerifyWith) -> Result<Outputs, Error> {
    let entry = step.repo(&w.repo)?;
    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    let which = match (&w.backup, &w.latest) {
        (Some(t), _) => dbkeeper_backup::restore::Which::parse(&step.render(t)?, None)?,
        (None, Some(t)) => dbkeeper_backup::restore::Which::Latest(match step.target(t) {
            Ok(tt) => dbkeeper_backup::repo_name(&tt),
            Err(_) => t.clone(),
        }),
        (None, None) => dbkeeper_backup::restore::Which::parse("latest", None)?,
    };
    // The identity comes from a secret: a `{file: …}` reference is the identity file itself
    // (read with its 0600 check); any other reference delivers the identity's text.
    let decryption = match &w.identity {
        Some(name) => {
            let reference = step
                .playbook
                .secrets
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone());
            match reference {
                Some(dbkeeper_core::secret::SecretRef::File(path)) => {
                    dbkeeper_repo::Decryption::from_identity_file(&path)?
                }
                _ => dbkeeper_repo::Decryption::from_identity_text(
                    step.secret(name)?.expose(),
                    std::path::Path::new(&format!("secret `{name}`")),
                )?,
            }
        }
        None => repos::decryption(&entry, &repo, None)?,
    };
    let sanity = w
        .sanity
        .iter()
        .map(|q| {
            let expect = q.expect.clone();
            dbkeeper_verify::Sanity {
                name: q.name.clone(),
                sql: q.sql.clone(),
                database: None,
                expect: q.expect.as_ref().map(ToString::to_string),
                judge: expect.map(|e| {
                    std::sync::Arc::new(move |v: &Value| e.check(v).map_err(|t| t.render(Lang::En)))
                        as dbkeeper_verify::Judge
                }),
            }
        })
        .collect();
    let report = dbkeeper_verify::drill(dbkeeper_verify::DrillRequest {
        repo,
        which,
        decryption,
        sanity,
        rto_max: w.rto_max,
        rpo_max: w.rpo_max,
        jobs: 2,
        into: None,
        rpo_column: w.rpo_column.clone(),
    })
    .await?;
    let mut formats = Vec::new();
    if let Some(t) = &w.report {
        let path = PathBuf::from(step.render(t)?);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| inspect_cmd::report_write_error(&path, e))?;
        }
        let fmt = ReportFormat::of(&path)?;
        formats.push((path, fmt));
    }
    let (sha, paths) = super::verify::file(ctx, &report, &formats)?;
    super::verify::record(ctx, &report, &sha, paths.first(), &entry.name)?;
    let sanity_failed = report
        .checks
        .iter()
        .filter(|c| c.kind == "sanity" && c.verdict == dbkeeper_verify::Verdict::Fail)
        .count();
    if report.verdict != dbkeeper_verify::Verdict::Pass {
        let failed: Vec<String> = report
            .failed()
            .map(|c| format!("{}: {}", c.name, c.actual))
            .collect();
        return Err(Error::new(
            ErrorKind::Failed,
            Text::new(m::DRILL_FAILED)
                .arg("backup", &report.backup_id)
                .arg("failed", failed.join("; ")),
        )
        .at(step_at(step)));
    }
    let mut out = Outputs::new();
    out.insert("ok".into(), json!(true));
    out.insert("backup_id".into(), json!(report.backup_id));
    out.insert(
        "rto_ms".into(),
        json!((report.rto_seconds * 1000.0).round()),
    );
    out.insert(
        "rpo_ms".into(),
        json!((report.rpo_seconds * 1000.0).round()),
    );
    out.insert("sanity_failed".into(), json!(sanity_failed));
    out.insert(
        "report_path".into(),
        json!(paths
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default()),
    );
    Ok(out)
}

async fn prune(ctx: &Ctx, step: &StepContext<'_>, w: &PruneWith) -> Result<Outputs, Error> {
    let entry = step.repo(&w.repo)?;
    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    // Backups are filed under the repository name of the target (see `backup` above); a name
    // that is not a target is taken as that name.
    let target = w.target.as_ref().map(|t| match step.target(t) {
        Ok(tt) => dbkeeper_backup::repo_name(&tt),
        Err(_) => t.clone(),
    });
    // Sizes before deleting, for `freed_bytes`.
    let sizes: Vec<(String, String, u64)> = repo
        .list(target.as_deref())
        .await?
        .into_iter()
        .map(|b| (b.target, b.id.to_string(), b.stored_size_bytes))
        .collect();
    let policy = dbkeeper_backup::prune::policy(&entry.retention);
    let o = dbkeeper_backup::prune(
        &repo,
        &policy,
        target.as_deref(),
        w.dry_run,
        Some(ctx.run_id.to_string()),
    )
    .await?;
    if !w.dry_run {
        ctx.audit(
            "backups.prune",
            target.as_deref(),
            0,
            json!({
                "playbook": step.playbook.name,
                "step": step.step_id,
                "repo": entry.name,
                "deleted": o.deleted.iter().map(|d| format!("{}/{}", d.target, d.id)).collect::<Vec<_>>(),
                "busy": o.busy.iter().map(|b| &b.target).collect::<Vec<_>>(),
            }),
        )?;
    }
    if !o.busy.is_empty() {
        return Err(Error::new(
            ErrorKind::TempFail,
            Text::new(m::PRUNE_BUSY)
                .arg("repo", &entry.name)
                .arg("count", o.busy.len()),
        )
        .hint(Text::new(m::PRUNE_BUSY_HINT))
        .detail(
            o.busy
                .iter()
                .map(|b| format!("{}: {}", b.target, b.reason))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    // On a dry run nothing is deleted: count what would be.
    let going: Vec<(String, String)> = if w.dry_run {
        o.decisions
            .iter()
            .filter(|d| !d.keep)
            .map(|d| (d.target.clone(), d.id.to_string()))
            .collect()
    } else {
        o.deleted
            .iter()
            .map(|d| (d.target.clone(), d.id.to_string()))
            .collect()
    };
    let freed: u64 = sizes
        .iter()
        .filter(|(t, id, _)| going.iter().any(|(gt, gid)| gt == t && gid == id))
        .map(|(_, _, s)| s)
        .sum();
    let mut out = Outputs::new();
    out.insert("deleted".into(), Value::from(going.len()));
    out.insert(
        "kept".into(),
        Value::from(o.decisions.iter().filter(|d| d.keep).count()),
    );
    out.insert("freed_bytes".into(), Value::from(freed));
    Ok(out)
}
