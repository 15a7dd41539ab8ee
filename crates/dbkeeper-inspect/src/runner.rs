//! The runner: one connection, the server's base facts, the probes the selected checks need
//! (each once), the snapshot and its rates, then every check as a pure function.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use chrono::Utc;
use dbkeeper_core::engine::Engine;
use dbkeeper_core::ledger::{InspectionFinding, Ledger};
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};

use crate::check::{Base, Ctx, Def, Probe, ProbeResult, RunData};
use crate::checks;
use crate::djbh3;
use crate::freshness::Freshness;
use crate::model::{Finding, HostView, Report, Status, ThresholdUsed};
use crate::msg;
use crate::options::{InspectOptions, Profile};
use crate::snapshot::{self, History, Rates};
use crate::threshold;

/// Inspects the server behind `engine` with the history the caller read from the ledger.
///
/// A target that stops answering yields a report with `reachable = false` (exit code 3), not
/// an error: every output can still say what happened.
pub async fn inspect_with(
    engine: &dyn Engine,
    target: &Target,
    opts: &InspectOptions,
    history: &History,
    freshness: Freshness,
) -> Report {
    let started_at = Utc::now();
    let clock = Instant::now();
    let profile = opts.profile.name();
    let facts = match engine.facts().await {
        Ok(f) => f,
        Err(e) => return Report::unreachable(target, profile, e),
    };
    let base = match target.engine {
        EngineKind::Postgres => checks::postgres::base(engine, target, facts, opts).await,
        EngineKind::Mysql => checks::mysql::base(engine, target, facts, opts).await,
    };
    let base = match base {
        Ok(b) => b,
        Err(e) => return Report::unreachable(target, profile, e),
    };

    let defs = defs(target.engine);
    let selected: Vec<&Def> = defs.iter().filter(|d| opts.selects(&d.info)).collect();
    let (probe_list, always): (&[Probe], &[&str]) = match target.engine {
        EngineKind::Postgres => (checks::postgres::probes::PROBES, checks::postgres::ALWAYS),
        EngineKind::Mysql => (checks::mysql::probes::PROBES, checks::mysql::ALWAYS),
    };
    let mut wanted: BTreeSet<&'static str> = always.iter().copied().collect();
    for d in &selected {
        wanted.extend(d.probes.iter().copied());
    }
    let (probes, lost) = run_probes(engine, &base, probe_list, &wanted).await;

    let host = host_view(&base);
    let now = Utc::now();
    let snap = match target.engine {
        EngineKind::Postgres => checks::postgres::snapshot(&base, &probes, host.as_ref(), now),
        EngineKind::Mysql => checks::mysql::snapshot(&base, &probes, host.as_ref(), now),
    };
    let rates = Rates::new(snap, history);
    let run = RunData {
        base,
        probes,
        rates,
        host,
        freshness,
        versions: opts.versions.clone(),
        now,
        max_rows: opts.max_evidence_rows,
    };
    let findings: Vec<Finding> = selected.iter().map(|d| evaluate(d, &run, opts)).collect();
    let clauses = if opts.profile == Profile::Djbh3 {
        djbh3::clauses(target.engine, &findings)
    } else {
        Vec::new()
    };
    let stats = run.rates.stats_info();
    Report {
        target: target.name.clone(),
        engine: target.engine,
        product: run.base.facts.product.clone(),
        version: run.base.facts.version.clone(),
        role: Some(run.base.facts.role),
        database: run.base.database.clone(),
        profile: profile.to_string(),
        started_at,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        reachable: lost.is_none(),
        error: lost,
        host: run.host.clone(),
        stats: Some(stats),
        findings,
        clauses,
        snapshot: Some(run.rates.current.clone()),
    }
}

/// Every check of an engine family, built once.
pub(crate) fn defs(engine: EngineKind) -> &'static [Def] {
    use std::sync::OnceLock;
    static PG: OnceLock<Vec<Def>> = OnceLock::new();
    static MY: OnceLock<Vec<Def>> = OnceLock::new();
    match engine {
        EngineKind::Postgres => PG.get_or_init(checks::postgres::defs),
        EngineKind::Mysql => MY.get_or_init(checks::mysql::defs),
    }
}

/// Runs each wanted probe once. A lost connection stops the run: the remaining probes are
/// marked with that reason and the error is returned beside them.
async fn run_probes(
    engine: &dyn Engine,
    base: &Base,
    all: &[Probe],
    wanted: &BTreeSet<&'static str>,
) -> (HashMap<&'static str, ProbeResult>, Option<Error>) {
    let mut out = HashMap::new();
    let mut lost: Option<Error> = None;
    for p in all.iter().filter(|p| wanted.contains(p.name)) {
        if lost.is_some() {
            out.insert(
                p.name,
                ProbeResult::Unavailable(Text::new(msg::CONNECTION_LOST)),
            );
            continue;
        }
        if let Some(gate) = p.gate {
            if let Err(why) = gate(base) {
                out.insert(p.name, ProbeResult::Unavailable(why));
                continue;
            }
        }
        let Some(sql) = p
            .sql
            .iter()
            .rev()
            .find(|(min, _)| base.version_num >= *min)
            .map(|(_, sql)| *sql)
        else {
            let oldest = p.sql.first().map_or(0, |(v, _)| *v);
            out.insert(
                p.name,
                ProbeResult::Unavailable(
                    Text::new(msg::NEEDS_VERSION)
                        .arg("needed", version_words(base, oldest))
                        .arg("version", &base.facts.version),
                ),
            );
            continue;
        };
        let t = Instant::now();
        match engine.query(sql).await {
            Ok(rows) => {
                tracing::debug!(
                    probe = p.name,
                    rows = rows.len(),
                    ms = t.elapsed().as_millis(),
                    "probe"
                );
                out.insert(p.name, ProbeResult::Rows(rows));
            }
            Err(e) if e.kind == ErrorKind::Unavailable => {
                out.insert(
                    p.name,
                    ProbeResult::Unavailable(Text::new(msg::CONNECTION_LOST)),
                );
                lost = Some(e);
            }
            Err(e) => {
                tracing::debug!(probe = p.name, error = %e, "probe failed");
                out.insert(p.name, ProbeResult::Unavailable(probe_error(base, &e)));
            }
        }
    }
    (out, lost)
}

/// `15` for PostgreSQL's 150000, `10.5` for MySQL's 100500.
fn version_words(base: &Base, n: u32) -> String {
    match base.target.engine {
        EngineKind::Postgres => format!("{}", n / 10000),
        EngineKind::Mysql => format!("{}.{}", n / 10000, n / 100 % 100),
    }
}

/// A failed probe's reason: a missing privilege says which user and how to grant it.
pub(crate) fn probe_error(base: &Base, e: &Error) -> Text {
    let detail = e.detail.clone().unwrap_or_else(|| e.render(Lang::En));
    let lower = detail.to_ascii_lowercase();
    if lower.contains("sqlstate 42501")
        || lower.contains("permission denied")
        || lower.contains("access denied")
        || lower.contains("command denied")
    {
        Text::new(msg::PROBE_PRIVILEGE)
            .arg("user", &base.target.user)
            .arg("detail", detail)
    } else if lower.contains("sqlstate 57014")
        || lower.contains("sqlstate 55p03")
        || lower.contains("max_statement_time")
        || lower.contains("maximum statement execution time")
    {
        Text::new(msg::PROBE_TIMEOUT).arg("detail", detail)
    } else {
        Text::new(msg::PROBE_FAILED).arg("detail", detail)
    }
}

fn evaluate(def: &Def, run: &RunData, opts: &InspectOptions) -> Finding {
    let clock = Instant::now();
    let thresholds: Vec<_> = def
        .info
        .thresholds
        .iter()
        .map(|d| match opts.overrides.get(def.info.id, d.name) {
            Some(v) => (*d, v, true),
            None => (*d, d.default, false),
        })
        .collect();
    let shown: Vec<ThresholdUsed> = thresholds
        .iter()
        .map(|(d, v, o)| ThresholdUsed {
            name: d.name,
            value: *v,
            shown: threshold::show(d.unit, *v),
            overridden: *o,
        })
        .collect();
    let ctx = Ctx { run, thresholds };
    let result = (def.eval)(&ctx);
    let duration_ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
    let title = Text::new(def.info.title);
    match result {
        Ok(o) => Finding {
            check: def.info.id,
            group: def.info.group,
            status: o.status,
            title,
            remediation: if o.status == Status::Ok {
                None
            } else {
                Some(o.remediation.unwrap_or_else(|| Text::new(def.info.fix)))
            },
            summary: o.summary,
            reason: None,
            evidence: o.evidence,
            thresholds: shown,
            compliance: def.info.tags,
            basis: o.basis,
            duration_ms,
        },
        Err(skip) => Finding {
            check: def.info.id,
            group: def.info.group,
            status: Status::NotRun,
            title,
            summary: skip.0.clone(),
            remediation: None,
            reason: Some(skip.0),
            evidence: Default::default(),
            thresholds: shown,
            compliance: def.info.tags,
            basis: None,
            duration_ms,
        },
    }
}

/// Host facts, only when dbkeeper runs on the database host (research §7: remote RAM
/// detection was wrong in MySQLTuner, MT#779/#796/#810, so we do not guess).
fn host_view(base: &Base) -> Option<HostView> {
    if !base.target.is_local() {
        return None;
    }
    let data_dir = base.facts.data_directory.as_deref();
    let h = base
        .facts
        .host
        .clone()
        .unwrap_or_else(|| dbkeeper_core::host::HostFacts::gather(data_dir));
    let fs =
        |p: Option<String>| p.and_then(|p| dbkeeper_core::host::fs_usage(std::path::Path::new(&p)));
    let (wal_fs, binlog_fs) = match base.target.engine {
        EngineKind::Postgres => (fs(data_dir.map(|d| format!("{d}/pg_wal"))), None),
        EngineKind::Mysql => {
            let binlog_dir = base
                .settings
                .get("log_bin_basename")
                .map(|s| s.value.clone())
                .filter(|v| !v.is_empty())
                .and_then(|v| {
                    std::path::Path::new(&v)
                        .parent()
                        .map(|p| p.display().to_string())
                })
                .or_else(|| data_dir.map(str::to_string));
            (None, fs(binlog_dir))
        }
    };
    Some(HostView {
        hostname: h.hostname,
        cpus: h.cpus,
        memory_total_bytes: h.memory_total_bytes,
        data_fs: h.data_fs,
        wal_fs,
        binlog_fs,
    })
}

/// Stores the report's snapshot and findings in the ledger.
pub fn record(ledger: &Ledger, report: &Report, run_id: Option<i64>) -> Result<Option<i64>> {
    let Some(snap) = &report.snapshot else {
        return Ok(None);
    };
    let id = snapshot::store(ledger, snap, run_id)?;
    let findings: Vec<InspectionFinding> = report
        .findings
        .iter()
        .map(|f| InspectionFinding {
            check_id: f.check.to_string(),
            status: f.status.as_str().to_string(),
            summary: f.summary.render(Lang::En),
            evidence: serde_json::to_string(&f.evidence).unwrap_or_else(|_| "{}".into()),
        })
        .collect();
    ledger.add_inspection_findings(id, &report.target, &findings)?;
    Ok(Some(id))
}

/// The whole inspection with the ledger: reads the history, inspects, stores the snapshot.
///
/// The ledger is only touched before and after the server work; callers that need a `Send`
/// future (spawned tasks) use [`History::load`], [`inspect_with`] and [`record`] themselves.
pub async fn inspect(
    engine: &dyn Engine,
    target: &Target,
    opts: &InspectOptions,
    ledger: Option<&Ledger>,
    freshness: Freshness,
) -> Result<Report> {
    let history = match ledger {
        Some(l) => History::load(l, &target.name, target.engine)?,
        None => History::default(),
    };
    let report = inspect_with(engine, target, opts, &history, freshness).await;
    if let Some(l) = ledger {
        if report.reachable {
            record(l, &report, opts.run_id)?;
        }
    }
    Ok(report)
}
