//! Slots: the instants a schedule fires at, in its time zone, with a stated rule for DST.
//!
//! The rule (Debian cron's, which the research notes recommend), applied per wall-clock slot:
//! - **gap** (spring forward, e.g. 02:00–03:00 does not exist in Europe/Berlin on the last Sunday
//!   of March): a slot whose local time does not exist runs once, at the first instant after the
//!   gap (03:00 CEST). Several slots in one gap (`*/15 2 * * *`) collapse into that one run, and a
//!   slot that already falls on that instant is not run twice.
//! - **overlap** (fall back, 02:00–03:00 happens twice on the last Sunday of October): a slot runs
//!   once, at its first occurrence (CEST); the repeated hour does not run it again.
//!
//! A slot is identified by its instant in UTC; the ledger keeps at most one run per slot.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::cron::Cron;

/// One firing of a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    /// When it runs.
    pub at: DateTime<Utc>,
    /// The wall-clock time the expression names (which, in a DST gap, never happened).
    pub local: NaiveDateTime,
    /// True when the local time fell in a gap and the slot was moved to the gap's end.
    pub shifted: bool,
}

/// How far the search looks: a leap day (`0 0 29 2 *`) can be eight years away (2096 → 2104).
const SEARCH_DAYS: i64 = 366 * 8 + 2;

/// The instant of a local time under the rule above; `shifted` when it fell in a gap.
pub fn resolve(tz: Tz, local: NaiveDateTime) -> Option<(DateTime<Utc>, bool)> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some((t.with_timezone(&Utc), false)),
        LocalResult::Ambiguous(first, second) => {
            Some((first.min(second).with_timezone(&Utc), false))
        }
        LocalResult::None => {
            // The first minute after the gap; gaps are at most a few hours long.
            let mut probe = local;
            for _ in 0..(26 * 60) {
                probe += Duration::minutes(1);
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(t) => return Some((t.with_timezone(&Utc), true)),
                    LocalResult::Ambiguous(a, b) => {
                        return Some((a.min(b).with_timezone(&Utc), true))
                    }
                    LocalResult::None => {}
                }
            }
            None
        }
    }
}

/// Every slot of one local date, in time order, each instant once.
pub fn slots_on(cron: &Cron, tz: Tz, date: NaiveDate) -> Vec<Slot> {
    if !cron.matches_date(date) {
        return Vec::new();
    }
    let mut out: Vec<Slot> = Vec::new();
    for h in cron.hours() {
        for m in cron.minutes() {
            let Some(local) = date.and_hms_opt(h, m, 0) else {
                continue;
            };
            let Some((at, shifted)) = resolve(tz, local) else {
                continue;
            };
            match out.iter_mut().find(|s| s.at == at) {
                // A slot that really is at this instant wins over one moved here from a gap.
                Some(existing) => {
                    if existing.shifted && !shifted {
                        *existing = Slot { at, local, shifted };
                    }
                }
                None => out.push(Slot { at, local, shifted }),
            }
        }
    }
    out.sort();
    out
}

/// The first slot strictly after `after`.
pub fn next_after(cron: &Cron, tz: Tz, after: DateTime<Utc>) -> Option<Slot> {
    // From the day before: a slot moved out of a gap may land after a later local date's start.
    let start = after.with_timezone(&tz).date_naive() - Duration::days(1);
    for i in 0..SEARCH_DAYS {
        let date = start + Duration::days(i);
        if let Some(s) = slots_on(cron, tz, date).into_iter().find(|s| s.at > after) {
            return Some(s);
        }
    }
    None
}

/// The next `n` slots strictly after `after`.
pub fn next_n(cron: &Cron, tz: Tz, after: DateTime<Utc>, n: usize) -> Vec<Slot> {
    let mut out = Vec::with_capacity(n);
    let mut t = after;
    while out.len() < n {
        match next_after(cron, tz, t) {
            Some(s) => {
                t = s.at;
                out.push(s);
            }
            None => break,
        }
    }
    out
}

/// The latest slot at or before `t`.
pub fn latest_at_or_before(cron: &Cron, tz: Tz, t: DateTime<Utc>) -> Option<Slot> {
    let start = t.with_timezone(&tz).date_naive() + Duration::days(1);
    for i in 0..SEARCH_DAYS {
        let date = start - Duration::days(i);
        if let Some(s) = slots_on(cron, tz, date)
            .into_iter()
            .rev()
            .find(|s| s.at <= t)
        {
            return Some(s);
        }
    }
    None
}

/// Every slot in `(after, until]`, oldest first, at most `limit` of them.
pub fn between(
    cron: &Cron,
    tz: Tz,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: usize,
) -> Vec<Slot> {
    let mut out = Vec::new();
    let mut t = after;
    while out.len() < limit {
        match next_after(cron, tz, t) {
            Some(s) if s.at <= until => {
                t = s.at;
                out.push(s);
            }
            _ => break,
        }
    }
    out
}
