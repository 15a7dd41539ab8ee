//! Stores: where a repository's objects physically live. A store knows keys and bytes, nothing
//! about backups; [`crate::Repository`] gives the keys their meaning.
//!
//! Every store streams: [`Store::put`] takes a [`Body`] fed chunk by chunk, [`Store::get`] returns
//! an `AsyncRead`, so an object never has to fit in memory. A put either stores the whole object
//! or nothing that looks like it: a [`Body`] that ends without [`BodySender::finish`] (the writer
//! failed or was dropped) makes the store discard what it received.

mod local;
mod memory;
mod s3;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;

pub use local::{LocalStore, PARTIAL_SUFFIX};
pub use memory::MemoryStore;
pub use s3::{S3Credentials, S3Options, S3Store};

use crate::location::RepoLocation;
use crate::msg;

/// A stored object's key (relative to the store's root or prefix) and size.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ObjectMeta {
    pub key: String,
    pub size_bytes: u64,
}

/// A multipart upload that was started and neither completed nor aborted (S3 only).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InterruptedUpload {
    pub key: String,
    pub upload_id: String,
    pub initiated_at: Option<String>,
}

/// What a store returns for reading: any async byte source.
pub type ObjectRead = Box<dyn AsyncRead + Send + Unpin>;

/// A place that stores objects by key. Object-safe: repositories hold an `Arc<dyn Store>`.
#[async_trait]
pub trait Store: Send + Sync + fmt::Debug {
    /// Where this store is, for messages (never with credentials).
    fn location(&self) -> &RepoLocation;

    /// Stores the object streamed through `body` under `key`, replacing any object there.
    /// The object appears only complete: a body that is aborted leaves nothing at `key`.
    /// Returns the number of bytes stored.
    async fn put(&self, key: &str, body: Body) -> Result<u64>;

    /// Stores `data` under `key` only if nothing is there; `Ok(false)` when something was.
    /// Used for locks; see each store for how atomic it is.
    async fn put_if_absent(&self, key: &str, data: Bytes) -> Result<bool>;

    /// A reader over the object, or `None` when there is no such object.
    async fn get(&self, key: &str) -> Result<Option<ObjectRead>>;

    /// The object's size, or `None` when there is no such object.
    async fn head(&self, key: &str) -> Result<Option<u64>>;

    /// Every object whose key starts with `prefix`, sorted by key.
    async fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>>;

    /// Some key starting with `prefix`, if there is any; cheap even for huge prefixes.
    async fn first_key(&self, prefix: &str) -> Result<Option<String>>;

    /// Deletes the object; deleting a missing object is not an error.
    async fn delete(&self, key: &str) -> Result<()>;

    /// A file on this machine to `flock` while holding the lock stored at `lock_key`. Local stores
    /// use a file next to the lock; others return `None` and the lock uses a host-wide file.
    fn host_lock_path(&self, _lock_key: &str) -> Option<PathBuf> {
        None
    }

    /// Multipart uploads under `prefix` that were never completed or aborted. `None` when the
    /// store has no such thing or the server cannot list them.
    async fn interrupted_uploads(&self, _prefix: &str) -> Result<Option<Vec<InterruptedUpload>>> {
        Ok(None)
    }

    /// Aborts one interrupted upload, freeing its parts.
    async fn abort_upload(&self, _upload: &InterruptedUpload) -> Result<()> {
        Ok(())
    }
}

/// Convenience methods on every store.
impl dyn Store + '_ {
    /// Stores a small object held in memory.
    pub async fn put_bytes(&self, key: &str, data: Bytes) -> Result<u64> {
        self.put(key, Body::once(data)).await
    }

    /// Reads a small object (a manifest, a lock) whole; `None` when missing. Objects larger than
    /// `limit` bytes are refused rather than read into memory.
    pub async fn get_bytes(&self, key: &str, limit: u64) -> Result<Option<Bytes>> {
        let Some(mut r) = self.get(key).await? else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        let n = (&mut r)
            .take(limit + 1)
            .read_to_end(&mut buf)
            .await
            .map_err(|e| read_error(self.location(), key, e))?;
        if n as u64 > limit {
            return Err(Error::new(
                ErrorKind::Data,
                Text::new(msg::OBJECT_TOO_LARGE)
                    .arg("key", key)
                    .arg("limit", limit),
            )
            .at(format!("{}/{key}", self.location())));
        }
        Ok(Some(Bytes::from(buf)))
    }
}

/// Opens the store a location names. S3 stores are configured by `s3` (credentials, retries).
pub async fn open_store(location: &RepoLocation, s3: &S3Options) -> Result<Arc<dyn Store>> {
    Ok(match location {
        RepoLocation::Local { path } => Arc::new(LocalStore::new(path.clone())),
        RepoLocation::S3(loc) => Arc::new(S3Store::connect(loc.clone(), s3.clone()).await?),
    })
}

/// A piece of a streamed body.
enum Piece {
    Data(Bytes),
    End,
}

/// The receiving end of a streamed object, handed to [`Store::put`].
pub struct Body {
    inner: BodyInner,
}

enum BodyInner {
    Channel(mpsc::Receiver<Piece>),
    Once(Option<Bytes>),
}

/// The sending end: the producer pushes chunks and must call [`BodySender::finish`]. Dropping it
/// without finishing aborts the put (fail closed: a producer that died never yields an object).
pub struct BodySender {
    tx: mpsc::Sender<Piece>,
}

/// The producer went away without finishing: the object must not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aborted;

/// A channel of at most `depth` chunks in flight, so memory stays bounded by `depth` × chunk size.
pub fn body_channel(depth: usize) -> (BodySender, Body) {
    let (tx, rx) = mpsc::channel(depth.max(1));
    (
        BodySender { tx },
        Body {
            inner: BodyInner::Channel(rx),
        },
    )
}

impl Body {
    /// A body that is already complete.
    pub fn once(data: Bytes) -> Body {
        Body {
            inner: BodyInner::Once(Some(data)),
        }
    }

    /// The next chunk; `None` at the (finished) end; `Some(Err(Aborted))` when the producer
    /// stopped without finishing.
    pub async fn next(&mut self) -> Option<std::result::Result<Bytes, Aborted>> {
        match &mut self.inner {
            BodyInner::Once(data) => data.take().map(Ok),
            BodyInner::Channel(rx) => match rx.recv().await {
                Some(Piece::Data(b)) => Some(Ok(b)),
                Some(Piece::End) => None,
                None => Some(Err(Aborted)),
            },
        }
    }
}

impl BodySender {
    /// Sends a chunk, waiting while the store is behind. `Err` when the store gave up (its
    /// error comes from the put).
    pub async fn send(&self, chunk: Bytes) -> std::result::Result<(), Aborted> {
        self.tx.send(Piece::Data(chunk)).await.map_err(|_| Aborted)
    }

    /// As [`BodySender::send`], from a blocking thread.
    pub fn blocking_send(&self, chunk: Bytes) -> std::result::Result<(), Aborted> {
        self.tx
            .blocking_send(Piece::Data(chunk))
            .map_err(|_| Aborted)
    }

    /// Marks the end: the store may now commit the object.
    pub async fn finish(self) -> std::result::Result<(), Aborted> {
        self.tx.send(Piece::End).await.map_err(|_| Aborted)
    }

    /// As [`BodySender::finish`], from a blocking thread.
    pub fn blocking_finish(self) -> std::result::Result<(), Aborted> {
        self.tx.blocking_send(Piece::End).map_err(|_| Aborted)
    }
}

/// Keys are `/`-separated relative paths; this keeps a bad name from escaping a local store's
/// root or producing keys S3 would normalise differently.
pub(crate) fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && !key.starts_with('/')
        && !key.ends_with('/')
        && key
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && !key.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Internal,
            Text::new(msg::KEY_INVALID).arg("key", key),
        ))
    }
}

/// An object could not be read (I/O error while streaming it).
pub(crate) fn read_error(location: &RepoLocation, key: &str, e: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Unavailable,
        Text::new(msg::OBJECT_READ).arg("key", key),
    )
    .at(format!("{location}"))
    .detail(e)
}

/// The producer of a body stopped before its end.
pub(crate) fn aborted_error(location: &RepoLocation, key: &str) -> Error {
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::PUT_ABORTED).arg("key", key),
    )
    .at(format!("{location}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape() {
        for good in ["a", "backups/t/20261125T013000Z-3f9c/data.zst", "表/订单"] {
            check_key(good).expect(good);
        }
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "a//b",
            "a/",
            "./a",
            "a\\b",
            "a\nb",
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn body_without_finish_is_aborted() {
        let (tx, mut body) = body_channel(2);
        tx.send(Bytes::from_static(b"x")).await.expect("send");
        drop(tx);
        assert_eq!(body.next().await, Some(Ok(Bytes::from_static(b"x"))));
        assert_eq!(body.next().await, Some(Err(Aborted)));

        let (tx, mut body) = body_channel(2);
        tx.finish().await.expect("finish");
        assert_eq!(body.next().await, None);
    }
}
