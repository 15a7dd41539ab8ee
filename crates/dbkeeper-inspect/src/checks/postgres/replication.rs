//! Replication: standbys and their lag, replication slots, the standby's own view, logical
//! subscriptions, and whether there is a hot standby at all (等保 8.1.4.9c).
//!
//! The test suite runs single scratch clusters: the checks that need a live standby (lag,
//! replay delay, receiver status, conflicts, a connected standby) are exercised on their
//! "not applicable here" path only; each says so below.

use dbkeeper_core::engine::{Role, Row};
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval, Outcome, Skip};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        REP_001 = "inspect.pg.rep_001" { en: "standbys keep up (primary's view)", zh: "备库同步及时（主库视角）" }
        REP_001_FIX = "inspect.pg.rep_001_fix" {
            en: "a standby lags: check its network and disk, long queries on it (hot_standby_feedback, max_standby_streaming_delay), and that it is still streaming",
            zh: "备库延迟：请检查其网络和磁盘、备库上的长查询（hot_standby_feedback、max_standby_streaming_delay），以及流复制是否仍在进行"
        }
        REP_001_NONE = "inspect.pg.rep_001_none" { en: "no standby is connected", zh: "没有已连接的备库" }
        REP_002 = "inspect.pg.rep_002" { en: "standby replays recent WAL", zh: "备库及时重放 WAL" }
        REP_002_FIX = "inspect.pg.rep_002_fix" {
            en: "the standby applies WAL late: check the primary's activity (an idle primary also looks like this), the receiver, and replay conflicts",
            zh: "备库重放 WAL 滞后：请检查主库是否有写入（主库空闲时也会如此）、接收进程及重放冲突"
        }
        REP_002_SEEN = "inspect.pg.rep_002_seen" {
            en: "last transaction replayed {age} ago (warning at {warning}, critical at {critical})",
            zh: "最近一个事务于 {age} 前重放（警告阈值 {warning}，严重阈值 {critical}）"
        }
        REP_003 = "inspect.pg.rep_003" { en: "no inactive replication slots", zh: "无未使用的复制槽" }
        REP_003_FIX = "inspect.pg.rep_003_fix" {
            en: "an inactive slot keeps WAL (and old rows) forever: reconnect its consumer, or drop it with pg_drop_replication_slot('name') if it was abandoned",
            zh: "未使用的复制槽会一直保留 WAL（以及旧版本行）：请恢复其使用者，若已废弃则用 pg_drop_replication_slot('名称') 删除"
        }
        REP_004 = "inspect.pg.rep_004" { en: "WAL retained by replication slots", zh: "复制槽保留的 WAL 量" }
        REP_004_FIX = "inspect.pg.rep_004_fix" {
            en: "a slot holds much WAL and may fill the disk: make its consumer catch up, drop it, or set max_slot_wal_keep_size (PostgreSQL 13+)",
            zh: "复制槽保留了大量 WAL，可能写满磁盘：请让其使用者追上进度或删除该槽，或设置 max_slot_wal_keep_size（PostgreSQL 13+）"
        }
        REP_004_LOST = "inspect.pg.rep_004_lost" {
            en: "slots whose WAL is already lost (the consumer must be rebuilt): {list}",
            zh: "WAL 已丢失的复制槽（其使用者须重建）：{list}"
        }
        REP_005 = "inspect.pg.rep_005" { en: "replication slots do not pin old rows", zh: "复制槽未阻止旧行版本回收" }
        REP_005_FIX = "inspect.pg.rep_005_fix" {
            en: "a slot's xmin holds back vacuum cluster-wide: make its consumer (standby with hot_standby_feedback, logical subscriber) catch up or drop the slot",
            zh: "复制槽的 xmin 阻止了整个集簇的清理：请让其使用者（开启 hot_standby_feedback 的备库或逻辑订阅端）追上进度，或删除该槽"
        }
        REP_006 = "inspect.pg.rep_006" { en: "no queries cancelled by replay conflicts", zh: "无因重放冲突被取消的查询" }
        REP_006_FIX = "inspect.pg.rep_006_fix" {
            en: "queries on this standby were cancelled: enable hot_standby_feedback or raise max_standby_streaming_delay, or run long reports elsewhere",
            zh: "备库上的查询被取消：请开启 hot_standby_feedback 或调大 max_standby_streaming_delay，或把长报表放到别处执行"
        }
        REP_006_SEEN = "inspect.pg.rep_006_seen" {
            en: "{count} queries cancelled by conflicts in {period}",
            zh: "{period} 内有 {count} 个查询因冲突被取消"
        }
        REP_007 = "inspect.pg.rep_007" { en: "logical subscriptions apply without errors", zh: "逻辑订阅应用无错误" }
        REP_007_FIX = "inspect.pg.rep_007_fix" {
            en: "a subscription hit errors: read the subscriber's log, fix the conflicting row, and watch apply_error_count stop growing",
            zh: "订阅出现错误：请查看订阅端日志并修复冲突行，确认 apply_error_count 不再增长"
        }
        REP_008 = "inspect.pg.rep_008" { en: "standby receives WAL from the primary", zh: "备库正在从主库接收 WAL" }
        REP_008_FIX = "inspect.pg.rep_008_fix" {
            en: "the WAL receiver is not streaming: check primary_conninfo, the network, the replication user and the primary's pg_hba.conf",
            zh: "WAL 接收进程未在流式接收：请检查 primary_conninfo、网络、复制用户及主库的 pg_hba.conf"
        }
        REP_008_SEEN = "inspect.pg.rep_008_seen" { en: "receiver status: {status}", zh: "接收进程状态：{status}" }
        REP_009 = "inspect.pg.rep_009" { en: "a hot standby exists", zh: "存在热备库" }
        REP_009_FIX = "inspect.pg.rep_009_fix" {
            en: "set up a streaming standby (pg_basebackup + primary_conninfo) so that a failed server can be replaced quickly: the contract asks for 99.5% availability and 等保 8.1.4.9c for hot redundancy",
            zh: "请搭建流复制备库（pg_basebackup + primary_conninfo），以便故障时快速切换：合同要求可用性不低于 99.5%，等保 8.1.4.9c 要求热冗余"
        }
        REP_009_NONE = "inspect.pg.rep_009_none" { en: "no standby is streaming from this primary", zh: "没有备库从该主库流复制" }
        REP_009_SOME = "inspect.pg.rep_009_some" { en: "{count} standbys streaming: {list}", zh: "{count} 个备库正在流复制：{list}" }
        REP_009_IS_STANDBY = "inspect.pg.rep_009_is_standby" { en: "this server is itself a standby", zh: "该服务器本身就是备库" }
        REP_010 = "inspect.pg.rep_010" { en: "synchronous standbys are connected", zh: "同步备库已连接" }
        REP_010_FIX = "inspect.pg.rep_010_fix" {
            en: "synchronous_standby_names names standbys that are not connected as sync: commits wait forever; bring them back or clear the setting",
            zh: "synchronous_standby_names 中指定的同步备库未连接：提交将一直等待；请恢复备库或清空该参数"
        }
        REP_010_SEEN = "inspect.pg.rep_010_seen" {
            en: "synchronous_standby_names = '{names}', synchronous standbys connected: {count}",
            zh: "synchronous_standby_names = '{names}'，已连接的同步备库：{count} 个"
        }
        REP_010_UNSET = "inspect.pg.rep_010_unset" { en: "no synchronous replication configured", zh: "未配置同步复制" }
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
    use Group::Replication as R;
    vec![
        // Not provoked by the tests: needs a lagging standby. check_postgres'
        // `hot_standby_delay` example is 16 MB; critical at 1 GiB (ours).
        check("PG-REP-001", R, msg::REP_001, msg::REP_001_FIX, rep_001)
            .th(vec![
                bytes("warning", 16.0 * 1024.0 * 1024.0),
                bytes("critical", 1024.0 * 1024.0 * 1024.0),
            ])
            .probes(&["replication"])
            .src("check_postgres `hot_standby_delay`; pgwatch `replication`"),
        // Not provoked by the tests: a standby's view (the scratch clusters are primaries).
        // pghero: < 5 s is good; 1 min / 10 min (ours).
        check("PG-REP-002", R, msg::REP_002, msg::REP_002_FIX, rep_002)
            .th(vec![secs("warning", 60.0), secs("critical", 600.0)])
            .probes(&["standby"])
            .src("pghero replication lag; now() - pg_last_xact_replay_timestamp()"),
        check("PG-REP-003", R, msg::REP_003, msg::REP_003_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("slots")?
                .iter()
                .filter(|r| value::bool_of(r.get("active")) == Some(false))
                .cloned()
                .collect();
            check::list(c, &rows, Status::Warning, "slot")
        })
        .probes(&["slots"])
        .src("pghero, pg_gather (abandoned slot), pgwatch"),
        check("PG-REP-004", R, msg::REP_004, msg::REP_004_FIX, rep_004)
            .th(vec![
                bytes("warning", 1024.0 * 1024.0 * 1024.0),
                bytes("critical", 10.0 * 1024.0 * 1024.0 * 1024.0),
            ])
            .probes(&["slots"])
            .src("check_postgres `replication_slots`; wal_status lost → CRIT (PG 13+)"),
        check("PG-REP-005", R, msg::REP_005, msg::REP_005_FIX, |c| {
            let rows = c.rows("slots")?;
            check::worst_row(c, rows, "xmin_age", "slot")
        })
        .th(vec![
            count("warning", 10_000_000.0),
            count("critical", 100_000_000.0),
        ])
        .probes(&["slots"])
        .src("pgwatch `xmin_age_tx`; feeds wraparound"),
        // Not provoked by the tests: conflicts happen on standbys only.
        check("PG-REP-006", R, msg::REP_006, msg::REP_006_FIX, rep_006)
            .th(vec![count("warning", 1.0), count("critical", 1000.0)])
            .counters()
            .src("pgwatch `database_conflicts`: Δ pg_stat_database.conflicts"),
        // Not provoked by the tests: needs a subscription to a live publisher.
        check("PG-REP-007", R, msg::REP_007, msg::REP_007_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("subscriptions")?
                .iter()
                .filter(|r| {
                    value::f64_of(r.get("apply_errors")).unwrap_or(0.0)
                        + value::f64_of(r.get("sync_errors")).unwrap_or(0.0)
                        > 0.0
                })
                .cloned()
                .collect();
            check::list(c, &rows, Status::Warning, "subscription")
        })
        .probes(&["subscriptions"])
        .needs(crate::msg::NEEDS_PG15)
        .src("pgwatch `subscription_stats` (PG 15+)"),
        // Not provoked by the tests: a standby's receiver.
        check("PG-REP-008", R, msg::REP_008, msg::REP_008_FIX, rep_008)
            .probes(&["standby"])
            .src("pgwatch `wal_receiver`: not streaming → CRIT"),
        // The pass case needs a standby (not provoked: single scratch clusters); the fail case
        // is every scratch primary.
        check("PG-REP-009", R, msg::REP_009, msg::REP_009_FIX, rep_009)
            .probes(&["replication"])
            .tags(&["djbh3:8.1.4.9c"])
            .src("等保 8.1.4.9c 热冗余; pg_gather HA detection"),
        check("PG-REP-010", R, msg::REP_010, msg::REP_010_FIX, rep_010)
            .probes(&["replication"])
            .src("pg_gather: global synchronous replication; ours: named sync standby absent"),
    ]
}

fn primary_only(c: &Ctx<'_>) -> Result<(), Skip> {
    match c.base().facts.role {
        Role::Primary => Ok(()),
        Role::Replica => Err(Skip(Text::new(crate::msg::NOT_ON_REPLICA))),
    }
}

fn rep_001(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("replication")?;
    if rows.is_empty() {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::REP_001_NONE)));
    }
    check::worst_row(c, rows, "lag_bytes", "application_name").map(|mut o| {
        if o.status == Status::Ok {
            o.evidence.rows = rows.to_vec();
        }
        o
    })
}

fn rep_002(c: &Ctx<'_>) -> Eval {
    let r = c.row("standby")?;
    let age = value::f64_of(r.get("replay_delay_s")).unwrap_or(0.0);
    Ok(Outcome::new(
        c.above(age),
        Text::new(msg::REP_002_SEEN)
            .arg("age", crate::threshold::human_secs(age))
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("replay_delay_seconds", age))
}

fn rep_004(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("slots")?;
    let lost: Vec<Row> = rows
        .iter()
        .filter(|r| value::text_of(r.get("wal_status")) == "lost")
        .cloned()
        .collect();
    if !lost.is_empty() {
        return Ok(Outcome::new(
            Status::Critical,
            Text::new(msg::REP_004_LOST).arg("list", check::names(&lost, "slot", 5)),
        )
        .rows(&lost, c.max_rows()));
    }
    check::worst_row(c, rows, "retained_bytes", "slot").map(|o| {
        let total: f64 = rows
            .iter()
            .filter_map(|r| value::f64_of(r.get("retained_bytes")))
            .sum();
        o.value("retained_total", human_bytes(total))
    })
}

fn rep_006(c: &Ctx<'_>) -> Eval {
    if c.base().facts.role == Role::Primary {
        return Err(Skip(Text::new(crate::msg::ONLY_ON_REPLICA)));
    }
    let (n, basis) = c.change("db.conflicts")?;
    Ok(Outcome::new(
        c.above(n),
        Text::new(msg::REP_006_SEEN)
            .arg("count", n)
            .arg("period", crate::threshold::human_secs(basis.seconds)),
    )
    .basis(basis))
}

fn rep_008(c: &Ctx<'_>) -> Eval {
    let r = c.row("standby")?;
    let status = value::text_of(r.get("receiver_status"));
    Ok(Outcome::new(
        if status == "streaming" {
            Status::Ok
        } else {
            Status::Critical
        },
        Text::new(msg::REP_008_SEEN)
            .arg("status", if status.is_empty() { "none" } else { &status }),
    ))
}

fn rep_009(c: &Ctx<'_>) -> Eval {
    if c.base().facts.role == Role::Replica {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::REP_009_IS_STANDBY)));
    }
    let rows: Vec<Row> = c
        .rows("replication")?
        .iter()
        .filter(|r| value::text_of(r.get("state")) == "streaming")
        .cloned()
        .collect();
    if rows.is_empty() {
        return Ok(Outcome::new(Status::Warning, Text::new(msg::REP_009_NONE)));
    }
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::REP_009_SOME)
            .arg("count", rows.len())
            .arg("list", check::names(&rows, "application_name", 5)),
    )
    .rows(&rows, c.max_rows()))
}

fn rep_010(c: &Ctx<'_>) -> Eval {
    primary_only(c)?;
    let names = c
        .opt_setting("synchronous_standby_names")
        .map(|s| s.value.trim().to_string())
        .unwrap_or_default();
    if names.is_empty() {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::REP_010_UNSET)));
    }
    let sync = c
        .rows("replication")?
        .iter()
        .filter(|r| {
            matches!(
                value::text_of(r.get("sync_state")).as_str(),
                "sync" | "quorum"
            )
        })
        .count();
    Ok(Outcome::new(
        if sync == 0 {
            Status::Critical
        } else {
            Status::Ok
        },
        Text::new(msg::REP_010_SEEN)
            .arg("names", &names)
            .arg("count", sync),
    )
    .value("synchronous_standby_names", names)
    .value("sync_standbys", sync))
}
