//! One consistent snapshot for the whole dump, as mydumper takes it: a short lock that stops
//! commits, the binlog position and GTID read while nothing can commit, one
//! `START TRANSACTION WITH CONSISTENT SNAPSHOT` per worker connection, then the lock is
//! released. Every worker then reads the same committed state of every InnoDB table, and that
//! state is exactly the one at the recorded binlog position.

use std::time::{Duration, Instant};

use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};
use serde_json::{json, Value as Json};

use crate::dump::query_error;
use crate::msg;
use crate::value::text;

/// How a logical backup stops commits while its snapshots start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LockMethod {
    /// `BACKUP STAGE` on MariaDB 10.4 and later, else `FLUSH TABLES WITH READ LOCK`.
    #[default]
    Auto,
    /// MariaDB's `BACKUP STAGE START` + `BLOCK_COMMIT`: blocks commits and DDL only, and does
    /// not wait for long-running queries as FTWRL does (which meanwhile blocks every writer).
    BackupStage,
    /// `FLUSH TABLES WITH READ LOCK`, which every MySQL and MariaDB version has.
    FlushTablesWithReadLock,
}

impl LockMethod {
    fn name(self) -> &'static str {
        match self {
            LockMethod::Auto => "auto",
            LockMethod::BackupStage => "backup_stage",
            LockMethod::FlushTablesWithReadLock => "flush_tables_with_read_lock",
        }
    }
}

/// How a logical backup is made, beyond what the request says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DumpOptions {
    /// How commits are stopped while the snapshot starts.
    pub lock: LockMethod,
    /// Tables with more than twice this much data (and an integer primary key) are read, stored
    /// and loaded in parts of about this size, in parallel.
    pub part_bytes: u64,
}

impl Default for DumpOptions {
    fn default() -> DumpOptions {
        DumpOptions {
            lock: LockMethod::Auto,
            part_bytes: crate::dump::split::DEFAULT_PART_BYTES,
        }
    }
}

/// How long the lock may wait for running DDL or commits before the backup gives up instead of
/// stalling the server's writers behind it.
const LOCK_WAIT_SECONDS: u64 = 60;

/// What the server is, as far as the dump needs to know.
#[derive(Clone, Debug)]
pub(crate) struct Server {
    pub(crate) product: &'static str,
    /// `10.11.19`
    pub(crate) version: String,
    pub(crate) mariadb: bool,
    /// (major, minor, patch)
    pub(crate) numbers: (u32, u32, u32),
    pub(crate) log_bin: bool,
    pub(crate) server_id: Option<u64>,
}

impl Server {
    pub(crate) fn at_least(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.numbers >= (major, minor, patch)
    }

    /// `CAST(x AS DOUBLE)`: MariaDB 10.4.3, MySQL 8.0.17.
    pub(crate) fn has_cast_double(&self) -> bool {
        if self.mariadb {
            self.at_least(10, 4, 3)
        } else {
            self.at_least(8, 0, 17)
        }
    }
}

const SERVER_SQL: &str = "SELECT VERSION(), @@version_comment, @@log_bin, @@server_id";

pub(crate) async fn server(target: &Target, conn: &mut Conn) -> Result<Server> {
    let row: Option<Row> = conn
        .query_first(SERVER_SQL)
        .await
        .map_err(|e| query_error(target, "server version", &e))?;
    let cell = |i| row.as_ref().and_then(|r| text(r, i)).unwrap_or_default();
    let version_text = cell(0);
    let product = crate::facts::product(&version_text, &cell(1));
    let version = crate::facts::numeric_version(&version_text);
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let numbers = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    Ok(Server {
        product,
        mariadb: product == "MariaDB",
        version,
        numbers,
        log_bin: matches!(cell(2).as_str(), "1" | "ON"),
        server_id: cell(3).parse().ok(),
    })
}

/// The role of a connection in the dump, which decides its session settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Session {
    /// Takes the lock, reads the catalogue and the users: text comes back as utf8mb4.
    Coordinator,
    /// Reads rows: bytes come back exactly as stored (`character_set_results = binary`), in
    /// whatever character set each column has, so that nothing is converted twice.
    Reader,
}

/// Settings that make the text of every value independent of the server's and the account's
/// defaults: UTC for TIMESTAMP, no SQL mode that changes results (`PAD_CHAR_TO_FULL_LENGTH`),
/// REPEATABLE READ for the snapshot, and timeouts long enough for a slow destination.
pub(crate) async fn prepare(
    target: &Target,
    conn: &mut Conn,
    server: &Server,
    role: Session,
) -> Result<()> {
    let mut sql = String::from(
        "SET SESSION sql_mode = '', time_zone = '+00:00', \
         net_write_timeout = 3600, net_read_timeout = 3600, wait_timeout = 86400",
    );
    sql.push_str(&format!(", lock_wait_timeout = {LOCK_WAIT_SECONDS}"));
    sql.push_str(";\nSET NAMES utf8mb4;\nSET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    if role == Session::Reader {
        sql.push_str(";\nSET character_set_results = binary");
    }
    if !server.mariadb && server.at_least(8, 0, 3) {
        // MySQL caches information_schema statistics (AUTO_INCREMENT among them) for a day.
        sql.push_str(";\nSET SESSION information_schema_stats_expiry = 0");
    }
    conn.query_drop(sql)
        .await
        .map_err(|e| query_error(target, "session settings", &e))
}

/// Takes the lock; returns the method actually used.
pub(crate) async fn lock(
    target: &Target,
    conn: &mut Conn,
    server: &Server,
    method: LockMethod,
) -> Result<LockMethod> {
    let method = match method {
        LockMethod::Auto if server.mariadb && server.at_least(10, 4, 1) => LockMethod::BackupStage,
        LockMethod::Auto => LockMethod::FlushTablesWithReadLock,
        m => m,
    };
    let statements: &[&str] = match method {
        LockMethod::BackupStage => &["BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT"],
        _ => &["FLUSH TABLES WITH READ LOCK"],
    };
    for sql in statements {
        if let Err(e) = conn.query_drop(*sql).await {
            // A failed stage leaves the earlier ones held; the session ends them on close, but
            // say so explicitly rather than rely on it.
            let _ = unlock(conn, method).await;
            let hint = match &e {
                mysql_async::Error::Server(s) if matches!(s.code, 1044 | 1045 | 1227) => {
                    Text::new(msg::BACKUP_LOCK_PRIVILEGE_HINT).arg("user", &target.user)
                }
                _ => Text::new(msg::BACKUP_LOCK_HINT).arg("seconds", LOCK_WAIT_SECONDS),
            };
            return Err(Error::new(
                ErrorKind::Failed,
                Text::new(msg::BACKUP_LOCK)
                    .arg("method", *sql)
                    .arg("target", target),
            )
            .hint(hint)
            .detail(e));
        }
    }
    Ok(method)
}

pub(crate) async fn unlock(conn: &mut Conn, method: LockMethod) -> mysql_async::Result<()> {
    match method {
        LockMethod::BackupStage => conn.query_drop("BACKUP STAGE END").await,
        _ => conn.query_drop("UNLOCK TABLES").await,
    }
}

/// Where the snapshot stands in the server's history; read while the lock is held.
#[derive(Clone, Debug)]
pub(crate) struct Point {
    pub(crate) binlog_file: Option<String>,
    pub(crate) binlog_position: Option<u64>,
    pub(crate) gtid: Option<String>,
    pub(crate) gtid_variable: &'static str,
    pub(crate) snapshot_time: Option<String>,
    pub(crate) note: Option<String>,
}

pub(crate) async fn point(target: &Target, conn: &mut Conn, server: &Server) -> Result<Point> {
    let gtid_variable = if server.mariadb {
        "gtid_binlog_pos"
    } else {
        "gtid_executed"
    };
    let mut note = None;
    let (mut binlog_file, mut binlog_position) = (None, None);
    if server.log_bin {
        match master_status(conn).await {
            Ok(Some((file, pos))) => {
                binlog_file = Some(file);
                binlog_position = pos;
            }
            Ok(None) => {}
            Err(mysql_async::Error::Server(s)) if matches!(s.code, 1227 | 1044) => {
                tracing::warn!(target = %target, "no privilege to read the binlog position; the backup records none");
                note = Some(format!(
                    "the user `{}` may not read the binlog position (it needs REPLICATION CLIENT or BINLOG MONITOR)",
                    target.user
                ));
            }
            Err(e) => return Err(query_error(target, "SHOW MASTER STATUS", &e)),
        }
    } else {
        note = Some(
            "binary logging is off (log_bin=OFF): there is no binlog position, so this backup \
             cannot be the starting point of a point-in-time recovery"
                .to_string(),
        );
    }
    let sql = format!(
        "SELECT @@GLOBAL.{gtid_variable}, DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')"
    );
    let row: Option<Row> = conn
        .query_first(&sql)
        .await
        .map_err(|e| query_error(target, "GTID position", &e))?;
    let gtid = row
        .as_ref()
        .and_then(|r| text(r, 0))
        .map(|g| g.replace('\n', ""))
        .filter(|g| !g.trim().is_empty());
    let snapshot_time = row.as_ref().and_then(|r| text(r, 1));
    Ok(Point {
        binlog_file,
        binlog_position,
        gtid,
        gtid_variable,
        snapshot_time,
        note,
    })
}

/// `SHOW MASTER STATUS`, or its MySQL 8.4 name; `None` when the server logs nothing.
async fn master_status(conn: &mut Conn) -> mysql_async::Result<Option<(String, Option<u64>)>> {
    let row: Option<Row> = match conn.query_first("SHOW MASTER STATUS").await {
        // ER_PARSE_ERROR: MySQL 8.4 dropped the old name.
        Err(mysql_async::Error::Server(s)) if s.code == 1064 => {
            conn.query_first("SHOW BINARY LOG STATUS").await?
        }
        other => other?,
    };
    Ok(row.and_then(|r| {
        let file = text(&r, 0).filter(|f| !f.is_empty())?;
        Some((file, text(&r, 1).and_then(|p| p.parse().ok())))
    }))
}

impl Point {
    /// The manifest's `consistent_point`.
    pub(crate) fn to_json(&self, method: LockMethod, lock_held: Duration, server: &Server) -> Json {
        json!({
            "kind": "binlog",
            "lock": method.name(),
            "lock_held_ms": u64::try_from(lock_held.as_millis()).unwrap_or(u64::MAX),
            "snapshot_time": self.snapshot_time,
            "server_id": server.server_id,
            "binlog_enabled": server.log_bin,
            "binlog_file": self.binlog_file,
            "binlog_position": self.binlog_position,
            "gtid": self.gtid,
            "gtid_variable": self.gtid_variable,
            "note": self.note,
        })
    }
}

/// Starts the snapshot on a reader connection (while the lock is held).
pub(crate) async fn start_snapshot(target: &Target, conn: &mut Conn) -> Result<()> {
    conn.query_drop("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        .await
        .map_err(|e| query_error(target, "START TRANSACTION WITH CONSISTENT SNAPSHOT", &e))
}

/// The time the lock was held, measured from its request.
pub(crate) struct LockTimer(Instant);

impl LockTimer {
    pub(crate) fn start() -> LockTimer {
        LockTimer(Instant::now())
    }

    pub(crate) fn held(&self) -> Duration {
        self.0.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(mariadb: bool, numbers: (u32, u32, u32)) -> Server {
        Server {
            product: if mariadb { "MariaDB" } else { "MySQL" },
            version: String::new(),
            mariadb,
            numbers,
            log_bin: false,
            server_id: None,
        }
    }

    #[test]
    fn cast_double_by_version() {
        assert!(server(true, (10, 11, 19)).has_cast_double());
        assert!(!server(true, (10, 3, 39)).has_cast_double());
        assert!(server(false, (8, 0, 36)).has_cast_double());
        assert!(!server(false, (5, 7, 44)).has_cast_double());
    }

    #[test]
    fn point_json_says_when_there_is_no_binlog() {
        let p = Point {
            binlog_file: None,
            binlog_position: None,
            gtid: None,
            gtid_variable: "gtid_binlog_pos",
            snapshot_time: Some("2026-01-01T00:00:00.000000Z".into()),
            note: Some("binary logging is off".into()),
        };
        let j = p.to_json(
            LockMethod::BackupStage,
            Duration::from_millis(5),
            &server(true, (10, 11, 19)),
        );
        assert_eq!(j["lock"], "backup_stage");
        assert_eq!(j["binlog_enabled"], false);
        assert!(j["binlog_file"].is_null());
        assert_eq!(j["lock_held_ms"], 5);
        assert!(j["note"].as_str().expect("note").contains("off"));
    }
}
