//! Restoring a backup: find it, prove it whole, then apply it.
//!
//! Every object's size and SHA-256 are checked against the manifest, and the key is proven on
//! one object, before the first statement reaches the destination: a damaged backup or a wrong
//! key never leaves a half-restored database behind. Logical backups load into a target (which
//! the engine refuses when it already holds tables, unless forced); physical ones are extracted
//! into an empty data directory and made startable.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Utc};
use dbkeeper_core::dump::{RestoreReport, RestoreRequest};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use dbkeeper_repo::{
    BackupId, BackupKind, BackupSource, BackupState, Decryption, Manifest, Repository,
};

use crate::engines::{self, PhysicalRestored};
use crate::msg;

/// Which backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Which {
    Id(BackupId),
    /// The newest complete backup of this target.
    Latest(String),
}

impl Which {
    /// `latest` (needs the target) or a backup id.
    pub fn parse(s: &str, target: Option<&str>) -> Result<Which> {
        if s == "latest" {
            let t = target.ok_or_else(|| {
                Error::new(ErrorKind::Usage, Text::new(msg::LATEST_NEEDS_TARGET))
                    .hint(Text::new(msg::LATEST_NEEDS_TARGET_HINT))
            })?;
            return Ok(Which::Latest(t.to_string()));
        }
        Ok(Which::Id(BackupId::parse(s)?))
    }
}

/// Where a restore goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// A logical restore into this server.
    Target(Target),
    /// A physical restore into this (empty or new) data directory.
    DataDir(PathBuf),
}

pub struct RestoreSpec {
    pub repo: Repository,
    pub which: Which,
    pub decryption: Decryption,
    pub to: Destination,
    pub request: RestoreRequest,
}

/// What a restore did, phase by phase.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RestoreOutcome {
    pub backup: BackupId,
    pub target: String,
    pub kind: BackupKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// Seconds spent proving the backup whole (hashes, key) before applying anything.
    pub check_secs: f64,
    /// Seconds spent applying it.
    pub apply_secs: f64,
    pub bytes_checked: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical: Option<RestoreReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical: Option<PhysicalRestored>,
}

/// Where a one-database backup goes when no name is given: the database the destination URL
/// names, as a DBA who wrote `--to postgres://host/copy` means. A backup of several databases
/// keeps their original names.
fn default_into(manifest: &Manifest, req: &RestoreRequest, to: &Target) -> Option<String> {
    let named = to.database.clone()?;
    let mut dbs: Vec<&str> = manifest
        .facts
        .contents
        .object_counts
        .keys()
        .map(String::as_str)
        .chain(
            manifest
                .facts
                .contents
                .tables
                .iter()
                .map(|t| t.database.as_str()),
        )
        .collect();
    dbs.sort_unstable();
    dbs.dedup();
    (req.database.is_some() || dbs.len() == 1).then_some(named)
}

/// Finds the manifest of `which` in `repo`; an incomplete or unreadable backup is refused.
pub async fn find_manifest(repo: &Repository, which: &Which) -> Result<Manifest> {
    match which {
        Which::Latest(target) => repo.latest(target).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                Text::new(msg::NO_BACKUP_OF_TARGET)
                    .arg("target", target)
                    .arg("repo", repo.label()),
            )
            .at(repo.location().to_string())
            .hint(Text::new(msg::NO_BACKUP_OF_TARGET_HINT))
        }),
        Which::Id(id) => {
            let entry = repo.find(id).await?;
            match entry.state {
                BackupState::Complete { manifest } => Ok(*manifest),
                BackupState::Incomplete => Err(Error::new(
                    ErrorKind::Data,
                    Text::new(msg::BACKUP_INCOMPLETE).arg("id", id),
                )
                .at(repo.location().to_string())
                .hint(Text::new(msg::BACKUP_INCOMPLETE_HINT))),
                BackupState::Unreadable { error } => Err(Error::new(
                    ErrorKind::Data,
                    Text::new(msg::BACKUP_UNREADABLE).arg("id", id),
                )
                .at(repo.location().to_string())
                .detail(error)),
            }
        }
    }
}

/// Proves a backup whole before anything is applied: every object's size and SHA-256, then
/// the key on the smallest object (an age header that does not open is a wrong key). Returns
/// the bytes hashed.
pub async fn prove(source: &BackupSource, repo: &Repository, keys: &Decryption) -> Result<u64> {
    let bytes = source.verify_all().await?;
    let manifest = source.manifest();
    if let Some(smallest) = manifest.objects.iter().min_by_key(|o| o.stored_size_bytes) {
        let reader = repo.open_object(manifest, &smallest.name, keys).await?;
        reader.copy_to(&mut tokio::io::sink()).await?;
    }
    Ok(bytes)
}

pub async fn restore(spec: RestoreSpec) -> Result<RestoreOutcome> {
    let started_at = Utc::now();
    let manifest = find_manifest(&spec.repo, &spec.which).await?;
    let kind = manifest.facts.kind;
    match (&spec.to, kind) {
        (Destination::Target(t), BackupKind::Logical) if t.engine != manifest.facts.engine => {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::ENGINE_MISMATCH)
                    .arg("id", manifest.id)
                    .arg("backup_engine", manifest.facts.engine)
                    .arg("target", t)
                    .arg("target_engine", t.engine),
            )
            .hint(Text::new(msg::ENGINE_MISMATCH_HINT)));
        }
        (Destination::Target(_), BackupKind::Physical) => {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::PHYSICAL_NEEDS_DIR).arg("id", manifest.id),
            )
            .hint(Text::new(msg::PHYSICAL_NEEDS_DIR_HINT)));
        }
        (Destination::DataDir(_), BackupKind::Logical) => {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::LOGICAL_NEEDS_TARGET).arg("id", manifest.id),
            )
            .hint(Text::new(msg::LOGICAL_NEEDS_TARGET_HINT)));
        }
        _ => {}
    }
    let mut request = spec.request.clone();
    if let Destination::Target(t) = &spec.to {
        if request.into.is_none() {
            request.into = default_into(&manifest, &request, t);
        }
    }
    let source = BackupSource::new(spec.repo.clone(), manifest.clone(), spec.decryption.clone());
    let t = Instant::now();
    let bytes_checked = prove(&source, &spec.repo, &spec.decryption).await?;
    let check_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (logical, physical) = match &spec.to {
        Destination::Target(target) => {
            let engine = engines::connect_admin(target).await?;
            let report = engine
                .restore_logical(&request, &manifest.facts.contents, &source)
                .await?;
            (Some(report), None)
        }
        Destination::DataDir(dir) => {
            let done = engines::restore_physical(manifest.facts.engine, &source, dir).await?;
            (None, Some(done))
        }
    };
    Ok(RestoreOutcome {
        backup: manifest.id,
        target: manifest.target.clone(),
        kind,
        started_at,
        ended_at: Utc::now(),
        check_secs,
        apply_secs: t.elapsed().as_secs_f64(),
        bytes_checked,
        logical,
        physical,
    })
}
