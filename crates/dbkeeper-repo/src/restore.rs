//! Reading a backup back through core's dump boundary: an [`ObjectSource`] over one manifest.

use async_trait::async_trait;
use dbkeeper_core::dump::ObjectSource;
use dbkeeper_core::Result;
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
    /// the first damaged object is the error. For restores that must not start on a bad backup.
    pub async fn verify_all(&self) -> Result<u64> {
        let mut bytes = 0;
        for entry in &self.manifest.objects {
            let key = format!(
                "{}{}",
                crate::repository::backup_prefix(&self.manifest.target, &self.manifest.id),
                entry.name
            );
            let check = verify_object(self.repo.store().as_ref(), &key, entry).await?;
            if let Some(e) = crate::stream::check_error(&check, &key, entry, self.repo.location()) {
                return Err(e);
            }
            bytes += entry.stored_size_bytes;
        }
        Ok(bytes)
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
