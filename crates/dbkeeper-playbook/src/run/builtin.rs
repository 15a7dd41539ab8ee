//! The actions this crate runs itself: `sql` (through the caller's [`Connector`]) and `notify`.

use dbkeeper_core::{Error, ErrorKind, Result, Text};
use serde_json::Value;

use super::context::{Connector, Outputs, StepContext};
use crate::model::{NotifyWith, SqlWith};
use crate::msg;
use crate::notify::{Delivery, Message, Notifier};

/// Runs the query; outputs `rows` and `value` (the first column of the first row), then checks
/// `expect` against the value.
pub(super) async fn sql(
    ctx: &StepContext<'_>,
    w: &SqlWith,
    connector: &dyn Connector,
) -> Result<Outputs> {
    let mut target = ctx.target(&w.target)?;
    if let Some(db) = &w.database {
        target.database = Some(db.clone());
    }
    let engine = connector.connect(&target).await?;
    let rows = engine.query(&w.query).await?;
    let value = rows
        .first()
        .and_then(|r| r.values().next())
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(expect) = &w.expect {
        if rows.is_empty() {
            return Err(Error::new(
                ErrorKind::Failed,
                Text::new(msg::SQL_NO_ROWS).arg("expect", expect),
            )
            .at(target.name.clone())
            .hint(Text::new(msg::SQL_EXPECT_HINT)));
        }
        expect.check(&value).map_err(|what| {
            Error::new(ErrorKind::Failed, what)
                .at(target.name.clone())
                .hint(Text::new(msg::SQL_EXPECT_HINT))
        })?;
    }
    let mut out = Outputs::new();
    out.insert("rows".into(), Value::from(rows.len()));
    out.insert("value".into(), value);
    Ok(out)
}

/// Sends the message to each channel. Fails (so that retries and `on_failure` apply) when a
/// channel could not be told; every delivery is returned for the ledger and the report.
pub(super) async fn notify(
    ctx: &StepContext<'_>,
    w: &NotifyWith,
    notifier: &Notifier,
    deliveries: &mut Vec<Delivery>,
) -> Result<Outputs> {
    let text = ctx.render(&w.message)?;
    let title = match &w.title {
        Some(t) => ctx.render(t)?,
        None => format!("[dbkeeper] {}", ctx.playbook.name),
    };
    let message = Message {
        title,
        text,
        fields: serde_json::json!({
            "playbook": ctx.playbook.name,
            "step": ctx.step_id,
            "run_id": ctx.playbook_run_id,
        }),
    };
    let (mut ok, mut failed) = (0u32, Vec::new());
    for name in &w.channels {
        let channel = ctx.channel(name)?;
        let d = notifier.send(&channel, &message, "step").await;
        if d.delivered {
            ok += 1;
        } else {
            failed.push(format!(
                "{}: {}",
                d.channel,
                d.error.clone().unwrap_or_default()
            ));
        }
        deliveries.push(d);
    }
    if !failed.is_empty() {
        return Err(Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::NOTIFY_STEP_FAILED).arg("count", failed.len()),
        )
        .hint(Text::new(msg::NOTIFY_FAILED_HINT))
        .detail(failed.join("; ")));
    }
    let mut out = Outputs::new();
    out.insert("delivered".into(), Value::from(ok));
    out.insert("failed".into(), Value::from(failed.len()));
    Ok(out)
}
