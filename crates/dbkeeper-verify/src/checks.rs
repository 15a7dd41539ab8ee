//! What a drill checks on the restored copy, each with what was expected, what was found and a
//! verdict: row counts and schema object counts against the manifest (taken inside the backup's
//! own snapshot), the engine's own integrity check, and the caller's sanity queries.

use std::collections::BTreeMap;

use dbkeeper_core::engine::Engine;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Lang, Result, Text};
use dbkeeper_repo::Manifest;

use crate::msg;
use crate::report::{Check, Verdict};
use crate::Sanity;

fn check(kind: &str, name: String, expected: String, actual: String, verdict: Verdict) -> Check {
    Check {
        kind: kind.into(),
        name,
        expected,
        actual,
        verdict,
        name_zh: None,
        expected_zh: None,
    }
}

async fn on_db(target: &Target, db: &str) -> Result<Box<dyn Engine>> {
    let mut t = target.clone();
    t.database = Some(db.to_string());
    dbkeeper_backup::engines::connect(&t).await
}

fn first_u64(rows: &[dbkeeper_core::engine::Row], col: &str) -> Option<u64> {
    let v = rows.first()?.get(col)?;
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// The databases the backup holds (as restored under their own names).
pub(crate) fn databases(m: &Manifest) -> Vec<String> {
    let mut dbs: Vec<String> = m
        .facts
        .contents
        .object_counts
        .keys()
        .cloned()
        .chain(m.facts.contents.tables.iter().map(|t| t.database.clone()))
        .collect();
    dbs.sort();
    dbs.dedup();
    dbs
}

/// Every table's rows against the manifest's count.
pub(crate) async fn row_counts(target: &Target, m: &Manifest) -> Result<Vec<Check>> {
    let mut out = Vec::new();
    for db in databases(m) {
        let engine = on_db(target, &db).await?;
        for t in m.facts.contents.tables.iter().filter(|t| t.database == db) {
            let sql = match target.engine {
                EngineKind::Postgres => format!(
                    "SELECT count(*) AS n FROM ONLY {}.{}",
                    dbkeeper_postgres::quote_ident(&t.schema),
                    dbkeeper_postgres::quote_ident(&t.table)
                ),
                EngineKind::Mysql => format!(
                    "SELECT COUNT(*) AS n FROM {}.{}",
                    dbkeeper_mysql::quote_ident(&t.database),
                    dbkeeper_mysql::quote_ident(&t.table)
                ),
            };
            let name = if t.schema.is_empty() || t.schema == t.database {
                format!("{}.{}", t.database, t.table)
            } else {
                format!("{}.{}.{}", t.database, t.schema, t.table)
            };
            let (actual, verdict) = match engine.query(&sql).await {
                Ok(rows) => match first_u64(&rows, "n") {
                    Some(n) if n == t.rows => (n.to_string(), Verdict::Pass),
                    Some(n) => (n.to_string(), Verdict::Fail),
                    None => ("?".into(), Verdict::Fail),
                },
                Err(e) => (e.render(Lang::En), Verdict::Fail),
            };
            out.push(check("rows", name, t.rows.to_string(), actual, verdict));
        }
    }
    Ok(out)
}

/// Schema objects by kind, per database, against the manifest.
pub(crate) async fn object_counts(target: &Target, m: &Manifest) -> Result<Vec<Check>> {
    let mut out = Vec::new();
    for (db, expected) in &m.facts.contents.object_counts {
        let engine = on_db(target, db).await?;
        let found: BTreeMap<String, u64> = match target.engine {
            EngineKind::Postgres => engine
                .query(dbkeeper_postgres::dump::OBJECT_COUNTS_SQL)
                .await?
                .iter()
                .filter_map(|r| {
                    let kind = r.get("kind")?.as_str()?.to_string();
                    let n = r.get("count")?;
                    Some((kind, n.as_u64().or_else(|| n.as_str()?.parse().ok())?))
                })
                .collect(),
            EngineKind::Mysql => mysql_counts(engine.as_ref(), db).await?,
        };
        for (kind, want) in expected {
            let Some(got) = found.get(kind) else { continue };
            let verdict = if got == want {
                Verdict::Pass
            } else {
                Verdict::Fail
            };
            out.push(check(
                "objects",
                format!("{db}: {kind}"),
                want.to_string(),
                got.to_string(),
                verdict,
            ));
        }
    }
    Ok(out)
}

/// The kinds the MySQL dump counts, counted the same way.
async fn mysql_counts(engine: &dyn Engine, db: &str) -> Result<BTreeMap<String, u64>> {
    let lit = dbkeeper_mysql::quote_string(db);
    let mut out = BTreeMap::new();
    for (kind, sql) in [
        ("tables", format!("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = {lit} AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')")),
        ("views", format!("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = {lit} AND TABLE_TYPE = 'VIEW'")),
        ("sequences", format!("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = {lit} AND TABLE_TYPE = 'SEQUENCE'")),
        ("routines", format!("SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = {lit}")),
        ("triggers", format!("SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = {lit}")),
        ("events", format!("SELECT COUNT(*) AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = {lit}")),
    ] {
        let rows = engine.query(&sql).await?;
        out.insert(kind.to_string(), first_u64(&rows, "n").unwrap_or(0));
    }
    Ok(out)
}

/// PostgreSQL: amcheck's `bt_index_check` with `heapallindexed` on every B-tree index (which
/// also reads every heap tuple the index should cover); MySQL/MariaDB: `CHECK TABLE … EXTENDED`.
pub(crate) async fn integrity(target: &Target, dbs: &[String]) -> Result<Vec<Check>> {
    let mut out = Vec::new();
    for db in dbs {
        let engine = on_db(target, db).await?;
        match target.engine {
            EngineKind::Postgres => {
                // amcheck goes into a schema of its own (the copy is thrown away anyway), or is
                // used where the backup already had it.
                let schema = engine
                    .query(
                        "SELECT n.nspname AS s FROM pg_extension e
                           JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'",
                    )
                    .await?
                    .first()
                    .and_then(|r| r.get("s"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                let schema = match schema {
                    Some(s) => s,
                    None => {
                        engine.query("CREATE SCHEMA dbkeeper_amcheck").await?;
                        engine
                            .query("CREATE EXTENSION amcheck SCHEMA dbkeeper_amcheck")
                            .await?;
                        "dbkeeper_amcheck".to_string()
                    }
                };
                let rows = engine
                    .query(
                        "SELECT format('%I.%I', n.nspname, c.relname) AS idx FROM pg_index i
                           JOIN pg_class c ON c.oid = i.indexrelid
                           JOIN pg_namespace n ON n.oid = c.relnamespace
                           JOIN pg_am a ON a.oid = c.relam
                          WHERE a.amname = 'btree' AND c.relkind = 'i' AND i.indisvalid AND c.relpersistence <> 't'
                            AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                            AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1",
                    )
                    .await?;
                let mut bad = Vec::new();
                for r in &rows {
                    let Some(idx) = r.get("idx").and_then(|v| v.as_str()) else {
                        continue;
                    };
                    let sql = format!(
                        "SELECT {}.bt_index_check('{}'::regclass, true)",
                        dbkeeper_postgres::quote_ident(&schema),
                        idx.replace('\'', "''")
                    );
                    if let Err(e) = engine.query(&sql).await {
                        bad.push(format!("{idx}: {}", e.render(Lang::En)));
                    }
                }
                let verdict = if bad.is_empty() {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                };
                let mut c = check(
                    "engine",
                    format!("{db}: amcheck bt_index_check (heapallindexed)"),
                    Text::new(msg::INDEXES_SOUND)
                        .arg("n", rows.len())
                        .render(Lang::En),
                    if bad.is_empty() {
                        "ok".into()
                    } else {
                        bad.join("; ")
                    },
                    verdict,
                );
                c.localized(
                    None,
                    Some(&Text::new(msg::INDEXES_SOUND).arg("n", rows.len())),
                );
                out.push(c);
            }
            EngineKind::Mysql => {
                let lit = dbkeeper_mysql::quote_string(db);
                let tables = engine
                    .query(&format!(
                        "SELECT TABLE_NAME AS t FROM information_schema.TABLES
                          WHERE TABLE_SCHEMA = {lit} AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')"
                    ))
                    .await?;
                let mut bad = Vec::new();
                for r in &tables {
                    let Some(t) = r.get("t").and_then(|v| v.as_str()) else {
                        continue;
                    };
                    let q = format!(
                        "CHECK TABLE {}.{} EXTENDED",
                        dbkeeper_mysql::quote_ident(db),
                        dbkeeper_mysql::quote_ident(t)
                    );
                    for row in engine.query(&q).await? {
                        let kind = row.get("Msg_type").and_then(|v| v.as_str()).unwrap_or("");
                        let text = row.get("Msg_text").and_then(|v| v.as_str()).unwrap_or("");
                        if kind.eq_ignore_ascii_case("error")
                            || (kind.eq_ignore_ascii_case("status") && text != "OK")
                        {
                            bad.push(format!("{t}: {text}"));
                        }
                    }
                }
                let verdict = if bad.is_empty() {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                };
                let mut c = check(
                    "engine",
                    format!("{db}: CHECK TABLE … EXTENDED"),
                    Text::new(msg::TABLES_SOUND)
                        .arg("n", tables.len())
                        .render(Lang::En),
                    if bad.is_empty() {
                        "ok".into()
                    } else {
                        bad.join("; ")
                    },
                    verdict,
                );
                c.localized(
                    None,
                    Some(&Text::new(msg::TABLES_SOUND).arg("n", tables.len())),
                );
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// The caller's queries, each judged on its first value.
pub(crate) async fn sanity(
    target: &Target,
    m: &Manifest,
    queries: &[Sanity],
) -> Result<Vec<Check>> {
    let mut out = Vec::new();
    let db = databases(m).into_iter().next();
    for s in queries {
        let engine = match (&s.database, &db) {
            (Some(d), _) | (None, Some(d)) => on_db(target, d).await?,
            (None, None) => dbkeeper_backup::engines::connect(target).await?,
        };
        let (actual, verdict) = match engine.query(&s.sql).await {
            Ok(rows) => {
                let v = rows
                    .first()
                    .and_then(|r| r.values().next().cloned())
                    .unwrap_or(serde_json::Value::Null);
                let shown = match &v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match &s.judge {
                    Some(j) => match j(&v) {
                        Ok(()) => (shown, Verdict::Pass),
                        Err(why) => (format!("{shown} ({why})"), Verdict::Fail),
                    },
                    None => (shown, Verdict::Pass),
                }
            }
            Err(e) => (e.render(Lang::En), Verdict::Fail),
        };
        out.push(check(
            "sanity",
            s.name.clone().unwrap_or_else(|| s.sql.clone()),
            s.expect.clone().unwrap_or_else(|| "-".into()),
            actual,
            verdict,
        ));
    }
    Ok(out)
}

/// The newest value of `column` (`schema.table.column` or `table.column`) in the backup's first
/// database of the restored copy, as a time.
pub(crate) async fn newest(
    target: &Target,
    m: &Manifest,
    column: &str,
) -> Result<chrono::DateTime<chrono::Utc>> {
    let bad = || {
        dbkeeper_core::Error::new(
            dbkeeper_core::ErrorKind::Usage,
            Text::new(msg::RPO_COLUMN).arg("column", column),
        )
        .hint(Text::new(msg::RPO_COLUMN_HINT))
    };
    let parts: Vec<&str> = column.split('.').collect();
    let db = databases(m).into_iter().next().ok_or_else(bad)?;
    let engine = on_db(target, &db).await?;
    let sql = match (target.engine, parts.as_slice()) {
        (EngineKind::Postgres, [t, c]) => format!(
            "SELECT max({})::text AS v FROM {}",
            dbkeeper_postgres::quote_ident(c),
            dbkeeper_postgres::quote_ident(t)
        ),
        (EngineKind::Postgres, [s, t, c]) => format!(
            "SELECT max({})::text AS v FROM {}.{}",
            dbkeeper_postgres::quote_ident(c),
            dbkeeper_postgres::quote_ident(s),
            dbkeeper_postgres::quote_ident(t)
        ),
        (EngineKind::Mysql, [t, c]) | (EngineKind::Mysql, [_, t, c]) => format!(
            "SELECT CAST(MAX({}) AS CHAR) AS v FROM {}",
            dbkeeper_mysql::quote_ident(c),
            dbkeeper_mysql::quote_ident(t)
        ),
        _ => return Err(bad()),
    };
    let rows = engine.query(&sql).await?;
    let text = rows
        .first()
        .and_then(|r| r.get("v"))
        .and_then(|v| v.as_str())
        .ok_or_else(bad)?;
    parse_time(text).ok_or_else(bad)
}

/// `2026-11-25 13:00:00+08`, `2026-11-25T05:00:00Z`, `2026-11-25 05:00:00` (taken as UTC).
fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%#z"] {
        if let Ok(t) = chrono::DateTime::parse_from_str(s, f) {
            return Some(t.with_timezone(&chrono::Utc));
        }
    }
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_as_both_engines_print_them() {
        for (s, want) in [
            ("2026-11-25 13:00:00+08", "2026-11-25T05:00:00+00:00"),
            (
                "2026-11-25 05:00:00.123+00",
                "2026-11-25T05:00:00.123+00:00",
            ),
            ("2026-11-25T05:00:00Z", "2026-11-25T05:00:00+00:00"),
            ("2026-11-25 05:00:00", "2026-11-25T05:00:00+00:00"),
            ("2026-11-25", "2026-11-25T00:00:00+00:00"),
        ] {
            assert_eq!(
                super::parse_time(s).map(|t| t.to_rfc3339()).as_deref(),
                Some(want),
                "{s}"
            );
        }
        assert!(super::parse_time("yesterday").is_none());
    }
}
