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
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogue_is_complete() {
        dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
    }
}
