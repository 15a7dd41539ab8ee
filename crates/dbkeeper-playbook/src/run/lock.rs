//! Never two runs of one playbook at once: an exclusive `flock(2)` on a file under the state
//! directory, held for the whole run. The kernel drops it when the process ends, however it ends
//! (kill -9 included), so there are no stale locks to clean up.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use dbkeeper_core::{Error, ErrorKind, Result, Text};
use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use crate::msg;

/// A held lock; dropping it releases it.
pub struct RunLock {
    _file: Flock<File>,
    path: PathBuf,
}

impl std::fmt::Debug for RunLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunLock").field("path", &self.path).finish()
    }
}

impl RunLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes the lock of job `name` in `dir` (created if needed), or fails at once with exit 75
/// (temporary failure) naming the process that holds it.
pub fn acquire(dir: &Path, name: &str) -> Result<RunLock> {
    use std::os::unix::fs::DirBuilderExt;
    let path = dir.join(format!("{name}.lock"));
    let io_err = |e: std::io::Error| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::LOCK_FILE).arg("path", path.display()),
        )
        .hint(Text::new(msg::LOCK_FILE_HINT))
        .detail(e)
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io_err)?;
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(mut lock) => {
            // The holder's pid, for the message a second run shows.
            let _ = lock.set_len(0);
            let _ = lock.rewind();
            let _ = write!(lock, "{}", std::process::id());
            let _ = lock.flush();
            Ok(RunLock { _file: lock, path })
        }
        Err((mut file, Errno::EWOULDBLOCK)) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            let pid = pid.trim();
            Err(Error::new(
                ErrorKind::TempFail,
                Text::new(msg::LOCK_HELD)
                    .arg("name", name)
                    .arg("pid", if pid.is_empty() { "?" } else { pid }),
            )
            .at(path.display().to_string())
            .hint(Text::new(msg::LOCK_HELD_HINT)))
        }
        Err((_, errno)) => Err(io_err(errno.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = acquire(dir.path(), "nightly").expect("first");
        let e = acquire(dir.path(), "nightly").expect_err("held");
        assert_eq!(e.exit_code(), 75);
        assert!(e
            .render(dbkeeper_core::Lang::En)
            .contains(&std::process::id().to_string()));
        acquire(dir.path(), "other").expect("another job is independent");
        drop(first);
        acquire(dir.path(), "nightly").expect("free again");
    }
}
