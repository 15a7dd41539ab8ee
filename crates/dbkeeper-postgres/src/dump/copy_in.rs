//! Loading table data: `COPY … FROM STDIN` over several connections, each table streamed from
//! its backup object, its row count checked against the backup's as soon as it is loaded.

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::BytesMut;
use dbkeeper_core::dump::ObjectSource;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use futures_util::{future::try_join_all, SinkExt};
use tokio::io::AsyncReadExt;

use crate::connect::{cause_chain, query_error, with_driver};
use crate::dump::sql::{column_list, qualified};
use crate::msg;
use crate::tools::{read_error, CHUNK};
use crate::PgEngine;

/// Settings of every restore session: input read the way the dump wrote it, no timeouts.
pub(crate) const RESTORE_SETUP: &str = "\
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET DateStyle = ISO;
SET IntervalStyle = postgres;
SET client_min_messages = warning;
SELECT pg_catalog.set_config('search_path', '', false);";

/// One table to load.
pub(crate) struct LoadTask<'a> {
    pub(crate) database: &'a str,
    pub(crate) schema: &'a str,
    pub(crate) table: &'a str,
    pub(crate) columns: &'a [String],
    pub(crate) object: &'a str,
    /// The rows the backup recorded for it, inside its snapshot.
    pub(crate) expected: u64,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Loaded {
    pub(crate) rows: u64,
    pub(crate) bytes: u64,
}

/// Loads every task with `jobs` connections to `target` (the database being restored).
/// Results are in the order of `tasks`.
pub(crate) async fn load_all(
    target: &Target,
    tasks: &[LoadTask<'_>],
    jobs: usize,
    source: &dyn ObjectSource,
) -> Result<Vec<Loaded>> {
    let next = AtomicUsize::new(0);
    let jobs = jobs.clamp(1, tasks.len().max(1));
    let workers = (0..jobs).map(|_| worker(target, tasks, &next, source));
    let results = try_join_all(workers).await?;
    let mut out = vec![Loaded::default(); tasks.len()];
    for (i, l) in results.into_iter().flatten() {
        if let Some(slot) = out.get_mut(i) {
            *slot = l;
        }
    }
    Ok(out)
}

async fn worker(
    target: &Target,
    tasks: &[LoadTask<'_>],
    next: &AtomicUsize,
    source: &dyn ObjectSource,
) -> Result<Vec<(usize, Loaded)>> {
    let mut done = Vec::new();
    if next.load(Ordering::SeqCst) >= tasks.len() {
        return Ok(done);
    }
    let (engine, driver) = crate::connect::connect_driven(target).await?;
    with_driver(driver, async {
        engine
            .client()
            .batch_execute(RESTORE_SETUP)
            .await
            .map_err(|e| query_error(target, "session settings", &e))?;
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(task) = tasks.get(i) else {
                break;
            };
            done.push((i, load_table(&engine, task, source).await?));
        }
        Ok(done)
    })
    .await
}

async fn load_table(
    engine: &PgEngine,
    task: &LoadTask<'_>,
    source: &dyn ObjectSource,
) -> Result<Loaded> {
    let target = engine.target();
    let name = qualified(task.schema, task.table);
    let fail = |e: &tokio_postgres::Error| {
        let detail = match e.as_db_error() {
            Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
            None => cause_chain(e),
        };
        Error::new(
            ErrorKind::Failed,
            Text::new(msg::RESTORE_TABLE)
                .arg("table", &name)
                .arg("database", task.database)
                .arg("target", &target.name),
        )
        .at(task.object.to_string())
        .hint(Text::new(msg::RESTORE_TABLE_HINT))
        .detail(detail)
    };
    let mut reader = source.open(task.object).await?;
    // The table was created empty by this restore; emptying it again in the load's own
    // transaction lets COPY write the rows frozen, so the first reads after the restore (the
    // drill's checks, the first vacuum) do not rewrite every page to set hint bits.
    engine
        .client()
        .batch_execute(&format!("BEGIN; TRUNCATE ONLY {name}"))
        .await
        .map_err(|e| fail(&e))?;
    let sql = format!(
        "COPY {name}{} FROM STDIN WITH (FREEZE)",
        column_list(task.columns)
    );
    let sink = engine
        .client()
        .copy_in::<_, bytes::Bytes>(sql.as_str())
        .await
        .map_err(|e| fail(&e))?;
    let mut sink = std::pin::pin!(sink);
    let mut loaded = Loaded::default();
    let mut buf = BytesMut::with_capacity(CHUNK);
    loop {
        // On a read error the sink is dropped unfinished, which aborts the COPY: nothing of
        // a damaged object is kept.
        let n = reader
            .read_buf(&mut buf)
            .await
            .map_err(|e| read_error(task.object, &e))?;
        let eof = n == 0;
        if (eof && !buf.is_empty()) || buf.len() >= CHUNK {
            loaded.bytes += buf.len() as u64;
            sink.send(buf.split().freeze())
                .await
                .map_err(|e| fail(&e))?;
            buf.reserve(CHUNK);
        }
        if eof {
            break;
        }
    }
    loaded.rows = sink.as_mut().finish().await.map_err(|e| fail(&e))?;
    if loaded.rows != task.expected {
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::RESTORE_ROWS)
                .arg("table", &name)
                .arg("database", task.database)
                .arg("loaded", loaded.rows)
                .arg("expected", task.expected),
        )
        .at(task.object.to_string())
        .hint(Text::new(msg::RESTORE_ROWS_HINT)));
    }
    engine
        .client()
        .batch_execute("COMMIT")
        .await
        .map_err(|e| fail(&e))?;
    Ok(loaded)
}
