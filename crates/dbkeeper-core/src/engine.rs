//! The boundary every engine crate implements. Area crates see servers only through this trait.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::dump::{
    DumpContents, LogicalRequest, ObjectSink, ObjectSource, RestoreReport, RestoreRequest,
};
use crate::error::Result;
use crate::host::HostFacts;
use crate::target::EngineKind;

/// A live connection to one database server.
#[async_trait]
pub trait Engine: Send + Sync {
    fn kind(&self) -> EngineKind;

    /// What the server is and how it is set up: version, role, sizes, settings, host.
    async fn facts(&self) -> Result<Facts>;

    /// Runs one statement and returns its rows. Area crates (inspections, drills) use this for
    /// their engine-specific catalogue queries, so that they never need the driver itself.
    /// Values arrive as JSON: booleans, numbers (integers exactly), strings (text, timestamps
    /// in RFC 3339, decimals as text to keep every digit) and null.
    async fn query(&self, sql: &str) -> Result<Vec<Row>>;

    /// Dumps schema and data inside one consistent snapshot into `sink`, tables in parallel,
    /// counting every table's rows in that same snapshot.
    async fn backup_logical(
        &self,
        req: &LogicalRequest,
        sink: &dyn ObjectSink,
    ) -> Result<DumpContents>;

    /// Loads a logical backup: schema first, data in parallel, then indexes, constraints and
    /// triggers (so triggers do not fire on restored rows). Refuses a database that holds tables
    /// unless `req.force`.
    async fn restore_logical(
        &self,
        req: &RestoreRequest,
        contents: &DumpContents,
        source: &dyn ObjectSource,
    ) -> Result<RestoreReport>;
}

/// One result row: column name → value, in column order.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// Whether the server accepts writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Primary,
    Replica,
}

/// Facts about a server, as `targets check` shows them and later checks and advice use them.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Facts {
    pub target: String,
    pub engine: EngineKind,
    /// `PostgreSQL`, `MariaDB` or `MySQL`.
    pub product: String,
    /// The exact version, e.g. `15.20` or `10.11.19`.
    pub version: String,
    /// What the server says of itself (`SELECT version()`).
    pub version_full: String,
    pub role: Role,
    pub started_at: Option<DateTime<Utc>>,
    pub uptime_seconds: Option<u64>,
    pub data_directory: Option<String>,
    /// Server encoding (PostgreSQL) or character set (MySQL).
    pub encoding: String,
    pub collation: Option<String>,
    pub databases: Vec<DatabaseSize>,
    /// A few settings every DBA looks at first (memory, connections, logging).
    pub settings: Vec<Setting>,
    /// Host CPU, memory and data-directory disk, when the server runs on this machine.
    pub host: Option<HostFacts>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseSize {
    pub name: String,
    pub size_bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Setting {
    pub name: String,
    pub value: String,
    /// The unit as the server gives it (`8kB`, `ms`), if any.
    pub unit: Option<String>,
}

impl Facts {
    pub fn total_size_bytes(&self) -> u64 {
        self.databases.iter().map(|d| d.size_bytes).sum()
    }
}
