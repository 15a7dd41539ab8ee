//! The two JSON documents of a repository: its format file (`dbkeeper-repo.json`, at the top) and
//! each backup's `manifest.json` (written last; its presence is what makes a backup complete).
//!
//! Both are clear JSON, also in encrypted repositories: they hold names, sizes, hashes, counts
//! and key fingerprints — no data and no keys — so that `list`, `check` and retention work
//! without a key, and a copied repository explains itself. Table names are metadata a reader of
//! the repository may see.

use chrono::{DateTime, Utc};
pub use dbkeeper_core::dump::{DumpContents, TableRows};
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use crate::crypt::EncryptionParams;
use crate::id::BackupId;
use crate::msg;

/// The repository format this code writes and reads.
pub const REPO_FORMAT_VERSION: u32 = 1;
/// The manifest format this code writes and reads.
pub const MANIFEST_VERSION: u32 = 1;

/// dbkeeper's version, recorded in everything it writes.
pub const DBKEEPER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// `dbkeeper-repo.json`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RepoFormat {
    /// Always `"dbkeeper-repository"`: tells this file from any other JSON.
    pub format: String,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub encryption: EncryptionParams,
    pub compression: CompressionKind,
}

pub(crate) const FORMAT_MARKER: &str = "dbkeeper-repository";

/// Only zstd for now; the field exists so that another algorithm can be added without a new format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CompressionKind {
    Zstd,
}

/// How the objects of one backup were compressed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompressionParams {
    /// `zstd`.
    pub kind: String,
    pub level: i32,
    /// Worker threads used to compress (does not matter to decompress).
    pub threads: u32,
    /// Each zstd frame carries its own checksum of the plain data.
    pub frame_checksum: bool,
}

/// Logical (SQL/rows) or physical (data files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    Logical,
    Physical,
}

/// One stored object of a backup.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ObjectEntry {
    /// The object's name inside the backup folder.
    pub name: String,
    /// Bytes as stored (compressed, encrypted).
    pub stored_size_bytes: u64,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
    /// Bytes before compression.
    pub plain_size_bytes: u64,
}

/// What the engine and the backup crate know about a backup; the repository adds the rest
/// (id, target, objects, compression, encryption) when it writes the manifest.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BackupFacts {
    pub engine: EngineKind,
    pub kind: BackupKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// What the engine saw inside its snapshot: method (`pg_dump+copy`, `mariabackup`…), the
    /// exact server version, the consistent point (PG LSN/snapshot, MySQL binlog file and
    /// position/GTID), per-table row counts and the object each table's data is in, schema
    /// object counts per database, the newest commit. Its fields sit at the manifest's top level.
    #[serde(flatten)]
    pub contents: DumpContents,
    /// The ledger run that made the backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Anything else worth keeping (databases dumped, options used…).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A backup's `manifest.json`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub manifest_version: u32,
    pub id: BackupId,
    pub target: String,
    #[serde(flatten)]
    pub facts: BackupFacts,
    /// Sorted by name.
    pub objects: Vec<ObjectEntry>,
    pub compression: CompressionParams,
    pub encryption: EncryptionParams,
    pub dbkeeper_version: String,
    /// Legal hold: retention never deletes a pinned backup, and neither does `delete_backup`.
    #[serde(default)]
    pub pinned: bool,
}

impl Manifest {
    /// Total stored bytes.
    pub fn stored_size_bytes(&self) -> u64 {
        self.objects.iter().map(|o| o.stored_size_bytes).sum()
    }

    /// Total bytes before compression.
    pub fn plain_size_bytes(&self) -> u64 {
        self.objects.iter().map(|o| o.plain_size_bytes).sum()
    }

    pub fn object(&self, name: &str) -> Option<&ObjectEntry> {
        self.objects.iter().find(|o| o.name == name)
    }

    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                Text::verbatim("cannot serialise a manifest"),
            )
            .detail(e)
        })
    }

    /// Parses a manifest, refusing versions newer than this code understands.
    pub fn from_json(data: &[u8], at: &str) -> Result<Manifest> {
        #[derive(serde::Deserialize)]
        struct Version {
            manifest_version: u32,
        }
        let bad = |e: serde_json::Error| {
            Error::new(
                ErrorKind::Data,
                Text::new(msg::MANIFEST_INVALID).arg("key", at),
            )
            .at(at.to_string())
            .detail(e)
        };
        let v: Version = serde_json::from_slice(data).map_err(bad)?;
        if v.manifest_version > MANIFEST_VERSION {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::MANIFEST_NEWER)
                    .arg("key", at)
                    .arg("version", v.manifest_version)
                    .arg("supported", MANIFEST_VERSION),
            )
            .at(at.to_string())
            .hint(Text::new(msg::NEWER_HINT)));
        }
        serde_json::from_slice(data).map_err(bad)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn facts() -> BackupFacts {
        BackupFacts {
            engine: EngineKind::Postgres,
            kind: BackupKind::Logical,
            started_at: DateTime::from_timestamp(1_795_000_000, 0).expect("time"),
            ended_at: DateTime::from_timestamp(1_795_000_060, 0).expect("time"),
            contents: DumpContents {
                method: "pg_dump+copy".into(),
                server_version: "PostgreSQL 15.8".into(),
                consistent_point: serde_json::json!({"lsn": "0/3000060"}),
                tables: vec![TableRows {
                    database: "his".into(),
                    schema: "public".into(),
                    table: "处方".into(),
                    rows: 42,
                    object: "data/his/public.处方.copy".into(),
                }],
                object_counts: [(
                    "his".to_string(),
                    [("tables".to_string(), 1), ("views".to_string(), 0)]
                        .into_iter()
                        .collect(),
                )]
                .into_iter()
                .collect(),
                newest_commit: None,
            },
            run_id: Some("run-1".into()),
            extra: serde_json::Map::new(),
        }
    }

    #[test]
    fn manifest_json_is_flat_and_round_trips() {
        let m = Manifest {
            manifest_version: MANIFEST_VERSION,
            id: BackupId::parse("20261125T013000Z-3f9c").expect("id"),
            target: "prod".into(),
            facts: facts(),
            objects: vec![ObjectEntry {
                name: "data.sql".into(),
                stored_size_bytes: 10,
                sha256: "ab".into(),
                plain_size_bytes: 30,
            }],
            compression: CompressionParams {
                kind: "zstd".into(),
                level: 3,
                threads: 2,
                frame_checksum: true,
            },
            encryption: EncryptionParams::Age {
                recipients: vec!["sha256:00".into()],
                passphrase: false,
            },
            dbkeeper_version: DBKEEPER_VERSION.into(),
            pinned: false,
        };
        let json = m.to_json().expect("json");
        let v: serde_json::Value = serde_json::from_slice(&json).expect("value");
        assert_eq!(v["engine"], "postgres");
        assert_eq!(v["kind"], "logical");
        assert_eq!(v["id"], "20261125T013000Z-3f9c");
        assert_eq!(v["encryption"]["kind"], "age");
        assert_eq!(v["tables"][0]["table"], "处方");
        assert_eq!(v["method"], "pg_dump+copy");
        assert_eq!(v["consistent_point"]["lsn"], "0/3000060");
        assert_eq!(v["object_counts"]["his"]["tables"], 1);
        let back = Manifest::from_json(&json, "m").expect("back");
        assert_eq!(back, m);
        assert_eq!(back.stored_size_bytes(), 10);
    }

    #[test]
    fn newer_manifest_is_refused_and_garbage_is_data_error() {
        let e = Manifest::from_json(br#"{"manifest_version": 99}"#, "k").expect_err("newer");
        assert_eq!(e.kind, ErrorKind::Config);
        let e = Manifest::from_json(b"{not json", "k").expect_err("garbage");
        assert_eq!(e.kind, ErrorKind::Data);
    }
}
