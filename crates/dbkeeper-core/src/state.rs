//! The state directory: the ledger and the audit log, side by side.

use std::path::{Path, PathBuf};

use crate::audit::{AuditEntry, AuditLog, NewEntry};
use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Text;
use crate::ledger::Ledger;
use crate::msg;

pub struct State {
    dir: PathBuf,
    pub ledger: Ledger,
    pub audit: AuditLog,
}

impl State {
    /// `--state-dir`, else `DBKEEPER_STATE_DIR` (the caller passes it), else
    /// `$XDG_STATE_HOME/dbkeeper`, else `~/.local/state/dbkeeper`.
    pub fn default_dir() -> PathBuf {
        if let Some(x) = std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
            return PathBuf::from(x).join("dbkeeper");
        }
        let home =
            std::env::var_os("HOME").map_or_else(|| PathBuf::from("/var/lib"), PathBuf::from);
        home.join(".local/state/dbkeeper")
    }

    /// Opens (creating, mode 0700) the state directory.
    pub fn open(dir: &Path) -> Result<State> {
        use std::os::unix::fs::DirBuilderExt;
        let err = |e: std::io::Error| {
            Error::new(
                ErrorKind::CantCreate,
                Text::new(msg::STATE_DIR).arg("path", dir.display()),
            )
            .hint(Text::new(msg::STATE_DIR_HINT))
            .detail(e)
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(err)?;
        let ledger = Ledger::open(&dir.join("ledger.sqlite"))?;
        Ok(State {
            dir: dir.to_path_buf(),
            ledger,
            audit: AuditLog::new(dir.join("audit.jsonl")),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn audit(&self, entry: NewEntry) -> Result<AuditEntry> {
        self.audit.append(&self.ledger, entry)
    }

    pub fn verify_audit(&self) -> Result<usize> {
        self.audit.verify(self.ledger.audit_head()?)
    }
}
