//! `dbkeeper inspect`: the check catalogue on one or more targets, rendered for a terminal, a
//! script (`--format json`), people (`--report FILE.html|.md|.json`), Nagios (`--nagios`) and
//! Prometheus (`--prom-out`), with the exit code monitors branch on (0 ok, 1 warning,
//! 2 critical, 3 could not inspect; the worst over all targets).
//!
//! Everything that can be wrong with the arguments (a check id, a profile, a report extension, a
//! missing output directory) is reported before the first connection, so a typo in a cron line
//! fails in milliseconds and not after a full inspection of every server.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dbkeeper_config::InspectSettings;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Lang, Text};
use dbkeeper_inspect::{catalogue, threshold, Freshness, InspectOptions, Report};
use dbkeeper_report::inspect as render;
use dbkeeper_report::Table;

use crate::app::Ctx;
use crate::cli::{EngineArg, Format, InspectArgs};
use crate::commands::engines;
use crate::{msg, output};

/// The report file's format, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Markdown,
    Json,
}

impl ReportFormat {
    /// `.html`/`.htm`, `.md`/`.markdown`, `.json` (any case); anything else is a usage error,
    /// because guessing would hand the customer a file their viewer cannot open.
    pub fn of(path: &Path) -> Result<ReportFormat, Error> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("html" | "htm") => Ok(ReportFormat::Html),
            Some("md" | "markdown") => Ok(ReportFormat::Markdown),
            Some("json") => Ok(ReportFormat::Json),
            _ => Err(Error::new(
                ErrorKind::Usage,
                Text::new(msg::REPORT_FORMAT).arg("path", path.display()),
            )
            .at("--report")
            .hint(Text::new(msg::REPORT_FORMAT_HINT))),
        }
    }

    pub fn render(self, r: &Report, lang: Lang) -> String {
        match self {
            ReportFormat::Html => render::html(r, lang),
            ReportFormat::Markdown => render::markdown(r, lang),
            ReportFormat::Json => {
                // Rendering a `serde_json::Value` cannot fail; the fallback keeps it total.
                let mut s = serde_json::to_string_pretty(&render::json(r, lang))
                    .unwrap_or_else(|_| "{}".into());
                s.push('\n');
                s
            }
        }
    }
}

pub async fn run(ctx: &Ctx, args: InspectArgs) -> Result<u8, Error> {
    if args.list {
        return list(ctx, &args);
    }
    let report_format = args.report.as_deref().map(ReportFormat::of).transpose()?;
    let plans = plan(ctx, &args)?;
    if let Some(p) = &args.report {
        for (target, _) in &plans {
            dir_exists(&report_path(p, &target.name, plans.len() > 1))?;
        }
    }
    if let Some(p) = &args.prom_out {
        dir_exists(p)?;
    }

    let mut reports = Vec::with_capacity(plans.len());
    let mut json_docs = Vec::new();
    let mut worst = 0u8;
    let mut write_error: Option<Error> = None;
    for (target, opts) in &plans {
        ctx.note(
            Text::new(msg::INSPECTING)
                .arg("target", target)
                .arg("address", target.address()),
        );
        let report = inspect_one(ctx, target, opts).await?;
        let code = report.exit_code();
        worst = worst.max(code);

        if args.nagios {
            output::stdout_line(&render::nagios(&report, ctx.lang));
        } else if ctx.format == Format::Json {
            json_docs.push(render::json(&report, ctx.lang));
        } else if !(ctx.quiet && code == 0) {
            // Quiet on success (cron mails whatever a job prints); anything else is shown.
            output::stdout_line(&render::table(&report, ctx.lang, None));
        }

        let mut written = None;
        if let (Some(base), Some(fmt)) = (&args.report, report_format) {
            let path = report_path(base, &target.name, plans.len() > 1);
            match write_atomically(&path, fmt.render(&report, ctx.lang).as_bytes()) {
                Ok(()) => {
                    ctx.note(Text::new(msg::REPORT_WRITTEN).arg("path", path.display()));
                    written = Some(path);
                }
                Err(e) => {
                    let e = report_write_error(&path, e);
                    if plans.len() > 1 {
                        ctx.render_error(&e);
                    }
                    write_error.get_or_insert(e);
                }
            }
        }
        ctx.audit(
            "inspect",
            Some(&target.name),
            code,
            serde_json::json!({
                "profile": report.profile,
                "reachable": report.reachable,
                "verdict": report.verdict().map_or("unreachable", |s| s.as_str()),
                "counts": report.counts(),
                "checks": report.findings.len(),
                "duration_ms": report.duration_ms,
                "error": report.error.as_ref().map(|e| e.main.what.id()),
                "report": written,
            }),
        )?;
        reports.push(report);
    }
    if !args.nagios && ctx.format == Format::Json {
        output::json(&json_docs)?;
    }
    if let Some(p) = &args.prom_out {
        let refs: Vec<&Report> = reports.iter().collect();
        if let Err(e) = render::write_prometheus(p, &refs) {
            write_error.get_or_insert(e);
        }
    }
    match write_error {
        Some(e) => Err(e),
        None => Ok(worst),
    }
}

/// One target: connect, inspect, store the snapshot. A target that cannot be reached becomes a
/// report that says so (exit code 3), so that the report file and the Prometheus file still
/// tell the monitor; the reason, with its hint, goes to stderr for the person at the terminal.
/// Only a failing ledger is an error here.
async fn inspect_one(ctx: &Ctx, target: &Target, opts: &InspectOptions) -> Result<Report, Error> {
    let engine = match engines::connect(target).await {
        Ok(e) => e,
        Err(e) => {
            ctx.render_error(&e);
            return Ok(Report::unreachable(target, opts.profile.name(), e));
        }
    };
    dbkeeper_inspect::inspect(
        engine.as_ref(),
        target,
        opts,
        Some(&ctx.state.ledger),
        freshness(ctx, target),
    )
    .await
}

/// What dbkeeper knows about the target's backups and restore drills, for the backup-group
/// checks. Nothing records them yet, so the checks say they cannot decide (never a silent
/// pass); when backups and drills land in the ledger and the repositories, this is the one
/// place that reads them.
pub fn freshness(ctx: &Ctx, target: &Target) -> Freshness {
    // Backups this host made are in its ledger, filed under the name the repository uses. An
    // empty ledger proves nothing (backups may run elsewhere): then the checks say they cannot
    // decide, rather than "none ever".
    let recorded = ctx
        .state
        .ledger
        .latest_backups(&dbkeeper_backup::repo_name(target))
        .unwrap_or_default();
    let mut f = Freshness::default();
    let name = dbkeeper_backup::repo_name(target);
    if let Ok(Some(d)) = ctx.state.ledger.latest_drill(&name) {
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(&d.ended_at) {
            f.drill = dbkeeper_inspect::freshness::Known::Yes(Some(
                dbkeeper_inspect::freshness::DrillSeen {
                    finished_at: at.with_timezone(&chrono::Utc),
                    passed: d.passed,
                    backup_id: d.backup_id,
                    report: d.report_path,
                },
            ));
        }
    }
    if !recorded.is_empty() {
        f.backups = dbkeeper_inspect::freshness::Known::Yes(
            recorded
                .into_iter()
                .filter_map(|b| {
                    Some(dbkeeper_inspect::freshness::BackupSeen {
                        finished_at: chrono::DateTime::parse_from_rfc3339(&b.ended_at)
                            .ok()?
                            .with_timezone(&chrono::Utc),
                        repo: b.repo,
                        offsite: b.offsite,
                        encrypted: b.encrypted,
                        kind: b.kind,
                        id: b.backup_id,
                    })
                })
                .collect(),
        );
    }
    f
}

/// The targets with their options: config `defaults.inspect`, then the target's `inspect:`,
/// then the command line. Every option is checked here, before anything connects.
fn plan(ctx: &Ctx, args: &InspectArgs) -> Result<Vec<(Target, InspectOptions)>, Error> {
    let config = ctx.config()?;
    let none = InspectSettings::default();
    let targets: Vec<(Target, Option<&InspectSettings>)> = if args.targets.is_empty() {
        let config = config.ok_or_else(no_targets)?;
        if config.targets.is_empty() {
            return Err(no_targets());
        }
        config
            .targets
            .iter()
            .map(|t| (t.target.clone(), Some(&t.inspect)))
            .collect()
    } else {
        args.targets
            .iter()
            .map(|n| {
                let settings = config.and_then(|c| c.target(n)).map(|t| &t.inspect);
                Ok((ctx.target(n)?, settings))
            })
            .collect::<Result<_, Error>>()?
    };
    let defaults = config.map_or(&none, |c| &c.defaults.inspect);
    targets
        .into_iter()
        .map(|(target, settings)| {
            let mut opts = InspectOptions::from_config(target.engine, defaults, settings)?;
            opts.apply_cli(
                target.engine,
                args.profile.as_deref(),
                &args.only,
                &args.skip,
            )?;
            opts.run_id = Some(ctx.run_id);
            Ok((target, opts))
        })
        .collect()
}

/// `--list`: the catalogue without connecting, narrowed by `--profile`, `--only` and `--skip`.
///
/// Without `--engine` or a target both engine families are listed; an id of one family in
/// `--only` then narrows the list to that family instead of failing for the other.
fn list(ctx: &Ctx, args: &InspectArgs) -> Result<u8, Error> {
    let engines: Vec<EngineKind> = match args.engine {
        Some(EngineArg::Postgres) => vec![EngineKind::Postgres],
        Some(EngineArg::Mysql) => vec![EngineKind::Mysql],
        None if !args.targets.is_empty() => {
            let mut seen = Vec::new();
            for n in &args.targets {
                let e = ctx.target(n)?.engine;
                if !seen.contains(&e) {
                    seen.push(e);
                }
            }
            seen
        }
        None => vec![EngineKind::Postgres, EngineKind::Mysql],
    };
    let lenient = args.engine.is_none() && args.targets.is_empty();
    let mut selected: Vec<(EngineKind, InspectOptions)> = Vec::new();
    let mut first_error = None;
    for engine in engines {
        let mut opts = InspectOptions::default();
        match opts.apply_cli(engine, args.profile.as_deref(), &args.only, &args.skip) {
            Ok(()) => selected.push((engine, opts)),
            Err(e) if lenient => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    if selected.is_empty() {
        if let Some(e) = first_error {
            return Err(e);
        }
    }

    if ctx.format == Format::Json {
        let mut all = Vec::new();
        for (engine, opts) in &selected {
            let ids: BTreeSet<&str> = catalogue(*engine)
                .iter()
                .filter(|c| opts.selects(c))
                .map(|c| c.id)
                .collect();
            if let serde_json::Value::Array(items) = render::catalogue_json(*engine, ctx.lang) {
                all.extend(items.into_iter().filter(|v| {
                    v.get("check")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|id| ids.contains(id))
                }));
            }
        }
        output::json(&all)?;
        return Ok(0);
    }
    for (engine, opts) in &selected {
        let checks: Vec<_> = catalogue(*engine)
            .iter()
            .filter(|c| opts.selects(c))
            .collect();
        let product = match engine {
            EngineKind::Postgres => "PostgreSQL",
            EngineKind::Mysql => "MySQL/MariaDB",
        };
        output::stdout_line(
            &Text::new(msg::INSPECT_LIST_HEADING)
                .arg("engine", product)
                .arg("count", checks.len())
                .render(ctx.lang),
        );
        output::stdout_line(&catalogue_table(&checks, ctx.lang));
    }
    Ok(0)
}

/// The catalogue as a table, like `dbkeeper_report::inspect::catalogue_table` but of the
/// selected checks only (that renderer always shows the whole family).
fn catalogue_table(checks: &[&dbkeeper_inspect::CheckInfo], lang: Lang) -> String {
    use render::msg as label;
    let l = |m| Text::new(m).render(lang);
    let mut tbl = Table::new(vec![
        l(label::COL_CHECK),
        l(label::COL_GROUP),
        l(label::COL_TITLE),
        l(label::COL_THRESHOLDS),
        l(label::COL_COMPLIANCE),
    ]);
    for c in checks {
        let thresholds = c
            .thresholds
            .iter()
            .map(|d| format!("{} {}", d.name, threshold::show(d.unit, d.default)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut title = Text::new(c.title).render(lang);
        if let Some(n) = c.needs {
            title.push_str(&format!(
                "\n({}: {})",
                l(label::LIST_NEEDS),
                Text::new(n).render(lang)
            ));
        }
        tbl.row(vec![
            c.id.to_string(),
            l(c.group.label()),
            title,
            thresholds,
            c.tags.join(" "),
        ]);
    }
    tbl.to_string()
}

/// The report file of one target: the path as given for a single target; with several, one
/// file each, named `STEM-TARGET.EXT` (a URL target's name made safe for a file name).
pub fn report_path(base: &Path, target: &str, several: bool) -> PathBuf {
    if !several {
        return base.to_path_buf();
    }
    let safe: String = target
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match base.extension() {
        Some(ext) => format!("{stem}-{safe}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{safe}"),
    };
    base.with_file_name(name)
}

/// The directory an output goes to must exist; checked before inspecting so that a wrong path
/// costs nothing.
pub fn dir_exists(path: &Path) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if dir.is_dir() {
        return Ok(());
    }
    let shown = dir.display().to_string();
    Err(Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::OUTPUT_NO_DIR)
            .arg("path", path.display())
            .arg("dir", &shown),
    )
    .at(path.display().to_string())
    .hint(Text::new(msg::OUTPUT_NO_DIR_HINT).arg("dir", &shown)))
}

pub fn report_write_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorKind::CantCreate,
        Text::new(msg::REPORT_WRITE).arg("path", path.display()),
    )
    .at(path.display().to_string())
    .hint(Text::new(msg::REPORT_WRITE_HINT))
    .detail(e)
}

/// Writes a temporary file beside `path` and renames it over: a reader (a mail job, a web
/// server publishing the reports) never sees half a report, and a failed write leaves the
/// previous one in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn no_targets() -> Error {
    Error::new(ErrorKind::Config, Text::new(msg::NO_TARGETS)).hint(Text::new(msg::NO_TARGETS_HINT))
}
