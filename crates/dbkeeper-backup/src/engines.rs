//! The one place that knows every engine: connects, and runs the physical backup and restore,
//! by the target's engine. (Logical dumps go through the [`Engine`] trait itself.)

use std::path::{Path, PathBuf};

use dbkeeper_core::dump::{DumpContents, ObjectSink, ObjectSource};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::Result;

pub async fn connect(target: &Target) -> Result<Box<dyn Engine>> {
    Ok(match target.engine {
        EngineKind::Postgres => Box::new(dbkeeper_postgres::connect(target).await?),
        EngineKind::Mysql => Box::new(dbkeeper_mysql::connect(target).await?),
    })
}

/// Connects for a logical restore: the database restored into may not exist yet, so the
/// session that creates it uses the server's maintenance database (PostgreSQL's `postgres`; a
/// MySQL session needs none).
pub async fn connect_admin(target: &Target) -> Result<Box<dyn Engine>> {
    let mut admin = target.clone();
    admin.database = match target.engine {
        EngineKind::Postgres => Some("postgres".into()),
        EngineKind::Mysql => None,
    };
    connect(&admin).await
}

/// `pg_basebackup` (tar, WAL included) or `mariabackup --backup --stream`, into `sink`.
pub async fn backup_physical(target: &Target, sink: &dyn ObjectSink) -> Result<DumpContents> {
    match target.engine {
        EngineKind::Postgres => dbkeeper_postgres::backup_physical(target, sink).await,
        EngineKind::Mysql => dbkeeper_mysql::backup_physical(target, sink).await,
    }
}

/// What a physical restore left behind, whichever the engine.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PhysicalRestored {
    pub data_dir: PathBuf,
    /// The engine's own account of it (files, bytes, verification, consistent point).
    pub detail: serde_json::Value,
}

/// Extracts a physical backup into the empty `data_dir` and makes it startable: PostgreSQL's
/// files are checked with pg_verifybackup (recovery runs on first start); MariaDB's are prepared
/// with `mariabackup --prepare`.
pub async fn restore_physical(
    engine: EngineKind,
    source: &dyn ObjectSource,
    data_dir: &Path,
) -> Result<PhysicalRestored> {
    let detail = match engine {
        EngineKind::Postgres => json(&dbkeeper_postgres::restore_physical(source, data_dir).await?),
        EngineKind::Mysql => json(&dbkeeper_mysql::restore_physical(source, data_dir).await?),
    };
    Ok(PhysicalRestored {
        data_dir: data_dir.to_path_buf(),
        detail,
    })
}

fn json(v: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
