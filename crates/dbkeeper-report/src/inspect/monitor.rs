//! For monitors: one Nagios status line (check_postgres' convention, with perfdata) and a
//! Prometheus text file for node_exporter's textfile collector.

use std::io::Write;
use std::path::Path;

use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};
use dbkeeper_inspect::{Report, Status};

use super::msg;

/// `DBKEEPER INSPECT CRITICAL - prod: 2 critical, 1 warning, … (PG-CFG-001, …) | perfdata`.
/// The state word is Nagios' own (OK, WARNING, CRITICAL, UNKNOWN) in every language.
pub fn nagios(r: &Report, lang: Lang) -> String {
    let c = r.counts();
    let state = match r.verdict() {
        None => "UNKNOWN",
        Some(Status::Critical) => "CRITICAL",
        Some(Status::Warning) => "WARNING",
        Some(_) => "OK",
    };
    if !r.reachable {
        let why = r
            .error
            .as_ref()
            .map(|e| e.main.what.render(lang))
            .unwrap_or_default();
        return format!(
            "DBKEEPER INSPECT {state} - {}: {} ({why})",
            r.target,
            super::verdict_line(r, lang)
        );
    }
    let worst: Vec<&str> = r
        .with_status(Status::Critical)
        .chain(r.with_status(Status::Warning))
        .take(5)
        .map(|f| f.check)
        .collect();
    let mut line = format!(
        "DBKEEPER INSPECT {state} - {}: {}",
        r.target,
        super::counts_line(&c, lang)
    );
    if !worst.is_empty() {
        line.push_str(&format!(" ({})", worst.join(", ")));
    }
    line.push_str(&format!(
        " | critical={} warning={} info={} not_run={} ok={} duration={:.3}s",
        c.critical,
        c.warning,
        c.info,
        c.not_run,
        c.ok,
        r.duration_ms as f64 / 1000.0
    ));
    line
}

/// Prometheus text exposition: label values escaped (backslash, quote, newline).
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The metrics of one or more inspections (one file may hold every target of a host).
///
/// `dbkeeper_inspect_check_status` is 0 for ok and info, 1 warning, 2 critical, 3 not run
/// (Nagios' numbers), with the severity also as a label for readable alert rules.
pub fn prometheus(reports: &[&Report]) -> String {
    let mut o = String::new();
    o.push_str("# HELP dbkeeper_inspect_up 1 when the target could be inspected, 0 when it could not be reached.\n");
    o.push_str("# TYPE dbkeeper_inspect_up gauge\n");
    for r in reports {
        o.push_str(&format!(
            "dbkeeper_inspect_up{{target=\"{}\"}} {}\n",
            label(&r.target),
            u8::from(r.reachable)
        ));
    }
    o.push_str("# HELP dbkeeper_inspect_exit_code The inspection's exit code: 0 ok, 1 warning, 2 critical, 3 could not inspect.\n");
    o.push_str("# TYPE dbkeeper_inspect_exit_code gauge\n");
    for r in reports {
        o.push_str(&format!(
            "dbkeeper_inspect_exit_code{{target=\"{}\"}} {}\n",
            label(&r.target),
            r.exit_code()
        ));
    }
    o.push_str("# HELP dbkeeper_inspect_check_status Result of one check: 0 ok or info, 1 warning, 2 critical, 3 not run.\n");
    o.push_str("# TYPE dbkeeper_inspect_check_status gauge\n");
    for r in reports {
        for f in &r.findings {
            o.push_str(&format!(
                "dbkeeper_inspect_check_status{{target=\"{}\",check=\"{}\",group=\"{}\",severity=\"{}\"}} {}\n",
                label(&r.target),
                label(f.check),
                f.group.as_str(),
                f.status.as_str(),
                f.status.nagios_code()
            ));
        }
    }
    o.push_str("# HELP dbkeeper_inspect_findings Number of checks per severity.\n");
    o.push_str("# TYPE dbkeeper_inspect_findings gauge\n");
    for r in reports {
        let c = r.counts();
        for s in Status::BY_SEVERITY {
            o.push_str(&format!(
                "dbkeeper_inspect_findings{{target=\"{}\",severity=\"{}\"}} {}\n",
                label(&r.target),
                s.as_str(),
                c.get(s)
            ));
        }
    }
    o.push_str("# HELP dbkeeper_inspect_duration_seconds How long the inspection took.\n");
    o.push_str("# TYPE dbkeeper_inspect_duration_seconds gauge\n");
    for r in reports {
        o.push_str(&format!(
            "dbkeeper_inspect_duration_seconds{{target=\"{}\"}} {:.3}\n",
            label(&r.target),
            r.duration_ms as f64 / 1000.0
        ));
    }
    o.push_str(
        "# HELP dbkeeper_inspect_last_run_timestamp_seconds When the inspection ran (Unix time).\n",
    );
    o.push_str("# TYPE dbkeeper_inspect_last_run_timestamp_seconds gauge\n");
    for r in reports {
        o.push_str(&format!(
            "dbkeeper_inspect_last_run_timestamp_seconds{{target=\"{}\"}} {}\n",
            label(&r.target),
            r.started_at.timestamp()
        ));
    }
    o
}

/// Writes the text file the way the textfile collector needs it: to a temporary file in the
/// same directory, then renamed over the old one, so that a scrape never reads half a file.
pub fn write_prometheus(path: &Path, reports: &[&Report]) -> Result<()> {
    let shown = path.display().to_string();
    let err = |e: std::io::Error| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::PROM_WRITE).arg("path", &shown),
        )
        .at(&shown)
        .hint(Text::new(msg::PROM_WRITE_HINT))
        .detail(e)
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dbkeeper.prom".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(prometheus(reports).as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}
