//! Connections, sessions, locks and replication for MySQL/MariaDB.

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use super::server::{grow, ratio_high};
use crate::check::{self, Ctx, Def, Eval, Outcome, Skip};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{count, human_secs, pct, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        CON_001 = "inspect.my.con_001" { en: "connections in use", zh: "连接使用率" }
        CON_001_FIX = "inspect.my.con_001_fix" {
            en: "the server came close to max_connections: find idle or leaked connections (SHOW PROCESSLIST), lower wait_timeout, use a pool; raise max_connections only with memory to back it (MT)",
            zh: "连接数接近 max_connections：请排查空闲或泄漏的连接（SHOW PROCESSLIST），降低 wait_timeout，使用连接池；只有内存充足时才调大 max_connections（MT）"
        }
        CON_001_SEEN = "inspect.my.con_001_seen" {
            en: "peak {peak} of {max} connections ({pct}%), {now} now",
            zh: "峰值 {peak}/{max} 个连接（{pct}%），当前 {now} 个"
        }
        CON_002 = "inspect.my.con_002" { en: "few aborted connection attempts", zh: "中断的连接尝试很少" }
        CON_002_FIX = "inspect.my.con_002_fix" {
            en: "many connection attempts fail: wrong passwords, clients that do not close connections, or network problems; the error log names the hosts (MT > 3%)",
            zh: "大量连接尝试失败：可能是口令错误、客户端未正常关闭连接或网络问题；错误日志中有相关主机（MT：> 3%）"
        }
        CON_003 = "inspect.my.con_003" { en: "no connections refused for max_connections", zh: "没有因 max_connections 被拒绝的连接" }
        CON_003_FIX = "inspect.my.con_003_fix" {
            en: "clients were refused because max_connections was reached: see MY-CON-001",
            zh: "已有客户端因达到 max_connections 被拒绝：见 MY-CON-001"
        }
        SES_001 = "inspect.my.ses_001" { en: "no long-running statements", zh: "无长时间运行的语句" }
        SES_001_FIX = "inspect.my.ses_001_fix" {
            en: "look at the statements in the evidence (EXPLAIN), KILL QUERY the runaway ones, and consider max_statement_time (MariaDB) or max_execution_time (MySQL) for the application account",
            zh: "请分析证据中的语句（EXPLAIN），用 KILL QUERY 终止失控的语句，并考虑为应用账户设置 max_statement_time（MariaDB）或 max_execution_time（MySQL）"
        }
        SES_002 = "inspect.my.ses_002" { en: "no long-open InnoDB transactions", zh: "无长时间未结束的 InnoDB 事务" }
        SES_002_FIX = "inspect.my.ses_002_fix" {
            en: "long transactions keep old row versions (the history list grows) and hold locks: have the application commit sooner, or KILL the thread (MT > 1 h)",
            zh: "长事务会保留旧的行版本（历史链表增长）并持有锁：请让应用尽早提交，或 KILL 该线程（MT：> 1 小时）"
        }
        SES_003 = "inspect.my.ses_003" { en: "no idle sessions inside a transaction", zh: "无事务中空闲的会话" }
        SES_003_FIX = "inspect.my.ses_003_fix" {
            en: "a sleeping connection holds an open transaction: fix the application (commit or roll back before idling) and KILL the thread if it is forgotten",
            zh: "空闲连接持有未结束的事务：请修复应用（空闲前提交或回滚），若已被遗忘可 KILL 该线程"
        }
        LCK_001 = "inspect.my.lck_001" { en: "row-lock waits", zh: "行锁等待" }
        LCK_001_FIX = "inspect.my.lck_001_fix" {
            en: "transactions often wait for row locks: shorten transactions and make hot rows less hot; innodb_status shows the latest waits",
            zh: "事务经常等待行锁：请缩短事务并分散热点行；SHOW ENGINE INNODB STATUS 可看到最近的等待"
        }
        LCK_002 = "inspect.my.lck_002" { en: "no long row-lock waits now", zh: "当前无长时间的行锁等待" }
        LCK_002_FIX = "inspect.my.lck_002_fix" {
            en: "a transaction waits for another (blocking thread in the evidence): end the blocker if it is stuck (KILL), fix the order of updates",
            zh: "有事务在等待另一个事务（证据中的阻塞线程）：若阻塞者已卡住可 KILL 之，并调整更新顺序"
        }
        LCK_003 = "inspect.my.lck_003" { en: "no deadlocks", zh: "无死锁" }
        LCK_003_FIX = "inspect.my.lck_003_fix" {
            en: "deadlocks happened: set innodb_print_all_deadlocks = ON to log each one, and make the application lock rows in one order",
            zh: "发生了死锁：请设置 innodb_print_all_deadlocks = ON 记录每一次死锁，并让应用按固定顺序加锁"
        }
        LCK_004 = "inspect.my.lck_004" { en: "table locks are granted at once", zh: "表锁可立即获得" }
        LCK_004_FIX = "inspect.my.lck_004_fix" {
            en: "table-lock waits point at MyISAM/Aria tables under concurrent writes: move them to InnoDB (MT)",
            zh: "表锁等待说明 MyISAM/Aria 表在并发写入：请迁移到 InnoDB（MT）"
        }
        LCK_005 = "inspect.my.lck_005" { en: "no waits for metadata locks", zh: "无元数据锁等待" }
        LCK_005_FIX = "inspect.my.lck_005_fix" {
            en: "statements queue behind a metadata lock (often DDL behind a long transaction, then everything behind the DDL): find the open transaction on that table and end it",
            zh: "语句在元数据锁后排队（通常是 DDL 等待长事务，其后所有语句又等待该 DDL）：请找到该表上未结束的事务并结束之"
        }
        LCK_006 = "inspect.my.lck_006" { en: "every deadlock is logged", zh: "每次死锁都会被记录" }
        LCK_006_FIX = "inspect.my.lck_006_fix" {
            en: "set innodb_print_all_deadlocks = ON: otherwise only the latest deadlock can be seen",
            zh: "请设置 innodb_print_all_deadlocks = ON：否则只能看到最近一次死锁"
        }
        REP_001 = "inspect.my.rep_001" { en: "replication threads run", zh: "复制线程正在运行" }
        REP_001_FIX = "inspect.my.rep_001_fix" {
            en: "a replication thread stopped: read Last_IO_Error / Last_SQL_Error in the evidence, fix the cause (network, credentials, a conflicting row) and START SLAVE / START REPLICA",
            zh: "复制线程已停止：请查看证据中的 Last_IO_Error / Last_SQL_Error，排除原因（网络、凭据、冲突行）后执行 START SLAVE / START REPLICA"
        }
        REP_001_SEEN = "inspect.my.rep_001_seen" {
            en: "IO thread {io}, SQL thread {sql}; {error}",
            zh: "IO 线程 {io}，SQL 线程 {sql}；{error}"
        }
        REP_002 = "inspect.my.rep_002" { en: "replica keeps up", zh: "从库同步及时" }
        REP_002_FIX = "inspect.my.rep_002_fix" {
            en: "the replica is behind: check its disk and CPU, parallel apply (MY-REP-003), long statements on the source; Seconds_Behind_Master can mislead, pt-heartbeat measures truly",
            zh: "从库延迟：请检查其磁盘和 CPU、并行复制（MY-REP-003）及主库上的长语句；Seconds_Behind_Master 可能失真，pt-heartbeat 测量更准确"
        }
        REP_002_SEEN = "inspect.my.rep_002_seen" {
            en: "{lag} behind the source (warning at {warning}, critical at {critical})",
            zh: "落后主库 {lag}（警告阈值 {warning}，严重阈值 {critical}）"
        }
        REP_003 = "inspect.my.rep_003" { en: "replica applies in parallel", zh: "从库并行应用" }
        REP_003_FIX = "inspect.my.rep_003_fix" {
            en: "a single-threaded applier falls behind a busy source: set slave_parallel_threads (MariaDB, with slave_parallel_mode = optimistic) or replica_parallel_workers (MySQL) (MT)",
            zh: "单线程应用跟不上繁忙的主库：请设置 slave_parallel_threads（MariaDB，配合 slave_parallel_mode = optimistic）或 replica_parallel_workers（MySQL）（MT）"
        }
        REP_004 = "inspect.my.rep_004" { en: "replica is read-only", zh: "从库为只读" }
        REP_004_FIX = "inspect.my.rep_004_fix" {
            en: "set read_only = ON on the replica so that nothing writes to it by mistake and breaks replication",
            zh: "请在从库上设置 read_only = ON，避免误写入导致复制中断"
        }
        REP_005 = "inspect.my.rep_005" { en: "Galera node is synced", zh: "Galera 节点已同步" }
        REP_005_FIX = "inspect.my.rep_005_fix" {
            en: "the Galera node is not synced or not in the primary component: check wsrep_cluster_status, the network between nodes and the node's log (MT)",
            zh: "Galera 节点未同步或不在主分量中：请检查 wsrep_cluster_status、节点间网络及节点日志（MT）"
        }
        REP_005_SEEN = "inspect.my.rep_005_seen" {
            en: "wsrep_ready {ready}, wsrep_connected {connected}, wsrep_local_state_comment {state}, wsrep_cluster_status {cluster}",
            zh: "wsrep_ready {ready}，wsrep_connected {connected}，wsrep_local_state_comment {state}，wsrep_cluster_status {cluster}"
        }
        REP_006 = "inspect.my.rep_006" { en: "no replication errors recorded", zh: "无复制错误记录" }
        REP_006_FIX = "inspect.my.rep_006_fix" {
            en: "the replica recorded an error: read it in the evidence and make sure the replica still matches its source (pt-table-checksum)",
            zh: "从库记录了错误：请查看证据中的错误，并确认从库与主库仍然一致（pt-table-checksum）"
        }
        REP_007 = "inspect.my.rep_007" { en: "a hot standby exists", zh: "存在热备（从库）" }
        REP_007_FIX = "inspect.my.rep_007_fix" {
            en: "set up a replica (or a Galera cluster) so that a failed server can be replaced quickly: the contract asks for 99.5% availability and 等保 8.1.4.9c for hot redundancy",
            zh: "请搭建从库（或 Galera 集群），以便故障时快速切换：合同要求可用性不低于 99.5%，等保 8.1.4.9c 要求热冗余"
        }
        REP_007_NONE = "inspect.my.rep_007_none" { en: "no replica reads from this server", zh: "没有从库从该服务器复制" }
        REP_007_SOME = "inspect.my.rep_007_some" { en: "{count} replicas connected: {list}", zh: "已连接 {count} 个从库：{list}" }
        REP_007_IS_REPLICA = "inspect.my.rep_007_is_replica" { en: "this server is itself a replica", zh: "该服务器本身就是从库" }
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
    use Group::{Connections as C, Locks as L, Replication as R, Sessions as S};
    vec![
        // MySQLTuner: Max_used_connections / max_connections > 85% → raise; 95% critical (ours).
        check("MY-CON-001", C, msg::CON_001, msg::CON_001_FIX, con_001)
            .th(vec![pct("warning", 85.0), pct("critical", 95.0)])
            .counters()
            .src("MySQLTuner: Max_used_connections / max_connections > 85%"),
        check("MY-CON-002", C, msg::CON_002, msg::CON_002_FIX, |c| {
            ratio_high(c, "status.Aborted_connects", &["status.Connections"])
        })
        .th(vec![pct("warning", 3.0), pct("critical", 20.0), count("min_events", 100.0)])
        .counters()
        .src("MySQLTuner: Aborted_connects / Connections > 3%"),
        check("MY-CON-003", C, msg::CON_003, msg::CON_003_FIX, |c| {
            grow(c, "status.Connection_errors_max_connections")
        })
        .th(vec![count("warning", 1.0), count("critical", 100.0)])
        .counters()
        .src("ours: Δ Connection_errors_max_connections > 0"),
        check("MY-SES-001", S, msg::SES_001, msg::SES_001_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("processlist")?
                .iter()
                .filter(|r| value::text_of(r.get("command")) == "Query")
                .cloned()
                .collect();
            check::worst_row(c, &rows, "time_s", "id")
        })
        .th(vec![secs("warning", 60.0), secs("critical", 600.0)])
        .probes(&["processlist"])
        .src("pt-mysql-summary processlist; pt-kill style (ours: 1 min / 10 min, as for PostgreSQL)"),
        // MySQLTuner: a transaction older than 3600 s is bad.
        check("MY-SES-002", S, msg::SES_002, msg::SES_002_FIX, |c| {
            let rows = c.rows("innodb_trx")?;
            check::worst_row(c, rows, "age_s", "thread")
        })
        .th(vec![secs("warning", 3600.0), secs("critical", 6.0 * 3600.0)])
        .probes(&["innodb_trx"])
        .src("MySQLTuner: MAX(trx age) > 3600 s → bad"),
        check("MY-SES-003", S, msg::SES_003, msg::SES_003_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("innodb_trx")?
                .iter()
                .filter(|r| value::text_of(r.get("command")) == "Sleep")
                .cloned()
                .collect();
            check::worst_row(c, &rows, "idle_s", "thread")
        })
        .th(vec![secs("warning", 300.0), secs("critical", 1800.0)])
        .probes(&["innodb_trx"])
        .src("ours: INNODB_TRX joined to PROCESSLIST Command = 'Sleep' (as PostgreSQL's idle in transaction)"),
        check("MY-LCK-001", L, msg::LCK_001, msg::LCK_001_FIX, |c| {
            grow(c, "status.Innodb_row_lock_waits").map(|mut o| {
                if o.status > Status::Info {
                    o.status = Status::Info;
                }
                o
            })
        })
        .th(vec![count("warning", 10.0)])
        .counters()
        .src("MySQLTuner: Innodb_row_lock_waits > 10 → HIGH"),
        check("MY-LCK-002", L, msg::LCK_002, msg::LCK_002_FIX, |c| {
            let rows = match c.base().product {
                crate::check::Product::Mysql if c.version_at_least(80_000) => c.rows("lock_waits_ps")?,
                _ => c.rows("lock_waits")?,
            };
            check::worst_row(c, rows, "wait_s", "waiting_thread")
        })
        .th(vec![secs("warning", 30.0), secs("critical", 120.0)])
        .probes(&["lock_waits", "lock_waits_ps"])
        .src("ours; sys.innodb_lock_waits / INNODB_LOCK_WAITS (pt-mysql-summary)"),
        check("MY-LCK-003", L, msg::LCK_003, msg::LCK_003_FIX, lck_003)
            .th(vec![count("warning", 1.0), count("critical", 100.0)])
            .counters()
            .src("pt-deadlock-logger; MariaDB Innodb_deadlocks Δ > 0"),
        // Not provoked by the tests: table-lock waits need concurrent writers on MyISAM/Aria
        // tables at the thr_lock level, which a short test does not reliably produce (MariaDB
        // queues most such sessions on metadata locks first); its ok path is tested.
        check("MY-LCK-004", L, msg::LCK_004, msg::LCK_004_FIX, |c| {
            ratio_high(c, "status.Table_locks_waited", &["status.Table_locks_waited", "status.Table_locks_immediate"])
        })
        .th(vec![pct("warning", 5.0), pct("critical", 25.0), count("min_events", 1_000.0)])
        .counters()
        .src("MySQLTuner: Table_locks_immediate / total < 95%"),
        check("MY-LCK-005", L, msg::LCK_005, msg::LCK_005_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("processlist")?
                .iter()
                .filter(|r| value::text_of(r.get("state")).contains("metadata lock"))
                .cloned()
                .collect();
            check::worst_row(c, &rows, "time_s", "id")
        })
        .th(vec![secs("warning", 30.0), secs("critical", 300.0)])
        .probes(&["processlist"])
        .src("ours: processlist State 'Waiting for table metadata lock'"),
        check("MY-LCK-006", L, msg::LCK_006, msg::LCK_006_FIX, |c| {
            check::must_be_on(c, "innodb_print_all_deadlocks", Status::Info)
        })
        .src("research §3.4: set innodb_print_all_deadlocks = ON"),
        check("MY-REP-001", R, msg::REP_001, msg::REP_001_FIX, rep_001)
            .probes(&["replica"])
            .src("MySQLTuner, pt-mysql-summary: Slave_IO_Running / Slave_SQL_Running not Yes → CRIT"),
        // MySQLTuner health score: < 1 s full marks, < 60 s half; 10 min critical (ours).
        check("MY-REP-002", R, msg::REP_002, msg::REP_002_FIX, rep_002)
            .th(vec![secs("warning", 60.0), secs("critical", 600.0)])
            .probes(&["replica"])
            .src("MySQLTuner: Seconds_Behind_Master (health score < 1 s / < 60 s)"),
        check("MY-REP-003", R, msg::REP_003, msg::REP_003_FIX, rep_003)
            .probes(&["replica"])
            .src("MySQLTuner: replica_parallel_workers / slave_parallel_threads 0 or 1 → bad"),
        check("MY-REP-004", R, msg::REP_004, msg::REP_004_FIX, rep_004)
            .probes(&["replica"])
            .src("ours: read_only OFF on a replica"),
        // Not provoked by the tests: no Galera cluster (its "not a Galera node" path runs).
        check("MY-REP-005", R, msg::REP_005, msg::REP_005_FIX, rep_005)
            .src("MySQLTuner: wsrep_ready, wsrep_connected, wsrep_local_state 4 (Synced), wsrep_cluster_status Primary"),
        check("MY-REP-006", R, msg::REP_006, msg::REP_006_FIX, rep_006)
            .probes(&["replica"])
            .src("pt-mysql-summary: Last_IO_Error / Last_SQL_Error"),
        check("MY-REP-007", R, msg::REP_007, msg::REP_007_FIX, rep_007)
            .probes(&["processlist", "replica"])
            .tags(&["djbh3:8.1.4.9c"])
            .src("等保 8.1.4.9c 热冗余: replicas connected (Binlog Dump threads)"),
    ]
}

fn con_001(c: &Ctx<'_>) -> Eval {
    let peak = c.status("Max_used_connections")?;
    let now = c.status("Threads_connected")?;
    let max = c
        .setting("max_connections")?
        .num()
        .unwrap_or(151.0)
        .max(1.0);
    let p = 100.0 * peak / max;
    Ok(Outcome::new(
        c.above(p),
        Text::new(msg::CON_001_SEEN)
            .arg("peak", peak)
            .arg("max", max)
            .arg("pct", format!("{p:.0}"))
            .arg("now", now),
    )
    .value("max_used_connections", peak)
    .value("threads_connected", now)
    .value("max_connections", max))
}

fn lck_003(c: &Ctx<'_>) -> Eval {
    // MariaDB and Percona count deadlocks in status; MySQL 8 in INNODB_METRICS (lock_deadlocks,
    // off by default), which this check does not read: it says so.
    if c.base().status.contains_key("Innodb_deadlocks") {
        grow(c, "status.Innodb_deadlocks")
    } else {
        Err(Skip(
            Text::new(crate::msg::STATUS_MISSING)
                .arg("name", "Innodb_deadlocks")
                .arg("version", &c.base().facts.version),
        ))
    }
}

/// The replica status row, or `None` when this server replicates from nobody.
fn replica_row<'a>(c: &Ctx<'a>) -> Result<Option<&'a Row>, Skip> {
    Ok(c.rows("replica")?.first())
}

/// A replica status column under its MySQL 8.0.22+ or its older (MariaDB) name.
fn col(r: &Row, new: &str, old: &str) -> String {
    value::opt_text(r.get(new)).unwrap_or_else(|| value::text_of(r.get(old)))
}

fn not_replica() -> Eval {
    Ok(Outcome::new(
        Status::Ok,
        Text::new(super::msg::NOT_A_REPLICA),
    ))
}

fn rep_001(c: &Ctx<'_>) -> Eval {
    let Some(r) = replica_row(c)? else {
        return not_replica();
    };
    let io = col(r, "Replica_IO_Running", "Slave_IO_Running");
    let sql = col(r, "Replica_SQL_Running", "Slave_SQL_Running");
    let error = [
        col(r, "Last_IO_Error", "Last_IO_Error"),
        col(r, "Last_SQL_Error", "Last_SQL_Error"),
    ]
    .into_iter()
    .filter(|e| !e.is_empty())
    .collect::<Vec<_>>()
    .join("; ");
    let ok = io == "Yes" && sql == "Yes";
    Ok(Outcome::new(
        if ok { Status::Ok } else { Status::Critical },
        Text::new(msg::REP_001_SEEN)
            .arg("io", &io)
            .arg("sql", &sql)
            .arg(
                "error",
                if error.is_empty() {
                    "-".into()
                } else {
                    error.clone()
                },
            ),
    )
    .value("io_running", io)
    .value("sql_running", sql)
    .value("last_error", error))
}

fn rep_002(c: &Ctx<'_>) -> Eval {
    let Some(r) = replica_row(c)? else {
        return not_replica();
    };
    let lag = value::f64_of(r.get("Seconds_Behind_Source"))
        .or_else(|| value::f64_of(r.get("Seconds_Behind_Master")));
    let Some(lag) = lag else {
        // NULL while a thread is stopped: MY-REP-001 reports that.
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::REP_002_SEEN)
                .arg("lag", "NULL")
                .arg("warning", c.shown_t("warning"))
                .arg("critical", c.shown_t("critical")),
        ));
    };
    Ok(Outcome::new(
        c.above(lag),
        Text::new(msg::REP_002_SEEN)
            .arg("lag", human_secs(lag))
            .arg("warning", c.shown_t("warning"))
            .arg("critical", c.shown_t("critical")),
    )
    .value("seconds_behind", lag))
}

fn rep_003(c: &Ctx<'_>) -> Eval {
    if replica_row(c)?.is_none() {
        return not_replica();
    }
    let name = [
        "replica_parallel_workers",
        "slave_parallel_workers",
        "slave_parallel_threads",
    ]
    .into_iter()
    .find(|n| c.opt_setting(n).is_some())
    .unwrap_or("slave_parallel_threads");
    check::setting(
        c,
        name,
        |s| s.num().is_some_and(|v| v <= 1.0),
        Status::Info,
        "≥ 2 (number of CPUs)",
    )
}

fn rep_004(c: &Ctx<'_>) -> Eval {
    if replica_row(c)?.is_none() {
        return not_replica();
    }
    check::must_be_on(c, "read_only", Status::Warning)
}

fn rep_005(c: &Ctx<'_>) -> Eval {
    if !c.opt_setting("wsrep_on").is_some_and(|s| s.is_on()) {
        return Ok(Outcome::new(Status::Ok, Text::new(super::msg::NO_GALERA)));
    }
    let st = |n: &str| c.base().status.get(n).cloned().unwrap_or_default();
    let (ready, connected) = (st("wsrep_ready"), st("wsrep_connected"));
    let (state, cluster) = (st("wsrep_local_state_comment"), st("wsrep_cluster_status"));
    let ok = ready == "ON" && connected == "ON" && state == "Synced" && cluster == "Primary";
    Ok(Outcome::new(
        if ok { Status::Ok } else { Status::Critical },
        Text::new(msg::REP_005_SEEN)
            .arg("ready", ready)
            .arg("connected", connected)
            .arg("state", state)
            .arg("cluster", cluster),
    ))
}

fn rep_006(c: &Ctx<'_>) -> Eval {
    let Some(r) = replica_row(c)? else {
        return not_replica();
    };
    let errors: Vec<Row> = ["Last_IO_Error", "Last_SQL_Error"]
        .iter()
        .filter_map(|k| {
            let e = value::text_of(r.get(*k));
            (!e.is_empty()).then(|| {
                let mut row = Row::new();
                row.insert(
                    "error".into(),
                    serde_json::Value::String(format!("{k}: {e}")),
                );
                row
            })
        })
        .collect();
    check::list(c, &errors, Status::Warning, "error")
}

fn rep_007(c: &Ctx<'_>) -> Eval {
    if replica_row(c)?.is_some() {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::REP_007_IS_REPLICA)));
    }
    let rows: Vec<Row> = c
        .rows("processlist")?
        .iter()
        .filter(|r| value::text_of(r.get("command")).starts_with("Binlog Dump"))
        .cloned()
        .collect();
    if rows.is_empty() {
        return Ok(Outcome::new(Status::Warning, Text::new(msg::REP_007_NONE)));
    }
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::REP_007_SOME)
            .arg("count", rows.len())
            .arg("list", check::names(&rows, "host", 5)),
    )
    .rows(&rows, c.max_rows()))
}
