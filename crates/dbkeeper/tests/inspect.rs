//! `dbkeeper inspect` through the binary, on scratch servers of both engines: verdicts and exit
//! codes, a provoked problem flipping its check, `--only`/`--skip`, report files in both
//! languages, the Prometheus text file, the Nagios line, unreachable targets, bad arguments,
//! `--list`, the 等保 profile. One scratch server per engine serves all of its asserts.

use std::collections::BTreeMap;
use std::path::Path;

use dbkeeper_testkit::{run, url_of, Cli, ScratchInstance, ScratchMysql, ScratchPostgres};
use serde_json::Value;

fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_dbkeeper"))
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn psql(s: &ScratchPostgres, sql: &str) -> (bool, String) {
    let t = s.target();
    let out = std::process::Command::new("psql")
        .args(["-X", "-A", "-t", "-h", "127.0.0.1", "-p"])
        .arg(t.port.to_string())
        .args(["-U", &t.user, "-d", "postgres", "-c", sql])
        .output()
        .expect("psql");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string()
            + &String::from_utf8_lossy(&out.stderr),
    )
}

fn mariadb_client(s: &ScratchMysql, sql: &str) {
    let t = s.target();
    let out = std::process::Command::new("mariadb")
        .args(["--no-defaults", "-h", "127.0.0.1", "-P"])
        .arg(t.port.to_string())
        .args(["-u", &t.user, "-N", "-B", "-e", sql])
        .output()
        .expect("mariadb client");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The JSON document of `--format json inspect`: one report per target.
fn reports(out: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v.as_array().expect("an array of reports").clone()
}

fn finding<'a>(report: &'a Value, id: &str) -> Option<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["check"] == id)
}

fn status(report: &Value, id: &str) -> String {
    finding(report, id).unwrap_or_else(|| panic!("no finding {id}"))["status"]
        .as_str()
        .expect("status")
        .to_string()
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["check"].as_str().expect("id").to_string())
        .collect()
}

/// One sample of a Prometheus text file: the metric name, its labels, its value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses the text exposition format strictly enough that a malformed line fails the test:
/// `# HELP`/`# TYPE` comments, and `name{k="v",…} value` samples whose metric has a TYPE.
fn parse_prometheus(text: &str) -> Vec<Sample> {
    let mut typed = std::collections::BTreeSet::new();
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let name = parts.next().expect("type name");
            assert_eq!(parts.next(), Some("gauge"), "{line}");
            typed.insert(name.to_string());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        assert!(!line.starts_with('#'), "unknown comment: {line}");
        let (series, value) = line.rsplit_once(' ').expect("series value");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (n, l.strip_suffix('}').expect("closing brace")),
            None => (series, ""),
        };
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "metric name in {line}"
        );
        assert!(typed.contains(name), "sample before its TYPE: {line}");
        let mut map = BTreeMap::new();
        if !labels.is_empty() {
            for pair in labels.split("\",") {
                let (k, v) = pair.split_once("=\"").expect("label k=\"v\"");
                map.insert(k.to_string(), v.trim_end_matches('"').to_string());
            }
        }
        samples.push(Sample {
            name: name.to_string(),
            labels: map,
            value,
        });
    }
    samples
}

fn sample<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().find(|s| {
        s.name == name
            && labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
    })
}

fn audit_lines(c: &Cli) -> Vec<Value> {
    std::fs::read_to_string(c.audit_path())
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("audit line"))
        .collect()
}

fn no_temp_files(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn postgres_verdicts_outputs_and_a_provoked_invalid_index() {
    let pg = dbkeeper_testkit::postgres();
    let c = cli();
    let url = url_of(&pg, Some("postgres"));
    let work = c.work_dir();

    // The scratch runs with fsync and full_page_writes off: critical, exit 2.
    let (code, out, err) = run(c.cmd().args(["--format", "json", "inspect", &url]));
    assert_eq!(code, 2, "{err}");
    assert!(err.is_empty(), "json mode keeps stderr quiet: {err}");
    let r = &reports(&out)[0];
    assert_eq!(r["exit_code"], 2);
    assert_eq!(r["verdict"], "critical");
    assert_eq!(r["reachable"], true);
    assert_eq!(r["product"], "PostgreSQL");
    assert_eq!(status(r, "PG-CFG-001"), "critical");
    assert_eq!(status(r, "PG-CFG-002"), "critical");
    assert_eq!(status(r, "PG-SEC-010"), "warning", "ssl = off");
    assert_eq!(status(r, "PG-IDX-001"), "ok");
    assert!(r["findings"].as_array().expect("findings").len() >= 70);
    assert_eq!(r["counts"]["critical"], 2);
    assert!(
        r["stats"]["previous_snapshot_at"].is_null(),
        "first inspection: no earlier snapshot"
    );

    // Skipping the two: warnings remain, exit 1. The ledger now has the first snapshot.
    let (code, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        &url,
        "--skip",
        "PG-CFG-001,PG-CFG-002",
    ]));
    assert_eq!(code, 1, "{err}");
    let r = &reports(&out)[0];
    assert_eq!(r["verdict"], "warning");
    assert!(finding(r, "PG-CFG-001").is_none() && finding(r, "PG-CFG-002").is_none());
    assert_eq!(status(r, "PG-SEC-010"), "warning");
    assert!(
        r["stats"]["previous_snapshot_at"].is_string(),
        "the first run's snapshot was stored in the ledger: {}",
        r["stats"]
    );

    // --only one check (and a whole group), repeated and comma-separated.
    let (code, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--only", "PG-IDX-001"]));
    assert_eq!(code, 0);
    assert_eq!(ids(&reports(&out)[0]), ["PG-IDX-001"]);
    let (_, out, _) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        &url,
        "--only",
        "indexes",
        "--only",
        "PG-CFG-001",
        "--skip",
        "PG-IDX-002",
    ]));
    let got = ids(&reports(&out)[0]);
    assert!(got.contains(&"PG-IDX-001".to_string()) && got.contains(&"PG-CFG-001".into()));
    assert!(!got.contains(&"PG-IDX-002".to_string()), "{got:?}");
    assert!(got
        .iter()
        .all(|id| id.starts_with("PG-IDX-") || id == "PG-CFG-001"));

    // Quiet on success: nothing on stdout when all is well.
    let (code, out, err) = run(c
        .cmd()
        .args(["-q", "inspect", &url, "--only", "PG-IDX-001"]));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));

    // Provoke: a failed CREATE INDEX CONCURRENTLY leaves an invalid index.
    let (ok, _) = psql(
        &pg,
        "CREATE TABLE dup (v int); INSERT INTO dup VALUES (1), (1);",
    );
    assert!(ok);
    let (ok, text) = psql(&pg, "CREATE UNIQUE INDEX CONCURRENTLY dup_v ON dup (v)");
    assert!(!ok, "duplicates must make it fail: {text}");
    let (code, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--only", "PG-IDX-001"]));
    assert_eq!(code, 1, "the invalid index is a warning");
    let r = &reports(&out)[0];
    assert_eq!(status(r, "PG-IDX-001"), "warning");
    assert!(
        finding(r, "PG-IDX-001").expect("finding")["evidence"]
            .to_string()
            .contains("dup_v"),
        "{r}"
    );
    // The terminal table now shows it, even with -q.
    let (code, out, _) = run(c
        .cmd()
        .args(["-q", "inspect", &url, "--only", "PG-IDX-001"]));
    assert_eq!(code, 1);
    assert!(
        out.contains("WARNING (1)") && out.contains("PG-IDX-001"),
        "{out}"
    );

    // Report files in English and Chinese, Prometheus, Nagios, all from one run each.
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["inspect", url.as_str(), "--skip", "PG-CFG-001,PG-CFG-002"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let (code, out, err) = run(c.cmd().args(args(&[
        "--report",
        "daily.html",
        "--prom-out",
        "dbkeeper.prom",
    ])));
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("PG-IDX-001"),
        "the table is printed too: {out}"
    );
    assert!(err.contains("report written"), "{err}");
    let html = std::fs::read_to_string(work.join("daily.html")).expect("html report");
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Database inspection report"));
    assert!(html.contains("needs attention"), "the verdict leads");
    assert!(html.contains("PG-IDX-001") && html.contains("dup_v"));
    assert!(html.trim_end().ends_with("</html>"));
    no_temp_files(&work);

    let prom = std::fs::read_to_string(work.join("dbkeeper.prom")).expect("prom file");
    let samples = parse_prometheus(&prom);
    let target = reports(
        &run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--only", "PG-IDX-001"]))
        .1,
    )[0]["target"]
        .as_str()
        .expect("target")
        .to_string();
    let t = [("target", target.as_str())];
    assert_eq!(
        sample(&samples, "dbkeeper_inspect_up", &t)
            .expect("up")
            .value,
        1.0
    );
    assert_eq!(
        sample(&samples, "dbkeeper_inspect_exit_code", &t)
            .expect("exit code")
            .value,
        1.0
    );
    let idx = sample(
        &samples,
        "dbkeeper_inspect_check_status",
        &[("check", "PG-IDX-001"), ("target", target.as_str())],
    )
    .expect("PG-IDX-001 status");
    assert_eq!(
        (idx.value, idx.labels["severity"].as_str()),
        (1.0, "warning")
    );
    assert!(sample(
        &samples,
        "dbkeeper_inspect_check_status",
        &[("check", "PG-CFG-001")]
    )
    .is_none());
    assert_eq!(
        sample(
            &samples,
            "dbkeeper_inspect_findings",
            &[("severity", "critical")]
        )
        .expect("findings")
        .value,
        0.0
    );

    let (code, out, err) = run(c.cmd().args([
        "--lang",
        "zh-CN",
        "inspect",
        &url,
        "--only",
        "PG-IDX-001,PG-SEC-010",
        "--report",
        "巡检报告.md",
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("警告"), "{out}");
    let md = std::fs::read_to_string(work.join("巡检报告.md")).expect("markdown report");
    assert!(md.starts_with("# 数据库巡检报告"), "{md}");
    assert!(md.contains("需要关注") && md.contains("无无效索引") && md.contains("dup_v"));
    assert!(!md.contains("Database inspection report"));

    let (code, _, _) = run(c.cmd().args(args(&["--report", "r.json"])));
    assert_eq!(code, 1);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("r.json")).expect("json report"))
            .expect("json report parses");
    assert_eq!(doc["exit_code"], 1);
    assert_eq!(status(&doc, "PG-IDX-001"), "warning");

    let (code, out, _) = run(c.cmd().args(args(&["--nagios"])));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("DBKEEPER INSPECT WARNING - ")
            && out.contains("PG-IDX-001")
            && out.contains(" | critical=0 warning="),
        "{out}"
    );

    // Every inspection is in the audit log with its counts.
    let audit = audit_lines(&c);
    let inspections: Vec<_> = audit.iter().filter(|e| e["action"] == "inspect").collect();
    assert!(inspections.len() >= 10, "{audit:?}");
    let last = inspections.last().expect("one");
    assert_eq!(last["exit_code"], 1);
    assert_eq!(last["target"], target.as_str());
    assert!(last["details"]["counts"]["warning"].as_u64() >= Some(1));
    let (code, _, _) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0);

    // The config: every target when none is named, its `inspect:` settings, the worst code,
    // one report file per target, and an unreachable one reported as such.
    let down = format!("postgres://nobody@127.0.0.1:{}/x", closed_port());
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  scratch:\n    url: {url}\n    inspect:\n      skip: [PG-CFG-001, PG-CFG-002]\n      \
             thresholds:\n        PG-CON-001: {{warning: 0.5%, critical: 100%}}\n  down:\n    url: {down}\n"
        ),
    );
    let (code, out, err) = run(c
        .cmd()
        .args(["--format", "json", "inspect", "--report", "all.json"]));
    assert_eq!(code, 3, "the worst of 1 and 3: {err}");
    let rs = reports(&out);
    assert_eq!(rs.len(), 2);
    assert_eq!(
        (rs[0]["target"].as_str(), rs[0]["exit_code"].as_u64()),
        (Some("scratch"), Some(1))
    );
    assert!(finding(&rs[0], "PG-CFG-001").is_none(), "the target's skip");
    assert_eq!(
        status(&rs[0], "PG-CON-001"),
        "warning",
        "the target's threshold"
    );
    assert_eq!(
        (rs[1]["target"].as_str(), rs[1]["reachable"].as_bool()),
        (Some("down"), Some(false))
    );
    assert!(work.join("all-scratch.json").is_file() && work.join("all-down.json").is_file());
    assert!(
        err.contains("down") || err.contains("127.0.0.1"),
        "the reason on stderr: {err}"
    );
}

#[test]
fn mariadb_flips_on_an_anonymous_account_and_the_djbh3_profile() {
    let db = dbkeeper_testkit::mariadb();
    let c = cli();
    let url = url_of(&db, None);

    // The scratch's root has no password: that one check is critical.
    let (code, out, err) = run(c.cmd().args(["--format", "json", "inspect", &url]));
    assert_eq!(code, 2, "{err}");
    let r = &reports(&out)[0];
    assert_eq!(r["product"], "MariaDB");
    assert!(r["findings"].as_array().expect("findings").len() >= 70);
    assert_eq!(status(r, "MY-SEC-002"), "critical");
    assert_eq!(status(r, "MY-SEC-001"), "ok");
    let (code, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--skip", "MY-SEC-002"]));
    assert!(code <= 1, "without it: ok or warnings, got {code}");
    assert_eq!(reports(&out)[0]["counts"]["critical"], 0);

    // MY-AV-002 states the role and read_only as it finds them (facts, not a verdict).
    let av = |c: &dbkeeper_testkit::Cli| {
        let (_, out, _) =
            run(c
                .cmd()
                .args(["--format", "json", "inspect", &url, "--only", "MY-AV-002"]));
        let r = reports(&out)[0].clone();
        finding(&r, "MY-AV-002").expect("MY-AV-002").clone()
    };
    let before = av(&c);
    assert_eq!(before["evidence"]["values"]["role"], "primary", "{before}");
    assert_eq!(before["evidence"]["values"]["read_only"], "OFF", "{before}");
    mariadb_client(&db, "SET GLOBAL read_only = ON");
    let after = av(&c);
    assert_eq!(after["evidence"]["values"]["read_only"], "ON", "{after}");
    mariadb_client(&db, "SET GLOBAL read_only = OFF");

    let (code, _, _) = run(c.cmd().args(["inspect", &url, "--only", "MY-SEC-001"]));
    assert_eq!(code, 0);
    mariadb_client(&db, "CREATE USER ''@'localhost'");
    let (code, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--only", "MY-SEC-001"]));
    assert_eq!(code, 2, "an anonymous account is critical");
    let r = &reports(&out)[0];
    assert_eq!(status(r, "MY-SEC-001"), "critical");
    assert_eq!(ids(r), ["MY-SEC-001"]);

    // 等保 level 3: only tagged checks, a verdict per clause, in Chinese for the assessor.
    let (code, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", &url, "--profile", "djbh3"]));
    assert_eq!(code, 2);
    let r = &reports(&out)[0];
    assert_eq!(r["profile"], "djbh3");
    let findings = r["findings"].as_array().expect("findings");
    assert!(
        findings.len() >= 10 && findings.len() < 70,
        "{}",
        findings.len()
    );
    assert!(findings.iter().all(|f| f["compliance"]
        .as_array()
        .expect("tags")
        .iter()
        .any(|t| t.as_str().is_some_and(|t| t.starts_with("djbh3:")))));
    let clauses = r["clauses"].as_array().expect("clauses");
    assert!(clauses.len() >= 10, "{clauses:?}");
    let identity = clauses
        .iter()
        .find(|c| c["clause"] == "8.1.4.1a")
        .expect("clause 8.1.4.1a");
    assert_eq!(identity["verdict"], "fail");
    assert!(identity["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .any(|c| c == "MY-SEC-001"));
    assert!(clauses
        .iter()
        .all(|c| ["pass", "fail", "cannot_decide"].contains(&c["verdict"].as_str().unwrap_or(""))));

    let (code, out, err) = run(c.cmd().args([
        "--lang",
        "zh-CN",
        "inspect",
        &url,
        "--profile",
        "djbh3",
        "--report",
        "djbh3.html",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(
        out.contains("等保 2.0 第三级") && out.contains("不符合"),
        "{out}"
    );
    let html = std::fs::read_to_string(c.work_dir().join("djbh3.html")).expect("html");
    assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("需立即处理"));
    assert!(html.contains("无匿名账户"));
}

#[test]
fn unreachable_target_exits_3_and_still_writes_the_report_and_metrics() {
    let c = cli();
    let url = format!("postgres://dbkeeper@127.0.0.1:{}/hospital", closed_port());
    let (code, out, err) = run(c.cmd().args([
        "inspect",
        &url,
        "--report",
        "down.html",
        "--prom-out",
        "down.prom",
    ]));
    assert_eq!(code, 3, "{err}");
    assert!(out.contains("could not inspect"), "{out}");
    assert!(err.contains("error:") && err.contains("hint:"), "{err}");
    let html = std::fs::read_to_string(c.work_dir().join("down.html")).expect("report");
    assert!(html.contains("could not inspect: the server could not be reached"));
    let samples =
        parse_prometheus(&std::fs::read_to_string(c.work_dir().join("down.prom")).expect("prom"));
    assert_eq!(
        sample(&samples, "dbkeeper_inspect_up", &[])
            .expect("up")
            .value,
        0.0
    );
    assert_eq!(
        sample(&samples, "dbkeeper_inspect_exit_code", &[])
            .expect("code")
            .value,
        3.0
    );
    assert!(sample(&samples, "dbkeeper_inspect_check_status", &[]).is_none());

    let (code, out, _) = run(c.cmd().args(["inspect", &url, "--nagios"]));
    assert_eq!(code, 3);
    assert!(out.starts_with("DBKEEPER INSPECT UNKNOWN - "), "{out}");
    let (code, out, _) = run(c.cmd().args(["--format", "json", "inspect", &url]));
    assert_eq!(code, 3);
    let r = &reports(&out)[0];
    assert_eq!(
        (r["reachable"].as_bool(), r["verdict"].as_str()),
        (Some(false), Some("unreachable"))
    );
    assert!(r["error"].as_str().is_some_and(|e| !e.is_empty()));

    let audit = audit_lines(&c);
    let last = audit.last().expect("audit entry");
    assert_eq!(
        (last["action"].as_str(), last["exit_code"].as_u64()),
        (Some("inspect"), Some(3))
    );
}

#[test]
fn bad_arguments_are_refused_before_connecting() {
    let c = cli();
    // Nothing listens here: a 64/73/78 proves the check came before any connection (else 3).
    let url = format!("postgres://dbkeeper@127.0.0.1:{}/x", closed_port());
    let my = format!("mysql://root@127.0.0.1:{}", closed_port());

    let (code, out, err) = run(c.cmd().args(["inspect", &url, "--only", "PG-IDX-01"]));
    assert_eq!(code, 64, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("`PG-IDX-01` is not a postgresql check id")
            && err.contains("did you mean `PG-IDX-001`")
            && err.contains("--only"),
        "{err}"
    );
    let (code, _, err) =
        run(c
            .cmd()
            .args(["--lang", "zh-CN", "inspect", &my, "--skip", "MY-SEC-01"]));
    assert_eq!(code, 64);
    assert!(err.contains("是否想写 `MY-SEC-001`"), "{err}");
    let (code, _, err) = run(c.cmd().args(["inspect", &my, "--only", "PG-IDX-001"]));
    assert_eq!(code, 64, "a PostgreSQL id for a MariaDB target: {err}");

    let (code, _, err) = run(c.cmd().args(["inspect", &url, "--profile", "djbh4"]));
    assert_eq!(code, 64);
    assert!(
        err.contains("djbh4") && err.contains("default, djbh3, quick"),
        "{err}"
    );

    let (code, _, err) = run(c.cmd().args(["inspect", &url, "--report", "r.pdf"]));
    assert_eq!(code, 64);
    assert!(err.contains("r.pdf") && err.contains(".html"), "{err}");

    let (code, _, err) =
        run(c
            .cmd()
            .args(["inspect", &url, "--report", "/nonexistent-dir/r.html"]));
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("/nonexistent-dir") && err.contains("mkdir -p"),
        "{err}"
    );
    let (code, _, err) = run(c.cmd().args([
        "--lang",
        "zh-CN",
        "inspect",
        &url,
        "--prom-out",
        "/nonexistent-dir/x.prom",
    ]));
    assert_eq!(code, 73);
    assert!(err.contains("目录 `/nonexistent-dir` 不存在"), "{err}");
    // A report path that is a directory: the write itself fails, after the inspection.
    std::fs::create_dir(c.work_dir().join("taken.html")).expect("mkdir");
    let (code, _, err) = run(c.cmd().args(["inspect", &url, "--report", "taken.html"]));
    assert_eq!(code, 73, "{err}");
    assert!(
        err.contains("cannot write the report") && err.contains("hint:"),
        "{err}"
    );

    // The config's ids are checked too, at file:line:col.
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  pg:\n    url: {url}\n    inspect:\n      skip: [PG-VAC-9]\n"
        ),
    );
    let (code, _, err) = run(c.cmd().args(["inspect", "pg"]));
    assert_eq!(code, 78, "{err}");
    assert!(
        err.contains("PG-VAC-9") && err.contains("dbkeeper.yaml:6"),
        "{err}"
    );

    // No target and no config.
    std::fs::remove_file(c.work_dir().join("dbkeeper.yaml")).expect("rm");
    let (code, _, err) = run(c.cmd().arg("inspect"));
    assert_eq!(code, 78);
    assert!(err.contains("no targets are configured"), "{err}");
    let (code, _, _) = run(c.cmd().args(["inspect", "--engine", "mysql"]));
    assert_eq!(code, 64, "--engine only goes with --list");
}

#[test]
fn list_shows_the_catalogue_without_connecting() {
    let c = cli();
    let (code, out, err) = run(c.cmd().args(["--format", "json", "inspect", "--list"]));
    assert_eq!(code, 0, "{err}");
    let all: Vec<Value> = serde_json::from_str(&out).expect("json");
    let count = |engine: &str| all.iter().filter(|c| c["engine"] == engine).count();
    assert!(count("postgres") >= 70, "{}", count("postgres"));
    assert!(count("mysql") >= 70, "{}", count("mysql"));
    let ids: std::collections::BTreeSet<_> = all.iter().map(|c| c["check"].to_string()).collect();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    let vac = all
        .iter()
        .find(|c| c["check"] == "PG-VAC-001")
        .expect("PG-VAC-001");
    assert!(vac["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(vac["remediation"].as_str().is_some_and(|t| !t.is_empty()));

    let (code, out, _) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        "--list",
        "--profile",
        "djbh3",
        "--engine",
        "mysql",
    ]));
    assert_eq!(code, 0);
    let djbh3: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert!(!djbh3.is_empty() && djbh3.len() < count("mysql"));
    assert!(djbh3.iter().all(|c| c["engine"] == "mysql"
        && c["compliance"]
            .as_array()
            .expect("tags")
            .iter()
            .any(|t| t.as_str().is_some_and(|t| t.starts_with("djbh3:")))));

    // An id of one family narrows the list to that family.
    let (code, out, _) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        "--list",
        "--only",
        "PG-IDX-001",
    ]));
    assert_eq!(code, 0);
    let one: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["check"], "PG-IDX-001");

    // A target URL picks its family, still without connecting.
    let (code, out, err) = run(c.cmd().args([
        "--lang",
        "zh-CN",
        "inspect",
        "--list",
        &format!("mysql://root@127.0.0.1:{}", closed_port()),
        "--only",
        "security",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("MySQL/MariaDB：共 "), "{out}");
    assert!(
        out.contains("MY-SEC-001") && out.contains("无匿名账户"),
        "{out}"
    );
    assert!(!out.contains("PG-") && !out.contains("MY-IDX-"), "{out}");

    let (code, out, _) = run(c.cmd().args(["inspect", "--help"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Examples:")
            && out.contains("--prom-out")
            && out.contains("3 could not inspect")
    );
    let (_, out, _) = run(c.cmd().arg("--help"));
    assert!(out.contains("inspect"), "{out}");
}
