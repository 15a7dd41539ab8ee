//! The Markdown report (巡检报告) for people: verdict and summary first, then the problems to act
//! on with what to do, the 等保 clauses, notes, what could not be checked, and every check.

use dbkeeper_core::{Lang, Text};
use dbkeeper_inspect::{Finding, Report, Status, Verdict};

use super::{msg, t};

/// A table cell: pipes escaped, line breaks as `<br>`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

pub fn markdown(r: &Report, lang: Lang) -> String {
    let mut o = String::new();
    o.push_str(&format!(
        "# {}\n\n",
        Text::new(msg::REPORT_TITLE)
            .arg("target", &r.target)
            .render(lang)
    ));
    o.push_str(&format!(
        "> **{}**{}{}\n\n",
        t(msg::VERDICT, lang),
        super::colon(lang),
        super::verdict_line(r, lang)
    ));
    o.push_str(&format!("| {} | |\n|---|---|\n", t(msg::SUMMARY, lang)));
    let mut row = |k: String, v: String| o.push_str(&format!("| {} | {} |\n", cell(&k), cell(&v)));
    row(t(msg::TARGET, lang), r.target.clone());
    if r.reachable {
        row(
            t(msg::SERVER, lang),
            format!(
                "{} {} ({})",
                r.product,
                r.version,
                super::role_label(r.role, lang)
            ),
        );
        if let Some(db) = &r.database {
            row(t(msg::DATABASE, lang), db.clone());
        }
        row(t(msg::CHECKS, lang), super::counts_line(&r.counts(), lang));
        row(t(msg::HOST, lang), super::host_line(r, lang));
        if let Some(s) = super::stats_line(r, lang) {
            row(t(msg::STATS, lang), s);
        }
    }
    if let Some(e) = &r.error {
        row(t(msg::ERROR, lang), e.render(lang));
    }
    row(t(msg::PROFILE, lang), r.profile.clone());
    row(
        t(msg::STARTED, lang),
        format!("{} ({} ms)", super::when(r.started_at), r.duration_ms),
    );
    o.push('\n');

    let act: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Critical | Status::Warning))
        .collect();
    if r.reachable {
        o.push_str(&format!("## {}\n\n", t(msg::ACT_NOW, lang)));
        if act.is_empty() {
            o.push_str(&format!("{}\n\n", t(msg::NOTHING, lang)));
        }
        let mut ordered = act.clone();
        ordered.sort_by_key(|f| std::cmp::Reverse(f.status));
        for f in ordered {
            o.push_str(&format!(
                "### [{}] {} {}\n\n",
                super::status_label(f.status, lang),
                f.check,
                f.title.render(lang)
            ));
            o.push_str(&format!(
                "- **{}**{}{}\n",
                t(msg::COL_FINDING, lang),
                super::colon(lang),
                f.summary.render(lang)
            ));
            if let Some(fix) = &f.remediation {
                o.push_str(&format!(
                    "- **{}**{}{}\n",
                    t(msg::COL_FIX, lang),
                    super::colon(lang),
                    fix.render(lang)
                ));
            }
            if let Some(b) = &f.basis {
                o.push_str(&format!(
                    "- **{}**{}{}\n",
                    t(msg::COL_BASIS, lang),
                    super::colon(lang),
                    super::basis_text(b, lang)
                ));
            }
            if !f.thresholds.is_empty() {
                o.push_str(&format!(
                    "- **{}**{}{}\n",
                    t(msg::COL_THRESHOLDS, lang),
                    super::colon(lang),
                    super::thresholds_text(f)
                ));
            }
            if !f.compliance.is_empty() {
                o.push_str(&format!(
                    "- **{}**{}{}\n",
                    t(msg::COL_COMPLIANCE, lang),
                    super::colon(lang),
                    f.compliance.join(", ")
                ));
            }
            let ev = super::evidence_lines(&f.evidence, 10);
            if !ev.is_empty() {
                o.push_str(&format!(
                    "- **{}**\n\n  ```text\n",
                    t(msg::COL_EVIDENCE, lang)
                ));
                for l in ev {
                    o.push_str(&format!("  {l}\n"));
                }
                if f.evidence.rows_total > f.evidence.rows.len().min(10) {
                    o.push_str(&format!(
                        "  {}\n",
                        Text::new(msg::MORE_ROWS)
                            .arg("shown", f.evidence.rows.len().min(10))
                            .arg("total", f.evidence.rows_total)
                            .render(lang)
                    ));
                }
                o.push_str("  ```\n");
            }
            o.push('\n');
        }
    }

    if !r.clauses.is_empty() {
        o.push_str(&format!(
            "## {}\n\n{}\n\n",
            t(msg::DJBH3, lang),
            t(msg::DJBH3_NOTE, lang)
        ));
        let count = |v: Verdict| r.clauses.iter().filter(|c| c.verdict == v).count();
        o.push_str(&format!(
            "{}\n\n",
            Text::new(msg::CLAUSE_COUNTS)
                .arg("pass", count(Verdict::Pass))
                .arg("fail", count(Verdict::Fail))
                .arg("undecided", count(Verdict::CannotDecide))
                .render(lang)
        ));
        o.push_str(&format!(
            "| {} | {} | {} | {} |\n|---|---|---|---|\n",
            t(msg::COL_CLAUSE, lang),
            t(msg::COL_VERDICT, lang),
            t(msg::COL_CHECK, lang),
            t(msg::COL_ASKS, lang)
        ));
        for c in &r.clauses {
            let asks = if c.verdict == Verdict::Pass {
                String::new()
            } else {
                c.assessor_asks.render(lang)
            };
            o.push_str(&format!(
                "| {} | **{}** | {} | {} |\n",
                cell(&c.title.render(lang)),
                t(c.verdict.label(), lang),
                c.checks.join(", "),
                cell(&asks)
            ));
        }
        o.push('\n');
    }

    let section = |o: &mut String, s: Status, title: dbkeeper_core::Msg| {
        let list: Vec<&Finding> = r.with_status(s).collect();
        if list.is_empty() {
            return;
        }
        o.push_str(&format!("## {} ({})\n\n", t(title, lang), list.len()));
        let (third, fourth) = if s == Status::NotRun {
            (t(msg::COL_REASON, lang), None)
        } else {
            (t(msg::COL_FINDING, lang), Some(t(msg::COL_FIX, lang)))
        };
        match &fourth {
            Some(f) => o.push_str(&format!(
                "| {} | {} | {} | {} |\n|---|---|---|---|\n",
                t(msg::COL_CHECK, lang),
                t(msg::COL_TITLE, lang),
                third,
                f
            )),
            None => o.push_str(&format!(
                "| {} | {} | {} |\n|---|---|---|\n",
                t(msg::COL_CHECK, lang),
                t(msg::COL_TITLE, lang),
                third
            )),
        }
        for f in list {
            let title = cell(&f.title.render(lang));
            if s == Status::NotRun {
                let why = f
                    .reason
                    .as_ref()
                    .map(|x| x.render(lang))
                    .unwrap_or_default();
                o.push_str(&format!("| {} | {} | {} |\n", f.check, title, cell(&why)));
            } else {
                let fix = f
                    .remediation
                    .as_ref()
                    .map(|x| x.render(lang))
                    .unwrap_or_default();
                o.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    f.check,
                    title,
                    cell(&f.summary.render(lang)),
                    cell(&fix)
                ));
            }
        }
        o.push('\n');
    };
    section(&mut o, Status::Info, msg::NOTES);
    section(&mut o, Status::NotRun, msg::NOT_RUN);

    if !r.findings.is_empty() {
        o.push_str(&format!("## {}\n\n", t(msg::ALL_CHECKS, lang)));
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|\n",
            t(msg::COL_STATUS, lang),
            t(msg::COL_CHECK, lang),
            t(msg::COL_GROUP, lang),
            t(msg::COL_TITLE, lang),
            t(msg::COL_FINDING, lang)
        ));
        for f in &r.findings {
            o.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                super::status_label(f.status, lang),
                f.check,
                t(f.group.label(), lang),
                cell(&f.title.render(lang)),
                cell(&f.summary.render(lang))
            ));
        }
        o.push('\n');
    }
    o.push_str(&format!(
        "---\n\n{}\n",
        Text::new(msg::FOOTER)
            .arg("version", super::version())
            .render(lang)
    ));
    o
}
