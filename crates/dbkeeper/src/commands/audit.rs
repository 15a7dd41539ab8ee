//! `audit show` and `audit verify`.

use dbkeeper_core::{Error, Text};
use dbkeeper_report::Table;

use crate::app::Ctx;
use crate::cli::{AuditCommand, Format};
use crate::{msg, output};

pub fn run(ctx: &Ctx, cmd: AuditCommand) -> Result<u8, Error> {
    match cmd {
        AuditCommand::Show { limit } => show(ctx, limit),
        AuditCommand::Verify => verify(ctx),
    }
}

fn show(ctx: &Ctx, limit: usize) -> Result<u8, Error> {
    let all = ctx.state.audit.read_all()?;
    let shown = &all[all.len().saturating_sub(limit)..];
    if ctx.format == Format::Json {
        output::json(&shown)?;
        return Ok(0);
    }
    let l = |m| Text::new(m).render(ctx.lang);
    let mut table = Table::new(vec![
        "#".into(),
        l(msg::COL_TIME),
        l(msg::COL_USER),
        l(msg::COL_ACTION),
        l(msg::COL_TARGET),
        l(msg::COL_OUTCOME),
    ]);
    for e in shown {
        table.row(vec![
            e.seq.to_string(),
            e.ts.clone(),
            format!("{}@{}", e.user, e.host),
            e.action.clone(),
            e.target.clone().unwrap_or_default(),
            if e.exit_code == 0 {
                l(msg::OUTCOME_OK)
            } else {
                format!("{} ({})", l(msg::OUTCOME_FAILED), e.exit_code)
            },
        ]);
    }
    if table.is_empty() {
        ctx.note(Text::new(msg::AUDIT_EMPTY).arg("path", ctx.state.audit.path().display()));
    } else {
        output::stdout_line(&table.to_string());
    }
    Ok(0)
}

fn verify(ctx: &Ctx) -> Result<u8, Error> {
    let n = ctx.state.verify_audit()?;
    let path = ctx.state.audit.path().display().to_string();
    if ctx.format == Format::Json {
        output::json(&serde_json::json!({ "ok": true, "entries": n, "path": path }))?;
    } else {
        output::stdout_line(
            &Text::new(msg::AUDIT_OK)
                .arg("entries", n)
                .arg("path", path)
                .render(ctx.lang),
        );
    }
    Ok(0)
}
