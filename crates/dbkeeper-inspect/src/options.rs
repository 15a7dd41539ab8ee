//! What an inspection runs and with which thresholds: the profile, `only`/`skip`, threshold
//! overrides (config `defaults.inspect`, then the target's `inspect`, then the command line),
//! the version data — every id, name and value checked against the catalogue, every problem
//! reported at its `file:line:col` with a did-you-mean.

use std::time::Duration;

use dbkeeper_config::yaml::did_you_mean;
use dbkeeper_config::InspectSettings;
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Diagnostic, Error, ErrorKind, Result, Text};

use crate::check::CheckInfo;
use crate::model::Group;
use crate::msg;
use crate::threshold::{self, Overrides};
use crate::versions::VersionData;

/// A named selection of checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Every check of the catalogue: the daily inspection (日常巡检).
    #[default]
    Default,
    /// The 等保 2.0 level-3 security baseline: the checks mapped to its clauses, with a
    /// pass/fail per clause.
    Djbh3,
    /// What a monitor polls every few minutes: availability, connections, sessions, locks,
    /// replication, space, backups.
    Quick,
}

impl Profile {
    pub const ALL: [(&'static str, Profile); 3] = [
        ("default", Profile::Default),
        ("djbh3", Profile::Djbh3),
        ("quick", Profile::Quick),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Default => "default",
            Profile::Djbh3 => "djbh3",
            Profile::Quick => "quick",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.iter().find(|(n, _)| *n == s).map(|(_, p)| *p)
    }

    pub fn includes(self, info: &CheckInfo) -> bool {
        match self {
            Profile::Default => true,
            Profile::Djbh3 => info.tags.iter().any(|t| t.starts_with("djbh3:")),
            Profile::Quick => matches!(
                info.group,
                Group::Availability
                    | Group::Connections
                    | Group::Sessions
                    | Group::Locks
                    | Group::Replication
                    | Group::Space
                    | Group::Backup
            ),
        }
    }
}

/// Options of one inspection.
#[derive(Clone, Debug)]
pub struct InspectOptions {
    pub profile: Profile,
    /// Check ids or group names; empty means every check of the profile.
    pub only: Vec<String>,
    /// Check ids or group names not to run.
    pub skip: Vec<String>,
    pub overrides: Overrides,
    pub versions: VersionData,
    /// Each inspection query may take this long; a slower one is reported as not run.
    pub statement_timeout: Duration,
    /// Catalogue locks wait at most this long (a table locked by a long transaction must not
    /// stall the inspection).
    pub lock_timeout: Duration,
    /// Evidence rows kept per finding.
    pub max_evidence_rows: usize,
    /// The ledger run this inspection belongs to, stored with its snapshot.
    pub run_id: Option<i64>,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            profile: Profile::Default,
            only: Vec::new(),
            skip: Vec::new(),
            overrides: Overrides::default(),
            versions: VersionData::bundled(),
            statement_timeout: Duration::from_secs(30),
            lock_timeout: Duration::from_secs(2),
            max_evidence_rows: 20,
            run_id: None,
        }
    }
}

impl InspectOptions {
    /// Options from the config: `defaults.inspect` (which may name checks of either engine),
    /// then the target's own `inspect:` for `engine`. Every problem is reported at once.
    pub fn from_config(
        engine: EngineKind,
        defaults: &InspectSettings,
        target: Option<&InspectSettings>,
    ) -> Result<InspectOptions> {
        let mut o = InspectOptions::default();
        let mut problems = Vec::new();
        o.apply(engine, defaults, true, &mut problems);
        if let Some(t) = target {
            o.apply(engine, t, false, &mut problems);
        }
        match Error::many(ErrorKind::Config, problems) {
            Some(e) => Err(e),
            None => Ok(o),
        }
    }

    fn apply(
        &mut self,
        engine: EngineKind,
        s: &InspectSettings,
        either_engine: bool,
        problems: &mut Vec<Diagnostic>,
    ) {
        if let Some(p) = &s.profile {
            match Profile::parse(&p.value) {
                Some(profile) => self.profile = profile,
                None => problems.push(bad_profile(&p.value, &p.at)),
            }
        }
        if !s.only.is_empty() {
            self.only.clear();
        }
        for (list, into) in [(&s.only, &mut self.only), (&s.skip, &mut self.skip)] {
            for w in list {
                match check_word(engine, &w.value, either_engine) {
                    Ok(Some(word)) => into.push(word),
                    Ok(None) => {}
                    Err(d) => problems.push(d.at(&w.at)),
                }
            }
        }
        for t in &s.thresholds {
            let Some(info) = find(engine, &t.check, either_engine) else {
                problems.push(unknown_check(engine, &t.check).at(&t.at));
                continue;
            };
            let Some(def) = info.thresholds.iter().find(|d| d.name == t.name) else {
                let names: Vec<&str> = info.thresholds.iter().map(|d| d.name).collect();
                problems.push(unknown_threshold(info.id, &t.name, &names).at(&t.at));
                continue;
            };
            match threshold::parse_value(def.unit, &t.value) {
                Some(v) => self.overrides.set(info.id, def.name, v),
                None => problems.push(threshold::bad_value(
                    info.id, def.name, def.unit, &t.value, &t.at,
                )),
            }
        }
        if let Some(v) = &s.versions_file {
            match VersionData::load(&v.value) {
                Ok(d) => self.versions = d,
                Err(e) => {
                    let mut d = e.main.clone();
                    d.at = Some(v.at.clone());
                    if let Some(detail) = &e.detail {
                        d.what = Text::verbatim(format!("{}: {detail}", d.what));
                    }
                    problems.push(d);
                }
            }
        }
    }

    /// The command line's `--profile`, `--only` and `--skip` on top of the config.
    pub fn apply_cli(
        &mut self,
        engine: EngineKind,
        profile: Option<&str>,
        only: &[String],
        skip: &[String],
    ) -> Result<()> {
        let mut problems = Vec::new();
        if let Some(p) = profile {
            match Profile::parse(p) {
                Some(profile) => self.profile = profile,
                None => problems.push(bad_profile(p, "--profile")),
            }
        }
        let split = |v: &[String]| -> Vec<String> {
            v.iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let only = split(only);
        if !only.is_empty() {
            self.only.clear();
        }
        for (flag, words) in [("--only", only), ("--skip", split(skip))] {
            for w in words {
                match check_word(engine, &w, false) {
                    Ok(Some(word)) => {
                        if flag == "--only" {
                            self.only.push(word);
                        } else {
                            self.skip.push(word);
                        }
                    }
                    Ok(None) => {}
                    Err(d) => problems.push(d.at(flag)),
                }
            }
        }
        match Error::many(ErrorKind::Usage, problems) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether `info` runs under these options.
    pub fn selects(&self, info: &CheckInfo) -> bool {
        let matches = |w: &String| w == info.id || w == info.group.as_str();
        let wanted = if self.only.is_empty() {
            self.profile.includes(info)
        } else {
            self.only.iter().any(matches)
        };
        wanted && !self.skip.iter().any(matches)
    }
}

fn find(engine: EngineKind, id: &str, either_engine: bool) -> Option<&'static CheckInfo> {
    let look = |e| crate::catalogue(e).iter().find(|c| c.id == id);
    look(engine).or_else(|| either_engine.then(|| look(other(engine))).flatten())
}

fn other(e: EngineKind) -> EngineKind {
    match e {
        EngineKind::Postgres => EngineKind::Mysql,
        EngineKind::Mysql => EngineKind::Postgres,
    }
}

/// A check id of this engine or a group name → `Some`; an id of the other engine (allowed in
/// `defaults:`) → `None`; anything else → a problem with a did-you-mean.
fn check_word(
    engine: EngineKind,
    w: &str,
    either_engine: bool,
) -> std::result::Result<Option<String>, Diagnostic> {
    if Group::parse(w).is_some() || crate::catalogue(engine).iter().any(|c| c.id == w) {
        return Ok(Some(w.to_string()));
    }
    if either_engine && crate::catalogue(other(engine)).iter().any(|c| c.id == w) {
        return Ok(None);
    }
    Err(unknown_check(engine, w))
}

fn unknown_check(engine: EngineKind, w: &str) -> Diagnostic {
    let ids = crate::catalogue(engine)
        .iter()
        .map(|c| c.id)
        .chain(Group::ALL.iter().map(|g| g.as_str()));
    let hint = match did_you_mean(w, ids) {
        Some(s) => Text::new(msg::UNKNOWN_CHECK_SUGGEST_HINT).arg("suggestion", s),
        None => Text::new(msg::UNKNOWN_CHECK_HINT),
    };
    Diagnostic::new(
        Text::new(msg::UNKNOWN_CHECK)
            .arg("check", w)
            .arg("engine", engine),
    )
    .hint(hint)
}

fn unknown_threshold(check: &str, name: &str, names: &[&str]) -> Diagnostic {
    let hint = if names.is_empty() {
        Text::new(msg::NO_THRESHOLDS_HINT).arg("check", check)
    } else {
        match did_you_mean(name, names.iter().copied()) {
            Some(s) => Text::new(msg::UNKNOWN_THRESHOLD_SUGGEST_HINT)
                .arg("suggestion", s)
                .arg("names", names.join(", ")),
            None => Text::new(msg::UNKNOWN_THRESHOLD_HINT).arg("names", names.join(", ")),
        }
    };
    Diagnostic::new(
        Text::new(msg::UNKNOWN_THRESHOLD)
            .arg("check", check)
            .arg("name", name),
    )
    .hint(hint)
}

fn bad_profile(got: &str, at: &str) -> Diagnostic {
    let names: Vec<&str> = Profile::ALL.iter().map(|(n, _)| *n).collect();
    Diagnostic::new(Text::new(msg::UNKNOWN_PROFILE).arg("profile", got))
        .at(at)
        .hint(Text::new(msg::UNKNOWN_PROFILE_HINT).arg("profiles", names.join(", ")))
}
