//! One backup of one target, to every repository named, in one pass.
//!
//! Order matters for "nothing lost, nothing pretended": locks first (a second backup of the same
//! target waits for nobody and fails at once, naming the holder), then the dump streamed into
//! every repository, then the manifests — last, so that a backup without one is visibly
//! incomplete — and the locks released whatever happened. A failed dump removes what it wrote,
//! while it still holds the locks; a killed one leaves a folder every command shows as incomplete.

use chrono::{DateTime, Utc};
use dbkeeper_core::dump::LogicalRequest;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use dbkeeper_repo::{
    BackupFacts, BackupId, BackupKind, BackupWriter, Manifest, RepoLock, RunInfo, WriteOptions,
};

use crate::progress::{CountingSink, Progress};
use crate::repos::OpenRepo;
use crate::{engines, msg};

/// What to back up, where, and how.
pub struct BackupRequest<'a> {
    pub target: &'a Target,
    pub repos: Vec<OpenRepo>,
    pub kind: BackupKind,
    /// For logical backups: databases, globals, parallel jobs.
    pub logical: LogicalRequest,
    pub write: WriteOptions,
    /// The ledger run, recorded in the lock and the manifest.
    pub run_id: Option<String>,
    pub progress: Progress,
}

/// How one repository fared.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RepoResult {
    pub repo: String,
    pub url: String,
    /// The manifest written there, when the backup is complete in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Box<Manifest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A stale lock of a dead process that this backup took over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub took_over_lock: Option<String>,
}

/// What a backup did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BackupOutcome {
    pub id: BackupId,
    pub target: String,
    pub kind: BackupKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub repos: Vec<RepoResult>,
    /// Bytes before compression.
    pub plain_bytes: u64,
    pub tables: usize,
    pub rows: u64,
}

impl BackupOutcome {
    /// The backup is complete in every repository.
    pub fn is_complete_everywhere(&self) -> bool {
        self.repos.iter().all(|r| r.manifest.is_some())
    }

    /// The manifest of the first repository that holds the backup.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.repos.iter().find_map(|r| r.manifest.as_deref())
    }

    pub fn duration_secs(&self) -> f64 {
        (self.ended_at - self.started_at).num_milliseconds() as f64 / 1000.0
    }
}

/// Backs `req.target` up into every repository of `req.repos`. `Err` when no repository got a
/// complete backup; `Ok` with some [`RepoResult::error`] when only some did (the caller decides
/// the exit code: a backup that is not everywhere it was asked to be is a failure).
pub async fn backup(req: BackupRequest<'_>) -> Result<BackupOutcome> {
    let target = req.target;
    if req.repos.is_empty() {
        return Err(Error::new(ErrorKind::Usage, Text::new(msg::NO_REPO))
            .hint(Text::new(msg::NO_REPO_HINT)));
    }
    let run = RunInfo {
        run_id: req.run_id.clone(),
        purpose: "backup".into(),
    };
    let locks = acquire_all(&req.repos, &target.name, &run).await?;
    let result = write(&req, &locks).await;
    // Released on every path; a release that fails leaves a lock the next run takes over.
    for (_, lock) in locks {
        if let Err(e) = lock.release().await {
            tracing::warn!(error = %e.render(dbkeeper_core::Lang::En), "releasing a lock");
        }
    }
    result
}

/// Takes the target's lock in every repository, or none: on the first refusal the locks taken
/// so far are released and the refusal (exit 75, naming the holder) returned.
async fn acquire_all(
    repos: &[OpenRepo],
    target: &str,
    run: &RunInfo,
) -> Result<Vec<(String, RepoLock)>> {
    let mut locks = Vec::new();
    for r in repos {
        match RepoLock::acquire(&r.repo, target, run).await {
            Ok(l) => locks.push((r.entry.name.clone(), l)),
            Err(e) => {
                for (_, l) in locks {
                    let _ = l.release().await;
                }
                return Err(e);
            }
        }
    }
    Ok(locks)
}

async fn write(req: &BackupRequest<'_>, locks: &[(String, RepoLock)]) -> Result<BackupOutcome> {
    let target = req.target;
    let started_at = Utc::now();
    let id = BackupId::at(started_at);
    let writer = BackupWriter::begin(
        &target.name,
        id,
        req.repos
            .iter()
            .map(|r| (r.repo.clone(), r.keys.clone()))
            .collect(),
        req.write.clone(),
    )?;
    let sink = CountingSink {
        inner: &writer,
        progress: req.progress.clone(),
    };
    tracing::info!(target_name = %target.name, %id, kind = ?req.kind, "backup started");
    let dumped = match req.kind {
        BackupKind::Logical => {
            let engine = engines::connect(target).await;
            match engine {
                Ok(engine) => engine.backup_logical(&req.logical, &sink).await,
                Err(e) => Err(e),
            }
        }
        BackupKind::Physical => engines::backup_physical(target, &sink).await,
    };
    drop(sink);
    let contents = match dumped {
        Ok(c) => c,
        Err(e) => {
            drop(writer);
            discard(req, id).await;
            return Err(e);
        }
    };
    // A lock lost to a takeover (we were silent too long) means someone else may be writing:
    // do not claim the backup.
    if let Some((name, _)) = locks.iter().find(|(_, l)| !l.is_held()) {
        drop(writer);
        discard(req, id).await;
        return Err(Error::new(
            ErrorKind::TempFail,
            Text::new(msg::LOCK_LOST).arg("repo", name),
        ));
    }
    let ended_at = Utc::now();
    let tables = contents.tables.len();
    let rows = contents.tables.iter().map(|t| t.rows).sum();
    let mut extra = serde_json::Map::new();
    extra.insert("target_address".into(), target.address().into());
    if req.kind == BackupKind::Logical {
        extra.insert(
            "request".into(),
            serde_json::to_value(&req.logical).unwrap_or_default(),
        );
    }
    let facts = BackupFacts {
        engine: target.engine,
        kind: req.kind,
        started_at,
        ended_at,
        contents,
        run_id: req.run_id.clone(),
        extra,
    };
    let report = writer.commit(facts).await?;
    let mut repos = Vec::new();
    for r in &req.repos {
        let name = r.repo.label().to_string();
        let took_over_lock = locks
            .iter()
            .find(|(n, _)| *n == r.entry.name)
            .and_then(|(_, l)| l.took_over())
            .map(|h| format!("pid {} on {} since {}", h.pid, h.host, h.started_at));
        let manifest = report
            .committed
            .iter()
            .find(|(label, _)| *label == name)
            .map(|(_, m)| Box::new(m.clone()));
        let error = report
            .failed
            .iter()
            .find(|f| f.repo == name)
            .map(|f| f.error.render(dbkeeper_core::Lang::En));
        repos.push(RepoResult {
            repo: r.entry.name.clone(),
            url: r.repo.location().to_string(),
            manifest,
            error,
            took_over_lock,
        });
    }
    tracing::info!(target_name = %target.name, %id, "backup committed");
    Ok(BackupOutcome {
        id,
        target: target.name.clone(),
        kind: req.kind,
        started_at,
        ended_at,
        repos,
        plain_bytes: req.progress.bytes(),
        tables,
        rows,
    })
}

/// Removes what a failed backup wrote, while its locks are still held. Best effort: whatever
/// stays is an incomplete backup that `backups list` shows and `backups prune` removes.
async fn discard(req: &BackupRequest<'_>, id: BackupId) {
    for r in &req.repos {
        match r.repo.delete_backup(&req.target.name, &id).await {
            Ok(_) => {}
            // Nothing was written there yet.
            Err(e) if e.main.what.id() == dbkeeper_repo::msg::BACKUP_NOT_FOUND.id => {}
            Err(e) => tracing::warn!(
                repo = %r.entry.name, %id,
                error = %e.render(dbkeeper_core::Lang::En),
                "could not remove the failed backup's objects"
            ),
        }
    }
}
