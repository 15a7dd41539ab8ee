//! `--format json`: one document with stable snake_case fields (DESIGN §10: units in the names,
//! times in RFC 3339). Texts are in the chosen language; ids and statuses are the stable keys
//! scripts should branch on.

use dbkeeper_core::Lang;
use dbkeeper_inspect::{Finding, Report};
use serde_json::{json, Value};

/// Bumped when a field changes meaning or disappears (additions do not bump it).
pub const SCHEMA_VERSION: u32 = 1;

pub fn json(r: &Report, lang: Lang) -> Value {
    let c = r.counts();
    json!({
        "schema_version": SCHEMA_VERSION,
        "target": r.target,
        "engine": r.engine,
        "product": r.product,
        "version": r.version,
        "role": r.role,
        "database": r.database,
        "profile": r.profile,
        "started_at": super::when(r.started_at),
        "duration_ms": r.duration_ms,
        "reachable": r.reachable,
        "error": r.error.as_ref().map(|e| e.render(lang)),
        "verdict": r.verdict().map_or("unreachable", |s| s.as_str()),
        "verdict_text": super::verdict_line(r, lang),
        "exit_code": r.exit_code(),
        "counts": c,
        "host": r.host,
        "stats": r.stats.as_ref().map(|s| json!({
            "uptime_seconds": s.uptime_seconds,
            "started_at": s.started_at.map(super::when),
            "stats_reset": s.stats_reset.map(super::when),
            "previous_snapshot_at": s.previous_snapshot_at.map(super::when),
            "basis": s.basis,
            "restarted": s.restarted,
            "reset": s.reset,
        })),
        "findings": r.findings.iter().map(|f| finding(f, lang)).collect::<Vec<_>>(),
        "clauses": r.clauses.iter().map(|c| json!({
            "clause": c.clause,
            "title": c.title.render(lang),
            "verdict": c.verdict.as_str(),
            "checks": c.checks,
            "assessor_asks": c.assessor_asks.render(lang),
        })).collect::<Vec<_>>(),
    })
}

fn finding(f: &Finding, lang: Lang) -> Value {
    json!({
        "check": f.check,
        "group": f.group,
        "status": f.status.as_str(),
        "title": f.title.render(lang),
        "summary": f.summary.render(lang),
        "remediation": f.remediation.as_ref().map(|t| t.render(lang)),
        "reason": f.reason.as_ref().map(|t| t.render(lang)),
        "evidence": f.evidence,
        "thresholds": f.thresholds,
        "compliance": f.compliance,
        "basis": f.basis.as_ref().map(|b| json!({
            "kind": b.kind,
            "since": b.since.map(super::when),
            "seconds": b.seconds,
            "note": b.why.as_ref().map(|t| t.render(lang)),
        })),
        "duration_ms": f.duration_ms,
    })
}
