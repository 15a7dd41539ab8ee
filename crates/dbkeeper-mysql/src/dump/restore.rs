//! The logical restore: the table of contents first (hash-checked like every object), refuse a
//! destination that holds anything unless forced, then per database the tables, the rows of
//! all tables in parallel, the AUTO_INCREMENT counters and sequence values of the snapshot,
//! routines, views, triggers (after the rows, so they never fire on them), events; users and
//! grants last and only on request. Whether any of it goes to the binary log is decided first
//! (see [`crate::dump::binlog`]).

use std::collections::HashMap;

use dbkeeper_core::dump::{DumpContents, ObjectSource, RestoreReport, RestoreRequest, TableRows};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Diagnostic, Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};
use tokio::io::AsyncReadExt;

use crate::dump::binlog;
use crate::dump::load::{self, Job};
use crate::dump::names;
use crate::dump::query_error;
use crate::dump::toc::{DatabaseToc, Toc, FORMAT, VERSION};
use crate::tools::{object_read_error, object_to_stdin, Counter, OptionFile, Program, Tool};
use crate::value::number;
use crate::{connect, msg, quote_ident, quote_string, MysqlEngine};

/// The table of contents is small; anything this big is not one.
const TOC_LIMIT: u64 = 256 << 20;

/// One database of the backup and the name it is restored under.
struct Plan<'a> {
    db: &'a DatabaseToc,
    into: String,
}

pub(crate) async fn restore_logical(
    engine: &MysqlEngine,
    req: &RestoreRequest,
    contents: &DumpContents,
    source: &dyn ObjectSource,
) -> Result<RestoreReport> {
    let target = engine.target();
    let bytes_read = Counter::default();
    let toc = read_toc(source, &bytes_read).await?;
    let plans = plan(req, &toc)?;
    check_rows(contents, &toc)?;
    let client = Tool::find(Program::Client).await?;
    let options = OptionFile::for_target(target, &client)?;

    let mut conn = connect::open(target).await?;
    conn.query_drop(load::SESSION_SQL)
        .await
        .map_err(|e| query_error(target, "session settings", &e))?;
    let mariadb = {
        let v: Option<String> = conn
            .query_first("SELECT VERSION()")
            .await
            .map_err(|e| query_error(target, "VERSION()", &e))?;
        v.unwrap_or_default()
            .to_ascii_lowercase()
            .contains("mariadb")
    };

    // Every destination is checked before any is touched.
    for p in &plans {
        let held = holds(target, &mut conn, &p.into).await?;
        if held > 0 && !req.force {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::RESTORE_NOT_EMPTY)
                    .arg("database", &p.into)
                    .arg("target", target)
                    .arg("count", held),
            )
            .hint(Text::new(msg::RESTORE_NOT_EMPTY_HINT)));
        }
    }

    let binlog = binlog::decide(target, &mut conn, req.binlog).await?;
    let steps = Steps {
        target,
        client: &client,
        options: &options,
        source,
        bytes_read: &bytes_read,
        log_off: binlog.as_ref().is_some_and(|b| !b.written),
    };
    let result = run(&steps, &mut conn, req, &toc, &plans, mariadb).await;
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %e, "disconnect after the restore failed");
    }
    let tables = match result {
        Ok(t) => t,
        Err(mut e) => {
            // Say plainly what is left behind: nothing about it may look restored.
            for p in &plans {
                e.more.push(
                    Diagnostic::new(
                        Text::new(msg::RESTORE_INCOMPLETE)
                            .arg("database", &p.into)
                            .arg("target", target),
                    )
                    .hint(Text::new(msg::RESTORE_INCOMPLETE_HINT)),
                );
            }
            return Err(e);
        }
    };
    Ok(RestoreReport {
        databases: plans.iter().map(|p| p.into.clone()).collect(),
        tables,
        bytes_read: bytes_read.get(),
        binlog,
    })
}

struct Steps<'a> {
    target: &'a Target,
    client: &'a Tool,
    options: &'a OptionFile,
    source: &'a dyn ObjectSource,
    bytes_read: &'a Counter,
    /// Every session of the restore runs with `sql_log_bin = 0`.
    log_off: bool,
}

async fn run(
    s: &Steps<'_>,
    conn: &mut Conn,
    req: &RestoreRequest,
    toc: &Toc,
    plans: &[Plan<'_>],
    mariadb: bool,
) -> Result<Vec<TableRows>> {
    for p in plans {
        create_database(s.target, conn, p, req.force).await?;
        apply(s, Some(&p.into), &p.db.tables_sql).await?;
    }

    let mut jobs = Vec::new();
    // Per table, where its jobs end in `jobs` (they are pushed table by table).
    let mut ends = Vec::new();
    for p in plans {
        for t in &p.db.tables {
            for part in &t.parts {
                jobs.push(Job {
                    index: jobs.len(),
                    database: p.into.clone(),
                    table: t.clone(),
                    object: part.object.clone(),
                    expected: part.rows,
                });
            }
            ends.push(jobs.len());
        }
    }
    let loaded = load::load_all(
        s.target,
        mariadb,
        req.jobs,
        s.log_off,
        jobs.clone(),
        s.source,
        s.bytes_read,
    )
    .await?;
    let mut tables = Vec::new();
    let mut start = 0;
    let mut end = ends.iter();
    for p in plans {
        for t in &p.db.tables {
            let stop = end.next().copied().unwrap_or(start);
            let rows = loaded
                .get(start..stop)
                .unwrap_or_default()
                .iter()
                .map(|l| l.rows)
                .sum();
            start = stop;
            tables.push(TableRows {
                database: p.into.clone(),
                schema: p.into.clone(),
                table: t.name.clone(),
                rows,
                object: t
                    .parts
                    .first()
                    .map(|x| x.object.clone())
                    .unwrap_or_default(),
            });
        }
    }

    for p in plans {
        counters(s.target, conn, p).await?;
    }
    // Kind by kind across all databases, so that a view may use a function of another one.
    let kinds: [fn(&DatabaseToc) -> &Option<String>; 4] = [
        |d| &d.routines_sql,
        |d| &d.views_sql,
        |d| &d.triggers_sql,
        |d| &d.events_sql,
    ];
    for kind in kinds {
        for p in plans {
            if let Some(sql) = kind(p.db) {
                apply(s, Some(&p.into), sql).await?;
            }
        }
    }
    if req.globals {
        match &toc.globals {
            Some(g) => apply(s, None, g).await?,
            None => tracing::warn!("the backup holds no users or grants; none were restored"),
        }
    }
    Ok(tables)
}

async fn read_toc(source: &dyn ObjectSource, bytes_read: &Counter) -> Result<Toc> {
    let reader = source.open(names::TOC).await?;
    let mut text = Vec::new();
    reader
        .take(TOC_LIMIT)
        .read_to_end(&mut text)
        .await
        .map_err(|e| object_read_error(names::TOC, &e))?;
    bytes_read.add(text.len() as u64);
    let toc: Toc = serde_json::from_slice(&text).map_err(|e| {
        Error::new(
            ErrorKind::Data,
            Text::new(msg::TOC_INVALID).arg("object", names::TOC),
        )
        .hint(Text::new(msg::OBJECT_READ_HINT))
        .detail(e)
    })?;
    if toc.format != FORMAT || toc.version > VERSION {
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::TOC_VERSION)
                .arg("format", format!("{} {}", toc.format, toc.version))
                .arg("expected", format!("{FORMAT} {VERSION}")),
        )
        .hint(Text::new(msg::TOC_VERSION_HINT)));
    }
    Ok(toc)
}

/// Which databases go where.
fn plan<'a>(req: &RestoreRequest, toc: &'a Toc) -> Result<Vec<Plan<'a>>> {
    let chosen: Vec<&DatabaseToc> = match &req.database {
        Some(name) => vec![toc.database(name).ok_or_else(|| {
            let have: Vec<&str> = toc.databases.iter().map(|d| d.name.as_str()).collect();
            Error::new(
                ErrorKind::Usage,
                Text::new(msg::RESTORE_NO_DATABASE).arg("database", name),
            )
            .hint(Text::new(msg::RESTORE_NO_DATABASE_HINT).arg("list", have.join(", ")))
        })?],
        None => toc.databases.iter().collect(),
    };
    if let Some(into) = &req.into {
        if chosen.len() != 1 {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::RESTORE_INTO_MANY)
                    .arg("into", into)
                    .arg("count", chosen.len()),
            )
            .hint(Text::new(msg::RESTORE_INTO_MANY_HINT)));
        }
    }
    Ok(chosen
        .into_iter()
        .map(|db| Plan {
            into: req.into.clone().unwrap_or_else(|| db.name.clone()),
            db,
        })
        .collect())
}

/// The manifest's row counts must agree with the backup's own table of contents (whose parts
/// must add up), or one of the two is damaged or was tampered with; each part is then loaded
/// against its own count.
fn check_rows(contents: &DumpContents, toc: &Toc) -> Result<()> {
    let mut map = HashMap::new();
    for t in &contents.tables {
        map.insert((t.database.clone(), t.table.clone()), t.rows);
    }
    if map.is_empty() {
        return Ok(());
    }
    let in_toc: usize = toc.databases.iter().map(|d| d.tables.len()).sum();
    if in_toc != map.len() {
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::TOC_TABLES)
                .arg("manifest", map.len())
                .arg("toc", in_toc),
        )
        .hint(Text::new(msg::OBJECT_READ_HINT)));
    }
    for db in &toc.databases {
        for t in &db.tables {
            let key = (db.name.clone(), t.name.clone());
            let parts: u64 = t.parts.iter().map(|p| p.rows).sum();
            match map.get(&key) {
                Some(rows) if *rows == t.rows && parts == t.rows => {}
                found => {
                    return Err(Error::new(
                        ErrorKind::Data,
                        Text::new(msg::TOC_MISMATCH)
                            .arg("database", &db.name)
                            .arg("table", &t.name)
                            .arg(
                                "manifest",
                                found.map_or("none".to_string(), |r| r.to_string()),
                            )
                            .arg("toc", t.rows),
                    )
                    .hint(Text::new(msg::OBJECT_READ_HINT)));
                }
            }
        }
    }
    Ok(())
}

/// How many tables, views, routines and events `database` holds (0 if it does not exist).
async fn holds(target: &Target, conn: &mut Conn, database: &str) -> Result<u64> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?) + \
        (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) + \
        (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?)";
    let row: Option<Row> = conn
        .exec_first(sql, (database, database, database))
        .await
        .map_err(|e| query_error(target, "information_schema.TABLES", &e))?;
    Ok(row.as_ref().and_then(|r| number(r, 0)).unwrap_or(0))
}

async fn create_database(
    target: &Target,
    conn: &mut Conn,
    p: &Plan<'_>,
    force: bool,
) -> Result<()> {
    let db = quote_ident(&p.into);
    let mut options = format!(
        "CHARACTER SET {} COLLATE {}",
        quote_ident(&p.db.charset),
        quote_ident(&p.db.collation)
    );
    if let Some(c) = &p.db.comment {
        options.push_str(&format!(" COMMENT {}", quote_string(c)));
    }
    let mut sql = Vec::new();
    if force {
        sql.push(format!("DROP DATABASE IF EXISTS {db}"));
    }
    sql.push(format!("CREATE DATABASE IF NOT EXISTS {db} {options}"));
    // An empty database that already existed gets the backup's defaults, which routines and
    // tables without their own character set inherit.
    sql.push(format!("ALTER DATABASE {db} {options}"));
    for s in sql {
        conn.query_drop(&s)
            .await
            .map_err(|e| query_error(target, &s, &e))?;
    }
    Ok(())
}

/// Applies one SQL object through the `mariadb` client, which understands everything
/// mariadb-dump writes (DELIMITER, versioned comments). `--binary-mode` keeps `\r\n` and NUL
/// in routine bodies as they are; `--comments` keeps their comments.
async fn apply(s: &Steps<'_>, database: Option<&str>, object: &str) -> Result<()> {
    let mut cmd = s.client.command(Some(s.options));
    cmd.arg("--batch")
        .arg("--binary-mode")
        .arg("--comments")
        .arg("--default-character-set=utf8mb4");
    if s.log_off {
        cmd.arg(format!("--init-command={}", binlog::OFF_SQL));
    }
    if let Some(db) = database {
        cmd.arg(format!("--database={db}"));
    }
    let reader = s.source.open(object).await?;
    let at = match database {
        Some(db) => format!("{}/{db}", s.target),
        None => s.target.to_string(),
    };
    let n = object_to_stdin(s.client, cmd, reader, object, &at).await?;
    s.bytes_read.add(n);
    Ok(())
}

/// The AUTO_INCREMENT counters and sequence values of the snapshot: loading rows only raises
/// a counter to the largest id + 1, and the schema dump ran after the snapshot.
async fn counters(target: &Target, conn: &mut Conn, p: &Plan<'_>) -> Result<()> {
    let db = quote_ident(&p.into);
    for t in &p.db.tables {
        if let Some(next) = t.auto_increment {
            let sql = format!(
                "ALTER TABLE {db}.{} AUTO_INCREMENT = {next}",
                quote_ident(&t.name)
            );
            conn.query_drop(&sql)
                .await
                .map_err(|e| query_error(target, &sql, &e))?;
        }
    }
    for seq in &p.db.sequences {
        // The value is the server's own number text; anything else is refused, not spliced.
        if seq.next_value.is_empty()
            || !seq
                .next_value
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return Err(Error::new(
                ErrorKind::Data,
                Text::new(msg::TOC_INVALID).arg("object", names::TOC),
            )
            .detail(format!(
                "sequence {} has the value {:?}",
                seq.name, seq.next_value
            )));
        }
        let sql = format!(
            "ALTER SEQUENCE {db}.{} RESTART WITH {}",
            quote_ident(&seq.name),
            seq.next_value
        );
        conn.query_drop(&sql)
            .await
            .map_err(|e| query_error(target, &sql, &e))?;
    }
    Ok(())
}
