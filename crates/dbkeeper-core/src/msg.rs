//! Messages of the core crate (targets, secrets, ledger, audit log).

crate::catalogue! {
    URL_INVALID = "core.url_invalid" {
        en: "`{url}` is not a valid database URL",
        zh: "`{url}` 不是有效的数据库 URL"
    }
    URL_INVALID_HINT = "core.url_invalid_hint" {
        en: "write it as postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB",
        zh: "请写成 postgres://用户@主机:端口/库 或 mysql://用户@主机:端口/库"
    }
    URL_SCHEME = "core.url_scheme" {
        en: "unknown database scheme `{scheme}` in `{url}`",
        zh: "`{url}` 中的数据库类型 `{scheme}` 无法识别"
    }
    URL_SCHEME_HINT = "core.url_scheme_hint" {
        en: "use postgres:// (or postgresql://) for PostgreSQL, mysql:// (or mariadb://) for MySQL and MariaDB",
        zh: "PostgreSQL 请用 postgres://（或 postgresql://），MySQL 和 MariaDB 请用 mysql://（或 mariadb://）"
    }
    URL_PASSWORD = "core.url_password" {
        en: "the URL for `{target}` contains a password",
        zh: "`{target}` 的 URL 中含有密码"
    }
    URL_PASSWORD_HINT = "core.url_password_hint" {
        en: "remove it from the URL and set {env} in the environment, or give the target a `password:` reference (env, file or command) in the config",
        zh: "请从 URL 中删除密码，改为设置环境变量 {env}，或在配置中为该目标设置 `password:` 引用（env、file 或 command）"
    }
    URL_PARAM = "core.url_param" {
        en: "unknown URL parameter `{param}` in `{url}`",
        zh: "`{url}` 中的 URL 参数 `{param}` 无法识别"
    }
    URL_PARAM_HINT = "core.url_param_hint" {
        en: "known parameters: {known}",
        zh: "可用参数：{known}"
    }
    URL_PARAM_VALUE = "core.url_param_value" {
        en: "`{value}` is not a valid value for `{param}`",
        zh: "`{value}` 不是 `{param}` 的有效取值"
    }
    URL_PARAM_VALUE_HINT = "core.url_param_value_hint" {
        en: "use one of: {known}",
        zh: "可选值：{known}"
    }
    TLS_CA_WITHOUT_VERIFY = "core.tls_ca_without_verify" {
        en: "a CA file is set for `{target}` but the TLS mode `{mode}` does not verify the server",
        zh: "`{target}` 设置了 CA 文件，但 TLS 模式 `{mode}` 不校验服务器证书"
    }
    TLS_CA_WITHOUT_VERIFY_HINT = "core.tls_ca_without_verify_hint" {
        en: "set the TLS mode to verify-full, or remove the CA file",
        zh: "请把 TLS 模式设为 verify-full，或删除 CA 文件设置"
    }
    SECRET_ENV_MISSING = "core.secret_env_missing" {
        en: "the environment variable `{var}` that holds the password is not set",
        zh: "存放密码的环境变量 `{var}` 未设置"
    }
    SECRET_ENV_MISSING_HINT = "core.secret_env_missing_hint" {
        en: "export {var} before running dbkeeper, or point the password at a 0600 file",
        zh: "请在运行 dbkeeper 前导出 {var}，或把密码指向权限为 0600 的文件"
    }
    SECRET_FILE_READ = "core.secret_file_read" {
        en: "cannot read the password file `{path}`",
        zh: "无法读取密码文件 `{path}`"
    }
    SECRET_FILE_READ_HINT = "core.secret_file_read_hint" {
        en: "check that the file exists and that the user running dbkeeper can read it",
        zh: "请确认文件存在，且运行 dbkeeper 的用户有读取权限"
    }
    SECRET_FILE_MODE = "core.secret_file_mode" {
        en: "the password file `{path}` can be read by other users (mode {mode})",
        zh: "密码文件 `{path}` 可被其他用户读取（权限 {mode}）"
    }
    SECRET_FILE_MODE_HINT = "core.secret_file_mode_hint" {
        en: "run: chmod 600 {path}",
        zh: "请执行：chmod 600 {path}"
    }
    SECRET_COMMAND = "core.secret_command" {
        en: "the password command `{program}` failed ({status})",
        zh: "获取密码的命令 `{program}` 执行失败（{status}）"
    }
    SECRET_COMMAND_HINT = "core.secret_command_hint" {
        en: "run the command by hand to see why; it must print the password on standard output and exit 0",
        zh: "请手动运行该命令查看原因；它应在标准输出打印密码并以 0 退出"
    }
    SECRET_EMPTY = "core.secret_empty" {
        en: "the password from {source} is empty",
        zh: "来自 {source} 的密码为空"
    }
    SECRET_EMPTY_HINT = "core.secret_empty_hint" {
        en: "put the password in it, or remove the password reference if the server needs none",
        zh: "请填入密码；如果服务器不需要密码，请删除该密码引用"
    }
    STATE_DIR = "core.state_dir" {
        en: "cannot use the state directory `{path}`",
        zh: "无法使用状态目录 `{path}`"
    }
    STATE_DIR_HINT = "core.state_dir_hint" {
        en: "choose a writable directory with --state-dir or DBKEEPER_STATE_DIR",
        zh: "请用 --state-dir 或 DBKEEPER_STATE_DIR 指定一个可写目录"
    }
    LEDGER = "core.ledger" {
        en: "the ledger `{path}` cannot be used",
        zh: "运行台账 `{path}` 无法使用"
    }
    LEDGER_HINT = "core.ledger_hint" {
        en: "check free space and permissions; if the file is damaged, move it aside and dbkeeper starts a new one",
        zh: "请检查磁盘空间和权限；如文件已损坏，可将其移走，dbkeeper 会新建台账"
    }
    AUDIT_WRITE = "core.audit_write" {
        en: "cannot append to the audit log `{path}`",
        zh: "无法写入审计日志 `{path}`"
    }
    AUDIT_READ = "core.audit_read" {
        en: "cannot read the audit log `{path}`",
        zh: "无法读取审计日志 `{path}`"
    }
    AUDIT_BAD_LINE = "core.audit_bad_line" {
        en: "line {line} of the audit log is not a valid entry",
        zh: "审计日志第 {line} 行不是有效记录"
    }
    AUDIT_CHANGED = "core.audit_changed" {
        en: "line {line} of the audit log was changed: its hash no longer matches what the next entry recorded",
        zh: "审计日志第 {line} 行被修改：其哈希与下一条记录中保存的不一致"
    }
    AUDIT_LAST_CHANGED = "core.audit_last_changed" {
        en: "line {line}, the last of the audit log, was changed: its hash no longer matches the ledger",
        zh: "审计日志最后一行（第 {line} 行）被修改：其哈希与运行台账中的记录不一致"
    }
    AUDIT_REMOVED = "core.audit_removed" {
        en: "entries {from} to {to} were removed before line {line} of the audit log",
        zh: "审计日志第 {line} 行之前的第 {from} 至 {to} 条记录被删除"
    }
    AUDIT_REORDERED = "core.audit_reordered" {
        en: "line {line} of the audit log is out of order: it holds entry {seq}",
        zh: "审计日志第 {line} 行顺序被调换：该行是第 {seq} 条记录"
    }
    AUDIT_INSERTED = "core.audit_inserted" {
        en: "line {line} of the audit log was inserted: entry {seq} appears again",
        zh: "审计日志第 {line} 行是插入的：第 {seq} 条记录重复出现"
    }
    AUDIT_TRUNCATED = "core.audit_truncated" {
        en: "the audit log ends at entry {have} but the ledger recorded {want} entries: lines were removed from its end",
        zh: "审计日志只到第 {have} 条，但运行台账记录了 {want} 条：末尾的记录被删除"
    }
    AUDIT_TAMPER_HINT = "core.audit_tamper_hint" {
        en: "keep the file as evidence and compare it with a copy from backup; entries after this point cannot be trusted",
        zh: "请保留该文件作为证据，并与备份中的副本比对；此处之后的记录不可信"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        crate::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
