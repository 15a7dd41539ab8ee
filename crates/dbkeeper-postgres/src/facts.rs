//! Facts about a PostgreSQL server, read over one connection with a handful of catalog queries.

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::{DatabaseSize, Facts, Role, Setting};
use dbkeeper_core::host::HostFacts;
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::Result;

use crate::connect::{query_error, PgEngine};

/// The settings a DBA looks at first, in the order they are shown.
pub const SETTINGS: &[&str] = &[
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "max_connections",
    "wal_level",
    "max_wal_size",
    "checkpoint_timeout",
    "archive_mode",
    "ssl",
    "log_min_duration_statement",
    "server_version_num",
];

/// Everything in one round trip where the values are scalars.
///
/// `data_directory` is read from `pg_settings`, which simply has no row for it when the user
/// may not see it (not a superuser, not in pg_read_all_settings); `current_setting` would fail
/// the whole query instead. `current_setting('server_version')` is what `SHOW server_version`
/// prints.
const SERVER_SQL: &str = "\
SELECT current_setting('server_version'),
       version(),
       pg_is_in_recovery(),
       pg_postmaster_start_time(),
       floor(extract(epoch FROM now() - pg_postmaster_start_time()))::bigint,
       (SELECT setting FROM pg_settings WHERE name = 'data_directory'),
       current_setting('server_encoding'),
       (SELECT datcollate::text FROM pg_database WHERE datname = current_database())";

/// Databases the user may connect to; the others (template0, revoked ones) cannot be sized
/// without an error and are of no use to backups run as this user.
const DATABASES_SQL: &str = "\
SELECT datname::text, pg_database_size(oid)
  FROM pg_database
 WHERE datallowconn AND has_database_privilege(oid, 'CONNECT')
 ORDER BY datname";

const SETTINGS_SQL: &str = "\
SELECT name, setting, unit
  FROM pg_settings
 WHERE name = ANY($1)
 ORDER BY array_position($1, name)";

pub(crate) async fn gather(engine: &PgEngine) -> Result<Facts> {
    let target = engine.target();
    let client = engine.client();

    let row = client
        .query_one(SERVER_SQL, &[])
        .await
        .map_err(|e| query_error(target, "server facts", &e))?;
    let get = |what: &str, e: tokio_postgres::Error| query_error(target, what, &e);
    let server_version: String = row.try_get(0).map_err(|e| get("server_version", e))?;
    let version_full: String = row.try_get(1).map_err(|e| get("version()", e))?;
    let in_recovery: bool = row.try_get(2).map_err(|e| get("pg_is_in_recovery()", e))?;
    let started_at: Option<DateTime<Utc>> = row
        .try_get(3)
        .map_err(|e| get("pg_postmaster_start_time()", e))?;
    let uptime: Option<i64> = row.try_get(4).map_err(|e| get("uptime", e))?;
    let data_directory: Option<String> = row.try_get(5).map_err(|e| get("data_directory", e))?;
    let encoding: String = row.try_get(6).map_err(|e| get("server_encoding", e))?;
    let collation: Option<String> = row.try_get(7).map_err(|e| get("datcollate", e))?;

    let databases = client
        .query(DATABASES_SQL, &[])
        .await
        .map_err(|e| query_error(target, "database sizes", &e))?
        .iter()
        .map(|r| {
            let name: String = r.try_get(0)?;
            let size: i64 = r.try_get(1)?;
            Ok(DatabaseSize {
                name,
                size_bytes: u64::try_from(size).unwrap_or(0),
            })
        })
        .collect::<std::result::Result<Vec<_>, tokio_postgres::Error>>()
        .map_err(|e| query_error(target, "database sizes", &e))?;

    let names: Vec<String> = SETTINGS.iter().map(|s| s.to_string()).collect();
    let settings = client
        .query(SETTINGS_SQL, &[&names])
        .await
        .map_err(|e| query_error(target, "settings", &e))?
        .iter()
        .map(|r| {
            Ok(Setting {
                name: r.try_get(0)?,
                value: r.try_get(1)?,
                unit: r.try_get(2)?,
            })
        })
        .collect::<std::result::Result<Vec<_>, tokio_postgres::Error>>()
        .map_err(|e| query_error(target, "settings", &e))?;

    let host = target
        .is_local()
        .then(|| HostFacts::gather(data_directory.as_deref()));

    Ok(Facts {
        target: target.name.clone(),
        engine: EngineKind::Postgres,
        product: "PostgreSQL".into(),
        version: version_token(&server_version),
        version_full,
        role: if in_recovery {
            Role::Replica
        } else {
            Role::Primary
        },
        started_at,
        uptime_seconds: uptime.and_then(|s| u64::try_from(s).ok()),
        data_directory,
        encoding,
        collation,
        databases,
        settings,
        host,
    })
}

/// `15.20 (Debian 15.20-0+deb12u1)` → `15.20`.
pub(crate) fn version_token(server_version: &str) -> String {
    server_version
        .split_whitespace()
        .next()
        .unwrap_or(server_version)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_first_token() {
        assert_eq!(version_token("15.20 (Debian 15.20-0+deb12u1)"), "15.20");
        assert_eq!(version_token("17devel"), "17devel");
        assert_eq!(version_token(""), "");
    }
}
