//! Counter snapshots: every inspection stores the server's cumulative counters, and rate and
//! ratio checks use the change since the previous snapshot of the same target, not lifetime
//! totals (research §1.4: "daily inspection = diff of two snapshots, not lifetime ratios";
//! MySQLTuner and pghero's complaints about lifetime ratios, PH#140).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use dbkeeper_core::ledger::{InspectionSnapshot, Ledger, NewInspectionSnapshot};
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Result, Text};

use crate::model::{Basis, BasisKind, StatsInfo};
use crate::msg;

/// The counters of one inspection, as stored in the ledger.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    pub target: String,
    pub engine: EngineKind,
    pub taken_at: DateTime<Utc>,
    /// When the server (postmaster, mysqld) started: a change means it restarted.
    pub started_at: Option<DateTime<Utc>>,
    /// When the statistics were last reset (PostgreSQL's `stats_reset`).
    pub stats_reset: Option<DateTime<Utc>>,
    pub uptime_seconds: Option<u64>,
    /// Cumulative counters and gauges by name (`db.blks_hit`, `status.Innodb_row_lock_waits`,
    /// `size.total_bytes`, `fs.data.free_bytes`).
    pub counters: BTreeMap<String, f64>,
}

impl Snapshot {
    pub fn get(&self, key: &str) -> Option<f64> {
        self.counters.get(key).copied()
    }

    fn from_record(r: &InspectionSnapshot) -> Option<Snapshot> {
        let time = |s: &Option<String>| {
            s.as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        Some(Snapshot {
            target: r.target.clone(),
            engine: serde_json::from_value(serde_json::Value::String(r.engine.clone())).ok()?,
            taken_at: time(&Some(r.taken_at.clone()))?,
            started_at: time(&r.server_started_at),
            stats_reset: time(&r.stats_reset),
            uptime_seconds: r.uptime_seconds.and_then(|u| u64::try_from(u).ok()),
            counters: serde_json::from_str(&r.counters).ok()?,
        })
    }
}

/// The previous snapshot (for rates) and an older one (for growth, which needs a longer view).
#[derive(Clone, Debug, Default)]
pub struct History {
    pub previous: Option<Snapshot>,
    /// The oldest snapshot of the last [`GROWTH_WINDOW_DAYS`] days.
    pub baseline: Option<Snapshot>,
}

/// Growth (days until full) is measured over up to a week: a day-to-day difference is noise.
pub const GROWTH_WINDOW_DAYS: i64 = 7;

impl History {
    /// Reads the history of `target` from the ledger. A snapshot that cannot be read (written
    /// by a newer dbkeeper, damaged) is treated as absent: rates then say there is no baseline.
    pub fn load(ledger: &Ledger, target: &str, engine: EngineKind) -> Result<History> {
        let engine_name = engine_name(engine);
        let previous = ledger
            .latest_inspection_snapshot(target, engine_name)?
            .and_then(|r| Snapshot::from_record(&r));
        let since = Utc::now() - chrono::Duration::days(GROWTH_WINDOW_DAYS);
        let baseline = ledger
            .oldest_inspection_snapshot_since(target, engine_name, since.timestamp())?
            .and_then(|r| Snapshot::from_record(&r));
        Ok(History { previous, baseline })
    }
}

pub(crate) fn engine_name(engine: EngineKind) -> &'static str {
    match engine {
        EngineKind::Postgres => "postgres",
        EngineKind::Mysql => "mysql",
    }
}

/// Stores `snap` and returns its ledger id.
pub(crate) fn store(ledger: &Ledger, snap: &Snapshot, run_id: Option<i64>) -> Result<i64> {
    let ts = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ledger.add_inspection_snapshot(&NewInspectionSnapshot {
        target: snap.target.clone(),
        engine: engine_name(snap.engine).to_string(),
        taken_at: ts(&snap.taken_at),
        taken_at_unix: snap.taken_at.timestamp(),
        server_started_at: snap.started_at.as_ref().map(ts),
        stats_reset: snap.stats_reset.as_ref().map(ts),
        uptime_seconds: snap
            .uptime_seconds
            .map(|u| i64::try_from(u).unwrap_or(i64::MAX)),
        counters: serde_json::to_string(&snap.counters).unwrap_or_else(|_| "{}".into()),
        run_id,
    })
}

/// How this run's counters relate to the previous snapshot's.
#[derive(Clone, Debug)]
pub(crate) struct Rates {
    pub current: Snapshot,
    pub previous: Option<Snapshot>,
    pub baseline: Option<Snapshot>,
    pub restarted: bool,
    pub reset: bool,
}

/// Two start times within this many seconds are the same start (clock rounding, MySQL's
/// start computed from `Uptime`).
const SAME_START_SECONDS: i64 = 5;

impl Rates {
    pub(crate) fn new(current: Snapshot, history: &History) -> Rates {
        let previous = history
            .previous
            .clone()
            .filter(|p| p.taken_at < current.taken_at);
        let restarted = previous.as_ref().is_some_and(|p| {
            let moved = match (p.started_at, current.started_at) {
                (Some(a), Some(b)) => (a - b).num_seconds().abs() > SAME_START_SECONDS,
                _ => false,
            };
            let went_back = matches!(
                (p.uptime_seconds, current.uptime_seconds),
                (Some(a), Some(b)) if b < a
            );
            moved || went_back
        });
        let reset = !restarted
            && previous
                .as_ref()
                .is_some_and(|p| match current.stats_reset {
                    Some(r) => r > p.taken_at || p.stats_reset.is_some_and(|pr| r > pr),
                    None => false,
                });
        Rates {
            baseline: history.baseline.clone(),
            previous,
            current,
            restarted,
            reset,
        }
    }

    /// The period rates use: since the previous snapshot when it is comparable.
    pub(crate) fn basis(&self) -> Basis {
        match &self.previous {
            Some(p) if !self.restarted && !self.reset => Basis {
                kind: BasisKind::Delta,
                since: Some(p.taken_at),
                seconds: secs_between(p.taken_at, self.current.taken_at),
                why: None,
            },
            _ => self.lifetime(),
        }
    }

    fn lifetime(&self) -> Basis {
        let since = self.current.stats_reset.or(self.current.started_at);
        let seconds = since
            .map(|s| secs_between(s, self.current.taken_at))
            .or(self.current.uptime_seconds.map(|u| u as f64))
            .unwrap_or(0.0);
        let why = if self.restarted {
            msg::BASIS_RESTARTED
        } else if self.reset {
            msg::BASIS_RESET
        } else {
            msg::BASIS_NO_PREVIOUS
        };
        Basis {
            kind: BasisKind::Lifetime,
            since,
            seconds,
            why: Some(Text::new(why)),
        }
    }

    /// A counter's change over the basis period. A counter that went down (a per-object reset)
    /// falls back to its lifetime value, with that said.
    pub(crate) fn change(&self, key: &str) -> Option<(f64, Basis)> {
        let now = self.current.get(key)?;
        let basis = self.basis();
        if basis.kind == BasisKind::Delta {
            if let Some(before) = self.previous.as_ref().and_then(|p| p.get(key)) {
                if now >= before {
                    return Some((now - before, basis));
                }
                let mut b = self.lifetime();
                b.why = Some(Text::new(msg::BASIS_COUNTER_WENT_DOWN).arg("counter", key));
                return Some((now, b));
            }
            // New counter since the previous run (an upgrade added it): lifetime it is.
            let mut b = self.lifetime();
            b.why = Some(Text::new(msg::BASIS_NEW_COUNTER).arg("counter", key));
            return Some((now, b));
        }
        Some((now, basis))
    }

    /// Growth per day of a gauge (sizes, used space) over the longest window we have.
    /// Restarts do not matter here: sizes survive them.
    pub(crate) fn growth_per_day(&self, key: &str) -> Option<(f64, DateTime<Utc>)> {
        let now = self.current.get(key)?;
        let base = self
            .baseline
            .as_ref()
            .filter(|b| b.taken_at < self.current.taken_at)
            .or(self.previous.as_ref())?;
        let before = base.get(key)?;
        let days = secs_between(base.taken_at, self.current.taken_at) / 86_400.0;
        if days <= 0.0 {
            return None;
        }
        Some(((now - before) / days, base.taken_at))
    }

    pub(crate) fn stats_info(&self) -> StatsInfo {
        StatsInfo {
            uptime_seconds: self.current.uptime_seconds,
            started_at: self.current.started_at,
            stats_reset: self.current.stats_reset,
            previous_snapshot_at: self.previous.as_ref().map(|p| p.taken_at),
            basis: self.basis().kind,
            restarted: self.restarted,
            reset: self.reset,
        }
    }
}

fn secs_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_milliseconds().max(0) as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(at: i64, started: i64, counters: &[(&str, f64)]) -> Snapshot {
        Snapshot {
            target: "t".into(),
            engine: EngineKind::Postgres,
            taken_at: DateTime::from_timestamp(at, 0).expect("time"),
            started_at: DateTime::from_timestamp(started, 0),
            stats_reset: None,
            uptime_seconds: Some(u64::try_from(at - started).unwrap_or(0)),
            counters: counters.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn delta_since_previous() {
        let prev = snap(1_000, 0, &[("x", 10.0)]);
        let cur = snap(1_600, 0, &[("x", 70.0)]);
        let r = Rates::new(
            cur,
            &History {
                previous: Some(prev),
                baseline: None,
            },
        );
        let (v, b) = r.change("x").expect("x");
        assert_eq!(v, 60.0);
        assert_eq!(b.kind, BasisKind::Delta);
        assert_eq!(b.seconds, 600.0);
    }

    #[test]
    fn restart_falls_back_to_lifetime() {
        let prev = snap(1_000, 0, &[("x", 10.0)]);
        let cur = snap(1_600, 1_500, &[("x", 3.0)]);
        let r = Rates::new(
            cur,
            &History {
                previous: Some(prev),
                baseline: None,
            },
        );
        assert!(r.restarted);
        let (v, b) = r.change("x").expect("x");
        assert_eq!((v, b.kind), (3.0, BasisKind::Lifetime));
        assert_eq!(b.why.map(|t| t.id()), Some(msg::BASIS_RESTARTED.id));
    }

    #[test]
    fn no_previous_says_so() {
        let r = Rates::new(snap(1_600, 0, &[("x", 3.0)]), &History::default());
        let (_, b) = r.change("x").expect("x");
        assert_eq!(b.why.map(|t| t.id()), Some(msg::BASIS_NO_PREVIOUS.id));
    }

    #[test]
    fn growth_uses_the_baseline() {
        let base = snap(0, 0, &[("size", 0.0)]);
        let prev = snap(43_200, 0, &[("size", 100.0)]);
        let cur = snap(86_400, 0, &[("size", 200.0)]);
        let r = Rates::new(
            cur,
            &History {
                previous: Some(prev),
                baseline: Some(base),
            },
        );
        assert_eq!(r.growth_per_day("size").map(|g| g.0), Some(200.0));
    }
}
