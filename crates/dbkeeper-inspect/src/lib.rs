//! dbkeeper's inspections (巡检): a catalogue of checks for PostgreSQL and MySQL/MariaDB, the
//! 等保 2.0 level-3 security baseline, counter snapshots for rates, and the runner.
//!
//! - [`inspect`] runs the selected checks over one connection ([`Engine`]) and returns a
//!   [`Report`]; with a [`Ledger`] it reads the previous snapshot for rates and stores this
//!   one. [`inspect_with`] and [`record`] split that for callers that need a `Send` future.
//! - [`catalogue`] lists every check of an engine family (`dbkeeper inspect --list`).
//! - [`InspectOptions`] is what to run: a [`Profile`], `only`/`skip`, threshold overrides from
//!   the config ([`InspectOptions::from_config`]) and the command line, the version data.
//! - [`Freshness`] carries what the caller knows about backups and restore drills.
//! - [`Report::exit_code`]: 0 ok, 1 warning, 2 critical, 3 could not inspect.
//!
//! Rendering (tables, JSON, Markdown, HTML, Nagios, Prometheus) is `dbkeeper_report::inspect`.
//!
//! ```no_run
//! # async fn example(engine: &dyn dbkeeper_core::engine::Engine,
//! #                  target: &dbkeeper_core::target::Target,
//! #                  ledger: &dbkeeper_core::ledger::Ledger) -> dbkeeper_core::Result<u8> {
//! use dbkeeper_inspect::{inspect, Freshness, InspectOptions};
//! let opts = InspectOptions::default();
//! let report = inspect(engine, target, &opts, Some(ledger), Freshness::default()).await?;
//! Ok(report.exit_code())
//! # }
//! ```
//!
//! [`Engine`]: dbkeeper_core::engine::Engine
//! [`Ledger`]: dbkeeper_core::ledger::Ledger

pub mod check;
mod checks;
pub mod djbh3;
pub mod freshness;
pub mod model;
pub mod msg;
pub mod options;
mod runner;
pub mod snapshot;
pub mod threshold;
mod value;
pub mod versions;

use dbkeeper_core::target::EngineKind;

pub use check::{CheckInfo, Product, Skip};
pub use freshness::{BackupSeen, DrillSeen, Freshness, Known};
pub use model::{
    exit_code, Basis, BasisKind, ClauseResult, Counts, Evidence, Finding, Group, HostView, Report,
    StatsInfo, Status, ThresholdUsed, Verdict,
};
pub use options::{InspectOptions, Profile};
pub use runner::{inspect, inspect_with, record};
pub use snapshot::{History, Snapshot};
pub use threshold::{Overrides, ThresholdDef, Unit};
pub use versions::VersionData;

/// Every check of an engine family, in catalogue order (for `--list` and the docs).
pub fn catalogue(engine: EngineKind) -> &'static [CheckInfo] {
    use std::sync::OnceLock;
    static PG: OnceLock<Vec<CheckInfo>> = OnceLock::new();
    static MY: OnceLock<Vec<CheckInfo>> = OnceLock::new();
    let cell = match engine {
        EngineKind::Postgres => &PG,
        EngineKind::Mysql => &MY,
    };
    cell.get_or_init(|| {
        runner::defs(engine)
            .iter()
            .map(|d| d.info.clone())
            .collect()
    })
}
