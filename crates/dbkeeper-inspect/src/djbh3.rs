//! The 等保 2.0 level-3 (GB/T 22239-2019, third level) security baseline: the database-relevant
//! clauses of 8.1.4 (安全计算环境), each with the checks that decide it (by their `djbh3:` tags)
//! and what an assessor would ask to see where a query cannot decide (research §6).

use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Msg, Text};

use crate::model::{ClauseResult, Finding, Status, Verdict};

/// One clause: its tag (`8.1.4.1a`), title and what an assessor asks for.
pub struct Clause {
    pub id: &'static str,
    pub title: Msg,
    pub asks: Msg,
}

pub const CLAUSES: &[Clause] = &[
    Clause {
        id: "8.1.4.1a",
        title: msg::C_1A,
        asks: msg::C_1A_ASKS,
    },
    Clause {
        id: "8.1.4.1b",
        title: msg::C_1B,
        asks: msg::C_1B_ASKS,
    },
    Clause {
        id: "8.1.4.1c",
        title: msg::C_1C,
        asks: msg::C_1C_ASKS,
    },
    Clause {
        id: "8.1.4.1d",
        title: msg::C_1D,
        asks: msg::C_1D_ASKS,
    },
    Clause {
        id: "8.1.4.2a",
        title: msg::C_2A,
        asks: msg::C_2A_ASKS,
    },
    Clause {
        id: "8.1.4.2b",
        title: msg::C_2B,
        asks: msg::C_2B_ASKS,
    },
    Clause {
        id: "8.1.4.2d",
        title: msg::C_2D,
        asks: msg::C_2D_ASKS,
    },
    Clause {
        id: "8.1.4.2e",
        title: msg::C_2E,
        asks: msg::C_2E_ASKS,
    },
    Clause {
        id: "8.1.4.2g",
        title: msg::C_2G,
        asks: msg::C_2G_ASKS,
    },
    Clause {
        id: "8.1.4.3a",
        title: msg::C_3A,
        asks: msg::C_3A_ASKS,
    },
    Clause {
        id: "8.1.4.3b",
        title: msg::C_3B,
        asks: msg::C_3B_ASKS,
    },
    Clause {
        id: "8.1.4.3c",
        title: msg::C_3C,
        asks: msg::C_3C_ASKS,
    },
    Clause {
        id: "8.1.4.4a",
        title: msg::C_4A,
        asks: msg::C_4A_ASKS,
    },
    Clause {
        id: "8.1.4.4e",
        title: msg::C_4E,
        asks: msg::C_4E_ASKS,
    },
    Clause {
        id: "8.1.4.7b",
        title: msg::C_7B,
        asks: msg::C_7B_ASKS,
    },
    Clause {
        id: "8.1.4.8b",
        title: msg::C_8B,
        asks: msg::C_8B_ASKS,
    },
    Clause {
        id: "8.1.4.9a",
        title: msg::C_9A,
        asks: msg::C_9A_ASKS,
    },
    Clause {
        id: "8.1.4.9b",
        title: msg::C_9B,
        asks: msg::C_9B_ASKS,
    },
    Clause {
        id: "8.1.4.9c",
        title: msg::C_9C,
        asks: msg::C_9C_ASKS,
    },
];

/// The verdict of every clause that has at least one check in `findings`: any warning or
/// critical fails it; otherwise a check that could not run leaves it undecided; otherwise pass.
pub(crate) fn clauses(_engine: EngineKind, findings: &[Finding]) -> Vec<ClauseResult> {
    CLAUSES
        .iter()
        .filter_map(|c| {
            let tag = format!("djbh3:{}", c.id);
            let mapped: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.compliance.iter().any(|t| *t == tag))
                .collect();
            if mapped.is_empty() {
                return None;
            }
            let verdict = if mapped
                .iter()
                .any(|f| matches!(f.status, Status::Warning | Status::Critical))
            {
                Verdict::Fail
            } else if mapped.iter().any(|f| f.status == Status::NotRun) {
                Verdict::CannotDecide
            } else {
                Verdict::Pass
            };
            Some(ClauseResult {
                clause: c.id,
                title: Text::new(c.title),
                verdict,
                checks: mapped.iter().map(|f| f.check).collect(),
                assessor_asks: Text::new(c.asks),
            })
        })
        .collect()
}

pub mod msg {
    dbkeeper_core::catalogue! {
        C_1A = "djbh3.8.1.4.1a" {
            en: "8.1.4.1a identification: unique accounts, complex passwords changed regularly",
            zh: "8.1.4.1a 身份鉴别：身份标识唯一，口令具有复杂度并定期更换"
        }
        C_1A_ASKS = "djbh3.8.1.4.1a.asks" {
            en: "the list of database accounts with their password settings, the password policy (module and its parameters) and the record of the last password changes",
            zh: "数据库账户清单及其口令设置、口令策略（所用模块及参数）、最近一次改密记录"
        }
        C_1B = "djbh3.8.1.4.1b" {
            en: "8.1.4.1b login failures are handled (lockout or delay) and idle sessions end",
            zh: "8.1.4.1b 具有登录失败处理功能（锁定或延迟），会话超时自动退出"
        }
        C_1B_ASKS = "djbh3.8.1.4.1b.asks" {
            en: "the lockout setting (or the fail2ban/bastion rule that does it) and the idle-session timeout, with a screenshot of a locked account",
            zh: "登录失败锁定配置（或实现锁定的 fail2ban/堡垒机规则）及会话超时配置，并提供账户被锁定的截图"
        }
        C_1C = "djbh3.8.1.4.1c" {
            en: "8.1.4.1c remote administration over an encrypted channel",
            zh: "8.1.4.1c 远程管理时采取加密措施防止鉴别信息被窃听"
        }
        C_1C_ASKS = "djbh3.8.1.4.1c.asks" {
            en: "the TLS settings of the server, the access rules that force TLS for remote clients, and a session list showing encrypted remote connections",
            zh: "服务器 TLS 配置、强制远程客户端使用 TLS 的访问规则，以及显示远程连接已加密的会话列表"
        }
        C_1D = "djbh3.8.1.4.1d" {
            en: "8.1.4.1d administrators use two or more authentication factors, one of them cryptographic",
            zh: "8.1.4.1d 管理员采用两种或以上组合鉴别技术，其中一种使用密码技术"
        }
        C_1D_ASKS = "djbh3.8.1.4.1d.asks" {
            en: "how administrators log in: client certificates on the database, or the bastion host's two-factor login (OTP/UKey) and a rule that admins can only connect through it",
            zh: "管理员的登录方式：数据库客户端证书，或堡垒机双因素登录（动态口令/UKey）以及管理员只能经堡垒机连接的规则"
        }
        C_2A = "djbh3.8.1.4.2a" {
            en: "8.1.4.2a/c accounts are assigned; expired, unused and shared accounts removed",
            zh: "8.1.4.2a/c 为用户分配账户，及时删除或停用多余、过期的账户，避免共享账户"
        }
        C_2A_ASKS = "djbh3.8.1.4.2a.asks" {
            en: "the account list mapped to named people or applications, and the record of accounts removed when people left",
            zh: "账户与责任人（或应用）对应清单，以及人员离岗时删除账户的记录"
        }
        C_2B = "djbh3.8.1.4.2b" {
            en: "8.1.4.2b default accounts renamed or restricted, default passwords changed",
            zh: "8.1.4.2b 重命名或限制默认账户，修改默认账户的默认口令"
        }
        C_2B_ASKS = "djbh3.8.1.4.2b.asks" {
            en: "the access rules for the built-in superuser (postgres / root): from where it may log in and how",
            zh: "内置超级用户（postgres / root）的访问规则：允许从何处、以何种方式登录"
        }
        C_2D = "djbh3.8.1.4.2d" {
            en: "8.1.4.2d least privilege; administrator, auditor and security roles separated",
            zh: "8.1.4.2d 授予管理用户所需的最小权限，实现管理用户的权限分离"
        }
        C_2D_ASKS = "djbh3.8.1.4.2d.asks" {
            en: "the roles with administrative privileges and who holds them, showing that system, audit and security administration are separate accounts",
            zh: "拥有管理权限的角色及其持有人，证明系统管理、审计管理、安全管理由不同账户承担"
        }
        C_2E = "djbh3.8.1.4.2e" {
            en: "8.1.4.2e/f access control down to users and tables",
            zh: "8.1.4.2e/f 访问控制策略的粒度达到用户级主体和表级客体"
        }
        C_2E_ASKS = "djbh3.8.1.4.2e.asks" {
            en: "the grants on business tables (no grants to everyone) and the access rules by source address",
            zh: "业务表的授权情况（不向所有人授权）以及按来源地址的访问规则"
        }
        C_2G = "djbh3.8.1.4.2g" {
            en: "8.1.4.2g security labels on important subjects and objects",
            zh: "8.1.4.2g 对重要主体和客体设置安全标记"
        }
        C_2G_ASKS = "djbh3.8.1.4.2g.asks" {
            en: "how sensitive rows are labelled and protected (row-level security policies), or the documented reason this is not applicable",
            zh: "敏感数据如何标记与保护（行级安全策略），或不适用的书面说明"
        }
        C_3A = "djbh3.8.1.4.3a" {
            en: "8.1.4.3a security audit enabled, covering every user and important events",
            zh: "8.1.4.3a 启用安全审计功能，审计覆盖到每个用户，对重要安全事件进行审计"
        }
        C_3A_ASKS = "djbh3.8.1.4.3a.asks" {
            en: "the audit configuration (audit plugin or statement logging) and a sample of audit records of logins and DDL",
            zh: "审计配置（审计插件或语句日志）以及登录和 DDL 的审计记录样例"
        }
        C_3B = "djbh3.8.1.4.3b" {
            en: "8.1.4.3b audit records hold date and time, user, event type and outcome",
            zh: "8.1.4.3b 审计记录包括事件的日期和时间、用户、事件类型、事件是否成功"
        }
        C_3B_ASKS = "djbh3.8.1.4.3b.asks" {
            en: "a few audit log lines showing timestamp, user, client address, event and success or failure",
            zh: "几行审计日志，显示时间、用户、客户端地址、事件及成功与否"
        }
        C_3C = "djbh3.8.1.4.3c" {
            en: "8.1.4.3c audit records protected and kept (at least six months)",
            zh: "8.1.4.3c 对审计记录进行保护并定期备份（留存不少于六个月）"
        }
        C_3C_ASKS = "djbh3.8.1.4.3c.asks" {
            en: "where audit logs are shipped (syslog/log platform), their file permissions, and logs from six months ago",
            zh: "审计日志的转发去向（syslog/日志平台）、文件权限，以及六个月前的日志"
        }
        C_4A = "djbh3.8.1.4.4a" {
            en: "8.1.4.4a/b minimal installation; unneeded services and ports closed",
            zh: "8.1.4.4a/b 遵循最小安装原则，关闭不需要的服务和端口"
        }
        C_4A_ASKS = "djbh3.8.1.4.4a.asks" {
            en: "the listening addresses and ports of the database and the installed extensions or plugins, with the reason each is needed",
            zh: "数据库监听的地址和端口、已安装的扩展或插件及各自的用途说明"
        }
        C_4E = "djbh3.8.1.4.4e" {
            en: "8.1.4.4e known vulnerabilities found and patched in time",
            zh: "8.1.4.4e 能发现可能存在的已知漏洞，并及时修补"
        }
        C_4E_ASKS = "djbh3.8.1.4.4e.asks" {
            en: "the server version, the vendor's support status for it, and the patch record",
            zh: "服务器版本、厂商对该版本的支持状态，以及补丁更新记录"
        }
        C_7B = "djbh3.8.1.4.7b" {
            en: "8.1.4.7b integrity of important data in storage is checked",
            zh: "8.1.4.7b 采用校验技术保证重要数据在存储过程中的完整性"
        }
        C_7B_ASKS = "djbh3.8.1.4.7b.asks" {
            en: "that page checksums (or doublewrite and checksums) are enabled",
            zh: "已启用数据页校验（或双写与校验）的证明"
        }
        C_8B = "djbh3.8.1.4.8b" {
            en: "8.1.4.8b confidentiality of important data in storage (encryption)",
            zh: "8.1.4.8b 采用密码技术保证重要数据在存储过程中的保密性"
        }
        C_8B_ASKS = "djbh3.8.1.4.8b.asks" {
            en: "how data files and backups are encrypted at rest (table encryption, encrypted filesystem, encrypted backups) and where the keys are kept",
            zh: "数据文件和备份如何加密存储（表加密、加密文件系统、加密备份）以及密钥保存位置"
        }
        C_9A = "djbh3.8.1.4.9a" {
            en: "8.1.4.9a local backup and restore of important data",
            zh: "8.1.4.9a 提供重要数据的本地数据备份与恢复功能"
        }
        C_9A_ASKS = "djbh3.8.1.4.9a.asks" {
            en: "the backup job's logs, the list of local backups with their dates, and the latest restore-drill report",
            zh: "备份任务日志、带日期的本地备份清单，以及最近一次还原演练报告"
        }
        C_9B = "djbh3.8.1.4.9b" {
            en: "8.1.4.9b offsite backup: important data copied to a backup site in time",
            zh: "8.1.4.9b 提供异地数据备份功能，将重要数据定时批量传送至备用场地"
        }
        C_9B_ASKS = "djbh3.8.1.4.9b.asks" {
            en: "the offsite repository (object storage or second site), its recent backups with dates, and the transfer log",
            zh: "异地备份库（对象存储或第二机房）、其中最近的备份及日期，以及传输日志"
        }
        C_9C = "djbh3.8.1.4.9c" {
            en: "8.1.4.9c hot redundancy of important database servers",
            zh: "8.1.4.9c 提供重要数据处理系统的热冗余，保证系统的高可用性"
        }
        C_9C_ASKS = "djbh3.8.1.4.9c.asks" {
            en: "the standby or cluster topology and its replication status",
            zh: "备库或集群拓扑及其复制状态"
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
