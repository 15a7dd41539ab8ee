//! The HTML report: one self-contained file (inline CSS, no scripts, no external assets) that
//! can be mailed or printed and handed to the customer. Verdict and counts first, then the
//! problems with what to do, the 等保 clauses, notes, what could not be checked, every check.

use dbkeeper_core::{Lang, Text};
use dbkeeper_inspect::{Finding, Group, Report, Status, Verdict};

use super::{msg, t};

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn class(s: Status) -> &'static str {
    match s {
        Status::Ok => "ok",
        Status::Info => "info",
        Status::NotRun => "notrun",
        Status::Warning => "warn",
        Status::Critical => "crit",
    }
}

fn badge(s: Status, lang: Lang) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        class(s),
        esc(&super::status_label(s, lang))
    )
}

const CSS: &str = "
:root{--crit:#b42318;--warn:#b54708;--info:#175cd3;--ok:#067647;--notrun:#5d6b82;--line:#e4e7ec;--bg:#f8f9fb}
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#101828;background:var(--bg);line-height:1.55}
main{max-width:1100px;margin:0 auto;padding:24px}
header{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin-bottom:16px}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:18px;margin:28px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:0 0 6px}
.verdict{font-size:17px;font-weight:600;padding:10px 14px;border-radius:8px;margin-top:8px}
.verdict.crit{background:#fef3f2;color:var(--crit)}.verdict.warn{background:#fffaeb;color:var(--warn)}
.verdict.ok{background:#ecfdf3;color:var(--ok)}.verdict.notrun{background:#f2f4f7;color:var(--notrun)}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:14px 0 4px}
.card{flex:1 1 120px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;border-top:4px solid var(--line)}
.card b{display:block;font-size:24px}.card span{font-size:13px;color:#475467}
.card.crit{border-top-color:var(--crit)}.card.warn{border-top-color:var(--warn)}.card.info{border-top-color:var(--info)}
.card.ok{border-top-color:var(--ok)}.card.notrun{border-top-color:var(--notrun)}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:8px;overflow:hidden;font-size:13.5px}
th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
th{background:#f2f4f7;font-weight:600}
td.k{width:170px;color:#475467}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.crit{background:var(--crit)}.badge.warn{background:var(--warn)}.badge.info{background:var(--info)}
.badge.ok{background:var(--ok)}.badge.notrun{background:var(--notrun)}
.badge.pass{background:var(--ok)}.badge.fail{background:var(--crit)}.badge.undecided{background:var(--notrun)}
.problem{background:#fff;border:1px solid var(--line);border-left:5px solid var(--warn);border-radius:8px;padding:12px 16px;margin:10px 0}
.problem.crit{border-left-color:var(--crit)}
.problem p{margin:4px 0}
.label{color:#475467;font-weight:600;margin-right:4px}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f2f4f7;border-radius:6px;padding:8px 10px;white-space:pre-wrap;word-break:break-all;margin:6px 0 0}
details summary{cursor:pointer;color:#475467}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.muted{color:#667085;font-size:13px}
footer{margin:28px 0 8px;color:#667085;font-size:12.5px}
@media print{body{background:#fff}main{padding:0}.problem,table,header{break-inside:avoid}details{display:block}}
";

pub fn html(r: &Report, lang: Lang) -> String {
    let title = Text::new(msg::REPORT_TITLE)
        .arg("target", &r.target)
        .render(lang);
    let html_lang = match lang {
        Lang::En => "en",
        Lang::ZhCn => "zh-CN",
    };
    let mut o = String::with_capacity(64 * 1024);
    o.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    ));

    // Header: title, verdict, counts.
    let vclass = match r.verdict() {
        None => "notrun",
        Some(Status::Critical) => "crit",
        Some(Status::Warning) => "warn",
        Some(_) => "ok",
    };
    o.push_str(&format!("<header>\n<h1>{}</h1>\n", esc(&title)));
    o.push_str(&format!(
        "<div class=\"verdict {vclass}\">{}{}{}</div>\n",
        esc(&t(msg::VERDICT, lang)),
        super::colon(lang),
        esc(&super::verdict_line(r, lang))
    ));
    if r.reachable {
        let c = r.counts();
        o.push_str("<div class=\"cards\">\n");
        for s in Status::BY_SEVERITY {
            o.push_str(&format!(
                "<div class=\"card {}\"><b>{}</b><span>{}</span></div>\n",
                class(s),
                c.get(s),
                esc(&super::status_label(s, lang))
            ));
        }
        o.push_str("</div>\n");
    }
    o.push_str("</header>\n");

    // Summary table.
    o.push_str(&format!(
        "<h2>{}</h2>\n<table>\n",
        esc(&t(msg::SUMMARY, lang))
    ));
    let mut kv = |k: String, v: String| {
        o.push_str(&format!(
            "<tr><td class=\"k\">{}</td><td>{}</td></tr>\n",
            esc(&k),
            esc(&v)
        ));
    };
    kv(t(msg::TARGET, lang), r.target.clone());
    if r.reachable {
        kv(
            t(msg::SERVER, lang),
            format!(
                "{} {} ({})",
                r.product,
                r.version,
                super::role_label(r.role, lang)
            ),
        );
        if let Some(db) = &r.database {
            kv(t(msg::DATABASE, lang), db.clone());
        }
        kv(t(msg::CHECKS, lang), super::counts_line(&r.counts(), lang));
        kv(t(msg::HOST, lang), super::host_line(r, lang));
        if let Some(s) = super::stats_line(r, lang) {
            kv(t(msg::STATS, lang), s);
        }
    }
    if let Some(e) = &r.error {
        kv(t(msg::ERROR, lang), e.render(lang));
    }
    kv(t(msg::PROFILE, lang), r.profile.clone());
    kv(
        t(msg::STARTED, lang),
        format!("{} ({} ms)", super::when(r.started_at), r.duration_ms),
    );
    o.push_str("</table>\n");

    if r.reachable {
        // Problems to act on, worst first.
        o.push_str(&format!("<h2>{}</h2>\n", esc(&t(msg::ACT_NOW, lang))));
        let mut act: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Critical | Status::Warning))
            .collect();
        act.sort_by_key(|f| std::cmp::Reverse(f.status));
        if act.is_empty() {
            o.push_str(&format!(
                "<p class=\"muted\">{}</p>\n",
                esc(&t(msg::NOTHING, lang))
            ));
        }
        for f in act {
            problem(&mut o, f, lang);
        }
    }

    if !r.clauses.is_empty() {
        o.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"muted\">{}</p>\n",
            esc(&t(msg::DJBH3, lang)),
            esc(&t(msg::DJBH3_NOTE, lang))
        ));
        let count = |v: Verdict| r.clauses.iter().filter(|c| c.verdict == v).count();
        o.push_str(&format!(
            "<p>{}</p>\n",
            esc(&Text::new(msg::CLAUSE_COUNTS)
                .arg("pass", count(Verdict::Pass))
                .arg("fail", count(Verdict::Fail))
                .arg("undecided", count(Verdict::CannotDecide))
                .render(lang))
        ));
        o.push_str(&format!(
            "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            esc(&t(msg::COL_CLAUSE, lang)),
            esc(&t(msg::COL_VERDICT, lang)),
            esc(&t(msg::COL_CHECK, lang)),
            esc(&t(msg::COL_ASKS, lang))
        ));
        for c in &r.clauses {
            let cls = match c.verdict {
                Verdict::Pass => "pass",
                Verdict::Fail => "fail",
                Verdict::CannotDecide => "undecided",
            };
            let asks = if c.verdict == Verdict::Pass {
                String::new()
            } else {
                c.assessor_asks.render(lang)
            };
            o.push_str(&format!(
                "<tr><td>{}</td><td><span class=\"badge {cls}\">{}</span></td><td class=\"id\">{}</td><td>{}</td></tr>\n",
                esc(&c.title.render(lang)),
                esc(&t(c.verdict.label(), lang)),
                esc(&c.checks.join(", ")),
                esc(&asks)
            ));
        }
        o.push_str("</table>\n");
    }

    for (s, heading) in [(Status::Info, msg::NOTES), (Status::NotRun, msg::NOT_RUN)] {
        let list: Vec<&Finding> = r.with_status(s).collect();
        if list.is_empty() {
            continue;
        }
        o.push_str(&format!(
            "<h2>{} ({})</h2>\n<table>\n",
            esc(&t(heading, lang)),
            list.len()
        ));
        if s == Status::NotRun {
            o.push_str(&format!(
                "<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                esc(&t(msg::COL_CHECK, lang)),
                esc(&t(msg::COL_TITLE, lang)),
                esc(&t(msg::COL_REASON, lang))
            ));
        } else {
            o.push_str(&format!(
                "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                esc(&t(msg::COL_CHECK, lang)),
                esc(&t(msg::COL_TITLE, lang)),
                esc(&t(msg::COL_FINDING, lang)),
                esc(&t(msg::COL_FIX, lang))
            ));
        }
        for f in list {
            if s == Status::NotRun {
                o.push_str(&format!(
                    "<tr><td class=\"id\">{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(f.check),
                    esc(&f.title.render(lang)),
                    esc(&f
                        .reason
                        .as_ref()
                        .map(|x| x.render(lang))
                        .unwrap_or_default())
                ));
            } else {
                o.push_str(&format!(
                    "<tr><td class=\"id\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    esc(f.check),
                    esc(&f.title.render(lang)),
                    esc(&f.summary.render(lang)),
                    esc(&f
                        .remediation
                        .as_ref()
                        .map(|x| x.render(lang))
                        .unwrap_or_default())
                ));
            }
        }
        o.push_str("</table>\n");
    }

    if !r.findings.is_empty() {
        o.push_str(&format!("<h2>{}</h2>\n", esc(&t(msg::ALL_CHECKS, lang))));
        for g in Group::ALL {
            let list: Vec<&Finding> = r.findings.iter().filter(|f| f.group == g).collect();
            if list.is_empty() {
                continue;
            }
            o.push_str(&format!(
                "<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                esc(&t(g.label(), lang)),
                esc(&t(msg::COL_STATUS, lang)),
                esc(&t(msg::COL_CHECK, lang)),
                esc(&t(msg::COL_TITLE, lang)),
                esc(&t(msg::COL_FINDING, lang))
            ));
            for f in list {
                let text = match f.status {
                    Status::NotRun => f
                        .reason
                        .as_ref()
                        .map(|x| x.render(lang))
                        .unwrap_or_default(),
                    _ => f.summary.render(lang),
                };
                o.push_str(&format!(
                    "<tr><td>{}</td><td class=\"id\">{}</td><td>{}</td><td>{}</td></tr>\n",
                    badge(f.status, lang),
                    esc(f.check),
                    esc(&f.title.render(lang)),
                    esc(&text)
                ));
            }
            o.push_str("</table>\n");
        }
    }
    o.push_str(&format!(
        "<footer>{}</footer>\n</main>\n</body>\n</html>\n",
        esc(&Text::new(msg::FOOTER)
            .arg("version", super::version())
            .render(lang))
    ));
    o
}

/// One problem as a card: what was found, what to do, and the evidence folded away.
fn problem(o: &mut String, f: &Finding, lang: Lang) {
    let cls = if f.status == Status::Critical {
        " crit"
    } else {
        ""
    };
    o.push_str(&format!(
        "<div class=\"problem{cls}\">\n<h3>{} <span class=\"id\">{}</span> {}</h3>\n",
        badge(f.status, lang),
        esc(f.check),
        esc(&f.title.render(lang))
    ));
    o.push_str(&format!(
        "<p><span class=\"label\">{}{}</span>{}</p>\n",
        esc(&t(msg::COL_FINDING, lang)),
        super::colon(lang),
        esc(&f.summary.render(lang))
    ));
    if let Some(fix) = &f.remediation {
        o.push_str(&format!(
            "<p><span class=\"label\">{}{}</span>{}</p>\n",
            esc(&t(msg::COL_FIX, lang)),
            super::colon(lang),
            esc(&fix.render(lang))
        ));
    }
    if let Some(b) = &f.basis {
        o.push_str(&format!(
            "<p class=\"muted\"><span class=\"label\">{}{}</span>{}</p>\n",
            esc(&t(msg::COL_BASIS, lang)),
            super::colon(lang),
            esc(&super::basis_text(b, lang))
        ));
    }
    let mut meta = Vec::new();
    if !f.thresholds.is_empty() {
        meta.push(format!(
            "{}: {}",
            t(msg::COL_THRESHOLDS, lang),
            super::thresholds_text(f)
        ));
    }
    if !f.compliance.is_empty() {
        meta.push(format!(
            "{}: {}",
            t(msg::COL_COMPLIANCE, lang),
            f.compliance.join(", ")
        ));
    }
    if !meta.is_empty() {
        o.push_str(&format!(
            "<p class=\"muted\">{}</p>\n",
            esc(&meta.join(" · "))
        ));
    }
    let ev = super::evidence_lines(&f.evidence, 20);
    if !ev.is_empty() {
        let mut text = ev.join("\n");
        if f.evidence.rows_total > f.evidence.rows.len().min(20) {
            text.push('\n');
            text.push_str(
                &Text::new(msg::MORE_ROWS)
                    .arg("shown", f.evidence.rows.len().min(20))
                    .arg("total", f.evidence.rows_total)
                    .render(lang),
            );
        }
        o.push_str(&format!(
            "<details><summary>{}</summary><pre>{}</pre></details>\n",
            esc(&t(msg::COL_EVIDENCE, lang)),
            esc(&text)
        ));
    }
    o.push_str("</div>\n");
}
