//! The PostgreSQL catalogue: base facts (settings, who we are), the probes' SQL (`probes`),
//! the snapshot of cumulative counters, and the checks by area.

mod activity;
mod availability;
mod config;
mod indexes;
pub(crate) mod msg;
pub(crate) mod probes;
mod replication;
mod security;
mod storage;
mod vacuum;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::{Engine, Facts};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result};

use crate::check::{Base, Def, Privileges, ProbeResult, Product, SettingVal};
use crate::model::HostView;
use crate::options::InspectOptions;
use crate::snapshot::Snapshot;
use crate::value;

/// Probes every run needs, whatever checks are selected: the counters of the snapshot.
pub(crate) const ALWAYS: &[&str] = &[
    "db_counters",
    "bgwriter",
    "archiver",
    "index_io",
    "pgss_info",
];

const SETTINGS_SQL: &str = "SELECT name, setting, unit, source FROM pg_settings";

const WHO_SQL: &str = "\
SELECT current_setting('server_version_num')::int AS version_num,
       current_database()::text AS database,
       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
       pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor,
       pg_has_role(current_user, 'pg_read_all_settings', 'USAGE') AS read_settings,
       coalesce((SELECT array_agg(extname::text ORDER BY extname) FROM pg_extension), '{}')
         AS extensions";

/// Reads the settings and who we are; bounds every later query in time.
pub(crate) async fn base(
    engine: &dyn Engine,
    target: &Target,
    facts: Facts,
    opts: &InspectOptions,
) -> Result<Base> {
    // Our own session only: a slow catalogue query or a table locked by someone else's long
    // transaction makes one probe fail ("not run: timeout"), not the whole inspection hang.
    let limits = format!(
        "SELECT set_config('statement_timeout', '{}', false), set_config('lock_timeout', '{}', false)",
        opts.statement_timeout.as_millis(),
        opts.lock_timeout.as_millis()
    );
    if let Err(e) = engine.query(&limits).await {
        if e.kind == ErrorKind::Unavailable {
            return Err(e);
        }
    }
    let who = engine.query(WHO_SQL).await?;
    let who = who.first().ok_or_else(|| {
        Error::new(
            ErrorKind::Failed,
            dbkeeper_core::Text::new(crate::msg::PROBE_EMPTY).arg("probe", "current_user"),
        )
    })?;
    let mut settings = BTreeMap::new();
    for r in engine.query(SETTINGS_SQL).await? {
        let name = value::text_of(r.get("name"));
        settings.insert(
            name,
            SettingVal {
                value: value::text_of(r.get("setting")),
                unit: value::opt_text(r.get("unit")),
                source: value::opt_text(r.get("source")),
            },
        );
    }
    let superuser = value::bool_of(who.get("superuser")).unwrap_or(false);
    let mut missing = Vec::new();
    if !superuser {
        missing.push("superuser".to_string());
        if !value::bool_of(who.get("monitor")).unwrap_or(false) {
            missing.push("pg_monitor".to_string());
        }
        if !value::bool_of(who.get("read_settings")).unwrap_or(false) {
            missing.push("pg_read_all_settings".to_string());
        }
    }
    let extensions = match who.get("extensions") {
        Some(serde_json::Value::Array(a)) => a.iter().map(|v| value::text_of(Some(v))).collect(),
        _ => Vec::new(),
    };
    Ok(Base {
        target: target.clone(),
        product: Product::Postgres,
        version_num: value::f64_of(who.get("version_num")).map_or(0, |v| v as u32),
        database: value::opt_text(who.get("database")),
        facts,
        settings,
        status: BTreeMap::new(),
        privileges: Privileges { superuser, missing },
        extensions,
    })
}

/// The cumulative counters of this run (see `Snapshot`).
pub(crate) fn snapshot(
    base: &Base,
    probes: &HashMap<&'static str, ProbeResult>,
    host: Option<&HostView>,
    now: DateTime<Utc>,
) -> Snapshot {
    let mut counters = BTreeMap::new();
    // Only the database statistics' reset counts for the period: the bgwriter's and the
    // archiver's resets are rarer, and their counters are checked for going down one by one.
    let db_reset = take(probes, "db_counters", "db", &mut counters);
    take(probes, "bgwriter", "bgw", &mut counters);
    take(probes, "archiver", "arch", &mut counters);
    take(probes, "index_io", "io", &mut counters);
    take(probes, "pgss_info", "pgss", &mut counters);
    if let Some(v) = counters.remove("db.total_bytes") {
        counters.insert("size.total_bytes".into(), v);
    }
    if let Some(h) = host {
        if let Some(fs) = &h.data_fs {
            counters.insert("fs.data.free_bytes".into(), fs.free_bytes as f64);
            counters.insert(
                "fs.data.used_bytes".into(),
                fs.total_bytes.saturating_sub(fs.free_bytes) as f64,
            );
        }
    }
    Snapshot {
        target: base.target.name.clone(),
        engine: base.target.engine,
        taken_at: now,
        started_at: base.facts.started_at,
        stats_reset: db_reset,
        uptime_seconds: base.facts.uptime_seconds,
        counters,
    }
}

/// The numeric columns of a one-row probe as counters `prefix.column`; returns its
/// `stats_reset`, if any.
fn take(
    probes: &HashMap<&'static str, ProbeResult>,
    probe: &str,
    prefix: &str,
    counters: &mut BTreeMap<String, f64>,
) -> Option<DateTime<Utc>> {
    let Some(ProbeResult::Rows(rows)) = probes.get(probe) else {
        return None;
    };
    let r = rows.first()?;
    let mut reset = None;
    for (k, v) in r {
        if k == "stats_reset" {
            reset = value::time_of(Some(v));
        } else if v.is_number() {
            if let Some(n) = value::f64_of(Some(v)) {
                counters.insert(format!("{prefix}.{k}"), n);
            }
        }
    }
    reset
}

/// Every message of the PostgreSQL checks (for the catalogue tests).
#[cfg(test)]
pub(crate) fn all_msgs() -> Vec<dbkeeper_core::Msg> {
    [
        msg::ALL,
        availability::msg::ALL,
        config::msg::ALL,
        activity::msg::ALL,
        replication::msg::ALL,
        vacuum::msg::ALL,
        indexes::msg::ALL,
        storage::msg::ALL,
        security::msg::ALL,
    ]
    .concat()
}

/// Every PostgreSQL check, in catalogue order.
pub(crate) fn defs() -> Vec<Def> {
    let mut all = Vec::new();
    all.extend(availability::defs());
    all.extend(config::defs());
    all.extend(activity::defs());
    all.extend(replication::defs());
    all.extend(vacuum::defs());
    all.extend(indexes::defs());
    all.extend(storage::defs());
    all.extend(security::defs());
    all
}
