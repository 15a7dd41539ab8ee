//! Messages of restore drills, in English and Simplified Chinese.

dbkeeper_core::catalogue! {
    TASK_FAILED = "verify.task_failed" {
        en: "an internal task of the drill failed",
        zh: "还原演练的内部任务失败"
    }
    PASS = "verify.pass" { en: "PASS", zh: "通过" }
    FAIL = "verify.fail" { en: "FAIL", zh: "未通过" }
    TITLE = "verify.title" {
        en: "Restore drill report: {target}",
        zh: "还原演练报告：{target}"
    }
    SUMMARY = "verify.summary" {
        en: "backup {backup} was proven whole, restored into a scratch instance and checked: {checks} checks, {failed} failed; recovery took {rto} s; the data was {rpo} old",
        zh: "备份 {backup} 已校验完整，还原到临时实例并检查：共 {checks} 项检查，{failed} 项未通过；恢复用时 {rto} 秒；数据距演练时 {rpo}"
    }
    VERDICT = "verify.verdict" { en: "Verdict", zh: "结论" }
    IDENTITY = "verify.identity" { en: "Drill", zh: "演练信息" }
    PHASES = "verify.phases" { en: "Time per phase (RTO)", zh: "各阶段用时（RTO）" }
    PHASE = "verify.phase" { en: "phase", zh: "阶段" }
    SECONDS = "verify.seconds" { en: "seconds", zh: "秒" }
    CHECKS = "verify.checks" { en: "Checks", zh: "检查项" }
    KIND = "verify.kind" { en: "kind", zh: "类别" }
    CHECK = "verify.check" { en: "check", zh: "检查" }
    EXPECTED = "verify.expected" { en: "expected", zh: "期望" }
    ACTUAL = "verify.actual" { en: "found", zh: "实际" }
    DRILL_ID = "verify.drill_id" { en: "drill id", zh: "演练编号" }
    BACKUP = "verify.backup" { en: "backup", zh: "备份" }
    TARGET = "verify.target" { en: "target", zh: "目标" }
    REPO = "verify.repo" { en: "repository", zh: "仓库" }
    MANIFEST_SHA = "verify.manifest_sha" { en: "manifest SHA-256", zh: "清单 SHA-256" }
    BACKUP_POINT = "verify.backup_point" { en: "data as of", zh: "数据时间点" }
    STARTED = "verify.started" { en: "started", zh: "开始时间" }
    ENDED = "verify.ended" { en: "ended", zh: "结束时间" }
    HOST = "verify.host" { en: "host", zh: "主机" }
    TEARDOWN = "verify.teardown" { en: "scratch instance", zh: "临时实例" }
    TEARDOWN_CLEAN = "verify.teardown_clean" {
        en: "stopped and removed: no process, no directory left",
        zh: "已停止并删除：无残留进程、无残留目录"
    }
    TEARDOWN_LEFT = "verify.teardown_left" {
        en: "NOT fully removed (see the JSON report)",
        zh: "未能完全删除（见 JSON 报告）"
    }
    INDEXES_SOUND = "verify.indexes_sound" {
        en: "{n} B-tree indexes consistent with their tables",
        zh: "{n} 个 B-tree 索引与表数据一致"
    }
    TABLES_SOUND = "verify.tables_sound" {
        en: "{n} tables without errors",
        zh: "{n} 张表无错误"
    }
    INTO_IS_SOURCE = "verify.into_is_source" {
        en: "refusing to drill backup {backup} into {target}: it is the backup's source server ({why})",
        zh: "拒绝将备份 {backup} 演练到 {target}：它就是该备份的源服务器（{why}）"
    }
    INTO_IS_SOURCE_HINT = "verify.into_is_source_hint" {
        en: "name a separate drill server, or leave out --into to use a scratch instance",
        zh: "请指定单独的演练服务器，或去掉 --into 使用临时实例"
    }
    INTO_PHYSICAL = "verify.into_physical" {
        en: "backup {backup} is physical: it is drilled in a scratch instance, not restored into a running server",
        zh: "备份 {backup} 是物理备份：只能在临时实例中演练，不能还原到运行中的服务器"
    }
    RPO_COLUMN = "verify.rpo_column" {
        en: "cannot read the newest time from `{column}` in the restored copy",
        zh: "无法从还原副本的 `{column}` 读取最新时间"
    }
    RPO_COLUMN_HINT = "verify.rpo_column_hint" {
        en: "name a timestamp or date column as table.column or schema.table.column of the backup's (first) database",
        zh: "请以 表.列 或 模式.表.列 的形式指定备份（第一个）数据库中的时间戳或日期列"
    }
    RTO_CHECK = "verify.rto_check" { en: "recovery time (RTO)", zh: "恢复时间（RTO）" }
    RPO_CHECK = "verify.rpo_check" { en: "age of the data (RPO)", zh: "数据时效（RPO）" }
    INTEGRITY_CHECK = "verify.integrity_check" {
        en: "every object's size and SHA-256 against the manifest, and the key",
        zh: "每个对象的大小和 SHA-256 与清单一致，且密钥正确"
    }
    INTEGRITY_EXPECTED = "verify.integrity_expected" {
        en: "{objects} objects, {bytes} bytes",
        zh: "{objects} 个对象，{bytes} 字节"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
