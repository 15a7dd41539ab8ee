//! Scratch PostgreSQL clusters: initdb into a private directory, a server on a free loopback
//! port, torn down on drop. Restore drills and the tests use the same code.

use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use dbkeeper_core::scratch::{
    command, find_program, free_port, port_open, sweep_stale, wait_until, RunAs, ScratchDir,
    ScratchInstance, ServerProcess,
};
use dbkeeper_core::target::{os_user, EngineKind, Target, Tls, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use nix::sys::signal::Signal;

use crate::msg;

/// Where Debian and Ubuntu install each major version's server programs.
const DEBIAN_BIN_GLOB: &str = "/usr/lib/postgresql/*/bin";

/// How many times a start is retried on a new port when another process took the one we chose.
const PORT_ATTEMPTS: usize = 5;

/// How long a fresh cluster may take to accept connections (a slow CI disk, a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long a restored cluster may take: it replays the WAL written during its backup first.
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What kind of scratch cluster to start.
#[derive(Clone, Default)]
pub struct ScratchOptions {
    /// The major version to use; the newest installed when `None`.
    pub version: Option<u32>,
    /// A PEM certificate and key: the server then has `ssl = on` with these.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Sets the superuser's password and requires it (scram-sha-256) on TCP connections;
    /// Unix-socket connections stay `trust`.
    pub password: Option<String>,
    /// Extra server settings, passed as `-c name=value`.
    pub settings: Vec<(String, String)>,
    /// The role to connect as. [`ScratchPostgres::start`] creates it as the bootstrap
    /// superuser; [`ScratchPostgres::start_from`] needs one that exists in the restored
    /// cluster. Default: the account the server runs as (`postgres` when dbkeeper is root).
    pub superuser: Option<String>,
}

impl std::fmt::Debug for ScratchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchOptions")
            .field("version", &self.version)
            .field("tls", &self.tls)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("settings", &self.settings)
            .field("superuser", &self.superuser)
            .finish()
    }
}

/// A running throwaway PostgreSQL cluster. Dropping it stops the server and removes the
/// directory (data, socket, log).
pub struct ScratchPostgres {
    // Field order is drop order: the server must be stopped before its directory is removed.
    server: ServerProcess,
    dir: ScratchDir,
    data_dir: PathBuf,
    socket_dir: PathBuf,
    bin_dir: PathBuf,
    major: u32,
    target: Target,
}

impl std::fmt::Debug for ScratchPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchPostgres")
            .field("pid", &self.server.pid())
            .field("port", &self.target.port)
            .field("data_dir", &self.data_dir)
            .field("major", &self.major)
            .finish_non_exhaustive()
    }
}

/// An empty data directory inside a private scratch directory, owned by the account a
/// scratch server runs as, for a physical restore that [`ScratchPostgres::start_from`] then
/// starts. Dropped unused, it removes itself.
pub struct ScratchDataDir {
    dir: ScratchDir,
    data_dir: PathBuf,
    run_as: Option<RunAs>,
}

impl std::fmt::Debug for ScratchDataDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDataDir")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl ScratchDataDir {
    pub fn create() -> Result<ScratchDataDir> {
        sweep_stale();
        let run_as = RunAs::for_service(&["postgres"]);
        if run_as.is_none() && nix::unistd::geteuid().is_root() {
            return Err(
                Error::new(ErrorKind::Unavailable, Text::new(msg::SCRATCH_NO_USER))
                    .hint(Text::new(msg::SCRATCH_NO_USER_HINT)),
            );
        }
        let dir = ScratchDir::create(run_as.as_ref())
            .map_err(|e| dir_error(&std::env::temp_dir(), &e))?;
        let data_dir = dir
            .subdir("data", run_as.as_ref())
            .map_err(|e| dir_error(dir.path(), &e))?;
        std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| dir_error(&data_dir, &e))?;
        Ok(ScratchDataDir {
            dir,
            data_dir,
            run_as,
        })
    }

    /// The empty data directory to restore into.
    pub fn path(&self) -> &Path {
        &self.data_dir
    }
}

impl ScratchInstance for ScratchPostgres {
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

/// The server programs of one installation.
struct Programs {
    initdb: PathBuf,
    postgres: PathBuf,
    bin_dir: PathBuf,
    major: u32,
}

impl ScratchPostgres {
    /// Creates and starts a cluster. Blocking: from async code, call it in `spawn_blocking`.
    pub fn start(opts: ScratchOptions) -> Result<ScratchPostgres> {
        sweep_stale();
        let programs = find_programs(opts.version)?;

        // PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.
        let run_as = RunAs::for_service(&["postgres"]);
        if run_as.is_none() && nix::unistd::geteuid().is_root() {
            return Err(
                Error::new(ErrorKind::Unavailable, Text::new(msg::SCRATCH_NO_USER))
                    .hint(Text::new(msg::SCRATCH_NO_USER_HINT)),
            );
        }
        let superuser = opts.superuser.clone().unwrap_or_else(|| {
            run_as
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_else(os_user)
        });

        let dir = ScratchDir::create(run_as.as_ref())
            .map_err(|e| dir_error(&std::env::temp_dir(), &e))?;
        let data_dir = dir.path().join("data");

        initdb(
            &programs,
            &dir,
            &data_dir,
            &superuser,
            &opts,
            run_as.as_ref(),
        )?;
        if let Some((cert, key)) = &opts.tls {
            install_tls_file(cert, &data_dir.join("server.crt"), run_as.as_ref())?;
            install_tls_file(key, &data_dir.join("server.key"), run_as.as_ref())?;
        }

        launch(Launch {
            programs,
            dir,
            data_dir,
            superuser,
            opts: &opts,
            run_as,
            extra: Vec::new(),
            timeout: START_TIMEOUT,
        })
    }

    /// Starts a cluster on a data directory restored into `dir` (see
    /// [`crate::physical::restore_physical`]): the version is the one in its `PG_VERSION`,
    /// and the server recovers from the backup's label with the WAL the backup carries before
    /// it accepts connections. The restored cluster's own `postgresql.conf` and `pg_hba.conf`
    /// are not used (they may name the production host's memory, paths and archive): the
    /// scratch server gets its own, with loopback-only trust access, archiving off, and the
    /// restored `postgresql.auto.conf` applies under the command-line settings. Owned and torn
    /// down like any scratch instance. Blocking: from async code, call it in `spawn_blocking`.
    pub fn start_from(dir: ScratchDataDir, opts: ScratchOptions) -> Result<ScratchPostgres> {
        let ScratchDataDir {
            dir,
            data_dir,
            run_as,
        } = dir;
        let invalid = |detail: String| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::SCRATCH_NOT_DATA_DIR).arg("path", data_dir.display()),
            )
            .at(data_dir.display().to_string())
            .hint(Text::new(msg::SCRATCH_NOT_DATA_DIR_HINT))
            .detail(detail)
        };
        let version = std::fs::read_to_string(data_dir.join("PG_VERSION"))
            .map_err(|e| invalid(format!("PG_VERSION: {e}")))?;
        let major: u32 = version
            .trim()
            .parse()
            .map_err(|_| invalid(format!("PG_VERSION holds `{}`", version.trim())))?;
        if let Some(v) = opts.version {
            if v != major {
                return Err(invalid(format!(
                    "the data directory is PostgreSQL {major}, version {v} was asked for"
                )));
            }
        }
        let programs = find_programs(Some(major))?;
        let superuser = opts.superuser.clone().unwrap_or_else(|| {
            run_as
                .as_ref()
                .map(|r| r.name.clone())
                .unwrap_or_else(os_user)
        });

        // A server that was running when the backup was taken left no pid file in it
        // (pg_basebackup skips it), but a copied directory might have one.
        let _ = std::fs::remove_file(data_dir.join("postmaster.pid"));
        std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| dir_error(&data_dir, &e))?;
        let conf = dir.path().join("postgresql.conf");
        let hba = dir.path().join("pg_hba.conf");
        let ident = dir.path().join("pg_ident.conf");
        let host_auth = if opts.password.is_some() {
            "scram-sha-256"
        } else {
            "trust"
        };
        let files = [
            (
                &conf,
                "# scratch server on a restored data directory, written by dbkeeper\n".to_string(),
            ),
            (
                &hba,
                format!(
                    "local all all trust\nlocal replication all trust\n\
                     host all all 127.0.0.1/32 {host_auth}\nhost replication all 127.0.0.1/32 {host_auth}\n"
                ),
            ),
            (&ident, String::new()),
        ];
        for (path, text) in files {
            std::fs::write(path, text)
                .and_then(|()| chown(path, run_as.as_ref()))
                .map_err(|e| dir_error(path, &e))?;
        }
        if let Some((cert, key)) = &opts.tls {
            install_tls_file(cert, &data_dir.join("server.crt"), run_as.as_ref())?;
            install_tls_file(key, &data_dir.join("server.key"), run_as.as_ref())?;
        }
        let path_setting = |p: &Path| p.display().to_string();
        let extra = vec![
            ("config_file".to_string(), path_setting(&conf)),
            ("hba_file".to_string(), path_setting(&hba)),
            ("ident_file".to_string(), path_setting(&ident)),
            // A drill must never push WAL into production's archive or follow its primary.
            ("archive_mode".to_string(), "off".to_string()),
            ("primary_conninfo".to_string(), String::new()),
            ("restore_command".to_string(), String::new()),
        ];
        launch(Launch {
            programs,
            dir,
            data_dir,
            superuser,
            opts: &opts,
            run_as,
            extra,
            timeout: RECOVERY_TIMEOUT,
        })
    }

    /// Stops the server (fast shutdown) and removes the directory. Dropping does the same.
    pub fn stop(mut self) {
        self.server.stop();
    }

    /// The major version running, e.g. 15.
    pub fn major_version(&self) -> u32 {
        self.major
    }

    /// The directory of the server programs, where the matching pg_dump and pg_restore are.
    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }

    /// The Unix socket directory (`trust` for the superuser even when a password is set).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The target for the Unix socket rather than TCP.
    pub fn socket_target(&self) -> Target {
        Target {
            socket: Some(self.socket_dir.clone()),
            ..self.target.clone()
        }
    }

    /// The server's log file (its stderr).
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }
}

/// Everything a server start needs, for [`launch`].
struct Launch<'a> {
    programs: Programs,
    dir: ScratchDir,
    data_dir: PathBuf,
    superuser: String,
    opts: &'a ScratchOptions,
    run_as: Option<RunAs>,
    /// Settings added by the kind of start (before the caller's own).
    extra: Vec<(String, String)>,
    timeout: Duration,
}

/// Starts the server on a free port (retrying when another process takes the port first) and
/// waits until it answers queries.
fn launch(l: Launch<'_>) -> Result<ScratchPostgres> {
    let Launch {
        programs,
        dir,
        data_dir,
        superuser,
        opts,
        run_as,
        extra,
        timeout,
    } = l;
    let socket_dir = dir
        .subdir("socket", run_as.as_ref())
        .map_err(|e| dir_error(dir.path(), &e))?;
    let mut settings = extra;
    if opts.tls.is_some() {
        // Relative file names are read from the data directory.
        for (name, value) in [
            ("ssl", "on"),
            ("ssl_cert_file", "server.crt"),
            ("ssl_key_file", "server.key"),
        ] {
            settings.push((name.to_string(), value.to_string()));
        }
    }
    settings.extend(opts.settings.iter().cloned());
    let mut last_error = String::new();
    for attempt in 1..=PORT_ATTEMPTS {
        let port = free_port().map_err(|e| dir_error(dir.path(), &e))?;
        let target = scratch_target(port, &superuser, programs.major);
        let log_path = dir.path().join("server.log");
        let mut server = spawn_server(
            &programs,
            &data_dir,
            &socket_dir,
            &log_path,
            port,
            &settings,
            run_as.as_ref(),
        )?;
        let socket_target = Target {
            socket: Some(socket_dir.clone()),
            ..target.clone()
        };
        match wait_until(&mut server, timeout, || {
            port_open(port) && accepts_queries(&socket_target)
        }) {
            Ok(()) => {
                tracing::debug!(port, pid = server.pid(), dir = %dir.path().display(), "scratch postgres started");
                return Ok(ScratchPostgres {
                    server,
                    dir,
                    data_dir,
                    socket_dir,
                    bin_dir: programs.bin_dir,
                    major: programs.major,
                    target,
                });
            }
            Err(why) => {
                drop(server);
                let log = log_tail(&log_path);
                // Another process can take the port between free_port() and the bind.
                if log.contains("Address already in use") && attempt < PORT_ATTEMPTS {
                    tracing::debug!(port, "scratch postgres port taken; retrying");
                    continue;
                }
                last_error = format!("{why}\n{log}");
                break;
            }
        }
    }
    Err(Error::new(ErrorKind::Failed, Text::new(msg::SCRATCH_START))
        .at(data_dir.display().to_string())
        .hint(Text::new(msg::SCRATCH_START_HINT))
        .detail(last_error.trim_end()))
}

fn scratch_target(port: u16, superuser: &str, major: u32) -> Target {
    Target {
        name: format!("scratch-postgres{major}"),
        engine: EngineKind::Postgres,
        host: "127.0.0.1".into(),
        port,
        socket: None,
        user: superuser.to_string(),
        database: Some("postgres".into()),
        tls: Tls {
            mode: TlsMode::Prefer,
            ca_file: None,
        },
        password: None,
        connect_timeout: Duration::from_secs(10),
    }
}

/// Finds initdb and postgres of one installation: the Debian directories (newest first, or the
/// requested version), then `pg_config --bindir`, then `PATH`.
fn find_programs(version: Option<u32>) -> Result<Programs> {
    let pg_config_dir = find_program("pg_config", &[])
        .and_then(|p| std::process::Command::new(p).arg("--bindir").output().ok())
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|d| !d.is_empty());
    let wanted_dir = version.map(|v| format!("/usr/lib/postgresql/{v}/bin"));
    let mut dirs: Vec<&str> = Vec::new();
    match &wanted_dir {
        Some(d) => dirs.push(d),
        None => dirs.push(DEBIAN_BIN_GLOB),
    }
    if let Some(d) = &pg_config_dir {
        dirs.push(d);
    }

    let initdb = find_program("initdb", &dirs).ok_or_else(not_installed)?;
    let bin_dir = initdb
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(not_installed)?;
    // Both programs must come from the same installation: a data directory made by one major
    // version cannot be served by another.
    let postgres = bin_dir.join("postgres");
    if !postgres.is_file() {
        return Err(not_installed().detail(format!("no postgres next to {}", initdb.display())));
    }
    let major = server_major(&postgres).ok_or_else(|| {
        not_installed().detail(format!("cannot read the version of {}", postgres.display()))
    })?;
    if let Some(v) = version {
        if v != major {
            return Err(Error::new(
                ErrorKind::Unavailable,
                Text::new(msg::SCRATCH_VERSION_MISSING)
                    .arg("version", v)
                    .arg("found", installed_versions().join(", ")),
            )
            .hint(Text::new(msg::SCRATCH_VERSION_MISSING_HINT).arg("version", v)));
        }
    }
    Ok(Programs {
        initdb,
        postgres,
        bin_dir,
        major,
    })
}

fn not_installed() -> Error {
    Error::new(
        ErrorKind::Unavailable,
        Text::new(msg::SCRATCH_NOT_INSTALLED),
    )
    .hint(Text::new(msg::SCRATCH_NOT_INSTALLED_HINT))
}

/// `postgres (PostgreSQL) 15.19 (Debian 15.19-0+deb12u1)` → 15.
fn server_major(postgres: &Path) -> Option<u32> {
    let out = std::process::Command::new(postgres)
        .arg("--version")
        .output()
        .ok()?;
    parse_major(&String::from_utf8_lossy(&out.stdout))
}

pub(crate) fn parse_major(version_output: &str) -> Option<u32> {
    let version = version_output
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let major: String = version.chars().take_while(char::is_ascii_digit).collect();
    major.parse().ok()
}

fn installed_versions() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    if v.is_empty() {
        v.push("none".into());
    }
    v
}

fn dir_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::SCRATCH_DIR).arg("path", path.display()),
    )
    .at(path.display().to_string())
    .hint(Text::new(msg::SCRATCH_DIR_HINT))
    .detail(e)
}

fn chown(path: &Path, run_as: Option<&RunAs>) -> std::io::Result<()> {
    match run_as {
        Some(o) => std::os::unix::fs::chown(path, Some(o.uid), Some(o.gid)),
        None => Ok(()),
    }
}

/// Runs initdb. `-N` skips the fsyncs (the cluster is thrown away); the locale is C.UTF-8 so
/// Chinese text sorts and converts, or plain C where that locale is missing.
fn initdb(
    programs: &Programs,
    dir: &ScratchDir,
    data_dir: &Path,
    superuser: &str,
    opts: &ScratchOptions,
    run_as: Option<&RunAs>,
) -> Result<()> {
    let pwfile = dir.path().join("pwfile");
    if let Some(password) = &opts.password {
        std::fs::write(&pwfile, password)
            .and_then(|()| {
                std::fs::set_permissions(&pwfile, std::fs::Permissions::from_mode(0o600))
            })
            .and_then(|()| chown(&pwfile, run_as))
            .map_err(|e| dir_error(&pwfile, &e))?;
    }
    let mut output = String::new();
    let mut ok = false;
    for locale in ["C.UTF-8", "C"] {
        let mut cmd = command(&programs.initdb, run_as);
        cmd.arg("-D")
            .arg(data_dir)
            .args(["-U", superuser, "-E", "UTF8", "-N"])
            .arg(format!("--locale={locale}"));
        if opts.password.is_some() {
            cmd.args(["--auth-local=trust", "--auth-host=scram-sha-256"])
                .arg(format!("--pwfile={}", pwfile.display()));
        } else {
            cmd.args(["-A", "trust"]);
        }
        let out = cmd.output();
        match out {
            Ok(o) if o.status.success() => {
                ok = true;
                break;
            }
            Ok(o) => {
                output = format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                // initdb removes what it created on failure, but not a directory it found.
                let _ = std::fs::remove_dir_all(data_dir);
                if !output.contains("locale") {
                    break;
                }
            }
            Err(e) => {
                output = e.to_string();
                break;
            }
        }
    }
    // The password file has done its job; it must not stay on disk for the cluster's life.
    let _ = std::fs::remove_file(&pwfile);
    if ok {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Failed,
        Text::new(msg::SCRATCH_INITDB).arg("path", data_dir.display()),
    )
    .at(programs.initdb.display().to_string())
    .hint(Text::new(msg::SCRATCH_INITDB_HINT))
    .detail(output.trim_end()))
}

/// Copies a certificate or key into the data directory, owned by the server's user, mode 0600
/// (the server refuses a key that others can read).
fn install_tls_file(from: &Path, to: &Path, run_as: Option<&RunAs>) -> Result<()> {
    std::fs::copy(from, to)
        .and_then(|_| std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600)))
        .and_then(|()| chown(to, run_as))
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::SCRATCH_TLS_FILES).arg("path", from.display()),
            )
            .at(from.display().to_string())
            .hint(Text::new(msg::SCRATCH_TLS_FILES_HINT))
            .detail(e)
        })
}

/// Starts the `postgres` binary itself as our child, not through pg_ctl: pg_ctl daemonizes the
/// server, and then nothing ties it to us. Owning the process is what lets drop, a panic and
/// Ctrl-C stop it (SIGINT is PostgreSQL's fast shutdown), and the parent-death signal end it if
/// dbkeeper is killed.
fn spawn_server(
    programs: &Programs,
    data_dir: &Path,
    socket_dir: &Path,
    log_path: &Path,
    port: u16,
    settings: &[(String, String)],
    run_as: Option<&RunAs>,
) -> Result<ServerProcess> {
    let log = File::create(log_path).map_err(|e| dir_error(log_path, &e))?;
    let log_err = log.try_clone().map_err(|e| dir_error(log_path, &e))?;
    let mut cmd = command(&programs.postgres, run_as);
    cmd.arg("-D")
        .arg(data_dir)
        .args(["-p", &port.to_string()])
        .arg("-k")
        .arg(socket_dir)
        // Loopback only; durability is switched off because the cluster is thrown away.
        .args([
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_permissions=0700",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ]);
    for (name, value) in settings {
        cmd.arg("-c").arg(format!("{name}={value}"));
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err));
    ServerProcess::spawn(cmd, Signal::SIGINT).map_err(|e| {
        Error::new(ErrorKind::Failed, Text::new(msg::SCRATCH_START))
            .at(programs.postgres.display().to_string())
            .hint(Text::new(msg::SCRATCH_START_HINT))
            .detail(e)
    })
}

/// A real connection and `SELECT 1`: an open port alone can still answer "the database system
/// is starting up". The check runs on its own thread with its own runtime, so that `start` works
/// whether or not the caller is inside a tokio runtime.
fn accepts_queries(target: &Target) -> bool {
    let target = target.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let engine = crate::connect(&target).await.ok()?;
            engine.client().simple_query("SELECT 1").await.ok()
        })
    })
    .join()
    .ok()
    .flatten()
    .is_some()
}

/// The last lines of the server log, for an error's detail.
fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_versions() {
        assert_eq!(
            parse_major("postgres (PostgreSQL) 15.19 (Debian 15.19-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(parse_major("postgres (PostgreSQL) 17devel"), Some(17));
        assert_eq!(parse_major("nothing here"), None);
    }

    #[test]
    fn not_installed_says_what_to_install() {
        let e = not_installed();
        assert_eq!(e.kind, ErrorKind::Unavailable);
        let en = e.render(dbkeeper_core::Lang::En);
        assert!(en.contains("apt-get install postgresql"), "{en}");
        let zh = e.render(dbkeeper_core::Lang::ZhCn);
        assert!(zh.contains("apt-get install postgresql"), "{zh}");
    }

    #[test]
    fn options_hide_the_password() {
        let o = ScratchOptions {
            password: Some("hunter2".into()),
            ..ScratchOptions::default()
        };
        assert!(!format!("{o:?}").contains("hunter2"));
    }
}
