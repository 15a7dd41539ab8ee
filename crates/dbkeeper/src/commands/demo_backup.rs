//! The demo's backup step: a key made on the spot, a backup into a throwaway encrypted
//! repository, a restore of it into a second database with the row counts side by side, and a
//! restore drill of the same backup with its report.

use dbkeeper_backup::repos;
use dbkeeper_backup::restore::{Destination, RestoreSpec, Which};
use dbkeeper_backup::{BackupRequest, Progress};
use dbkeeper_config::{RepoEntry, Retention};
use dbkeeper_core::dump::{LogicalRequest, RestoreRequest};
use dbkeeper_core::scratch::ScratchDir;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_repo::{BackupKind, S3Options, WriteOptions};

use crate::app::Ctx;
use crate::commands::engines;
use crate::msg;

pub const RESTORED_DB: &str = "hospital_restored";

/// What the step did, for the summary and `--format json`.
#[derive(Debug, serde::Serialize)]
pub struct DemoBackup {
    pub backup_id: String,
    pub plain_bytes: u64,
    pub stored_bytes: u64,
    pub backup_secs: f64,
    pub restore_secs: f64,
    /// (table, rows in the backup's snapshot, rows counted in the restored database)
    pub tables: Vec<(String, u64, u64)>,
    /// The restore drill of the same backup: `pass` or `fail`, its checks, its HTML report.
    pub drill_verdict: String,
    pub drill_checks: usize,
    pub drill_report: std::path::PathBuf,
}

pub async fn run(ctx: &Ctx, target: &Target) -> Result<DemoBackup, Error> {
    let dir = ScratchDir::create(None)
        .map_err(|e| Error::new(ErrorKind::CantCreate, Text::new(msg::TASK_FAILED)).detail(e))?;
    let (identity, recipient) = dbkeeper_repo::generate_identity();
    let key_file = dir.path().join("demo.key");
    crate::commands::backup::write_new_private(&key_file, identity.expose().as_bytes())
        .map_err(|e| Error::new(ErrorKind::CantCreate, Text::new(msg::TASK_FAILED)).detail(e))?;
    let entry = RepoEntry {
        name: "demo-repo".into(),
        url: format!("file://{}", dir.path().join("repo").display()),
        recipients: vec![recipient.to_string()],
        passphrase: None,
        identity: Some(key_file),
        allow_unencrypted: false,
        retention: Retention::default(),
    };
    let open = repos::open_for_write(&entry, &[], &S3Options::default()).await?;
    let outcome = dbkeeper_backup::backup(BackupRequest {
        target,
        repos: vec![open],
        kind: BackupKind::Logical,
        logical: LogicalRequest {
            jobs: 2,
            ..LogicalRequest::default()
        },
        write: WriteOptions::default(),
        run_id: Some(ctx.run_id.to_string()),
        progress: Progress::new(),
    })
    .await?;
    let manifest = outcome
        .manifest()
        .cloned()
        .ok_or_else(|| Error::new(ErrorKind::Failed, Text::new(msg::TASK_FAILED)))?;
    ctx.audit(
        "demo.backup",
        Some(&target.name),
        0,
        serde_json::json!({ "backup_id": outcome.id.to_string(), "repo": entry.url }),
    )?;

    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    let decryption = repos::decryption(&entry, &repo, None)?;
    let mut into = target.clone();
    into.database = Some(RESTORED_DB.into());
    let restored = dbkeeper_backup::restore(RestoreSpec {
        repo,
        which: Which::Id(outcome.id),
        decryption,
        to: Destination::Target(into.clone()),
        request: RestoreRequest {
            jobs: 2,
            ..RestoreRequest::default()
        },
    })
    .await?;
    ctx.audit(
        "demo.restore",
        Some(&target.name),
        0,
        serde_json::json!({ "backup_id": outcome.id.to_string(), "into": RESTORED_DB }),
    )?;

    // Counted afresh in the restored database, not taken from the restore's own report.
    let engine = engines::connect(&into).await?;
    let mut tables = Vec::new();
    for t in &manifest.facts.contents.tables {
        let q = format!(
            "SELECT count(*) AS n FROM {}.{}",
            dbkeeper_postgres::quote_ident(&t.schema),
            dbkeeper_postgres::quote_ident(&t.table)
        );
        let rows = engine.query(&q).await?;
        let n = rows
            .first()
            .and_then(|r| r.get("n"))
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        tables.push((format!("{}.{}", t.schema, t.table), t.rows, n));
    }
    if let Some((name, want, got)) = tables.iter().find(|(_, a, b)| a != b) {
        return Err(Error::new(
            ErrorKind::Failed,
            Text::new(msg::DEMO_RESTORE_MISMATCH)
                .arg("table", name)
                .arg("want", want)
                .arg("got", got),
        ));
    }
    // The drill: the same backup restored into a scratch server of its own, checked, timed,
    // and its report kept under the state directory (the repository goes away with the demo).
    let repo = repos::open_for_read(&entry, &S3Options::default()).await?;
    let decryption = repos::decryption(&entry, &repo, None)?;
    let drill = dbkeeper_verify::drill(dbkeeper_verify::DrillRequest {
        repo,
        which: Which::Id(outcome.id),
        decryption,
        sanity: Vec::new(),
        rto_max: Some(std::time::Duration::from_secs(600)),
        rpo_max: None,
        jobs: 2,
        into: None,
        rpo_column: None,
    })
    .await?;
    let reports = ctx.state.dir().join("reports");
    std::fs::create_dir_all(&reports).map_err(|e| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::REPORTS_DIR).arg("path", reports.display()),
        )
        .hint(Text::new(msg::REPORTS_DIR_HINT))
        .detail(e)
    })?;
    let drill_path = reports.join(format!("demo-{}.html", drill.drill_id));
    let formats = [(
        drill_path.clone(),
        crate::commands::inspect::ReportFormat::Html,
    )];
    let (sha, _) = crate::commands::verify::file(ctx, &drill, &formats)?;
    crate::commands::verify::record(ctx, &drill, &sha, Some(&drill_path), &entry.name)?;

    Ok(DemoBackup {
        drill_verdict: format!("{:?}", drill.verdict).to_lowercase(),
        drill_checks: drill.checks.len(),
        drill_report: drill_path,
        backup_id: outcome.id.to_string(),
        plain_bytes: manifest.plain_size_bytes(),
        stored_bytes: manifest.stored_size_bytes(),
        backup_secs: outcome.duration_secs(),
        restore_secs: restored.check_secs + restored.apply_secs,
        tables,
    })
    // `dir` (key and repository) is removed here.
}
