//! Messages of the repository crate, in English and Simplified Chinese.

dbkeeper_core::catalogue! {
    // Repository URLs
    URL_INVALID = "repo.url_invalid" {
        en: "`{url}` is not a valid repository URL",
        zh: "`{url}` 不是有效的备份仓库 URL"
    }
    URL_HINT = "repo.url_hint" {
        en: "write file:///ABSOLUTE/PATH or s3://BUCKET/PREFIX?endpoint=https://HOST&region=REGION",
        zh: "请写成 file:///绝对路径 或 s3://存储桶/前缀?endpoint=https://主机&region=区域"
    }
    URL_SCHEME = "repo.url_scheme" {
        en: "unknown repository scheme `{scheme}` in `{url}`",
        zh: "`{url}` 中的仓库类型 `{scheme}` 无法识别"
    }
    URL_PARAM = "repo.url_param" {
        en: "unknown parameter `{param}` in `{url}`",
        zh: "`{url}` 中的参数 `{param}` 无法识别"
    }
    URL_PARAM_HINT = "repo.url_param_hint" {
        en: "known parameters: {known}",
        zh: "可用参数：{known}"
    }
    URL_PARAM_FILE_HINT = "repo.url_param_file_hint" {
        en: "a file:// repository takes no parameters",
        zh: "file:// 仓库不接受任何参数"
    }
    URL_PARAM_TWICE = "repo.url_param_twice" {
        en: "parameter `{param}` is given twice in `{url}`",
        zh: "`{url}` 中的参数 `{param}` 出现了两次"
    }
    URL_PARAM_VALUE = "repo.url_param_value" {
        en: "`{value}` is not a valid value for `{param}`",
        zh: "`{value}` 不是参数 `{param}` 的有效取值"
    }
    URL_PARAM_VALUE_HINT = "repo.url_param_value_hint" {
        en: "use one of: {known}",
        zh: "可选值：{known}"
    }
    URL_FILE_HOST = "repo.url_file_host" {
        en: "`{url}` names the host `{host}`; a file:// repository must be on this machine",
        zh: "`{url}` 指定了主机 `{host}`，file:// 仓库必须位于本机"
    }
    URL_FILE_HOST_HINT = "repo.url_file_host_hint" {
        en: "use three slashes for an absolute path: {fixed}",
        zh: "绝对路径请使用三个斜杠：{fixed}"
    }
    URL_FILE_PATH = "repo.url_file_path" {
        en: "`{url}` does not name a directory below /",
        zh: "`{url}` 没有指定 / 之下的目录"
    }
    URL_CREDENTIALS = "repo.url_credentials" {
        en: "the S3 repository URL contains credentials",
        zh: "S3 仓库 URL 中含有访问凭证"
    }
    URL_CREDENTIALS_HINT = "repo.url_credentials_hint" {
        en: "remove them from the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use a profile (?profile=NAME), or the config's secret references",
        zh: "请从 URL 中删除凭证，改为设置 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY、使用 profile（?profile=名称），或使用配置中的密钥引用"
    }
    URL_BUCKET = "repo.url_bucket" {
        en: "`{bucket}` in `{url}` is not a valid bucket name",
        zh: "`{url}` 中的 `{bucket}` 不是有效的存储桶名称"
    }
    URL_BUCKET_HINT = "repo.url_bucket_hint" {
        en: "bucket names are 3–63 lower-case letters, digits, dots and hyphens",
        zh: "存储桶名称由 3–63 个小写字母、数字、点和连字符组成"
    }
    URL_PREFIX = "repo.url_prefix" {
        en: "the prefix in `{url}` contains empty, `.` or `..` parts",
        zh: "`{url}` 中的前缀包含空的、`.` 或 `..` 路径段"
    }

    // Ids and names
    ID_INVALID = "repo.id_invalid" {
        en: "`{id}` is not a backup id",
        zh: "`{id}` 不是备份 ID"
    }
    ID_INVALID_HINT = "repo.id_invalid_hint" {
        en: "backup ids look like 20261125T013000Z-3f9c; `dbkeeper backups list` shows them",
        zh: "备份 ID 形如 20261125T013000Z-3f9c，可用 `dbkeeper backups list` 查看"
    }
    TARGET_NAME = "repo.target_name" {
        en: "`{target}` cannot name backups in a repository",
        zh: "`{target}` 不能用作仓库中的备份名称"
    }
    TARGET_NAME_HINT = "repo.target_name_hint" {
        en: "give the target a name of letters, digits, `.`, `_` and `-` (in the config, or with --name)",
        zh: "请为目标取一个由字母、数字、`.`、`_`、`-` 组成的名称（在配置中或用 --name）"
    }
    OBJECT_NAME = "repo.object_name" {
        en: "`{name}` is not a valid object name",
        zh: "`{name}` 不是有效的对象名称"
    }
    OBJECT_TWICE = "repo.object_twice" {
        en: "object `{name}` is written twice in one backup",
        zh: "同一备份中对象 `{name}` 被写入了两次"
    }
    KEY_INVALID = "repo.key_invalid" {
        en: "`{key}` is not a valid object key",
        zh: "`{key}` 不是有效的对象键"
    }

    // Repository
    REPO_MISSING = "repo.missing" {
        en: "there is no dbkeeper repository `{repo}` here",
        zh: "此处没有 dbkeeper 备份仓库 `{repo}`"
    }
    REPO_MISSING_HINT = "repo.missing_hint" {
        en: "check the URL; the first backup to a new location creates the repository",
        zh: "请检查 URL；第一次备份到新位置时会自动创建仓库"
    }
    NOT_A_REPO = "repo.not_a_repo" {
        en: "the location of repository `{repo}` holds other data (`{found}`) and is not a dbkeeper repository",
        zh: "仓库 `{repo}` 所在位置存有其他数据（`{found}`），不是 dbkeeper 备份仓库"
    }
    NOT_A_REPO_HINT = "repo.not_a_repo_hint" {
        en: "choose an empty directory or a new prefix for the repository",
        zh: "请为仓库选择一个空目录或新的前缀"
    }
    REPO_FORMAT_INVALID = "repo.format_invalid" {
        en: "the format file of repository `{repo}` cannot be read",
        zh: "无法读取仓库 `{repo}` 的格式文件"
    }
    REPO_NEWER = "repo.newer" {
        en: "repository `{repo}` has format version {version}; this dbkeeper reads up to {supported}",
        zh: "仓库 `{repo}` 的格式版本为 {version}，当前 dbkeeper 最高支持 {supported}"
    }
    NEWER_HINT = "repo.newer_hint" {
        en: "upgrade dbkeeper to read it",
        zh: "请升级 dbkeeper 后再读取"
    }
    REPO_OTHER_ENCRYPTION = "repo.other_encryption" {
        en: "repository `{repo}` is encrypted for {has}, but the keys given are for {given}",
        zh: "仓库 `{repo}` 的加密接收方为 {has}，但提供的密钥对应 {given}"
    }
    REPO_OTHER_ENCRYPTION_HINT = "repo.other_encryption_hint" {
        en: "give the repository's own recipients, or start a new repository for new keys",
        zh: "请使用该仓库原有的接收方公钥，或为新密钥新建一个仓库"
    }
    REPO_ENCRYPTED_NO_KEYS = "repo.encrypted_no_keys" {
        en: "repository `{repo}` is encrypted (for {recipients}); refusing to write clear text to it",
        zh: "仓库 `{repo}` 已加密（接收方 {recipients}），拒绝向其写入明文"
    }
    REPO_ENCRYPTED_NO_KEYS_HINT = "repo.encrypted_no_keys_hint" {
        en: "give the repository's recipients (--recipient or `encryption:` in the config)",
        zh: "请提供该仓库的接收方公钥（--recipient 或配置中的 `encryption:`）"
    }
    REPO_CLEAR_OFFSITE = "repo.clear_offsite" {
        en: "repository `{repo}` is offsite and would receive backups in clear text",
        zh: "仓库 `{repo}` 位于异地，备份将以明文存放"
    }
    REPO_CLEAR_OFFSITE_HINT = "repo.clear_offsite_hint" {
        en: "add age recipients to the repository, or set `allow_unencrypted: true` if clear text offsite is intended",
        zh: "请为仓库配置 age 接收方公钥；若确需异地明文存放，请设置 `allow_unencrypted: true`"
    }
    REPO_TWICE = "repo.twice" {
        en: "repository `{repo}` is named twice for one backup",
        zh: "同一次备份中仓库 `{repo}` 被指定了两次"
    }
    NO_DESTINATION = "repo.no_destination" {
        en: "no repository to write `{name}` to",
        zh: "没有可写入 `{name}` 的仓库"
    }
    ALL_REPOS_FAILED = "repo.all_failed" {
        en: "every repository of this backup failed",
        zh: "本次备份的所有仓库均写入失败"
    }
    OBJECTS_UNFINISHED = "repo.objects_unfinished" {
        en: "the backup cannot be completed: objects {names} were not finished",
        zh: "备份无法完成：对象 {names} 未写完"
    }

    // Backups and manifests
    BACKUP_NOT_FOUND = "repo.backup_not_found" {
        en: "backup {id} of `{target}` is not in repository `{repo}`",
        zh: "仓库 `{repo}` 中没有 `{target}` 的备份 {id}"
    }
    BACKUP_NOT_FOUND_HINT = "repo.backup_not_found_hint" {
        en: "`dbkeeper backups list` shows the backups there are",
        zh: "可用 `dbkeeper backups list` 查看现有备份"
    }
    BACKUP_PINNED = "repo.backup_pinned" {
        en: "backup {id} of `{target}` is pinned (legal hold) and cannot be deleted",
        zh: "`{target}` 的备份 {id} 已锁定（法律保留），不能删除"
    }
    BACKUP_PINNED_HINT = "repo.backup_pinned_hint" {
        en: "unpin it first if the hold has ended: dbkeeper backups unpin {id}",
        zh: "如保留期已结束，请先解除锁定：dbkeeper backups unpin {id}"
    }
    MANIFEST_INVALID = "repo.manifest_invalid" {
        en: "the manifest `{key}` is damaged",
        zh: "清单文件 `{key}` 已损坏"
    }
    MANIFEST_NEWER = "repo.manifest_newer" {
        en: "the manifest `{key}` has version {version}; this dbkeeper reads up to {supported}",
        zh: "清单文件 `{key}` 的版本为 {version}，当前 dbkeeper 最高支持 {supported}"
    }
    MANIFEST_MISPLACED = "repo.manifest_misplaced" {
        en: "the manifest `{key}` describes backup {id} of `{target}`, not the folder it is in",
        zh: "清单文件 `{key}` 描述的是 `{target}` 的备份 {id}，与所在目录不符"
    }
    OBJECT_NOT_IN_BACKUP = "repo.object_not_in_backup" {
        en: "backup {id} has no object `{name}`",
        zh: "备份 {id} 中没有对象 `{name}`"
    }

    // Objects
    OBJECT_MISSING = "repo.object_missing" {
        en: "object `{key}` is missing",
        zh: "对象 `{key}` 不存在"
    }
    OBJECT_TRUNCATED = "repo.object_truncated" {
        en: "object `{key}` has {found} bytes; its manifest says {expected}",
        zh: "对象 `{key}` 大小为 {found} 字节，清单记录为 {expected} 字节"
    }
    OBJECT_ALTERED = "repo.object_altered" {
        en: "object `{key}` was altered: its SHA-256 differs from the manifest's",
        zh: "对象 `{key}` 已被改动：其 SHA-256 与清单不符"
    }
    OBJECT_UNREADABLE = "repo.object_unreadable" {
        en: "object `{key}` cannot be decrypted or decompressed",
        zh: "对象 `{key}` 无法解密或解压"
    }
    OBJECT_DAMAGED_HINT = "repo.object_damaged_hint" {
        en: "do not use what was read; restore from another backup or another repository, and run `dbkeeper backups check --read-data`",
        zh: "请勿使用已读出的内容；请改用其他备份或其他仓库恢复，并运行 `dbkeeper backups check --read-data`"
    }
    PLAIN_SIZE_DIFFERS = "repo.plain_size_differs" {
        en: "object `{key}` decompressed to {found} bytes; its manifest says {expected}",
        zh: "对象 `{key}` 解压后为 {found} 字节，清单记录为 {expected} 字节"
    }
    OBJECT_READ = "repo.object_read" {
        en: "cannot read object `{key}`",
        zh: "无法读取对象 `{key}`"
    }
    OBJECT_TOO_LARGE = "repo.object_too_large" {
        en: "object `{key}` is larger than {limit} bytes and cannot be a manifest or lock",
        zh: "对象 `{key}` 超过 {limit} 字节，不可能是清单或锁文件"
    }
    READ_FAILED = "repo.read_failed" {
        en: "reading the backup failed",
        zh: "读取备份失败"
    }
    SINK_WRITE = "repo.sink_write" {
        en: "cannot write the restored data",
        zh: "无法写出恢复的数据"
    }
    SOURCE_READ = "repo.source_read" {
        en: "cannot read the data for object `{name}`",
        zh: "无法读取对象 `{name}` 的数据来源"
    }
    PUT_ABORTED = "repo.put_aborted" {
        en: "the writer of `{key}` stopped before the end; nothing was stored",
        zh: "`{key}` 的写入在结束前中止，未保存任何内容"
    }
    WRITER_DROPPED = "repo.writer_dropped" {
        en: "the object was abandoned before it was finished",
        zh: "对象在写完之前被放弃"
    }
    COMPRESS_FAILED = "repo.compress_failed" {
        en: "compressing the object failed",
        zh: "压缩对象失败"
    }
    STORED_SIZE_DIFFERS = "repo.stored_size_differs" {
        en: "the store kept {stored} bytes of `{key}`, but {sent} were sent",
        zh: "存储中 `{key}` 仅有 {stored} 字节，而发送了 {sent} 字节"
    }
    ZSTD_LEVEL = "repo.zstd_level" {
        en: "zstd level {level} is out of range",
        zh: "zstd 压缩级别 {level} 超出范围"
    }
    ZSTD_LEVEL_HINT = "repo.zstd_level_hint" {
        en: "use a level from 1 (fastest) to 19 (smallest); 3 is the default",
        zh: "请使用 1（最快）到 19（最小）之间的级别，默认为 3"
    }

    // Keys
    RECIPIENT_INVALID = "repo.recipient_invalid" {
        en: "`{recipient}` is not an age public key",
        zh: "`{recipient}` 不是 age 公钥"
    }
    RECIPIENT_INVALID_HINT = "repo.recipient_invalid_hint" {
        en: "recipients look like age1…; `dbkeeper keygen` prints one (never give the AGE-SECRET-KEY line)",
        zh: "接收方公钥形如 age1…，可由 `dbkeeper keygen` 生成（切勿提供 AGE-SECRET-KEY 私钥行）"
    }
    RECIPIENT_FILE_READ = "repo.recipient_file_read" {
        en: "cannot read the recipients file `{path}`",
        zh: "无法读取接收方公钥文件 `{path}`"
    }
    RECIPIENT_FILE_EMPTY = "repo.recipient_file_empty" {
        en: "the recipients file `{path}` holds no recipient",
        zh: "接收方公钥文件 `{path}` 中没有公钥"
    }
    ENCRYPT_SETUP = "repo.encrypt_setup" {
        en: "cannot set up encryption for these recipients",
        zh: "无法为这些接收方设置加密"
    }
    IDENTITY_READ = "repo.identity_read" {
        en: "cannot read the key file `{path}`",
        zh: "无法读取私钥文件 `{path}`"
    }
    IDENTITY_READ_HINT = "repo.identity_read_hint" {
        en: "give the file written by `dbkeeper keygen` or `age-keygen` (AGE-SECRET-KEY-1… lines)",
        zh: "请提供由 `dbkeeper keygen` 或 `age-keygen` 生成的文件（AGE-SECRET-KEY-1… 行）"
    }
    IDENTITY_MODE = "repo.identity_mode" {
        en: "the key file `{path}` can be read by other users (mode {mode})",
        zh: "私钥文件 `{path}` 可被其他用户读取（权限 {mode}）"
    }
    IDENTITY_MODE_HINT = "repo.identity_mode_hint" {
        en: "run: chmod 600 {path}",
        zh: "请执行：chmod 600 {path}"
    }
    IDENTITY_INVALID = "repo.identity_invalid" {
        en: "the key file `{path}` has a line that is not an age identity",
        zh: "私钥文件 `{path}` 中有一行不是 age 私钥"
    }
    IDENTITY_EMPTY = "repo.identity_empty" {
        en: "the key file `{path}` holds no identity",
        zh: "私钥文件 `{path}` 中没有私钥"
    }
    KEY_NEEDED = "repo.key_needed" {
        en: "this backup is encrypted (for {recipients}) and no key was given",
        zh: "该备份已加密（接收方 {recipients}），但未提供密钥"
    }
    KEY_NEEDED_HINT = "repo.key_needed_hint" {
        en: "give the private key file with --identity FILE",
        zh: "请用 --identity 文件 提供私钥文件"
    }
    WRONG_KEY = "repo.wrong_key" {
        en: "the key in {file} does not match any recipient of the repository; it was encrypted for {recipients}",
        zh: "{file} 中的密钥与仓库的任何接收方都不匹配；该备份加密给了 {recipients}"
    }
    WRONG_PASSPHRASE = "repo.wrong_passphrase" {
        en: "the passphrase does not decrypt this backup",
        zh: "该口令无法解密此备份"
    }
    WRONG_KEY_HINT = "repo.wrong_key_hint" {
        en: "use the identity whose public key has one of these fingerprints (the fingerprint is the SHA-256 of the age1… string)",
        zh: "请使用公钥指纹为上述之一的私钥（指纹即 age1… 字符串的 SHA-256）"
    }

    // Local store
    LOCAL_WRITE = "repo.local_write" {
        en: "cannot write `{path}`",
        zh: "无法写入 `{path}`"
    }
    LOCAL_WRITE_HINT = "repo.local_write_hint" {
        en: "check that the directory exists or can be created, and that dbkeeper's user may write there",
        zh: "请确认目录存在或可以创建，且运行 dbkeeper 的用户有写权限"
    }
    LOCAL_WRITE_FULL_HINT = "repo.local_write_full_hint" {
        en: "the disk is full: free space or prune old backups (`dbkeeper backups prune`)",
        zh: "磁盘已满：请释放空间或清理旧备份（`dbkeeper backups prune`）"
    }
    LOCAL_READ = "repo.local_read" {
        en: "cannot read `{path}`",
        zh: "无法读取 `{path}`"
    }
    LOCAL_READ_HINT = "repo.local_read_hint" {
        en: "check that dbkeeper's user may read the repository",
        zh: "请确认运行 dbkeeper 的用户有读取仓库的权限"
    }

    // S3 store
    S3_UNREACHABLE = "repo.s3_unreachable" {
        en: "the S3 service at {endpoint} cannot be reached (while handling `{key}`)",
        zh: "无法连接 {endpoint} 的 S3 服务（处理 `{key}` 时）"
    }
    S3_UNREACHABLE_HINT = "repo.s3_unreachable_hint" {
        en: "check the endpoint, the network and that the service is up; the backup can be run again",
        zh: "请检查 endpoint、网络以及服务是否运行；之后可重新执行备份"
    }
    S3_DENIED = "repo.s3_denied" {
        en: "S3 refused access to bucket `{bucket}` ({code})",
        zh: "S3 拒绝访问存储桶 `{bucket}`（{code}）"
    }
    S3_DENIED_HINT = "repo.s3_denied_hint" {
        en: "check the access key, the secret and the region, and that the key may read and write the bucket",
        zh: "请检查访问密钥、密钥口令和区域，并确认该密钥有读写此存储桶的权限"
    }
    S3_NO_BUCKET = "repo.s3_no_bucket" {
        en: "the bucket `{bucket}` does not exist",
        zh: "存储桶 `{bucket}` 不存在"
    }
    S3_NO_BUCKET_HINT = "repo.s3_no_bucket_hint" {
        en: "create the bucket first (dbkeeper does not create buckets), or fix its name in the URL",
        zh: "请先创建存储桶（dbkeeper 不会自动创建），或修正 URL 中的名称"
    }
    S3_NO_CREDENTIALS = "repo.s3_no_credentials" {
        en: "no S3 credentials were found",
        zh: "未找到 S3 访问凭证"
    }
    S3_NO_CREDENTIALS_HINT = "repo.s3_no_credentials_hint" {
        en: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile with ?profile=NAME, or set the repository's credentials in the config",
        zh: "请设置 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或用 ?profile=名称 指定 profile，或在配置中设置仓库凭证"
    }
    S3_REFUSED = "repo.s3_refused" {
        en: "S3 refused the request for `{key}` ({code})",
        zh: "S3 拒绝了对 `{key}` 的请求（{code}）"
    }
    S3_REFUSED_HINT = "repo.s3_refused_hint" {
        en: "see the detail; a 5xx error is the service's own trouble and worth a retry later",
        zh: "请查看详细信息；5xx 错误属服务端故障，可稍后重试"
    }
    S3_SIZE_AFTER_UPLOAD = "repo.s3_size_after_upload" {
        en: "after uploading `{key}`, S3 holds {found} bytes instead of {sent}",
        zh: "上传 `{key}` 后，S3 中为 {found} 字节而非 {sent} 字节"
    }
    S3_PART_SIZE = "repo.s3_part_size" {
        en: "an S3 part size of {size} bytes is below the minimum of 5 MiB",
        zh: "S3 分片大小 {size} 字节低于最小值 5 MiB"
    }
    S3_TOO_MANY_PARTS = "repo.s3_too_many_parts" {
        en: "object `{key}` needs more than 10000 parts of {size} bytes",
        zh: "对象 `{key}` 需要超过 10000 个 {size} 字节的分片"
    }
    S3_TOO_MANY_PARTS_HINT = "repo.s3_too_many_parts_hint" {
        en: "raise the repository's S3 part size, or split the backup into more objects",
        zh: "请调大仓库的 S3 分片大小，或把备份拆分为更多对象"
    }

    // Locks
    LOCK_HELD = "repo.lock_held" {
        en: "a {purpose} of `{target}` is already running since {since}, pid {pid}, host {host}",
        zh: "`{target}` 的 {purpose} 已在运行（开始于 {since}，进程 {pid}，主机 {host}）"
    }
    LOCK_HELD_UNKNOWN = "repo.lock_held_unknown" {
        en: "another process holds the lock of `{target}`",
        zh: "另一个进程持有 `{target}` 的锁"
    }
    LOCK_HELD_HINT = "repo.lock_held_hint" {
        en: "wait for it to end and try again; if no such process runs any more, it is taken over automatically, or remove {key}",
        zh: "请等待其结束后重试；若该进程已不存在，锁会被自动接管，也可删除 {key}"
    }
    LOCK_UNREADABLE = "repo.lock_unreadable" {
        en: "the lock `{key}` cannot be read",
        zh: "无法读取锁文件 `{key}`"
    }
    LOCK_REMOVE_HINT = "repo.lock_remove_hint" {
        en: "if no backup is running, remove {key} and try again",
        zh: "若当前没有备份在运行，请删除 {key} 后重试"
    }

    // Check findings
    FIND_MISSING = "repo.find_missing" {
        en: "missing: `{key}`",
        zh: "缺失：`{key}`"
    }
    FIND_TRUNCATED = "repo.find_truncated" {
        en: "truncated: `{key}` has {found} bytes, the manifest says {expected}",
        zh: "不完整：`{key}` 大小为 {found} 字节，清单记录为 {expected} 字节"
    }
    FIND_ALTERED = "repo.find_altered" {
        en: "altered: `{key}` does not match its SHA-256",
        zh: "被改动：`{key}` 与其 SHA-256 不符"
    }
    FIND_ORPHANED = "repo.find_orphaned" {
        en: "orphaned: `{key}` is not in its backup's manifest",
        zh: "孤立对象：`{key}` 不在其备份的清单中"
    }
    FIND_INCOMPLETE = "repo.find_incomplete" {
        en: "incomplete backup: `{key}` has no manifest ({objects} objects, {size} bytes)",
        zh: "不完整的备份：`{key}` 没有清单（{objects} 个对象，{size} 字节）"
    }
    FIND_UNREADABLE = "repo.find_unreadable" {
        en: "unreadable manifest: `{key}`: {error}",
        zh: "清单无法读取：`{key}`：{error}"
    }
    FIND_STRAY = "repo.find_stray" {
        en: "stray: `{key}` is not in any backup folder",
        zh: "游离对象：`{key}` 不属于任何备份目录"
    }
    FIND_UPLOAD = "repo.find_upload" {
        en: "interrupted upload: `{key}` (upload {upload_id})",
        zh: "中断的上传：`{key}`（上传 {upload_id}）"
    }

    // Retention reasons
    RET_PINNED = "repo.ret_pinned" {
        en: "kept: pinned (legal hold)",
        zh: "保留：已锁定（法律保留）"
    }
    RET_NEWEST = "repo.ret_newest" {
        en: "kept: newest complete backup",
        zh: "保留：最新的完整备份"
    }
    RET_LAST = "repo.ret_last" {
        en: "kept: last {n}",
        zh: "保留：最近第 {n} 个"
    }
    RET_HOURLY = "repo.ret_hourly" {
        en: "kept: hourly {period}",
        zh: "保留：每小时 {period}"
    }
    RET_DAILY = "repo.ret_daily" {
        en: "kept: daily {period}",
        zh: "保留：每日 {period}"
    }
    RET_WEEKLY = "repo.ret_weekly" {
        en: "kept: weekly {period}",
        zh: "保留：每周 {period}"
    }
    RET_MONTHLY = "repo.ret_monthly" {
        en: "kept: monthly {period}",
        zh: "保留：每月 {period}"
    }
    RET_YEARLY = "repo.ret_yearly" {
        en: "kept: yearly {period}",
        zh: "保留：每年 {period}"
    }
    RET_OLDEST_HOURLY = "repo.ret_oldest_hourly" {
        en: "kept: oldest hourly {period}",
        zh: "保留：最早的每小时备份 {period}"
    }
    RET_OLDEST_DAILY = "repo.ret_oldest_daily" {
        en: "kept: oldest daily {period}",
        zh: "保留：最早的每日备份 {period}"
    }
    RET_OLDEST_WEEKLY = "repo.ret_oldest_weekly" {
        en: "kept: oldest weekly {period}",
        zh: "保留：最早的每周备份 {period}"
    }
    RET_OLDEST_MONTHLY = "repo.ret_oldest_monthly" {
        en: "kept: oldest monthly {period}",
        zh: "保留：最早的每月备份 {period}"
    }
    RET_OLDEST_YEARLY = "repo.ret_oldest_yearly" {
        en: "kept: oldest yearly {period}",
        zh: "保留：最早的每年备份 {period}"
    }
    RET_WITHIN = "repo.ret_within" {
        en: "kept: within {within} of the newest backup",
        zh: "保留：在最新备份前 {within} 以内"
    }
    RET_NO_POLICY = "repo.ret_no_policy" {
        en: "kept: no retention policy",
        zh: "保留：未设置保留策略"
    }
    RET_INCOMPLETE_RECENT = "repo.ret_incomplete_recent" {
        en: "kept: incomplete but newer than every complete backup (may still be running)",
        zh: "保留：不完整，但比所有完整备份都新（可能仍在进行）"
    }
    RET_INCOMPLETE = "repo.ret_incomplete" {
        en: "removed: incomplete",
        zh: "删除：不完整"
    }
    RET_BEYOND = "repo.ret_beyond" {
        en: "removed: beyond every rule",
        zh: "删除：不符合任何保留规则"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
