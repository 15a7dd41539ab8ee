//! The one model of findings every output is rendered from: statuses, groups, findings with
//! their evidence, the 等保 clause verdicts, and the report of one run.

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::Role;
use dbkeeper_core::host::FsUsage;
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Error, Msg, Text};
use serde_json::Value;

use crate::msg;
use crate::snapshot::Snapshot;

/// What a check concluded. `NotRun` always carries its reason: nothing is silently skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Info,
    NotRun,
    Warning,
    Critical,
}

impl Status {
    /// Stable lower-case name (JSON, Prometheus labels, the ledger).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Info => "info",
            Status::NotRun => "not_run",
            Status::Warning => "warning",
            Status::Critical => "critical",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Status::Ok => msg::STATUS_OK,
            Status::Info => msg::STATUS_INFO,
            Status::NotRun => msg::STATUS_NOT_RUN,
            Status::Warning => msg::STATUS_WARNING,
            Status::Critical => msg::STATUS_CRITICAL,
        }
    }

    /// Nagios' numbers: 0 ok (and info), 1 warning, 2 critical, 3 unknown (not run).
    pub fn nagios_code(self) -> u8 {
        match self {
            Status::Ok | Status::Info => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::NotRun => 3,
        }
    }

    /// Display order: the worst first.
    pub const BY_SEVERITY: [Status; 5] = [
        Status::Critical,
        Status::Warning,
        Status::NotRun,
        Status::Info,
        Status::Ok,
    ];

    pub fn parse(s: &str) -> Option<Status> {
        Status::BY_SEVERITY.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a check is about; reports group by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Availability,
    Version,
    Configuration,
    Memory,
    Connections,
    Sessions,
    Locks,
    Replication,
    Vacuum,
    Innodb,
    Indexes,
    Space,
    Checkpoints,
    Statements,
    Backup,
    Security,
}

impl Group {
    pub const ALL: [Group; 16] = [
        Group::Availability,
        Group::Version,
        Group::Configuration,
        Group::Memory,
        Group::Connections,
        Group::Sessions,
        Group::Locks,
        Group::Replication,
        Group::Vacuum,
        Group::Innodb,
        Group::Indexes,
        Group::Space,
        Group::Checkpoints,
        Group::Statements,
        Group::Backup,
        Group::Security,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Availability => "availability",
            Group::Version => "version",
            Group::Configuration => "configuration",
            Group::Memory => "memory",
            Group::Connections => "connections",
            Group::Sessions => "sessions",
            Group::Locks => "locks",
            Group::Replication => "replication",
            Group::Vacuum => "vacuum",
            Group::Innodb => "innodb",
            Group::Indexes => "indexes",
            Group::Space => "space",
            Group::Checkpoints => "checkpoints",
            Group::Statements => "statements",
            Group::Backup => "backup",
            Group::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Group::Availability => msg::GROUP_AVAILABILITY,
            Group::Version => msg::GROUP_VERSION,
            Group::Configuration => msg::GROUP_CONFIGURATION,
            Group::Memory => msg::GROUP_MEMORY,
            Group::Connections => msg::GROUP_CONNECTIONS,
            Group::Sessions => msg::GROUP_SESSIONS,
            Group::Locks => msg::GROUP_LOCKS,
            Group::Replication => msg::GROUP_REPLICATION,
            Group::Vacuum => msg::GROUP_VACUUM,
            Group::Innodb => msg::GROUP_INNODB,
            Group::Indexes => msg::GROUP_INDEXES,
            Group::Space => msg::GROUP_SPACE,
            Group::Checkpoints => msg::GROUP_CHECKPOINTS,
            Group::Statements => msg::GROUP_STATEMENTS,
            Group::Backup => msg::GROUP_BACKUP,
            Group::Security => msg::GROUP_SECURITY,
        }
    }
}

/// What a check saw: named values and, for list-shaped checks, the offending rows (capped;
/// `rows_total` says how many there were).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Evidence {
    pub values: serde_json::Map<String, Value>,
    pub rows: Vec<serde_json::Map<String, Value>>,
    pub rows_total: usize,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.rows.is_empty()
    }
}

/// Over what period a rate or ratio was computed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Basis {
    /// `delta`: the change since the previous inspection; `lifetime`: since the statistics were
    /// last reset or the server started.
    pub kind: BasisKind,
    /// The start of the period.
    pub since: Option<DateTime<Utc>>,
    pub seconds: f64,
    /// Why the period is not the one since the previous inspection, when it is not.
    #[serde(skip)]
    pub why: Option<Text>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisKind {
    Delta,
    Lifetime,
}

/// One threshold as used for this finding, for display (`warning = 90%`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ThresholdUsed {
    pub name: &'static str,
    pub value: f64,
    /// Human form (`90%`, `5m`, `1.0 GiB`).
    pub shown: String,
    /// True when the config overrode the default.
    pub overridden: bool,
}

/// The result of one check.
#[derive(Clone, Debug)]
pub struct Finding {
    pub check: &'static str,
    pub group: Group,
    pub status: Status,
    pub title: Text,
    /// One line: what was seen.
    pub summary: Text,
    /// What to do, for every status but ok.
    pub remediation: Option<Text>,
    /// For `NotRun`: why, and what would make it run.
    pub reason: Option<Text>,
    pub evidence: Evidence,
    pub thresholds: Vec<ThresholdUsed>,
    pub compliance: &'static [&'static str],
    /// For checks computed from cumulative counters.
    pub basis: Option<Basis>,
    pub duration_ms: u64,
}

/// A 等保 clause's verdict, from the checks mapped to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// A query cannot decide: the evidence an assessor asks for is outside the database.
    CannotDecide,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::CannotDecide => "cannot_decide",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Verdict::Pass => msg::VERDICT_PASS,
            Verdict::Fail => msg::VERDICT_FAIL,
            Verdict::CannotDecide => msg::VERDICT_CANNOT_DECIDE,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ClauseResult {
    /// `8.1.4.1a`.
    pub clause: &'static str,
    pub title: Text,
    pub verdict: Verdict,
    /// The checks behind the verdict.
    pub checks: Vec<&'static str>,
    /// What an assessor would ask to see (shown when the verdict is not a pass).
    pub assessor_asks: Text,
}

/// Facts about the host, when dbkeeper runs on the database server's machine.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HostView {
    pub hostname: String,
    pub cpus: u32,
    pub memory_total_bytes: Option<u64>,
    pub data_fs: Option<FsUsage>,
    /// PostgreSQL's `pg_wal`.
    pub wal_fs: Option<FsUsage>,
    /// MySQL/MariaDB's binary logs.
    pub binlog_fs: Option<FsUsage>,
}

/// The statistics period behind rates, shown with every check that depends on it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StatsInfo {
    pub uptime_seconds: Option<u64>,
    pub started_at: Option<DateTime<Utc>>,
    pub stats_reset: Option<DateTime<Utc>>,
    pub previous_snapshot_at: Option<DateTime<Utc>>,
    pub basis: BasisKind,
    /// The server restarted since the previous inspection.
    pub restarted: bool,
    /// The statistics were reset since the previous inspection.
    pub reset: bool,
}

/// One inspection of one target.
#[derive(Clone, Debug)]
pub struct Report {
    pub target: String,
    pub engine: EngineKind,
    /// `PostgreSQL`, `MariaDB` or `MySQL`.
    pub product: String,
    pub version: String,
    pub role: Option<Role>,
    /// The database the connection uses (per-database checks look at it only).
    pub database: Option<String>,
    pub profile: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// False when the target could not be inspected at all (exit code 3).
    pub reachable: bool,
    /// Why it could not be inspected, or why the run stopped early.
    pub error: Option<Error>,
    pub host: Option<HostView>,
    pub stats: Option<StatsInfo>,
    pub findings: Vec<Finding>,
    /// 等保 2.0 level-3 clause verdicts, for the `djbh3` profile.
    pub clauses: Vec<ClauseResult>,
    /// The counters this run stored (or would store) in the ledger.
    pub snapshot: Option<Snapshot>,
}

/// How many findings of each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub ok: usize,
    pub info: usize,
    pub warning: usize,
    pub critical: usize,
    pub not_run: usize,
}

impl Counts {
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Ok => self.ok,
            Status::Info => self.info,
            Status::Warning => self.warning,
            Status::Critical => self.critical,
            Status::NotRun => self.not_run,
        }
    }
}

impl Report {
    /// The report of a target that could not be inspected at all: exit code 3, every renderer
    /// still works on it.
    pub fn unreachable(
        target: &dbkeeper_core::target::Target,
        profile: &str,
        error: Error,
    ) -> Report {
        Report {
            target: target.name.clone(),
            engine: target.engine,
            product: match target.engine {
                EngineKind::Postgres => "PostgreSQL".into(),
                EngineKind::Mysql => "MySQL/MariaDB".into(),
            },
            version: String::new(),
            role: None,
            database: target.database.clone(),
            profile: profile.to_string(),
            started_at: Utc::now(),
            duration_ms: 0,
            reachable: false,
            error: Some(error),
            host: None,
            stats: None,
            findings: Vec::new(),
            clauses: Vec::new(),
            snapshot: None,
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.findings {
            match f.status {
                Status::Ok => c.ok += 1,
                Status::Info => c.info += 1,
                Status::Warning => c.warning += 1,
                Status::Critical => c.critical += 1,
                Status::NotRun => c.not_run += 1,
            }
        }
        c
    }

    /// The worst status that decides the exit code: critical, warning, else ok. Checks that
    /// could not run do not raise it (they are listed); an unreachable target is `None`.
    pub fn verdict(&self) -> Option<Status> {
        if !self.reachable {
            return None;
        }
        let c = self.counts();
        Some(if c.critical > 0 {
            Status::Critical
        } else if c.warning > 0 {
            Status::Warning
        } else {
            Status::Ok
        })
    }

    /// DESIGN §10: 0 ok, 1 warnings, 2 something critical, 3 could not inspect.
    pub fn exit_code(&self) -> u8 {
        match self.verdict() {
            None => 3,
            Some(Status::Critical) => 2,
            Some(Status::Warning) => 1,
            Some(_) => 0,
        }
    }

    /// Findings of one status, in catalogue order.
    pub fn with_status(&self, s: Status) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.status == s)
    }

    pub fn finding(&self, check: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.check == check)
    }
}

/// The exit code for a report (a free function for callers that prefer one).
pub fn exit_code(report: &Report) -> u8 {
    report.exit_code()
}
