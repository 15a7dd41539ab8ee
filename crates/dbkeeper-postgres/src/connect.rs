//! Connecting to a PostgreSQL server, and turning every way that can fail into one clear error.

use std::net::IpAddr;
use std::time::Duration;

use dbkeeper_core::dump::{
    DumpContents, LogicalRequest, ObjectSink, ObjectSource, RestoreReport, RestoreRequest,
};
use dbkeeper_core::engine::{Engine, Facts};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio_postgres::error::SqlState;

use crate::msg;
use crate::tls::{self, TlsFailure};

/// The `application_name` the server shows for our sessions (pg_stat_activity, logs).
const APPLICATION_NAME: &str = "dbkeeper";

/// Used when a target carries a zero timeout, which tokio-postgres would read as "wait forever".
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A live connection to one PostgreSQL server; the [`Engine`] of this crate.
pub struct PgEngine {
    target: Target,
    client: tokio_postgres::Client,
}

impl std::fmt::Debug for PgEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgEngine")
            .field("target", &self.target.name)
            .field("address", &self.target.address())
            .finish_non_exhaustive()
    }
}

impl PgEngine {
    /// The target this connection was made to (no password in it).
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The underlying client, for the engine's own modules (COPY, dumps) and tests.
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.client
    }
}

#[async_trait::async_trait]
impl Engine for PgEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Postgres
    }

    async fn facts(&self) -> Result<Facts> {
        crate::facts::gather(self).await
    }

    async fn query(&self, sql: &str) -> Result<Vec<dbkeeper_core::engine::Row>> {
        crate::query::query(self, sql).await
    }

    async fn backup_logical(
        &self,
        req: &LogicalRequest,
        sink: &dyn ObjectSink,
    ) -> Result<DumpContents> {
        crate::dump::backup_logical(self, req, sink).await
    }

    async fn restore_logical(
        &self,
        req: &RestoreRequest,
        contents: &DumpContents,
        source: &dyn ObjectSource,
    ) -> Result<RestoreReport> {
        crate::dump::restore_logical(self, req, contents, source).await
    }
}

/// Connects to `target` over TCP (with the target's TLS mode) or its Unix socket directory.
///
/// The password comes from [`Target::password_ref`] and goes only to the server; errors carry
/// the server's words in `detail` but never the password.
pub async fn connect(target: &Target) -> Result<PgEngine> {
    let (engine, driver) = connect_driven(target).await?;
    tokio::spawn(driver);
    Ok(engine)
}

/// The I/O side of a connection: it must be polled for the client to make progress.
pub(crate) type Driver = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Like [`connect`], but the connection's I/O is returned for the caller to drive in its own
/// task (see [`with_driver`]) rather than spawned. A COPY streams a message per row; with the
/// I/O in another task, every socket read hands over between two threads, which doubled the
/// client's CPU time per byte.
pub(crate) async fn connect_driven(target: &Target) -> Result<(PgEngine, Driver)> {
    let database = target.database.as_deref().unwrap_or("postgres");
    let timeout = if target.connect_timeout.is_zero() {
        DEFAULT_CONNECT_TIMEOUT
    } else {
        target.connect_timeout
    };

    let mut config = tokio_postgres::Config::new();
    match &target.socket {
        Some(dir) => config.host_path(dir),
        None => config.host(&target.host),
    };
    config
        .port(target.port)
        .user(&target.user)
        .dbname(database)
        .application_name(APPLICATION_NAME)
        .connect_timeout(timeout);

    let password_ref = target.password_ref();
    if let Some(r) = &password_ref {
        let secret = r.resolve().map_err(|e| at_target(e, target))?;
        config.password(secret.expose());
    }
    let (ssl_mode, connector) = tls::connector(target)?;
    config.ssl_mode(ssl_mode);

    // The whole attempt is bounded, not only the TCP connect that tokio-postgres times: a
    // server (or something else) that accepts the connection and then never answers must not
    // hang a cron job.
    let attempt = async {
        check_dns(target).await?;
        config
            .connect(connector)
            .await
            .map_err(|e| connect_error(target, password_ref.as_ref(), &e))
    };
    let (client, connection) = tokio::time::timeout(timeout, attempt)
        .await
        .map_err(|_| timed_out(target, timeout))??;

    let name = target.name.clone();
    let driver = Box::pin(async move {
        if let Err(e) = connection.await {
            tracing::debug!(server = %name, error = %e, "postgres connection ended with an error");
        }
    });
    tracing::debug!(server = %target.name, address = %target.address(), "connected to postgres");
    Ok((
        PgEngine {
            target: target.clone(),
            client,
        },
        driver,
    ))
}

/// Runs `work` while polling the connection's I/O in the same task. If the connection ends
/// first, `work` is still awaited: it then fails with its own, more specific error.
pub(crate) async fn with_driver<T>(
    mut driver: Driver,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let mut work = std::pin::pin!(work);
    tokio::select! {
        biased;
        r = &mut work => return r,
        () = &mut driver => {}
    }
    work.await
}

/// Resolves the host name first so that a typo gets its own message rather than a generic
/// connection error (tokio-postgres reports both the same way).
async fn check_dns(target: &Target) -> Result<()> {
    if target.socket.is_some() || target.host.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    let dns_error = |detail: String| {
        Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::CONNECT_DNS)
                .arg("host", &target.host)
                .arg("target", &target.name),
        )
        .at(&target.name)
        .hint(Text::new(msg::CONNECT_DNS_HINT))
        .detail(detail)
    };
    match tokio::net::lookup_host((target.host.as_str(), target.port)).await {
        Ok(mut addrs) => match addrs.next() {
            Some(_) => Ok(()),
            None => Err(dns_error("no address found".into())),
        },
        Err(e) => Err(dns_error(e.to_string())),
    }
}

fn at_target(mut e: Error, target: &Target) -> Error {
    if e.main.at.is_none() {
        e.main.at = Some(target.name.clone());
    }
    e
}

fn timed_out(target: &Target, timeout: Duration) -> Error {
    Error::new(
        ErrorKind::Unavailable,
        Text::new(msg::CONNECT_TIMEOUT)
            .arg("target", &target.name)
            .arg("address", target.address())
            .arg("seconds", timeout.as_secs()),
    )
    .at(&target.name)
    .hint(Text::new(msg::CONNECT_TIMEOUT_HINT))
}

/// Maps a failed connection attempt to an error with a kind, a message and a hint.
fn connect_error(
    target: &Target,
    password_ref: Option<&SecretRef>,
    e: &tokio_postgres::Error,
) -> Error {
    let named = |kind: ErrorKind, m: dbkeeper_core::Msg| {
        Error::new(
            kind,
            Text::new(m)
                .arg("target", &target.name)
                .arg("address", target.address())
                .arg("user", &target.user)
                .arg("mode", target.tls.mode)
                .arg("database", target.database.as_deref().unwrap_or("postgres")),
        )
        .at(&target.name)
    };
    let auth_hint = || match password_ref {
        Some(r) => Text::new(msg::AUTH_FAILED_HINT).arg("source", r),
        None => Text::new(msg::AUTH_NO_PASSWORD_HINT),
    };

    if let Some(db) = e.as_db_error() {
        let detail = format!("{} (SQLSTATE {})", db.message(), db.code().code());
        let code = db.code();
        let err = if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            named(ErrorKind::Config, msg::AUTH_FAILED).hint(auth_hint())
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            named(ErrorKind::Config, msg::DATABASE_MISSING)
                .hint(Text::new(msg::DATABASE_MISSING_HINT))
        } else if *code == SqlState::CANNOT_CONNECT_NOW
            || *code == SqlState::TOO_MANY_CONNECTIONS
            || code.code().starts_with("08")
            || code.code().starts_with("53")
            || code.code().starts_with("57")
        {
            named(ErrorKind::Unavailable, msg::CONNECT_BUSY).hint(Text::new(msg::CONNECT_BUSY_HINT))
        } else {
            // Anything else the server refuses at login (no CONNECT privilege, a role that may
            // not log in) is a matter of configuration, not of availability.
            named(ErrorKind::Config, msg::CONNECT_FAILED).hint(Text::new(msg::CONNECT_FAILED_HINT))
        };
        return err.detail(detail);
    }

    let detail = cause_chain(e);
    // tokio-postgres does not expose its error kind; its Display is exactly the kind's text
    // (the cause is reached through `source`), so that text is what we can match on.
    let err = match e.to_string().as_str() {
        "error performing TLS handshake" => {
            let not_supported = std::error::Error::source(e)
                .is_some_and(|s| s.to_string() == "server does not support TLS");
            if not_supported {
                named(ErrorKind::Config, msg::TLS_NOT_SUPPORTED)
                    .hint(Text::new(msg::TLS_NOT_SUPPORTED_HINT))
            } else {
                match tls::tls_failure(e) {
                    Some(TlsFailure::Certificate) => {
                        named(ErrorKind::Config, msg::TLS_CERT).hint(Text::new(msg::TLS_CERT_HINT))
                    }
                    Some(TlsFailure::Handshake) => named(ErrorKind::Config, msg::TLS_HANDSHAKE)
                        .hint(Text::new(msg::TLS_HANDSHAKE_HINT)),
                    // The connection broke during the handshake: a network matter.
                    None => named(ErrorKind::Unavailable, msg::CONNECT_UNREACHABLE)
                        .hint(Text::new(msg::CONNECT_UNREACHABLE_HINT)),
                }
            }
        }
        "invalid configuration" if detail.contains("password missing") => {
            named(ErrorKind::Config, msg::PASSWORD_MISSING)
                .hint(Text::new(msg::PASSWORD_MISSING_HINT))
        }
        "authentication error" => named(ErrorKind::Config, msg::AUTH_FAILED).hint(auth_hint()),
        "timeout waiting for server" => {
            let timeout = if target.connect_timeout.is_zero() {
                DEFAULT_CONNECT_TIMEOUT
            } else {
                target.connect_timeout
            };
            return timed_out(target, timeout).detail(detail);
        }
        "error connecting to server" => named(ErrorKind::Unavailable, msg::CONNECT_UNREACHABLE)
            .hint(Text::new(msg::CONNECT_UNREACHABLE_HINT)),
        _ => named(ErrorKind::Unavailable, msg::CONNECT_FAILED)
            .hint(Text::new(msg::CONNECT_FAILED_HINT)),
    };
    err.detail(detail)
}

/// `outer: cause: cause`, skipping repeats (an `io::Error` shows its wrapped error's text).
pub(crate) fn cause_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// The error for a failed query on an open connection, naming what was being read.
pub(crate) fn query_error(target: &Target, what: &str, e: &tokio_postgres::Error) -> Error {
    if e.is_closed() || e.to_string() == "error communicating with the server" {
        return Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::CONNECTION_LOST)
                .arg("target", &target.name)
                .arg("what", what),
        )
        .at(&target.name)
        .hint(Text::new(msg::CONNECTION_LOST_HINT))
        .detail(cause_chain(e));
    }
    let detail = match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => cause_chain(e),
    };
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::QUERY_FAILED)
            .arg("target", &target.name)
            .arg("what", what),
    )
    .at(&target.name)
    .hint(Text::new(msg::QUERY_FAILED_HINT))
    .detail(detail)
}
