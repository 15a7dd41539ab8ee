//! Repositories as the config (or a URL on the command line) names them, opened with their keys.
//!
//! Keys decide everything about safety here, so the rules are few and strict: recipients or a
//! passphrase encrypt; neither means clear text, which the repository itself refuses when it is
//! encrypted or offsite (see [`dbkeeper_repo::Repository::encryption_for`]).

use std::path::Path;

use dbkeeper_config::RepoEntry;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use dbkeeper_repo::{
    open_store, Decryption, Recipient, RepoKeys, RepoLocation, Repository, S3Options,
};

use crate::msg;

/// A repository opened for writing, with the keys its backups are written with.
#[derive(Clone, Debug)]
pub struct OpenRepo {
    pub entry: RepoEntry,
    pub repo: Repository,
    pub keys: RepoKeys,
}

/// The keys backups to `entry` are written with: its recipients plus `extra` ones (from the
/// command line or a playbook), or its passphrase, or none.
pub fn keys_for(entry: &RepoEntry, extra: &[String]) -> Result<RepoKeys> {
    let mut recipients = Vec::new();
    for r in entry.recipients.iter().chain(extra) {
        recipients.push(Recipient::parse(r)?);
    }
    match (&entry.passphrase, recipients.is_empty()) {
        (Some(_), false) => Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::RECIPIENTS_AND_PASSPHRASE).arg("repo", &entry.name),
        )
        .hint(Text::new(msg::RECIPIENTS_AND_PASSPHRASE_HINT))),
        (Some(p), true) => Ok(RepoKeys::passphrase(p.resolve()?)),
        (None, false) => Ok(RepoKeys {
            allow_unencrypted: entry.allow_unencrypted,
            ..RepoKeys::recipients(recipients)
        }),
        (None, true) => Ok(RepoKeys::unencrypted(entry.allow_unencrypted)),
    }
}

/// Opens `entry` for a backup, creating the repository when its location is empty.
pub async fn open_for_write(
    entry: &RepoEntry,
    extra: &[String],
    s3: &S3Options,
) -> Result<OpenRepo> {
    let keys = keys_for(entry, extra)?;
    let location = RepoLocation::parse(&entry.url)?;
    let store = open_store(&location, s3).await?;
    let repo = Repository::open_or_init(store, &entry.name, &keys).await?;
    // Fail closed before any dump starts, not at the first object.
    repo.encryption_for(&keys)?;
    Ok(OpenRepo {
        entry: entry.clone(),
        repo,
        keys,
    })
}

/// Opens an existing repository for reading (list, check, restore, prune).
pub async fn open_for_read(entry: &RepoEntry, s3: &S3Options) -> Result<Repository> {
    let location = RepoLocation::parse(&entry.url)?;
    let store = open_store(&location, s3).await?;
    Repository::open(store, &entry.name).await
}

/// What decrypts backups of `entry`: the identity file given on the command line, else the one
/// the config names, else the repository's passphrase; nothing for a clear-text repository.
pub fn decryption(
    entry: &RepoEntry,
    repo: &Repository,
    identity: Option<&Path>,
) -> Result<Decryption> {
    if let Some(path) = identity.or(entry.identity.as_deref()) {
        return Decryption::from_identity_file(path);
    }
    if let Some(p) = &entry.passphrase {
        return Ok(Decryption::Passphrase(p.resolve()?));
    }
    if repo.format().encryption.is_encrypted() {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(msg::NO_IDENTITY)
                .arg("repo", &entry.name)
                .arg("recipients", repo.format().encryption.describe()),
        )
        .hint(Text::new(msg::NO_IDENTITY_HINT)));
    }
    Ok(Decryption::None)
}
