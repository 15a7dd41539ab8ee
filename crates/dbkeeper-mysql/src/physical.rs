//! Physical backups with mariabackup: the server's data directory copied while it runs,
//! streamed as one xbstream object, and at restore time extracted into an empty directory and
//! prepared (the redo log applied) so that a server can start on it
//! ([`crate::scratch::ScratchMysql::start_from`]).
//!
//! mariabackup reads the data files itself, so it must run on the database host; it connects
//! to the server only to coordinate (its own `BACKUP STAGE` locks) and reads the connection
//! from our private option file.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dbkeeper_core::dump::{DumpContents, LogicalRequest, ObjectSink, ObjectSource};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::prelude::Queryable;
use serde_json::{json, Value as Json};

use crate::dump::{catalog, query_error, snapshot};
use crate::tools::{
    dir_is_empty, object_to_stdin, spawn, status_text, stdout_to_object, tool_failed, OptionFile,
    Program, StderrReader, Tool,
};
use crate::{connect, msg};

/// How a physical backup says it was made (the manifest's `method`).
pub const PHYSICAL_METHOD: &str = "mariabackup";
/// The one object of a physical backup.
pub const STREAM_OBJECT: &str = "physical/backup.xbstream";

/// Copies the data directory of `target` (which must run on this machine) with
/// `mariabackup --backup --stream=xbstream` into the object [`STREAM_OBJECT`].
///
/// The consistent point is where mariabackup stopped commits at its end: the binlog file,
/// position and GTID it reports. Object counts are read from information_schema as the backup
/// begins; row counts are not part of a physical backup (the drill counts them after
/// restoring).
pub async fn backup_physical(target: &Target, sink: &dyn ObjectSink) -> Result<DumpContents> {
    // A server elsewhere: its files are out of reach, whatever it answers.
    if !target.is_local() {
        return Err(not_local(target, None));
    }
    let mut conn = connect::open(target).await?;
    let server = snapshot::server(target, &mut conn).await?;
    let datadir: Option<String> = conn
        .query_first("SELECT @@datadir")
        .await
        .map_err(|e| query_error(target, "@@datadir", &e))?;
    let datadir = datadir.unwrap_or_default();
    let names = catalog::choose(
        target,
        &mut conn,
        &LogicalRequest {
            all_databases: true,
            ..LogicalRequest::default()
        },
    )
    .await?;
    let dbs = catalog::read(target, &mut conn, &server, &names).await?;
    if let Err(e) = conn.disconnect().await {
        tracing::debug!(error = %e, "disconnect failed");
    }
    if !Path::new(&datadir).join("mysql").is_dir() {
        return Err(not_local(target, Some(&datadir)));
    }

    let tool = Tool::find(Program::Backup).await?;
    let options = OptionFile::for_target(target, &tool)?;
    // mariabackup wants a target directory even when it streams; it keeps temporary files there.
    let work = tempfile::Builder::new()
        .prefix("dbkeeper-mariabackup-")
        .tempdir()
        .map_err(|e| {
            Error::new(
                ErrorKind::CantCreate,
                Text::new(msg::PHYSICAL_DIR).arg("path", std::env::temp_dir().display()),
            )
            .hint(Text::new(msg::PHYSICAL_DIR_HINT))
            .detail(e)
        })?;
    let mut cmd = tool.command(Some(&options));
    cmd.arg("--backup")
        .arg("--stream=xbstream")
        .arg(format!("--target-dir={}", work.path().display()))
        .arg(format!("--datadir={datadir}"))
        .arg("--parallel=2");
    let started = Instant::now();
    let at = format!("{target} ({datadir})");
    let (_, kept) = stdout_to_object(&tool, cmd, sink, STREAM_OBJECT, &at, |line| {
        line.contains("MySQL binlog position")
    })
    .await?;
    let position = kept.iter().rev().find_map(|l| parse_position_line(l));
    let mut contents = DumpContents {
        method: PHYSICAL_METHOD.into(),
        server_version: server.version.clone(),
        consistent_point: point_json(position.as_ref(), server.log_bin),
        ..DumpContents::default()
    };
    for db in dbs {
        contents.object_counts.insert(db.name, db.counts);
    }
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        "mariabackup finished"
    );
    Ok(contents)
}

fn not_local(target: &Target, datadir: Option<&str>) -> Error {
    let e = Error::new(
        ErrorKind::Config,
        Text::new(msg::PHYSICAL_NOT_LOCAL).arg("target", target),
    )
    .hint(Text::new(msg::PHYSICAL_NOT_LOCAL_HINT));
    match datadir {
        Some(d) => e.detail(format!(
            "the server's data directory `{d}` is not on this machine"
        )),
        None => e.detail(format!("{} is not this machine", target.address())),
    }
}

/// A binlog position as mariabackup reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Position {
    file: String,
    position: Option<u64>,
    gtid: Option<String>,
}

/// `MySQL binlog position: filename 'binlog.000001', position '4015', GTID of the last change '0-1-15'`
fn parse_position_line(line: &str) -> Option<Position> {
    // `position` also occurs in "binlog position:"; the value follows `<key> '`.
    let quoted = |key: &str| -> Option<String> {
        let marker = format!("{key} '");
        let rest = &line[line.find(&marker)? + marker.len()..];
        Some(rest[..rest.find('\'')?].to_string())
    };
    Some(Position {
        file: quoted("filename")?,
        position: quoted("position").and_then(|p| p.parse().ok()),
        gtid: quoted("GTID of the last change").filter(|g| !g.is_empty()),
    })
}

/// `xtrabackup_binlog_info`: `binlog.000001<TAB>1219<TAB>0-1-5`.
fn parse_binlog_info(text: &str) -> Option<Position> {
    let mut fields = text.split_whitespace();
    let file = fields.next()?.to_string();
    Some(Position {
        file,
        position: fields.next().and_then(|p| p.parse().ok()),
        gtid: fields.next().map(str::to_string).filter(|g| !g.is_empty()),
    })
}

fn point_json(position: Option<&Position>, log_bin: bool) -> Json {
    json!({
        "kind": "binlog",
        "lock": "mariabackup",
        "binlog_enabled": log_bin,
        "binlog_file": position.map(|p| p.file.clone()),
        "binlog_position": position.and_then(|p| p.position),
        "gtid": position.and_then(|p| p.gtid.clone()),
        "gtid_variable": "gtid_binlog_pos",
        "note": (!log_bin).then_some(
            "binary logging is off (log_bin=OFF): there is no binlog position, so this backup \
             cannot be the starting point of a point-in-time recovery"),
    })
}

/// What a physical restore did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PhysicalRestore {
    /// The prepared data directory.
    pub data_dir: PathBuf,
    pub bytes_read: u64,
    /// The binlog position the data directory is consistent with (`xtrabackup_binlog_info`).
    pub consistent_point: Json,
    pub duration_ms: u64,
}

/// Extracts the physical backup in `source` into `data_dir` (which must be empty or not yet
/// exist) and prepares it, so that a server can start on it. A directory that holds anything
/// is refused; if the restore fails, what it extracted is removed again.
pub async fn restore_physical(
    source: &dyn ObjectSource,
    data_dir: &Path,
) -> Result<PhysicalRestore> {
    let started = Instant::now();
    let dir_error = |e: std::io::Error| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::PHYSICAL_DIR).arg("path", data_dir.display()),
        )
        .hint(Text::new(msg::PHYSICAL_DIR_HINT))
        .detail(e)
    };
    if !dir_is_empty(data_dir).map_err(dir_error)? {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::PHYSICAL_DIR_NOT_EMPTY).arg("path", data_dir.display()),
        )
        .hint(Text::new(msg::PHYSICAL_DIR_NOT_EMPTY_HINT)));
    }
    if !source.names().iter().any(|n| n == STREAM_OBJECT) {
        return Err(Error::new(
            ErrorKind::Data,
            Text::new(msg::PHYSICAL_NO_STREAM).arg("object", STREAM_OBJECT),
        )
        .hint(Text::new(msg::PHYSICAL_NO_STREAM_HINT)));
    }
    std::fs::create_dir_all(data_dir).map_err(dir_error)?;
    match extract_and_prepare(source, data_dir).await {
        Ok(bytes_read) => {
            let info = std::fs::read_to_string(data_dir.join("xtrabackup_binlog_info")).ok();
            let position = info.as_deref().and_then(parse_binlog_info);
            Ok(PhysicalRestore {
                data_dir: data_dir.to_path_buf(),
                bytes_read,
                consistent_point: point_json(position.as_ref(), position.is_some()),
                duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            })
        }
        Err(e) => {
            // The directory was empty before: leave it so, and never half-restored.
            if let Ok(entries) = std::fs::read_dir(data_dir) {
                for entry in entries.flatten() {
                    let p = entry.path();
                    let _ = if p.is_dir() {
                        std::fs::remove_dir_all(&p)
                    } else {
                        std::fs::remove_file(&p)
                    };
                }
            }
            Err(e)
        }
    }
}

async fn extract_and_prepare(source: &dyn ObjectSource, data_dir: &Path) -> Result<u64> {
    let mbstream = Tool::find(Program::Mbstream).await?;
    let mut cmd = mbstream.command(None);
    cmd.arg("-x").arg("-C").arg(data_dir);
    let reader = source.open(STREAM_OBJECT).await?;
    let at = data_dir.display().to_string();
    let bytes = object_to_stdin(&mbstream, cmd, reader, STREAM_OBJECT, &at).await?;

    let backup = Tool::find(Program::Backup).await?;
    // The backup's own settings (page size, data files, redo log size) are in backup-my.cnf;
    // nothing from the system's /etc/mysql may change how it is read.
    let mut cmd = backup.command(None);
    cmd.arg(format!(
        "--defaults-file={}",
        data_dir.join("backup-my.cnf").display()
    ))
    .arg("--prepare")
    .arg(format!("--target-dir={}", data_dir.display()))
    .arg("--use-memory=256M");
    let mut child = spawn(&backup, &mut cmd)?;
    let stderr = StderrReader::start(child.stderr.take(), |_| false);
    // Its stdout is not used; drain it so it can never block on a full pipe.
    let stdout = child.stdout.take();
    let drain = tokio::spawn(async move {
        if let Some(mut out) = stdout {
            let _ = tokio::io::copy(&mut out, &mut tokio::io::sink()).await;
        }
    });
    let status = child.wait().await;
    let _ = drain.await;
    let (tail, _) = stderr.finish().await;
    let status = status.map_err(|e| tool_failed(&backup, &at, &e.to_string(), &tail))?;
    if !status.success() {
        return Err(tool_failed(&backup, &at, &status_text(status), &tail));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mariabackup_positions() {
        let line = "[00] 2026-11-25 20:28:27 MySQL binlog position: filename 'binlog.000001', position '4015', GTID of the last change '0-1-15'";
        assert_eq!(
            parse_position_line(line),
            Some(Position {
                file: "binlog.000001".into(),
                position: Some(4015),
                gtid: Some("0-1-15".into()),
            })
        );
        let no_gtid =
            "MySQL binlog position: filename 'b.000002', position '4', GTID of the last change ''";
        assert_eq!(parse_position_line(no_gtid).and_then(|p| p.gtid), None);
        assert_eq!(parse_position_line("completed OK!"), None);
        assert_eq!(
            parse_binlog_info("binlog.000001\t1219\t0-1-5\n"),
            Some(Position {
                file: "binlog.000001".into(),
                position: Some(1219),
                gtid: Some("0-1-5".into()),
            })
        );
        assert_eq!(parse_binlog_info(""), None);
    }

    #[test]
    fn point_says_when_there_is_no_binlog() {
        let j = point_json(None, false);
        assert!(j["binlog_file"].is_null());
        assert!(j["note"].as_str().expect("note").contains("off"));
        let p = parse_binlog_info("b.1 7 0-1-2").expect("info");
        let j = point_json(Some(&p), true);
        assert_eq!(j["binlog_position"], 7);
        assert!(j["note"].is_null());
    }
}
