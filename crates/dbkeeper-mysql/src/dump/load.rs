//! Loading table data: `LOAD DATA LOCAL INFILE` fed straight from the backup object through
//! mysql_async's local-infile handler (no temporary file), tables in parallel over `jobs`
//! connections, each table in one transaction.
//!
//! A table is either loaded completely or not at all: a failed read of its object (damaged,
//! truncated, hash mismatch) ends the data stream, the server finishes the statement with the
//! rows it got, and we roll that back and fail. Any warning from the load means the server
//! changed a value on the way in (truncated it, replaced it, skipped a duplicate row): the
//! restore would not be exact, so it fails too.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use dbkeeper_core::dump::ObjectSource;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use futures_util::stream::{self, StreamExt};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::dump::toc::{Load, TableToc};
use crate::tools::{object_read_error, AbortOnDrop, Counter, CHUNK};
use crate::value::text;
use crate::{connect, msg, quote_ident};

/// One object of table data to load (a whole table, or one part of a big one).
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub(crate) index: usize,
    /// The database to load into (the restore's name for it).
    pub(crate) database: String,
    pub(crate) table: TableToc,
    pub(crate) object: String,
    /// The rows the backup says the object holds; a different count is rolled back.
    pub(crate) expected: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Loaded {
    pub(crate) index: usize,
    pub(crate) rows: u64,
}

/// Session settings for loading: no foreign-key checks (tables load in any order, and the rows
/// were valid in the source), the values' own time zone (UTC, as dumped), and a SQL mode that
/// accepts every value a server can hold (zero dates, invalid dates kept by
/// ALLOW_INVALID_DATES, explicit zero AUTO_INCREMENT ids).
///
/// `unique_checks` stays on: with both checks off, MariaDB 10.6+ switches a load into an empty
/// table to its bulk mode (indexes sorted and built at commit), which measured 1.5–2× slower
/// than a plain load for tables of a few million rows in primary key order on 10.11.
pub(crate) const SESSION_SQL: &str =
    "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,ALLOW_INVALID_DATES', \
     time_zone = '+00:00', foreign_key_checks = 0, \
     net_write_timeout = 3600, net_read_timeout = 3600, wait_timeout = 86400;\n\
     SET NAMES utf8mb4";

/// MariaDB's CHECK constraints (every JSON column has one) were checked in the source.
const MARIADB_SESSION_SQL: &str = "SET SESSION check_constraint_checks = 0";

/// What one row costs to load, in bytes of data that take as long: InnoDB's work per row
/// (measured on MariaDB 10.11: 500,000 narrow rows of 7 MB load in the time of 60,000 rows of
/// 62 MB). Parts are ordered by `bytes + rows × this`.
const ROW_COST_BYTES: u64 = 120;

/// Loads every job over `jobs` new connections (with `sql_log_bin = 0` when `log_off`);
/// the longest first, so that the connections finish together.
pub(crate) async fn load_all(
    target: &Target,
    mariadb: bool,
    jobs: usize,
    log_off: bool,
    mut work: Vec<Job>,
    source: &dyn ObjectSource,
    bytes_read: &Counter,
) -> Result<Vec<Loaded>> {
    work.sort_by_cached_key(|j| {
        let bytes = source.plain_size(&j.object).unwrap_or(0);
        let cost = bytes.saturating_add(j.expected.saturating_mul(ROW_COST_BYTES));
        (std::cmp::Reverse(cost), j.index)
    });
    let workers = jobs.max(1).min(work.len().max(1));
    let queue = Arc::new(Mutex::new(VecDeque::from(work)));
    let mut loops = Vec::new();
    for _ in 0..workers {
        loops.push(worker(
            target,
            mariadb,
            log_off,
            Arc::clone(&queue),
            source,
            bytes_read,
        ));
    }
    let results = futures_util::future::try_join_all(loops).await?;
    let mut loaded: Vec<Loaded> = results.into_iter().flatten().collect();
    loaded.sort_by_key(|l| l.index);
    Ok(loaded)
}

async fn worker(
    target: &Target,
    mariadb: bool,
    log_off: bool,
    queue: Arc<Mutex<VecDeque<Job>>>,
    source: &dyn ObjectSource,
    bytes_read: &Counter,
) -> Result<Vec<Loaded>> {
    let mut conn = connect::open(target).await?;
    let mut setup = SESSION_SQL.to_string();
    if mariadb {
        setup.push_str(";\n");
        setup.push_str(MARIADB_SESSION_SQL);
    }
    if log_off {
        setup.push_str(";\n");
        setup.push_str(crate::dump::binlog::OFF_SQL);
    }
    conn.query_drop(setup)
        .await
        .map_err(|e| crate::dump::query_error(target, "session settings", &e))?;
    let mut done = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(mut q) => q.pop_front(),
            Err(_) => None,
        };
        let Some(job) = job else { break };
        let reader = source.open(&job.object).await?;
        // All workers are futures of the caller's one task; each load runs on a task of its
        // own so that the reading (and the store's hashing and decryption inside the stream)
        // of several objects goes on in parallel on the runtime's threads.
        let mut task = AbortOnDrop(tokio::spawn(load_one(
            target.clone(),
            conn,
            job.clone(),
            reader,
            bytes_read.clone(),
        )));
        let (c, result) = (&mut task.0).await.map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                Text::verbatim("a table loader task ended abnormally"),
            )
            .detail(e)
        })?;
        conn = c;
        done.push(Loaded {
            index: job.index,
            rows: result?,
        });
    }
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %e, "disconnect after loading failed");
    }
    Ok(done)
}

/// The LOAD DATA statement for one table.
pub(crate) fn load_sql(database: &str, table: &TableToc) -> String {
    let mut cols = Vec::with_capacity(table.columns.len());
    let mut sets = Vec::new();
    for (i, c) in table.columns.iter().enumerate() {
        let q = quote_ident(&c.name);
        match c.load {
            Load::Plain => cols.push(q),
            Load::Bit => {
                cols.push(format!("@c{i}"));
                sets.push(format!("{q} = CAST(@c{i} AS UNSIGNED)"));
            }
            Load::Json => {
                cols.push(format!("@c{i}"));
                sets.push(format!("{q} = CONVERT(@c{i} USING utf8mb4)"));
            }
        }
    }
    let mut sql = format!(
        "LOAD DATA LOCAL INFILE 'dbkeeper' INTO TABLE {}.{} CHARACTER SET binary \
         FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' \
         LINES STARTING BY '' TERMINATED BY '\\n' ({})",
        quote_ident(database),
        quote_ident(&table.name),
        cols.join(", ")
    );
    if !sets.is_empty() {
        sql.push_str(" SET ");
        sql.push_str(&sets.join(", "));
    }
    sql
}

/// Why a stream ended early, kept by the stream for the loader to report.
type ReadFailure = Arc<Mutex<Option<std::io::Error>>>;

async fn load_one(
    target: Target,
    mut conn: Conn,
    job: Job,
    reader: Box<dyn AsyncRead + Send + Unpin>,
    bytes_read: Counter,
) -> (Conn, Result<u64>) {
    let started = std::time::Instant::now();
    let failure: ReadFailure = Arc::default();
    let data = infile_stream(reader, bytes_read, Arc::clone(&failure));
    // The handler future must be Sync; the stream is not, so it travels in a mutex.
    let slot = std::sync::Mutex::new(Some(data));
    conn.set_infile_handler(async move {
        let data = slot.lock().ok().and_then(|mut s| s.take());
        Ok(data.unwrap_or_else(|| stream::empty().boxed()))
    });
    let result = run_load(&mut conn, &job).await;
    let read_error = failure.lock().ok().and_then(|mut f| f.take());
    let result = match (result, read_error) {
        (_, Some(e)) => Err(object_read_error(&job.object, &e)),
        (Ok(Outcome::Loaded(rows)), None) => Ok(rows),
        (Ok(Outcome::Mismatch(rows)), None) => Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::ROWS_MISMATCH)
                .arg("database", &job.database)
                .arg("table", &job.table.name)
                .arg("loaded", rows)
                .arg("expected", job.expected),
        )
        .at(job.object.clone())
        .hint(Text::new(msg::OBJECT_READ_HINT))),
        (Ok(Outcome::Warnings(count, first)), None) => Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::LOAD_WARNINGS)
                .arg("database", &job.database)
                .arg("table", &job.table.name)
                .arg("count", count),
        )
        .at(job.object.clone())
        .hint(Text::new(msg::LOAD_WARNINGS_HINT))
        .detail(first)),
        (Err(e), None) => Err(load_error(&target, &job, &e)),
    };
    tracing::debug!(
        object = %job.object,
        rows = ?result.as_ref().ok(),
        seconds = started.elapsed().as_secs_f64(),
        "loaded"
    );
    if result.is_err() {
        // Nothing of a failed table stays behind.
        if let Err(e) = conn.query_drop("ROLLBACK").await {
            tracing::debug!(error = %e, "rollback after a failed load failed");
        }
    }
    (conn, result)
}

enum Outcome {
    Loaded(u64),
    /// The load worked but brought a different number of rows than the manifest says.
    Mismatch(u64),
    /// The number of warnings and the first few of them.
    Warnings(u16, String),
}

async fn run_load(conn: &mut Conn, job: &Job) -> mysql_async::Result<Outcome> {
    conn.query_drop("START TRANSACTION").await?;
    conn.query_drop(load_sql(&job.database, &job.table)).await?;
    let rows = conn.affected_rows();
    let warnings = conn.get_warnings();
    if warnings > 0 {
        let shown: Vec<Row> = conn.query("SHOW WARNINGS LIMIT 5").await?;
        let text = shown
            .iter()
            .map(|r| {
                format!(
                    "{} {}: {}",
                    text(r, 0).unwrap_or_default(),
                    text(r, 1).unwrap_or_default(),
                    text(r, 2).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        return Ok(Outcome::Warnings(warnings, text));
    }
    if rows != job.expected {
        return Ok(Outcome::Mismatch(rows));
    }
    conn.query_drop("COMMIT").await?;
    Ok(Outcome::Loaded(rows))
}

/// The object as a stream of ~1 MiB chunks. A read error ends the stream with that error (the
/// driver then ends the load) and is kept in `failure` for the report.
fn infile_stream(
    reader: Box<dyn AsyncRead + Send + Unpin>,
    counter: Counter,
    failure: ReadFailure,
) -> mysql_async::InfileData {
    stream::unfold(Some(reader), move |state| {
        let counter = counter.clone();
        let failure = Arc::clone(&failure);
        async move {
            let mut reader = state?;
            let mut buf = BytesMut::with_capacity(CHUNK);
            while buf.len() < CHUNK {
                match reader.read_buf(&mut buf).await {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        let shown = std::io::Error::new(e.kind(), e.to_string());
                        if let Ok(mut f) = failure.lock() {
                            *f = Some(e);
                        }
                        return Some((Err(shown), None));
                    }
                }
            }
            if buf.is_empty() {
                return None;
            }
            counter.add(buf.len() as u64);
            let more = buf.len() >= CHUNK;
            let chunk: Bytes = buf.freeze();
            Some((Ok(chunk), more.then_some(reader)))
        }
    })
    .boxed()
}

fn load_error(target: &Target, job: &Job, e: &mysql_async::Error) -> Error {
    let hint = match e {
        // ER_NOT_ALLOWED_COMMAND (MariaDB, MySQL 5.7), ER_CLIENT_LOCAL_FILES_DISABLED (MySQL 8).
        mysql_async::Error::Server(s) if matches!(s.code, 1148 | 3948) => {
            Text::new(msg::LOAD_LOCAL_INFILE_HINT)
        }
        mysql_async::Error::Server(s) if matches!(s.code, 1142 | 1143 | 1044) => {
            Text::new(msg::QUERY_PRIVILEGE_HINT).arg("user", &target.user)
        }
        _ => Text::new(msg::LOAD_FAILED_HINT),
    };
    let kind = match e {
        mysql_async::Error::Server(s) if matches!(s.code, 1148 | 3948 | 1142 | 1143 | 1044) => {
            ErrorKind::Config
        }
        mysql_async::Error::Server(_) => ErrorKind::Failed,
        _ => ErrorKind::Unavailable,
    };
    Error::new(
        kind,
        Text::new(msg::LOAD_FAILED)
            .arg("database", &job.database)
            .arg("table", &job.table.name)
            .arg("target", target),
    )
    .at(job.object.clone())
    .hint(hint)
    .detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::toc::ColumnToc;

    #[test]
    fn load_statement_names_every_column() {
        let t = TableToc {
            name: "t`1".into(),
            rows: 0,
            parts: vec![],
            columns: vec![
                ColumnToc {
                    name: "id".into(),
                    load: Load::Plain,
                },
                ColumnToc {
                    name: "flags".into(),
                    load: Load::Bit,
                },
                ColumnToc {
                    name: "doc".into(),
                    load: Load::Json,
                },
            ],
            auto_increment: None,
        };
        let sql = load_sql("医院", &t);
        assert!(
            sql.starts_with(
                "LOAD DATA LOCAL INFILE 'dbkeeper' INTO TABLE `医院`.`t``1` CHARACTER SET binary"
            ),
            "{sql}"
        );
        assert!(sql.ends_with("(`id`, @c1, @c2) SET `flags` = CAST(@c1 AS UNSIGNED), `doc` = CONVERT(@c2 USING utf8mb4)"), "{sql}");
        assert!(
            sql.contains("FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\'"),
            "{sql}"
        );
    }
}
