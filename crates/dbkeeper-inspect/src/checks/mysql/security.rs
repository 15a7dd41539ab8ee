//! Security for MySQL/MariaDB, mapped to 等保 2.0 level 3 (research §3.7, §6).

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval, Outcome, Product, SettingVal, Skip};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{bytes, count, human_bytes, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        SEC_001 = "inspect.my.sec_001" { en: "no anonymous accounts", zh: "无匿名账户" }
        SEC_001_FIX = "inspect.my.sec_001_fix" {
            en: "DROP USER ''@'host' for each anonymous account (mysql_secure_installation does it): anyone can log in through them",
            zh: "请对每个匿名账户执行 DROP USER ''@'主机'（mysql_secure_installation 会执行此操作）：任何人都能通过它们登录"
        }
        SEC_002 = "inspect.my.sec_002" { en: "no accounts without a password", zh: "无空口令账户" }
        SEC_002_FIX = "inspect.my.sec_002_fix" {
            en: "set a password (ALTER USER … IDENTIFIED BY) or a socket/ed25519 authentication, or lock the account (ALTER USER … ACCOUNT LOCK)",
            zh: "请设置口令（ALTER USER … IDENTIFIED BY）或改用 unix_socket/ed25519 认证，或锁定该账户（ALTER USER … ACCOUNT LOCK）"
        }
        SEC_003 = "inspect.my.sec_003" { en: "no password equals its account name", zh: "无与账户名相同的口令" }
        SEC_003_FIX = "inspect.my.sec_003_fix" {
            en: "change these passwords now: the account name is the first password anyone tries (MT)",
            zh: "请立即修改这些口令：账户名是任何人最先尝试的口令（MT）"
        }
        SEC_004 = "inspect.my.sec_004" { en: "administrators cannot log in from anywhere", zh: "管理员不能从任意地址登录" }
        SEC_004_FIX = "inspect.my.sec_004_fix" {
            en: "restrict administrative accounts (SUPER, GRANT OPTION, ALL) to localhost or the bastion host's address: RENAME USER 'root'@'%' TO 'root'@'10.x.x.x' (等保 8.1.4.2b, 8.1.4.4c)",
            zh: "请将管理账户（SUPER、GRANT OPTION、ALL）限制为 localhost 或堡垒机地址：RENAME USER 'root'@'%' TO 'root'@'10.x.x.x'（等保 8.1.4.2b、8.1.4.4c）"
        }
        SEC_005 = "inspect.my.sec_005" { en: "accounts name their hosts", zh: "账户限定了来源主机" }
        SEC_005_FIX = "inspect.my.sec_005_fix" {
            en: "replace host '%' by the application servers' addresses or subnets (等保 8.1.4.2e: access control by source)",
            zh: "请把主机 '%' 改为应用服务器的地址或网段（等保 8.1.4.2e：按来源控制访问）"
        }
        SEC_006 = "inspect.my.sec_006" { en: "no weak authentication plugins", zh: "未使用弱认证插件" }
        SEC_006_FIX = "inspect.my.sec_006_fix" {
            en: "move these accounts to a current plugin: mysql_old_password is broken; on MySQL 8.4+ mysql_native_password is deprecated (use caching_sha2_password), on MariaDB ed25519 is stronger (MT)",
            zh: "请将这些账户迁移到新的认证插件：mysql_old_password 已不安全；MySQL 8.4+ 中 mysql_native_password 已弃用（改用 caching_sha2_password），MariaDB 上 ed25519 更强（MT）"
        }
        SEC_007 = "inspect.my.sec_007" { en: "TLS is available", zh: "已启用 TLS" }
        SEC_007_FIX = "inspect.my.sec_007_fix" {
            en: "configure ssl_cert and ssl_key (restart) so that clients can encrypt (等保 8.1.4.1c, 8.1.2.2)",
            zh: "请配置 ssl_cert 与 ssl_key（需重启），使客户端可以加密连接（等保 8.1.4.1c、8.1.2.2）"
        }
        SEC_008 = "inspect.my.sec_008" { en: "encrypted transport is required", zh: "强制使用加密传输" }
        SEC_008_FIX = "inspect.my.sec_008_fix" {
            en: "set require_secure_transport = ON (MySQL 5.7.8+, MariaDB 10.5.2+) so that no client can log in in clear; local socket logins stay allowed",
            zh: "请设置 require_secure_transport = ON（MySQL 5.7.8+、MariaDB 10.5.2+），禁止明文登录；本地 socket 登录不受影响"
        }
        SEC_009 = "inspect.my.sec_009" { en: "old TLS versions are refused", zh: "拒绝旧版本 TLS" }
        SEC_009_FIX = "inspect.my.sec_009_fix" {
            en: "set tls_version = 'TLSv1.2,TLSv1.3' (restart): TLS 1.0 and 1.1 are broken",
            zh: "请设置 tls_version = 'TLSv1.2,TLSv1.3'（需重启）：TLS 1.0 和 1.1 已不安全"
        }
        SEC_010 = "inspect.my.sec_010" { en: "remote accounts require TLS", zh: "远程账户要求 TLS" }
        SEC_010_FIX = "inspect.my.sec_010_fix" {
            en: "ALTER USER … REQUIRE SSL for accounts that log in from other hosts, or turn on require_secure_transport (MY-SEC-008)",
            zh: "请对从其他主机登录的账户执行 ALTER USER … REQUIRE SSL，或开启 require_secure_transport（MY-SEC-008）"
        }
        SEC_011 = "inspect.my.sec_011" { en: "password strength is enforced", zh: "强制口令强度" }
        SEC_011_FIX = "inspect.my.sec_011_fix" {
            en: "load a password check: MariaDB simple_password_check (minimal_length ≥ 8) or cracklib_password_check; MySQL component_validate_password with policy MEDIUM (等保 8.1.4.1a)",
            zh: "请加载口令检查：MariaDB 用 simple_password_check（minimal_length ≥ 8）或 cracklib_password_check；MySQL 用 component_validate_password 并设为 MEDIUM 策略（等保 8.1.4.1a）"
        }
        SEC_011_SEEN = "inspect.my.sec_011_seen" { en: "password check plugins: {list}", zh: "口令检查插件：{list}" }
        SEC_012 = "inspect.my.sec_012" { en: "passwords expire regularly", zh: "口令定期过期" }
        SEC_012_FIX = "inspect.my.sec_012_fix" {
            en: "set default_password_lifetime between 1 and {days} days, or a PASSWORD EXPIRE INTERVAL per account (等保 8.1.4.1a); exempt application accounts only with a documented reason",
            zh: "请将 default_password_lifetime 设为 1 到 {days} 天，或为账户设置 PASSWORD EXPIRE INTERVAL（等保 8.1.4.1a）；应用账户如需豁免请书面说明理由"
        }
        SEC_013 = "inspect.my.sec_013" { en: "failed logins lock the account", zh: "登录失败会锁定账户" }
        SEC_013_FIX = "inspect.my.sec_013_fix" {
            en: "MariaDB 10.4.2+: set max_password_errors (for example 5; FLUSH PRIVILEGES unlocks); MySQL 8.0.19+: FAILED_LOGIN_ATTEMPTS and PASSWORD_LOCK_TIME per account, or the connection_control plugin (delays only). max_connect_errors is not a lockout (等保 8.1.4.1b)",
            zh: "MariaDB 10.4.2+：请设置 max_password_errors（例如 5；FLUSH PRIVILEGES 可解锁）；MySQL 8.0.19+：为账户设置 FAILED_LOGIN_ATTEMPTS 与 PASSWORD_LOCK_TIME，或使用 connection_control 插件（仅延迟）。max_connect_errors 不是账户锁定（等保 8.1.4.1b）"
        }
        SEC_013_SEEN = "inspect.my.sec_013_seen" { en: "{name} = {value}", zh: "{name} = {value}" }
        SEC_014 = "inspect.my.sec_014" { en: "idle sessions are logged out", zh: "空闲会话自动退出" }
        SEC_014_FIX = "inspect.my.sec_014_fix" {
            en: "set wait_timeout and interactive_timeout to 1800 seconds or less (often 600) (等保 8.1.4.1b)",
            zh: "请将 wait_timeout 与 interactive_timeout 设为 1800 秒以内（常用 600）（等保 8.1.4.1b）"
        }
        SEC_014_SEEN = "inspect.my.sec_014_seen" {
            en: "wait_timeout {wait}, interactive_timeout {interactive} (at most {max})",
            zh: "wait_timeout 为 {wait}，interactive_timeout 为 {interactive}（最多 {max}）"
        }
        SEC_015 = "inspect.my.sec_015" { en: "security audit logging is enabled", zh: "已启用安全审计日志" }
        SEC_015_FIX = "inspect.my.sec_015_fix" {
            en: "load the audit plugin (MariaDB: plugin_load_add = server_audit, server_audit_logging = ON; Percona: audit_log) and keep it loaded (FORCE_PLUS_PERMANENT); community MySQL has none, only the heavy general log (等保 8.1.4.3a)",
            zh: "请加载审计插件（MariaDB：plugin_load_add = server_audit、server_audit_logging = ON；Percona：audit_log）并保持常驻（FORCE_PLUS_PERMANENT）；社区版 MySQL 没有审计插件，只有开销很大的通用日志（等保 8.1.4.3a）"
        }
        SEC_015_SEEN = "inspect.my.sec_015_seen" {
            en: "server_audit: {loaded}, server_audit_logging = {logging}",
            zh: "server_audit：{loaded}，server_audit_logging = {logging}"
        }
        SEC_016 = "inspect.my.sec_016" { en: "audit covers logins, DDL and privileges for every user", zh: "审计覆盖所有用户的登录、DDL 和授权操作" }
        SEC_016_FIX = "inspect.my.sec_016_fix" {
            en: "set server_audit_events to include CONNECT,QUERY_DDL,QUERY_DCL (or leave it empty for all) and empty server_audit_excl_users (等保 8.1.4.3a/b)",
            zh: "请让 server_audit_events 包含 CONNECT,QUERY_DDL,QUERY_DCL（或留空表示全部），并清空 server_audit_excl_users（等保 8.1.4.3a/b）"
        }
        SEC_016_SEEN = "inspect.my.sec_016_seen" {
            en: "server_audit_events = '{events}', excluded users: '{excluded}'",
            zh: "server_audit_events = '{events}'，排除的用户：'{excluded}'"
        }
        SEC_016_NOT_LOADED = "inspect.my.sec_016_not_loaded" {
            en: "no audit plugin is active, so there are no audit records to judge (see MY-SEC-015)",
            zh: "未启用审计插件，没有可供判断的审计记录（见 MY-SEC-015）"
        }
        SEC_017 = "inspect.my.sec_017" { en: "audit logs are kept", zh: "审计日志得到留存" }
        SEC_017_FIX = "inspect.my.sec_017_fix" {
            en: "send audit records to syslog and the log platform (server_audit_output_type = syslog), or rotate files without deleting them early; keep six months (《网络安全法》第二十一条, 等保 8.1.4.3c)",
            zh: "请将审计记录发送到 syslog 及日志平台（server_audit_output_type = syslog），或轮转文件时不过早删除；留存六个月（《网络安全法》第二十一条，等保 8.1.4.3c）"
        }
        SEC_017_SMALL = "inspect.my.sec_017_small" {
            en: "audit files rotate at {size} × {rotations}: at most {total} is kept before the oldest records are deleted",
            zh: "审计文件按 {size} × {rotations} 轮转：最多只保留 {total}，之后最旧的记录被删除"
        }
        SEC_017_KEPT = "inspect.my.sec_017_kept" {
            en: "audit file {file} is never rotated away (server_audit_file_rotations = 0)",
            zh: "审计文件 {file} 不会被轮转删除（server_audit_file_rotations = 0）"
        }
        SEC_017_UNDECIDED = "inspect.my.sec_017_undecided" {
            en: "cannot decide: audit records go to {output}; an assessor would ask to see where they are kept and records from six months ago",
            zh: "无法判定：审计记录输出到 {output}；测评人员会要求查看其存放位置及六个月前的记录"
        }
        SEC_018 = "inspect.my.sec_018" { en: "server-side file access is restricted", zh: "限制了服务器端文件访问" }
        SEC_018_FIX = "inspect.my.sec_018_fix" {
            en: "set local_infile = OFF and secure_file_priv to a dedicated directory (or NULL): otherwise SQL can read and write files on the server (CIS)",
            zh: "请设置 local_infile = OFF，并将 secure_file_priv 设为专用目录（或 NULL）：否则 SQL 可读写服务器上的文件（CIS）"
        }
        SEC_018_SEEN = "inspect.my.sec_018_seen" {
            en: "local_infile = {infile}, secure_file_priv = '{priv}'",
            zh: "local_infile = {infile}，secure_file_priv = '{priv}'"
        }
        SEC_019 = "inspect.my.sec_019" { en: "no test database or its open grants", zh: "无 test 库及其开放授权" }
        SEC_019_FIX = "inspect.my.sec_019_fix" {
            en: "DROP DATABASE test and DELETE FROM mysql.db WHERE Db LIKE 'test%' (then FLUSH PRIVILEGES): every account may create and read tables there (mysql_secure_installation)",
            zh: "请执行 DROP DATABASE test 以及 DELETE FROM mysql.db WHERE Db LIKE 'test%'（随后 FLUSH PRIVILEGES）：所有账户都能在其中建表和读取（mysql_secure_installation）"
        }
        SEC_020 = "inspect.my.sec_020" { en: "few accounts hold global administrative privileges", zh: "拥有全局管理权限的账户少" }
        SEC_020_FIX = "inspect.my.sec_020_fix" {
            en: "give SUPER, GRANT OPTION, SHUTDOWN and CREATE USER to as few named accounts as possible, and keep administration, audit and security duties on different accounts (等保 8.1.4.2d)",
            zh: "请只授予尽可能少的具名账户 SUPER、GRANT OPTION、SHUTDOWN 和 CREATE USER 权限，并由不同账户分别承担管理、审计和安全职责（等保 8.1.4.2d）"
        }
        SEC_021 = "inspect.my.sec_021" { en: "FILE privilege only for administrators", zh: "FILE 权限仅授予管理员" }
        SEC_021_FIX = "inspect.my.sec_021_fix" {
            en: "REVOKE FILE ON *.* from application accounts: it lets SQL read server files and write into secure_file_priv",
            zh: "请从应用账户收回 FILE ON *.*：它允许通过 SQL 读取服务器文件并写入 secure_file_priv 目录"
        }
        SEC_022 = "inspect.my.sec_022" { en: "data encrypted at rest", zh: "数据加密存储" }
        SEC_022_FIX = "inspect.my.sec_022_fix" {
            en: "enable encryption at rest: MariaDB file_key_management + innodb_encrypt_tables, innodb_encrypt_log, encrypt_binlog; MySQL a keyring + default_table_encryption, binlog_encryption; or an encrypted filesystem (等保 8.1.4.8b)",
            zh: "请启用存储加密：MariaDB 使用 file_key_management 并开启 innodb_encrypt_tables、innodb_encrypt_log、encrypt_binlog；MySQL 使用 keyring 并开启 default_table_encryption、binlog_encryption；或使用加密文件系统（等保 8.1.4.8b）"
        }
        SEC_022_ON = "inspect.my.sec_022_on" { en: "{name} = {value}", zh: "{name} = {value}" }
        SEC_022_UNDECIDED = "inspect.my.sec_022_undecided" {
            en: "cannot decide: table encryption is off ({name} = {value}); an assessor would ask to see an encrypted filesystem (LUKS) under the data directory and the backup encryption instead",
            zh: "无法判定：未开启表加密（{name} = {value}）；测评人员会要求查看数据目录所在的加密文件系统（LUKS）及备份加密"
        }
        SEC_023 = "inspect.my.sec_023" { en: "administrators log in with two factors", zh: "管理员采用双因素登录" }
        SEC_023_FIX = "inspect.my.sec_023_fix" {
            en: "require a client certificate for administrative accounts (ALTER USER … REQUIRE X509) in addition to the password, or document the bastion host's two-factor login (等保 8.1.4.1d)",
            zh: "请要求管理账户在口令之外提供客户端证书（ALTER USER … REQUIRE X509），或提供堡垒机双因素登录的书面说明（等保 8.1.4.1d）"
        }
        SEC_023_CERT = "inspect.my.sec_023_cert" {
            en: "administrative accounts requiring a client certificate: {list}",
            zh: "要求客户端证书的管理账户：{list}"
        }
        SEC_023_UNDECIDED = "inspect.my.sec_023_undecided" {
            en: "cannot decide: no administrative account requires a client certificate; two-factor login is often done by a bastion host, which an assessor would ask to see",
            zh: "无法判定：没有管理账户要求客户端证书；双因素登录通常由堡垒机实现，测评人员会要求查看"
        }
        SEC_024 = "inspect.my.sec_024" { en: "the server listens only where needed", zh: "服务器仅在必要的地址上监听" }
        SEC_024_FIX = "inspect.my.sec_024_fix" {
            en: "set bind_address to the address clients use (not * or 0.0.0.0) and firewall the port to the application servers and the bastion host (等保 8.1.4.4a/b)",
            zh: "请将 bind_address 设为客户端实际使用的地址（不要用 * 或 0.0.0.0），并用防火墙将端口限制为应用服务器和堡垒机（等保 8.1.4.4a/b）"
        }
        SEC_025 = "inspect.my.sec_025" { en: "this inspection's connection is encrypted", zh: "本次巡检连接已加密" }
        SEC_025_FIX = "inspect.my.sec_025_fix" {
            en: "connect to remote servers with TLS (tls: mode: require or verify-full in the config): the inspecting account's password crossed the network in clear (MT)",
            zh: "连接远程服务器时请使用 TLS（配置中的 tls: mode: require 或 verify-full）：巡检账户的口令以明文在网络上传输（MT）"
        }
        SEC_025_SEEN = "inspect.my.sec_025_seen" { en: "Ssl_cipher = '{cipher}'", zh: "Ssl_cipher = '{cipher}'" }
        SEC_026 = "inspect.my.sec_026" { en: "security labels on sensitive rows", zh: "敏感数据设置了安全标记" }
        SEC_026_FIX = "inspect.my.sec_026_fix" {
            en: "MySQL and MariaDB have no row-level security labels: protect sensitive rows with views and column privileges, and document how (等保 8.1.4.2g)",
            zh: "MySQL 和 MariaDB 没有行级安全标记：请用视图和列级权限保护敏感数据，并书面说明做法（等保 8.1.4.2g）"
        }
        SEC_026_UNDECIDED = "inspect.my.sec_026_undecided" {
            en: "cannot decide: the server has no security labels; an assessor would ask how sensitive data is protected (views, column privileges) or for the documented reason it does not apply",
            zh: "无法判定：服务器没有安全标记功能；测评人员会询问敏感数据如何保护（视图、列级权限），或要求提供不适用的书面说明"
        }
        SEC_027 = "inspect.my.sec_027" { en: "no expired accounts left", zh: "无遗留的过期账户" }
        SEC_027_FIX = "inspect.my.sec_027_fix" {
            en: "drop or lock accounts whose password expired and that nobody uses (等保 8.1.4.2c: remove expired accounts)",
            zh: "请删除或锁定口令已过期且无人使用的账户（等保 8.1.4.2c：及时删除过期账户）"
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn catalogue_is_complete() {
            dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
        }
    }
}

pub(super) fn defs() -> Vec<Def> {
    use Group::Security as S;
    const USERS: &[&str] = &["users", "users_mysql"];
    vec![
        check("MY-SEC-001", S, msg::SEC_001, msg::SEC_001_FIX, |c| {
            let rows = accounts(c, |r| value::text_of(r.get("user")).is_empty())?;
            check::list(c, &rows, Status::Critical, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.1a", "djbh3:8.1.4.2b"])
        .src("MySQLTuner: anonymous accounts → bad"),
        check("MY-SEC-002", S, msg::SEC_002, msg::SEC_002_FIX, |c| {
            let rows = accounts(c, |r| {
                let plugin = value::text_of(r.get("plugin"));
                matches!(plugin.as_str(), "" | "mysql_native_password" | "caching_sha2_password" | "sha256_password")
                    && value::text_of(r.get("auth")).is_empty()
            })?;
            check::list(c, &rows, Status::Critical, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.1a"])
        .src("MySQLTuner: empty authentication_string (socket auth excluded) → bad"),
        check("MY-SEC-003", S, msg::SEC_003, msg::SEC_003_FIX, |c| {
            let rows = accounts(c, |r| value::bool_of(r.get("password_is_name")) == Some(true))?;
            check::list(c, &rows, Status::Critical, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.1a", "djbh3:8.1.4.2b"])
        .src("MySQLTuner: PASSWORD(user) = authentication_string (MariaDB; MySQL 8 has no PASSWORD())"),
        check("MY-SEC-004", S, msg::SEC_004, msg::SEC_004_FIX, |c| {
            let rows = accounts(c, |r| anywhere(r) && admin(r))?;
            check::list(c, &rows, Status::Critical, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.2b"])
        .src("等保 8.1.4.2b: root not @'%'; admin accounts from anywhere"),
        check("MY-SEC-005", S, msg::SEC_005, msg::SEC_005_FIX, |c| {
            let rows = accounts(c, |r| anywhere(r) && !admin(r))?;
            check::list(c, &rows, Status::Info, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.2e"])
        .src("MySQLTuner: accounts @'%' → restrict host"),
        check("MY-SEC-006", S, msg::SEC_006, msg::SEC_006_FIX, sec_006)
            .probes(USERS)
            .tags(&["djbh3:8.1.4.1a"])
            .src("MySQLTuner check_auth_plugins; pt-variable-advisor old_passwords"),
        check("MY-SEC-007", S, msg::SEC_007, msg::SEC_007_FIX, sec_007)
            .tags(&["djbh3:8.1.4.1c"])
            .src("MySQLTuner ssl_tls_recommendations: have_ssl DISABLED → bad"),
        check("MY-SEC-008", S, msg::SEC_008, msg::SEC_008_FIX, |c| {
            check::must_be_on(c, "require_secure_transport", Status::Warning)
        })
        .tags(&["djbh3:8.1.4.1c"])
        .src("等保 8.1.4.1c: require_secure_transport = ON"),
        check("MY-SEC-009", S, msg::SEC_009, msg::SEC_009_FIX, |c| {
            check::setting(
                c,
                "tls_version",
                |s| s.value.split(',').any(|v| matches!(v.trim(), "TLSv1" | "TLSv1.0" | "TLSv1.1")),
                Status::Warning,
                "TLSv1.2,TLSv1.3",
            )
        })
        .tags(&["djbh3:8.1.4.1c"])
        .src("MySQLTuner: TLSv1/1.1 enabled → bad"),
        check("MY-SEC-010", S, msg::SEC_010, msg::SEC_010_FIX, |c| {
            if c.opt_setting("require_secure_transport").is_some_and(SettingVal::is_on) {
                return check::setting(c, "require_secure_transport", |_| false, Status::Ok, "ON");
            }
            let rows = accounts(c, |r| {
                !local_host(&value::text_of(r.get("host")))
                    && value::text_of(r.get("ssl_type")).is_empty()
            })?;
            check::list(c, &rows, Status::Info, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.1c"])
        .src("MySQLTuner: remote users with ssl_type = '' → bad"),
        check("MY-SEC-011", S, msg::SEC_011, msg::SEC_011_FIX, sec_011)
            .tags(&["djbh3:8.1.4.1a"])
            .src("等保 8.1.4.1a: simple_password_check / cracklib / validate_password"),
        check("MY-SEC-012", S, msg::SEC_012, msg::SEC_012_FIX, sec_012)
            .th(vec![secs("max_age", 90.0 * 86_400.0)])
            .tags(&["djbh3:8.1.4.1a"])
            .src("等保 8.1.4.1a: default_password_lifetime between 1 and 90"),
        check("MY-SEC-013", S, msg::SEC_013, msg::SEC_013_FIX, sec_013)
            .th(vec![count("warning", 5.0)])
            .tags(&["djbh3:8.1.4.1b"])
            .src("等保 8.1.4.1b: MariaDB max_password_errors ≤ 5; MySQL FAILED_LOGIN_ATTEMPTS / connection_control"),
        check("MY-SEC-014", S, msg::SEC_014, msg::SEC_014_FIX, sec_014)
            .th(vec![secs("warning", 1800.0)])
            .tags(&["djbh3:8.1.4.1b"])
            .src("等保 8.1.4.1b: wait_timeout and interactive_timeout ≤ 1800"),
        check("MY-SEC-015", S, msg::SEC_015, msg::SEC_015_FIX, sec_015)
            .tags(&["djbh3:8.1.4.3a"])
            .src("等保 8.1.4.3a: server_audit (MariaDB) / audit_log (Percona) active"),
        check("MY-SEC-016", S, msg::SEC_016, msg::SEC_016_FIX, sec_016)
            .tags(&["djbh3:8.1.4.3b"])
            .src("等保 8.1.4.3a/b: server_audit_events ⊇ CONNECT,QUERY_DDL,QUERY_DCL; empty excl_users"),
        check("MY-SEC-017", S, msg::SEC_017, msg::SEC_017_FIX, sec_017)
            .th(vec![bytes("min_kept", 1024.0 * 1024.0 * 1024.0)])
            .tags(&["djbh3:8.1.4.3c"])
            .src("等保 8.1.4.3c: server_audit_output_type syslog, or rotations × size; six months"),
        check("MY-SEC-018", S, msg::SEC_018, msg::SEC_018_FIX, sec_018)
            .tags(&["djbh3:8.1.4.2d"])
            .src("CIS: local_infile OFF, secure_file_priv set"),
        check("MY-SEC-019", S, msg::SEC_019, msg::SEC_019_FIX, |c| {
            let rows = c.rows("test_db")?;
            check::list(c, rows, Status::Warning, "name")
        })
        .probes(&["test_db"])
        .tags(&["djbh3:8.1.4.2b"])
        .src("mysql_secure_installation: test database and test\\_% grants"),
        check("MY-SEC-020", S, msg::SEC_020, msg::SEC_020_FIX, |c| {
            let rows = accounts(c, admin)?;
            check::counted(c, &rows, "account")
        })
        .th(vec![count("warning", 4.0), count("critical", 10.0)])
        .probes(USERS)
        .tags(&["djbh3:8.1.4.2d"])
        .src("等保 8.1.4.2d: count of SUPER / GRANT / SHUTDOWN / CREATE USER holders (ours: > 3)"),
        check("MY-SEC-021", S, msg::SEC_021, msg::SEC_021_FIX, |c| {
            let rows = accounts(c, |r| yes(r, "file_priv") && !admin(r))?;
            check::list(c, &rows, Status::Warning, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.2d"])
        .src("research §6 8.1.4.2d: FILE privilege holders"),
        check("MY-SEC-022", S, msg::SEC_022, msg::SEC_022_FIX, sec_022)
            .tags(&["djbh3:8.1.4.8b"])
            .src("等保 8.1.4.8b: innodb_encrypt_tables (MariaDB) / default_table_encryption (MySQL)"),
        check("MY-SEC-023", S, msg::SEC_023, msg::SEC_023_FIX, |c| {
            let rows = accounts(c, |r| {
                admin(r) && matches!(value::text_of(r.get("ssl_type")).as_str(), "X509" | "SPECIFIED")
            })?;
            if rows.is_empty() {
                return Err(Skip(Text::new(msg::SEC_023_UNDECIDED)));
            }
            Ok(Outcome::new(
                Status::Ok,
                Text::new(msg::SEC_023_CERT).arg("list", check::names(&rows, "account", 5)),
            ))
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.1d"])
        .src("等保 8.1.4.1d: REQUIRE X509 for admin accounts, or a bastion attestation"),
        check("MY-SEC-024", S, msg::SEC_024, msg::SEC_024_FIX, |c| {
            if c.opt_setting("skip_networking").is_some_and(SettingVal::is_on) {
                return check::setting(c, "skip_networking", |_| false, Status::Ok, "");
            }
            check::setting(
                c,
                "bind_address",
                |s| matches!(s.value.trim(), "" | "*" | "0.0.0.0" | "::"),
                Status::Info,
                "the address clients use",
            )
        })
        .tags(&["djbh3:8.1.4.4a"])
        .src("等保 8.1.4.4a/b: bind_address, skip_networking; MySQLTuner banned ports"),
        check("MY-SEC-025", S, msg::SEC_025, msg::SEC_025_FIX, sec_025)
            .probes(&["session_ssl"])
            .src("MySQLTuner: the inspecting session's Ssl_cipher empty → bad"),
        // Always undecided: there are no security labels in MySQL or MariaDB.
        check("MY-SEC-026", S, msg::SEC_026, msg::SEC_026_FIX, |_| {
            Err(Skip(Text::new(msg::SEC_026_UNDECIDED)))
        })
        .tags(&["djbh3:8.1.4.2g"])
        .src("等保 8.1.4.2g: not native in MySQL/MariaDB (research §6)"),
        check("MY-SEC-027", S, msg::SEC_027, msg::SEC_027_FIX, |c| {
            let rows = accounts(c, |r| value::text_of(r.get("password_expired")) == "Y")?;
            check::list(c, &rows, Status::Info, "account")
        })
        .probes(USERS)
        .tags(&["djbh3:8.1.4.2a"])
        .src("等保 8.1.4.2c: password_expired = 'Y' accounts left"),
    ]
}

fn yes(r: &Row, key: &str) -> bool {
    value::text_of(r.get(key)).eq_ignore_ascii_case("Y")
}

fn local_host(h: &str) -> bool {
    matches!(h, "localhost" | "127.0.0.1" | "::1")
}

fn anywhere(r: &Row) -> bool {
    value::text_of(r.get("host")) == "%"
}

/// Holds a global administrative privilege.
fn admin(r: &Row) -> bool {
    [
        "super_priv",
        "grant_priv",
        "shutdown_priv",
        "create_user_priv",
    ]
    .iter()
    .any(|k| yes(r, k))
}

/// Login accounts (not roles, not locked) matching `keep`, each with an `account` column
/// `'user'@'host'` and no password hash.
fn accounts(c: &Ctx<'_>, keep: impl Fn(&Row) -> bool) -> Result<Vec<Row>, Skip> {
    let probe = if c.base().product == Product::MariaDb {
        "users"
    } else {
        "users_mysql"
    };
    Ok(c.rows(probe)?
        .iter()
        .filter(|r| !yes(r, "is_role"))
        .filter(|r| !value::bool_of(r.get("locked")).unwrap_or(false))
        // MariaDB's PUBLIC pseudo-role has no host.
        .filter(|r| {
            !(value::text_of(r.get("user")) == "PUBLIC" && value::text_of(r.get("host")).is_empty())
        })
        .filter(|r| keep(r))
        .map(|r| {
            let mut out = Row::new();
            out.insert(
                "account".into(),
                serde_json::Value::String(format!(
                    "'{}'@'{}'",
                    value::text_of(r.get("user")),
                    value::text_of(r.get("host"))
                )),
            );
            for k in ["plugin", "ssl_type", "password_expired"] {
                if let Some(v) = r.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
            out
        })
        .collect())
}

fn sec_006(c: &Ctx<'_>) -> Eval {
    let native_deprecated = c.base().product == Product::Mysql && c.version_at_least(80_400);
    let rows = accounts(c, |r| {
        let p = value::text_of(r.get("plugin"));
        p == "mysql_old_password" || (native_deprecated && p == "mysql_native_password")
    })?;
    check::list(c, &rows, Status::Warning, "account")
}

fn sec_007(c: &Ctx<'_>) -> Eval {
    // MySQL 8.0.26+ dropped have_ssl: TLS is then on when a certificate is configured.
    if c.opt_setting("have_ssl").is_some() {
        return check::setting(
            c,
            "have_ssl",
            |s| !s.value.eq_ignore_ascii_case("YES"),
            Status::Warning,
            "YES",
        );
    }
    check::setting(
        c,
        "ssl_cert",
        |s| s.value.is_empty(),
        Status::Warning,
        "a certificate",
    )
}

fn sec_011(c: &Ctx<'_>) -> Eval {
    let known = [
        "simple_password_check",
        "cracklib_password_check",
        "validate_password",
        "password_reuse_check",
    ];
    let mut active: Vec<String> = c
        .base()
        .extensions
        .iter()
        .filter(|p| known.contains(&p.as_str()))
        .cloned()
        .collect();
    // MySQL 8's component shows as variables, not as a plugin.
    if c.opt_setting("validate_password.policy").is_some() {
        active.push("component_validate_password".into());
    }
    let checks_strength = active.iter().any(|p| p != "password_reuse_check");
    Ok(Outcome::new(
        if checks_strength {
            Status::Ok
        } else {
            Status::Warning
        },
        Text::new(msg::SEC_011_SEEN).arg(
            "list",
            if active.is_empty() {
                "-".into()
            } else {
                active.join(", ")
            },
        ),
    )
    .value("plugins", active))
}

fn sec_012(c: &Ctx<'_>) -> Eval {
    let days = c.t("max_age") / 86_400.0;
    let o = check::setting(
        c,
        "default_password_lifetime",
        |s| s.num().is_none_or(|v| v <= 0.0 || v > days),
        Status::Warning,
        &format!("1–{days:.0}"),
    )?;
    Ok(o.fix(Text::new(msg::SEC_012_FIX).arg("days", format!("{days:.0}"))))
}

fn sec_013(c: &Ctx<'_>) -> Eval {
    if c.base().product == Product::MariaDb {
        let max = c.t("warning");
        let s = c.setting("max_password_errors")?;
        let bad = s.num().is_none_or(|v| v > max);
        return Ok(Outcome::new(
            if bad { Status::Warning } else { Status::Ok },
            Text::new(msg::SEC_013_SEEN)
                .arg("name", "max_password_errors")
                .arg("value", &s.value),
        ));
    }
    // MySQL: the connection_control plugin (delays) or per-account FAILED_LOGIN_ATTEMPTS
    // (in mysql.user.User_attributes, which this check does not read: it counts the plugin).
    let plugin = c
        .base()
        .extensions
        .iter()
        .any(|p| p == "connection_control");
    Ok(Outcome::new(
        if plugin { Status::Ok } else { Status::Warning },
        Text::new(msg::SEC_013_SEEN)
            .arg("name", "connection_control")
            .arg("value", plugin),
    ))
}

fn sec_014(c: &Ctx<'_>) -> Eval {
    let max = c.t("warning");
    let wait = c.setting("wait_timeout")?.num().unwrap_or(28_800.0);
    let interactive = c
        .opt_setting("interactive_timeout")
        .and_then(|s| s.num())
        .unwrap_or(28_800.0);
    let bad = wait > max || interactive > max;
    Ok(Outcome::new(
        if bad { Status::Warning } else { Status::Ok },
        Text::new(msg::SEC_014_SEEN)
            .arg("wait", crate::threshold::human_secs(wait))
            .arg("interactive", crate::threshold::human_secs(interactive))
            .arg("max", c.shown_t("warning")),
    )
    .value("wait_timeout", wait)
    .value("interactive_timeout", interactive))
}

fn audit_active(c: &Ctx<'_>) -> bool {
    let ext = &c.base().extensions;
    (ext.iter().any(|p| p == "server_audit")
        && c.opt_setting("server_audit_logging")
            .is_some_and(SettingVal::is_on))
        || ext.iter().any(|p| p == "audit_log")
}

fn sec_015(c: &Ctx<'_>) -> Eval {
    let loaded = c
        .base()
        .extensions
        .iter()
        .any(|p| p == "server_audit" || p == "audit_log");
    let logging = c
        .opt_setting("server_audit_logging")
        .map_or_else(|| "-".into(), |s| s.value.clone());
    Ok(Outcome::new(
        if audit_active(c) {
            Status::Ok
        } else {
            Status::Warning
        },
        Text::new(msg::SEC_015_SEEN)
            .arg("loaded", loaded)
            .arg("logging", logging),
    ))
}

fn sec_016(c: &Ctx<'_>) -> Eval {
    if !audit_active(c) {
        return Err(Skip(Text::new(msg::SEC_016_NOT_LOADED)));
    }
    let events = c
        .opt_setting("server_audit_events")
        .map(|s| s.value.to_ascii_uppercase())
        .unwrap_or_default();
    let excluded = c
        .opt_setting("server_audit_excl_users")
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let covers = events.is_empty()
        || ["CONNECT", "QUERY_DDL", "QUERY_DCL"].iter().all(|e| {
            events
                .split(',')
                .any(|x| x.trim() == *e || x.trim() == "QUERY")
        });
    let ok = covers && excluded.trim().is_empty();
    Ok(Outcome::new(
        if ok { Status::Ok } else { Status::Warning },
        Text::new(msg::SEC_016_SEEN)
            .arg("events", &events)
            .arg("excluded", &excluded),
    ))
}

fn sec_017(c: &Ctx<'_>) -> Eval {
    if !audit_active(c) {
        return Err(Skip(Text::new(msg::SEC_016_NOT_LOADED)));
    }
    let get = |n: &str| {
        c.opt_setting(n)
            .map(|s| s.value.clone())
            .unwrap_or_default()
    };
    let output = get("server_audit_output_type");
    if !output.eq_ignore_ascii_case("file") {
        return Err(Skip(Text::new(msg::SEC_017_UNDECIDED).arg(
            "output",
            if output.is_empty() {
                "?".to_string()
            } else {
                output
            },
        )));
    }
    let rotations = get("server_audit_file_rotations")
        .parse::<f64>()
        .unwrap_or(9.0);
    let size = get("server_audit_file_rotate_size")
        .parse::<f64>()
        .unwrap_or(1_000_000.0);
    if rotations == 0.0 {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::SEC_017_KEPT).arg("file", get("server_audit_file_path")),
        ));
    }
    let total = size * (rotations + 1.0);
    if total < c.t("min_kept") {
        return Ok(Outcome::new(
            Status::Warning,
            Text::new(msg::SEC_017_SMALL)
                .arg("size", human_bytes(size))
                .arg("rotations", rotations)
                .arg("total", human_bytes(total)),
        ));
    }
    Err(Skip(Text::new(msg::SEC_017_UNDECIDED).arg(
        "output",
        format!(
            "{} ({} × {})",
            get("server_audit_file_path"),
            human_bytes(size),
            rotations
        ),
    )))
}

fn sec_018(c: &Ctx<'_>) -> Eval {
    let infile = c.opt_setting("local_infile").is_some_and(SettingVal::is_on);
    let prv = c
        .opt_setting("secure_file_priv")
        .map(|s| s.value.clone())
        .unwrap_or_default();
    // Empty means "anywhere"; NULL (shown as NULL or missing) means "nowhere".
    let open = prv.is_empty();
    Ok(Outcome::new(
        if infile || open {
            Status::Warning
        } else {
            Status::Ok
        },
        Text::new(msg::SEC_018_SEEN)
            .arg("infile", infile)
            .arg("priv", &prv),
    ))
}

fn sec_022(c: &Ctx<'_>) -> Eval {
    let name = if c.base().product == Product::MariaDb {
        "innodb_encrypt_tables"
    } else {
        "default_table_encryption"
    };
    let v = c
        .opt_setting(name)
        .map_or_else(|| "OFF".into(), |s| s.value.clone());
    let on = matches!(v.to_ascii_uppercase().as_str(), "ON" | "FORCE" | "1");
    if on {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::SEC_022_ON).arg("name", name).arg("value", v),
        ));
    }
    Err(Skip(
        Text::new(msg::SEC_022_UNDECIDED)
            .arg("name", name)
            .arg("value", v),
    ))
}

fn sec_025(c: &Ctx<'_>) -> Eval {
    let cipher = c
        .rows("session_ssl")?
        .first()
        .map(|r| value::text_of(r.get("Value")))
        .unwrap_or_default();
    // On this machine (socket or loopback) nothing crosses a network.
    let local = c.base().target.is_local();
    let bad = cipher.is_empty() && !local;
    Ok(Outcome::new(
        if bad { Status::Info } else { Status::Ok },
        Text::new(msg::SEC_025_SEEN).arg("cipher", &cipher),
    ))
}
