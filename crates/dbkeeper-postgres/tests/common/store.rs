//! A test-only object store on a temp directory: the sink records every object's size and
//! SHA-256 like the real repository's manifest, and the source checks both as it streams, so
//! a damaged file fails the read at its end. Faults can be switched on per object.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::dump::{ObjectSink, ObjectSource, ObjectWrite};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWriteExt, ReadBuf};

#[derive(Clone, Debug)]
pub struct Recorded {
    pub size: u64,
    pub sha256: String,
}

#[derive(Clone, Default)]
pub struct Faults {
    /// Objects are read without checking size and hash (a source that cannot tell).
    pub no_verify: bool,
    /// This object's read fails with an I/O error after that many bytes.
    pub fail_after: Option<(String, u64)>,
}

pub struct DirStore {
    root: PathBuf,
    objects: Arc<Mutex<BTreeMap<String, Recorded>>>,
    pub faults: Mutex<Faults>,
}

impl DirStore {
    pub fn new(root: &Path) -> DirStore {
        DirStore {
            root: root.to_path_buf(),
            objects: Arc::default(),
            faults: Mutex::default(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub fn objects(&self) -> BTreeMap<String, Recorded> {
        self.objects.lock().expect("lock").clone()
    }

    pub fn set_faults(&self, f: Faults) {
        *self.faults.lock().expect("lock") = f;
    }

    pub fn total_bytes(&self) -> u64 {
        self.objects().values().map(|r| r.size).sum()
    }
}

struct DirWrite {
    name: String,
    path: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    objects: Arc<Mutex<BTreeMap<String, Recorded>>>,
}

fn io_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::verbatim(format!("{what}: {e}")),
    )
}

#[async_trait]
impl ObjectSink for DirStore {
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>> {
        assert!(
            !name.starts_with('/') && !name.contains(".."),
            "bad name {name}"
        );
        assert!(
            !self.objects.lock().expect("lock").contains_key(name),
            "object {name} written twice"
        );
        let path = self.root.join(name);
        if let Some(p) = path.parent() {
            tokio::fs::create_dir_all(p)
                .await
                .map_err(|e| io_err("mkdir", e))?;
        }
        let partial = path.with_extension("partial");
        let file = tokio::fs::File::create(&partial)
            .await
            .map_err(|e| io_err("create", e))?;
        Ok(Box::new(DirWrite {
            name: name.to_string(),
            path,
            file,
            hasher: Sha256::new(),
            size: 0,
            objects: self.objects.clone(),
        }))
    }
}

#[async_trait]
impl ObjectWrite for DirWrite {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        self.file
            .write_all(&chunk)
            .await
            .map_err(|e| io_err("write", e))
    }

    async fn finish(mut self: Box<Self>) -> Result<()> {
        self.file.flush().await.map_err(|e| io_err("flush", e))?;
        tokio::fs::rename(self.path.with_extension("partial"), &self.path)
            .await
            .map_err(|e| io_err("rename", e))?;
        let sha256 = hex::encode(self.hasher.clone().finalize());
        self.objects.lock().expect("lock").insert(
            self.name.clone(),
            Recorded {
                size: self.size,
                sha256,
            },
        );
        Ok(())
    }
}

#[async_trait]
impl ObjectSource for DirStore {
    fn names(&self) -> Vec<String> {
        self.objects().keys().cloned().collect()
    }

    async fn open(&self, name: &str) -> Result<Box<dyn AsyncRead + Send + Unpin>> {
        let recorded = self.objects().get(name).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::Data,
                Text::verbatim(format!("object {name} is missing")),
            )
        })?;
        let file = tokio::fs::File::open(self.root.join(name))
            .await
            .map_err(|e| Error::new(ErrorKind::Data, Text::verbatim(format!("{name}: {e}"))))?;
        let faults = self.faults.lock().expect("lock").clone();
        let fail_after = faults
            .fail_after
            .filter(|(n, _)| n == name)
            .map(|(_, at)| at);
        Ok(Box::new(Checked {
            name: name.to_string(),
            inner: file,
            hasher: Sha256::new(),
            size: 0,
            expected: (!faults.no_verify).then_some(recorded),
            fail_after,
        }))
    }
}

/// Hashes as it reads; at the end, a size or hash that differs from the record is an error.
struct Checked {
    name: String,
    inner: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    expected: Option<Recorded>,
    fail_after: Option<u64>,
}

impl AsyncRead for Checked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(at) = self.fail_after {
            if self.size >= at {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "injected: the store went away",
                )));
            }
        }
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {}
            other => return other,
        }
        let new = &buf.filled()[before..];
        if new.is_empty() {
            if let Some(exp) = &this.expected {
                let got = hex::encode(this.hasher.clone().finalize());
                if this.size != exp.size || got != exp.sha256 {
                    let e = Error::new(
                        ErrorKind::Data,
                        Text::verbatim(format!(
                            "object {} does not match the manifest ({} bytes, sha256 {got})",
                            this.name, this.size
                        )),
                    )
                    .at(this.name.clone());
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, e)));
                }
            }
        } else {
            this.hasher.update(new);
            this.size += new.len() as u64;
        }
        Poll::Ready(Ok(()))
    }
}
