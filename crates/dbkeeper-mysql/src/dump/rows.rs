//! The rows of every table, read over the worker connections in parallel inside the one
//! snapshot, one object per table.
//!
//! Format: the text `LOAD DATA` reads by default — fields separated by TAB, rows ended by LF,
//! `\N` for NULL, and `\\`, `\t`, `\n`, `\r`, `\0` escaped — with the bytes of every value
//! exactly as stored (the session's `character_set_results` is `binary`; the restore loads
//! with `CHARACTER SET binary`). Why this and not extended INSERTs:
//! - exact: no character set conversion in either direction, binary values byte for byte, and
//!   the column list is explicit; FLOAT/DOUBLE are selected as DOUBLE with every significant
//!   digit and BIT as a number (see [`super::catalog::select_sql`]), which INSERT text from
//!   mysqldump does not do (its FLOAT text loses precision);
//! - fast: the server parses LOAD DATA rows several times faster than INSERT statements, and
//!   the text is about as compact as the INSERT text without its quoting.
//!
//! Each worker is a task of its own that owns its connection, reads rows and encodes them into
//! ~1 MiB chunks, and hands the chunks over a short channel to the writer, which streams them
//! into the object; memory stays at a few chunks per worker whatever the table size.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use dbkeeper_core::dump::ObjectSink;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use futures_util::StreamExt;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row, Value};
use tokio::sync::mpsc;

use crate::msg;
use crate::tools::{AbortOnDrop, CHUNK};

/// Chunks in flight per worker: the reader runs ahead of a slow destination by this much.
const IN_FLIGHT: usize = 4;

/// One table to read.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// Index into the caller's list, to report back.
    pub(crate) index: usize,
    pub(crate) database: String,
    pub(crate) table: String,
    pub(crate) object: String,
    pub(crate) select: String,
    pub(crate) size: u64,
}

/// What became of one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Done {
    pub(crate) index: usize,
    pub(crate) rows: u64,
    pub(crate) bytes: u64,
}

enum Msg {
    Start(usize),
    Chunk(Bytes),
    End(u64),
}

/// Reads every job over `conns` (each already inside the snapshot); biggest tables first, so
/// that the last table to finish is a small one.
pub(crate) async fn dump(
    target: &Target,
    conns: Vec<Conn>,
    mut jobs: Vec<Job>,
    sink: &dyn ObjectSink,
) -> Result<(Vec<Done>, Vec<Conn>)> {
    jobs.sort_by(|a, b| b.size.cmp(&a.size).then(a.index.cmp(&b.index)));
    let objects: Vec<(usize, String)> = jobs.iter().map(|j| (j.index, j.object.clone())).collect();
    let queue = Arc::new(Mutex::new(VecDeque::from(jobs)));
    let mut writers = Vec::new();
    for conn in conns {
        let (tx, rx) = mpsc::channel(IN_FLIGHT);
        let task = tokio::spawn(read_jobs(target.clone(), conn, Arc::clone(&queue), tx));
        writers.push(write_objects(AbortOnDrop(task), rx, sink, &objects));
    }
    let results = futures_util::future::try_join_all(writers).await?;
    let mut done = Vec::new();
    let mut conns = Vec::new();
    for (d, c) in results {
        done.extend(d);
        conns.push(c);
    }
    done.sort_by_key(|d| d.index);
    Ok((done, conns))
}

/// The writer half of one worker: creates, fills and finishes the objects its reader sends.
async fn write_objects(
    reader: AbortOnDrop<Result<Conn>>,
    mut rx: mpsc::Receiver<Msg>,
    sink: &dyn ObjectSink,
    objects: &[(usize, String)],
) -> Result<(Vec<Done>, Conn)> {
    let mut done = Vec::new();
    let mut current: Option<(usize, Box<dyn dbkeeper_core::dump::ObjectWrite>, u64)> = None;
    while let Some(m) = rx.recv().await {
        match m {
            Msg::Start(index) => {
                let name = objects
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map(|(_, n)| n.as_str())
                    .unwrap_or_default();
                current = Some((index, sink.create(name).await?, 0));
            }
            Msg::Chunk(bytes) => {
                if let Some((_, object, written)) = current.as_mut() {
                    *written += bytes.len() as u64;
                    object.write(bytes).await?;
                }
            }
            Msg::End(rows) => {
                if let Some((index, object, bytes)) = current.take() {
                    object.finish().await?;
                    done.push(Done { index, rows, bytes });
                }
            }
        }
    }
    // The channel closed: the reader finished or failed; its result says which. An object
    // still open here was never finished, so it does not exist.
    let mut reader = reader;
    let conn = (&mut reader.0).await.map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("a table reader task ended abnormally"),
        )
        .detail(e)
    })??;
    Ok((done, conn))
}

/// The reader half of one worker (its own task): takes jobs until none are left.
async fn read_jobs(
    target: Target,
    mut conn: Conn,
    queue: Arc<Mutex<VecDeque<Job>>>,
    tx: mpsc::Sender<Msg>,
) -> Result<Conn> {
    loop {
        let job = match queue.lock() {
            Ok(mut q) => q.pop_front(),
            Err(_) => None,
        };
        let Some(job) = job else {
            return Ok(conn);
        };
        if tx.send(Msg::Start(job.index)).await.is_err() {
            return Ok(conn);
        }
        let started = std::time::Instant::now();
        let rows = read_table(&mut conn, &job, &tx)
            .await
            .map_err(|e| table_error(&target, &job, &e))?;
        let Some(rows) = rows else {
            // The writer is gone (it failed); its error is the one reported.
            return Ok(conn);
        };
        tracing::debug!(
            object = %job.object,
            rows,
            seconds = started.elapsed().as_secs_f64(),
            "dumped"
        );
        if tx.send(Msg::End(rows)).await.is_err() {
            return Ok(conn);
        }
    }
}

/// Streams one table; `None` if the writer went away meanwhile. The savepoint around the read
/// releases the table's metadata lock afterwards (as mysqldump does), so that the backup does
/// not block DDL on tables it is done with.
async fn read_table(
    conn: &mut Conn,
    job: &Job,
    tx: &mpsc::Sender<Msg>,
) -> mysql_async::Result<Option<u64>> {
    conn.query_drop("SAVEPOINT dbkeeper_table").await?;
    let mut rows = 0u64;
    let mut buf = BytesMut::with_capacity(CHUNK + CHUNK / 8);
    {
        let mut stream = conn.query_stream::<Row, _>(job.select.as_str()).await?;
        while let Some(row) = stream.next().await {
            encode_row(&row?, &mut buf);
            rows += 1;
            if buf.len() >= CHUNK {
                let chunk = buf.split().freeze();
                buf.reserve(CHUNK + CHUNK / 8);
                if tx.send(Msg::Chunk(chunk)).await.is_err() {
                    return Ok(None);
                }
            }
        }
    }
    if !buf.is_empty() && tx.send(Msg::Chunk(buf.freeze())).await.is_err() {
        return Ok(None);
    }
    conn.query_drop("ROLLBACK TO SAVEPOINT dbkeeper_table")
        .await?;
    Ok(Some(rows))
}

fn table_error(target: &Target, job: &Job, e: &mysql_async::Error) -> Error {
    let (kind, hint) = match e {
        // ER_TABLE_DEF_CHANGED: the table was rebuilt after the snapshot began.
        mysql_async::Error::Server(s) if s.code == 1412 => {
            (ErrorKind::TempFail, Text::new(msg::TABLE_READ_CHANGED_HINT))
        }
        mysql_async::Error::Server(s) if matches!(s.code, 1142 | 1143 | 1044) => (
            ErrorKind::Config,
            Text::new(msg::QUERY_PRIVILEGE_HINT).arg("user", &target.user),
        ),
        mysql_async::Error::Server(_) => (ErrorKind::Failed, Text::new(msg::QUERY_HINT)),
        _ => (ErrorKind::Unavailable, Text::new(msg::QUERY_LOST_HINT)),
    };
    Error::new(
        kind,
        Text::new(msg::TABLE_READ)
            .arg("database", &job.database)
            .arg("table", &job.table)
            .arg("target", target),
    )
    .at(job.object.clone())
    .hint(hint)
    .detail(e)
}

/// Appends one row in LOAD DATA's default text format.
pub(crate) fn encode_row(row: &Row, buf: &mut BytesMut) {
    for i in 0..row.len() {
        if i > 0 {
            buf.extend_from_slice(b"\t");
        }
        match row.as_ref(i) {
            None | Some(Value::NULL) => buf.extend_from_slice(b"\\N"),
            Some(Value::Bytes(b)) => escape_into(b, buf),
            // The text protocol sends every value as bytes; these are for completeness.
            Some(Value::Int(v)) => buf.extend_from_slice(v.to_string().as_bytes()),
            Some(Value::UInt(v)) => buf.extend_from_slice(v.to_string().as_bytes()),
            Some(Value::Float(v)) => buf.extend_from_slice(v.to_string().as_bytes()),
            Some(Value::Double(v)) => buf.extend_from_slice(v.to_string().as_bytes()),
            Some(other) => {
                let text = other.as_sql(true);
                escape_into(text.trim_matches('\'').as_bytes(), buf);
            }
        }
    }
    buf.extend_from_slice(b"\n");
}

/// Escapes the bytes LOAD DATA treats specially; runs without them are copied as they are.
/// Most values have none, so the scan tests eight bytes at a time and looks at single bytes
/// only in a word that has one (it is the biggest share of the dump's own CPU time).
pub(crate) fn escape_into(v: &[u8], buf: &mut BytesMut) {
    let mut start = 0;
    let mut i = 0;
    while i < v.len() {
        if let Some(word) = v.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            if !has_special(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(v.len());
        for (j, &b) in v.iter().enumerate().take(end).skip(i) {
            if let Some(escaped) = escaped(b) {
                buf.extend_from_slice(&v[start..j]);
                buf.extend_from_slice(escaped);
                start = j + 1;
            }
        }
        i = end;
    }
    buf.extend_from_slice(&v[start..]);
}

fn escaped(b: u8) -> Option<&'static [u8]> {
    Some(match b {
        b'\\' => b"\\\\",
        b'\t' => b"\\t",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        0 => b"\\0",
        _ => return None,
    })
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// True if one of the eight bytes of `w` is one that must be escaped. (`x - ONES & !x & HIGHS`
/// is non-zero exactly when some byte of `x` is zero.)
fn has_special(w: u64) -> bool {
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let with = |b: u8| zero_in(w ^ (ONES * u64::from(b)));
    (with(0) | with(b'\t') | with(b'\n') | with(b'\r') | with(b'\\')) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(v: &[u8]) -> Vec<u8> {
        let mut b = BytesMut::new();
        escape_into(v, &mut b);
        b.to_vec()
    }

    #[test]
    fn escapes_what_load_data_reads_specially() {
        assert_eq!(esc(b"plain"), b"plain");
        assert_eq!(esc(b"a\tb\nc\\d\re\0f"), b"a\\tb\\nc\\\\d\\re\\0f");
        // Text that merely looks like NULL stays text.
        assert_eq!(esc(b"\\N"), b"\\\\N");
        assert_eq!(esc(&[0xff, 0x00, 0xfe]), vec![0xff, b'\\', b'0', 0xfe]);
        assert_eq!(esc("中文😀".as_bytes()), "中文😀".as_bytes());
        assert_eq!(esc(b""), b"");
        // Special bytes at every position of the eight-byte words, and none.
        for len in 0..20 {
            for pos in 0..len {
                for special in [0u8, b'\t', b'\n', b'\r', b'\\'] {
                    let mut v = vec![b'a'; len];
                    v[pos] = special;
                    let got = esc(&v);
                    let mut want = vec![b'a'; pos];
                    want.extend_from_slice(escaped(special).expect("special"));
                    want.extend(std::iter::repeat_n(b'a', len - pos - 1));
                    assert_eq!(got, want, "len {len} pos {pos} byte {special}");
                }
            }
            assert_eq!(esc(&vec![0x80u8; len]), vec![0x80u8; len]);
        }
    }
}
