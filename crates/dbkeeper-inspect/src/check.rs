//! The check framework: what a check is ([`CheckInfo`] for people, [`Def`] for the runner),
//! the data it evaluates ([`Ctx`]), what it returns ([`Outcome`] or [`Skip`] with a reason),
//! and the shapes most checks share, so that adding one is a few lines.
//!
//! Checks never talk to the server: the runner runs the SQL of every *probe* the selected
//! checks name, once, over the one connection; checks are pure functions of what was collected
//! (research §7: "collect raw facts once per run … evaluate checks as pure functions").

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::{Facts, Row};
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Msg, Text};
use serde_json::Value;

use crate::freshness::Freshness;
use crate::model::{Basis, Evidence, Group, HostView, Status};
use crate::msg;
use crate::snapshot::Rates;
use crate::threshold::{self, ThresholdDef, Unit};
use crate::value;
use crate::versions::VersionData;

/// A check as `--list` and the reports describe it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CheckInfo {
    /// Stable: `PG-VAC-001`.
    pub id: &'static str,
    pub engine: EngineKind,
    pub group: Group,
    #[serde(skip)]
    pub title: Msg,
    #[serde(skip)]
    pub fix: Msg,
    pub thresholds: &'static [ThresholdDef],
    /// Compliance tags: `djbh3:8.1.4.1a`.
    pub tags: &'static [&'static str],
    /// What the check needs beyond a connection (a version, an extension, a privilege, the
    /// host), in words; checks that cannot run say the same in their reason.
    #[serde(skip)]
    pub needs: Option<Msg>,
    /// Uses cumulative statistics: its report shows uptime and the statistics reset time.
    pub uses_counters: bool,
    /// Where the check and its default thresholds come from (the anchors of research notes).
    pub source: &'static str,
}

/// Why a check did not run: always said, never silent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip(pub Text);

pub(crate) type Eval = Result<Outcome, Skip>;

/// A check for the runner: its description, the probes it reads and its evaluation.
pub(crate) struct Def {
    pub(crate) info: CheckInfo,
    pub(crate) probes: &'static [&'static str],
    pub(crate) eval: fn(&Ctx<'_>) -> Eval,
}

/// The product behind the engine family; some probes exist only in one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    Postgres,
    MariaDb,
    Mysql,
}

impl Product {
    /// The key in the version data file.
    pub fn data_key(self) -> &'static str {
        match self {
            Product::Postgres => "postgresql",
            Product::MariaDb => "mariadb",
            Product::Mysql => "mysql",
        }
    }
}

/// One server setting, with its unit as the server gives it (PostgreSQL's `8kB`, `ms`).
#[derive(Clone, Debug, PartialEq)]
pub struct SettingVal {
    pub value: String,
    pub unit: Option<String>,
    /// PostgreSQL: where the value comes from (`default`, `configuration file`, …).
    pub source: Option<String>,
}

impl SettingVal {
    /// `on`, `true`, `yes`, `1` (any case).
    pub fn is_on(&self) -> bool {
        matches!(
            self.value.trim().to_ascii_lowercase().as_str(),
            "on" | "true" | "yes" | "1"
        )
    }

    pub fn num(&self) -> Option<f64> {
        self.value.trim().parse().ok()
    }

    /// The value in bytes (PostgreSQL units `B`, `kB`, `8kB`, `MB`; MySQL plain bytes).
    pub fn bytes(&self) -> Option<f64> {
        let n = self.num()?;
        let factor = match self.unit.as_deref().unwrap_or("") {
            "" | "B" => 1.0,
            "kB" => 1024.0,
            "8kB" => 8192.0,
            "16kB" => 16384.0,
            "32kB" => 32768.0,
            "MB" => 1024.0 * 1024.0,
            "16MB" => 16.0 * 1024.0 * 1024.0,
            "GB" => 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        };
        Some(n * factor)
    }

    /// The value in seconds (PostgreSQL units `ms`, `s`, `min`; MySQL plain seconds).
    pub fn seconds(&self) -> Option<f64> {
        let n = self.num()?;
        let factor = match self.unit.as_deref().unwrap_or("") {
            "" | "s" => 1.0,
            "ms" => 0.001,
            "min" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            _ => return None,
        };
        Some(n * factor)
    }

    /// What people see: `128MB`, `5min`, `on`.
    pub fn shown(&self) -> String {
        // -1 and 0 are special values (off, unlimited, log everything): show them as set.
        if self.num().is_some_and(|v| v <= 0.0) {
            return self.value.clone();
        }
        match self.unit.as_deref() {
            Some("8kB") | Some("kB") | Some("B") | Some("MB") => self
                .bytes()
                .map_or_else(|| self.value.clone(), threshold::human_bytes),
            Some("ms") | Some("s") | Some("min") => self
                .seconds()
                .map_or_else(|| self.value.clone(), threshold::human_secs),
            Some(u) => format!("{}{u}", self.value),
            None => self.value.clone(),
        }
    }
}

/// What a probe produced.
#[derive(Clone, Debug)]
pub(crate) enum ProbeResult {
    Rows(Vec<Row>),
    /// The probe could not run here (version, missing extension, privilege): the reason.
    Unavailable(Text),
}

/// What the runner reads first, before any probe: the server, its settings and status, who we
/// are on it. Probe gates decide from this alone.
pub(crate) struct Base {
    pub(crate) target: Target,
    pub(crate) facts: Facts,
    pub(crate) product: Product,
    /// PostgreSQL's `server_version_num` (150020); MySQL/MariaDB as major·10000 + minor·100 +
    /// patch (101119).
    pub(crate) version_num: u32,
    pub(crate) settings: BTreeMap<String, SettingVal>,
    /// MySQL/MariaDB `SHOW GLOBAL STATUS`.
    pub(crate) status: BTreeMap<String, String>,
    /// Whether the inspecting user can see everything.
    pub(crate) privileges: Privileges,
    /// PostgreSQL: extensions installed in the connected database; MySQL: active plugins.
    pub(crate) extensions: Vec<String>,
    /// The connected database (PostgreSQL per-database statistics are for it only).
    pub(crate) database: Option<String>,
}

/// Decides from the base facts whether a probe can run; the error says why not.
pub(crate) type Gate = fn(&Base) -> Result<(), Text>;

/// A named query run once per inspection; checks read its rows.
pub(crate) struct Probe {
    pub(crate) name: &'static str,
    /// `(minimum version, SQL)`, oldest first: the newest variant the server satisfies runs.
    pub(crate) sql: &'static [(u32, &'static str)],
    /// Decides whether the probe can run here; the error says why not.
    pub(crate) gate: Option<Gate>,
}

/// Everything one run collected; shared by every check.
pub(crate) struct RunData {
    pub(crate) base: Base,
    pub(crate) probes: HashMap<&'static str, ProbeResult>,
    pub(crate) rates: Rates,
    pub(crate) host: Option<HostView>,
    pub(crate) freshness: Freshness,
    pub(crate) versions: VersionData,
    pub(crate) now: DateTime<Utc>,
    pub(crate) max_rows: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Privileges {
    pub(crate) superuser: bool,
    /// Roles or privileges the full catalogue needs and the user lacks.
    pub(crate) missing: Vec<String>,
}

/// What one check's evaluation sees.
pub(crate) struct Ctx<'a> {
    pub(crate) run: &'a RunData,
    pub(crate) thresholds: Vec<(ThresholdDef, f64, bool)>,
}

impl<'a> Ctx<'a> {
    /// The rows of a probe this check declared.
    pub(crate) fn rows(&self, probe: &str) -> Result<&'a [Row], Skip> {
        match self.run.probes.get(probe) {
            Some(ProbeResult::Rows(r)) => Ok(r),
            Some(ProbeResult::Unavailable(why)) => Err(Skip(why.clone())),
            None => Err(Skip(
                Text::new(msg::PROBE_NOT_COLLECTED).arg("probe", probe),
            )),
        }
    }

    /// The first row of a probe (probes that return one row).
    pub(crate) fn row(&self, probe: &str) -> Result<&'a Row, Skip> {
        self.rows(probe)?
            .first()
            .ok_or_else(|| Skip(Text::new(msg::PROBE_EMPTY).arg("probe", probe)))
    }

    pub(crate) fn setting(&self, name: &str) -> Result<&'a SettingVal, Skip> {
        self.run.base.settings.get(name).ok_or_else(|| {
            Skip(
                Text::new(msg::SETTING_MISSING)
                    .arg("name", name)
                    .arg("version", &self.run.base.facts.version),
            )
        })
    }

    pub(crate) fn opt_setting(&self, name: &str) -> Option<&'a SettingVal> {
        self.run.base.settings.get(name)
    }

    pub(crate) fn base(&self) -> &'a Base {
        &self.run.base
    }

    /// A MySQL/MariaDB global status value as a number.
    pub(crate) fn status(&self, name: &str) -> Result<f64, Skip> {
        self.run
            .base
            .status
            .get(name)
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                Skip(
                    Text::new(msg::STATUS_MISSING)
                        .arg("name", name)
                        .arg("version", &self.run.base.facts.version),
                )
            })
    }

    /// A threshold's value (the override, else the default).
    pub(crate) fn t(&self, name: &str) -> f64 {
        self.thresholds
            .iter()
            .find(|(d, _, _)| d.name == name)
            .map(|(_, v, _)| *v)
            // A check without this threshold (a "warning only" check asking for `critical`)
            // gets NaN, which every comparison rejects: that level never fires.
            .unwrap_or(f64::NAN)
    }

    /// The change of a cumulative counter over the basis period.
    pub(crate) fn change(&self, key: &str) -> Result<(f64, Basis), Skip> {
        self.run
            .rates
            .change(key)
            .ok_or_else(|| Skip(Text::new(msg::COUNTER_MISSING).arg("counter", key)))
    }

    /// Like [`Ctx::change`] for rates and ratios: a lifetime period shorter than an hour (a
    /// server just started or reset, and no earlier inspection) is too short to judge, as
    /// MySQLTuner refuses to at uptime < 1 h (research §1.4); the outcome says so.
    pub(crate) fn rate(&self, key: &str) -> Result<Result<(f64, Basis), Outcome>, Skip> {
        let (v, b) = self.change(key)?;
        if b.kind == crate::model::BasisKind::Lifetime && b.seconds < MIN_LIFETIME_SECONDS {
            let o = Outcome::new(
                Status::Ok,
                Text::new(msg::BASIS_TOO_SHORT).arg("period", threshold::human_secs(b.seconds)),
            )
            .basis(b);
            return Ok(Err(o));
        }
        Ok(Ok((v, b)))
    }

    /// A counter that is a position, not a count since the statistics reset (PostgreSQL's WAL
    /// position): only the change since the previous inspection means anything.
    pub(crate) fn delta_only(&self, key: &str) -> Result<(f64, Basis), Skip> {
        let (v, b) = self.change(key)?;
        if b.kind != crate::model::BasisKind::Delta {
            return Err(Skip(
                b.why
                    .clone()
                    .unwrap_or_else(|| Text::new(msg::BASIS_NO_PREVIOUS)),
            ));
        }
        Ok((v, b))
    }

    pub(crate) fn host(&self) -> Result<&'a HostView, Skip> {
        self.run.host.as_ref().ok_or_else(|| {
            Skip(Text::new(msg::HOST_NOT_LOCAL).arg("target", &self.run.base.target.name))
        })
    }

    pub(crate) fn ram(&self) -> Result<f64, Skip> {
        self.host()?
            .memory_total_bytes
            .map(|m| m as f64)
            .ok_or_else(|| Skip(Text::new(msg::HOST_MEMORY_UNKNOWN)))
    }

    pub(crate) fn version_at_least(&self, n: u32) -> bool {
        self.run.base.version_num >= n
    }

    /// Skips unless the server is at least `n`; `shown` is the version in words (`14`).
    pub(crate) fn need_version(&self, n: u32, shown: &str) -> Result<(), Skip> {
        if self.version_at_least(n) {
            Ok(())
        } else {
            Err(Skip(
                Text::new(msg::NEEDS_VERSION)
                    .arg("needed", shown)
                    .arg("version", &self.run.base.facts.version),
            ))
        }
    }

    /// `grade(v)` for "higher is worse" with this check's `warning`/`critical` thresholds.
    pub(crate) fn above(&self, v: f64) -> Status {
        above(v, self.t("warning"), self.t("critical"))
    }

    /// "Lower is worse".
    pub(crate) fn below(&self, v: f64) -> Status {
        below(v, self.t("warning"), self.t("critical"))
    }

    /// The threshold shown the way its unit reads (`90%`, `5m`).
    pub(crate) fn shown_t(&self, name: &str) -> String {
        self.thresholds
            .iter()
            .find(|(d, _, _)| d.name == name)
            .map(|(d, v, _)| threshold::show(d.unit, *v))
            .unwrap_or_default()
    }

    pub(crate) fn unit_of(&self, name: &str) -> Unit {
        self.thresholds
            .iter()
            .find(|(d, _, _)| d.name == name)
            .map_or(Unit::Count, |(d, _, _)| d.unit)
    }

    pub(crate) fn max_rows(&self) -> usize {
        self.run.max_rows
    }
}

/// Rates over a lifetime shorter than this are not judged.
pub(crate) const MIN_LIFETIME_SECONDS: f64 = 3600.0;

/// ≥ critical → critical, ≥ warning → warning, else ok.
pub(crate) fn above(v: f64, warning: f64, critical: f64) -> Status {
    if v >= critical {
        Status::Critical
    } else if v >= warning {
        Status::Warning
    } else {
        Status::Ok
    }
}

/// ≤ critical → critical, ≤ warning → warning, else ok.
pub(crate) fn below(v: f64, warning: f64, critical: f64) -> Status {
    if v <= critical {
        Status::Critical
    } else if v <= warning {
        Status::Warning
    } else {
        Status::Ok
    }
}

/// What a check concluded, with what it saw.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) status: Status,
    pub(crate) summary: Text,
    pub(crate) evidence: Evidence,
    pub(crate) basis: Option<Basis>,
    /// Replaces the catalogue's remediation (when the fix depends on what was found).
    pub(crate) remediation: Option<Text>,
}

impl Outcome {
    pub(crate) fn new(status: Status, summary: Text) -> Outcome {
        Outcome {
            status,
            summary,
            evidence: Evidence::default(),
            basis: None,
            remediation: None,
        }
    }

    #[must_use]
    pub(crate) fn value(mut self, key: &str, v: impl Into<Value>) -> Outcome {
        self.evidence.values.insert(key.to_string(), v.into());
        self
    }

    /// Attaches rows as evidence, keeping at most `max`. Statement texts that carry a
    /// password (`ALTER ROLE … PASSWORD '…'`, `IDENTIFIED BY '…'`) are hidden: passwords never
    /// reach a report (DESIGN §2).
    #[must_use]
    pub(crate) fn rows(mut self, rows: &[Row], max: usize) -> Outcome {
        self.evidence.rows_total = rows.len();
        self.evidence.rows = rows.iter().take(max).map(redact_row).collect();
        self
    }

    #[must_use]
    pub(crate) fn basis(mut self, b: Basis) -> Outcome {
        self.basis = Some(b);
        self
    }

    #[must_use]
    pub(crate) fn fix(mut self, t: Text) -> Outcome {
        self.remediation = Some(t);
        self
    }
}

// --- Shapes shared by many checks -----------------------------------------------------------

/// "Setting X is bad": `bad` decides, `status` is what a bad value earns, `expected` says in
/// words what a good value is.
pub(crate) fn setting(
    c: &Ctx<'_>,
    name: &str,
    bad: impl Fn(&SettingVal) -> bool,
    status: Status,
    expected: &str,
) -> Eval {
    let s = c.setting(name)?;
    let is_bad = bad(s);
    let summary = if is_bad {
        Text::new(msg::SETTING_BAD)
            .arg("name", name)
            .arg("value", s.shown())
            .arg("expected", expected)
    } else {
        Text::new(msg::SETTING_IS)
            .arg("name", name)
            .arg("value", s.shown())
    };
    Ok(
        Outcome::new(if is_bad { status } else { Status::Ok }, summary)
            .value(name, s.value.clone()),
    )
}

/// The setting is `off` (or false) → `status`.
pub(crate) fn must_be_on(c: &Ctx<'_>, name: &str, status: Status) -> Eval {
    setting(c, name, |s| !s.is_on(), status, "on")
}

/// The setting is `on` → `status`.
pub(crate) fn must_be_off(c: &Ctx<'_>, name: &str, status: Status) -> Eval {
    setting(c, name, SettingVal::is_on, status, "off")
}

/// "These rows are problems": none → ok, any → `status`. `label` names each row in the
/// summary (a column of the rows).
pub(crate) fn list(c: &Ctx<'_>, rows: &[Row], status: Status, label: &str) -> Eval {
    Ok(list_outcome(c, rows, status, label))
}

pub(crate) fn list_outcome(c: &Ctx<'_>, rows: &[Row], status: Status, label: &str) -> Outcome {
    if rows.is_empty() {
        return Outcome::new(Status::Ok, Text::new(msg::NONE_FOUND)).value("count", 0);
    }
    Outcome::new(
        status,
        Text::new(msg::FOUND)
            .arg("count", rows.len())
            .arg("list", names(rows, label, 3)),
    )
    .value("count", rows.len())
    .rows(rows, c.max_rows())
}

/// Rows graded by how many there are, with `warning`/`critical` count thresholds.
pub(crate) fn counted(c: &Ctx<'_>, rows: &[Row], label: &str) -> Eval {
    let status = c.above(rows.len() as f64);
    let mut o = list_outcome(c, rows, status, label);
    o.status = if rows.is_empty() { Status::Ok } else { status };
    if o.status == Status::Ok && !rows.is_empty() {
        o.summary = Text::new(msg::COUNTED)
            .arg("count", rows.len())
            .arg("list", names(rows, label, 5))
            .arg("warning", c.shown_t("warning"));
    }
    Ok(o)
}

/// A rows-probe filtered by a numeric column against `warning`/`critical` ("higher is
/// worse"): the worst row decides. `label` names rows, `unit` shows the metric.
pub(crate) fn worst_row(c: &Ctx<'_>, rows: &[Row], metric: &str, label: &str) -> Eval {
    let warn = c.t("warning");
    let mut bad: Vec<Row> = rows
        .iter()
        .filter(|r| value::f64_of(r.get(metric)).is_some_and(|v| v >= warn))
        .cloned()
        .collect();
    bad.sort_by(|a, b| {
        let va = value::f64_of(a.get(metric)).unwrap_or(0.0);
        let vb = value::f64_of(b.get(metric)).unwrap_or(0.0);
        vb.total_cmp(&va)
    });
    let worst = bad
        .first()
        .and_then(|r| value::f64_of(r.get(metric)))
        .unwrap_or(0.0);
    let max_all = rows
        .iter()
        .filter_map(|r| value::f64_of(r.get(metric)))
        .fold(0.0_f64, f64::max);
    let unit = c.unit_of("warning");
    if bad.is_empty() {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::WORST_OK)
                .arg("worst", threshold::show(unit, max_all))
                .arg("warning", c.shown_t("warning")),
        )
        .value("max", max_all)
        .value("count", rows.len()));
    }
    Ok(Outcome::new(
        c.above(worst),
        Text::new(msg::WORST_FOUND)
            .arg("count", bad.len())
            .arg("worst", threshold::show(unit, worst))
            .arg("list", names(&bad, label, 3)),
    )
    .value("max", worst)
    .value("count", bad.len())
    .rows(&bad, c.max_rows()))
}

/// The row with every text that mentions a password replaced.
fn redact_row(r: &Row) -> Row {
    r.iter()
        .map(|(k, v)| match v {
            Value::String(t) if mentions_password(t) => {
                (k.clone(), Value::String(HIDDEN_STATEMENT.to_string()))
            }
            _ => (k.clone(), v.clone()),
        })
        .collect()
}

const HIDDEN_STATEMENT: &str = "<statement with a password: hidden>";

fn mentions_password(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    l.contains("password") || l.contains("identified by") || l.contains("identified via")
}

/// "a, b, c and 4 more" from a column of the rows.
pub(crate) fn names(rows: &[Row], label: &str, max: usize) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(max)
        .map(|r| value::text_of(r.get(label)))
        .collect();
    let mut s = shown.join(", ");
    if rows.len() > max {
        s.push_str(&format!(" (+{})", rows.len() - max));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_with_passwords_never_reach_evidence() {
        let row: Row = serde_json::json!({"pid": 1, "query": "ALTER ROLE app PASSWORD 'hunter2'"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let o = Outcome::new(Status::Warning, Text::verbatim("x")).rows(&[row], 10);
        let shown = serde_json::to_string(&o.evidence).unwrap_or_default();
        assert!(
            !shown.contains("hunter2") && shown.contains("hidden"),
            "{shown}"
        );
    }

    #[test]
    fn settings_read_in_their_units() {
        let s = |v: &str, u: Option<&str>| SettingVal {
            value: v.into(),
            unit: u.map(str::to_string),
            source: None,
        };
        assert_eq!(s("16384", Some("8kB")).bytes(), Some(134_217_728.0));
        assert_eq!(s("300000", Some("ms")).seconds(), Some(300.0));
        assert_eq!(s("5", Some("min")).seconds(), Some(300.0));
        assert_eq!(s("-1", Some("kB")).shown(), "-1");
        assert_eq!(s("16384", Some("8kB")).shown(), "128 MiB");
        assert!(s("ON", None).is_on() && !s("off", None).is_on());
    }
}
