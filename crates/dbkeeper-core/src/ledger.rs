//! The ledger: a local SQLite database of every run, feeding reports and anchoring the audit log.
//!
//! The repository stays the truth about backups; the ledger is the work log (工作日志) the contract
//! asks for. Schema changes are numbered migrations applied in order (`PRAGMA user_version`).

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Text;
use crate::msg;

const MIGRATIONS: &[&str] = &[
    // 1: runs and the audit log's anchor
    "CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        command TEXT NOT NULL,
        args TEXT NOT NULL,
        target TEXT,
        exit_code INTEGER,
        error TEXT,
        os_user TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL
    );
    CREATE INDEX runs_started ON runs(started_at);
    CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );",
];

pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

/// One recorded run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RunRecord {
    pub id: i64,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub command: String,
    pub args: Vec<String>,
    pub target: Option<String>,
    pub exit_code: Option<i64>,
    pub error: Option<String>,
    pub os_user: String,
    pub host: String,
}

impl Ledger {
    pub fn open(path: &Path) -> Result<Ledger> {
        let conn = Connection::open(path).map_err(|e| ledger_err(path, e))?;
        let mut ledger = Ledger {
            conn,
            path: path.to_path_buf(),
        };
        ledger.setup()?;
        Ok(ledger)
    }

    fn setup(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e| ledger_err(&path, e);
        self.conn
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        // WAL lets a report read while a backup writes.
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        let version: usize = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", i + 1).map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(())
    }

    /// Records the start of a run; `args` must already have secrets removed.
    pub fn begin_run(&self, command: &str, args: &[String], target: Option<&str>) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (started_at, command, args, target, os_user, host, pid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    crate::now_rfc3339(),
                    command,
                    serde_json::to_string(args).unwrap_or_default(),
                    target,
                    crate::target::os_user(),
                    crate::host::hostname(),
                    std::process::id(),
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Sets what the run targeted once it is known (after the config is read).
    pub fn set_target(&self, run: i64, target: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET target = ?2 WHERE id = ?1",
                params![run, target],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }

    pub fn finish_run(&self, run: i64, exit_code: u8, error: Option<&str>) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET ended_at = ?2, exit_code = ?3, error = ?4 WHERE id = ?1",
                params![run, crate::now_rfc3339(), exit_code, error],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }

    /// The newest runs first.
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>> {
        let err = |e| ledger_err(&self.path, e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started_at, ended_at, command, args, target, exit_code, error, os_user, host
                 FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                let args: String = r.get(4)?;
                Ok(RunRecord {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    ended_at: r.get(2)?,
                    command: r.get(3)?,
                    args: serde_json::from_str(&args).unwrap_or_default(),
                    target: r.get(5)?,
                    exit_code: r.get(6)?,
                    error: r.get(7)?,
                    os_user: r.get(8)?,
                    host: r.get(9)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// The sequence number and hash of the newest audit line, as last written.
    pub fn audit_head(&self) -> Result<Option<(u64, String)>> {
        self.conn
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .optional()
            .map(|o| o.map(|(s, h)| (u64::try_from(s).unwrap_or(0), h)))
            .map_err(|e| ledger_err(&self.path, e))
    }

    pub fn set_audit_head(&self, seq: u64, hash: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                params![i64::try_from(seq).unwrap_or(i64::MAX), hash],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }
}

fn ledger_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::LEDGER).arg("path", path.display()),
    )
    .hint(Text::new(msg::LEDGER_HINT))
    .detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_runs_and_reopens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("ledger.sqlite");
        let l = Ledger::open(&p).expect("open");
        let id = l
            .begin_run(
                "targets check",
                &["targets".into(), "check".into()],
                Some("pg"),
            )
            .expect("begin");
        l.finish_run(id, 0, None).expect("finish");
        drop(l);
        let l = Ledger::open(&p).expect("reopen runs no migration twice");
        let runs = l.recent_runs(10).expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].exit_code, Some(0));
        assert_eq!(runs[0].target.as_deref(), Some("pg"));
        assert!(runs[0].ended_at.is_some());
        l.set_audit_head(3, "abc").expect("head");
        l.set_audit_head(4, "def").expect("head");
        assert_eq!(l.audit_head().expect("head"), Some((4, "def".into())));
    }
}
