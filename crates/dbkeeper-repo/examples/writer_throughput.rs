//! Throughput of the object writer (zstd + age + SHA-256, one pass, N destinations), without
//! store I/O: destinations are stores that count and discard. Build with `--release`:
//!
//! ```text
//! cargo run --release -p dbkeeper-repo --example writer_throughput -- [MiB] [destinations] [level] [threads] [file]
//! ```
//!
//! The input is SQL `COPY`-like text (ids, names, dates, amounts, Chinese text), generated once
//! into a 32 MiB buffer and streamed repeatedly as 1 MiB chunks — or the contents of `file` when
//! given (for example a real dump). It prints MB/s of plain input and the compression ratio.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::Result;
use dbkeeper_repo::store::{Body, InterruptedUpload, ObjectRead};
use dbkeeper_repo::*;

#[derive(Debug)]
struct Discard {
    location: RepoLocation,
    bytes: AtomicU64,
}

#[async_trait]
impl Store for Discard {
    fn location(&self) -> &RepoLocation {
        &self.location
    }
    async fn put(&self, _key: &str, mut body: Body) -> Result<u64> {
        let mut n = 0u64;
        while let Some(Ok(chunk)) = body.next().await {
            n += chunk.len() as u64;
        }
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
    async fn put_if_absent(&self, _key: &str, _data: Bytes) -> Result<bool> {
        Ok(true)
    }
    async fn get(&self, _key: &str) -> Result<Option<ObjectRead>> {
        Ok(None)
    }
    async fn head(&self, _key: &str) -> Result<Option<u64>> {
        Ok(None)
    }
    async fn list(&self, _prefix: &str) -> Result<Vec<ObjectMeta>> {
        Ok(Vec::new())
    }
    async fn first_key(&self, _prefix: &str) -> Result<Option<String>> {
        Ok(None)
    }
    async fn delete(&self, _key: &str) -> Result<()> {
        Ok(())
    }
    async fn interrupted_uploads(&self, _prefix: &str) -> Result<Option<Vec<InterruptedUpload>>> {
        Ok(None)
    }
}

/// Table-like text: what `COPY … TO STDOUT` of an internet-hospital's tables looks like.
fn sample(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 256);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let drugs = [
        "阿莫西林胶囊",
        "布洛芬缓释胶囊",
        "盐酸二甲双胍片",
        "amoxicillin",
        "metformin 500mg",
    ];
    let mut id = 1_000_000u64;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        id += 1 + x % 3;
        let line = format!(
            "{id}\t{}\t患者{:05}\t{}\t2026-{:02}-{:02} {:02}:{:02}:{:02}+08\t{}.{:02}\t{:016x}\n",
            1000 + x % 5000,
            x % 100_000,
            drugs[(x % drugs.len() as u64) as usize],
            1 + x % 12,
            1 + (x >> 8) % 28,
            (x >> 16) % 24,
            (x >> 24) % 60,
            (x >> 32) % 60,
            (x >> 40) % 2000,
            (x >> 48) % 100,
            x.wrapping_mul(0x2545_F491_4F6C_DD1D),
        );
        out.extend_from_slice(line.as_bytes());
    }
    out.truncate(len);
    out
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mib: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let dests: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let level: i32 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(3);
    let threads: u32 = args
        .get(4)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| WriteOptions::default().threads);
    let input = match args.get(5) {
        Some(path) => std::fs::read(path).map_err(|e| {
            dbkeeper_core::Error::new(
                dbkeeper_core::ErrorKind::Usage,
                dbkeeper_core::Text::verbatim(e.to_string()),
            )
        })?,
        None => sample(32 * 1024 * 1024),
    };
    let data = Bytes::from(input);
    let (_, recipient) = generate_identity();
    let stores: Vec<Arc<Discard>> = (0..dests)
        .map(|i| {
            Arc::new(Discard {
                location: RepoLocation::Local {
                    path: format!("/discard/{i}").into(),
                },
                bytes: AtomicU64::new(0),
            })
        })
        .collect();
    let targets = stores
        .iter()
        .enumerate()
        .map(|(i, s)| stream::ObjectTarget {
            repo: format!("d{i}"),
            store: s.clone() as Arc<dyn Store>,
            key: "object".into(),
            encryption: Encryption::Recipients(vec![recipient.clone()]),
        })
        .collect();
    let total = mib * 1024 * 1024;
    let started = Instant::now();
    let mut w = ObjectWriter::new("bench", targets, &WriteOptions { level, threads })?;
    let mut sent = 0usize;
    let chunk = 1024 * 1024;
    while sent < total {
        let off = sent % data.len();
        let n = chunk.min(data.len() - off).min(total - sent);
        w.write(data.slice(off..off + n)).await?;
        sent += n;
    }
    let rec = w.finish().await?;
    let secs = started.elapsed().as_secs_f64();
    let stored = rec.copies[0].stored_size_bytes;
    println!(
        "{mib} MiB, {dests} destination(s), zstd -{level} threads {threads} + age: {:.2} s, {:.0} MB/s of input, ratio {:.2} ({} → {} bytes)",
        secs,
        total as f64 / secs / 1e6,
        total as f64 / stored as f64,
        total,
        stored
    );
    Ok(())
}
