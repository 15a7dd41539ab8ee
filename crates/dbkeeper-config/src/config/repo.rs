//! Reading `repos:`: URL, encryption (fail closed offsite) and retention.

use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::redact_url;
use dbkeeper_core::Text;

use super::{RepoEntry, Retention};
use crate::msg;
use crate::yaml::{Item, Map};

const REPO_KEYS: &[&str] = &["url", "encryption", "retention", "allow_unencrypted"];
const ENCRYPTION_KEYS: &[&str] = &["recipients", "passphrase", "identity"];
const RETENTION_KEYS: &[&str] = &[
    "keep_last",
    "keep_hourly",
    "keep_daily",
    "keep_weekly",
    "keep_monthly",
    "keep_yearly",
    "keep_within",
];

pub(super) fn repo(name: &str, item: &Item<'_>) -> Option<RepoEntry> {
    let m = item.mapping(REPO_KEYS);
    let url = m.need("url").and_then(|i| repo_url(&i));
    let allow_unencrypted: bool = m.optional("allow_unencrypted").unwrap_or(false);
    let retention = m
        .mapping("retention", RETENTION_KEYS)
        .map(|r| read_retention(&r))
        .unwrap_or_default();
    let mut recipients = Vec::new();
    let mut passphrase = None;
    let mut identity = None;
    let encryption = m.mapping("encryption", ENCRYPTION_KEYS);
    if let Some(enc) = &encryption {
        let listed = enc.get("recipients").and_then(|i| i.list());
        // What was written decides the checks below, not what was valid: a bad recipient is
        // one problem, not also "no encryption".
        let wrote_any = listed.as_ref().is_some_and(|l| !l.is_empty()) || enc.has("passphrase");
        recipients = listed
            .unwrap_or_default()
            .iter()
            .filter_map(recipient)
            .collect();
        passphrase = enc.optional::<SecretRef>("passphrase");
        identity = enc.optional::<std::path::PathBuf>("identity");
        // age encrypts to public keys or to a passphrase, not both in one file.
        if !recipients.is_empty() && passphrase.is_some() {
            enc.error(
                Text::new(msg::ENCRYPTION_BOTH).arg("key", enc.item().path()),
                Text::new(msg::ENCRYPTION_BOTH_HINT),
            );
        }
        if enc.is_valid() && !wrote_any {
            enc.error(
                Text::new(msg::ENCRYPTION_EMPTY).arg("key", enc.item().path()),
                Text::new(msg::ENCRYPTION_EMPTY_HINT),
            );
        }
    }
    let url = url?;
    // Fail closed (DESIGN §2): clear text offsite only when the file says so in words.
    if url.starts_with("s3://") && encryption.is_none() && !allow_unencrypted {
        m.error(
            Text::new(msg::REPO_UNENCRYPTED).arg("repo", name),
            Text::new(msg::REPO_UNENCRYPTED_HINT),
        );
    }
    Some(RepoEntry {
        name: name.to_string(),
        url,
        recipients,
        passphrase,
        identity,
        allow_unencrypted,
        retention,
    })
}

/// A repository URL, checked; a problem is reported at it.
fn repo_url(item: &Item<'_>) -> Option<String> {
    let raw: String = item.get()?;
    match check_repo_url(&raw) {
        Ok(()) => Some(raw),
        Err((what, hint)) => {
            item.error(what, hint);
            None
        }
    }
}

/// `file:///absolute/path` or `s3://bucket/prefix?…`, without credentials; otherwise what is
/// wrong and the hint. Shared with URLs given on the command line.
pub(super) fn check_repo_url(raw: &str) -> Result<(), (Text, Text)> {
    let shown = redact_url(raw);
    let url = url::Url::parse(raw).map_err(|e| {
        (
            Text::new(msg::URL_INVALID)
                .arg("url", &shown)
                .arg("detail", e),
            Text::new(msg::REPO_URL_HINT),
        )
    })?;
    match url.scheme() {
        "file" => {
            let host = url.host_str().unwrap_or_default();
            if !host.is_empty() && host != "localhost" {
                return Err((
                    Text::new(msg::REPO_FILE_HOST)
                        .arg("url", &shown)
                        .arg("host", host),
                    Text::new(msg::REPO_FILE_HOST_HINT)
                        .arg("fixed", format!("file:///{host}{}", url.path())),
                ));
            }
        }
        "s3" => {
            if !url.username().is_empty() || url.password().is_some() {
                return Err((
                    Text::new(msg::REPO_CREDENTIALS).arg("url", &shown),
                    Text::new(msg::REPO_CREDENTIALS_HINT),
                ));
            }
            if url.host_str().is_none_or(str::is_empty) {
                return Err((
                    Text::new(msg::REPO_S3_BUCKET).arg("url", &shown),
                    Text::new(msg::REPO_URL_HINT),
                ));
            }
        }
        _ => {
            return Err((
                Text::new(msg::REPO_SCHEME).arg("url", &shown),
                Text::new(msg::REPO_URL_HINT),
            ))
        }
    }
    Ok(())
}

/// An age public key. A private key here is worse than a typo: it is refused and never shown.
fn recipient(item: &Item<'_>) -> Option<String> {
    let s: String = item.get()?;
    if s.trim_start()
        .to_ascii_uppercase()
        .starts_with("AGE-SECRET-KEY-")
    {
        item.reader().blank(item.pos());
        item.error(
            Text::new(msg::IDENTITY).arg("key", item.path()),
            Text::new(msg::IDENTITY_HINT),
        );
        return None;
    }
    let well_formed = s.len() > 4
        && s.starts_with("age1")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !well_formed {
        item.error(
            Text::new(msg::RECIPIENT).arg("got", item.shown()),
            Text::new(msg::RECIPIENT_HINT),
        );
        return None;
    }
    Some(s)
}

fn read_retention(m: &Map<'_>) -> Retention {
    Retention {
        keep_last: m.optional("keep_last"),
        keep_hourly: m.optional("keep_hourly"),
        keep_daily: m.optional("keep_daily"),
        keep_weekly: m.optional("keep_weekly"),
        keep_monthly: m.optional("keep_monthly"),
        keep_yearly: m.optional("keep_yearly"),
        keep_within: m.optional("keep_within"),
    }
}
