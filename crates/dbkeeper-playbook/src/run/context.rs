//! What the runner gives an action, and the two traits the binary implements.
//!
//! Dependency inversion: this crate does not know the backup, verify or inspect crates (they are
//! built beside it); the binary implements [`Actions`] for those and [`Connector`] for engines.
//! `sql` and `notify` are implemented here, so a playbook runs end to end with any binary.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dbkeeper_config::{ChannelEntry, Config, RepoEntry};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::secret::Secret;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};

use super::values::RunValues;
use crate::model::{Action, Playbook};
use crate::msg;
use crate::template::Template;

/// What a step produced: names and JSON values, read by later steps as `steps.ID.outputs.NAME`.
pub type Outputs = serde_json::Map<String, serde_json::Value>;

/// Runs the actions this crate does not implement itself: inspect, backup, verify, prune and the
/// reserved ones. Return the outputs the action declares (see [`crate::spec::ACTIONS`]); an
/// error fails the step (and is retried if the step says so, unless its kind is `Config` or
/// `Usage`, which retrying cannot fix).
#[async_trait(?Send)]
pub trait Actions {
    async fn run(&self, step: &StepContext<'_>, action: &Action) -> Result<Outputs>;
}

/// Opens a connection to a target, for `sql` steps.
#[async_trait(?Send)]
pub trait Connector {
    async fn connect(&self, target: &Target) -> Result<Box<dyn Engine>>;
}

/// Everything a step may ask of the run.
pub struct StepContext<'a> {
    pub playbook: &'a Playbook,
    /// The step's id (a handler's id for handlers).
    pub step_id: &'a str,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub lang: Lang,
    /// The command's run in the ledger, if recorded.
    pub run_id: Option<i64>,
    /// This playbook run in the ledger, if recorded.
    pub playbook_run_id: Option<i64>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub(crate) config: Option<&'a Config>,
    pub(crate) values: &'a RunValues<'a>,
}

impl StepContext<'_> {
    /// Fills in a template's `${…}` from the values of the run so far.
    pub fn render(&self, t: &Template) -> Result<String> {
        t.render(self.values)
            .map_err(|what| Error::new(ErrorKind::Failed, what).hint(Text::new(msg::RENDER_HINT)))
    }

    /// A target by name (the playbook's, its inventory's, then the config's) or URL.
    pub fn target(&self, name: &str) -> Result<Target> {
        if let Some(t) = self.playbook.targets.iter().find(|t| t.name == name) {
            return Ok(t.target.clone());
        }
        dbkeeper_config::resolve_target(self.config, name)
    }

    /// A repository by name (the playbook's, its inventory's, then the config's) or URL.
    pub fn repo(&self, name: &str) -> Result<RepoEntry> {
        if let Some(r) = self.playbook.repos.iter().find(|r| r.name == name) {
            return Ok(r.clone());
        }
        dbkeeper_config::resolve_repo(self.config, name)
    }

    /// A channel by name: the playbook's, its inventory's, then the config's.
    pub fn channel(&self, name: &str) -> Result<ChannelEntry> {
        self.playbook
            .notify
            .iter()
            .chain(&self.playbook.channels)
            .chain(
                self.config
                    .map(|c| c.channels.as_slice())
                    .unwrap_or_default(),
            )
            .find(|c| c.name == name)
            .cloned()
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    Text::new(msg::RUN_UNKNOWN)
                        .arg("kind", "channel")
                        .arg("name", name),
                )
                .hint(Text::new(msg::RUN_UNKNOWN_HINT))
            })
    }

    /// A secret of the playbook's `secrets:`, read now.
    pub fn secret(&self, name: &str) -> Result<Secret> {
        let r = self
            .playbook
            .secrets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    Text::new(msg::RUN_UNKNOWN)
                        .arg("kind", "secret")
                        .arg("name", name),
                )
                .hint(Text::new(msg::RUN_UNKNOWN_HINT))
            })?;
        r.resolve()
    }
}
