//! Messages shared by the MySQL/MariaDB checks (why a probe cannot run here). Each area module
//! holds its checks' own titles, remediations and summaries.

dbkeeper_core::catalogue! {
    ONLY_MARIADB = "inspect.my.only_mariadb" {
        en: "applies to MariaDB (MySQL keeps this elsewhere; its own probe covers it)",
        zh: "仅适用于 MariaDB（MySQL 的对应信息由另一项查询覆盖）"
    }
    ONLY_MYSQL = "inspect.my.only_mysql" {
        en: "applies to MySQL (MariaDB keeps this elsewhere; its own probe covers it)",
        zh: "仅适用于 MySQL（MariaDB 的对应信息由另一项查询覆盖）"
    }
    NEEDS_PERF_SCHEMA = "inspect.my.needs_perf_schema" {
        en: "performance_schema is off, so per-index and per-statement statistics do not exist (performance_schema = ON in my.cnf, restart)",
        zh: "performance_schema 未开启，没有按索引和按语句的统计（在 my.cnf 中设置 performance_schema = ON 并重启）"
    }
    BINLOG_OFF = "inspect.my.binlog_off" {
        en: "the binary log is off (log_bin = OFF)",
        zh: "未开启二进制日志（log_bin = OFF）"
    }
    NOT_A_REPLICA = "inspect.my.not_a_replica" {
        en: "this server is not a replica (no replication configured)",
        zh: "该服务器不是从库（未配置复制）"
    }
    NO_GALERA = "inspect.my.no_galera" {
        en: "this server is not a Galera cluster node (wsrep_on = OFF)",
        zh: "该服务器不是 Galera 集群节点（wsrep_on = OFF）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
