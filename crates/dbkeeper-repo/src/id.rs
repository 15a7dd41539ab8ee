//! Backup ids: `20261125T013000Z-3f9c`, the UTC start time to the second and four random hex
//! digits, so that ids sort by time as plain strings (in `ls`, in S3 listings, in JSON) and two
//! backups started in the same second do not collide.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use dbkeeper_core::{Error, ErrorKind, Result, Text};

use crate::msg;

const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// A backup's id. Ordering is by time, then by the random suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BackupId {
    time: DateTime<Utc>,
    suffix: u16,
}

impl BackupId {
    /// A new id for a backup starting now.
    pub fn new() -> BackupId {
        BackupId::at(Utc::now())
    }

    /// A new id for a backup that started at `time` (sub-second precision is dropped).
    pub fn at(time: DateTime<Utc>) -> BackupId {
        BackupId::with_suffix(time, random_u16())
    }

    /// An id with a chosen suffix, for tests and for re-creating a known id.
    pub fn with_suffix(time: DateTime<Utc>, suffix: u16) -> BackupId {
        let secs = time.timestamp();
        let time = DateTime::from_timestamp(secs, 0).unwrap_or(time);
        BackupId { time, suffix }
    }

    /// When the backup started (UTC, whole seconds).
    pub fn time(&self) -> DateTime<Utc> {
        self.time
    }

    /// Parses `20261125T013000Z-3f9c`.
    pub fn parse(s: &str) -> Result<BackupId> {
        let bad = || {
            Error::new(ErrorKind::Usage, Text::new(msg::ID_INVALID).arg("id", s))
                .hint(Text::new(msg::ID_INVALID_HINT))
        };
        let (time, suffix) = s.split_once('-').ok_or_else(bad)?;
        if suffix.len() != 4
            || !suffix
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(bad());
        }
        let suffix = u16::from_str_radix(suffix, 16).map_err(|_| bad())?;
        let time = NaiveDateTime::parse_from_str(time, TIME_FORMAT).map_err(|_| bad())?;
        Ok(BackupId {
            time: time.and_utc(),
            suffix,
        })
    }
}

impl Default for BackupId {
    fn default() -> BackupId {
        BackupId::new()
    }
}

impl fmt::Display for BackupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04x}", self.time.format(TIME_FORMAT), self.suffix)
    }
}

impl FromStr for BackupId {
    type Err = Error;
    fn from_str(s: &str) -> Result<BackupId> {
        BackupId::parse(s)
    }
}

impl serde::Serialize for BackupId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for BackupId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<BackupId, D::Error> {
        let s = String::deserialize(d)?;
        BackupId::parse(&s).map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// Sixteen random bits without a dependency: std's `RandomState` is seeded from the OS's
/// random source once per thread and advanced for every new state, which is all an id suffix
/// (not a key) needs.
pub(crate) fn random_u16() -> u16 {
    (random_u64() & 0xffff) as u16
}

pub(crate) fn random_u64() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.write_u32(std::process::id());
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn display_and_parse_round_trip() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 25, 1, 30, 0)
            .single()
            .expect("valid time");
        let id = BackupId::with_suffix(t, 0x3f9c);
        assert_eq!(id.to_string(), "20261125T013000Z-3f9c");
        assert_eq!(
            BackupId::parse("20261125T013000Z-3f9c").expect("parses"),
            id
        );
        let json = serde_json::to_string(&id).expect("json");
        assert_eq!(json, "\"20261125T013000Z-3f9c\"");
        assert_eq!(serde_json::from_str::<BackupId>(&json).expect("back"), id);
    }

    #[test]
    fn ids_sort_by_time_as_strings_and_values() {
        let a = BackupId::parse("20261125T013000Z-ffff").expect("a");
        let b = BackupId::parse("20261125T013001Z-0000").expect("b");
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "20261125T013000Z",
            "20261125T013000Z-3F9C",
            "20261125T013000Z-3f9",
            "20261325T013000Z-3f9c",
            "2026-11-25-3f9c",
            "../etc-aaaa",
        ] {
            let e = BackupId::parse(bad).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::Usage, "{bad}");
        }
    }

    #[test]
    fn new_ids_differ() {
        let t = Utc::now();
        let ids: std::collections::HashSet<_> = (0..50).map(|_| BackupId::at(t)).collect();
        assert!(ids.len() > 40, "suffixes should be random: {}", ids.len());
    }
}
