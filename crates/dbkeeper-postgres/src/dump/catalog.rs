//! Catalog reads made inside the backup's snapshot: which tables and sequences hold data, the
//! database's own properties, and the counts of every kind of schema object.

use std::collections::BTreeMap;

use dbkeeper_core::target::Target;
use dbkeeper_core::Result;
use tokio_postgres::Client;

use crate::connect::query_error;
use crate::dump::toc::{AclEntry, DatabaseProps, DbSetting};

/// Schemas that hold no user objects: the catalogs, TOAST and other sessions' temporary ones.
const USER_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

/// Counts of schema objects by kind, in the user's schemas of the current database. The drill
/// runs the same statement on the restored copy and compares (`DumpContents::object_counts`).
pub const OBJECT_COUNTS_SQL: &str = "\
WITH ns AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'),
rel AS (
  SELECT c.relkind, count(*) AS n FROM pg_catalog.pg_class c
   WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relpersistence <> 't'
   GROUP BY c.relkind)
SELECT 'tables' AS kind, coalesce((SELECT n FROM rel WHERE relkind = 'r'), 0)::bigint AS count
UNION ALL SELECT 'partitioned_tables', coalesce((SELECT n FROM rel WHERE relkind = 'p'), 0)
UNION ALL SELECT 'views', coalesce((SELECT n FROM rel WHERE relkind = 'v'), 0)
UNION ALL SELECT 'materialized_views', coalesce((SELECT n FROM rel WHERE relkind = 'm'), 0)
UNION ALL SELECT 'foreign_tables', coalesce((SELECT n FROM rel WHERE relkind = 'f'), 0)
UNION ALL SELECT 'sequences', coalesce((SELECT n FROM rel WHERE relkind = 'S'), 0)
UNION ALL SELECT 'indexes', coalesce((SELECT sum(n) FROM rel WHERE relkind IN ('i', 'I')), 0)::bigint
UNION ALL SELECT 'routines', (SELECT count(*) FROM pg_catalog.pg_proc p
   WHERE p.pronamespace IN (SELECT oid FROM ns))
UNION ALL SELECT 'triggers', (SELECT count(*) FROM pg_catalog.pg_trigger t
   JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
   WHERE NOT t.tgisinternal AND c.relnamespace IN (SELECT oid FROM ns))
UNION ALL SELECT 'policies', (SELECT count(*) FROM pg_catalog.pg_policy p
   JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN (SELECT oid FROM ns))
UNION ALL SELECT 'rules', (SELECT count(*) FROM pg_catalog.pg_rewrite r
   JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
   WHERE r.rulename <> '_RETURN' AND c.relnamespace IN (SELECT oid FROM ns))
UNION ALL SELECT 'constraints', (SELECT count(*) FROM pg_catalog.pg_constraint k
   WHERE k.connamespace IN (SELECT oid FROM ns))
UNION ALL SELECT 'schemas', (SELECT count(*) FROM ns)
UNION ALL SELECT 'types', (SELECT count(*) FROM pg_catalog.pg_type t
   WHERE t.typnamespace IN (SELECT oid FROM ns)
     AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid))
UNION ALL SELECT 'extensions', (SELECT count(*) FROM pg_catalog.pg_extension)
UNION ALL SELECT 'event_triggers', (SELECT count(*) FROM pg_catalog.pg_event_trigger)
UNION ALL SELECT 'large_objects', (SELECT count(*) FROM pg_catalog.pg_largeobject_metadata)";

/// One table whose rows go into the backup.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) oid: u32,
    pub(crate) schema: String,
    pub(crate) name: String,
    /// An extension's configuration table: only the rows its condition selects are user data.
    pub(crate) filter: Option<String>,
    pub(crate) columns: Vec<String>,
}

/// Ordinary tables and leaf partitions (partitioned parents hold no rows themselves), in user
/// schemas, not belonging to an extension unless the extension marks them as configuration.
/// Unlogged tables cannot be read on a replica and are skipped there. Largest first (on
/// disk), so that the longest copies start early and the parallel jobs finish together.
fn tables_sql(generated_columns: bool) -> String {
    let not_generated = if generated_columns {
        "AND a.attgenerated = ''"
    } else {
        ""
    };
    format!(
        "\
SELECT c.oid, n.nspname::text, c.relname::text, pg_catalog.pg_relation_size(c.oid),
       (SELECT nullif(x.cond, '') FROM pg_catalog.pg_extension e,
               unnest(e.extconfig, e.extcondition) AS x(oid, cond) WHERE x.oid = c.oid LIMIT 1),
       coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped {not_generated}),
                '{{}}'::text[])
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND {USER_SCHEMA}
   AND (c.relpersistence <> 'u' OR NOT pg_catalog.pg_is_in_recovery())
   AND (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                       AND d.objid = c.oid AND d.deptype = 'e')
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE c.oid = ANY (e.extconfig)))
 ORDER BY 4 DESC, 2, 3"
    )
}

pub(crate) async fn tables(client: &Client, target: &Target, version: i32) -> Result<Vec<Table>> {
    let sql = tables_sql(version >= 120000);
    let rows = client
        .query(sql.as_str(), &[])
        .await
        .map_err(|e| query_error(target, "the list of tables", &e))?;
    rows.iter()
        .map(|r| {
            Ok(Table {
                oid: r.try_get(0)?,
                schema: r.try_get(1)?,
                name: r.try_get(2)?,
                filter: r.try_get(4)?,
                columns: r.try_get(5)?,
            })
        })
        .collect::<std::result::Result<Vec<_>, tokio_postgres::Error>>()
        .map_err(|e| query_error(target, "the list of tables", &e))
}

/// Sequences in user schemas (an extension's only when it marks them as configuration).
const SEQUENCES_SQL: &str = "\
SELECT n.nspname::text, c.relname::text
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
   AND (NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                       AND d.objid = c.oid AND d.deptype = 'e')
        OR EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE c.oid = ANY (e.extconfig)))
 ORDER BY 1, 2";

/// A sequence's state: `setval(name, last_value, is_called)` puts it back exactly.
#[derive(Clone, Debug)]
pub(crate) struct Sequence {
    pub(crate) schema: String,
    pub(crate) name: String,
    pub(crate) last_value: i64,
    pub(crate) is_called: bool,
}

/// Reads every sequence's state. Sequences are not transactional, so this is their state now,
/// not at the snapshot: at least as far advanced as any value the dumped rows hold, which is
/// what a restore needs (no value handed out twice), and what pg_dump records too.
pub(crate) async fn sequences(client: &Client, target: &Target) -> Result<Vec<Sequence>> {
    let what = "sequence values";
    let names: Vec<(String, String)> = client
        .query(SEQUENCES_SQL, &[])
        .await
        .map_err(|e| query_error(target, what, &e))?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<std::result::Result<_, tokio_postgres::Error>>()
        .map_err(|e| query_error(target, what, &e))?;
    let mut out = Vec::with_capacity(names.len());
    // A sequence is read as a one-row relation; many are read in one round trip.
    for batch in names.chunks(200) {
        let sql = batch
            .iter()
            .enumerate()
            .map(|(i, (s, n))| {
                format!(
                    "SELECT {i} AS i, last_value, is_called FROM {}",
                    crate::dump::sql::qualified(s, n)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows = client
            .query(sql.as_str(), &[])
            .await
            .map_err(|e| query_error(target, what, &e))?;
        let mut values: Vec<Option<(i64, bool)>> = vec![None; batch.len()];
        for r in &rows {
            let i: i32 = r.try_get(0).map_err(|e| query_error(target, what, &e))?;
            let v: i64 = r.try_get(1).map_err(|e| query_error(target, what, &e))?;
            let c: bool = r.try_get(2).map_err(|e| query_error(target, what, &e))?;
            if let Some(slot) = usize::try_from(i).ok().and_then(|i| values.get_mut(i)) {
                *slot = Some((v, c));
            }
        }
        for ((schema, name), v) in batch.iter().zip(values) {
            if let Some((last_value, is_called)) = v {
                out.push(Sequence {
                    schema: schema.clone(),
                    name: name.clone(),
                    last_value,
                    is_called,
                });
            }
        }
    }
    Ok(out)
}

/// The `sequences.sql` object: one `setval` per sequence.
pub(crate) fn sequences_script(seqs: &[Sequence]) -> String {
    use crate::dump::sql::{qualified, quote_literal};
    let mut s =
        String::from("-- sequence values, written by dbkeeper\nSET client_encoding = 'UTF8';\n");
    for q in seqs {
        s.push_str(&format!(
            "SELECT pg_catalog.setval({}, {}, {});\n",
            quote_literal(&qualified(&q.schema, &q.name)),
            q.last_value,
            q.is_called
        ));
    }
    s
}

fn props_sql(version: i32) -> String {
    // The locale provider and ICU locale are columns since PostgreSQL 15.
    let (provider, icu) = if version >= 150000 {
        ("d.datlocprovider::text", "d.daticulocale::text")
    } else {
        ("NULL::text", "NULL::text")
    };
    format!(
        "\
SELECT pg_catalog.pg_get_userbyid(d.datdba)::text, pg_catalog.pg_encoding_to_char(d.encoding)::text,
       d.datcollate::text, d.datctype::text, {provider}, {icu}, d.datconnlimit, d.datistemplate,
       pg_catalog.shobj_description(d.oid, 'pg_database'), d.datacl IS NULL
  FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()"
    )
}

const ACL_SQL: &str = "\
SELECT pg_catalog.pg_get_userbyid(a.grantor)::text,
       CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
       a.privilege_type, a.is_grantable
  FROM pg_catalog.pg_database d, pg_catalog.aclexplode(d.datacl) a
 WHERE d.datname = pg_catalog.current_database()";

const SETTINGS_SQL: &str = "\
SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(s.setrole)::text END,
       c.setting
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase,
       unnest(s.setconfig) WITH ORDINALITY AS c(setting, i)
 WHERE d.datname = pg_catalog.current_database()
 ORDER BY s.setrole <> 0, 1, c.i";

/// The current database's owner, locale, limits, comment, privileges and settings.
pub(crate) async fn database_props(
    client: &Client,
    target: &Target,
    version: i32,
) -> Result<DatabaseProps> {
    let what = "the database's properties";
    let err = |e: tokio_postgres::Error| query_error(target, what, &e);
    let r = client
        .query_one(props_sql(version).as_str(), &[])
        .await
        .map_err(err)?;
    let acl_is_default: bool = r.try_get(9).map_err(err)?;
    let acl = if acl_is_default {
        None
    } else {
        let rows = client.query(ACL_SQL, &[]).await.map_err(err)?;
        Some(
            rows.iter()
                .map(|a| {
                    Ok(AclEntry {
                        grantor: a.try_get(0)?,
                        grantee: a.try_get(1)?,
                        privilege: a.try_get(2)?,
                        grantable: a.try_get(3)?,
                    })
                })
                .collect::<std::result::Result<Vec<_>, tokio_postgres::Error>>()
                .map_err(err)?,
        )
    };
    let settings = client
        .query(SETTINGS_SQL, &[])
        .await
        .map_err(err)?
        .iter()
        .map(|s| {
            Ok(DbSetting {
                role: s.try_get(0)?,
                setting: s.try_get(1)?,
            })
        })
        .collect::<std::result::Result<Vec<_>, tokio_postgres::Error>>()
        .map_err(err)?;
    Ok(DatabaseProps {
        owner: r.try_get(0).map_err(err)?,
        encoding: r.try_get(1).map_err(err)?,
        collate: r.try_get(2).map_err(err)?,
        ctype: r.try_get(3).map_err(err)?,
        locale_provider: r.try_get(4).map_err(err)?,
        icu_locale: r.try_get(5).map_err(err)?,
        connection_limit: r.try_get(6).map_err(err)?,
        is_template: r.try_get(7).map_err(err)?,
        comment: r.try_get(8).map_err(err)?,
        acl,
        settings,
    })
}

/// [`OBJECT_COUNTS_SQL`] as a map.
pub(crate) async fn object_counts(
    client: &Client,
    target: &Target,
) -> Result<BTreeMap<String, u64>> {
    let rows = client
        .query(OBJECT_COUNTS_SQL, &[])
        .await
        .map_err(|e| query_error(target, "object counts", &e))?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(0)?;
            let n: i64 = r.try_get(1)?;
            Ok((kind, u64::try_from(n).unwrap_or(0)))
        })
        .collect::<std::result::Result<_, tokio_postgres::Error>>()
        .map_err(|e| query_error(target, "object counts", &e))
}

/// The names of large objects, in order.
pub(crate) async fn large_objects(client: &Client, target: &Target) -> Result<Vec<u32>> {
    client
        .query(
            "SELECT oid FROM pg_catalog.pg_largeobject_metadata ORDER BY oid",
            &[],
        )
        .await
        .map_err(|e| query_error(target, "the list of large objects", &e))?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| query_error(target, "the list of large objects", &e))
}
