//! Backups and restores: an engine's dump streamed into one or more repositories, and back.
//!
//! The engine crates know how to dump and load a server ([`dbkeeper_core::dump`]); the repository
//! crate knows how objects are compressed, encrypted, stored and checked ([`dbkeeper_repo`]).
//! This crate joins them, and adds what a DBA relies on around the bytes:
//!
//! - [`repos`]: a repository from the config (or a URL) opened with its keys, failing closed;
//! - [`backup()`]: locks on every repository, one dump written to all of them in one pass, the
//!   manifest last, the locks released, whatever happened;
//! - [`restore()`]: every object's hash checked before anything is applied, then a logical load
//!   into a target or a physical copy into an empty data directory;
//! - [`prune()`]: retention, under the target's lock, with the reason for every verdict;
//! - [`engines`]: the one place that picks the engine implementation by the target's kind;
//! - [`progress`]: byte counters a terminal can show as a rate.

pub mod backup;
pub mod engines;
pub mod msg;
pub mod progress;
pub mod prune;
pub mod repos;
pub mod restore;

pub use backup::{backup, BackupOutcome, BackupRequest, RepoResult};
pub use progress::Progress;
pub use prune::{prune, PruneOutcome};
pub use repos::{open_for_read, open_for_write, OpenRepo};
pub use restore::{restore, Destination, RestoreOutcome, RestoreSpec, Which};

/// The name a target's backups are filed under in a repository: its config name, or — for a
/// target given as a URL — one made from the URL (`postgres-127.0.0.1-5432-hospital`), so that
/// the same URL always finds its own backups again.
pub fn repo_name(target: &dbkeeper_core::target::Target) -> String {
    if dbkeeper_repo::repository::check_target(&target.name).is_ok() {
        return target.name.clone();
    }
    let place = match &target.socket {
        Some(s) => s
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "socket".into()),
        None => format!("{}-{}", target.host, target.port),
    };
    let raw = format!(
        "{}-{}-{}",
        target.engine,
        place,
        target.database.as_deref().unwrap_or("all")
    );
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    name.truncate(128);
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn url_targets_get_a_stable_file_name() {
        let t =
            dbkeeper_core::target::Target::from_url(None, "postgres://u@db1.example:5433/his病历")
                .expect("url");
        let n = super::repo_name(&t);
        assert_eq!(n, "postgresql-db1.example-5433-his__");
        assert!(dbkeeper_repo::repository::check_target(&n).is_ok());
        let mut named = t.clone();
        named.name = "prod-pg".into();
        assert_eq!(super::repo_name(&named), "prod-pg");
    }
}
