//! Byte counters for a backup or restore in flight. The library only counts; the command line
//! decides whether and how to show them (a rate on a terminal, nothing under cron).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::dump::{ObjectSink, ObjectWrite};
use dbkeeper_core::Result;

/// Counts what passes; cheap to clone and to read from another task.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    inner: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    bytes: AtomicU64,
    objects_started: AtomicU64,
    objects_done: AtomicU64,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Plain (uncompressed) bytes so far.
    pub fn bytes(&self) -> u64 {
        self.inner.bytes.load(Ordering::Relaxed)
    }

    pub fn objects_started(&self) -> u64 {
        self.inner.objects_started.load(Ordering::Relaxed)
    }

    pub fn objects_done(&self) -> u64 {
        self.inner.objects_done.load(Ordering::Relaxed)
    }

    pub fn add_bytes(&self, n: u64) {
        self.inner.bytes.fetch_add(n, Ordering::Relaxed);
    }
}

/// An [`ObjectSink`] that counts what goes through it into `inner`.
pub(crate) struct CountingSink<'a> {
    pub(crate) inner: &'a dyn ObjectSink,
    pub(crate) progress: Progress,
}

#[async_trait]
impl ObjectSink for CountingSink<'_> {
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>> {
        let w = self.inner.create(name).await?;
        self.progress
            .inner
            .objects_started
            .fetch_add(1, Ordering::Relaxed);
        Ok(Box::new(CountingWrite {
            inner: w,
            progress: self.progress.clone(),
        }))
    }
}

struct CountingWrite {
    inner: Box<dyn ObjectWrite>,
    progress: Progress,
}

#[async_trait]
impl ObjectWrite for CountingWrite {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        let n = chunk.len() as u64;
        self.inner.write(chunk).await?;
        self.progress.add_bytes(n);
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<()> {
        let this = *self;
        this.inner.finish().await?;
        this.progress
            .inner
            .objects_done
            .fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}
