//! `backups list | show | check | prune | pin | unpin`.

use dbkeeper_backup::repos;
use dbkeeper_config::RepoEntry;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_repo::{BackupEntry, BackupId, BackupState, Repository, S3Options};
use dbkeeper_report::Table;

use super::{kind_name, msg, repo_entry, sizes};
use crate::app::Ctx;
use crate::cli::{BackupsCommand, Format};
use crate::output;

pub async fn run(ctx: &Ctx, cmd: BackupsCommand) -> Result<u8, Error> {
    match cmd {
        BackupsCommand::List { repos, target } => list(ctx, &repos, target.as_deref()).await,
        BackupsCommand::Show { id, repo } => show(ctx, &id, repo.as_deref()).await,
        BackupsCommand::Check { repos, read_data } => check(ctx, &repos, read_data).await,
        BackupsCommand::Prune {
            repos,
            target,
            dry_run,
        } => prune(ctx, &repos, target.as_deref(), dry_run).await,
        BackupsCommand::Pin { id, repo } => pin(ctx, &id, &repo, true).await,
        BackupsCommand::Unpin { id, repo } => pin(ctx, &id, &repo, false).await,
    }
}

/// The repositories named, or every one of the config.
fn entries(ctx: &Ctx, names: &[String]) -> Result<Vec<RepoEntry>, Error> {
    if names.is_empty() {
        let all = ctx.config()?.map(|c| c.repos.clone()).unwrap_or_default();
        if all.is_empty() {
            return Err(Error::new(ErrorKind::Usage, Text::new(msg::NO_REPOS))
                .hint(Text::new(msg::NO_REPOS_HINT)));
        }
        return Ok(all);
    }
    names.iter().map(|n| repo_entry(ctx, n)).collect()
}

async fn open(entry: &RepoEntry) -> Result<Repository, Error> {
    repos::open_for_read(entry, &S3Options::default()).await
}

async fn list(ctx: &Ctx, names: &[String], target: Option<&str>) -> Result<u8, Error> {
    let mut all: Vec<(String, BackupEntry)> = Vec::new();
    for e in entries(ctx, names)? {
        let repo = open(&e).await?;
        for b in repo.list(target).await? {
            all.push((e.name.clone(), b));
        }
    }
    // When each backup was last proven by a drill on this host (the ledger knows; the
    // repository does not).
    let drill_of = |id: &BackupId| {
        ctx.state
            .ledger
            .latest_drill_of_backup(&id.to_string())
            .ok()
            .flatten()
    };
    if ctx.format == Format::Json {
        let rows: Vec<_> = all
            .iter()
            .map(|(repo, b)| {
                let d = drill_of(&b.id);
                serde_json::json!({
                    "repo": repo,
                    "backup": b,
                    "last_drill": d.map(|d| serde_json::json!({
                        "drill_id": d.drill_id, "ended_at": d.ended_at, "passed": d.passed,
                        "report_sha256": d.report_sha256,
                    })),
                })
            })
            .collect();
        return output::json(&rows).map(|()| 0);
    }
    let l = |m| Text::new(m).render(ctx.lang);
    let mut t = Table::new(vec![
        l(msg::COL_REPO),
        l(msg::COL_TARGET),
        l(msg::COL_ID),
        l(msg::COL_STATUS),
        l(msg::COL_KIND),
        l(msg::COL_DURATION),
        l(msg::COL_PLAIN),
        l(msg::COL_STORED),
        l(msg::COL_RATIO),
        l(msg::COL_ROWS),
        l(msg::COL_ENCRYPTION),
        l(msg::COL_VERIFIED),
    ]);
    for (repo, b) in &all {
        let mut row = vec![repo.clone(), b.target.clone(), b.id.to_string()];
        match &b.state {
            BackupState::Complete { manifest: m } => {
                let (p, s, r) = sizes(m.plain_size_bytes(), m.stored_size_bytes());
                let secs = (m.facts.ended_at - m.facts.started_at).num_milliseconds() as f64 / 1e3;
                let rows: u64 = m.facts.contents.tables.iter().map(|t| t.rows).sum();
                let status = if m.pinned {
                    l(msg::STATUS_PINNED)
                } else {
                    l(msg::STATUS_COMPLETE)
                };
                row.extend([
                    status,
                    kind_name(m.facts.kind).into(),
                    format!("{secs:.1}s"),
                    p,
                    s,
                    r,
                    rows.to_string(),
                    m.encryption.describe(),
                ]);
            }
            BackupState::Incomplete => {
                row.push(l(msg::STATUS_INCOMPLETE));
                row.extend(["-", "-", "-"].map(String::from));
                row.push(dbkeeper_report::units::bytes(b.stored_size_bytes));
                row.extend(["-", "-", "-"].map(String::from));
            }
            BackupState::Unreadable { .. } => {
                row.push(l(msg::STATUS_UNREADABLE));
                row.extend(["-"; 7].map(String::from));
            }
        }
        row.push(match drill_of(&b.id) {
            Some(d) => format!(
                "{} {}",
                d.ended_at
                    .get(..16)
                    .unwrap_or(&d.ended_at)
                    .replace('T', " "),
                if d.passed {
                    l(msg::DRILL_PASSED)
                } else {
                    l(msg::DRILL_FAILED)
                }
            ),
            None => l(msg::NEVER_VERIFIED),
        });
        t.row(row);
    }
    if all.is_empty() {
        ctx.note(Text::new(msg::NO_BACKUPS));
    } else {
        output::stdout_line(&t.to_string());
    }
    Ok(0)
}

/// The repository that holds `id`: the one named, or the first of the config that does.
async fn find(
    ctx: &Ctx,
    id: &BackupId,
    repo: Option<&str>,
) -> Result<(RepoEntry, Repository, BackupEntry), Error> {
    let names: Vec<String> = repo.into_iter().map(str::to_string).collect();
    let mut first_err = None;
    for e in entries(ctx, &names)? {
        let r = open(&e).await?;
        match r.find(id).await {
            Ok(b) => return Ok((e, r, b)),
            Err(err) => {
                first_err.get_or_insert(err);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| Error::new(ErrorKind::Usage, Text::new(msg::NO_REPOS))))
}

async fn show(ctx: &Ctx, id: &str, repo: Option<&str>) -> Result<u8, Error> {
    let id = BackupId::parse(id)?;
    let (entry, _, b) = find(ctx, &id, repo).await?;
    if ctx.format == Format::Json {
        return output::json(&serde_json::json!({ "repo": entry.name, "backup": b })).map(|()| 0);
    }
    let l = |m| Text::new(m).render(ctx.lang);
    let Some(m) = b.manifest() else {
        output::stdout_line(
            &Text::new(msg::SHOW_INCOMPLETE)
                .arg("id", id)
                .arg("objects", b.stored.len())
                .render(ctx.lang),
        );
        return Ok(0);
    };
    let (p, s, r) = sizes(m.plain_size_bytes(), m.stored_size_bytes());
    let mut head = Table::new(vec![l(msg::COL_FIELD), l(msg::COL_VALUE)]);
    for (k, v) in [
        (l(msg::COL_REPO), entry.name.clone()),
        (l(msg::COL_TARGET), m.target.clone()),
        (l(msg::COL_ID), m.id.to_string()),
        (l(msg::COL_KIND), kind_name(m.facts.kind).to_string()),
        (
            "engine".into(),
            format!("{} {}", m.facts.engine, m.facts.contents.server_version),
        ),
        ("method".into(), m.facts.contents.method.clone()),
        ("started".into(), m.facts.started_at.to_rfc3339()),
        ("ended".into(), m.facts.ended_at.to_rfc3339()),
        (l(msg::COL_PLAIN), p),
        (l(msg::COL_STORED), s),
        (l(msg::COL_RATIO), r),
        (l(msg::COL_ENCRYPTION), m.encryption.describe()),
        (
            "compression".into(),
            format!("zstd -{}", m.compression.level),
        ),
        (
            "consistent point".into(),
            m.facts.contents.consistent_point.to_string(),
        ),
        ("pinned".into(), m.pinned.to_string()),
        ("dbkeeper".into(), m.dbkeeper_version.clone()),
    ] {
        head.row(vec![k, v]);
    }
    output::stdout_line(&head.to_string());
    if !m.facts.contents.tables.is_empty() {
        let mut t = Table::new(vec![
            l(msg::COL_DATABASE),
            l(msg::COL_TABLE),
            l(msg::COL_ROWS),
        ]);
        for tr in &m.facts.contents.tables {
            let name = if tr.schema.is_empty() {
                tr.table.clone()
            } else {
                format!("{}.{}", tr.schema, tr.table)
            };
            t.row(vec![tr.database.clone(), name, tr.rows.to_string()]);
        }
        output::stdout_line(&t.to_string());
    }
    Ok(0)
}

async fn check(ctx: &Ctx, names: &[String], read_data: bool) -> Result<u8, Error> {
    let mut damaged = false;
    let mut reports = Vec::new();
    for e in entries(ctx, names)? {
        ctx.note(Text::new(msg::CHECKING_REPO).arg("repo", &e.name));
        let repo = open(&e).await?;
        let report = repo.check(read_data).await?;
        damaged |= report.has_damage();
        if ctx.format == Format::Table {
            for f in &report.findings {
                output::stdout_line(&format!("{}: {}", e.name, f.text().render(ctx.lang)));
            }
            output::stdout_line(
                &Text::new(msg::CHECK_SUMMARY)
                    .arg("repo", &e.name)
                    .arg("backups", report.backups_checked)
                    .arg("objects", report.objects_checked)
                    .arg("findings", report.findings.len())
                    .render(ctx.lang),
            );
        }
        reports.push(serde_json::json!({ "repo": e.name, "report": report }));
    }
    let code = if damaged {
        ErrorKind::Failed.exit_code()
    } else {
        0
    };
    ctx.audit(
        "backups.check",
        None,
        code,
        serde_json::json!({ "repos": names, "read_data": read_data }),
    )?;
    if ctx.format == Format::Json {
        output::json(&reports)?;
    }
    Ok(code)
}

async fn prune(
    ctx: &Ctx,
    names: &[String],
    target: Option<&str>,
    dry_run: bool,
) -> Result<u8, Error> {
    let mut outcomes = Vec::new();
    let mut busy = false;
    for e in entries(ctx, names)? {
        let repo = open(&e).await?;
        let policy = dbkeeper_backup::prune::policy(&e.retention);
        let o = dbkeeper_backup::prune(
            &repo,
            &policy,
            target,
            dry_run,
            Some(ctx.run_id.to_string()),
        )
        .await?;
        busy |= !o.busy.is_empty();
        if !dry_run {
            ctx.audit(
                "backups.prune",
                target,
                0,
                serde_json::json!({
                    "repo": e.name,
                    "deleted": o.deleted.iter().map(|d| format!("{}/{}", d.target, d.id)).collect::<Vec<_>>(),
                    "busy": o.busy.iter().map(|b| &b.target).collect::<Vec<_>>(),
                }),
            )?;
        }
        if ctx.format == Format::Table {
            let l = |m| Text::new(m).render(ctx.lang);
            let mut t = Table::new(vec![
                l(msg::COL_TARGET),
                l(msg::COL_ID),
                l(msg::COL_VERDICT),
                l(msg::COL_WHY),
            ]);
            for d in &o.decisions {
                let verdict = match (d.keep, dry_run) {
                    (true, _) => l(msg::VERDICT_KEEP),
                    (false, true) => l(msg::VERDICT_WOULD_DELETE),
                    (false, false) => l(msg::VERDICT_DELETED),
                };
                let why: Vec<String> = d
                    .reasons
                    .iter()
                    .map(|r| r.text().render(ctx.lang))
                    .collect();
                t.row(vec![
                    d.target.clone(),
                    d.id.to_string(),
                    verdict,
                    why.join("; "),
                ]);
            }
            output::stdout_line(&format!("{}:", e.name));
            output::stdout_line(&t.to_string());
            for b in &o.busy {
                output::stderr_line(
                    &Text::new(msg::PRUNE_BUSY)
                        .arg("target", &b.target)
                        .arg("why", &b.reason)
                        .render(ctx.lang),
                );
            }
        }
        outcomes.push(o);
    }
    if ctx.format == Format::Json {
        output::json(&outcomes)?;
    }
    // A target skipped because its backup is running is worth a retry, not an alarm.
    Ok(if busy {
        ErrorKind::TempFail.exit_code()
    } else {
        0
    })
}

async fn pin(ctx: &Ctx, id: &str, repo: &str, pinned: bool) -> Result<u8, Error> {
    let id = BackupId::parse(id)?;
    let (entry, r, b) = find(ctx, &id, Some(repo)).await?;
    let m = r.set_pinned(&b.target, &id, pinned).await?;
    ctx.audit(
        if pinned {
            "backups.pin"
        } else {
            "backups.unpin"
        },
        Some(&m.target),
        0,
        serde_json::json!({ "repo": entry.name, "backup_id": id.to_string() }),
    )?;
    if ctx.format == Format::Json {
        output::json(
            &serde_json::json!({ "repo": entry.name, "id": id.to_string(), "pinned": m.pinned }),
        )?;
    } else {
        output::stdout_line(
            &Text::new(if pinned { msg::PINNED } else { msg::UNPINNED })
                .arg("id", id)
                .arg("repo", &entry.name)
                .render(ctx.lang),
        );
    }
    Ok(0)
}
