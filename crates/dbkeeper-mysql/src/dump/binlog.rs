//! Whether a restore writes to the server's binary log (see [`Binlog`]): decided once, on the
//! restore's first connection, before anything is applied; every other connection of the
//! restore (the loaders, the `mariadb` client for the schema) then does the same, so that the
//! log holds all of the restore or none of it.

use dbkeeper_core::dump::{Binlog, BinlogDecision, BinlogReason};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::Conn;

use crate::dump::query_error;
use crate::msg;

/// Turns binary logging off for one session (needs BINLOG ADMIN on MariaDB 10.5.2+, SUPER
/// before; SYSTEM_VARIABLES_ADMIN or SESSION_VARIABLES_ADMIN on MySQL 8).
pub(crate) const OFF_SQL: &str = "SET SESSION sql_log_bin = 0";

/// The current user has PROCESS (and so sees every session, replicas' dump threads included).
const SEES_ALL_SESSIONS_SQL: &str = "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES \
     WHERE PRIVILEGE_TYPE = 'PROCESS' AND GRANTEE = CONCAT('''', \
     SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

/// Sessions reading the binary log: replicas and binlog archivers (`mariadb-binlog
/// --read-from-remote-server`), MariaDB's and MySQL's command names alike.
const READERS_SQL: &str =
    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'";

/// Decides, and turns logging off on `conn` when it is to be off. `None`: the server keeps no
/// binary log, so there is nothing to decide.
pub(crate) async fn decide(
    target: &Target,
    conn: &mut Conn,
    asked: Binlog,
) -> Result<Option<BinlogDecision>> {
    let vars: Vec<(String, String)> = conn
        .query("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'wsrep_on')")
        .await
        .map_err(|e| query_error(target, "SHOW GLOBAL VARIABLES", &e))?;
    let on = |name: &str| {
        vars.iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.eq_ignore_ascii_case("ON"))
    };
    if !on("log_bin") {
        return Ok(None);
    }
    let readers = readers(conn).await;
    let decision = |written, reason| BinlogDecision {
        written,
        reason,
        readers: readers.unwrap_or(0),
    };
    let d = match asked {
        Binlog::On => decision(true, BinlogReason::Asked),
        Binlog::Off => {
            conn.query_drop(OFF_SQL).await.map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    Text::new(msg::BINLOG_OFF_DENIED).arg("target", target),
                )
                .hint(Text::new(msg::BINLOG_OFF_DENIED_HINT).arg("user", &target.user))
                .detail(e)
            })?;
            decision(false, BinlogReason::Asked)
        }
        // Galera replicates the binary log's events: without them the other nodes miss the data.
        Binlog::Auto if on("wsrep_on") => decision(true, BinlogReason::Galera),
        Binlog::Auto => match readers {
            None => decision(true, BinlogReason::CannotTell),
            Some(n) if n > 0 => decision(true, BinlogReason::Readers),
            Some(_) => match conn.query_drop(OFF_SQL).await {
                Ok(()) => decision(false, BinlogReason::NoReaders),
                Err(e) => {
                    tracing::info!(error = %e, "binary logging stays on for the restore: it cannot be turned off");
                    decision(true, BinlogReason::CannotTell)
                }
            },
        },
    };
    tracing::debug!(?d, "binary log of the restore");
    Ok(Some(d))
}

/// How many sessions read the binary log; `None` when this user cannot see other users'
/// sessions (then a replica would look like none).
async fn readers(conn: &mut Conn) -> Option<u64> {
    let sees_all: Option<u64> = conn.query_first(SEES_ALL_SESSIONS_SQL).await.ok().flatten();
    if sees_all.unwrap_or(0) == 0 {
        return None;
    }
    conn.query_first(READERS_SQL).await.ok().flatten()
}
