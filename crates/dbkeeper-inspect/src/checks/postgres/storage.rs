//! Space and growth, checkpoints and WAL archiving, statements (pg_stat_statements), backups.

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval, Outcome, Skip};
use crate::checks::{check, common};
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, human_secs, pct, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        STO_004 = "inspect.pg.sto_004" { en: "sequences are far from their limit", zh: "序列距上限尚远" }
        STO_004_FIX = "inspect.pg.sto_004_fix" {
            en: "a sequence (or the integer column it feeds) is about to run out: change the column to bigint (ALTER TABLE … ALTER COLUMN … TYPE bigint) and ALTER SEQUENCE … AS bigint before inserts fail",
            zh: "序列（或其所服务的整数列）即将耗尽：请在插入失败前把列改为 bigint（ALTER TABLE … ALTER COLUMN … TYPE bigint）并执行 ALTER SEQUENCE … AS bigint"
        }
        STO_005 = "inspect.pg.sto_005" { en: "largest tables", zh: "最大的表" }
        STO_005_FIX = "inspect.pg.sto_005_fix" {
            en: "very large tables deserve a plan: partitioning by time, archiving old rows (历史数据迁移), and checking that backups and restores still fit their windows",
            zh: "超大表需要专门规划：按时间分区、归档历史数据（历史数据迁移），并确认备份与还原仍能在时间窗口内完成"
        }
        STO_006 = "inspect.pg.sto_006" { en: "no unlogged tables", zh: "无不记日志的表（UNLOGGED）" }
        STO_006_FIX = "inspect.pg.sto_006_fix" {
            en: "unlogged tables are emptied after a crash and are not replicated or in physical backups: make sure only throw-away data lives in them, or ALTER TABLE … SET LOGGED",
            zh: "UNLOGGED 表在崩溃后会被清空，且不会被复制或纳入物理备份：请确认其中只有可丢弃的数据，或执行 ALTER TABLE … SET LOGGED"
        }
        STO_007 = "inspect.pg.sto_007" { en: "number of relations", zh: "关系对象数量" }
        STO_007_FIX = "inspect.pg.sto_007_fix" {
            en: "very many relations slow down planning, pg_dump and autovacuum: drop unused partitions and temporary tables, consider fewer, larger partitions",
            zh: "关系对象过多会拖慢执行计划、pg_dump 和 autovacuum：请删除无用分区和临时表，考虑更少、更大的分区"
        }
        STO_007_SEEN = "inspect.pg.sto_007_seen" { en: "{count} relations in pg_class", zh: "pg_class 中有 {count} 个关系对象" }
        STO_008 = "inspect.pg.sto_008" { en: "pg_wal is within max_wal_size", zh: "pg_wal 大小在 max_wal_size 范围内" }
        STO_008_FIX = "inspect.pg.sto_008_fix" {
            en: "WAL piles up beyond max_wal_size: something keeps it (failing archive_command, a replication slot, wal_keep_size); PG-WAL-004 and PG-REP-004 say which",
            zh: "WAL 堆积超过 max_wal_size：有东西在保留它（归档命令失败、复制槽、wal_keep_size）；可参见 PG-WAL-004 与 PG-REP-004"
        }
        STO_008_SEEN = "inspect.pg.sto_008_seen" {
            en: "pg_wal holds {bytes} in {files} files, {factor}× max_wal_size {max}",
            zh: "pg_wal 中有 {files} 个文件共 {bytes}，为 max_wal_size（{max}）的 {factor} 倍"
        }
        WAL_001 = "inspect.pg.wal_001" { en: "checkpoints happen on time, not forced by WAL volume", zh: "检查点按时间触发，而非因 WAL 量被迫触发" }
        WAL_001_FIX = "inspect.pg.wal_001_fix" {
            en: "raise max_wal_size so that checkpoints are triggered by checkpoint_timeout: forced checkpoints write more and cause I/O spikes",
            zh: "请调大 max_wal_size，使检查点由 checkpoint_timeout 触发：被迫触发的检查点写入更多并造成 I/O 尖峰"
        }
        WAL_001_SEEN = "inspect.pg.wal_001_seen" {
            en: "{requested} of {total} checkpoints forced by WAL volume ({pct}%) in {period}",
            zh: "{period} 内 {total} 次检查点中有 {requested} 次因 WAL 量被迫触发（{pct}%）"
        }
        WAL_002 = "inspect.pg.wal_002" { en: "checkpoint sync time", zh: "检查点同步耗时" }
        WAL_002_FIX = "inspect.pg.wal_002_fix" {
            en: "fsync of checkpoint files is slow: the storage cannot keep up; benchmark it (pg_test_fsync) and consider faster disks (expansion advice for the customer)",
            zh: "检查点文件的 fsync 很慢：存储跟不上；请用 pg_test_fsync 测试，并考虑更快的磁盘（需客户同意的扩容建议）"
        }
        WAL_002_SEEN = "inspect.pg.wal_002_seen" {
            en: "{avg} sync time per checkpoint over {total} checkpoints in {period}",
            zh: "{period} 内 {total} 次检查点，平均每次同步耗时 {avg}"
        }
        WAL_003 = "inspect.pg.wal_003" { en: "a recent checkpoint", zh: "近期有检查点" }
        WAL_003_FIX = "inspect.pg.wal_003_fix" {
            en: "no checkpoint for long although WAL was written: the checkpointer may be stuck on I/O; check the server log and the disk, or run CHECKPOINT",
            zh: "已写入 WAL 却长时间没有检查点：检查点进程可能卡在 I/O 上；请查看服务器日志和磁盘，或手动执行 CHECKPOINT"
        }
        WAL_003_SEEN = "inspect.pg.wal_003_seen" {
            en: "last checkpoint {age} ago, {wal} of WAL written since",
            zh: "上次检查点在 {age} 前，此后写入 WAL {wal}"
        }
        WAL_004 = "inspect.pg.wal_004" { en: "WAL archiving works", zh: "WAL 归档正常" }
        WAL_004_FIX = "inspect.pg.wal_004_fix" {
            en: "archive_command fails: point-in-time recovery has a gap and pg_wal fills up; read the server log for the command's error and fix the archive destination",
            zh: "archive_command 执行失败：时间点恢复出现缺口且 pg_wal 会被写满；请查看服务器日志中的命令错误并修复归档目标"
        }
        WAL_004_FAILING = "inspect.pg.wal_004_failing" {
            en: "archiving fails: last failure {failed_at} ({failed_wal}), last success {archived_at}",
            zh: "归档失败：最近一次失败于 {failed_at}（{failed_wal}），最近一次成功于 {archived_at}"
        }
        WAL_004_OK = "inspect.pg.wal_004_ok" {
            en: "last archived {archived_at} ({archived_wal}), {failed} failures in total",
            zh: "最近归档于 {archived_at}（{archived_wal}），累计失败 {failed} 次"
        }
        WAL_004_OFF = "inspect.pg.wal_004_off" { en: "archiving is off (archive_mode = off)", zh: "未开启归档（archive_mode = off）" }
        WAL_005 = "inspect.pg.wal_005" { en: "WAL files waiting to be archived", zh: "等待归档的 WAL 文件" }
        WAL_005_FIX = "inspect.pg.wal_005_fix" {
            en: "WAL segments queue for archiving: the archive command is slow or failing; until they are archived, pg_wal grows and the recovery point lags",
            zh: "WAL 段在排队等待归档：归档命令过慢或失败；归档完成前 pg_wal 持续增长且可恢复点滞后"
        }
        WAL_005_SEEN = "inspect.pg.wal_005_seen" {
            en: "{count} segments waiting (warning at {warning}, critical at {critical})",
            zh: "{count} 个段等待归档（警告阈值 {warning}，严重阈值 {critical}）"
        }
        QRY_001 = "inspect.pg.qry_001" { en: "statement statistics are collected", zh: "已采集 SQL 语句统计" }
        QRY_001_FIX = "inspect.pg.qry_001_fix" {
            en: "add pg_stat_statements to shared_preload_libraries (restart) and CREATE EXTENSION pg_stat_statements: without it slow statements cannot be found",
            zh: "请将 pg_stat_statements 加入 shared_preload_libraries（需重启）并执行 CREATE EXTENSION pg_stat_statements：否则无法定位慢 SQL"
        }
        QRY_001_OK = "inspect.pg.qry_001_ok" { en: "pg_stat_statements is loaded and created", zh: "pg_stat_statements 已加载并创建" }
        QRY_002 = "inspect.pg.qry_002" { en: "no slow frequent statements", zh: "无频繁执行的慢 SQL" }
        QRY_002_FIX = "inspect.pg.qry_002_fix" {
            en: "these statements are slow and frequent: EXPLAIN (ANALYZE, BUFFERS) them, add indexes or rewrite; `dbkeeper advise` can help",
            zh: "这些 SQL 既慢又频繁：请用 EXPLAIN (ANALYZE, BUFFERS) 分析，增加索引或改写；可参考 `dbkeeper advise`"
        }
        QRY_003 = "inspect.pg.qry_003" { en: "transaction rollback ratio", zh: "事务回滚比例" }
        QRY_003_FIX = "inspect.pg.qry_003_fix" {
            en: "many transactions roll back: application errors or serialization failures; look at the server log's ERROR lines",
            zh: "大量事务回滚：可能是应用错误或序列化失败；请查看服务器日志中的 ERROR"
        }
        QRY_003_SEEN = "inspect.pg.qry_003_seen" {
            en: "{pct}% of {total} transactions rolled back in {period}",
            zh: "{period} 内 {total} 个事务中 {pct}% 回滚"
        }
        QRY_004 = "inspect.pg.qry_004" { en: "pg_stat_statements keeps every statement", zh: "pg_stat_statements 未丢弃语句统计" }
        QRY_004_FIX = "inspect.pg.qry_004_fix" {
            en: "statements are evicted from pg_stat_statements: raise pg_stat_statements.max (restart) so that the statistics stay complete",
            zh: "pg_stat_statements 正在淘汰语句：请调大 pg_stat_statements.max（需重启）以保持统计完整"
        }
        QRY_004_SEEN = "inspect.pg.qry_004_seen" {
            en: "{count} evictions in {period} (pg_stat_statements.max = {max})",
            zh: "{period} 内淘汰 {count} 次（pg_stat_statements.max = {max}）"
        }
        QRY_005 = "inspect.pg.qry_005" { en: "no statements spilling much to temporary files", zh: "无大量溢出到临时文件的 SQL" }
        QRY_005_FIX = "inspect.pg.qry_005_fix" {
            en: "these statements write much to temporary files: add an index that avoids the sort, or SET work_mem higher for them (not globally)",
            zh: "这些 SQL 大量写入临时文件：请增加可避免排序的索引，或仅为它们调大 work_mem（不要全局调整）"
        }
        BAK_002 = "inspect.pg.bak_002" { en: "WAL archiving enabled (point-in-time recovery)", zh: "已开启 WAL 归档（时间点恢复）" }
        BAK_002_FIX = "inspect.pg.bak_002_fix" {
            en: "set archive_mode = on with an archive_command or archive_library of a backup tool (restart): without WAL archiving a restore can only return to the last backup",
            zh: "请设置 archive_mode = on 并配置备份工具的 archive_command 或 archive_library（需重启）：没有 WAL 归档只能恢复到最近一次备份"
        }
        BAK_005 = "inspect.pg.bak_005" { en: "archive_command is a safe one", zh: "归档命令安全可靠" }
        BAK_005_FIX = "inspect.pg.bak_005_fix" {
            en: "cp or rsync in archive_command does not fsync and may overwrite: use a backup tool's archiving (pgBackRest, WAL-G) or at least a script that checks and syncs",
            zh: "archive_command 中的 cp 或 rsync 不做 fsync 且可能覆盖文件：请使用备份工具的归档功能（pgBackRest、WAL-G），或至少使用会校验并落盘的脚本"
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

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

pub(super) fn defs() -> Vec<Def> {
    use crate::checks::common::msg as cm;
    use Group::{Backup as B, Checkpoints as W, Space as S, Statements as Q};
    vec![
        // check_postgres `disk_space`: W 90% / C 95% used.
        check("PG-STO-001", S, cm::FS_DATA, cm::FS_FIX, common::fs_data)
            .th(vec![pct("warning", 90.0), pct("critical", 95.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("check_postgres `disk_space` W 90% / C 95%"),
        check("PG-STO-002", S, cm::FS_WAL, cm::FS_FIX, common::fs_wal)
            .th(vec![pct("warning", 90.0), pct("critical", 95.0)])
            .needs(crate::msg::NEEDS_HOST)
            .src("check_postgres `disk_space` W 90% / C 95% (pg_wal)"),
        // A month to order and install disks, a week is an emergency (ours).
        check(
            "PG-STO-003",
            S,
            cm::DAYS_FULL,
            cm::DAYS_FULL_FIX,
            common::days_until_full,
        )
        .th(vec![
            secs("warning", 30.0 * 86_400.0),
            secs("critical", 7.0 * 86_400.0),
        ])
        .needs(crate::msg::NEEDS_HOST)
        .counters()
        .src("check_postgres `database_size`; pgwatch `db_size`: growth between snapshots"),
        // check_postgres `sequence`: W 85% / C 95%.
        check("PG-STO-004", S, msg::STO_004, msg::STO_004_FIX, sto_004)
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .probes(&["sequences"])
            .src("check_postgres `sequence` W 85% / C 95%; pghero 90%"),
        check("PG-STO-005", S, msg::STO_005, msg::STO_005_FIX, |c| {
            let rows = c.rows("largest")?;
            check::worst_row(c, rows, "size_bytes", "table").map(|o| {
                // Large is a fact to plan for, not an alarm.
                let s = if o.status == Status::Ok {
                    Status::Ok
                } else {
                    Status::Info
                };
                let mut o = o;
                o.status = s;
                if o.evidence.rows.is_empty() {
                    o.evidence.rows = rows.iter().take(5).cloned().collect();
                }
                o
            })
        })
        .th(vec![
            bytes("warning", 100.0 * GIB),
            bytes("critical", 1024.0 * GIB),
        ])
        .probes(&["largest"])
        .src("check_postgres `relation_size`; sizes from pg_class.relpages (no locks)"),
        check("PG-STO-006", S, msg::STO_006, msg::STO_006_FIX, |c| {
            let rows = c.rows("unlogged")?;
            check::list(c, rows, Status::Info, "table")
        })
        .probes(&["unlogged"])
        .src("pg_gather: unlogged tables"),
        // pg_gather flags more than 10,000 relations.
        check("PG-STO-007", S, msg::STO_007, msg::STO_007_FIX, |c| {
            let n = value::f64_of(c.row("object_count")?.get("relations")).unwrap_or(0.0);
            Ok(Outcome::new(
                if n > c.t("warning") {
                    Status::Info
                } else {
                    Status::Ok
                },
                Text::new(msg::STO_007_SEEN).arg("count", n),
            )
            .value("relations", n))
        })
        .th(vec![count("warning", 10_000.0)])
        .probes(&["object_count"])
        .src("pg_gather: pg_class > 10,000"),
        check("PG-STO-008", S, msg::STO_008, msg::STO_008_FIX, sto_008)
            .th(vec![count("warning", 2.0), count("critical", 4.0)])
            .probes(&["wal_dir"])
            .src("check_postgres `wal_files`; pgwatch `wal_size` (ours: 2× / 4× max_wal_size)"),
        check("PG-WAL-001", W, msg::WAL_001, msg::WAL_001_FIX, wal_001)
            .th(vec![
                pct("warning", 25.0),
                pct("critical", 50.0),
                count("min_checkpoints", 3.0),
            ])
            .counters()
            .src("pgmetrics, pg_gather: requested vs timed checkpoints (ours: 25% / 50%)"),
        check("PG-WAL-002", W, msg::WAL_002, msg::WAL_002_FIX, wal_002)
            .th(vec![
                secs("warning", 10.0),
                secs("critical", 60.0),
                count("min_checkpoints", 1.0),
            ])
            .counters()
            .src("pg_gather: high checkpoint sync time (ours: 10 s / 60 s per checkpoint)"),
        check("PG-WAL-003", W, msg::WAL_003, msg::WAL_003_FIX, wal_003)
            .th(vec![
                secs("warning", 3600.0),
                secs("critical", 4.0 * 3600.0),
            ])
            .probes(&["checkpoint"])
            .src("check_postgres `checkpoint` (only when WAL was written since)"),
        check("PG-WAL-004", W, msg::WAL_004, msg::WAL_004_FIX, wal_004)
            .probes(&["archiver"])
            .tags(&["djbh3:8.1.4.9a"])
            .src("pgwatch `is_failing`; pg_gather: archiving could be failing"),
        check("PG-WAL-005", W, msg::WAL_005, msg::WAL_005_FIX, wal_005)
            .th(vec![count("warning", 10.0), count("critical", 100.0)])
            .probes(&["archive_status"])
            .src("check_postgres `archive_ready`; pgwatch `archiver_pending_count`"),
        check("PG-QRY-001", Q, msg::QRY_001, msg::QRY_001_FIX, qry_001)
            .src("postgresqltuner, pghero, pg_gather: pg_stat_statements missing"),
        // pghero: mean ≥ 20 ms and calls ≥ 100 (PGHERO_SLOW_QUERY_MS, _CALLS).
        check("PG-QRY-002", Q, msg::QRY_002, msg::QRY_002_FIX, |c| {
            let mean = c.t("mean") * 1000.0;
            let calls = c.t("min_calls");
            let rows: Vec<Row> = c
                .rows("pgss")?
                .iter()
                .filter(|r| value::f64_of(r.get("mean_ms")).unwrap_or(0.0) >= mean)
                .filter(|r| value::f64_of(r.get("calls")).unwrap_or(0.0) >= calls)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Warning, "query")
        })
        .th(vec![secs("mean", 0.02), count("min_calls", 100.0)])
        .probes(&["pgss"])
        .needs(crate::msg::NEEDS_PGSS)
        .counters()
        .src("pghero slow queries: mean ≥ 20 ms and calls ≥ 100"),
        check("PG-QRY-003", Q, msg::QRY_003, msg::QRY_003_FIX, qry_003)
            .th(vec![
                pct("warning", 5.0),
                pct("critical", 20.0),
                count("min_transactions", 1_000.0),
            ])
            .counters()
            .src("pg_gather: high number of aborts; check_postgres `commitratio` (ours: 5% / 20%)"),
        check("PG-QRY-004", Q, msg::QRY_004, msg::QRY_004_FIX, qry_004)
            .probes(&["pgss_info"])
            .needs(crate::msg::NEEDS_PGSS)
            .counters()
            .src("pg_stat_statements_info.dealloc (PG 14+)"),
        check("PG-QRY-005", Q, msg::QRY_005, msg::QRY_005_FIX, |c| {
            let min = c.t("warning") / 8192.0;
            let rows: Vec<Row> = c
                .rows("pgss")?
                .iter()
                .filter(|r| value::f64_of(r.get("temp_blks")).unwrap_or(0.0) >= min)
                .cloned()
                .collect();
            check::list(c, &rows, Status::Info, "query")
        })
        .th(vec![bytes("warning", 100.0 * 1024.0 * 1024.0)])
        .probes(&["pgss"])
        .needs(crate::msg::NEEDS_PGSS)
        .counters()
        .src("pgwatch `stat_statements` temp_blks_written; pg_gather high-impact SQL"),
        // pgwatch exposes backup age; a daily backup is late after 26 h (research §2.8), two
        // missed days are critical (ours).
        check(
            "PG-BAK-001",
            B,
            cm::BAK_LAST,
            cm::BAK_LAST_FIX,
            common::backup_last,
        )
        .th(vec![
            secs("warning", 26.0 * 3600.0),
            secs("critical", 48.0 * 3600.0),
        ])
        .tags(&["djbh3:8.1.4.9a"])
        .src("pgwatch `backup_age_*` (threshold > 26 h, research §2.8); ledger / repositories"),
        check("PG-BAK-002", B, msg::BAK_002, msg::BAK_002_FIX, |c| {
            check::setting(
                c,
                "archive_mode",
                |s| s.value == "off",
                Status::Warning,
                "on",
            )
        })
        .tags(&["djbh3:8.1.4.9a"])
        .src("pg_gather: no archiving → PITR may not be possible"),
        check(
            "PG-BAK-003",
            B,
            cm::BAK_OFFSITE,
            cm::BAK_OFFSITE_FIX,
            common::backup_offsite,
        )
        .th(vec![
            secs("warning", 26.0 * 3600.0),
            secs("critical", 72.0 * 3600.0),
        ])
        .tags(&["djbh3:8.1.4.9b"])
        .src("等保 8.1.4.9b 异地备份; contract 本地、异地备份"),
        // The contract asks for periodic restore tests; the drill playbook is monthly.
        check("PG-BAK-004", B, cm::DRILL, cm::DRILL_FIX, common::drill)
            .th(vec![
                secs("warning", 31.0 * 86_400.0),
                secs("critical", 62.0 * 86_400.0),
            ])
            .tags(&["djbh3:8.1.4.9a"])
            .src("contract 定期开展还原测试; dbatools Test-DbaLastBackup"),
        check("PG-BAK-005", B, msg::BAK_005, msg::BAK_005_FIX, bak_005)
            .src("pg_gather: cp/rsync in archive_command"),
        check(
            "PG-BAK-006",
            B,
            cm::BAK_ENCRYPTED,
            cm::BAK_ENCRYPTED_FIX,
            common::backup_encrypted,
        )
        .tags(&["djbh3:8.1.4.8b"])
        .src("等保 8.1.4.8b; DESIGN §2 fail closed on security"),
    ]
}

fn sto_004(c: &Ctx<'_>) -> Eval {
    let rows: Vec<Row> = c
        .rows("sequences")?
        .iter()
        .map(|r| {
            let last = value::f64_of(r.get("last_value")).unwrap_or(0.0);
            let max = value::f64_of(r.get("max_value"))
                .unwrap_or(f64::MAX)
                .max(1.0);
            let mut r = r.clone();
            r.insert(
                "used_pct".into(),
                serde_json::json!((1000.0 * last / max).round() / 10.0),
            );
            r
        })
        .collect();
    check::worst_row(c, &rows, "used_pct", "sequence")
}

fn sto_008(c: &Ctx<'_>) -> Eval {
    let r = c.row("wal_dir")?;
    let size = value::f64_of(r.get("bytes")).unwrap_or(0.0);
    let files = value::f64_of(r.get("files")).unwrap_or(0.0);
    let max = c
        .setting("max_wal_size")?
        .bytes()
        .ok_or_else(|| Skip(Text::verbatim("max_wal_size")))?;
    let factor = size / max.max(1.0);
    Ok(Outcome::new(
        c.above(factor),
        Text::new(msg::STO_008_SEEN)
            .arg("bytes", human_bytes(size))
            .arg("files", files)
            .arg("factor", format!("{factor:.2}"))
            .arg("max", human_bytes(max)),
    )
    .value("wal_bytes", size)
    .value("wal_files", files)
    .value("max_wal_size_bytes", max))
}

fn wal_001(c: &Ctx<'_>) -> Eval {
    let (req, basis) = match c.rate("bgw.requested")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (timed, _) = c.change("bgw.timed")?;
    let total = req + timed;
    if total < c.t("min_checkpoints") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_checkpoints")),
        )
        .basis(basis));
    }
    let p = 100.0 * req / total;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::WAL_001_SEEN)
            .arg("requested", req)
            .arg("total", total)
            .arg("pct", format!("{p:.0}"))
            .arg("period", human_secs(basis.seconds)),
    )
    .value("requested", req)
    .value("timed", timed)
    .basis(basis))
}

fn wal_002(c: &Ctx<'_>) -> Eval {
    let (sync_ms, basis) = match c.rate("bgw.sync_ms")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (req, _) = c.change("bgw.requested")?;
    let (timed, _) = c.change("bgw.timed")?;
    let total = req + timed;
    if total < c.t("min_checkpoints") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_checkpoints")),
        )
        .basis(basis));
    }
    let avg = sync_ms / 1000.0 / total;
    Ok(Outcome::new(
        c.above(avg),
        Text::new(msg::WAL_002_SEEN)
            .arg("avg", human_secs(avg))
            .arg("total", total)
            .arg("period", human_secs(basis.seconds)),
    )
    .value("avg_sync_seconds", avg)
    .basis(basis))
}

fn wal_003(c: &Ctx<'_>) -> Eval {
    let r = c.row("checkpoint")?;
    let age = value::f64_of(r.get("age_s")).unwrap_or(0.0);
    let wal = value::f64_of(r.get("wal_since_bytes")).unwrap_or(0.0);
    // An idle server skips checkpoints: only WAL beyond one segment since the last one counts.
    let seg = c
        .opt_setting("wal_segment_size")
        .and_then(|s| s.bytes())
        .unwrap_or(16.0 * 1024.0 * 1024.0);
    let status = if wal > seg { c.above(age) } else { Status::Ok };
    Ok(Outcome::new(
        status,
        Text::new(msg::WAL_003_SEEN)
            .arg("age", human_secs(age))
            .arg("wal", human_bytes(wal)),
    )
    .value("checkpoint_age_seconds", age)
    .value("wal_since_bytes", wal))
}

fn wal_004(c: &Ctx<'_>) -> Eval {
    if c.setting("archive_mode")?.value == "off" {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::WAL_004_OFF)));
    }
    let r = c.row("archiver")?;
    let last_ok = value::time_of(r.get("last_archived_time"));
    let last_fail = value::time_of(r.get("last_failed_time"));
    let fmt = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(
            || "-".to_string(),
            |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )
    };
    let failing = match (last_fail, last_ok) {
        (Some(f), Some(o)) => f > o,
        (Some(_), None) => true,
        _ => false,
    };
    let o = if failing {
        Outcome::new(
            Status::Critical,
            Text::new(msg::WAL_004_FAILING)
                .arg("failed_at", fmt(last_fail))
                .arg("failed_wal", value::text_of(r.get("last_failed_wal")))
                .arg("archived_at", fmt(last_ok)),
        )
    } else {
        Outcome::new(
            Status::Ok,
            Text::new(msg::WAL_004_OK)
                .arg("archived_at", fmt(last_ok))
                .arg("archived_wal", value::text_of(r.get("last_archived_wal")))
                .arg("failed", value::f64_of(r.get("failed")).unwrap_or(0.0)),
        )
    };
    Ok(o.value("failed_count", value::f64_of(r.get("failed")))
        .value("archived_count", value::f64_of(r.get("archived"))))
}

fn wal_005(c: &Ctx<'_>) -> Eval {
    let n = value::f64_of(c.row("archive_status")?.get("ready")).unwrap_or(0.0);
    Ok(Outcome::new(
        c.above(n),
        Text::new(msg::WAL_005_SEEN)
            .arg("count", n)
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("ready", n))
}

fn qry_001(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let loaded = b
        .settings
        .get("shared_preload_libraries")
        .is_some_and(|s| s.value.split(',').any(|l| l.trim() == "pg_stat_statements"));
    if !loaded {
        return Ok(Outcome::new(
            Status::Warning,
            Text::new(super::msg::PGSS_NOT_LOADED),
        ));
    }
    if !b.extensions.iter().any(|e| e == "pg_stat_statements") {
        return Ok(Outcome::new(
            Status::Warning,
            Text::new(super::msg::PGSS_NOT_CREATED)
                .arg("database", b.database.clone().unwrap_or_default()),
        ));
    }
    Ok(Outcome::new(Status::Ok, Text::new(msg::QRY_001_OK)))
}

fn qry_003(c: &Ctx<'_>) -> Eval {
    let (rb, basis) = match c.rate("db.xact_rollback")? {
        Ok(v) => v,
        Err(too_short) => return Ok(too_short),
    };
    let (cm, _) = c.change("db.xact_commit")?;
    let total = rb + cm;
    if total < c.t("min_transactions") {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(crate::msg::RATIO_TOO_LITTLE)
                .arg("count", total)
                .arg("period", human_secs(basis.seconds))
                .arg("min", c.t("min_transactions")),
        )
        .basis(basis));
    }
    let p = 100.0 * rb / total;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::QRY_003_SEEN)
            .arg("pct", format!("{p:.1}"))
            .arg("total", total)
            .arg("period", human_secs(basis.seconds)),
    )
    .value("rollbacks", rb)
    .value("commits", cm)
    .basis(basis))
}

fn qry_004(c: &Ctx<'_>) -> Eval {
    c.rows("pgss_info")?;
    let (n, basis) = c.change("pgss.dealloc")?;
    let max = c
        .opt_setting("pg_stat_statements.max")
        .map_or_else(|| "?".into(), |s| s.value.clone());
    Ok(Outcome::new(
        if n > 0.0 { Status::Info } else { Status::Ok },
        Text::new(msg::QRY_004_SEEN)
            .arg("count", n)
            .arg("period", human_secs(basis.seconds))
            .arg("max", max),
    )
    .value("dealloc", n)
    .basis(basis))
}

fn bak_005(c: &Ctx<'_>) -> Eval {
    let cmd = c
        .opt_setting("archive_command")
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let words: Vec<&str> = cmd
        .split(|ch: char| ch.is_whitespace() || ch == ';' || ch == '&' || ch == '|')
        .collect();
    let unsafe_cmd = words
        .iter()
        .any(|w| matches!(w.rsplit('/').next(), Some("cp") | Some("rsync")));
    Ok(Outcome::new(
        if unsafe_cmd { Status::Info } else { Status::Ok },
        Text::new(crate::msg::SETTING_IS)
            .arg("name", "archive_command")
            .arg(
                "value",
                if cmd.is_empty() {
                    "''".into()
                } else {
                    cmd.clone()
                },
            ),
    )
    .value("archive_command", cmd))
}
