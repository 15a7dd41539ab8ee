//! InnoDB health, indexes, space and growth, statements and backups for MySQL/MariaDB.

use std::collections::BTreeMap;

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;
use serde_json::json;

use super::server::{ratio_high, with_binlog};
use crate::check::{self, Ctx, Def, Eval, Outcome};
use crate::checks::{check, common};
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, human_secs, pct, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        INN_001 = "inspect.my.inn_001" { en: "InnoDB purge keeps up (history list)", zh: "InnoDB purge 跟得上（历史链表）" }
        INN_001_FIX = "inspect.my.inn_001_fix" {
            en: "old row versions pile up: a long transaction (MY-SES-002) or a consistent snapshot holds purge back; end it, and check innodb_purge_threads (MT > 100,000)",
            zh: "旧行版本不断堆积：长事务（MY-SES-002）或一致性快照阻止了 purge；请结束它，并检查 innodb_purge_threads（MT：> 100,000）"
        }
        INN_001_SEEN = "inspect.my.inn_001_seen" {
            en: "history list length {length} (warning at {warning}, critical at {critical})",
            zh: "历史链表长度 {length}（警告阈值 {warning}，严重阈值 {critical}）"
        }
        INN_002 = "inspect.my.inn_002" { en: "redo log holds an hour of writes", zh: "重做日志可容纳一小时的写入" }
        INN_002_FIX = "inspect.my.inn_002_fix" {
            en: "the redo log fills in less than an hour: raise innodb_log_file_size (innodb_redo_log_capacity on MySQL 8.0.30+) so that checkpoints are not forced (MT)",
            zh: "重做日志不到一小时就写满：请调大 innodb_log_file_size（MySQL 8.0.30+ 为 innodb_redo_log_capacity），避免被迫检查点（MT）"
        }
        INN_002_SEEN = "inspect.my.inn_002_seen" {
            en: "{rate} of redo per hour, redo log {size}",
            zh: "每小时写入重做日志 {rate}，重做日志大小 {size}"
        }
        INN_003 = "inspect.my.inn_003" { en: "user tables use InnoDB", zh: "业务表使用 InnoDB" }
        INN_003_FIX = "inspect.my.inn_003_fix" {
            en: "MyISAM and Aria tables lock whole tables, are not crash-safe and are not in consistent backups: ALTER TABLE … ENGINE = InnoDB (MT)",
            zh: "MyISAM 和 Aria 表使用表级锁、不具备崩溃安全性，也无法纳入一致性备份：请执行 ALTER TABLE … ENGINE = InnoDB（MT）"
        }
        INN_004 = "inspect.my.inn_004" { en: "tables are not fragmented", zh: "表无严重碎片" }
        INN_004_FIX = "inspect.my.inn_004_fix" {
            en: "much free space inside these tables: OPTIMIZE TABLE (or ALTER TABLE … FORCE) in a quiet hour gives it back (MT: > 10% free on tables over 100 MB)",
            zh: "这些表内部空闲空间较多：低峰时执行 OPTIMIZE TABLE（或 ALTER TABLE … FORCE）可回收（MT：100 MB 以上的表空闲 > 10%）"
        }
        INN_005 = "inspect.my.inn_005" { en: "buffer pool size aligns with its chunks", zh: "缓冲池大小与块大小对齐" }
        INN_005_FIX = "inspect.my.inn_005_fix" {
            en: "innodb_buffer_pool_size should be a multiple of innodb_buffer_pool_chunk_size × instances, or the server rounds it up on its own (MT)",
            zh: "innodb_buffer_pool_size 应为 innodb_buffer_pool_chunk_size × 实例数的整数倍，否则服务器会自行向上取整（MT）"
        }
        INN_005_SEEN = "inspect.my.inn_005_seen" {
            en: "buffer pool {bp}, chunk {chunk} × {instances} instances",
            zh: "缓冲池 {bp}，块大小 {chunk} × {instances} 个实例"
        }
        IDX_001 = "inspect.my.idx_001" { en: "no unused indexes", zh: "无未使用的索引" }
        IDX_001_FIX = "inspect.my.idx_001_fix" {
            en: "these indexes were not used since the server started (performance_schema): check a full business cycle and the replicas before dropping them",
            zh: "这些索引自服务器启动以来未被使用（performance_schema）：删除前请确认覆盖完整业务周期并检查各从库"
        }
        IDX_002 = "inspect.my.idx_002" { en: "no redundant indexes", zh: "无冗余索引" }
        IDX_002_FIX = "inspect.my.idx_002_fix" {
            en: "an index whose columns lead another index of the same table is redundant: drop it (pt-duplicate-key-checker shows the same)",
            zh: "若某索引的列是同表另一索引的前导列，则该索引冗余：请删除（pt-duplicate-key-checker 结果相同）"
        }
        IDX_003 = "inspect.my.idx_003" { en: "every table has a primary key", zh: "每张表都有主键" }
        IDX_003_FIX = "inspect.my.idx_003_fix" {
            en: "add a primary key: InnoDB otherwise uses a hidden one, row-based replication scans the whole table per row, and Galera/Group Replication refuse such tables (MT)",
            zh: "请增加主键：否则 InnoDB 使用隐藏主键，基于行的复制对每行都要全表扫描，Galera/组复制也不支持这类表（MT）"
        }
        IDX_004 = "inspect.my.idx_004" { en: "every table has an index", zh: "每张表都有索引" }
        IDX_004_FIX = "inspect.my.idx_004_fix" {
            en: "tables without any index are read in full by every query: add the primary key and the indexes the queries need (MT)",
            zh: "没有任何索引的表每次查询都要全表读取：请增加主键及查询所需的索引（MT）"
        }
        STO_004 = "inspect.my.sto_004" { en: "binary logs take reasonable space", zh: "二进制日志占用空间合理" }
        STO_004_FIX = "inspect.my.sto_004_fix" {
            en: "binary logs take much space: shorten binlog_expire_logs_seconds once backups cover the period, or PURGE BINARY LOGS BEFORE a time the backups cover",
            zh: "二进制日志占用空间较大：在备份已覆盖的前提下缩短 binlog_expire_logs_seconds，或执行 PURGE BINARY LOGS BEFORE 到备份已覆盖的时间点"
        }
        STO_004_SEEN = "inspect.my.sto_004_seen" {
            en: "{count} binary logs, {size} (warning at {warning}, critical at {critical})",
            zh: "{count} 个二进制日志，共 {size}（警告阈值 {warning}，严重阈值 {critical}）"
        }
        STO_005 = "inspect.my.sto_005" { en: "AUTO_INCREMENT columns are far from their limit", zh: "自增列距上限尚远" }
        STO_005_FIX = "inspect.my.sto_005_fix" {
            en: "an AUTO_INCREMENT column is about to run out: ALTER TABLE … MODIFY the column to BIGINT (UNSIGNED) before inserts fail",
            zh: "自增列即将耗尽：请在插入失败前用 ALTER TABLE … MODIFY 将该列改为 BIGINT（UNSIGNED）"
        }
        STO_006 = "inspect.my.sto_006" { en: "largest tables", zh: "最大的表" }
        STO_006_FIX = "inspect.my.sto_006_fix" {
            en: "very large tables deserve a plan: partitioning by time, archiving old rows (历史数据迁移), and checking that backups and restores still fit their windows",
            zh: "超大表需要专门规划：按时间分区、归档历史数据（历史数据迁移），并确认备份与还原仍能在时间窗口内完成"
        }
        STO_007 = "inspect.my.sto_007" { en: "tables use utf8mb4", zh: "表使用 utf8mb4 字符集" }
        STO_007_FIX = "inspect.my.sto_007_fix" {
            en: "convert these tables (ALTER TABLE … CONVERT TO CHARACTER SET utf8mb4): latin1 and utf8mb3 cannot hold all Chinese characters and emoji",
            zh: "请转换这些表（ALTER TABLE … CONVERT TO CHARACTER SET utf8mb4）：latin1 和 utf8mb3 无法保存全部中文字符和表情符号"
        }
        QRY_001 = "inspect.my.qry_001" { en: "share of slow queries", zh: "慢查询占比" }
        QRY_001_FIX = "inspect.my.qry_001_fix" {
            en: "many statements exceed long_query_time: analyse the slow log (pt-query-digest) or the digests (MY-QRY-003) and add indexes (MT > 5%)",
            zh: "大量语句超过 long_query_time：请分析慢日志（pt-query-digest）或语句摘要（MY-QRY-003）并增加索引（MT：> 5%）"
        }
        QRY_002 = "inspect.my.qry_002" { en: "slow statements are logged", zh: "已记录慢 SQL" }
        QRY_002_FIX = "inspect.my.qry_002_fix" {
            en: "set slow_query_log = ON and long_query_time ≤ 10 (often 1): otherwise slow statements leave no trace (MT)",
            zh: "请设置 slow_query_log = ON 且 long_query_time ≤ 10（常用 1）：否则慢 SQL 不留痕迹（MT）"
        }
        QRY_002_SEEN = "inspect.my.qry_002_seen" {
            en: "slow_query_log = {log}, long_query_time = {time}",
            zh: "slow_query_log = {log}，long_query_time = {time}"
        }
        QRY_003 = "inspect.my.qry_003" { en: "no slow frequent statements", zh: "无频繁执行的慢 SQL" }
        QRY_003_FIX = "inspect.my.qry_003_fix" {
            en: "these statements are slow and frequent: EXPLAIN them, add indexes or rewrite; `dbkeeper advise` can help",
            zh: "这些 SQL 既慢又频繁：请用 EXPLAIN 分析，增加索引或改写；可参考 `dbkeeper advise`"
        }
        QRY_004 = "inspect.my.qry_004" { en: "frequent statements use indexes", zh: "频繁执行的语句使用了索引" }
        QRY_004_FIX = "inspect.my.qry_004_fix" {
            en: "these statements ran without an index: add the index their WHERE or JOIN needs (sys.statements_with_full_table_scans lists the same)",
            zh: "这些语句执行时未使用索引：请按其 WHERE 或 JOIN 条件增加索引（sys.statements_with_full_table_scans 的结果相同）"
        }
        BAK_002 = "inspect.my.bak_002" { en: "binary logs cover the time between backups", zh: "二进制日志覆盖两次备份之间的时间" }
        BAK_002_FIX = "inspect.my.bak_002_fix" {
            en: "keep binary logs at least as long as the interval between full backups (binlog_expire_logs_seconds), or point-in-time recovery has gaps",
            zh: "请让二进制日志的保留时间不短于两次全量备份的间隔（binlog_expire_logs_seconds），否则时间点恢复会有缺口"
        }
        BAK_002_SEEN = "inspect.my.bak_002_seen" {
            en: "binary logs kept {keep} (at least {need} needed)",
            zh: "二进制日志保留 {keep}（至少需要 {need}）"
        }
        BAK_006 = "inspect.my.bak_006" { en: "Galera state transfer is a safe method", zh: "Galera 状态传输方式安全" }
        BAK_006_FIX = "inspect.my.bak_006_fix" {
            en: "set wsrep_sst_method = mariabackup (or xtrabackup-v2 on Percona): rsync and mysqldump block or break the donor (MT)",
            zh: "请设置 wsrep_sst_method = mariabackup（Percona 为 xtrabackup-v2）：rsync 与 mysqldump 会阻塞或影响供体节点（MT）"
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

const MIB: f64 = 1024.0 * 1024.0;
const GIB: f64 = 1024.0 * MIB;

pub(super) fn defs() -> Vec<Def> {
    use crate::checks::common::msg as cm;
    use Group::{Backup as B, Indexes as I, Innodb as N, Space as S, Statements as Q};
    vec![
        check("MY-INN-001", N, msg::INN_001, msg::INN_001_FIX, inn_001)
            .th(vec![count("warning", 100_000.0), count("critical", 1_000_000.0)])
            .probes(&["history_length"])
            .src("MySQLTuner: history list > 100,000 → purge lags (ours: 1 M critical)"),
        check("MY-INN-002", N, msg::INN_002, msg::INN_002_FIX, inn_002)
            .counters()
            .src("MySQLTuner: redo capacity vs Innodb_os_log_written per hour"),
        check("MY-INN-003", N, msg::INN_003, msg::INN_003_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("tables")?
                .iter()
                .filter(|r| {
                    let e = value::text_of(r.get("engine"));
                    !e.is_empty() && !e.eq_ignore_ascii_case("InnoDB")
                })
                .map(|r| pick(r, &["table", "engine", "rows"]))
                .collect();
            check::list(c, &rows, Status::Warning, "table")
        })
        .probes(&["tables"])
        .src("MySQLTuner: non-InnoDB user tables → bad"),
        // Not provoked by the tests: InnoDB reports DATA_FREE in whole extents only after
        // purge and page merges, which a short test cannot wait for; its ok path is tested.
        check("MY-INN-004", N, msg::INN_004, msg::INN_004_FIX, |c| {
            let min = c.t("min_size");
            let share = c.t("warning");
            let rows: Vec<Row> = c
                .rows("tables")?
                .iter()
                .filter(|r| {
                    let data = value::f64_of(r.get("data_bytes")).unwrap_or(0.0);
                    let index = value::f64_of(r.get("index_bytes")).unwrap_or(0.0);
                    let free = value::f64_of(r.get("free_bytes")).unwrap_or(0.0);
                    data >= min && 100.0 * free / (data + index + free).max(1.0) > share
                })
                .map(|r| pick(r, &["table", "data_bytes", "free_bytes"]))
                .collect();
            check::list(c, &rows, Status::Info, "table")
        })
        .th(vec![pct("warning", 10.0), bytes("min_size", 100.0 * MIB)])
        .probes(&["tables"])
        .src("MySQLTuner: DATA_FREE > 10% on tables over 100 MB → OPTIMIZE"),
        // Not provoked by the tests: the server rounds the pool to its chunks at start-up; a
        // misalignment appears only after an online resize; its ok path is tested.
        check("MY-INN-005", N, msg::INN_005, msg::INN_005_FIX, inn_005)
            .src("MySQLTuner: bp mod (chunk × instances) ≠ 0 → misaligned"),
        check("MY-IDX-001", I, msg::IDX_001, msg::IDX_001_FIX, |c| {
            let rows = c.rows("unused_indexes")?;
            check::list(c, rows, Status::Info, "index")
        })
        .probes(&["unused_indexes"])
        .needs(crate::msg::NEEDS_PERF_SCHEMA)
        .counters()
        .src("MySQLTuner, sys.schema_unused_indexes (performance_schema since restart)"),
        check("MY-IDX-002", I, msg::IDX_002, msg::IDX_002_FIX, idx_002)
            .probes(&["index_columns"])
            .src("MySQLTuner, pt-duplicate-key-checker, sys.schema_redundant_indexes"),
        check("MY-IDX-003", I, msg::IDX_003, msg::IDX_003_FIX, |c| {
            let rows = c.rows("no_pk")?;
            check::list(c, rows, Status::Warning, "table")
        })
        .probes(&["no_pk"])
        .src("MySQLTuner: tables without PRIMARY KEY → bad"),
        check("MY-IDX-004", I, msg::IDX_004, msg::IDX_004_FIX, idx_004)
            .probes(&["tables", "index_columns"])
            .src("MySQLTuner: tables without any index"),
        // MySQLTuner sets W 85 / C 95 for disk use.
        check("MY-STO-001", S, cm::FS_DATA, cm::FS_FIX, common::fs_data)
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("MySQLTuner: % used per mount (W 85 / C 95)"),
        check("MY-STO-002", S, cm::FS_BINLOG, cm::FS_FIX, |c| with_binlog(c, common::fs_binlog))
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("MySQLTuner: % used per mount; binlog directory"),
        check("MY-STO-003", S, cm::DAYS_FULL, cm::DAYS_FULL_FIX, common::days_until_full)
            .th(vec![secs("warning", 30.0 * 86_400.0), secs("critical", 7.0 * 86_400.0)])
            .needs(crate::msg::NEEDS_HOST)
            .counters()
            .src("MySQLTuner, pt-mysql-summary: size growth between snapshots"),
        check("MY-STO-004", S, msg::STO_004, msg::STO_004_FIX, sto_004)
            .th(vec![bytes("warning", 50.0 * GIB), bytes("critical", 200.0 * GIB)])
            .probes(&["binlogs"])
            .src("ours: SHOW BINARY LOGS Σ File_size"),
        check("MY-STO-005", S, msg::STO_005, msg::STO_005_FIX, sto_005)
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .probes(&["tables", "autoinc_columns"])
            .src("ours (as check_postgres `sequence` W 85% / C 95%): AUTO_INCREMENT vs column type"),
        check("MY-STO-006", S, msg::STO_006, msg::STO_006_FIX, sto_006)
            .th(vec![bytes("warning", 100.0 * GIB), bytes("critical", 1024.0 * GIB)])
            .probes(&["tables"])
            .src("pt-mysql-summary, MySQLTuner: data size per table"),
        check("MY-STO-007", S, msg::STO_007, msg::STO_007_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("tables")?
                .iter()
                .filter(|r| {
                    let coll = value::text_of(r.get("collation"));
                    !coll.is_empty() && !coll.starts_with("utf8mb4")
                })
                .map(|r| pick(r, &["table", "collation"]))
                .collect();
            check::list(c, &rows, Status::Info, "table")
        })
        .probes(&["tables"])
        .src("MySQLTuner: non-utf8 columns/tables"),
        // MySQLTuner: Slow_queries / Questions > 5% is bad.
        check("MY-QRY-001", Q, msg::QRY_001, msg::QRY_001_FIX, |c| {
            ratio_high(c, "status.Slow_queries", &["status.Questions"])
        })
        .th(vec![pct("warning", 5.0), pct("critical", 20.0), count("min_events", 1_000.0)])
        .counters()
        .src("MySQLTuner: Slow_queries / Questions > 5%"),
        check("MY-QRY-002", Q, msg::QRY_002, msg::QRY_002_FIX, qry_002)
            .th(vec![secs("warning", 10.0)])
            .src("MySQLTuner: slow_query_log OFF → enable; long_query_time > 10 (MT#517)"),
        check("MY-QRY-003", Q, msg::QRY_003, msg::QRY_003_FIX, |c| {
            let mean = c.t("mean") * 1000.0;
            let calls = c.t("min_calls");
            let rows: Vec<Row> = c
                .rows("digests")?
                .iter()
                .filter(|r| value::f64_of(r.get("mean_ms")).unwrap_or(0.0) >= mean)
                .filter(|r| value::f64_of(r.get("calls")).unwrap_or(0.0) >= calls)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Warning, "query")
        })
        .th(vec![secs("mean", 0.02), count("min_calls", 100.0)])
        .probes(&["digests"])
        .needs(crate::msg::NEEDS_PERF_SCHEMA)
        .counters()
        .src("performance_schema digests; pghero's slow-query bar (mean ≥ 20 ms, calls ≥ 100)"),
        check("MY-QRY-004", Q, msg::QRY_004, msg::QRY_004_FIX, |c| {
            let calls = c.t("min_calls");
            let rows: Vec<Row> = c
                .rows("digests")?
                .iter()
                .filter(|r| value::f64_of(r.get("no_index")).unwrap_or(0.0) > 0.0)
                .filter(|r| value::f64_of(r.get("calls")).unwrap_or(0.0) >= calls)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Info, "query")
        })
        .th(vec![count("min_calls", 100.0)])
        .probes(&["digests"])
        .needs(crate::msg::NEEDS_PERF_SCHEMA)
        .counters()
        .src("MySQLTuner, sys.statements_with_full_table_scans: SUM_NO_INDEX_USED"),
        check("MY-BAK-001", B, cm::BAK_LAST, cm::BAK_LAST_FIX, common::backup_last)
            .th(vec![secs("warning", 26.0 * 3600.0), secs("critical", 48.0 * 3600.0)])
            .tags(&["djbh3:8.1.4.9a"])
            .src("research §3.6 MY-BAK-001: > 26 h → warn; ledger / repositories"),
        check("MY-BAK-002", B, msg::BAK_002, msg::BAK_002_FIX, bak_002)
            .th(vec![secs("warning", 26.0 * 3600.0)])
            .tags(&["djbh3:8.1.4.9a"])
            .src("pt-variable-advisor expire_logs_days; research MY-BAK-002 binlog retention ≥ backup interval"),
        check("MY-BAK-003", B, cm::BAK_OFFSITE, cm::BAK_OFFSITE_FIX, common::backup_offsite)
            .th(vec![secs("warning", 26.0 * 3600.0), secs("critical", 72.0 * 3600.0)])
            .tags(&["djbh3:8.1.4.9b"])
            .src("等保 8.1.4.9b 异地备份; contract 本地、异地备份"),
        check("MY-BAK-004", B, cm::DRILL, cm::DRILL_FIX, common::drill)
            .th(vec![secs("warning", 31.0 * 86_400.0), secs("critical", 62.0 * 86_400.0)])
            .tags(&["djbh3:8.1.4.9a"])
            .src("contract 定期开展还原测试"),
        check("MY-BAK-005", B, cm::BAK_ENCRYPTED, cm::BAK_ENCRYPTED_FIX, common::backup_encrypted)
            .tags(&["djbh3:8.1.4.8b"])
            .src("等保 8.1.4.8b; DESIGN §2 fail closed on security"),
        // Not provoked by the tests: no Galera cluster (its "not a Galera node" path runs).
        // Not provoked by the tests: needs a Galera node (its "not a Galera node" path runs).
        check("MY-BAK-006", B, msg::BAK_006, msg::BAK_006_FIX, |c| {
            if !c.opt_setting("wsrep_on").is_some_and(|s| s.is_on()) {
                return Ok(Outcome::new(Status::Ok, Text::new(super::msg::NO_GALERA)));
            }
            check::setting(
                c,
                "wsrep_sst_method",
                |s| !s.value.contains("backup"),
                Status::Warning,
                "mariabackup",
            )
        })
        .src("MySQLTuner: wsrep_sst_method not xtrabackup/mariabackup → bad"),
    ]
}

/// A row with only the named columns.
fn pick(r: &Row, keys: &[&str]) -> Row {
    keys.iter()
        .filter_map(|k| r.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

fn inn_001(c: &Ctx<'_>) -> Eval {
    // MariaDB and Percona report it as status; MySQL in INNODB_METRICS.
    let length = match c.status("Innodb_history_list_length") {
        Ok(n) => n,
        Err(_) => value::f64_of(c.row("history_length")?.get("length")).unwrap_or(0.0),
    };
    Ok(Outcome::new(
        c.above(length),
        Text::new(msg::INN_001_SEEN)
            .arg("length", length)
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("history_list_length", length))
}

fn inn_002(c: &Ctx<'_>) -> Eval {
    let (written, basis) = match c.rate("status.Innodb_os_log_written")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let size = c
        .opt_setting("innodb_redo_log_capacity")
        .and_then(|s| s.num())
        .or_else(|| {
            let f = c
                .opt_setting("innodb_log_file_size")
                .and_then(|s| s.num())?;
            let n = c
                .opt_setting("innodb_log_files_in_group")
                .and_then(|s| s.num())
                .unwrap_or(1.0);
            Some(f * n)
        })
        .unwrap_or(0.0);
    let per_hour = written / basis.seconds.max(1.0) * 3600.0;
    Ok(Outcome::new(
        if per_hour > size {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::INN_002_SEEN)
            .arg("rate", human_bytes(per_hour))
            .arg("size", human_bytes(size)),
    )
    .value("redo_bytes_per_hour", per_hour.round())
    .value("redo_size_bytes", size)
    .basis(basis))
}

fn inn_005(c: &Ctx<'_>) -> Eval {
    let get = |n: &str| c.opt_setting(n).and_then(|s| s.num());
    let bp = get("innodb_buffer_pool_size").unwrap_or(0.0);
    let Some(chunk) = get("innodb_buffer_pool_chunk_size").filter(|v| *v > 0.0) else {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::SETTING_IS)
                .arg("name", "innodb_buffer_pool_size")
                .arg("value", human_bytes(bp)),
        ));
    };
    // MariaDB 10.5+ has one instance (the variable is gone).
    let instances = get("innodb_buffer_pool_instances").unwrap_or(1.0).max(1.0);
    let unit = chunk * instances;
    let aligned = (bp % unit).abs() < 1.0;
    Ok(Outcome::new(
        if aligned { Status::Ok } else { Status::Info },
        Text::new(msg::INN_005_SEEN)
            .arg("bp", human_bytes(bp))
            .arg("chunk", human_bytes(chunk))
            .arg("instances", instances),
    ))
}

/// An index as the redundancy rule compares it: unique, type, columns (with prefix lengths).
type IndexShape = (bool, String, Vec<String>);

/// Indexes whose columns are a prefix of another index on the same table (or equal to it, the
/// later-named one reported), the way pt-duplicate-key-checker reads them.
fn idx_002(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("index_columns")?;
    // table → index → (unique, type, columns with prefix lengths)
    let mut tables: BTreeMap<String, BTreeMap<String, IndexShape>> = BTreeMap::new();
    for r in rows {
        let t = value::text_of(r.get("table"));
        let i = value::text_of(r.get("index"));
        let unique = value::f64_of(r.get("non_unique")).unwrap_or(1.0) == 0.0;
        let ty = value::text_of(r.get("type"));
        let mut col = value::text_of(r.get("column"));
        if let Some(p) = value::opt_text(r.get("sub_part")) {
            col = format!("{col}({p})");
        }
        let e = tables
            .entry(t)
            .or_default()
            .entry(i)
            .or_insert((unique, ty, Vec::new()));
        e.2.push(col);
    }
    let mut found: Vec<Row> = Vec::new();
    for (t, idx) in &tables {
        for (a, (a_unique, a_ty, a_cols)) in idx {
            if a == "PRIMARY" {
                continue;
            }
            let covered = idx.iter().find(|(b, (b_unique, b_ty, b_cols))| {
                if *b == a || b_ty != a_ty || b_cols.len() < a_cols.len() {
                    return false;
                }
                if b_cols[..a_cols.len()] != a_cols[..] {
                    return false;
                }
                if b_cols.len() > a_cols.len() {
                    // A unique index is a constraint even when another index leads with it.
                    return !*a_unique;
                }
                // Same columns: keep the unique one, or of equals the first by name.
                (*b_unique && !*a_unique) || (*b_unique == *a_unique && b.as_str() < a.as_str())
            });
            if let Some((b, _)) = covered {
                found.push(
                    [
                        ("table".to_string(), json!(t)),
                        ("index".to_string(), json!(format!("{t}.{a}"))),
                        ("covered_by".to_string(), json!(b)),
                        ("columns".to_string(), json!(a_cols.join(", "))),
                    ]
                    .into_iter()
                    .collect(),
                );
            }
        }
    }
    check::list(c, &found, Status::Warning, "index")
}

fn idx_004(c: &Ctx<'_>) -> Eval {
    let with_index: std::collections::HashSet<String> = c
        .rows("index_columns")?
        .iter()
        .map(|r| value::text_of(r.get("table")))
        .collect();
    let rows: Vec<Row> = c
        .rows("tables")?
        .iter()
        .filter(|r| !with_index.contains(&value::text_of(r.get("table"))))
        .map(|r| pick(r, &["table", "engine", "rows"]))
        .collect();
    check::list(c, &rows, Status::Warning, "table")
}

fn sto_004(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("binlogs")?;
    let size: f64 = rows
        .iter()
        .filter_map(|r| value::f64_of(r.get("File_size")))
        .sum();
    Ok(Outcome::new(
        c.above(size),
        Text::new(msg::STO_004_SEEN)
            .arg("count", rows.len())
            .arg("size", human_bytes(size))
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("binlog_bytes", size)
    .value("binlog_files", rows.len()))
}

/// The largest value a column of this type can hold.
fn type_max(ty: &str) -> Option<f64> {
    let t = ty.to_ascii_lowercase();
    let unsigned = t.contains("unsigned");
    let base = t.split(['(', ' ']).next().unwrap_or_default();
    let bits = match base {
        "tinyint" => 8,
        "smallint" => 16,
        "mediumint" => 24,
        "int" | "integer" => 32,
        "bigint" => 64,
        _ => return None,
    };
    Some(if unsigned {
        2f64.powi(bits) - 1.0
    } else {
        2f64.powi(bits - 1) - 1.0
    })
}

fn sto_005(c: &Ctx<'_>) -> Eval {
    let columns: BTreeMap<String, (String, String)> = c
        .rows("autoinc_columns")?
        .iter()
        .map(|r| {
            (
                value::text_of(r.get("table")),
                (
                    value::text_of(r.get("column")),
                    value::text_of(r.get("type")),
                ),
            )
        })
        .collect();
    let rows: Vec<Row> = c
        .rows("tables")?
        .iter()
        .filter_map(|r| {
            let next = value::f64_of(r.get("auto_increment"))?;
            let (column, ty) = columns.get(&value::text_of(r.get("table")))?;
            let max = type_max(ty)?;
            let mut row = pick(r, &["table", "auto_increment"]);
            row.insert("column".into(), json!(column));
            row.insert("type".into(), json!(ty));
            row.insert(
                "used_pct".into(),
                json!((1000.0 * next / max).round() / 10.0),
            );
            Some(row)
        })
        .collect();
    check::worst_row(c, &rows, "used_pct", "table")
}

fn sto_006(c: &Ctx<'_>) -> Eval {
    let mut rows: Vec<Row> = c
        .rows("tables")?
        .iter()
        .map(|r| {
            let size = value::f64_of(r.get("data_bytes")).unwrap_or(0.0)
                + value::f64_of(r.get("index_bytes")).unwrap_or(0.0);
            let mut row = pick(r, &["table", "rows"]);
            row.insert("size_bytes".into(), json!(size));
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        value::f64_of(b.get("size_bytes"))
            .unwrap_or(0.0)
            .total_cmp(&value::f64_of(a.get("size_bytes")).unwrap_or(0.0))
    });
    rows.truncate(20);
    check::worst_row(c, &rows, "size_bytes", "table").map(|mut o| {
        if o.status != Status::Ok {
            o.status = Status::Info;
        }
        if o.evidence.rows.is_empty() {
            o.evidence.rows = rows.iter().take(5).cloned().collect();
        }
        o
    })
}

fn qry_002(c: &Ctx<'_>) -> Eval {
    let log = c.setting("slow_query_log")?;
    let time = c.setting("long_query_time")?.num().unwrap_or(10.0);
    let bad = !log.is_on() || time > c.t("warning");
    Ok(Outcome::new(
        if bad { Status::Info } else { Status::Ok },
        Text::new(msg::QRY_002_SEEN)
            .arg("log", &log.value)
            .arg("time", time),
    ))
}

fn bak_002(c: &Ctx<'_>) -> Eval {
    with_binlog(c, |c| {
        let secs_v = c
            .opt_setting("binlog_expire_logs_seconds")
            .and_then(|s| s.num())
            .unwrap_or(0.0);
        let days = c
            .opt_setting("expire_logs_days")
            .and_then(|s| s.num())
            .unwrap_or(0.0);
        let keep = secs_v.max(days * 86_400.0);
        // 0 means "never expire": covered (MY-CFG-004 warns about the disk instead).
        let short = keep > 0.0 && keep < c.t("warning");
        Ok(Outcome::new(
            if short { Status::Warning } else { Status::Ok },
            Text::new(msg::BAK_002_SEEN)
                .arg(
                    "keep",
                    if keep <= 0.0 {
                        "∞".into()
                    } else {
                        human_secs(keep)
                    },
                )
                .arg("need", c.shown_t("warning")),
        )
        .value("binlog_retention_seconds", keep))
    })
}
