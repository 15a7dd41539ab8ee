//! The MySQL/MariaDB catalogue: base facts (variables, status, who we are), the probes' SQL
//! (`probes`), the snapshot (every numeric status counter), and the checks by area. MariaDB
//! and MySQL differ in places (accounts in `mysql.global_priv`, replica status column names,
//! lock-wait tables); probes are gated by product, checks read both spellings.

mod activity;
pub(crate) mod msg;
pub(crate) mod probes;
mod security;
mod server;
mod storage;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::{Engine, Facts};
use dbkeeper_core::target::Target;
use dbkeeper_core::{ErrorKind, Result};

use crate::check::{Base, Def, Privileges, ProbeResult, Product, SettingVal};
use crate::model::HostView;
use crate::options::InspectOptions;
use crate::snapshot::Snapshot;
use crate::value;

/// Probes every run needs: none beyond the base (status counters come with it).
pub(crate) const ALWAYS: &[&str] = &[];

const VARIABLES_SQL: &str = "SHOW GLOBAL VARIABLES";
const STATUS_SQL: &str = "SHOW GLOBAL STATUS";
/// The current account's global privileges (information_schema shows only one's own to a
/// non-privileged user, everyone's to an administrator: hence the filter).
const PRIVILEGES_SQL: &str = "\
SELECT PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES
 WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',
                        SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";
const PLUGINS_SQL: &str = "\
SELECT PLUGIN_NAME AS name FROM information_schema.PLUGINS WHERE PLUGIN_STATUS = 'ACTIVE'";

/// Variables that are sizes in bytes.
const BYTE_VARIABLES: &[&str] = &[
    "innodb_buffer_pool_size",
    "innodb_buffer_pool_chunk_size",
    "innodb_log_buffer_size",
    "innodb_log_file_size",
    "innodb_redo_log_capacity",
    "query_cache_size",
    "key_buffer_size",
    "sort_buffer_size",
    "read_buffer_size",
    "read_rnd_buffer_size",
    "join_buffer_size",
    "tmp_table_size",
    "max_heap_table_size",
    "binlog_cache_size",
    "max_binlog_size",
    "thread_stack",
    "aria_pagecache_buffer_size",
    "max_allowed_packet",
    "server_audit_file_rotate_size",
];

/// The privileges the full catalogue reads with (research §7: PROCESS, REPLICATION CLIENT,
/// SELECT on mysql.* and performance_schema).
const NEEDED: &[&str] = &["PROCESS", "SELECT", "REPLICATION CLIENT"];

pub(crate) async fn base(
    engine: &dyn Engine,
    target: &Target,
    facts: Facts,
    opts: &InspectOptions,
) -> Result<Base> {
    let product = if facts.product.eq_ignore_ascii_case("mariadb")
        || facts.version_full.to_ascii_lowercase().contains("mariadb")
    {
        Product::MariaDb
    } else {
        Product::Mysql
    };
    // Our session only: a slow query or a metadata lock held by someone else makes one probe
    // fail, not the inspection hang. The names differ by product; a failure is harmless.
    let secs = opts.statement_timeout.as_secs_f64();
    let lock = opts.lock_timeout.as_secs().max(1);
    let limits = match product {
        Product::MariaDb => {
            format!("SET SESSION max_statement_time = {secs}, lock_wait_timeout = {lock}")
        }
        _ => format!(
            "SET SESSION max_execution_time = {}, lock_wait_timeout = {lock}",
            opts.statement_timeout.as_millis()
        ),
    };
    if let Err(e) = engine.query(&limits).await {
        if e.kind == ErrorKind::Unavailable {
            return Err(e);
        }
    }
    let mut settings = BTreeMap::new();
    for r in engine.query(VARIABLES_SQL).await? {
        let name = value::text_of(r.get("Variable_name")).to_ascii_lowercase();
        // MySQL reports sizes as plain byte counts; marking them lets reports say "16.0 MiB".
        let unit = BYTE_VARIABLES
            .contains(&name.as_str())
            .then(|| "B".to_string());
        settings.insert(
            name,
            SettingVal {
                value: value::text_of(r.get("Value")),
                unit,
                source: None,
            },
        );
    }
    let mut status = BTreeMap::new();
    for r in engine.query(STATUS_SQL).await? {
        status.insert(
            value::text_of(r.get("Variable_name")),
            value::text_of(r.get("Value")),
        );
    }
    let privs: Vec<String> = match engine.query(PRIVILEGES_SQL).await {
        Ok(rows) => rows
            .iter()
            .map(|r| value::text_of(r.get("privilege")).to_ascii_uppercase())
            .collect(),
        Err(e) if e.kind == ErrorKind::Unavailable => return Err(e),
        Err(_) => Vec::new(),
    };
    let superuser = privs.iter().any(|p| p == "SUPER");
    let missing = NEEDED
        .iter()
        .filter(|n| !privs.iter().any(|p| p == *n))
        .map(|s| s.to_string())
        .collect();
    let extensions = match engine.query(PLUGINS_SQL).await {
        Ok(rows) => rows
            .iter()
            .map(|r| value::text_of(r.get("name")).to_ascii_lowercase())
            .collect(),
        Err(e) if e.kind == ErrorKind::Unavailable => return Err(e),
        Err(_) => Vec::new(),
    };
    Ok(Base {
        target: target.clone(),
        product,
        version_num: version_num(&facts.version),
        database: target.database.clone(),
        facts,
        settings,
        status,
        privileges: Privileges { superuser, missing },
        extensions,
    })
}

/// `10.11.19-MariaDB` → 101119; `8.0.36` → 80036.
pub(crate) fn version_num(v: &str) -> u32 {
    let mut parts = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    let patch = parts.next().unwrap_or(0);
    major * 10_000 + minor.min(99) * 100 + patch.min(99)
}

/// Every numeric global status value as `status.Name`, database sizes and data disk use.
pub(crate) fn snapshot(
    base: &Base,
    _probes: &HashMap<&'static str, ProbeResult>,
    host: Option<&HostView>,
    now: DateTime<Utc>,
) -> Snapshot {
    let mut counters: BTreeMap<String, f64> = base
        .status
        .iter()
        .filter_map(|(k, v)| {
            v.trim()
                .parse::<f64>()
                .ok()
                .map(|n| (format!("status.{k}"), n))
        })
        .collect();
    counters.insert(
        "size.total_bytes".into(),
        base.facts.total_size_bytes() as f64,
    );
    if let Some(fs) = host.and_then(|h| h.data_fs.as_ref()) {
        counters.insert("fs.data.free_bytes".into(), fs.free_bytes as f64);
        counters.insert(
            "fs.data.used_bytes".into(),
            fs.total_bytes.saturating_sub(fs.free_bytes) as f64,
        );
    }
    // FLUSH STATUS resets the counters: Uptime_since_flush_status below Uptime says when. Both
    // are whole seconds read at the same moment, so a gap of two or more is a flush, not rounding.
    let uptime = base.facts.uptime_seconds;
    let since_flush = base
        .status
        .get("Uptime_since_flush_status")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let stats_reset = match (uptime, since_flush) {
        (Some(u), Some(f)) if f + 1 < u as i64 => Some(now - chrono::Duration::seconds(f)),
        _ => None,
    };
    Snapshot {
        target: base.target.name.clone(),
        engine: base.target.engine,
        taken_at: now,
        started_at: base.facts.started_at,
        stats_reset,
        uptime_seconds: uptime,
        counters,
    }
}

/// Every MySQL/MariaDB check, in catalogue order.
pub(crate) fn defs() -> Vec<Def> {
    let mut all = Vec::new();
    all.extend(server::defs());
    all.extend(activity::defs());
    all.extend(storage::defs());
    all.extend(security::defs());
    all
}

#[cfg(test)]
pub(crate) fn all_msgs() -> Vec<dbkeeper_core::Msg> {
    [
        msg::ALL,
        server::msg::ALL,
        activity::msg::ALL,
        storage::msg::ALL,
        security::msg::ALL,
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_as_numbers() {
        assert_eq!(super::version_num("10.11.19-MariaDB-0+deb12u1"), 101_119);
        assert_eq!(super::version_num("8.0.36"), 80_036);
        assert_eq!(super::version_num("8.4.2-log"), 80_402);
    }
}
