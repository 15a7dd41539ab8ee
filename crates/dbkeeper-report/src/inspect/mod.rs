//! Inspection reports, all rendered from one [`Report`]: a terminal table grouped by severity,
//! stable JSON, Markdown and self-contained HTML for people who are not engineers (Chinese or
//! English, summary first), one Nagios status line, a Prometheus text file, and the catalogue
//! for `--list`. [`exit_code`] gives 0 ok, 1 warning, 2 critical, 3 could not inspect.

mod html;
mod json;
mod list;
mod markdown;
mod monitor;
pub mod msg;
mod text;

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::Role;
use dbkeeper_core::{Lang, Msg, Text};
use dbkeeper_inspect::{Basis, BasisKind, Counts, Evidence, Finding, Report, Status};

pub use html::html;
pub use json::{json, SCHEMA_VERSION};
pub use list::{catalogue_json, catalogue_table};
pub use markdown::markdown;
pub use monitor::{nagios, prometheus, write_prometheus};
pub use text::table;

/// DESIGN §10: 0 ok, 1 warnings, 2 something critical, 3 could not inspect.
pub fn exit_code(report: &Report) -> u8 {
    report.exit_code()
}

fn t(m: Msg, lang: Lang) -> String {
    Text::new(m).render(lang)
}

/// RFC 3339 with the local offset, to the second (DESIGN §10).
fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// ": " in English, "：" in Chinese.
fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ": ",
        Lang::ZhCn => "：",
    }
}

fn status_label(s: Status, lang: Lang) -> String {
    t(s.label(), lang)
}

fn role_label(r: Option<Role>, lang: Lang) -> String {
    match r {
        Some(Role::Primary) => t(msg::ROLE_PRIMARY, lang),
        Some(Role::Replica) => t(msg::ROLE_REPLICA, lang),
        None => "-".into(),
    }
}

/// The one-line verdict people read first.
fn verdict_line(r: &Report, lang: Lang) -> String {
    let c = r.counts();
    match r.verdict() {
        None => t(msg::VERDICT_UNREACHABLE, lang),
        Some(Status::Critical) => Text::new(msg::VERDICT_CRITICAL)
            .arg("critical", c.critical)
            .arg("warning", c.warning)
            .render(lang),
        Some(Status::Warning) => Text::new(msg::VERDICT_WARNING)
            .arg("warning", c.warning)
            .render(lang),
        Some(_) => t(msg::VERDICT_OK, lang),
    }
}

fn counts_line(c: &Counts, lang: Lang) -> String {
    Text::new(msg::COUNTS)
        .arg("critical", c.critical)
        .arg("warning", c.warning)
        .arg("info", c.info)
        .arg("not_run", c.not_run)
        .arg("ok", c.ok)
        .render(lang)
}

fn host_line(r: &Report, lang: Lang) -> String {
    match &r.host {
        None => t(msg::HOST_REMOTE, lang),
        Some(h) => {
            let (free, total) = h.data_fs.as_ref().map_or(("?".into(), "?".into()), |f| {
                (
                    crate::units::bytes(f.free_bytes),
                    crate::units::bytes(f.total_bytes),
                )
            });
            Text::new(msg::HOST_LINE)
                .arg("host", &h.hostname)
                .arg("cpus", h.cpus)
                .arg(
                    "memory",
                    h.memory_total_bytes
                        .map_or_else(|| "?".into(), crate::units::bytes),
                )
                .arg("free", free)
                .arg("total", total)
                .render(lang)
        }
    }
}

fn stats_line(r: &Report, lang: Lang) -> Option<String> {
    let s = r.stats.as_ref()?;
    let uptime = s
        .uptime_seconds
        .map_or_else(|| "?".into(), crate::units::duration_secs);
    let reset = s.stats_reset.map_or_else(|| t(msg::NEVER, lang), when);
    let mut line = match (s.basis, s.previous_snapshot_at) {
        (BasisKind::Delta, Some(p)) => Text::new(msg::STATS_DELTA)
            .arg("since", when(p))
            .arg("uptime", uptime)
            .arg("reset", reset)
            .render(lang),
        _ => Text::new(msg::STATS_LIFETIME)
            .arg("uptime", uptime)
            .arg("reset", reset)
            .render(lang),
    };
    if s.restarted {
        line.push_str("; ");
        line.push_str(&t(msg::STATS_RESTARTED, lang));
    }
    Some(line)
}

fn basis_text(b: &Basis, lang: Lang) -> String {
    let since = b.since.map_or_else(|| "?".into(), when);
    let period = crate::units::duration_secs(b.seconds.max(0.0).round() as u64);
    let mut s = match b.kind {
        BasisKind::Delta => Text::new(msg::BASIS_DELTA),
        BasisKind::Lifetime => Text::new(msg::BASIS_LIFETIME),
    }
    .arg("since", since)
    .arg("period", period)
    .render(lang);
    if let Some(why) = &b.why {
        s.push_str(" — ");
        s.push_str(&why.render(lang));
    }
    s
}

fn thresholds_text(f: &Finding) -> String {
    f.thresholds
        .iter()
        .map(|t| {
            if t.overridden {
                format!("{} {}*", t.name, t.shown)
            } else {
                format!("{} {}", t.name, t.shown)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Evidence as short text lines: `key: value` for values, one line per row (capped).
fn evidence_lines(e: &Evidence, max_rows: usize) -> Vec<String> {
    let mut out: Vec<String> = e
        .values
        .iter()
        .map(|(k, v)| format!("{k}: {}", value_text(v)))
        .collect();
    for row in e.rows.iter().take(max_rows) {
        out.push(
            row.iter()
                .map(|(k, v)| format!("{k}={}", value_text(v)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    out
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[cfg(test)]
mod tests;
