//! From an action's [`Fields`] to its typed `with:` struct.

use super::Fields;
use crate::model::{
    Action, AdviseWith, BackupKind, BackupWith, CopyWith, ExportWith, ImportWith, InspectWith,
    NotifyWith, PruneWith, ReportWith, Sanity, Severity, SqlWith, VerifyWith,
};

/// Builds the action; `None` when a required value was missing or wrong (already reported).
pub(crate) fn build(name: &str, f: &Fields) -> Option<Action> {
    Some(match name {
        "inspect" => Action::Inspect(InspectWith {
            target: f.text("target")?,
            profile: f.text("profile"),
            only: f.texts("only"),
            skip: f.texts("skip"),
            report: f.template("report"),
            fail_on: match f.text("fail_on").as_deref() {
                Some("warning") => Severity::Warning,
                _ => Severity::Critical,
            },
        }),
        "backup" => Action::Backup(BackupWith {
            target: f.text("target")?,
            repos: non_empty(f.texts("repos"))?,
            kind: match f.text("kind").as_deref() {
                Some("physical") => BackupKind::Physical,
                _ => BackupKind::Logical,
            },
            jobs: f.int("jobs").and_then(|n| u32::try_from(n).ok()),
            recipients: f.texts("recipients"),
        }),
        "verify" => {
            let backup = f.template("backup");
            let latest = f.text("latest");
            if backup.is_none() && latest.is_none() {
                return None;
            }
            Action::Verify(VerifyWith {
                backup,
                latest,
                repo: f.text("repo")?,
                sanity: f
                    .objects("sanity")
                    .into_iter()
                    .filter_map(|s| {
                        Some(Sanity {
                            name: s.text("name"),
                            sql: s.text("sql")?,
                            expect: s.expect("expect"),
                        })
                    })
                    .collect(),
                rto_max: f.duration("rto_max"),
                rpo_max: f.duration("rpo_max"),
                rpo_column: f.text("rpo_column"),
                identity: f.text("identity"),
                report: f.template("report"),
            })
        }
        "prune" => Action::Prune(PruneWith {
            repo: f.text("repo")?,
            target: f.text("target"),
            dry_run: f.bool("dry_run").unwrap_or(false),
        }),
        "sql" => Action::Sql(SqlWith {
            target: f.text("target")?,
            query: f.text("query")?,
            expect: f.expect("expect"),
            database: f.text("database"),
        }),
        "notify" => {
            let mut channels: Vec<String> = f.text("channel").into_iter().collect();
            channels.extend(f.texts("channels"));
            Action::Notify(NotifyWith {
                channels: non_empty(channels)?,
                title: f.template("title"),
                message: f.template("message")?,
            })
        }
        "advise" => Action::Advise(AdviseWith {
            target: f.text("target")?,
            workload: f.text("workload"),
            plan_out: f.template("plan_out"),
        }),
        "export" => Action::Export(ExportWith {
            target: f.text("target")?,
            table: f.text("table"),
            query: f.text("query"),
            out: f.template("out")?,
            format: f.text("format"),
        }),
        "import" => Action::Import(ImportWith {
            target: f.text("target")?,
            table: f.text("table")?,
            from: f.template("from")?,
            format: f.text("format"),
        }),
        "copy" => Action::Copy(CopyWith {
            source: f.text("source")?,
            dest: f.text("dest")?,
            tables: f.texts("tables"),
            verify: f.bool("verify").unwrap_or(false),
        }),
        "report" => Action::Report(ReportWith {
            kind: f.text("kind")?,
            month: f.text("month"),
            out: f.template("out")?,
        }),
        _ => return None,
    })
}

fn non_empty(v: Vec<String>) -> Option<Vec<String>> {
    (!v.is_empty()).then_some(v)
}
