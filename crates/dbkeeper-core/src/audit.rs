//! The audit log: one JSON line per action that touches a target, each carrying the SHA-256 of
//! the line before it, so that a changed, removed, reordered or inserted line shows.
//!
//! The hash of the newest line (and its sequence number) is also kept in the ledger, which
//! catches an edit to the last line and lines cut from the end. Appends hold an exclusive lock
//! on the file, so concurrent dbkeeper runs interleave whole lines and keep the chain.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::i18n::Text;
use crate::ledger::Ledger;
use crate::msg;

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub ts: String,
    pub user: String,
    pub host: String,
    /// What was done: `targets.check`, `backup`, `restore`, `prune`, `apply` …
    pub action: String,
    pub target: Option<String>,
    /// `ok` or `failed`.
    pub outcome: String,
    pub exit_code: u8,
    pub run_id: Option<i64>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
    /// SHA-256 (hex) of the previous line's bytes, without its newline.
    pub prev: String,
}

/// What a new entry says; the log fills in sequence, time, who and the chain.
#[derive(Clone, Debug, Default)]
pub struct NewEntry {
    pub action: String,
    pub target: Option<String>,
    pub exit_code: u8,
    pub run_id: Option<i64>,
    pub details: serde_json::Value,
}

pub struct AuditLog {
    path: PathBuf,
}

pub fn line_hash(line: &str) -> String {
    hex::encode(Sha256::digest(line.as_bytes()))
}

impl AuditLog {
    pub fn new(path: impl Into<PathBuf>) -> AuditLog {
        AuditLog { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and moves the ledger's anchor to it.
    pub fn append(&self, ledger: &Ledger, e: NewEntry) -> Result<AuditEntry> {
        let werr = |err: std::io::Error| {
            Error::new(
                ErrorKind::CantCreate,
                Text::new(msg::AUDIT_WRITE).arg("path", self.path.display()),
            )
            .detail(err)
        };
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(werr)?;
        let mut file = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
            .map_err(|(_, errno)| werr(errno.into()))?;
        let (seq, prev) = match last_line(&mut file).map_err(werr)? {
            Some(line) => {
                let last: AuditEntry = serde_json::from_str(&line).map_err(|_| {
                    Error::new(
                        ErrorKind::Data,
                        Text::new(msg::AUDIT_BAD_LINE).arg("line", "last"),
                    )
                    .at(self.path.display().to_string())
                })?;
                (last.seq + 1, line_hash(&line))
            }
            None => (1, GENESIS.to_string()),
        };
        let entry = AuditEntry {
            seq,
            ts: crate::now_rfc3339(),
            user: crate::target::os_user(),
            host: crate::host::hostname(),
            action: e.action,
            target: e.target,
            outcome: if e.exit_code == 0 { "ok" } else { "failed" }.into(),
            exit_code: e.exit_code,
            run_id: e.run_id,
            details: e.details,
            prev,
        };
        let line = serde_json::to_string(&entry).map_err(|err| werr(err.into()))?;
        file.write_all(format!("{line}\n").as_bytes())
            .map_err(werr)?;
        file.sync_data().map_err(werr)?;
        ledger.set_audit_head(seq, &line_hash(&line))?;
        Ok(entry)
    }

    /// Every entry, oldest first; a line that does not parse is an error naming it.
    pub fn read_all(&self) -> Result<Vec<AuditEntry>> {
        self.lines()?
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                serde_json::from_str(&line).map_err(|_| {
                    Error::new(
                        ErrorKind::Data,
                        Text::new(msg::AUDIT_BAD_LINE).arg("line", i + 1),
                    )
                    .at(format!("{}:{}", self.path.display(), i + 1))
                })
            })
            .collect()
    }

    fn lines(&self) -> Result<Vec<String>> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::CantCreate,
                    Text::new(msg::AUDIT_READ).arg("path", self.path.display()),
                )
                .detail(e))
            }
        };
        BufReader::new(file)
            .lines()
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Data,
                    Text::new(msg::AUDIT_READ).arg("path", self.path.display()),
                )
                .detail(e)
            })
    }

    /// Checks the chain; `anchor` is the ledger's (seq, hash) of the newest line, if known.
    /// Returns the number of entries, or an error naming the first line that was tampered with.
    pub fn verify(&self, anchor: Option<(u64, String)>) -> Result<usize> {
        let lines = self.lines()?;
        let at = |n: usize| format!("{}:{}", self.path.display(), n);
        let tamper = |what: Text, line: usize| {
            Error::many(
                ErrorKind::Data,
                vec![Diagnostic::new(what)
                    .at(at(line))
                    .hint(Text::new(msg::AUDIT_TAMPER_HINT))],
            )
            .unwrap_or_else(|| Error::new(ErrorKind::Data, Text::verbatim("audit")))
        };
        let mut entries = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let e: AuditEntry = serde_json::from_str(line)
                .map_err(|_| tamper(Text::new(msg::AUDIT_BAD_LINE).arg("line", i + 1), i + 1))?;
            entries.push(e);
        }
        for (i, e) in entries.iter().enumerate() {
            let n = i + 1; // line number, and the sequence number this line should hold
            let want = n as u64;
            if e.seq != want {
                let later_has_it = entries[i + 1..].iter().any(|x| x.seq == want);
                let earlier_has_it = entries[..i].iter().any(|x| x.seq == e.seq);
                let what = if earlier_has_it {
                    Text::new(msg::AUDIT_INSERTED)
                        .arg("line", n)
                        .arg("seq", e.seq)
                } else if later_has_it || e.seq < want {
                    Text::new(msg::AUDIT_REORDERED)
                        .arg("line", n)
                        .arg("seq", e.seq)
                } else {
                    Text::new(msg::AUDIT_REMOVED)
                        .arg("line", n)
                        .arg("from", want)
                        .arg("to", e.seq - 1)
                };
                return Err(tamper(what, n));
            }
            let expected_prev = if i == 0 {
                GENESIS.to_string()
            } else {
                line_hash(&lines[i - 1])
            };
            if e.prev != expected_prev {
                // The chain breaks here, so the line before this one is not what was written
                // (or, on the first line, the line itself).
                let changed = n.saturating_sub(1).max(1);
                return Err(tamper(
                    Text::new(msg::AUDIT_CHANGED).arg("line", changed),
                    changed,
                ));
            }
        }
        if let Some((seq, hash)) = anchor {
            let have = entries.len() as u64;
            if have < seq {
                return Err(tamper(
                    Text::new(msg::AUDIT_TRUNCATED)
                        .arg("have", have)
                        .arg("want", seq),
                    entries.len(),
                ));
            }
            if let Some(last) = lines.get((seq as usize).saturating_sub(1)) {
                if seq > 0 && line_hash(last) != hash {
                    return Err(tamper(
                        Text::new(msg::AUDIT_LAST_CHANGED).arg("line", seq),
                        seq as usize,
                    ));
                }
            }
        }
        Ok(entries.len())
    }
}

/// Reads the last non-empty line without reading the whole file.
fn last_line(file: &mut File) -> std::io::Result<Option<String>> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    let mut chunk = 64 * 1024u64;
    loop {
        let start = len.saturating_sub(chunk);
        file.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::with_capacity((len - start) as usize);
        Read::by_ref(file).take(len - start).read_to_end(&mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        let trimmed = text.trim_end_matches('\n');
        if let Some(pos) = trimmed.rfind('\n') {
            return Ok(Some(trimmed[pos + 1..].to_string()));
        }
        if start == 0 {
            return Ok((!trimmed.is_empty()).then(|| trimmed.to_string()));
        }
        chunk *= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(n: usize) -> (tempfile::TempDir, AuditLog, Ledger) {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open(&dir.path().join("ledger.sqlite")).expect("ledger");
        let log = AuditLog::new(dir.path().join("audit.jsonl"));
        for i in 0..n {
            log.append(
                &ledger,
                NewEntry {
                    action: "backup".into(),
                    target: Some(format!("db{i}")),
                    exit_code: 0,
                    run_id: Some(i as i64 + 100),
                    details: serde_json::Value::Null,
                },
            )
            .expect("append");
        }
        (dir, log, ledger)
    }

    fn rewrite(log: &AuditLog, f: impl FnOnce(&mut Vec<String>)) {
        let text = std::fs::read_to_string(log.path()).expect("read");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        f(&mut lines);
        std::fs::write(log.path(), lines.join("\n") + "\n").expect("write");
    }

    fn verdict(log: &AuditLog, ledger: &Ledger) -> (String, String) {
        let e = log
            .verify(ledger.audit_head().expect("head"))
            .expect_err("tampered");
        (
            e.main.what.id().to_string(),
            e.main.at.clone().unwrap_or_default(),
        )
    }

    #[test]
    fn intact_chain_verifies() {
        let (_d, log, ledger) = setup(5);
        assert_eq!(
            log.verify(ledger.audit_head().expect("head")).expect("ok"),
            5
        );
        let all = log.read_all().expect("read");
        assert_eq!(all[0].prev, GENESIS);
        assert_eq!(all[4].seq, 5);
    }

    #[test]
    fn changed_digit_names_the_line() {
        let (_d, log, ledger) = setup(5);
        rewrite(&log, |l| {
            l[2] = l[2].replace("\"run_id\":102", "\"run_id\":103")
        });
        let (id, at) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_changed");
        assert!(at.ends_with(":3"), "{at}");
    }

    #[test]
    fn changed_last_line_caught_by_anchor() {
        let (_d, log, ledger) = setup(3);
        rewrite(&log, |l| l[2] = l[2].replace("db2", "db9"));
        let (id, at) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_last_changed");
        assert!(at.ends_with(":3"), "{at}");
    }

    #[test]
    fn removed_line() {
        let (_d, log, ledger) = setup(5);
        rewrite(&log, |l| {
            l.remove(1);
        });
        let (id, at) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_removed");
        assert!(at.ends_with(":2"), "{at}");
    }

    #[test]
    fn reordered_lines() {
        let (_d, log, ledger) = setup(5);
        rewrite(&log, |l| l.swap(1, 2));
        let (id, at) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_reordered");
        assert!(at.ends_with(":2"), "{at}");
    }

    #[test]
    fn inserted_line() {
        let (_d, log, ledger) = setup(4);
        rewrite(&log, |l| {
            let copy = l[1].clone();
            l.insert(2, copy);
        });
        let (id, at) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_inserted");
        assert!(at.ends_with(":3"), "{at}");
    }

    #[test]
    fn truncated_tail() {
        let (_d, log, ledger) = setup(4);
        rewrite(&log, |l| {
            l.pop();
        });
        let (id, _) = verdict(&log, &ledger);
        assert_eq!(id, "core.audit_truncated");
    }
}
