//! Backup and restore-drill freshness: the facts the caller knows (from the ledger, the
//! repositories, the config) and passes in. Until the backup and drill features record them,
//! the caller passes [`Freshness::default`], and the checks say they cannot decide and what
//! an assessor would ask to see — never a silent pass.

use chrono::{DateTime, Utc};
use dbkeeper_core::Text;

use crate::msg;

/// A fact that may not be known yet, and then why.
#[derive(Clone, Debug, PartialEq)]
pub enum Known<T> {
    Yes(T),
    Unknown(Text),
}

impl<T> Known<T> {
    pub fn as_ref(&self) -> Known<&T> {
        match self {
            Known::Yes(t) => Known::Yes(t),
            Known::Unknown(why) => Known::Unknown(why.clone()),
        }
    }
}

impl<T> Default for Known<T> {
    fn default() -> Self {
        Known::Unknown(Text::new(msg::FRESHNESS_NOT_RECORDED))
    }
}

/// The newest completed backup of the target in one repository.
#[derive(Clone, Debug, PartialEq)]
pub struct BackupSeen {
    pub repo: String,
    /// On object storage or another site (not this machine's disks).
    pub offsite: bool,
    pub encrypted: bool,
    pub finished_at: DateTime<Utc>,
    /// `logical` or `physical`.
    pub kind: String,
    pub id: String,
}

/// The newest restore drill of the target's backups.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillSeen {
    pub finished_at: DateTime<Utc>,
    pub passed: bool,
    pub backup_id: String,
    pub report: Option<String>,
}

/// What the caller knows about backups and drills of the target being inspected.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Freshness {
    /// The newest backup per repository; an empty list means "known: none ever".
    pub backups: Known<Vec<BackupSeen>>,
    /// The newest drill; `None` means "known: none ever".
    pub drill: Known<Option<DrillSeen>>,
}

impl Freshness {
    /// Both facts unknown, for the stated reason.
    pub fn unknown(why: Text) -> Freshness {
        Freshness {
            backups: Known::Unknown(why.clone()),
            drill: Known::Unknown(why),
        }
    }
}
