//! A small synthetic data set of a provincial internet-hospital regulatory platform
//! (互联网医院监管平台), the same one the PostgreSQL engine loads: hospitals, doctors with their
//! practice certificate numbers (执业证书编号), nurses, patients with masked identity numbers
//! and phones, online consultations and prescriptions, plus a view, a trigger, a function and a
//! procedure. Every value is computed from a row number, so each load yields identical rows;
//! Chinese text and emoji throughout exercise utf8mb4.

use std::time::Instant;

use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use mysql_async::Conn;

use crate::{connect, msg, quote_ident};

/// The SQL that builds the sample inside the current database.
pub const SCRIPT: &str = include_str!("sample.sql");

/// The sample's tables with the number of rows each gets, in load order (parents first).
pub const TABLES: &[(&str, u64)] = &[
    ("hospitals", 24),
    ("doctors", 400),
    ("nurses", 300),
    ("patients", 2000),
    ("consultations", 3000),
    ("prescriptions", 2500),
];

/// What [`load`] made.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SampleSummary {
    pub database: String,
    /// Every table with its row count as counted after the load, in [`TABLES`] order.
    pub tables: Vec<TableRows>,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TableRows {
    pub table: String,
    pub rows: u64,
}

impl SampleSummary {
    /// The row count of one table, if it is part of the sample.
    pub fn rows(&self, table: &str) -> Option<u64> {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map(|t| t.rows)
    }

    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Creates `database` (utf8mb4) on `target` and loads the sample into it.
///
/// An existing database is never touched: that is an error. If loading fails half-way, the new
/// database is dropped again so that the next attempt starts clean.
pub async fn load(target: &Target, database: &str) -> Result<SampleSummary> {
    let started = Instant::now();
    let mut conn = connect::open(target).await?;
    let db = quote_ident(database);
    let create = format!("CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    if let Err(e) = conn.query_drop(create).await {
        return Err(match &e {
            // ER_DB_CREATE_EXISTS
            mysql_async::Error::Server(s) if s.code == 1007 => Error::new(
                ErrorKind::Config,
                Text::new(msg::SAMPLE_EXISTS)
                    .arg("database", database)
                    .arg("target", target),
            )
            .hint(Text::new(msg::SAMPLE_EXISTS_HINT)),
            _ => load_error(target, database, &e),
        });
    }
    let result = fill(&mut conn, &db).await;
    let tables = match result {
        Ok(()) => count(&mut conn, &db).await,
        Err(e) => Err(e),
    };
    let tables = match tables {
        Ok(t) => t,
        Err(e) => {
            // Best effort: the error being reported is the load's, not the clean-up's.
            if let Err(drop_err) = conn
                .query_drop(format!("DROP DATABASE IF EXISTS {db}"))
                .await
            {
                tracing::warn!(database, error = %drop_err, "could not drop the half-loaded sample database");
            }
            return Err(load_error(target, database, &e));
        }
    };
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %e, "disconnect after loading the sample failed");
    }
    Ok(SampleSummary {
        database: database.to_string(),
        tables,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

async fn fill(conn: &mut Conn, db: &str) -> std::result::Result<(), mysql_async::Error> {
    conn.query_drop(format!("USE {db}")).await?;
    // One batch: the server splits it into statements, trigger and routine bodies included.
    conn.query_drop(SCRIPT).await
}

async fn count(
    conn: &mut Conn,
    db: &str,
) -> std::result::Result<Vec<TableRows>, mysql_async::Error> {
    let mut out = Vec::with_capacity(TABLES.len());
    for (table, _) in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {db}.{}", quote_ident(table));
        let rows: Option<u64> = conn.query_first(sql).await?;
        out.push(TableRows {
            table: (*table).to_string(),
            rows: rows.unwrap_or(0),
        });
    }
    Ok(out)
}

fn load_error(target: &Target, database: &str, e: &mysql_async::Error) -> Error {
    let kind = match e {
        mysql_async::Error::Server(_) => ErrorKind::Failed,
        _ => ErrorKind::Unavailable,
    };
    Error::new(
        kind,
        Text::new(msg::SAMPLE_LOAD)
            .arg("database", database)
            .arg("target", target),
    )
    .hint(Text::new(msg::SAMPLE_LOAD_HINT))
    .detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_creates_every_table_it_counts() {
        for (table, _) in TABLES {
            assert!(
                SCRIPT.contains(&format!("CREATE TABLE {table} (")),
                "{table} missing from sample.sql"
            );
        }
        assert!(SCRIPT.contains("CREATE TRIGGER"));
        assert!(SCRIPT.contains("CREATE VIEW"));
        assert!(SCRIPT.contains("CREATE FUNCTION"));
        assert!(SCRIPT.contains("CREATE PROCEDURE"));
    }

    #[test]
    fn summary_lookup() {
        let s = SampleSummary {
            database: "d".into(),
            tables: vec![TableRows {
                table: "hospitals".into(),
                rows: 24,
            }],
            duration_ms: 1,
        };
        assert_eq!(s.rows("hospitals"), Some(24));
        assert_eq!(s.rows("nope"), None);
        assert_eq!(s.total_rows(), 24);
    }
}
