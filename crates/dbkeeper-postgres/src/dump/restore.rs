//! The logical restore: for each database of the backup, a new (or emptied) database, the
//! pre-data schema through psql, the tables loaded in parallel and checked against the
//! backup's row counts, sequences and large objects, then post-data (indexes, constraints,
//! triggers — built after the data, so no trigger fires on restored rows; through
//! `pg_restore --jobs`, several at once), and last the database's own settings, comment and
//! privileges.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;

use dbkeeper_core::dump::{DumpContents, ObjectSource, RestoreReport, RestoreRequest, TableRows};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::AsyncReadExt;
use tokio_postgres::error::SqlState;

use crate::connect::{cause_chain, query_error};
use crate::dump::copy_in::{self, LoadTask};
use crate::dump::script::guard_create_roles;
use crate::dump::sql::{database_statements, quote_literal};
use crate::dump::toc::{DatabaseToc, ScriptFormat, Toc, FORMAT, VERSION};
use crate::dump::{lo, names, METHOD};
use crate::msg;
use crate::tools::{self, read_error, ChildFailure};
use crate::{quote_ident, PgEngine};

/// The table of contents and the globals script are read whole; anything near this size is
/// not one of ours.
const MAX_SMALL_OBJECT: u64 = 256 << 20;

/// Relations (of any kind) in user schemas: a database with any is not empty.
const USER_RELATIONS_SQL: &str = "\
SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

pub(crate) async fn restore_logical(
    engine: &PgEngine,
    req: &RestoreRequest,
    contents: &DumpContents,
    source: &dyn ObjectSource,
) -> Result<RestoreReport> {
    let target = engine.target();
    if contents.method != METHOD {
        return Err(not_ours(&format!(
            "the backup was made with `{}`, not `{METHOD}`",
            contents.method
        )));
    }
    let toc = read_toc(source).await?;
    let chosen = choose(&toc, req)?;

    let version_num: i32 = engine
        .client()
        .query_one(
            "SELECT pg_catalog.current_setting('server_version_num')::int",
            &[],
        )
        .await
        .and_then(|r| r.try_get(0))
        .map_err(|e| query_error(target, "server version", &e))?;
    let major = u32::try_from(version_num / 10000).unwrap_or(0);
    let psql = tools::find("psql", major).await?;
    let pg_restore = tools::find("pg_restore", major).await?;

    let mut report = RestoreReport::default();
    if req.globals {
        match &toc.globals {
            Some(object) => {
                report.bytes_read += restore_globals(target, &psql, source, object).await?;
            }
            None => tracing::info!("the backup holds no globals (roles); none restored"),
        }
    }
    for db in chosen {
        let into = req.into.clone().unwrap_or_else(|| db.name.clone());
        let job = Job {
            target,
            psql: &psql,
            pg_restore: &pg_restore,
            source,
            db,
            into: &into,
            jobs: req.jobs.max(1),
            version_num,
            expected: expected_rows(contents, db)?,
        };
        restore_database(&job, req.force, &mut report).await?;
        report.databases.push(into);
    }
    Ok(report)
}

fn not_ours(detail: &str) -> Error {
    Error::new(ErrorKind::Data, Text::new(msg::RESTORE_NOT_OURS))
        .hint(Text::new(msg::RESTORE_NOT_OURS_HINT))
        .detail(detail)
}

/// Reads a small object whole (the table of contents, the globals script).
async fn read_small(source: &dyn ObjectSource, name: &str) -> Result<Vec<u8>> {
    let reader = source.open(name).await?;
    let mut out = Vec::new();
    let mut reader = reader.take(MAX_SMALL_OBJECT + 1);
    reader
        .read_to_end(&mut out)
        .await
        .map_err(|e| read_error(name, &e))?;
    if out.len() as u64 > MAX_SMALL_OBJECT {
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::RESTORE_TOC).arg("object", name),
        )
        .at(name.to_string())
        .hint(Text::new(msg::OBJECT_READ_HINT))
        .detail(format!("larger than {MAX_SMALL_OBJECT} bytes")));
    }
    Ok(out)
}

async fn read_toc(source: &dyn ObjectSource) -> Result<Toc> {
    if !source.names().iter().any(|n| n == names::TOC) {
        return Err(not_ours("the backup has no toc.json"));
    }
    let bytes = read_small(source, names::TOC).await?;
    let toc: Toc = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(
            ErrorKind::Data,
            Text::new(msg::RESTORE_TOC).arg("object", names::TOC),
        )
        .at(names::TOC)
        .hint(Text::new(msg::OBJECT_READ_HINT))
        .detail(e)
    })?;
    if toc.format != FORMAT || toc.version > VERSION {
        return Err(not_ours(&format!(
            "toc.json is `{}` version {}; this dbkeeper reads `{FORMAT}` up to version {VERSION}",
            toc.format, toc.version
        )));
    }
    Ok(toc)
}

/// The databases of the backup to restore: the one asked for, or all of them.
fn choose<'a>(toc: &'a Toc, req: &RestoreRequest) -> Result<Vec<&'a DatabaseToc>> {
    let all = || {
        toc.databases
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen: Vec<&DatabaseToc> = match &req.database {
        Some(name) => {
            let d = toc
                .databases
                .iter()
                .find(|d| &d.name == name)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Usage,
                        Text::new(msg::RESTORE_NO_SUCH_DB)
                            .arg("database", name)
                            .arg("found", all()),
                    )
                    .hint(Text::new(msg::RESTORE_NO_SUCH_DB_HINT))
                })?;
            vec![d]
        }
        None => toc.databases.iter().collect(),
    };
    if req.into.is_some() && chosen.len() > 1 {
        return Err(Error::new(
            ErrorKind::Usage,
            Text::new(msg::RESTORE_AMBIGUOUS)
                .arg("count", chosen.len())
                .arg("found", all()),
        )
        .hint(Text::new(msg::RESTORE_AMBIGUOUS_HINT)));
    }
    Ok(chosen)
}

/// Rows per table as the manifest recorded them; the table of contents must agree with it.
fn expected_rows(
    contents: &DumpContents,
    db: &DatabaseToc,
) -> Result<HashMap<(String, String), u64>> {
    let mut manifest: HashMap<(String, String), u64> = contents
        .tables
        .iter()
        .filter(|t| t.database == db.name)
        .map(|t| ((t.schema.clone(), t.table.clone()), t.rows))
        .collect();
    let mut out = HashMap::new();
    for t in &db.tables {
        let key = (t.schema.clone(), t.table.clone());
        match manifest.remove(&key) {
            Some(rows) if rows == t.rows => {
                out.insert(key, rows);
            }
            found => {
                return Err(not_ours(&format!(
                    "table {}.{} of database {}: the manifest says {:?} rows, toc.json {}",
                    t.schema, t.table, db.name, found, t.rows
                )))
            }
        }
    }
    if let Some(((s, t), _)) = manifest.into_iter().next() {
        return Err(not_ours(&format!(
            "table {s}.{t} of database {} is in the manifest but not in toc.json",
            db.name
        )));
    }
    Ok(out)
}

/// The restore of one database of the backup into database `into`.
struct Job<'a> {
    target: &'a Target,
    psql: &'a Path,
    pg_restore: &'a Path,
    source: &'a dyn ObjectSource,
    db: &'a DatabaseToc,
    into: &'a str,
    jobs: usize,
    version_num: i32,
    expected: HashMap<(String, String), u64>,
}

impl Job<'_> {
    fn restored_target(&self) -> Target {
        Target {
            database: Some(self.into.to_string()),
            ..self.target.clone()
        }
    }
}

async fn restore_database(job: &Job<'_>, force: bool, report: &mut RestoreReport) -> Result<()> {
    let target = job.target;
    let admin = maintenance(target, job.into).await?;
    let created = prepare_database(&admin, job, force).await?;
    match load_database(job, &admin, report).await {
        Ok(()) => Ok(()),
        Err(e) => {
            if created {
                // A half-restored database must not be mistaken for a good one later.
                let sql = drop_database_sql(job);
                match admin.client().batch_execute(&sql).await {
                    Ok(()) => tracing::warn!(
                        database = job.into,
                        "restore failed; the incomplete database was dropped"
                    ),
                    Err(d) => {
                        tracing::warn!(database = job.into, error = %cause_chain(&d), "restore failed; the incomplete database could not be dropped")
                    }
                }
            }
            Err(e)
        }
    }
}

/// A connection for creating and dropping `into`: to the target's database, or `postgres`,
/// or `template1`, whichever is not `into` itself.
async fn maintenance(target: &Target, into: &str) -> Result<PgEngine> {
    let db = [
        target.database.as_deref(),
        Some("postgres"),
        Some("template1"),
    ]
    .into_iter()
    .flatten()
    .find(|d| *d != into)
    .unwrap_or("template1");
    crate::connect(&Target {
        database: Some(db.to_string()),
        ..target.clone()
    })
    .await
}

/// Creates `into` if missing; refuses one that holds relations unless `force`, which drops
/// and recreates it. Returns whether this restore created the database.
async fn prepare_database(admin: &PgEngine, job: &Job<'_>, force: bool) -> Result<bool> {
    let target = job.target;
    let exists = admin
        .client()
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1",
            &[&job.into],
        )
        .await
        .map_err(|e| query_error(target, "the list of databases", &e))?
        .is_some();
    if exists {
        let inside = crate::connect(&job.restored_target()).await?;
        let n: i64 = inside
            .client()
            .query_one(USER_RELATIONS_SQL, &[])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| query_error(target, "the database's tables", &e))?;
        drop(inside);
        if n == 0 {
            return Ok(false);
        }
        if !force {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::RESTORE_NOT_EMPTY)
                    .arg("database", job.into)
                    .arg("target", &target.name)
                    .arg("count", n),
            )
            .at(&target.name)
            .hint(Text::new(msg::RESTORE_NOT_EMPTY_HINT)));
        }
        tracing::warn!(
            database = job.into,
            relations = n,
            "--force: dropping the database to restore over it"
        );
        let sql = drop_database_sql(job);
        admin.client().batch_execute(&sql).await.map_err(|e| {
            Error::new(
                ErrorKind::Failed,
                Text::new(msg::RESTORE_DROP_DB)
                    .arg("database", job.into)
                    .arg("target", &target.name),
            )
            .at(&target.name)
            .hint(Text::new(msg::RESTORE_DROP_DB_HINT))
            .detail(db_detail(&e))
        })?;
    }
    let sql = create_database_sql(job);
    match admin.client().batch_execute(&sql).await {
        Ok(()) => Ok(true),
        Err(e) if e.code() == Some(&SqlState::DUPLICATE_DATABASE) => Err(Error::new(
            ErrorKind::TempFail,
            Text::new(msg::RESTORE_CREATE_DB)
                .arg("database", job.into)
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(Text::new(msg::RESTORE_CREATE_DB_HINT))
        .detail(db_detail(&e))),
        Err(e) => Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::RESTORE_CREATE_DB)
                .arg("database", job.into)
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(Text::new(msg::RESTORE_CREATE_DB_HINT))
        .detail(db_detail(&e))),
    }
}

/// `DROP DATABASE`, ending other sessions on it first where the server can (13 and later):
/// an idle connection left open somewhere must not make a forced restore fail.
fn drop_database_sql(job: &Job<'_>) -> String {
    let force = if job.version_num >= 130000 {
        " WITH (FORCE)"
    } else {
        ""
    };
    format!("DROP DATABASE IF EXISTS {}{force}", quote_ident(job.into))
}

fn db_detail(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => cause_chain(e),
    }
}

/// `CREATE DATABASE` with the backup's encoding and locale, from template0 (template1 may
/// hold objects of its own that would clash with the restored ones).
fn create_database_sql(job: &Job<'_>) -> String {
    let p = &job.db.properties;
    let mut sql = format!(
        "CREATE DATABASE {} WITH TEMPLATE = template0",
        quote_ident(job.into)
    );
    if !p.encoding.is_empty() {
        sql.push_str(&format!(" ENCODING = {}", quote_literal(&p.encoding)));
    }
    let icu = p.locale_provider.as_deref() == Some("i");
    if job.version_num >= 150000 {
        if let Some(provider) = &p.locale_provider {
            let name = if provider == "i" { "icu" } else { "libc" };
            sql.push_str(&format!(" LOCALE_PROVIDER = {name}"));
        }
        if icu {
            if let Some(l) = &p.icu_locale {
                sql.push_str(&format!(" ICU_LOCALE = {}", quote_literal(l)));
            }
        }
    }
    if !p.collate.is_empty() {
        sql.push_str(&format!(" LC_COLLATE = {}", quote_literal(&p.collate)));
    }
    if !p.ctype.is_empty() {
        sql.push_str(&format!(" LC_CTYPE = {}", quote_literal(&p.ctype)));
    }
    sql
}

async fn load_database(job: &Job<'_>, admin: &PgEngine, report: &mut RestoreReport) -> Result<()> {
    let db = job.db;
    let into_target = job.restored_target();
    report.bytes_read += run_script(job, &db.pre_data).await?;

    let mut order: Vec<usize> = (0..db.tables.len()).collect();
    // Largest first, so that the parallel jobs finish together.
    order.sort_by_key(|&i| std::cmp::Reverse(db.tables[i].bytes));
    let tasks: Vec<LoadTask<'_>> = order
        .iter()
        .map(|&i| {
            let t = &db.tables[i];
            LoadTask {
                database: job.into,
                schema: &t.schema,
                table: &t.table,
                columns: &t.columns,
                object: &t.object,
                expected: job
                    .expected
                    .get(&(t.schema.clone(), t.table.clone()))
                    .copied()
                    .unwrap_or(t.rows),
            }
        })
        .collect();
    let loaded = copy_in::load_all(&into_target, &tasks, job.jobs, job.source).await?;
    let mut rows: Vec<TableRows> = tasks
        .iter()
        .zip(&loaded)
        .map(|(t, l)| {
            report.bytes_read += l.bytes;
            TableRows {
                database: job.into.to_string(),
                schema: t.schema.to_string(),
                table: t.table.to_string(),
                rows: l.rows,
                object: t.object.to_string(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.schema, &a.table).cmp(&(&b.schema, &b.table)));
    report.tables.extend(rows);

    report.bytes_read += run_script(job, &db.sequences).await?;
    if let Some(object) = &db.large_objects {
        let engine = crate::connect(&into_target).await?;
        engine
            .client()
            .batch_execute(copy_in::RESTORE_SETUP)
            .await
            .map_err(|e| query_error(&into_target, "session settings", &e))?;
        let reader = job.source.open(object).await?;
        let mut reader = tokio::io::BufReader::with_capacity(256 * 1024, reader);
        let n = lo::restore(engine.client(), &into_target, &mut reader, object).await?;
        if n != db.large_object_count {
            return Err(Error::new(
                ErrorKind::Data,
                Text::new(msg::LO_CORRUPT)
                    .arg("object", object)
                    .arg("offset", "end"),
            )
            .at(object.clone())
            .hint(Text::new(msg::OBJECT_READ_HINT))
            .detail(format!(
                "{n} large objects read, the backup recorded {}",
                db.large_object_count
            )));
        }
    }
    report.bytes_read += match db.post_data_format {
        ScriptFormat::Sql => run_script(job, &db.post_data).await?,
        ScriptFormat::Custom => run_archive(job, &db.post_data).await?,
    };

    for sql in database_statements(job.into, &db.properties) {
        admin.client().batch_execute(&sql).await.map_err(|e| {
            Error::new(
                ErrorKind::Failed,
                Text::new(msg::RESTORE_DB_PROPS)
                    .arg("database", job.into)
                    .arg("target", &job.target.name),
            )
            .at(&job.target.name)
            .hint(Text::new(msg::RESTORE_SCRIPT_HINT))
            .detail(format!("{}: {}", sql, db_detail(&e)))
        })?;
    }
    Ok(())
}

/// Runs one SQL object through psql against `into`, stopping at the first error.
async fn run_script(job: &Job<'_>, object: &str) -> Result<u64> {
    let mut cmd = tools::command(job.psql, job.target, Some(job.into))?;
    tools::iso_session(&mut cmd);
    cmd.args(["-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"]);
    tools::object_to_stdin(cmd, job.psql, job.source, object)
        .await
        .map(|(bytes, _)| bytes)
        .map_err(|f| script_failed(job.target, job.into, object, f))
}

/// Runs a pg_dump custom archive through `pg_restore --jobs`, stopping at the first error.
/// Parallel pg_restore needs a file it can seek in, so the archive (schema only, small) is read
/// whole — hash-checked like every read — into a private temporary file first.
async fn run_archive(job: &Job<'_>, object: &str) -> Result<u64> {
    let bytes = read_small(job.source, object).await?;
    let file = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
        use std::io::Write;
        // Created 0600 and removed when dropped, whatever happens below.
        let mut file = tempfile::Builder::new()
            .prefix("dbkeeper-post-data-")
            .tempfile()?;
        file.write_all(&bytes)?;
        file.flush()?;
        Ok((file, bytes.len() as u64))
    })
    .await
    .map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("a blocking task failed"),
        )
        .detail(e)
    })
    .and_then(|r| {
        r.map_err(|e| {
            Error::new(ErrorKind::Failed, Text::new(msg::RESTORE_TEMP_FILE))
                .hint(Text::new(msg::RESTORE_TEMP_FILE_HINT))
                .detail(e)
        })
    })?;
    let (file, size) = file;
    let mut cmd = tools::command(job.pg_restore, job.target, Some(job.into))?;
    tools::iso_session(&mut cmd);
    cmd.args(["--exit-on-error", "--no-password"])
        // A conninfo, not a bare name: pg_restore would read a database name holding `=` as one.
        .arg(format!("--dbname=dbname={}", conninfo_value(job.into)))
        .arg(format!("--jobs={}", job.jobs.max(1)))
        .arg(file.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    tools::run_to_end(cmd, job.pg_restore)
        .await
        .map(|_| size)
        .map_err(|f| script_failed(job.target, job.into, object, f))
}

/// A value in a libpq conninfo string: single-quoted, with `\` and `'` escaped.
fn conninfo_value(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn script_failed(target: &Target, database: &str, object: &str, f: ChildFailure) -> Error {
    if let Some(e) = f.io_error {
        return e;
    }
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::RESTORE_SCRIPT)
            .arg("object", object)
            .arg("database", database)
            .arg("target", &target.name),
    )
    .at(object.to_string())
    .hint(Text::new(msg::RESTORE_SCRIPT_HINT))
    .detail(f.detail)
}

/// Roles, memberships and tablespaces. Roles that already exist are kept (and given the
/// backup's attributes by the script's `ALTER ROLE`); any other error stops the restore.
async fn restore_globals(
    target: &Target,
    psql: &Path,
    source: &dyn ObjectSource,
    object: &str,
) -> Result<u64> {
    let bytes = read_small(source, object).await?;
    let script = String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Data,
            Text::new(msg::RESTORE_TOC).arg("object", object),
        )
        .at(object.to_string())
        .hint(Text::new(msg::OBJECT_READ_HINT))
        .detail(e)
    })?;
    let guarded = guard_create_roles(&script);
    let db = target.database.as_deref().unwrap_or("postgres");
    let mut cmd = tools::command(psql, target, Some(db))?;
    tools::iso_session(&mut cmd);
    cmd.args(["-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1"]);
    let source = OneObject {
        name: object.to_string(),
        data: guarded.into_bytes(),
    };
    tools::object_to_stdin(cmd, psql, &source, object)
        .await
        .map(|(bytes, _)| bytes)
        .map_err(|f| {
            if let Some(e) = f.io_error {
                return e;
            }
            Error::new(
                ErrorKind::Failed,
                Text::new(msg::RESTORE_GLOBALS).arg("target", &target.name),
            )
            .at(object.to_string())
            .hint(Text::new(msg::RESTORE_GLOBALS_HINT))
            .detail(f.detail)
        })
}

/// An in-memory object, for a script rewritten before it is run.
struct OneObject {
    name: String,
    data: Vec<u8>,
}

#[async_trait::async_trait]
impl ObjectSource for OneObject {
    fn names(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    async fn open(&self, _name: &str) -> Result<Box<dyn tokio::io::AsyncRead + Send + Unpin>> {
        Ok(Box::new(std::io::Cursor::new(self.data.clone())))
    }
}
