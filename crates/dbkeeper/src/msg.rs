//! Messages of the binary: progress notes, summaries, and errors of its own.

dbkeeper_core::catalogue! {
    RUNTIME = "cli.runtime" {
        en: "cannot start the async runtime",
        zh: "无法启动异步运行时"
    }
    TASK_FAILED = "cli.task_failed" {
        en: "an internal task failed",
        zh: "内部任务失败"
    }
    INTERRUPTED = "cli.interrupted" {
        en: "interrupted; scratch servers were stopped and nothing was left half-done",
        zh: "已中断；临时实例已停止，没有留下未完成的内容"
    }
    JSON_FAILED = "cli.json_failed" {
        en: "cannot write the JSON output",
        zh: "无法输出 JSON"
    }
    NO_TARGETS = "cli.no_targets" {
        en: "no targets are configured",
        zh: "没有配置任何目标"
    }
    NO_TARGETS_HINT = "cli.no_targets_hint" {
        en: "name a target as a URL (postgres://USER@HOST/DB, mysql://USER@HOST) or add targets to dbkeeper.yaml (see docs/config.md)",
        zh: "请以 URL 形式指定目标（postgres://用户@主机/库、mysql://用户@主机），或在 dbkeeper.yaml 中添加目标（见 docs/config.md）"
    }
    CHECKING = "cli.checking" {
        en: "checking {target} ({address}) …",
        zh: "正在检查 {target}（{address}）…"
    }
    COL_TIME = "cli.col_time" { en: "time", zh: "时间" }
    COL_USER = "cli.col_user" { en: "who", zh: "操作人" }
    COL_ACTION = "cli.col_action" { en: "action", zh: "操作" }
    COL_TARGET = "cli.col_target" { en: "target", zh: "目标" }
    COL_OUTCOME = "cli.col_outcome" { en: "outcome", zh: "结果" }
    OUTCOME_OK = "cli.outcome_ok" { en: "ok", zh: "成功" }
    OUTCOME_FAILED = "cli.outcome_failed" { en: "failed", zh: "失败" }
    AUDIT_EMPTY = "cli.audit_empty" {
        en: "the audit log {path} has no entries yet",
        zh: "审计日志 {path} 尚无记录"
    }
    AUDIT_OK = "cli.audit_ok" {
        en: "audit log intact: lines verified: {entries}; chain and anchor checked ({path})",
        zh: "审计日志完整：已校验 {entries} 行，哈希链与锚点校验通过（{path}）"
    }
    VALID_PLAYBOOK = "cli.valid_playbook" {
        en: "ok  {file}: playbook `{name}`, {steps} steps",
        zh: "通过  {file}：剧本 `{name}`，共 {steps} 个步骤"
    }
    VALID_SCHEDULE = "cli.valid_schedule" {
        en: "ok  {file}: schedule `{name}`, cron `{cron}` in {tz}",
        zh: "通过  {file}：计划 `{name}`，cron `{cron}`，时区 {tz}"
    }
    COL_JOB = "cli.col_job" { en: "job", zh: "作业" }
    COL_PLAYBOOK = "cli.col_playbook" { en: "playbook", zh: "剧本" }
    COL_TZ = "cli.col_tz" { en: "time zone", zh: "时区" }
    COL_MISSED = "cli.col_missed" { en: "missed runs", zh: "错过的运行" }
    COL_NEXT = "cli.col_next" { en: "next run", zh: "下次运行" }
    COL_LAST = "cli.col_last" { en: "last slot run", zh: "最近已运行时段" }
    NEVER = "cli.never" { en: "never", zh: "从未" }
    DISABLED = "cli.disabled" { en: "disabled", zh: "已停用" }
    DEMO_INTRO = "cli.demo_intro" {
        en: "dbkeeper demo: a scratch PostgreSQL with sample data of a provincial internet-hospital regulatory platform",
        zh: "dbkeeper 演示：在临时 PostgreSQL 实例上加载省级互联网医院监管平台的示例数据"
    }
    DEMO_STEP_START = "cli.demo_step_start" {
        en: "[1/6] starting a scratch PostgreSQL from the installed server binaries …",
        zh: "[1/6] 正在用已安装的服务器程序启动临时 PostgreSQL 实例 …"
    }
    DEMO_STARTED = "cli.demo_started" {
        en: "      running on {address}, data in {dir}",
        zh: "      已在 {address} 运行，数据目录 {dir}"
    }
    DEMO_STEP_SAMPLE = "cli.demo_step_sample" {
        en: "[2/6] loading the sample (hospitals, doctors, nurses, patients, consultations, prescriptions) …",
        zh: "[2/6] 正在加载示例数据（医院、医生、护士、患者、问诊、处方）…"
    }
    DEMO_TABLE_ROWS = "cli.demo_table_rows" {
        en: "      {table}: {rows} rows",
        zh: "      {table}：{rows} 行"
    }
    DEMO_STEP_CHECK = "cli.demo_step_check" {
        en: "[3/6] dbkeeper targets check demo",
        zh: "[3/6] dbkeeper targets check demo"
    }
    DEMO_PAUSE = "cli.demo_pause" {
        en: "the scratch server stays up for you: psql {url} — press Enter to tear it down",
        zh: "临时实例保持运行：psql {url} —— 按回车键将其销毁"
    }
    DEMO_STEP_TEARDOWN = "cli.demo_step_teardown" {
        en: "[6/6] tearing down the scratch server …",
        zh: "[6/6] 正在销毁临时实例 …"
    }
    DEMO_LEFTOVER = "cli.demo_leftover" {
        en: "the scratch server was not fully torn down",
        zh: "临时实例未能完全销毁"
    }
    DEMO_STEP_INSPECT = "cli.demo_step_inspect" {
        en: "[4/6] dbkeeper inspect demo: the whole check catalogue …",
        zh: "[4/6] dbkeeper inspect demo：运行全部巡检项 …"
    }
    DEMO_INSPECT_NOTE = "cli.demo_inspect_note" {
        en: "      the scratch server runs with fsync and full_page_writes off for speed; the inspection rightly calls that critical",
        zh: "      临时实例为了速度关闭了 fsync 和 full_page_writes，巡检正确地将其判为严重问题"
    }
    DEMO_STEP_BACKUP = "cli.demo_step_backup" {
        en: "[5/6] dbkeeper backup demo (zstd + age, a key made just now), a restore into {db} and a restore drill …",
        zh: "[5/6] dbkeeper backup demo（zstd 压缩 + age 加密，密钥现场生成），还原到 {db}，并进行还原演练 …"
    }
    DEMO_BACKUP_DONE = "cli.demo_backup_done" {
        en: "      backup {id}: {plain} of data stored as {stored} in {backup_secs} s; every object checked and restored in {restore_secs} s",
        zh: "      备份 {id}：{plain} 数据存储为 {stored}，用时 {backup_secs} 秒；全部对象校验后还原，用时 {restore_secs} 秒"
    }
    DEMO_DRILL = "cli.demo_drill" {
        en: "      restore drill of that backup in a scratch server of its own: {verdict}, {checks} checks; report: {path}",
        zh: "      该备份在独立临时实例中的还原演练：{verdict}，共 {checks} 项检查；报告：{path}"
    }
    DEMO_RESTORE_MISMATCH = "cli.demo_restore_mismatch" {
        en: "the restored table {table} has {got} rows; the backup holds {want}",
        zh: "还原后的表 {table} 有 {got} 行，而备份中为 {want} 行"
    }
    DEMO_COL_TABLE = "cli.demo_col_table" { en: "table", zh: "表" }
    DEMO_COL_IN_BACKUP = "cli.demo_col_in_backup" { en: "rows in the backup", zh: "备份中的行数" }
    DEMO_COL_RESTORED = "cli.demo_col_restored" { en: "rows restored", zh: "还原后的行数" }
    DEMO_REPORT = "cli.demo_report" {
        en: "      the HTML report to hand to the customer: {path}",
        zh: "      可交付客户的 HTML 巡检报告：{path}"
    }
    REPORTS_DIR = "cli.reports_dir" {
        en: "cannot create the reports directory `{path}`",
        zh: "无法创建报告目录 `{path}`"
    }
    REPORTS_DIR_HINT = "cli.reports_dir_hint" {
        en: "check that the state directory is writable (--state-dir or DBKEEPER_STATE_DIR)",
        zh: "请确认状态目录可写（--state-dir 或 DBKEEPER_STATE_DIR）"
    }
    INSPECTING = "cli.inspecting" {
        en: "inspecting {target} ({address}) …",
        zh: "正在巡检 {target}（{address}）…"
    }
    INSPECT_LIST_HEADING = "cli.inspect_list_heading" {
        en: "{engine}: {count} checks",
        zh: "{engine}：共 {count} 项检查"
    }
    REPORT_WRITTEN = "cli.report_written" {
        en: "report written: {path}",
        zh: "巡检报告已写入：{path}"
    }
    REPORT_FORMAT = "cli.report_format" {
        en: "cannot tell the report format from the file name `{path}`",
        zh: "无法从文件名 `{path}` 判断报告格式"
    }
    REPORT_FORMAT_HINT = "cli.report_format_hint" {
        en: "end the file name in .html (for people), .md (Markdown) or .json (for programs)",
        zh: "请以 .html（供人阅读）、.md（Markdown）或 .json（供程序处理）结尾命名文件"
    }
    OUTPUT_NO_DIR = "cli.output_no_dir" {
        en: "cannot write `{path}`: the directory `{dir}` does not exist",
        zh: "无法写入 `{path}`：目录 `{dir}` 不存在"
    }
    OUTPUT_NO_DIR_HINT = "cli.output_no_dir_hint" {
        en: "create the directory first (mkdir -p {dir}) or give a path in an existing directory",
        zh: "请先创建该目录（mkdir -p {dir}），或改用已存在目录中的路径"
    }
    REPORT_WRITE = "cli.report_write" {
        en: "cannot write the report `{path}`",
        zh: "无法写入巡检报告 `{path}`"
    }
    REPORT_WRITE_HINT = "cli.report_write_hint" {
        en: "check that the directory is writable by this user and the disk has space, or give another --report path",
        zh: "请确认当前用户对该目录有写权限且磁盘有剩余空间，或用 --report 指定其他路径"
    }
    DEMO_DONE = "cli.demo_done" {
        en: "demo finished in {seconds}s: server stopped, its directory removed, no process left. The run is in the ledger and the audit log under {state} (try: dbkeeper audit show)",
        zh: "演示完成，用时 {seconds} 秒：实例已停止，目录已删除，没有残留进程。本次运行已记入 {state} 下的运行台账和审计日志（可执行：dbkeeper audit show）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
