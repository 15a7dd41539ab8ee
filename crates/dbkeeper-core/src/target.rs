//! Targets: the database servers dbkeeper works on, parsed from a URL or a config entry.
//!
//! A target's `Display` is safe to log: it never holds a password (a URL with one is refused,
//! because a URL on the command line is visible to every user through `ps`).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Text;
use crate::msg;
use crate::secret::SecretRef;

/// The engine family; MariaDB and MySQL share one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    Postgres,
    Mysql,
}

impl EngineKind {
    pub fn default_port(self) -> u16 {
        match self {
            EngineKind::Postgres => 5432,
            EngineKind::Mysql => 3306,
        }
    }

    /// The environment variable the engine's own clients read the password from.
    pub fn password_env(self) -> &'static str {
        match self {
            EngineKind::Postgres => "PGPASSWORD",
            EngineKind::Mysql => "MYSQL_PWD",
        }
    }

    pub fn scheme(self) -> &'static str {
        match self {
            EngineKind::Postgres => "postgres",
            EngineKind::Mysql => "mysql",
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EngineKind::Postgres => "postgresql",
            EngineKind::Mysql => "mysql",
        })
    }
}

/// How TLS is used on the connection (libpq's names).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// Never TLS.
    Disable,
    /// TLS if the server offers it, without verifying the certificate.
    #[default]
    Prefer,
    /// TLS or fail; the certificate is not verified.
    Require,
    /// TLS, the certificate chain checked against the CA and the host name against the certificate.
    VerifyFull,
}

impl TlsMode {
    pub const NAMES: &'static str = "disable, prefer, require, verify-full";

    pub fn parse(s: &str) -> Option<TlsMode> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "disable" | "disabled" => Some(TlsMode::Disable),
            "prefer" | "preferred" | "allow" => Some(TlsMode::Prefer),
            "require" | "required" => Some(TlsMode::Require),
            "verify-full" | "verify-identity" => Some(TlsMode::VerifyFull),
            _ => None,
        }
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyFull => "verify-full",
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tls {
    pub mode: TlsMode,
    /// PEM file with the CA certificates that `verify-full` trusts; the system's web roots otherwise.
    pub ca_file: Option<PathBuf>,
}

/// A database server and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    /// The config name, or the URL (without password) for an ad-hoc target.
    pub name: String,
    pub engine: EngineKind,
    pub host: String,
    pub port: u16,
    /// A Unix socket directory (PostgreSQL) or socket file (MySQL) to use instead of TCP.
    pub socket: Option<PathBuf>,
    pub user: String,
    pub database: Option<String>,
    pub tls: Tls,
    /// Where the password comes from; `None` means the engine's usual variable, if set.
    pub password: Option<SecretRef>,
    #[serde(serialize_with = "ser_secs")]
    pub connect_timeout: Duration,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

const KNOWN_PARAMS: &str =
    "sslmode, ssl-mode, sslrootcert, ssl-ca, host, socket, connect_timeout, user, dbname";

impl Target {
    /// Parses `postgres://user@host:port/db?sslmode=require` or `mysql://…`.
    pub fn from_url(name: Option<&str>, raw: &str) -> Result<Target> {
        // Every message quotes the URL without its password.
        let shown = redact_url(raw);
        let invalid = |detail: String| {
            Error::new(
                ErrorKind::Usage,
                Text::new(msg::URL_INVALID).arg("url", &shown),
            )
            .hint(Text::new(msg::URL_INVALID_HINT))
            .detail(detail)
        };
        let url = url::Url::parse(raw).map_err(|e| invalid(e.to_string()))?;
        let engine = match url.scheme() {
            "postgres" | "postgresql" => EngineKind::Postgres,
            "mysql" | "mariadb" => EngineKind::Mysql,
            other => {
                return Err(Error::new(
                    ErrorKind::Usage,
                    Text::new(msg::URL_SCHEME)
                        .arg("scheme", other)
                        .arg("url", &shown),
                )
                .hint(Text::new(msg::URL_SCHEME_HINT)))
            }
        };
        let shown_name = name.map_or_else(|| shown.clone(), str::to_string);
        if url.password().is_some() {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::URL_PASSWORD).arg("target", &shown_name),
            )
            .hint(Text::new(msg::URL_PASSWORD_HINT).arg("env", engine.password_env())));
        }
        let mut target = Target {
            name: shown_name,
            engine,
            host: url
                .host_str()
                .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_string())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into()),
            port: url.port().unwrap_or(engine.default_port()),
            socket: None,
            user: percent_decode(url.username()),
            database: {
                let db = percent_decode(url.path().trim_start_matches('/'));
                (!db.is_empty()).then_some(db)
            },
            tls: Tls::default(),
            password: None,
            connect_timeout: Duration::from_secs(10),
        };
        let bad_value = |param: &str, value: &str, known: &str| {
            Error::new(
                ErrorKind::Usage,
                Text::new(msg::URL_PARAM_VALUE)
                    .arg("param", param)
                    .arg("value", value),
            )
            .at(shown.clone())
            .hint(Text::new(msg::URL_PARAM_VALUE_HINT).arg("known", known))
        };
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "sslmode" | "ssl-mode" | "ssl_mode" => {
                    target.tls.mode =
                        TlsMode::parse(&v).ok_or_else(|| bad_value(&k, &v, TlsMode::NAMES))?;
                }
                "sslrootcert" | "ssl-ca" | "ssl_ca" => target.tls.ca_file = Some(v.as_ref().into()),
                "host" | "socket" if v.starts_with('/') => target.socket = Some(v.as_ref().into()),
                "host" => target.host = v.into_owned(),
                "user" => target.user = v.into_owned(),
                "dbname" => target.database = Some(v.into_owned()),
                "connect_timeout" => {
                    let secs: u64 = v
                        .parse()
                        .map_err(|_| bad_value(&k, &v, "a whole number of seconds"))?;
                    target.connect_timeout = Duration::from_secs(secs.max(1));
                }
                other => {
                    return Err(Error::new(
                        ErrorKind::Usage,
                        Text::new(msg::URL_PARAM)
                            .arg("param", other)
                            .arg("url", &shown),
                    )
                    .hint(Text::new(msg::URL_PARAM_HINT).arg("known", KNOWN_PARAMS)));
                }
            }
        }
        if target.user.is_empty() {
            target.user = os_user();
        }
        target.check_tls()?;
        Ok(target)
    }

    /// A CA file with a mode that does not verify is a mistake the user should hear about.
    pub fn check_tls(&self) -> Result<()> {
        if self.tls.ca_file.is_some() && self.tls.mode != TlsMode::VerifyFull {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::TLS_CA_WITHOUT_VERIFY)
                    .arg("target", &self.name)
                    .arg("mode", self.tls.mode),
            )
            .hint(Text::new(msg::TLS_CA_WITHOUT_VERIFY_HINT)));
        }
        Ok(())
    }

    /// The password reference to use: the target's own, else the engine's usual variable if set.
    pub fn password_ref(&self) -> Option<SecretRef> {
        self.password.clone().or_else(|| {
            let var = self.engine.password_env();
            std::env::var_os(var).map(|_| SecretRef::Env(var.to_string()))
        })
    }

    /// True when the server runs on this machine (loopback or a Unix socket), so that host facts
    /// such as free space on its data directory can be read directly.
    pub fn is_local(&self) -> bool {
        self.socket.is_some()
            || matches!(self.host.as_str(), "localhost" | "::1")
            || self.host.starts_with("127.")
    }

    /// `host:port` or the socket path, for messages.
    pub fn address(&self) -> String {
        match &self.socket {
            Some(s) => s.display().to_string(),
            None if self.host.contains(':') => format!("[{}]:{}", self.host, self.port),
            None => format!("{}:{}", self.host, self.port),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Removes any password from a URL-looking string, for logs and the ledger.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(_) => raw.to_string(),
        // Not a URL; still strip anything that looks like `user:pass@`.
        Err(_) => match (raw.find("://"), raw.rfind('@')) {
            (Some(s), Some(at)) if at > s => {
                let cred = &raw[s + 3..at];
                match cred.split_once(':') {
                    Some((user, _)) => format!("{}{}:***{}", &raw[..s + 3], user, &raw[at..]),
                    None => raw.to_string(),
                }
            }
            _ => raw.to_string(),
        },
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// The login name of the user running dbkeeper, the default database user as with psql and mysql.
pub fn os_user() -> String {
    nix::unistd::User::from_uid(nix::unistd::geteuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "root".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_postgres_url() {
        let t = Target::from_url(
            None,
            "postgres://app@db1:6432/hosp?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        )
        .expect("valid");
        assert_eq!(t.engine, EngineKind::Postgres);
        assert_eq!((t.host.as_str(), t.port), ("db1", 6432));
        assert_eq!(t.user, "app");
        assert_eq!(t.database.as_deref(), Some("hosp"));
        assert_eq!(t.tls.mode, TlsMode::VerifyFull);
        assert!(!t.is_local());
    }

    #[test]
    fn parses_mysql_url_with_defaults() {
        let t = Target::from_url(Some("m"), "mariadb://root@127.0.0.1").expect("valid");
        assert_eq!(t.engine, EngineKind::Mysql);
        assert_eq!(t.port, 3306);
        assert_eq!(t.name, "m");
        assert!(t.is_local());
    }

    #[test]
    fn refuses_password_in_url_without_echoing_it() {
        let e = Target::from_url(None, "postgres://u:topsecret@h/db").expect_err("refused");
        let shown = e.render(crate::i18n::Lang::En);
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains("PGPASSWORD"), "{shown}");
        assert_eq!(e.exit_code(), 64);
    }

    #[test]
    fn rejects_unknown_scheme_and_param() {
        assert_eq!(
            Target::from_url(None, "oracle://h/x")
                .expect_err("scheme")
                .main
                .what
                .id(),
            "core.url_scheme"
        );
        assert_eq!(
            Target::from_url(None, "postgres://h/x?sslmod=require")
                .expect_err("param")
                .main
                .what
                .id(),
            "core.url_param"
        );
        assert_eq!(
            Target::from_url(None, "postgres://h/x?sslmode=maybe")
                .expect_err("value")
                .main
                .what
                .id(),
            "core.url_param_value"
        );
        assert_eq!(
            Target::from_url(None, "not a url")
                .expect_err("garbage")
                .main
                .what
                .id(),
            "core.url_invalid"
        );
    }

    #[test]
    fn ca_needs_verify() {
        let e = Target::from_url(None, "postgres://h/x?sslmode=require&sslrootcert=/ca.pem")
            .expect_err("ca without verify");
        assert_eq!(e.kind, ErrorKind::Config);
    }

    #[test]
    fn socket_from_host_param() {
        let t =
            Target::from_url(None, "postgres://localhost/x?host=/run/postgresql").expect("valid");
        assert_eq!(
            t.socket.as_deref(),
            Some(std::path::Path::new("/run/postgresql"))
        );
    }

    #[test]
    fn messages_never_show_a_password() {
        for raw in [
            "oracle://u:pw1secret@h/x",
            "postgres://u:pw1secret@h/x?bogus=1",
            "postgres://u:pw1secret@h:99999/x",
        ] {
            let e = Target::from_url(None, raw).expect_err("refused");
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::ZhCn] {
                assert!(!e.render(lang).contains("pw1secret"), "{}", e.render(lang));
            }
        }
    }

    #[test]
    fn redacts() {
        assert_eq!(redact_url("mysql://a:b@h/x"), "mysql://a:***@h/x");
        assert_eq!(redact_url("postgres://a@h/x"), "postgres://a@h/x");
    }
}
