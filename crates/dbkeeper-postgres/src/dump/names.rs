//! Object names of a logical backup. Database, schema and table names can hold any character
//! (`/`, spaces, Chinese); object names must be safe as file names on every local disk and as
//! S3 keys, so each name becomes one path component with everything but `A-Za-z0-9_-`
//! percent-encoded. The encoding is injective, so different tables never share an object.

/// A path component has to stay under the 255-byte file-name limit of common file systems;
/// longer encodings (names of many non-ASCII characters) fall back to the object id.
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
    if out.is_empty() {
        // An empty identifier is legal in PostgreSQL ("") and must still give a component.
        out.push('%');
    }
    out
}

/// `db/<database>`: the folder of one database's objects.
pub(crate) fn database_dir(database: &str, oid: u32) -> String {
    let enc = encode(database);
    if enc.len() <= MAX_COMPONENT {
        format!("db/{enc}")
    } else {
        format!("db/oid-{oid}")
    }
}

/// `db/<database>/data/<schema>.<table>.copy`: one table's rows in COPY text format.
pub(crate) fn table_object(dir: &str, schema: &str, table: &str, oid: u32) -> String {
    let file = format!("{}.{}", encode(schema), encode(table));
    if file.len() <= MAX_COMPONENT {
        format!("{dir}/data/{file}.copy")
    } else {
        // One dot only: cannot collide with an encoded `<schema>.<table>` (two dots).
        format!("{dir}/data/oid-{oid}.copy")
    }
}

pub(crate) const TOC: &str = "toc.json";
pub(crate) const GLOBALS: &str = "globals.sql";
pub(crate) const PRE_DATA: &str = "pre-data.sql";
/// A pg_dump custom archive (see [`super::toc::ScriptFormat::Custom`]).
pub(crate) const POST_DATA: &str = "post-data.dump";
pub(crate) const SEQUENCES: &str = "sequences.sql";
pub(crate) const LARGE_OBJECTS: &str = "large-objects.lo";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_path_components() {
        assert_eq!(encode("public"), "public");
        assert_eq!(encode("a.b/c d"), "a%2Eb%2Fc%20d");
        assert_eq!(encode("医院"), "%E5%8C%BB%E9%99%A2");
        assert_eq!(encode(""), "%");
        assert_eq!(
            table_object("db/hospital", "public", "patients", 1),
            "db/hospital/data/public.patients.copy"
        );
        // `a.b`.`c` and `a`.`b.c` stay apart.
        assert_ne!(
            table_object("d", "a.b", "c", 1),
            table_object("d", "a", "b.c", 2)
        );
        let long = "表".repeat(63 / 3);
        assert_eq!(table_object("d", &long, &long, 42), "d/data/oid-42.copy");
        assert_eq!(database_dir(&"库".repeat(23), 7), "db/oid-7");
    }
}
