//! The boundary between an engine's backup/restore code and the repository.
//!
//! An engine turns a server into named objects (schema scripts, one data stream per table, …) and
//! back; the repository decides how they are compressed, encrypted, stored and verified. Neither
//! side knows the other's crate: the engine writes into an [`ObjectSink`] and reads from an
//! [`ObjectSource`], and describes what it wrote in [`DumpContents`], which goes into the manifest.

use std::collections::BTreeMap;

use async_trait::async_trait;
use bytes::Bytes;

use crate::error::Result;

/// Where an engine writes the objects of one backup. Every object is streamed: memory stays flat
/// whatever the table size. Objects may be written concurrently (one per parallel job).
#[async_trait]
pub trait ObjectSink: Send + Sync {
    /// Starts a new object. Names are relative paths (`data/hospital/public.patients.copy`),
    /// unique within the backup.
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>>;
}

/// One object being written.
#[async_trait]
pub trait ObjectWrite: Send {
    async fn write(&mut self, chunk: Bytes) -> Result<()>;
    /// Completes the object; until this returns, the object does not exist.
    async fn finish(self: Box<Self>) -> Result<()>;
}

/// Where a restore reads the objects of one backup from; each is checked against the manifest
/// (size and SHA-256) as it streams.
#[async_trait]
pub trait ObjectSource: Send + Sync {
    /// The names of every object in the backup.
    fn names(&self) -> Vec<String>;
    /// Opens one object as a plaintext stream.
    async fn open(&self, name: &str) -> Result<Box<dyn tokio::io::AsyncRead + Send + Unpin>>;
    /// The object's size in plain bytes, when known (restores start the biggest work first).
    fn plain_size(&self, _name: &str) -> Option<u64> {
        None
    }
}

/// What a logical backup should contain.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogicalRequest {
    /// The databases to dump; empty means the target's database (or, for MySQL without one,
    /// every user database).
    pub databases: Vec<String>,
    /// Every database of the server plus the global objects (roles, tablespaces, users, grants).
    pub all_databases: bool,
    /// Roles / users and grants, for a single-database dump too.
    pub globals: bool,
    /// Tables dumped in parallel inside the one snapshot.
    pub jobs: usize,
}

/// What a backup holds, as the engine saw it inside its own snapshot; it becomes the manifest.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DumpContents {
    /// How it was made: `pg_dump+copy`, `pg_basebackup`, `mariadb-dump+select`, `mariabackup`.
    pub method: String,
    /// The exact server version, as in the facts.
    pub server_version: String,
    /// Where the backup is consistent: PG snapshot and LSN, MySQL binlog file/position and GTID.
    pub consistent_point: serde_json::Value,
    /// Row counts of every table, taken inside the backup's snapshot.
    pub tables: Vec<TableRows>,
    /// Counts of schema objects by kind (`tables`, `views`, `routines`, `triggers`, `sequences`,
    /// …), per database, for the drill to compare against.
    pub object_counts: BTreeMap<String, BTreeMap<String, u64>>,
    /// The newest commit time seen, when the engine can tell (for the drill's RPO).
    pub newest_commit: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableRows {
    pub database: String,
    pub schema: String,
    pub table: String,
    pub rows: u64,
    /// The object that holds the table's data.
    pub object: String,
}

/// Where and how a logical restore goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestoreRequest {
    /// Restore this database of the backup (when it holds several); all when `None`.
    pub database: Option<String>,
    /// The database name to restore into; the original name when `None`.
    pub into: Option<String>,
    /// Tables loaded in parallel.
    pub jobs: usize,
    /// Restore into a database that already holds tables (they are dropped first).
    pub force: bool,
    /// Also restore roles/users and grants, when the backup has them.
    pub globals: bool,
    /// MySQL/MariaDB: whether the restored rows go to the server's binary log.
    pub binlog: Binlog,
}

/// Whether a MySQL/MariaDB restore writes what it loads to the server's binary log.
///
/// A binary log is read by replicas, Galera nodes and binlog archivers (point-in-time
/// recovery). With none of them connected, logging a restore only doubles its writes (and can
/// fill the disk), and on MariaDB it costs about a third of the server's CPU: a `LOAD DATA` is
/// logged row by row. So, as myloader does, `Auto` leaves it out then, and keeps it whenever
/// anything reads the log or dbkeeper cannot tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Binlog {
    #[default]
    Auto,
    On,
    Off,
}

/// What a MySQL/MariaDB restore did about a server's binary log, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BinlogDecision {
    /// The restore's statements and rows went to the binary log.
    pub written: bool,
    pub reason: BinlogReason,
    /// Connections reading the binary log (replicas, binlog archivers) when the restore began.
    pub readers: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinlogReason {
    /// `--binlog on` or `--binlog off`.
    Asked,
    /// Nothing was reading the binary log.
    NoReaders,
    /// Replicas or binlog archivers were connected.
    Readers,
    /// A Galera node: its cluster replicates through the binary log's events.
    Galera,
    /// The user cannot see other sessions (no PROCESS privilege) or cannot turn logging off.
    CannotTell,
}

/// What a restore did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct RestoreReport {
    pub databases: Vec<String>,
    pub tables: Vec<TableRows>,
    pub bytes_read: u64,
    /// MySQL/MariaDB with binary logging enabled: whether the restore was logged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binlog: Option<BinlogDecision>,
}
