//! What a run did, for the terminal (both languages), JSON output, the ledger and notifications.

use dbkeeper_core::{Error, Lang, Text};

use super::context::Outputs;
use crate::msg;
use crate::notify::Delivery;

/// How the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every step that ran succeeded (or was allowed to fail).
    Ok,
    /// A step failed: exit 2.
    Failed,
    /// The schedule slot was already run (by another launcher or an earlier attempt): exit 0,
    /// nothing was done.
    AlreadyRan,
    /// `--dry-run`: the plan only.
    Planned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Ok,
    Failed,
    Skipped,
    /// In a dry run: what would run.
    Planned,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Ok => "ok",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Planned => "planned",
        }
    }
}

/// One step or handler.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StepReport {
    pub id: String,
    pub action: String,
    pub target: Option<String>,
    pub status: StepStatus,
    pub attempts: u32,
    pub duration_ms: u64,
    pub outputs: Outputs,
    /// Why it failed, in English (JSON, ledger); [`StepReport::error_full`] has both languages.
    pub error: Option<String>,
    #[serde(skip)]
    pub error_full: Option<Error>,
    /// Why it did not run, in English.
    pub skipped_because: Option<String>,
    #[serde(skip)]
    pub skipped_text: Option<Text>,
    pub continue_on_error: bool,
    /// For handlers: the step they handle ("" for the playbook's own).
    pub handler_of: Option<String>,
    /// In a dry run: what the step would do, in English.
    pub plan: Option<String>,
    #[serde(skip)]
    pub plan_text: Option<Text>,
    /// In a dry run: the condition it would be run under, as written.
    pub when: Option<String>,
    pub needs: Vec<String>,
}

impl StepReport {
    pub(crate) fn new(id: &str, action: &str, target: Option<&str>) -> StepReport {
        StepReport {
            id: id.to_string(),
            action: action.to_string(),
            target: target.map(str::to_string),
            status: StepStatus::Skipped,
            attempts: 0,
            duration_ms: 0,
            outputs: Outputs::new(),
            error: None,
            error_full: None,
            skipped_because: None,
            skipped_text: None,
            continue_on_error: false,
            handler_of: None,
            plan: None,
            plan_text: None,
            when: None,
            needs: Vec::new(),
        }
    }
}

/// The whole run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunReport {
    pub playbook: String,
    pub path: String,
    pub sha256: String,
    /// The row in the ledger's `playbook_runs`, when recorded.
    pub playbook_run_id: Option<i64>,
    pub outcome: Outcome,
    pub started_at: String,
    pub duration_ms: u64,
    /// RFC 3339 UTC.
    pub scheduled_for: Option<String>,
    /// The playbook run that already ran this slot, when [`Outcome::AlreadyRan`].
    pub already_ran_by: Option<i64>,
    pub steps: Vec<StepReport>,
    pub handlers: Vec<StepReport>,
    /// Every notification sent or attempted (summaries, `notify` steps and handlers).
    pub notifications: Vec<Delivery>,
}

impl RunReport {
    /// 0 unless a step failed (2).
    pub fn exit_code(&self) -> u8 {
        match self.outcome {
            Outcome::Failed => 2,
            _ => 0,
        }
    }

    pub fn failed(&self) -> bool {
        self.outcome == Outcome::Failed
    }

    /// The notifications that could not be delivered: always worth showing, even under cron.
    pub fn undelivered(&self) -> impl Iterator<Item = &Delivery> {
        self.notifications.iter().filter(|d| !d.delivered)
    }

    /// What went wrong, one block per problem, for stderr: failed steps and handlers with their
    /// errors, and undelivered notifications. Empty when all went well (quiet on success).
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.steps.iter().chain(&self.handlers) {
            if s.status != StepStatus::Failed {
                continue;
            }
            let head = Text::new(msg::REPORT_STEP_FAILED)
                .arg("step", &s.id)
                .arg("action", &s.action)
                .arg("attempts", s.attempts)
                .render(lang);
            let body = match &s.error_full {
                Some(e) => e.render(lang),
                None => s.error.clone().unwrap_or_default(),
            };
            out.push(format!("{head}\n{body}"));
        }
        for d in self.undelivered() {
            out.push(
                Text::new(msg::REPORT_UNDELIVERED)
                    .arg("channel", &d.channel)
                    .arg("kind", &d.kind)
                    .arg("attempts", d.attempts)
                    .arg("error", d.error.as_deref().unwrap_or_default())
                    .render(lang),
            );
        }
        out
    }

    /// A readable account of the run: one line per step, then the outcome.
    pub fn render(&self, lang: Lang) -> String {
        let mut lines = Vec::new();
        for s in self.steps.iter().chain(&self.handlers) {
            let mark = match s.status {
                StepStatus::Ok => "✓",
                StepStatus::Failed if s.continue_on_error => "!",
                StepStatus::Failed => "✗",
                StepStatus::Skipped => "-",
                StepStatus::Planned => "•",
            };
            let mut line = format!("{mark} {:<20} {:<8}", s.id, s.action);
            if let Some(t) = &s.target {
                line.push_str(&format!(" {t}"));
            }
            match s.status {
                StepStatus::Planned => {
                    if let Some(p) = &s.plan_text {
                        line.push_str(&format!("  {}", p.render(lang)));
                    }
                    if let Some(w) = &s.when {
                        line.push_str(&format!("  [when: {w}]"));
                    }
                }
                StepStatus::Skipped => {
                    if let Some(t) = &s.skipped_text {
                        line.push_str(&format!("  ({})", t.render(lang)));
                    }
                }
                _ => line.push_str(&format!("  {}", human_ms(s.duration_ms))),
            }
            lines.push(line);
        }
        let outcome = match self.outcome {
            Outcome::Ok => Text::new(msg::REPORT_OK),
            Outcome::Failed => Text::new(msg::REPORT_FAILED),
            Outcome::AlreadyRan => Text::new(msg::REPORT_ALREADY_RAN)
                .arg("slot", self.scheduled_for.as_deref().unwrap_or_default())
                .arg("run", self.already_ran_by.unwrap_or_default()),
            Outcome::Planned => Text::new(msg::REPORT_PLANNED),
        };
        lines.push(
            outcome
                .arg("playbook", &self.playbook)
                .arg("duration", human_ms(self.duration_ms))
                .render(lang),
        );
        lines.join("\n")
    }
}

/// `850ms`, `12.3s`, `4m 05s`, `2h 03m`.
pub fn human_ms(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms}ms"),
        1_000..=59_999 => format!("{:.1}s", ms as f64 / 1000.0),
        60_000..=3_599_999 => format!("{}m {:02}s", ms / 60_000, (ms / 1000) % 60),
        _ => format!("{}h {:02}m", ms / 3_600_000, (ms / 60_000) % 60),
    }
}
