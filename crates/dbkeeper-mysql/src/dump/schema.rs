//! The schema of each database, dumped by the server's own tool (`mariadb-dump --no-data`,
//! the trusted way) into separate objects, so that the restore can apply each kind at its
//! moment: tables before the data, routines and views after it, triggers after the data (so
//! that they never fire on restored rows), events last.
//!
//! The tool connects with our private option file; table names go on its command line, which
//! is fine (they are not secrets), passwords never do.

use dbkeeper_core::dump::ObjectSink;
use dbkeeper_core::target::Target;
use dbkeeper_core::Result;

use crate::dump::catalog::Database;
use crate::dump::names;
use crate::tools::{stdout_to_object, OptionFile, Tool};

/// The SQL objects written for one database.
#[derive(Clone, Debug, Default)]
pub(crate) struct SchemaObjects {
    pub(crate) tables: String,
    pub(crate) routines: Option<String>,
    pub(crate) views: Option<String>,
    pub(crate) triggers: Option<String>,
    pub(crate) events: Option<String>,
}

/// Options every schema dump shares: no rows, no locks (the snapshot's metadata locks keep
/// the tables still), no date (identical schemas give identical objects), utf8mb4 text.
fn common(tool: &Tool) -> Vec<String> {
    let mut args: Vec<String> = [
        "--no-data",
        "--single-transaction",
        "--skip-lock-tables",
        "--skip-add-locks",
        "--skip-dump-date",
        "--no-tablespaces",
        "--default-character-set=utf8mb4",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    if !tool.mariadb {
        // MySQL's mysqldump would otherwise write the server's GTID set into the output.
        args.push("--set-gtid-purged=OFF".into());
    }
    args
}

/// Dumps the schema of `db` into objects under `dir`.
pub(crate) async fn dump(
    target: &Target,
    tool: &Tool,
    options: &OptionFile,
    db: &Database,
    dir: &str,
    sink: &dyn ObjectSink,
) -> Result<SchemaObjects> {
    let count = |kind: &str| db.counts.get(kind).copied().unwrap_or(0);
    let run = |extra: Vec<String>, object: String| async move {
        let mut cmd = tool.command(Some(options));
        cmd.args(common(tool)).args(extra);
        let at = format!("{target}/{}", db.name);
        stdout_to_object(tool, cmd, sink, &object, &at, |_| false).await?;
        Ok::<String, dbkeeper_core::Error>(object)
    };
    let mut out = SchemaObjects::default();

    // Tables and sequences: the whole database minus its views (`--ignore-table` options
    // must come before the database name).
    let mut args: Vec<String> = vec![
        "--skip-triggers".into(),
        "--skip-routines".into(),
        "--skip-events".into(),
    ];
    args.extend(
        db.views
            .iter()
            .map(|v| format!("--ignore-table={}.{}", db.name, v)),
    );
    args.extend(["--".to_string(), db.name.clone()]);
    out.tables = run(args, format!("{dir}/{}", names::TABLES)).await?;

    if count("routines") > 0 {
        out.routines = Some(
            run(
                vec![
                    "--no-create-info".into(),
                    "--skip-triggers".into(),
                    "--routines".into(),
                    "--skip-events".into(),
                    "--".into(),
                    db.name.clone(),
                ],
                format!("{dir}/{}", names::ROUTINES),
            )
            .await?,
        );
    }
    if !db.views.is_empty() {
        let mut args = vec![
            "--skip-triggers".to_string(),
            "--skip-routines".into(),
            "--skip-events".into(),
            "--".into(),
            db.name.clone(),
        ];
        args.extend(db.views.iter().cloned());
        out.views = Some(run(args, format!("{dir}/{}", names::VIEWS)).await?);
    }
    if count("triggers") > 0 {
        out.triggers = Some(
            run(
                vec![
                    "--no-create-info".into(),
                    "--triggers".into(),
                    "--skip-routines".into(),
                    "--skip-events".into(),
                    "--".into(),
                    db.name.clone(),
                ],
                format!("{dir}/{}", names::TRIGGERS),
            )
            .await?,
        );
    }
    if count("events") > 0 {
        out.events = Some(
            run(
                vec![
                    "--no-create-info".into(),
                    "--skip-triggers".into(),
                    "--skip-routines".into(),
                    "--events".into(),
                    "--".into(),
                    db.name.clone(),
                ],
                format!("{dir}/{}", names::EVENTS),
            )
            .await?,
        );
    }
    Ok(out)
}
