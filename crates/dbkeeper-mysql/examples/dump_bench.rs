//! Rough wall-time comparison of dbkeeper's MariaDB logical backup and restore with the anchor
//! tools, on one scratch server with a pgbench-like database (`accounts` of SCALE × 100 000
//! rows, branches, tellers) plus a text-heavy table of Chinese notes.
//!
//! `cargo run --release -p dbkeeper-mysql --example dump_bench -- [SCALE] [JOBS]`
//!
//! Backup: `mariadb-dump --single-transaction | zstd -T2 -3 | age`, `mydumper -t 2 -c` (if
//! installed) and dbkeeper with every object sent through the same `zstd -T2 -3 | age`
//! pipeline (what the repository does in-process), and without it. Restore:
//! `age -d | zstd -d | mariadb` of the anchor dump against dbkeeper's restore (objects read
//! from disk as they are, so the decompression is not included; its cost is printed).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;
use dbkeeper_core::dump::{LogicalRequest, ObjectSink, ObjectSource, ObjectWrite, RestoreRequest};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::Result;
use dbkeeper_mysql::connect;
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};
use tokio::io::{AsyncRead, AsyncWriteExt};
use tokio::sync::mpsc;

/// Every object into one `zstd | age` pipeline (or nowhere), and optionally to plain files.
struct BenchSink {
    tx: Option<mpsc::Sender<Bytes>>,
    files: Option<PathBuf>,
    names: Arc<Mutex<Vec<String>>>,
}

struct BenchWrite {
    tx: Option<mpsc::Sender<Bytes>>,
    file: Option<tokio::fs::File>,
}

#[async_trait]
impl ObjectSink for BenchSink {
    async fn create(&self, name: &str) -> Result<Box<dyn ObjectWrite>> {
        self.names.lock().expect("names").push(name.to_string());
        let file = match &self.files {
            Some(root) => {
                let p = root.join(name);
                tokio::fs::create_dir_all(p.parent().expect("parent"))
                    .await
                    .expect("mkdir");
                Some(tokio::fs::File::create(p).await.expect("create"))
            }
            None => None,
        };
        Ok(Box::new(BenchWrite {
            tx: self.tx.clone(),
            file,
        }))
    }
}

#[async_trait]
impl ObjectWrite for BenchWrite {
    async fn write(&mut self, chunk: Bytes) -> Result<()> {
        if let Some(f) = &mut self.file {
            f.write_all(&chunk).await.expect("write");
        }
        if let Some(tx) = &self.tx {
            tx.send(chunk).await.expect("pipeline");
        }
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> Result<()> {
        if let Some(f) = &mut self.file {
            f.flush().await.expect("flush");
        }
        Ok(())
    }
}

struct FileSource {
    root: PathBuf,
    names: Vec<String>,
}

#[async_trait]
impl ObjectSource for FileSource {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    async fn open(&self, name: &str) -> Result<Box<dyn AsyncRead + Send + Unpin>> {
        Ok(Box::new(
            tokio::fs::File::open(self.root.join(name))
                .await
                .expect("open"),
        ))
    }
}

fn sh(script: &str) -> f64 {
    let t = Instant::now();
    let status = Command::new("bash")
        .arg("-o")
        .arg("pipefail")
        .arg("-c")
        .arg(script)
        .status()
        .expect("bash");
    assert!(status.success(), "{script}");
    t.elapsed().as_secs_f64()
}

/// CPU seconds (user + system) a process has used so far: `self`, or a pid.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

/// CPU seconds of the server and of this process since `since`.
struct Cpu {
    server: String,
    start: (f64, f64),
}

impl Cpu {
    fn start(server: u32) -> Cpu {
        let server = server.to_string();
        let start = (cpu_seconds(&server), cpu_seconds("self"));
        Cpu { server, start }
    }

    fn report(&self) -> String {
        format!(
            "server cpu {:6.2}s, dbkeeper cpu {:6.2}s",
            cpu_seconds(&self.server) - self.start.0,
            cpu_seconds("self") - self.start.1
        )
    }
}

fn sql(socket: &Path, statement: &str) {
    let status = Command::new("mariadb")
        .arg("--no-defaults")
        .arg(format!("--socket={}", socket.display()))
        .args(["-uroot", "-e", statement])
        .status()
        .expect("mariadb");
    assert!(status.success(), "{statement}");
}

fn du(path: &Path) -> u64 {
    let out = Command::new("du")
        .args(["-sb"])
        .arg(path)
        .output()
        .expect("du");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    // RUST_LOG=dbkeeper_mysql=debug shows every table part as it is dumped and loaded.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let scale: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(40);
    let jobs: usize = std::env::args()
        .nth(2)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(2);
    let server = ScratchMysql::start(ScratchOptions {
        settings: vec![
            ("innodb_buffer_pool_size".into(), "3G".into()),
            ("innodb_log_file_size".into(), "2G".into()),
            ("max_allowed_packet".into(), "256M".into()),
        ],
        ..ScratchOptions::default()
    })?;
    let socket = server.socket().to_path_buf();
    let work = tempfile::tempdir()?;
    let w = work.path();
    let t = Instant::now();
    sql(
        &socket,
        &format!(
            "SET SESSION unique_checks = 0;
             CREATE DATABASE bench CHARACTER SET utf8mb4;
             CREATE TABLE bench.branches (bid INT PRIMARY KEY, bbalance INT, filler CHAR(88));
             CREATE TABLE bench.tellers (tid INT PRIMARY KEY, bid INT, tbalance INT, filler CHAR(84));
             CREATE TABLE bench.accounts (aid INT PRIMARY KEY, bid INT, abalance INT, filler CHAR(84), KEY (bid));
             CREATE TABLE bench.history (tid INT, bid INT, aid INT, delta INT, mtime DATETIME, filler CHAR(22));
             CREATE TABLE bench.notes (id INT PRIMARY KEY, patient VARCHAR(40), body TEXT, created DATETIME(3));
             INSERT INTO bench.branches SELECT seq, 0, '' FROM bench.seq_1_to_{scale};
             INSERT INTO bench.tellers SELECT seq, (seq - 1) DIV 10 + 1, 0, '' FROM bench.seq_1_to_{t};
             INSERT INTO bench.accounts SELECT seq, (seq - 1) DIV 100000 + 1, 0, '' FROM bench.seq_1_to_{a};
             INSERT INTO bench.notes SELECT seq, CONCAT('患者', seq),
                 CONCAT(REPEAT(CONCAT('主诉：反复咳嗽', seq % 97, '天，伴发热。\\t既往史：无。\\n'), 20), MD5(seq)),
                 '2024-01-01' + INTERVAL seq SECOND FROM bench.seq_1_to_{n};
             ANALYZE TABLE bench.accounts, bench.notes, bench.tellers, bench.branches;",
            t = scale * 10,
            a = scale * 100_000,
            n = scale * 5_000,
        ),
    );
    println!("loaded scale {scale} in {:.1}s", t.elapsed().as_secs_f64());
    let key = w.join("key.txt");
    sh(&format!("age-keygen -o {} 2>/dev/null", key.display()));
    let recipient = String::from_utf8(
        Command::new("age-keygen")
            .arg("-y")
            .arg(&key)
            .output()?
            .stdout,
    )?
    .trim()
    .to_string();
    // The anchors connect the way dbkeeper does: TCP to 127.0.0.1.
    let port = server.port();
    let conn = format!("--protocol=tcp --host=127.0.0.1 --port={port}");

    if std::env::var_os("DBK_BACKUP_ONLY").is_some() {
        // For profiling: three backups into plain files, nothing else.
        let engine = connect(server.target()).await?;
        for round in 1..=3 {
            let files = w.join(format!("only-{round}"));
            let sink = BenchSink {
                tx: None,
                files: Some(files.clone()),
                names: Arc::default(),
            };
            let cpu = Cpu::start(server.pid());
            let t = Instant::now();
            let req = LogicalRequest {
                databases: vec!["bench".into()],
                jobs,
                ..LogicalRequest::default()
            };
            engine.backup_logical(&req, &sink).await?;
            println!(
                "backup {round}: {:.2}s ({})",
                t.elapsed().as_secs_f64(),
                cpu.report()
            );
        }
        return Ok(());
    }

    // Anchors.
    let anchor = w.join("anchor.sql.zst.age");
    let plain_dump = sh(&format!(
        "mariadb-dump --no-defaults {conn} -uroot --single-transaction bench > /dev/null"
    ));
    let cpu = Cpu::start(server.pid());
    let anchor_dump = sh(&format!(
        "mariadb-dump --no-defaults {conn} -uroot --single-transaction bench | zstd -q -T2 -3 | age -r {recipient} > {}",
        anchor.display()
    ));
    println!("mariadb-dump alone:            {plain_dump:7.2}s");
    println!(
        "mariadb-dump | zstd | age:     {anchor_dump:7.2}s  {} bytes  ({})",
        du(&anchor),
        cpu.report()
    );
    let mydumper = if Command::new("mydumper").arg("--version").output().is_ok() {
        let out = w.join("mydumper");
        let secs = sh(&format!(
            "mydumper -h 127.0.0.1 -P {port} -u root -B bench -t 2 -c -o {} > /dev/null 2>&1",
            out.display()
        ));
        println!(
            "mydumper -t 2 -c:              {secs:7.2}s  {} bytes",
            du(&out)
        );
        Some(secs)
    } else {
        None
    };

    // dbkeeper through the same compression and encryption.
    let engine = connect(server.target()).await?;
    let out = w.join("dbk.zst.age");
    let mut child = tokio::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "zstd -q -T2 -3 | age -r {recipient} > {}",
            out.display()
        ))
        .stdin(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin");
    let (tx, mut rx) = mpsc::channel::<Bytes>(8);
    let pump = tokio::spawn(async move {
        while let Some(b) = rx.recv().await {
            stdin.write_all(&b).await.expect("pipe");
        }
    });
    let sink = BenchSink {
        tx: Some(tx),
        files: None,
        names: Arc::default(),
    };
    let req = LogicalRequest {
        databases: vec!["bench".into()],
        jobs,
        ..LogicalRequest::default()
    };
    let t = Instant::now();
    let cpu = Cpu::start(server.pid());
    engine.backup_logical(&req, &sink).await?;
    drop(sink);
    pump.await?;
    child.wait().await?;
    let dbk = t.elapsed().as_secs_f64();
    println!(
        "dbkeeper -j{jobs} | zstd | age:    {dbk:7.2}s  {} bytes  ({})",
        du(&out),
        cpu.report()
    );

    let files = w.join("objects");
    let sink = BenchSink {
        tx: None,
        files: Some(files.clone()),
        names: Arc::default(),
    };
    let t = Instant::now();
    let contents = engine.backup_logical(&req, &sink).await?;
    let dbk_plain = t.elapsed().as_secs_f64();
    println!(
        "dbkeeper -j{jobs} to plain files:  {dbk_plain:7.2}s  {} bytes",
        du(&files)
    );
    println!(
        "backup ratios: {:.2}x the mariadb-dump pipeline{}",
        dbk / anchor_dump,
        mydumper
            .map(|m| format!(", {:.2}x mydumper", dbk / m))
            .unwrap_or_default()
    );

    // Restores.
    sql(
        &socket,
        "CREATE DATABASE bench_anchor CHARACTER SET utf8mb4",
    );
    let cpu = Cpu::start(server.pid());
    let anchor_restore = sh(&format!(
        "age -d -i {} {} | zstd -q -d | mariadb --no-defaults {conn} -uroot bench_anchor",
        key.display(),
        anchor.display()
    ));
    let anchor_cpu = cpu.report();
    let decode = sh(&format!(
        "age -d -i {} {} | zstd -q -d > /dev/null",
        key.display(),
        out.display()
    ));
    let source = FileSource {
        root: files.clone(),
        names: sink.names.lock().expect("names").clone(),
    };
    let t = Instant::now();
    let cpu = Cpu::start(server.pid());
    engine
        .restore_logical(
            &RestoreRequest {
                database: Some("bench".into()),
                into: Some("bench_dbk".into()),
                jobs,
                ..RestoreRequest::default()
            },
            &contents,
            &source,
        )
        .await?;
    let dbk_restore = t.elapsed().as_secs_f64();
    let dbk_cpu = cpu.report();
    println!("age -d | zstd -d | mariadb:     {anchor_restore:7.2}s  ({anchor_cpu})");
    println!("dbkeeper restore -j{jobs}:          {dbk_restore:7.2}s  ({dbk_cpu}) (+ {decode:.2}s to decrypt and decompress its objects in one stream)");
    println!(
        "restore ratio: {:.2}x (with decoding {:.2}x)",
        dbk_restore / anchor_restore,
        (dbk_restore + decode) / anchor_restore
    );
    println!("peak RSS of this process: {:.0} MiB", peak_rss_mib());
    engine.close().await;
    Ok(())
}
