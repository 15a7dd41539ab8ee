//! Indexes and constraints: invalid, unused, duplicate, missing (sequential scans, foreign keys,
//! primary keys), and constraints never validated.

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, pct};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        IDX_001 = "inspect.pg.idx_001" { en: "no invalid indexes", zh: "无无效索引" }
        IDX_001_FIX = "inspect.pg.idx_001_fix" {
            en: "an invalid index (a failed CREATE INDEX CONCURRENTLY) is maintained on every write but never used: DROP INDEX CONCURRENTLY it and create it again, or REINDEX INDEX CONCURRENTLY",
            zh: "无效索引（CREATE INDEX CONCURRENTLY 失败的产物）在每次写入时都要维护却从不被使用：请 DROP INDEX CONCURRENTLY 后重建，或执行 REINDEX INDEX CONCURRENTLY"
        }
        IDX_002 = "inspect.pg.idx_002" { en: "no large unused indexes", zh: "无大型未使用索引" }
        IDX_002_FIX = "inspect.pg.idx_002_fix" {
            en: "these indexes were never scanned since the statistics reset: check every replica and the yearly batch jobs before dropping them (DROP INDEX CONCURRENTLY)",
            zh: "这些索引自统计重置以来从未被扫描：删除前请确认所有备库及年度批处理任务均未使用（DROP INDEX CONCURRENTLY）"
        }
        IDX_002_SEEN = "inspect.pg.idx_002_seen" {
            en: "{count} unused indexes of {min} or more ({total} in all): {list}; statistics since {since}",
            zh: "{count} 个不小于 {min} 的索引未被使用（共 {total}）：{list}；统计起始于 {since}"
        }
        IDX_003 = "inspect.pg.idx_003" { en: "no duplicate or covered indexes", zh: "无重复或被覆盖的索引" }
        IDX_003_FIX = "inspect.pg.idx_003_fix" {
            en: "an index whose columns lead another index on the same table is redundant: drop it (DROP INDEX CONCURRENTLY) after checking that it does not back a constraint",
            zh: "若某索引的列是同表另一索引的前导列，则该索引多余：确认其不支撑约束后删除（DROP INDEX CONCURRENTLY）"
        }
        IDX_004 = "inspect.pg.idx_004" { en: "large tables are read through indexes", zh: "大表通过索引访问" }
        IDX_004_FIX = "inspect.pg.idx_004_fix" {
            en: "these large tables are mostly read by sequential scans: find the statements (pg_stat_statements) and add the indexes their WHERE clauses need",
            zh: "这些大表主要以顺序扫描读取：请定位相关 SQL（pg_stat_statements），并按其 WHERE 条件增加索引"
        }
        IDX_005 = "inspect.pg.idx_005" { en: "every table has a primary key", zh: "每张表都有主键" }
        IDX_005_FIX = "inspect.pg.idx_005_fix" {
            en: "add a primary key (or a unique key): without one, logical replication cannot update or delete rows, migrations cannot verify rows, and duplicates creep in",
            zh: "请增加主键（或唯一键）：没有主键时逻辑复制无法更新或删除行，迁移无法逐行校验，且容易出现重复数据"
        }
        IDX_006 = "inspect.pg.idx_006" { en: "every constraint is validated", zh: "所有约束均已验证" }
        IDX_006_FIX = "inspect.pg.idx_006_fix" {
            en: "constraints added NOT VALID are not checked for existing rows: run ALTER TABLE … VALIDATE CONSTRAINT (it does not block writes)",
            zh: "以 NOT VALID 方式添加的约束不检查已有数据：请执行 ALTER TABLE … VALIDATE CONSTRAINT（不阻塞写入）"
        }
        IDX_007 = "inspect.pg.idx_007" { en: "foreign keys have an index", zh: "外键列有索引" }
        IDX_007_FIX = "inspect.pg.idx_007_fix" {
            en: "without an index on the referencing columns, every delete or key update on the parent scans the child table and locks more: CREATE INDEX CONCURRENTLY on those columns",
            zh: "引用列上没有索引时，父表的每次删除或主键更新都要扫描子表并加更多锁：请在这些列上 CREATE INDEX CONCURRENTLY"
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn catalogue_is_complete() {
            dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
        }
    }
}

pub(super) fn defs() -> Vec<Def> {
    use Group::Indexes as I;
    vec![
        check("PG-IDX-001", I, msg::IDX_001, msg::IDX_001_FIX, |c| {
            let rows = c.rows("invalid_indexes")?;
            check::list(c, rows, Status::Warning, "index")
        })
        .probes(&["invalid_indexes"])
        .src("postgresqltuner, pghero, pg_gather, pgwatch `invalid_indexes`"),
        // pghero lists unused indexes of 10 MB or more; smaller ones are noise (PH#104).
        check("PG-IDX-002", I, msg::IDX_002, msg::IDX_002_FIX, idx_002)
            .th(vec![bytes("min_size", 10.0 * 1024.0 * 1024.0)])
            .probes(&["unused_indexes"])
            .counters()
            .src("pghero unused indexes ≥ 10 MB; stats_reset shown (PH#140)"),
        check("PG-IDX-003", I, msg::IDX_003, msg::IDX_003_FIX, |c| {
            let rows = c.rows("duplicate_indexes")?;
            check::list(c, rows, Status::Warning, "index")
        })
        .probes(&["duplicate_indexes"])
        .src("pghero `duplicate_indexes`, pgwatch"),
        // pghero `missing_indexes`: under 95% of scans by index on tables of 10,000 rows or more.
        check("PG-IDX-004", I, msg::IDX_004, msg::IDX_004_FIX, |c| {
            let min = c.t("min_rows");
            let share = c.t("index_use");
            let rows: Vec<Row> = c
                .rows("seq_scans")?
                .iter()
                .filter(|r| value::f64_of(r.get("rows")).unwrap_or(0.0) >= min)
                .filter(|r| value::f64_of(r.get("index_use_pct")).unwrap_or(100.0) < share)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Info, "table")
        })
        .th(vec![pct("index_use", 95.0), count("min_rows", 10_000.0)])
        .probes(&["seq_scans"])
        .counters()
        .src("pghero `missing_indexes`: idx share < 95%, n_live_tup ≥ 10,000"),
        check("PG-IDX-005", I, msg::IDX_005, msg::IDX_005_FIX, |c| {
            let rows = c.rows("no_pk")?;
            check::list(c, rows, Status::Warning, "table")
        })
        .probes(&["no_pk"])
        .src("pg_gather `pkuk`: tables without PK/UK"),
        check("PG-IDX-006", I, msg::IDX_006, msg::IDX_006_FIX, |c| {
            let rows = c.rows("not_valid_constraints")?;
            check::list(c, rows, Status::Warning, "constraint")
        })
        .probes(&["not_valid_constraints"])
        .src("pghero: NOT VALID constraints"),
        check("PG-IDX-007", I, msg::IDX_007, msg::IDX_007_FIX, |c| {
            let rows = c.rows("fk_without_index")?;
            check::list(c, rows, Status::Info, "constraint")
        })
        .probes(&["fk_without_index"])
        .src("ours: FK columns not the leading columns of an index"),
    ]
}

fn idx_002(c: &Ctx<'_>) -> Eval {
    let min = c.t("min_size");
    let rows: Vec<Row> = c
        .rows("unused_indexes")?
        .iter()
        .filter(|r| value::f64_of(r.get("size_bytes")).unwrap_or(0.0) >= min)
        .cloned()
        .collect();
    let since = c
        .run
        .rates
        .current
        .stats_reset
        .or(c.run.rates.current.started_at)
        .map_or_else(
            || "?".into(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
    if rows.is_empty() {
        return Ok(
            crate::check::Outcome::new(Status::Ok, Text::new(crate::msg::NONE_FOUND))
                .value("statistics_since", since),
        );
    }
    let total: f64 = rows
        .iter()
        .filter_map(|r| value::f64_of(r.get("size_bytes")))
        .sum();
    Ok(crate::check::Outcome::new(
        Status::Info,
        Text::new(msg::IDX_002_SEEN)
            .arg("count", rows.len())
            .arg("min", crate::threshold::human_bytes(min))
            .arg("total", crate::threshold::human_bytes(total))
            .arg("list", check::names(&rows, "index", 3))
            .arg("since", &since),
    )
    .value("count", rows.len())
    .value("statistics_since", since)
    .rows(&rows, c.max_rows()))
}
