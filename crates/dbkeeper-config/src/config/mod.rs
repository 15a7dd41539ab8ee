//! The config file `dbkeeper.yaml`: named targets, repositories and notification channels.
//!
//! Strict: unknown keys, wrong types, literal secrets and unencrypted offsite repositories are
//! errors, all reported at once with `file:line:col` ([`crate::yaml`]). Entries keep file order.

mod discover;
mod inspect;
mod notify;
mod read;
mod repo;

use std::path::{Path, PathBuf};
use std::time::Duration;

use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};

use crate::msg;
use crate::yaml::Document;

pub use discover::{discover, locate, resolve_repo, resolve_target};
pub use read::{read_channels, read_repos, read_targets};

/// The whole config file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from (for [`parse_str`], the display path given); `None` only for a
    /// config built in code.
    pub source: Option<PathBuf>,
    pub defaults: Defaults,
    pub targets: Vec<TargetEntry>,
    pub repos: Vec<RepoEntry>,
    /// The `notify:` section.
    pub channels: Vec<ChannelEntry>,
}

/// `defaults:`; command-line flags win over these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    pub lang: Option<Lang>,
    /// `table` or `json`.
    pub format: Option<String>,
    /// For every target that sets none of its own.
    pub connect_timeout: Option<Duration>,
    /// `inspect:` for every target; a target's own `inspect:` is applied on top.
    pub inspect: InspectSettings,
}

/// A value read from the config with the place it was written (`file:line:col`), for checks
/// that another crate makes later and must report at the right place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub at: String,
}

/// `inspect:` in `defaults:` or in a target: what `dbkeeper inspect` runs and with which
/// thresholds. Ids, names and values are checked by the inspect crate against its catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InspectSettings {
    /// `default`, `djbh3` (等保 2.0 level 3) or `quick`.
    pub profile: Option<Located<String>>,
    /// Check ids or group names to run (all of the profile's when empty).
    pub only: Vec<Located<String>>,
    /// Check ids or group names not to run.
    pub skip: Vec<Located<String>>,
    /// `thresholds: {PG-CON-001: {warning: 80%, critical: 90%}}`, in file order.
    pub thresholds: Vec<ThresholdSetting>,
    /// A newer version/EOL/CVE data file than the one built in.
    pub versions_file: Option<Located<PathBuf>>,
}

impl InspectSettings {
    pub fn is_empty(&self) -> bool {
        *self == InspectSettings::default()
    }
}

/// One threshold override: `check` → `name: value`, the value as written (`90%`, `5m`, `1GiB`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdSetting {
    pub check: String,
    pub name: String,
    pub value: String,
    pub at: String,
}

/// A named database server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetEntry {
    pub name: String,
    /// Built from `url`, then `tls`, `password` and `connect_timeout` applied.
    pub target: Target,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// The target's own `inspect:` settings (on top of `defaults.inspect`).
    pub inspect: InspectSettings,
}

/// A named backup repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoEntry {
    pub name: String,
    /// `file:///…` or `s3://bucket/prefix?…`, checked but kept as written for the repo crate.
    pub url: String,
    /// age public keys (`age1…`) backups are encrypted to.
    pub recipients: Vec<String>,
    /// A passphrase (scrypt) instead of recipients.
    pub passphrase: Option<SecretRef>,
    /// The age identity file (`AGE-SECRET-KEY-1…`, mode 0600) that restores and drills on this
    /// host decrypt with; backup hosts need only the public recipients.
    pub identity: Option<PathBuf>,
    /// Said in words: clear text on an offsite repository is intended.
    pub allow_unencrypted: bool,
    pub retention: Retention,
}

impl RepoEntry {
    /// An S3-compatible store, that is, not on this machine.
    pub fn is_offsite(&self) -> bool {
        self.url.starts_with("s3://")
    }

    /// True when backups written here are encrypted.
    pub fn is_encrypted(&self) -> bool {
        !self.recipients.is_empty() || self.passphrase.is_some()
    }
}

/// Which backups pruning keeps (restic's and pgBackRest's vocabulary): a backup is kept when any
/// rule keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    pub keep_last: Option<u32>,
    pub keep_hourly: Option<u32>,
    pub keep_daily: Option<u32>,
    pub keep_weekly: Option<u32>,
    pub keep_monthly: Option<u32>,
    pub keep_yearly: Option<u32>,
    /// Everything newer than this.
    pub keep_within: Option<Duration>,
}

impl Retention {
    /// No rule at all: pruning would have nothing to go by, so it keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Retention::default()
    }
}

/// How a channel delivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// A generic JSON POST (Slack-style).
    Webhook,
    Wecom,
    Dingtalk,
    Feishu,
    Email,
}

impl ChannelKind {
    pub const ALL: &'static [(&'static str, ChannelKind)] = &[
        ("webhook", ChannelKind::Webhook),
        ("wecom", ChannelKind::Wecom),
        ("dingtalk", ChannelKind::Dingtalk),
        ("feishu", ChannelKind::Feishu),
        ("email", ChannelKind::Email),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("webhook", |(n, _)| n)
    }
}

/// When a channel is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotifyOn {
    /// A job failed.
    Failure,
    /// A job succeeded after failing.
    Recovery,
    /// Every run.
    Always,
}

impl NotifyOn {
    pub const ALL: &'static [(&'static str, NotifyOn)] = &[
        ("failure", NotifyOn::Failure),
        ("recovery", NotifyOn::Recovery),
        ("always", NotifyOn::Always),
    ];
}

/// SMTP settings of an e-mail channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Smtp {
    pub host: String,
    /// 465 unless given.
    pub port: u16,
    /// Implicit TLS (SMTPS); true unless given.
    pub tls: bool,
    pub username: Option<String>,
    pub password: Option<SecretRef>,
}

/// A named notification channel (`notify:`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelEntry {
    pub name: String,
    pub kind: ChannelKind,
    /// The webhook URL: it carries an access token, so it is a secret reference.
    pub url: Option<SecretRef>,
    /// The signing secret (DingTalk, Feishu).
    pub secret: Option<SecretRef>,
    /// `[failure, recovery]` unless given.
    pub on: Vec<NotifyOn>,
    pub lang: Option<Lang>,
    pub smtp: Option<Smtp>,
    pub from: Option<String>,
    pub to: Vec<String>,
}

impl Config {
    pub fn target(&self, name: &str) -> Option<&TargetEntry> {
        self.targets.iter().find(|t| t.name == name)
    }

    pub fn repo(&self, name: &str) -> Option<&RepoEntry> {
        self.repos.iter().find(|r| r.name == name)
    }

    pub fn channel(&self, name: &str) -> Option<&ChannelEntry> {
        self.channels.iter().find(|c| c.name == name)
    }

    /// The file name for messages ("dbkeeper.yaml" for a config built in code).
    pub fn shown_path(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| "dbkeeper.yaml".to_string(), |p| p.display().to_string())
    }
}

/// Parses a config from text; `display_path` names it in messages.
pub fn parse_str(display_path: &str, text: &str) -> Result<Config> {
    let doc = Document::parse(display_path, text)?;
    let config = read::config(&doc);
    doc.finish()?;
    // Every path that leaves `None` reports a problem, so `finish` has already returned.
    let mut config = config.ok_or_else(|| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("config reader gave up without a reason"),
        )
    })?;
    config.source = Some(PathBuf::from(display_path));
    Ok(config)
}

/// Reads and parses the config file at `path`.
pub fn load(path: &Path) -> Result<Config> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Config, Text::new(msg::READ).arg("path", &shown))
            .hint(Text::new(msg::READ_HINT))
            .detail(e)
    })?;
    let mut config = parse_str(&shown, &text)?;
    config.source = Some(path.to_path_buf());
    if let Some(dir) = path.parent() {
        config.anchor_paths(dir);
    }
    Ok(config)
}

impl Config {
    /// Makes relative file paths (password files, CA files) relative to the config file's folder,
    /// as a reader of the file would expect, not to wherever cron happens to start dbkeeper.
    fn anchor_paths(&mut self, dir: &Path) {
        let anchor = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        };
        let anchor_secret = |s: &mut Option<SecretRef>| {
            if let Some(SecretRef::File(p)) = s {
                anchor(p);
            }
        };
        if let Some(v) = &mut self.defaults.inspect.versions_file {
            anchor(&mut v.value);
        }
        for t in &mut self.targets {
            anchor_secret(&mut t.target.password);
            if let Some(v) = &mut t.inspect.versions_file {
                anchor(&mut v.value);
            }
            if let Some(ca) = &mut t.target.tls.ca_file {
                anchor(ca);
            }
        }
        for r in &mut self.repos {
            anchor_secret(&mut r.passphrase);
            if let Some(p) = &mut r.identity {
                anchor(p);
            }
        }
        for c in &mut self.channels {
            anchor_secret(&mut c.url);
            anchor_secret(&mut c.secret);
            if let Some(smtp) = &mut c.smtp {
                anchor_secret(&mut smtp.password);
            }
        }
    }
}
