//! Reading the config model from YAML: the top level, defaults and targets; every problem reported.
//! Repositories are read in `repo.rs`, notification channels in `notify.rs`.

use std::time::Duration;

use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{redact_url, Target, Tls, TlsMode};
use dbkeeper_core::{Error, Text};

use super::inspect::{read_inspect, INSPECT_KEYS};
use super::notify::channel;
use super::repo::repo;
use super::{ChannelEntry, Config, Defaults, RepoEntry, TargetEntry};
use crate::msg;
use crate::yaml::{Document, Item, Map};

const TOP_KEYS: &[&str] = &["version", "defaults", "targets", "repos", "notify"];
const DEFAULT_KEYS: &[&str] = &["lang", "format", "connect_timeout", "inspect"];
const TARGET_KEYS: &[&str] = &[
    "url",
    "password",
    "tls",
    "connect_timeout",
    "description",
    "tags",
    "inspect",
];
const TLS_KEYS: &[&str] = &["mode", "ca_file"];
const TLS_MODES: &[(&str, TlsMode)] = &[
    ("disable", TlsMode::Disable),
    ("prefer", TlsMode::Prefer),
    ("require", TlsMode::Require),
    ("verify-full", TlsMode::VerifyFull),
];
const FORMATS: &[(&str, &str)] = &[("table", "table"), ("json", "json")];

/// The whole file; `None` only when reading cannot go on (and a problem says why).
pub(super) fn config(doc: &Document) -> Option<Config> {
    let top = doc.root().mapping(TOP_KEYS);
    if let Some(v) = top.need("version") {
        if let Some(n) = v.get::<u64>() {
            if n != 1 {
                v.error(
                    Text::new(msg::VERSION).arg("version", n),
                    Text::new(msg::VERSION_HINT),
                );
                // The rest was written for other rules: reading it by ours would only mislead.
                return None;
            }
        }
    }
    let defaults = top
        .mapping("defaults", DEFAULT_KEYS)
        .map(|m| read_defaults(&m))
        .unwrap_or_default();
    let section = |key: &str| top.get(key);
    let targets = section("targets")
        .map(|s| read_targets(&s, &defaults))
        .unwrap_or_default();
    let repos = section("repos").map(|s| read_repos(&s)).unwrap_or_default();
    let channels = section("notify")
        .map(|s| read_channels(&s))
        .unwrap_or_default();
    Some(Config {
        source: None,
        defaults,
        targets,
        repos,
        channels,
    })
}

/// A `targets:` section (of a config, a playbook or an inventory), in file order. Problems go to
/// the section's document; entries with problems are left out.
pub fn read_targets(section: &Item<'_>, defaults: &Defaults) -> Vec<TargetEntry> {
    entries(section)
        .iter()
        .filter_map(|(name, item)| target(name, item, defaults))
        .collect()
}

/// A `repos:` section, in file order.
pub fn read_repos(section: &Item<'_>) -> Vec<RepoEntry> {
    entries(section)
        .iter()
        .filter_map(|(name, item)| repo(name, item))
        .collect()
}

/// A `notify:` section, in file order.
pub fn read_channels(section: &Item<'_>) -> Vec<ChannelEntry> {
    entries(section)
        .iter()
        .filter_map(|(name, item)| channel(name, item))
        .collect()
}

/// The named entries of a section, names checked.
fn entries<'a>(section: &Item<'a>) -> Vec<(&'a str, Item<'a>)> {
    let all = section.entries().unwrap_or_default();
    for (name, item) in &all {
        if !is_name(name) {
            item.error_at_key(
                Text::new(msg::NAME).arg("name", name),
                Text::new(msg::NAME_HINT),
            );
        }
    }
    all
}

/// Names appear on command lines and in file names: no spaces, no `://`, no leading `-`.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn read_defaults(m: &Map<'_>) -> Defaults {
    Defaults {
        lang: m.optional("lang"),
        format: m
            .get("format")
            .and_then(|i| i.one_of(FORMATS))
            .map(str::to_string),
        connect_timeout: m.optional("connect_timeout"),
        inspect: m
            .mapping("inspect", INSPECT_KEYS)
            .map(|i| read_inspect(&i))
            .unwrap_or_default(),
    }
}

fn target(name: &str, item: &Item<'_>, defaults: &Defaults) -> Option<TargetEntry> {
    let m = item.mapping(TARGET_KEYS);
    // Read every key before giving up on any, so that all problems are reported.
    let url_item = m.need("url");
    let url_text: Option<String> = url_item.as_ref().and_then(|i| i.get());
    let password: Option<SecretRef> = m.optional("password");
    let tls_item = m.get("tls");
    let tls = tls_item.as_ref().and_then(read_tls);
    let timeout: Option<Duration> = m.optional("connect_timeout");
    let description: Option<String> = m.optional("description");
    let tags: Vec<String> = m.optional("tags").unwrap_or_default();
    let inspect = m
        .mapping("inspect", INSPECT_KEYS)
        .map(|i| read_inspect(&i))
        .unwrap_or_default();
    let (url_item, url_text) = (url_item?, url_text?);

    let mut target = match Target::from_url(Some(name), &url_text) {
        Ok(t) => t,
        Err(e) => {
            core_error(&url_item, &url_text, e);
            return None;
        }
    };
    // `tls:` wins over `sslmode` in the URL; a CA file from the URL stays unless replaced.
    if let Some(tls) = tls {
        target.tls.mode = tls.mode;
        if tls.ca_file.is_some() {
            target.tls.ca_file = tls.ca_file;
        }
    }
    if password.is_some() {
        target.password = password;
    }
    // The target's own key, then a timeout in its URL, then the defaults, then core's default.
    let url_has_timeout = url::Url::parse(&url_text)
        .map(|u| u.query_pairs().any(|(k, _)| k == "connect_timeout"))
        .unwrap_or(false);
    if let Some(t) = timeout.or(defaults.connect_timeout.filter(|_| !url_has_timeout)) {
        target.connect_timeout = t;
    }
    if let Err(e) = target.check_tls() {
        core_error(tls_item.as_ref().unwrap_or(&url_item), &url_text, e);
        return None;
    }
    Some(TargetEntry {
        name: name.to_string(),
        target,
        description,
        tags,
        inspect,
    })
}

fn read_tls(item: &Item<'_>) -> Option<Tls> {
    let m = item.mapping(TLS_KEYS);
    let mode = m.need("mode").and_then(|i| i.one_of(TLS_MODES));
    let ca_file = m.optional("ca_file");
    Some(Tls {
        mode: mode?,
        ca_file,
    })
}

/// A core error about a target URL, as a problem at the URL's place. Its texts may carry the
/// URL: any password in it is replaced, as everywhere else.
fn core_error(item: &Item<'_>, url: &str, e: Error) {
    let hint = e
        .main
        .hint
        .clone()
        .unwrap_or_else(|| Text::new(dbkeeper_core::msg::URL_INVALID_HINT));
    let what = if e.main.what.id() == dbkeeper_core::msg::URL_INVALID.id {
        Text::new(msg::URL_INVALID)
            .arg("url", redact_url(url))
            .arg("detail", e.detail.as_deref().unwrap_or("?"))
    } else {
        redact_text(e.main.what)
    };
    item.error(what, redact_text(hint));
}

/// The text with any password in its arguments replaced (core's URL messages quote the URL).
pub(super) fn redact_text(t: Text) -> Text {
    match t {
        Text::Msg { msg, args } => Text::Msg {
            msg,
            args: args.into_iter().map(|(k, v)| (k, redact_url(&v))).collect(),
        },
        Text::Verbatim(s) => Text::Verbatim(redact_url(&s)),
    }
}
