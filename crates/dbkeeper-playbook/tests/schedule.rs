//! Cron meaning against known fire times, DST days in Europe/Berlin, Asia/Shanghai (no DST),
//! missed runs after downtime, and the run decision launchers rely on.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use dbkeeper_playbook::schedule::{self, slots, Cron, Job, Missed, SlotDecision};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn next(cron: &str, tz: Tz, after: &str, n: usize) -> Vec<String> {
    let c = Cron::parse(cron).unwrap_or_else(|e| panic!("{cron}: {}", e.what));
    slots::next_n(&c, tz, utc(after), n)
        .iter()
        .map(|s| s.at.format("%Y-%m-%dT%H:%MZ").to_string())
        .collect()
}

const UTC: Tz = chrono_tz::UTC;
const BERLIN: Tz = chrono_tz::Europe::Berlin;
const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

#[test]
fn day_of_month_or_day_of_week_when_both_are_restricted() {
    // March 2026 starts on a Sunday: days 1-7, and every Sunday.
    assert_eq!(
        next("0 4 1-7 * 0", UTC, "2026-03-01T05:00:00Z", 12),
        [
            "2026-03-02T04:00Z",
            "2026-03-03T04:00Z",
            "2026-03-04T04:00Z",
            "2026-03-05T04:00Z",
            "2026-03-06T04:00Z",
            "2026-03-07T04:00Z",
            "2026-03-08T04:00Z",
            "2026-03-15T04:00Z",
            "2026-03-22T04:00Z",
            "2026-03-29T04:00Z",
            "2026-04-01T04:00Z",
            "2026-04-02T04:00Z",
        ]
    );
}

#[test]
fn a_day_field_starting_with_a_star_means_and() {
    // Vixie: `*/2` starts with `*`, so it ANDs with the weekday: odd days that are Mondays.
    assert_eq!(
        next("0 4 */2 * 1", UTC, "2026-01-01T00:00:00Z", 4),
        [
            "2026-01-05T04:00Z",
            "2026-01-19T04:00Z",
            "2026-02-09T04:00Z",
            "2026-02-23T04:00Z"
        ]
    );
    // Only the weekday restricted: Sundays.
    assert_eq!(
        next("0 4 * * 0", UTC, "2026-03-01T05:00:00Z", 3),
        [
            "2026-03-08T04:00Z",
            "2026-03-15T04:00Z",
            "2026-03-22T04:00Z"
        ]
    );
}

#[test]
fn sunday_is_0_or_7_and_names_work() {
    let sundays = ["2026-03-08T00:00Z", "2026-03-15T00:00Z"];
    for spelling in [
        "0 0 * * 0",
        "0 0 * * 7",
        "0 0 * * sun",
        "0 0 * * SUN",
        "0 0 * * 0,7",
    ] {
        assert_eq!(
            next(spelling, UTC, "2026-03-01T01:00:00Z", 2),
            sundays,
            "{spelling}"
        );
    }
    // Saturday to Sunday through 7.
    assert_eq!(
        next("0 0 * * 6-7", UTC, "2026-03-01T01:00:00Z", 2),
        ["2026-03-07T00:00Z", "2026-03-08T00:00Z"]
    );
    // Months by name; July 2026 starts on a Wednesday.
    assert_eq!(
        next("0 12 * jan,JUL sun", UTC, "2026-06-01T00:00:00Z", 5),
        [
            "2026-07-05T12:00Z",
            "2026-07-12T12:00Z",
            "2026-07-19T12:00Z",
            "2026-07-26T12:00Z",
            "2027-01-03T12:00Z"
        ]
    );
}

#[test]
fn ranges_steps_and_lists() {
    // 2026-03-06 is a Friday.
    assert_eq!(
        next("*/15 9-17/4 * * mon-fri", UTC, "2026-03-06T16:00:00Z", 6),
        [
            "2026-03-06T17:00Z",
            "2026-03-06T17:15Z",
            "2026-03-06T17:30Z",
            "2026-03-06T17:45Z",
            "2026-03-09T09:00Z",
            "2026-03-09T09:15Z"
        ]
    );
    assert_eq!(
        next("5,10-12 0 1 * *", UTC, "2026-03-01T00:00:00Z", 5),
        [
            "2026-03-01T00:05Z",
            "2026-03-01T00:10Z",
            "2026-03-01T00:11Z",
            "2026-03-01T00:12Z",
            "2026-04-01T00:05Z"
        ]
    );
    assert_eq!(
        next("@monthly", UTC, "2026-03-01T00:00:00Z", 2),
        ["2026-04-01T00:00Z", "2026-05-01T00:00Z"]
    );
    assert_eq!(
        next("@weekly", UTC, "2026-03-01T00:00:00Z", 1),
        ["2026-03-08T00:00Z"]
    );
    // A leap day waits for the next leap year.
    assert_eq!(
        next("0 0 29 2 *", UTC, "2026-01-01T00:00:00Z", 2),
        ["2028-02-29T00:00Z", "2032-02-29T00:00Z"]
    );
}

#[test]
fn berlin_spring_forward_runs_a_skipped_slot_once_after_the_gap() {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    assert_eq!(
        next("30 2 * * *", BERLIN, "2026-03-27T12:00:00Z", 3),
        [
            "2026-03-28T01:30Z", // 02:30 CET
            "2026-03-29T01:00Z", // 02:30 does not exist: at 03:00 CEST
            "2026-03-30T00:30Z", // 02:30 CEST
        ]
    );
    // Four slots in the gap collapse into one run.
    assert_eq!(
        next("*/15 2 * * *", BERLIN, "2026-03-29T00:00:00Z", 2),
        ["2026-03-29T01:00Z", "2026-03-30T00:00Z"]
    );
    // Hourly: the 02:00 slot moves onto 03:00, which runs once.
    assert_eq!(
        next("0 * * * *", BERLIN, "2026-03-28T23:30:00Z", 4),
        [
            "2026-03-29T00:00Z", // 01:00 CET
            "2026-03-29T01:00Z", // 03:00 CEST (and the moved 02:00)
            "2026-03-29T02:00Z", // 04:00 CEST
            "2026-03-29T03:00Z",
        ]
    );
    let c = Cron::parse("30 2 * * *").expect("valid");
    let s = slots::next_after(&c, BERLIN, utc("2026-03-28T12:00:00Z")).expect("slot");
    assert!(s.shifted, "the gap slot says it was moved");
}

#[test]
fn berlin_fall_back_runs_a_repeated_slot_once_at_its_first_occurrence() {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC); 02:00-03:00 happens twice.
    assert_eq!(
        next("30 2 * * *", BERLIN, "2026-10-24T12:00:00Z", 2),
        [
            "2026-10-25T00:30Z", // 02:30 CEST, the first time; not again at 02:30 CET
            "2026-10-26T01:30Z", // 02:30 CET
        ]
    );
    assert_eq!(
        next("0 * * * *", BERLIN, "2026-10-24T22:30:00Z", 4),
        [
            "2026-10-24T23:00Z", // 01:00 CEST
            "2026-10-25T00:00Z", // 02:00 CEST
            "2026-10-25T02:00Z", // 03:00 CET: the repeated 02:00 CET is not run
            "2026-10-25T03:00Z",
        ]
    );
}

#[test]
fn shanghai_has_no_dst() {
    for after in ["2026-03-27T00:00:00Z", "2026-10-23T00:00:00Z"] {
        let fires = next("30 2 * * *", SHANGHAI, after, 4);
        for f in &fires {
            assert!(f.ends_with("T18:30Z"), "{f}");
        }
    }
    assert_eq!(
        next("30 1 * * *", SHANGHAI, "2026-03-01T00:00:00Z", 1),
        ["2026-03-01T17:30Z"]
    );
}

#[test]
fn latest_slot_at_or_before() {
    let c = Cron::parse("30 1 * * *").expect("valid");
    let s = slots::latest_at_or_before(&c, SHANGHAI, utc("2026-03-02T00:00:00Z")).expect("slot");
    assert_eq!(s.at, utc("2026-03-01T17:30:00Z"));
    let exact = slots::latest_at_or_before(&c, SHANGHAI, s.at).expect("slot");
    assert_eq!(exact.at, s.at, "a slot is at or before itself");
    assert_eq!(
        s.local,
        NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(1, 30, 0))
            .expect("date")
    );
}

fn job(cron: &str, missed: Missed, max_lateness: Duration) -> Job {
    Job {
        name: "nightly".into(),
        path: "schedules/nightly.yaml".into(),
        playbook: "playbooks/nightly.yaml".into(),
        cron: Cron::parse(cron).expect("valid"),
        tz: SHANGHAI,
        missed,
        max_lateness,
        description: None,
        enabled: true,
    }
}

const H: u64 = 3600;

#[test]
fn missed_runs_after_downtime() {
    let j = job("30 1 * * *", Missed::RunOnce, Duration::from_secs(6 * H));
    let slot = utc("2026-03-01T17:30:00Z"); // 01:30 on 2 March in Shanghai
    let before = utc("2026-02-28T17:30:00Z");
    // Down from 01:00 to 04:00 local: the 01:30 run is 2.5 h late, within 6 h: run it once.
    let back = utc("2026-03-01T20:00:00Z");
    assert_eq!(j.catch_up(Some(before), back).map(|s| s.at), Some(slot));
    assert!(matches!(j.decide(back), SlotDecision::Run(s) if s.at == slot));
    // Already run: nothing to catch up.
    assert_eq!(j.catch_up(Some(slot), back), None);
    // Back at 08:00 local: 6.5 h late, too late.
    let late = utc("2026-03-02T00:00:00Z");
    assert_eq!(j.catch_up(Some(before), late), None);
    assert!(
        matches!(j.decide(late), SlotDecision::TooLate { slot: s, late } if s.at == slot && late == Duration::from_secs(6 * H + 1800))
    );
    // Skip never catches up.
    let skip = job("30 1 * * *", Missed::Skip, Duration::from_secs(6 * H));
    assert_eq!(skip.catch_up(Some(before), back), None);
    // Hourly, down for five hours: only the latest slot runs, once.
    let hourly = job("0 * * * *", Missed::RunOnce, Duration::from_secs(H));
    let down_at = utc("2026-03-01T00:10:00Z");
    let up_at = utc("2026-03-01T05:20:00Z");
    let missed = slots::between(&hourly.cron, SHANGHAI, down_at, up_at, 100);
    assert_eq!(missed.len(), 5);
    assert_eq!(
        hourly
            .catch_up(Some(utc("2026-03-01T00:00:00Z")), up_at)
            .map(|s| s.at),
        Some(utc("2026-03-01T05:00:00Z"))
    );
}

#[test]
fn decide_snaps_a_launch_to_its_slot() {
    let j = job("30 1 * * *", Missed::Skip, Duration::from_secs(300));
    // cron starts the process a second late: still the 01:30 slot.
    let launched = SHANGHAI
        .with_ymd_and_hms(2026, 3, 2, 1, 30, 1)
        .single()
        .expect("time")
        .with_timezone(&Utc);
    assert!(
        matches!(j.decide(launched), SlotDecision::Run(s) if s.at == utc("2026-03-01T17:30:00Z"))
    );
    // A launch half an hour late with a 5 minute allowance is refused, naming the slot.
    let late = launched + chrono::Duration::minutes(30);
    assert!(matches!(j.decide(late), SlotDecision::TooLate { .. }));
}

#[test]
fn times_for_scheduled_for() {
    let now = utc("2026-03-01T00:00:00Z");
    assert_eq!(schedule::parse_time("now", now).expect("now"), now);
    assert_eq!(
        schedule::parse_time("2026-03-02T01:30:00+08:00", now).expect("rfc3339"),
        utc("2026-03-01T17:30:00Z")
    );
    let e = schedule::parse_time("tomorrow", now).expect_err("bad");
    assert_eq!(e.exit_code(), 64);
}

#[test]
fn cron_errors_point_at_the_field() {
    for (cron, at, id) in [
        ("61 * * * *", 0, "schedule.cron_out_of_range"),
        ("* 24 * * *", 2, "schedule.cron_out_of_range"),
        ("* * 0 * *", 4, "schedule.cron_out_of_range"),
        ("* * * 13 *", 6, "schedule.cron_out_of_range"),
        ("* * * * 8", 8, "schedule.cron_out_of_range"),
        ("* * * foo *", 6, "schedule.cron_value"),
        ("1,,2 * * * *", 2, "schedule.cron_empty_item"),
        ("* * * *", 0, "schedule.cron_fields"),
        ("0 0 * * * *", 10, "schedule.cron_fields"),
        ("*/x * * * *", 2, "schedule.cron_step"),
        ("0 0 31 4,6,9,11 *", 4, "schedule.cron_never"),
        ("@often", 0, "schedule.cron_macro"),
    ] {
        let e = Cron::parse(cron).expect_err(cron);
        assert_eq!((e.at, e.what.id()), (at, id), "{cron}");
    }
    // The 31st exists in some listed month: fine. So does a weekday with Vixie's OR.
    Cron::parse("0 0 31 4,5 *").expect("May 31");
    Cron::parse("0 0 31 4 mon").expect("Mondays in April");
}

#[test]
fn what_run_does_with_scheduled_for() {
    use dbkeeper_playbook::schedule::{for_run, ForRun};
    let j = job("30 1 * * *", Missed::RunOnce, Duration::from_secs(6 * H));
    let now = utc("2026-03-01T19:00:00Z");
    assert_eq!(
        for_run("now", Some(&j), now).expect("ok"),
        ForRun::Slot {
            at: utc("2026-03-01T17:30:00Z"),
            job: Some("nightly".into()),
            tz: SHANGHAI
        }
    );
    let ForRun::Skip(why) = for_run("2026-03-02T09:00:00+08:00", Some(&j), now).expect("ok") else {
        panic!("too late")
    };
    assert_eq!(
        why.render(dbkeeper_core::Lang::En),
        "not running `nightly`: its slot 2026-03-02T01:30:00+08:00 is 7h 30m past, more than its max_lateness of 6h 00m"
    );
    // Without a schedule, the time is the slot.
    assert!(matches!(
        for_run("2026-03-01T17:30:00Z", None, now).expect("ok"),
        ForRun::Slot { at, job: None, .. } if at == utc("2026-03-01T17:30:00Z")
    ));
}
