//! A test-only object store over a temporary directory: what the repository does for real
//! (every object's size and SHA-256 recorded when it is finished, and checked as it is read
//! back), without compression or encryption.

use std::collections::BTreeMap;
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

/// Size and SHA-256 of each finished object.
pub type Manifest = BTreeMap<String, (u64, String)>;

pub struct DirSink {
    root: PathBuf,
    manifest: Arc<Mutex<Manifest>>,
}

impl DirSink {
    pub fn new(root: &Path) -> DirSink {
        std::fs::create_dir_all(root).expect("sink root");
        DirSink {
            root: root.to_path_buf(),
            manifest: Arc::default(),
        }
    }

    pub fn manifest(&self) -> Manifest {
        self.manifest.lock().expect("manifest").clone()
    }
}

fn io_err(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::CantCreate, Text::verbatim(e.to_string()))
}

#[async_trait]
impl ObjectSink for DirSink {
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>> {
        assert!(
            !name.starts_with('/') && !name.contains(".."),
            "bad name {name}"
        );
        let path = self.root.join(name);
        tokio::fs::create_dir_all(path.parent().expect("parent"))
            .await
            .map_err(io_err)?;
        let partial = path.with_extension("partial");
        let file = tokio::fs::File::create(&partial).await.map_err(io_err)?;
        Ok(Box::new(DirWrite {
            name: name.to_string(),
            path,
            partial,
            file,
            hasher: Sha256::new(),
            size: 0,
            manifest: Arc::clone(&self.manifest),
        }))
    }
}

struct DirWrite {
    name: String,
    path: PathBuf,
    partial: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    manifest: Arc<Mutex<Manifest>>,
}

#[async_trait]
impl ObjectWrite for DirWrite {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        self.file.write_all(&chunk).await.map_err(io_err)
    }

    async fn finish(mut self: Box<Self>) -> Result<()> {
        self.file.flush().await.map_err(io_err)?;
        tokio::fs::rename(&self.partial, &self.path)
            .await
            .map_err(io_err)?;
        let hash = hex::encode(self.hasher.finalize_reset());
        let prev = self
            .manifest
            .lock()
            .expect("manifest")
            .insert(self.name.clone(), (self.size, hash));
        assert!(prev.is_none(), "object {} written twice", self.name);
        Ok(())
    }
}

/// Reads objects back; with `verify`, a read whose size or hash differs from the manifest
/// fails at its end, as the repository's reader does.
pub struct DirSource {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub verify: bool,
}

#[async_trait]
impl ObjectSource for DirSource {
    fn names(&self) -> Vec<String> {
        self.manifest.keys().cloned().collect()
    }

    async fn open(&self, name: &str) -> Result<Box<dyn AsyncRead + Send + Unpin>> {
        let (size, hash) = self.manifest.get(name).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::Data,
                Text::verbatim(format!("no object {name} in the backup")),
            )
        })?;
        let file = tokio::fs::File::open(self.root.join(name))
            .await
            .map_err(io_err)?;
        Ok(Box::new(Checked {
            inner: file,
            hasher: Sha256::new(),
            size: 0,
            expected: (size, hash),
            verify: self.verify,
            done: false,
        }))
    }
}

struct Checked {
    inner: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    expected: (u64, String),
    verify: bool,
    done: bool,
}

impl AsyncRead for Checked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let new = &buf.filled()[before..];
                if new.is_empty() && buf.remaining() > 0 {
                    if this.verify && !this.done {
                        this.done = true;
                        let hash = hex::encode(this.hasher.finalize_reset());
                        if (this.size, hash.as_str()) != (this.expected.0, this.expected.1.as_str())
                        {
                            return Poll::Ready(Err(std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                format!(
                                    "object size/SHA-256 mismatch: read {} bytes, manifest says {}",
                                    this.size, this.expected.0
                                ),
                            )));
                        }
                    }
                } else {
                    this.hasher.update(new);
                    this.size += new.len() as u64;
                }
                Poll::Ready(Ok(()))
            }
            other => other,
        }
    }
}

/// Copies a backup folder (for damaging the copy).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &t);
        } else {
            std::fs::copy(&p, &t).expect("copy");
        }
    }
}
