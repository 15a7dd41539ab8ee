//! `dbkeeper verify`: a restore drill, its report files, the audit line and the ledger row.

use std::path::PathBuf;
use std::time::Duration;

use dbkeeper_backup::repos;
use dbkeeper_backup::restore::Which;
use dbkeeper_core::ledger::DrillRecord;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_repo::S3Options;
use dbkeeper_report::Table;
use dbkeeper_verify::{DrillReport, DrillRequest, Verdict};
use sha2::{Digest, Sha256};

use crate::app::Ctx;
use crate::cli::{Format, VerifyArgs};
use crate::commands::backup::repo_entry;
use crate::commands::inspect::{self, ReportFormat};
use crate::output;

mod m {
    dbkeeper_core::catalogue! {
        DRILLING = "cli.verify.drilling" {
            en: "restore drill of {backup} from {repo}: checking, restoring into a scratch server, checking again …",
            zh: "正在对 {repo} 中的 {backup} 进行还原演练：校验、还原到临时实例、再检查 …"
        }
        DONE = "cli.verify.done" {
            en: "drill {drill}: {verdict} — {checks} checks, {failed} failed; RTO {rto} s, RPO {rpo} s",
            zh: "演练 {drill}：{verdict} —— 共 {checks} 项检查，{failed} 项未通过；RTO {rto} 秒，RPO {rpo} 秒"
        }
        SAMPLED = "cli.verify.sampled" {
            en: "{repo}: re-hashed {checked} of {total} objects (slice {slice} of {slices}); {damaged} damaged",
            zh: "{repo}：重新校验了 {total} 个对象中的 {checked} 个（第 {slice}/{slices} 份）；{damaged} 个损坏"
        }
        DURATION = "cli.verify.duration" {
            en: "`{value}` is not a duration",
            zh: "`{value}` 不是有效的时长"
        }
        DURATION_HINT = "cli.verify.duration_hint" {
            en: "write a number and a unit: 90s, 30m, 26h, 7d",
            zh: "请写成数字加单位：90s、30m、26h、7d"
        }
        COL_KIND = "cli.verify.col_kind" { en: "kind", zh: "类别" }
        COL_CHECK = "cli.verify.col_check" { en: "check", zh: "检查" }
        COL_EXPECTED = "cli.verify.col_expected" { en: "expected", zh: "期望" }
        COL_ACTUAL = "cli.verify.col_actual" { en: "found", zh: "实际" }
        COL_VERDICT = "cli.verify.col_verdict" { en: "verdict", zh: "结论" }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn catalogue_is_complete() {
            dbkeeper_core::i18n::check_catalogue(super::ALL).expect("catalogue");
        }
    }
}

fn duration(flag: &str, v: Option<&str>) -> Result<Option<Duration>, Error> {
    v.map(|s| {
        dbkeeper_config::yaml::parse_duration(s).ok_or_else(|| {
            Error::new(ErrorKind::Usage, Text::new(m::DURATION).arg("value", s))
                .at(flag.to_string())
                .hint(Text::new(m::DURATION_HINT))
        })
    })
    .transpose()
}

pub async fn run(ctx: &Ctx, a: VerifyArgs) -> Result<u8, Error> {
    // Everything that can be wrong with the arguments is found before anything is restored.
    let rto_max = duration("--rto-max", a.rto_max.as_deref())?;
    let rpo_max = duration("--rpo-max", a.rpo_max.as_deref())?;
    let formats = a
        .report
        .iter()
        .map(|p| {
            inspect::dir_exists(p)?;
            Ok((p.clone(), ReportFormat::of(p)?))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let entry = repo_entry(ctx, &a.repo)?;
    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    if let Some(pct) = a.sample {
        return sample(ctx, &repo, pct).await;
    }
    if a.all {
        return all(ctx, &a, &entry, repo, rto_max, rpo_max).await;
    }
    let which = match (&a.backup, &a.latest) {
        (Some(id), _) => Which::parse(id, None)?,
        (None, Some(t)) => Which::Latest(crate::commands::backup::filed_name(ctx, t)),
        (None, None) => Which::parse("latest", None)?,
    };
    let decryption = repos::decryption(&entry, &repo, a.identity.as_deref())?;
    ctx.note(
        Text::new(m::DRILLING)
            .arg("backup", a.backup.as_deref().unwrap_or("latest"))
            .arg("repo", &entry.name),
    );
    let report = dbkeeper_verify::drill(DrillRequest {
        repo,
        which,
        decryption,
        sanity: Vec::new(),
        rto_max,
        rpo_max,
        jobs: a.jobs as usize,
        into: match &a.into {
            Some(t) => Some(dbkeeper_verify::DrillTarget {
                target: ctx.target(t)?,
                known: ctx
                    .config()?
                    .map(|c| c.targets.iter().map(|t| t.target.clone()).collect())
                    .unwrap_or_default(),
            }),
            None => None,
        },
        rpo_column: a.rpo_column.clone(),
    })
    .await?;
    let (sha, paths) = file(ctx, &report, &formats)?;
    let code = if report.verdict == Verdict::Pass {
        0
    } else {
        ErrorKind::Failed.exit_code()
    };
    if ctx.format == Format::Json {
        output::json(&report)?;
    } else {
        print(ctx, &report);
    }
    for p in &paths {
        output::stderr_line(
            &Text::new(crate::msg::REPORT_WRITTEN)
                .arg("path", p.display())
                .render(ctx.lang),
        );
    }
    record(ctx, &report, &sha, paths.first(), &entry.name)?;
    Ok(code)
}

/// `--sample`: the day's slice of objects re-hashed; exit 2 on damage.
async fn sample(ctx: &Ctx, repo: &dbkeeper_repo::Repository, pct: u32) -> Result<u8, Error> {
    let day = u64::try_from(chrono::Utc::now().timestamp() / 86_400).unwrap_or(0);
    let r = dbkeeper_verify::sample(repo, pct, day).await?;
    let code = if r.damaged.is_empty() {
        0
    } else {
        ErrorKind::Failed.exit_code()
    };
    ctx.audit(
        "verify.sample",
        None,
        code,
        serde_json::json!({
            "repo": r.repo, "percent": r.percent, "slice": r.slice, "slices": r.slices,
            "objects_checked": r.objects_checked, "damaged": r.damaged.len(),
        }),
    )?;
    if ctx.format == Format::Json {
        output::json(&r)?;
    } else {
        for d in &r.damaged {
            output::stdout_line(d);
        }
        output::stdout_line(
            &Text::new(m::SAMPLED)
                .arg("repo", &r.repo)
                .arg("checked", r.objects_checked)
                .arg("total", r.objects_total)
                .arg("slice", r.slice + 1)
                .arg("slices", r.slices)
                .arg("damaged", r.damaged.len())
                .render(ctx.lang),
        );
    }
    Ok(code)
}

/// `--all`: the newest backup of every configured target, one drill after the other; the
/// worst outcome is the exit code. A target without a backup in the repository is a failure
/// too: it has nothing that could be restored.
async fn all(
    ctx: &Ctx,
    a: &VerifyArgs,
    entry: &dbkeeper_config::RepoEntry,
    repo: dbkeeper_repo::Repository,
    rto_max: Option<Duration>,
    rpo_max: Option<Duration>,
) -> Result<u8, Error> {
    let targets: Vec<String> = ctx
        .config()?
        .map(|c| {
            c.targets
                .iter()
                .map(|t| dbkeeper_backup::repo_name(&t.target))
                .collect()
        })
        .unwrap_or_default();
    if targets.is_empty() {
        return Err(
            Error::new(ErrorKind::Config, Text::new(crate::msg::NO_TARGETS))
                .hint(Text::new(crate::msg::NO_TARGETS_HINT)),
        );
    }
    let decryption = repos::decryption(entry, &repo, a.identity.as_deref())?;
    let mut worst = 0;
    let mut reports = Vec::new();
    for t in targets {
        ctx.note(
            Text::new(m::DRILLING)
                .arg("backup", format!("{t}: latest"))
                .arg("repo", &entry.name),
        );
        let result = dbkeeper_verify::drill(DrillRequest {
            repo: repo.clone(),
            which: Which::Latest(t.clone()),
            decryption: decryption.clone(),
            sanity: Vec::new(),
            rto_max,
            rpo_max,
            jobs: a.jobs as usize,
            into: None,
            rpo_column: a.rpo_column.clone(),
        })
        .await;
        match result {
            Ok(report) => {
                let (sha, _) = file(ctx, &report, &[])?;
                record(ctx, &report, &sha, None, &entry.name)?;
                if report.verdict != Verdict::Pass {
                    worst = worst.max(ErrorKind::Failed.exit_code());
                }
                if ctx.format == Format::Table {
                    print(ctx, &report);
                }
                reports.push(serde_json::to_value(&report).unwrap_or_default());
            }
            Err(e) => {
                ctx.render_error(&e);
                worst = worst.max(ErrorKind::Failed.exit_code());
                reports.push(serde_json::json!({
                    "target": t, "verdict": "fail", "error": output::error_json(&e, ctx.lang),
                }));
            }
        }
    }
    if ctx.format == Format::Json {
        output::json(&reports)?;
    }
    Ok(worst)
}

/// Writes the report files and returns the SHA-256 of the JSON report — the evidence the audit
/// log and the ledger keep, whichever files were asked for.
pub fn file(
    ctx: &Ctx,
    report: &DrillReport,
    formats: &[(PathBuf, ReportFormat)],
) -> Result<(String, Vec<PathBuf>), Error> {
    let json = report.to_json();
    let sha = hex::encode(Sha256::digest(json.as_bytes()));
    let mut written = Vec::new();
    for (path, f) in formats {
        let text = match f {
            ReportFormat::Html => report.to_html(ctx.lang),
            ReportFormat::Markdown => report.to_markdown(ctx.lang),
            ReportFormat::Json => json.clone(),
        };
        inspect::write_atomically(path, text.as_bytes())
            .map_err(|e| inspect::report_write_error(path, e))?;
        written.push(path.clone());
    }
    Ok((sha, written))
}

pub fn record(
    ctx: &Ctx,
    r: &DrillReport,
    sha: &str,
    path: Option<&PathBuf>,
    repo: &str,
) -> Result<(), Error> {
    let failed = r.failed().count() as u64;
    ctx.state.ledger.add_drill(&DrillRecord {
        run_id: Some(ctx.run_id),
        drill_id: r.drill_id.clone(),
        backup_id: r.backup_id.clone(),
        target: r.target.clone(),
        repo: repo.to_string(),
        kind: r.kind.clone(),
        started_at: r.started_at.to_rfc3339(),
        ended_at: r.ended_at.to_rfc3339(),
        passed: r.verdict == Verdict::Pass,
        rto_seconds: r.rto_seconds,
        rpo_seconds: r.rpo_seconds,
        checks: r.checks.len() as u64,
        failed_checks: failed,
        report_sha256: sha.to_string(),
        report_path: path.map(|p| p.display().to_string()),
    })?;
    ctx.audit(
        "verify",
        Some(&r.target),
        if r.verdict == Verdict::Pass { 0 } else { 2 },
        serde_json::json!({
            "drill_id": r.drill_id,
            "backup_id": r.backup_id,
            "repo": repo,
            "verdict": r.verdict,
            "failed_checks": failed,
            "rto_seconds": r.rto_seconds,
            "rpo_seconds": r.rpo_seconds,
            "manifest_sha256": r.manifest_sha256,
            "report_sha256": sha,
        }),
    )
}

fn print(ctx: &Ctx, r: &DrillReport) {
    let l = |x| Text::new(x).render(ctx.lang);
    let mut t = Table::new(vec![
        l(m::COL_KIND),
        l(m::COL_CHECK),
        l(m::COL_EXPECTED),
        l(m::COL_ACTUAL),
        l(m::COL_VERDICT),
    ]);
    for c in &r.checks {
        t.row(vec![
            c.kind.clone(),
            c.name_in(ctx.lang).to_string(),
            c.expected_in(ctx.lang).to_string(),
            c.actual.clone(),
            c.verdict.text().render(ctx.lang),
        ]);
    }
    output::stdout_line(&t.to_string());
    output::stdout_line(
        &Text::new(m::DONE)
            .arg("drill", &r.drill_id)
            .arg("verdict", r.verdict.text().render(ctx.lang))
            .arg("checks", r.checks.len())
            .arg("failed", r.failed().count())
            .arg("rto", format!("{:.1}", r.rto_seconds))
            .arg("rpo", format!("{:.0}", r.rpo_seconds))
            .render(ctx.lang),
    );
}
