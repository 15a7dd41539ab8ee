//! `dbkeeper demo`: the whole loop on a scratch PostgreSQL, with no setup, leaving nothing behind.
//!
//! Starts a throwaway server from the installed binaries, loads a synthetic sample of the
//! regulatory platform's data, shows `targets check` and `inspect` on it (the HTML report is
//! kept under the state directory's `reports/`), and tears everything down — then proves that no
//! server process and no directory is left. Later capabilities (backup, verify) add their step
//! here.

use std::path::PathBuf;
use std::time::Instant;

use dbkeeper_core::scratch::{process_alive, ScratchInstance};
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_inspect::{InspectOptions, Report};
use dbkeeper_postgres::scratch::{ScratchOptions, ScratchPostgres};

use crate::app::Ctx;
use crate::cli::{DemoArgs, Format};
use crate::commands::inspect::{self, ReportFormat};
use crate::commands::{demo_backup, engines, targets};
use crate::{msg, output};

const SAMPLE_DB: &str = "hospital";

pub async fn run(ctx: &Ctx, args: DemoArgs) -> Result<u8, Error> {
    let started = Instant::now();
    ctx.note(Text::new(msg::DEMO_INTRO));

    ctx.note(Text::new(msg::DEMO_STEP_START));
    let scratch = tokio::task::spawn_blocking(|| ScratchPostgres::start(ScratchOptions::default()))
        .await
        .map_err(|e| Error::new(ErrorKind::Internal, Text::new(msg::TASK_FAILED)).detail(e))??;
    let pid = scratch.pid();
    let dir = scratch.data_dir().to_path_buf();
    let mut target = scratch.target().clone();
    target.name = "demo".into();
    ctx.note(
        Text::new(msg::DEMO_STARTED)
            .arg("address", target.address())
            .arg("dir", dir.display()),
    );

    ctx.note(Text::new(msg::DEMO_STEP_SAMPLE));
    let summary = dbkeeper_postgres::sample::load(&target, SAMPLE_DB).await?;
    for t in &summary.tables {
        ctx.note(
            Text::new(msg::DEMO_TABLE_ROWS)
                .arg("table", &t.table)
                .arg("rows", t.rows),
        );
    }
    target.database = Some(SAMPLE_DB.into());

    ctx.note(Text::new(msg::DEMO_STEP_CHECK));
    let facts = targets::facts_of(&target).await?;
    ctx.audit(
        "demo.targets.check",
        Some(&target.name),
        0,
        serde_json::json!({ "version": facts.version }),
    )?;
    if ctx.format == Format::Table {
        targets::print_facts(ctx, &facts);
    }

    ctx.note(Text::new(msg::DEMO_STEP_INSPECT));
    let (report, report_path) = inspect_step(ctx, &target).await?;
    if ctx.format == Format::Table {
        output::stdout_line(&dbkeeper_report::inspect::table(&report, ctx.lang, None));
        ctx.note(Text::new(msg::DEMO_INSPECT_NOTE));
        output::stdout_line(
            &Text::new(msg::DEMO_REPORT)
                .arg("path", report_path.display())
                .render(ctx.lang),
        );
    }

    ctx.note(Text::new(msg::DEMO_STEP_BACKUP).arg("db", demo_backup::RESTORED_DB));
    let backup = demo_backup::run(ctx, &target).await?;
    if ctx.format == Format::Table {
        output::stdout_line(
            &Text::new(msg::DEMO_BACKUP_DONE)
                .arg("id", &backup.backup_id)
                .arg("plain", dbkeeper_report::units::bytes(backup.plain_bytes))
                .arg("stored", dbkeeper_report::units::bytes(backup.stored_bytes))
                .arg("backup_secs", format!("{:.1}", backup.backup_secs))
                .arg("restore_secs", format!("{:.1}", backup.restore_secs))
                .render(ctx.lang),
        );
        let l = |m| Text::new(m).render(ctx.lang);
        let mut t = dbkeeper_report::Table::new(vec![
            l(msg::DEMO_COL_TABLE),
            l(msg::DEMO_COL_IN_BACKUP),
            l(msg::DEMO_COL_RESTORED),
        ]);
        for (name, a, b) in &backup.tables {
            t.row(vec![name.clone(), a.to_string(), b.to_string()]);
        }
        output::stdout_line(&t.to_string());
        output::stdout_line(
            &Text::new(msg::DEMO_DRILL)
                .arg("verdict", backup.drill_verdict.to_uppercase())
                .arg("checks", backup.drill_checks)
                .arg("path", backup.drill_report.display())
                .render(ctx.lang),
        );
    }

    if args.pause {
        ctx.note(Text::new(msg::DEMO_PAUSE).arg("url", demo_url(&target)));
        // A detached thread, not a runtime blocking task: on Ctrl-C the runtime must not wait
        // for a read that never ends.
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
            let _ = tx.send(());
        });
        let _ = rx.await;
    }

    ctx.note(Text::new(msg::DEMO_STEP_TEARDOWN));
    tokio::task::spawn_blocking(move || drop(scratch))
        .await
        .map_err(|e| Error::new(ErrorKind::Internal, Text::new(msg::TASK_FAILED)).detail(e))?;
    let clean = !process_alive(pid) && !dir.exists();
    if !clean {
        return Err(Error::new(ErrorKind::Failed, Text::new(msg::DEMO_LEFTOVER))
            .at(format!("pid {pid}, {}", dir.display())));
    }
    let seconds = started.elapsed().as_secs_f64();
    if ctx.format == Format::Json {
        output::json(&serde_json::json!({
            "ok": true,
            "duration_ms": started.elapsed().as_millis(),
            "sample": summary.tables,
            "facts": facts,
            "inspect": {
                "verdict": report.verdict().map_or("unreachable", |s| s.as_str()),
                "exit_code": report.exit_code(),
                "counts": report.counts(),
                "checks": report.findings.len(),
                "duration_ms": report.duration_ms,
                "report": report_path,
            },
            "backup": backup,
            "teardown": { "server_pid": pid, "process_left": false, "directory_left": false },
            "state_dir": ctx.state.dir(),
        }))?;
    } else {
        output::stdout_line(
            &Text::new(msg::DEMO_DONE)
                .arg("seconds", format!("{seconds:.1}"))
                .arg("state", ctx.state.dir().display())
                .render(ctx.lang),
        );
    }
    Ok(0)
}

/// The whole catalogue on the scratch server, stored in the ledger like any inspection, and the
/// HTML report written under the state directory (the scratch server and its directory go away;
/// the report is what the demo leaves to look at).
async fn inspect_step(ctx: &Ctx, target: &Target) -> Result<(Report, PathBuf), Error> {
    let opts = InspectOptions {
        run_id: Some(ctx.run_id),
        ..InspectOptions::default()
    };
    let report = {
        let engine = engines::connect(target).await?;
        dbkeeper_inspect::inspect(
            engine.as_ref(),
            target,
            &opts,
            Some(&ctx.state.ledger),
            inspect::freshness(ctx, target),
        )
        .await?
    };
    let dir = ctx.state.dir().join("reports");
    std::fs::create_dir_all(&dir).map_err(|e| {
        Error::new(
            ErrorKind::CantCreate,
            Text::new(msg::REPORTS_DIR).arg("path", dir.display()),
        )
        .hint(Text::new(msg::REPORTS_DIR_HINT))
        .detail(e)
    })?;
    let path = dir.join(format!(
        "demo-inspect-{}.html",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    inspect::write_atomically(
        &path,
        ReportFormat::Html.render(&report, ctx.lang).as_bytes(),
    )
    .map_err(|e| inspect::report_write_error(&path, e))?;
    ctx.audit(
        "demo.inspect",
        Some(&target.name),
        report.exit_code(),
        serde_json::json!({ "counts": report.counts(), "report": path }),
    )?;
    Ok((report, path))
}

fn demo_url(t: &dbkeeper_core::target::Target) -> String {
    format!(
        "postgres://{}@{}/{}",
        t.user,
        t.address(),
        t.database.as_deref().unwrap_or("postgres")
    )
}
