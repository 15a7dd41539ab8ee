//! dbkeeper's playbooks and schedules: strict reading with every problem at `file:line:col`,
//! validation, the runner, cron schedules with a stated DST rule, and notifications.
//!
//! - [`load`] / [`parse_str`] read a playbook into a checked [`Playbook`]; [`validate()`] checks
//!   playbooks and schedules together for `dbkeeper validate`;
//! - [`run()`] runs one (or plans it, with [`RunOptions::dry_run`]); the binary supplies
//!   [`Actions`] (inspect, backup, verify, prune and the reserved actions) and a [`Connector`]
//!   (engines, for `sql` steps); `sql` and `notify` are built in;
//! - [`schedule`]: schedule files, slots, `schedule install` renderers and the `schedule run` loop;
//! - [`notify`]: webhook, WeCom, DingTalk, Feishu and e-mail delivery;
//! - [`schema`]: the JSON Schemas, generated from [`spec`], the one table of every key.
//!
//! Wiring `dbkeeper run` in the binary:
//!
//! ```no_run
//! use async_trait::async_trait;
//! use dbkeeper_core::engine::Engine;
//! use dbkeeper_core::target::Target;
//! use dbkeeper_core::{Error, ErrorKind, Result, Text};
//! use dbkeeper_playbook::{Action, Actions, Connector, Deps, Outputs, RunOptions, StepContext};
//!
//! struct BinActions;
//! #[async_trait(?Send)]
//! impl Actions for BinActions {
//!     async fn run(&self, step: &StepContext<'_>, action: &Action) -> Result<Outputs> {
//!         match action {
//!             // Action::Backup(w) => backup crate with step.target(&w.target)?, step.repo(..)?
//!             _ => Err(Error::new(ErrorKind::Usage, Text::verbatim("not available yet"))),
//!         }
//!     }
//! }
//! struct BinConnector;
//! #[async_trait(?Send)]
//! impl Connector for BinConnector {
//!     async fn connect(&self, t: &Target) -> Result<Box<dyn Engine>> {
//!         unimplemented!("commands::engines::connect(t)")
//!     }
//! }
//!
//! # async fn example(state: &dbkeeper_core::state::State) -> Result<u8> {
//! let pb = dbkeeper_playbook::load("playbooks/nightly-backup.yaml".as_ref(), None)?;
//! let notifier = dbkeeper_playbook::notify::Notifier::new()?;
//! let deps = Deps {
//!     actions: &BinActions,
//!     connector: &BinConnector,
//!     notifier: &notifier,
//!     ledger: Some(&state.ledger),
//!     config: None,
//! };
//! let opts = RunOptions {
//!     lock_dir: Some(state.dir().join("locks")),
//!     ..RunOptions::default()
//! };
//! let report = dbkeeper_playbook::run(&pb, &deps, &opts).await?;
//! for p in report.problems(dbkeeper_core::Lang::En) {
//!     eprintln!("{p}"); // quiet on success: nothing to print
//! }
//! Ok(report.exit_code())
//! # }
//! ```

pub mod expect;
pub mod expr;
pub mod model;
pub mod msg;
pub mod notify;
pub mod read;
pub mod run;
pub mod schedule;
pub mod schema;
pub mod spec;
pub mod template;
pub mod validate;

pub use model::*;
pub use read::{load, parse_str};
pub use run::{
    run, Actions, Connector, Deps, Outcome, Outputs, RunOptions, RunReport, StepContext,
    StepReport, StepStatus,
};
pub use validate::{validate, Checked};
