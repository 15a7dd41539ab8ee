//! Scratch servers on an existing data directory: the one a physical restore extracted and
//! prepared. The instance takes the directory over — it is moved into the scratch directory,
//! owned by the server's OS user, and removed with the instance — and starts the server with
//! the InnoDB settings the backup was made with (`backup-my.cnf`).
//!
//! The restored directory keeps the source's accounts, whose passwords dbkeeper does not know;
//! the server therefore runs an init file at start-up that creates an administrator of our own,
//! `dbkeeper_scratch`@`127.0.0.1`, with the options' password or a random one kept in a 0600
//! file. The init file is removed as soon as the server is up.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dbkeeper_core::scratch::{sweep_stale, RunAs, ScratchDir};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use super::{
    check_settings, dir_error, scratch_target, start_server, write_private, Layout, Programs,
    ScratchMysql, ScratchOptions,
};
use crate::{msg, quote_string};

/// The administrator a restored data directory gets.
pub const SCRATCH_ADMIN: &str = "dbkeeper_scratch";

/// InnoDB settings that must match the files of the data directory; mariabackup writes them
/// into `backup-my.cnf`.
const FROM_BACKUP: &[&str] = &[
    "innodb_page_size",
    "innodb_data_file_path",
    "innodb_undo_tablespaces",
];

/// A directory removed when dropped.
pub(super) struct OwnedDir(PathBuf);

impl Drop for OwnedDir {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %self.0.display(), error = %e, "could not remove a restored data directory");
            }
        }
    }
}

impl ScratchMysql {
    /// Starts a scratch server on `data_dir`, a data directory prepared by
    /// [`crate::restore_physical`]; blocks until it accepts connections.
    ///
    /// The instance takes the directory over: it is moved into the scratch directory (or, on
    /// another file system, used where it is), given to the server's OS user, and removed when
    /// the instance is dropped, like any scratch instance. The target logs in as
    /// [`SCRATCH_ADMIN`] over loopback TCP with `opts.password`, or a random password when none
    /// is given; [`ScratchMysql::socket_target`] works only if the restored `root` account
    /// allows socket logins.
    pub fn start_from(data_dir: PathBuf, opts: ScratchOptions) -> Result<ScratchMysql> {
        sweep_stale();
        let started = Instant::now();
        check_settings(&opts.settings)?;
        check_data_dir(&data_dir)?;
        let programs = Programs::find()?;
        let run_as = RunAs::for_service(&["mysql"]);
        let dir =
            ScratchDir::create(run_as.as_ref()).map_err(|e| dir_error(&std::env::temp_dir(), e))?;

        let (data, moved_data) = take_over(&data_dir, &dir.path().join("data"))?;
        if let Some(o) = &run_as {
            chown_tree(&data, o).map_err(|e| dir_error(&data, e))?;
        }
        let mut settings = backup_settings(&data);
        settings.retain(|(k, _)| !opts.settings.iter().any(|(n, _)| n == k));
        settings.extend(opts.settings.iter().cloned());
        check_settings(&settings)?;

        let tls = match &opts.tls {
            Some((cert, key)) => Some(super::copy_tls(&dir, run_as.as_ref(), cert, key)?),
            None => None,
        };
        let password = match &opts.password {
            Some(p) => p.clone(),
            None => random_password().map_err(|e| dir_error(dir.path(), e))?,
        };
        let init_file = dir.path().join("init-admin.sql");
        write_private(&init_file, admin_sql(&password).as_bytes(), run_as.as_ref())?;
        let password_file = dir.path().join("admin.password");
        write_private(&password_file, password.as_bytes(), None)?;

        let layout = Layout {
            data_dir: &data,
            tmp_dir: super::tmp_dir(&dir, run_as.as_ref())?,
            socket: dir.path().join("mysqld.sock"),
            pid_file: dir.path().join("mysqld.pid"),
            error_log: dir.path().join("mysqld.err"),
            tls: tls.as_ref(),
            settings: &settings,
            init_file: Some(init_file.clone()),
        };
        let started_server = start_server(&programs, &layout, run_as.as_ref());
        // The init file holds the password; the server has read it (or failed) by now.
        let _ = std::fs::remove_file(&init_file);
        let (server, port) = started_server?;
        tracing::debug!(
            port,
            pid = server.pid(),
            seconds = started.elapsed().as_secs_f64(),
            "scratch MariaDB/MySQL is up on a restored data directory"
        );
        Ok(ScratchMysql {
            server,
            moved_data,
            target: scratch_target(port, SCRATCH_ADMIN, Some(SecretRef::File(password_file))),
            port,
            socket: layout.socket,
            error_log: layout.error_log,
            data_dir: data,
            dir,
        })
    }
}

/// A prepared data directory has the `mysql` schema and InnoDB's system tablespace.
fn check_data_dir(dir: &Path) -> Result<()> {
    if dir.join("mysql").is_dir() && dir.join("ibdata1").is_file() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Config,
        Text::new(msg::SCRATCH_FROM_DIR).arg("path", dir.display()),
    )
    .hint(Text::new(msg::SCRATCH_FROM_DIR_HINT)))
}

/// Moves `from` to `to`; on another file system (where a rename cannot move it) the directory
/// stays where it is and is owned by the instance from there.
fn take_over(from: &Path, to: &Path) -> Result<(PathBuf, Option<OwnedDir>)> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok((to.to_path_buf(), None)),
        // EXDEV: a different file system.
        Err(e) if e.raw_os_error() == Some(18) => {
            Ok((from.to_path_buf(), Some(OwnedDir(from.to_path_buf()))))
        }
        Err(e) => Err(dir_error(from, e)),
    }
}

/// Gives the tree to the server's OS user (the restore ran as root); symbolic links are
/// changed themselves, never followed.
fn chown_tree(path: &Path, o: &RunAs) -> std::io::Result<()> {
    std::os::unix::fs::lchown(path, Some(o.uid), Some(o.gid))?;
    if std::fs::symlink_metadata(path)?.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path(), o)?;
        }
    }
    Ok(())
}

/// The settings of `backup-my.cnf` that must match the files.
fn backup_settings(data: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(data.join("backup-my.cnf")) else {
        return Vec::new();
    };
    parse_backup_cnf(&text)
}

fn parse_backup_cnf(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once('=')?;
            let (k, v) = (k.trim(), v.trim());
            (FROM_BACKUP.contains(&k) && !v.is_empty()).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// 32 hex digits from the kernel's random source.
fn random_password() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The administrator of a restored data directory, created or reset at start-up.
fn admin_sql(password: &str) -> String {
    let user = format!("{}@'127.0.0.1'", quote_string(SCRATCH_ADMIN));
    let p = quote_string(password);
    format!(
        "CREATE USER IF NOT EXISTS {user};\n\
         ALTER USER {user} IDENTIFIED BY {p} ACCOUNT UNLOCK;\n\
         GRANT ALL PRIVILEGES ON *.* TO {user} WITH GRANT OPTION;\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_settings_that_must_match() {
        let cnf = "# generated\n[mysqld]\ninnodb_checksum_algorithm=crc32\n\
                   innodb_data_file_path=ibdata1:12M:autoextend\ninnodb_page_size=16384\n\
                   innodb_undo_tablespaces=0\n";
        assert_eq!(
            parse_backup_cnf(cnf),
            vec![
                (
                    "innodb_data_file_path".to_string(),
                    "ibdata1:12M:autoextend".to_string()
                ),
                ("innodb_page_size".to_string(), "16384".to_string()),
                ("innodb_undo_tablespaces".to_string(), "0".to_string()),
            ]
        );
    }

    #[test]
    fn admin_sql_quotes_the_password() {
        let sql = admin_sql("it's");
        assert!(sql.contains("IDENTIFIED BY 'it''s'"), "{sql}");
        assert!(sql.contains("'dbkeeper_scratch'@'127.0.0.1'"), "{sql}");
    }

    #[test]
    fn random_passwords_differ() {
        let a = random_password().expect("random");
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_password().expect("random"));
    }

    #[test]
    fn refuses_a_directory_that_is_not_a_data_directory() {
        let d = tempfile::tempdir().expect("tempdir");
        let e = check_data_dir(d.path()).expect_err("empty dir");
        assert_eq!(e.kind, ErrorKind::Config);
    }
}
