//! Connections, sessions and locks, from one read of pg_stat_activity (our own session left out).

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval, Outcome};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{count, pct, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        CON_001 = "inspect.pg.con_001" { en: "connections in use", zh: "连接使用率" }
        CON_001_FIX = "inspect.pg.con_001_fix" {
            en: "close idle connections or put a pooler (PgBouncer) in front before new logins are refused; raise max_connections only with the memory to back it",
            zh: "请关闭空闲连接或部署连接池（PgBouncer），以免新连接被拒绝；只有内存充足时才调大 max_connections"
        }
        CON_001_SEEN = "inspect.pg.con_001_seen" {
            en: "{used} of {max} connections in use ({pct}%; {reserved} reserved for superusers)",
            zh: "已使用 {used}/{max} 个连接（{pct}%；{reserved} 个为超级用户保留）"
        }
        CON_002 = "inspect.pg.con_002" { en: "no forgotten prepared transactions", zh: "无遗留的预备事务" }
        CON_002_FIX = "inspect.pg.con_002_fix" {
            en: "finish or roll back old prepared transactions (COMMIT PREPARED / ROLLBACK PREPARED 'gid') after checking with the application: they hold locks and block vacuum",
            zh: "与应用确认后提交或回滚旧的预备事务（COMMIT PREPARED / ROLLBACK PREPARED 'gid'）：它们持有锁并阻塞清理"
        }
        CON_003 = "inspect.pg.con_003" { en: "remote sessions are encrypted", zh: "远程会话已加密" }
        CON_003_FIX = "inspect.pg.con_003_fix" {
            en: "require TLS for remote clients: hostssl lines (not host) in pg_hba.conf and sslmode=require or verify-full in the clients (等保 8.1.4.1c)",
            zh: "请要求远程客户端使用 TLS：pg_hba.conf 中使用 hostssl（而非 host），客户端使用 sslmode=require 或 verify-full（等保 8.1.4.1c）"
        }
        SES_001 = "inspect.pg.ses_001" { en: "no long idle-in-transaction sessions", zh: "无长时间“事务中空闲”的会话" }
        SES_001_FIX = "inspect.pg.ses_001_fix" {
            en: "find the application that leaves transactions open (application name and client in the evidence), fix it, and set idle_in_transaction_session_timeout; pg_terminate_backend(pid) ends one now",
            zh: "请根据证据中的应用名和客户端找到未结束事务的应用并修复，同时设置 idle_in_transaction_session_timeout；可用 pg_terminate_backend(pid) 立即结束"
        }
        SES_002 = "inspect.pg.ses_002" { en: "no long-running statements", zh: "无长时间运行的语句" }
        SES_002_FIX = "inspect.pg.ses_002_fix" {
            en: "look at the statements in the evidence (EXPLAIN), cancel runaway ones with pg_cancel_backend(pid), and consider a statement_timeout for the application's role",
            zh: "请分析证据中的语句（EXPLAIN），用 pg_cancel_backend(pid) 取消失控的语句，并考虑为应用角色设置 statement_timeout"
        }
        SES_003 = "inspect.pg.ses_003" { en: "no long-open transactions", zh: "无长时间未结束的事务" }
        SES_003_FIX = "inspect.pg.ses_003_fix" {
            en: "long transactions hold back vacuum for the whole cluster and keep locks: have the application commit sooner, or end the session (pg_terminate_backend)",
            zh: "长事务会阻止整个集簇的清理并持有锁：请让应用尽早提交，或结束该会话（pg_terminate_backend）"
        }
        SES_004 = "inspect.pg.ses_004" { en: "oldest snapshot (xmin horizon) is recent", zh: "最旧快照（xmin 水位）较新" }
        SES_004_FIX = "inspect.pg.ses_004_fix" {
            en: "something holds back the xmin horizon (session, prepared transaction or replication slot in the evidence): vacuum cannot remove dead rows newer than it; end or drop it",
            zh: "有对象阻止了 xmin 水位推进（证据中的会话、预备事务或复制槽）：清理无法回收比它新的死元组；请结束或删除它"
        }
        SES_004_SEEN = "inspect.pg.ses_004_seen" {
            en: "oldest xmin is {age} transactions old, held by {holder} (warning at {warning}, critical at {critical})",
            zh: "最旧的 xmin 已有 {age} 个事务之久，由 {holder} 持有（警告阈值 {warning}，严重阈值 {critical}）"
        }
        LCK_001 = "inspect.pg.lck_001" { en: "no sessions blocked by others", zh: "无被其他会话阻塞的会话" }
        LCK_001_FIX = "inspect.pg.lck_001_fix" {
            en: "look at the blocking sessions (pg_blocking_pids in the evidence): end the blocker if it is stuck, or shorten the transactions that take the locks",
            zh: "请查看阻塞源会话（证据中的 pg_blocking_pids）：若已卡死可结束之，或缩短持锁事务"
        }
        LCK_002 = "inspect.pg.lck_002" { en: "no long lock waits", zh: "无长时间的锁等待" }
        LCK_002_FIX = "inspect.pg.lck_002_fix" {
            en: "sessions wait long for locks: find the holder, end it if stuck, and set lock_timeout for DDL so that it gives up instead of queueing everyone behind it",
            zh: "会话长时间等待锁：请找到持锁者，若卡死则结束之；DDL 请设置 lock_timeout，避免其排队阻塞所有后续请求"
        }
        LCK_003 = "inspect.pg.lck_003" { en: "lock table usage", zh: "锁表使用率" }
        LCK_003_FIX = "inspect.pg.lck_003_fix" {
            en: "the shared lock table is filling (\"out of shared memory\" follows): find the transaction touching very many objects, or raise max_locks_per_transaction (restart)",
            zh: "共享锁表即将用尽（随后会报 out of shared memory）：请找出访问大量对象的事务，或调大 max_locks_per_transaction（需重启）"
        }
        LCK_003_SEEN = "inspect.pg.lck_003_seen" {
            en: "{total} locks held of about {capacity} ({pct}%), {waiting} waiting",
            zh: "持有 {total} 个锁，容量约 {capacity}（{pct}%），{waiting} 个在等待"
        }
        LCK_004 = "inspect.pg.lck_004" { en: "no deadlocks", zh: "无死锁" }
        LCK_004_FIX = "inspect.pg.lck_004_fix" {
            en: "deadlocks happened: the server log has both statements (log_lock_waits helps); make the application take locks in one order",
            zh: "发生了死锁：服务器日志中记录了双方语句（开启 log_lock_waits 更便于排查）；请让应用按固定顺序加锁"
        }
        LCK_004_SEEN = "inspect.pg.lck_004_seen" {
            en: "{count} deadlocks in {period}",
            zh: "{period} 内发生 {count} 次死锁"
        }
        LCK_005 = "inspect.pg.lck_005" { en: "lock waits are logged", zh: "已记录锁等待日志" }
        LCK_005_FIX = "inspect.pg.lck_005_fix" {
            en: "set log_lock_waits = on: waits longer than deadlock_timeout are then logged with the blocker",
            zh: "请设置 log_lock_waits = on：超过 deadlock_timeout 的锁等待将连同阻塞者一起记录"
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
    use Group::{Connections as C, Locks as L, Sessions as S};
    vec![
        // check_postgres `backends`: W 90% / C 95% of max_connections.
        check("PG-CON-001", C, msg::CON_001, msg::CON_001_FIX, con_001)
            .th(vec![pct("warning", 90.0), pct("critical", 95.0)])
            .probes(&["activity"])
            .src("check_postgres `backends` W 90% / C 95%; postgresqltuner 70/90"),
        // check_postgres `prepared_txns` is W 1 s / C 30 s for a monitor polling a 2PC system;
        // a daily inspection looks for forgotten ones: 1 min / 10 min (ours).
        check("PG-CON-002", C, msg::CON_002, msg::CON_002_FIX, |c| {
            let rows = c.rows("prepared")?;
            check::worst_row(c, rows, "age_s", "gid")
        })
        .th(vec![secs("warning", 60.0), secs("critical", 600.0)])
        .probes(&["prepared"])
        .src("check_postgres `prepared_txns`; postgresqltuner"),
        check("PG-CON-003", C, msg::CON_003, msg::CON_003_FIX, con_003)
            .probes(&["ssl_sessions"])
            .tags(&["djbh3:8.1.4.1c"])
            .src("pg_gather, pgwatch `stat_ssl`; 等保 8.1.4.1c"),
        // pg_gather suggests idle_in_transaction_session_timeout = 5 min; past 30 min it is a
        // stuck application (ours).
        check("PG-SES-001", S, msg::SES_001, msg::SES_001_FIX, |c| {
            let rows = sessions(c, |r| value::text_of(r.get("state")).starts_with("idle in transaction"))?;
            check::worst_row(c, &rows, "state_age_s", "pid")
        })
        .th(vec![secs("warning", 300.0), secs("critical", 1800.0)])
        .probes(&["activity"])
        .src("pghero, pg_gather, check_postgres `txn_idle`; pg_gather iits 5 min"),
        // pghero: PGHERO_LONG_RUNNING_QUERY_SEC = 60; critical at 10 min (ours).
        check("PG-SES-002", S, msg::SES_002, msg::SES_002_FIX, |c| {
            let rows = sessions(c, |r| value::text_of(r.get("state")) == "active")?;
            check::worst_row(c, &rows, "query_age_s", "pid")
        })
        .th(vec![secs("warning", 60.0), secs("critical", 600.0)])
        .probes(&["activity"])
        .src("pghero long-running query 60 s; check_postgres `query_time`"),
        // check_postgres `txn_time` has no default; 1 h / 6 h (ours).
        check("PG-SES-003", S, msg::SES_003, msg::SES_003_FIX, |c| {
            let rows = sessions(c, |r| value::f64_of(r.get("xact_age_s")).is_some())?;
            check::worst_row(c, &rows, "xact_age_s", "pid")
        })
        .th(vec![secs("warning", 3600.0), secs("critical", 6.0 * 3600.0)])
        .probes(&["activity"])
        .src("check_postgres `txn_time`; pg_gather xid horizon"),
        check("PG-SES-004", S, msg::SES_004, msg::SES_004_FIX, ses_004)
            .th(vec![count("warning", 10_000_000.0), count("critical", 100_000_000.0)])
            .probes(&["activity", "prepared", "slots"])
            .src("pg_gather `xidhorizon`; pgwatch `xmin_age_tx` (ours: 10 M / 100 M)"),
        check("PG-LCK-001", L, msg::LCK_001, msg::LCK_001_FIX, |c| {
            let rows = sessions(c, |r| value::f64_of(r.get("blocked_by")).is_some_and(|n| n > 0.0))?;
            check::counted(c, &rows, "pid")
        })
        .th(vec![count("warning", 1.0), count("critical", 10.0)])
        .probes(&["activity"])
        .src("pgwatch, pg_gather, pghero blocked sessions: any → warn"),
        // check_postgres `lockwait`: W 1 min / C 2 min.
        check("PG-LCK-002", L, msg::LCK_002, msg::LCK_002_FIX, |c| {
            let rows = sessions(c, |r| value::text_of(r.get("wait_event_type")) == "Lock")?;
            check::worst_row(c, &rows, "state_age_s", "pid")
        })
        .th(vec![secs("warning", 60.0), secs("critical", 120.0)])
        .probes(&["activity"])
        .src("check_postgres `lockwait` W 1 min / C 2 min"),
        // check_postgres `locks` counts absolute locks (W 100 / C 150); the shared lock table's
        // size is what runs out, so we measure against it (ours: 50% / 80%).
        check("PG-LCK-003", L, msg::LCK_003, msg::LCK_003_FIX, lck_003)
            .th(vec![pct("warning", 50.0), pct("critical", 80.0)])
            .probes(&["locks"])
            .src("check_postgres `locks`; capacity = max_locks_per_transaction × (max_connections + max_prepared_transactions)"),
        check("PG-LCK-004", L, msg::LCK_004, msg::LCK_004_FIX, lck_004)
            .th(vec![count("warning", 1.0), count("critical", 100.0)])
            .counters()
            .src("pgmetrics, pgbadger: Δ pg_stat_database.deadlocks > 0"),
        check("PG-LCK-005", L, msg::LCK_005, msg::LCK_005_FIX, |c| check::must_be_on(c, "log_lock_waits", Status::Info))
            .src("pg_gather: log_lock_waits off → on"),
    ]
}

/// Client sessions from the activity probe that match `keep`.
fn sessions(c: &Ctx<'_>, keep: impl Fn(&Row) -> bool) -> Result<Vec<Row>, check::Skip> {
    Ok(c.rows("activity")?
        .iter()
        .filter(|r| value::text_of(r.get("backend_type")) == "client backend")
        .filter(|r| keep(r))
        .cloned()
        .collect())
}

fn con_001(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("activity")?;
    // Our own session is left out of the probe but takes a slot all the same.
    let used = rows
        .iter()
        .filter(|r| value::text_of(r.get("backend_type")) == "client backend")
        .count() as f64
        + 1.0;
    let max = c.setting("max_connections")?.num().unwrap_or(100.0);
    let reserved = c
        .opt_setting("superuser_reserved_connections")
        .and_then(|s| s.num())
        .unwrap_or(0.0);
    let p = 100.0 * used / max.max(1.0);
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::CON_001_SEEN)
            .arg("used", used)
            .arg("max", max)
            .arg("pct", format!("{p:.0}"))
            .arg("reserved", reserved),
    )
    .value("connections", used)
    .value("max_connections", max)
    .value("percent", p.round()))
}

fn is_local_addr(a: &str) -> bool {
    a.starts_with("127.") || a == "::1" || a.is_empty()
}

fn con_003(c: &Ctx<'_>) -> Eval {
    let rows: Vec<Row> = c
        .rows("ssl_sessions")?
        .iter()
        .filter(|r| !is_local_addr(&value::text_of(r.get("client"))))
        .filter(|r| !value::bool_of(r.get("ssl")).unwrap_or(false))
        .cloned()
        .collect();
    check::list(c, &rows, Status::Warning, "client")
}

fn ses_004(c: &Ctx<'_>) -> Eval {
    let mut holders: Vec<(f64, String)> = Vec::new();
    for r in c.rows("activity")? {
        if let Some(age) = value::f64_of(r.get("xmin_age")) {
            holders.push((age, format!("pid {}", value::text_of(r.get("pid")))));
        }
    }
    if let Ok(slots) = c.rows("slots") {
        for r in slots {
            if let Some(age) = value::f64_of(r.get("xmin_age")) {
                holders.push((age, format!("slot {}", value::text_of(r.get("slot")))));
            }
        }
    }
    let oldest = holders
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .cloned()
        .unwrap_or((0.0, "-".into()));
    Ok(Outcome::new(
        c.above(oldest.0),
        Text::new(msg::SES_004_SEEN)
            .arg("age", oldest.0)
            .arg("holder", &oldest.1)
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("xmin_age", oldest.0)
    .value("held_by", oldest.1))
}

fn lck_003(c: &Ctx<'_>) -> Eval {
    let r = c.row("locks")?;
    let total = value::f64_of(r.get("total")).unwrap_or(0.0);
    let waiting = value::f64_of(r.get("waiting")).unwrap_or(0.0);
    let capacity = value::f64_of(r.get("capacity")).unwrap_or(1.0).max(1.0);
    let p = 100.0 * total / capacity;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::LCK_003_SEEN)
            .arg("total", total)
            .arg("capacity", capacity)
            .arg("pct", format!("{p:.1}"))
            .arg("waiting", waiting),
    )
    .value("locks", total)
    .value("waiting", waiting)
    .value("capacity", capacity))
}

fn lck_004(c: &Ctx<'_>) -> Eval {
    let (n, basis) = c.change("db.deadlocks")?;
    Ok(Outcome::new(
        c.above(n),
        Text::new(msg::LCK_004_SEEN)
            .arg("count", n)
            .arg("period", crate::threshold::human_secs(basis.seconds)),
    )
    .value("deadlocks", n)
    .basis(basis))
}
