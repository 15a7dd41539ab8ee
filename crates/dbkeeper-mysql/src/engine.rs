//! [`MysqlEngine`]: one live connection to a MySQL or MariaDB server.

use async_trait::async_trait;
use dbkeeper_core::dump::{
    DumpContents, LogicalRequest, ObjectSink, ObjectSource, RestoreReport, RestoreRequest,
};
use dbkeeper_core::engine::{Engine, Facts};
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::Result;
use mysql_async::Conn;
use tokio::sync::Mutex;

use crate::dump::DumpOptions;
use crate::facts;

/// A connection to one MySQL or MariaDB server, made by [`crate::connect`].
///
/// The connection is behind a lock because [`Engine`] methods take `&self` while every query
/// needs the connection exclusively; work on one engine is serialised, as on any one session.
pub struct MysqlEngine {
    target: Target,
    conn: Mutex<Conn>,
}

impl std::fmt::Debug for MysqlEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection's own Debug would print its options, password included.
        f.debug_struct("MysqlEngine")
            .field("target", &self.target.name)
            .field("address", &self.target.address())
            .finish_non_exhaustive()
    }
}

impl MysqlEngine {
    pub(crate) fn new(target: Target, conn: Conn) -> MysqlEngine {
        MysqlEngine {
            target,
            conn: Mutex::new(conn),
        }
    }

    /// The target this engine is connected to.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The TLS cipher of this session (`Ssl_cipher`), or `None` when the connection is plain.
    pub async fn tls_cipher(&self) -> Result<Option<String>> {
        let mut conn = self.conn.lock().await;
        facts::session_cipher(&self.target, &mut conn).await
    }

    /// [`Engine::backup_logical`] with options: the lock that stops commits while the snapshot
    /// starts, and the size of the parts big tables are split into (the trait's method uses
    /// [`DumpOptions::default`]).
    pub async fn backup_logical_with(
        &self,
        req: &LogicalRequest,
        sink: &dyn ObjectSink,
        options: &DumpOptions,
    ) -> Result<DumpContents> {
        crate::dump::backup::backup_logical(self, req, sink, options).await
    }

    /// Closes the session politely (COM_QUIT) instead of leaving the server to notice a dropped
    /// socket, which it counts as an aborted connection.
    pub async fn close(self) {
        let conn = self.conn.into_inner();
        if let Err(e) = conn.disconnect().await {
            tracing::debug!(target = %self.target, error = %e, "disconnect failed");
        }
    }
}

#[async_trait]
impl Engine for MysqlEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Mysql
    }

    async fn facts(&self) -> Result<Facts> {
        let mut conn = self.conn.lock().await;
        facts::gather(&self.target, &mut conn).await
    }

    async fn query(&self, sql: &str) -> Result<Vec<dbkeeper_core::engine::Row>> {
        let mut conn = self.conn.lock().await;
        crate::query::query(&self.target, &mut conn, sql).await
    }

    /// One snapshot for the whole dump (see [`crate::dump`]); the engine's own session is not
    /// used, so its settings stay as they were: the dump opens `req.jobs` reader sessions and
    /// one that coordinates.
    async fn backup_logical(
        &self,
        req: &LogicalRequest,
        sink: &dyn ObjectSink,
    ) -> Result<DumpContents> {
        crate::dump::backup::backup_logical(self, req, sink, &DumpOptions::default()).await
    }

    async fn restore_logical(
        &self,
        req: &RestoreRequest,
        contents: &DumpContents,
        source: &dyn ObjectSource,
    ) -> Result<RestoreReport> {
        crate::dump::restore::restore_logical(self, req, contents, source).await
    }
}
