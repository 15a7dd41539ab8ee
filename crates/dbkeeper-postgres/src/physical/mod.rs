//! Physical backup and restore: the whole cluster as `pg_basebackup` streams it, and back
//! into an empty data directory.
//!
//! A backup is one object, `base.tar`: pg_basebackup's tar of the data directory written to
//! stdout (`-D - -Ft`), with `-X fetch` so that the WAL from the backup's start to its end
//! point is inside the tar (`pg_wal/`) together with `backup_label` and `backup_manifest`. A
//! restored copy therefore starts and becomes consistent with nothing else. pg_basebackup
//! sends the WAL at the end, from the server's `pg_wal`; a temporary replication slot held
//! for the length of the backup keeps the server from recycling any of it meanwhile.
//!
//! Continuous archiving and point-in-time recovery fit beside this without changing it: WAL
//! segments would be stored once per repository, outside the backup folders (e.g.
//! `wal/<system_identifier>/<timeline>/<segment>`), by an `archive_command` that calls
//! dbkeeper; a backup's `consistent_point` already names its timeline and its first and last
//! WAL segment, which is what retention needs to know which segments a kept backup still
//! needs. A point-in-time restore is `restore_physical` of the newest backup before the
//! target time plus a `recovery.signal` with a `restore_command` that fetches segments from
//! the repository and a `recovery_target_time` — the WAL in `base.tar` then only shortens the
//! fetch.

mod tar;

use std::path::Path;

use chrono::{DateTime, Utc};
use dbkeeper_core::dump::{DumpContents, ObjectSink, ObjectSource};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use serde_json::json;

use crate::connect::query_error;
use crate::msg;
use crate::tools::{self, ChildFailure};

/// `DumpContents::method` of a physical backup.
pub const METHOD: &str = "pg_basebackup";

/// The object holding the data directory (and the WAL to reach consistency).
pub const BASE_OBJECT: &str = "base.tar";

const FACTS_SQL: &str = "\
SELECT pg_catalog.current_setting('server_version'),
       pg_catalog.current_setting('server_version_num')::int,
       coalesce((SELECT rolsuper OR rolreplication FROM pg_catalog.pg_roles
                  WHERE rolname = current_user), false),
       (SELECT count(*) FROM pg_catalog.pg_tablespace
         WHERE spcname NOT IN ('pg_default', 'pg_global')),
       pg_catalog.current_setting('wal_segment_size'),
       pg_catalog.current_setting('track_commit_timestamp')::bool";

/// Makes a physical backup of the whole cluster of `target` into `sink`. The user needs the
/// REPLICATION attribute (or superuser) and a `replication` line in pg_hba.conf.
pub async fn backup_physical(target: &Target, sink: &dyn ObjectSink) -> Result<DumpContents> {
    let engine = crate::connect(target).await?;
    let c = engine.client();
    let err = |e: tokio_postgres::Error| query_error(target, "server facts", &e);
    let r = c.query_one(FACTS_SQL, &[]).await.map_err(err)?;
    let version: String = r.try_get(0).map_err(err)?;
    let version_num: i32 = r.try_get(1).map_err(err)?;
    let may_replicate: bool = r.try_get(2).map_err(err)?;
    let tablespaces: i64 = r.try_get(3).map_err(err)?;
    let segment_size = parse_size(&r.try_get::<_, String>(4).map_err(err)?);
    let track_commits: bool = r.try_get(5).map_err(err)?;

    if !may_replicate {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::PHYS_NO_REPLICATION)
                .arg("user", &target.user)
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(
            Text::new(msg::PHYS_NO_REPLICATION_HINT).arg("user", crate::quote_ident(&target.user)),
        ));
    }
    if tablespaces > 0 {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::PHYS_TABLESPACES)
                .arg("target", &target.name)
                .arg("count", tablespaces),
        )
        .at(&target.name)
        .hint(Text::new(msg::PHYS_TABLESPACES_HINT)));
    }
    let system_identifier: Option<String> = c
        .query_one(
            "SELECT system_identifier::text FROM pg_catalog.pg_control_system()",
            &[],
        )
        .await
        .and_then(|r| r.try_get(0))
        .ok();
    // Before the backup starts, so that this commit is surely in it.
    let newest_commit: Option<DateTime<Utc>> = if track_commits {
        c.query_one(
            "SELECT (pg_catalog.pg_last_committed_xact()).timestamp",
            &[],
        )
        .await
        .and_then(|r| r.try_get(0))
        .map_err(|e| query_error(target, "the newest commit", &e))?
    } else {
        None
    };

    let _slot = hold_wal(target).await;
    let major = u32::try_from(version_num / 10000).unwrap_or(0);
    let pg_basebackup = tools::find("pg_basebackup", major).await?;
    let mut cmd = tools::command(&pg_basebackup, target, None)?;
    cmd.args([
        "-D",
        "-",
        "-Ft",
        "-X",
        "fetch",
        "--checkpoint=fast",
        "--label=dbkeeper",
        "--no-password",
        "--verbose",
    ]);
    let (bytes, stderr) = tools::stdout_to_object(cmd, &pg_basebackup, sink, BASE_OBJECT)
        .await
        .map_err(|f| basebackup_failed(target, f))?;
    let points = wal_points(&stderr);
    tracing::debug!(bytes, ?points, "physical backup streamed");

    let wal_file = |lsn: Option<&str>| -> Option<String> {
        let (tli, lsn) = (points.timeline?, parse_lsn(lsn?)?);
        Some(wal_file_name(tli, lsn, segment_size?))
    };
    let consistent_point = json!({
        "kind": "base_backup",
        "start_lsn": points.start,
        "stop_lsn": points.stop,
        "timeline": points.timeline,
        "start_wal_file": wal_file(points.start.as_deref()),
        "stop_wal_file": wal_file(points.stop.as_deref()),
        "wal_segment_size": segment_size,
        "system_identifier": system_identifier,
        "wal": "included",
        "object": BASE_OBJECT,
    });
    Ok(DumpContents {
        method: METHOD.into(),
        server_version: crate::facts::version_token(&version),
        consistent_point,
        tables: Vec::new(),
        object_counts: Default::default(),
        newest_commit: newest_commit.map(|t| t.to_rfc3339()),
    })
}

/// A temporary physical replication slot, reserved now and released when its session ends
/// (when this value is dropped): `-X fetch` reads the backup's WAL from `pg_wal` at the end,
/// and without the slot a busy server could have recycled some of it by then. A server
/// without a free slot still gets its backup, with pg_basebackup's usual risk.
async fn hold_wal(target: &Target) -> Option<crate::PgEngine> {
    let engine = crate::connect(target).await.ok()?;
    let name = format!(
        "dbkeeper_{}_{}",
        std::process::id(),
        Utc::now().timestamp_micros()
    );
    match engine
        .client()
        .execute(
            "SELECT pg_catalog.pg_create_physical_replication_slot($1, true, true)",
            &[&name],
        )
        .await
    {
        Ok(_) => Some(engine),
        Err(e) => {
            tracing::warn!(target = %target.name, error = %crate::connect::cause_chain(&e), "no temporary replication slot; WAL is not held for the backup");
            None
        }
    }
}

fn basebackup_failed(target: &Target, f: ChildFailure) -> Error {
    if let Some(e) = f.io_error {
        return e;
    }
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::PHYS_BASEBACKUP).arg("target", &target.name),
    )
    .at(&target.name)
    .hint(Text::new(msg::PHYS_BASEBACKUP_HINT))
    .detail(f.detail)
}

#[derive(Debug, Default, PartialEq, Eq)]
struct WalPoints {
    start: Option<String>,
    stop: Option<String>,
    timeline: Option<u32>,
}

/// The start and end points pg_basebackup reports with `--verbose` (its messages are in
/// English: the child runs with LC_MESSAGES=C):
/// `write-ahead log start point: 0/2000028 on timeline 1`, `write-ahead log end point: 0/2000100`.
fn wal_points(stderr: &str) -> WalPoints {
    let mut p = WalPoints::default();
    for line in stderr.lines() {
        if let Some(rest) = line.split("write-ahead log start point: ").nth(1) {
            let mut words = rest.split_whitespace();
            p.start = words.next().map(str::to_string);
            if let (Some("on"), Some("timeline"), Some(t)) =
                (words.next(), words.next(), words.next())
            {
                p.timeline = t.parse().ok();
            }
        } else if let Some(rest) = line.split("write-ahead log end point: ").nth(1) {
            p.stop = rest.split_whitespace().next().map(str::to_string);
        }
    }
    p
}

/// `0/2000028` → 0x2000028.
fn parse_lsn(lsn: &str) -> Option<u64> {
    let (hi, lo) = lsn.split_once('/')?;
    Some((u64::from_str_radix(hi, 16).ok()? << 32) | u64::from_str_radix(lo, 16).ok()?)
}

/// `16MB` (as `SHOW wal_segment_size` prints it) → bytes.
fn parse_size(s: &str) -> Option<u64> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().ok()?;
    let unit = match s[digits.len()..].trim() {
        "" | "B" => 1,
        "kB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        _ => return None,
    };
    Some(n * unit)
}

/// The WAL file holding `lsn`, as the server names it (`pg_walfile_name`, which a replica
/// cannot run): timeline, then the segment number split at 4 GiB.
fn wal_file_name(timeline: u32, lsn: u64, segment_size: u64) -> String {
    let segno = lsn / segment_size.max(1);
    let per_id = 0x1_0000_0000 / segment_size.max(1);
    format!(
        "{timeline:08X}{:08X}{:08X}",
        segno / per_id.max(1),
        segno % per_id.max(1)
    )
}

/// What a physical restore did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PhysicalRestoreReport {
    pub files: u64,
    pub bytes: u64,
    /// pg_verifybackup checked every file against the backup's manifest (and the WAL).
    pub manifest_verified: bool,
}

/// Restores a physical backup into `data_dir`, which must be empty (or not exist yet). The
/// files get the owner of `data_dir`, so that the account that will run the server owns
/// them. Afterwards pg_verifybackup checks every file against the backup's own manifest and
/// the WAL against its range. Start it with [`crate::ScratchPostgres::start_from`], or as any
/// data directory: it recovers to the backup's end point on its first start.
pub async fn restore_physical(
    source: &dyn ObjectSource,
    data_dir: &Path,
) -> Result<PhysicalRestoreReport> {
    prepare_dir(data_dir)?;
    if !source.names().iter().any(|n| n == BASE_OBJECT) {
        return Err(Error::new(ErrorKind::Data, Text::new(msg::PHYS_NO_BASE))
            .hint(Text::new(msg::RESTORE_NOT_OURS_HINT)));
    }
    let owner = {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(data_dir).map_err(|e| dir_error(data_dir, &e))?;
        let me = nix::unistd::geteuid().as_raw();
        (meta.uid() != me).then_some((meta.uid(), meta.gid()))
    };
    let mut reader = source.open(BASE_OBJECT).await?;
    let extracted = tar::extract(&mut reader, data_dir, owner)
        .await
        .map_err(|e| match e {
            tar::TarError::Corrupt(why) => Error::new(
                ErrorKind::Data,
                Text::new(msg::PHYS_TAR).arg("object", BASE_OBJECT),
            )
            .at(BASE_OBJECT)
            .hint(Text::new(msg::OBJECT_READ_HINT))
            .detail(why),
            tar::TarError::Read(e) => tools::read_error(BASE_OBJECT, &e),
            tar::TarError::Write(path, e) => dir_error(&path, &e),
        })?;
    let manifest_verified = verify(data_dir).await?;
    Ok(PhysicalRestoreReport {
        files: extracted.files,
        bytes: extracted.bytes,
        manifest_verified,
    })
}

/// The directory must be empty: a physical restore never mixes with files already there.
fn prepare_dir(data_dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::read_dir(data_dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::new(
                    ErrorKind::Config,
                    Text::new(msg::PHYS_DIR_NOT_EMPTY).arg("path", data_dir.display()),
                )
                .at(data_dir.display().to_string())
                .hint(Text::new(msg::PHYS_DIR_NOT_EMPTY_HINT)));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(|e| dir_error(data_dir, &e))?;
        }
        Err(e) => return Err(dir_error(data_dir, &e)),
    }
    // PostgreSQL refuses a data directory that others may read.
    std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| dir_error(data_dir, &e))
}

fn dir_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::PHYS_DIR).arg("path", path.display()),
    )
    .at(path.display().to_string())
    .hint(Text::new(msg::PHYS_DIR_HINT))
    .detail(e)
}

/// Runs pg_verifybackup when the backup has a manifest and the program is installed; a
/// mismatch is an error, a missing program only a warning (the object's hash was checked).
async fn verify(data_dir: &Path) -> Result<bool> {
    if !data_dir.join("backup_manifest").is_file() {
        return Ok(false);
    }
    let major = std::fs::read_to_string(data_dir.join("PG_VERSION"))
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(0);
    let program = match tools::find("pg_verifybackup", major).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "pg_verifybackup not found; the restored files were not checked against the manifest");
            return Ok(false);
        }
    };
    let out = tokio::process::Command::new(&program)
        .arg(data_dir)
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                Text::new(msg::TOOL_START).arg("program", "pg_verifybackup"),
            )
            .hint(Text::new(msg::TOOL_START_HINT))
            .detail(e)
        })?;
    if out.status.success() {
        return Ok(true);
    }
    Err(Error::new(
        ErrorKind::Data,
        Text::new(msg::PHYS_VERIFY).arg("path", data_dir.display()),
    )
    .at(data_dir.display().to_string())
    .hint(Text::new(msg::OBJECT_READ_HINT))
    .detail(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pg_basebackup_points() {
        let stderr = "pg_basebackup: initiating base backup, waiting for checkpoint to complete\n\
pg_basebackup: checkpoint completed\n\
pg_basebackup: write-ahead log start point: 0/2000028 on timeline 1\n\
pg_basebackup: write-ahead log end point: 0/2000100\n\
pg_basebackup: base backup completed\n";
        assert_eq!(
            wal_points(stderr),
            WalPoints {
                start: Some("0/2000028".into()),
                stop: Some("0/2000100".into()),
                timeline: Some(1),
            }
        );
    }

    #[test]
    fn names_wal_files() {
        let seg = parse_size("16MB").expect("size");
        assert_eq!(seg, 16 << 20);
        let lsn = parse_lsn("0/2000028").expect("lsn");
        assert_eq!(wal_file_name(1, lsn, seg), "000000010000000000000002");
        let lsn = parse_lsn("1A/FF000000").expect("lsn");
        assert_eq!(wal_file_name(3, lsn, seg), "000000030000001A000000FF");
        assert_eq!(parse_size("1GB"), Some(1 << 30));
        assert_eq!(parse_size("lots"), None);
    }
}
