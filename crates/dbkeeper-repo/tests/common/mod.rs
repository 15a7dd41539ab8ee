//! Helpers for the integration tests: real local directories and a real S3 server (s3s-fs on
//! loopback, from the test kit), keys, generated data, and a small backup writer.
// Each test binary uses a part of these helpers; they are shared by `mod common`, not exported.
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use dbkeeper_core::secret::Secret;
use dbkeeper_core::target::EngineKind;
use dbkeeper_repo::*;
use sha2::{Digest, Sha256};

pub use dbkeeper_testkit::s3::S3Server;

/// S3 options for the test server: its credentials, and short retries so that failures show fast.
pub fn s3_options(server: &S3Server) -> S3Options {
    S3Options {
        credentials: Some(S3Credentials {
            access_key_id: server.access_key.clone(),
            secret_access_key: Secret::new(server.secret_key.clone()),
            session_token: None,
        }),
        max_attempts: 3,
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(60),
        ..S3Options::default()
    }
}

pub async fn s3_store(server: &S3Server, prefix: &str) -> Arc<dyn Store> {
    let loc = RepoLocation::parse(&server.url(prefix)).expect("s3 url");
    open_store(&loc, &s3_options(server))
        .await
        .expect("s3 store")
}

pub async fn s3_repo(server: &S3Server, prefix: &str, keys: &RepoKeys) -> Repository {
    let store = s3_store(server, prefix).await;
    Repository::open_or_init(store, "offsite", keys)
        .await
        .expect("s3 repository")
}

pub fn local_store(dir: &Path) -> Arc<dyn Store> {
    let url = format!("file://{}", dir.display());
    let loc = RepoLocation::parse(&url).expect("file url");
    match loc {
        RepoLocation::Local { path } => Arc::new(LocalStore::new(path)),
        RepoLocation::S3(_) => unreachable!("file url"),
    }
}

pub async fn local_repo(dir: &Path, keys: &RepoKeys) -> Repository {
    Repository::open_or_init(local_store(dir), "local", keys)
        .await
        .expect("local repository")
}

/// A new identity written to `dir/name` (mode 0600) and its recipient.
pub fn keypair(dir: &Path, name: &str) -> (PathBuf, Recipient) {
    use std::os::unix::fs::OpenOptionsExt;
    let (text, recipient) = generate_identity();
    let path = dir.join(name);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .expect("key file");
    std::io::Write::write_all(&mut f, text.expose().as_bytes()).expect("write key");
    (path, recipient)
}

pub fn identity(path: &Path) -> Decryption {
    Decryption::from_identity_file(path).expect("identity")
}

/// Deterministic test data: alternating runs of random bytes and of SQL-like text, so that the
/// stream is neither incompressible nor trivially compressible.
pub struct Gen {
    state: u64,
    produced: u64,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            state: seed | 1,
            produced: 0,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn chunk(&mut self, len: usize) -> Bytes {
        const BLOCK: u64 = 64 * 1024;
        let mut out = Vec::with_capacity(len + 128);
        while out.len() < len {
            let pos = self.produced + out.len() as u64;
            let want = ((BLOCK - pos % BLOCK) as usize).min(len - out.len());
            let start = out.len();
            if (pos / BLOCK) % 2 == 0 {
                while out.len() - start < want {
                    let v = self.next().to_le_bytes();
                    out.extend_from_slice(&v);
                }
            } else {
                while out.len() - start < want {
                    let line = format!(
                        "INSERT INTO 处方 VALUES ({}, '患者{}', 'amoxicillin 500mg', NULL);\n",
                        self.next() % 1_000_000,
                        self.next() % 10_000
                    );
                    out.extend_from_slice(line.as_bytes());
                }
            }
            out.truncate(start + want);
        }
        self.produced += len as u64;
        Bytes::from(out)
    }
}

impl Gen {
    /// Incompressible bytes: every MiB written is a MiB to store.
    pub fn noise(&mut self, len: usize) -> Bytes {
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend_from_slice(&self.next().to_le_bytes());
        }
        out.truncate(len);
        Bytes::from(out)
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub fn facts() -> BackupFacts {
    let now = chrono::Utc::now();
    BackupFacts {
        engine: EngineKind::Postgres,
        kind: BackupKind::Logical,
        started_at: now,
        ended_at: now,
        contents: DumpContents {
            method: "pg_dump+copy".into(),
            server_version: "PostgreSQL 15.8 (Debian 15.8-0+deb12u1)".into(),
            consistent_point: serde_json::json!({"lsn": "0/3000060", "snapshot": "00000003-00000002-1"}),
            tables: vec![TableRows {
                database: "his".into(),
                schema: "public".into(),
                table: "处方".into(),
                rows: 3,
                object: "data/his/public.处方.copy".into(),
            }],
            object_counts: BTreeMap::new(),
            newest_commit: None,
        },
        run_id: Some("test-run".into()),
        extra: serde_json::Map::new(),
    }
}

/// Writes a backup of `target` with objects of the given sizes (generated data, written in
/// uneven chunks); returns the commit report and each object's plain SHA-256.
pub async fn write_backup(
    repos: &[(Repository, RepoKeys)],
    target: &str,
    id: BackupId,
    objects: &[(&str, usize)],
) -> (CommitReport, BTreeMap<String, String>) {
    let backup = BackupWriter::begin(target, id, repos.to_vec(), WriteOptions::default())
        .expect("begin backup");
    let mut plain = BTreeMap::new();
    for (i, (name, size)) in objects.iter().enumerate() {
        let mut obj = backup.object(name).expect("object");
        let mut gen = Gen::new(i as u64 + 7);
        let mut sha = Sha256::new();
        let mut left = *size;
        let steps = [100 * 1024, 1024 * 1024, 3 * 1024 * 1024 + 17, 7];
        let mut k = 0;
        while left > 0 {
            let n = steps[k % steps.len()].min(left);
            k += 1;
            let chunk = gen.chunk(n);
            sha.update(&chunk);
            obj.write(chunk).await.expect("write");
            left -= n;
        }
        obj.finish().await.expect("finish object");
        plain.insert(name.to_string(), hex::encode(sha.finalize()));
    }
    let report = backup.commit(facts()).await.expect("commit");
    (report, plain)
}

/// Reads an object whole through the reader; returns (plain size, SHA-256) or the error.
pub async fn read_object(
    repo: &Repository,
    manifest: &Manifest,
    name: &str,
    keys: &Decryption,
) -> dbkeeper_core::Result<(u64, String)> {
    use tokio::io::AsyncReadExt;
    let mut reader = repo.open_object(manifest, name, keys).await?;
    let mut sha = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 200 * 1024];
    loop {
        let n = reader.read(&mut buf).await.map_err(error_from_io)?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, hex::encode(sha.finalize())))
}

/// Flips one bit of the byte at `offset` of a file.
pub fn flip_byte(path: &Path, offset: u64) {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .expect("open object file");
    let mut b = [0u8; 1];
    f.seek(SeekFrom::Start(offset)).expect("seek");
    f.read_exact(&mut b).expect("read");
    b[0] ^= 0x01;
    f.seek(SeekFrom::Start(offset)).expect("seek");
    f.write_all(&b).expect("write");
}
