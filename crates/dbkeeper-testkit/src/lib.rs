//! dev-only helpers for end-to-end tests: the `dbkeeper` binary in an isolated environment
//! (its own state directory, home and working directory, so no real config or ledger is touched),
//! and scratch servers of both engines.
//!
//! Test code may panic on setup failures: a test that cannot set up must fail loudly.
#![allow(clippy::unwrap_used)]

pub mod s3;

use std::path::{Path, PathBuf};

pub use dbkeeper_core::scratch::ScratchInstance;
pub use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions as MysqlOptions};
pub use dbkeeper_postgres::scratch::{ScratchOptions as PgOptions, ScratchPostgres};

/// The binary under test, run with a private state dir, HOME and working directory.
pub struct Cli {
    bin: PathBuf,
    root: tempfile::TempDir,
}

impl Cli {
    /// `bin` is `env!("CARGO_BIN_EXE_dbkeeper")` in the binary crate's tests.
    pub fn new(bin: &str) -> Cli {
        let root = tempfile::tempdir().expect("temp dir for the CLI test");
        for d in ["state", "home", "work"] {
            std::fs::create_dir_all(root.path().join(d)).expect("mkdir");
        }
        Cli {
            bin: PathBuf::from(bin),
            root,
        }
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.path().join("state")
    }

    pub fn work_dir(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// A command with a clean environment: English, no config, no password variables.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::new(&self.bin);
        c.current_dir(self.work_dir())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.path().join("home"))
            .env("DBKEEPER_STATE_DIR", self.state_dir())
            .env("LANG", "C.UTF-8")
            .env("TMPDIR", std::env::temp_dir());
        c
    }

    /// Writes a file into the working directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.work_dir().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write test file");
        p
    }

    pub fn audit_path(&self) -> PathBuf {
        self.state_dir().join("audit.jsonl")
    }
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().expect("run dbkeeper");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scratch PostgreSQL with default options.
pub fn postgres() -> ScratchPostgres {
    ScratchPostgres::start(PgOptions::default()).expect("start scratch PostgreSQL")
}

/// A scratch MariaDB with default options.
pub fn mariadb() -> ScratchMysql {
    ScratchMysql::start(MysqlOptions::default()).expect("start scratch MariaDB")
}

/// `postgres://user@127.0.0.1:port/db` for a scratch instance.
pub fn url_of(s: &dyn ScratchInstance, database: Option<&str>) -> String {
    let t = s.target();
    let db = database.or(t.database.as_deref()).unwrap_or("");
    format!("{}://{}@{}/{}", t.engine.scheme(), t.user, t.address(), db)
}

/// True when nothing is left of a scratch instance: no process, no directory.
pub fn gone(pid: u32, dir: &Path) -> bool {
    !dbkeeper_core::scratch::process_alive(pid) && !dir.exists()
}
