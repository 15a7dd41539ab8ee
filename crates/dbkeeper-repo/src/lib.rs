//! dbkeeper's backup repositories: where backups are stored and how.
//!
//! - [`location`]: repository URLs (`file:///…`, `s3://bucket/prefix?…`);
//! - [`store`]: the [`Store`] trait and its local-disk and S3 implementations;
//! - [`stream`]: the object stream — zstd once, age per repository, several stores in one pass —
//!   and its reader, which checks sizes and hashes while streaming;
//! - [`repository`]: the self-describing layout (format file, backup folders, manifests written
//!   last), listing, deletion, pinning; [`check`]: finding damage and leftovers;
//! - [`backup`]: writing one backup to several repositories; [`lock`]: one writer per target;
//! - [`retention`]: which backups to keep, and why;
//! - [`crypt`]: age recipients, identities and fingerprints; [`manifest`]: the JSON documents;
//! - [`id`]: time-sortable backup ids.
//!
//! Writing a backup with two objects to a local and an S3 repository, then reading it back:
//!
//! ```no_run
//! # async fn demo(facts: dbkeeper_repo::BackupFacts) -> dbkeeper_core::Result<()> {
//! use dbkeeper_repo::*;
//!
//! let recipients = vec![Recipient::parse("age1…")?];
//! let keys = RepoKeys::recipients(recipients);
//! let mut repos = Vec::new();
//! for url in ["file:///var/backups/dbk", "s3://backups/prod?endpoint=https://oss-cn-hangzhou.aliyuncs.com&region=cn-hangzhou"] {
//!     let store = open_store(&RepoLocation::parse(url)?, &S3Options::default()).await?;
//!     repos.push(Repository::open_or_init(store, url, &keys).await?);
//! }
//! // One writer per target and repository at a time (exit 75 for the second).
//! let run = RunInfo { run_id: Some("run-42".into()), purpose: "backup".into() };
//! let mut locks = Vec::new();
//! for repo in &repos {
//!     locks.push(RepoLock::acquire(repo, "prod", &run).await?);
//! }
//! let backup = BackupWriter::begin(
//!     "prod",
//!     BackupId::new(),
//!     repos.iter().map(|r| (r.clone(), keys.clone())).collect(),
//!     WriteOptions::default(),
//! )?;
//! let mut schema = backup.object("schema.sql")?;
//! schema.write(&b"CREATE TABLE t (id int);\n"[..]).await?;
//! schema.finish().await?;
//! let mut data = backup.object("data/public.t.copy")?;
//! # let mut dump_stdout = tokio::io::empty();
//! data.write_from(&mut dump_stdout).await?; // e.g. pg_dump's stdout
//! data.finish().await?;
//! let report = backup.commit(facts).await?; // manifests, last
//! for lock in locks {
//!     lock.release().await?;
//! }
//!
//! // Reading back: check hashes while streaming; commit the restore only after the end.
//! let manifest = repos[0].latest("prod").await?.expect("a backup");
//! let identity = Decryption::from_identity_file("/etc/dbkeeper/backup.key".as_ref())?;
//! let reader = repos[0].open_object(&manifest, "schema.sql", &identity).await?;
//! let mut sink = tokio::io::sink();
//! reader.copy_to(&mut sink).await?;
//! # let _ = report;
//! # Ok(()) }
//! ```

pub mod backup;
pub mod check;
pub mod crypt;
pub mod id;
pub mod location;
pub mod lock;
pub mod manifest;
pub mod msg;
pub mod repository;
pub mod restore;
pub mod retention;
pub mod store;
pub mod stream;

pub use backup::{BackupObject, BackupWriter, CommitReport};
pub use check::{CheckReport, Finding, FindingKind};
pub use crypt::{generate_identity, Decryption, Encryption, EncryptionParams, Recipient};
pub use id::BackupId;
pub use location::{RepoLocation, S3Location};
pub use lock::{LockInfo, LockOptions, RepoLock, RunInfo};
pub use manifest::{
    BackupFacts, BackupKind, CompressionParams, DumpContents, Manifest, ObjectEntry, RepoFormat,
    TableRows,
};
pub use repository::{BackupEntry, BackupState, RepoKeys, Repository};
pub use restore::BackupSource;
pub use retention::{plan, BackupSummary, Decision, Reason, Retention};
pub use store::{
    open_store, LocalStore, MemoryStore, ObjectMeta, S3Credentials, S3Options, S3Store, Store,
};
pub use stream::{
    check_error, error_from_io, verify_object, ObjectCheck, ObjectReader, ObjectRecord,
    ObjectWriter, StoredCopy, WriteOptions,
};
