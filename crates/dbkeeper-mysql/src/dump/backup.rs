//! The logical backup: the lock, the snapshot on every worker, the catalogue and the
//! position read under the lock; then the schema objects, the users, every table's rows in
//! parallel, and the table of contents last.

use bytes::Bytes;
use dbkeeper_core::dump::{DumpContents, LogicalRequest, ObjectSink, TableRows};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::Conn;

use crate::dump::catalog::{self, Database};
use crate::dump::rows::{self, Done, Job};
use crate::dump::schema::{self, SchemaObjects};
use crate::dump::snapshot::{self, DumpOptions, LockTimer, Point, Server, Session};
use crate::dump::toc::{
    ColumnToc, DatabaseToc, PartToc, SequenceToc, TableToc, Toc, FORMAT, VERSION,
};
use crate::dump::{globals, names, split, METHOD};
use crate::tools::{OptionFile, Program, Tool};
use crate::{connect, MysqlEngine};

/// One database on its way into the backup.
struct DbDump {
    db: Database,
    dir: String,
    schema: SchemaObjects,
    sequences: Vec<(String, String)>,
    /// Per table, the indexes of its jobs (one, or one per part).
    jobs: Vec<Vec<usize>>,
}

pub(crate) async fn backup_logical(
    engine: &MysqlEngine,
    req: &LogicalRequest,
    sink: &dyn ObjectSink,
    options: &DumpOptions,
) -> Result<DumpContents> {
    let target = engine.target();
    // The tool first: a machine without it fails before anything is locked.
    let dump_tool = Tool::find(Program::Dump).await?;
    let client_options = OptionFile::for_target(target, &dump_tool)?;

    let mut coordinator = connect::open(target).await?;
    let server = snapshot::server(target, &mut coordinator).await?;
    snapshot::prepare(target, &mut coordinator, &server, Session::Coordinator).await?;
    let names = catalog::choose(target, &mut coordinator, req).await?;
    let mut workers = open_workers(target, &server, req.jobs.max(1)).await?;

    let timer = LockTimer::start();
    let method = snapshot::lock(target, &mut coordinator, &server, options.lock).await?;
    let under_lock = read_under_lock(target, &mut coordinator, &server, &names, &mut workers).await;
    let unlocked = snapshot::unlock(&mut coordinator, method).await;
    let held = timer.held();
    let (point, databases) = under_lock?;
    unlocked.map_err(|e| crate::dump::query_error(target, "releasing the backup lock", &e))?;
    tracing::debug!(ms = held.as_millis(), lock = ?method, "backup lock released");

    // The schema, while the first worker still holds every table's metadata lock.
    let mut dbs = Vec::new();
    for (i, db) in databases.into_iter().enumerate() {
        let dir = names::database_dir(&db.name, i);
        let schema = schema::dump(target, &dump_tool, &client_options, &db, &dir, sink).await?;
        dbs.push(DbDump {
            db,
            dir,
            schema,
            sequences: Vec::new(),
            jobs: Vec::new(),
        });
    }
    if let Some(first) = workers.first_mut() {
        catalog::release_guard(target, first).await?;
        for d in dbs.iter_mut().filter(|d| !d.db.sequences.is_empty()) {
            d.sequences = catalog::sequence_values(target, first, &d.db).await?;
        }
    }
    let globals = if req.all_databases || req.globals {
        Some(
            globals::dump(target, &mut coordinator, &server, sink)
                .await?
                .0,
        )
    } else {
        None
    };

    // The rows.
    let jobs = plan_jobs(
        target,
        &mut coordinator,
        &server,
        &mut dbs,
        options.part_bytes,
    )
    .await?;
    close(coordinator).await;
    let (done, workers) = rows::dump(target, workers, jobs.clone(), sink).await?;
    for w in workers {
        close(w).await;
    }

    // The table of contents, written last, and what goes into the manifest.
    let mut contents = DumpContents {
        method: METHOD.into(),
        server_version: server.version.clone(),
        consistent_point: point.to_json(method, held, &server),
        ..DumpContents::default()
    };
    let mut toc = Toc {
        format: FORMAT.into(),
        version: VERSION,
        product: server.product.into(),
        server_version: server.version.clone(),
        globals,
        databases: Vec::new(),
    };
    for d in dbs {
        toc.databases
            .push(assemble(d, &jobs, &done, &mut contents)?);
    }
    write_toc(&toc, sink).await?;
    Ok(contents)
}

/// One job per table, or per part of a big table (see [`split`]).
async fn plan_jobs(
    target: &Target,
    coordinator: &mut Conn,
    server: &Server,
    dbs: &mut [DbDump],
    part_bytes: u64,
) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for d in dbs.iter_mut() {
        for (t, table) in d.db.tables.iter().enumerate() {
            if let Some(engine) = &table.engine {
                tracing::warn!(database = %d.db.name, table = %table.name, engine = %engine,
                    "not a transactional table: its rows are read without the snapshot's consistency");
            }
            let ranges = split::plan(target, coordinator, &d.db.name, table, part_bytes).await?;
            let whole = [None];
            let parts: Vec<Option<&String>> = if ranges.is_empty() {
                whole.to_vec()
            } else {
                ranges.iter().map(Some).collect()
            };
            let size = table.size / parts.len() as u64;
            let mut indexes = Vec::new();
            for (p, range) in parts.into_iter().enumerate() {
                let part = range.map(|_| p + 1);
                indexes.push(jobs.len());
                jobs.push(Job {
                    index: jobs.len(),
                    database: d.db.name.clone(),
                    table: table.name.clone(),
                    object: names::table_object(&d.dir, &table.name, t, part),
                    select: catalog::select_sql(
                        server,
                        &d.db.name,
                        table,
                        range.map(String::as_str),
                    ),
                    size,
                });
            }
            d.jobs.push(indexes);
        }
    }
    Ok(jobs)
}

/// The table of contents of one database, its tables' row counts and its object counts.
fn assemble(
    d: DbDump,
    jobs: &[Job],
    done: &[Done],
    contents: &mut DumpContents,
) -> Result<DatabaseToc> {
    let mut tables = Vec::new();
    for (table, indexes) in d.db.tables.iter().zip(&d.jobs) {
        let mut parts = Vec::new();
        for i in indexes {
            let rows = done
                .iter()
                .find(|x| x.index == *i)
                .map(|x| x.rows)
                .ok_or_else(|| internal("a table was not dumped"))?;
            let object = jobs
                .get(*i)
                .map(|j| j.object.clone())
                .ok_or_else(|| internal("job list out of step"))?;
            parts.push(PartToc { object, rows });
        }
        let rows = parts.iter().map(|p| p.rows).sum();
        contents.tables.push(TableRows {
            database: d.db.name.clone(),
            schema: d.db.name.clone(),
            table: table.name.clone(),
            rows,
            // The first part; the table of contents lists them all.
            object: parts.first().map(|p| p.object.clone()).unwrap_or_default(),
        });
        tables.push(TableToc {
            name: table.name.clone(),
            rows,
            parts,
            columns: table
                .columns
                .iter()
                .map(|c| ColumnToc {
                    name: c.name.clone(),
                    load: c.load,
                })
                .collect(),
            auto_increment: table.auto_increment,
        });
    }
    contents
        .object_counts
        .insert(d.db.name.clone(), d.db.counts.clone());
    Ok(DatabaseToc {
        name: d.db.name,
        charset: d.db.charset,
        collation: d.db.collation,
        comment: d.db.comment,
        tables_sql: d.schema.tables,
        routines_sql: d.schema.routines,
        views_sql: d.schema.views,
        triggers_sql: d.schema.triggers,
        events_sql: d.schema.events,
        tables,
        sequences: d
            .sequences
            .into_iter()
            .map(|(name, next_value)| SequenceToc { name, next_value })
            .collect(),
        object_counts: d.db.counts,
    })
}

fn internal(what: &str) -> Error {
    Error::new(ErrorKind::Internal, Text::verbatim(what.to_string()))
}

/// Opens and prepares the reader connections before the lock, so that the lock lasts only as
/// long as starting their transactions.
async fn open_workers(target: &Target, server: &Server, n: usize) -> Result<Vec<Conn>> {
    let opened = futures_util::future::try_join_all((0..n).map(|_| async {
        let mut conn = connect::open(target).await?;
        snapshot::prepare(target, &mut conn, server, Session::Reader).await?;
        Ok::<Conn, Error>(conn)
    }))
    .await?;
    Ok(opened)
}

/// The position and the catalogue, and the snapshot started on every worker; the first one
/// also takes the metadata locks that keep the tables as they are until their schema is
/// dumped.
async fn read_under_lock(
    target: &Target,
    coordinator: &mut Conn,
    server: &Server,
    names: &[String],
    workers: &mut [Conn],
) -> Result<(Point, Vec<Database>)> {
    let point = snapshot::point(target, coordinator, server).await?;
    let databases = catalog::read(target, coordinator, server, names).await?;
    futures_util::future::try_join_all(
        workers
            .iter_mut()
            .map(|w| snapshot::start_snapshot(target, w)),
    )
    .await?;
    if let Some(first) = workers.first_mut() {
        catalog::guard_tables(target, first, &databases).await?;
    }
    Ok((point, databases))
}

async fn write_toc(toc: &Toc, sink: &dyn ObjectSink) -> Result<()> {
    let text = serde_json::to_vec_pretty(toc)
        .map_err(|e| internal("cannot encode the table of contents").detail(e))?;
    let mut object = sink.create(names::TOC).await?;
    object.write(Bytes::from(text)).await?;
    object.finish().await
}

async fn close(conn: Conn) {
    // Ends the snapshot transaction with the session.
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %e, "disconnect after the backup failed");
    }
}
