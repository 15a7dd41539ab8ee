//! Which backups to keep: restic's policy language, applied per target, plus two rules of ours
//! that no policy can override — the newest complete backup and pinned (legal hold) backups stay.
//!
//! The calendar rules (`keep_hourly` … `keep_yearly`) keep, for each of the last N periods that
//! have a complete backup, the newest backup of that period; periods follow natural boundaries
//! in the time zone of `now` (ISO weeks, Monday to Sunday). If a rule has count left after the
//! oldest backup, that oldest one is kept too ("oldest daily"), as restic ≥ 0.17 does, so that
//! history reaches as far back as the policy allows. `keep_last` keeps the N newest.
//! `keep_within` keeps every backup within that duration of the newest backup — not of now, so
//! a target whose backups stopped does not lose them all while nobody looks (restic's choice).
//!
//! Incomplete backups (no manifest) count for no rule: those older than the newest complete
//! backup are removed; newer ones are kept, because one may still be running.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use dbkeeper_core::Text;

use crate::id::BackupId;
use crate::msg;

/// A retention policy. A backup is kept when any rule keeps it. `None` and `Some(0)` both mean
/// "no such rule"; a policy without any rule keeps every complete backup.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Retention {
    pub keep_last: Option<u32>,
    pub keep_hourly: Option<u32>,
    pub keep_daily: Option<u32>,
    pub keep_weekly: Option<u32>,
    pub keep_monthly: Option<u32>,
    pub keep_yearly: Option<u32>,
    pub keep_within: Option<Duration>,
}

impl Retention {
    pub fn is_empty(&self) -> bool {
        let none = |n: Option<u32>| n.unwrap_or(0) == 0;
        none(self.keep_last)
            && none(self.keep_hourly)
            && none(self.keep_daily)
            && none(self.keep_weekly)
            && none(self.keep_monthly)
            && none(self.keep_yearly)
            && self.keep_within.is_none_or(|d| d.is_zero())
    }
}

/// What retention needs to know about a backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    pub target: String,
    pub id: BackupId,
    /// Has a readable manifest.
    pub complete: bool,
    pub pinned: bool,
}

/// Why a backup is kept or removed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Legal hold.
    Pinned,
    /// The newest complete backup of its target.
    NewestComplete,
    /// One of the `keep_last` newest; `n` is its place (1 = newest).
    Last { n: u32 },
    /// The newest backup of a calendar period; `oldest` when kept as the oldest backup while
    /// the rule still had count left.
    Period {
        rule: PeriodRule,
        period: String,
        oldest: bool,
    },
    /// Within `keep_within` of the newest backup.
    Within { within: String },
    /// The policy has no rule: every complete backup is kept.
    NoPolicy,
    /// Incomplete and newer than the newest complete backup: it may still be running.
    IncompleteRecent,
    /// Incomplete and older than the newest complete backup: never restorable.
    Incomplete,
    /// No rule keeps it.
    BeyondRules,
}

/// The calendar rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodRule {
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Reason {
    /// The reason in words: "kept: daily 2026-11-24", "removed: beyond every rule".
    pub fn text(&self) -> Text {
        match self {
            Reason::Pinned => Text::new(msg::RET_PINNED),
            Reason::NewestComplete => Text::new(msg::RET_NEWEST),
            Reason::Last { n } => Text::new(msg::RET_LAST).arg("n", n),
            Reason::Period {
                rule,
                period,
                oldest,
            } => {
                let m = match (rule, oldest) {
                    (PeriodRule::Hourly, false) => msg::RET_HOURLY,
                    (PeriodRule::Daily, false) => msg::RET_DAILY,
                    (PeriodRule::Weekly, false) => msg::RET_WEEKLY,
                    (PeriodRule::Monthly, false) => msg::RET_MONTHLY,
                    (PeriodRule::Yearly, false) => msg::RET_YEARLY,
                    (PeriodRule::Hourly, true) => msg::RET_OLDEST_HOURLY,
                    (PeriodRule::Daily, true) => msg::RET_OLDEST_DAILY,
                    (PeriodRule::Weekly, true) => msg::RET_OLDEST_WEEKLY,
                    (PeriodRule::Monthly, true) => msg::RET_OLDEST_MONTHLY,
                    (PeriodRule::Yearly, true) => msg::RET_OLDEST_YEARLY,
                };
                Text::new(m).arg("period", period)
            }
            Reason::Within { within } => Text::new(msg::RET_WITHIN).arg("within", within),
            Reason::NoPolicy => Text::new(msg::RET_NO_POLICY),
            Reason::IncompleteRecent => Text::new(msg::RET_INCOMPLETE_RECENT),
            Reason::Incomplete => Text::new(msg::RET_INCOMPLETE),
            Reason::BeyondRules => Text::new(msg::RET_BEYOND),
        }
    }
}

/// The verdict on one backup.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Decision {
    pub target: String,
    pub id: BackupId,
    pub keep: bool,
    pub reasons: Vec<Reason>,
}

/// Decides, for every backup given, whether it is kept and why. Pure: the same input gives the
/// same plan. Backups of different targets are judged separately. `now` supplies the time zone
/// of the calendar periods and the present (backups dated after it are never the reference of
/// `keep_within`). Output is sorted by target, then id.
pub fn plan<Tz: TimeZone>(
    backups: &[BackupSummary],
    policy: &Retention,
    now: DateTime<Tz>,
) -> Vec<Decision> {
    let mut by_target: BTreeMap<&str, Vec<&BackupSummary>> = BTreeMap::new();
    for b in backups {
        by_target.entry(b.target.as_str()).or_default().push(b);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_target {
        group.sort_by_key(|b| std::cmp::Reverse(b.id)); // newest first
        group.dedup_by(|a, b| a.id == b.id);
        out.extend(plan_target(&group, policy, &now));
    }
    out.sort_by(|a, b| (a.target.as_str(), a.id).cmp(&(b.target.as_str(), b.id)));
    out
}

/// A rule's state while walking the backups newest first (restic's "bucket").
struct Bucket {
    rule: Option<PeriodRule>,
    count: u32,
    last: Option<String>,
}

fn period_of<Tz: TimeZone>(rule: PeriodRule, t: &DateTime<Tz>) -> String {
    match rule {
        PeriodRule::Hourly => format!(
            "{:04}-{:02}-{:02} {:02}:00",
            t.year(),
            t.month(),
            t.day(),
            t.hour()
        ),
        PeriodRule::Daily => format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day()),
        PeriodRule::Weekly => {
            let w = t.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        PeriodRule::Monthly => format!("{:04}-{:02}", t.year(), t.month()),
        PeriodRule::Yearly => format!("{:04}", t.year()),
    }
}

fn plan_target<Tz: TimeZone>(
    group: &[&BackupSummary],
    policy: &Retention,
    now: &DateTime<Tz>,
) -> Vec<Decision> {
    let tz = now.timezone();
    let now_utc = now.with_timezone(&Utc);
    let complete: Vec<&BackupSummary> = group.iter().copied().filter(|b| b.complete).collect();
    let newest_complete = complete.first().map(|b| b.id);
    let mut reasons: BTreeMap<BackupId, Vec<Reason>> = BTreeMap::new();

    if policy.is_empty() {
        for b in &complete {
            reasons.entry(b.id).or_default().push(Reason::NoPolicy);
        }
    } else {
        // keep_within is measured from the newest backup that is not in the future.
        let reference = complete
            .iter()
            .map(|b| b.id.time())
            .find(|t| *t <= now_utc)
            .unwrap_or(now_utc);
        let within = policy.keep_within.filter(|d| !d.is_zero()).map(|d| {
            let cutoff = chrono::Duration::from_std(d)
                .ok()
                .and_then(|d| reference.checked_sub_signed(d))
                .unwrap_or(DateTime::<Utc>::MIN_UTC);
            (cutoff, human_duration(d))
        });
        let rule = |r: Option<PeriodRule>, n: Option<u32>| Bucket {
            rule: r,
            count: n.unwrap_or(0),
            last: None,
        };
        let mut buckets = [
            rule(None, policy.keep_last),
            rule(Some(PeriodRule::Hourly), policy.keep_hourly),
            rule(Some(PeriodRule::Daily), policy.keep_daily),
            rule(Some(PeriodRule::Weekly), policy.keep_weekly),
            rule(Some(PeriodRule::Monthly), policy.keep_monthly),
            rule(Some(PeriodRule::Yearly), policy.keep_yearly),
        ];
        let mut last_n = 0u32;
        let oldest_index = complete.len().saturating_sub(1);
        for (nr, b) in complete.iter().enumerate() {
            let local = b.id.time().with_timezone(&tz);
            let r = reasons.entry(b.id).or_default();
            if let Some((cutoff, text)) = &within {
                // Newer than the cutoff, or in the future (clock skew): kept.
                if b.id.time() > *cutoff {
                    r.push(Reason::Within {
                        within: text.clone(),
                    });
                }
            }
            for bucket in buckets.iter_mut() {
                if bucket.count == 0 {
                    continue;
                }
                let period = match bucket.rule {
                    Some(p) => period_of(p, &local),
                    None => format!("#{nr}"), // keep_last: every backup is its own period
                };
                let is_oldest = nr == oldest_index;
                if bucket.last.as_deref() != Some(period.as_str()) || is_oldest {
                    let oldest = bucket.last.as_deref() == Some(period.as_str());
                    bucket.last = Some(period.clone());
                    bucket.count -= 1;
                    r.push(match bucket.rule {
                        Some(rule) => Reason::Period {
                            rule,
                            period,
                            oldest,
                        },
                        None => {
                            last_n += 1;
                            Reason::Last { n: last_n }
                        }
                    });
                }
            }
        }
    }

    group
        .iter()
        .map(|b| {
            let mut rs = reasons.remove(&b.id).unwrap_or_default();
            if b.complete {
                if b.pinned {
                    rs.insert(0, Reason::Pinned);
                }
                if Some(b.id) == newest_complete {
                    rs.insert(0, Reason::NewestComplete);
                }
            } else if newest_complete.is_some_and(|n| b.id < n) {
                rs.push(Reason::Incomplete);
            } else {
                rs.push(Reason::IncompleteRecent);
            }
            let keep = !rs.is_empty() && !matches!(rs.as_slice(), [Reason::Incomplete]);
            if rs.is_empty() {
                rs.push(Reason::BeyondRules);
            }
            Decision {
                target: b.target.clone(),
                id: b.id,
                keep,
                reasons: rs,
            }
        })
        .collect()
}

/// `30d`, `36h`, `90m`, `45s`: the largest unit that divides the duration.
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s > 0 && s % 86_400 == 0 {
        format!("{}d", s / 86_400)
    } else if s > 0 && s % 3_600 == 0 {
        format!("{}h", s / 3_600)
    } else if s > 0 && s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use dbkeeper_core::Lang;

    fn shanghai() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("offset")
    }

    /// A backup at a local (UTC+8) time `YYYY-MM-DD HH:MM`.
    fn at(local: &str) -> BackupId {
        let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M")
            .expect("time")
            .and_local_timezone(shanghai())
            .single()
            .expect("unambiguous");
        BackupId::with_suffix(t.with_timezone(&Utc), 0)
    }

    fn complete(local: &str) -> BackupSummary {
        BackupSummary {
            target: "prod".into(),
            id: at(local),
            complete: true,
            pinned: false,
        }
    }

    fn incomplete(local: &str) -> BackupSummary {
        BackupSummary {
            complete: false,
            ..complete(local)
        }
    }

    fn now(local: &str) -> DateTime<FixedOffset> {
        at(local).time().with_timezone(&shanghai())
    }

    /// The local times kept, oldest first.
    fn kept(decisions: &[Decision]) -> Vec<String> {
        decisions
            .iter()
            .filter(|d| d.keep)
            .map(|d| {
                d.id.time()
                    .with_timezone(&shanghai())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .collect()
    }

    fn reasons_of(decisions: &[Decision], local: &str) -> Vec<Reason> {
        decisions
            .iter()
            .find(|d| d.id == at(local))
            .map(|d| d.reasons.clone())
            .expect("decision")
    }

    fn days(from: &str, n: i64, hhmm: &str) -> Vec<BackupSummary> {
        let start = chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").expect("date");
        (0..n)
            .map(|i| complete(&format!("{} {hhmm}", start + chrono::Duration::days(i))))
            .collect()
    }

    #[test]
    fn restic_example_weekly_backups_keep_daily_4() {
        // restic's docs: one backup every Sunday for 12 weeks; --keep-daily 4 keeps the last four.
        let sundays: Vec<BackupSummary> = [
            "2019-09-01",
            "2019-09-08",
            "2019-09-15",
            "2019-09-22",
            "2019-09-29",
            "2019-10-06",
            "2019-10-13",
            "2019-10-20",
            "2019-10-27",
            "2019-11-03",
            "2019-11-10",
            "2019-11-17",
        ]
        .iter()
        .map(|d| complete(&format!("{d} 11:00")))
        .collect();
        let policy = Retention {
            keep_daily: Some(4),
            ..Retention::default()
        };
        let d = plan(&sundays, &policy, now("2019-11-18 09:00"));
        assert_eq!(
            kept(&d),
            [
                "2019-10-27 11:00",
                "2019-11-03 11:00",
                "2019-11-10 11:00",
                "2019-11-17 11:00"
            ]
        );
        assert_eq!(d.iter().filter(|d| !d.keep).count(), 8);
        assert!(d
            .iter()
            .filter(|d| !d.keep)
            .all(|d| d.reasons == [Reason::BeyondRules]));
    }

    #[test]
    fn daily_backups_with_daily_weekly_monthly_rules() {
        // Every day 01:30 from 2026-01-01 to 2026-03-31 (a Tuesday), as restic's "one backup
        // every day" example: 7 dailies, the weeklies beyond them, the monthlies beyond those.
        let all = days("2026-01-01", 90, "01:30");
        let policy = Retention {
            keep_daily: Some(7),
            keep_weekly: Some(4),
            keep_monthly: Some(3),
            ..Retention::default()
        };
        let d = plan(&all, &policy, now("2026-03-31 12:00"));
        assert_eq!(
            kept(&d),
            [
                "2026-01-31 01:30", // monthly 2026-01
                "2026-02-28 01:30", // monthly 2026-02
                "2026-03-15 01:30", // weekly 2026-W11
                "2026-03-22 01:30", // weekly 2026-W12
                "2026-03-25 01:30",
                "2026-03-26 01:30",
                "2026-03-27 01:30",
                "2026-03-28 01:30",
                "2026-03-29 01:30", // daily, and weekly 2026-W13
                "2026-03-30 01:30",
                "2026-03-31 01:30", // daily, weekly 2026-W14, monthly 2026-03, newest
            ]
        );
        let newest = reasons_of(&d, "2026-03-31 01:30");
        assert_eq!(newest[0], Reason::NewestComplete);
        assert!(newest.contains(&Reason::Period {
            rule: PeriodRule::Monthly,
            period: "2026-03".into(),
            oldest: false
        }));
        let text = Reason::Period {
            rule: PeriodRule::Daily,
            period: "2026-11-24".into(),
            oldest: false,
        }
        .text();
        assert_eq!(text.render(Lang::En), "kept: daily 2026-11-24");
        assert!(text.render(Lang::ZhCn).contains("2026-11-24"));
        assert_eq!(
            Reason::BeyondRules.text().render(Lang::En),
            "removed: beyond every rule"
        );
    }

    #[test]
    fn keep_last_ignores_incomplete_and_removes_old_incomplete() {
        let backups = vec![
            complete("2026-11-20 01:30"),
            incomplete("2026-11-21 01:30"),
            complete("2026-11-22 01:30"),
            complete("2026-11-23 01:30"),
            incomplete("2026-11-24 01:30"),
            complete("2026-11-25 01:30"),
            incomplete("2026-11-26 01:30"), // newer than the newest complete: may be running
        ];
        let policy = Retention {
            keep_last: Some(3),
            ..Retention::default()
        };
        let d = plan(&backups, &policy, now("2026-11-26 02:00"));
        assert_eq!(
            kept(&d),
            [
                "2026-11-22 01:30",
                "2026-11-23 01:30",
                "2026-11-25 01:30",
                "2026-11-26 01:30"
            ]
        );
        assert_eq!(reasons_of(&d, "2026-11-24 01:30"), [Reason::Incomplete]);
        assert_eq!(reasons_of(&d, "2026-11-21 01:30"), [Reason::Incomplete]);
        assert_eq!(
            reasons_of(&d, "2026-11-26 01:30"),
            [Reason::IncompleteRecent]
        );
        assert_eq!(reasons_of(&d, "2026-11-20 01:30"), [Reason::BeyondRules]);
        assert_eq!(reasons_of(&d, "2026-11-23 01:30"), [Reason::Last { n: 2 }]);
    }

    #[test]
    fn keep_within_counts_from_the_newest_backup_not_from_now() {
        // Backups stopped ten days ago; "keep within 2 days" must not then remove them all.
        let all = days("2026-11-01", 6, "01:30"); // 11-01 .. 11-06
        let policy = Retention {
            keep_within: Some(Duration::from_secs(2 * 86_400)),
            ..Retention::default()
        };
        let d = plan(&all, &policy, now("2026-11-16 09:00"));
        assert_eq!(
            kept(&d),
            ["2026-11-05 01:30", "2026-11-06 01:30"],
            "11-04 01:30 is exactly 2 days before the newest: not within"
        );
        assert_eq!(
            reasons_of(&d, "2026-11-05 01:30"),
            [Reason::Within {
                within: "2d".into()
            }]
        );
    }

    #[test]
    fn no_policy_keeps_every_complete_backup() {
        let backups = vec![
            complete("2020-01-01 01:30"),
            incomplete("2020-01-02 01:30"),
            complete("2026-11-25 01:30"),
        ];
        let d = plan(&backups, &Retention::default(), now("2026-11-25 02:00"));
        assert_eq!(kept(&d), ["2020-01-01 01:30", "2026-11-25 01:30"]);
        assert_eq!(reasons_of(&d, "2020-01-01 01:30"), [Reason::NoPolicy]);
        assert_eq!(reasons_of(&d, "2020-01-02 01:30"), [Reason::Incomplete]);
        let zero = Retention {
            keep_daily: Some(0),
            ..Retention::default()
        };
        assert!(zero.is_empty(), "a count of 0 is no rule");
    }

    #[test]
    fn everything_incomplete_keeps_everything() {
        let backups = vec![
            incomplete("2026-11-24 01:30"),
            incomplete("2026-11-25 01:30"),
        ];
        let policy = Retention {
            keep_last: Some(1),
            ..Retention::default()
        };
        let d = plan(&backups, &policy, now("2026-11-25 02:00"));
        assert!(d
            .iter()
            .all(|d| d.keep && d.reasons == [Reason::IncompleteRecent]));
    }

    #[test]
    fn pinned_old_backup_and_newest_survive_any_policy() {
        let mut old = complete("2019-06-01 01:30");
        old.pinned = true;
        let backups = vec![
            old,
            complete("2026-11-24 01:30"),
            complete("2026-11-25 01:30"),
        ];
        let policy = Retention {
            keep_within: Some(Duration::from_secs(3600)),
            ..Retention::default()
        };
        let d = plan(&backups, &policy, now("2026-11-25 02:00"));
        assert_eq!(kept(&d), ["2019-06-01 01:30", "2026-11-25 01:30"]);
        assert_eq!(reasons_of(&d, "2019-06-01 01:30"), [Reason::Pinned]);
        let newest = reasons_of(&d, "2026-11-25 01:30");
        assert_eq!(newest[0], Reason::NewestComplete);
        assert_eq!(
            Reason::Pinned.text().render(Lang::En),
            "kept: pinned (legal hold)"
        );
    }

    #[test]
    fn rule_with_count_left_keeps_the_oldest_too() {
        // Three backups on one day, keep_daily 5: the day's newest, plus the oldest backup
        // because the rule has count left (restic ≥ 0.17: "oldest daily snapshot").
        let backups = vec![
            complete("2026-11-25 01:00"),
            complete("2026-11-25 02:00"),
            complete("2026-11-25 03:00"),
        ];
        let policy = Retention {
            keep_daily: Some(5),
            ..Retention::default()
        };
        let d = plan(&backups, &policy, now("2026-11-25 04:00"));
        assert_eq!(kept(&d), ["2026-11-25 01:00", "2026-11-25 03:00"]);
        assert_eq!(
            reasons_of(&d, "2026-11-25 01:00"),
            [Reason::Period {
                rule: PeriodRule::Daily,
                period: "2026-11-25".into(),
                oldest: true
            }]
        );
    }

    #[test]
    fn days_follow_the_time_zone_of_now() {
        // 23:30 and 00:30 local (UTC+8) are two days there but the same UTC day.
        let backups = vec![complete("2026-11-24 23:30"), complete("2026-11-25 00:30")];
        let policy = Retention {
            keep_daily: Some(1),
            ..Retention::default()
        };
        let local = plan(&backups, &policy, now("2026-11-25 09:00"));
        assert_eq!(kept(&local), ["2026-11-25 00:30"]);
        let policy2 = Retention {
            keep_daily: Some(2),
            ..Retention::default()
        };
        let local = plan(&backups, &policy2, now("2026-11-25 09:00"));
        assert_eq!(local.iter().filter(|d| d.keep).count(), 2);
        // In UTC both are on 2026-11-24: keep_daily 2 keeps the newest, and the older one only
        // as "oldest daily".
        let utc = plan(
            &backups,
            &policy2,
            now("2026-11-25 09:00").with_timezone(&Utc),
        );
        assert_eq!(
            reasons_of(&utc, "2026-11-24 23:30"),
            [Reason::Period {
                rule: PeriodRule::Daily,
                period: "2026-11-24".into(),
                oldest: true
            }]
        );
    }

    #[test]
    fn targets_are_judged_separately() {
        let mut other = complete("2026-11-20 01:30");
        other.target = "billing".into();
        let backups = vec![
            other,
            complete("2026-11-24 01:30"),
            complete("2026-11-25 01:30"),
        ];
        let policy = Retention {
            keep_last: Some(1),
            ..Retention::default()
        };
        let d = plan(&backups, &policy, now("2026-11-25 02:00"));
        assert_eq!(kept(&d), ["2026-11-20 01:30", "2026-11-25 01:30"]);
        assert_eq!(d[0].target, "billing");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(Duration::from_secs(30 * 86_400)), "30d");
        assert_eq!(human_duration(Duration::from_secs(36 * 3600)), "36h");
        assert_eq!(human_duration(Duration::from_secs(90 * 60)), "90m");
        assert_eq!(human_duration(Duration::from_secs(45)), "45s");
    }
}
