//! Messages of the inspection framework: statuses, groups, verdicts, generic summaries, why a
//! check did not run, and option errors. The checks' own titles and remediations live next to
//! their SQL (`checks/postgres/msg.rs`, `checks/mysql/msg.rs`, `checks/common.rs`).

dbkeeper_core::catalogue! {
    STATUS_OK = "inspect.status.ok" { en: "ok", zh: "正常" }
    STATUS_INFO = "inspect.status.info" { en: "info", zh: "提示" }
    STATUS_NOT_RUN = "inspect.status.not_run" { en: "not run", zh: "未执行" }
    STATUS_WARNING = "inspect.status.warning" { en: "warning", zh: "警告" }
    STATUS_CRITICAL = "inspect.status.critical" { en: "critical", zh: "严重" }

    GROUP_AVAILABILITY = "inspect.group.availability" { en: "availability", zh: "可用性" }
    GROUP_VERSION = "inspect.group.version" { en: "version", zh: "版本" }
    GROUP_CONFIGURATION = "inspect.group.configuration" { en: "configuration", zh: "配置" }
    GROUP_MEMORY = "inspect.group.memory" { en: "memory and caches", zh: "内存与缓存" }
    GROUP_CONNECTIONS = "inspect.group.connections" { en: "connections", zh: "连接" }
    GROUP_SESSIONS = "inspect.group.sessions" { en: "sessions and transactions", zh: "会话与事务" }
    GROUP_LOCKS = "inspect.group.locks" { en: "locks", zh: "锁" }
    GROUP_REPLICATION = "inspect.group.replication" { en: "replication", zh: "复制" }
    GROUP_VACUUM = "inspect.group.vacuum" { en: "vacuum and wraparound", zh: "清理与事务号回卷" }
    GROUP_INNODB = "inspect.group.innodb" { en: "InnoDB", zh: "InnoDB 引擎" }
    GROUP_INDEXES = "inspect.group.indexes" { en: "indexes", zh: "索引" }
    GROUP_SPACE = "inspect.group.space" { en: "space and growth", zh: "空间与增长" }
    GROUP_CHECKPOINTS = "inspect.group.checkpoints" { en: "checkpoints and WAL", zh: "检查点与日志" }
    GROUP_STATEMENTS = "inspect.group.statements" { en: "statements", zh: "SQL 语句" }
    GROUP_BACKUP = "inspect.group.backup" { en: "backup and restore", zh: "备份与恢复" }
    GROUP_SECURITY = "inspect.group.security" { en: "security", zh: "安全" }

    VERDICT_PASS = "inspect.verdict.pass" { en: "pass", zh: "符合" }
    VERDICT_FAIL = "inspect.verdict.fail" { en: "fail", zh: "不符合" }
    VERDICT_CANNOT_DECIDE = "inspect.verdict.cannot_decide" {
        en: "cannot decide from the database",
        zh: "无法仅凭数据库判定"
    }

    // --- the period behind rates ---
    BASIS_NO_PREVIOUS = "inspect.basis.no_previous" {
        en: "no earlier inspection of this target is recorded: the rate covers the time since the statistics were reset or the server started; the next inspection will use the change since this one",
        zh: "台账中没有该目标之前的巡检记录：比率按统计重置或服务启动以来计算；下次巡检将使用与本次之间的变化量"
    }
    BASIS_RESTARTED = "inspect.basis.restarted" {
        en: "the server restarted since the previous inspection: the rate covers the time since the restart",
        zh: "自上次巡检以来服务器已重启：比率按重启以来计算"
    }
    BASIS_RESET = "inspect.basis.reset" {
        en: "the statistics were reset since the previous inspection: the rate covers the time since the reset",
        zh: "自上次巡检以来统计信息已被重置：比率按重置以来计算"
    }
    BASIS_COUNTER_WENT_DOWN = "inspect.basis.counter_went_down" {
        en: "the counter {counter} went down since the previous inspection (reset): its value since the reset is used",
        zh: "计数器 {counter} 自上次巡检以来变小（已被重置）：使用重置以来的数值"
    }
    BASIS_NEW_COUNTER = "inspect.basis.new_counter" {
        en: "the previous inspection did not record {counter}: its value since the statistics reset is used",
        zh: "上次巡检没有记录 {counter}：使用统计重置以来的数值"
    }

    // --- generic summaries ---
    SETTING_BAD = "inspect.setting_bad" {
        en: "{name} = {value}; recommended: {expected}",
        zh: "{name} = {value}；建议：{expected}"
    }
    SETTING_IS = "inspect.setting_is" {
        en: "{name} = {value}",
        zh: "{name} = {value}"
    }
    NONE_FOUND = "inspect.none_found" { en: "none found", zh: "未发现" }
    FOUND = "inspect.found" {
        en: "{count} found: {list}",
        zh: "发现 {count} 项：{list}"
    }
    WORST_OK = "inspect.worst_ok" {
        en: "highest {worst}, below the warning threshold {warning}",
        zh: "最高为 {worst}，低于警告阈值 {warning}"
    }
    WORST_FOUND = "inspect.worst_found" {
        en: "{count} over the threshold, worst {worst}: {list}",
        zh: "{count} 项超过阈值，最严重为 {worst}：{list}"
    }
    GAUGE = "inspect.gauge" {
        en: "{value} (warning at {warning}, critical at {critical})",
        zh: "{value}（警告阈值 {warning}，严重阈值 {critical}）"
    }
    GAUGE_LOW = "inspect.gauge_low" {
        en: "{value} (warning below {warning}, critical below {critical})",
        zh: "{value}（低于 {warning} 为警告，低于 {critical} 为严重）"
    }
    COUNTED = "inspect.counted" {
        en: "{count} ({list}), below the warning threshold {warning}",
        zh: "{count} 个（{list}），低于警告阈值 {warning}"
    }
    BASIS_TOO_SHORT = "inspect.basis_too_short" {
        en: "the statistics cover only {period} (server just started or statistics reset, no earlier inspection): too short to judge; the next inspection will measure the change",
        zh: "统计数据仅覆盖 {period}（服务刚启动或统计已重置，且无更早的巡检）：时间太短无法判断；下次巡检将测量变化量"
    }
    RATIO_TOO_LITTLE = "inspect.ratio_too_little" {
        en: "too little activity to judge: {count} in {period} (at least {min} needed)",
        zh: "活动量太少，无法判断：{period} 内仅 {count} 次（至少需要 {min} 次）"
    }

    // --- why a check did not run ---
    PROBE_NOT_COLLECTED = "inspect.probe_not_collected" {
        en: "the data `{probe}` was not collected in this run",
        zh: "本次未采集数据 `{probe}`"
    }
    PROBE_EMPTY = "inspect.probe_empty" {
        en: "the query `{probe}` returned nothing",
        zh: "查询 `{probe}` 没有返回结果"
    }
    PROBE_PRIVILEGE = "inspect.probe_privilege" {
        en: "the inspecting user `{user}` may not read this ({detail})",
        zh: "巡检用户 `{user}` 无权读取这些信息（{detail}）"
    }
    PROBE_PRIVILEGE_PG_HINT = "inspect.probe_privilege_pg_hint" {
        en: "grant it pg_monitor (GRANT pg_monitor TO {user}), or inspect as a superuser for the security checks",
        zh: "请授予 pg_monitor 角色（GRANT pg_monitor TO {user}），安全类检查需用超级用户巡检"
    }
    PROBE_FAILED = "inspect.probe_failed" {
        en: "the query failed: {detail}",
        zh: "查询失败：{detail}"
    }
    PROBE_TIMEOUT = "inspect.probe_timeout" {
        en: "the query took longer than the inspection allows ({detail})",
        zh: "查询耗时超过巡检允许的时间（{detail}）"
    }
    CONNECTION_LOST = "inspect.connection_lost" {
        en: "the connection to the server was lost during the inspection",
        zh: "巡检过程中与服务器的连接中断"
    }
    SETTING_MISSING = "inspect.setting_missing" {
        en: "the server (version {version}) has no setting `{name}`",
        zh: "该服务器（版本 {version}）没有参数 `{name}`"
    }
    STATUS_MISSING = "inspect.status_missing" {
        en: "the server (version {version}) reports no status value `{name}`",
        zh: "该服务器（版本 {version}）没有状态值 `{name}`"
    }
    COUNTER_MISSING = "inspect.counter_missing" {
        en: "the counter `{counter}` could not be read",
        zh: "无法读取计数器 `{counter}`"
    }
    HOST_NOT_LOCAL = "inspect.host_not_local" {
        en: "dbkeeper does not run on the host of `{target}`, so it cannot see the host's memory, CPUs and disks",
        zh: "dbkeeper 不在 `{target}` 所在主机上运行，无法查看主机的内存、CPU 和磁盘"
    }
    HOST_MEMORY_UNKNOWN = "inspect.host_memory_unknown" {
        en: "the host's memory size could not be read (/proc/meminfo)",
        zh: "无法读取主机内存大小（/proc/meminfo）"
    }
    HOST_FS_UNKNOWN = "inspect.host_fs_unknown" {
        en: "the filesystem of {path} could not be measured from here",
        zh: "无法在本机测量 {path} 所在文件系统"
    }
    NEEDS_VERSION = "inspect.needs_version" {
        en: "needs version {needed} or later; the server runs {version}",
        zh: "需要 {needed} 或更高版本；该服务器为 {version}"
    }
    NOT_ON_REPLICA = "inspect.not_on_replica" {
        en: "applies to a primary; this server is a replica",
        zh: "仅适用于主库；该服务器是从库"
    }
    ONLY_ON_REPLICA = "inspect.only_on_replica" {
        en: "applies to a replica; this server is a primary",
        zh: "仅适用于从库；该服务器是主库"
    }

    // --- what a check needs, for `--list` ---
    NEEDS_HOST = "inspect.needs_host" {
        en: "dbkeeper running on the database host",
        zh: "dbkeeper 运行在数据库主机上"
    }
    NEEDS_SUPER = "inspect.needs_super" {
        en: "a superuser (pg_authid, pg_hba_file_rules)",
        zh: "超级用户（读取 pg_authid、pg_hba_file_rules）"
    }
    NEEDS_PG15 = "inspect.needs_pg15" {
        en: "PostgreSQL 15 or later",
        zh: "PostgreSQL 15 或更高版本"
    }
    NEEDS_PGSS = "inspect.needs_pgss" {
        en: "pg_stat_statements loaded and created",
        zh: "已加载并创建 pg_stat_statements"
    }
    NEEDS_PERF_SCHEMA = "inspect.needs_perf_schema" {
        en: "performance_schema = ON",
        zh: "performance_schema = ON"
    }

    // --- backups and drills ---
    FRESHNESS_NOT_RECORDED = "inspect.freshness_not_recorded" {
        en: "dbkeeper has no record of backups and restore drills for this target yet",
        zh: "dbkeeper 尚无该目标的备份与还原演练记录"
    }

    // --- option errors ---
    UNKNOWN_CHECK = "inspect.unknown_check" {
        en: "`{check}` is not a {engine} check id or a group name",
        zh: "`{check}` 不是 {engine} 的检查项编号，也不是分组名"
    }
    UNKNOWN_CHECK_SUGGEST_HINT = "inspect.unknown_check_suggest_hint" {
        en: "did you mean `{suggestion}`? `dbkeeper inspect --list` shows every check",
        zh: "是否想写 `{suggestion}`？`dbkeeper inspect --list` 可列出全部检查项"
    }
    UNKNOWN_CHECK_HINT = "inspect.unknown_check_hint" {
        en: "`dbkeeper inspect --list` shows every check id and group",
        zh: "`dbkeeper inspect --list` 可列出全部检查项编号和分组"
    }
    UNKNOWN_THRESHOLD = "inspect.unknown_threshold" {
        en: "check {check} has no threshold `{name}`",
        zh: "检查项 {check} 没有阈值 `{name}`"
    }
    UNKNOWN_THRESHOLD_SUGGEST_HINT = "inspect.unknown_threshold_suggest_hint" {
        en: "did you mean `{suggestion}`? its thresholds: {names}",
        zh: "是否想写 `{suggestion}`？它的阈值有：{names}"
    }
    UNKNOWN_THRESHOLD_HINT = "inspect.unknown_threshold_hint" {
        en: "its thresholds: {names}",
        zh: "它的阈值有：{names}"
    }
    NO_THRESHOLDS_HINT = "inspect.no_thresholds_hint" {
        en: "{check} has no thresholds to set; remove it from `thresholds:`",
        zh: "{check} 没有可设置的阈值；请从 `thresholds:` 中删除"
    }
    TH_BAD_VALUE = "inspect.th_bad_value" {
        en: "`{got}` is not a valid value for threshold `{name}` of {check}",
        zh: "`{got}` 不是 {check} 的阈值 `{name}` 的有效取值"
    }
    TH_EXPECT_COUNT = "inspect.th_expect_count" {
        en: "write a number, for example 100",
        zh: "请写一个数字，例如 100"
    }
    TH_EXPECT_PERCENT = "inspect.th_expect_percent" {
        en: "write a percentage between 0 and 100, for example 90%",
        zh: "请写 0 到 100 之间的百分比，例如 90%"
    }
    TH_EXPECT_DURATION = "inspect.th_expect_duration" {
        en: "write a duration with its unit, for example 30s, 5m, 26h or 7d",
        zh: "请写带单位的时长，例如 30s、5m、26h 或 7d"
    }
    TH_EXPECT_SIZE = "inspect.th_expect_size" {
        en: "write a size, for example 512MiB or 1GiB",
        zh: "请写大小，例如 512MiB 或 1GiB"
    }
    UNKNOWN_PROFILE = "inspect.unknown_profile" {
        en: "there is no inspection profile `{profile}`",
        zh: "没有名为 `{profile}` 的巡检方案"
    }
    UNKNOWN_PROFILE_HINT = "inspect.unknown_profile_hint" {
        en: "use one of: {profiles}",
        zh: "可选方案：{profiles}"
    }
    VERSIONS_FILE = "inspect.versions_file" {
        en: "the version data file `{path}` cannot be used",
        zh: "版本数据文件 `{path}` 无法使用"
    }
    VERSIONS_FILE_HINT = "inspect.versions_file_hint" {
        en: "give the path of a JSON file in the format of dbkeeper's bundled data/versions.json, or remove versions_file to use the bundled one",
        zh: "请指定与 dbkeeper 自带 data/versions.json 格式相同的 JSON 文件，或删除 versions_file 以使用自带数据"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
