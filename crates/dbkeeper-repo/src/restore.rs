//! Reading a backup back through core's dump boundary: an [`ObjectSource`] over one manifest.

use std::collections::VecDeque;
use std::sync::Arc;

use async_trait::async_trait;
use dbkeeper_core::dump::ObjectSource;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::AsyncRead;

use crate::crypt::Decryption;
use crate::manifest::Manifest;
use crate::repository::Repository;
use crate::stream::verify_object;

/// The objects of one backup, for an engine's restore. Each object is checked against the
/// manifest while it streams; a mismatch is an error at the end of that object's stream (see
/// [`crate::stream`]), so the engine applies what it reads where it can be thrown away and
/// commits only after every stream ended cleanly.
pub struct BackupSource {
    repo: Repository,
    manifest: Manifest,
    keys: Decryption,
}

impl BackupSource {
    pub fn new(repo: Repository, manifest: Manifest, keys: Decryption) -> BackupSource {
        BackupSource {
            repo,
            manifest,
            keys,
        }
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Hashes every object against the manifest before anything is applied (no key needed);
    /// the first damaged object (in the manifest's order) is the error. For restores that must
    /// not start on a bad backup. Objects are hashed [`CHECKS_AT_ONCE`] at a time, each on a
    /// task of its own: hashing is CPU work, an S3 store's latency is hidden behind another
    /// object's, and the check stands between the DBA and the restore.
    pub async fn verify_all(&self) -> Result<u64> {
        let prefix = crate::repository::backup_prefix(&self.manifest.target, &self.manifest.id);
        let mut pending = self.manifest.objects.iter().map(|entry| {
            let store = Arc::clone(self.repo.store());
            let key = format!("{prefix}{}", entry.name);
            let entry = entry.clone();
            AbortOnDrop(tokio::spawn(async move {
                let check = verify_object(store.as_ref(), &key, &entry).await;
                (key, entry, check)
            }))
        });
        let mut running = VecDeque::new();
        let mut bytes = 0;
        loop {
            while running.len() < CHECKS_AT_ONCE {
                match pending.next() {
                    Some(task) => running.push_back(task),
                    None => break,
                }
            }
            let Some(mut task) = running.pop_front() else {
                return Ok(bytes);
            };
            let (key, entry, check) = (&mut task.0).await.map_err(|e| {
                Error::new(
                    ErrorKind::Internal,
                    Text::verbatim("an object check task failed"),
                )
                .detail(e)
            })?;
            if let Some(e) = crate::stream::check_error(&check?, &key, &entry, self.repo.location())
            {
                return Err(e);
            }
            bytes += entry.stored_size_bytes;
        }
    }
}

/// Objects hashed at the same time by [`BackupSource::verify_all`].
const CHECKS_AT_ONCE: usize = 2;

/// A task that is cancelled when its handle goes (an early error stops the other checks).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[async_trait]
impl ObjectSource for BackupSource {
    fn names(&self) -> Vec<String> {
        self.manifest
            .objects
            .iter()
            .map(|o| o.name.clone())
            .collect()
    }

    fn plain_size(&self, name: &str) -> Option<u64> {
        self.manifest
            .objects
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.plain_size_bytes)
    }

    async fn open(&self, name: &str) -> Result<Box<dyn AsyncRead + Send + Unpin>> {
        let reader = self
            .repo
            .open_object(&self.manifest, name, &self.keys)
            .await?;
        Ok(Box::new(reader))
    }
}
