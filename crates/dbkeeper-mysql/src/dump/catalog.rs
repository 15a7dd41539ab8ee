//! What the snapshot holds, read from information_schema while the backup lock is held (the
//! catalogue is not versioned like rows are; under the lock no DDL can change it): databases
//! with their character sets, tables with their stored columns and AUTO_INCREMENT counters,
//! and the number of schema objects of each kind.

use std::collections::BTreeMap;

use dbkeeper_core::dump::LogicalRequest;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Params, Row, Value};

use crate::dump::query_error;
use crate::dump::snapshot::Server;
use crate::dump::toc::Load;
use crate::value::{number, text};
use crate::{msg, quote_ident};

/// Schemas of the server itself, never part of a logical backup.
pub(crate) const SYSTEM_DATABASES: &[&str] =
    &["information_schema", "performance_schema", "mysql", "sys"];

#[derive(Clone, Debug)]
pub(crate) struct Database {
    pub(crate) name: String,
    pub(crate) charset: String,
    pub(crate) collation: String,
    pub(crate) comment: Option<String>,
    pub(crate) tables: Vec<Table>,
    pub(crate) views: Vec<String>,
    pub(crate) sequences: Vec<String>,
    pub(crate) counts: BTreeMap<String, u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) auto_increment: Option<u64>,
    /// Bytes of data, to hand the biggest tables out first.
    pub(crate) size: u64,
    /// Not InnoDB: read without the snapshot's guarantee (MyISAM, Aria, MEMORY).
    pub(crate) engine: Option<String>,
    /// The first column of the primary key, when it is an integer: a big table is read and
    /// loaded in parallel by ranges of it.
    pub(crate) int_key: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub(crate) name: String,
    pub(crate) data_type: String,
    pub(crate) load: Load,
}

/// The databases a request names: the listed ones, else the target's, else every user
/// database (also for `all_databases`).
pub(crate) async fn choose(
    target: &Target,
    conn: &mut Conn,
    req: &LogicalRequest,
) -> Result<Vec<String>> {
    let existing: Vec<String> = conn
        .query::<Row, _>("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")
        .await
        .map_err(|e| query_error(target, "information_schema.SCHEMATA", &e))?
        .iter()
        .filter_map(|r| text(r, 0))
        .collect();
    let wanted: Vec<String> = if req.all_databases {
        Vec::new()
    } else if !req.databases.is_empty() {
        req.databases.clone()
    } else {
        target.database.iter().cloned().collect()
    };
    if wanted.is_empty() {
        return Ok(existing
            .into_iter()
            .filter(|d| !SYSTEM_DATABASES.contains(&d.to_ascii_lowercase().as_str()))
            .collect());
    }
    let mut out = Vec::new();
    for w in wanted {
        if !existing.contains(&w) {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::UNKNOWN_DATABASE)
                    .arg("database", &w)
                    .arg("target", target),
            )
            .hint(Text::new(msg::UNKNOWN_DATABASE_HINT)));
        }
        if !out.contains(&w) {
            out.push(w);
        }
    }
    Ok(out)
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn params(names: &[String]) -> Params {
    Params::Positional(names.iter().map(|n| Value::from(n.as_str())).collect())
}

async fn rows(
    target: &Target,
    conn: &mut Conn,
    what: &str,
    sql: String,
    names: &[String],
) -> Result<Vec<Row>> {
    conn.exec(sql, params(names))
        .await
        .map_err(|e| query_error(target, what, &e))
}

/// Reads the catalogue of `names` (call with the backup lock held).
pub(crate) async fn read(
    target: &Target,
    conn: &mut Conn,
    server: &Server,
    names: &[String],
) -> Result<Vec<Database>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(names.len());
    let mut dbs: Vec<Database> = Vec::new();
    let schemata = rows(
        target,
        conn,
        "information_schema.SCHEMATA",
        format!(
            "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME \
             FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ({list})"
        ),
        names,
    )
    .await?;
    for name in names {
        let row = schemata
            .iter()
            .find(|r| text(r, 0).as_deref() == Some(name));
        dbs.push(Database {
            name: name.clone(),
            charset: row
                .and_then(|r| text(r, 1))
                .unwrap_or_else(|| "utf8mb4".into()),
            collation: row
                .and_then(|r| text(r, 2))
                .unwrap_or_else(|| "utf8mb4_general_ci".into()),
            comment: None,
            tables: Vec::new(),
            views: Vec::new(),
            sequences: Vec::new(),
            counts: BTreeMap::new(),
        });
    }
    if server.mariadb && server.at_least(10, 5, 0) {
        let comments = rows(
            target,
            conn,
            "information_schema.SCHEMATA",
            format!(
                "SELECT SCHEMA_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA \
                 WHERE SCHEMA_NAME IN ({list})"
            ),
            names,
        )
        .await?;
        for r in comments {
            if let (Some(n), Some(c)) = (text(&r, 0), text(&r, 1)) {
                if let Some(db) = dbs.iter_mut().find(|d| d.name == n) {
                    db.comment = Some(c).filter(|c| !c.is_empty());
                }
            }
        }
    }

    let tables = rows(
        target,
        conn,
        "information_schema.TABLES",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, AUTO_INCREMENT, \
             COALESCE(DATA_LENGTH, 0) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA IN ({list}) ORDER BY TABLE_SCHEMA, TABLE_NAME"
        ),
        names,
    )
    .await?;
    for r in &tables {
        let (Some(schema), Some(name), Some(kind)) = (text(r, 0), text(r, 1), text(r, 2)) else {
            continue;
        };
        let Some(db) = dbs.iter_mut().find(|d| d.name == schema) else {
            continue;
        };
        match kind.as_str() {
            "VIEW" | "SYSTEM VIEW" => db.views.push(name),
            "SEQUENCE" => db.sequences.push(name),
            // BASE TABLE, SYSTEM VERSIONED (current rows only: see the crate's notes).
            _ => db.tables.push(Table {
                name,
                columns: Vec::new(),
                auto_increment: number(r, 4),
                size: number(r, 5).unwrap_or(0),
                engine: text(r, 3).filter(|e| !e.eq_ignore_ascii_case("InnoDB")),
                int_key: None,
            }),
        }
    }

    let columns = rows(
        target,
        conn,
        "information_schema.COLUMNS",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ({list}) \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
        ),
        names,
    )
    .await?;
    for r in &columns {
        let (Some(schema), Some(table), Some(name)) = (text(r, 0), text(r, 1), text(r, 2)) else {
            continue;
        };
        let data_type = text(r, 3).unwrap_or_default().to_ascii_lowercase();
        let extra = text(r, 4).unwrap_or_default();
        if is_generated(&extra) {
            continue;
        }
        let Some(t) = dbs
            .iter_mut()
            .find(|d| d.name == schema)
            .and_then(|d| d.tables.iter_mut().find(|t| t.name == table))
        else {
            continue;
        };
        let load = match data_type.as_str() {
            "bit" => Load::Bit,
            "json" if !server.mariadb => Load::Json,
            _ => Load::Plain,
        };
        t.columns.push(Column {
            name,
            data_type,
            load,
        });
    }

    let keys = rows(
        target,
        conn,
        "information_schema.STATISTICS",
        format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA IN ({list}) AND INDEX_NAME = 'PRIMARY' AND SEQ_IN_INDEX = 1"
        ),
        names,
    )
    .await?;
    for r in &keys {
        let (Some(schema), Some(table), Some(column)) = (text(r, 0), text(r, 1), text(r, 2)) else {
            continue;
        };
        let Some(t) = dbs
            .iter_mut()
            .find(|d| d.name == schema)
            .and_then(|d| d.tables.iter_mut().find(|t| t.name == table))
        else {
            continue;
        };
        let integer = t.columns.iter().any(|c| {
            c.name == column
                && matches!(
                    c.data_type.as_str(),
                    "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
                )
        });
        if integer {
            t.int_key = Some(column);
        }
    }

    counts(target, conn, names, &mut dbs).await?;
    Ok(dbs)
}

/// Generated columns are computed by the server again; MariaDB's system-versioning columns
/// are set by it. Neither can be loaded. MySQL marks expression defaults `DEFAULT_GENERATED`,
/// which are ordinary stored columns.
fn is_generated(extra: &str) -> bool {
    let e = extra.to_ascii_uppercase();
    let generated = e.contains("GENERATED") && !e.contains("DEFAULT_GENERATED");
    generated
        || e == "VIRTUAL"
        || e == "PERSISTENT"
        || e.contains("ROW START")
        || e.contains("ROW END")
}

/// Counts of schema objects by kind, per database (`tables`, `views`, `sequences`,
/// `routines`, `triggers`, `events`), for the drill to compare against.
async fn counts(
    target: &Target,
    conn: &mut Conn,
    names: &[String],
    dbs: &mut [Database],
) -> Result<()> {
    for db in dbs.iter_mut() {
        db.counts.insert("tables".into(), db.tables.len() as u64);
        db.counts.insert("views".into(), db.views.len() as u64);
        db.counts
            .insert("sequences".into(), db.sequences.len() as u64);
    }
    let list = placeholders(names.len());
    let kinds = [
        ("routines", "ROUTINES", "ROUTINE_SCHEMA"),
        ("triggers", "TRIGGERS", "TRIGGER_SCHEMA"),
        ("events", "EVENTS", "EVENT_SCHEMA"),
    ];
    for (kind, view, column) in kinds {
        let found = rows(
            target,
            conn,
            &format!("information_schema.{view}"),
            format!(
                "SELECT {column}, COUNT(*) FROM information_schema.{view} \
                 WHERE {column} IN ({list}) GROUP BY {column}"
            ),
            names,
        )
        .await?;
        for db in dbs.iter_mut() {
            let n = found
                .iter()
                .find(|r| text(r, 0).as_deref() == Some(db.name.as_str()))
                .and_then(|r| number(r, 1))
                .unwrap_or(0);
            db.counts.insert(kind.into(), n);
        }
    }
    Ok(())
}

/// The select list of a table's data: every stored column, FLOAT and DOUBLE widened to a
/// DOUBLE the server prints with every significant digit (its FLOAT text keeps only 6, which
/// loses precision: 16777216 prints as 16777200), BIT as its number.
/// `range` limits the rows to a part of the table (see [`super::split`]).
pub(crate) fn select_sql(
    server: &Server,
    database: &str,
    table: &Table,
    range: Option<&str>,
) -> String {
    let cols: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let q = quote_ident(&c.name);
            match (c.data_type.as_str(), c.load) {
                (_, Load::Bit) => format!("{q} + 0"),
                ("float" | "double" | "real" | "double precision", _) => {
                    if server.has_cast_double() {
                        format!("CAST({q} AS DOUBLE)")
                    } else {
                        format!("{q} + 0e0")
                    }
                }
                _ => q,
            }
        })
        .collect();
    let mut sql = format!(
        "SELECT {} FROM {}.{}",
        cols.join(", "),
        quote_ident(database),
        quote_ident(&table.name)
    );
    if let Some(r) = range {
        sql.push_str(" WHERE ");
        sql.push_str(r);
    }
    sql
}

/// Holds a shared metadata lock on every table until the guard's savepoint is rolled back:
/// a table cannot be altered or dropped between the snapshot and the schema dump, so the
/// schema that is dumped is the one the rows were read with.
pub(crate) async fn guard_tables(target: &Target, conn: &mut Conn, dbs: &[Database]) -> Result<()> {
    conn.query_drop("SAVEPOINT dbkeeper_guard")
        .await
        .map_err(|e| query_error(target, "SAVEPOINT", &e))?;
    let all: Vec<String> = dbs
        .iter()
        .flat_map(|d| {
            d.tables.iter().map(move |t| {
                format!(
                    "SELECT 1 FROM {}.{} LIMIT 0",
                    quote_ident(&d.name),
                    quote_ident(&t.name)
                )
            })
        })
        .collect();
    // One round trip per few hundred tables: the lock is held meanwhile.
    for batch in all.chunks(300) {
        conn.query_drop(batch.join(";\n"))
            .await
            .map_err(|e| query_error(target, "metadata locks", &e))?;
    }
    Ok(())
}

pub(crate) async fn release_guard(target: &Target, conn: &mut Conn) -> Result<()> {
    conn.query_drop("ROLLBACK TO SAVEPOINT dbkeeper_guard")
        .await
        .map_err(|e| query_error(target, "ROLLBACK TO SAVEPOINT", &e))
}

/// The next value of every sequence (MariaDB), read in the snapshot.
pub(crate) async fn sequence_values(
    target: &Target,
    conn: &mut Conn,
    db: &Database,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for s in &db.sequences {
        let sql = format!(
            "SELECT next_not_cached_value FROM {}.{}",
            quote_ident(&db.name),
            quote_ident(s)
        );
        let row: Option<Row> = conn
            .query_first(&sql)
            .await
            .map_err(|e| query_error(target, &format!("sequence {s}"), &e))?;
        if let Some(v) = row.as_ref().and_then(|r| text(r, 0)) {
            out.push((s.clone(), v));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_columns_are_recognised() {
        assert!(is_generated("VIRTUAL GENERATED"));
        assert!(is_generated("STORED GENERATED"));
        assert!(is_generated("PERSISTENT"));
        assert!(is_generated("ROW START INVISIBLE"));
        assert!(!is_generated("DEFAULT_GENERATED"));
        assert!(!is_generated("auto_increment"));
        assert!(!is_generated("on update current_timestamp()"));
        assert!(!is_generated("INVISIBLE"));
    }

    #[test]
    fn select_list_widens_floats_and_numbers_bits() {
        let server = Server {
            product: "MariaDB",
            version: "10.11.19".into(),
            mariadb: true,
            numbers: (10, 11, 19),
            log_bin: false,
            server_id: None,
        };
        let col = |name: &str, data_type: &str, load| Column {
            name: name.into(),
            data_type: data_type.into(),
            load,
        };
        let t = Table {
            name: "t`x".into(),
            columns: vec![
                col("id", "int", Load::Plain),
                col("f", "float", Load::Plain),
                col("b", "bit", Load::Bit),
            ],
            auto_increment: None,
            size: 0,
            engine: None,
            int_key: Some("id".into()),
        };
        assert_eq!(
            select_sql(&server, "d", &t, None),
            "SELECT `id`, CAST(`f` AS DOUBLE), `b` + 0 FROM `d`.`t``x`"
        );
        assert_eq!(
            select_sql(&server, "d", &t, Some("`id` < 5")),
            "SELECT `id`, CAST(`f` AS DOUBLE), `b` + 0 FROM `d`.`t``x` WHERE `id` < 5"
        );
    }
}
