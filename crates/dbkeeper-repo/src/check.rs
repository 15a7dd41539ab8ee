//! `backups check`: compares what the manifests say with what the store holds.
//!
//! Without `read_data`, sizes are compared from one listing (cheap, also on S3); with it, every
//! object is streamed and its SHA-256 recomputed (no key needed: hashes are of the stored bytes).

use dbkeeper_core::{Result, Text};

use crate::id::BackupId;
use crate::msg;
use crate::repository::{
    backup_prefix, group_backups, BackupState, Repository, BACKUPS_PREFIX, MANIFEST_NAME,
};
use crate::stream::{verify_object, ObjectCheck};

/// What is wrong with one object or folder.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingKind {
    /// The manifest lists it; the store does not have it.
    MissingObject,
    /// Its size differs from the manifest's.
    TruncatedObject {
        expected_bytes: u64,
        found_bytes: u64,
    },
    /// Right size, other bytes (only found with `read_data`).
    AlteredObject {
        expected_sha256: String,
        found_sha256: String,
    },
    /// In a backup folder but not in its manifest (a leftover of a killed write).
    OrphanedObject,
    /// A backup folder without a manifest.
    IncompleteBackup { objects: usize, size_bytes: u64 },
    /// A manifest that cannot be read.
    UnreadableManifest { error: String },
    /// A key under `backups/` outside any backup folder.
    StrayObject,
    /// A multipart upload that was never completed or aborted (its parts cost storage).
    InterruptedUpload { upload_id: String },
}

/// One problem, naming the object (its key relative to the repository).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub kind: FindingKind,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupId>,
}

impl Finding {
    /// The finding in words, both languages.
    pub fn text(&self) -> Text {
        let key = &self.key;
        match &self.kind {
            FindingKind::MissingObject => Text::new(msg::FIND_MISSING).arg("key", key),
            FindingKind::TruncatedObject {
                expected_bytes,
                found_bytes,
            } => Text::new(msg::FIND_TRUNCATED)
                .arg("key", key)
                .arg("expected", expected_bytes)
                .arg("found", found_bytes),
            FindingKind::AlteredObject { .. } => Text::new(msg::FIND_ALTERED).arg("key", key),
            FindingKind::OrphanedObject => Text::new(msg::FIND_ORPHANED).arg("key", key),
            FindingKind::IncompleteBackup {
                objects,
                size_bytes,
            } => Text::new(msg::FIND_INCOMPLETE)
                .arg("key", key)
                .arg("objects", objects)
                .arg("size", size_bytes),
            FindingKind::UnreadableManifest { error } => Text::new(msg::FIND_UNREADABLE)
                .arg("key", key)
                .arg("error", error),
            FindingKind::StrayObject => Text::new(msg::FIND_STRAY).arg("key", key),
            FindingKind::InterruptedUpload { upload_id } => Text::new(msg::FIND_UPLOAD)
                .arg("key", key)
                .arg("upload_id", upload_id),
        }
    }

    /// Damage to a complete backup (as opposed to leftovers that cost only space).
    pub fn is_damage(&self) -> bool {
        matches!(
            self.kind,
            FindingKind::MissingObject
                | FindingKind::TruncatedObject { .. }
                | FindingKind::AlteredObject { .. }
                | FindingKind::UnreadableManifest { .. }
        )
    }
}

/// What `check` found.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct CheckReport {
    pub backups_checked: usize,
    pub objects_checked: usize,
    /// Bytes streamed to recompute hashes (0 without `read_data`).
    pub bytes_read: u64,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    /// No finding of any kind.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// True when some complete backup is damaged.
    pub fn has_damage(&self) -> bool {
        self.findings.iter().any(Finding::is_damage)
    }
}

impl Repository {
    /// Checks every backup: missing, truncated and (with `read_data`) altered objects, orphaned
    /// objects, incomplete backups, unreadable manifests, stray keys and interrupted uploads.
    pub async fn check(&self, read_data: bool) -> Result<CheckReport> {
        let listing = self.store().list(BACKUPS_PREFIX).await?;
        let (folders, strays) = group_backups(listing);
        let mut report = CheckReport::default();
        for s in strays {
            report.findings.push(Finding {
                kind: FindingKind::StrayObject,
                key: s.key,
                target: None,
                backup: None,
            });
        }
        for ((target, id), stored) in folders {
            report.backups_checked += 1;
            let prefix = backup_prefix(&target, &id);
            let entry = self.entry(target.clone(), id, stored).await?;
            let finding = |kind: FindingKind, name: &str| Finding {
                kind,
                key: format!("{prefix}{name}"),
                target: Some(target.clone()),
                backup: Some(id),
            };
            let manifest = match &entry.state {
                BackupState::Complete { manifest } => manifest,
                BackupState::Incomplete => {
                    report.findings.push(Finding {
                        kind: FindingKind::IncompleteBackup {
                            objects: entry.stored.len(),
                            size_bytes: entry.stored_size_bytes,
                        },
                        key: prefix.clone(),
                        target: Some(target.clone()),
                        backup: Some(id),
                    });
                    continue;
                }
                BackupState::Unreadable { error } => {
                    report.findings.push(finding(
                        FindingKind::UnreadableManifest {
                            error: error.clone(),
                        },
                        MANIFEST_NAME,
                    ));
                    continue;
                }
            };
            for o in &entry.stored {
                if o.key != MANIFEST_NAME && manifest.object(&o.key).is_none() {
                    report
                        .findings
                        .push(finding(FindingKind::OrphanedObject, &o.key));
                }
            }
            for obj in &manifest.objects {
                report.objects_checked += 1;
                let Some(found) = entry.stored.iter().find(|o| o.key == obj.name) else {
                    report
                        .findings
                        .push(finding(FindingKind::MissingObject, &obj.name));
                    continue;
                };
                if found.size_bytes != obj.stored_size_bytes {
                    report.findings.push(finding(
                        FindingKind::TruncatedObject {
                            expected_bytes: obj.stored_size_bytes,
                            found_bytes: found.size_bytes,
                        },
                        &obj.name,
                    ));
                    continue;
                }
                if !read_data {
                    continue;
                }
                let key = format!("{prefix}{}", obj.name);
                match verify_object(self.store().as_ref(), &key, obj).await? {
                    ObjectCheck::Ok => report.bytes_read += obj.stored_size_bytes,
                    ObjectCheck::Missing => report
                        .findings
                        .push(finding(FindingKind::MissingObject, &obj.name)),
                    ObjectCheck::SizeDiffers { found } => report.findings.push(finding(
                        FindingKind::TruncatedObject {
                            expected_bytes: obj.stored_size_bytes,
                            found_bytes: found,
                        },
                        &obj.name,
                    )),
                    ObjectCheck::HashDiffers { found } => {
                        report.bytes_read += obj.stored_size_bytes;
                        report.findings.push(finding(
                            FindingKind::AlteredObject {
                                expected_sha256: obj.sha256.clone(),
                                found_sha256: found,
                            },
                            &obj.name,
                        ))
                    }
                }
            }
        }
        if let Some(uploads) = self.store().interrupted_uploads(BACKUPS_PREFIX).await? {
            for u in uploads {
                report.findings.push(Finding {
                    kind: FindingKind::InterruptedUpload {
                        upload_id: u.upload_id,
                    },
                    key: u.key,
                    target: None,
                    backup: None,
                });
            }
        }
        Ok(report)
    }
}
