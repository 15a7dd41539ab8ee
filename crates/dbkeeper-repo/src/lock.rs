//! One writer per (repository, target): the lock object `locks/<target>.lock`.
//!
//! The lock object says who holds it (pid, host, since when, run id) and is refreshed by a
//! heartbeat. A second backup of the same target gets [`ErrorKind::TempFail`] (exit 75) naming
//! the holder. A lock whose holder is gone is taken over, with a warning:
//! - on the same host: its pid is not alive;
//! - on another host: its heartbeat is older than [`LockOptions::stale_after`].
//!
//! Two processes on one host never race: before touching the lock object each takes an OS-level
//! `flock` — on a file next to the lock for a local repository, on a per-user file in the temp
//! directory for S3. The kernel releases a flock when its process dies, so it cannot go stale.
//!
//! Across hosts the lock object is created atomically where the store allows it (`link(2)` on a
//! local filesystem; a conditional PUT on S3). Residual races, all narrow:
//! - on an S3 server without conditional writes, see [`crate::store::S3Store`]'s `put_if_absent`;
//! - two hosts taking over the same stale lock at the same moment may both delete it before one
//!   re-creates it — the conditional create then lets only one of them win;
//! - a holder's heartbeat reads the lock, sees its own token and rewrites it; a takeover that
//!   lands between that read and write (possible only after the holder was silent for
//!   `stale_after`) is overwritten once. The new holder's next heartbeat then finds a foreign
//!   token and reports the lock lost ([`RepoLock::is_held`]), so again one holder remains.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};

use crate::manifest::DBKEEPER_VERSION;
use crate::msg;
use crate::repository::{check_target, Repository, LOCKS_PREFIX};
use crate::store::Store;

/// Who is taking the lock.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// The ledger's run id, if any.
    pub run_id: Option<String>,
    /// What the holder does: `backup`, `prune`…
    pub purpose: String,
}

/// Timing of locks.
#[derive(Clone, Debug)]
pub struct LockOptions {
    /// A lock from another host whose heartbeat is older than this is taken over.
    pub stale_after: Duration,
    /// How often the holder refreshes its heartbeat; well below `stale_after`.
    pub heartbeat_every: Duration,
}

impl Default for LockOptions {
    fn default() -> LockOptions {
        LockOptions {
            stale_after: Duration::from_secs(15 * 60),
            heartbeat_every: Duration::from_secs(60),
        }
    }
}

/// The content of a lock object.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LockInfo {
    pub target: String,
    pub pid: u32,
    pub host: String,
    pub started_at: DateTime<Utc>,
    pub heartbeat_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub dbkeeper_version: String,
    /// Random, unique to one acquisition: tells our lock from a successor's.
    pub token: String,
}

/// A held lock. Release it with [`RepoLock::release`]; dropping it releases it too, as well as
/// a destructor can (the delete is sent on the runtime without waiting; if the process exits
/// first, the next run finds the lock's pid dead and takes it over).
pub struct RepoLock {
    store: Arc<dyn Store>,
    key: String,
    info: LockInfo,
    took_over: Option<LockInfo>,
    lost: Arc<AtomicBool>,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
    _flock: Option<nix::fcntl::Flock<std::fs::File>>,
    released: bool,
}

impl std::fmt::Debug for RepoLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RepoLock")
            .field("key", &self.key)
            .field("info", &self.info)
            .finish()
    }
}

/// `locks/<target>.lock`.
pub fn lock_key(target: &str) -> String {
    format!("{LOCKS_PREFIX}{target}.lock")
}

impl RepoLock {
    /// Takes the lock of `target` in `repo`, with default timings.
    pub async fn acquire(repo: &Repository, target: &str, run: &RunInfo) -> Result<RepoLock> {
        RepoLock::acquire_with(repo, target, run, &LockOptions::default()).await
    }

    pub async fn acquire_with(
        repo: &Repository,
        target: &str,
        run: &RunInfo,
        opts: &LockOptions,
    ) -> Result<RepoLock> {
        check_target(target)?;
        let store = repo.store().clone();
        let key = lock_key(target);
        let host = dbkeeper_core::host::hostname();
        let flock = match host_flock(store.as_ref(), &key)? {
            HostLock::Held(f) => Some(f),
            HostLock::Busy => {
                let holder = read_lock(store.as_ref(), &key).await?;
                return Err(held_error(repo, target, &key, holder.as_ref()));
            }
        };
        let now = Utc::now();
        let info = LockInfo {
            target: target.to_string(),
            pid: std::process::id(),
            host: host.clone(),
            started_at: now,
            heartbeat_at: now,
            run_id: run.run_id.clone(),
            purpose: run.purpose.clone(),
            dbkeeper_version: DBKEEPER_VERSION.to_string(),
            token: format!("{:016x}", crate::id::random_u64()),
        };
        let body = to_json(&info)?;
        let mut took_over = None;
        // A few rounds: a stale lock is removed, then created anew; someone may win in between.
        for _ in 0..3 {
            if store.put_if_absent(&key, body.clone()).await? {
                let lost = Arc::new(AtomicBool::new(false));
                let heartbeat = tokio::spawn(heartbeat(
                    store.clone(),
                    key.clone(),
                    info.clone(),
                    opts.heartbeat_every,
                    lost.clone(),
                ));
                return Ok(RepoLock {
                    store,
                    key,
                    info,
                    took_over,
                    lost,
                    heartbeat: Some(heartbeat),
                    _flock: flock,
                    released: false,
                });
            }
            let Some(holder) = read_lock(store.as_ref(), &key).await? else {
                continue; // released meanwhile
            };
            if !is_stale(&holder, &host, opts.stale_after) {
                return Err(held_error(repo, target, &key, Some(&holder)));
            }
            tracing::warn!(
                target_name = %target,
                pid = holder.pid,
                host = %holder.host,
                since = %holder.started_at,
                heartbeat = %holder.heartbeat_at,
                "taking over a stale lock: its holder is gone"
            );
            // Delete only what we judged stale: a successor's fresh lock stays.
            if read_lock(store.as_ref(), &key).await?.as_ref() == Some(&holder) {
                store.delete(&key).await?;
            }
            took_over = Some(holder);
        }
        let holder = read_lock(store.as_ref(), &key).await?;
        Err(held_error(repo, target, &key, holder.as_ref()))
    }

    /// What the lock object says about us.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// The stale lock this one replaced, if any: worth a line in the run's log.
    pub fn took_over(&self) -> Option<&LockInfo> {
        self.took_over.as_ref()
    }

    /// Whether the lock is still ours. `false` when another process took it over (our heartbeat
    /// stalled beyond the stale timeout): the backup should stop and not commit.
    pub fn is_held(&self) -> bool {
        !self.lost.load(Ordering::SeqCst)
    }

    /// Releases the lock: stops the heartbeat and deletes the lock object if it is still ours.
    pub async fn release(mut self) -> Result<()> {
        self.released = true;
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        delete_if_ours(self.store.as_ref(), &self.key, &self.info.token).await
    }
}

impl Drop for RepoLock {
    fn drop(&mut self) {
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        if self.released {
            return;
        }
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            let (store, key, token) = (
                self.store.clone(),
                self.key.clone(),
                self.info.token.clone(),
            );
            rt.spawn(async move {
                if let Err(e) = delete_if_ours(store.as_ref(), &key, &token).await {
                    tracing::warn!(%key, error = %e, "could not remove the lock");
                }
            });
        }
    }
}

async fn delete_if_ours(store: &dyn Store, key: &str, token: &str) -> Result<()> {
    match read_lock(store, key).await {
        Ok(Some(current)) if current.token == token => store.delete(key).await,
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

fn to_json(info: &LockInfo) -> Result<Bytes> {
    serde_json::to_vec_pretty(info)
        .map(Bytes::from)
        .map_err(|e| Error::new(ErrorKind::Internal, Text::verbatim(e.to_string())))
}

/// The lock object, if there is one. A lock that cannot be parsed is reported with its place:
/// it is never written half (atomic create), so it was made by something else.
async fn read_lock(store: &dyn Store, key: &str) -> Result<Option<LockInfo>> {
    let Some(data) = store.get_bytes(key, 1024 * 1024).await? else {
        return Ok(None);
    };
    serde_json::from_slice(&data).map(Some).map_err(|e| {
        Error::new(
            ErrorKind::TempFail,
            Text::new(msg::LOCK_UNREADABLE).arg("key", key),
        )
        .at(format!("{}/{key}", store.location()))
        .detail(e)
        .hint(Text::new(msg::LOCK_REMOVE_HINT).arg("key", key))
    })
}

fn is_stale(holder: &LockInfo, host: &str, stale_after: Duration) -> bool {
    if holder.host == host {
        // We hold this host's flock, so no live lock guard here holds the lock — not even one
        // of this process, whose guard is gone if it left the object behind. The pid check
        // covers holders that used another flock file (another user's temp directory).
        return holder.pid == std::process::id()
            || !dbkeeper_core::scratch::process_alive(holder.pid);
    }
    let age = Utc::now().signed_duration_since(holder.heartbeat_at);
    age.to_std().is_ok_and(|age| age > stale_after)
}

fn held_error(repo: &Repository, target: &str, key: &str, holder: Option<&LockInfo>) -> Error {
    let text = match holder {
        Some(h) => Text::new(msg::LOCK_HELD)
            .arg("target", target)
            .arg(
                "since",
                h.started_at
                    .with_timezone(&chrono::Local)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            )
            .arg("pid", h.pid)
            .arg("host", &h.host)
            .arg(
                "purpose",
                if h.purpose.is_empty() {
                    "backup"
                } else {
                    &h.purpose
                },
            ),
        None => Text::new(msg::LOCK_HELD_UNKNOWN).arg("target", target),
    };
    let mut e = Error::new(ErrorKind::TempFail, text)
        .at(format!("{}/{key}", repo.location()))
        .hint(Text::new(msg::LOCK_HELD_HINT).arg("key", key));
    if let Some(run) = holder.and_then(|h| h.run_id.as_deref()) {
        e = e.detail(format!("run {run}"));
    }
    e
}

enum HostLock {
    Held(nix::fcntl::Flock<std::fs::File>),
    Busy,
}

/// Takes this host's flock for the lock, without waiting.
fn host_flock(store: &dyn Store, key: &str) -> Result<HostLock> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let path = store.host_lock_path(key).unwrap_or_else(|| {
        // One file per (store, lock) in a per-user directory of the temp dir.
        let digest = Sha256::digest(format!("{}/{key}", store.location()).as_bytes());
        std::env::temp_dir()
            .join(format!("dbkeeper-locks-{}", nix::unistd::getuid()))
            .join(format!("{}.flock", &hex::encode(digest)[..24]))
    });
    let cant = |p: &PathBuf, e: std::io::Error| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::LOCAL_WRITE).arg("path", p.display()),
        )
        .detail(e)
        .hint(Text::new(msg::LOCAL_WRITE_HINT))
    };
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| cant(&dir.to_path_buf(), e))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| cant(&path, e))?;
    match nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock) {
        Ok(f) => Ok(HostLock::Held(f)),
        Err((_, nix::errno::Errno::EWOULDBLOCK)) => Ok(HostLock::Busy),
        Err((_, errno)) => Err(cant(&path, std::io::Error::from(errno))),
    }
}

/// Refreshes `heartbeat_at` until aborted; stops and flags `lost` if the lock stopped being ours.
async fn heartbeat(
    store: Arc<dyn Store>,
    key: String,
    mut info: LockInfo,
    every: Duration,
    lost: Arc<AtomicBool>,
) {
    let mut tick = tokio::time::interval(every);
    tick.tick().await; // the first tick is immediate
    loop {
        tick.tick().await;
        match read_lock(store.as_ref(), &key).await {
            Ok(Some(current)) if current.token == info.token => {}
            Ok(_) => {
                lost.store(true, Ordering::SeqCst);
                tracing::error!(%key, "the lock was taken over by another process; this run no longer holds it");
                return;
            }
            Err(e) => {
                // A blip of the store: try again next time; the stale timeout is generous.
                tracing::warn!(%key, error = %e, "could not refresh the lock's heartbeat");
                continue;
            }
        }
        info.heartbeat_at = Utc::now();
        let Ok(body) = to_json(&info) else { continue };
        if let Err(e) = store.put_bytes(&key, body).await {
            tracing::warn!(%key, error = %e, "could not refresh the lock's heartbeat");
        }
    }
}
