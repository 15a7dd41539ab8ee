//! `validate` and `schedule list|next`: playbooks and schedules, read strictly.

use std::path::{Path, PathBuf};

use dbkeeper_core::{Error, Text};
use dbkeeper_playbook::schedule;
use dbkeeper_playbook::Checked;
use dbkeeper_report::Table;

use crate::app::Ctx;
use crate::cli::{Format, ScheduleCommand};
use crate::{msg, output};

pub fn validate(ctx: &Ctx, files: &[PathBuf]) -> Result<u8, Error> {
    let checked = dbkeeper_playbook::validate(files, ctx.config()?)?;
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
        output::json(&serde_json::json!({ "ok": true, "files": rows }))?;
        return Ok(0);
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
    Ok(0)
}

pub fn schedule(ctx: &Ctx, cmd: ScheduleCommand) -> Result<u8, Error> {
    let (dir, count) = match &cmd {
        ScheduleCommand::List { dir } => (dir.as_path(), 1),
        ScheduleCommand::Next { dir, count } => (dir.as_path(), (*count).max(1)),
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
    };
    output::stdout_line(&table.to_string());
    Ok(0)
}

fn load_jobs(dir: &Path) -> Result<Vec<schedule::Job>, Error> {
    schedule::load_dir(dir)
}
