//! Messages of the PostgreSQL engine, in English and Simplified Chinese.

dbkeeper_core::catalogue! {
    CONNECT_UNREACHABLE = "pg.connect_unreachable" {
        en: "cannot reach the PostgreSQL server `{target}` at {address}",
        zh: "无法连接 PostgreSQL 服务器 `{target}`（{address}）"
    }
    CONNECT_UNREACHABLE_HINT = "pg.connect_unreachable_hint" {
        en: "check that the server is running and listens on that address (listen_addresses and port in postgresql.conf), and that no firewall is in the way",
        zh: "请确认服务器正在运行并监听该地址（postgresql.conf 中的 listen_addresses 和 port），且没有防火墙拦截"
    }
    CONNECT_DNS = "pg.connect_dns" {
        en: "cannot resolve the host name `{host}` of `{target}`",
        zh: "无法解析 `{target}` 的主机名 `{host}`"
    }
    CONNECT_DNS_HINT = "pg.connect_dns_hint" {
        en: "check the host name in the target's URL or config, or use the server's IP address",
        zh: "请检查目标 URL 或配置中的主机名，或改用服务器的 IP 地址"
    }
    CONNECT_TIMEOUT = "pg.connect_timeout" {
        en: "connecting to `{target}` at {address} timed out after {seconds}s",
        zh: "连接 `{target}`（{address}）超时（{seconds} 秒）"
    }
    CONNECT_TIMEOUT_HINT = "pg.connect_timeout_hint" {
        en: "check the network path and firewall to the server, or raise connect_timeout in the target's URL",
        zh: "请检查到服务器的网络和防火墙，或在目标 URL 中调大 connect_timeout"
    }
    CONNECT_BUSY = "pg.connect_busy" {
        en: "the PostgreSQL server `{target}` at {address} does not accept connections now",
        zh: "PostgreSQL 服务器 `{target}`（{address}）当前不接受连接"
    }
    CONNECT_BUSY_HINT = "pg.connect_busy_hint" {
        en: "the server is starting, shutting down or out of connection slots; try again shortly, or raise max_connections",
        zh: "服务器正在启动、关闭或连接数已满；请稍后重试，或调大 max_connections"
    }
    CONNECT_FAILED = "pg.connect_failed" {
        en: "cannot connect to the PostgreSQL server `{target}` at {address}",
        zh: "无法连接到 PostgreSQL 服务器 `{target}`（{address}）"
    }
    CONNECT_FAILED_HINT = "pg.connect_failed_hint" {
        en: "the server's own words follow the message; check the target's settings against the server's log",
        zh: "消息后附有服务器的原始说明；请对照服务器日志检查目标的设置"
    }
    AUTH_FAILED = "pg.auth_failed" {
        en: "the PostgreSQL server `{target}` refused user `{user}`",
        zh: "PostgreSQL 服务器 `{target}` 拒绝了用户 `{user}` 的登录"
    }
    AUTH_FAILED_HINT = "pg.auth_failed_hint" {
        en: "check the password from {source} (PGPASSWORD, or the target's `password:` reference in the config), and that pg_hba.conf allows this user from this host",
        zh: "请检查来自 {source} 的密码（PGPASSWORD，或配置中该目标的 `password:` 引用），并确认 pg_hba.conf 允许该用户从本机登录"
    }
    AUTH_NO_PASSWORD_HINT = "pg.auth_no_password_hint" {
        en: "no password was given: set PGPASSWORD, or give the target a `password:` reference (env, file or command) in the config; also check that pg_hba.conf allows this user from this host",
        zh: "未提供密码：请设置 PGPASSWORD，或在配置中为该目标设置 `password:` 引用（env、file 或 command）；并确认 pg_hba.conf 允许该用户从本机登录"
    }
    PASSWORD_MISSING = "pg.password_missing" {
        en: "the PostgreSQL server `{target}` asks for a password for user `{user}`, but none was given",
        zh: "PostgreSQL 服务器 `{target}` 要求用户 `{user}` 提供密码，但未提供"
    }
    PASSWORD_MISSING_HINT = "pg.password_missing_hint" {
        en: "set PGPASSWORD, or give the target a `password:` reference (env, file or command) in the config",
        zh: "请设置 PGPASSWORD，或在配置中为该目标设置 `password:` 引用（env、file 或 command）"
    }
    DATABASE_MISSING = "pg.database_missing" {
        en: "database `{database}` does not exist on `{target}`",
        zh: "`{target}` 上不存在数据库 `{database}`"
    }
    DATABASE_MISSING_HINT = "pg.database_missing_hint" {
        en: "check the database name in the target's URL path or config; the `postgres` database always exists",
        zh: "请检查目标 URL 路径或配置中的数据库名；`postgres` 数据库总是存在"
    }
    TLS_NOT_SUPPORTED = "pg.tls_not_supported" {
        en: "the PostgreSQL server `{target}` at {address} does not support TLS, but the TLS mode is `{mode}`",
        zh: "PostgreSQL 服务器 `{target}`（{address}）不支持 TLS，但 TLS 模式为 `{mode}`"
    }
    TLS_NOT_SUPPORTED_HINT = "pg.tls_not_supported_hint" {
        en: "enable ssl on the server (ssl = on with a certificate and key), or use sslmode=prefer or sslmode=disable if an unencrypted connection is acceptable",
        zh: "请在服务器上启用 ssl（ssl = on 并配置证书和私钥）；如果可以接受不加密的连接，请改用 sslmode=prefer 或 sslmode=disable"
    }
    TLS_CERT = "pg.tls_cert" {
        en: "the TLS certificate of `{target}` at {address} could not be verified",
        zh: "无法验证 `{target}`（{address}）的 TLS 证书"
    }
    TLS_CERT_HINT = "pg.tls_cert_hint" {
        en: "give the CA that signed the server's certificate with sslrootcert (the target's CA file), and connect with a host name the certificate names",
        zh: "请用 sslrootcert（目标的 CA 文件）指定签发服务器证书的 CA，并使用证书中列出的主机名连接"
    }
    TLS_HANDSHAKE = "pg.tls_handshake" {
        en: "the TLS handshake with `{target}` at {address} failed",
        zh: "与 `{target}`（{address}）的 TLS 握手失败"
    }
    TLS_HANDSHAKE_HINT = "pg.tls_handshake_hint" {
        en: "check the server's TLS settings (ssl_min_protocol_version, ssl_ciphers, certificate and key); dbkeeper needs TLS 1.2 or newer",
        zh: "请检查服务器的 TLS 设置（ssl_min_protocol_version、ssl_ciphers、证书和私钥）；dbkeeper 需要 TLS 1.2 或更高版本"
    }
    TLS_CA_FILE = "pg.tls_ca_file" {
        en: "cannot use the CA file `{path}` of `{target}`",
        zh: "无法使用 `{target}` 的 CA 文件 `{path}`"
    }
    TLS_CA_FILE_HINT = "pg.tls_ca_file_hint" {
        en: "check the path and permissions; it must be a PEM file with one or more CERTIFICATE blocks",
        zh: "请检查路径和权限；该文件必须是包含一个或多个 CERTIFICATE 块的 PEM 文件"
    }
    TLS_SETUP = "pg.tls_setup" {
        en: "cannot set up TLS for `{target}`",
        zh: "无法为 `{target}` 建立 TLS 设置"
    }
    QUERY_FAILED = "pg.query_failed" {
        en: "a query on `{target}` failed while reading {what}",
        zh: "读取 {what} 时，在 `{target}` 上执行查询失败"
    }
    QUERY_FAILED_HINT = "pg.query_failed_hint" {
        en: "the server's own words follow the message; check that the user may read the system catalogs",
        zh: "消息后附有服务器的原始说明；请确认该用户有权读取系统目录"
    }
    CONNECTION_LOST = "pg.connection_lost" {
        en: "the connection to `{target}` was lost while reading {what}",
        zh: "读取 {what} 时与 `{target}` 的连接中断"
    }
    CONNECTION_LOST_HINT = "pg.connection_lost_hint" {
        en: "the server may have restarted or a network device closed the connection; try again",
        zh: "服务器可能已重启，或网络设备关闭了连接；请重试"
    }
    SCRATCH_NOT_INSTALLED = "pg.scratch_not_installed" {
        en: "the PostgreSQL server programs (initdb and postgres) were not found",
        zh: "未找到 PostgreSQL 服务器程序（initdb 和 postgres）"
    }
    SCRATCH_NOT_INSTALLED_HINT = "pg.scratch_not_installed_hint" {
        en: "install them: apt-get install postgresql (Debian and Ubuntu), or put their directory on PATH",
        zh: "请安装：apt-get install postgresql（Debian 和 Ubuntu），或把它们所在的目录加入 PATH"
    }
    SCRATCH_VERSION_MISSING = "pg.scratch_version_missing" {
        en: "PostgreSQL {version} is not installed (installed: {found})",
        zh: "未安装 PostgreSQL {version}（已安装：{found}）"
    }
    SCRATCH_VERSION_MISSING_HINT = "pg.scratch_version_missing_hint" {
        en: "install it: apt-get install postgresql-{version}, or ask for an installed version",
        zh: "请安装：apt-get install postgresql-{version}，或改用已安装的版本"
    }
    SCRATCH_NO_USER = "pg.scratch_no_user" {
        en: "PostgreSQL refuses to run as root, and there is no `postgres` user to run the scratch server as",
        zh: "PostgreSQL 拒绝以 root 身份运行，且系统中没有可用于运行临时服务器的 `postgres` 用户"
    }
    SCRATCH_NO_USER_HINT = "pg.scratch_no_user_hint" {
        en: "create that user (apt-get install postgresql creates it), or run dbkeeper as an ordinary user",
        zh: "请创建该用户（apt-get install postgresql 会自动创建），或以普通用户身份运行 dbkeeper"
    }
    SCRATCH_DIR = "pg.scratch_dir" {
        en: "cannot prepare the scratch directory `{path}`",
        zh: "无法准备临时目录 `{path}`"
    }
    SCRATCH_DIR_HINT = "pg.scratch_dir_hint" {
        en: "check free space and permissions of the temporary directory (TMPDIR)",
        zh: "请检查临时目录（TMPDIR）的剩余空间和权限"
    }
    SCRATCH_TLS_FILES = "pg.scratch_tls_files" {
        en: "cannot install the TLS file `{path}` into the scratch server",
        zh: "无法把 TLS 文件 `{path}` 安装到临时服务器"
    }
    SCRATCH_TLS_FILES_HINT = "pg.scratch_tls_files_hint" {
        en: "check that the certificate and key files exist and are readable",
        zh: "请确认证书和私钥文件存在且可读"
    }
    SCRATCH_INITDB = "pg.scratch_initdb" {
        en: "initdb failed for the scratch PostgreSQL in `{path}`",
        zh: "临时 PostgreSQL 在 `{path}` 中执行 initdb 失败"
    }
    SCRATCH_INITDB_HINT = "pg.scratch_initdb_hint" {
        en: "initdb's own words follow the message; check free space in TMPDIR",
        zh: "消息后附有 initdb 的原始输出；请检查 TMPDIR 的剩余空间"
    }
    SCRATCH_START = "pg.scratch_start" {
        en: "the scratch PostgreSQL server did not start",
        zh: "临时 PostgreSQL 服务器未能启动"
    }
    SCRATCH_START_HINT = "pg.scratch_start_hint" {
        en: "the server's log follows the message; check free memory and the shared-memory limits",
        zh: "消息后附有服务器日志；请检查可用内存和共享内存限制"
    }
    SCRATCH_NOT_DATA_DIR = "pg.scratch_not_data_dir" {
        en: "`{path}` is not a PostgreSQL data directory that can be started",
        zh: "`{path}` 不是可启动的 PostgreSQL 数据目录"
    }
    SCRATCH_NOT_DATA_DIR_HINT = "pg.scratch_not_data_dir_hint" {
        en: "restore a physical backup into it first; the details follow the message",
        zh: "请先把物理备份还原到该目录；详情见消息后的说明"
    }
    PHYS_NO_REPLICATION = "pg.phys_no_replication" {
        en: "user `{user}` may not make a physical backup of `{target}`: it has neither the REPLICATION attribute nor superuser",
        zh: "用户 `{user}` 无权对 `{target}` 做物理备份：它既没有 REPLICATION 属性，也不是超级用户"
    }
    PHYS_NO_REPLICATION_HINT = "pg.phys_no_replication_hint" {
        en: "run ALTER ROLE {user} REPLICATION as a superuser, and allow it in pg_hba.conf with a `replication` line; or make a logical backup",
        zh: "请由超级用户执行 ALTER ROLE {user} REPLICATION，并在 pg_hba.conf 中为其添加 `replication` 行；或改做逻辑备份"
    }
    PHYS_TABLESPACES = "pg.phys_tablespaces" {
        en: "`{target}` has {count} tablespaces outside its data directory; a streamed physical backup of such a cluster is not supported yet",
        zh: "`{target}` 有 {count} 个位于数据目录之外的表空间；目前尚不支持对这类集群做流式物理备份"
    }
    PHYS_TABLESPACES_HINT = "pg.phys_tablespaces_hint" {
        en: "make a logical backup (--kind logical) of this server",
        zh: "请对该服务器做逻辑备份（--kind logical）"
    }
    PHYS_BASEBACKUP = "pg.phys_basebackup" {
        en: "pg_basebackup failed for `{target}`",
        zh: "对 `{target}` 执行 pg_basebackup 失败"
    }
    PHYS_BASEBACKUP_HINT = "pg.phys_basebackup_hint" {
        en: "pg_basebackup's own words follow the message; it needs a `replication` line in pg_hba.conf for this user and host, and a free WAL sender (max_wal_senders)",
        zh: "消息后附有 pg_basebackup 的原始输出；它需要 pg_hba.conf 中为该用户和主机配置 `replication` 行，并有空闲的 WAL 发送进程（max_wal_senders）"
    }
    PHYS_NO_BASE = "pg.phys_no_base" {
        en: "the backup has no `base.tar`; it is not a physical PostgreSQL backup made by dbkeeper",
        zh: "该备份中没有 `base.tar`，不是 dbkeeper 生成的 PostgreSQL 物理备份"
    }
    PHYS_TAR = "pg.phys_tar" {
        en: "the base backup archive `{object}` is malformed",
        zh: "基础备份归档 `{object}` 格式错误"
    }
    PHYS_DIR_NOT_EMPTY = "pg.phys_dir_not_empty" {
        en: "the directory `{path}` is not empty; a physical restore needs an empty or new directory",
        zh: "目录 `{path}` 不为空；物理还原需要一个空目录或新目录"
    }
    PHYS_DIR_NOT_EMPTY_HINT = "pg.phys_dir_not_empty_hint" {
        en: "give a new directory, or empty this one after making sure nothing in it is needed",
        zh: "请指定一个新目录，或在确认其中内容不再需要后清空该目录"
    }
    PHYS_DIR = "pg.phys_dir" {
        en: "cannot write the restored data directory at `{path}`",
        zh: "无法写入还原的数据目录 `{path}`"
    }
    PHYS_DIR_HINT = "pg.phys_dir_hint" {
        en: "check free space and permissions there",
        zh: "请检查该位置的剩余空间和权限"
    }
    PHYS_VERIFY = "pg.phys_verify" {
        en: "the restored data directory `{path}` does not match the backup's manifest",
        zh: "还原的数据目录 `{path}` 与备份清单不符"
    }
    SAMPLE_CREATE_DB = "pg.sample_create_db" {
        en: "cannot create the sample database `{database}` on `{target}`",
        zh: "无法在 `{target}` 上创建示例数据库 `{database}`"
    }
    SAMPLE_CREATE_DB_HINT = "pg.sample_create_db_hint" {
        en: "the user needs the CREATEDB privilege, and the server must support UTF8 databases",
        zh: "该用户需要 CREATEDB 权限，且服务器需支持 UTF8 编码的数据库"
    }
    SAMPLE_EXISTS = "pg.sample_exists" {
        en: "database `{database}` on `{target}` already holds the table `{table}`",
        zh: "`{target}` 上的数据库 `{database}` 中已有表 `{table}`"
    }
    SAMPLE_EXISTS_HINT = "pg.sample_exists_hint" {
        en: "load the sample into another database, or drop this one first if it holds nothing of value",
        zh: "请把示例数据加载到另一个数据库；如果该库没有需要保留的数据，可先删除它"
    }
    SAMPLE_LOAD = "pg.sample_load" {
        en: "loading the sample into database `{database}` on `{target}` failed",
        zh: "向 `{target}` 的数据库 `{database}` 加载示例数据失败"
    }
    SAMPLE_LOAD_HINT = "pg.sample_load_hint" {
        en: "the server's own words follow the message; the load ran in one transaction, so nothing was left half done",
        zh: "消息后附有服务器的原始说明；加载在单个事务中进行，不会留下不完整的数据"
    }
    TOOL_MISSING = "pg.tool_missing" {
        en: "`{program}` for PostgreSQL {major} or newer was not found",
        zh: "未找到适用于 PostgreSQL {major} 或更高版本的 `{program}`"
    }
    TOOL_MISSING_HINT = "pg.tool_missing_hint" {
        en: "install the client programs of that version (apt-get install postgresql-client-{major}), or set {env} to the directory that holds them",
        zh: "请安装该版本的客户端程序（apt-get install postgresql-client-{major}），或把 {env} 设为它们所在的目录"
    }
    TOOL_START = "pg.tool_start" {
        en: "cannot run `{program}`",
        zh: "无法运行 `{program}`"
    }
    TOOL_START_HINT = "pg.tool_start_hint" {
        en: "check that the program exists and is executable by this user",
        zh: "请确认该程序存在，且当前用户有执行权限"
    }
    OBJECT_READ = "pg.object_read" {
        en: "reading the backup object `{object}` failed",
        zh: "读取备份对象 `{object}` 失败"
    }
    OBJECT_READ_HINT = "pg.object_read_hint" {
        en: "the backup is damaged or incomplete; run `dbkeeper backups check --read-data` on it, and restore another backup",
        zh: "该备份已损坏或不完整；请对它运行 `dbkeeper backups check --read-data`，并改用其他备份还原"
    }
    LO_CORRUPT = "pg.lo_corrupt" {
        en: "the large-object stream `{object}` is malformed at byte {offset}",
        zh: "大对象数据流 `{object}` 在第 {offset} 字节处格式错误"
    }
    DUMP_DATABASE_MISSING = "pg.dump_database_missing" {
        en: "database `{database}` does not exist on `{target}` (or does not accept connections)",
        zh: "`{target}` 上不存在数据库 `{database}`（或该库不接受连接）"
    }
    DUMP_DATABASE_MISSING_HINT = "pg.dump_database_missing_hint" {
        en: "check the database names of the backup; the server has: {found}",
        zh: "请检查要备份的数据库名；服务器上现有：{found}"
    }
    DUMP_TOOL_FAILED = "pg.dump_tool_failed" {
        en: "`{program}` failed while dumping `{object}` from `{target}`",
        zh: "`{program}` 在从 `{target}` 导出 `{object}` 时失败"
    }
    DUMP_TOOL_FAILED_HINT = "pg.dump_tool_failed_hint" {
        en: "{program}'s own words follow the message; check that the user may read every object of the database (a superuser or the owner of everything)",
        zh: "消息后附有 {program} 的原始输出；请确认该用户有权读取数据库中的所有对象（超级用户或全部对象的属主）"
    }
    DUMP_TABLE = "pg.dump_table" {
        en: "copying the rows of table {table} from `{target}` failed",
        zh: "从 `{target}` 复制表 {table} 的数据失败"
    }
    DUMP_TABLE_HINT = "pg.dump_table_hint" {
        en: "the server's own words follow the message; a row-level security policy needs a user that bypasses it (a superuser or BYPASSRLS)",
        zh: "消息后附有服务器的原始说明；若表有行级安全策略，需要能绕过它的用户（超级用户或具有 BYPASSRLS 属性）"
    }
    RESTORE_NOT_OURS = "pg.restore_not_ours" {
        en: "the backup is not a PostgreSQL logical backup made by dbkeeper, or its table of contents is missing",
        zh: "该备份不是 dbkeeper 生成的 PostgreSQL 逻辑备份，或缺少其目录文件"
    }
    RESTORE_NOT_OURS_HINT = "pg.restore_not_ours_hint" {
        en: "check the backup id and its kind with `dbkeeper backups show`; a physical backup is restored into a data directory instead",
        zh: "请用 `dbkeeper backups show` 检查备份 ID 及其类型；物理备份应还原到数据目录"
    }
    RESTORE_TOC = "pg.restore_toc" {
        en: "the backup object `{object}` cannot be read as what it should be",
        zh: "备份对象 `{object}` 的内容无法按预期格式读取"
    }
    RESTORE_NO_SUCH_DB = "pg.restore_no_such_db" {
        en: "database `{database}` is not in the backup (it holds: {found})",
        zh: "备份中没有数据库 `{database}`（备份包含：{found}）"
    }
    RESTORE_NO_SUCH_DB_HINT = "pg.restore_no_such_db_hint" {
        en: "name one of the backup's databases, or leave the database out to restore all of them",
        zh: "请指定备份中的某个数据库，或不指定以还原全部数据库"
    }
    RESTORE_AMBIGUOUS = "pg.restore_ambiguous" {
        en: "the backup holds {count} databases ({found}); a new name can be given to only one of them",
        zh: "该备份包含 {count} 个数据库（{found}）；新名称只能用于其中一个"
    }
    RESTORE_AMBIGUOUS_HINT = "pg.restore_ambiguous_hint" {
        en: "choose the database of the backup to restore under the new name",
        zh: "请指定要以新名称还原的备份中的数据库"
    }
    RESTORE_NOT_EMPTY = "pg.restore_not_empty" {
        en: "database `{database}` on `{target}` already holds {count} tables or other relations; restoring over them is refused",
        zh: "`{target}` 上的数据库 `{database}` 已有 {count} 个表或其他关系对象，拒绝覆盖还原"
    }
    RESTORE_NOT_EMPTY_HINT = "pg.restore_not_empty_hint" {
        en: "restore under a new database name (--database NAME), or add --force to drop that database and restore it anew",
        zh: "请以新的数据库名还原（--database NAME），或加上 --force 删除该数据库后重新还原"
    }
    RESTORE_DROP_DB = "pg.restore_drop_db" {
        en: "cannot drop database `{database}` on `{target}` to restore over it",
        zh: "无法删除 `{target}` 上的数据库 `{database}` 以覆盖还原"
    }
    RESTORE_DROP_DB_HINT = "pg.restore_drop_db_hint" {
        en: "the user must own the database or be a superuser; the server's words follow the message",
        zh: "该用户必须是数据库属主或超级用户；消息后附有服务器的原始说明"
    }
    RESTORE_CREATE_DB = "pg.restore_create_db" {
        en: "cannot create database `{database}` on `{target}`",
        zh: "无法在 `{target}` 上创建数据库 `{database}`"
    }
    RESTORE_CREATE_DB_HINT = "pg.restore_create_db_hint" {
        en: "the user needs the CREATEDB privilege, and the backup's encoding and locale must exist on the server (see the server's words after the message)",
        zh: "该用户需要 CREATEDB 权限，且服务器上须有备份所用的编码和区域设置（见消息后服务器的原始说明）"
    }
    RESTORE_DB_PROPS = "pg.restore_db_props" {
        en: "cannot give database `{database}` on `{target}` the backup's owner, settings, comment or privileges",
        zh: "无法为 `{target}` 上的数据库 `{database}` 恢复备份中的属主、设置、注释或权限"
    }
    RESTORE_SCRIPT = "pg.restore_script" {
        en: "restoring `{object}` into database `{database}` on `{target}` failed",
        zh: "向 `{target}` 的数据库 `{database}` 还原 `{object}` 失败"
    }
    RESTORE_SCRIPT_HINT = "pg.restore_script_hint" {
        en: "psql's, pg_restore's or the server's own words follow the message; a missing role is restored with the backup's globals (roles), or created by hand first",
        zh: "消息后附有 psql、pg_restore 或服务器的原始说明；缺少的角色可随备份中的全局对象（角色）一起还原，或先手工创建"
    }
    RESTORE_TEMP_FILE = "pg.restore_temp_file" {
        en: "cannot write the backup's post-data archive to a temporary file for pg_restore",
        zh: "无法将备份中的 post-data 归档写入供 pg_restore 使用的临时文件"
    }
    RESTORE_TEMP_FILE_HINT = "pg.restore_temp_file_hint" {
        en: "it goes into $TMPDIR (or /tmp): check that the directory exists, is writable and has space, or point TMPDIR elsewhere",
        zh: "临时文件写入 $TMPDIR（或 /tmp）：请检查该目录存在、可写且有空间，或将 TMPDIR 指向别处"
    }
    RESTORE_TABLE = "pg.restore_table" {
        en: "loading table {table} into database `{database}` on `{target}` failed",
        zh: "向 `{target}` 的数据库 `{database}` 加载表 {table} 失败"
    }
    RESTORE_TABLE_HINT = "pg.restore_table_hint" {
        en: "the server's own words follow the message; check free disk space on the server",
        zh: "消息后附有服务器的原始说明；请检查服务器磁盘剩余空间"
    }
    RESTORE_ROWS = "pg.restore_rows" {
        en: "table {table} of database `{database}` got {loaded} rows, but the backup recorded {expected}",
        zh: "数据库 `{database}` 的表 {table} 载入了 {loaded} 行，而备份记录为 {expected} 行"
    }
    RESTORE_ROWS_HINT = "pg.restore_rows_hint" {
        en: "the backup object is damaged or incomplete; run `dbkeeper backups check --read-data`, and restore another backup",
        zh: "备份对象已损坏或不完整；请运行 `dbkeeper backups check --read-data`，并改用其他备份还原"
    }
    RESTORE_GLOBALS = "pg.restore_globals" {
        en: "restoring the roles and tablespaces of the backup on `{target}` failed",
        zh: "在 `{target}` 上还原备份中的角色和表空间失败"
    }
    RESTORE_GLOBALS_HINT = "pg.restore_globals_hint" {
        en: "psql's own words follow the message; a tablespace needs its directory to exist on the server; only a superuser may create roles with every attribute",
        zh: "消息后附有 psql 的原始输出；表空间要求其目录在服务器上已存在；只有超级用户才能创建具有全部属性的角色"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
