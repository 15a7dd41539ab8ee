//! Logical backup and restore of MySQL/MariaDB: one consistent snapshot, the schema through
//! `mariadb-dump --no-data`, the rows of every table in parallel through `SELECT`, and back
//! through the `mariadb` client and `LOAD DATA LOCAL INFILE`.
//!
//! - [`snapshot`]: the lock, the binlog position, the snapshot transactions;
//! - [`catalog`]: databases, tables, columns and object counts;
//! - [`schema`] and [`globals`]: the SQL objects; [`rows`] and [`load`]: the data, big tables
//!   in parts ([`split`]);
//! - [`backup`] and [`restore`]: the two directions ([`binlog`]: whether a restore is written
//!   to the binary log); [`names`] and [`toc`]: the layout.
//!
//! What the snapshot does not cover, as with mysqldump and mydumper: tables of engines without
//! transactions (MyISAM, Aria, MEMORY) are read when their turn comes, not as of the snapshot
//! (a warning names them); of MariaDB's system-versioned tables only the current rows are
//! dumped; and views, routines and events are dumped after the snapshot (tables cannot change
//! meanwhile: their metadata locks are held until their schema is dumped).

pub(crate) mod backup;
pub(crate) mod binlog;
pub(crate) mod catalog;
pub(crate) mod globals;
pub(crate) mod load;
pub(crate) mod names;
pub(crate) mod restore;
pub(crate) mod rows;
pub(crate) mod schema;
pub(crate) mod snapshot;
pub(crate) mod split;
pub(crate) mod toc;

pub use snapshot::{DumpOptions, LockMethod};
pub use split::DEFAULT_PART_BYTES;

use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Text};

use crate::msg;

/// How a logical backup says it was made (the manifest's `method`).
pub const METHOD: &str = "mariadb-dump+select";

/// A failed statement of a backup or restore: `at` names it, the detail has the server's words.
pub(crate) fn query_error(target: &Target, what: &str, e: &mysql_async::Error) -> Error {
    let (kind, hint) = match e {
        mysql_async::Error::Server(s) if matches!(s.code, 1044 | 1142 | 1143 | 1227) => (
            ErrorKind::Config,
            Text::new(msg::DUMP_PRIVILEGE_HINT).arg("user", &target.user),
        ),
        mysql_async::Error::Server(_) => (ErrorKind::Failed, Text::new(msg::QUERY_HINT)),
        _ => (ErrorKind::Unavailable, Text::new(msg::QUERY_LOST_HINT)),
    };
    Error::new(
        kind,
        Text::new(msg::SQL_FAILED)
            .arg("what", what)
            .arg("target", target),
    )
    .hint(hint)
    .detail(e)
}
