//! The drill report: one model, rendered as JSON (for programs and the ledger), Markdown and
//! HTML (for the customer), in English or Chinese. The summary comes first.

use chrono::{DateTime, Utc};
use dbkeeper_core::{Lang, Text};

use crate::msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub fn text(self) -> Text {
        Text::new(match self {
            Verdict::Pass => msg::PASS,
            Verdict::Fail => msg::FAIL,
        })
    }
}

/// One check with what was expected, what was found and the verdict.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Check {
    /// `integrity`, `rows`, `objects`, `engine`, `sanity`, `rto`, `rpo`.
    pub kind: String,
    pub name: String,
    pub expected: String,
    pub actual: String,
    pub verdict: Verdict,
    /// The name and the expectation in Chinese where they are dbkeeper's own words (table
    /// names and the caller's queries read the same in both languages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_zh: Option<String>,
}

impl Check {
    /// Names and expectations given as messages, rendered in both languages.
    pub fn localized(&mut self, name: Option<&Text>, expected: Option<&Text>) -> &mut Check {
        if let Some(n) = name {
            self.name = n.render(Lang::En);
            self.name_zh = Some(n.render(Lang::ZhCn));
        }
        if let Some(e) = expected {
            self.expected = e.render(Lang::En);
            self.expected_zh = Some(e.render(Lang::ZhCn));
        }
        self
    }

    pub fn name_in(&self, lang: Lang) -> &str {
        match (lang, &self.name_zh) {
            (Lang::ZhCn, Some(z)) => z,
            _ => &self.name,
        }
    }

    pub fn expected_in(&self, lang: Lang) -> &str {
        match (lang, &self.expected_zh) {
            (Lang::ZhCn, Some(z)) => z,
            _ => &self.expected,
        }
    }
}

/// Wall time of one phase.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Phase {
    /// `verify` (hashes and key), `scratch`, `restore`, `checks`.
    pub name: String,
    pub seconds: f64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Teardown {
    pub server_pid: Option<u32>,
    pub process_left: bool,
    pub directory_left: bool,
}

/// Everything a drill proved, for the customer's file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DrillReport {
    pub drill_id: String,
    pub backup_id: String,
    pub target: String,
    pub repo: String,
    pub kind: String,
    pub engine: String,
    pub server_version: String,
    /// SHA-256 of the manifest as stored: exactly which backup was drilled.
    pub manifest_sha256: String,
    pub dbkeeper_version: String,
    pub host: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// When the backup's data is from (its snapshot), and how old it was at the drill.
    pub backup_point: DateTime<Utc>,
    /// What `backup_point` is: the backup's snapshot, or the newest value of a named column.
    pub rpo_basis: String,
    pub rpo_seconds: f64,
    pub rpo_max_seconds: Option<f64>,
    /// Fetch, check, restore and verify, end to end.
    pub rto_seconds: f64,
    pub rto_max_seconds: Option<f64>,
    pub phases: Vec<Phase>,
    pub checks: Vec<Check>,
    pub verdict: Verdict,
    pub teardown: Teardown,
}

impl DrillReport {
    pub fn failed(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.verdict == Verdict::Fail)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn to_markdown(&self, lang: Lang) -> String {
        let t = |m| Text::new(m).render(lang);
        let mut s = format!(
            "# {}\n\n",
            Text::new(msg::TITLE)
                .arg("target", &self.target)
                .render(lang)
        );
        s.push_str(&format!(
            "**{}: {}** — {}\n\n",
            t(msg::VERDICT),
            self.verdict.text().render(lang),
            summary(self, lang)
        ));
        s.push_str(&format!("| {} | |\n|---|---|\n", t(msg::IDENTITY)));
        for (k, v) in identity(self, lang) {
            s.push_str(&format!("| {k} | {} |\n", md(&v)));
        }
        s.push_str(&format!(
            "\n## {}\n\n| {} | {} |\n|---|---|\n",
            t(msg::PHASES),
            t(msg::PHASE),
            t(msg::SECONDS)
        ));
        for p in &self.phases {
            s.push_str(&format!("| {} | {:.1} |\n", p.name, p.seconds));
        }
        s.push_str(&format!(
            "\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|\n",
            t(msg::CHECKS),
            t(msg::KIND),
            t(msg::CHECK),
            t(msg::EXPECTED),
            t(msg::ACTUAL),
            t(msg::VERDICT)
        ));
        for c in &self.checks {
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                c.kind,
                md(c.name_in(lang)),
                md(c.expected_in(lang)),
                md(&c.actual),
                c.verdict.text().render(lang)
            ));
        }
        s
    }

    pub fn to_html(&self, lang: Lang) -> String {
        let t = |m| Text::new(m).render(lang);
        let title = Text::new(msg::TITLE)
            .arg("target", &self.target)
            .render(lang);
        let (color, verdict) = match self.verdict {
            Verdict::Pass => ("#1a7f37", self.verdict.text().render(lang)),
            Verdict::Fail => ("#cf222e", self.verdict.text().render(lang)),
        };
        let mut s = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#24292f}}\
table{{border-collapse:collapse;width:100%;margin:1em 0}}td,th{{border:1px solid #d0d7de;padding:4px 8px;text-align:left}}\
th{{background:#f6f8fa}}.v{{font-size:1.4em;font-weight:bold;color:{color}}}.fail{{color:#cf222e;font-weight:bold}}</style></head><body>\n",
            match lang {
                Lang::En => "en",
                Lang::ZhCn => "zh-CN",
            },
            html(&title)
        );
        s.push_str(&format!(
            "<h1>{}</h1>\n<p class=\"v\">{}: {}</p>\n<p>{}</p>\n",
            html(&title),
            t(msg::VERDICT),
            html(&verdict),
            html(&summary(self, lang))
        ));
        s.push_str(&format!("<h2>{}</h2><table>\n", t(msg::IDENTITY)));
        for (k, v) in identity(self, lang) {
            s.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                html(&k),
                html(&v)
            ));
        }
        s.push_str(&format!(
            "</table>\n<h2>{}</h2><table><tr><th>{}</th><th>{}</th></tr>\n",
            t(msg::PHASES),
            t(msg::PHASE),
            t(msg::SECONDS)
        ));
        for p in &self.phases {
            s.push_str(&format!(
                "<tr><td>{}</td><td>{:.1}</td></tr>\n",
                html(&p.name),
                p.seconds
            ));
        }
        s.push_str(&format!(
            "</table>\n<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            t(msg::CHECKS),
            t(msg::KIND),
            t(msg::CHECK),
            t(msg::EXPECTED),
            t(msg::ACTUAL),
            t(msg::VERDICT)
        ));
        for c in &self.checks {
            let cls = if c.verdict == Verdict::Fail {
                " class=\"fail\""
            } else {
                ""
            };
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{cls}>{}</td></tr>\n",
                html(&c.kind),
                html(c.name_in(lang)),
                html(c.expected_in(lang)),
                html(&c.actual),
                html(&c.verdict.text().render(lang))
            ));
        }
        s.push_str("</table>\n</body></html>\n");
        s
    }
}

fn summary(r: &DrillReport, lang: Lang) -> String {
    Text::new(msg::SUMMARY)
        .arg("backup", &r.backup_id)
        .arg("checks", r.checks.len())
        .arg("failed", r.failed().count())
        .arg("rto", format!("{:.1}", r.rto_seconds))
        .arg("rpo", human(r.rpo_seconds))
        .render(lang)
}

fn identity(r: &DrillReport, lang: Lang) -> Vec<(String, String)> {
    let t = |m| Text::new(m).render(lang);
    let max = |v: Option<f64>| v.map_or_else(|| "-".to_string(), human);
    vec![
        (t(msg::DRILL_ID), r.drill_id.clone()),
        (t(msg::BACKUP), r.backup_id.clone()),
        (t(msg::TARGET), r.target.clone()),
        (t(msg::REPO), r.repo.clone()),
        (
            t(msg::KIND),
            format!("{} ({} {})", r.kind, r.engine, r.server_version),
        ),
        (t(msg::MANIFEST_SHA), r.manifest_sha256.clone()),
        (
            t(msg::BACKUP_POINT),
            format!("{} ({})", r.backup_point.to_rfc3339(), r.rpo_basis),
        ),
        (
            "RPO".into(),
            format!("{} (max {})", human(r.rpo_seconds), max(r.rpo_max_seconds)),
        ),
        (
            "RTO".into(),
            format!("{:.1} s (max {})", r.rto_seconds, max(r.rto_max_seconds)),
        ),
        (t(msg::STARTED), r.started_at.to_rfc3339()),
        (t(msg::ENDED), r.ended_at.to_rfc3339()),
        (
            t(msg::HOST),
            format!("{} (dbkeeper {})", r.host, r.dbkeeper_version),
        ),
        (
            t(msg::TEARDOWN),
            Text::new(if r.teardown.process_left || r.teardown.directory_left {
                msg::TEARDOWN_LEFT
            } else {
                msg::TEARDOWN_CLEAN
            })
            .render(lang),
        ),
    ]
}

/// Seconds as people read them: `42 s`, `3.5 h`, `2.0 d`.
fn human(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} d", s / 86_400.0)
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
