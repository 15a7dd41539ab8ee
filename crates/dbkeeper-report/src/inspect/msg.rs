//! Labels of the inspection reports, in English and Chinese.

dbkeeper_core::catalogue! {
    REPORT_TITLE = "report.inspect.title" {
        en: "Database inspection report: {target}",
        zh: "数据库巡检报告：{target}"
    }
    VERDICT = "report.inspect.verdict" { en: "verdict", zh: "巡检结论" }
    VERDICT_OK = "report.inspect.verdict_ok" {
        en: "healthy: no warnings, nothing critical",
        zh: "健康：无警告、无严重问题"
    }
    VERDICT_WARNING = "report.inspect.verdict_warning" {
        en: "needs attention: {warning} warnings",
        zh: "需要关注：{warning} 项警告"
    }
    VERDICT_CRITICAL = "report.inspect.verdict_critical" {
        en: "act now: {critical} critical problems, {warning} warnings",
        zh: "需立即处理：{critical} 项严重问题，{warning} 项警告"
    }
    VERDICT_UNREACHABLE = "report.inspect.verdict_unreachable" {
        en: "could not inspect: the server could not be reached",
        zh: "无法巡检：无法连接服务器"
    }
    SUMMARY = "report.inspect.summary" { en: "summary", zh: "概况" }
    TARGET = "report.inspect.target" { en: "target", zh: "巡检对象" }
    SERVER = "report.inspect.server" { en: "server", zh: "数据库" }
    DATABASE = "report.inspect.database" { en: "database", zh: "连接的库" }
    ROLE = "report.inspect.role" { en: "role", zh: "角色" }
    ROLE_PRIMARY = "report.inspect.role_primary" { en: "primary", zh: "主库" }
    ROLE_REPLICA = "report.inspect.role_replica" { en: "replica", zh: "从库" }
    PROFILE = "report.inspect.profile" { en: "profile", zh: "巡检方案" }
    STARTED = "report.inspect.started" { en: "inspected at", zh: "巡检时间" }
    DURATION = "report.inspect.duration" { en: "duration", zh: "耗时" }
    CHECKS = "report.inspect.checks" { en: "checks", zh: "检查项" }
    COUNTS = "report.inspect.counts" {
        en: "{critical} critical, {warning} warnings, {info} notes, {not_run} not run, {ok} ok",
        zh: "严重 {critical} 项，警告 {warning} 项，提示 {info} 项，未执行 {not_run} 项，正常 {ok} 项"
    }
    HOST = "report.inspect.host" { en: "host", zh: "主机" }
    HOST_LINE = "report.inspect.host_line" {
        en: "{host}: {cpus} CPUs, {memory} memory; data disk {free} free of {total}",
        zh: "{host}：{cpus} 个 CPU，内存 {memory}；数据盘剩余 {free}，共 {total}"
    }
    HOST_REMOTE = "report.inspect.host_remote" {
        en: "not inspected (dbkeeper does not run on the database host)",
        zh: "未检查（dbkeeper 不在数据库主机上运行）"
    }
    STATS = "report.inspect.stats" { en: "statistics", zh: "统计口径" }
    STATS_DELTA = "report.inspect.stats_delta" {
        en: "rates since the previous inspection at {since}; server up {uptime}; statistics reset {reset}",
        zh: "比率按上次巡检（{since}）以来的变化计算；服务器已运行 {uptime}；统计重置于 {reset}"
    }
    STATS_LIFETIME = "report.inspect.stats_lifetime" {
        en: "rates since the server started or the statistics were reset ({reset}); server up {uptime}",
        zh: "比率按服务启动或统计重置（{reset}）以来计算；服务器已运行 {uptime}"
    }
    STATS_RESTARTED = "report.inspect.stats_restarted" {
        en: "the server restarted since the previous inspection",
        zh: "自上次巡检以来服务器已重启"
    }
    NEVER = "report.inspect.never" { en: "never", zh: "从未" }
    ACT_NOW = "report.inspect.act_now" { en: "Problems to act on", zh: "需要处理的问题" }
    NOTES = "report.inspect.notes" { en: "Notes", zh: "提示" }
    NOT_RUN = "report.inspect.not_run" { en: "Checks that could not run", zh: "未能执行的检查项" }
    ALL_CHECKS = "report.inspect.all_checks" { en: "All checks", zh: "全部检查项" }
    ALL_OK = "report.inspect.all_ok" {
        en: "{count} checks passed",
        zh: "{count} 项检查通过"
    }
    NOTHING = "report.inspect.nothing" { en: "nothing", zh: "无" }
    COL_STATUS = "report.inspect.col_status" { en: "status", zh: "状态" }
    COL_CHECK = "report.inspect.col_check" { en: "check", zh: "检查项" }
    COL_GROUP = "report.inspect.col_group" { en: "group", zh: "类别" }
    COL_TITLE = "report.inspect.col_title" { en: "what is checked", zh: "检查内容" }
    COL_FINDING = "report.inspect.col_finding" { en: "finding", zh: "发现" }
    COL_FIX = "report.inspect.col_fix" { en: "what to do", zh: "处理建议" }
    COL_REASON = "report.inspect.col_reason" { en: "why not", zh: "未执行原因" }
    COL_EVIDENCE = "report.inspect.col_evidence" { en: "evidence", zh: "证据" }
    COL_THRESHOLDS = "report.inspect.col_thresholds" { en: "thresholds", zh: "阈值" }
    COL_COMPLIANCE = "report.inspect.col_compliance" { en: "compliance", zh: "合规条款" }
    COL_BASIS = "report.inspect.col_basis" { en: "period", zh: "统计区间" }
    BASIS_DELTA = "report.inspect.basis_delta" {
        en: "change since {since} ({period})",
        zh: "{since} 以来的变化（{period}）"
    }
    BASIS_LIFETIME = "report.inspect.basis_lifetime" {
        en: "since {since} ({period})",
        zh: "自 {since} 起（{period}）"
    }
    MORE_ROWS = "report.inspect.more_rows" {
        en: "{shown} of {total} rows shown",
        zh: "共 {total} 行，显示 {shown} 行"
    }
    DJBH3 = "report.inspect.djbh3" {
        en: "等保 2.0 level 3 (GB/T 22239-2019) security baseline",
        zh: "等保 2.0 第三级（GB/T 22239-2019）安全基线"
    }
    DJBH3_NOTE = "report.inspect.djbh3_note" {
        en: "Each clause is decided by the checks listed; where the database alone cannot decide, the last column says what an assessor will ask to see.",
        zh: "每个条款由所列检查项判定；仅凭数据库无法判定时，最后一列说明测评人员会要求查看的材料。"
    }
    COL_CLAUSE = "report.inspect.col_clause" { en: "clause", zh: "条款" }
    COL_VERDICT = "report.inspect.col_verdict" { en: "verdict", zh: "结论" }
    COL_ASKS = "report.inspect.col_asks" { en: "an assessor will ask to see", zh: "测评人员会要求查看" }
    CLAUSE_COUNTS = "report.inspect.clause_counts" {
        en: "{pass} clauses pass, {fail} fail, {undecided} cannot be decided from the database",
        zh: "{pass} 个条款符合，{fail} 个不符合，{undecided} 个无法仅凭数据库判定"
    }
    FOOTER = "report.inspect.footer" {
        en: "Generated by dbkeeper {version}. Checks, thresholds and their sources: `dbkeeper inspect --list`.",
        zh: "由 dbkeeper {version} 生成。检查项、阈值及其依据：`dbkeeper inspect --list`。"
    }
    ERROR = "report.inspect.error" { en: "error", zh: "错误" }
    PROM_WRITE = "report.inspect.prom_write" {
        en: "cannot write the Prometheus text file `{path}`",
        zh: "无法写入 Prometheus 文本文件 `{path}`"
    }
    PROM_WRITE_HINT = "report.inspect.prom_write_hint" {
        en: "check that the directory (node_exporter's --collector.textfile.directory) exists and is writable",
        zh: "请确认该目录（node_exporter 的 --collector.textfile.directory）存在且可写"
    }
    LIST_NEEDS = "report.inspect.list_needs" { en: "needs", zh: "前提" }
    LIST_SOURCE = "report.inspect.list_source" { en: "source", zh: "依据" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
