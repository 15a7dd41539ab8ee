//! What a MySQL/MariaDB server is and how it is set up, read over one connection.

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::{DatabaseSize, Facts, Role, Setting};
use dbkeeper_core::host::HostFacts;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

use crate::msg;
use crate::value::{number, text};

/// The settings a DBA looks at first, in the order they are reported; missing ones (a variable
/// the server does not have, such as `have_ssl` on MySQL 8.0.26+) are skipped. The unit is ours:
/// MySQL reports plain numbers.
const SETTINGS: &[(&str, Option<&str>)] = &[
    ("innodb_buffer_pool_size", Some("B")),
    ("max_connections", None),
    ("innodb_log_file_size", Some("B")),
    ("innodb_flush_log_at_trx_commit", None),
    ("sync_binlog", None),
    ("log_bin", None),
    ("binlog_format", None),
    ("server_id", None),
    ("slow_query_log", None),
    ("long_query_time", Some("s")),
    ("require_secure_transport", None),
    ("have_ssl", None),
];

const SERVER_SQL: &str = "SELECT VERSION(), @@version_comment, @@datadir, \
     @@character_set_server, @@collation_server, UNIX_TIMESTAMP()";
const UPTIME_SQL: &str = "SHOW GLOBAL STATUS LIKE 'Uptime'";
/// Every schema, also empty ones (hence the outer join), with its data and index size.
const DATABASES_SQL: &str = "SELECT s.SCHEMA_NAME, \
     CAST(COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0) AS UNSIGNED) \
     FROM information_schema.SCHEMATA s \
     LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME \
     GROUP BY s.SCHEMA_NAME ORDER BY s.SCHEMA_NAME";

/// Reads all facts over `conn`.
pub(crate) async fn gather(target: &Target, conn: &mut Conn) -> Result<Facts> {
    let server: Vec<Row> = query(target, conn, SERVER_SQL).await?;
    let row = server.first();
    let cell = |i| row.and_then(|r| text(r, i));
    let version_text = cell(0).unwrap_or_default();
    let comment = cell(1).unwrap_or_default();
    let data_directory = cell(2).map(|d| trim_dir(&d));
    let server_now = row.and_then(|r| number(r, 5));

    let uptime_seconds = query(target, conn, UPTIME_SQL)
        .await?
        .first()
        .and_then(|r| number(r, 1));
    let started_at = match (server_now, uptime_seconds) {
        (Some(now), Some(up)) => i64::try_from(now.saturating_sub(up))
            .ok()
            .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0)),
        _ => None,
    };

    let product = product(&version_text, &comment);
    Ok(Facts {
        target: target.name.clone(),
        engine: EngineKind::Mysql,
        product: product.to_string(),
        version: numeric_version(&version_text),
        version_full: version_full(&version_text, &comment),
        role: role(target, conn, product == "MariaDB").await?,
        started_at,
        uptime_seconds,
        host: target
            .is_local()
            .then(|| HostFacts::gather(data_directory.as_deref())),
        data_directory,
        encoding: cell(3).unwrap_or_default(),
        collation: cell(4),
        databases: databases(target, conn).await?,
        settings: settings(target, conn).await?,
    })
}

/// `MariaDB` or `MySQL`: MariaDB says so in its version (`10.11.19-MariaDB-0+deb12u1`) or, for
/// some builds, only in `@@version_comment`. Percona Server and other forks count as MySQL.
pub(crate) fn product(version: &str, comment: &str) -> &'static str {
    let says = |s: &str| s.to_ascii_lowercase().contains("mariadb");
    if says(version) || says(comment) {
        "MariaDB"
    } else {
        "MySQL"
    }
}

/// The numeric version at the start of `VERSION()`: `10.11.19` from `10.11.19-MariaDB-0+deb12u1`,
/// `8.0.36` from `8.0.36-0ubuntu0.22.04.1`. The `5.5.5-` that MariaDB puts before its version
/// for old replication clients is skipped.
pub(crate) fn numeric_version(version: &str) -> String {
    let v = match version.strip_prefix("5.5.5-") {
        Some(rest) if rest.to_ascii_lowercase().contains("mariadb") => rest,
        _ => version,
    };
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    v[..end].trim_end_matches('.').to_string()
}

/// What the server says of itself: `VERSION()`, then `@@version_comment` in parentheses when it
/// has one, e.g. `10.11.19-MariaDB-0+deb12u1 (Debian 12)` or
/// `8.0.36 (MySQL Community Server - GPL)`.
pub(crate) fn version_full(version: &str, comment: &str) -> String {
    if comment.trim().is_empty() {
        version.to_string()
    } else {
        format!("{version} ({})", comment.trim())
    }
}

/// `@@datadir` ends with a slash; other paths dbkeeper reports do not.
fn trim_dir(dir: &str) -> String {
    let trimmed = dir.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// A replica has a row in its replication status. MariaDB lists every source connection with
/// `SHOW ALL SLAVES STATUS` (plain `SHOW REPLICA STATUS` shows only the default one); MySQL
/// lists every channel with `SHOW REPLICA STATUS` (8.0.22+), which older servers only know as
/// `SHOW SLAVE STATUS`.
async fn role(target: &Target, conn: &mut Conn, mariadb: bool) -> Result<Role> {
    let first = if mariadb {
        "SHOW ALL SLAVES STATUS"
    } else {
        "SHOW REPLICA STATUS"
    };
    let rows: std::result::Result<Vec<Row>, _> = match conn.query(first).await {
        // ER_PARSE_ERROR: an older MySQL.
        Err(mysql_async::Error::Server(e)) if e.code == 1064 && !mariadb => {
            conn.query("SHOW SLAVE STATUS").await
        }
        other => other,
    };
    match rows {
        Ok(rows) if rows.is_empty() => Ok(Role::Primary),
        Ok(_) => Ok(Role::Replica),
        // ER_SPECIFIC_ACCESS_DENIED_ERROR: a monitoring account without REPLICATION CLIENT
        // (REPLICA MONITOR on MariaDB) still gets every other fact; the role is then unknown,
        // and a server that cannot be shown to replicate is reported as accepting writes.
        Err(mysql_async::Error::Server(e)) if e.code == 1227 => {
            tracing::warn!(target = %target, "no privilege to read the replication status; reporting the role as primary");
            Ok(Role::Primary)
        }
        Err(e) => Err(query_error(target, first, &e)),
    }
}

async fn databases(target: &Target, conn: &mut Conn) -> Result<Vec<DatabaseSize>> {
    Ok(query(target, conn, DATABASES_SQL)
        .await?
        .iter()
        .filter_map(|r| {
            Some(DatabaseSize {
                name: text(r, 0)?,
                size_bytes: number(r, 1).unwrap_or(0),
            })
        })
        .collect())
}

async fn settings(target: &Target, conn: &mut Conn) -> Result<Vec<Setting>> {
    // The names are this module's constants, never input.
    let names: Vec<String> = SETTINGS
        .iter()
        .map(|(n, _)| crate::quote_string(n))
        .collect();
    let sql = format!(
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ({})",
        names.join(", ")
    );
    let found: Vec<(String, String)> = query(target, conn, &sql)
        .await?
        .iter()
        .filter_map(|r| {
            Some((
                text(r, 0)?.to_ascii_lowercase(),
                text(r, 1).unwrap_or_default(),
            ))
        })
        .collect();
    Ok(SETTINGS
        .iter()
        .filter_map(|(name, unit)| {
            let (_, value) = found.iter().find(|(n, _)| n == name)?;
            Some(Setting {
                name: (*name).to_string(),
                value: value.clone(),
                unit: unit.map(str::to_string),
            })
        })
        .collect())
}

/// The TLS cipher of the session, `None` when plain.
pub(crate) async fn session_cipher(target: &Target, conn: &mut Conn) -> Result<Option<String>> {
    let rows = query(target, conn, "SHOW SESSION STATUS LIKE 'Ssl_cipher'").await?;
    Ok(rows
        .first()
        .and_then(|r| text(r, 1))
        .filter(|c| !c.is_empty()))
}

async fn query(target: &Target, conn: &mut Conn, sql: &str) -> Result<Vec<Row>> {
    conn.query(sql)
        .await
        .map_err(|e| query_error(target, sql, &e))
}

/// A failed facts query: `at` names the statement, the detail carries the server's words.
pub(crate) fn query_error(target: &Target, sql: &str, e: &mysql_async::Error) -> Error {
    let shown = sql.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    let (kind, hint) = match e {
        // No privilege on a table, a column or an administrative statement.
        mysql_async::Error::Server(s) if matches!(s.code, 1044 | 1142 | 1143 | 1227) => (
            ErrorKind::Config,
            Text::new(msg::QUERY_PRIVILEGE_HINT).arg("user", &target.user),
        ),
        mysql_async::Error::Server(_) => (ErrorKind::Failed, Text::new(msg::QUERY_HINT)),
        _ => (ErrorKind::Unavailable, Text::new(msg::QUERY_LOST_HINT)),
    };
    Error::new(kind, Text::new(msg::QUERY_FAILED).arg("target", target))
        .at(shown)
        .hint(hint)
        .detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(numeric_version("10.11.19-MariaDB-0+deb12u1"), "10.11.19");
        assert_eq!(numeric_version("5.5.5-10.6.18-MariaDB-log"), "10.6.18");
        assert_eq!(numeric_version("8.0.36-0ubuntu0.22.04.1"), "8.0.36");
        assert_eq!(numeric_version("5.7.44"), "5.7.44");
        assert_eq!(numeric_version("5.5.5-x"), "5.5.5");
        assert_eq!(numeric_version(""), "");
    }

    #[test]
    fn products() {
        assert_eq!(
            product("10.11.19-MariaDB-0+deb12u1", "Debian 12"),
            "MariaDB"
        );
        assert_eq!(
            product("11.4.2", "mariadb.org binary distribution"),
            "MariaDB"
        );
        assert_eq!(product("8.0.36", "MySQL Community Server - GPL"), "MySQL");
    }

    #[test]
    fn full_version() {
        assert_eq!(
            version_full("10.11.19-MariaDB-0+deb12u1", "Debian 12"),
            "10.11.19-MariaDB-0+deb12u1 (Debian 12)"
        );
        assert_eq!(version_full("8.0.36", " "), "8.0.36");
    }

    #[test]
    fn trims_datadir() {
        assert_eq!(trim_dir("/var/lib/mysql/"), "/var/lib/mysql");
        assert_eq!(trim_dir("/"), "/");
    }
}
