//! dbkeeper's config file, `dbkeeper.yaml`, and the YAML reader that playbooks reuse.
//!
//! - [`yaml`]: a typed reader over YAML nodes that keeps `file:line:col` for every value and
//!   reports every problem of a file at once, in English and Chinese;
//! - [`config`]: the config model (targets, repositories, notification channels, defaults), its
//!   strict loader, where the file is found, and how a `TARGET` argument is resolved.

pub mod config;
pub mod msg;
pub mod yaml;

pub use config::{
    discover, load, locate, parse_str, resolve_repo, resolve_target, ChannelEntry, ChannelKind,
    Config, Defaults, InspectSettings, Located, NotifyOn, RepoEntry, Retention, Smtp, TargetEntry,
    ThresholdSetting,
};
