//! `toc.json`: this engine's own table of contents of a logical backup, written as its last
//! object. The manifest (`DumpContents`) says what the backup holds for people and drills; the
//! table of contents says how to put it back: the objects of each database, the column list
//! each table's data was copied with, and the database's own properties (owner, locale,
//! settings, comment, ACL), kept as data rather than SQL so that a restore under another
//! database name applies them to that name.

use serde::{Deserialize, Serialize};

/// Identifies the format, so that a restore refuses anything else.
pub(crate) const FORMAT: &str = "dbkeeper-postgres-logical";
pub(crate) const VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Toc {
    pub(crate) format: String,
    pub(crate) version: u32,
    pub(crate) server_version: String,
    pub(crate) server_version_num: i32,
    /// `pg_dumpall --globals-only` (roles, memberships, tablespaces), when dumped.
    pub(crate) globals: Option<String>,
    /// The dumping user was not a superuser: roles come back without their passwords.
    #[serde(default)]
    pub(crate) globals_without_passwords: bool,
    pub(crate) databases: Vec<DatabaseToc>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DatabaseToc {
    pub(crate) name: String,
    /// The folder of its objects (`db/<name>`).
    pub(crate) dir: String,
    pub(crate) properties: DatabaseProps,
    pub(crate) pre_data: String,
    pub(crate) post_data: String,
    pub(crate) sequences: String,
    pub(crate) sequence_count: u64,
    pub(crate) large_objects: Option<String>,
    pub(crate) large_object_count: u64,
    pub(crate) tables: Vec<TableToc>,
    pub(crate) consistent_point: serde_json::Value,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DatabaseProps {
    pub(crate) owner: String,
    pub(crate) encoding: String,
    /// `c` (libc) or `i` (ICU); PostgreSQL 15 and later.
    pub(crate) locale_provider: Option<String>,
    pub(crate) collate: String,
    pub(crate) ctype: String,
    pub(crate) icu_locale: Option<String>,
    pub(crate) connection_limit: i32,
    pub(crate) is_template: bool,
    pub(crate) comment: Option<String>,
    /// `None`: the default privileges (no ACL stored in the catalog).
    pub(crate) acl: Option<Vec<AclEntry>>,
    /// `ALTER DATABASE … SET` and `ALTER ROLE … IN DATABASE … SET`, as `name=value`.
    pub(crate) settings: Vec<DbSetting>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AclEntry {
    pub(crate) grantor: String,
    /// `None` is PUBLIC.
    pub(crate) grantee: Option<String>,
    /// `CREATE`, `TEMPORARY` or `CONNECT`.
    pub(crate) privilege: String,
    pub(crate) grantable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DbSetting {
    /// `None`: for every role (`ALTER DATABASE … SET`).
    pub(crate) role: Option<String>,
    /// As stored in `pg_db_role_setting.setconfig`: `name=value`.
    pub(crate) setting: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TableToc {
    pub(crate) schema: String,
    pub(crate) table: String,
    /// The columns, in the order of the data; generated columns are left out (the server
    /// computes them again on load).
    pub(crate) columns: Vec<String>,
    pub(crate) object: String,
    pub(crate) rows: u64,
    pub(crate) bytes: u64,
}
