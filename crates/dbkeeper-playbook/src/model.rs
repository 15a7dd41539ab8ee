//! A validated playbook: what [`crate::load`] returns and [`crate::run`] executes.
//!
//! Everything here has been checked: names resolve, the steps form a graph without cycles, every
//! `when` type-checks, every `${…}` names a value that will exist. The action structs are what the
//! binary's [`crate::Actions`] implementation receives.

use std::path::PathBuf;
use std::time::Duration;

use dbkeeper_config::{ChannelEntry, RepoEntry, TargetEntry};
use dbkeeper_core::secret::SecretRef;

use crate::expect::Expect;
use crate::expr::Node;
use crate::spec::{self, ActionSpec};
use crate::template::Template;

#[derive(Clone, Debug)]
pub struct Playbook {
    pub name: String,
    pub description: Option<String>,
    /// The file it was read from (as given).
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, recorded with every run.
    pub sha256: String,
    pub vars: Vec<Var>,
    /// The playbook's own targets, then its inventory's.
    pub targets: Vec<TargetEntry>,
    pub repos: Vec<RepoEntry>,
    /// Channels defined by the playbook (`notify:`): each gets the run's summary, by its `on:`.
    pub notify: Vec<ChannelEntry>,
    /// Channels of the inventory, which steps and handlers may name.
    pub channels: Vec<ChannelEntry>,
    pub secrets: Vec<(String, SecretRef)>,
    /// In file order; [`Playbook::order`] gives the order they run in.
    pub steps: Vec<Step>,
    /// Run once, after the steps, when the run failed.
    pub on_failure: Vec<Handler>,
}

/// A variable: `vars: {env: prod, keep: 7, strict: true}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    pub name: String,
    pub value: VarValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VarValue {
    Str(String),
    Num(f64),
    Bool(bool),
}

impl VarValue {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            VarValue::Str(s) => serde_json::Value::String(s.clone()),
            VarValue::Num(n) => serde_json::Number::from_f64(*n)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            VarValue::Bool(b) => serde_json::Value::Bool(*b),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: String,
    /// A human name for reports (the id when not given).
    pub name: Option<String>,
    pub action: Action,
    pub needs: Vec<String>,
    pub when: Option<When>,
    pub timeout: Option<Duration>,
    /// Further attempts after the first failure.
    pub retries: u32,
    /// The wait before the first retry; it doubles with each further one.
    pub backoff: Duration,
    /// A failure is recorded but does not fail the run, and later steps run as after a success.
    pub continue_on_error: bool,
    pub on_failure: Vec<Handler>,
    /// `file:line:col` of the step, for messages.
    pub at: String,
}

/// A condition, type-checked.
#[derive(Clone, Debug)]
pub struct When {
    /// As written.
    pub source: String,
    pub expr: Node,
    /// The expression calls `success()`, `failure()` or `always()` itself; otherwise it is read
    /// as `success() && (…)`.
    pub has_status: bool,
}

/// What runs when a step (or the run) fails.
#[derive(Clone, Debug)]
pub struct Handler {
    /// `STEP.on_failure[N]` or `on_failure[N]` unless given.
    pub id: String,
    pub action: Action,
    pub timeout: Option<Duration>,
    pub at: String,
}

/// An action and its typed `with:`.
#[derive(Clone, Debug)]
pub enum Action {
    Inspect(InspectWith),
    Backup(BackupWith),
    Verify(VerifyWith),
    Prune(PruneWith),
    Sql(SqlWith),
    Notify(NotifyWith),
    Advise(AdviseWith),
    Export(ExportWith),
    Import(ImportWith),
    Copy(CopyWith),
    Report(ReportWith),
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Inspect(_) => "inspect",
            Action::Backup(_) => "backup",
            Action::Verify(_) => "verify",
            Action::Prune(_) => "prune",
            Action::Sql(_) => "sql",
            Action::Notify(_) => "notify",
            Action::Advise(_) => "advise",
            Action::Export(_) => "export",
            Action::Import(_) => "import",
            Action::Copy(_) => "copy",
            Action::Report(_) => "report",
        }
    }

    pub fn spec(&self) -> &'static ActionSpec {
        // Every variant's name is in the table (a unit test checks it).
        spec::action(self.name()).unwrap_or(&spec::ACTIONS[0])
    }

    /// The target the action works on, for the ledger and the plan.
    pub fn target(&self) -> Option<&str> {
        match self {
            Action::Inspect(w) => Some(&w.target),
            Action::Backup(w) => Some(&w.target),
            Action::Verify(w) => w.latest.as_deref(),
            Action::Prune(w) => w.target.as_deref(),
            Action::Sql(w) => Some(&w.target),
            Action::Advise(w) => Some(&w.target),
            Action::Export(w) => Some(&w.target),
            Action::Import(w) => Some(&w.target),
            Action::Copy(w) => Some(&w.source),
            Action::Notify(_) | Action::Report(_) => None,
        }
    }

    /// Every template in the action, for checking and dry runs.
    pub fn templates(&self) -> Vec<&Template> {
        let mut t: Vec<&Template> = Vec::new();
        match self {
            Action::Inspect(w) => t.extend(&w.report),
            Action::Verify(w) => {
                t.extend(&w.backup);
                t.extend(&w.report);
            }
            Action::Notify(w) => {
                t.push(&w.message);
                t.extend(&w.title);
            }
            Action::Advise(w) => t.extend(&w.plan_out),
            Action::Export(w) => t.push(&w.out),
            Action::Import(w) => t.push(&w.from),
            Action::Report(w) => t.push(&w.out),
            Action::Backup(_) | Action::Prune(_) | Action::Sql(_) | Action::Copy(_) => {}
        }
        t
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct InspectWith {
    pub target: String,
    /// `default`, `djbh3` or `quick`.
    pub profile: Option<String>,
    pub only: Vec<String>,
    pub skip: Vec<String>,
    pub report: Option<Template>,
    pub fail_on: Severity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Warning,
    Critical,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BackupWith {
    pub target: String,
    pub repos: Vec<String>,
    pub kind: BackupKind,
    pub jobs: Option<u32>,
    pub recipients: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupKind {
    Logical,
    Physical,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerifyWith {
    /// A backup id (usually `${steps.backup.outputs.backup_id}`); or else `latest`.
    pub backup: Option<Template>,
    /// Verify the latest backup of this target.
    pub latest: Option<String>,
    pub repo: String,
    pub sanity: Vec<Sanity>,
    pub rto_max: Option<Duration>,
    pub rpo_max: Option<Duration>,
    /// RPO from the newest value of this column in the restored copy.
    pub rpo_column: Option<String>,
    /// A name in `secrets:`; [`crate::StepContext::secret`] resolves it.
    pub identity: Option<String>,
    pub report: Option<Template>,
}

/// A query run on the restored copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Sanity {
    pub name: Option<String>,
    pub sql: String,
    pub expect: Option<Expect>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PruneWith {
    pub repo: String,
    pub target: Option<String>,
    pub dry_run: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SqlWith {
    pub target: String,
    pub query: String,
    pub expect: Option<Expect>,
    pub database: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NotifyWith {
    pub channels: Vec<String>,
    pub title: Option<Template>,
    pub message: Template,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdviseWith {
    pub target: String,
    pub workload: Option<String>,
    pub plan_out: Option<Template>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExportWith {
    pub target: String,
    pub table: Option<String>,
    pub query: Option<String>,
    pub out: Template,
    pub format: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportWith {
    pub target: String,
    pub table: String,
    pub from: Template,
    pub format: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CopyWith {
    pub source: String,
    pub dest: String,
    pub tables: Vec<String>,
    pub verify: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportWith {
    pub kind: String,
    pub month: Option<String>,
    pub out: Template,
}

impl Playbook {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The order steps run in: every step after what it needs, otherwise in file order. Kahn's
    /// algorithm taking the earliest ready step each time, so the order is the same on every run.
    pub fn order(&self) -> Vec<&Step> {
        let mut done: Vec<bool> = vec![false; self.steps.len()];
        let mut out = Vec::with_capacity(self.steps.len());
        while out.len() < self.steps.len() {
            let ready = self.steps.iter().enumerate().find(|(i, s)| {
                !done[*i]
                    && s.needs.iter().all(|n| {
                        self.steps
                            .iter()
                            .position(|x| &x.id == n)
                            .is_none_or(|j| done[j])
                    })
            });
            match ready {
                Some((i, s)) => {
                    done[i] = true;
                    out.push(s);
                }
                // Cycles are refused when reading; should one slip through, run the rest in order.
                None => {
                    for (i, s) in self.steps.iter().enumerate() {
                        if !done[i] {
                            done[i] = true;
                            out.push(s);
                        }
                    }
                }
            }
        }
        out
    }
}
