//! Secret references and the secrets they resolve to.
//!
//! A config or playbook never holds a password, only where to find one: an environment variable,
//! a file only its owner can read, or a command run without a shell. A resolved [`Secret`] never
//! prints its value: `Debug` and `Display` show `***`.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Text;
use crate::msg;

/// Where a password comes from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretRef {
    Env(String),
    File(PathBuf),
    Command(Vec<String>),
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Env(v) => write!(f, "env {v}"),
            SecretRef::File(p) => write!(f, "file {}", p.display()),
            SecretRef::Command(argv) => write!(
                f,
                "command {}",
                argv.first().map(String::as_str).unwrap_or_default()
            ),
        }
    }
}

/// A resolved secret. Its value is only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl SecretRef {
    /// Reads the secret now. Errors name the source, never the value.
    pub fn resolve(&self) -> Result<Secret> {
        let value = match self {
            SecretRef::Env(var) => std::env::var(var).map_err(|_| {
                Error::new(
                    ErrorKind::Config,
                    Text::new(msg::SECRET_ENV_MISSING).arg("var", var),
                )
                .hint(Text::new(msg::SECRET_ENV_MISSING_HINT).arg("var", var))
            })?,
            SecretRef::File(path) => read_private_file(path)?,
            SecretRef::Command(argv) => run_command(argv)?,
        };
        let value = value.trim_end_matches(['\n', '\r']).to_string();
        if value.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::SECRET_EMPTY).arg("source", self),
            )
            .hint(Text::new(msg::SECRET_EMPTY_HINT)));
        }
        Ok(Secret(value))
    }
}

fn read_private_file(path: &std::path::Path) -> Result<String> {
    use std::os::unix::fs::PermissionsExt;
    let shown = path.display().to_string();
    let read_err = |e: std::io::Error| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::SECRET_FILE_READ).arg("path", &shown),
        )
        .hint(Text::new(msg::SECRET_FILE_READ_HINT))
        .detail(e)
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::SECRET_FILE_MODE)
                .arg("path", &shown)
                .arg("mode", format!("{mode:04o}")),
        )
        .hint(Text::new(msg::SECRET_FILE_MODE_HINT).arg("path", &shown)));
    }
    std::fs::read_to_string(path).map_err(read_err)
}

fn run_command(argv: &[String]) -> Result<String> {
    let program = argv.first().cloned().unwrap_or_default();
    let fail = |status: String| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::SECRET_COMMAND)
                .arg("program", &program)
                .arg("status", status),
        )
        .hint(Text::new(msg::SECRET_COMMAND_HINT))
    };
    // No shell: the argv is run as given. Its stderr goes to ours (it is the user's own tool);
    // its stdout, the secret, is captured and never logged.
    let out = std::process::Command::new(&program)
        .args(&argv[1.min(argv.len())..])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        return Err(fail(out.status.to_string()));
    }
    String::from_utf8(out.stdout).map_err(|_| fail("output is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
    }

    #[test]
    fn file_must_be_private() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("pw");
        std::fs::write(&p, "s3cret\n").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = SecretRef::File(p.clone())
            .resolve()
            .expect_err("0644 refused");
        assert_eq!(e.main.what.id(), "core.secret_file_mode");
        assert!(!e.to_string().contains("s3cret"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(
            SecretRef::File(p).resolve().expect("0600 ok").expose(),
            "s3cret"
        );
    }

    #[test]
    fn command_without_shell() {
        let ok = SecretRef::Command(vec!["printf".into(), "a b;c".into()]);
        assert_eq!(ok.resolve().expect("printf").expose(), "a b;c");
        let bad = SecretRef::Command(vec!["false".into()]);
        assert_eq!(bad.resolve().expect_err("fails").kind, ErrorKind::Config);
    }

    #[test]
    fn missing_env_names_the_variable() {
        let e = SecretRef::Env("DBKEEPER_TEST_SURELY_UNSET".into())
            .resolve()
            .expect_err("unset");
        assert!(e.to_string().contains("DBKEEPER_TEST_SURELY_UNSET"));
    }
}
