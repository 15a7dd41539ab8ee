//! The writing half of the object stream: see the module docs of [`crate::stream`].

use std::io::{self, Write};

use bytes::{Bytes, BytesMut};
use dbkeeper_core::{Diagnostic, Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::contexts::Context;
use super::{
    internal, join, FailedCopy, ObjectRecord, ObjectTarget, StoredCopy, WriteOptions, CHUNK, DEPTH,
};
use crate::crypt::Encryption;
use crate::msg;
use crate::store::{body_channel, BodySender};

enum Input {
    Data(Bytes),
    Finish,
}

/// Per destination: the stored size and SHA-256, or `None` when it dropped out.
type SinkOutcomes = Vec<Option<(u64, String)>>;

/// Compresses once, encrypts and uploads to every destination, in one pass. See the module docs.
pub struct ObjectWriter {
    name: String,
    input: Option<mpsc::Sender<Input>>,
    pipeline: Option<JoinHandle<Result<(u64, SinkOutcomes)>>>,
    uploads: Vec<(String, String, JoinHandle<Result<u64>>)>,
    plain: u64,
    /// Set once the pipeline failed; every later call returns it.
    failure: Option<Error>,
}

impl ObjectWriter {
    /// Starts uploads to every target. Must be called inside a tokio runtime.
    pub fn new(
        name: &str,
        targets: Vec<ObjectTarget>,
        opts: &WriteOptions,
    ) -> Result<ObjectWriter> {
        opts.check()?;
        if targets.is_empty() {
            return Err(Error::new(
                ErrorKind::Internal,
                Text::new(msg::NO_DESTINATION).arg("name", name),
            ));
        }
        let mut uploads = Vec::new();
        let mut sinks = Vec::new();
        for t in targets {
            let (tx, body) = body_channel(DEPTH);
            let store = t.store.clone();
            let key = t.key.clone();
            let handle = tokio::spawn(async move { store.put(&key, body).await });
            uploads.push((t.repo.clone(), t.key.clone(), handle));
            sinks.push((tx, t.encryption));
        }
        let (input_tx, input_rx) = mpsc::channel(DEPTH);
        let opts = opts.clone();
        let pipeline =
            tokio::task::spawn_blocking(move || compress_and_fan_out(input_rx, &opts, sinks));
        Ok(ObjectWriter {
            name: name.to_string(),
            input: Some(input_tx),
            pipeline: Some(pipeline),
            uploads,
            plain: 0,
            failure: None,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Plain bytes written so far.
    pub fn plain_size_bytes(&self) -> u64 {
        self.plain
    }

    /// Writes a chunk (a `Bytes`, `Vec<u8>`, `&'static [u8]`…); waits while the stores are
    /// behind. Chunks of 64 KiB–1 MiB work best.
    pub async fn write(&mut self, data: impl Into<Bytes>) -> Result<()> {
        let data = data.into();
        if data.is_empty() {
            return Ok(());
        }
        if let Some(e) = &self.failure {
            return Err(e.clone());
        }
        let len = data.len() as u64;
        let sent = match &self.input {
            Some(tx) => tx.send(Input::Data(data)).await.is_ok(),
            None => false,
        };
        if !sent {
            return Err(self.fail().await);
        }
        self.plain += len;
        Ok(())
    }

    /// Writes a borrowed slice (copied).
    pub async fn write_slice(&mut self, data: &[u8]) -> Result<()> {
        self.write(Bytes::copy_from_slice(data)).await
    }

    /// Copies everything from `reader` (a dump's stdout) into the object; returns the bytes copied.
    pub async fn write_from<R: AsyncRead + Unpin>(&mut self, reader: &mut R) -> Result<u64> {
        let mut total = 0u64;
        loop {
            let mut buf = BytesMut::with_capacity(CHUNK);
            // Fill the chunk (reads from pipes come in 64 KiB pieces).
            while buf.len() < CHUNK {
                let n = reader.read_buf(&mut buf).await.map_err(|e| {
                    Error::new(
                        ErrorKind::Failed,
                        Text::new(msg::SOURCE_READ).arg("name", &self.name),
                    )
                    .detail(e)
                })?;
                if n == 0 {
                    break;
                }
            }
            if buf.is_empty() {
                return Ok(total);
            }
            total += buf.len() as u64;
            let last = buf.len() < CHUNK;
            self.write(buf.freeze()).await?;
            if last {
                return Ok(total);
            }
        }
    }

    /// Ends the object: flushes compression and encryption, waits for every upload, and returns
    /// what was stored where. Only an object every destination lost is an error.
    pub async fn finish(mut self) -> Result<ObjectRecord> {
        if let Some(e) = &self.failure {
            return Err(e.clone());
        }
        if let Some(tx) = self.input.take() {
            // A closed channel means the pipeline already stopped; its result says why.
            let _ = tx.send(Input::Finish).await;
        }
        let pipeline = match self.pipeline.take() {
            Some(p) => join(p).await,
            None => Err(internal("object writer finished twice")),
        };
        let mut copies = Vec::new();
        let mut failed = Vec::new();
        let (plain, outcomes) = match pipeline {
            Ok((plain, outcomes)) => (plain, Some(outcomes)),
            Err(e) => {
                self.failure = Some(e);
                (self.plain, None)
            }
        };
        let uploads = std::mem::take(&mut self.uploads);
        for (i, (repo, key, handle)) in uploads.into_iter().enumerate() {
            let uploaded = join(handle).await;
            let outcome = outcomes.as_ref().and_then(|o| o.get(i).cloned().flatten());
            match (uploaded, outcome) {
                (Ok(stored), Some((size, sha256))) if stored == size => copies.push(StoredCopy {
                    repo,
                    key,
                    stored_size_bytes: size,
                    sha256,
                }),
                (Ok(stored), Some((size, _))) => failed.push(FailedCopy {
                    error: Error::new(
                        ErrorKind::Data,
                        Text::new(msg::STORED_SIZE_DIFFERS)
                            .arg("key", &key)
                            .arg("sent", size)
                            .arg("stored", stored),
                    )
                    .at(repo.clone()),
                    repo,
                    key,
                }),
                (Err(error), _) => failed.push(FailedCopy { repo, key, error }),
                (Ok(_), None) => failed.push(FailedCopy {
                    error: self
                        .failure
                        .clone()
                        .unwrap_or_else(|| internal("a destination dropped out without an error")),
                    repo,
                    key,
                }),
            }
        }
        if copies.is_empty() {
            let errors = failed.into_iter().map(|f| f.error).collect();
            return Err(root_cause(errors, self.failure.clone()));
        }
        Ok(ObjectRecord {
            name: self.name.clone(),
            plain_size_bytes: plain,
            copies,
            failed,
        })
    }

    /// Gives up on the object: every store discards what it received (a local `.partial` is
    /// removed, an S3 multipart upload aborted). Dropping the writer does the same, without
    /// waiting for the stores to finish cleaning up.
    pub async fn abort(mut self) {
        self.input.take();
        if let Some(p) = self.pipeline.take() {
            let _ = p.await;
        }
        for (_, _, h) in std::mem::take(&mut self.uploads) {
            let _ = h.await;
        }
    }

    /// The pipeline stopped early: collect why (an upload error says more than "channel closed").
    async fn fail(&mut self) -> Error {
        if let Some(e) = &self.failure {
            return e.clone();
        }
        self.input.take();
        let pipeline_error = match self.pipeline.take() {
            Some(p) => join(p).await.err(),
            None => None,
        };
        let mut upload_errors = Vec::new();
        for (_, _, h) in std::mem::take(&mut self.uploads) {
            if let Err(e) = join(h).await {
                upload_errors.push(e);
            }
        }
        let e = root_cause(upload_errors, pipeline_error);
        self.failure = Some(e.clone());
        e
    }
}

/// The error to report when no destination got the object. A store's own error ("S3 is
/// unreachable") says more than the pipeline's summary ("every destination failed"); a store
/// that only saw its body end early is a consequence, so then the pipeline's error is the cause.
fn root_cause(store_errors: Vec<Error>, pipeline: Option<Error>) -> Error {
    let (consequences, causes): (Vec<Error>, Vec<Error>) = store_errors
        .into_iter()
        .partition(|e| e.main.what.id() == msg::PUT_ABORTED.id);
    let mut causes = causes.into_iter();
    match causes.next() {
        Some(first) => with_more(first, causes),
        None => pipeline
            .or_else(|| consequences.into_iter().next())
            .unwrap_or_else(|| internal("object pipeline stopped without a reason")),
    }
}

fn with_more(mut first: Error, rest: impl Iterator<Item = Error>) -> Error {
    for e in rest {
        let mut d: Diagnostic = e.main.clone();
        if let Some(detail) = e.detail {
            d.what = Text::verbatim(format!("{}: {detail}", d.what));
        }
        first.more.push(d);
    }
    first
}

/// Counts, hashes and batches one destination's bytes into store-sized chunks.
struct ChunkSink {
    tx: BodySender,
    buf: BytesMut,
    sha: Sha256,
    size: u64,
}

impl ChunkSink {
    fn new(tx: BodySender) -> ChunkSink {
        ChunkSink {
            tx,
            buf: BytesMut::with_capacity(CHUNK),
            sha: Sha256::new(),
            size: 0,
        }
    }

    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = self.buf.split().freeze();
        self.buf.reserve(CHUNK);
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::other("the store stopped receiving"))
    }

    fn finish(mut self) -> io::Result<(u64, String)> {
        self.send_buffer()?;
        let (size, sha) = (self.size, hex::encode(self.sha.finalize()));
        self.tx
            .blocking_finish()
            .map_err(|_| io::Error::other("the store stopped receiving"))?;
        Ok((size, sha))
    }
}

impl Write for ChunkSink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.sha.update(data);
        self.size += data.len() as u64;
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Chunks go out when full or at the end; a flush from zstd must not send tiny pieces.
        Ok(())
    }
}

/// One destination's writer: clear (zstd only) or through age.
enum Sink {
    Clear(ChunkSink),
    Age(age::stream::StreamWriter<ChunkSink>),
}

impl Sink {
    fn finish(self) -> io::Result<(u64, String)> {
        match self {
            Sink::Clear(c) => c.finish(),
            Sink::Age(w) => w.finish()?.finish(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Clear(c) => c.write(data),
            Sink::Age(w) => w.write(data),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the compressor sends to a destination's thread.
enum Compressed {
    Data(Bytes),
    End,
}

/// A destination's thread: encrypts, hashes and hands chunks to its store, in parallel with
/// the compressor and with the other destinations.
struct Destination {
    tx: std::sync::mpsc::SyncSender<Compressed>,
    thread: std::thread::JoinHandle<io::Result<(u64, String)>>,
}

impl Destination {
    fn spawn(body: BodySender, encryption: Encryption) -> io::Result<Destination> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Compressed>(DEPTH);
        let thread = std::thread::Builder::new()
            .name("dbkeeper-encrypt".into())
            .spawn(move || -> io::Result<(u64, String)> {
                let sink = ChunkSink::new(body);
                // Created here: a passphrase's key derivation takes a second of CPU.
                let mut sink = match encryption.encryptor().map_err(io::Error::other)? {
                    None => Sink::Clear(sink),
                    Some(enc) => Sink::Age(enc.wrap_output(sink)?),
                };
                loop {
                    match rx.recv() {
                        Ok(Compressed::Data(chunk)) => sink.write_all(&chunk)?,
                        Ok(Compressed::End) => return sink.finish(),
                        // The compressor stopped without an end: drop the sink unfinished, so
                        // the store discards the object.
                        Err(_) => return Err(io::Error::other("the object was abandoned")),
                    }
                }
            })?;
        Ok(Destination { tx, thread })
    }
}

/// Hands the compressed stream to every live destination in chunks shared by all of them (one
/// copy, whatever the number of destinations). A destination whose store failed stops
/// receiving; its thread ends without finishing, so its store discards the object.
struct FanOut {
    dests: Vec<Option<Destination>>,
    buf: BytesMut,
}

/// Compressed bytes are passed on in pieces of this size.
const FAN_CHUNK: usize = 256 * 1024;

impl FanOut {
    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = self.buf.split().freeze();
        self.buf.reserve(FAN_CHUNK);
        let mut alive = 0;
        for slot in &mut self.dests {
            if let Some(d) = slot {
                if d.tx.send(Compressed::Data(chunk.clone())).is_ok() {
                    alive += 1;
                } else {
                    *slot = None;
                }
            }
        }
        if alive == 0 {
            return Err(io::Error::other("every destination failed"));
        }
        Ok(())
    }

    /// Ends every destination; each one's stored size and SHA-256, or `None` if it failed.
    fn finish(mut self) -> SinkOutcomes {
        let sent = self.send_buffer();
        self.dests
            .into_iter()
            .map(|slot| {
                let d = slot?;
                if sent.is_ok() {
                    let _ = d.tx.send(Compressed::End);
                }
                drop(d.tx);
                d.thread.join().ok()?.ok()
            })
            .collect()
    }
}

impl Write for FanOut {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= FAN_CHUNK {
            self.send_buffer()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The blocking half of [`ObjectWriter`]: returns the plain size and each destination's outcome.
fn compress_and_fan_out(
    mut input: mpsc::Receiver<Input>,
    opts: &WriteOptions,
    sinks: Vec<(BodySender, Encryption)>,
) -> Result<(u64, SinkOutcomes)> {
    let compress_error =
        |e: io::Error| Error::new(ErrorKind::Failed, Text::new(msg::COMPRESS_FAILED)).detail(e);
    let mut dests = Vec::new();
    for (tx, encryption) in sinks {
        dests.push(Some(
            Destination::spawn(tx, encryption).map_err(compress_error)?,
        ));
    }
    let fan = FanOut {
        dests,
        buf: BytesMut::with_capacity(FAN_CHUNK),
    };
    let mut context = Context::take(opts).map_err(compress_error)?;
    let encoder = zstd::stream::raw::Encoder::with_context(context.get().map_err(compress_error)?);
    let mut zstd = zstd::stream::zio::Writer::new(fan, encoder);
    let mut plain = 0u64;
    loop {
        match input.blocking_recv() {
            Some(Input::Data(chunk)) => {
                plain += chunk.len() as u64;
                zstd.write_all(&chunk).map_err(compress_error)?;
            }
            Some(Input::Finish) => break,
            // The writer was dropped without finishing: the destinations' threads see their
            // channels close without an end and drop their sinks unfinished, so every store
            // discards its partial object.
            None => {
                return Err(Error::new(
                    ErrorKind::Failed,
                    Text::new(msg::WRITER_DROPPED),
                ))
            }
        }
    }
    zstd.finish().map_err(compress_error)?;
    let (fan, _) = zstd.into_inner();
    Ok((plain, fan.finish()))
}
