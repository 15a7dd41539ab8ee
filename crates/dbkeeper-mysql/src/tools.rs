//! The MariaDB/MySQL client programs dbkeeper drives (mariadb-dump, mariadb, mariabackup,
//! mbstream): finding them, handing them the connection through a private option file (never
//! argv, which every user can read in `ps`), and streaming their output into a backup object or
//! a backup object into their input.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::BytesMut;
use dbkeeper_core::dump::ObjectSink;
use dbkeeper_core::scratch::find_program;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStderr, Command};

use crate::msg;

/// The size of the chunks streamed into an object or a child's input: large enough that the
/// compression and encryption downstream work on whole blocks, small enough for flat memory.
pub(crate) const CHUNK: usize = 1 << 20;

/// How much of a child's stderr is kept for an error message: the end, where the error is.
const STDERR_TAIL: usize = 16 * 1024;

/// Where the server packages put their programs, searched before `PATH`.
const SEARCH_DIRS: &[&str] = &["/usr/bin", "/usr/local/mysql/bin", "/usr/sbin"];

/// Variables the MySQL/MariaDB clients read that would change where or how a child connects;
/// they are removed from the child's environment, so that it connects to exactly the target
/// the rest of dbkeeper talks to, with the settings of our option file.
const CLIENT_VARS: &[&str] = &[
    "MYSQL_PWD",
    "MYSQL_HOST",
    "MYSQL_TCP_PORT",
    "MYSQL_UNIX_PORT",
    "MYSQL_TEST_LOGIN_FILE",
    "MYSQL_HISTFILE",
    "MARIADB_HOST",
];

/// A client program and its names, newest first (MariaDB renamed its tools in 10.5 and keeps
/// the old names as links; MySQL only has the old ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Program {
    Dump,
    Client,
    Backup,
    Mbstream,
}

impl Program {
    fn names(self) -> &'static [&'static str] {
        match self {
            Program::Dump => &["mariadb-dump", "mysqldump"],
            Program::Client => &["mariadb", "mysql"],
            Program::Backup => &["mariadb-backup", "mariabackup"],
            Program::Mbstream => &["mbstream"],
        }
    }

    fn package(self) -> &'static str {
        match self {
            Program::Dump | Program::Client => "mariadb-client",
            Program::Backup | Program::Mbstream => "mariadb-backup",
        }
    }
}

/// A program found on this machine, and whether it is MariaDB's build (its option names for
/// TLS differ from MySQL's).
#[derive(Clone, Debug)]
pub(crate) struct Tool {
    pub(crate) path: PathBuf,
    pub(crate) mariadb: bool,
}

impl Tool {
    pub(crate) async fn find(program: Program) -> Result<Tool> {
        let path = program
            .names()
            .iter()
            .find_map(|n| find_program(n, SEARCH_DIRS))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Unavailable,
                    Text::new(msg::TOOL_MISSING).arg("program", program.names()[0]),
                )
                .hint(Text::new(msg::TOOL_MISSING_HINT).arg("package", program.package()))
            })?;
        let version = Command::new(&path)
            .arg("--version")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .await
            .map(|o| String::from_utf8_lossy(&o.stdout).to_ascii_lowercase())
            .unwrap_or_default();
        // mbstream and mariabackup exist only in MariaDB's packages.
        let mariadb =
            version.contains("mariadb") || matches!(program, Program::Backup | Program::Mbstream);
        Ok(Tool { path, mariadb })
    }

    /// The program's file name, for messages.
    pub(crate) fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| self.path.display().to_string())
    }

    /// A command for this program with a clean environment; `options` (an option file) must be
    /// the first argument, which is where the clients insist on finding `--defaults-file`.
    pub(crate) fn command(&self, options: Option<&OptionFile>) -> Command {
        let mut cmd = Command::new(&self.path);
        if let Some(o) = options {
            cmd.arg(o.arg());
        }
        for var in CLIENT_VARS {
            cmd.env_remove(var);
        }
        cmd.env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A backup or restore that fails or is cancelled must not leave its children
            // running: dropping the handle kills them.
            .kill_on_drop(true);
        cmd
    }
}

/// A private option file (`--defaults-file`) with the connection settings of one target,
/// password included: mode 0600 in the temporary directory, removed when dropped. The clients
/// read only this file, not the system's `/etc/mysql` files (which describe the local server).
pub(crate) struct OptionFile {
    file: tempfile::NamedTempFile,
}

impl OptionFile {
    pub(crate) fn for_target(target: &Target, tool: &Tool) -> Result<OptionFile> {
        let password = match target.password_ref() {
            Some(r) => Some(r.resolve()?),
            None => None,
        };
        let text = client_section(target, password.as_ref().map(|p| p.expose()), tool.mariadb);
        let fail = |e: std::io::Error| {
            Error::new(
                ErrorKind::CantCreate,
                Text::new(msg::OPTION_FILE).arg("path", std::env::temp_dir().display()),
            )
            .hint(Text::new(msg::OPTION_FILE_HINT))
            .detail(e)
        };
        // tempfile creates the file with mode 0600 before anything is written to it.
        let mut file = tempfile::Builder::new()
            .prefix("dbkeeper-my-")
            .suffix(".cnf")
            .tempfile()
            .map_err(fail)?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)?;
        std::io::Write::flush(&mut file).map_err(fail)?;
        Ok(OptionFile { file })
    }

    pub(crate) fn arg(&self) -> String {
        format!("--defaults-file={}", self.file.path().display())
    }
}

/// The `[client]` group for `target`; every client program (and mariabackup) reads it.
fn client_section(target: &Target, password: Option<&str>, mariadb: bool) -> String {
    let mut s = String::from("[client]\n");
    let _ = writeln!(s, "user={}", option_value(&target.user));
    if let Some(p) = password {
        let _ = writeln!(s, "password={}", option_value(p));
    }
    match &target.socket {
        Some(socket) => {
            let _ = writeln!(
                s,
                "socket={}\nprotocol=socket",
                option_value(&socket.to_string_lossy())
            );
        }
        None => {
            let _ = writeln!(
                s,
                "host={}\nport={}\nprotocol=tcp",
                option_value(&target.host),
                target.port
            );
        }
    }
    // TLS does not apply to sockets (the same rule as our own connections).
    if target.socket.is_none() {
        s.push_str(&tls_options(target, mariadb));
    }
    s
}

/// TLS settings by the target's mode, in the option names of the client's family. `loose-`
/// makes a client that lacks an option warn instead of refusing to start.
fn tls_options(target: &Target, mariadb: bool) -> String {
    let mut s = String::new();
    match (target.tls.mode, mariadb) {
        (TlsMode::Disable, true) => s.push_str("skip-ssl\n"),
        (TlsMode::Disable, false) => s.push_str("ssl-mode=DISABLED\n"),
        // `prefer`: what the client does by default (TLS where it can, on newer clients).
        (TlsMode::Prefer, true) => s.push_str("loose-ssl-verify-server-cert=0\n"),
        (TlsMode::Prefer, false) => s.push_str("ssl-mode=PREFERRED\n"),
        (TlsMode::Require, true) => s.push_str("ssl\nloose-ssl-verify-server-cert=0\n"),
        (TlsMode::Require, false) => s.push_str("ssl-mode=REQUIRED\n"),
        (TlsMode::VerifyFull, true) => s.push_str("ssl\nssl-verify-server-cert\n"),
        (TlsMode::VerifyFull, false) => s.push_str("ssl-mode=VERIFY_IDENTITY\n"),
    }
    if let Some(ca) = &target.tls.ca_file {
        let _ = writeln!(s, "ssl-ca={}", option_value(&ca.to_string_lossy()));
    }
    s
}

/// A value in an option file: double-quoted, with the escapes the option-file reader knows,
/// so that `#`, quotes, spaces and backslashes in a password survive.
fn option_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A child's stderr, read as it comes: the last [`STDERR_TAIL`] bytes for error messages, plus
/// every line that `keep` selects (mariabackup reports its binlog position there).
pub(crate) struct StderrReader {
    task: tokio::task::JoinHandle<(String, Vec<String>)>,
}

impl StderrReader {
    pub(crate) fn start(stderr: Option<ChildStderr>, keep: fn(&str) -> bool) -> StderrReader {
        let task = tokio::spawn(async move {
            let mut tail = String::new();
            let mut kept = Vec::new();
            let Some(stderr) = stderr else {
                return (tail, kept);
            };
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line);
                        if keep(&text) {
                            kept.push(text.trim_end().to_string());
                        }
                        tail.push_str(&text);
                        if tail.len() > 2 * STDERR_TAIL {
                            let cut = tail.len() - STDERR_TAIL;
                            let cut = (cut..tail.len())
                                .find(|i| tail.is_char_boundary(*i))
                                .unwrap_or(cut);
                            tail.drain(..cut);
                        }
                    }
                }
            }
            (tail, kept)
        });
        StderrReader { task }
    }

    /// The end of the output and the kept lines, once the child has closed stderr.
    pub(crate) async fn finish(self) -> (String, Vec<String>) {
        let (tail, kept) = self.task.await.unwrap_or_default();
        (last_lines(&tail, 20), kept)
    }
}

/// The last `n` lines of `text`.
pub(crate) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The error for a child that failed: where (the object or directory it worked on, in words
/// that need no translation), its exit status and the end of its stderr.
pub(crate) fn tool_failed(tool: &Tool, at: &str, status: &str, stderr: &str) -> Error {
    Error::new(
        ErrorKind::Failed,
        Text::new(msg::TOOL_FAILED)
            .arg("program", tool.name())
            .arg("status", status),
    )
    .at(at)
    .hint(Text::new(msg::TOOL_FAILED_HINT))
    .detail(if stderr.trim().is_empty() {
        "(no output)".to_string()
    } else {
        stderr.trim().to_string()
    })
}

/// Runs `cmd` and streams its stdout into the new object `name`; fails if the program fails.
/// Returns the bytes written and the lines of stderr that `keep` selected. `at` says where the
/// program read from, for errors.
pub(crate) async fn stdout_to_object(
    tool: &Tool,
    mut cmd: Command,
    sink: &dyn ObjectSink,
    name: &str,
    at: &str,
    keep: fn(&str) -> bool,
) -> Result<(u64, Vec<String>)> {
    let mut child = spawn(tool, &mut cmd)?;
    let stderr = StderrReader::start(child.stderr.take(), keep);
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| spawn_error(tool, "no stdout"))?;
    let copied = copy_to_object(&mut stdout, sink, name).await;
    let status = child.wait().await;
    let (tail, kept) = stderr.finish().await;
    let at = format!("{at} → {name}");
    let status = status.map_err(|e| tool_failed(tool, &at, &e.to_string(), &tail))?;
    if !status.success() {
        return Err(tool_failed(tool, &at, &status_text(status), &tail));
    }
    Ok((copied?, kept))
}

/// Copies `reader` into a new object in [`CHUNK`]-sized pieces; the object exists only once
/// everything arrived.
async fn copy_to_object<R: AsyncRead + Unpin>(
    reader: &mut R,
    sink: &dyn ObjectSink,
    name: &str,
) -> Result<u64> {
    let mut object = sink.create(name).await?;
    let mut total = 0u64;
    loop {
        let mut buf = BytesMut::with_capacity(CHUNK);
        while buf.len() < CHUNK {
            let n = reader.read_buf(&mut buf).await.map_err(|e| {
                Error::new(
                    ErrorKind::Failed,
                    Text::new(msg::TOOL_OUTPUT).arg("object", name),
                )
                .detail(e)
            })?;
            if n == 0 {
                break;
            }
        }
        if buf.is_empty() {
            break;
        }
        let last = buf.len() < CHUNK;
        total += buf.len() as u64;
        object.write(buf.freeze()).await?;
        if last {
            break;
        }
    }
    object.finish().await?;
    Ok(total)
}

/// Feeds `input` (a backup object) into the stdin of `cmd` and waits for it; `at` names where
/// it goes, for errors. A failed read of
/// the object stops the child and fails with the read's error, so that a damaged object never
/// counts as applied. Returns the bytes fed.
pub(crate) async fn object_to_stdin(
    tool: &Tool,
    mut cmd: Command,
    mut input: Box<dyn AsyncRead + Send + Unpin>,
    object: &str,
    at: &str,
) -> Result<u64> {
    cmd.stdin(Stdio::piped()).stdout(Stdio::null());
    let mut child = spawn(tool, &mut cmd)?;
    let stderr = StderrReader::start(child.stderr.take(), |_| false);
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| spawn_error(tool, "no stdin"))?;
    let mut total = 0u64;
    let mut buf = vec![0u8; CHUNK];
    let mut read_error = None;
    let mut write_failed = false;
    loop {
        let n = match input.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                read_error = Some(e);
                break;
            }
        };
        total += n as u64;
        if stdin.write_all(&buf[..n]).await.is_err() {
            // The child stopped reading: it failed, and its status and stderr say why. Unless
            // the object itself is damaged (mbstream checks its own checksums and stops
            // early): the rest is read to let the store's hash check have its say, so that a
            // damaged object is reported as such and not as the program's failure.
            write_failed = true;
            loop {
                match input.read(&mut buf).await {
                    Ok(0) => break,
                    Ok(n) => total += n as u64,
                    Err(e) => {
                        read_error = Some(e);
                        break;
                    }
                }
            }
            break;
        }
    }
    if let Some(e) = read_error {
        let _ = child.start_kill();
        let _ = child.wait().await;
        let (tail, _) = stderr.finish().await;
        let mut err = object_read_error(object, &e);
        if write_failed && !tail.trim().is_empty() {
            err = err.detail(format!("{e}; {}: {}", tool.name(), tail.trim()));
        }
        return Err(err);
    }
    drop(stdin);
    let status = child.wait().await;
    let (tail, _) = stderr.finish().await;
    let at = format!("{object} → {at}");
    let status = status.map_err(|e| tool_failed(tool, &at, &e.to_string(), &tail))?;
    if !status.success() || write_failed {
        return Err(tool_failed(tool, &at, &status_text(status), &tail));
    }
    Ok(total)
}

/// A backup object that could not be read to its end (damaged, truncated, or its hash did not
/// match): bad data.
pub(crate) fn object_read_error(object: &str, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Data,
        Text::new(msg::OBJECT_READ).arg("object", object),
    )
    .hint(Text::new(msg::OBJECT_READ_HINT))
    .detail(e)
}

pub(crate) fn spawn(tool: &Tool, cmd: &mut Command) -> Result<Child> {
    tracing::debug!(program = %tool.path.display(), "starting");
    cmd.spawn().map_err(|e| spawn_error(tool, e))
}

fn spawn_error(tool: &Tool, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Unavailable,
        Text::new(msg::TOOL_START).arg("program", tool.path.display()),
    )
    .hint(Text::new(msg::TOOL_MISSING_HINT).arg("package", "mariadb-client"))
    .detail(e)
}

pub(crate) fn status_text(status: ExitStatus) -> String {
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => status.to_string(),
    }
}

/// A count shared between a reading stream and its caller: how many bytes went through.
#[derive(Clone, Default)]
pub(crate) struct Counter(Arc<AtomicU64>);

impl Counter {
    pub(crate) fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Aborts a spawned task when dropped, so that a failed backup or restore stops every worker
/// (a load aborted mid-way drops its connection, and the server rolls its table back).
pub(crate) struct AbortOnDrop<T>(pub(crate) tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// True when `dir` does not exist or holds nothing.
pub(crate) fn dir_is_empty(dir: &Path) -> std::io::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbkeeper_core::target::EngineKind;
    use std::time::Duration;

    fn target() -> Target {
        Target {
            name: "t".into(),
            engine: EngineKind::Mysql,
            host: "127.0.0.1".into(),
            port: 3307,
            socket: None,
            user: "bk".into(),
            database: None,
            tls: Default::default(),
            password: None,
            connect_timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn option_values_are_quoted() {
        assert_eq!(option_value("a\"b\\c#d e"), "\"a\\\"b\\\\c#d e\"");
        assert_eq!(option_value("密码"), "\"密码\"");
    }

    #[test]
    fn client_section_has_connection_and_tls() {
        let mut t = target();
        let s = client_section(&t, Some("p#w"), true);
        assert!(s.starts_with("[client]\n"), "{s}");
        assert!(s.contains("user=\"bk\"\n"));
        assert!(s.contains("password=\"p#w\"\n"));
        assert!(s.contains("host=\"127.0.0.1\"\nport=3307\nprotocol=tcp\n"));
        t.tls.mode = TlsMode::VerifyFull;
        t.tls.ca_file = Some("/etc/ca.pem".into());
        let s = client_section(&t, None, true);
        assert!(!s.contains("password"));
        assert!(
            s.contains("ssl\nssl-verify-server-cert\nssl-ca=\"/etc/ca.pem\"\n"),
            "{s}"
        );
        t.socket = Some("/run/mysqld/mysqld.sock".into());
        let s = client_section(&t, None, true);
        assert!(s.contains("protocol=socket"));
        assert!(!s.contains("ssl"), "{s}");
        t.socket = None;
        t.tls.mode = TlsMode::Disable;
        assert!(client_section(&t, None, false).contains("ssl-mode=DISABLED"));
    }

    #[test]
    fn the_password_goes_only_into_a_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = dir.path().join("pw");
        std::fs::write(&secret, "s3cr#t \"x\"").expect("write");
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let mut t = target();
        t.password = Some(dbkeeper_core::secret::SecretRef::File(secret));
        let tool = Tool {
            path: "/usr/bin/mariadb-dump".into(),
            mariadb: true,
        };
        let options = OptionFile::for_target(&t, &tool).expect("option file");
        let cmd = tool.command(Some(&options));
        let args: Vec<String> = cmd
            .as_std()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args.len(), 1);
        assert!(args[0].starts_with("--defaults-file="), "{args:?}");
        assert!(!args.iter().any(|a| a.contains("s3cr")));
        let envs: Vec<String> = cmd
            .as_std()
            .get_envs()
            .filter_map(|(k, v)| {
                v.map(|v| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
            })
            .collect();
        assert!(!envs.iter().any(|e| e.contains("s3cr")), "{envs:?}");
        let path = options.file.path();
        let mode = std::fs::metadata(path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains("password=\"s3cr#t \\\"x\\\"\""), "{text}");
        let kept = path.to_path_buf();
        drop(options);
        assert!(!kept.exists(), "the option file outlived its use");
    }

    #[test]
    fn keeps_last_lines() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc");
    }

    #[test]
    fn empty_dirs() {
        let d = tempfile::tempdir().expect("tempdir");
        assert!(dir_is_empty(d.path()).expect("read"));
        assert!(dir_is_empty(&d.path().join("missing")).expect("missing"));
        std::fs::write(d.path().join("f"), "x").expect("write");
        assert!(!dir_is_empty(d.path()).expect("read"));
    }
}
