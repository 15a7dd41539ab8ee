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
    // 2: inspections: each run's cumulative counters (rates are deltas between two of these)
    // and its findings (the monthly report's trend, evidence for the work log)
    "CREATE TABLE IF NOT EXISTS inspection_snapshots (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        engine TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        taken_at_unix INTEGER NOT NULL,
        server_started_at TEXT,
        stats_reset TEXT,
        uptime_seconds INTEGER,
        counters TEXT NOT NULL,
        run_id INTEGER
    );
    CREATE INDEX IF NOT EXISTS inspection_snapshots_target
        ON inspection_snapshots(target, engine, taken_at_unix);
    CREATE TABLE IF NOT EXISTS inspection_findings (
        id INTEGER PRIMARY KEY,
        snapshot_id INTEGER NOT NULL REFERENCES inspection_snapshots(id),
        target TEXT NOT NULL,
        check_id TEXT NOT NULL,
        status TEXT NOT NULL,
        summary TEXT NOT NULL,
        evidence TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS inspection_findings_snapshot ON inspection_findings(snapshot_id);
    CREATE INDEX IF NOT EXISTS inspection_findings_check ON inspection_findings(target, check_id);",
    // 3: playbooks: each run of a playbook with its steps and handlers, the schedule slots
    // claimed (at most one run per job and slot), and every notification sent or attempted
    "CREATE TABLE IF NOT EXISTS playbook_runs (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        playbook TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL,
        exit_code INTEGER,
        scheduled_for TEXT,
        error TEXT,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS playbook_runs_name ON playbook_runs(playbook, id);
    CREATE TABLE IF NOT EXISTS playbook_steps (
        id INTEGER PRIMARY KEY,
        playbook_run_id INTEGER NOT NULL REFERENCES playbook_runs(id),
        step TEXT NOT NULL,
        action TEXT NOT NULL,
        handler_of TEXT,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        outputs TEXT,
        error TEXT
    );
    CREATE INDEX IF NOT EXISTS playbook_steps_run ON playbook_steps(playbook_run_id);
    CREATE TABLE IF NOT EXISTS schedule_slots (
        job TEXT NOT NULL,
        slot TEXT NOT NULL,
        playbook_run_id INTEGER,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (job, slot)
    );
    CREATE TABLE IF NOT EXISTS notifications (
        id INTEGER PRIMARY KEY,
        playbook_run_id INTEGER,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        event TEXT NOT NULL,
        delivered INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        error TEXT,
        sent_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notifications_run ON notifications(playbook_run_id);",
    // 4: backups written (one row per repository that holds one); the repository stays the
    // truth, this is what inspections and reports read without opening every repository.
    "CREATE TABLE IF NOT EXISTS backups (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        backup_id TEXT NOT NULL,
        target TEXT NOT NULL,
        repo TEXT NOT NULL,
        repo_url TEXT NOT NULL,
        offsite INTEGER NOT NULL,
        encrypted INTEGER NOT NULL,
        kind TEXT NOT NULL,
        engine TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        plain_bytes INTEGER NOT NULL,
        stored_bytes INTEGER NOT NULL,
        tables_count INTEGER NOT NULL,
        rows_count INTEGER NOT NULL,
        manifest_sha256 TEXT
    );
    CREATE INDEX IF NOT EXISTS backups_target ON backups(target, ended_at);",
    // 5: restore drills, with the report's own hash, for inspections and the monthly report.
    "CREATE TABLE IF NOT EXISTS drills (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        drill_id TEXT NOT NULL,
        backup_id TEXT NOT NULL,
        target TEXT NOT NULL,
        repo TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        passed INTEGER NOT NULL,
        rto_seconds REAL NOT NULL,
        rpo_seconds REAL NOT NULL,
        checks INTEGER NOT NULL,
        failed_checks INTEGER NOT NULL,
        report_sha256 TEXT NOT NULL,
        report_path TEXT
    );
    CREATE INDEX IF NOT EXISTS drills_target ON drills(target, ended_at);",
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

/// An inspection's counters, as stored (the inspect crate gives them meaning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInspectionSnapshot {
    pub target: String,
    /// `postgres` or `mysql`.
    pub engine: String,
    /// RFC 3339, UTC.
    pub taken_at: String,
    pub taken_at_unix: i64,
    pub server_started_at: Option<String>,
    pub stats_reset: Option<String>,
    pub uptime_seconds: Option<i64>,
    /// A JSON object: counter name → number.
    pub counters: String,
    pub run_id: Option<i64>,
}

/// A stored inspection snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectionSnapshot {
    pub id: i64,
    pub target: String,
    pub engine: String,
    pub taken_at: String,
    pub taken_at_unix: i64,
    pub server_started_at: Option<String>,
    pub stats_reset: Option<String>,
    pub uptime_seconds: Option<i64>,
    pub counters: String,
    pub run_id: Option<i64>,
}

/// One finding of an inspection, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectionFinding {
    pub check_id: String,
    /// `ok`, `info`, `warning`, `critical` or `not_run`.
    pub status: String,
    /// The one-line summary, in English.
    pub summary: String,
    /// JSON: the evidence the check saw.
    pub evidence: String,
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

/// Inspections: counter snapshots and findings.
impl Ledger {
    /// Stores an inspection's counters; returns the snapshot's id.
    pub fn add_inspection_snapshot(&self, s: &NewInspectionSnapshot) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO inspection_snapshots (target, engine, taken_at, taken_at_unix,
                     server_started_at, stats_reset, uptime_seconds, counters, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.target,
                    s.engine,
                    s.taken_at,
                    s.taken_at_unix,
                    s.server_started_at,
                    s.stats_reset,
                    s.uptime_seconds,
                    s.counters,
                    s.run_id,
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest snapshot of `target` (of this engine), if any.
    pub fn latest_inspection_snapshot(
        &self,
        target: &str,
        engine: &str,
    ) -> Result<Option<InspectionSnapshot>> {
        self.one_snapshot(
            "WHERE target = ?1 AND engine = ?2 ORDER BY taken_at_unix DESC, id DESC LIMIT 1",
            params![target, engine],
        )
    }

    /// The oldest snapshot of `target` taken at or after `since_unix` (growth over a window).
    pub fn oldest_inspection_snapshot_since(
        &self,
        target: &str,
        engine: &str,
        since_unix: i64,
    ) -> Result<Option<InspectionSnapshot>> {
        self.one_snapshot(
            "WHERE target = ?1 AND engine = ?2 AND taken_at_unix >= ?3
             ORDER BY taken_at_unix ASC, id ASC LIMIT 1",
            params![target, engine, since_unix],
        )
    }

    fn one_snapshot(
        &self,
        tail: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Option<InspectionSnapshot>> {
        let sql = format!(
            "SELECT id, target, engine, taken_at, taken_at_unix, server_started_at, stats_reset,
                    uptime_seconds, counters, run_id
               FROM inspection_snapshots {tail}"
        );
        self.conn
            .query_row(&sql, args, |r| {
                Ok(InspectionSnapshot {
                    id: r.get(0)?,
                    target: r.get(1)?,
                    engine: r.get(2)?,
                    taken_at: r.get(3)?,
                    taken_at_unix: r.get(4)?,
                    server_started_at: r.get(5)?,
                    stats_reset: r.get(6)?,
                    uptime_seconds: r.get(7)?,
                    counters: r.get(8)?,
                    run_id: r.get(9)?,
                })
            })
            .optional()
            .map_err(|e| ledger_err(&self.path, e))
    }

    /// Stores the findings of the inspection whose snapshot is `snapshot_id`, in one transaction.
    pub fn add_inspection_findings(
        &self,
        snapshot_id: i64,
        target: &str,
        findings: &[InspectionFinding],
    ) -> Result<()> {
        let err = |e| ledger_err(&self.path, e);
        let tx = self.conn.unchecked_transaction().map_err(err)?;
        {
            let mut st = tx
                .prepare(
                    "INSERT INTO inspection_findings
                         (snapshot_id, target, check_id, status, summary, evidence)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            for f in findings {
                st.execute(params![
                    snapshot_id,
                    target,
                    f.check_id,
                    f.status,
                    f.summary,
                    f.evidence
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The findings stored with a snapshot, in the order they were stored.
    pub fn inspection_findings(&self, snapshot_id: i64) -> Result<Vec<InspectionFinding>> {
        let err = |e| ledger_err(&self.path, e);
        let mut st = self
            .conn
            .prepare(
                "SELECT check_id, status, summary, evidence FROM inspection_findings
                  WHERE snapshot_id = ?1 ORDER BY id",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![snapshot_id], |r| {
                Ok(InspectionFinding {
                    check_id: r.get(0)?,
                    status: r.get(1)?,
                    summary: r.get(2)?,
                    evidence: r.get(3)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }
}

/// A playbook run as it starts (the playbook crate records it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPlaybookRun {
    /// The command's own run (`runs.id`), when the binary recorded one.
    pub run_id: Option<i64>,
    pub playbook: String,
    pub path: String,
    pub sha256: String,
    /// The schedule slot, RFC 3339 UTC.
    pub scheduled_for: Option<String>,
}

/// A stored playbook run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlaybookRunRecord {
    pub id: i64,
    pub run_id: Option<i64>,
    pub playbook: String,
    pub path: String,
    pub sha256: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    /// `running`, `ok`, `failed` or `interrupted`.
    pub status: String,
    pub exit_code: Option<i64>,
    pub scheduled_for: Option<String>,
    pub error: Option<String>,
    pub host: String,
}

/// A stored step (or `on_failure` handler) of a playbook run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PlaybookStepRecord {
    pub id: i64,
    pub step: String,
    pub action: String,
    /// For handlers: the step they handle, or "" for the playbook's own.
    pub handler_of: Option<String>,
    /// `running`, `ok`, `failed` or `skipped`.
    pub status: String,
    pub attempts: i64,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub duration_ms: Option<i64>,
    /// JSON object.
    pub outputs: Option<String>,
    pub error: Option<String>,
}

/// A notification, delivered or not.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct NotificationRecord {
    pub playbook_run_id: Option<i64>,
    pub channel: String,
    /// `webhook`, `wecom`, `dingtalk`, `feishu`, `email`.
    pub kind: String,
    /// `failure`, `recovery`, `always` or `step`.
    pub event: String,
    pub delivered: bool,
    pub attempts: i64,
    /// Why it was not delivered, with every secret removed.
    pub error: Option<String>,
    pub sent_at: String,
}

/// Who already holds a schedule slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotClaim {
    pub playbook_run_id: Option<i64>,
    pub claimed_at: String,
}

/// A backup as the ledger records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BackupRecord {
    pub run_id: Option<i64>,
    pub backup_id: String,
    pub target: String,
    pub repo: String,
    /// Redacted: no credentials.
    pub repo_url: String,
    pub offsite: bool,
    pub encrypted: bool,
    /// `logical` or `physical`.
    pub kind: String,
    pub engine: String,
    pub started_at: String,
    pub ended_at: String,
    pub plain_bytes: u64,
    pub stored_bytes: u64,
    pub tables: u64,
    pub rows: u64,
    pub manifest_sha256: Option<String>,
}

/// Backups written.
impl Ledger {
    pub fn add_backup(&self, b: &BackupRecord) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO backups (run_id, backup_id, target, repo, repo_url, offsite, encrypted,
                     kind, engine, started_at, ended_at, plain_bytes, stored_bytes, tables_count,
                     rows_count, manifest_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    b.run_id,
                    b.backup_id,
                    b.target,
                    b.repo,
                    b.repo_url,
                    b.offsite,
                    b.encrypted,
                    b.kind,
                    b.engine,
                    b.started_at,
                    b.ended_at,
                    b.plain_bytes as i64,
                    b.stored_bytes as i64,
                    b.tables as i64,
                    b.rows as i64,
                    b.manifest_sha256,
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest backup of `target` in each repository.
    pub fn latest_backups(&self, target: &str) -> Result<Vec<BackupRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT run_id, backup_id, target, repo, repo_url, offsite, encrypted, kind, engine,
                        started_at, ended_at, plain_bytes, stored_bytes, tables_count, rows_count,
                        manifest_sha256
                 FROM backups b
                 WHERE target = ?1 AND ended_at = (SELECT max(ended_at) FROM backups
                                                   WHERE target = b.target AND repo = b.repo)
                 ORDER BY repo",
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        let rows = stmt
            .query_map(params![target], |r| {
                Ok(BackupRecord {
                    run_id: r.get(0)?,
                    backup_id: r.get(1)?,
                    target: r.get(2)?,
                    repo: r.get(3)?,
                    repo_url: r.get(4)?,
                    offsite: r.get(5)?,
                    encrypted: r.get(6)?,
                    kind: r.get(7)?,
                    engine: r.get(8)?,
                    started_at: r.get(9)?,
                    ended_at: r.get(10)?,
                    plain_bytes: r.get::<_, i64>(11)? as u64,
                    stored_bytes: r.get::<_, i64>(12)? as u64,
                    tables: r.get::<_, i64>(13)? as u64,
                    rows: r.get::<_, i64>(14)? as u64,
                    manifest_sha256: r.get(15)?,
                })
            })
            .map_err(|e| ledger_err(&self.path, e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| ledger_err(&self.path, e))
    }
}

/// A restore drill as the ledger records it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DrillRecord {
    pub run_id: Option<i64>,
    pub drill_id: String,
    pub backup_id: String,
    pub target: String,
    pub repo: String,
    pub kind: String,
    pub started_at: String,
    pub ended_at: String,
    pub passed: bool,
    pub rto_seconds: f64,
    pub rpo_seconds: f64,
    pub checks: u64,
    pub failed_checks: u64,
    pub report_sha256: String,
    pub report_path: Option<String>,
}

/// Restore drills.
impl Ledger {
    pub fn add_drill(&self, d: &DrillRecord) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO drills (run_id, drill_id, backup_id, target, repo, kind, started_at,
                     ended_at, passed, rto_seconds, rpo_seconds, checks, failed_checks,
                     report_sha256, report_path)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    d.run_id,
                    d.drill_id,
                    d.backup_id,
                    d.target,
                    d.repo,
                    d.kind,
                    d.started_at,
                    d.ended_at,
                    d.passed,
                    d.rto_seconds,
                    d.rpo_seconds,
                    d.checks as i64,
                    d.failed_checks as i64,
                    d.report_sha256,
                    d.report_path,
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest drill of `target`, if any.
    pub fn latest_drill(&self, target: &str) -> Result<Option<DrillRecord>> {
        self.newest_drill_where("target", target)
    }

    /// The newest drill of one backup, if any: when it was last verified, and how it went.
    pub fn latest_drill_of_backup(&self, backup_id: &str) -> Result<Option<DrillRecord>> {
        self.newest_drill_where("backup_id", backup_id)
    }

    fn newest_drill_where(&self, column: &str, value: &str) -> Result<Option<DrillRecord>> {
        // `column` is one of two literals above, never input.
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT run_id, drill_id, backup_id, target, repo, kind, started_at, ended_at,
                        passed, rto_seconds, rpo_seconds, checks, failed_checks, report_sha256,
                        report_path
                 FROM drills WHERE {column} = ?1 ORDER BY ended_at DESC, id DESC LIMIT 1"
            ))
            .map_err(|e| ledger_err(&self.path, e))?;
        let mut rows = stmt
            .query_map(params![value], |r| {
                Ok(DrillRecord {
                    run_id: r.get(0)?,
                    drill_id: r.get(1)?,
                    backup_id: r.get(2)?,
                    target: r.get(3)?,
                    repo: r.get(4)?,
                    kind: r.get(5)?,
                    started_at: r.get(6)?,
                    ended_at: r.get(7)?,
                    passed: r.get(8)?,
                    rto_seconds: r.get(9)?,
                    rpo_seconds: r.get(10)?,
                    checks: r.get::<_, i64>(11)? as u64,
                    failed_checks: r.get::<_, i64>(12)? as u64,
                    report_sha256: r.get(13)?,
                    report_path: r.get(14)?,
                })
            })
            .map_err(|e| ledger_err(&self.path, e))?;
        rows.next()
            .transpose()
            .map_err(|e| ledger_err(&self.path, e))
    }
}

/// Playbooks: runs, steps, schedule slots and notifications.
impl Ledger {
    pub fn begin_playbook_run(&self, r: &NewPlaybookRun) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO playbook_runs (run_id, playbook, path, sha256, started_at, status,
                     scheduled_for, host, pid)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8)",
                params![
                    r.run_id,
                    r.playbook,
                    r.path,
                    r.sha256,
                    crate::now_rfc3339(),
                    r.scheduled_for,
                    crate::host::hostname(),
                    std::process::id(),
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// `status` is `ok`, `failed` or `interrupted`; `error` must have secrets removed.
    pub fn finish_playbook_run(
        &self,
        id: i64,
        status: &str,
        exit_code: u8,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE playbook_runs SET ended_at = ?2, status = ?3, exit_code = ?4, error = ?5
                 WHERE id = ?1",
                params![id, crate::now_rfc3339(), status, exit_code, error],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }

    /// The status of the newest finished run of `playbook` before run `before` (`ok`, `failed`
    /// or `interrupted`), to tell a recovery from a plain success.
    pub fn previous_playbook_status(&self, playbook: &str, before: i64) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT status FROM playbook_runs
                  WHERE playbook = ?1 AND id < ?2 AND status IN ('ok', 'failed', 'interrupted')
                  ORDER BY id DESC LIMIT 1",
                params![playbook, before],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| ledger_err(&self.path, e))
    }

    /// The newest runs first, of one playbook or of all.
    pub fn playbook_runs(
        &self,
        playbook: Option<&str>,
        limit: usize,
    ) -> Result<Vec<PlaybookRunRecord>> {
        let err = |e| ledger_err(&self.path, e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, run_id, playbook, path, sha256, started_at, ended_at, status,
                        exit_code, scheduled_for, error, host
                   FROM playbook_runs WHERE ?1 IS NULL OR playbook = ?1
                  ORDER BY id DESC LIMIT ?2",
            )
            .map_err(err)?;
        let rows = st
            .query_map(
                params![playbook, i64::try_from(limit).unwrap_or(i64::MAX)],
                |r| {
                    Ok(PlaybookRunRecord {
                        id: r.get(0)?,
                        run_id: r.get(1)?,
                        playbook: r.get(2)?,
                        path: r.get(3)?,
                        sha256: r.get(4)?,
                        started_at: r.get(5)?,
                        ended_at: r.get(6)?,
                        status: r.get(7)?,
                        exit_code: r.get(8)?,
                        scheduled_for: r.get(9)?,
                        error: r.get(10)?,
                        host: r.get(11)?,
                    })
                },
            )
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// Records that a step (or a handler, with `handler_of`) started; returns its row.
    pub fn begin_playbook_step(
        &self,
        playbook_run_id: i64,
        step: &str,
        action: &str,
        handler_of: Option<&str>,
    ) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO playbook_steps (playbook_run_id, step, action, handler_of, status,
                     attempts, started_at)
                 VALUES (?1, ?2, ?3, ?4, 'running', 0, ?5)",
                params![
                    playbook_run_id,
                    step,
                    action,
                    handler_of,
                    crate::now_rfc3339()
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// `status` is `ok`, `failed` or `skipped`; `outputs` a JSON object; `error` without secrets.
    pub fn finish_playbook_step(
        &self,
        id: i64,
        status: &str,
        attempts: u32,
        duration_ms: u64,
        outputs: &str,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE playbook_steps SET status = ?2, attempts = ?3, ended_at = ?4,
                     duration_ms = ?5, outputs = ?6, error = ?7
                 WHERE id = ?1",
                params![
                    id,
                    status,
                    attempts,
                    crate::now_rfc3339(),
                    i64::try_from(duration_ms).unwrap_or(i64::MAX),
                    outputs,
                    error
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }

    /// The steps and handlers of a playbook run, in the order they started.
    pub fn playbook_steps(&self, playbook_run_id: i64) -> Result<Vec<PlaybookStepRecord>> {
        let err = |e| ledger_err(&self.path, e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, step, action, handler_of, status, attempts, started_at, ended_at,
                        duration_ms, outputs, error
                   FROM playbook_steps WHERE playbook_run_id = ?1 ORDER BY id",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![playbook_run_id], |r| {
                Ok(PlaybookStepRecord {
                    id: r.get(0)?,
                    step: r.get(1)?,
                    action: r.get(2)?,
                    handler_of: r.get(3)?,
                    status: r.get(4)?,
                    attempts: r.get(5)?,
                    started_at: r.get(6)?,
                    ended_at: r.get(7)?,
                    duration_ms: r.get(8)?,
                    outputs: r.get(9)?,
                    error: r.get(10)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
    }

    /// Claims a schedule slot (`slot` in RFC 3339 UTC) for `job`: `None` when this caller now
    /// holds it, or who already did. Atomic, so two launchers firing at once run it once.
    pub fn claim_schedule_slot(&self, job: &str, slot: &str) -> Result<Option<SlotClaim>> {
        let err = |e| ledger_err(&self.path, e);
        let inserted = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO schedule_slots (job, slot, claimed_at) VALUES (?1, ?2, ?3)",
                params![job, slot, crate::now_rfc3339()],
            )
            .map_err(err)?;
        if inserted == 1 {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT playbook_run_id, claimed_at FROM schedule_slots WHERE job = ?1 AND slot = ?2",
                params![job, slot],
                |r| {
                    Ok(SlotClaim {
                        playbook_run_id: r.get(0)?,
                        claimed_at: r.get(1)?,
                    })
                },
            )
            .map(Some)
            .map_err(err)
    }

    /// Links a claimed slot to the playbook run that used it.
    pub fn set_schedule_slot_run(&self, job: &str, slot: &str, playbook_run_id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE schedule_slots SET playbook_run_id = ?3 WHERE job = ?1 AND slot = ?2",
                params![job, slot, playbook_run_id],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(())
    }

    /// The newest slot claimed for `job` (RFC 3339 UTC), if any.
    pub fn last_schedule_slot(&self, job: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT slot FROM schedule_slots WHERE job = ?1 ORDER BY slot DESC LIMIT 1",
                params![job],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| ledger_err(&self.path, e))
    }

    pub fn add_notification(&self, n: &NotificationRecord) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO notifications (playbook_run_id, channel, kind, event, delivered,
                     attempts, error, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    n.playbook_run_id,
                    n.channel,
                    n.kind,
                    n.event,
                    n.delivered,
                    n.attempts,
                    n.error,
                    n.sent_at
                ],
            )
            .map_err(|e| ledger_err(&self.path, e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The notifications of a playbook run, oldest first.
    pub fn notifications(&self, playbook_run_id: i64) -> Result<Vec<NotificationRecord>> {
        let err = |e| ledger_err(&self.path, e);
        let mut st = self
            .conn
            .prepare(
                "SELECT playbook_run_id, channel, kind, event, delivered, attempts, error, sent_at
                   FROM notifications WHERE playbook_run_id = ?1 ORDER BY id",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![playbook_run_id], |r| {
                Ok(NotificationRecord {
                    playbook_run_id: r.get(0)?,
                    channel: r.get(1)?,
                    kind: r.get(2)?,
                    event: r.get(3)?,
                    delivered: r.get(4)?,
                    attempts: r.get(5)?,
                    error: r.get(6)?,
                    sent_at: r.get(7)?,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(err)
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

    #[test]
    fn stores_inspection_snapshots_and_findings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = Ledger::open(&dir.path().join("ledger.sqlite")).expect("open");
        let snap = |at: i64| NewInspectionSnapshot {
            target: "pg".into(),
            engine: "postgres".into(),
            taken_at: format!("t{at}"),
            taken_at_unix: at,
            server_started_at: None,
            stats_reset: None,
            uptime_seconds: Some(at),
            counters: "{}".into(),
            run_id: None,
        };
        assert!(l
            .latest_inspection_snapshot("pg", "postgres")
            .expect("none")
            .is_none());
        let first = l.add_inspection_snapshot(&snap(100)).expect("add");
        let second = l.add_inspection_snapshot(&snap(200)).expect("add");
        let latest = l
            .latest_inspection_snapshot("pg", "postgres")
            .expect("latest")
            .expect("some");
        assert_eq!(latest.id, second);
        let oldest = l
            .oldest_inspection_snapshot_since("pg", "postgres", 50)
            .expect("oldest")
            .expect("some");
        assert_eq!(oldest.id, first);
        assert!(l
            .latest_inspection_snapshot("pg", "mysql")
            .expect("other engine")
            .is_none());
        let f = InspectionFinding {
            check_id: "PG-CFG-001".into(),
            status: "critical".into(),
            summary: "fsync is off".into(),
            evidence: "{}".into(),
        };
        l.add_inspection_findings(second, "pg", std::slice::from_ref(&f))
            .expect("findings");
        assert_eq!(l.inspection_findings(second).expect("read"), vec![f]);
    }

    #[test]
    fn keeps_the_newest_backup_per_repository() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = Ledger::open(&dir.path().join("ledger.sqlite")).expect("open");
        let b = |id: &str, repo: &str, ended: &str| BackupRecord {
            backup_id: id.into(),
            target: "prod".into(),
            repo: repo.into(),
            kind: "logical".into(),
            ended_at: ended.into(),
            ..BackupRecord::default()
        };
        l.add_backup(&b("a", "local", "2026-11-01T00:00:00Z"))
            .expect("add");
        l.add_backup(&b("b", "local", "2026-11-02T00:00:00Z"))
            .expect("add");
        l.add_backup(&b("c", "offsite", "2026-11-01T12:00:00Z"))
            .expect("add");
        let mut other = b("d", "local", "2026-11-03T00:00:00Z");
        other.target = "other".into();
        l.add_backup(&other).expect("add");
        let latest = l.latest_backups("prod").expect("read");
        let ids: Vec<_> = latest
            .iter()
            .map(|r| (r.repo.as_str(), r.backup_id.as_str()))
            .collect();
        assert_eq!(ids, vec![("local", "b"), ("offsite", "c")]);
    }

    #[test]
    fn records_playbook_runs_slots_and_notifications() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = Ledger::open(&dir.path().join("ledger.sqlite")).expect("open");
        let new = NewPlaybookRun {
            playbook: "nightly".into(),
            path: "p.yaml".into(),
            sha256: "ab".into(),
            ..NewPlaybookRun::default()
        };
        let first = l.begin_playbook_run(&new).expect("begin");
        l.finish_playbook_run(first, "failed", 2, Some("boom"))
            .expect("finish");
        let second = l.begin_playbook_run(&new).expect("begin");
        assert_eq!(
            l.previous_playbook_status("nightly", second).expect("prev"),
            Some("failed".into())
        );
        let step = l
            .begin_playbook_step(second, "backup", "backup", None)
            .expect("step");
        l.finish_playbook_step(step, "ok", 1, 12, "{\"backup_id\":\"x\"}", None)
            .expect("finish step");
        assert_eq!(l.playbook_steps(second).expect("steps")[0].status, "ok");
        assert_eq!(
            l.claim_schedule_slot("j", "2026-01-01T00:00:00Z")
                .expect("claim"),
            None
        );
        l.set_schedule_slot_run("j", "2026-01-01T00:00:00Z", second)
            .expect("link");
        let again = l
            .claim_schedule_slot("j", "2026-01-01T00:00:00Z")
            .expect("claim")
            .expect("already held");
        assert_eq!(again.playbook_run_id, Some(second));
        assert_eq!(
            l.last_schedule_slot("j").expect("last").as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        let n = NotificationRecord {
            playbook_run_id: Some(second),
            channel: "ops".into(),
            kind: "wecom".into(),
            event: "recovery".into(),
            delivered: false,
            attempts: 3,
            error: Some("connection refused".into()),
            sent_at: "t".into(),
        };
        l.add_notification(&n).expect("notification");
        assert_eq!(l.notifications(second).expect("read"), vec![n]);
        assert_eq!(l.playbook_runs(Some("nightly"), 10).expect("runs").len(), 2);
    }
}
