//! Large objects: their bytes in one framed stream (`large-objects.lo`). Their existence,
//! owners, privileges and comments are in pg_dump's pre-data script (`lo_create`, `ALTER
//! LARGE OBJECT`); this stream carries only the contents, which pg_dump would put in its data
//! section.
//!
//! The format is binary-safe and self-delimiting, so that a truncated object is recognised
//! even without the manifest's hash:
//!
//! ```text
//! DBKEEPER-LO 1\n
//! L <oid>\n   C <len>\n <len bytes>   C <len>\n <len bytes> …   E\n      (per large object)
//! END <count>\n
//! ```

use bytes::{BufMut, BytesMut};
use dbkeeper_core::dump::{ObjectSink, ObjectWrite};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::{AsyncBufRead, AsyncReadExt};
use tokio_postgres::Client;

use crate::connect::query_error;
use crate::msg;
use crate::tools::CHUNK;

const MAGIC: &str = "DBKEEPER-LO 1";

/// Bytes read per `lo_get` call; also the largest frame a reader accepts.
const PIECE: i32 = 256 * 1024;

/// Large objects whose first piece is read in one round trip.
const BATCH: usize = 16;

/// Writes the contents of `oids` (read inside the caller's snapshot) into object `name`.
/// Returns the bytes written.
pub(crate) async fn dump(
    client: &Client,
    target: &Target,
    oids: &[u32],
    sink: &dyn ObjectSink,
    name: &str,
) -> Result<u64> {
    let what = "large objects";
    let mut object = sink.create(name).await?;
    let mut buf = BytesMut::with_capacity(CHUNK);
    let mut total = 0u64;
    buf.put_slice(format!("{MAGIC}\n").as_bytes());
    for batch in oids.chunks(BATCH) {
        let rows = client
            .query(
                "SELECT pg_catalog.lo_get(u.o, 0, $2) FROM unnest($1::pg_catalog.oid[]) \
                 WITH ORDINALITY AS u(o, i) ORDER BY u.i",
                &[&batch, &PIECE],
            )
            .await
            .map_err(|e| query_error(target, what, &e))?;
        for (oid, row) in batch.iter().zip(rows.iter()) {
            let first: Vec<u8> = row.try_get(0).map_err(|e| query_error(target, what, &e))?;
            buf.put_slice(format!("L {oid}\n").as_bytes());
            let mut offset = i64::try_from(first.len()).unwrap_or(i64::MAX);
            let mut more = first.len() == PIECE as usize;
            frame(&mut buf, &first);
            while more {
                flush(&mut object, &mut buf, &mut total, false).await?;
                let piece: Vec<u8> = client
                    .query_one(
                        "SELECT pg_catalog.lo_get($1, $2, $3)",
                        &[oid, &offset, &PIECE],
                    )
                    .await
                    .map_err(|e| query_error(target, what, &e))?
                    .try_get(0)
                    .map_err(|e| query_error(target, what, &e))?;
                more = piece.len() == PIECE as usize;
                offset += i64::try_from(piece.len()).unwrap_or(i64::MAX);
                frame(&mut buf, &piece);
            }
            buf.put_slice(b"E\n");
            flush(&mut object, &mut buf, &mut total, false).await?;
        }
    }
    buf.put_slice(format!("END {}\n", oids.len()).as_bytes());
    flush(&mut object, &mut buf, &mut total, true).await?;
    object.finish().await?;
    Ok(total)
}

fn frame(buf: &mut BytesMut, data: &[u8]) {
    if data.is_empty() {
        return;
    }
    buf.put_slice(format!("C {}\n", data.len()).as_bytes());
    buf.put_slice(data);
}

async fn flush(
    object: &mut Box<dyn ObjectWrite>,
    buf: &mut BytesMut,
    total: &mut u64,
    force: bool,
) -> Result<()> {
    if buf.len() >= CHUNK || (force && !buf.is_empty()) {
        *total += buf.len() as u64;
        object.write(buf.split().freeze()).await?;
        buf.reserve(CHUNK);
    }
    Ok(())
}

/// Reads the stream and writes every large object's contents into the database `client` is
/// connected to, in one transaction. Returns how many large objects were restored.
pub(crate) async fn restore(
    client: &Client,
    target: &Target,
    reader: &mut (dyn AsyncBufRead + Send + Unpin),
    name: &str,
) -> Result<u64> {
    let what = "large objects";
    let mut pos = Position { name, offset: 0 };
    let magic = header_line(reader, &mut pos).await?;
    if magic != MAGIC {
        return Err(pos.corrupt("unknown header"));
    }
    client
        .batch_execute("BEGIN")
        .await
        .map_err(|e| query_error(target, what, &e))?;
    let mut count = 0u64;
    let mut data = vec![0u8; PIECE as usize];
    loop {
        let line = header_line(reader, &mut pos).await?;
        if let Some(n) = line.strip_prefix("END ") {
            if n.parse::<u64>().ok() != Some(count) {
                return Err(pos.corrupt("the count at the end does not match"));
            }
            break;
        }
        let oid: u32 = line
            .strip_prefix("L ")
            .and_then(|o| o.parse().ok())
            .ok_or_else(|| pos.corrupt("expected a large object header"))?;
        // pg_dump's pre-data script created it with its owner and privileges; create it here
        // only if that script did not (an older backup, a hand-edited one).
        client
            .execute(
                "SELECT pg_catalog.lo_create($1) WHERE NOT EXISTS \
                 (SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = $1)",
                &[&oid],
            )
            .await
            .map_err(|e| query_error(target, what, &e))?;
        let mut offset = 0i64;
        loop {
            let line = header_line(reader, &mut pos).await?;
            if line == "E" {
                break;
            }
            let len: usize = line
                .strip_prefix("C ")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 0 && *n <= PIECE as usize)
                .ok_or_else(|| pos.corrupt("expected a chunk header"))?;
            let piece = &mut data[..len];
            reader
                .read_exact(piece)
                .await
                .map_err(|e| eof_or_read(&pos, &e))?;
            pos.offset += len as u64;
            client
                .execute(
                    "SELECT pg_catalog.lo_put($1, $2, $3)",
                    &[&oid, &offset, &&piece[..]],
                )
                .await
                .map_err(|e| query_error(target, what, &e))?;
            offset += len as i64;
        }
        count += 1;
    }
    // Nothing may follow the end marker.
    let mut rest = [0u8; 1];
    match reader.read(&mut rest).await {
        Ok(0) => {}
        Ok(_) => return Err(pos.corrupt("data after the end marker")),
        Err(e) => return Err(crate::tools::read_error(name, &e)),
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(|e| query_error(target, what, &e))?;
    Ok(count)
}

struct Position<'a> {
    name: &'a str,
    offset: u64,
}

impl Position<'_> {
    fn corrupt(&self, why: &str) -> Error {
        Error::new(
            ErrorKind::Data,
            Text::new(msg::LO_CORRUPT)
                .arg("object", self.name)
                .arg("offset", self.offset),
        )
        .at(self.name.to_string())
        .hint(Text::new(msg::OBJECT_READ_HINT))
        .detail(why)
    }
}

fn eof_or_read(pos: &Position<'_>, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        pos.corrupt("the stream ends inside a large object")
    } else {
        crate::tools::read_error(pos.name, e)
    }
}

/// One header line, at most 64 bytes (a longer one is corruption, not a reason to buffer).
async fn header_line(
    reader: &mut (dyn AsyncBufRead + Send + Unpin),
    pos: &mut Position<'_>,
) -> Result<String> {
    let mut line = Vec::with_capacity(32);
    loop {
        let mut b = [0u8; 1];
        let n = reader
            .read(&mut b)
            .await
            .map_err(|e| crate::tools::read_error(pos.name, &e))?;
        if n == 0 {
            return Err(pos.corrupt("the stream ends early"));
        }
        pos.offset += 1;
        if b[0] == b'\n' {
            break;
        }
        line.push(b[0]);
        if line.len() > 64 {
            return Err(pos.corrupt("a header line is too long"));
        }
    }
    String::from_utf8(line).map_err(|_| pos.corrupt("a header line is not text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn header_lines_are_bounded() {
        let data = format!("{}\nshort\n", "x".repeat(100));
        let mut r = tokio::io::BufReader::new(data.as_bytes());
        let mut pos = Position {
            name: "t",
            offset: 0,
        };
        let e = header_line(&mut r, &mut pos).await.expect_err("too long");
        assert_eq!(e.kind, ErrorKind::Data);
        let mut r = tokio::io::BufReader::new(&b"ok\n"[..]);
        assert_eq!(header_line(&mut r, &mut pos).await.expect("line"), "ok");
        let mut r = tokio::io::BufReader::new(&b"cut"[..]);
        assert!(header_line(&mut r, &mut pos).await.is_err());
    }
}
