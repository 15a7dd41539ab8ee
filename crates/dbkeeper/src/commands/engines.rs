//! The one place that knows every engine: picks the implementation by the target's engine.

use dbkeeper_core::engine::Engine;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::Error;

pub async fn connect(target: &Target) -> Result<Box<dyn Engine>, Error> {
    Ok(match target.engine {
        EngineKind::Postgres => Box::new(dbkeeper_postgres::connect(target).await?),
        EngineKind::Mysql => Box::new(dbkeeper_mysql::connect(target).await?),
    })
}
