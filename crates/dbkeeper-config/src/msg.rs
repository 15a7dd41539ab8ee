//! Messages of the config crate: YAML reading (shared with playbooks) and the config file.
//!
//! Templates may show the secret-reference syntax `{env: VAR}` literally: such a brace pair is not
//! an argument, so it stays as written (and appears the same in both languages).

dbkeeper_core::catalogue! {
    // --- YAML reading (yaml.*): shared by every file dbkeeper reads ---
    SYNTAX = "yaml.syntax" {
        en: "{file} is not valid YAML: {detail}",
        zh: "{file} 不是有效的 YAML：{detail}"
    }
    SYNTAX_HINT = "yaml.syntax_hint" {
        en: "check the indentation (spaces, not tabs) on this line and the one before it, and quote values that contain `: ` or start with a special character",
        zh: "请检查此行及上一行的缩进（只能用空格，不能用制表符），含有 `: ` 或以特殊字符开头的值请加引号"
    }
    TOP_LEVEL = "yaml.top_level" {
        en: "{file} must hold a mapping of keys at the top level",
        zh: "{file} 的顶层必须是键值映射"
    }
    TOP_LEVEL_HINT = "yaml.top_level_hint" {
        en: "start the file with `version: 1` and put everything else under top-level keys",
        zh: "请以 `version: 1` 开头，其余内容都写在顶层键之下"
    }
    ANCHOR = "yaml.anchor" {
        en: "YAML anchors and aliases are not supported in {file}",
        zh: "{file} 中不支持 YAML 锚点和别名"
    }
    ANCHOR_HINT = "yaml.anchor_hint" {
        en: "write the value out in full at each place it is needed",
        zh: "请在每个用到的地方完整写出该值"
    }
    TAG = "yaml.tag" {
        en: "YAML tags such as `!!str` are not supported in {file}",
        zh: "{file} 中不支持 `!!str` 之类的 YAML 标签"
    }
    TAG_HINT = "yaml.tag_hint" {
        en: "remove the tag; put the value in quotes if it must be read as text",
        zh: "请删除标签；如需按文本读取，请给值加引号"
    }
    KEY_NOT_SCALAR = "yaml.key_not_scalar" {
        en: "a key in {file} is a list or a mapping, not a name",
        zh: "{file} 中有一个键是列表或映射，而不是名称"
    }
    KEY_NOT_SCALAR_HINT = "yaml.key_not_scalar_hint" {
        en: "write each entry as `name: value`",
        zh: "请把每一项写成 `名称: 值`"
    }
    DUPLICATE_KEY = "yaml.duplicate_key" {
        en: "`{key}` is given twice in the same mapping",
        zh: "同一映射中 `{key}` 出现了两次"
    }
    DUPLICATE_KEY_HINT = "yaml.duplicate_key_hint" {
        en: "keep only one of them; the first is at line {line}, column {col}",
        zh: "请只保留一个；第一个位于第 {line} 行第 {col} 列"
    }
    MULTI_DOC = "yaml.multi_doc" {
        en: "{file} holds more than one YAML document",
        zh: "{file} 中有多个 YAML 文档"
    }
    MULTI_DOC_HINT = "yaml.multi_doc_hint" {
        en: "remove this `---` line and merge what follows into the one document",
        zh: "请删除这一行 `---`，并把其后的内容合并到同一个文档中"
    }
    UNKNOWN_KEY = "yaml.unknown_key" {
        en: "unknown key `{key}`",
        zh: "无法识别的键 `{key}`"
    }
    UNKNOWN_KEY_SUGGEST_HINT = "yaml.unknown_key_suggest_hint" {
        en: "did you mean `{suggestion}`? keys allowed here: {allowed}",
        zh: "是否想写 `{suggestion}`？此处可用的键：{allowed}"
    }
    UNKNOWN_KEY_HINT = "yaml.unknown_key_hint" {
        en: "keys allowed here: {allowed}",
        zh: "此处可用的键：{allowed}"
    }
    MISSING_KEY = "yaml.missing_key" {
        en: "`{key}` is missing",
        zh: "缺少 `{key}`"
    }
    MISSING_KEY_HINT = "yaml.missing_key_hint" {
        en: "add `{name}:` to the mapping under this key",
        zh: "请在此键下的映射中添加 `{name}:`"
    }
    MISSING_TOP_KEY_HINT = "yaml.missing_top_key_hint" {
        en: "add `{name}:` at the top level of the file",
        zh: "请在文件顶层添加 `{name}:`"
    }
    EMPTY_VALUE = "yaml.empty_value" {
        en: "`{key}` has no value",
        zh: "`{key}` 没有值"
    }
    EMPTY_VALUE_HINT = "yaml.empty_value_hint" {
        en: "give it a value, or remove the line",
        zh: "请填写取值，或删除这一行"
    }
    WANT_STRING = "yaml.want_string" {
        en: "`{key}` must be text, got `{got}`",
        zh: "`{key}` 应为文本，实际为 `{got}`"
    }
    WANT_STRING_HINT = "yaml.want_string_hint" {
        en: "write a single value on the line, in quotes if it contains special characters",
        zh: "请在该行写一个值；含特殊字符时请加引号"
    }
    WANT_INTEGER = "yaml.want_integer" {
        en: "`{key}` must be a whole number, got `{got}`",
        zh: "`{key}` 应为整数，实际为 `{got}`"
    }
    WANT_INTEGER_HINT = "yaml.want_integer_hint" {
        en: "write digits without quotes, for example `{name}: 5`",
        zh: "请写不带引号的数字，例如 `{name}: 5`"
    }
    INT_RANGE = "yaml.int_range" {
        en: "`{key}` must be between {min} and {max}, got {got}",
        zh: "`{key}` 应在 {min} 到 {max} 之间，实际为 {got}"
    }
    INT_RANGE_HINT = "yaml.int_range_hint" {
        en: "use a number in that range",
        zh: "请使用该范围内的数字"
    }
    WANT_BOOLEAN = "yaml.want_boolean" {
        en: "`{key}` must be true or false, got `{got}`",
        zh: "`{key}` 应为 true 或 false，实际为 `{got}`"
    }
    WANT_BOOLEAN_HINT = "yaml.want_boolean_hint" {
        en: "write true or false, without quotes",
        zh: "请写 true 或 false，不要加引号"
    }
    WANT_LIST = "yaml.want_list" {
        en: "`{key}` must be a list, got `{got}`",
        zh: "`{key}` 应为列表，实际为 `{got}`"
    }
    WANT_LIST_HINT = "yaml.want_list_hint" {
        en: "write `{name}: [a, b]`, or one `- item` per line under `{name}:`",
        zh: "请写成 `{name}: [a, b]`，或在 `{name}:` 下每行写一个 `- 项`"
    }
    WANT_MAPPING = "yaml.want_mapping" {
        en: "`{key}` must be a mapping, got `{got}`",
        zh: "`{key}` 应为映射，实际为 `{got}`"
    }
    WANT_MAPPING_HINT = "yaml.want_mapping_hint" {
        en: "write `key: value` lines indented under `{name}:`",
        zh: "请在 `{name}:` 下缩进书写 `键: 值`"
    }
    BAD_VALUE = "yaml.bad_value" {
        en: "`{key}` cannot be `{got}`",
        zh: "`{key}` 不能取值 `{got}`"
    }
    BAD_VALUE_HINT = "yaml.bad_value_hint" {
        en: "use one of: {allowed}",
        zh: "可选值：{allowed}"
    }
    BAD_VALUE_SUGGEST_HINT = "yaml.bad_value_suggest_hint" {
        en: "did you mean `{suggestion}`? use one of: {allowed}",
        zh: "是否想写 `{suggestion}`？可选值：{allowed}"
    }
    DURATION = "yaml.duration" {
        en: "`{key}` must be a duration, got `{got}`",
        zh: "`{key}` 应为时长，实际为 `{got}`"
    }
    DURATION_HINT = "yaml.duration_hint" {
        en: "write a number and a unit: 30s, 10m, 2h, 7d (units ms, s, m, h, d, w; combine as 1h30m)",
        zh: "请写数字加单位：30s、10m、2h、7d（单位 ms、s、m、h、d、w；可组合，如 1h30m）"
    }
    SIZE = "yaml.size" {
        en: "`{key}` must be a size, got `{got}`",
        zh: "`{key}` 应为容量，实际为 `{got}`"
    }
    SIZE_HINT = "yaml.size_hint" {
        en: "write a number and a unit: 512MiB, 4GiB (units B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)",
        zh: "请写数字加单位：512MiB、4GiB（单位 B、KiB、MiB、GiB、TiB，或 KB、MB、GB、TB）"
    }
    SECRET_LITERAL = "yaml.secret_literal" {
        en: "literal secret in {file}: `{key}` holds the secret itself",
        zh: "{file} 中有明文密钥：`{key}` 直接写了密钥本身"
    }
    SECRET_LITERAL_HINT = "yaml.secret_literal_hint" {
        en: "write {env: VAR}, {file: PATH} (a file of mode 0600) or {command: [ARGV...]} instead, and consider the secret exposed: change it",
        zh: "请改写为 {env: VAR}、{file: PATH}（权限为 0600 的文件）或 {command: [ARGV...]}，并视该密钥已泄露，尽快更换"
    }
    SECRET_SHAPE = "yaml.secret_shape" {
        en: "`{key}` must be a secret reference",
        zh: "`{key}` 应为密钥引用"
    }
    SECRET_SHAPE_HINT = "yaml.secret_shape_hint" {
        en: "write exactly one of {env: VAR}, {file: PATH} or {command: [ARGV...]}",
        zh: "请只写 {env: VAR}、{file: PATH}、{command: [ARGV...]} 三者之一"
    }
    SECRET_ENV_NAME = "yaml.secret_env_name" {
        en: "`{key}` must be the name of an environment variable",
        zh: "`{key}` 应为环境变量名"
    }
    SECRET_ENV_NAME_HINT = "yaml.secret_env_name_hint" {
        en: "use letters, digits and underscores, not starting with a digit, for example PROD_PG_PASSWORD",
        zh: "请只用字母、数字和下划线，且不以数字开头，例如 PROD_PG_PASSWORD"
    }
    SECRET_COMMAND = "yaml.secret_command" {
        en: "`{key}` must be a non-empty list: the program and its arguments",
        zh: "`{key}` 应为非空列表：程序及其参数"
    }
    SECRET_COMMAND_HINT = "yaml.secret_command_hint" {
        en: "write it as {command: [pass, show, db/prod]}; it runs without a shell",
        zh: "请写成 {command: [pass, show, db/prod]}；该命令不经过 shell 执行"
    }

    // --- the config file (config.*) ---
    NOT_FOUND = "config.not_found" {
        en: "config file {path} does not exist",
        zh: "配置文件 {path} 不存在"
    }
    NOT_FOUND_FLAG_HINT = "config.not_found_flag_hint" {
        en: "check the path given to --config",
        zh: "请检查 --config 指定的路径"
    }
    NOT_FOUND_ENV_HINT = "config.not_found_env_hint" {
        en: "DBKEEPER_CONFIG names this file: correct the variable or unset it",
        zh: "环境变量 DBKEEPER_CONFIG 指向该文件：请改正或取消该变量"
    }
    READ = "config.read" {
        en: "cannot read config file {path}",
        zh: "无法读取配置文件 {path}"
    }
    READ_HINT = "config.read_hint" {
        en: "check that it is a UTF-8 text file and that the user running dbkeeper can read it",
        zh: "请确认它是 UTF-8 文本文件，且运行 dbkeeper 的用户有读取权限"
    }
    VERSION = "config.version" {
        en: "config version {version} is not supported",
        zh: "不支持的配置版本 {version}"
    }
    VERSION_HINT = "config.version_hint" {
        en: "this dbkeeper reads `version: 1`",
        zh: "当前 dbkeeper 只支持 `version: 1`"
    }
    NAME = "config.name" {
        en: "`{name}` cannot be used as a name",
        zh: "`{name}` 不能用作名称"
    }
    NAME_HINT = "config.name_hint" {
        en: "use letters, digits, `-`, `_` and `.`, for example prod-pg",
        zh: "请只用字母、数字、`-`、`_` 和 `.`，例如 prod-pg"
    }
    URL_INVALID = "config.url_invalid" {
        en: "`{url}` is not a valid URL: {detail}",
        zh: "`{url}` 不是有效的 URL：{detail}"
    }
    REPO_SCHEME = "config.repo_scheme" {
        en: "repository URL `{url}` must start with file:// or s3://",
        zh: "仓库 URL `{url}` 必须以 file:// 或 s3:// 开头"
    }
    REPO_URL_HINT = "config.repo_url_hint" {
        en: "write file:///var/backups/dbkeeper or s3://BUCKET/PREFIX?endpoint=https://HOST&region=REGION",
        zh: "请写成 file:///var/backups/dbkeeper 或 s3://桶名/前缀?endpoint=https://主机&region=区域"
    }
    REPO_FILE_HOST = "config.repo_file_host" {
        en: "`{url}` names the host `{host}`: a local repository path needs three slashes",
        zh: "`{url}` 被理解为主机 `{host}`：本地仓库路径需要三个斜杠"
    }
    REPO_FILE_HOST_HINT = "config.repo_file_host_hint" {
        en: "write {fixed}",
        zh: "请写成 {fixed}"
    }
    REPO_S3_BUCKET = "config.repo_s3_bucket" {
        en: "`{url}` names no bucket",
        zh: "`{url}` 没有指定桶"
    }
    REPO_CREDENTIALS = "config.repo_credentials" {
        en: "repository URL `{url}` holds credentials",
        zh: "仓库 URL `{url}` 中含有凭据"
    }
    REPO_CREDENTIALS_HINT = "config.repo_credentials_hint" {
        en: "remove them: S3 credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a profile, never from the URL",
        zh: "请删除：S3 凭据应来自 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 环境变量或 profile，不能写在 URL 中"
    }
    RECIPIENT = "config.recipient" {
        en: "`{got}` is not an age recipient",
        zh: "`{got}` 不是 age 公钥（recipient）"
    }
    RECIPIENT_HINT = "config.recipient_hint" {
        en: "a recipient is an age public key starting with age1; `dbkeeper keygen --out KEYFILE` creates a key pair and prints it",
        zh: "recipient 是以 age1 开头的 age 公钥；`dbkeeper keygen --out KEYFILE` 会生成密钥对并打印公钥"
    }
    IDENTITY = "config.identity" {
        en: "`{key}` holds an age private key",
        zh: "`{key}` 中写的是 age 私钥"
    }
    IDENTITY_HINT = "config.identity_hint" {
        en: "put only the public recipient (age1…) in the config, keep the private key in a 0600 file off this host, and consider it exposed: make a new one",
        zh: "配置中只能写公钥（age1…）；私钥应保存在本机之外、权限为 0600 的文件中。该私钥应视为已泄露，请重新生成"
    }
    ENCRYPTION_EMPTY = "config.encryption_empty" {
        en: "`{key}` names no recipient and no passphrase",
        zh: "`{key}` 既没有 recipient 也没有口令"
    }
    ENCRYPTION_EMPTY_HINT = "config.encryption_empty_hint" {
        en: "add `recipients: [age1…]` or `passphrase: {env: VAR}`",
        zh: "请添加 `recipients: [age1…]` 或 `passphrase: {env: VAR}`"
    }
    ENCRYPTION_BOTH = "config.encryption_both" {
        en: "`{key}` names both recipients and a passphrase; age encrypts to one or the other",
        zh: "`{key}` 同时指定了 recipients 和口令；age 只能二选一"
    }
    ENCRYPTION_BOTH_HINT = "config.encryption_both_hint" {
        en: "keep `recipients:` (recommended: the database host then needs only public keys) or `passphrase:`, not both",
        zh: "请只保留 `recipients:`（推荐：数据库主机只需公钥）或 `passphrase:` 其中之一"
    }
    REPO_UNENCRYPTED = "config.repo_unencrypted" {
        en: "offsite repository `{repo}` would store backups unencrypted",
        zh: "异地仓库 `{repo}` 将以明文保存备份"
    }
    REPO_UNENCRYPTED_HINT = "config.repo_unencrypted_hint" {
        en: "add `encryption: {recipients: [age1…]}` (or a passphrase); to store clear text offsite on purpose, write `allow_unencrypted: true`",
        zh: "请添加 `encryption: {recipients: [age1…]}`（或口令）；如确需在异地保存明文，请写明 `allow_unencrypted: true`"
    }
    CHANNEL_KEY = "config.channel_key" {
        en: "`{key}` does not apply to a {kind} channel",
        zh: "`{key}` 不适用于 {kind} 类型的通知渠道"
    }
    CHANNEL_KEY_HINT = "config.channel_key_hint" {
        en: "remove it; a {kind} channel takes: {allowed}",
        zh: "请删除；{kind} 渠道可用的键：{allowed}"
    }
    EMAIL = "config.email" {
        en: "`{got}` is not an e-mail address",
        zh: "`{got}` 不是电子邮件地址"
    }
    EMAIL_HINT = "config.email_hint" {
        en: "write it as name@example.org",
        zh: "请写成 name@example.org 的形式"
    }
    NO_TARGET = "config.no_target" {
        en: "no target named `{name}`",
        zh: "没有名为 `{name}` 的目标"
    }
    NO_TARGET_SUGGEST_HINT = "config.no_target_suggest_hint" {
        en: "did you mean `{suggestion}`? otherwise pass a postgres:// or mysql:// URL, or add `{name}` to the targets in {path}",
        zh: "是否想写 `{suggestion}`？否则请直接给出 postgres:// 或 mysql:// URL，或在 {path} 的 targets 中添加 `{name}`"
    }
    NO_TARGET_HINT = "config.no_target_hint" {
        en: "pass a postgres:// or mysql:// URL, or add `{name}` to the targets in {path}",
        zh: "请直接给出 postgres:// 或 mysql:// URL，或在 {path} 的 targets 中添加 `{name}`"
    }
    NO_TARGET_NO_CONFIG_HINT = "config.no_target_no_config_hint" {
        en: "pass a postgres:// or mysql:// URL, or define `{name}` in a config file (--config FILE, DBKEEPER_CONFIG or ./dbkeeper.yaml)",
        zh: "请直接给出 postgres:// 或 mysql:// URL，或在配置文件中定义 `{name}`（--config FILE、DBKEEPER_CONFIG 或 ./dbkeeper.yaml）"
    }
    NO_REPO = "config.no_repo" {
        en: "no repository named `{name}`",
        zh: "没有名为 `{name}` 的仓库"
    }
    NO_REPO_SUGGEST_HINT = "config.no_repo_suggest_hint" {
        en: "did you mean `{suggestion}`? otherwise pass a file:// or s3:// URL, or add `{name}` to the repos in {path}",
        zh: "是否想写 `{suggestion}`？否则请直接给出 file:// 或 s3:// URL，或在 {path} 的 repos 中添加 `{name}`"
    }
    NO_REPO_HINT = "config.no_repo_hint" {
        en: "pass a file:// or s3:// URL, or add `{name}` to the repos in {path}",
        zh: "请直接给出 file:// 或 s3:// URL，或在 {path} 的 repos 中添加 `{name}`"
    }
    NO_REPO_NO_CONFIG_HINT = "config.no_repo_no_config_hint" {
        en: "pass a file:// or s3:// URL, or define `{name}` in a config file (--config FILE, DBKEEPER_CONFIG or ./dbkeeper.yaml)",
        zh: "请直接给出 file:// 或 s3:// URL，或在配置文件中定义 `{name}`（--config FILE、DBKEEPER_CONFIG 或 ./dbkeeper.yaml）"
    }

    // --- inspect: (config.inspect_*) ---
    INSPECT_CHECK_ID = "config.inspect_check_id" {
        en: "`{got}` is not a check id or group name",
        zh: "`{got}` 不是检查项编号或分组名"
    }
    INSPECT_CHECK_ID_HINT = "config.inspect_check_id_hint" {
        en: "write a check id such as PG-VAC-001 or a group such as security; `dbkeeper inspect --list` shows them all",
        zh: "请写检查项编号（如 PG-VAC-001）或分组名（如 security）；`dbkeeper inspect --list` 可列出全部"
    }
    INSPECT_THRESHOLDS_EMPTY = "config.inspect_thresholds_empty" {
        en: "no thresholds are given for `{check}`",
        zh: "没有为 `{check}` 设置任何阈值"
    }
    INSPECT_THRESHOLDS_EMPTY_HINT = "config.inspect_thresholds_empty_hint" {
        en: "write them as `{check}: {warning: 80%, critical: 90%}`, or remove the line",
        zh: "请写成 `{check}: {warning: 80%, critical: 90%}`，或删除这一行"
    }
    INSPECT_THRESHOLD_SCALAR = "config.inspect_threshold_scalar" {
        en: "threshold `{name}` of `{check}` must be a single value",
        zh: "`{check}` 的阈值 `{name}` 必须是单个取值"
    }
    INSPECT_THRESHOLD_SCALAR_HINT = "config.inspect_threshold_scalar_hint" {
        en: "write a number (`1500000000`), a percentage (`90%`), a duration (`5m`) or a size (`1GiB`)",
        zh: "请写数字（`1500000000`）、百分比（`90%`）、时长（`5m`）或大小（`1GiB`）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
