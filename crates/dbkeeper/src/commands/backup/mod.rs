//! `backup`, `restore` and `keygen`; `backups …` in [`backups`].

pub mod backups;
mod msg;
mod progress;

use std::io::Write;
use std::path::Path;

use dbkeeper_backup::repos::{self, OpenRepo};
use dbkeeper_backup::restore::{Destination, RestoreSpec, Which};
use dbkeeper_backup::{BackupOutcome, BackupRequest, Progress, RestoreOutcome};
use dbkeeper_config::RepoEntry;
use dbkeeper_core::dump::{Binlog, BinlogDecision, BinlogReason, LogicalRequest, RestoreRequest};
use dbkeeper_core::ledger::BackupRecord;
use dbkeeper_core::target::redact_url;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_repo::{BackupKind, S3Options, WriteOptions};
use dbkeeper_report::{units, Table};

use crate::app::Ctx;
use crate::cli::{BackupArgs, BinlogArg, Format, KindArg, RestoreArgs};
use crate::output;
use progress::Ticker;

/// The name a target's backups are filed under: a config name or a URL is resolved and named
/// as `backup` names it, so that `latest` of a URL finds that URL's backups; anything else is
/// taken as the filed name itself (a target no longer in the config).
pub fn filed_name(ctx: &Ctx, name_or_url: &str) -> String {
    match ctx.target(name_or_url) {
        Ok(target) => dbkeeper_backup::repo_name(&target),
        Err(_) => name_or_url.to_string(),
    }
}

/// Writes a new file readable by its owner only (0600 from the first byte), never over an
/// existing one: identity files.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A repository by config name or URL.
pub fn repo_entry(ctx: &Ctx, name_or_url: &str) -> Result<RepoEntry, Error> {
    dbkeeper_config::resolve_repo(ctx.config()?, name_or_url)
}

pub async fn backup(ctx: &Ctx, a: BackupArgs) -> Result<u8, Error> {
    let mut target = ctx.target(&a.target)?;
    target.name = a
        .name
        .clone()
        .unwrap_or_else(|| dbkeeper_backup::repo_name(&target));
    let mut repos: Vec<OpenRepo> = Vec::new();
    for r in &a.repos {
        let entry = repo_entry(ctx, r)?;
        repos.push(repos::open_for_write(&entry, &a.recipients, &S3Options::default()).await?);
    }
    let kind = match a.kind {
        KindArg::Logical => BackupKind::Logical,
        KindArg::Physical => BackupKind::Physical,
    };
    let defaults = WriteOptions::default();
    let write = WriteOptions {
        level: a.zstd_level,
        threads: a.zstd_threads.unwrap_or(defaults.threads),
    };
    let progress = Progress::new();
    ctx.note(
        Text::new(msg::BACKUP_START)
            .arg("target", &target)
            .arg("address", target.address())
            .arg("repos", a.repos.join(", ")),
    );
    let ticker = Ticker::start(ctx, &progress, target.name.clone());
    let result = dbkeeper_backup::backup(BackupRequest {
        target: &target,
        repos,
        kind,
        logical: LogicalRequest {
            databases: a.databases.clone(),
            all_databases: a.all_databases,
            globals: a.globals,
            jobs: a.jobs as usize,
        },
        write,
        run_id: Some(ctx.run_id.to_string()),
        progress,
    })
    .await;
    drop(ticker);
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            ctx.audit(
                "backup",
                Some(&target.name),
                e.exit_code(),
                serde_json::json!({ "repos": a.repos, "error": e.main.what.id() }),
            )?;
            return Err(e);
        }
    };
    record(ctx, &outcome)?;
    let code = if outcome.is_complete_everywhere() {
        0
    } else {
        ErrorKind::Failed.exit_code()
    };
    ctx.audit(
        "backup",
        Some(&target.name),
        code,
        serde_json::json!({
            "backup_id": outcome.id.to_string(),
            "kind": outcome.kind,
            "repos": outcome.repos.iter().map(|r| serde_json::json!({
                "repo": r.repo, "complete": r.manifest.is_some(),
            })).collect::<Vec<_>>(),
            "plain_bytes": outcome.plain_bytes,
            "tables": outcome.tables,
            "rows": outcome.rows,
        }),
    )?;
    if ctx.format == Format::Json {
        output::json(&outcome)?;
    } else {
        print_backup(ctx, &outcome);
    }
    for r in outcome.repos.iter().filter(|r| r.error.is_some()) {
        output::stderr_line(
            &Text::new(msg::BACKUP_REPO_FAILED)
                .arg("repo", &r.repo)
                .arg("error", r.error.as_deref().unwrap_or_default())
                .render(ctx.lang),
        );
    }
    Ok(code)
}

/// One ledger row per repository that holds the backup: what inspections and reports read.
pub(crate) fn record(ctx: &Ctx, o: &BackupOutcome) -> Result<(), Error> {
    for r in &o.repos {
        let Some(m) = &r.manifest else { continue };
        ctx.state.ledger.add_backup(&BackupRecord {
            run_id: Some(ctx.run_id),
            backup_id: o.id.to_string(),
            target: o.target.clone(),
            repo: r.repo.clone(),
            repo_url: redact_url(&r.url),
            offsite: r.url.starts_with("s3://"),
            encrypted: m.encryption.is_encrypted(),
            kind: kind_name(o.kind).into(),
            engine: m.facts.engine.to_string(),
            started_at: o.started_at.to_rfc3339(),
            ended_at: o.ended_at.to_rfc3339(),
            plain_bytes: m.plain_size_bytes(),
            stored_bytes: m.stored_size_bytes(),
            tables: o.tables as u64,
            rows: o.rows,
            manifest_sha256: None,
        })?;
    }
    Ok(())
}

pub fn kind_name(k: BackupKind) -> &'static str {
    match k {
        BackupKind::Logical => "logical",
        BackupKind::Physical => "physical",
    }
}

/// `plain → stored (ratio)`.
pub fn sizes(plain: u64, stored: u64) -> (String, String, String) {
    let ratio = if stored > 0 {
        format!("{:.1}×", plain as f64 / stored as f64)
    } else {
        "-".into()
    };
    (units::bytes(plain), units::bytes(stored), ratio)
}

fn print_backup(ctx: &Ctx, o: &BackupOutcome) {
    let l = |m| Text::new(m).render(ctx.lang);
    let mut t = Table::new(vec![
        l(msg::COL_REPO),
        l(msg::COL_STATUS),
        l(msg::COL_PLAIN),
        l(msg::COL_STORED),
        l(msg::COL_RATIO),
        l(msg::COL_ENCRYPTION),
    ]);
    for r in &o.repos {
        match &r.manifest {
            Some(m) => {
                let (p, s, ratio) = sizes(m.plain_size_bytes(), m.stored_size_bytes());
                t.row(vec![
                    r.repo.clone(),
                    l(msg::STATUS_COMPLETE),
                    p,
                    s,
                    ratio,
                    m.encryption.describe(),
                ]);
            }
            None => {
                t.row(vec![
                    r.repo.clone(),
                    l(msg::STATUS_FAILED),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                ]);
            }
        }
    }
    output::stdout_line(
        &Text::new(msg::BACKUP_DONE)
            .arg("id", o.id)
            .arg("target", &o.target)
            .arg("kind", kind_name(o.kind))
            .arg("tables", o.tables)
            .arg("rows", o.rows)
            .arg("secs", format!("{:.1}", o.duration_secs()))
            .render(ctx.lang),
    );
    output::stdout_line(&t.to_string());
}

pub async fn restore(ctx: &Ctx, a: RestoreArgs) -> Result<u8, Error> {
    let entry = repo_entry(ctx, &a.repo)?;
    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    let latest_of = a.target.as_deref().map(|t| filed_name(ctx, t));
    let which = Which::parse(&a.backup, latest_of.as_deref())?;
    let decryption = repos::decryption(&entry, &repo, a.identity.as_deref())?;
    let (to, audit_target) = match (&a.to, &a.to_dir) {
        (Some(t), _) => {
            let t = ctx.target(t)?;
            let name = t.name.clone();
            (Destination::Target(t), Some(name))
        }
        (None, Some(dir)) => (Destination::DataDir(dir.clone()), None),
        (None, None) => return Err(Error::new(ErrorKind::Usage, Text::new(msg::RESTORE_WHERE))),
    };
    ctx.note(
        Text::new(msg::RESTORE_START)
            .arg("backup", &a.backup)
            .arg("repo", &entry.name),
    );
    let spec = RestoreSpec {
        repo,
        which,
        decryption,
        to,
        request: RestoreRequest {
            database: a.from_database.clone(),
            into: a.database.clone(),
            jobs: a.jobs as usize,
            force: a.force,
            globals: a.globals,
            binlog: match a.binlog {
                BinlogArg::Auto => Binlog::Auto,
                BinlogArg::On => Binlog::On,
                BinlogArg::Off => Binlog::Off,
            },
        },
    };
    let result = dbkeeper_backup::restore(spec).await;
    let code = result.as_ref().map_or_else(Error::exit_code, |_| 0);
    ctx.audit(
        "restore",
        audit_target.as_deref(),
        code,
        match &result {
            Ok(o) => serde_json::json!({
                "backup_id": o.backup.to_string(),
                "source_target": o.target,
                "repo": entry.name,
                "to_dir": a.to_dir,
                "force": a.force,
            }),
            Err(e) => serde_json::json!({
                "backup": a.backup, "repo": entry.name, "error": e.main.what.id(),
            }),
        },
    )?;
    let outcome = result?;
    if ctx.format == Format::Json {
        output::json(&outcome)?;
    } else {
        print_restore(ctx, &outcome);
    }
    Ok(0)
}

fn print_restore(ctx: &Ctx, o: &RestoreOutcome) {
    output::stdout_line(
        &Text::new(msg::RESTORE_DONE)
            .arg("id", o.backup)
            .arg("target", &o.target)
            .arg("checked", units::bytes(o.bytes_checked))
            .arg("check_secs", format!("{:.1}", o.check_secs))
            .arg("apply_secs", format!("{:.1}", o.apply_secs))
            .render(ctx.lang),
    );
    if let Some(r) = &o.logical {
        let l = |m| Text::new(m).render(ctx.lang);
        let mut t = Table::new(vec![
            l(msg::COL_DATABASE),
            l(msg::COL_TABLE),
            l(msg::COL_ROWS),
        ]);
        for tr in &r.tables {
            let name = if tr.schema.is_empty() {
                tr.table.clone()
            } else {
                format!("{}.{}", tr.schema, tr.table)
            };
            t.row(vec![tr.database.clone(), name, tr.rows.to_string()]);
        }
        output::stdout_line(&t.to_string());
        if let Some(b) = &r.binlog {
            output::stdout_line(&binlog_line(b).render(ctx.lang));
        }
    }
    if let Some(p) = &o.physical {
        output::stdout_line(
            &Text::new(msg::RESTORE_PHYSICAL_DONE)
                .arg("dir", p.data_dir.display())
                .render(ctx.lang),
        );
    }
}

/// What the restore did about the binary log, and why.
fn binlog_line(b: &BinlogDecision) -> Text {
    let m = match (b.written, b.reason) {
        (true, BinlogReason::Asked) => msg::BINLOG_WRITTEN_ASKED,
        (true, BinlogReason::Readers) => msg::BINLOG_WRITTEN_READERS,
        (true, BinlogReason::Galera) => msg::BINLOG_WRITTEN_GALERA,
        (true, _) => msg::BINLOG_WRITTEN_CANNOT_TELL,
        (false, BinlogReason::Asked) => msg::BINLOG_SKIPPED_ASKED,
        (false, _) => msg::BINLOG_SKIPPED_NO_READERS,
    };
    Text::new(m).arg("readers", b.readers)
}

pub fn keygen(ctx: &Ctx, out: &Path) -> Result<u8, Error> {
    let (identity, recipient) = dbkeeper_repo::generate_identity();
    let cant = |e: std::io::Error| {
        let m = if e.kind() == std::io::ErrorKind::AlreadyExists {
            msg::KEYGEN_EXISTS
        } else {
            msg::KEYGEN_WRITE
        };
        Error::new(
            ErrorKind::CantCreate,
            Text::new(m).arg("path", out.display()),
        )
        .hint(Text::new(msg::KEYGEN_HINT))
        .detail(e)
    };
    write_new_private(out, identity.expose().as_bytes()).map_err(cant)?;
    let public = recipient.to_string();
    ctx.audit(
        "keygen",
        None,
        0,
        serde_json::json!({ "file": out, "recipient": public }),
    )?;
    if ctx.format == Format::Json {
        output::json(&serde_json::json!({ "file": out, "recipient": public }))?;
    } else {
        output::stdout_line(&public);
        ctx.note(Text::new(msg::KEYGEN_DONE).arg("path", out.display()));
    }
    Ok(0)
}
