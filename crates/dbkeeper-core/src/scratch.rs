//! What scratch instances of both engines share: a private directory, a free loopback port, the
//! unprivileged user to run as, and a server process that cannot outlive dbkeeper.
//!
//! A scratch server is torn down on drop (normal return, `?`, panic unwinding and Ctrl-C, which
//! drops the running future). If dbkeeper itself is killed with SIGKILL, the kernel sends the
//! server SIGTERM (`PR_SET_PDEATHSIG`), and the directory left behind is removed by
//! [`sweep_stale`] on the next start. The parent-death signal follows the *thread* that forked,
//! so all servers are spawned from one thread that lives as long as the process.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::target::Target;

/// A running throwaway server. Dropping it stops the server and removes its directory.
pub trait ScratchInstance: Send + Sync {
    /// How to connect (loopback TCP, the admin user, no password).
    fn target(&self) -> &Target;
    fn data_dir(&self) -> &Path;
    /// The server's process id.
    fn pid(&self) -> u32;
}

/// The prefix of every scratch directory, so that leftovers can be found.
pub const DIR_PREFIX: &str = "dbkeeper-scratch-";

/// The unprivileged account a server runs under when dbkeeper runs as root (PostgreSQL refuses
/// to run as root; MariaDB should not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl RunAs {
    /// `None` when not root (the server runs as the current user); else the first of `names`
    /// that exists.
    pub fn for_service(names: &[&str]) -> Option<RunAs> {
        if !nix::unistd::geteuid().is_root() {
            return None;
        }
        names.iter().find_map(|n| {
            nix::unistd::User::from_name(n)
                .ok()
                .flatten()
                .map(|u| RunAs {
                    name: u.name,
                    uid: u.uid.as_raw(),
                    gid: u.gid.as_raw(),
                })
        })
    }
}

/// A private directory for one scratch instance: `$TMPDIR/dbkeeper-scratch-<pid>-<random>`.
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub fn create(owner: Option<&RunAs>) -> io::Result<ScratchDir> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
            .tempdir()?;
        let path = dir.keep();
        if let Some(o) = owner {
            chown_tree(&path, o)?;
        }
        Ok(ScratchDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes a subdirectory owned by the run-as user.
    pub fn subdir(&self, name: &str, owner: Option<&RunAs>) -> io::Result<PathBuf> {
        let p = self.path.join(name);
        std::fs::create_dir_all(&p)?;
        if let Some(o) = owner {
            chown_tree(&p, o)?;
        }
        Ok(p)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.path) {
            if e.kind() != io::ErrorKind::NotFound {
                tracing::warn!(path = %self.path.display(), error = %e, "could not remove scratch directory");
            }
        }
    }
}

fn chown_tree(path: &Path, o: &RunAs) -> io::Result<()> {
    std::os::unix::fs::chown(path, Some(o.uid), Some(o.gid))?;
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path(), o)?;
        }
    }
    Ok(())
}

/// Removes scratch directories whose owning dbkeeper process is gone (after a SIGKILL).
pub fn sweep_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(DIR_PREFIX) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else {
            continue;
        };
        if pid as u32 != std::process::id() && !process_alive(pid as u32) {
            tracing::debug!(dir = %e.path().display(), "removing stale scratch directory");
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// True if a process with this id exists.
pub fn process_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    // A zombie still "exists" for kill(0); read its state to tell.
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{raw}/stat")) {
        if let Some(state) = stat
            .rsplit(')')
            .next()
            .and_then(|s| s.split_whitespace().next())
        {
            return state != "Z" && state != "X";
        }
    }
    kill(Pid::from_raw(raw), None).is_ok()
}

/// A port on 127.0.0.1 that was free a moment ago. Callers retry if the server then cannot bind.
pub fn free_port() -> io::Result<u16> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok(l.local_addr()?.port())
}

/// Builds a command that runs as `run_as` (when given) with a clean locale.
pub fn command(program: &Path, run_as: Option<&RunAs>) -> Command {
    use std::os::unix::process::CommandExt;
    let mut c = Command::new(program);
    if let Some(o) = run_as {
        c.uid(o.uid).gid(o.gid);
        c.env("HOME", std::env::temp_dir());
        c.env("USER", &o.name);
    }
    c.env("LC_ALL", "C.UTF-8");
    c
}

type SpawnRequest = (Command, mpsc::Sender<io::Result<Child>>);

/// The one thread that forks servers, so their parent-death signal fires only when the whole
/// process ends (it is tied to the forking thread, and tokio's blocking threads come and go).
fn spawner() -> &'static Mutex<mpsc::Sender<SpawnRequest>> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<SpawnRequest>>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        std::thread::Builder::new()
            .name("dbkeeper-scratch-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(spawn_with_pdeathsig(&mut cmd));
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start the spawner thread"));
        Mutex::new(tx)
    })
}

#[allow(unsafe_code)]
fn spawn_with_pdeathsig(cmd: &mut Command) -> io::Result<Child> {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and only makes the prctl
    // system call, which is async-signal-safe; it allocates nothing and takes no lock. It runs
    // after std has switched uid, so the setting survives the credential change.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(Signal::SIGTERM).map_err(io::Error::from)?;
            // Our own process group: a Ctrl-C at the terminal goes to dbkeeper, which then
            // stops the server in order, rather than to the server directly.
            nix::unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0)).map_err(io::Error::from)
        });
    }
    cmd.spawn()
}

/// A server process owned by dbkeeper: stopped with `stop_signal` on drop, then SIGKILL if it
/// has not exited within the grace period.
pub struct ServerProcess {
    child: Child,
    stop_signal: Signal,
    grace: Duration,
}

impl ServerProcess {
    /// Spawns `cmd` on the spawner thread with a parent-death signal.
    pub fn spawn(cmd: Command, stop_signal: Signal) -> io::Result<ServerProcess> {
        let (tx, rx) = mpsc::channel();
        spawner()
            .lock()
            .map_err(|_| io::Error::other("spawner poisoned"))?
            .send((cmd, tx))
            .map_err(|_| io::Error::other("spawner thread is gone"))?;
        let child = rx
            .recv()
            .map_err(|_| io::Error::other("spawner thread is gone"))??;
        Ok(ServerProcess {
            child,
            stop_signal,
            grace: Duration::from_secs(30),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `Some(status)` if the server already exited (it failed to start).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the server and waits for it; idempotent.
    pub fn stop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let pid = Pid::from_raw(i32::try_from(self.child.id()).unwrap_or(i32::MAX));
        let _ = kill(pid, self.stop_signal);
        let deadline = Instant::now() + self.grace;
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        tracing::warn!(
            pid = self.child.id(),
            "scratch server did not stop in time; killing it"
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits until `ready` returns true, the server exits, or `timeout` passes.
pub fn wait_until(
    server: &mut ServerProcess,
    timeout: Duration,
    mut ready: impl FnMut() -> bool,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if let Some(status) = server.exited() {
            return Err(format!("the server exited during start-up ({status})"));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the server did not accept connections within {}s",
                timeout.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// True when something accepts TCP connections on 127.0.0.1:`port`.
pub fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    )
    .is_ok()
}

/// Finds a program: first in `dirs` (globs like `/usr/lib/postgresql/*/bin` are expanded,
/// newest version first), then on `PATH`.
pub fn find_program(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    for d in dirs {
        for dir in expand_glob_dir(d) {
            let p = dir.join(name);
            if is_executable(&p) {
                return Some(p);
            }
        }
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| is_executable(p))
    })
}

fn expand_glob_dir(pattern: &str) -> Vec<PathBuf> {
    let Some((head, tail)) = pattern.split_once('*') else {
        return vec![PathBuf::from(pattern)];
    };
    let parent = Path::new(head);
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    // Newest version first: compare numerically where the names are numbers.
    names.sort_by_key(|n| std::cmp::Reverse(n.parse::<u32>().unwrap_or(0)));
    names
        .into_iter()
        .map(|n| parent.join(format!("{n}{tail}")))
        .collect()
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_removed_on_drop() {
        let d = ScratchDir::create(None).expect("create");
        let p = d.path().to_path_buf();
        assert!(p
            .file_name()
            .expect("name")
            .to_string_lossy()
            .starts_with(DIR_PREFIX));
        std::fs::write(p.join("f"), "x").expect("write");
        drop(d);
        assert!(!p.exists());
    }

    #[test]
    fn server_process_stopped_on_drop() {
        let mut cmd = Command::new("sleep");
        cmd.arg("600");
        let mut s = ServerProcess::spawn(cmd, Signal::SIGTERM).expect("spawn");
        let pid = s.pid();
        assert!(process_alive(pid));
        assert!(s.exited().is_none());
        drop(s);
        assert!(!process_alive(pid));
    }

    #[test]
    fn finds_programs() {
        assert!(find_program("sh", &["/nonexistent/*/bin"]).is_some());
        assert!(find_program("surely-not-a-program-xyz", &[]).is_none());
    }
}
