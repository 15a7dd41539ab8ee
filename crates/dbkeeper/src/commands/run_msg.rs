//! Messages of `run`, `schedule install` and `schedule run`, in English and Simplified Chinese.
//! A catalogue of their own so that these commands do not edit the shared `msg.rs`.

dbkeeper_core::catalogue! {
    DRILL_FAILED = "cli.run.drill_failed" {
        en: "the restore drill of backup {backup} failed: {failed}",
        zh: "备份 {backup} 的还原演练未通过：{failed}"
    }
    ONLINE_PRIVILEGES = "cli.online.privileges" {
        en: "`{user}` on {target} lacks what the playbook's steps need: {missing}",
        zh: "{target} 上的 `{user}` 缺少剧本步骤所需的权限：{missing}"
    }
    ONLINE_PRIVILEGES_HINT = "cli.online.privileges_hint" {
        en: "grant them to the account (docs/config.md lists what each action needs), or use an account that has them",
        zh: "请为该账号授予这些权限（docs/config.md 列出了各操作所需权限），或改用具备权限的账号"
    }
    ONLINE_TARGET_OK = "cli.online.target_ok" {
        en: "reachable: {product} {version}, {role}; privileges sufficient",
        zh: "可连接：{product} {version}，{role}；权限足够"
    }
    ONLINE_REPO_OK = "cli.online.repo_ok" {
        en: "readable: {backups} backups, encryption {encryption}",
        zh: "可读取：{backups} 个备份，加密 {encryption}"
    }
    ONLINE_REPO_NEW = "cli.online.repo_new" {
        en: "empty: the first backup creates the repository here",
        zh: "为空：首次备份时将在此创建仓库"
    }
    ONLINE_FAILED = "cli.online.failed" {
        en: "{failed} of {total} online checks failed",
        zh: "{total} 项在线检查中有 {failed} 项失败"
    }
    COL_PLAYBOOK = "cli.online.col_playbook" { en: "playbook", zh: "剧本" }
    COL_KIND = "cli.online.col_kind" { en: "kind", zh: "类型" }
    COL_NAME = "cli.online.col_name" { en: "name", zh: "名称" }
    COL_RESULT = "cli.online.col_result" { en: "result", zh: "结果" }
    RESERVED_UNAVAILABLE = "cli.run.reserved_unavailable" {
        en: "the action `{action}` is reserved and not available in this version",
        zh: "动作 `{action}` 为预留动作，此版本尚不可用"
    }
    RESERVED_UNAVAILABLE_HINT = "cli.run.reserved_unavailable_hint" {
        en: "remove the step for now; `dbkeeper validate` accepts it so that playbooks can be written ahead of the release that runs it",
        zh: "请暂时删除该步骤；`dbkeeper validate` 接受它，是为了让剧本可以先于支持它的版本编写"
    }
    BUILTIN_ACTION = "cli.run.builtin_action" {
        en: "the action `{action}` was handed to the binary although the runner implements it",
        zh: "动作 `{action}` 应由剧本执行器自身执行，却被交给了命令行程序"
    }
    INSPECT_FAIL_ON = "cli.run.inspect_fail_on" {
        en: "the inspection of {target} found {criticals} critical and {warnings} warning findings (fail_on: {fail_on})",
        zh: "{target} 的巡检发现 {criticals} 项严重、{warnings} 项警告（fail_on：{fail_on}）"
    }
    INSPECT_FAIL_ON_HINT = "cli.run.inspect_fail_on_hint" {
        en: "see the findings in the report ({report}) or with `dbkeeper inspect {target}`",
        zh: "请查看报告（{report}）中的发现项，或执行 `dbkeeper inspect {target}`"
    }
    INSPECT_UNREACHABLE = "cli.run.inspect_unreachable" {
        en: "{target} could not be inspected",
        zh: "无法巡检 {target}"
    }
    BACKUP_INCOMPLETE = "cli.run.backup_incomplete" {
        en: "backup {id} of {target} did not complete in: {repos}",
        zh: "{target} 的备份 {id} 未能在以下仓库完成：{repos}"
    }
    BACKUP_INCOMPLETE_HINT = "cli.run.backup_incomplete_hint" {
        en: "the repositories that have it keep it; see why each failed above, then run the playbook again",
        zh: "已写入的仓库会保留该备份；请根据上面的原因处理失败的仓库后重新运行剧本"
    }
    PRUNE_BUSY = "cli.run.prune_busy" {
        en: "repository `{repo}`: {count} targets were left alone because a backup holds their lock",
        zh: "仓库 `{repo}`：有 {count} 个目标正在备份（锁被占用），本次未清理"
    }
    PRUNE_BUSY_HINT = "cli.run.prune_busy_hint" {
        en: "the next run prunes them; give the step `retries` to wait for the backup here",
        zh: "下次运行时会清理；如需等待备份结束，可为该步骤设置 `retries`"
    }
    COL_STEP = "cli.run.col_step" { en: "step", zh: "步骤" }
    COL_ACTION = "cli.run.col_action" { en: "action", zh: "动作" }
    COL_TARGET = "cli.run.col_target" { en: "target", zh: "目标" }
    COL_STATUS = "cli.run.col_status" { en: "status", zh: "状态" }
    COL_ATTEMPTS = "cli.run.col_attempts" { en: "attempts", zh: "尝试次数" }
    COL_DURATION = "cli.run.col_duration" { en: "took", zh: "用时" }
    COL_DETAIL = "cli.run.col_detail" { en: "detail", zh: "详情" }
    STATUS_OK = "cli.run.status_ok" { en: "ok", zh: "成功" }
    STATUS_FAILED = "cli.run.status_failed" { en: "failed", zh: "失败" }
    STATUS_FAILED_ALLOWED = "cli.run.status_failed_allowed" {
        en: "failed (allowed)",
        zh: "失败（允许）"
    }
    STATUS_SKIPPED = "cli.run.status_skipped" { en: "skipped", zh: "已跳过" }
    STATUS_PLANNED = "cli.run.status_planned" { en: "planned", zh: "计划" }
    HANDLER_OF = "cli.run.handler_of" {
        en: "failure handler of {step}",
        zh: "{step} 的失败处理"
    }
    HANDLER_OF_RUN = "cli.run.handler_of_run" {
        en: "failure handler of the run",
        zh: "整个运行的失败处理"
    }
    INSTALL_WROTE = "cli.run.install_wrote" {
        en: "wrote {path}",
        zh: "已写入 {path}"
    }
    INSTALL_WRITE = "cli.run.install_write" {
        en: "cannot write `{path}`",
        zh: "无法写入 `{path}`"
    }
    INSTALL_WRITE_HINT = "cli.run.install_write_hint" {
        en: "check that the directory exists and is writable by this user, or give another --out",
        zh: "请确认目录存在且当前用户可写，或用 --out 指定其他目录"
    }
    INSTALL_NO_JOBS = "cli.run.install_no_jobs" {
        en: "no enabled jobs in {dir}",
        zh: "{dir} 中没有启用的作业"
    }
    INSTALL_NO_JOBS_HINT = "cli.run.install_no_jobs_hint" {
        en: "add a schedule file (playbook, cron, timezone) or set `enabled: true`; see docs/playbooks.md",
        zh: "请添加计划文件（playbook、cron、timezone）或设置 `enabled: true`；见 docs/playbooks.md"
    }
    INSTALL_NEXT_SYSTEMD = "cli.run.install_next_systemd" {
        en: "next: copy the units to /etc/systemd/system, then `systemctl daemon-reload` and `systemctl enable --now` each .timer",
        zh: "下一步：把这些单元复制到 /etc/systemd/system，然后执行 `systemctl daemon-reload`，并对每个 .timer 执行 `systemctl enable --now`"
    }
    INSTALL_NEXT_CRON = "cli.run.install_next_cron" {
        en: "next: review {path}, then add its lines to the crontab of the user that runs dbkeeper (`crontab -e`, or `crontab {path}` to replace it)",
        zh: "下一步：检查 {path}，然后把其中各行加入运行 dbkeeper 的用户的 crontab（`crontab -e`，或用 `crontab {path}` 整体替换）"
    }
    INSTALL_NEXT_K8S = "cli.run.install_next_k8s" {
        en: "next: put the playbooks and schedules into a ConfigMap mounted where the manifests say, then `kubectl apply -f {dir}`",
        zh: "下一步：把剧本和计划文件放入 ConfigMap 并挂载到清单中的路径，然后执行 `kubectl apply -f {dir}`"
    }
    EXE = "cli.run.exe" {
        en: "cannot find the path of the running dbkeeper executable",
        zh: "无法确定当前 dbkeeper 可执行文件的路径"
    }
    LOOP_START = "cli.run.loop_start" {
        en: "schedule loop: {count} jobs from {dir}; Ctrl-C stops it (runs already started finish on their own)",
        zh: "计划循环：来自 {dir} 的 {count} 个作业；按 Ctrl-C 停止（已开始的运行会自行完成）"
    }
    LOOP_LAUNCHED = "cli.run.loop_launched" {
        en: "{job}: starting the run for {slot}",
        zh: "{job}：开始 {slot} 时段的运行"
    }
    LOOP_CATCH_UP = "cli.run.loop_catch_up" {
        en: "{job}: catching up the missed run for {slot}",
        zh: "{job}：补跑错过的 {slot} 时段"
    }
    LOOP_FINISHED = "cli.run.loop_finished" {
        en: "{job}: the run for {slot} ended with exit code {code}",
        zh: "{job}：{slot} 时段的运行结束，退出码 {code}"
    }
    LOOP_FAILED = "cli.run.loop_failed" {
        en: "{job}: the run for {slot} could not be started: {error}",
        zh: "{job}：{slot} 时段的运行无法启动：{error}"
    }
    LOOP_MISSED = "cli.run.loop_missed" {
        en: "{job}: the slot {slot} was missed and is not run (its missed-run policy or lateness says so)",
        zh: "{job}：{slot} 时段已错过，按其错过运行策略或最大延迟不再补跑"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
