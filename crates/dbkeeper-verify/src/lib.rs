//! Restore drills: prove that a backup restores, measure how long it takes and how old the data
//! is, and file a report the customer can keep.
//!
//! A drill, in order: the backup's every object is hashed against its manifest and the key is
//! tried (nothing is restored from a backup that is not whole); a scratch server of the
//! backup's engine (and major version) is started from the installed binaries; the backup is
//! restored into it (a physical one extracted, prepared or recovered, and started); then the
//! engine's own integrity check runs (amcheck, CHECK TABLE), every table's rows and every kind
//! of schema object are counted against the manifest — whose counts were taken inside the
//! backup's own snapshot — and the caller's sanity queries are judged. RTO is the wall time
//! until the data is usable (verify, start, restore), RPO the age of the backup's snapshot at
//! the drill. The scratch server is torn down and the report says so.
//!
//! A drill that finds a problem is not an error: it is a report with the verdict FAIL, which is
//! exactly the evidence the drill exists for. Errors are for drills that could not run.

mod checks;
pub mod msg;
pub mod report;
pub mod sample;
mod scratch;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use dbkeeper_backup::restore::{find_manifest, prove, Which};
use dbkeeper_core::dump::RestoreRequest;
use dbkeeper_core::scratch::{process_alive, ScratchInstance};
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Lang, Result, Text};
use dbkeeper_repo::{BackupKind, BackupSource, Decryption, Manifest, Repository};
use sha2::{Digest, Sha256};

pub use report::{Check, DrillReport, Phase, Teardown, Verdict};
pub use sample::{sample, SampleReport};

/// Judges the first value a sanity query returns.
pub type Judge = Arc<dyn Fn(&serde_json::Value) -> std::result::Result<(), String> + Send + Sync>;

/// A query run on the restored copy, with what its first value must satisfy.
#[derive(Clone)]
pub struct Sanity {
    pub name: Option<String>,
    pub sql: String,
    /// The database to run it in; the backup's first when `None`.
    pub database: Option<String>,
    /// As written (`> 0`), for the report.
    pub expect: Option<String>,
    pub judge: Option<Judge>,
}

pub struct DrillRequest {
    pub repo: Repository,
    pub which: Which,
    pub decryption: Decryption,
    pub sanity: Vec<Sanity>,
    pub rto_max: Option<Duration>,
    pub rpo_max: Option<Duration>,
    /// Tables loaded in parallel.
    pub jobs: usize,
    /// Restore into this configured drill server instead of a scratch instance.
    pub into: Option<DrillTarget>,
    /// Measure RPO from the newest value of this column in the restored copy
    /// (`schema.table.column` or `table.column`, in the backup's first database) instead of the
    /// backup's snapshot time: the newest business record that would survive.
    pub rpo_column: Option<String>,
}

/// A configured server kept for drills. It must not be the backup's source: a drill there
/// would restore over production.
pub struct DrillTarget {
    pub target: dbkeeper_core::target::Target,
    /// The servers the config knows; the one the backup was made of is found among them by
    /// name, and compared by identity (system identifier / server uuid) and data directory.
    pub known: Vec<dbkeeper_core::target::Target>,
}

fn phase(name: &str, since: Instant) -> Phase {
    Phase {
        name: name.into(),
        seconds: since.elapsed().as_secs_f64(),
    }
}

/// A check to fill in.
fn blank(kind: &str, verdict: Verdict) -> Check {
    Check {
        kind: kind.into(),
        name: String::new(),
        expected: String::new(),
        actual: String::new(),
        verdict,
        name_zh: None,
        expected_zh: None,
    }
}

fn failed(kind: &str, name: String, expected: String, e: &dbkeeper_core::Error) -> Check {
    Check {
        kind: kind.into(),
        name,
        expected,
        actual: e.render(Lang::En),
        verdict: Verdict::Fail,
        name_zh: None,
        expected_zh: None,
    }
}

/// Runs one drill. `Err` only when the backup cannot be found or read at all.
pub async fn drill(req: DrillRequest) -> Result<DrillReport> {
    let started_at = Utc::now();
    let t = Instant::now();
    let manifest = find_manifest(&req.repo, &req.which).await?;
    let manifest_sha256 = manifest_hash(&req.repo, &manifest).await?;
    let mut phases = Vec::new();
    let mut checks = Vec::new();

    if let Some(d) = &req.into {
        refuse_source(&manifest, d).await?;
    }

    // 1. Whole, and the key opens it.
    let source = BackupSource::new(req.repo.clone(), manifest.clone(), req.decryption.clone());
    let integrity_name = Text::new(msg::INTEGRITY_CHECK);
    let expected = Text::new(msg::INTEGRITY_EXPECTED)
        .arg("objects", manifest.objects.len())
        .arg("bytes", manifest.stored_size_bytes());
    let proven = prove(&source, &req.repo, &req.decryption).await;
    phases.push(phase("verify", t));
    let mut scratch: Option<Box<dyn ScratchInstance>> = None;
    let mut newest_data: Option<(chrono::DateTime<Utc>, String)> = None;
    match proven {
        Ok(bytes) => {
            let mut c = blank("integrity", Verdict::Pass);
            c.actual = format!("{} objects, {bytes} bytes", manifest.objects.len());
            c.localized(Some(&integrity_name), Some(&expected));
            checks.push(c);
            // 2. Restore into a scratch instance, 3. check it there.
            // Where the copy now is, and the scratch instance that holds it (if one does).
            let restored = match &req.into {
                Some(d) => restore_into(&manifest, &source, &d.target, req.jobs, &mut phases)
                    .await
                    .map(|()| (d.target.clone(), None)),
                None => restore(&manifest, &source, req.jobs, &mut phases)
                    .await
                    .map(|s| (s.target().clone(), Some(s))),
            };
            match restored {
                Ok((target, s)) => {
                    let c = Instant::now();
                    if let Some(col) = &req.rpo_column {
                        match checks::newest(&target, &manifest, col).await {
                            Ok(at) => newest_data = Some((at, col.clone())),
                            Err(e) => {
                                checks.push(failed("rpo", col.clone(), "a timestamp".into(), &e))
                            }
                        }
                    }
                    checks.extend(check_all(&target, &manifest, &req.sanity).await);
                    phases.push(phase("checks", c));
                    scratch = s;
                }
                Err(e) => checks.push(failed(
                    "restore",
                    match &req.into {
                        Some(d) => format!("restore into {}", d.target),
                        None => "restore into a scratch instance".into(),
                    },
                    "ok".into(),
                    &e,
                )),
            }
        }
        Err(e) => {
            let mut c = failed("integrity", String::new(), String::new(), &e);
            c.localized(Some(&integrity_name), Some(&expected));
            checks.push(c);
        }
    }

    // RTO: until the data is usable (everything but the checks); RPO: age of the snapshot.
    let rto_seconds: f64 = phases
        .iter()
        .filter(|p| p.name != "checks")
        .map(|p| p.seconds)
        .sum();
    let (backup_point, rpo_basis) = match newest_data {
        Some((at, col)) => (at, format!("newest {col}")),
        None => (manifest.facts.started_at, "backup snapshot".to_string()),
    };
    let rpo_seconds = (started_at - backup_point).num_milliseconds().max(0) as f64 / 1000.0;
    for (m, actual, max) in [
        (msg::RTO_CHECK, rto_seconds, req.rto_max),
        (msg::RPO_CHECK, rpo_seconds, req.rpo_max),
    ] {
        if let Some(max) = max {
            let max = max.as_secs_f64();
            let mut c = blank(
                if m.id == msg::RTO_CHECK.id {
                    "rto"
                } else {
                    "rpo"
                },
                if actual <= max {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                },
            );
            c.expected = format!("<= {max:.0} s");
            c.actual = format!("{actual:.1} s");
            c.localized(Some(&Text::new(m)), None);
            checks.push(c);
        }
    }

    // 4. Tear down, and say so.
    let teardown = match scratch {
        Some(s) => {
            let pid = s.pid();
            let dir = s.data_dir().to_path_buf();
            let _ = tokio::task::spawn_blocking(move || drop(s)).await;
            Teardown {
                server_pid: Some(pid),
                process_left: process_alive(pid),
                directory_left: dir.exists(),
            }
        }
        None => Teardown {
            server_pid: None,
            process_left: false,
            directory_left: false,
        },
    };
    let verdict = if checks.iter().all(|c| c.verdict == Verdict::Pass)
        && !teardown.process_left
        && !teardown.directory_left
    {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    Ok(DrillReport {
        drill_id: format!("drill-{}", started_at.format("%Y%m%dT%H%M%SZ")),
        backup_id: manifest.id.to_string(),
        target: manifest.target.clone(),
        repo: req.repo.label().to_string(),
        kind: match manifest.facts.kind {
            BackupKind::Logical => "logical",
            BackupKind::Physical => "physical",
        }
        .into(),
        engine: manifest.facts.engine.to_string(),
        server_version: manifest.facts.contents.server_version.clone(),
        manifest_sha256,
        dbkeeper_version: env!("CARGO_PKG_VERSION").into(),
        host: dbkeeper_core::host::hostname(),
        started_at,
        ended_at: Utc::now(),
        backup_point,
        rpo_basis,
        rpo_seconds,
        rpo_max_seconds: req.rpo_max.map(|d| d.as_secs_f64()),
        rto_seconds,
        rto_max_seconds: req.rto_max.map(|d| d.as_secs_f64()),
        phases,
        checks,
        verdict,
        teardown,
    })
}

async fn manifest_hash(repo: &Repository, m: &Manifest) -> Result<String> {
    let key = format!(
        "{}manifest.json",
        dbkeeper_repo::repository::backup_prefix(&m.target, &m.id)
    );
    let bytes = repo
        .store()
        .get_bytes(&key, 64 * 1024 * 1024)
        .await?
        .unwrap_or_default();
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Refuses a drill target that is the backup's source: the same address as recorded in the
/// manifest, or — when the config knows the source — the same server identity (PostgreSQL's
/// system identifier, MySQL's server uuid) or the same data directory.
async fn refuse_source(m: &Manifest, d: &DrillTarget) -> Result<()> {
    let refuse = |why: String| {
        Err(dbkeeper_core::Error::new(
            dbkeeper_core::ErrorKind::Config,
            Text::new(msg::INTO_IS_SOURCE)
                .arg("target", &d.target)
                .arg("backup", m.id)
                .arg("why", why),
        )
        .hint(Text::new(msg::INTO_IS_SOURCE_HINT)))
    };
    let address = d.target.address();
    if m.facts.extra.get("target_address").and_then(|v| v.as_str()) == Some(address.as_str()) {
        return refuse(format!("address {address}"));
    }
    if m.facts.kind == BackupKind::Physical {
        return Err(dbkeeper_core::Error::new(
            dbkeeper_core::ErrorKind::Usage,
            Text::new(msg::INTO_PHYSICAL).arg("backup", m.id),
        ));
    }
    let Some(source) = d
        .known
        .iter()
        .find(|t| dbkeeper_backup::repo_name(t) == m.target)
    else {
        return Ok(());
    };
    let into = dbkeeper_backup::engines::connect(&d.target).await?;
    let from = dbkeeper_backup::engines::connect(source).await?;
    let identity_sql = match d.target.engine {
        EngineKind::Postgres => "SELECT system_identifier::text AS id FROM pg_control_system()",
        EngineKind::Mysql => "SELECT @@server_uuid AS id",
    };
    let id = |rows: Vec<dbkeeper_core::engine::Row>| {
        rows.first()
            .and_then(|r| r.get("id"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let (a, b) = (
        id(into.query(identity_sql).await?),
        id(from.query(identity_sql).await?),
    );
    if a.is_some() && a == b {
        return refuse(format!("server identity {}", a.unwrap_or_default()));
    }
    let (fa, fb) = (into.facts().await?, from.facts().await?);
    if fa.data_directory.is_some()
        && fa.data_directory == fb.data_directory
        && fa.host.is_some()
        && fb.host.is_some()
    {
        return refuse(format!(
            "data directory {}",
            fa.data_directory.unwrap_or_default()
        ));
    }
    Ok(())
}

/// A logical restore into the drill target, under the databases' own names (a database there
/// that already holds tables makes the restore, and so the drill, fail).
async fn restore_into(
    m: &Manifest,
    source: &BackupSource,
    target: &dbkeeper_core::target::Target,
    jobs: usize,
    phases: &mut Vec<Phase>,
) -> Result<()> {
    let t = Instant::now();
    let engine = dbkeeper_backup::engines::connect_admin(target).await?;
    engine
        .restore_logical(
            &RestoreRequest {
                jobs: jobs.max(1),
                ..RestoreRequest::default()
            },
            &m.facts.contents,
            source,
        )
        .await?;
    phases.push(phase("restore", t));
    Ok(())
}

async fn restore(
    m: &Manifest,
    source: &BackupSource,
    jobs: usize,
    phases: &mut Vec<Phase>,
) -> Result<Box<dyn ScratchInstance>> {
    match m.facts.kind {
        BackupKind::Logical => {
            let t = Instant::now();
            let s = scratch::empty(m).await?;
            phases.push(phase("scratch", t));
            let t = Instant::now();
            let engine = dbkeeper_backup::engines::connect_admin(s.target()).await?;
            engine
                .restore_logical(
                    &RestoreRequest {
                        jobs: jobs.max(1),
                        // Roles and users too, so that owners and grants restore as they were.
                        globals: true,
                        ..RestoreRequest::default()
                    },
                    &m.facts.contents,
                    source,
                )
                .await?;
            phases.push(phase("restore", t));
            Ok(s)
        }
        BackupKind::Physical => {
            let t = Instant::now();
            let s = scratch::from_physical(m, source).await?;
            phases.push(phase("restore", t));
            Ok(s)
        }
    }
}

async fn check_all(
    target: &dbkeeper_core::target::Target,
    m: &Manifest,
    sanity: &[Sanity],
) -> Vec<Check> {
    let dbs = checks::databases(m);
    let mut out = Vec::new();
    // Counts first: the integrity check installs amcheck, which is an object of its own.
    let rows = checks::row_counts(target, m).await;
    let objects = checks::object_counts(target, m).await;
    let engine = checks::integrity(target, &dbs).await;
    let sanity = checks::sanity(target, m, sanity).await;
    for (kind, result) in [
        ("rows", rows),
        ("objects", objects),
        ("engine", engine),
        ("sanity", sanity),
    ] {
        match result {
            Ok(c) => out.extend(c),
            Err(e) => out.push(failed(kind, kind.into(), "ok".into(), &e)),
        }
    }
    out
}
