//! Object names of a logical backup. Database and table names can hold any character (`/`,
//! spaces, Chinese); object names must be safe as file names on every local disk and as S3
//! keys, so each name becomes one path component with everything but `A-Za-z0-9_-`
//! percent-encoded. The encoding is injective, so different tables never share an object.
//!
//! ```text
//! toc.json                          the table of contents, written last
//! globals.sql                       users, roles and grants (on request)
//! db/<database>/tables.sql          CREATE TABLE / SEQUENCE (mariadb-dump --no-data)
//! db/<database>/data/<table>.tsv    one table's rows, LOAD DATA format
//! db/<database>/data/<table>.<n>.tsv  part n (1, 2, …) of a big table split by key ranges
//! db/<database>/routines.sql        procedures and functions
//! db/<database>/views.sql           views (after routines, which they may call)
//! db/<database>/triggers.sql        triggers (after the data, so they never fire on it)
//! db/<database>/events.sql          events
//! ```

/// A path component has to stay under the 255-byte file-name limit of common file systems; a
/// 64-character name of Chinese characters encodes to 576 bytes. Longer encodings fall back to
/// `~<ordinal>`: `~` is never produced by the encoding, so the two kinds cannot collide.
const MAX_COMPONENT: usize = 200;

/// Percent-encodes every byte outside `A-Za-z0-9_-`.
pub(crate) fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn component(name: &str, ordinal: usize) -> String {
    let enc = encode(name);
    if enc.is_empty() || enc.len() > MAX_COMPONENT {
        format!("~{ordinal}")
    } else {
        enc
    }
}

/// `db/<database>`: the folder of one database's objects.
pub(crate) fn database_dir(database: &str, ordinal: usize) -> String {
    format!("db/{}", component(database, ordinal))
}

/// `db/<database>/data/<table>.tsv`: one table's rows; `<table>.<part>.tsv` for each part of
/// a table split by key ranges (the encoded name has no `.`, so parts never meet other tables).
pub(crate) fn table_object(dir: &str, table: &str, ordinal: usize, part: Option<usize>) -> String {
    match part {
        None => format!("{dir}/data/{}.tsv", component(table, ordinal)),
        Some(p) => format!("{dir}/data/{}.{p}.tsv", component(table, ordinal)),
    }
}

pub(crate) const TOC: &str = "toc.json";
pub(crate) const GLOBALS: &str = "globals.sql";
pub(crate) const TABLES: &str = "tables.sql";
pub(crate) const ROUTINES: &str = "routines.sql";
pub(crate) const VIEWS: &str = "views.sql";
pub(crate) const TRIGGERS: &str = "triggers.sql";
pub(crate) const EVENTS: &str = "events.sql";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_path_components() {
        assert_eq!(encode("hospital"), "hospital");
        assert_eq!(encode("a.b/c d"), "a%2Eb%2Fc%20d");
        assert_eq!(encode("医院"), "%E5%8C%BB%E9%99%A2");
        assert_eq!(database_dir("hospital", 0), "db/hospital");
        assert_eq!(
            table_object("db/hospital", "patients", 3, None),
            "db/hospital/data/patients.tsv"
        );
        assert_eq!(
            table_object("db/hospital", "patients", 3, Some(2)),
            "db/hospital/data/patients.2.tsv"
        );
        assert_ne!(
            table_object("d", "a.b", 1, None),
            table_object("d", "a%2Eb", 2, None)
        );
        assert_ne!(
            table_object("d", "a.1", 1, None),
            table_object("d", "a", 2, Some(1))
        );
        let long = "表".repeat(64);
        assert_eq!(table_object("d", &long, 42, None), "d/data/~42.tsv");
        assert_eq!(database_dir("", 7), "db/~7");
    }
}
