//! The reading half of the object stream: see the module docs of [`crate::stream`].

use std::io::{self, BufReader, Read};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::{
    check_error, error_from_io, hash_stream, internal, join, ObjectCheck, DEPTH, READ_CHUNK,
};
use crate::crypt::{Decryption, EncryptionParams};
use crate::manifest::ObjectEntry;
use crate::msg;
use crate::store::{read_error, Store};

/// Reads one object back as plain bytes. See the module docs for when to trust what it yields.
pub struct ObjectReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
    done: bool,
}

impl ObjectReader {
    /// Opens `key` in `store`, which the manifest describes by `entry` and `encryption`.
    /// Returns once the object's header was read: a wrong key is an error here, not later.
    pub async fn open(
        store: Arc<dyn Store>,
        key: &str,
        entry: &ObjectEntry,
        encryption: &EncryptionParams,
        keys: &Decryption,
    ) -> Result<ObjectReader> {
        let at = format!("{}/{key}", store.location());
        if encryption.is_encrypted() && matches!(keys, Decryption::None) {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::KEY_NEEDED).arg("recipients", encryption.describe()),
            )
            .at(at)
            .hint(Text::new(msg::KEY_NEEDED_HINT)));
        }
        let Some(source) = store.get(key).await? else {
            return Err(Error::new(
                ErrorKind::Data,
                Text::new(msg::OBJECT_MISSING).arg("key", key),
            )
            .at(at)
            .hint(Text::new(msg::OBJECT_DAMAGED_HINT)));
        };

        // Stored bytes: store → hasher task → decoder thread.
        let (raw_tx, raw_rx) = mpsc::channel::<io::Result<Bytes>>(DEPTH);
        let location = store.location().clone();
        let key_owned = key.to_string();
        let hasher: JoinHandle<Result<(u64, String)>> = tokio::spawn(async move {
            hash_stream(source, Some(raw_tx))
                .await
                .map_err(|e| read_error(&location, &key_owned, e))
        });

        // Plain bytes: decoder thread → caller; the supervisor adds the verdict at the end.
        let (out_tx, out_rx) = mpsc::channel::<io::Result<Bytes>>(DEPTH);
        let (ready_tx, ready_rx) = oneshot::channel::<()>();
        let decoder = {
            let out_tx = out_tx.clone();
            let encrypted = encryption.is_encrypted();
            let keys = keys.clone();
            let encryption = encryption.clone();
            let at = at.clone();
            let raw = Arc::new(Mutex::new(raw_rx));
            tokio::task::spawn_blocking(move || {
                decode(raw, encrypted, &keys, &encryption, &at, ready_tx, &out_tx)
            })
        };
        let expected = entry.clone();
        let (key_sup, location_sup) = (key.to_string(), store.location().clone());
        tokio::spawn(async move {
            let decoded = match join(decoder).await {
                Ok(Some(plain)) => Ok(plain),
                Ok(None) => {
                    // The caller dropped the reader: no verdict to deliver.
                    hasher.abort();
                    return;
                }
                Err(e) => Err(e),
            };
            // A wrong key says all there is to say; hashing the rest would only cost time.
            let hashed = if matches!(&decoded, Err(e) if is_key_error(e)) {
                hasher.abort();
                None
            } else {
                Some(join(hasher).await)
            };
            if let Err(e) = verdict(&expected, &key_sup, &location_sup, decoded, hashed) {
                let _ = out_tx.send(Err(io::Error::other(e))).await;
            }
        });

        let mut reader = ObjectReader {
            rx: out_rx,
            current: Bytes::new(),
            done: false,
        };
        if ready_rx.await.is_err() {
            // The decoder stopped before the data: its error (or the hash verdict) comes next.
            return match reader.rx.recv().await {
                Some(Err(e)) => Err(error_from_io(e)),
                _ => Err(internal("object reader stopped without a reason")),
            };
        }
        Ok(reader)
    }

    /// Copies every plain byte to `w`, then checks the object; returns the plain size.
    /// An `Err` means what was written to `w` must not be kept.
    pub async fn copy_to<W: AsyncWrite + Unpin>(mut self, w: &mut W) -> Result<u64> {
        let mut total = self.current.len() as u64;
        w.write_all(&std::mem::take(&mut self.current))
            .await
            .map_err(write_error)?;
        while let Some(item) = self.rx.recv().await {
            let chunk = item.map_err(error_from_io)?;
            total += chunk.len() as u64;
            w.write_all(&chunk).await.map_err(write_error)?;
        }
        w.flush().await.map_err(write_error)?;
        Ok(total)
    }
}

fn write_error(e: io::Error) -> Error {
    Error::new(ErrorKind::Failed, Text::new(msg::SINK_WRITE)).detail(e)
}

impl AsyncRead for ObjectReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            if !self.current.is_empty() {
                let n = buf.remaining().min(self.current.len());
                buf.put_slice(&self.current[..n]);
                self.current.advance(n);
                return Poll::Ready(Ok(()));
            }
            if self.done {
                return Poll::Ready(Ok(()));
            }
            match self.rx.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.current = chunk,
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Err(e));
                }
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(Ok(()));
                }
            }
        }
    }
}

/// Blocking `Read` over the hasher's chunks.
struct ChannelRead {
    rx: Arc<Mutex<mpsc::Receiver<io::Result<Bytes>>>>,
    current: Bytes,
}

impl Read for ChannelRead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            let next = {
                let mut rx = self
                    .rx
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                rx.blocking_recv()
            };
            match next {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(e)) => return Err(e),
                None => return Ok(0),
            }
        }
        let n = out.len().min(self.current.len());
        out[..n].copy_from_slice(&self.current[..n]);
        self.current.advance(n);
        Ok(n)
    }
}

/// The blocking half of [`ObjectReader`]: age → zstd → `out`. Returns the plain size.
fn decode(
    raw: Arc<Mutex<mpsc::Receiver<io::Result<Bytes>>>>,
    encrypted: bool,
    keys: &Decryption,
    encryption: &EncryptionParams,
    at: &str,
    ready: oneshot::Sender<()>,
    out: &mpsc::Sender<io::Result<Bytes>>,
) -> Result<Option<u64>> {
    let source = ChannelRead {
        rx: raw.clone(),
        current: Bytes::new(),
    };
    let corrupt = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::Data,
            Text::new(msg::OBJECT_UNREADABLE).arg("key", at),
        )
        .at(at.to_string())
        .detail(e)
        .hint(Text::new(msg::OBJECT_DAMAGED_HINT))
    };
    let plain_source: Box<dyn Read> = if encrypted {
        let decryptor = age::Decryptor::new_buffered(BufReader::with_capacity(64 * 1024, source))
            .map_err(|e| corrupt(&e))?;
        let identities = keys.age_identities();
        let result = decryptor.decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity));
        match result {
            Ok(r) => Box::new(r),
            Err(age::DecryptError::NoMatchingKeys) => {
                return Err(wrong_key(keys, encryption, at));
            }
            Err(age::DecryptError::ExcessiveWork { required, .. }) => {
                return Err(corrupt(&format!(
                    "passphrase work factor 2^{required} is excessive"
                )))
            }
            // A wrong passphrase fails to unwrap the file key.
            Err(age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed)
                if matches!(keys, Decryption::Passphrase(_)) =>
            {
                return Err(wrong_key(keys, encryption, at));
            }
            Err(e) => return Err(corrupt(&e)),
        }
    } else {
        Box::new(source)
    };
    let _ = ready.send(());
    let mut zstd = zstd::stream::read::Decoder::new(plain_source).map_err(|e| corrupt(&e))?;
    let mut plain = 0u64;
    loop {
        let mut buf = vec![0u8; READ_CHUNK];
        let n = match zstd.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt(&e)),
        };
        if n == 0 {
            break;
        }
        buf.truncate(n);
        plain += n as u64;
        if out.blocking_send(Ok(Bytes::from(buf))).is_err() {
            // The caller stopped reading: stop everything, there is no one to tell.
            return Ok(None);
        }
    }
    // Whatever the decoders did not need is still hashed: drain it so the hasher reaches the end.
    let mut rest = ChannelRead {
        rx: raw,
        current: Bytes::new(),
    };
    let _ = io::copy(&mut rest, &mut io::sink());
    Ok(Some(plain))
}

fn is_key_error(e: &Error) -> bool {
    let id = e.main.what.id();
    id == msg::WRONG_KEY.id || id == msg::WRONG_PASSPHRASE.id
}

fn wrong_key(keys: &Decryption, encryption: &EncryptionParams, at: &str) -> Error {
    let text = match keys {
        Decryption::Passphrase(_) => Text::new(msg::WRONG_PASSPHRASE),
        _ => Text::new(msg::WRONG_KEY)
            .arg("file", keys.source())
            .arg("recipients", encryption.describe()),
    };
    let mut e = Error::new(ErrorKind::Data, text).at(at.to_string());
    let mine: Vec<String> = keys
        .fingerprints()
        .iter()
        .map(|f| crate::crypt::short_fingerprint(f))
        .collect();
    if !mine.is_empty() {
        e = e.detail(format!("the key file holds {}", mine.join(", ")));
    }
    e.hint(Text::new(msg::WRONG_KEY_HINT))
}

/// Decides how reading ended: the decoder's result and the stored bytes against the manifest.
/// A hash that differs is the root cause of any decoding error, so it wins.
fn verdict(
    expected: &ObjectEntry,
    key: &str,
    location: &crate::location::RepoLocation,
    decoded: Result<u64>,
    hashed: Option<Result<(u64, String)>>,
) -> Result<()> {
    // A failed read is the root cause of whatever the decoder then said.
    if let Some(Err(e)) = &hashed {
        return Err(e.clone());
    }
    if let Some(Ok((size, sha))) = &hashed {
        let check = if *size != expected.stored_size_bytes {
            ObjectCheck::SizeDiffers { found: *size }
        } else if *sha != expected.sha256 {
            ObjectCheck::HashDiffers { found: sha.clone() }
        } else {
            ObjectCheck::Ok
        };
        if let Some(e) = check_error(&check, key, expected, location) {
            return Err(e);
        }
    }
    let plain = decoded?;
    if hashed.is_none() {
        return Err(internal("object was not hashed"));
    }
    if plain != expected.plain_size_bytes {
        let at = format!("{location}/{key}");
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::PLAIN_SIZE_DIFFERS)
                .arg("key", &at)
                .arg("expected", expected.plain_size_bytes)
                .arg("found", plain),
        )
        .at(at));
    }
    Ok(())
}
