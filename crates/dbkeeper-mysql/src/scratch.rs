//! Throw-away MariaDB/MySQL servers for restore drills and tests.
//!
//! [`ScratchMysql::start`] initialises a data directory with `mariadb-install-db` in a private
//! scratch directory and starts the server binary itself (`mariadbd`, or `mysqld`) as our own
//! child process on a free loopback port. Because we own the process, dropping the
//! [`ScratchMysql`] — on return, on `?`, on panic unwinding, or when Ctrl-C drops the running
//! future — stops the server with SIGTERM and removes the directory; if dbkeeper is killed
//! outright, the kernel's parent-death signal stops the server and [`sweep_stale`] removes the
//! directory on the next start (see `dbkeeper_core::scratch`).
//!
//! As root, the server runs as the `mysql` OS user, which owns the scratch directory.
//!
//! [`ScratchMysql::start_from`] starts a server on a data directory that a physical restore
//! prepared, instead of a fresh one.

use std::fmt;
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use dbkeeper_core::scratch::{
    command, find_program, free_port, sweep_stale, wait_until, RunAs, ScratchDir, ScratchInstance,
    ServerProcess,
};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{EngineKind, Target, Tls, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use nix::sys::signal::Signal;

use crate::{msg, quote_string};

mod from;

pub use from::SCRATCH_ADMIN;

/// Where the server packages put their programs, searched before `PATH`.
const SEARCH_DIRS: &[&str] = &[
    "/usr/sbin",
    "/usr/bin",
    "/usr/local/mysql/bin",
    "/usr/local/mysql/scripts",
];
/// A fresh server is up in about a second; a loaded CI machine may need much longer.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// A free port can be taken by someone else before the server binds it; then we try another.
const PORT_ATTEMPTS: usize = 5;
/// The redo log is created at initialisation and must match at start-up; a small one is
/// written faster, and a scratch instance holds little.
const REDO_LOG_SIZE: &str = "--innodb-log-file-size=16M";

/// A scratch instance holds copies that a crash would only make us recreate, so it trades
/// durability for speed: no log flush on every commit, no doublewrite buffer.
const FAST_WRITES: &[&str] = &[
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
];

/// How to set up a scratch instance.
#[derive(Clone, Default)]
pub struct ScratchOptions {
    /// A server certificate and its private key (PEM) to enable TLS with. They are copied into
    /// the scratch directory, so the originals need not be readable by the server's OS user.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// A password for `root` over TCP (the socket login stays password-less). The target then
    /// reads it from a 0600 file in the scratch directory.
    pub password: Option<String>,
    /// Server options as in my.cnf (`innodb_buffer_pool_size`, `64M`), given on the command line.
    pub settings: Vec<(String, String)>,
}

impl fmt::Debug for ScratchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScratchOptions")
            .field("tls", &self.tls)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("settings", &self.settings)
            .finish()
    }
}

/// A running scratch server. Dropping it stops the server and removes its directory.
pub struct ScratchMysql {
    // Fields drop in declaration order: the server stops before its directory is removed.
    server: ServerProcess,
    /// A data directory the instance took over where it was (on another file system than the
    /// scratch directory); only held, to be removed when the instance is dropped.
    #[allow(dead_code)]
    moved_data: Option<from::OwnedDir>,
    target: Target,
    port: u16,
    data_dir: PathBuf,
    socket: PathBuf,
    error_log: PathBuf,
    dir: ScratchDir,
}

impl fmt::Debug for ScratchMysql {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScratchMysql")
            .field("pid", &self.server.pid())
            .field("port", &self.port)
            .field("dir", &self.dir.path())
            .finish()
    }
}

impl ScratchMysql {
    /// Initialises and starts a scratch server; blocks until it accepts connections.
    pub fn start(opts: ScratchOptions) -> Result<ScratchMysql> {
        sweep_stale();
        let started = Instant::now();
        check_settings(&opts.settings)?;
        let programs = Programs::find()?;
        let run_as = RunAs::for_service(&["mysql"]);
        let dir =
            ScratchDir::create(run_as.as_ref()).map_err(|e| dir_error(&std::env::temp_dir(), e))?;
        let data_dir = dir.path().join("data");
        let tls = match &opts.tls {
            Some((cert, key)) => Some(copy_tls(&dir, run_as.as_ref(), cert, key)?),
            None => None,
        };
        init_data_dir(
            &programs,
            &dir,
            &data_dir,
            run_as.as_ref(),
            opts.password.as_deref(),
        )?;
        let password = match &opts.password {
            Some(p) => Some(SecretRef::File(write_password_file(&dir, p)?)),
            None => None,
        };
        let layout = Layout {
            data_dir: &data_dir,
            tmp_dir: tmp_dir(&dir, run_as.as_ref())?,
            socket: dir.path().join("mysqld.sock"),
            pid_file: dir.path().join("mysqld.pid"),
            error_log: dir.path().join("mysqld.err"),
            tls: tls.as_ref(),
            settings: &opts.settings,
            init_file: None,
        };
        let (server, port) = start_server(&programs, &layout, run_as.as_ref())?;
        tracing::debug!(
            port,
            pid = server.pid(),
            seconds = started.elapsed().as_secs_f64(),
            "scratch MariaDB/MySQL is up"
        );
        Ok(ScratchMysql {
            server,
            moved_data: None,
            target: scratch_target(port, "root", password),
            port,
            socket: layout.socket,
            error_log: layout.error_log,
            data_dir,
            dir,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's socket file; `root` logs in there without a password.
    pub fn socket(&self) -> &Path {
        &self.socket
    }

    /// A target for the socket login (`root`, no password, no TLS).
    pub fn socket_target(&self) -> Target {
        Target {
            name: format!("{}-socket", self.target.name),
            socket: Some(self.socket.clone()),
            password: None,
            ..self.target.clone()
        }
    }

    /// The server's error log, for diagnosing a drill.
    pub fn error_log(&self) -> &Path {
        &self.error_log
    }

    /// The scratch directory that holds everything of this instance.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Stops the server and removes its directory (what dropping does, said out loud).
    pub fn stop(mut self) {
        self.server.stop();
    }
}

impl ScratchInstance for ScratchMysql {
    fn target(&self) -> &Target {
        &self.target
    }

    fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn pid(&self) -> u32 {
        self.server.pid()
    }
}

/// The instance's own temporary directory, owned by the server's OS user.
fn tmp_dir(dir: &ScratchDir, run_as: Option<&RunAs>) -> Result<PathBuf> {
    dir.subdir("tmp", run_as)
        .map_err(|e| dir_error(&dir.path().join("tmp"), e))
}

/// How to reach a scratch server: loopback TCP, TLS if it has it.
fn scratch_target(port: u16, user: &str, password: Option<SecretRef>) -> Target {
    Target {
        name: format!("scratch-mysql-{port}"),
        engine: EngineKind::Mysql,
        host: "127.0.0.1".into(),
        port,
        socket: None,
        user: user.into(),
        database: None,
        tls: Tls {
            mode: TlsMode::Prefer,
            ca_file: None,
        },
        password,
        connect_timeout: Duration::from_secs(10),
    }
}

/// The programs a scratch instance needs.
struct Programs {
    install_db: PathBuf,
    server: PathBuf,
}

impl Programs {
    fn find() -> Result<Programs> {
        let find = |names: &[&str]| names.iter().find_map(|n| find_program(n, SEARCH_DIRS));
        let missing = |program: &str| {
            Error::new(
                ErrorKind::Unavailable,
                Text::new(msg::SCRATCH_NO_PROGRAM).arg("program", program),
            )
            .hint(Text::new(msg::SCRATCH_NO_PROGRAM_HINT))
        };
        Ok(Programs {
            install_db: find(&["mariadb-install-db", "mysql_install_db"])
                .ok_or_else(|| missing("mariadb-install-db"))?,
            server: find(&["mariadbd", "mysqld"]).ok_or_else(|| missing("mariadbd"))?,
        })
    }
}

/// Option names go to the server's command line; anything but a plain name is refused, so a
/// setting cannot smuggle in another option.
fn check_settings(settings: &[(String, String)]) -> Result<()> {
    for (name, _) in settings {
        let plain = !name.is_empty()
            && !name.starts_with('-')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !plain {
            return Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::SCRATCH_SETTING).arg("name", name),
            )
            .hint(Text::new(msg::SCRATCH_SETTING_HINT)));
        }
    }
    Ok(())
}

fn dir_error(path: &Path, e: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::SCRATCH_DIR).arg("path", path.display()),
    )
    .hint(Text::new(msg::SCRATCH_DIR_HINT))
    .detail(e)
}

/// Writes `contents` to a new file that only `owner` (or we) can read.
fn write_private(path: &Path, contents: &[u8], owner: Option<&RunAs>) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(contents)?;
        if let Some(o) = owner {
            std::os::unix::fs::chown(path, Some(o.uid), Some(o.gid))?;
        }
        Ok(())
    };
    write().map_err(|e| dir_error(path, e))
}

/// Copies the certificate and key into the scratch directory, owned by the server's user.
fn copy_tls(
    dir: &ScratchDir,
    owner: Option<&RunAs>,
    cert: &Path,
    key: &Path,
) -> Result<(PathBuf, PathBuf)> {
    let copy = |from: &Path, name: &str| -> Result<PathBuf> {
        let bytes = std::fs::read(from).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::SCRATCH_TLS_FILE).arg("path", from.display()),
            )
            .hint(Text::new(msg::SCRATCH_TLS_FILE_HINT))
            .detail(e)
        })?;
        let to = dir.path().join(name);
        write_private(&to, &bytes, owner)?;
        Ok(to)
    };
    Ok((copy(cert, "server-cert.pem")?, copy(key, "server-key.pem")?))
}

/// The password file the target's secret reference points at: ours, mode 0600.
fn write_password_file(dir: &ScratchDir, password: &str) -> Result<PathBuf> {
    let path = dir.path().join("root.password");
    write_private(&path, password.as_bytes(), None)?;
    Ok(path)
}

/// SQL run at the end of initialisation: make sure `root` can log in over TCP from 127.0.0.1
/// (the socket login is the only one some installers make), and give the TCP logins the
/// password if there is one. Grant tables must be loaded first in bootstrap mode.
fn init_sql(password: Option<&str>) -> String {
    let mut sql = String::from(
        "FLUSH PRIVILEGES;\n\
         CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';\n\
         GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n",
    );
    if let Some(p) = password {
        let p = quote_string(p);
        sql.push_str(&format!(
            "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY {p};\n\
             ALTER USER IF EXISTS 'root'@'::1' IDENTIFIED BY {p};\n"
        ));
    }
    sql
}

fn init_data_dir(
    programs: &Programs,
    dir: &ScratchDir,
    data_dir: &Path,
    run_as: Option<&RunAs>,
    password: Option<&str>,
) -> Result<()> {
    let extra = dir.path().join("init.sql");
    write_private(&extra, init_sql(password).as_bytes(), run_as)?;
    let tmp = tmp_dir(dir, run_as)?;
    let mut cmd = command(&programs.install_db, run_as);
    // --no-defaults must come first: the system's /etc/mysql files describe the system server.
    cmd.arg("--no-defaults")
        .arg(format!("--datadir={}", data_dir.display()))
        .arg(format!("--tmpdir={}", tmp.display()))
        .arg("--auth-root-authentication-method=normal")
        .arg("--skip-test-db")
        .arg("--skip-name-resolve")
        .arg(format!("--extra-file={}", extra.display()))
        .arg(REDO_LOG_SIZE)
        // Initialisation writes a few MB of system tables; if the machine crashes meanwhile
        // the directory is thrown away anyway, so skip the syncs (this halves its system time).
        .args(FAST_WRITES)
        .arg("--innodb-flush-method=nosync")
        .stdin(Stdio::null());
    if run_as.is_none() && nix::unistd::geteuid().is_root() {
        // Root without a `mysql` account: the server refuses root unless told so.
        cmd.arg("--user=root");
    }
    let output = cmd.output();
    // The file may hold the password; it is no longer needed whatever happened.
    let _ = std::fs::remove_file(&extra);
    let program = programs.install_db.display().to_string();
    let init_error = |status: String, detail: String| {
        Error::new(
            ErrorKind::Failed,
            Text::new(msg::SCRATCH_INIT)
                .arg("program", &program)
                .arg("path", data_dir.display())
                .arg("status", status),
        )
        .hint(Text::new(msg::SCRATCH_INIT_HINT))
        .detail(detail)
    };
    let output = output.map_err(|e| init_error("not started".into(), e.to_string()))?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        return Err(init_error(output.status.to_string(), tail(&text, 20)));
    }
    Ok(())
}

/// Where one server keeps its files.
struct Layout<'a> {
    data_dir: &'a Path,
    /// Its temporary files, private to the instance (a shared /tmp may be cleaned under it).
    tmp_dir: PathBuf,
    socket: PathBuf,
    pid_file: PathBuf,
    error_log: PathBuf,
    tls: Option<&'a (PathBuf, PathBuf)>,
    settings: &'a [(String, String)],
    /// SQL the server runs as it starts (an administrator for a restored data directory).
    init_file: Option<PathBuf>,
}

fn start_server(
    programs: &Programs,
    layout: &Layout<'_>,
    run_as: Option<&RunAs>,
) -> Result<(ServerProcess, u16)> {
    let program = programs.server.display().to_string();
    let start_error = |reason: String, detail: String| {
        Error::new(
            ErrorKind::Failed,
            Text::new(msg::SCRATCH_START)
                .arg("program", &program)
                .arg("reason", reason),
        )
        .hint(Text::new(msg::SCRATCH_START_HINT))
        .detail(detail)
    };
    let mut last_reason = String::new();
    for attempt in 1..=PORT_ATTEMPTS {
        let port = free_port().map_err(|e| start_error("no free port".into(), e.to_string()))?;
        let cmd = server_command(programs, layout, run_as, port);
        let mut server = ServerProcess::spawn(cmd, Signal::SIGTERM)
            .map_err(|e| start_error("cannot run the program".into(), e.to_string()))?;
        // Ready means: our socket file exists (so the server that answers is ours, not one
        // that took the port meanwhile) and the port sends a MySQL greeting.
        let ready = wait_until(&mut server, START_TIMEOUT, || {
            layout.socket.exists() && greets(port)
        });
        match ready {
            Ok(()) => return Ok((server, port)),
            Err(reason) => {
                let log = std::fs::read_to_string(&layout.error_log).unwrap_or_default();
                if port_taken(&log) && attempt < PORT_ATTEMPTS {
                    tracing::debug!(
                        port,
                        "port taken before the scratch server bound it; retrying"
                    );
                    drop(server);
                    // The next attempt appends to the same log; start it afresh.
                    let _ = std::fs::remove_file(&layout.error_log);
                    last_reason = reason;
                    continue;
                }
                return Err(start_error(reason, tail(&log, 15)));
            }
        }
    }
    Err(start_error(last_reason, String::new()))
}

fn server_command(
    programs: &Programs,
    layout: &Layout<'_>,
    run_as: Option<&RunAs>,
    port: u16,
) -> std::process::Command {
    let mut cmd = command(&programs.server, run_as);
    // --no-defaults must come first: the system's /etc/mysql files describe the system server.
    cmd.arg("--no-defaults")
        .arg(format!("--datadir={}", layout.data_dir.display()))
        .arg(format!("--tmpdir={}", layout.tmp_dir.display()))
        .arg(format!("--port={port}"))
        .arg("--bind-address=127.0.0.1")
        .arg(format!("--socket={}", layout.socket.display()))
        .arg(format!("--pid-file={}", layout.pid_file.display()))
        .arg(format!("--log-error={}", layout.error_log.display()))
        .args(FAST_WRITES)
        // Its directory is deleted right after the stop: shut down without flushing the
        // buffer pool (as after a crash, which nobody will recover from).
        .arg("--innodb-fast-shutdown=2")
        .arg("--skip-log-bin")
        .arg("--skip-name-resolve")
        .arg(REDO_LOG_SIZE)
        .arg("--innodb-buffer-pool-load-at-startup=OFF")
        .arg("--innodb-buffer-pool-dump-at-shutdown=OFF")
        // The platform's data is Chinese; MariaDB 10.11 would otherwise default to latin1.
        .arg("--character-set-server=utf8mb4")
        .arg("--collation-server=utf8mb4_unicode_ci")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some((cert, key)) = layout.tls {
        cmd.arg(format!("--ssl-cert={}", cert.display()))
            .arg(format!("--ssl-key={}", key.display()));
    }
    if let Some(init) = &layout.init_file {
        cmd.arg(format!("--init-file={}", init.display()));
    }
    if run_as.is_none() && nix::unistd::geteuid().is_root() {
        cmd.arg("--user=root");
    }
    for (name, value) in layout.settings {
        cmd.arg(format!("--{name}={value}"));
    }
    cmd
}

/// True when the server on `port` sends the MySQL protocol-10 greeting, i.e. it has finished
/// starting and serves logins (the port alone opens earlier, before start-up completes).
fn greets(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    if stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .is_err()
    {
        return false;
    }
    // A packet: 3 bytes length, 1 byte sequence, then the payload, whose first byte is the
    // protocol version (10) in a greeting and 0xff in an error ("too many connections").
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && head[4] == 10
}

/// The server's words for "someone else has this port".
fn port_taken(log: &str) -> bool {
    log.contains("Address already in use") || log.contains("Do you already have another")
}

/// The last `lines` lines of `text`, for error details.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_must_be_plain_names() {
        let ok = vec![("innodb_buffer_pool_size".to_string(), "64M".to_string())];
        assert!(check_settings(&ok).is_ok());
        for bad in ["", "-x", "a b", "datadir=/etc", "x\n--y"] {
            let e = check_settings(&[(bad.to_string(), "1".to_string())]).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::Usage);
        }
    }

    #[test]
    fn init_sql_quotes_the_password() {
        let sql = init_sql(Some("it's\\"));
        assert!(sql.contains("IDENTIFIED BY 'it''s\\\\'"), "{sql}");
        assert!(!init_sql(None).contains("IDENTIFIED"));
    }

    #[test]
    fn options_debug_hides_password() {
        let o = ScratchOptions {
            password: Some("hunter2".into()),
            ..ScratchOptions::default()
        };
        assert!(!format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn tails() {
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }

    #[test]
    fn recognises_port_clash() {
        assert!(port_taken(
            "[ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use"
        ));
        assert!(!port_taken("[Note] ready for connections."));
    }
}
