//! `validate` and `schedule list|next|install|run`: playbooks and schedules, read strictly.

use std::path::{Path, PathBuf};

use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_playbook::schedule;
use dbkeeper_playbook::Checked;
use dbkeeper_report::Table;

use crate::app::Ctx;
use crate::cli::{Format, InstallKindArg, ScheduleCommand};
use crate::commands::run_msg as m;
use crate::{msg, output};

pub async fn validate(ctx: &Ctx, files: &[PathBuf], online: bool) -> Result<u8, Error> {
    let checked = dbkeeper_playbook::validate(files, ctx.config()?)?;
    let probes = if online {
        let playbooks: Vec<_> = checked
            .iter()
            .filter_map(|c| match c {
                Checked::Playbook(p) => Some(p.as_ref()),
                Checked::Schedule(_) => None,
            })
            .collect();
        Some(crate::commands::online::probe(ctx, &playbooks).await?)
    } else {
        None
    };
    let code = probes
        .iter()
        .flatten()
        .map(|p| p.exit_code)
        .max()
        .unwrap_or(0);
    if ctx.format == Format::Json {
        let rows: Vec<_> = checked
            .iter()
            .map(|c| match c {
                Checked::Playbook(p) => serde_json::json!({
                    "file": p.path, "kind": "playbook", "name": p.name, "steps": p.steps.len(),
                }),
                Checked::Schedule(j) => serde_json::json!({
                    "file": j.path, "kind": "schedule", "name": j.name, "cron": j.cron.source(),
                    "timezone": j.tz.name(),
                }),
            })
            .collect();
        output::json(&serde_json::json!({ "ok": code == 0, "files": rows, "online": probes }))?;
        return Ok(code);
    }
    for c in &checked {
        let line = match c {
            Checked::Playbook(p) => Text::new(msg::VALID_PLAYBOOK)
                .arg("file", p.path.display())
                .arg("name", &p.name)
                .arg("steps", p.steps.len()),
            Checked::Schedule(j) => Text::new(msg::VALID_SCHEDULE)
                .arg("file", j.path.display())
                .arg("name", &j.name)
                .arg("cron", j.cron.source())
                .arg("tz", j.tz.name()),
        };
        output::stdout_line(&line.render(ctx.lang));
    }
    if let Some(probes) = &probes {
        let l = |x| Text::new(x).render(ctx.lang);
        let mut t = Table::new(vec![
            l(m::COL_PLAYBOOK),
            l(m::COL_KIND),
            l(m::COL_NAME),
            l(m::COL_RESULT),
        ]);
        for p in probes {
            let mark = if p.ok { "ok" } else { "FAILED" };
            t.row(vec![
                p.playbook.clone(),
                p.kind.to_string(),
                p.name.clone(),
                format!("{mark}: {}", p.detail),
            ]);
        }
        output::stdout_line(&t.to_string());
        let failed = probes.iter().filter(|p| !p.ok).count();
        if failed > 0 {
            output::stderr_line(
                &Text::new(m::ONLINE_FAILED)
                    .arg("failed", failed)
                    .arg("total", probes.len())
                    .render(ctx.lang),
            );
        }
    }
    Ok(code)
}

pub async fn schedule(ctx: &Ctx, cmd: ScheduleCommand) -> Result<u8, Error> {
    let (dir, count) = match &cmd {
        ScheduleCommand::List { dir } => (dir.as_path(), 1),
        ScheduleCommand::Next { dir, count } => (dir.as_path(), (*count).max(1)),
        ScheduleCommand::Install {
            kind,
            dir,
            out,
            image,
            files_dir,
        } => return install(ctx, *kind, dir, out, image, files_dir),
        ScheduleCommand::Run { dir } => return run_loop(ctx, dir).await,
    };
    let jobs = load_jobs(dir)?;
    let status = schedule::status(&jobs, Some(&ctx.state.ledger), chrono::Utc::now(), count)?;
    if ctx.format == Format::Json {
        output::json(&status)?;
        return Ok(0);
    }
    let l = |m| Text::new(m).render(ctx.lang);
    let none = || l(msg::NEVER);
    let table = match cmd {
        ScheduleCommand::List { .. } => {
            let mut t = Table::new(vec![
                l(msg::COL_JOB),
                l(msg::COL_PLAYBOOK),
                "cron".into(),
                l(msg::COL_TZ),
                l(msg::COL_MISSED),
                l(msg::COL_NEXT),
                l(msg::COL_LAST),
            ]);
            for s in &status {
                t.row(vec![
                    s.job.clone(),
                    s.playbook.clone(),
                    s.cron.clone(),
                    s.timezone.clone(),
                    serde_json::to_value(s.missed)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    if s.enabled {
                        s.next.first().cloned().unwrap_or_else(none)
                    } else {
                        l(msg::DISABLED)
                    },
                    s.last_slot.clone().unwrap_or_else(none),
                ]);
            }
            t
        }
        ScheduleCommand::Next { .. } => {
            let mut t = Table::new(vec![l(msg::COL_JOB), l(msg::COL_NEXT), "UTC".into()]);
            for s in &status {
                for (local, utc) in s.next.iter().zip(&s.next_utc) {
                    t.row(vec![s.job.clone(), local.clone(), utc.clone()]);
                }
            }
            t
        }
        ScheduleCommand::Install { .. } | ScheduleCommand::Run { .. } => return Ok(0),
    };
    output::stdout_line(&table.to_string());
    Ok(0)
}

fn load_jobs(dir: &Path) -> Result<Vec<schedule::Job>, Error> {
    schedule::load_dir(dir)
}

/// The enabled jobs of `dir`; none is a config error, since a launcher for nothing is a mistake.
fn enabled_jobs(dir: &Path) -> Result<Vec<schedule::Job>, Error> {
    let jobs: Vec<schedule::Job> = load_jobs(dir)?.into_iter().filter(|j| j.enabled).collect();
    if jobs.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(m::INSTALL_NO_JOBS).arg("dir", dir.display()),
        )
        .hint(Text::new(m::INSTALL_NO_JOBS_HINT)));
    }
    Ok(jobs)
}

/// This binary, as launchers must call it: by absolute path, since cron and systemd run with a
/// minimal PATH.
fn current_exe() -> Result<PathBuf, Error> {
    std::env::current_exe()
        .map_err(|e| Error::new(ErrorKind::Internal, Text::new(m::EXE)).detail(e))
}

/// The host's zone name: `TZ`, else the target of the /etc/localtime link
/// (`…/zoneinfo/Asia/Shanghai`). Crontab lines of jobs in another zone then get `CRON_TZ=`.
fn host_tz_name() -> Option<String> {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':').to_string();
        if !tz.is_empty() {
            return Some(tz);
        }
    }
    let link = std::fs::read_link("/etc/localtime").ok()?;
    let s = link.to_string_lossy().into_owned();
    s.split_once("zoneinfo/").map(|(_, name)| name.to_string())
}

fn install(
    ctx: &Ctx,
    kind: InstallKindArg,
    dir: &Path,
    out: &Path,
    image: &str,
    files_dir: &Path,
) -> Result<u8, Error> {
    let jobs = enabled_jobs(dir)?;
    let opts = schedule::InstallOptions {
        exe: current_exe()?,
        config: ctx.config()?.and_then(|c| c.source.clone()),
        state_dir: Some(ctx.state.dir().to_path_buf()),
        host_tz: host_tz_name().and_then(|n| n.parse().ok()),
        image: image.to_string(),
        k8s_files_dir: files_dir.to_path_buf(),
    };
    let kind = match kind {
        InstallKindArg::Systemd => schedule::InstallKind::Systemd,
        InstallKindArg::Cron => schedule::InstallKind::Cron,
        InstallKindArg::Kubernetes => schedule::InstallKind::Kubernetes,
    };
    let rendered = schedule::render(&jobs, kind, &opts)?;
    let mut written = Vec::with_capacity(rendered.len());
    for r in &rendered {
        let path = out.join(&r.file);
        crate::commands::inspect::write_atomically(&path, r.contents.as_bytes()).map_err(|e| {
            Error::new(
                ErrorKind::CantCreate,
                Text::new(m::INSTALL_WRITE).arg("path", path.display()),
            )
            .hint(Text::new(m::INSTALL_WRITE_HINT))
            .detail(e)
        })?;
        written.push(path);
    }
    ctx.audit(
        "schedule.install",
        None,
        0,
        serde_json::json!({ "kind": format!("{kind:?}").to_lowercase(), "files": written }),
    )?;
    if ctx.format == Format::Json {
        output::json(&serde_json::json!({ "files": written }))?;
        return Ok(0);
    }
    for p in &written {
        output::stdout_line(&p.display().to_string());
    }
    let next = match kind {
        schedule::InstallKind::Systemd => Text::new(m::INSTALL_NEXT_SYSTEMD),
        schedule::InstallKind::Cron => Text::new(m::INSTALL_NEXT_CRON).arg(
            "path",
            written
                .first()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        schedule::InstallKind::Kubernetes => {
            Text::new(m::INSTALL_NEXT_K8S).arg("dir", out.display())
        }
    };
    ctx.note(next);
    Ok(0)
}

/// `schedule run`: the library's loop, launching `dbkeeper run` children with this process's
/// state directory, config and language, and saying on stderr what it does.
async fn run_loop(ctx: &Ctx, dir: &Path) -> Result<u8, Error> {
    let jobs = enabled_jobs(dir)?;
    let mut global_args = vec![
        "--state-dir".to_string(),
        ctx.state.dir().display().to_string(),
        "--lang".to_string(),
        ctx.lang.code().to_string(),
    ];
    if let Some(c) = ctx.config()?.and_then(|c| c.source.clone()) {
        global_args.push("--config".into());
        global_args.push(c.display().to_string());
    }
    if ctx.quiet {
        global_args.push("-q".into());
    }
    let launcher = schedule::ProcessLauncher {
        exe: current_exe()?,
        global_args,
    };
    if !ctx.quiet {
        output::stderr_line(
            &Text::new(m::LOOP_START)
                .arg("count", jobs.len())
                .arg("dir", dir.display())
                .render(ctx.lang),
        );
    }
    let lang = ctx.lang;
    let quiet = ctx.quiet;
    let slot_of = |s: &schedule::Slot| s.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut on_event = |e: schedule::LoopEvent| {
        let (text, problem) = match e {
            schedule::LoopEvent::Launched {
                job,
                slot,
                catch_up,
            } => (
                Text::new(if catch_up {
                    m::LOOP_CATCH_UP
                } else {
                    m::LOOP_LAUNCHED
                })
                .arg("job", job)
                .arg("slot", slot_of(&slot)),
                false,
            ),
            schedule::LoopEvent::Finished {
                job,
                slot,
                exit_code,
            } => (
                Text::new(m::LOOP_FINISHED)
                    .arg("job", job)
                    .arg("slot", slot_of(&slot))
                    .arg("code", exit_code),
                exit_code != 0,
            ),
            schedule::LoopEvent::LaunchFailed { job, slot, error } => (
                Text::new(m::LOOP_FAILED)
                    .arg("job", job)
                    .arg("slot", slot_of(&slot))
                    .arg("error", error),
                true,
            ),
            schedule::LoopEvent::Missed { job, slot } => (
                Text::new(m::LOOP_MISSED)
                    .arg("job", job)
                    .arg("slot", slot_of(&slot)),
                false,
            ),
        };
        // Under -q only what went wrong, as for every other command.
        if problem || !quiet {
            output::stderr_line(&text.render(lang));
        }
    };
    // Ctrl-C is handled by the command dispatcher, which drops this loop; the runs it started
    // are separate processes and finish (and record themselves) on their own.
    schedule::run_loop(
        &jobs,
        &ctx.state.ledger,
        &launcher,
        &schedule::SystemClock,
        std::future::pending::<()>(),
        &mut on_event,
    )
    .await?;
    Ok(0)
}
