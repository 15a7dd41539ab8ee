//! Checks both engine families share: version support and minor-release lag, backups and
//! restore drills, host space and growth. Each engine registers them under its own ids.

use chrono::{DateTime, Utc};
use dbkeeper_core::Text;

use crate::check::{Ctx, Eval, Outcome, Skip};
use crate::freshness::Known;
use crate::model::Status;
use crate::threshold::{human_bytes, human_secs};

pub(crate) mod msg {
    dbkeeper_core::catalogue! {
        // --- availability ---
        ALIVE = "inspect.common.alive" {
            en: "{product} {version}, connected as {user} to database {database}",
            zh: "{product} {version}，以 {user} 连接到数据库 {database}"
        }
        STATS_AGE = "inspect.common.stats_age" {
            en: "statistics cover enough time to judge",
            zh: "统计数据的时间跨度足以判断"
        }
        STATS_AGE_FIX = "inspect.common.stats_age_fix" {
            en: "read the ratios of this report with care and inspect again after a day of normal load",
            zh: "请谨慎看待本报告中的比率类结果，正常负载运行一天后再次巡检"
        }
        STATS_AGE_SEEN = "inspect.common.stats_age_seen" {
            en: "the server started {uptime} ago; statistics since {since}",
            zh: "服务器已运行 {uptime}；统计数据起始于 {since}"
        }
        RESTART = "inspect.common.restart" {
            en: "no restart since the previous inspection",
            zh: "自上次巡检以来未发生重启"
        }
        RESTART_FIX = "inspect.common.restart_fix" {
            en: "find out why the server restarted (server log: crash, OOM killer, maintenance) and record it in the work log",
            zh: "请查明服务器重启原因（服务器日志：崩溃、OOM、计划维护）并记入工作日志"
        }
        RESTARTED = "inspect.common.restarted" {
            en: "the server restarted at {started}, after the previous inspection at {previous}",
            zh: "服务器于 {started} 重启，晚于上次巡检时间 {previous}"
        }
        RESTART_SAME = "inspect.common.restart_same" {
            en: "running since {started}, as at the previous inspection ({previous})",
            zh: "自 {started} 起持续运行，与上次巡检（{previous}）时一致"
        }
        RESTART_FIRST = "inspect.common.restart_first" {
            en: "no earlier inspection of this target recorded; running since {started}",
            zh: "台账中没有该目标更早的巡检记录；自 {started} 起运行"
        }
        // --- version ---
        VER_EOL = "inspect.common.ver_eol" {
            en: "version still supported by the community",
            zh: "版本仍在社区支持期内"
        }
        VER_EOL_FIX = "inspect.common.ver_eol_fix" {
            en: "plan an upgrade to a supported major version: an unsupported server gets no security fixes (等保 8.1.4.4e)",
            zh: "请规划升级到仍受支持的大版本：停止支持的版本不再获得安全修复（等保 8.1.4.4e）"
        }
        VER_MINOR = "inspect.common.ver_minor" {
            en: "latest minor release installed (security fixes)",
            zh: "已安装最新小版本（安全修复）"
        }
        VER_MINOR_FIX = "inspect.common.ver_minor_fix" {
            en: "install the newest minor release of this branch: minor releases only fix bugs and security problems, need no dump or pg_upgrade, just a package update and a restart",
            zh: "请安装本分支最新的小版本：小版本只修复缺陷和安全问题，无需导出或 pg_upgrade，只需升级软件包并重启"
        }
        VER_SUPPORTED = "inspect.common.ver_supported" {
            en: "{product} {branch} is supported until {eol} ({days} days left; data {data})",
            zh: "{product} {branch} 的支持期至 {eol}（剩余 {days} 天；数据来源 {data}）"
        }
        VER_ENDS_SOON = "inspect.common.ver_ends_soon" {
            en: "{product} {branch} reaches end of life on {eol}, in {days} days (data {data})",
            zh: "{product} {branch} 将于 {eol} 停止支持，还剩 {days} 天（数据来源 {data}）"
        }
        VER_ENDED = "inspect.common.ver_ended" {
            en: "{product} {branch} reached end of life on {eol}, {days} days ago: no more security fixes (data {data})",
            zh: "{product} {branch} 已于 {eol} 停止支持（{days} 天前），不再有安全修复（数据来源 {data}）"
        }
        VER_UNKNOWN_BRANCH = "inspect.common.ver_unknown_branch" {
            en: "the version data ({data}) does not know {product} {version}",
            zh: "版本数据（{data}）中没有 {product} {version} 的信息"
        }
        VER_UNKNOWN_BRANCH_HINT = "inspect.common.ver_unknown_branch_hint" {
            en: "update the version data file (inspect.versions_file in the config)",
            zh: "请更新版本数据文件（配置中的 inspect.versions_file）"
        }
        VER_LATEST = "inspect.common.ver_latest" {
            en: "{version} is the newest {branch} release known (data {data})",
            zh: "{version} 是已知最新的 {branch} 版本（数据来源 {data}）"
        }
        VER_BEHIND = "inspect.common.ver_behind" {
            en: "{version} is {behind} minor releases behind {latest}; missed security releases: {missed}",
            zh: "{version} 落后最新版 {latest} 共 {behind} 个小版本；错过的安全更新：{missed}"
        }
        VER_BEHIND_NO_SECURITY = "inspect.common.ver_behind_no_security" {
            en: "{version} is {behind} minor releases behind {latest} (bug fixes only, as far as the data knows)",
            zh: "{version} 落后最新版 {latest} 共 {behind} 个小版本（据数据所知仅为缺陷修复）"
        }
        VER_SECURITY_UNLISTED = "inspect.common.ver_security_unlisted" {
            en: "security fixes, see the release notes",
            zh: "含安全修复，详见发布说明"
        }

        // --- backups and drills ---
        BAK_LAST = "inspect.common.bak_last" {
            en: "a recent backup exists",
            zh: "存在近期备份"
        }
        BAK_LAST_FIX = "inspect.common.bak_last_fix" {
            en: "find out why the scheduled backup did not run or failed (`dbkeeper backups list`, the ledger, the scheduler's log) and take one now: `dbkeeper backup TARGET --repo REPO`",
            zh: "请查明定时备份未执行或失败的原因（`dbkeeper backups list`、运行台账、调度日志），并立即执行一次备份：`dbkeeper backup 目标 --repo 备份库`"
        }
        BAK_OFFSITE = "inspect.common.bak_offsite" {
            en: "a recent offsite backup exists",
            zh: "存在近期异地备份"
        }
        BAK_OFFSITE_FIX = "inspect.common.bak_offsite_fix" {
            en: "back up to an offsite repository (S3-compatible object storage at another site) as well as the local one, in the same run: `dbkeeper backup TARGET --repo local --repo offsite`",
            zh: "请同时备份到异地备份库（另一机房的 S3 兼容对象存储）：`dbkeeper backup 目标 --repo local --repo offsite`"
        }
        BAK_ENCRYPTED = "inspect.common.bak_encrypted" {
            en: "offsite backups are encrypted",
            zh: "异地备份已加密"
        }
        BAK_ENCRYPTED_FIX = "inspect.common.bak_encrypted_fix" {
            en: "give the offsite repository age recipients (encryption.recipients in the config); backups that leave the site must be encrypted (等保 8.1.4.8b)",
            zh: "请为异地备份库配置 age 加密公钥（配置中的 encryption.recipients）；离开本机房的备份必须加密（等保 8.1.4.8b）"
        }
        DRILL = "inspect.common.drill" {
            en: "a recent successful restore drill",
            zh: "近期有成功的还原演练"
        }
        DRILL_FIX = "inspect.common.drill_fix" {
            en: "run a restore drill (`dbkeeper verify --latest TARGET`) and keep its report: the contract asks for regular restore tests, and a backup is only as good as its last restore",
            zh: "请执行还原演练（`dbkeeper verify --latest 目标`）并保存报告：合同要求定期开展还原测试，备份是否可用只能靠还原来证明"
        }
        BACKUP_AGE = "inspect.common.backup_age" {
            en: "newest backup finished {age} ago ({when}, repository {repo}, {kind})",
            zh: "最近一次备份完成于 {age} 前（{when}，备份库 {repo}，{kind}）"
        }
        NO_BACKUP = "inspect.common.no_backup" {
            en: "no completed backup of this target is recorded",
            zh: "没有该目标已完成备份的记录"
        }
        NO_OFFSITE = "inspect.common.no_offsite" {
            en: "no backup of this target is recorded in an offsite repository",
            zh: "没有该目标在异地备份库中的备份记录"
        }
        UNENCRYPTED_OFFSITE = "inspect.common.unencrypted_offsite" {
            en: "unencrypted backups in offsite repositories: {repos}",
            zh: "异地备份库中存在未加密的备份：{repos}"
        }
        ENCRYPTED_OFFSITE = "inspect.common.encrypted_offsite" {
            en: "every offsite backup recorded is encrypted",
            zh: "记录中的异地备份均已加密"
        }
        DRILL_AGE = "inspect.common.drill_age" {
            en: "last restore drill passed {age} ago ({when}, backup {backup})",
            zh: "最近一次还原演练于 {age} 前通过（{when}，备份 {backup}）"
        }
        DRILL_FAILED = "inspect.common.drill_failed" {
            en: "the last restore drill FAILED ({when}, backup {backup}): the backups may not be restorable",
            zh: "最近一次还原演练失败（{when}，备份 {backup}）：备份可能无法还原"
        }
        NO_DRILL = "inspect.common.no_drill" {
            en: "no restore drill of this target is recorded",
            zh: "没有该目标的还原演练记录"
        }
        CANNOT_DECIDE_BACKUP = "inspect.common.cannot_decide_backup" {
            en: "cannot decide: {why}; an assessor would ask to see the backup job's logs and the repository listing with dates",
            zh: "无法判定：{why}；测评人员会要求查看备份任务日志及带日期的备份库清单"
        }
        CANNOT_DECIDE_DRILL = "inspect.common.cannot_decide_drill" {
            en: "cannot decide: {why}; an assessor would ask to see the latest restore-drill report",
            zh: "无法判定：{why}；测评人员会要求查看最近一次还原演练报告"
        }

        // --- host ---
        HOST = "inspect.common.host" {
            en: "host resources (memory, CPUs)",
            zh: "主机资源（内存、CPU）"
        }
        HOST_FIX = "inspect.common.host_fix" {
            en: "run dbkeeper on the database host to include host facts in the inspection",
            zh: "请在数据库主机上运行 dbkeeper，以便巡检包含主机信息"
        }
        HOST_SEEN = "inspect.common.host_seen" {
            en: "{host}: {cpus} CPUs, {memory} memory",
            zh: "{host}：{cpus} 个 CPU，内存 {memory}"
        }
        FS_DATA = "inspect.common.fs_data" {
            en: "free space on the data filesystem",
            zh: "数据目录所在文件系统的剩余空间"
        }
        FS_WAL = "inspect.common.fs_wal" {
            en: "free space on the WAL filesystem",
            zh: "WAL 日志所在文件系统的剩余空间"
        }
        FS_BINLOG = "inspect.common.fs_binlog" {
            en: "free space on the binary-log filesystem",
            zh: "二进制日志所在文件系统的剩余空间"
        }
        FS_FIX = "inspect.common.fs_fix" {
            en: "free space (old logs, old backups on the same disk) or grow the filesystem before it fills: a full data or log disk stops the database",
            zh: "请在写满前清理空间（旧日志、同盘上的旧备份）或扩容文件系统：数据盘或日志盘写满会导致数据库停止服务"
        }
        FS_USED = "inspect.common.fs_used" {
            en: "{used}% used, {free} free of {total} ({path})",
            zh: "已用 {used}%，剩余 {free}，共 {total}（{path}）"
        }
        DAYS_FULL = "inspect.common.days_full" {
            en: "days until the data filesystem is full at the current growth",
            zh: "按当前增长速度，数据盘写满前的天数"
        }
        DAYS_FULL_FIX = "inspect.common.days_full_fix" {
            en: "plan more disk (扩容) before then, or find what grows (largest tables, logs) and archive it; this is hardware-expansion advice for the customer's approval",
            zh: "请在此之前规划扩容，或找出增长来源（最大的表、日志）并归档；此为需经客户同意的扩容建议"
        }
        DAYS_LEFT = "inspect.common.days_left" {
            en: "{days} days until full: databases grow {rate} a day (measured since {since}), {free} free",
            zh: "约 {days} 天后写满：数据库每天增长 {rate}（自 {since} 起测量），剩余 {free}"
        }
        NOT_GROWING = "inspect.common.not_growing" {
            en: "databases did not grow since {since} ({rate} a day); {free} free",
            zh: "自 {since} 以来数据库未增长（每天 {rate}）；剩余 {free}"
        }
        NO_GROWTH_BASELINE = "inspect.common.no_growth_baseline" {
            en: "growth needs an earlier inspection of this target in the ledger; the next run can measure it",
            zh: "测量增长需要台账中有该目标更早的巡检记录；下次巡检即可测量"
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

fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono::Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn age(c: &Ctx<'_>, t: DateTime<Utc>) -> f64 {
    (c.run.now - t).num_seconds().max(0) as f64
}

// --- availability ------------------------------------------------------------------------

pub(crate) fn alive(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::ALIVE)
            .arg("product", &b.facts.product)
            .arg("version", &b.facts.version)
            .arg("user", &b.target.user)
            .arg("database", b.database.clone().unwrap_or_default()),
    )
    .value("version_full", b.facts.version_full.clone())
    .value("user", b.target.user.clone()))
}

pub(crate) fn since_text(c: &Ctx<'_>) -> String {
    let s = &c.run.rates.current;
    s.stats_reset
        .or(s.started_at)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| "?".into())
}

pub(crate) fn stats_age(c: &Ctx<'_>) -> Eval {
    let s = &c.run.rates.current;
    let uptime = s.uptime_seconds.unwrap_or(0) as f64;
    let stats_age = s
        .stats_reset
        .map_or(uptime, |r| (c.run.now - r).num_seconds().max(0) as f64);
    let age = uptime.min(stats_age);
    Ok(Outcome::new(
        if age < c.t("warning") {
            Status::Info
        } else {
            Status::Ok
        },
        Text::new(msg::STATS_AGE_SEEN)
            .arg("uptime", crate::threshold::human_secs(uptime))
            .arg("since", since_text(c)),
    )
    .value("uptime_seconds", uptime)
    .value("stats_age_seconds", stats_age))
}

pub(crate) fn restart(c: &Ctx<'_>) -> Eval {
    let r = &c.run.rates;
    let fmt = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| "?".into())
    };
    let started = fmt(r.current.started_at);
    let Some(prev) = &r.previous else {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::RESTART_FIRST).arg("started", started),
        ));
    };
    let previous = fmt(Some(prev.taken_at));
    if r.restarted {
        Ok(Outcome::new(
            Status::Warning,
            Text::new(msg::RESTARTED)
                .arg("started", &started)
                .arg("previous", &previous),
        )
        .value("started_at", started)
        .value("previous_started_at", fmt(prev.started_at)))
    } else {
        Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::RESTART_SAME)
                .arg("started", started)
                .arg("previous", previous),
        ))
    }
}

// --- version -----------------------------------------------------------------------------

/// End of life from the version data: past → critical, within `warning` → warning.
pub(crate) fn version_eol(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let product = b.product.data_key();
    let version = &b.facts.version;
    let data = c.run.versions.describe();
    let standing = c.run.versions.standing(product, version).ok_or_else(|| {
        Skip(
            Text::new(msg::VER_UNKNOWN_BRANCH)
                .arg("data", &data)
                .arg("product", &b.facts.product)
                .arg("version", version),
        )
    })?;
    let Some(eol) = standing.branch.eol else {
        return Err(Skip(
            Text::new(msg::VER_UNKNOWN_BRANCH)
                .arg("data", &data)
                .arg("product", &b.facts.product)
                .arg("version", version),
        ));
    };
    let days = (eol - c.run.now.date_naive()).num_days();
    let text = |m| {
        Text::new(m)
            .arg("product", &b.facts.product)
            .arg("branch", &standing.branch.branch)
            .arg("eol", eol)
            .arg("days", days.abs())
            .arg("data", &data)
    };
    let (status, summary) = if days < 0 {
        (Status::Critical, text(msg::VER_ENDED))
    } else if (days as f64) * 86_400.0 <= c.t("warning") {
        (Status::Warning, text(msg::VER_ENDS_SOON))
    } else {
        (Status::Ok, text(msg::VER_SUPPORTED))
    };
    Ok(Outcome::new(status, summary)
        .value("version", version.clone())
        .value("branch", standing.branch.branch.clone())
        .value("eol", eol.to_string())
        .value("days_left", days)
        .value("data", data))
}

/// Minor-release lag: any missed security release → warning (critical past `critical`
/// releases); bug-fix lag only → info.
pub(crate) fn version_minor(c: &Ctx<'_>) -> Eval {
    let b = c.base();
    let product = b.product.data_key();
    let version = &b.facts.version;
    let data = c.run.versions.describe();
    let s = c.run.versions.standing(product, version).ok_or_else(|| {
        Skip(
            Text::new(msg::VER_UNKNOWN_BRANCH)
                .arg("data", &data)
                .arg("product", &b.facts.product)
                .arg("version", version),
        )
    })?;
    let mut cves: Vec<String> = Vec::new();
    let mut releases: Vec<String> = Vec::new();
    for r in &s.missed {
        releases.push(r.version.clone());
        if r.cves.is_empty() {
            cves.push(format!(
                "{} ({})",
                r.version,
                Text::new(msg::VER_SECURITY_UNLISTED)
            ));
        } else {
            cves.push(format!("{}: {}", r.version, r.cves.join(" ")));
        }
    }
    let base = |o: Outcome| {
        o.value("version", version.clone())
            .value("latest", s.branch.latest.clone())
            .value("behind", s.behind)
            .value("missed_security_releases", releases.clone())
            .value("data", data.clone())
    };
    if s.behind == 0 {
        return Ok(base(Outcome::new(
            Status::Ok,
            Text::new(msg::VER_LATEST)
                .arg("version", version)
                .arg("branch", &s.branch.branch)
                .arg("data", &data),
        )));
    }
    if s.missed.is_empty() {
        return Ok(base(Outcome::new(
            Status::Info,
            Text::new(msg::VER_BEHIND_NO_SECURITY)
                .arg("version", version)
                .arg("behind", s.behind)
                .arg("latest", &s.branch.latest),
        )));
    }
    let status = if s.missed.len() as f64 >= c.t("critical") {
        Status::Critical
    } else {
        Status::Warning
    };
    Ok(base(Outcome::new(
        status,
        Text::new(msg::VER_BEHIND)
            .arg("version", version)
            .arg("behind", s.behind)
            .arg("latest", &s.branch.latest)
            .arg("missed", cves.join("; ")),
    )))
}

// --- backups and drills ----------------------------------------------------------------------

pub(crate) fn backup_last(c: &Ctx<'_>) -> Eval {
    let list = match &c.run.freshness.backups {
        Known::Yes(l) => l,
        Known::Unknown(why) => {
            return Err(Skip(
                Text::new(msg::CANNOT_DECIDE_BACKUP)
                    .arg("why", why.render(dbkeeper_core::Lang::En)),
            ))
        }
    };
    backup_age(c, list.iter().max_by_key(|b| b.finished_at), msg::NO_BACKUP)
}

pub(crate) fn backup_offsite(c: &Ctx<'_>) -> Eval {
    let list = match &c.run.freshness.backups {
        Known::Yes(l) => l,
        Known::Unknown(why) => {
            return Err(Skip(
                Text::new(msg::CANNOT_DECIDE_BACKUP)
                    .arg("why", why.render(dbkeeper_core::Lang::En)),
            ))
        }
    };
    backup_age(
        c,
        list.iter()
            .filter(|b| b.offsite)
            .max_by_key(|b| b.finished_at),
        msg::NO_OFFSITE,
    )
}

fn backup_age(
    c: &Ctx<'_>,
    newest: Option<&crate::freshness::BackupSeen>,
    none: dbkeeper_core::Msg,
) -> Eval {
    let Some(b) = newest else {
        return Ok(Outcome::new(Status::Critical, Text::new(none)));
    };
    let a = age(c, b.finished_at);
    Ok(Outcome::new(
        c.above(a),
        Text::new(msg::BACKUP_AGE)
            .arg("age", human_secs(a))
            .arg("when", when(b.finished_at))
            .arg("repo", &b.repo)
            .arg("kind", &b.kind),
    )
    .value("backup_id", b.id.clone())
    .value("repo", b.repo.clone())
    .value("finished_at", b.finished_at.to_rfc3339())
    .value("age_seconds", a))
}

pub(crate) fn backup_encrypted(c: &Ctx<'_>) -> Eval {
    let list = match &c.run.freshness.backups {
        Known::Yes(l) => l,
        Known::Unknown(why) => {
            return Err(Skip(
                Text::new(msg::CANNOT_DECIDE_BACKUP)
                    .arg("why", why.render(dbkeeper_core::Lang::En)),
            ))
        }
    };
    let clear: Vec<&str> = list
        .iter()
        .filter(|b| b.offsite && !b.encrypted)
        .map(|b| b.repo.as_str())
        .collect();
    if clear.is_empty() {
        return Ok(Outcome::new(Status::Ok, Text::new(msg::ENCRYPTED_OFFSITE)));
    }
    Ok(Outcome::new(
        Status::Warning,
        Text::new(msg::UNENCRYPTED_OFFSITE).arg("repos", clear.join(", ")),
    )
    .value("repos", clear))
}

pub(crate) fn drill(c: &Ctx<'_>) -> Eval {
    let d = match &c.run.freshness.drill {
        Known::Yes(d) => d,
        Known::Unknown(why) => {
            return Err(Skip(
                Text::new(msg::CANNOT_DECIDE_DRILL).arg("why", why.render(dbkeeper_core::Lang::En)),
            ))
        }
    };
    let Some(d) = d else {
        return Ok(Outcome::new(Status::Critical, Text::new(msg::NO_DRILL)));
    };
    if !d.passed {
        return Ok(Outcome::new(
            Status::Critical,
            Text::new(msg::DRILL_FAILED)
                .arg("when", when(d.finished_at))
                .arg("backup", &d.backup_id),
        )
        .value("report", d.report.clone()));
    }
    let a = age(c, d.finished_at);
    Ok(Outcome::new(
        c.above(a),
        Text::new(msg::DRILL_AGE)
            .arg("age", human_secs(a))
            .arg("when", when(d.finished_at))
            .arg("backup", &d.backup_id),
    )
    .value("age_seconds", a)
    .value("report", d.report.clone()))
}

// --- host ------------------------------------------------------------------------------------

pub(crate) fn host(c: &Ctx<'_>) -> Eval {
    let h = c.host()?;
    Ok(Outcome::new(
        Status::Ok,
        Text::new(msg::HOST_SEEN)
            .arg("host", &h.hostname)
            .arg("cpus", h.cpus)
            .arg(
                "memory",
                h.memory_total_bytes
                    .map_or_else(|| "?".into(), |m| human_bytes(m as f64)),
            ),
    )
    .value("hostname", h.hostname.clone())
    .value("cpus", h.cpus)
    .value("memory_total_bytes", h.memory_total_bytes))
}

fn fs(c: &Ctx<'_>, which: Option<&dbkeeper_core::host::FsUsage>, path: Option<String>) -> Eval {
    let Some(fs) = which else {
        c.host()?;
        return Err(Skip(
            Text::new(crate::msg::HOST_FS_UNKNOWN).arg("path", path.unwrap_or_else(|| "?".into())),
        ));
    };
    if fs.total_bytes == 0 {
        return Err(Skip(
            Text::new(crate::msg::HOST_FS_UNKNOWN).arg("path", &fs.path),
        ));
    }
    let used =
        100.0 * (fs.total_bytes - fs.free_bytes.min(fs.total_bytes)) as f64 / fs.total_bytes as f64;
    Ok(Outcome::new(
        c.above(used),
        Text::new(msg::FS_USED)
            .arg("used", format!("{used:.1}"))
            .arg("free", human_bytes(fs.free_bytes as f64))
            .arg("total", human_bytes(fs.total_bytes as f64))
            .arg("path", &fs.path),
    )
    .value("path", fs.path.clone())
    .value("used_percent", (used * 10.0).round() / 10.0)
    .value("free_bytes", fs.free_bytes)
    .value("total_bytes", fs.total_bytes))
}

pub(crate) fn fs_data(c: &Ctx<'_>) -> Eval {
    let h = c.host()?;
    fs(c, h.data_fs.as_ref(), c.base().facts.data_directory.clone())
}

pub(crate) fn fs_wal(c: &Ctx<'_>) -> Eval {
    let h = c.host()?;
    fs(
        c,
        h.wal_fs.as_ref(),
        c.base()
            .facts
            .data_directory
            .as_ref()
            .map(|d| format!("{d}/pg_wal")),
    )
}

pub(crate) fn fs_binlog(c: &Ctx<'_>) -> Eval {
    let h = c.host()?;
    fs(
        c,
        h.binlog_fs.as_ref(),
        c.opt_setting("log_bin_basename").map(|s| s.value.clone()),
    )
}

/// Days until the data filesystem is full at the databases' growth rate, measured between
/// snapshots (up to a week apart): "lower is worse" with `warning`/`critical` in days.
pub(crate) fn days_until_full(c: &Ctx<'_>) -> Eval {
    let h = c.host()?;
    let Some(fs) = &h.data_fs else {
        return Err(Skip(Text::new(crate::msg::HOST_FS_UNKNOWN).arg(
            "path",
            c.base().facts.data_directory.clone().unwrap_or_default(),
        )));
    };
    let Some((per_day, since)) = c.run.rates.growth_per_day("size.total_bytes") else {
        return Err(Skip(Text::new(msg::NO_GROWTH_BASELINE)));
    };
    let free = fs.free_bytes as f64;
    if per_day <= 0.0 {
        return Ok(Outcome::new(
            Status::Ok,
            Text::new(msg::NOT_GROWING)
                .arg("since", when(since))
                .arg("rate", human_bytes(per_day.max(0.0)))
                .arg("free", human_bytes(free)),
        )
        .value("growth_bytes_per_day", per_day)
        .value("free_bytes", fs.free_bytes));
    }
    let days = free / per_day;
    // Thresholds are durations (days written `30d`); compare in seconds.
    let status = c.below(days * 86_400.0);
    Ok(Outcome::new(
        status,
        Text::new(msg::DAYS_LEFT)
            .arg("days", format!("{days:.0}"))
            .arg("rate", human_bytes(per_day))
            .arg("since", when(since))
            .arg("free", human_bytes(free)),
    )
    .value("days_until_full", (days * 10.0).round() / 10.0)
    .value("growth_bytes_per_day", per_day.round())
    .value("free_bytes", fs.free_bytes)
    .value("measured_since", since.to_rfc3339()))
}
