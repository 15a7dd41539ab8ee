//! The logical backup of one or more databases: per database one exported snapshot that the
//! schema dump, every table's COPY, the large objects and the catalog counts all read, so that
//! they agree with each other exactly.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use dbkeeper_core::dump::{DumpContents, LogicalRequest, ObjectSink, TableRows};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use serde_json::json;

use crate::connect::query_error;
use crate::dump::catalog;
use crate::dump::copy_out::{self, Task, SESSION_SETUP};
use crate::dump::names;
use crate::dump::toc::{DatabaseToc, ScriptFormat, TableToc, Toc, FORMAT, VERSION};
use crate::dump::{lo, METHOD};
use crate::msg;
use crate::tools::{self, ChildFailure};
use crate::PgEngine;

/// What the server is and what the dumping user may do.
struct Server {
    version: String,
    version_num: i32,
    superuser: bool,
    track_commit_timestamp: bool,
}

const SERVER_SQL: &str = "\
SELECT pg_catalog.current_setting('server_version'),
       pg_catalog.current_setting('server_version_num')::int,
       coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false),
       pg_catalog.current_setting('track_commit_timestamp')::bool";

/// The snapshot and where it stands: exported first, so that every later read shares it.
const POINT_SQL: &str = "\
SELECT pg_catalog.pg_export_snapshot(),
       (CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn()
             ELSE pg_catalog.pg_current_wal_lsn() END)::text,
       pg_catalog.txid_current_snapshot()::text,
       pg_catalog.pg_is_in_recovery(),
       now(),
       (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())";

/// Tables locked per statement (pg_dump locks every table it dumps, so that a concurrent
/// TRUNCATE or DROP, which are not MVCC-safe, waits for the backup instead of emptying it).
const LOCK_BATCH: usize = 500;

pub(crate) async fn backup_logical(
    engine: &PgEngine,
    req: &LogicalRequest,
    sink: &dyn ObjectSink,
) -> Result<DumpContents> {
    let target = engine.target();
    let server = server(engine).await?;
    let major = u32::try_from(server.version_num / 10000).unwrap_or(0);
    let databases = databases(engine, req).await?;
    let pg_dump = tools::find("pg_dump", major).await?;

    let mut toc = Toc {
        format: FORMAT.into(),
        version: VERSION,
        server_version: crate::facts::version_token(&server.version),
        server_version_num: server.version_num,
        globals: None,
        globals_without_passwords: false,
        databases: Vec::new(),
    };
    if req.all_databases || req.globals {
        let pg_dumpall = tools::find("pg_dumpall", major).await?;
        let first = databases.first().map(String::as_str);
        dump_globals(target, &pg_dumpall, first, !server.superuser, sink).await?;
        toc.globals = Some(names::GLOBALS.into());
        toc.globals_without_passwords = !server.superuser;
    }

    let mut contents = DumpContents {
        method: METHOD.into(),
        server_version: toc.server_version.clone(),
        ..DumpContents::default()
    };
    let mut newest: Option<DateTime<Utc>> = None;
    let mut points = Vec::new();
    for db in &databases {
        let dumped = dump_database(target, db, &server, &pg_dump, req.jobs, sink).await?;
        newest = newest.max(dumped.newest_commit);
        points.push(dumped.toc.consistent_point.clone());
        contents
            .object_counts
            .insert(db.clone(), dumped.object_counts);
        let mut tables: Vec<TableRows> = dumped
            .toc
            .tables
            .iter()
            .map(|t| TableRows {
                database: db.clone(),
                schema: t.schema.clone(),
                table: t.table.clone(),
                rows: t.rows,
                object: t.object.clone(),
            })
            .collect();
        tables.sort_by(|a, b| (&a.schema, &a.table).cmp(&(&b.schema, &b.table)));
        contents.tables.extend(tables);
        toc.databases.push(dumped.toc);
    }

    // The table of contents is the engine's last object: a backup without it is incomplete.
    let text = serde_json::to_vec_pretty(&toc).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("cannot encode toc.json"),
        )
        .detail(e)
    })?;
    let mut object = sink.create(names::TOC).await?;
    object.write(text.into()).await?;
    object.finish().await?;

    contents.consistent_point = json!({
        "kind": "snapshot",
        "globals": toc.globals.is_some(),
        "databases": points,
    });
    contents.newest_commit = newest.map(|t| t.to_rfc3339());
    Ok(contents)
}

async fn server(engine: &PgEngine) -> Result<Server> {
    let target = engine.target();
    let err = |e: tokio_postgres::Error| query_error(target, "server facts", &e);
    let r = engine
        .client()
        .query_one(SERVER_SQL, &[])
        .await
        .map_err(err)?;
    Ok(Server {
        version: r.try_get(0).map_err(err)?,
        version_num: r.try_get(1).map_err(err)?,
        superuser: r.try_get(2).map_err(err)?,
        track_commit_timestamp: r.try_get(3).map_err(err)?,
    })
}

/// The databases to dump: the request's, every connectable one, or the target's own.
async fn databases(engine: &PgEngine, req: &LogicalRequest) -> Result<Vec<String>> {
    let target = engine.target();
    let what = "the list of databases";
    // Every database that takes connections: one the user may not connect to is an error
    // later, not a database silently left out of "all".
    let all: Vec<String> = engine
        .client()
        .query(
            "SELECT datname::text FROM pg_catalog.pg_database \
             WHERE datallowconn AND NOT datistemplate ORDER BY datname",
            &[],
        )
        .await
        .map_err(|e| query_error(target, what, &e))?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| query_error(target, what, &e))?;
    if req.all_databases {
        return Ok(all);
    }
    let wanted: Vec<String> = if req.databases.is_empty() {
        vec![target
            .database
            .clone()
            .unwrap_or_else(|| "postgres".to_string())]
    } else {
        let mut w = Vec::new();
        for d in &req.databases {
            if !w.contains(d) {
                w.push(d.clone());
            }
        }
        w
    };
    for d in &wanted {
        if !all.contains(d) {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::DUMP_DATABASE_MISSING)
                    .arg("database", d)
                    .arg("target", &target.name),
            )
            .at(&target.name)
            .hint(Text::new(msg::DUMP_DATABASE_MISSING_HINT).arg("found", all.join(", "))));
        }
    }
    Ok(wanted)
}

/// A client program failed while dumping `object`.
fn tool_failed(target: &Target, program: &str, object: &str, f: ChildFailure) -> Error {
    if let Some(e) = f.io_error {
        return e;
    }
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::DUMP_TOOL_FAILED)
            .arg("program", program)
            .arg("object", object)
            .arg("target", &target.name),
    )
    .at(&target.name)
    .hint(Text::new(msg::DUMP_TOOL_FAILED_HINT).arg("program", program))
    .detail(f.detail)
}

async fn dump_globals(
    target: &Target,
    pg_dumpall: &std::path::Path,
    database: Option<&str>,
    without_passwords: bool,
    sink: &dyn ObjectSink,
) -> Result<()> {
    let mut cmd = tools::command(pg_dumpall, target, database)?;
    tools::iso_session(&mut cmd);
    cmd.args(["--globals-only", "--no-password"]);
    if let Some(db) = database {
        cmd.arg("-l").arg(db);
    }
    if without_passwords {
        // Role passwords are in pg_authid, which only a superuser may read.
        tracing::warn!(target = %target.name, "not a superuser: roles are dumped without their passwords");
        cmd.arg("--no-role-passwords");
    }
    tools::stdout_to_object(cmd, pg_dumpall, sink, names::GLOBALS)
        .await
        .map(|_| ())
        .map_err(|f| tool_failed(target, "pg_dumpall", names::GLOBALS, f))
}

struct Dumped {
    toc: DatabaseToc,
    object_counts: BTreeMap<String, u64>,
    newest_commit: Option<DateTime<Utc>>,
}

async fn dump_database(
    target: &Target,
    db: &str,
    server: &Server,
    pg_dump: &std::path::Path,
    jobs: usize,
    sink: &dyn ObjectSink,
) -> Result<Dumped> {
    let target = Target {
        database: Some(db.to_string()),
        ..target.clone()
    };
    let target = &target;
    let leader = crate::connect(target).await?;
    let c = leader.client();
    let q = |what: &'static str| move |e: tokio_postgres::Error| query_error(target, what, &e);
    c.batch_execute(SESSION_SETUP)
        .await
        .map_err(q("session settings"))?;

    // Read before the snapshot, so that this commit is surely inside it: the newest commit
    // reported is never newer than the backup (an older one only makes the RPO look worse).
    let newest_commit: Option<DateTime<Utc>> = if server.track_commit_timestamp {
        c.query_one(
            "SELECT (pg_catalog.pg_last_committed_xact()).timestamp",
            &[],
        )
        .await
        .map_err(q("the newest commit"))?
        .try_get(0)
        .map_err(q("the newest commit"))?
    } else {
        None
    };

    c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await
        .map_err(q("the backup's snapshot"))?;
    let p = c
        .query_one(POINT_SQL, &[])
        .await
        .map_err(q("the backup's snapshot"))?;
    let snapshot: String = p.try_get(0).map_err(q("the backup's snapshot"))?;
    let lsn: Option<String> = p.try_get(1).map_err(q("the backup's snapshot"))?;
    let txids: String = p.try_get(2).map_err(q("the backup's snapshot"))?;
    let in_recovery: bool = p.try_get(3).map_err(q("the backup's snapshot"))?;
    let taken_at: DateTime<Utc> = p.try_get(4).map_err(q("the backup's snapshot"))?;
    let db_oid: u32 = p.try_get(5).map_err(q("the backup's snapshot"))?;

    let tables = catalog::tables(c, target, server.version_num).await?;
    for batch in tables.chunks(LOCK_BATCH) {
        let names: Vec<String> = batch
            .iter()
            .map(|t| crate::dump::sql::qualified(&t.schema, &t.name))
            .collect();
        let sql = format!("LOCK TABLE ONLY {} IN ACCESS SHARE MODE", names.join(", "));
        c.batch_execute(&sql).await.map_err(q("table locks"))?;
    }
    let properties = catalog::database_props(c, target, server.version_num).await?;
    let object_counts = catalog::object_counts(c, target).await?;
    let large_objects = catalog::large_objects(c, target).await?;
    let sequences = catalog::sequences(c, target).await?;

    let dir = names::database_dir(db, db_oid);
    let object = |file: &str| format!("{dir}/{file}");
    let tasks: Vec<Task<'_>> = tables
        .iter()
        .map(|t| Task {
            table: t,
            object: names::table_object(&dir, &t.schema, &t.name, t.oid),
        })
        .collect();
    let lo_object = (!large_objects.is_empty()).then(|| object(names::LARGE_OBJECTS));

    let snapshot_ref = snapshot.as_str();
    let schema_dump = |section: &'static str, format: ScriptFormat, name: String| async move {
        let mut cmd = tools::command(pg_dump, target, Some(db))?;
        cmd.arg(format!("--snapshot={snapshot_ref}"))
            .arg(format!("--section={section}"))
            .arg("--no-password");
        if format == ScriptFormat::Custom {
            // Uncompressed: the whole object is compressed on its way to the repository.
            cmd.args(["--format=custom", "--compress=0"]);
        }
        tools::stdout_to_object(cmd, pg_dump, sink, &name)
            .await
            .map(|(bytes, _)| bytes)
            .map_err(|f| tool_failed(target, "pg_dump", &name, f))
    };
    let sequences_object = object(names::SEQUENCES);
    let write_sequences = async {
        let mut o = sink.create(&sequences_object).await?;
        o.write(catalog::sequences_script(&sequences).into())
            .await?;
        o.finish().await
    };
    let large_objects_dump = async {
        match &lo_object {
            Some(name) => lo::dump(c, target, &large_objects, sink, name)
                .await
                .map(|_| ()),
            None => Ok(()),
        }
    };
    // Schema, data and large objects at once: pg_dump reads the catalog while the tables
    // stream; everything reads the one snapshot the leader keeps open until the end.
    let (_, _, copied, (), ()) = tokio::try_join!(
        schema_dump("pre-data", ScriptFormat::Sql, object(names::PRE_DATA)),
        schema_dump("post-data", ScriptFormat::Custom, object(names::POST_DATA)),
        copy_out::copy_all(target, &snapshot, &tasks, jobs, sink),
        write_sequences,
        large_objects_dump,
    )?;
    c.batch_execute("COMMIT")
        .await
        .map_err(q("the backup's snapshot"))?;
    tracing::debug!(database = db, tables = tasks.len(), "database dumped");

    let consistent_point = json!({
        "database": db,
        "snapshot": snapshot,
        "lsn": lsn,
        "txid_snapshot": txids,
        "in_recovery": in_recovery,
        "taken_at": taken_at.to_rfc3339(),
    });
    let table_tocs = tasks
        .iter()
        .zip(copied)
        .map(|(t, c)| TableToc {
            schema: t.table.schema.clone(),
            table: t.table.name.clone(),
            columns: t.table.columns.clone(),
            object: t.object.clone(),
            rows: c.rows,
            bytes: c.bytes,
        })
        .collect();
    Ok(Dumped {
        toc: DatabaseToc {
            name: db.to_string(),
            dir: dir.clone(),
            properties,
            pre_data: object(names::PRE_DATA),
            post_data: object(names::POST_DATA),
            post_data_format: ScriptFormat::Custom,
            sequences: sequences_object.clone(),
            sequence_count: sequences.len() as u64,
            large_objects: lo_object.clone(),
            large_object_count: large_objects.len() as u64,
            tables: table_tocs,
            consistent_point,
        },
        object_counts,
        newest_commit,
    })
}
