//! The object stream: plain bytes → zstd (once) → age (per destination) → stores, and back.
//!
//! Writing: [`ObjectWriter`] hands the caller's chunks through a bounded channel to a blocking
//! thread, which compresses them once with zstd (multi-threaded, with a compression context
//! kept between objects: see `contexts.rs`) and fans the compressed bytes
//! out, shared and uncopied, to one thread per destination. There each is encrypted with age for
//! that repository's recipients (every object gets its own random file key), hashed (SHA-256),
//! counted, and streamed into that store's [`Store::put`] through another bounded channel. Every
//! buffer is bounded, so memory stays flat whatever the object's size (about 25 MiB in flight
//! per object, plus an S3 store's parts); a slow store slows the writer rather than filling memory.
//!
//! A destination that fails (S3 down) is dropped from the fan-out and reported in
//! [`ObjectRecord::failed`]; the others go on, so a flaky offsite link does not cost the local
//! copy. Only when every destination failed does [`ObjectWriter::finish`] return an error.
//!
//! Reading: [`ObjectReader`] streams one object from a store, hashes and counts the stored bytes
//! while they pass, decrypts and decompresses on a blocking thread, and yields plain bytes as a
//! [`tokio::io::AsyncRead`]. A size or hash that differs from the manifest is reported as an
//! error in place of the end of the stream — **after** the plain bytes before it were delivered.
//! A restore must therefore apply what it reads in a way it can throw away (a transaction, a
//! scratch database, a temporary directory) and commit only once the reader reached its end
//! without error. To check an object without a key and without decrypting, use [`verify_object`].

mod contexts;
mod read;
mod write;

use std::io;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

pub use read::ObjectReader;
pub use write::ObjectWriter;

use crate::crypt::Encryption;
use crate::manifest::{CompressionParams, ObjectEntry};
use crate::msg;
use crate::store::{read_error, Store};

/// Size of the chunks passed to stores and read back.
const CHUNK: usize = 1024 * 1024;
/// Chunks in flight between the caller and the compressor, and per destination.
const DEPTH: usize = 4;
/// Read size when streaming an object back.
const READ_CHUNK: usize = 256 * 1024;
/// Input per zstd worker job. zstd's default (4 × the window, 8 MiB at level 3, with several
/// jobs buffered per worker) cost ~75 MiB of RSS with two workers; 2 MiB jobs cost ~15 MiB,
/// compress as well (ratio within 0.1 %) and ran no slower on this 2-core machine.
const ZSTD_JOB_SIZE: u32 = 2 * 1024 * 1024;

/// How objects are compressed.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    /// zstd level, 1–19 (3 is zstd's default: fast, a good ratio for SQL text).
    pub level: i32,
    /// zstd worker threads; 0 or 1 compresses on the writer's own thread.
    pub threads: u32,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions {
            level: 3,
            threads: std::thread::available_parallelism()
                .map(|n| n.get() as u32)
                .unwrap_or(1),
        }
    }
}

impl WriteOptions {
    pub fn check(&self) -> Result<()> {
        if !(1..=19).contains(&self.level) {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::ZSTD_LEVEL).arg("level", self.level),
            )
            .hint(Text::new(msg::ZSTD_LEVEL_HINT)));
        }
        Ok(())
    }

    pub fn params(&self) -> CompressionParams {
        CompressionParams {
            kind: "zstd".to_string(),
            level: self.level,
            threads: self.threads,
            frame_checksum: true,
        }
    }
}

/// Where one object goes: a store, the key in it, and how to encrypt for it.
#[derive(Clone, Debug)]
pub struct ObjectTarget {
    /// The repository's label, for records and messages.
    pub repo: String,
    pub store: Arc<dyn Store>,
    pub key: String,
    pub encryption: Encryption,
}

/// One stored copy of an object.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StoredCopy {
    pub repo: String,
    pub key: String,
    pub stored_size_bytes: u64,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
}

/// A destination that did not get the object.
#[derive(Clone, Debug)]
pub struct FailedCopy {
    pub repo: String,
    pub key: String,
    pub error: Error,
}

/// What [`ObjectWriter::finish`] returns.
#[derive(Clone, Debug)]
pub struct ObjectRecord {
    pub name: String,
    pub plain_size_bytes: u64,
    pub copies: Vec<StoredCopy>,
    pub failed: Vec<FailedCopy>,
}

impl ObjectRecord {
    /// The manifest entry for the copy in `repo`.
    pub fn entry_for(&self, repo: &str) -> Option<ObjectEntry> {
        self.copies
            .iter()
            .find(|c| c.repo == repo)
            .map(|c| ObjectEntry {
                name: self.name.clone(),
                stored_size_bytes: c.stored_size_bytes,
                sha256: c.sha256.clone(),
                plain_size_bytes: self.plain_size_bytes,
            })
    }
}

fn internal(what: &str) -> Error {
    Error::new(ErrorKind::Internal, Text::verbatim(what.to_string()))
}

async fn join<T>(h: JoinHandle<Result<T>>) -> Result<T> {
    h.await.map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim(format!("task failed: {e}")),
        )
    })?
}

/// The result of hashing a stored object against its manifest entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectCheck {
    Ok,
    Missing,
    /// Fewer or more bytes than the manifest says (a truncated or damaged upload).
    SizeDiffers {
        found: u64,
    },
    /// The right size, other bytes.
    HashDiffers {
        found: String,
    },
}

/// The typed error inside an `io::Error` from [`ObjectReader`]'s `AsyncRead`, or a read error.
pub fn error_from_io(e: io::Error) -> Error {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<Error>()) {
        Some(inner) => inner.clone(),
        None => Error::new(ErrorKind::Unavailable, Text::new(msg::READ_FAILED)).detail(e),
    }
}

/// Reads `source` to its end, hashing and counting; forwards the chunks while `forward` listens
/// (after the decoder is done or gone, the rest is still hashed, so a damaged object is named
/// as such rather than as "cannot decrypt").
async fn hash_stream(
    mut source: crate::store::ObjectRead,
    mut forward: Option<mpsc::Sender<io::Result<Bytes>>>,
) -> io::Result<(u64, String)> {
    let mut sha = Sha256::new();
    let mut size = 0u64;
    loop {
        let mut buf = BytesMut::with_capacity(READ_CHUNK);
        let n = match source.read_buf(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                if let Some(tx) = &forward {
                    let _ = tx.send(Err(io::Error::new(e.kind(), e.to_string()))).await;
                }
                return Err(e);
            }
        };
        if n == 0 {
            return Ok((size, hex::encode(sha.finalize())));
        }
        let chunk = buf.freeze();
        sha.update(&chunk);
        size += chunk.len() as u64;
        if let Some(tx) = &forward {
            if tx.send(Ok(chunk)).await.is_err() {
                forward = None;
            }
        }
    }
}

/// Hashes a stored object without decrypting it (no key needed) and compares it with its entry.
pub async fn verify_object(
    store: &dyn Store,
    key: &str,
    entry: &ObjectEntry,
) -> Result<ObjectCheck> {
    let Some(source) = store.get(key).await? else {
        return Ok(ObjectCheck::Missing);
    };
    let (size, sha) = hash_stream(source, None)
        .await
        .map_err(|e| read_error(store.location(), key, e))?;
    Ok(if size != entry.stored_size_bytes {
        ObjectCheck::SizeDiffers { found: size }
    } else if sha != entry.sha256 {
        ObjectCheck::HashDiffers { found: sha }
    } else {
        ObjectCheck::Ok
    })
}

/// The error a failed [`ObjectCheck`] stands for, naming the object; `None` when it is fine.
pub fn check_error(
    check: &ObjectCheck,
    key: &str,
    entry: &ObjectEntry,
    location: &crate::location::RepoLocation,
) -> Option<Error> {
    let at = format!("{location}/{key}");
    let e = match check {
        ObjectCheck::Ok => return None,
        ObjectCheck::Missing => Error::new(
            ErrorKind::Data,
            Text::new(msg::OBJECT_MISSING).arg("key", &at),
        ),
        ObjectCheck::SizeDiffers { found } => Error::new(
            ErrorKind::Data,
            Text::new(msg::OBJECT_TRUNCATED)
                .arg("key", &at)
                .arg("expected", entry.stored_size_bytes)
                .arg("found", found),
        ),
        ObjectCheck::HashDiffers { found } => Error::new(
            ErrorKind::Data,
            Text::new(msg::OBJECT_ALTERED).arg("key", &at),
        )
        .detail(format!("expected sha256 {}, found {found}", entry.sha256)),
    };
    Some(e.at(at).hint(Text::new(msg::OBJECT_DAMAGED_HINT)))
}
