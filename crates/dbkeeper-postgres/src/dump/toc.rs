//! `toc.json`: this engine's own table of contents of a logical backup, written as its last
//! object. The manifest (`DumpContents`) says what the backup holds for people and drills; the
//! table of contents says how to put it back: the objects of each database, the column list
//! each table's data was copied with, and the database's own properties (owner, locale,
//! settings, comment, ACL), kept as data rather than SQL so that a restore under another
//! database name applies them to that name.

use serde::{Deserialize, Serialize};

/// Identifies the format, so that a restore refuses anything else.
pub(crate) const FORMAT: &str = "dbkeeper-postgres-logical";
/// Version 2: post-data is a pg_dump custom archive ([`ScriptFormat::Custom`]); version 1
/// backups (plain SQL post-data) are still read.
pub(crate) const VERSION: u32 = 2;

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
    /// Absent (plain SQL) in version 1.
    #[serde(default)]
    pub(crate) post_data_format: ScriptFormat,
    pub(crate) sequences: String,
    pub(crate) sequence_count: u64,
    pub(crate) large_objects: Option<String>,
    pub(crate) large_object_count: u64,
    pub(crate) tables: Vec<TableToc>,
    pub(crate) consistent_point: serde_json::Value,
}

/// How a schema object of the backup is written, and so what applies it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ScriptFormat {
    /// Plain SQL, run through psql.
    #[default]
    Sql,
    /// A pg_dump custom-format archive, run through `pg_restore --jobs`: post-data is
    /// mostly index and constraint builds, and pg_restore runs those of different tables at
    /// once, in an order that respects their dependencies (a foreign key after the key it
    /// references), as `pg_restore -j` of a whole dump does.
    Custom,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_post_data_is_plain_sql() {
        let v1 = r#"{"name": "d", "dir": "db/d", "properties": {"owner": "o", "encoding": "UTF8",
            "locale_provider": null, "collate": "C", "ctype": "C", "icu_locale": null,
            "connection_limit": -1, "is_template": false, "comment": null, "acl": null,
            "settings": []}, "pre_data": "db/d/pre-data.sql", "post_data": "db/d/post-data.sql",
            "sequences": "db/d/sequences.sql", "sequence_count": 0, "large_objects": null,
            "large_object_count": 0, "tables": [], "consistent_point": {}}"#;
        let db: DatabaseToc = serde_json::from_str(v1).expect("a version 1 entry");
        assert_eq!(db.post_data_format, ScriptFormat::Sql);
        let v2 = v1.replace(
            r#""post_data": "db/d/post-data.sql","#,
            r#""post_data": "db/d/post-data.dump", "post_data_format": "custom","#,
        );
        let db: DatabaseToc = serde_json::from_str(&v2).expect("a version 2 entry");
        assert_eq!(db.post_data_format, ScriptFormat::Custom);
    }
}
