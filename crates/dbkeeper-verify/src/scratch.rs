//! The throwaway server a drill restores into: the engine of the backup, and for PostgreSQL the
//! backup's major version when it is installed.

use std::path::PathBuf;

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use dbkeeper_repo::{BackupSource, Manifest};

use crate::msg;

/// Runs blocking scratch start-up off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::new(ErrorKind::Internal, Text::new(msg::TASK_FAILED)).detail(e))?
}

fn pg_major(version: &str) -> Option<u32> {
    version.split(['.', ' ']).next()?.parse().ok()
}

/// An empty scratch server for a logical restore.
pub(crate) async fn empty(m: &Manifest) -> Result<Box<dyn ScratchInstance>> {
    match m.facts.engine {
        EngineKind::Postgres => {
            let version = pg_major(&m.facts.contents.server_version);
            blocking(move || {
                let opts = dbkeeper_postgres::ScratchOptions {
                    version,
                    ..Default::default()
                };
                // The backup's major version if it is installed; else the newest there is
                // (a logical dump restores into a newer major).
                let s = match dbkeeper_postgres::ScratchPostgres::start(opts) {
                    Ok(s) => s,
                    Err(_) if version.is_some() => {
                        dbkeeper_postgres::ScratchPostgres::start(Default::default())?
                    }
                    Err(e) => return Err(e),
                };
                Ok(Box::new(s) as Box<dyn ScratchInstance>)
            })
            .await
        }
        EngineKind::Mysql => {
            blocking(|| {
                let s = dbkeeper_mysql::scratch::ScratchMysql::start(Default::default())?;
                Ok(Box::new(s) as Box<dyn ScratchInstance>)
            })
            .await
        }
    }
}

/// A scratch server started on a physical backup restored (and prepared) into its own
/// directory.
pub(crate) async fn from_physical(
    m: &Manifest,
    source: &BackupSource,
) -> Result<Box<dyn ScratchInstance>> {
    match m.facts.engine {
        EngineKind::Postgres => {
            let dir = blocking(dbkeeper_postgres::ScratchDataDir::create).await?;
            dbkeeper_postgres::restore_physical(source, dir.path()).await?;
            let version = pg_major(&m.facts.contents.server_version);
            blocking(move || {
                let s = dbkeeper_postgres::ScratchPostgres::start_from(
                    dir,
                    dbkeeper_postgres::ScratchOptions {
                        version,
                        ..Default::default()
                    },
                )?;
                Ok(Box::new(s) as Box<dyn ScratchInstance>)
            })
            .await
        }
        EngineKind::Mysql => {
            // A fresh path under the scratch prefix (so that a killed drill's leftovers are
            // swept); start_from takes the directory over and removes it with the server.
            let dir: PathBuf = std::env::temp_dir().join(format!(
                "{}restore-{}-{}",
                dbkeeper_core::scratch::DIR_PREFIX,
                std::process::id(),
                chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
            ));
            if let Err(e) = dbkeeper_mysql::restore_physical(source, &dir).await {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
            blocking(move || {
                let s = dbkeeper_mysql::scratch::ScratchMysql::start_from(dir, Default::default())?;
                Ok(Box::new(s) as Box<dyn ScratchInstance>)
            })
            .await
        }
    }
}
