//! The terminal rendering: a header with the verdict, then one table per severity (critical,
//! warning, not run, notes) and the count of checks that passed; the 等保 clauses when the
//! profile has them.

use dbkeeper_core::{Lang, Text};
use dbkeeper_inspect::{Report, Status};

use super::{msg, t};
use crate::table::Table;

/// The report for a terminal `width` columns wide (`None`: let the table pick).
pub fn table(r: &Report, lang: Lang, width: Option<u16>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{}\n",
        Text::new(msg::REPORT_TITLE)
            .arg("target", &r.target)
            .render(lang)
    ));
    let mut head = Table::new(vec![t(msg::SUMMARY, lang), String::new()]);
    head.row(vec![t(msg::VERDICT, lang), super::verdict_line(r, lang)]);
    if r.reachable {
        head.row(vec![
            t(msg::SERVER, lang),
            format!(
                "{} {} ({})",
                r.product,
                r.version,
                super::role_label(r.role, lang)
            ),
        ]);
        if let Some(db) = &r.database {
            head.row(vec![t(msg::DATABASE, lang), db.clone()]);
        }
        head.row(vec![
            t(msg::CHECKS, lang),
            super::counts_line(&r.counts(), lang),
        ]);
        head.row(vec![t(msg::HOST, lang), super::host_line(r, lang)]);
        if let Some(s) = super::stats_line(r, lang) {
            head.row(vec![t(msg::STATS, lang), s]);
        }
    }
    if let Some(e) = &r.error {
        head.row(vec![t(msg::ERROR, lang), e.render(lang)]);
    }
    head.row(vec![t(msg::PROFILE, lang), r.profile.clone()]);
    head.row(vec![
        t(msg::STARTED, lang),
        format!("{} ({} ms)", super::when(r.started_at), r.duration_ms),
    ]);
    if let Some(w) = width {
        head.width(w);
    }
    out.push_str(&head.to_string());
    out.push('\n');

    for s in [
        Status::Critical,
        Status::Warning,
        Status::NotRun,
        Status::Info,
    ] {
        let found: Vec<_> = r.with_status(s).collect();
        if found.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({})\n",
            super::status_label(s, lang).to_uppercase(),
            found.len()
        ));
        let mut tbl = if s == Status::NotRun {
            Table::new(vec![
                t(msg::COL_CHECK, lang),
                t(msg::COL_TITLE, lang),
                t(msg::COL_REASON, lang),
            ])
        } else {
            Table::new(vec![
                t(msg::COL_CHECK, lang),
                t(msg::COL_TITLE, lang),
                t(msg::COL_FINDING, lang),
                t(msg::COL_FIX, lang),
            ])
        };
        for f in found {
            let title = f.title.render(lang);
            if s == Status::NotRun {
                let reason = f
                    .reason
                    .as_ref()
                    .map(|x| x.render(lang))
                    .unwrap_or_default();
                tbl.row(vec![f.check.to_string(), title, reason]);
                continue;
            }
            let mut finding = f.summary.render(lang);
            if let Some(b) = &f.basis {
                finding.push_str(&format!("\n({})", super::basis_text(b, lang)));
            }
            let fix = f
                .remediation
                .as_ref()
                .map(|x| x.render(lang))
                .unwrap_or_default();
            tbl.row(vec![f.check.to_string(), title, finding, fix]);
        }
        if let Some(w) = width {
            tbl.width(w);
        }
        out.push_str(&tbl.to_string());
        out.push('\n');
    }
    let ok = r.counts().ok;
    if ok > 0 {
        out.push_str(&format!(
            "\n{}\n",
            Text::new(msg::ALL_OK).arg("count", ok).render(lang)
        ));
    }
    if !r.clauses.is_empty() {
        out.push_str(&format!("\n{}\n", t(msg::DJBH3, lang)));
        let mut tbl = Table::new(vec![
            t(msg::COL_CLAUSE, lang),
            t(msg::COL_VERDICT, lang),
            t(msg::COL_CHECK, lang),
            t(msg::COL_ASKS, lang),
        ]);
        for c in &r.clauses {
            tbl.row(vec![
                c.title.render(lang),
                t(c.verdict.label(), lang),
                c.checks.join(", "),
                if c.verdict == dbkeeper_inspect::Verdict::Pass {
                    String::new()
                } else {
                    c.assessor_asks.render(lang)
                },
            ]);
        }
        if let Some(w) = width {
            tbl.width(w);
        }
        out.push_str(&tbl.to_string());
        out.push('\n');
    }
    out
}
