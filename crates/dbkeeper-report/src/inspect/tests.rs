//! Output snapshots for every format, from one synthetic report (times redacted), and the
//! exit-code and escaping rules.

use chrono::{DateTime, Utc};
use dbkeeper_core::engine::Role;
use dbkeeper_core::host::FsUsage;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Lang, Text};
use dbkeeper_inspect::{
    catalogue, Basis, BasisKind, ClauseResult, Evidence, Finding, HostView, Report, StatsInfo,
    Status, ThresholdUsed, Verdict,
};
use serde_json::json;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

fn finding(id: &str, status: Status, summary: Text) -> Finding {
    let info = catalogue(EngineKind::Postgres)
        .iter()
        .find(|c| c.id == id)
        .expect("catalogue id");
    Finding {
        check: info.id,
        group: info.group,
        status,
        title: Text::new(info.title),
        remediation: (status != Status::Ok && status != Status::NotRun)
            .then(|| Text::new(info.fix)),
        reason: (status == Status::NotRun).then(|| summary.clone()),
        summary,
        evidence: Evidence::default(),
        thresholds: info
            .thresholds
            .iter()
            .map(|d| ThresholdUsed {
                name: d.name,
                value: d.default,
                shown: dbkeeper_inspect::threshold::show(d.unit, d.default),
                overridden: false,
            })
            .collect(),
        compliance: info.tags,
        basis: None,
        duration_ms: 0,
    }
}

/// A report with one finding of every status, evidence, a basis, thresholds and clauses.
pub(super) fn sample() -> Report {
    use dbkeeper_inspect::msg as m;
    let mut fsync = finding(
        "PG-CFG-001",
        Status::Critical,
        Text::new(m::SETTING_BAD)
            .arg("name", "fsync")
            .arg("value", "off")
            .arg("expected", "on"),
    );
    fsync.evidence.values.insert("fsync".into(), json!("off"));
    let mut idle = finding(
        "PG-SES-001",
        Status::Warning,
        Text::new(m::WORST_FOUND)
            .arg("count", 1)
            .arg("worst", "12m")
            .arg("list", "4242"),
    );
    idle.evidence.rows = vec![json!({"pid": 4242, "user": "app|web", "state_age_s": 720.0, "query": "UPDATE <t> SET a = 'x'"})
        .as_object()
        .cloned()
        .expect("object")];
    idle.evidence.rows_total = 1;
    idle.thresholds[0].overridden = true;
    let mut hit = finding(
        "PG-MEM-001",
        Status::Info,
        Text::new(m::RATIO_TOO_LITTLE)
            .arg("count", 12)
            .arg("period", "5m")
            .arg("min", 10000),
    );
    hit.basis = Some(Basis {
        kind: BasisKind::Delta,
        since: Some(at("2026-11-24T02:00:00Z")),
        seconds: 86_400.0,
        why: None,
    });
    let backup = finding(
        "PG-BAK-001",
        Status::NotRun,
        Text::new(m::FRESHNESS_NOT_RECORDED),
    );
    let ok = finding(
        "PG-CFG-003",
        Status::Ok,
        Text::new(m::SETTING_IS)
            .arg("name", "wal_level")
            .arg("value", "replica"),
    );
    let ssl = finding(
        "PG-SEC-010",
        Status::Warning,
        Text::new(m::SETTING_BAD)
            .arg("name", "ssl")
            .arg("value", "off")
            .arg("expected", "on"),
    );
    let clauses = vec![
        ClauseResult {
            clause: "8.1.4.1c",
            title: Text::new(dbkeeper_inspect::djbh3::msg::C_1C),
            verdict: Verdict::Fail,
            checks: vec!["PG-SEC-010"],
            assessor_asks: Text::new(dbkeeper_inspect::djbh3::msg::C_1C_ASKS),
        },
        ClauseResult {
            clause: "8.1.4.9a",
            title: Text::new(dbkeeper_inspect::djbh3::msg::C_9A),
            verdict: Verdict::CannotDecide,
            checks: vec!["PG-BAK-001"],
            assessor_asks: Text::new(dbkeeper_inspect::djbh3::msg::C_9A_ASKS),
        },
        ClauseResult {
            clause: "8.1.4.4e",
            title: Text::new(dbkeeper_inspect::djbh3::msg::C_4E),
            verdict: Verdict::Pass,
            checks: vec!["PG-VER-001", "PG-VER-002"],
            assessor_asks: Text::new(dbkeeper_inspect::djbh3::msg::C_4E_ASKS),
        },
    ];
    Report {
        target: "prod-pg".into(),
        engine: EngineKind::Postgres,
        product: "PostgreSQL".into(),
        version: "15.20".into(),
        role: Some(Role::Primary),
        database: Some("hospital".into()),
        profile: "djbh3".into(),
        started_at: at("2026-11-25T02:00:00Z"),
        duration_ms: 84,
        reachable: true,
        error: None,
        host: Some(HostView {
            hostname: "db1".into(),
            cpus: 8,
            memory_total_bytes: Some(32 << 30),
            data_fs: Some(FsUsage {
                path: "/var/lib/postgresql/15/main".into(),
                total_bytes: 500 << 30,
                free_bytes: 120 << 30,
            }),
            wal_fs: None,
            binlog_fs: None,
        }),
        stats: Some(StatsInfo {
            uptime_seconds: Some(30 * 86_400),
            started_at: Some(at("2026-10-26T02:00:00Z")),
            stats_reset: None,
            previous_snapshot_at: Some(at("2026-11-24T02:00:00Z")),
            basis: BasisKind::Delta,
            restarted: false,
            reset: false,
        }),
        findings: vec![fsync, idle, ssl, hit, backup, ok],
        clauses,
        snapshot: None,
    }
}

/// Replaces RFC 3339 times (rendered in the machine's time zone) by `<time>`.
fn redact(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let digit = |j: usize| b.get(j).is_some_and(u8::is_ascii_digit);
    while i < b.len() {
        let looks = (0..4).all(|k| digit(i + k))
            && b.get(i + 4) == Some(&b'-')
            && b.get(i + 10) == Some(&b'T')
            && b.get(i + 13) == Some(&b':');
        if looks {
            let mut j = i + 19;
            if b.get(j) == Some(&b'Z') {
                j += 1;
            } else if matches!(b.get(j), Some(b'+') | Some(b'-')) {
                j += 6;
            }
            out.push_str("<time>");
            i = j.min(b.len());
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Compares with `snapshots/NAME`; `DBKEEPER_UPDATE_SNAPSHOTS=1` writes them instead.
fn snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/inspect/snapshots")
        .join(name);
    let actual = redact(actual);
    if std::env::var_os("DBKEEPER_UPDATE_SNAPSHOTS").is_some() || !path.exists() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("read snapshot");
    assert!(
        want == actual,
        "{name} differs from its snapshot (DBKEEPER_UPDATE_SNAPSHOTS=1 to accept):\n{actual}"
    );
}

#[test]
fn table_snapshots() {
    let r = sample();
    snapshot("table.en.txt", &super::table(&r, Lang::En, Some(140)));
    snapshot("table.zh.txt", &super::table(&r, Lang::ZhCn, Some(140)));
}

#[test]
fn json_snapshot_and_stable_fields() {
    let r = sample();
    let v = super::json(&r, Lang::En);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["verdict"], "critical");
    assert_eq!(v["exit_code"], 2);
    assert_eq!(v["counts"]["critical"], 1);
    assert_eq!(v["findings"][0]["check"], "PG-CFG-001");
    assert_eq!(v["findings"][0]["status"], "critical");
    assert_eq!(v["clauses"][0]["verdict"], "fail");
    snapshot(
        "report.en.json",
        &serde_json::to_string_pretty(&v).expect("json"),
    );
    let zh = super::json(&r, Lang::ZhCn);
    assert_eq!(zh["findings"][0]["title"], "fsync 已开启");
}

#[test]
fn markdown_snapshots() {
    let r = sample();
    snapshot("report.en.md", &super::markdown(&r, Lang::En));
    snapshot("report.zh.md", &super::markdown(&r, Lang::ZhCn));
}

#[test]
fn html_snapshots_are_self_contained_and_escaped() {
    let r = sample();
    for (lang, name) in [(Lang::En, "report.en.html"), (Lang::ZhCn, "report.zh.html")] {
        let h = super::html(&r, lang);
        assert!(h.starts_with("<!DOCTYPE html>"));
        for external in ["http://", "https://", "<script", "<link", "src="] {
            assert!(!h.contains(external), "{name} has {external}");
        }
        // The evidence's `<t>` and quotes are escaped, not markup.
        assert!(h.contains("UPDATE &lt;t&gt; SET a = &#39;x&#39;"), "{name}");
        snapshot(name, &h);
    }
    assert!(super::html(&r, Lang::ZhCn).contains("<html lang=\"zh-CN\">"));
}

#[test]
fn nagios_and_prometheus_snapshots() {
    let r = sample();
    let line = super::nagios(&r, Lang::En);
    assert!(
        line.starts_with("DBKEEPER INSPECT CRITICAL - prod-pg: "),
        "{line}"
    );
    assert!(!line.contains('\n'));
    snapshot("nagios.txt", &line);
    let prom = super::prometheus(&[&r]);
    assert!(prom.contains(
        "dbkeeper_inspect_check_status{target=\"prod-pg\",check=\"PG-CFG-001\",group=\"configuration\",severity=\"critical\"} 2"
    ));
    assert!(
        prom.contains("dbkeeper_inspect_last_run_timestamp_seconds{target=\"prod-pg\"} 1795572000")
    );
    snapshot("metrics.prom", &prom);
}

#[test]
fn unreachable_target_renders_everywhere_with_exit_3() {
    let target = Target::from_url(Some("gone"), "postgres://u@127.0.0.1:1/db").expect("url");
    let e = Error::new(ErrorKind::Unavailable, Text::verbatim("cannot reach gone"));
    let r = Report::unreachable(&target, "default", e);
    assert_eq!(super::exit_code(&r), 3);
    let line = super::nagios(&r, Lang::En);
    assert!(
        line.starts_with("DBKEEPER INSPECT UNKNOWN - gone: "),
        "{line}"
    );
    assert!(super::prometheus(&[&r]).contains("dbkeeper_inspect_up{target=\"gone\"} 0"));
    assert_eq!(super::json(&r, Lang::En)["verdict"], "unreachable");
    assert!(super::table(&r, Lang::ZhCn, Some(100)).contains("无法巡检"));
    assert!(super::markdown(&r, Lang::En).contains("could not inspect"));
    assert!(super::html(&r, Lang::En).contains("could not inspect"));
}

#[test]
fn exit_codes_follow_the_worst_status() {
    let mut r = sample();
    assert_eq!(super::exit_code(&r), 2);
    r.findings.retain(|f| f.status != Status::Critical);
    assert_eq!(super::exit_code(&r), 1);
    r.findings.retain(|f| f.status != Status::Warning);
    // Notes and checks that could not run do not fail a run.
    assert_eq!(super::exit_code(&r), 0);
}

#[test]
fn prometheus_labels_are_escaped_and_the_file_replaced_whole() {
    let mut r = sample();
    r.target = "a\"b\\c".into();
    let prom = super::prometheus(&[&r]);
    assert!(prom.contains("target=\"a\\\"b\\\\c\""), "{prom}");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("dbkeeper.prom");
    super::write_prometheus(&path, &[&r]).expect("write");
    super::write_prometheus(&path, &[&r]).expect("rewrite");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), prom);
    let leftovers = std::fs::read_dir(dir.path()).expect("ls").count();
    assert_eq!(leftovers, 1, "temporary file left behind");
    let e = super::write_prometheus(std::path::Path::new("/nonexistent/dir/x.prom"), &[&r])
        .expect_err("no such dir");
    assert_eq!(e.exit_code(), 73);
    assert!(e.render(Lang::ZhCn).contains("无法写入"));
}

#[test]
fn catalogue_lists_render() {
    let t = super::catalogue_table(EngineKind::Mysql, Lang::ZhCn, Some(160));
    assert!(t.contains("MY-SEC-001"));
    let j = super::catalogue_json(EngineKind::Postgres, Lang::En);
    assert!(j.as_array().is_some_and(|a| a.len() >= 70));
    assert!(j[0]["source"].as_str().is_some_and(|s| !s.is_empty()));
}
