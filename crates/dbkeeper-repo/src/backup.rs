//! Writing one backup to several repositories at once: objects in one pass each (see
//! [`crate::stream`]), then one manifest per repository, written last.
//!
//! Objects may be written concurrently (tables dumped in parallel). A repository that fails
//! during any object is dropped for the rest of the backup and gets no manifest; its partial
//! folder stays as an *incomplete* backup until retention removes it. The others complete.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::dump::{ObjectSink, ObjectWrite};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::AsyncRead;

use crate::crypt::Encryption;
use crate::id::BackupId;
use crate::manifest::{BackupFacts, Manifest, ObjectEntry, DBKEEPER_VERSION, MANIFEST_VERSION};
use crate::msg;
use crate::repository::{backup_prefix, check_object_name, check_target, RepoKeys, Repository};
use crate::stream::{FailedCopy, ObjectRecord, ObjectTarget, ObjectWriter, WriteOptions};

struct Dest {
    repo: Repository,
    encryption: Encryption,
}

#[derive(Default)]
struct DestState {
    entries: Vec<ObjectEntry>,
    failed: Option<Error>,
}

#[derive(Default)]
struct Shared {
    dests: Vec<DestState>,
    /// Every object name started, to refuse duplicates.
    names: BTreeSet<String>,
    /// Started and neither finished nor aborted yet.
    open: BTreeSet<String>,
    /// Dropped without finishing: the backup cannot be complete.
    abandoned: Vec<String>,
}

/// One backup being written to one or more repositories.
pub struct BackupWriter {
    target: String,
    id: BackupId,
    dests: Arc<Vec<Dest>>,
    opts: WriteOptions,
    shared: Arc<Mutex<Shared>>,
}

/// What a commit did in each repository.
#[derive(Debug)]
pub struct CommitReport {
    pub id: BackupId,
    pub target: String,
    /// Repositories that now hold the complete backup, with the manifest written there.
    pub committed: Vec<(String, Manifest)>,
    /// Repositories that did not get it (their folder stays incomplete).
    pub failed: Vec<FailedCopy>,
}

impl CommitReport {
    /// True when every repository got the backup.
    pub fn is_complete_everywhere(&self) -> bool {
        self.failed.is_empty()
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // Updates under this lock are single pushes and inserts; a panic elsewhere cannot leave
    // the state half-changed.
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl BackupWriter {
    /// Starts a backup of `target` with id `id` to every repository given, each with the keys
    /// it is written with. Fails closed before anything is written: a repository that may not
    /// receive these keys (clear text into an encrypted one, other recipients, clear text on S3
    /// without consent) is an error.
    pub fn begin(
        target: &str,
        id: BackupId,
        repos: Vec<(Repository, RepoKeys)>,
        opts: WriteOptions,
    ) -> Result<BackupWriter> {
        check_target(target)?;
        opts.check()?;
        if repos.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::NO_DESTINATION).arg("name", target),
            ));
        }
        let mut dests = Vec::new();
        let mut seen = BTreeSet::new();
        for (repo, keys) in repos {
            if !seen.insert(repo.location().to_string()) {
                return Err(Error::new(
                    ErrorKind::Usage,
                    Text::new(msg::REPO_TWICE).arg("repo", repo.label()),
                )
                .at(repo.location().to_string()));
            }
            let encryption = repo.encryption_for(&keys)?;
            dests.push(Dest { repo, encryption });
        }
        let shared = Shared {
            dests: dests.iter().map(|_| DestState::default()).collect(),
            ..Shared::default()
        };
        Ok(BackupWriter {
            target: target.to_string(),
            id,
            dests: Arc::new(dests),
            opts,
            shared: Arc::new(Mutex::new(shared)),
        })
    }

    pub fn id(&self) -> BackupId {
        self.id
    }

    pub fn target(&self) -> &str {
        &self.target
    }

    /// Starts an object, written to every repository still healthy.
    pub fn object(&self, name: &str) -> Result<BackupObject> {
        check_object_name(name)?;
        let mut shared = lock(&self.shared);
        if !shared.names.insert(name.to_string()) {
            return Err(Error::new(
                ErrorKind::Internal,
                Text::new(msg::OBJECT_TWICE).arg("name", name),
            ));
        }
        let live: Vec<usize> = (0..self.dests.len())
            .filter(|&i| shared.dests[i].failed.is_none())
            .collect();
        if live.is_empty() {
            let first = shared
                .dests
                .iter()
                .find_map(|d| d.failed.clone())
                .unwrap_or_else(|| Error::new(ErrorKind::Failed, Text::new(msg::ALL_REPOS_FAILED)));
            return Err(first);
        }
        let prefix = backup_prefix(&self.target, &self.id);
        let targets = live
            .iter()
            .map(|&i| ObjectTarget {
                repo: self.dests[i].repo.label().to_string(),
                store: self.dests[i].repo.store().clone(),
                key: format!("{prefix}{name}"),
                encryption: self.dests[i].encryption.clone(),
            })
            .collect();
        let writer = ObjectWriter::new(name, targets, &self.opts)?;
        shared.open.insert(name.to_string());
        Ok(BackupObject {
            writer: Some(writer),
            shared: self.shared.clone(),
            dests: self.dests.clone(),
            live,
            name: name.to_string(),
        })
    }

    /// Writes the manifest to every repository that got every object, last. `facts` are the
    /// engine's (versions, times, consistent point, row counts); the objects, compression and
    /// encryption are filled in per repository. An `Err` means no repository holds the backup;
    /// `Ok` with [`CommitReport::failed`] non-empty means some do.
    pub async fn commit(self, facts: BackupFacts) -> Result<CommitReport> {
        let (states, unfinished) = {
            let mut shared = lock(&self.shared);
            let mut unfinished: Vec<String> = shared.open.iter().cloned().collect();
            unfinished.extend(shared.abandoned.iter().cloned());
            (std::mem::take(&mut shared.dests), unfinished)
        };
        if !unfinished.is_empty() {
            return Err(Error::new(
                ErrorKind::Failed,
                Text::new(msg::OBJECTS_UNFINISHED).arg("names", unfinished.join(", ")),
            ));
        }
        let mut committed = Vec::new();
        let mut failed = Vec::new();
        for (dest, state) in self.dests.iter().zip(states) {
            let label = dest.repo.label().to_string();
            let key = backup_prefix(&self.target, &self.id);
            if let Some(error) = state.failed {
                failed.push(FailedCopy {
                    repo: label,
                    key,
                    error,
                });
                continue;
            }
            let mut objects = state.entries;
            objects.sort_by(|a, b| a.name.cmp(&b.name));
            let manifest = Manifest {
                manifest_version: MANIFEST_VERSION,
                id: self.id,
                target: self.target.clone(),
                facts: facts.clone(),
                objects,
                compression: self.opts.params(),
                encryption: dest.encryption.params(),
                dbkeeper_version: DBKEEPER_VERSION.to_string(),
                pinned: false,
            };
            match dest.repo.write_manifest(&manifest).await {
                Ok(()) => committed.push((label, manifest)),
                Err(error) => failed.push(FailedCopy {
                    repo: label,
                    key,
                    error,
                }),
            }
        }
        if committed.is_empty() {
            let mut errors = failed.into_iter().map(|f| f.error);
            let mut first = errors
                .next()
                .unwrap_or_else(|| Error::new(ErrorKind::Failed, Text::new(msg::ALL_REPOS_FAILED)));
            first.more.extend(errors.map(|e| e.main));
            return Err(first);
        }
        Ok(CommitReport {
            id: self.id,
            target: self.target,
            committed,
            failed,
        })
    }
}

/// Engines write backups through core's dump boundary without knowing this crate.
#[async_trait]
impl ObjectSink for BackupWriter {
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>> {
        Ok(Box::new(self.object(name)?))
    }
}

#[async_trait]
impl ObjectWrite for BackupObject {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        BackupObject::write(self, chunk).await
    }

    async fn finish(self: Box<Self>) -> Result<()> {
        BackupObject::finish(*self).await.map(|_| ())
    }
}

/// One object of a backup being written; see [`ObjectWriter`]. Must be finished (or aborted)
/// before the backup is committed.
pub struct BackupObject {
    writer: Option<ObjectWriter>,
    shared: Arc<Mutex<Shared>>,
    dests: Arc<Vec<Dest>>,
    /// Indexes of the destinations this object goes to.
    live: Vec<usize>,
    name: String,
}

impl BackupObject {
    fn writer(&mut self) -> Result<&mut ObjectWriter> {
        self.writer.as_mut().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                Text::verbatim("object already finished"),
            )
        })
    }

    pub async fn write(&mut self, data: impl Into<Bytes>) -> Result<()> {
        self.writer()?.write(data).await
    }

    pub async fn write_slice(&mut self, data: &[u8]) -> Result<()> {
        self.writer()?.write_slice(data).await
    }

    /// Copies a reader (a dump's stdout) into the object.
    pub async fn write_from<R: AsyncRead + Unpin>(&mut self, reader: &mut R) -> Result<u64> {
        self.writer()?.write_from(reader).await
    }

    /// Finishes the object and records it for the manifests.
    pub async fn finish(mut self) -> Result<ObjectRecord> {
        let writer = self.writer.take().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                Text::verbatim("object already finished"),
            )
        })?;
        let result = writer.finish().await;
        let mut shared = lock(&self.shared);
        shared.open.remove(&self.name);
        match &result {
            Ok(record) => {
                for &i in &self.live {
                    let label = self.dests[i].repo.label();
                    if let Some(entry) = record.entry_for(label) {
                        shared.dests[i].entries.push(entry);
                    } else if shared.dests[i].failed.is_none() {
                        let error = record
                            .failed
                            .iter()
                            .find(|f| f.repo == label)
                            .map(|f| f.error.clone())
                            .unwrap_or_else(|| {
                                Error::new(ErrorKind::Failed, Text::new(msg::ALL_REPOS_FAILED))
                            });
                        shared.dests[i].failed = Some(error);
                    }
                }
            }
            Err(e) => {
                for &i in &self.live {
                    if shared.dests[i].failed.is_none() {
                        shared.dests[i].failed = Some(e.clone());
                    }
                }
            }
        }
        result
    }

    /// Gives up on this object, and with it on the backup: commit will refuse.
    pub async fn abort(mut self) {
        if let Some(w) = self.writer.take() {
            w.abort().await;
        }
        let mut shared = lock(&self.shared);
        shared.open.remove(&self.name);
        shared.abandoned.push(self.name.clone());
    }
}

impl Drop for BackupObject {
    fn drop(&mut self) {
        if self.writer.is_some() {
            // Dropped mid-way (an error returned with `?`): the stores discard the object; the
            // backup must not be committed without it.
            let mut shared = lock(&self.shared);
            shared.open.remove(&self.name);
            shared.abandoned.push(self.name.clone());
        }
    }
}
