//! The PostgreSQL client programs dbkeeper drives (pg_dump, pg_dumpall, psql, pg_basebackup,
//! pg_verifybackup): finding the version that fits the server, handing them the connection
//! through their environment (never argv, which every user can read in `ps`), and streaming
//! their output into a backup object or a backup object into their input.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use bytes::BytesMut;
use dbkeeper_core::dump::{ObjectSink, ObjectSource};
use dbkeeper_core::scratch::find_program;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

use crate::msg;

/// The size of the chunks streamed into an object or a child's input: large enough that the
/// compression and encryption downstream work on whole blocks, small enough for flat memory.
pub(crate) const CHUNK: usize = 1 << 20;

/// How much of a child's stderr is kept for an error message: the end, where the error is.
const STDERR_TAIL: usize = 16 * 1024;

/// An explicit directory of client programs; when set, only it is searched.
pub const BINDIR_ENV: &str = "DBKEEPER_PG_BINDIR";

/// libpq variables that would change where or how a child connects; every one is removed
/// from the child's environment before ours are set, so that the child connects to exactly
/// the target the rest of dbkeeper talks to.
const LIBPQ_VARS: &[&str] = &[
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGSSLMODE",
    "PGREQUIRESSL",
    "PGSSLROOTCERT",
    "PGTARGETSESSIONATTRS",
    "PGGSSENCMODE",
    "PGAPPNAME",
    "PGCONNECT_TIMEOUT",
    "PGCLIENTENCODING",
];

/// Where Debian and Ubuntu install each major version's programs.
const DEBIAN_BIN: &str = "/usr/lib/postgresql";

/// Finds `name` for a server of major version `server_major`: the same major version first
/// (its output is what that server's own tools would write), else the newest newer one (the
/// client tools read older servers, never newer ones).
pub(crate) async fn find(name: &'static str, server_major: u32) -> Result<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os(BINDIR_ENV) {
        candidates.push(Path::new(&dir).join(name));
    } else {
        candidates.push(
            Path::new(DEBIAN_BIN)
                .join(server_major.to_string())
                .join("bin")
                .join(name),
        );
        if let Some(p) = find_program(name, &[&format!("{DEBIAN_BIN}/*/bin")]) {
            candidates.push(p);
        }
        if let Some(p) = find_program(name, &[]) {
            candidates.push(p);
        }
    }
    for path in candidates {
        if !path.is_file() {
            continue;
        }
        match program_major(&path).await {
            Some(major) if major >= server_major => return Ok(path),
            found => {
                tracing::debug!(program = %path.display(), ?found, server_major, "client program too old for the server");
            }
        }
    }
    Err(Error::new(
        ErrorKind::Unavailable,
        Text::new(msg::TOOL_MISSING)
            .arg("program", name)
            .arg("major", server_major),
    )
    .hint(
        Text::new(msg::TOOL_MISSING_HINT)
            .arg("major", server_major)
            .arg("env", BINDIR_ENV),
    ))
}

async fn program_major(path: &Path) -> Option<u32> {
    let out = Command::new(path)
        .arg("--version")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .await
        .ok()?;
    crate::scratch::parse_major(&String::from_utf8_lossy(&out.stdout))
}

/// The program's file name, for messages.
pub(crate) fn program_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// A command for `program` that connects to `target` (and `database`, when given) through
/// libpq's environment variables. The password, if any, goes only into `PGPASSWORD` of this
/// child. Built as a std command so that tests can inspect its arguments and environment.
pub(crate) fn std_command(
    program: &Path,
    target: &Target,
    database: Option<&str>,
) -> Result<std::process::Command> {
    let mut cmd = std::process::Command::new(program);
    for var in LIBPQ_VARS {
        cmd.env_remove(var);
    }
    let host = match &target.socket {
        Some(dir) => dir.display().to_string(),
        None => target.host.clone(),
    };
    cmd.env("PGHOST", host)
        .env("PGPORT", target.port.to_string())
        .env("PGUSER", &target.user)
        .env("PGAPPNAME", "dbkeeper")
        .env("PGSSLMODE", sslmode(target.tls.mode))
        // Messages are parsed (pg_basebackup's start and end points) and shown as they are.
        .env("LC_ALL", "C.UTF-8")
        .env("LC_MESSAGES", "C");
    if !target.connect_timeout.is_zero() {
        cmd.env(
            "PGCONNECT_TIMEOUT",
            target.connect_timeout.as_secs().max(2).to_string(),
        );
    }
    if let Some(db) = database.or(target.database.as_deref()) {
        cmd.env("PGDATABASE", db);
    }
    match (&target.tls.ca_file, target.tls.mode) {
        (Some(ca), _) => {
            cmd.env("PGSSLROOTCERT", ca);
        }
        // dbkeeper's own connections trust the system's web roots for verify-full without a
        // CA file; libpq before 16 cannot say "system", so it gets the system bundle's path.
        (None, TlsMode::VerifyFull) => {
            let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
            if bundle.is_file() {
                cmd.env("PGSSLROOTCERT", bundle);
            }
        }
        _ => {}
    }
    if let Some(r) = target.password_ref() {
        let secret = r.resolve().map_err(|mut e| {
            if e.main.at.is_none() {
                e.main.at = Some(target.name.clone());
            }
            e
        })?;
        cmd.env("PGPASSWORD", secret.expose());
    }
    Ok(cmd)
}

/// The same as [`std_command`], as a tokio command that is killed if dropped (a cancelled or
/// failed backup must not leave pg_dump running).
pub(crate) fn command(program: &Path, target: &Target, database: Option<&str>) -> Result<Command> {
    let mut cmd = Command::from(std_command(program, target, database)?);
    cmd.kill_on_drop(true);
    Ok(cmd)
}

/// Session settings for pg_dumpall and psql: pg_dumpall prints role expiry times in the
/// session's DateStyle (which a database or role may set to `SQL, DMY`), and psql must read
/// them back the same way; ISO is what pg_dump itself sets.
pub(crate) fn iso_session(cmd: &mut Command) {
    cmd.env(
        "PGOPTIONS",
        "-c DateStyle=ISO -c IntervalStyle=postgres -c extra_float_digits=3",
    );
}

fn sslmode(mode: TlsMode) -> &'static str {
    match mode {
        TlsMode::Disable => "disable",
        TlsMode::Prefer => "prefer",
        TlsMode::Require => "require",
        TlsMode::VerifyFull => "verify-full",
    }
}

/// A spawned child whose stderr is being collected in the background (a child blocked on a
/// full stderr pipe would otherwise stall its stdout too).
pub(crate) struct Running {
    pub(crate) child: Child,
    stderr: tokio::task::JoinHandle<String>,
}

impl Running {
    /// Spawns `cmd` with stderr piped and collected; stdin and stdout as the caller set them.
    pub(crate) fn spawn(mut cmd: Command, program: &Path) -> Result<Running> {
        cmd.stderr(Stdio::piped());
        let name = program_name(program);
        tracing::debug!(program = %program.display(), "starting client program");
        let mut child = cmd.spawn().map_err(|e| {
            Error::new(
                ErrorKind::Unavailable,
                Text::new(msg::TOOL_START).arg("program", &name),
            )
            .at(program.display().to_string())
            .hint(Text::new(msg::TOOL_START_HINT))
            .detail(e)
        })?;
        let stderr = child.stderr.take();
        let stderr = tokio::spawn(async move {
            match stderr {
                Some(s) => collect_tail(s).await,
                None => String::new(),
            }
        });
        Ok(Running { child, stderr })
    }

    /// Waits for the child to exit and returns its status and the end of its stderr.
    pub(crate) async fn wait(mut self) -> (std::io::Result<ExitStatus>, String) {
        let status = self.child.wait().await;
        let stderr = self.stderr.await.unwrap_or_default();
        (status, stderr)
    }

    /// Kills the child (it must not act on half an input) and returns the end of its stderr.
    pub(crate) async fn kill(mut self) -> String {
        let _ = self.child.kill().await;
        self.stderr.await.unwrap_or_default()
    }
}

/// Reads a stream to its end, keeping the last [`STDERR_TAIL`] bytes, cut at a line start.
async fn collect_tail(mut r: impl AsyncRead + Unpin) -> String {
    let mut kept: Vec<u8> = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > 2 * STDERR_TAIL {
                    kept.drain(..kept.len() - STDERR_TAIL);
                }
            }
        }
    }
    if kept.len() > STDERR_TAIL {
        kept.drain(..kept.len() - STDERR_TAIL);
        if let Some(nl) = kept.iter().position(|&b| b == b'\n') {
            kept.drain(..=nl);
        }
    }
    String::from_utf8_lossy(&kept).trim_end().to_string()
}

/// Why a child's run failed, for the caller to wrap in its own message.
pub(crate) struct ChildFailure {
    pub(crate) detail: String,
    /// The failure came from the object store (writing) or the backup (reading), not from the
    /// child: that error is passed on as it is.
    pub(crate) io_error: Option<Error>,
}

/// Streams the child's stdout into a new object `name`. The object is finished only when the
/// child exited successfully, so a failed dump never leaves an object that looks complete.
/// Returns the bytes written and the child's stderr.
pub(crate) async fn stdout_to_object(
    mut cmd: Command,
    program: &Path,
    sink: &dyn ObjectSink,
    name: &str,
) -> Result<(u64, String), ChildFailure> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut running = Running::spawn(cmd, program).map_err(|e| ChildFailure {
        detail: String::new(),
        io_error: Some(e),
    })?;
    let Some(mut stdout) = running.child.stdout.take() else {
        let _ = running.kill().await;
        return Err(ChildFailure {
            detail: "no stdout pipe".into(),
            io_error: None,
        });
    };
    let mut object = match sink.create(name).await {
        Ok(o) => o,
        Err(e) => {
            let _ = running.kill().await;
            return Err(ChildFailure {
                detail: String::new(),
                io_error: Some(e),
            });
        }
    };
    let mut total = 0u64;
    let mut buf = BytesMut::with_capacity(CHUNK);
    loop {
        let n = match stdout.read_buf(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                let stderr = running.kill().await;
                return Err(ChildFailure {
                    detail: format!("reading its output: {e}\n{stderr}"),
                    io_error: None,
                });
            }
        };
        let eof = n == 0;
        if (eof && !buf.is_empty()) || buf.len() >= CHUNK {
            total += buf.len() as u64;
            let chunk = buf.split().freeze();
            if let Err(e) = object.write(chunk).await {
                let _ = running.kill().await;
                return Err(ChildFailure {
                    detail: String::new(),
                    io_error: Some(e),
                });
            }
            buf.reserve(CHUNK);
        }
        if eof {
            break;
        }
    }
    let (status, stderr) = running.wait().await;
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            return Err(ChildFailure {
                detail: with_status(&stderr, s),
                io_error: None,
            })
        }
        Err(e) => {
            return Err(ChildFailure {
                detail: format!("{e}\n{stderr}"),
                io_error: None,
            })
        }
    }
    object.finish().await.map_err(|e| ChildFailure {
        detail: String::new(),
        io_error: Some(e),
    })?;
    Ok((total, stderr))
}

/// Streams object `name` into the child's stdin. If reading the object fails part-way, the
/// child is killed rather than given a short script (its last statement could be cut into
/// something that still parses). Returns the bytes fed and the child's stderr.
pub(crate) async fn object_to_stdin(
    mut cmd: Command,
    program: &Path,
    source: &dyn ObjectSource,
    name: &str,
) -> Result<(u64, String), ChildFailure> {
    let mut reader = source.open(name).await.map_err(|e| ChildFailure {
        detail: String::new(),
        io_error: Some(e),
    })?;
    cmd.stdin(Stdio::piped()).stdout(Stdio::null());
    let mut running = Running::spawn(cmd, program).map_err(|e| ChildFailure {
        detail: String::new(),
        io_error: Some(e),
    })?;
    let Some(mut stdin) = running.child.stdin.take() else {
        let _ = running.kill().await;
        return Err(ChildFailure {
            detail: "no stdin pipe".into(),
            io_error: None,
        });
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    let mut broken_pipe = false;
    loop {
        let n = match reader.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                let _ = running.kill().await;
                return Err(ChildFailure {
                    detail: String::new(),
                    io_error: Some(read_error(name, &e)),
                });
            }
        };
        total += n as u64;
        if stdin.write_all(&buf[..n]).await.is_err() {
            // The child stopped reading (psql with ON_ERROR_STOP exits at the first error);
            // its exit status and stderr below say why.
            broken_pipe = true;
            break;
        }
    }
    drop(stdin);
    let (status, stderr) = running.wait().await;
    // A child that stopped reading and still exited 0 did not take the whole script.
    let status = status.map(|s| (s, !broken_pipe));
    outcome(status, stderr).map(|stderr| (total, stderr))
}

/// Runs the child to its end (stdin and stdout as the caller set them); its stderr on success.
pub(crate) async fn run_to_end(cmd: Command, program: &Path) -> Result<String, ChildFailure> {
    let running = Running::spawn(cmd, program).map_err(|e| ChildFailure {
        detail: String::new(),
        io_error: Some(e),
    })?;
    let (status, stderr) = running.wait().await;
    outcome(status.map(|s| (s, true)), stderr)
}

/// A child's end: its stderr when it exited 0 and `complete`, else why not.
fn outcome(
    status: std::io::Result<(ExitStatus, bool)>,
    stderr: String,
) -> Result<String, ChildFailure> {
    match status {
        Ok((s, complete)) if s.success() && complete => Ok(stderr),
        Ok((s, _)) => Err(ChildFailure {
            detail: with_status(&stderr, s),
            io_error: None,
        }),
        Err(e) => Err(ChildFailure {
            detail: format!("{e}\n{stderr}"),
            io_error: None,
        }),
    }
}

fn with_status(stderr: &str, status: ExitStatus) -> String {
    if stderr.trim().is_empty() {
        format!("exited with {status}")
    } else {
        format!("{}\n({status})", stderr.trim_end())
    }
}

/// A read of a backup object failed (the source checks sizes and hashes as it streams): the
/// source's own error when it gave one, else a data error naming the object.
pub(crate) fn read_error(object: &str, e: &std::io::Error) -> Error {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<Error>()) {
        return inner.clone();
    }
    Error::new(
        ErrorKind::Data,
        Text::new(msg::OBJECT_READ).arg("object", object),
    )
    .at(object.to_string())
    .hint(Text::new(msg::OBJECT_READ_HINT))
    .detail(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbkeeper_core::secret::SecretRef;

    fn target() -> Target {
        let mut t =
            Target::from_url(None, "postgres://backup@db.example:6543/hospital").expect("url");
        t.password = Some(SecretRef::Command(vec![
            "printf".into(),
            "s3cret-Pa55".into(),
        ]));
        t
    }

    #[test]
    fn password_goes_to_the_environment_never_argv() {
        let cmd = std_command(Path::new("/bin/true"), &target(), Some("其他库")).expect("cmd");
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().to_string())
            .collect();
        assert!(args.iter().all(|a| !a.contains("s3cret")), "{args:?}");
        let envs: std::collections::HashMap<String, Option<String>> = cmd
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().to_string(),
                    v.map(|v| v.to_string_lossy().to_string()),
                )
            })
            .collect();
        let get = |k: &str| envs.get(k).cloned().flatten();
        assert_eq!(get("PGPASSWORD").as_deref(), Some("s3cret-Pa55"));
        assert_eq!(get("PGHOST").as_deref(), Some("db.example"));
        assert_eq!(get("PGPORT").as_deref(), Some("6543"));
        assert_eq!(get("PGUSER").as_deref(), Some("backup"));
        assert_eq!(get("PGDATABASE").as_deref(), Some("其他库"));
        assert_eq!(get("PGSSLMODE").as_deref(), Some("prefer"));
        // Inherited libpq settings are removed, not left to redirect the child.
        assert!(envs.contains_key("PGSERVICE"));
        assert_eq!(get("PGSERVICE"), None);
    }

    #[test]
    fn socket_targets_use_the_directory_as_host() {
        let mut t = target();
        t.password = None;
        t.socket = Some(PathBuf::from("/run/postgresql"));
        let cmd = std_command(Path::new("/bin/true"), &t, None).expect("cmd");
        let host = cmd
            .get_envs()
            .find(|(k, _)| *k == "PGHOST")
            .and_then(|(_, v)| v.map(|v| v.to_string_lossy().to_string()));
        assert_eq!(host.as_deref(), Some("/run/postgresql"));
        let db = cmd
            .get_envs()
            .find(|(k, _)| *k == "PGDATABASE")
            .and_then(|(_, v)| v.map(|v| v.to_string_lossy().to_string()));
        assert_eq!(db.as_deref(), Some("hospital"));
    }

    #[tokio::test]
    async fn stderr_keeps_the_end() {
        let long = "x".repeat(100) + "\n";
        let input = long.repeat(1000) + "the last line";
        let got = collect_tail(input.as_bytes()).await;
        assert!(got.len() <= STDERR_TAIL);
        assert!(got.ends_with("the last line"));
        assert!(got.starts_with('x'));
    }
}
