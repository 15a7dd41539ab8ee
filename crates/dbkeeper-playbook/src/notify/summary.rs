//! The summary of a run that channels receive: what happened, the key figures, where the reports
//! are — in the channel's language, and with nothing secret in it (errors are dbkeeper's own
//! messages, which never hold passwords; outputs are ids, sizes, counts and paths).

use dbkeeper_core::{Lang, Text};
use serde_json::{json, Value};

use super::Message;
use crate::msg;
use crate::run::{human_ms, RunReport, StepStatus};

/// Outputs that name a file the reader may want to open.
const REPORT_KEYS: &[&str] = &["report_path", "plan_path", "path"];

pub fn build(report: &RunReport, lang: Lang, event: &str) -> Message {
    let title_msg = match event {
        "failure" => msg::SUMMARY_FAILED,
        "recovery" => msg::SUMMARY_RECOVERED,
        _ => msg::SUMMARY_OK,
    };
    let title = Text::new(title_msg)
        .arg("playbook", &report.playbook)
        .render(lang);
    let host = dbkeeper_core::host::hostname();
    let mut lines = vec![Text::new(msg::SUMMARY_FACTS)
        .arg("host", &host)
        .arg("started", &report.started_at)
        .arg("duration", human_ms(report.duration_ms))
        .arg("run", report.playbook_run_id.unwrap_or_default())
        .render(lang)];
    if let Some(slot) = &report.scheduled_for {
        lines.push(Text::new(msg::SUMMARY_SLOT).arg("slot", slot).render(lang));
    }
    let mut reports = Vec::new();
    for s in report.steps.iter().chain(&report.handlers) {
        match s.status {
            StepStatus::Failed => {
                let why = s
                    .error_full
                    .as_ref()
                    .map(|e| {
                        let mut w = e.main.what.render(lang);
                        if let Some(d) = &e.detail {
                            w.push_str(": ");
                            w.push_str(d);
                        }
                        w
                    })
                    .or_else(|| s.error.clone())
                    .unwrap_or_default();
                lines.push(format!("✗ {} ({}): {}", s.id, s.action, first_line(&why)));
            }
            StepStatus::Ok => {
                let figures: Vec<String> = s
                    .outputs
                    .iter()
                    .filter(|(k, _)| !REPORT_KEYS.contains(&k.as_str()))
                    .map(|(k, v)| format!("{k}={}", figure(k, v)))
                    .collect();
                lines.push(format!(
                    "✓ {} ({}, {}){}{}",
                    s.id,
                    s.action,
                    human_ms(s.duration_ms),
                    if figures.is_empty() { "" } else { ": " },
                    figures.join(", ")
                ));
                for k in REPORT_KEYS {
                    if let Some(Value::String(p)) = s.outputs.get(*k) {
                        reports.push(p.clone());
                    }
                }
            }
            StepStatus::Skipped | StepStatus::Planned => {
                lines.push(format!("- {} ({})", s.id, s.action));
            }
        }
    }
    for p in &reports {
        lines.push(Text::new(msg::SUMMARY_REPORT).arg("path", p).render(lang));
    }
    let steps: Vec<Value> = report
        .steps
        .iter()
        .chain(&report.handlers)
        .map(|s| {
            json!({
                "id": s.id,
                "action": s.action,
                "target": s.target,
                "status": s.status,
                "attempts": s.attempts,
                "duration_ms": s.duration_ms,
                "outputs": s.outputs,
                "error": s.error,
            })
        })
        .collect();
    Message {
        title,
        text: lines.join("\n"),
        fields: json!({
            "playbook": report.playbook,
            "event": event,
            "outcome": report.outcome,
            "exit_code": report.exit_code(),
            "host": host,
            "run_id": report.playbook_run_id,
            "started_at": report.started_at,
            "duration_ms": report.duration_ms,
            "scheduled_for": report.scheduled_for,
            "steps": steps,
            "reports": reports,
            "lang": lang.code(),
        }),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// Sizes and durations in units people read; other values as they are.
fn figure(key: &str, v: &Value) -> String {
    match (v.as_u64(), key) {
        (Some(n), k) if k.ends_with("_bytes") => human_bytes(n),
        (Some(n), k) if k.ends_with("_ms") => human_ms(n),
        _ => match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
