//! Retention: which backups go, and why, under each target's lock.
//!
//! The plan is pure ([`dbkeeper_repo::plan`]): pinned backups and the newest complete one are
//! always kept, incomplete ones newer than it may still be running and are kept too. Deleting
//! takes the target's lock, so that a backup being written is never pruned underneath it; a
//! target whose lock is held is left for the next run and reported.

use chrono::Local;
use dbkeeper_config::Retention as ConfigRetention;
use dbkeeper_core::{Lang, Result};
use dbkeeper_repo::{plan, BackupId, Decision, RepoLock, Repository, Retention, RunInfo};

/// What a prune decided and did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PruneOutcome {
    pub repo: String,
    pub dry_run: bool,
    /// One verdict per backup, with its reasons.
    pub decisions: Vec<Decision>,
    /// Backups deleted (none on a dry run).
    pub deleted: Vec<Deleted>,
    /// Targets left alone because their lock is held (a backup is running), with the holder.
    pub busy: Vec<Busy>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Deleted {
    pub target: String,
    pub id: BackupId,
    pub objects: usize,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Busy {
    pub target: String,
    pub reason: String,
}

/// The repository crate's policy from the config's.
pub fn policy(r: &ConfigRetention) -> Retention {
    Retention {
        keep_last: r.keep_last,
        keep_hourly: r.keep_hourly,
        keep_daily: r.keep_daily,
        keep_weekly: r.keep_weekly,
        keep_monthly: r.keep_monthly,
        keep_yearly: r.keep_yearly,
        keep_within: r.keep_within,
    }
}

/// Applies `policy` to the backups of `target` (or of every target) in `repo`. Calendar periods
/// are this host's local days and weeks.
pub async fn prune(
    repo: &Repository,
    policy: &Retention,
    target: Option<&str>,
    dry_run: bool,
    run_id: Option<String>,
) -> Result<PruneOutcome> {
    let entries = repo.list(target).await?;
    let summaries: Vec<_> = entries.iter().map(|e| e.summary()).collect();
    let decisions = plan(&summaries, policy, Local::now());
    let mut outcome = PruneOutcome {
        repo: repo.label().to_string(),
        dry_run,
        decisions,
        deleted: Vec::new(),
        busy: Vec::new(),
    };
    if dry_run {
        return Ok(outcome);
    }
    let run = RunInfo {
        run_id,
        purpose: "prune".into(),
    };
    let mut targets: Vec<String> = outcome
        .decisions
        .iter()
        .filter(|d| !d.keep)
        .map(|d| d.target.clone())
        .collect();
    targets.dedup();
    for t in targets {
        let lock = match RepoLock::acquire(repo, &t, &run).await {
            Ok(l) => l,
            Err(e) => {
                outcome.busy.push(Busy {
                    target: t.clone(),
                    reason: e.render(Lang::En),
                });
                continue;
            }
        };
        let mut failed = None;
        for d in outcome
            .decisions
            .iter()
            .filter(|d| !d.keep && d.target == t)
        {
            match repo.delete_backup(&d.target, &d.id).await {
                Ok(objects) => outcome.deleted.push(Deleted {
                    target: d.target.clone(),
                    id: d.id,
                    objects,
                }),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        // The lock goes back before any error does: the next backup must not wait for it.
        lock.release().await?;
        if let Some(e) = failed {
            return Err(e);
        }
    }
    Ok(outcome)
}
