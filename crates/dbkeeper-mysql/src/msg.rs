//! Messages of the MySQL/MariaDB crate: connections, facts, scratch instances, the sample,
//! backups and restores.

dbkeeper_core::catalogue! {
    WRONG_ENGINE = "mysql.wrong_engine" {
        en: "`{target}` is a {engine} target, not MySQL or MariaDB",
        zh: "`{target}` 是 {engine} 目标，不是 MySQL 或 MariaDB"
    }
    WRONG_ENGINE_HINT = "mysql.wrong_engine_hint" {
        en: "write MySQL and MariaDB targets as mysql://USER@HOST:PORT/DB",
        zh: "MySQL 和 MariaDB 目标请写成 mysql://用户@主机:端口/库"
    }
    UNREACHABLE = "mysql.unreachable" {
        en: "cannot reach `{target}` at {address}",
        zh: "无法连接 `{target}`（{address}）"
    }
    UNREACHABLE_HINT = "mysql.unreachable_hint" {
        en: "check that the server is running and listens on that address, and that no firewall blocks the port",
        zh: "请确认服务器正在运行并监听该地址，且端口未被防火墙拦截"
    }
    UNREACHABLE_DNS_HINT = "mysql.unreachable_dns_hint" {
        en: "the host name `{host}` could not be resolved; check its spelling and the DNS settings",
        zh: "主机名 `{host}` 无法解析；请检查拼写和 DNS 设置"
    }
    UNREACHABLE_SOCKET_HINT = "mysql.unreachable_socket_hint" {
        en: "check the socket path; the server must run on this machine (SELECT @@socket shows its path)",
        zh: "请检查套接字路径；服务器必须运行在本机上（SELECT @@socket 可查看其路径）"
    }
    TIMEOUT = "mysql.timeout" {
        en: "`{target}` at {address} did not answer within {seconds}s",
        zh: "`{target}`（{address}）在 {seconds} 秒内没有响应"
    }
    TIMEOUT_HINT = "mysql.timeout_hint" {
        en: "check the network path and the firewall, or raise connect_timeout if the server is slow to answer",
        zh: "请检查网络链路和防火墙；如服务器响应较慢，可调大 connect_timeout"
    }
    ACCESS_DENIED = "mysql.access_denied" {
        en: "the server at {address} refused the login of user `{user}` for `{target}`",
        zh: "{address} 上的服务器拒绝了用户 `{user}` 登录 `{target}`"
    }
    ACCESS_DENIED_HINT = "mysql.access_denied_hint" {
        en: "check the user name and the password: set MYSQL_PWD, or fix the target's `password:` reference in the config (now: {source})",
        zh: "请检查用户名和密码：设置环境变量 MYSQL_PWD，或修正配置中该目标的 `password:` 引用（当前：{source}）"
    }
    ACCESS_DENIED_NO_PASSWORD_HINT = "mysql.access_denied_no_password_hint" {
        en: "no password was given: set MYSQL_PWD, or give the target a `password:` reference (env, file or command) in the config",
        zh: "未提供密码：请设置环境变量 MYSQL_PWD，或在配置中为该目标设置 `password:` 引用（env、file 或 command）"
    }
    UNKNOWN_DATABASE = "mysql.unknown_database" {
        en: "the database `{database}` does not exist on `{target}`",
        zh: "`{target}` 上不存在数据库 `{database}`"
    }
    UNKNOWN_DATABASE_HINT = "mysql.unknown_database_hint" {
        en: "check the database name in the URL or the config; SHOW DATABASES lists those that exist",
        zh: "请检查 URL 或配置中的数据库名；SHOW DATABASES 可列出现有数据库"
    }
    TLS_NOT_OFFERED = "mysql.tls_not_offered" {
        en: "`{target}` at {address} does not offer TLS, but its TLS mode is {mode}",
        zh: "`{target}`（{address}）不支持 TLS，但其 TLS 模式为 {mode}"
    }
    TLS_NOT_OFFERED_HINT = "mysql.tls_not_offered_hint" {
        en: "enable TLS on the server (ssl_cert and ssl_key), or set the TLS mode to prefer or disable if the network is trusted",
        zh: "请在服务器上启用 TLS（ssl_cert 和 ssl_key）；如网络可信，也可把 TLS 模式设为 prefer 或 disable"
    }
    TLS_CERT = "mysql.tls_cert" {
        en: "the TLS certificate of `{target}` at {address} could not be verified",
        zh: "无法校验 `{target}`（{address}）的 TLS 证书"
    }
    TLS_CERT_HINT = "mysql.tls_cert_hint" {
        en: "set the target's CA file (ssl-ca) to the CA that signed the server certificate, and connect with a host name the certificate names",
        zh: "请把该目标的 CA 文件（ssl-ca）设为签发服务器证书的 CA，并使用证书中列出的主机名连接"
    }
    TLS_HANDSHAKE = "mysql.tls_handshake" {
        en: "the TLS handshake with `{target}` at {address} failed",
        zh: "与 `{target}`（{address}）的 TLS 握手失败"
    }
    TLS_HANDSHAKE_HINT = "mysql.tls_handshake_hint" {
        en: "the server may only speak TLS versions older than 1.2; upgrade its TLS settings, or use TLS mode prefer or disable on a trusted network",
        zh: "服务器可能只支持低于 1.2 的 TLS 版本；请升级其 TLS 配置，或在可信网络中使用 prefer 或 disable 模式"
    }
    CA_FILE = "mysql.ca_file" {
        en: "cannot use the CA file `{path}` of `{target}`",
        zh: "无法使用 `{target}` 的 CA 文件 `{path}`"
    }
    CA_FILE_HINT = "mysql.ca_file_hint" {
        en: "the file must exist, be readable by the user running dbkeeper, and hold PEM certificates",
        zh: "该文件必须存在、运行 dbkeeper 的用户可读，且包含 PEM 格式的证书"
    }
    CONNECT_FAILED = "mysql.connect_failed" {
        en: "cannot connect to `{target}` at {address}",
        zh: "无法连接到 `{target}`（{address}）"
    }
    CONNECT_FAILED_HINT = "mysql.connect_failed_hint" {
        en: "check the server's error log and the target's settings (user, database, TLS mode)",
        zh: "请查看服务器的错误日志，并检查该目标的设置（用户、数据库、TLS 模式）"
    }
    SERVER_BUSY_HINT = "mysql.server_busy_hint" {
        en: "the server has no free connection slots; try again later or raise max_connections",
        zh: "服务器没有空闲连接；请稍后重试，或调大 max_connections"
    }
    QUERY_FAILED = "mysql.query_failed" {
        en: "reading server facts from `{target}` failed",
        zh: "从 `{target}` 读取服务器信息失败"
    }
    QUERY_PRIVILEGE_HINT = "mysql.query_privilege_hint" {
        en: "the user `{user}` lacks a privilege; grant it PROCESS, REPLICATION CLIENT and SELECT, or connect as an administrative user",
        zh: "用户 `{user}` 缺少权限；请授予 PROCESS、REPLICATION CLIENT 和 SELECT 权限，或使用管理员用户连接"
    }
    QUERY_LOST_HINT = "mysql.query_lost_hint" {
        en: "the connection was lost; check that the server is still running",
        zh: "连接已断开；请确认服务器仍在运行"
    }
    QUERY_HINT = "mysql.query_hint" {
        en: "check the server's error log; the server's own message is shown above",
        zh: "请查看服务器错误日志；上面显示的是服务器自身的报错"
    }
    SAMPLE_EXISTS = "mysql.sample_exists" {
        en: "the database `{database}` already exists on `{target}`",
        zh: "`{target}` 上已存在数据库 `{database}`"
    }
    SAMPLE_EXISTS_HINT = "mysql.sample_exists_hint" {
        en: "load the sample into a new database name; an existing database is never overwritten",
        zh: "请把示例数据加载到一个新的数据库名下；已有数据库不会被覆盖"
    }
    SAMPLE_LOAD = "mysql.sample_load" {
        en: "loading the sample data into `{database}` on `{target}` failed",
        zh: "向 `{target}` 的数据库 `{database}` 加载示例数据失败"
    }
    SAMPLE_LOAD_HINT = "mysql.sample_load_hint" {
        en: "the user needs the CREATE, INSERT, DROP, TRIGGER, CREATE VIEW and CREATE ROUTINE privileges; a database the failed load created is dropped again",
        zh: "该用户需要 CREATE、INSERT、DROP、TRIGGER、CREATE VIEW 和 CREATE ROUTINE 权限；加载失败时，本次新建的数据库会被删除"
    }
    SCRATCH_NO_PROGRAM = "mysql.scratch_no_program" {
        en: "cannot find {program} to start a scratch MariaDB/MySQL instance",
        zh: "找不到 {program}，无法启动临时 MariaDB/MySQL 实例"
    }
    SCRATCH_NO_PROGRAM_HINT = "mysql.scratch_no_program_hint" {
        en: "install the server: apt-get install mariadb-server (it is looked for on PATH, in /usr/sbin, /usr/bin and /usr/local/mysql/bin)",
        zh: "请安装服务器：apt-get install mariadb-server（会在 PATH、/usr/sbin、/usr/bin 和 /usr/local/mysql/bin 中查找）"
    }
    SCRATCH_DIR = "mysql.scratch_dir" {
        en: "cannot prepare the scratch directory `{path}`",
        zh: "无法准备临时目录 `{path}`"
    }
    SCRATCH_DIR_HINT = "mysql.scratch_dir_hint" {
        en: "check free space and permissions of the temporary directory (TMPDIR)",
        zh: "请检查临时目录（TMPDIR）的剩余空间和权限"
    }
    SCRATCH_TLS_FILE = "mysql.scratch_tls_file" {
        en: "cannot read the TLS file `{path}` for a scratch instance",
        zh: "无法读取临时实例所需的 TLS 文件 `{path}`"
    }
    SCRATCH_TLS_FILE_HINT = "mysql.scratch_tls_file_hint" {
        en: "give a PEM certificate and its private key that the user running dbkeeper can read",
        zh: "请提供运行 dbkeeper 的用户可读取的 PEM 证书及其私钥"
    }
    SCRATCH_SETTING = "mysql.scratch_setting" {
        en: "`{name}` is not a valid server option name for a scratch instance",
        zh: "`{name}` 不是临时实例可用的服务器参数名"
    }
    SCRATCH_SETTING_HINT = "mysql.scratch_setting_hint" {
        en: "use option names as in my.cnf, made of letters, digits, `_` and `-` (for example innodb_buffer_pool_size)",
        zh: "请使用 my.cnf 中的参数名，只能由字母、数字、`_` 和 `-` 组成（例如 innodb_buffer_pool_size）"
    }
    SCRATCH_INIT = "mysql.scratch_init" {
        en: "{program} could not initialise the scratch data directory `{path}` ({status})",
        zh: "{program} 无法初始化临时数据目录 `{path}`（{status}）"
    }
    SCRATCH_INIT_HINT = "mysql.scratch_init_hint" {
        en: "its output is shown above; check free space in the temporary directory and that the server package is complete",
        zh: "上面是它的输出；请检查临时目录的剩余空间，以及服务器软件包是否完整"
    }
    SCRATCH_START = "mysql.scratch_start" {
        en: "the scratch server {program} did not start: {reason}",
        zh: "临时服务器 {program} 未能启动：{reason}"
    }
    SCRATCH_START_HINT = "mysql.scratch_start_hint" {
        en: "the end of its error log is shown above; a setting the server does not know is the usual cause",
        zh: "上面是其错误日志的末尾；最常见的原因是服务器不认识的参数"
    }
    TOOL_MISSING = "mysql.tool_missing" {
        en: "cannot find {program} on this machine",
        zh: "在本机上找不到 {program}"
    }
    TOOL_MISSING_HINT = "mysql.tool_missing_hint" {
        en: "install it: apt-get install {package} (it is looked for in /usr/bin, /usr/local/mysql/bin and on PATH)",
        zh: "请安装：apt-get install {package}（会在 /usr/bin、/usr/local/mysql/bin 和 PATH 中查找）"
    }
    TOOL_START = "mysql.tool_start" {
        en: "cannot run {program}",
        zh: "无法运行 {program}"
    }
    TOOL_FAILED = "mysql.tool_failed" {
        en: "{program} failed ({status})",
        zh: "{program} 执行失败（{status}）"
    }
    TOOL_FAILED_HINT = "mysql.tool_failed_hint" {
        en: "its last output is shown above; it usually names the statement, object or privilege at fault",
        zh: "上面是它最后的输出，通常会指出出错的语句、对象或权限"
    }
    TOOL_OUTPUT = "mysql.tool_output" {
        en: "reading the output for the backup object `{object}` failed",
        zh: "读取备份对象 `{object}` 的输出失败"
    }
    OPTION_FILE = "mysql.option_file" {
        en: "cannot write a private option file for the client programs in `{path}`",
        zh: "无法在 `{path}` 中为客户端程序写入私有配置文件"
    }
    OPTION_FILE_HINT = "mysql.option_file_hint" {
        en: "check free space and permissions of the temporary directory (TMPDIR); the password is passed only through this 0600 file",
        zh: "请检查临时目录（TMPDIR）的剩余空间和权限；密码只通过这个 0600 权限的文件传递"
    }
    OBJECT_READ = "mysql.object_read" {
        en: "the backup object `{object}` could not be read completely",
        zh: "无法完整读取备份对象 `{object}`"
    }
    OBJECT_READ_HINT = "mysql.object_read_hint" {
        en: "the backup is damaged or incomplete; check it with `dbkeeper backups check --read-data` and restore another backup",
        zh: "该备份已损坏或不完整；请用 `dbkeeper backups check --read-data` 检查，并改用其他备份恢复"
    }
    SQL_FAILED = "mysql.sql_failed" {
        en: "{what} on `{target}` failed",
        zh: "在 `{target}` 上执行 {what} 失败"
    }
    DUMP_PRIVILEGE_HINT = "mysql.dump_privilege_hint" {
        en: "the user `{user}` lacks a privilege; a backup needs SELECT, SHOW VIEW, TRIGGER, EVENT, PROCESS, RELOAD and REPLICATION CLIENT (BINLOG MONITOR on MariaDB), a restore needs ALL on the database",
        zh: "用户 `{user}` 缺少权限；备份需要 SELECT、SHOW VIEW、TRIGGER、EVENT、PROCESS、RELOAD 和 REPLICATION CLIENT（MariaDB 上为 BINLOG MONITOR）权限，恢复需要该数据库的 ALL 权限"
    }
    BACKUP_LOCK = "mysql.backup_lock" {
        en: "cannot take the backup lock ({method}) on `{target}`",
        zh: "无法在 `{target}` 上获取备份锁（{method}）"
    }
    BACKUP_LOCK_HINT = "mysql.backup_lock_hint" {
        en: "a long-running statement or DDL held it for more than {seconds}s; run the backup again when it has finished (SHOW PROCESSLIST shows it)",
        zh: "有长时间运行的语句或 DDL 占用超过 {seconds} 秒；请等其结束后重新备份（SHOW PROCESSLIST 可查看）"
    }
    BACKUP_LOCK_PRIVILEGE_HINT = "mysql.backup_lock_privilege_hint" {
        en: "the user `{user}` needs the RELOAD privilege to stop commits for the moment the snapshot starts",
        zh: "用户 `{user}` 需要 RELOAD 权限，才能在快照开始的瞬间暂停提交"
    }
    TABLE_READ = "mysql.table_read" {
        en: "reading the rows of `{database}`.`{table}` from `{target}` failed",
        zh: "从 `{target}` 读取 `{database}`.`{table}` 的数据失败"
    }
    TABLE_READ_CHANGED_HINT = "mysql.table_read_changed_hint" {
        en: "the table was altered or truncated while the backup ran; run the backup again",
        zh: "备份期间该表被修改结构或清空；请重新备份"
    }
    LOAD_FAILED = "mysql.load_failed" {
        en: "loading the rows of `{database}`.`{table}` into `{target}` failed",
        zh: "向 `{target}` 加载 `{database}`.`{table}` 的数据失败"
    }
    BINLOG_OFF_DENIED = "mysql.binlog_off_denied" {
        en: "cannot turn off binary logging for the restore on `{target}`",
        zh: "无法在 `{target}` 上为本次还原关闭二进制日志"
    }
    BINLOG_OFF_DENIED_HINT = "mysql.binlog_off_denied_hint" {
        en: "`{user}` needs the BINLOG ADMIN privilege (MariaDB 10.5.2 and later; SUPER before it; SYSTEM_VARIABLES_ADMIN on MySQL 8), or restore with --binlog auto or --binlog on",
        zh: "`{user}` 需要 BINLOG ADMIN 权限（MariaDB 10.5.2 及以后；之前为 SUPER；MySQL 8 为 SYSTEM_VARIABLES_ADMIN），或改用 --binlog auto 或 --binlog on 还原"
    }
    LOAD_FAILED_HINT = "mysql.load_failed_hint" {
        en: "the server's message is shown above; the table's rows were rolled back",
        zh: "上面是服务器的报错；该表已加载的数据已回滚"
    }
    LOAD_LOCAL_INFILE_HINT = "mysql.load_local_infile_hint" {
        en: "the server refuses LOAD DATA LOCAL; enable it with SET GLOBAL local_infile = 1 (and local_infile = ON in my.cnf)",
        zh: "服务器拒绝 LOAD DATA LOCAL；请执行 SET GLOBAL local_infile = 1 启用（并在 my.cnf 中设置 local_infile = ON）"
    }
    LOAD_WARNINGS = "mysql.load_warnings" {
        en: "loading `{database}`.`{table}` changed data on the way in ({count} warnings)",
        zh: "加载 `{database}`.`{table}` 时数据被改变（{count} 条警告）"
    }
    LOAD_WARNINGS_HINT = "mysql.load_warnings_hint" {
        en: "the first warnings are shown above; the destination's table definition or server version differs from the backup's; the table's rows were rolled back",
        zh: "上面是前几条警告；目标表的定义或服务器版本与备份不同；该表已加载的数据已回滚"
    }
    ROWS_MISMATCH = "mysql.rows_mismatch" {
        en: "`{database}`.`{table}` received {loaded} rows, but the backup holds {expected}",
        zh: "`{database}`.`{table}` 加载了 {loaded} 行，但备份中应有 {expected} 行"
    }
    RESTORE_NOT_EMPTY = "mysql.restore_not_empty" {
        en: "the database `{database}` on `{target}` already holds {count} tables, views, routines or events",
        zh: "`{target}` 上的数据库 `{database}` 已包含 {count} 个表、视图、存储过程或事件"
    }
    RESTORE_NOT_EMPTY_HINT = "mysql.restore_not_empty_hint" {
        en: "restore into another database name (--database), or add --force to drop it and restore over it",
        zh: "请恢复到另一个数据库名（--database），或加上 --force 删除它并覆盖恢复"
    }
    RESTORE_INCOMPLETE = "mysql.restore_incomplete" {
        en: "the database `{database}` on `{target}` is left incomplete and must not be used",
        zh: "`{target}` 上的数据库 `{database}` 未恢复完整，不可使用"
    }
    RESTORE_INCOMPLETE_HINT = "mysql.restore_incomplete_hint" {
        en: "fix the cause above, then restore again with --force (it drops the incomplete database first)",
        zh: "请先排除上述原因，再加上 --force 重新恢复（会先删除这个不完整的数据库）"
    }
    RESTORE_NO_DATABASE = "mysql.restore_no_database" {
        en: "the backup holds no database `{database}`",
        zh: "备份中没有数据库 `{database}`"
    }
    RESTORE_NO_DATABASE_HINT = "mysql.restore_no_database_hint" {
        en: "it holds: {list}",
        zh: "备份中的数据库有：{list}"
    }
    RESTORE_INTO_MANY = "mysql.restore_into_many" {
        en: "cannot restore {count} databases into the one name `{into}`",
        zh: "无法把 {count} 个数据库恢复到同一个名字 `{into}` 下"
    }
    RESTORE_INTO_MANY_HINT = "mysql.restore_into_many_hint" {
        en: "name the one database of the backup to restore under a new name, or restore all under their own names",
        zh: "请指定要以新名字恢复的那一个数据库，或让所有数据库按原名恢复"
    }
    TOC_INVALID = "mysql.toc_invalid" {
        en: "the backup's table of contents `{object}` is not valid",
        zh: "备份的目录文件 `{object}` 无效"
    }
    TOC_VERSION = "mysql.toc_version" {
        en: "the backup's format is {format}, this dbkeeper reads {expected}",
        zh: "备份的格式为 {format}，当前 dbkeeper 只能读取 {expected}"
    }
    TOC_VERSION_HINT = "mysql.toc_version_hint" {
        en: "restore it with the dbkeeper version that made it, or a newer one",
        zh: "请使用创建该备份的 dbkeeper 版本或更新版本来恢复"
    }
    TOC_MISMATCH = "mysql.toc_mismatch" {
        en: "the manifest and the backup's table of contents disagree on `{database}`.`{table}` ({manifest} rows against {toc})",
        zh: "清单与备份目录对 `{database}`.`{table}` 的记录不一致（{manifest} 行对 {toc} 行）"
    }
    TOC_TABLES = "mysql.toc_tables" {
        en: "the manifest lists {manifest} tables, the backup's table of contents {toc}",
        zh: "清单中有 {manifest} 个表，而备份目录中有 {toc} 个表"
    }
    PHYSICAL_NOT_LOCAL = "mysql.physical_not_local" {
        en: "a physical backup of `{target}` must run on the database host (mariabackup reads the data files itself)",
        zh: "`{target}` 的物理备份必须在数据库主机上运行（mariabackup 需要直接读取数据文件）"
    }
    PHYSICAL_NOT_LOCAL_HINT = "mysql.physical_not_local_hint" {
        en: "run dbkeeper on the database server (as root or the mysql user) and connect through 127.0.0.1 or the socket, or make a logical backup (--kind logical)",
        zh: "请在数据库服务器上（以 root 或 mysql 用户）运行 dbkeeper，并通过 127.0.0.1 或套接字连接；或改做逻辑备份（--kind logical）"
    }
    PHYSICAL_DIR_NOT_EMPTY = "mysql.physical_dir_not_empty" {
        en: "the directory `{path}` is not empty",
        zh: "目录 `{path}` 不是空的"
    }
    PHYSICAL_DIR_NOT_EMPTY_HINT = "mysql.physical_dir_not_empty_hint" {
        en: "give a new or empty directory; a physical restore never writes over existing files",
        zh: "请指定一个新的或空的目录；物理恢复绝不会覆盖已有文件"
    }
    PHYSICAL_DIR = "mysql.physical_dir" {
        en: "cannot use the directory `{path}` for a physical restore",
        zh: "无法使用目录 `{path}` 进行物理恢复"
    }
    PHYSICAL_DIR_HINT = "mysql.physical_dir_hint" {
        en: "check that its parent exists, free space and permissions",
        zh: "请检查其上级目录是否存在，以及剩余空间和权限"
    }
    PHYSICAL_NO_STREAM = "mysql.physical_no_stream" {
        en: "the backup holds no physical stream `{object}`",
        zh: "备份中没有物理备份流 `{object}`"
    }
    PHYSICAL_NO_STREAM_HINT = "mysql.physical_no_stream_hint" {
        en: "this is not a physical MariaDB backup; restore a logical backup with `dbkeeper restore`",
        zh: "这不是 MariaDB 物理备份；逻辑备份请用 `dbkeeper restore` 恢复"
    }
    SCRATCH_FROM_DIR = "mysql.scratch_from_dir" {
        en: "`{path}` is not a prepared MariaDB/MySQL data directory",
        zh: "`{path}` 不是已准备好的 MariaDB/MySQL 数据目录"
    }
    SCRATCH_FROM_DIR_HINT = "mysql.scratch_from_dir_hint" {
        en: "restore a physical backup into it first (it must hold the mysql schema and InnoDB's system files, prepared)",
        zh: "请先把物理备份恢复到该目录（其中须有 mysql 系统库和已 prepare 的 InnoDB 系统文件）"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
