//! Table data: `COPY … TO STDOUT` over several connections that all read the one exported
//! snapshot, each table streamed into its own object, its rows counted on the way.

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::{Bytes, BytesMut};
use dbkeeper_core::dump::ObjectSink;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use futures_util::{future::try_join_all, StreamExt};

use crate::connect::{cause_chain, query_error, with_driver};
use crate::dump::catalog::Table;
use crate::dump::sql::{column_list, qualified, quote_literal};
use crate::msg;
use crate::tools::CHUNK;
use crate::PgEngine;

/// Settings every dump session runs with, whatever the server, database or role set:
/// output that reads back exactly (all float digits, ISO dates, hex bytea), no timeouts that
/// would kill a long COPY or the idle snapshot holder, and row security off so that a policy
/// makes the dump fail instead of silently leaving rows out (pg_dump does the same).
pub(crate) const SESSION_SETUP: &str = "\
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET extra_float_digits = 3;
SET DateStyle = ISO;
SET IntervalStyle = postgres;
SET bytea_output = hex;
SET row_security = off;
SET client_min_messages = warning;
SELECT pg_catalog.set_config('search_path', '', false);";

/// What one table's copy produced.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Copied {
    pub(crate) rows: u64,
    pub(crate) bytes: u64,
}

/// One table to copy and the object it goes to.
pub(crate) struct Task<'a> {
    pub(crate) table: &'a Table,
    pub(crate) object: String,
}

/// Copies every task's table with `jobs` connections inside `snapshot`. The tasks are taken
/// in order (largest first), so the longest copies start early and the jobs finish together.
/// Results are in the order of `tasks`.
pub(crate) async fn copy_all(
    target: &Target,
    snapshot: &str,
    tasks: &[Task<'_>],
    jobs: usize,
    sink: &dyn ObjectSink,
) -> Result<Vec<Copied>> {
    let next = AtomicUsize::new(0);
    let jobs = jobs.clamp(1, tasks.len().max(1));
    let workers = (0..jobs).map(|_| worker(target, snapshot, tasks, &next, sink));
    let results = try_join_all(workers).await?;
    let mut out = vec![Copied::default(); tasks.len()];
    for (i, c) in results.into_iter().flatten() {
        if let Some(slot) = out.get_mut(i) {
            *slot = c;
        }
    }
    Ok(out)
}

/// Puts a new session inside the exported snapshot: same transaction isolation, read only.
async fn enter_snapshot(engine: &PgEngine, snapshot: &str) -> Result<()> {
    let target = engine.target();
    // Two round trips: a multi-statement query is one implicit transaction, and the snapshot
    // must be set before that transaction's first query (the setup's SELECT is one).
    let sql = format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSET TRANSACTION SNAPSHOT {};",
        quote_literal(snapshot)
    );
    for step in [SESSION_SETUP, sql.as_str()] {
        engine
            .client()
            .batch_execute(step)
            .await
            .map_err(|e| query_error(target, "the backup's snapshot", &e))?;
    }
    Ok(())
}

async fn worker(
    target: &Target,
    snapshot: &str,
    tasks: &[Task<'_>],
    next: &AtomicUsize,
    sink: &dyn ObjectSink,
) -> Result<Vec<(usize, Copied)>> {
    let mut done = Vec::new();
    // Connect only when there is work: a job count above the table count costs nothing.
    if next.load(Ordering::SeqCst) >= tasks.len() {
        return Ok(done);
    }
    let (engine, driver) = crate::connect::connect_driven(target).await?;
    with_driver(driver, async {
        enter_snapshot(&engine, snapshot).await?;
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(task) = tasks.get(i) else {
                break;
            };
            let copied = copy_table(&engine, task, sink).await?;
            done.push((i, copied));
        }
        // The transaction only read; ending it is a courtesy, the connection closes anyway.
        let _ = engine.client().batch_execute("COMMIT").await;
        Ok(done)
    })
    .await
}

/// The statement that reads one table: every stored column in order, or only the rows an
/// extension's configuration condition selects.
pub(crate) fn copy_out_sql(table: &Table) -> String {
    let name = qualified(&table.schema, &table.name);
    match &table.filter {
        Some(cond) => {
            let cols = if table.columns.is_empty() {
                "*".to_string()
            } else {
                table
                    .columns
                    .iter()
                    .map(|c| crate::quote_ident(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!("COPY (SELECT {cols} FROM {name} {cond}) TO STDOUT")
        }
        None => format!("COPY {name}{} TO STDOUT", column_list(&table.columns)),
    }
}

async fn copy_table(engine: &PgEngine, task: &Task<'_>, sink: &dyn ObjectSink) -> Result<Copied> {
    let target = engine.target();
    let table = task.table;
    let fail = |e: &tokio_postgres::Error| {
        let detail = match e.as_db_error() {
            Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
            None => cause_chain(e),
        };
        Error::new(
            ErrorKind::Failed,
            Text::new(msg::DUMP_TABLE)
                .arg("table", qualified(&table.schema, &table.name))
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(Text::new(msg::DUMP_TABLE_HINT))
        .detail(detail)
    };
    let sql = copy_out_sql(table);
    let stream = engine
        .client()
        .copy_out(sql.as_str())
        .await
        .map_err(|e| fail(&e))?;
    let mut stream = std::pin::pin!(stream);
    let mut object = sink.create(&task.object).await?;
    let mut copied = Copied::default();
    let mut buf = BytesMut::with_capacity(CHUNK);
    let mut last: u8 = b'\n';
    // The server sends one message per row; they are gathered into large chunks so that the
    // sink (hashing, compression, encryption, upload) sees few, big writes.
    while let Some(piece) = stream.next().await {
        let piece: Bytes = piece.map_err(|e| fail(&e))?;
        if piece.is_empty() {
            continue;
        }
        copied.rows += memchr::memchr_iter(b'\n', &piece).count() as u64;
        last = piece[piece.len() - 1];
        buf.extend_from_slice(&piece);
        if buf.len() >= CHUNK {
            copied.bytes += buf.len() as u64;
            object.write(buf.split().freeze()).await?;
            buf.reserve(CHUNK);
        }
    }
    if !buf.is_empty() {
        copied.bytes += buf.len() as u64;
        object.write(buf.split().freeze()).await?;
    }
    if last != b'\n' {
        // Text COPY ends every row with a newline; anything else means a cut stream.
        return Err(Error::new(
            ErrorKind::Failed,
            Text::new(msg::DUMP_TABLE)
                .arg("table", qualified(&table.schema, &table.name))
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(Text::new(msg::DUMP_TABLE_HINT))
        .detail("the COPY stream did not end with a complete row"));
    }
    object.finish().await?;
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(filter: Option<&str>, columns: &[&str]) -> Table {
        Table {
            oid: 1,
            schema: "监管".into(),
            name: "a\"b".into(),
            filter: filter.map(str::to_string),
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn copy_statements_quote_everything() {
        assert_eq!(
            copy_out_sql(&table(None, &["id", "Name"])),
            "COPY \"监管\".\"a\"\"b\" (\"id\", \"Name\") TO STDOUT"
        );
        assert_eq!(
            copy_out_sql(&table(None, &[])),
            "COPY \"监管\".\"a\"\"b\" TO STDOUT"
        );
        assert_eq!(
            copy_out_sql(&table(Some("WHERE NOT builtin"), &["id"])),
            "COPY (SELECT \"id\" FROM \"监管\".\"a\"\"b\" WHERE NOT builtin) TO STDOUT"
        );
    }
}
