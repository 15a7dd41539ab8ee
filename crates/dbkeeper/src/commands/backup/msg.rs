//! Messages of `backup`, `restore`, `backups` and `keygen`, in English and Simplified Chinese.

dbkeeper_core::catalogue! {
    BACKUP_START = "cli.backup.start" {
        en: "backing up {target} ({address}) into {repos} …",
        zh: "正在备份 {target}（{address}）到 {repos} …"
    }
    BACKUP_DONE = "cli.backup.done" {
        en: "backup {id} of {target} ({kind}): {tables} tables, {rows} rows, {secs} s",
        zh: "{target} 的备份 {id}（{kind}）：{tables} 张表，{rows} 行，用时 {secs} 秒"
    }
    BACKUP_REPO_FAILED = "cli.backup.repo_failed" {
        en: "repository `{repo}` did not get the backup: {error}",
        zh: "仓库 `{repo}` 未能写入本次备份：{error}"
    }
    RESTORE_START = "cli.restore.start" {
        en: "restoring {backup} from {repo}: checking every object first …",
        zh: "正在从 {repo} 还原 {backup}：先校验全部对象 …"
    }
    RESTORE_WHERE = "cli.restore.where" {
        en: "say where to restore: --to TARGET (logical) or --to-dir DIR (physical)",
        zh: "请指明还原位置：--to 目标（逻辑备份）或 --to-dir 目录（物理备份）"
    }
    RESTORE_DONE = "cli.restore.done" {
        en: "restored backup {id} of {target}: {checked} checked in {check_secs} s, applied in {apply_secs} s",
        zh: "已还原 {target} 的备份 {id}：校验 {checked} 用时 {check_secs} 秒，应用用时 {apply_secs} 秒"
    }
    BINLOG_WRITTEN_ASKED = "cli.restore.binlog_written_asked" {
        en: "binary log: the restore was written to it (--binlog on)",
        zh: "二进制日志：本次还原已写入（--binlog on）"
    }
    BINLOG_WRITTEN_READERS = "cli.restore.binlog_written_readers" {
        en: "binary log: the restore was written to it, for the {readers} replica(s) or binlog reader(s) connected",
        zh: "二进制日志：本次还原已写入，供已连接的 {readers} 个副本或二进制日志读取者使用"
    }
    BINLOG_WRITTEN_GALERA = "cli.restore.binlog_written_galera" {
        en: "binary log: the restore was written to it (a Galera node replicates through it)",
        zh: "二进制日志：本次还原已写入（Galera 节点依靠它复制）"
    }
    BINLOG_WRITTEN_CANNOT_TELL = "cli.restore.binlog_written_cannot_tell" {
        en: "binary log: the restore was written to it (whether a replica reads it cannot be told without the PROCESS privilege, or logging may not be turned off)",
        zh: "二进制日志：本次还原已写入（缺少 PROCESS 权限无法判断是否有副本读取，或无权关闭日志）"
    }
    BINLOG_SKIPPED_ASKED = "cli.restore.binlog_skipped_asked" {
        en: "binary log: the restore was not written to it (--binlog off)",
        zh: "二进制日志：本次还原未写入（--binlog off）"
    }
    BINLOG_SKIPPED_NO_READERS = "cli.restore.binlog_skipped_no_readers" {
        en: "binary log: the restore was not written to it, as no replica or binlog reader was connected (--binlog on writes it)",
        zh: "二进制日志：因没有已连接的副本或二进制日志读取者，本次还原未写入（--binlog on 可写入）"
    }
    RESTORE_PHYSICAL_DONE = "cli.restore.physical_done" {
        en: "data directory ready: {dir} (start a server on it; PostgreSQL recovers to the backup's end on first start)",
        zh: "数据目录已就绪：{dir}（在其上启动服务器即可；PostgreSQL 首次启动时会恢复到备份结束点）"
    }
    KEYGEN_DONE = "cli.keygen.done" {
        en: "wrote the identity to {path} (mode 0600); the line above is its public recipient for the config's repos:",
        zh: "私钥已写入 {path}（权限 0600）；上一行是其公钥，请填入配置文件 repos: 的 recipients"
    }
    KEYGEN_EXISTS = "cli.keygen.exists" {
        en: "{path} already exists; dbkeeper never overwrites a key",
        zh: "{path} 已存在；dbkeeper 不会覆盖已有密钥"
    }
    KEYGEN_WRITE = "cli.keygen.write" {
        en: "cannot write the identity file {path}",
        zh: "无法写入私钥文件 {path}"
    }
    KEYGEN_HINT = "cli.keygen.hint" {
        en: "choose a new path in a directory you can write (losing the old key makes its backups unreadable)",
        zh: "请选择一个可写目录中的新路径（丢失旧密钥将导致其备份无法读取）"
    }
    NO_REPOS = "cli.backups.no_repos" {
        en: "no repository named and none configured",
        zh: "未指定仓库，配置文件中也没有仓库"
    }
    NO_REPOS_HINT = "cli.backups.no_repos_hint" {
        en: "pass --repo NAME or --repo file:///PATH, or add repos: to dbkeeper.yaml (docs/config.md)",
        zh: "请使用 --repo 名称 或 --repo file:///路径，或在 dbkeeper.yaml 中添加 repos:（见 docs/config.md）"
    }
    NO_BACKUPS = "cli.backups.none" {
        en: "no backups found",
        zh: "没有找到备份"
    }
    SHOW_INCOMPLETE = "cli.backups.show_incomplete" {
        en: "backup {id} is incomplete: {objects} objects and no manifest (interrupted or failed); it cannot be restored",
        zh: "备份 {id} 不完整：有 {objects} 个对象但没有清单（曾中断或失败），无法还原"
    }
    CHECKING_REPO = "cli.backups.checking" {
        en: "checking repository {repo} …",
        zh: "正在检查仓库 {repo} …"
    }
    CHECK_SUMMARY = "cli.backups.check_summary" {
        en: "{repo}: {backups} backups, {objects} objects checked, {findings} findings",
        zh: "{repo}：检查了 {backups} 个备份、{objects} 个对象，发现 {findings} 个问题"
    }
    PRUNE_BUSY = "cli.backups.prune_busy" {
        en: "left {target} alone: {why}",
        zh: "未处理 {target}：{why}"
    }
    PINNED = "cli.backups.pinned" {
        en: "backup {id} in {repo} is on legal hold: it is never pruned or deleted",
        zh: "{repo} 中的备份 {id} 已设为法律保留：不会被清理或删除"
    }
    UNPINNED = "cli.backups.unpinned" {
        en: "backup {id} in {repo} is no longer on hold; retention applies to it again",
        zh: "{repo} 中的备份 {id} 已解除保留，重新受保留策略约束"
    }
    STATUS_COMPLETE = "cli.backups.complete" { en: "complete", zh: "完整" }
    STATUS_PINNED = "cli.backups.status_pinned" { en: "complete, pinned", zh: "完整，保留" }
    STATUS_INCOMPLETE = "cli.backups.incomplete" { en: "INCOMPLETE", zh: "不完整" }
    STATUS_UNREADABLE = "cli.backups.unreadable" { en: "UNREADABLE", zh: "无法读取" }
    STATUS_FAILED = "cli.backups.failed" { en: "FAILED", zh: "失败" }
    VERDICT_KEEP = "cli.backups.keep" { en: "keep", zh: "保留" }
    VERDICT_WOULD_DELETE = "cli.backups.would_delete" { en: "would delete", zh: "将删除" }
    VERDICT_DELETED = "cli.backups.deleted" { en: "deleted", zh: "已删除" }
    COL_REPO = "cli.col.repo" { en: "repo", zh: "仓库" }
    COL_TARGET = "cli.col.target" { en: "target", zh: "目标" }
    COL_ID = "cli.col.id" { en: "backup", zh: "备份" }
    COL_STATUS = "cli.col.status" { en: "status", zh: "状态" }
    COL_KIND = "cli.col.kind" { en: "kind", zh: "类型" }
    COL_DURATION = "cli.col.duration" { en: "took", zh: "用时" }
    COL_PLAIN = "cli.col.plain" { en: "data", zh: "数据量" }
    COL_STORED = "cli.col.stored" { en: "stored", zh: "存储量" }
    COL_RATIO = "cli.col.ratio" { en: "ratio", zh: "压缩比" }
    COL_ROWS = "cli.col.rows" { en: "rows", zh: "行数" }
    COL_ENCRYPTION = "cli.col.encryption" { en: "encryption", zh: "加密" }
    COL_DATABASE = "cli.col.database" { en: "database", zh: "数据库" }
    COL_TABLE = "cli.col.table" { en: "table", zh: "表" }
    COL_FIELD = "cli.col.field" { en: "field", zh: "项目" }
    COL_VALUE = "cli.col.value" { en: "value", zh: "值" }
    COL_VERDICT = "cli.col.verdict" { en: "verdict", zh: "结论" }
    COL_WHY = "cli.col.why" { en: "why", zh: "原因" }
    COL_VERIFIED = "cli.col.verified" { en: "last drill", zh: "最近演练" }
    DRILL_PASSED = "cli.backups.drill_passed" { en: "passed", zh: "通过" }
    DRILL_FAILED = "cli.backups.drill_failed" { en: "FAILED", zh: "未通过" }
    NEVER_VERIFIED = "cli.backups.never_verified" { en: "never", zh: "从未" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
