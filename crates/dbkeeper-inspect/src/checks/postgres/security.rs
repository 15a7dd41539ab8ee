//! Security, mapped to 等保 2.0 level 3 (research §6): accounts and passwords, login-failure
//! handling and timeouts, TLS and access rules (pg_hba), privileges, auditing, and what the
//! database alone cannot show (two factors, labels, encryption at rest).

use dbkeeper_core::engine::Row;
use dbkeeper_core::Text;

use crate::check::{self, Ctx, Def, Eval, Outcome, Skip};
use crate::checks::check;
use crate::model::{Group, Status};
use crate::threshold::{count, human_secs, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        SEC_001 = "inspect.pg.sec_001" { en: "few superusers", zh: "超级用户数量少" }
        SEC_001_FIX = "inspect.pg.sec_001_fix" {
            en: "keep at most two login superusers; give daily work to named roles with only the privileges they need (等保 8.1.4.2d least privilege)",
            zh: "可登录的超级用户请不超过两个；日常工作使用仅具备所需权限的具名角色（等保 8.1.4.2d 最小权限）"
        }
        SEC_002 = "inspect.pg.sec_002" { en: "every login role has a password", zh: "所有可登录角色都设置了口令" }
        SEC_002_FIX = "inspect.pg.sec_002_fix" {
            en: "set a password (\\password ROLE in psql, which sends only a SCRAM hash) or make the role NOLOGIN; a role without one can only log in through trust/peer/cert rules",
            zh: "请设置口令（在 psql 中用 \\password 角色名，只发送 SCRAM 哈希）或将角色设为 NOLOGIN；没有口令的角色只能通过 trust/peer/cert 规则登录"
        }
        SEC_003 = "inspect.pg.sec_003" { en: "passwords are stored as SCRAM hashes", zh: "口令以 SCRAM 哈希存储" }
        SEC_003_FIX = "inspect.pg.sec_003_fix" {
            en: "set password_encryption = scram-sha-256, switch pg_hba.conf from md5 to scram-sha-256, and have each role set its password again (md5 is deprecated)",
            zh: "请设置 password_encryption = scram-sha-256，将 pg_hba.conf 中的 md5 改为 scram-sha-256，并让各角色重新设置口令（md5 已弃用）"
        }
        SEC_003_SEEN = "inspect.pg.sec_003_seen" {
            en: "password_encryption = {setting}; roles with md5 or clear-text passwords: {list}",
            zh: "password_encryption = {setting}；使用 md5 或明文口令的角色：{list}"
        }
        SEC_004 = "inspect.pg.sec_004" { en: "no password equals its role name", zh: "无与角色名相同的口令" }
        SEC_004_FIX = "inspect.pg.sec_004_fix" {
            en: "change these passwords now: the role name is the first password anyone tries",
            zh: "请立即修改这些口令：角色名是任何人最先尝试的口令"
        }
        SEC_005 = "inspect.pg.sec_005" { en: "no accounts expired or about to expire", zh: "无已过期或即将过期的账户" }
        SEC_005_FIX = "inspect.pg.sec_005_fix" {
            en: "renew the password of roles about to expire (ALTER ROLE … VALID UNTIL), and remove or NOLOGIN roles that have expired (等保 8.1.4.2c: remove expired accounts)",
            zh: "请为即将过期的角色更新口令（ALTER ROLE … VALID UNTIL），对已过期的角色予以删除或设为 NOLOGIN（等保 8.1.4.2c：及时删除过期账户）"
        }
        SEC_006 = "inspect.pg.sec_006" { en: "password complexity is enforced", zh: "强制口令复杂度" }
        SEC_006_FIX = "inspect.pg.sec_006_fix" {
            en: "load passwordcheck or credcheck in shared_preload_libraries (restart); note that pre-hashed passwords (psql \\password) cannot be checked by the server",
            zh: "请在 shared_preload_libraries 中加载 passwordcheck 或 credcheck（需重启）；注意服务器无法检查已预先哈希的口令（psql \\password）"
        }
        SEC_006_SEEN = "inspect.pg.sec_006_seen" {
            en: "shared_preload_libraries = '{libs}'",
            zh: "shared_preload_libraries = '{libs}'"
        }
        SEC_007 = "inspect.pg.sec_007" { en: "passwords expire regularly", zh: "口令定期过期" }
        SEC_007_FIX = "inspect.pg.sec_007_fix" {
            en: "give login roles a VALID UNTIL within {days} days and renew it when the password changes (等保 8.1.4.1a: change passwords regularly); exempt application roles only with a documented reason",
            zh: "请为可登录角色设置 {days} 天内的 VALID UNTIL，并在改密时顺延（等保 8.1.4.1a：定期更换口令）；应用账户如需豁免请书面说明理由"
        }
        SEC_008 = "inspect.pg.sec_008" { en: "failed logins are slowed or locked out", zh: "登录失败会被延迟或锁定" }
        SEC_008_FIX = "inspect.pg.sec_008_fix" {
            en: "PostgreSQL has no built-in lockout: load credcheck (credcheck.max_auth_failure) or auth_delay (auth_delay.milliseconds > 0) plus fail2ban on 'password authentication failed' with log_connections = on",
            zh: "PostgreSQL 没有内置锁定功能：请加载 credcheck（credcheck.max_auth_failure），或 auth_delay（auth_delay.milliseconds > 0）并配合 fail2ban 监控 'password authentication failed'（需 log_connections = on）"
        }
        SEC_008_SEEN = "inspect.pg.sec_008_seen" {
            en: "credcheck: {credcheck}, auth_delay: {auth_delay}",
            zh: "credcheck：{credcheck}，auth_delay：{auth_delay}"
        }
        SEC_009 = "inspect.pg.sec_009" { en: "idle sessions are logged out", zh: "空闲会话自动退出" }
        SEC_009_FIX = "inspect.pg.sec_009_fix" {
            en: "set idle_session_timeout (PostgreSQL 14+, for example 30min, per role for interactive users: ALTER ROLE … SET idle_session_timeout) or show that the bastion host ends idle sessions (等保 8.1.4.1b)",
            zh: "请设置 idle_session_timeout（PostgreSQL 14+，例如 30min，可按角色为交互用户设置：ALTER ROLE … SET idle_session_timeout），或证明堡垒机会结束空闲会话（等保 8.1.4.1b）"
        }
        SEC_010 = "inspect.pg.sec_010" { en: "TLS is enabled", zh: "已启用 TLS" }
        SEC_010_FIX = "inspect.pg.sec_010_fix" {
            en: "set ssl = on with a certificate and key (reload), so that passwords and data do not cross the network in clear (等保 8.1.4.1c, 8.1.2.2)",
            zh: "请设置 ssl = on 并配置证书和私钥（重新加载），避免口令和数据以明文在网络上传输（等保 8.1.4.1c、8.1.2.2）"
        }
        SEC_011 = "inspect.pg.sec_011" { en: "old TLS versions are refused", zh: "拒绝旧版本 TLS" }
        SEC_011_FIX = "inspect.pg.sec_011_fix" {
            en: "set ssl_min_protocol_version = 'TLSv1.2' (or TLSv1.3): TLS 1.0 and 1.1 are broken",
            zh: "请设置 ssl_min_protocol_version = 'TLSv1.2'（或 TLSv1.3）：TLS 1.0 和 1.1 已不安全"
        }
        SEC_012 = "inspect.pg.sec_012" { en: "remote access rules require TLS", zh: "远程访问规则要求 TLS" }
        SEC_012_FIX = "inspect.pg.sec_012_fix" {
            en: "change these pg_hba.conf lines from host to hostssl (and add 'hostnossl all all 0.0.0.0/0 reject'), then reload",
            zh: "请把 pg_hba.conf 中这些行的 host 改为 hostssl（并增加 'hostnossl all all 0.0.0.0/0 reject'），然后重新加载"
        }
        SEC_013 = "inspect.pg.sec_013" { en: "no password-less (trust) access", zh: "无免口令（trust）访问" }
        SEC_013_FIX = "inspect.pg.sec_013_fix" {
            en: "replace trust with scram-sha-256 (or peer for local administration) in pg_hba.conf and reload: trust lets anyone who reaches the port log in as any role",
            zh: "请把 pg_hba.conf 中的 trust 改为 scram-sha-256（本机管理可用 peer）并重新加载：trust 允许任何能访问端口的人以任意角色登录"
        }
        SEC_014 = "inspect.pg.sec_014" { en: "superusers cannot log in from anywhere", zh: "超级用户不能从任意地址登录" }
        SEC_014_FIX = "inspect.pg.sec_014_fix" {
            en: "restrict superuser logins to local peer or the bastion host's address: add a 'reject' line for superusers before the broad rules, or narrow the address (等保 8.1.4.2b, 8.1.4.4c)",
            zh: "请将超级用户登录限制为本机 peer 或堡垒机地址：在宽泛规则之前为超级用户增加 reject 行，或缩小地址范围（等保 8.1.4.2b、8.1.4.4c）"
        }
        SEC_015 = "inspect.pg.sec_015" { en: "pg_hba.conf has no errors", zh: "pg_hba.conf 无错误" }
        SEC_015_FIX = "inspect.pg.sec_015_fix" {
            en: "fix the lines in error: the server keeps the previous rules until pg_hba.conf loads cleanly, so the file on disk is not what is in force",
            zh: "请修正出错的行：pg_hba.conf 未能正确加载前，服务器会沿用旧规则，因此磁盘上的文件并非当前生效的规则"
        }
        SEC_016 = "inspect.pg.sec_016" { en: "PUBLIC cannot create objects in schema public", zh: "PUBLIC 不能在 public 模式中创建对象" }
        SEC_016_FIX = "inspect.pg.sec_016_fix" {
            en: "REVOKE CREATE ON SCHEMA public FROM PUBLIC (the default since PostgreSQL 15): otherwise any user can plant functions that others run",
            zh: "请执行 REVOKE CREATE ON SCHEMA public FROM PUBLIC（PostgreSQL 15 起为默认）：否则任何用户都能植入被他人执行的函数"
        }
        SEC_016_SEEN = "inspect.pg.sec_016_seen" { en: "PUBLIC may create in schema public: {value}", zh: "PUBLIC 可在 public 模式中创建对象：{value}" }
        SEC_017 = "inspect.pg.sec_017" { en: "SECURITY DEFINER functions pin search_path", zh: "SECURITY DEFINER 函数固定了 search_path" }
        SEC_017_FIX = "inspect.pg.sec_017_fix" {
            en: "ALTER FUNCTION … SET search_path = pg_catalog, pg_temp (and qualify names): otherwise a caller can make the function run their objects with its owner's rights",
            zh: "请执行 ALTER FUNCTION … SET search_path = pg_catalog, pg_temp（并使用限定名）：否则调用者可让函数以属主权限执行其对象"
        }
        SEC_018 = "inspect.pg.sec_018" { en: "roles with powerful attributes", zh: "具有高权限属性的角色" }
        SEC_018_FIX = "inspect.pg.sec_018_fix" {
            en: "review that each of these roles needs CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, and that admin, audit and security duties sit with different people (等保 8.1.4.2d)",
            zh: "请确认这些角色确实需要 CREATEROLE、CREATEDB、REPLICATION 或 BYPASSRLS，且管理、审计、安全职责由不同人员承担（等保 8.1.4.2d）"
        }
        SEC_019 = "inspect.pg.sec_019" { en: "no table privileges granted to PUBLIC", zh: "未向 PUBLIC 授予表权限" }
        SEC_019_FIX = "inspect.pg.sec_019_fix" {
            en: "REVOKE these privileges FROM PUBLIC and grant them to the roles that need them (等保 8.1.4.2e: access control down to users and tables)",
            zh: "请从 PUBLIC 收回这些权限，并授予确实需要的角色（等保 8.1.4.2e：访问控制粒度到用户与表）"
        }
        SEC_020 = "inspect.pg.sec_020" { en: "security audit logging is enabled", zh: "已启用安全审计日志" }
        SEC_020_FIX = "inspect.pg.sec_020_fix" {
            en: "load pgaudit with pgaudit.log = 'ddl, role' (add write if policy asks), or at least log_statement = ddl, and set log_connections and log_disconnections = on (等保 8.1.4.3a)",
            zh: "请加载 pgaudit 并设置 pgaudit.log = 'ddl, role'（按策略可加 write），或至少设置 log_statement = ddl，并开启 log_connections 与 log_disconnections（等保 8.1.4.3a）"
        }
        SEC_020_SEEN = "inspect.pg.sec_020_seen" {
            en: "pgaudit: {pgaudit}; log_statement = {statement}; log_connections = {connections}; log_disconnections = {disconnections}",
            zh: "pgaudit：{pgaudit}；log_statement = {statement}；log_connections = {connections}；log_disconnections = {disconnections}"
        }
        SEC_021 = "inspect.pg.sec_021" { en: "audit records say when, who, from where", zh: "审计记录包含时间、用户与来源" }
        SEC_021_FIX = "inspect.pg.sec_021_fix" {
            en: "set log_line_prefix to include time (%m), user (%u), database (%d), client (%h or %r), process (%p) and SQLSTATE (%e), e.g. '%m [%p] %u@%d %r %e ' (等保 8.1.4.3b)",
            zh: "请在 log_line_prefix 中包含时间（%m）、用户（%u）、数据库（%d）、客户端（%h 或 %r）、进程（%p）和 SQLSTATE（%e），例如 '%m [%p] %u@%d %r %e '（等保 8.1.4.3b）"
        }
        SEC_021_SEEN = "inspect.pg.sec_021_seen" {
            en: "log_line_prefix = '{prefix}'; missing: {missing}",
            zh: "log_line_prefix = '{prefix}'；缺少：{missing}"
        }
        SEC_022 = "inspect.pg.sec_022" { en: "audit logs are protected and kept", zh: "审计日志受保护并留存" }
        SEC_022_FIX = "inspect.pg.sec_022_fix" {
            en: "write logs with logging_collector (log_file_mode = 0600) without a short rotation cycle, and ship them to syslog or the log platform kept for at least six months (《网络安全法》第二十一条, 等保 8.1.4.3c)",
            zh: "请开启 logging_collector（log_file_mode = 0600）且不使用短周期循环覆盖，并转发到 syslog 或日志平台留存至少六个月（《网络安全法》第二十一条，等保 8.1.4.3c）"
        }
        SEC_022_STDERR = "inspect.pg.sec_022_stderr" {
            en: "logs go to stderr without logging_collector: where they end up and how long they stay is outside the server",
            zh: "日志输出到 stderr 且未开启 logging_collector：日志去向和留存时间不受服务器控制"
        }
        SEC_022_CYCLE = "inspect.pg.sec_022_cycle" {
            en: "log files are overwritten in a cycle (log_truncate_on_rotation = on, log_filename = '{filename}'): they are kept for days, not six months",
            zh: "日志文件循环覆盖（log_truncate_on_rotation = on，log_filename = '{filename}'）：只能保留数天，而非六个月"
        }
        SEC_022_MODE = "inspect.pg.sec_022_mode" {
            en: "log files are readable by others (log_file_mode = {mode})",
            zh: "日志文件可被其他用户读取（log_file_mode = {mode}）"
        }
        SEC_022_KEPT = "inspect.pg.sec_022_kept" {
            en: "logs written by the collector to {dir}, mode {mode}, not overwritten in a cycle",
            zh: "日志由收集器写入 {dir}，权限 {mode}，不循环覆盖"
        }
        SEC_022_SYSLOG = "inspect.pg.sec_022_syslog" {
            en: "cannot decide: logs go to {destination}; an assessor would ask to see the central log platform's retention setting and logs from six months ago",
            zh: "无法判定：日志发送到 {destination}；测评人员会要求查看集中日志平台的留存设置及六个月前的日志"
        }
        SEC_023 = "inspect.pg.sec_023" { en: "administrators log in with two factors", zh: "管理员采用双因素登录" }
        SEC_023_FIX = "inspect.pg.sec_023_fix" {
            en: "require client certificates for superusers (hostssl … scram-sha-256 clientcert=verify-full, or cert), or document the bastion host's two-factor login (等保 8.1.4.1d)",
            zh: "请要求超级用户使用客户端证书（hostssl … scram-sha-256 clientcert=verify-full，或 cert），或提供堡垒机双因素登录的书面说明（等保 8.1.4.1d）"
        }
        SEC_023_CERT = "inspect.pg.sec_023_cert" {
            en: "pg_hba.conf requires a client certificate on {count} rules for superusers",
            zh: "pg_hba.conf 中有 {count} 条超级用户规则要求客户端证书"
        }
        SEC_023_UNDECIDED = "inspect.pg.sec_023_undecided" {
            en: "cannot decide: no pg_hba rule asks superusers for a client certificate; two-factor login is often done by a bastion host, which an assessor would ask to see (its OTP/UKey login and the rule that admins connect only through it)",
            zh: "无法判定：pg_hba 中没有要求超级用户提供客户端证书的规则；双因素登录通常由堡垒机实现，测评人员会要求查看其动态口令/UKey 登录及管理员只能经其连接的规则"
        }
        SEC_024 = "inspect.pg.sec_024" { en: "no disabled triggers", zh: "无被禁用的触发器" }
        SEC_024_FIX = "inspect.pg.sec_024_fix" {
            en: "a disabled trigger can mean a skipped audit or integrity rule: ALTER TABLE … ENABLE TRIGGER, or drop it if it is obsolete",
            zh: "被禁用的触发器可能意味着审计或完整性规则被绕过：请执行 ALTER TABLE … ENABLE TRIGGER，若已废弃则删除"
        }
        SEC_025 = "inspect.pg.sec_025" { en: "security labels on sensitive rows", zh: "敏感数据设置了安全标记" }
        SEC_025_FIX = "inspect.pg.sec_025_fix" {
            en: "label and protect sensitive rows with row-level security policies (CREATE POLICY, ALTER TABLE … ENABLE ROW LEVEL SECURITY), or document why it does not apply (等保 8.1.4.2g)",
            zh: "请用行级安全策略标记并保护敏感数据（CREATE POLICY、ALTER TABLE … ENABLE ROW LEVEL SECURITY），或书面说明不适用的理由（等保 8.1.4.2g）"
        }
        SEC_025_SEEN = "inspect.pg.sec_025_seen" {
            en: "{tables} tables with row-level security, {policies} policies",
            zh: "{tables} 张表启用了行级安全，共 {policies} 条策略"
        }
        SEC_025_UNDECIDED = "inspect.pg.sec_025_undecided" {
            en: "cannot decide: no row-level security policies; an assessor would ask how sensitive data is labelled, or for the documented reason it does not apply",
            zh: "无法判定：没有行级安全策略；测评人员会询问敏感数据如何标记，或要求提供不适用的书面说明"
        }
        SEC_026 = "inspect.pg.sec_026" { en: "data encrypted at rest", zh: "数据加密存储" }
        SEC_026_FIX = "inspect.pg.sec_026_fix" {
            en: "community PostgreSQL has no transparent data encryption: use an encrypted filesystem (LUKS) or a TDE build, pgcrypto for sensitive columns, and encrypted backups (等保 8.1.4.8b)",
            zh: "社区版 PostgreSQL 没有透明数据加密：请使用加密文件系统（LUKS）或带 TDE 的发行版，敏感列用 pgcrypto 加密，备份加密存储（等保 8.1.4.8b）"
        }
        SEC_026_UNDECIDED = "inspect.pg.sec_026_undecided" {
            en: "cannot decide from the database: community PostgreSQL has no built-in encryption at rest (pgcrypto installed: {pgcrypto}); an assessor would ask to see the encrypted filesystem or TDE setup and the backup encryption",
            zh: "无法仅凭数据库判定：社区版 PostgreSQL 没有内置的存储加密（pgcrypto 已安装：{pgcrypto}）；测评人员会要求查看加密文件系统或 TDE 配置以及备份加密"
        }
        SEC_027 = "inspect.pg.sec_027" { en: "the server listens only where needed", zh: "服务器仅在必要的地址上监听" }
        SEC_027_FIX = "inspect.pg.sec_027_fix" {
            en: "set listen_addresses to the addresses clients use instead of '*' (restart), and firewall the port to the application servers and the bastion host (等保 8.1.4.4a/b)",
            zh: "请把 listen_addresses 从 '*' 改为客户端实际使用的地址（需重启），并用防火墙将端口限制为应用服务器和堡垒机（等保 8.1.4.4a/b）"
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
    vec![
        // pg_gather flags more than 2 superusers (pgwatch only from 10).
        check("PG-SEC-001", S, msg::SEC_001, msg::SEC_001_FIX, |c| {
            let rows = login_roles(c, |r| value::bool_of(r.get("superuser")) == Some(true))?;
            check::counted(c, &rows, "role")
        })
        .th(vec![count("warning", 3.0), count("critical", 10.0)])
        .probes(&["roles"])
        .tags(&["djbh3:8.1.4.2d"])
        .src("pg_gather > 2 superusers; pgwatch `reco_superusers` ≥ 10"),
        check("PG-SEC-002", S, msg::SEC_002, msg::SEC_002_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("authid")?
                .iter()
                .filter(|r| value::bool_of(r.get("login")) == Some(true))
                .filter(|r| value::bool_of(r.get("no_password")) == Some(true))
                .map(|r| pick(r, &["role", "superuser"]))
                .collect();
            check::list(c, &rows, Status::Warning, "role")
        })
        .probes(&["authid"])
        .needs(crate::msg::NEEDS_SUPER)
        .tags(&["djbh3:8.1.4.1a"])
        .src("等保 8.1.4.1a: pg_authid.rolpassword IS NULL for login roles"),
        check("PG-SEC-003", S, msg::SEC_003, msg::SEC_003_FIX, sec_003)
            .probes(&["authid"])
            .tags(&["djbh3:8.1.4.1a"])
            .src("postgresqltuner; ours: md5 deprecated in PostgreSQL 18"),
        check("PG-SEC-004", S, msg::SEC_004, msg::SEC_004_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("authid")?
                .iter()
                .filter(|r| value::bool_of(r.get("password_is_name")) == Some(true))
                .map(|r| pick(r, &["role", "superuser"]))
                .collect();
            check::list(c, &rows, Status::Critical, "role")
        })
        .probes(&["authid"])
        .needs(crate::msg::NEEDS_SUPER)
        .tags(&["djbh3:8.1.4.1a", "djbh3:8.1.4.2b"])
        .src("postgresqltuner: password = user name (md5 hashes are verifiable; SCRAM ones are not)"),
        // postgresqltuner warns seven days ahead.
        check("PG-SEC-005", S, msg::SEC_005, msg::SEC_005_FIX, sec_005)
            .th(vec![secs("warning", 7.0 * 86_400.0)])
            .probes(&["roles"])
            .tags(&["djbh3:8.1.4.2a"])
            .src("postgresqltuner: rolvaliduntil < 7 days; 等保 8.1.4.2c expired accounts"),
        check("PG-SEC-006", S, msg::SEC_006, msg::SEC_006_FIX, |c| {
            let libs = preload(c);
            let ok = libs.iter().any(|l| l == "passwordcheck" || l == "credcheck");
            Ok(Outcome::new(
                if ok { Status::Ok } else { Status::Warning },
                Text::new(msg::SEC_006_SEEN).arg("libs", libs.join(",")),
            ))
        })
        .tags(&["djbh3:8.1.4.1a"])
        .src("等保 8.1.4.1a: passwordcheck | credcheck loaded"),
        // 等保 practice: passwords changed at least every 90 days.
        check("PG-SEC-007", S, msg::SEC_007, msg::SEC_007_FIX, sec_007)
            .th(vec![secs("max_age", 90.0 * 86_400.0)])
            .probes(&["roles"])
            .tags(&["djbh3:8.1.4.1a"])
            .src("等保 8.1.4.1a periodic change: rolvaliduntil set and ≤ now() + 90 d"),
        check("PG-SEC-008", S, msg::SEC_008, msg::SEC_008_FIX, sec_008)
            .tags(&["djbh3:8.1.4.1b"])
            .src("等保 8.1.4.1b: credcheck.max_auth_failure or auth_delay + fail2ban"),
        // 等保 testers accept 10–30 min for idle logout (research §6).
        check("PG-SEC-009", S, msg::SEC_009, msg::SEC_009_FIX, sec_009)
            .th(vec![secs("warning", 1800.0)])
            .tags(&["djbh3:8.1.4.1b"])
            .src("等保 8.1.4.1b: idle_session_timeout (PG 14+) ≤ 10–30 min; conflicts with pg_gather (research §4.4)"),
        check("PG-SEC-010", S, msg::SEC_010, msg::SEC_010_FIX, |c| check::must_be_on(c, "ssl", Status::Warning))
            .tags(&["djbh3:8.1.4.1c"])
            .src("等保 8.1.4.1c, 8.1.2.2: ssl = on"),
        check("PG-SEC-011", S, msg::SEC_011, msg::SEC_011_FIX, |c| {
            if !c.setting("ssl")?.is_on() {
                return check::setting(c, "ssl", |_| false, Status::Ok, "on");
            }
            check::setting(
                c,
                "ssl_min_protocol_version",
                |s| matches!(s.value.as_str(), "TLSv1" | "TLSv1.1" | ""),
                Status::Warning,
                "TLSv1.2",
            )
        })
        .tags(&["djbh3:8.1.4.1c"])
        .src("等保 8.1.4.1c: ssl_min_protocol_version ≥ TLSv1.2"),
        check("PG-SEC-012", S, msg::SEC_012, msg::SEC_012_FIX, |c| {
            let rows = hba(c, |r| {
                matches!(value::text_of(r.get("type")).as_str(), "host" | "hostnossl")
                    && !hba_local(r)
                    && !reject(r)
            })?;
            check::list(c, &rows, Status::Warning, "rule")
        })
        .probes(&["hba"])
        .needs(crate::msg::NEEDS_SUPER)
        .tags(&["djbh3:8.1.4.1c"])
        .src("等保 8.1.4.1c: only hostssl lines for non-local addresses (pg_hba_file_rules)"),
        check("PG-SEC-013", S, msg::SEC_013, msg::SEC_013_FIX, |c| {
            let rows = hba(c, |r| value::text_of(r.get("auth_method")) == "trust")?;
            // Trust over the network is anyone; trust on the local socket is any OS user.
            let remote = rows.iter().any(|r| !hba_local(r));
            let mut o = check::list_outcome(c, &rows, Status::Warning, "rule");
            if remote {
                o.status = Status::Critical;
            }
            Ok(o)
        })
        .probes(&["hba"])
        .needs(crate::msg::NEEDS_SUPER)
        .tags(&["djbh3:8.1.4.1a", "djbh3:8.1.4.2b"])
        .src("ours: trust for non-local addresses → critical; pg_gather HBA review"),
        check("PG-SEC-014", S, msg::SEC_014, msg::SEC_014_FIX, sec_014)
            .probes(&["hba", "roles"])
            .needs(crate::msg::NEEDS_SUPER)
            .tags(&["djbh3:8.1.4.2b"])
            .src("等保 8.1.4.2b/8.1.4.4c: superuser reachable from 0.0.0.0/0"),
        check("PG-SEC-015", S, msg::SEC_015, msg::SEC_015_FIX, |c| {
            let rows = hba(c, |r| !value::text_of(r.get("error")).is_empty())?;
            check::list(c, &rows, Status::Warning, "rule")
        })
        .probes(&["hba"])
        .needs(crate::msg::NEEDS_SUPER)
        .src("pg_gather: erroneous HBA lines (pg_hba_file_rules.error)"),
        check("PG-SEC-016", S, msg::SEC_016, msg::SEC_016_FIX, |c| {
            let yes = value::bool_of(c.row("public_schema")?.get("public_create")).unwrap_or(false);
            Ok(Outcome::new(
                if yes { Status::Warning } else { Status::Ok },
                Text::new(msg::SEC_016_SEEN).arg("value", yes),
            ))
        })
        .probes(&["public_schema"])
        .tags(&["djbh3:8.1.4.2d"])
        .src("pgwatch `reco_default_public_schema`"),
        check("PG-SEC-017", S, msg::SEC_017, msg::SEC_017_FIX, |c| {
            let rows = c.rows("secdef")?;
            check::list(c, rows, Status::Warning, "function")
        })
        .probes(&["secdef"])
        .tags(&["djbh3:8.1.4.2d"])
        .src("pgwatch `reco_sprocs_wo_search_path`"),
        check("PG-SEC-018", S, msg::SEC_018, msg::SEC_018_FIX, |c| {
            let rows: Vec<Row> = c
                .rows("roles")?
                .iter()
                .filter(|r| value::bool_of(r.get("superuser")) != Some(true))
                .filter(|r| {
                    ["createrole", "createdb", "replication", "bypassrls"]
                        .iter()
                        .any(|k| value::bool_of(r.get(*k)) == Some(true))
                })
                .cloned()
                .collect();
            check::list(c, &rows, Status::Info, "role")
        })
        .probes(&["roles"])
        .tags(&["djbh3:8.1.4.2d"])
        .src("等保 8.1.4.2d: rolcreaterole/rolcreatedb/rolbypassrls/rolreplication only on named roles"),
        check("PG-SEC-019", S, msg::SEC_019, msg::SEC_019_FIX, |c| {
            let rows = c.rows("public_grants")?;
            check::list(c, rows, Status::Warning, "table")
        })
        .probes(&["public_grants"])
        .tags(&["djbh3:8.1.4.2e"])
        .src("等保 8.1.4.2e: no GRANT … TO PUBLIC on tables"),
        check("PG-SEC-020", S, msg::SEC_020, msg::SEC_020_FIX, sec_020)
            .tags(&["djbh3:8.1.4.3a"])
            .src("等保 8.1.4.3a: pgaudit ⊇ ddl,role or log_statement ≥ ddl; log_connections/disconnections"),
        check("PG-SEC-021", S, msg::SEC_021, msg::SEC_021_FIX, sec_021)
            .tags(&["djbh3:8.1.4.3b"])
            .src("等保 8.1.4.3b: log_line_prefix has %m/%t, %u, %d, %r/%h, %p"),
        check("PG-SEC-022", S, msg::SEC_022, msg::SEC_022_FIX, sec_022)
            .tags(&["djbh3:8.1.4.3c"])
            .src("等保 8.1.4.3c; 《网络安全法》第二十一条 six months; log_file_mode 0600"),
        check("PG-SEC-023", S, msg::SEC_023, msg::SEC_023_FIX, sec_023)
            .probes(&["hba", "roles"])
            .needs(crate::msg::NEEDS_SUPER)
            .tags(&["djbh3:8.1.4.1d"])
            .src("等保 8.1.4.1d: clientcert=verify-full / cert for superusers, or a bastion attestation"),
        // check_postgres `disabled_triggers`: W 1 / C 1.
        check("PG-SEC-024", S, msg::SEC_024, msg::SEC_024_FIX, |c| {
            let rows = c.rows("disabled_triggers")?;
            check::list(c, rows, Status::Warning, "trigger")
        })
        .probes(&["disabled_triggers"])
        .src("check_postgres `disabled_triggers`; pgwatch"),
        check("PG-SEC-025", S, msg::SEC_025, msg::SEC_025_FIX, |c| {
            let r = c.row("rls")?;
            let tables = value::f64_of(r.get("rls_tables")).unwrap_or(0.0);
            let policies = value::f64_of(r.get("policies")).unwrap_or(0.0);
            if policies == 0.0 {
                return Err(Skip(Text::new(msg::SEC_025_UNDECIDED)));
            }
            Ok(Outcome::new(
                Status::Ok,
                Text::new(msg::SEC_025_SEEN)
                    .arg("tables", tables)
                    .arg("policies", policies),
            ))
        })
        .probes(&["rls"])
        .tags(&["djbh3:8.1.4.2g"])
        .src("等保 8.1.4.2g: pg_policy / relrowsecurity (usually 部分符合)"),
        // Always undecided on community PostgreSQL: nothing in the catalogue shows encryption
        // below it; the reason says what to show instead.
        check("PG-SEC-026", S, msg::SEC_026, msg::SEC_026_FIX, |c| {
            let pgcrypto = c.base().extensions.iter().any(|e| e == "pgcrypto");
            Err(Skip(Text::new(msg::SEC_026_UNDECIDED).arg("pgcrypto", pgcrypto)))
        })
        .tags(&["djbh3:8.1.4.8b"])
        .src("等保 8.1.4.8b: no TDE in community PostgreSQL (research §6)"),
        check("PG-SEC-027", S, msg::SEC_027, msg::SEC_027_FIX, |c| {
            check::setting(
                c,
                "listen_addresses",
                |s| s.value.split(',').any(|a| matches!(a.trim(), "*" | "0.0.0.0" | "::")),
                Status::Info,
                "the addresses clients use",
            )
        })
        .tags(&["djbh3:8.1.4.4a"])
        .src("等保 8.1.4.4a/b: listen_addresses not '*' when unneeded"),
    ]
}

/// A row with only the named columns (evidence must not carry password hashes).
fn pick(r: &Row, keys: &[&str]) -> Row {
    keys.iter()
        .filter_map(|k| r.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

fn login_roles(c: &Ctx<'_>, keep: impl Fn(&Row) -> bool) -> Result<Vec<Row>, Skip> {
    Ok(c.rows("roles")?
        .iter()
        .filter(|r| value::bool_of(r.get("login")) == Some(true))
        .filter(|r| keep(r))
        .cloned()
        .collect())
}

fn preload(c: &Ctx<'_>) -> Vec<String> {
    c.opt_setting("shared_preload_libraries")
        .map(|s| {
            s.value
                .split(',')
                .map(|l| l.trim().trim_matches('"').to_string())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn sec_003(c: &Ctx<'_>) -> Eval {
    let enc = c.setting("password_encryption")?.value.clone();
    let weak: Vec<Row> = match c.rows("authid") {
        Ok(rows) => rows
            .iter()
            .filter(|r| {
                value::bool_of(r.get("md5")) == Some(true)
                    || value::bool_of(r.get("plain")) == Some(true)
            })
            .map(|r| pick(r, &["role", "md5", "plain"]))
            .collect(),
        // Without pg_authid the setting alone still decides part of it.
        Err(_) if enc != "scram-sha-256" => Vec::new(),
        Err(e) => return Err(e),
    };
    let bad = enc != "scram-sha-256" || !weak.is_empty();
    Ok(Outcome::new(
        if bad { Status::Warning } else { Status::Ok },
        Text::new(msg::SEC_003_SEEN).arg("setting", &enc).arg(
            "list",
            if weak.is_empty() {
                "-".into()
            } else {
                check::names(&weak, "role", 5)
            },
        ),
    )
    .value("password_encryption", enc)
    .rows(&weak, c.max_rows()))
}

fn sec_005(c: &Ctx<'_>) -> Eval {
    let now = c.run.now;
    let horizon = now + chrono::Duration::seconds(c.t("warning") as i64);
    let mut status = Status::Ok;
    let rows = login_roles(c, |r| {
        value::time_of(r.get("valid_until")).is_some_and(|t| t <= horizon)
    })?;
    for r in &rows {
        let t = value::time_of(r.get("valid_until"));
        status = status.max(if t.is_some_and(|t| t < now) {
            Status::Info
        } else {
            Status::Warning
        });
    }
    let mut o = check::list_outcome(c, &rows, Status::Warning, "role");
    o.status = status;
    Ok(o)
}

fn sec_007(c: &Ctx<'_>) -> Eval {
    let max = c.run.now + chrono::Duration::seconds(c.t("max_age") as i64);
    let rows: Vec<Row> = login_roles(c, |r| {
        value::time_of(r.get("valid_until")).is_none_or(|t| t > max)
    })?
    .iter()
    .map(|r| pick(r, &["role", "superuser", "valid_until"]))
    .collect();
    let days = format!("{:.0}", c.t("max_age") / 86_400.0);
    Ok(check::list_outcome(c, &rows, Status::Warning, "role")
        .fix(Text::new(msg::SEC_007_FIX).arg("days", days)))
}

fn sec_008(c: &Ctx<'_>) -> Eval {
    let libs = preload(c);
    let credcheck = libs.iter().any(|l| l == "credcheck")
        && c.opt_setting("credcheck.max_auth_failure")
            .and_then(|s| s.num())
            .is_some_and(|n| n > 0.0);
    let auth_delay = libs.iter().any(|l| l == "auth_delay")
        && c.opt_setting("auth_delay.milliseconds")
            .and_then(|s| s.num())
            .is_some_and(|n| n > 0.0);
    Ok(Outcome::new(
        if credcheck || auth_delay {
            Status::Ok
        } else {
            Status::Warning
        },
        Text::new(msg::SEC_008_SEEN)
            .arg("credcheck", credcheck)
            .arg("auth_delay", auth_delay),
    )
    .value("credcheck", credcheck)
    .value("auth_delay", auth_delay))
}

fn sec_009(c: &Ctx<'_>) -> Eval {
    c.need_version(140000, "14")?;
    let s = c.setting("idle_session_timeout")?;
    let secs_v = s.seconds().unwrap_or(0.0);
    let max = c.t("warning");
    let bad = secs_v <= 0.0 || secs_v > max;
    Ok(Outcome::new(
        if bad { Status::Warning } else { Status::Ok },
        if bad {
            Text::new(crate::msg::SETTING_BAD)
                .arg("name", "idle_session_timeout")
                .arg("value", s.shown())
                .arg("expected", format!("1s – {}", human_secs(max)))
        } else {
            Text::new(crate::msg::SETTING_IS)
                .arg("name", "idle_session_timeout")
                .arg("value", s.shown())
        },
    )
    .value("idle_session_timeout_seconds", secs_v))
}

/// pg_hba rules matching `keep`, each with a `rule` column that reads like the file's line.
fn hba(c: &Ctx<'_>, keep: impl Fn(&Row) -> bool) -> Result<Vec<Row>, Skip> {
    Ok(c.rows("hba")?
        .iter()
        .filter(|r| keep(r))
        .map(|r| {
            let mut r = r.clone();
            let mut addr = value::text_of(r.get("address"));
            let mask = value::text_of(r.get("netmask"));
            if !mask.is_empty() {
                addr = format!("{addr}/{mask}");
            }
            let rule = format!(
                "line {}: {} {} {} {} {}",
                value::text_of(r.get("line_number")),
                value::text_of(r.get("type")),
                list_of(&r, "database").join(","),
                list_of(&r, "users").join(","),
                addr,
                value::text_of(r.get("auth_method")),
            );
            r.insert(
                "rule".into(),
                serde_json::Value::String(rule.split_whitespace().collect::<Vec<_>>().join(" ")),
            );
            r
        })
        .collect())
}

fn hba_local(r: &Row) -> bool {
    if value::text_of(r.get("type")) == "local" {
        return true;
    }
    let addr = value::text_of(r.get("address"));
    addr.starts_with("127.") || addr == "::1" || addr == "localhost" || addr == "samehost"
}

fn hba_anywhere(r: &Row) -> bool {
    let addr = value::text_of(r.get("address"));
    let mask = value::text_of(r.get("netmask"));
    value::text_of(r.get("type")).starts_with("host")
        && (addr == "all"
            || (addr == "0.0.0.0" && mask == "0.0.0.0")
            || (addr == "::" && mask == "::"))
}

fn reject(r: &Row) -> bool {
    value::text_of(r.get("auth_method")) == "reject"
}

fn list_of(r: &Row, key: &str) -> Vec<String> {
    match r.get(key) {
        Some(serde_json::Value::Array(a)) => a.iter().map(|v| value::text_of(Some(v))).collect(),
        other => vec![value::text_of(other)],
    }
}

fn superusers(c: &Ctx<'_>) -> Result<Vec<String>, Skip> {
    Ok(c.rows("roles")?
        .iter()
        .filter(|r| value::bool_of(r.get("superuser")) == Some(true))
        .map(|r| value::text_of(r.get("role")))
        .collect())
}

/// Whether a rule's user list can match a superuser.
fn matches_superuser(r: &Row, supers: &[String]) -> bool {
    list_of(r, "users")
        .iter()
        .any(|u| u == "all" || supers.contains(u))
}

fn sec_014(c: &Ctx<'_>) -> Eval {
    let supers = superusers(c)?;
    // The first matching line wins in pg_hba.conf; a reject line for everyone from anywhere
    // before the broad rule would shadow it, which this simple reading does not follow — it
    // reports each broad line, and the remediation says to add a reject for superusers.
    let rows = hba(c, |r| {
        hba_anywhere(r) && !reject(r) && matches_superuser(r, &supers)
    })?;
    check::list(c, &rows, Status::Critical, "rule")
}

fn sec_020(c: &Ctx<'_>) -> Eval {
    let libs = preload(c);
    let pgaudit_log = c
        .opt_setting("pgaudit.log")
        .map(|s| s.value.to_ascii_lowercase())
        .unwrap_or_default();
    let pgaudit =
        libs.iter().any(|l| l == "pgaudit") && !pgaudit_log.is_empty() && pgaudit_log != "none";
    let statement = c
        .opt_setting("log_statement")
        .map(|s| s.value.clone())
        .unwrap_or_default();
    let statements_logged = matches!(statement.as_str(), "ddl" | "mod" | "all");
    let on = |n: &str| c.opt_setting(n).is_some_and(|s| s.is_on());
    let (conn, disc) = (on("log_connections"), on("log_disconnections"));
    let ok = (pgaudit || statements_logged) && conn && disc;
    Ok(Outcome::new(
        if ok { Status::Ok } else { Status::Warning },
        Text::new(msg::SEC_020_SEEN)
            .arg(
                "pgaudit",
                if pgaudit {
                    pgaudit_log.clone()
                } else {
                    "-".into()
                },
            )
            .arg("statement", &statement)
            .arg("connections", conn)
            .arg("disconnections", disc),
    )
    .value("pgaudit", pgaudit)
    .value("log_statement", statement)
    .value("log_connections", conn)
    .value("log_disconnections", disc))
}

fn sec_021(c: &Ctx<'_>) -> Eval {
    let prefix = c.setting("log_line_prefix")?.value.clone();
    let need: [(&str, &[&str]); 5] = [
        ("time", &["%m", "%t", "%n"]),
        ("user", &["%u"]),
        ("database", &["%d"]),
        ("client", &["%h", "%r"]),
        ("process", &["%p", "%c"]),
    ];
    let missing: Vec<&str> = need
        .iter()
        .filter(|(_, any)| !any.iter().any(|e| prefix.contains(e)))
        .map(|(n, _)| *n)
        .collect();
    Ok(Outcome::new(
        if missing.is_empty() {
            Status::Ok
        } else {
            Status::Warning
        },
        Text::new(msg::SEC_021_SEEN).arg("prefix", &prefix).arg(
            "missing",
            if missing.is_empty() {
                "-".into()
            } else {
                missing.join(", ")
            },
        ),
    )
    .value("log_line_prefix", prefix)
    .value("missing", missing))
}

fn sec_022(c: &Ctx<'_>) -> Eval {
    let get = |n: &str| {
        c.opt_setting(n)
            .map(|s| s.value.clone())
            .unwrap_or_default()
    };
    let destination = get("log_destination");
    let collector = c
        .opt_setting("logging_collector")
        .is_some_and(|s| s.is_on());
    if destination
        .split(',')
        .any(|d| matches!(d.trim(), "syslog" | "eventlog"))
        && !collector
    {
        return Err(Skip(
            Text::new(msg::SEC_022_SYSLOG).arg("destination", destination),
        ));
    }
    if !collector {
        return Ok(
            Outcome::new(Status::Warning, Text::new(msg::SEC_022_STDERR))
                .value("logging_collector", false),
        );
    }
    let filename = get("log_filename");
    let truncate = c
        .opt_setting("log_truncate_on_rotation")
        .is_some_and(|s| s.is_on());
    // A file name without the day of month and year (%a, %H…) repeats within a week or a day.
    let cyclic = truncate
        && !(filename.contains("%d") && (filename.contains("%Y") || filename.contains("%y")));
    if cyclic {
        return Ok(Outcome::new(
            Status::Warning,
            Text::new(msg::SEC_022_CYCLE).arg("filename", filename),
        ));
    }
    let mode = get("log_file_mode");
    let mode_bits = u32::from_str_radix(mode.trim_start_matches('0'), 8).unwrap_or(0o600);
    if mode_bits & 0o007 != 0 {
        return Ok(Outcome::new(
            Status::Warning,
            Text::new(msg::SEC_022_MODE).arg("mode", &mode),
        ));
    }
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::SEC_022_KEPT)
            .arg("dir", get("log_directory"))
            .arg("mode", mode),
    ))
}

fn sec_023(c: &Ctx<'_>) -> Eval {
    let supers = superusers(c)?;
    let rows = hba(c, |r| {
        !reject(r)
            && matches_superuser(r, &supers)
            && (value::text_of(r.get("auth_method")) == "cert"
                || list_of(r, "options")
                    .iter()
                    .any(|o| o == "clientcert=verify-full"))
    })?;
    if rows.is_empty() {
        return Err(Skip(Text::new(msg::SEC_023_UNDECIDED)));
    }
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::SEC_023_CERT).arg("count", rows.len()),
    )
    .rows(&rows, c.max_rows()))
}
