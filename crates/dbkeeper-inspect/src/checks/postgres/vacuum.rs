//! Vacuum, bloat and transaction-id wraparound.

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, pct, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        VAC_001 = "inspect.pg.vac_001" { en: "databases are far from transaction-id wraparound", zh: "数据库距事务号回卷尚远" }
        VAC_001_FIX = "inspect.pg.vac_001_fix" {
            en: "run VACUUM (FREEZE) on the oldest tables of that database (PG-VAC-002 lists them) and find what stops autovacuum (long transactions, slots, disabled autovacuum); at 2 billion the server stops accepting writes",
            zh: "请对该库中最旧的表执行 VACUUM (FREEZE)（PG-VAC-002 列出了这些表），并排查阻碍 autovacuum 的原因（长事务、复制槽、关闭了 autovacuum）；达到 20 亿时服务器将拒绝写入"
        }
        VAC_002 = "inspect.pg.vac_002" { en: "tables are far from transaction-id wraparound", zh: "各表距事务号回卷尚远" }
        VAC_002_FIX = "inspect.pg.vac_002_fix" {
            en: "VACUUM (FREEZE, VERBOSE) the tables in the evidence, in a quiet hour; if autovacuum keeps failing on them, look for long transactions and locks",
            zh: "请在低峰时段对证据中的表执行 VACUUM (FREEZE, VERBOSE)；若 autovacuum 屡次未能完成，请排查长事务和锁"
        }
        VAC_003 = "inspect.pg.vac_003" { en: "databases are far from multixact wraparound", zh: "数据库距多事务号回卷尚远" }
        VAC_003_FIX = "inspect.pg.vac_003_fix" {
            en: "multixacts come from row locks shared by several transactions (SELECT … FOR SHARE, foreign keys): VACUUM (FREEZE) the busiest tables and lower autovacuum_multixact_freeze_max_age if needed",
            zh: "多事务号来自多个事务共享的行锁（SELECT … FOR SHARE、外键）：请对最繁忙的表执行 VACUUM (FREEZE)，必要时调低 autovacuum_multixact_freeze_max_age"
        }
        VAC_004 = "inspect.pg.vac_004" { en: "dead rows are cleaned up", zh: "死元组得到及时清理" }
        VAC_004_FIX = "inspect.pg.vac_004_fix" {
            en: "autovacuum does not keep up with these tables: check that it is enabled for them, look for long transactions, and lower autovacuum_vacuum_scale_factor for large tables",
            zh: "autovacuum 未能及时清理这些表：请确认对其已启用，排查长事务，并为大表调低 autovacuum_vacuum_scale_factor"
        }
        VAC_005 = "inspect.pg.vac_005" { en: "tables have planner statistics", zh: "各表都有优化器统计信息" }
        VAC_005_FIX = "inspect.pg.vac_005_fix" {
            en: "run ANALYZE on these tables: without statistics the planner guesses and picks bad plans",
            zh: "请对这些表执行 ANALYZE：没有统计信息时优化器只能猜测，容易选错执行计划"
        }
        VAC_006 = "inspect.pg.vac_006" { en: "table bloat (estimate)", zh: "表膨胀（估算）" }
        VAC_006_FIX = "inspect.pg.vac_006_fix" {
            en: "reclaim the space with pg_repack, or VACUUM FULL in a maintenance window (it locks the table); the estimate comes from statistics, so ANALYZE first",
            zh: "请用 pg_repack 回收空间，或在维护窗口执行 VACUUM FULL（会锁表）；该值依据统计信息估算，请先执行 ANALYZE"
        }
        VAC_007 = "inspect.pg.vac_007" { en: "no long-running vacuum", zh: "无长时间运行的清理" }
        VAC_007_FIX = "inspect.pg.vac_007_fix" {
            en: "a vacuum runs long: it may be throttled (autovacuum_vacuum_cost_limit), waiting on locks, or the table is huge; check pg_stat_progress_vacuum",
            zh: "清理运行时间过长：可能被限速（autovacuum_vacuum_cost_limit）、在等锁，或表过大；请查看 pg_stat_progress_vacuum"
        }
        VAC_008 = "inspect.pg.vac_008" { en: "autovacuum is enabled on every table", zh: "所有表均启用了 autovacuum" }
        VAC_008_FIX = "inspect.pg.vac_008_fix" {
            en: "re-enable autovacuum on these tables (ALTER TABLE … RESET (autovacuum_enabled)) or make sure a scheduled VACUUM covers them",
            zh: "请对这些表重新启用 autovacuum（ALTER TABLE … RESET (autovacuum_enabled)），或确保有定时 VACUUM 覆盖它们"
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

/// pghero warns with less than 1.5 billion ids left (age ≈ 646 M); check_postgres
/// `txn_wraparound` is critical at 1.4 billion.
fn wrap() -> Vec<crate::threshold::ThresholdDef> {
    vec![
        count("warning", 646_000_000.0),
        count("critical", 1_400_000_000.0),
    ]
}

pub(super) fn defs() -> Vec<Def> {
    use Group::Vacuum as V;
    vec![
        check("PG-VAC-001", V, msg::VAC_001, msg::VAC_001_FIX, |c| {
            let rows = c.rows("db_age")?;
            check::worst_row(c, rows, "xid_age", "database")
        })
        .th(wrap())
        .probes(&["db_age"])
        .src("check_postgres `txn_wraparound` C 1.4 B; pghero < 1.5 B left (age 646 M)"),
        check("PG-VAC-002", V, msg::VAC_002, msg::VAC_002_FIX, |c| {
            let rows = c.rows("table_age")?;
            check::worst_row(c, rows, "xid_age", "table")
        })
        .th(wrap())
        .probes(&["table_age"])
        .src("pghero `transaction_id_danger`; relfrozenxid incl. TOAST"),
        check("PG-VAC-003", V, msg::VAC_003, msg::VAC_003_FIX, |c| {
            let rows = c.rows("db_age")?;
            check::worst_row(c, rows, "mxid_age", "database")
        })
        .th(wrap())
        .probes(&["db_age"])
        .src("pg_gather: mxid_age(datminmxid) per database"),
        // autovacuum's own trigger is 20% dead (autovacuum_vacuum_scale_factor); twice the
        // live rows is a table autovacuum has given up on (ours).
        check("PG-VAC-004", V, msg::VAC_004, msg::VAC_004_FIX, vac_004)
            .th(vec![
                pct("warning", 20.0),
                count("critical_ratio", 2.0),
                count("min_dead", 10_000.0),
            ])
            .probes(&["dead_tuples"])
            .src("pg_gather dead/live ratio; autovacuum_vacuum_scale_factor 0.2"),
        check("PG-VAC-005", V, msg::VAC_005, msg::VAC_005_FIX, |c| {
            let min = c.t("min_rows");
            let rows: Vec<Row> = c
                .rows("never_analyzed")?
                .iter()
                .filter(|r| value::f64_of(r.get("live")).unwrap_or(0.0) >= min)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Info, "table")
        })
        .th(vec![count("min_rows", 1_000.0)])
        .probes(&["never_analyzed"])
        .src("pg_gather: tables without statistics"),
        // check_postgres `bloat`: W 1 GB / C 5 GB wasted.
        check("PG-VAC-006", V, msg::VAC_006, msg::VAC_006_FIX, |c| {
            let rows = c.rows("bloat")?;
            check::worst_row(c, rows, "wasted_bytes", "table")
        })
        .th(vec![
            bytes("warning", 1024.0 * 1024.0 * 1024.0),
            bytes("critical", 5.0 * 1024.0 * 1024.0 * 1024.0),
        ])
        .probes(&["bloat"])
        .src(
            "check_postgres `bloat` W 1 GB / C 5 GB; estimate from pg_stats (research §2.5 caveat)",
        ),
        check("PG-VAC-007", V, msg::VAC_007, msg::VAC_007_FIX, |c| {
            let rows = c.rows("vacuum_progress")?;
            // A long vacuum is worth knowing about, not an alarm.
            check::worst_row(c, rows, "age_s", "table").map(|mut o| {
                if o.status != Status::Ok {
                    o.status = Status::Info;
                }
                o
            })
        })
        .th(vec![
            secs("warning", 3600.0),
            secs("critical", 24.0 * 3600.0),
        ])
        .probes(&["vacuum_progress"])
        .src("pghero, pgmetrics: pg_stat_progress_vacuum (ours: 1 h / 24 h)"),
        check("PG-VAC-008", V, msg::VAC_008, msg::VAC_008_FIX, |c| {
            let rows = c.rows("autovacuum_off_tables")?;
            check::list(c, rows, Status::Warning, "table")
        })
        .probes(&["autovacuum_off_tables"])
        .src("ours: reloptions autovacuum_enabled = false"),
    ]
}

fn vac_004(c: &Ctx<'_>) -> Eval {
    let min = c.t("min_dead");
    let warn = c.t("warning");
    let crit_ratio = c.t("critical_ratio");
    let mut status = Status::Ok;
    let rows: Vec<Row> = c
        .rows("dead_tuples")?
        .iter()
        .filter(|r| {
            let dead = value::f64_of(r.get("dead")).unwrap_or(0.0);
            let p = value::f64_of(r.get("dead_pct")).unwrap_or(0.0);
            dead >= min && p >= warn
        })
        .inspect(|r| {
            let dead = value::f64_of(r.get("dead")).unwrap_or(0.0);
            let live = value::f64_of(r.get("live")).unwrap_or(0.0);
            let s = if dead >= crit_ratio * live.max(1.0) {
                Status::Critical
            } else {
                Status::Warning
            };
            status = status.max(s);
        })
        .cloned()
        .collect();
    let mut o = check::list_outcome(c, &rows, Status::Warning, "table");
    o.status = status;
    if rows.is_empty() {
        o.summary = Text::new(crate::msg::NONE_FOUND);
    }
    Ok(o)
}
