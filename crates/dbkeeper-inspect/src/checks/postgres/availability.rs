//! Availability and version: the server answers, its role, whether its statistics are old
//! enough to judge, restarts, the inspecting user's privileges, support and patch level.

use dbkeeper_core::engine::Role;
use dbkeeper_core::Text;

use crate::check::{Ctx, Def, Eval, Outcome, Skip};
use crate::checks::{check, common};
use crate::model::{Group, Status};
use crate::threshold::{count, secs};
use crate::value;

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        AV_001 = "inspect.pg.av_001" { en: "server answers queries", zh: "服务器可正常响应查询" }
        AV_001_FIX = "inspect.pg.av_001_fix" {
            en: "check that the server runs, listens on this address and accepts this user (pg_hba.conf)",
            zh: "请确认服务器在运行、监听该地址并允许该用户登录（pg_hba.conf）"
        }
        AV_002 = "inspect.pg.av_002" { en: "server role (primary or standby)", zh: "服务器角色（主库或备库）" }
        AV_002_FIX = "inspect.pg.av_002_fix" {
            en: "no action: the role decides which checks apply",
            zh: "无需处理：角色决定哪些检查项适用"
        }
        AV_002_PRIMARY = "inspect.pg.av_002_primary" { en: "primary (accepts writes)", zh: "主库（可写）" }
        AV_002_STANDBY = "inspect.pg.av_002_standby" { en: "standby (in recovery, read-only)", zh: "备库（恢复中，只读）" }
        AV_005 = "inspect.pg.av_005" {
            en: "the inspecting user can see everything",
            zh: "巡检用户有足够的查看权限"
        }
        AV_005_FIX = "inspect.pg.av_005_fix" {
            en: "inspect as a role with pg_monitor (GRANT pg_monitor TO the user); the security checks read pg_authid and pg_hba_file_rules, which need a superuser",
            zh: "请使用具有 pg_monitor 角色的用户巡检（GRANT pg_monitor TO 该用户）；安全类检查需读取 pg_authid 和 pg_hba_file_rules，须使用超级用户"
        }
        AV_005_SUPER = "inspect.pg.av_005_super" {
            en: "{user} is a superuser",
            zh: "{user} 是超级用户"
        }
        AV_005_PARTIAL = "inspect.pg.av_005_partial" {
            en: "{user} lacks {missing}: checks that need them are reported as not run",
            zh: "{user} 缺少 {missing}：需要这些权限的检查项将标记为未执行"
        }
        AV_006_FIX = "inspect.pg.av_006_fix" {
            en: "run dbkeeper on the database host to include memory, CPUs and disks",
            zh: "请在数据库主机上运行 dbkeeper，以包含内存、CPU 和磁盘信息"
        }
        VER_003 = "inspect.pg.ver_003" { en: "a released (not development) build", zh: "正式发布版本（非开发版）" }
        VER_003_FIX = "inspect.pg.ver_003_fix" {
            en: "do not run beta, release-candidate or development builds in production; install a released minor version",
            zh: "生产环境不得运行 beta、RC 或开发版本；请安装正式发布的小版本"
        }
        VER_003_SEEN = "inspect.pg.ver_003_seen" { en: "{version}", zh: "{version}" }
        VER_004 = "inspect.pg.ver_004" { en: "installed extensions", zh: "已安装的扩展" }
        VER_004_FIX = "inspect.pg.ver_004_fix" {
            en: "remove extensions nobody uses (minimal installation, 等保 8.1.4.4a); review the ones known to add risk or overhead",
            zh: "请删除无人使用的扩展（最小安装原则，等保 8.1.4.4a）；评估已知有风险或开销的扩展"
        }
        VER_004_SEEN = "inspect.pg.ver_004_seen" {
            en: "{count} extensions in this database: {list}",
            zh: "该数据库中有 {count} 个扩展：{list}"
        }
        VER_005 = "inspect.pg.ver_005" { en: "standard build (page and segment sizes)", zh: "标准编译参数（页大小与段大小）" }
        VER_005_FIX = "inspect.pg.ver_005_fix" {
            en: "a non-standard block or segment size makes backups, tools and upgrades harder; plan a move to a standard build",
            zh: "非标准的块大小或段大小会给备份、工具和升级带来困难；请规划迁移到标准编译版本"
        }
        VER_005_SEEN = "inspect.pg.ver_005_seen" {
            en: "block_size {block}, wal_block_size {wal_block}, segment_size {segment}",
            zh: "block_size {block}，wal_block_size {wal_block}，segment_size {segment}"
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
    use crate::checks::common::msg as cm;
    vec![
        check("PG-AV-001", Group::Availability, msg::AV_001, msg::AV_001_FIX, common::alive)
            .src("check_postgres `connection`; pgwatch `instance_up`"),
        check("PG-AV-002", Group::Availability, msg::AV_002, msg::AV_002_FIX, av_002)
            .src("pg_gather, pgwatch `in_recovery`: pg_is_in_recovery()"),
        // postgresqltuner: under a day of uptime "report may be inaccurate"; MySQLTuner asks
        // for 24 h too (research §1.4).
        check("PG-AV-003", Group::Availability, cm::STATS_AGE, cm::STATS_AGE_FIX, common::stats_age)
            .th(vec![secs("warning", 86_400.0)])
            .counters()
            .src("postgresqltuner: uptime < 1 day → report may be inaccurate"),
        check("PG-AV-004", Group::Availability, cm::RESTART, cm::RESTART_FIX, common::restart)
            .counters()
            .src("pg_gather: suspected crash / unclean shutdown; postmaster start vs previous snapshot"),
        check("PG-AV-005", Group::Availability, msg::AV_005, msg::AV_005_FIX, av_005)
            .src("postgresqltuner, pg_gather: missing pg_monitor/superuser → report incomplete"),
        check("PG-AV-006", Group::Availability, cm::HOST, msg::AV_006_FIX, common::host)
            .needs(crate::msg::NEEDS_HOST)
            .src("ours: host facts when local (CPUs, memory)"),
        // Support windows: https://www.postgresql.org/support/versioning/ (five years). Warn
        // half a year ahead: a major upgrade takes planning and a maintenance window.
        check("PG-VER-001", Group::Version, cm::VER_EOL, cm::VER_EOL_FIX, common::version_eol)
            .th(vec![secs("warning", 180.0 * 86_400.0)])
            .tags(&["djbh3:8.1.4.4e"])
            .src("pg_gather meta.json (oldest supported); check_postgres `new_version_pg`; data/versions.json"),
        // Any missed security release is a warning; three or more (nine months unpatched at
        // the quarterly cadence) critical (ours).
        check("PG-VER-002", Group::Version, cm::VER_MINOR, cm::VER_MINOR_FIX, common::version_minor)
            .th(vec![count("critical", 3.0)])
            .tags(&["djbh3:8.1.4.4e"])
            .src("check_postgres `new_version_pg`, pg_gather minor lag; data/versions.json"),
        check("PG-VER-003", Group::Version, msg::VER_003, msg::VER_003_FIX, ver_003)
            .src("postgresqltuner: devel/beta/rc in production"),
        // pg_gather: more than 4 extra extensions → review.
        check("PG-VER-004", Group::Version, msg::VER_004, msg::VER_004_FIX, ver_004)
            .th(vec![count("warning", 4.0)])
            .probes(&["extensions"])
            .tags(&["djbh3:8.1.4.4a"])
            .src("pg_gather: > 4 extensions, riskyExtn (citus, tds_fdw, pglogical)"),
        check("PG-VER-005", Group::Version, msg::VER_005, msg::VER_005_FIX, ver_005)
            .src("pg_gather: non-standard block_size / segment_size / wal_block_size"),
    ]
}

fn av_002(c: &Ctx<'_>) -> Eval {
    let role = c.base().facts.role;
    Ok(Outcome::new(
        Status::Ok,
        Text::new(match role {
            Role::Primary => msg::AV_002_PRIMARY,
            Role::Replica => msg::AV_002_STANDBY,
        }),
    )
    .value("role", serde_json::to_value(role).unwrap_or_default()))
}

fn av_005(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let p = &b.privileges;
    if p.superuser {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::AV_005_SUPER).arg("user", &b.target.user),
        ));
    }
    // Without pg_monitor whole areas are blind: a warning. With it, only the
    // superuser-only security checks are missing: worth knowing, not alarming.
    let status = if p.missing.iter().any(|m| m == "pg_monitor") {
        Status::Warning
    } else {
        Status::Info
    };
    Ok(Outcome::new(
        status,
        Text::new(msg::AV_005_PARTIAL)
            .arg("user", &b.target.user)
            .arg("missing", p.missing.join(", ")),
    )
    .value("missing", p.missing.clone()))
}

fn ver_003(c: &Ctx<'_>) -> Eval {
    // No test can provoke this: the scratch servers are Debian's released packages, and a
    // development build cannot be installed beside them for a test.
    let full = &c.base().facts.version_full;
    // `server_version`'s first word is `17devel`, `18beta1`, `16rc1` for such builds.
    let first = c
        .opt_setting("server_version")
        .map(|s| {
            s.value
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let pre = ["devel", "beta", "rc"].iter().any(|w| first.contains(w));
    Ok(Outcome::new(
        if pre { Status::Critical } else { Status::Ok },
        Text::new(msg::VER_003_SEEN).arg("version", full),
    ))
}

/// pg_gather's risky list: known to add overhead or change the server's behaviour.
const RISKY: &[&str] = &["citus", "tds_fdw", "pglogical"];

fn ver_004(c: &Ctx<'_>) -> Eval {
    let rows = c.rows("extensions")?;
    let names: Vec<String> = rows
        .iter()
        .map(|r| value::text_of(r.get("extension")))
        .filter(|n| n != "plpgsql")
        .collect();
    let risky: Vec<&String> = names
        .iter()
        .filter(|n| RISKY.contains(&n.as_str()))
        .collect();
    let status = if !risky.is_empty() || names.len() as f64 > c.t("warning") {
        Status::Info
    } else {
        Status::Ok
    };
    Ok(Outcome::new(
        status,
        Text::new(msg::VER_004_SEEN).arg("count", names.len()).arg(
            "list",
            if names.is_empty() {
                "-".to_string()
            } else {
                names.join(", ")
            },
        ),
    )
    .value("extensions", names.clone())
    .value(
        "risky",
        risky.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    ))
}

fn ver_005(c: &Ctx<'_>) -> Eval {
    // No test can provoke this: it needs a server compiled with other page sizes.
    let get = |n: &str| c.opt_setting(n).and_then(|s| s.num());
    let block = get("block_size").ok_or_else(|| Skip(Text::verbatim("block_size")))?;
    let wal_block = get("wal_block_size").unwrap_or(8192.0);
    // segment_size is in 8kB blocks: 131072 × 8 kB = 1 GiB.
    let segment = c
        .opt_setting("segment_size")
        .and_then(|s| s.bytes())
        .unwrap_or(1_073_741_824.0);
    let odd = block != 8192.0 || wal_block != 8192.0 || segment != 1_073_741_824.0;
    Ok(Outcome::new(
        if odd { Status::Warning } else { Status::Ok },
        Text::new(msg::VER_005_SEEN)
            .arg("block", block)
            .arg("wal_block", wal_block)
            .arg("segment", crate::threshold::human_bytes(segment)),
    ))
}
