//! The table of contents of a logical backup (`toc.json`): what the restore needs beyond the
//! manifest's [`DumpContents`](dbkeeper_core::dump::DumpContents) — each database's character
//! set, each table's column list and how each column is loaded, the AUTO_INCREMENT counters
//! and sequence values of the snapshot, and which schema objects exist. It is an object of the
//! backup itself, so it is hash-checked like every other.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub(crate) const FORMAT: &str = "dbkeeper-mysql-logical";
pub(crate) const VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Toc {
    pub(crate) format: String,
    pub(crate) version: u32,
    pub(crate) product: String,
    pub(crate) server_version: String,
    /// `globals.sql` when users and grants were dumped.
    pub(crate) globals: Option<String>,
    pub(crate) databases: Vec<DatabaseToc>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct DatabaseToc {
    pub(crate) name: String,
    pub(crate) charset: String,
    pub(crate) collation: String,
    /// MariaDB 10.5+ keeps a comment per database.
    #[serde(default)]
    pub(crate) comment: Option<String>,
    /// The SQL objects of this database, by role; `None` when there is nothing of that kind.
    pub(crate) tables_sql: String,
    pub(crate) routines_sql: Option<String>,
    pub(crate) views_sql: Option<String>,
    pub(crate) triggers_sql: Option<String>,
    pub(crate) events_sql: Option<String>,
    pub(crate) tables: Vec<TableToc>,
    #[serde(default)]
    pub(crate) sequences: Vec<SequenceToc>,
    pub(crate) object_counts: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct TableToc {
    pub(crate) name: String,
    /// Rows of the whole table.
    pub(crate) rows: u64,
    /// The table's data: one object, or one per range of its integer primary key for a big
    /// table (read and loaded in parallel).
    pub(crate) parts: Vec<PartToc>,
    /// The stored columns in the order of the data file; generated columns are left out (the
    /// server computes them again).
    pub(crate) columns: Vec<ColumnToc>,
    /// The table's AUTO_INCREMENT counter in the snapshot, set again after the load (loading
    /// rows only raises it to the largest id + 1).
    #[serde(default)]
    pub(crate) auto_increment: Option<u64>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct ColumnToc {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) load: Load,
}

/// How a column's text in the data file becomes its value again.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Load {
    /// The bytes as they are.
    #[default]
    Plain,
    /// BIT: dumped as its number (LOAD DATA cannot read b'…' literals).
    Bit,
    /// MySQL's JSON type refuses bytes of the `binary` character set: converted to utf8mb4.
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct PartToc {
    pub(crate) object: String,
    pub(crate) rows: u64,
}

/// A MariaDB sequence and the value its next call returns, as in the snapshot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct SequenceToc {
    pub(crate) name: String,
    /// `next_not_cached_value` as the server wrote it (it may exceed the signed range).
    pub(crate) next_value: String,
}

impl Toc {
    pub(crate) fn database(&self, name: &str) -> Option<&DatabaseToc> {
        self.databases.iter().find(|d| d.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let toc = Toc {
            format: FORMAT.into(),
            version: VERSION,
            product: "MariaDB".into(),
            server_version: "10.11.19".into(),
            globals: None,
            databases: vec![DatabaseToc {
                name: "医院".into(),
                charset: "utf8mb4".into(),
                collation: "utf8mb4_unicode_ci".into(),
                comment: None,
                tables_sql: "db/x/tables.sql".into(),
                routines_sql: None,
                views_sql: None,
                triggers_sql: None,
                events_sql: None,
                tables: vec![TableToc {
                    name: "t".into(),
                    rows: 3,
                    parts: vec![PartToc {
                        object: "db/x/data/t.tsv".into(),
                        rows: 3,
                    }],
                    columns: vec![ColumnToc {
                        name: "b".into(),
                        load: Load::Bit,
                    }],
                    auto_increment: Some(18446744073709551615),
                }],
                sequences: vec![],
                object_counts: BTreeMap::new(),
            }],
        };
        let text = serde_json::to_string(&toc).expect("encode");
        assert!(text.contains("\"load\":\"bit\""), "{text}");
        let back: Toc = serde_json::from_str(&text).expect("decode");
        assert_eq!(back, toc);
        assert!(back.database("医院").is_some());
    }
}
