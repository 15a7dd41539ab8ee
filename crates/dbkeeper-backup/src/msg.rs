//! Messages of the backup crate, in English and Simplified Chinese.

dbkeeper_core::catalogue! {
    NO_REPO = "backup.no_repo" {
        en: "no repository to back up into",
        zh: "没有指定备份仓库"
    }
    NO_REPO_HINT = "backup.no_repo_hint" {
        en: "name one or more with --repo NAME (from the config's repos:) or --repo file:///PATH",
        zh: "请用 --repo 名称（配置文件 repos: 中的）或 --repo file:///路径 指定一个或多个仓库"
    }
    LOCK_LOST = "backup.lock_lost" {
        en: "the backup lost its lock in repository `{repo}` to another process while it ran; it is not committed",
        zh: "备份运行期间，仓库 `{repo}` 中的锁被其他进程接管；本次备份未提交"
    }
    RECIPIENTS_AND_PASSPHRASE = "backup.recipients_and_passphrase" {
        en: "repository `{repo}` has both recipients and a passphrase; age encrypts to one or the other",
        zh: "仓库 `{repo}` 同时有 recipients 和口令；age 只能二选一"
    }
    RECIPIENTS_AND_PASSPHRASE_HINT = "backup.recipients_and_passphrase_hint" {
        en: "use recipients (the database host then needs only public keys) or a passphrase, not both; --recipient adds to the config's recipients",
        zh: "请使用 recipients（数据库主机只需公钥）或口令之一；--recipient 会追加到配置中的 recipients"
    }
    NO_IDENTITY = "backup.no_identity" {
        en: "repository `{repo}` is encrypted (to {recipients}) and no key to decrypt it was given",
        zh: "仓库 `{repo}` 已加密（接收者 {recipients}），但没有提供解密密钥"
    }
    NO_IDENTITY_HINT = "backup.no_identity_hint" {
        en: "pass --identity KEYFILE (the age identity file made by `dbkeeper keygen`), or set encryption.identity for the repository in the config",
        zh: "请用 --identity 密钥文件（`dbkeeper keygen` 生成的 age 私钥文件），或在配置中为该仓库设置 encryption.identity"
    }
    LATEST_NEEDS_TARGET = "backup.latest_needs_target" {
        en: "`latest` needs the target whose newest backup is meant",
        zh: "`latest` 需要指明是哪个目标的最新备份"
    }
    LATEST_NEEDS_TARGET_HINT = "backup.latest_needs_target_hint" {
        en: "add --target NAME, or give a backup id (`dbkeeper backups list` shows them)",
        zh: "请加上 --target 名称，或给出备份 ID（`dbkeeper backups list` 可列出）"
    }
    NO_BACKUP_OF_TARGET = "backup.no_backup_of_target" {
        en: "repository `{repo}` holds no complete backup of `{target}`",
        zh: "仓库 `{repo}` 中没有 `{target}` 的完整备份"
    }
    NO_BACKUP_OF_TARGET_HINT = "backup.no_backup_of_target_hint" {
        en: "`dbkeeper backups list --repo REPO` shows what it holds; incomplete backups cannot be restored",
        zh: "`dbkeeper backups list --repo 仓库` 可查看其内容；不完整的备份无法还原"
    }
    BACKUP_INCOMPLETE = "backup.incomplete" {
        en: "backup {id} is incomplete (it has no manifest: it was interrupted or failed) and cannot be restored",
        zh: "备份 {id} 不完整（没有清单：曾被中断或失败），无法还原"
    }
    BACKUP_INCOMPLETE_HINT = "backup.incomplete_hint" {
        en: "restore an earlier complete backup (`dbkeeper backups list`); `dbkeeper backups prune` removes incomplete ones",
        zh: "请还原更早的完整备份（`dbkeeper backups list`）；`dbkeeper backups prune` 会清除不完整的备份"
    }
    BACKUP_UNREADABLE = "backup.unreadable" {
        en: "the manifest of backup {id} cannot be read",
        zh: "备份 {id} 的清单无法读取"
    }
    ENGINE_MISMATCH = "backup.engine_mismatch" {
        en: "backup {id} is of a {backup_engine} server; target `{target}` is {target_engine}",
        zh: "备份 {id} 来自 {backup_engine} 服务器，而目标 `{target}` 是 {target_engine}"
    }
    ENGINE_MISMATCH_HINT = "backup.engine_mismatch_hint" {
        en: "restore into a server of the same engine; to move data between engines use `dbkeeper copy`",
        zh: "请还原到同类数据库；跨数据库迁移数据请用 `dbkeeper copy`"
    }
    PHYSICAL_NEEDS_DIR = "backup.physical_needs_dir" {
        en: "backup {id} is physical: it restores into a data directory, not into a running server",
        zh: "备份 {id} 是物理备份：应还原到数据目录，而不是运行中的服务器"
    }
    PHYSICAL_NEEDS_DIR_HINT = "backup.physical_needs_dir_hint" {
        en: "use --to-dir EMPTY_DIR, then start a server on it (or `dbkeeper verify` to do both in a scratch instance)",
        zh: "请使用 --to-dir 空目录，再在其上启动服务器（或用 `dbkeeper verify` 在临时实例中完成）"
    }
    LOGICAL_NEEDS_TARGET = "backup.logical_needs_target" {
        en: "backup {id} is logical: it restores into a server, not into a data directory",
        zh: "备份 {id} 是逻辑备份：应还原到数据库服务器，而不是数据目录"
    }
    LOGICAL_NEEDS_TARGET_HINT = "backup.logical_needs_target_hint" {
        en: "use --to TARGET (a name from the config or a URL)",
        zh: "请使用 --to 目标（配置中的名称或 URL）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
