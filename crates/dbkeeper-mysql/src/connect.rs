//! Opening a connection: options from the target, the password from its secret reference, TLS
//! by the target's mode, and every failure turned into an error that says what, where and how
//! to fix it.

use std::time::Duration;

use dbkeeper_core::secret::Secret;
use dbkeeper_core::target::{EngineKind, Target, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use mysql_async::{Conn, DriverError, IoError, OptsBuilder, SslOpts};

use crate::engine::MysqlEngine;
use crate::msg;

/// Connects to a MySQL or MariaDB server and returns the engine for it.
///
/// TCP to `target.host:target.port`, or the socket file in `target.socket`. The password comes
/// from [`Target::password_ref`] and is never logged nor put in an error. TLS follows
/// `target.tls.mode`:
/// - `disable`: plain;
/// - `prefer`: TLS without certificate checks if the server offers it, else plain;
/// - `require`: TLS or fail, the certificate is not verified;
/// - `verify-full`: TLS, the chain checked against `target.tls.ca_file` (else the web roots) and
///   the host name against the certificate.
///
/// TLS does not apply to Unix sockets: they never leave the machine, and MySQL counts them as
/// secure transport (libpq does the same for PostgreSQL's sockets).
pub async fn connect(target: &Target) -> Result<MysqlEngine> {
    let conn = open(target).await?;
    Ok(MysqlEngine::new(target.clone(), conn))
}

/// Opens one raw connection for `target`; the crate's other modules share it.
pub(crate) async fn open(target: &Target) -> Result<Conn> {
    if target.engine != EngineKind::Mysql {
        return Err(Error::new(
            ErrorKind::Usage,
            Text::new(msg::WRONG_ENGINE)
                .arg("target", target)
                .arg("engine", target.engine),
        )
        .hint(Text::new(msg::WRONG_ENGINE_HINT)));
    }
    target.check_tls()?;
    let password = match target.password_ref() {
        Some(r) => Some(r.resolve()?),
        None => None,
    };
    let base = base_opts(target, password.as_ref());
    let fail = |e: Failure| e.into_error(target, password.as_ref());

    if target.socket.is_some() || target.tls.mode == TlsMode::Disable {
        return attempt(target, base).await.map_err(fail);
    }
    let tls = tls_opts(target).await?;
    let result = attempt(target, base.clone().ssl_opts(tls)).await;
    match result {
        Err(Failure::Driver(e)) if target.tls.mode == TlsMode::Prefer && tls_unavailable(&e) => {
            // `prefer` means TLS when the server can, plain when it cannot (libpq's meaning):
            // mysql_async fails outright when asked for TLS that the server lacks, so ask again.
            tracing::debug!(target = %target, "server offers no usable TLS; connecting without it");
            attempt(target, base).await.map_err(fail)
        }
        other => other.map_err(fail),
    }
}

fn base_opts(target: &Target, password: Option<&Secret>) -> OptsBuilder {
    let builder = OptsBuilder::default()
        .user(Some(target.user.as_str()))
        .pass(password.map(Secret::expose))
        .db_name(target.database.as_deref())
        // After a TCP login mysql_async would otherwise switch to the server's socket when the
        // host is local, silently dropping the TLS the target asked for.
        .prefer_socket(false)
        .tcp_nodelay(true);
    match &target.socket {
        Some(socket) => builder.socket(Some(socket.to_string_lossy())),
        None => builder
            .ip_or_hostname(target.host.as_str())
            .tcp_port(target.port),
    }
}

/// The TLS options for the target's mode; only called for modes that use TLS.
async fn tls_opts(target: &Target) -> Result<SslOpts> {
    ensure_crypto_provider();
    let opts = SslOpts::default();
    Ok(match target.tls.mode {
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => opts
            .with_danger_accept_invalid_certs(true)
            .with_danger_skip_domain_validation(true),
        TlsMode::VerifyFull => match &target.tls.ca_file {
            // A CA file means "trust this CA": the public web roots would let any certificate
            // bought for the same host name pass.
            Some(path) => opts
                .with_root_certs(vec![read_ca_file(target, path).await?.into()])
                .with_disable_built_in_roots(true),
            None => opts,
        },
    })
}

/// Reads and checks the CA file here, so that a wrong path is a clear configuration error and
/// not an I/O failure in the middle of the handshake.
async fn read_ca_file(target: &Target, path: &std::path::Path) -> Result<Vec<u8>> {
    let bad = |detail: String| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::CA_FILE)
                .arg("path", path.display())
                .arg("target", target),
        )
        .hint(Text::new(msg::CA_FILE_HINT))
        .detail(detail)
    };
    let pem = tokio::fs::read(path)
        .await
        .map_err(|e| bad(e.to_string()))?;
    let mut found = 0usize;
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        cert.map_err(|e| bad(e.to_string()))?;
        found += 1;
    }
    if found == 0 {
        return Err(bad("no PEM certificate in the file".into()));
    }
    Ok(pem)
}

/// mysql_async builds its TLS configuration with rustls' process-wide default provider, which
/// rustls cannot pick by itself when more than one provider is compiled in; dbkeeper uses ring.
fn ensure_crypto_provider() {
    // An error only means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Why one connection attempt failed.
#[derive(Debug)]
enum Failure {
    Timeout(Duration),
    Driver(mysql_async::Error),
}

async fn attempt(target: &Target, opts: OptsBuilder) -> std::result::Result<Conn, Failure> {
    tracing::debug!(target = %target, address = %target.address(), tls = %target.tls.mode, "connecting");
    match tokio::time::timeout(target.connect_timeout, Conn::new(opts)).await {
        Ok(result) => result.map_err(Failure::Driver),
        Err(_) => Err(Failure::Timeout(target.connect_timeout)),
    }
}

/// True when the server cannot give us TLS at all: it offers none, or only versions or
/// ciphers we refuse. Certificate problems cannot occur here (`prefer` checks none).
fn tls_unavailable(e: &mysql_async::Error) -> bool {
    match e {
        mysql_async::Error::Driver(DriverError::NoClientSslFlagFromServer) => true,
        mysql_async::Error::Io(IoError::Tls(_)) => true,
        mysql_async::Error::Io(IoError::Io(io)) => rustls_error(io).is_some(),
        _ => false,
    }
}

/// The rustls error inside an I/O error from the TLS handshake, if that is what it is.
fn rustls_error(io: &std::io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}

impl Failure {
    fn into_error(self, target: &Target, password: Option<&Secret>) -> Error {
        match self {
            Failure::Timeout(limit) => Error::new(
                ErrorKind::Unavailable,
                Text::new(msg::TIMEOUT)
                    .arg("target", target)
                    .arg("address", target.address())
                    .arg("seconds", limit.as_secs()),
            )
            .hint(Text::new(msg::TIMEOUT_HINT)),
            Failure::Driver(e) => {
                let detail = scrub(&e.to_string(), password);
                classify(target, &e).detail(detail)
            }
        }
    }
}

/// Server and driver texts are kept as the detail. They never hold the password, but a
/// password that happens to equal some word of the message must not show either.
fn scrub(detail: &str, password: Option<&Secret>) -> String {
    match password.map(Secret::expose) {
        Some(p) if !p.is_empty() && detail.contains(p) => detail.replace(p, "***"),
        _ => detail.to_string(),
    }
}

fn classify(target: &Target, e: &mysql_async::Error) -> Error {
    let address = target.address();
    let connect_failed = |kind: ErrorKind| {
        Error::new(
            kind,
            Text::new(msg::CONNECT_FAILED)
                .arg("target", target)
                .arg("address", &address),
        )
        .hint(Text::new(msg::CONNECT_FAILED_HINT))
    };
    let unreachable = |hint: Text| {
        Error::new(
            ErrorKind::Unavailable,
            Text::new(msg::UNREACHABLE)
                .arg("target", target)
                .arg("address", &address),
        )
        .hint(hint)
    };
    let tls_failed = |m, hint| {
        Error::new(
            ErrorKind::Config,
            Text::new(m).arg("target", target).arg("address", &address),
        )
        .hint(Text::new(hint))
    };
    match e {
        mysql_async::Error::Server(se) => match se.code {
            // ER_ACCESS_DENIED_ERROR: wrong user or password.
            1045 => Error::new(
                ErrorKind::Config,
                Text::new(msg::ACCESS_DENIED)
                    .arg("address", &address)
                    .arg("user", &target.user)
                    .arg("target", target),
            )
            .hint(password_hint(target)),
            // ER_BAD_DB_ERROR
            1049 => Error::new(
                ErrorKind::Config,
                Text::new(msg::UNKNOWN_DATABASE)
                    .arg("database", target.database.as_deref().unwrap_or_default())
                    .arg("target", target),
            )
            .hint(Text::new(msg::UNKNOWN_DATABASE_HINT)),
            // ER_CON_COUNT_ERROR, ER_TOO_MANY_USER_CONNECTIONS: the server is full for now.
            1040 | 1203 => {
                connect_failed(ErrorKind::Unavailable).hint(Text::new(msg::SERVER_BUSY_HINT))
            }
            // ER_SERVER_SHUTDOWN and friends: the server is going away.
            1053 | 1077 | 1078 | 1079 | 1080 => connect_failed(ErrorKind::Unavailable),
            // Everything else at login is about the account or its settings (1044 no access to
            // the database, 1130 host not allowed, 3159 insecure transport refused, ...); the
            // server's message in the detail says which.
            _ => connect_failed(ErrorKind::Config),
        },
        mysql_async::Error::Driver(DriverError::NoClientSslFlagFromServer) => Error::new(
            ErrorKind::Config,
            Text::new(msg::TLS_NOT_OFFERED)
                .arg("target", target)
                .arg("address", &address)
                .arg("mode", target.tls.mode),
        )
        .hint(Text::new(msg::TLS_NOT_OFFERED_HINT)),
        mysql_async::Error::Io(IoError::Tls(_)) => {
            tls_failed(msg::TLS_HANDSHAKE, msg::TLS_HANDSHAKE_HINT)
        }
        mysql_async::Error::Io(IoError::Io(io)) => match rustls_error(io) {
            Some(rustls::Error::InvalidCertificate(_)) => {
                tls_failed(msg::TLS_CERT, msg::TLS_CERT_HINT)
            }
            Some(_) => tls_failed(msg::TLS_HANDSHAKE, msg::TLS_HANDSHAKE_HINT),
            None if target.socket.is_some() => unreachable(Text::new(msg::UNREACHABLE_SOCKET_HINT)),
            None if is_dns_failure(io) => {
                unreachable(Text::new(msg::UNREACHABLE_DNS_HINT).arg("host", &target.host))
            }
            None => unreachable(Text::new(msg::UNREACHABLE_HINT)),
        },
        // Driver errors during the handshake mean a server that is not MySQL or is broken.
        _ => connect_failed(ErrorKind::Unavailable),
    }
}

/// The resolver's failures carry no `ErrorKind` of their own, only their text.
fn is_dns_failure(io: &std::io::Error) -> bool {
    let text = io.to_string().to_ascii_lowercase();
    text.contains("lookup") || text.contains("resolve") || text.contains("name or service")
}

/// The access-denied hint names where the password came from (the reference, never the value).
fn password_hint(target: &Target) -> Text {
    match target.password_ref() {
        Some(r) => Text::new(msg::ACCESS_DENIED_HINT).arg("source", r),
        None => Text::new(msg::ACCESS_DENIED_NO_PASSWORD_HINT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_password_from_detail() {
        let pw = Secret::new("hunter2");
        assert_eq!(scrub("denied for hunter2@x", Some(&pw)), "denied for ***@x");
        assert_eq!(scrub("denied", None), "denied");
    }

    #[test]
    fn dns_failures_recognised() {
        let e = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        assert!(is_dns_failure(&e));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!is_dns_failure(&refused));
    }
}
