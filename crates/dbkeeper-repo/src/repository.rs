//! A repository: a store laid out as dbkeeper's repository format.
//!
//! ```text
//! dbkeeper-repo.json                       format version, encryption (fingerprints), compression
//! backups/<target>/<backup-id>/<object>    the objects of one backup
//! backups/<target>/<backup-id>/manifest.json   written last: the backup exists once it does
//! locks/<target>.lock                      who is writing backups of <target> right now
//! ```
//!
//! A backup folder without a manifest is *incomplete* (a backup that was killed, or is still
//! running): listed as such, never as good, and removed by retention once a newer complete
//! backup exists. Deleting a backup removes the manifest first, so a crash half-way leaves an
//! incomplete backup, never a manifest that points at missing objects.

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use crate::crypt::{Decryption, Encryption, EncryptionParams};
use crate::id::BackupId;
use crate::location::RepoLocation;
use crate::manifest::{
    CompressionKind, Manifest, RepoFormat, DBKEEPER_VERSION, FORMAT_MARKER, REPO_FORMAT_VERSION,
};
use crate::msg;
use crate::retention::BackupSummary;
use crate::store::{check_key, ObjectMeta, Store};
use crate::stream::ObjectReader;

/// The format file at the top of every repository.
pub const FORMAT_KEY: &str = "dbkeeper-repo.json";
/// Where backups live.
pub const BACKUPS_PREFIX: &str = "backups/";
/// Where locks live.
pub const LOCKS_PREFIX: &str = "locks/";
/// The manifest's name inside a backup folder.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Manifests and format files are small; anything larger is not one of ours.
const SMALL_OBJECT_LIMIT: u64 = 64 * 1024 * 1024;

/// How backups written to a repository are encrypted, and whether clear text offsite is intended.
#[derive(Clone, Debug)]
pub struct RepoKeys {
    pub encryption: Encryption,
    /// Clear text on an S3 repository, said in words by the config or playbook.
    pub allow_unencrypted: bool,
}

impl RepoKeys {
    pub fn recipients(recipients: Vec<crate::crypt::Recipient>) -> RepoKeys {
        RepoKeys {
            encryption: Encryption::Recipients(recipients),
            allow_unencrypted: false,
        }
    }

    pub fn passphrase(passphrase: dbkeeper_core::secret::Secret) -> RepoKeys {
        RepoKeys {
            encryption: Encryption::Passphrase(passphrase),
            allow_unencrypted: false,
        }
    }

    /// No encryption; `allow_offsite` is required for S3.
    pub fn unencrypted(allow_offsite: bool) -> RepoKeys {
        RepoKeys {
            encryption: Encryption::None,
            allow_unencrypted: allow_offsite,
        }
    }
}

/// An opened repository. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Repository {
    store: Arc<dyn Store>,
    label: String,
    format: RepoFormat,
}

/// How complete a backup is.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BackupState {
    /// Its manifest is there and readable.
    Complete { manifest: Box<Manifest> },
    /// No manifest: killed, failed, or still running. Never restorable.
    Incomplete,
    /// A manifest that cannot be read (damaged, or from a newer dbkeeper).
    Unreadable { error: String },
}

/// One backup folder as found in the repository.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BackupEntry {
    pub target: String,
    pub id: BackupId,
    #[serde(flatten)]
    pub state: BackupState,
    /// What the folder holds (names relative to it), manifest included.
    pub stored: Vec<ObjectMeta>,
    pub stored_size_bytes: u64,
}

impl BackupEntry {
    pub fn manifest(&self) -> Option<&Manifest> {
        match &self.state {
            BackupState::Complete { manifest } => Some(manifest),
            _ => None,
        }
    }

    pub fn is_complete(&self) -> bool {
        self.manifest().is_some()
    }

    /// What retention needs to know.
    pub fn summary(&self) -> BackupSummary {
        BackupSummary {
            target: self.target.clone(),
            id: self.id,
            complete: self.is_complete(),
            pinned: self.manifest().is_some_and(|m| m.pinned),
        }
    }
}

/// Checks a target name used in keys: letters, digits, `.`, `_`, `-`.
pub fn check_target(target: &str) -> Result<()> {
    let ok = !target.is_empty()
        && target.len() <= 128
        && !target.starts_with('.')
        && target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Usage,
            Text::new(msg::TARGET_NAME).arg("target", target),
        )
        .hint(Text::new(msg::TARGET_NAME_HINT)))
    }
}

/// Checks an object name: a relative path without `..`, not the manifest, not a temp name.
pub fn check_object_name(name: &str) -> Result<()> {
    let ok = name.len() <= 512
        && check_key(name).is_ok()
        && name != MANIFEST_NAME
        && !name.ends_with(crate::store::PARTIAL_SUFFIX)
        && !name.split('/').any(|seg| seg.starts_with('.'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Internal,
            Text::new(msg::OBJECT_NAME).arg("name", name),
        ))
    }
}

/// `backups/<target>/<id>/`.
pub fn backup_prefix(target: &str, id: &BackupId) -> String {
    format!("{BACKUPS_PREFIX}{target}/{id}/")
}

impl Repository {
    /// Creates the repository (or opens it, if it already exists with the same encryption).
    /// Refuses a directory or prefix that holds anything else, and clear text on S3 unless
    /// `keys.allow_unencrypted`.
    pub async fn init(
        store: Arc<dyn Store>,
        label: impl Into<String>,
        keys: &RepoKeys,
    ) -> Result<Repository> {
        let label = label.into();
        let wanted = keys.encryption.params();
        if let Some(repo) = Repository::try_open(store.clone(), &label).await? {
            return repo.same_encryption(&wanted).map(|()| repo);
        }
        refuse_clear_offsite(store.location(), &label, keys)?;
        if let Some(other) = store.first_key("").await? {
            return Err(not_a_repository(store.location(), &label, &other));
        }
        let format = RepoFormat {
            format: FORMAT_MARKER.to_string(),
            version: REPO_FORMAT_VERSION,
            created_at: Utc::now(),
            created_by: format!("dbkeeper {DBKEEPER_VERSION}"),
            encryption: wanted.clone(),
            compression: CompressionKind::Zstd,
        };
        let json = serde_json::to_vec_pretty(&format)
            .map_err(|e| Error::new(ErrorKind::Internal, Text::verbatim(e.to_string())))?;
        // Two first backups racing to create the repository: one wins, the other opens it.
        if !store.put_if_absent(FORMAT_KEY, Bytes::from(json)).await? {
            let repo = Repository::open(store, label).await?;
            return repo.same_encryption(&wanted).map(|()| repo);
        }
        tracing::info!(repo = %label, location = %store.location(), "created repository");
        Ok(Repository {
            store,
            label,
            format,
        })
    }

    fn same_encryption(&self, wanted: &EncryptionParams) -> Result<()> {
        if self.format.encryption == *wanted {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::REPO_OTHER_ENCRYPTION)
                .arg("repo", &self.label)
                .arg("has", self.format.encryption.describe())
                .arg("given", wanted.describe()),
        )
        .at(self.location().to_string())
        .hint(Text::new(msg::REPO_OTHER_ENCRYPTION_HINT)))
    }

    /// Opens an existing repository.
    pub async fn open(store: Arc<dyn Store>, label: impl Into<String>) -> Result<Repository> {
        let label = label.into();
        match Repository::try_open(store.clone(), &label).await? {
            Some(repo) => Ok(repo),
            None => match store.first_key("").await? {
                Some(other) => Err(not_a_repository(store.location(), &label, &other)),
                None => Err(Error::new(
                    ErrorKind::Config,
                    Text::new(msg::REPO_MISSING).arg("repo", &label),
                )
                .at(store.location().to_string())
                .hint(Text::new(msg::REPO_MISSING_HINT))),
            },
        }
    }

    /// Opens the repository, creating it first if the location is empty.
    pub async fn open_or_init(
        store: Arc<dyn Store>,
        label: impl Into<String>,
        keys: &RepoKeys,
    ) -> Result<Repository> {
        Repository::init(store, label, keys).await
    }

    async fn try_open(store: Arc<dyn Store>, label: &str) -> Result<Option<Repository>> {
        let Some(data) = store.get_bytes(FORMAT_KEY, SMALL_OBJECT_LIMIT).await? else {
            return Ok(None);
        };
        let at = format!("{}/{FORMAT_KEY}", store.location());
        #[derive(serde::Deserialize)]
        struct Head {
            format: String,
            version: u32,
        }
        let bad = |e: serde_json::Error| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::REPO_FORMAT_INVALID).arg("repo", label),
            )
            .at(at.clone())
            .detail(e)
        };
        let head: Head = serde_json::from_slice(&data).map_err(bad)?;
        if head.format != FORMAT_MARKER {
            return Err(not_a_repository(store.location(), label, FORMAT_KEY));
        }
        if head.version > REPO_FORMAT_VERSION {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::REPO_NEWER)
                    .arg("repo", label)
                    .arg("version", head.version)
                    .arg("supported", REPO_FORMAT_VERSION),
            )
            .at(at)
            .hint(Text::new(msg::NEWER_HINT)));
        }
        let format: RepoFormat = serde_json::from_slice(&data).map_err(bad)?;
        Ok(Some(Repository {
            store,
            label: label.to_string(),
            format,
        }))
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn location(&self) -> &RepoLocation {
        self.store.location()
    }

    pub fn format(&self) -> &RepoFormat {
        &self.format
    }

    /// Fail closed: the encryption backups written with `keys` will get, or why they may not be
    /// written here. An encrypted repository never gets clear text or other recipients; an
    /// unencrypted S3 repository needs `allow_unencrypted`.
    pub fn encryption_for(&self, keys: &RepoKeys) -> Result<Encryption> {
        let at = self.location().to_string();
        let has = &self.format.encryption;
        let given = keys.encryption.params();
        match (has, &keys.encryption) {
            (EncryptionParams::Age { .. }, Encryption::None) => Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::REPO_ENCRYPTED_NO_KEYS)
                    .arg("repo", &self.label)
                    .arg("recipients", has.describe()),
            )
            .at(at)
            .hint(Text::new(msg::REPO_ENCRYPTED_NO_KEYS_HINT))),
            (EncryptionParams::None, Encryption::None) => {
                refuse_clear_offsite(self.location(), &self.label, keys)?;
                Ok(Encryption::None)
            }
            _ if *has == given => Ok(keys.encryption.clone()),
            _ => Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::REPO_OTHER_ENCRYPTION)
                    .arg("repo", &self.label)
                    .arg("has", has.describe())
                    .arg("given", given.describe()),
            )
            .at(at)
            .hint(Text::new(msg::REPO_OTHER_ENCRYPTION_HINT))),
        }
    }

    /// Every backup folder, of one target or of all, sorted by target and id.
    pub async fn list(&self, target: Option<&str>) -> Result<Vec<BackupEntry>> {
        let prefix = match target {
            Some(t) => {
                check_target(t)?;
                format!("{BACKUPS_PREFIX}{t}/")
            }
            None => BACKUPS_PREFIX.to_string(),
        };
        let keys = self.store.list(&prefix).await?;
        let (folders, _stray) = group_backups(keys);
        let mut out = Vec::new();
        for ((target, id), stored) in folders {
            out.push(self.entry(target, id, stored).await?);
        }
        Ok(out)
    }

    pub(crate) async fn entry(
        &self,
        target: String,
        id: BackupId,
        stored: Vec<ObjectMeta>,
    ) -> Result<BackupEntry> {
        let stored_size_bytes = stored.iter().map(|o| o.size_bytes).sum();
        let state = if stored.iter().any(|o| o.key == MANIFEST_NAME) {
            match self.read_manifest(&target, &id).await {
                Ok(m) => BackupState::Complete {
                    manifest: Box::new(m),
                },
                Err(e) if e.kind == ErrorKind::Unavailable => return Err(e),
                Err(e) => BackupState::Unreadable {
                    error: e.to_string(),
                },
            }
        } else {
            BackupState::Incomplete
        };
        Ok(BackupEntry {
            target,
            id,
            state,
            stored,
            stored_size_bytes,
        })
    }

    /// The manifest of one backup; an error if the backup is incomplete or missing.
    pub async fn manifest(&self, target: &str, id: &BackupId) -> Result<Manifest> {
        check_target(target)?;
        self.read_manifest(target, id).await
    }

    async fn read_manifest(&self, target: &str, id: &BackupId) -> Result<Manifest> {
        let key = format!("{}{MANIFEST_NAME}", backup_prefix(target, id));
        let at = format!("{}/{key}", self.location());
        let Some(data) = self.store.get_bytes(&key, SMALL_OBJECT_LIMIT).await? else {
            return Err(self.not_found(target, id));
        };
        let m = Manifest::from_json(&data, &at)?;
        if m.id != *id || m.target != target {
            return Err(Error::new(
                ErrorKind::Data,
                Text::new(msg::MANIFEST_MISPLACED)
                    .arg("key", &at)
                    .arg("id", m.id)
                    .arg("target", &m.target),
            )
            .at(at));
        }
        Ok(m)
    }

    fn not_found(&self, target: &str, id: &BackupId) -> Error {
        Error::new(
            ErrorKind::Usage,
            Text::new(msg::BACKUP_NOT_FOUND)
                .arg("id", id)
                .arg("target", target)
                .arg("repo", &self.label),
        )
        .at(self.location().to_string())
        .hint(Text::new(msg::BACKUP_NOT_FOUND_HINT))
    }

    /// Finds a backup by id alone, whatever its target.
    pub async fn find(&self, id: &BackupId) -> Result<BackupEntry> {
        self.list(None)
            .await?
            .into_iter()
            .find(|e| e.id == *id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    Text::new(msg::BACKUP_NOT_FOUND)
                        .arg("id", id)
                        .arg("target", "*")
                        .arg("repo", &self.label),
                )
                .at(self.location().to_string())
                .hint(Text::new(msg::BACKUP_NOT_FOUND_HINT))
            })
    }

    /// The newest complete backup of `target`.
    pub async fn latest(&self, target: &str) -> Result<Option<Manifest>> {
        Ok(self
            .list(Some(target))
            .await?
            .into_iter()
            .rev()
            .find_map(|e| match e.state {
                BackupState::Complete { manifest } => Some(*manifest),
                _ => None,
            }))
    }

    /// Writes a manifest: the last step of a backup. The caller has stored every object it lists.
    pub async fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        check_target(&manifest.target)?;
        let key = format!(
            "{}{MANIFEST_NAME}",
            backup_prefix(&manifest.target, &manifest.id)
        );
        self.store
            .put_bytes(&key, Bytes::from(manifest.to_json()?))
            .await?;
        Ok(())
    }

    /// Deletes a backup: the manifest first, then every object in its folder (orphans and
    /// leftovers of a killed write included). A pinned backup is refused. Returns how many
    /// objects were deleted. The caller holds the target's lock (see [`crate::RepoLock`]), so
    /// that no backup of the target is being written meanwhile.
    pub async fn delete_backup(&self, target: &str, id: &BackupId) -> Result<usize> {
        check_target(target)?;
        let prefix = backup_prefix(target, id);
        let stored = self.store.list(&prefix).await?;
        if stored.is_empty() {
            return Err(self.not_found(target, id));
        }
        let manifest_key = format!("{prefix}{MANIFEST_NAME}");
        if stored.iter().any(|o| o.key == manifest_key) {
            // An unreadable manifest might say "pinned": refuse rather than guess.
            let m = self.read_manifest(target, id).await?;
            if m.pinned {
                return Err(Error::new(
                    ErrorKind::Usage,
                    Text::new(msg::BACKUP_PINNED)
                        .arg("id", id)
                        .arg("target", target),
                )
                .at(self.location().to_string())
                .hint(Text::new(msg::BACKUP_PINNED_HINT).arg("id", id)));
            }
            self.store.delete(&manifest_key).await?;
        }
        let mut deleted = 0;
        for o in stored.iter().filter(|o| o.key != manifest_key) {
            self.store.delete(&o.key).await?;
            deleted += 1;
        }
        tracing::info!(repo = %self.label, %target, %id, objects = deleted, "deleted backup");
        Ok(deleted)
    }

    /// Sets or clears the legal hold of a backup; returns the updated manifest.
    pub async fn set_pinned(&self, target: &str, id: &BackupId, pinned: bool) -> Result<Manifest> {
        let mut m = self.manifest(target, id).await?;
        if m.pinned != pinned {
            m.pinned = pinned;
            self.write_manifest(&m).await?;
        }
        Ok(m)
    }

    /// Opens one object of a backup for reading (see [`ObjectReader`] for when to trust it).
    pub async fn open_object(
        &self,
        manifest: &Manifest,
        name: &str,
        keys: &Decryption,
    ) -> Result<ObjectReader> {
        let entry = manifest.object(name).ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                Text::new(msg::OBJECT_NOT_IN_BACKUP)
                    .arg("name", name)
                    .arg("id", manifest.id),
            )
        })?;
        let key = format!("{}{name}", backup_prefix(&manifest.target, &manifest.id));
        ObjectReader::open(self.store.clone(), &key, entry, &manifest.encryption, keys).await
    }
}

fn refuse_clear_offsite(location: &RepoLocation, label: &str, keys: &RepoKeys) -> Result<()> {
    if location.is_offsite() && !keys.encryption.is_encrypted() && !keys.allow_unencrypted {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::REPO_CLEAR_OFFSITE).arg("repo", label),
        )
        .at(location.to_string())
        .hint(Text::new(msg::REPO_CLEAR_OFFSITE_HINT)));
    }
    Ok(())
}

fn not_a_repository(location: &RepoLocation, label: &str, found: &str) -> Error {
    Error::new(
        ErrorKind::Config,
        Text::new(msg::NOT_A_REPO)
            .arg("repo", label)
            .arg("found", found),
    )
    .at(location.to_string())
    .hint(Text::new(msg::NOT_A_REPO_HINT))
}

/// Backup folders and their objects (names relative to the folder) from a listing of
/// `backups/`; keys outside `backups/<target>/<id>/` are returned as strays.
pub(crate) type Folders = BTreeMap<(String, BackupId), Vec<ObjectMeta>>;

pub(crate) fn group_backups(keys: Vec<ObjectMeta>) -> (Folders, Vec<ObjectMeta>) {
    let mut folders: Folders = BTreeMap::new();
    let mut stray = Vec::new();
    for o in keys {
        let parsed = o.key.strip_prefix(BACKUPS_PREFIX).and_then(|rest| {
            let mut parts = rest.splitn(3, '/');
            let target = parts.next()?;
            let id = BackupId::parse(parts.next()?).ok()?;
            let name = parts.next()?;
            check_target(target).ok()?;
            Some((target.to_string(), id, name.to_string()))
        });
        match parsed {
            Some((target, id, name)) => folders.entry((target, id)).or_default().push(ObjectMeta {
                key: name,
                size_bytes: o.size_bytes,
            }),
            None => stray.push(o),
        }
    }
    (folders, stray)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypt::generate_identity;
    use crate::store::MemoryStore;

    fn mem() -> Arc<dyn Store> {
        Arc::new(MemoryStore::new())
    }

    #[tokio::test]
    async fn init_is_idempotent_and_checks_encryption() {
        let store = mem();
        let (_, r) = generate_identity();
        let keys = RepoKeys::recipients(vec![r.clone()]);
        let a = Repository::init(store.clone(), "local", &keys)
            .await
            .expect("init");
        let b = Repository::init(store.clone(), "local", &keys)
            .await
            .expect("again");
        assert_eq!(a.format(), b.format());
        let opened = Repository::open(store.clone(), "local")
            .await
            .expect("open");
        assert_eq!(opened.format().encryption, keys.encryption.params());

        let (_, other) = generate_identity();
        let e = Repository::init(store.clone(), "local", &RepoKeys::recipients(vec![other]))
            .await
            .expect_err("other recipients");
        assert_eq!(e.kind, ErrorKind::Config);
        let e = Repository::init(store, "local", &RepoKeys::unencrypted(true))
            .await
            .expect_err("clear over encrypted");
        assert_eq!(e.kind, ErrorKind::Config);
    }

    #[tokio::test]
    async fn refuses_foreign_content_and_missing_repo() {
        let store = mem();
        let e = Repository::open(store.clone(), "x")
            .await
            .expect_err("empty");
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.to_string().contains("no dbkeeper repository"), "{e}");
        store
            .put_bytes("photos/cat.jpg", Bytes::from_static(b"meow"))
            .await
            .expect("put");
        let e = Repository::init(store.clone(), "x", &RepoKeys::unencrypted(false))
            .await
            .expect_err("foreign");
        assert!(e.to_string().contains("photos/cat.jpg"), "{e}");
        let e = Repository::open(store, "x").await.expect_err("foreign");
        assert_eq!(e.kind, ErrorKind::Config);
    }

    #[tokio::test]
    async fn encrypted_repository_never_takes_clear_text() {
        let store = mem();
        let (_, r) = generate_identity();
        let repo = Repository::init(store, "local", &RepoKeys::recipients(vec![r.clone()]))
            .await
            .expect("init");
        let e = repo
            .encryption_for(&RepoKeys::unencrypted(true))
            .expect_err("clear text");
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(
            e.to_string().contains("refusing to write clear text"),
            "{e}"
        );
        let (_, other) = generate_identity();
        assert!(repo
            .encryption_for(&RepoKeys::recipients(vec![other]))
            .is_err());
        assert!(repo.encryption_for(&RepoKeys::recipients(vec![r])).is_ok());
    }

    #[test]
    fn names_are_checked() {
        check_target("prod-pg_1.main").expect("ok");
        for bad in ["", ".hidden", "a/b", "a b", "postgres://x"] {
            assert!(check_target(bad).is_err(), "{bad}");
        }
        check_object_name("data/public.orders.copy").expect("ok");
        for bad in ["manifest.json", "x.partial", ".tmp", "a/../b", "a/.x"] {
            assert!(check_object_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn grouping_separates_strays() {
        let keys = vec![
            ObjectMeta {
                key: "backups/t/20261125T013000Z-3f9c/a".into(),
                size_bytes: 1,
            },
            ObjectMeta {
                key: "backups/t/20261125T013000Z-3f9c/manifest.json".into(),
                size_bytes: 2,
            },
            ObjectMeta {
                key: "backups/t/not-an-id/a".into(),
                size_bytes: 3,
            },
            ObjectMeta {
                key: "backups/loose".into(),
                size_bytes: 4,
            },
        ];
        let (folders, stray) = group_backups(keys);
        assert_eq!(folders.len(), 1);
        assert_eq!(stray.len(), 2);
    }
}
