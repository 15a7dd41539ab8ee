//! Keys: age X25519 recipients (public keys, all a database host needs to write backups), the
//! identities that read them, and passphrases.
//!
//! Repositories and manifests name recipients only by fingerprint, the SHA-256 of the recipient
//! string (`age1…`), so that a copied repository tells which key opens it without holding any.
//! A passphrase gets no fingerprint: a hash of a passphrase would help whoever guesses it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use dbkeeper_core::secret::Secret;
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};

use crate::msg;

/// An age public key, parsed.
#[derive(Clone)]
pub struct Recipient {
    inner: age::x25519::Recipient,
    text: String,
}

impl Recipient {
    /// Parses `age1…`.
    pub fn parse(s: &str) -> Result<Recipient> {
        let s = s.trim();
        let inner = age::x25519::Recipient::from_str(s).map_err(|_| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::RECIPIENT_INVALID).arg("recipient", short(s)),
            )
            .hint(Text::new(msg::RECIPIENT_INVALID_HINT))
        })?;
        Ok(Recipient {
            text: inner.to_string(),
            inner,
        })
    }

    /// Every recipient in a file: one per line, `#` comments and blank lines ignored (the format
    /// of `age -R`).
    pub fn from_file(path: &Path) -> Result<Vec<Recipient>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::RECIPIENT_FILE_READ).arg("path", path.display()),
            )
            .detail(e)
        })?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            out.push(
                Recipient::parse(line)
                    .map_err(|e| e.at(format!("{}:{}", path.display(), i + 1)))?,
            );
        }
        if out.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::RECIPIENT_FILE_EMPTY).arg("path", path.display()),
            )
            .hint(Text::new(msg::RECIPIENT_INVALID_HINT)));
        }
        Ok(out)
    }

    /// `sha256:` and the hex SHA-256 of the recipient string.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.text)
    }

    pub(crate) fn age(&self) -> &age::x25519::Recipient {
        &self.inner
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.text)
    }
}

/// The fingerprint of a recipient string.
pub fn fingerprint(recipient: &str) -> String {
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(recipient.trim().as_bytes()))
    )
}

/// A fingerprint cut to a readable length for messages (16 hex digits are plenty to tell keys apart).
pub fn short_fingerprint(fp: &str) -> String {
    let hex = fp.strip_prefix("sha256:").unwrap_or(fp);
    format!("sha256:{}", &hex[..hex.len().min(16)])
}

fn short(s: &str) -> String {
    // Never echo a whole line that might be a secret key pasted in the wrong place.
    if s.starts_with("AGE-SECRET-KEY-") {
        "AGE-SECRET-KEY-…".to_string()
    } else if s.chars().count() > 24 {
        format!("{}…", s.chars().take(24).collect::<String>())
    } else {
        s.to_string()
    }
}

/// How a repository's objects are encrypted when written.
#[derive(Clone, Debug)]
pub enum Encryption {
    /// To these public keys; any one of their identities decrypts.
    Recipients(Vec<Recipient>),
    /// With a passphrase (age's scrypt recipient). Costs about a second of CPU per object.
    Passphrase(Secret),
    /// Clear text (zstd only). Refused on S3 unless the caller allows it in words.
    None,
}

impl Encryption {
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, Encryption::None)
    }

    /// What the repository format file and manifests record: fingerprints, never keys.
    pub fn params(&self) -> EncryptionParams {
        match self {
            Encryption::Recipients(rs) => {
                let mut fps: Vec<String> = rs.iter().map(Recipient::fingerprint).collect();
                fps.sort();
                fps.dedup();
                EncryptionParams::Age {
                    recipients: fps,
                    passphrase: false,
                }
            }
            Encryption::Passphrase(_) => EncryptionParams::Age {
                recipients: Vec::new(),
                passphrase: true,
            },
            Encryption::None => EncryptionParams::None,
        }
    }

    /// An age encryptor for one object (each object gets its own random file key).
    pub(crate) fn encryptor(&self) -> Result<Option<age::Encryptor>> {
        match self {
            Encryption::None => Ok(None),
            Encryption::Passphrase(p) => Ok(Some(age::Encryptor::with_user_passphrase(
                SecretString::from(p.expose().to_string()),
            ))),
            Encryption::Recipients(rs) => {
                let e = age::Encryptor::with_recipients(
                    rs.iter().map(|r| r.age() as &dyn age::Recipient),
                )
                .map_err(|e| {
                    Error::new(ErrorKind::Config, Text::new(msg::ENCRYPT_SETUP)).detail(e)
                })?;
                Ok(Some(e))
            }
        }
    }
}

/// Encryption as recorded in the repository's format file and in manifests.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EncryptionParams {
    /// age; `recipients` are fingerprints ([`fingerprint`]).
    Age {
        recipients: Vec<String>,
        #[serde(default)]
        passphrase: bool,
    },
    None,
}

impl EncryptionParams {
    pub fn is_encrypted(&self) -> bool {
        matches!(self, EncryptionParams::Age { .. })
    }

    /// For messages: the short fingerprints, or "a passphrase".
    pub fn describe(&self) -> String {
        match self {
            EncryptionParams::Age {
                recipients,
                passphrase,
            } => {
                let mut parts: Vec<String> =
                    recipients.iter().map(|f| short_fingerprint(f)).collect();
                if *passphrase {
                    parts.push("passphrase".to_string());
                }
                parts.join(", ")
            }
            EncryptionParams::None => "none".to_string(),
        }
    }
}

/// What decrypts: the identities of a key file, or a passphrase.
#[derive(Clone)]
pub enum Decryption {
    Identities {
        /// Where they came from, for messages.
        file: PathBuf,
        identities: Vec<age::x25519::Identity>,
    },
    Passphrase(Secret),
    /// For unencrypted repositories.
    None,
}

impl fmt::Debug for Decryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decryption::Identities { file, identities } => write!(
                f,
                "Identities({}, {} keys)",
                file.display(),
                identities.len()
            ),
            Decryption::Passphrase(_) => f.write_str("Passphrase(***)"),
            Decryption::None => f.write_str("None"),
        }
    }
}

impl Decryption {
    /// Reads an age identity file (`AGE-SECRET-KEY-1…` lines, `#` comments), as written by
    /// `age-keygen` or `dbkeeper keygen`. The file must be readable by its owner only.
    pub fn from_identity_file(path: &Path) -> Result<Decryption> {
        use std::os::unix::fs::PermissionsExt;
        let shown = path.display().to_string();
        let read_err = |e: std::io::Error| {
            Error::new(
                ErrorKind::Config,
                Text::new(msg::IDENTITY_READ).arg("path", &shown),
            )
            .detail(e)
            .hint(Text::new(msg::IDENTITY_READ_HINT))
        };
        let meta = std::fs::metadata(path).map_err(read_err)?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::IDENTITY_MODE)
                    .arg("path", &shown)
                    .arg("mode", format!("{mode:04o}")),
            )
            .hint(Text::new(msg::IDENTITY_MODE_HINT).arg("path", &shown)));
        }
        let text = std::fs::read_to_string(path).map_err(read_err)?;
        Decryption::from_identity_text(&text, path)
    }

    /// Identities from the text of an identity file (`AGE-SECRET-KEY-1…` lines, `#` comments),
    /// as a secret reference delivers it; `source` names where it came from in messages.
    pub fn from_identity_text(text: &str, source: &Path) -> Result<Decryption> {
        let path = source;
        let shown = path.display().to_string();
        let mut identities = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let id = age::x25519::Identity::from_str(line).map_err(|_| {
                // The line is a secret (or garbage): name its place, never its text.
                Error::new(
                    ErrorKind::Config,
                    Text::new(msg::IDENTITY_INVALID).arg("path", &shown),
                )
                .at(format!("{shown}:{}", i + 1))
                .hint(Text::new(msg::IDENTITY_READ_HINT))
            })?;
            identities.push(id);
        }
        if identities.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                Text::new(msg::IDENTITY_EMPTY).arg("path", &shown),
            )
            .hint(Text::new(msg::IDENTITY_READ_HINT)));
        }
        Ok(Decryption::Identities {
            file: path.to_path_buf(),
            identities,
        })
    }

    /// Fingerprints of the recipients these identities decrypt for.
    pub fn fingerprints(&self) -> Vec<String> {
        match self {
            Decryption::Identities { identities, .. } => identities
                .iter()
                .map(|i| fingerprint(&i.to_public().to_string()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Where the key came from, for messages.
    pub fn source(&self) -> String {
        match self {
            Decryption::Identities { file, .. } => file.display().to_string(),
            Decryption::Passphrase(_) => "the passphrase".to_string(),
            Decryption::None => "no key".to_string(),
        }
    }

    pub(crate) fn age_identities(&self) -> Vec<Box<dyn age::Identity + Send>> {
        match self {
            Decryption::Identities { identities, .. } => identities
                .iter()
                .map(|i| Box::new(i.clone()) as Box<dyn age::Identity + Send>)
                .collect(),
            Decryption::Passphrase(p) => vec![Box::new(age::scrypt::Identity::new(
                SecretString::from(p.expose().to_string()),
            ))],
            Decryption::None => Vec::new(),
        }
    }
}

/// Creates a new identity; returns the identity file's text and the public recipient.
pub fn generate_identity() -> (Secret, Recipient) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let public = id.to_public();
    let text = format!(
        "# created: {}\n# public key: {public}\n{}\n",
        dbkeeper_core::now_rfc3339(),
        id.to_string().expose_secret()
    );
    let text_recipient = public.to_string();
    (
        Secret::new(text),
        Recipient {
            inner: public,
            text: text_recipient,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn fingerprints_are_of_the_public_string() {
        let (_, r) = generate_identity();
        let fp = r.fingerprint();
        assert!(fp.starts_with("sha256:"));
        assert_eq!(fp.len(), 7 + 64);
        assert_eq!(
            Recipient::parse(&r.to_string())
                .expect("parse")
                .fingerprint(),
            fp
        );
        assert_eq!(short_fingerprint(&fp).len(), 7 + 16);
    }

    #[test]
    fn bad_recipient_never_echoes_a_secret_key() {
        let e = Recipient::parse("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQ").expect_err("bad");
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(!e.to_string().contains("QQQQ"), "{e}");
    }

    #[test]
    fn identity_file_round_trip_and_mode_check() {
        let dir = tempfile::tempdir().expect("tmp");
        let (text, r) = generate_identity();
        let path = dir.path().join("key.txt");
        std::fs::write(&path, text.expose()).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = Decryption::from_identity_file(&path).expect_err("too open");
        assert_eq!(e.kind, ErrorKind::Config);
        assert!(e.to_string().contains("0644"), "{e}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let d = Decryption::from_identity_file(&path).expect("reads");
        assert_eq!(d.fingerprints(), vec![r.fingerprint()]);

        std::fs::write(&path, "# nothing\nAGE-SECRET-KEY-1NOTAKEY\n").expect("write");
        let e = Decryption::from_identity_file(&path).expect_err("garbage");
        assert!(!e.to_string().contains("NOTAKEY"), "{e}");
        assert!(e.main.at.as_deref().is_some_and(|a| a.ends_with(":2")));
    }

    #[test]
    fn recipient_file_reads_every_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let (_, a) = generate_identity();
        let (_, b) = generate_identity();
        let path = dir.path().join("recipients.txt");
        std::fs::write(&path, format!("# ops team\n{a}\n\n{b}\n")).expect("write");
        let rs = Recipient::from_file(&path).expect("reads");
        assert_eq!(rs.len(), 2);
        std::fs::write(&path, "# nobody\n").expect("write");
        assert!(Recipient::from_file(&path).is_err());
    }
}
