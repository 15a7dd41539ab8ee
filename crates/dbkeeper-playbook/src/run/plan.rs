//! What a step would do, in words, for `--dry-run`. Templates are shown as written: their values
//! come from steps that a dry run does not run.

use dbkeeper_core::Text;

use crate::model::{Action, BackupKind};
use crate::msg;

pub(crate) fn describe(action: &Action) -> Text {
    match action {
        Action::Inspect(w) => Text::new(msg::PLAN_INSPECT)
            .arg("target", &w.target)
            .arg("profile", w.profile.as_deref().unwrap_or("default"))
            .arg(
                "report",
                w.report
                    .as_ref()
                    .map_or_else(|| "-".to_string(), |t| t.source.clone()),
            ),
        Action::Backup(w) => Text::new(msg::PLAN_BACKUP)
            .arg("target", &w.target)
            .arg("repos", w.repos.join(", "))
            .arg(
                "kind",
                match w.kind {
                    BackupKind::Logical => "logical",
                    BackupKind::Physical => "physical",
                },
            ),
        Action::Verify(w) => Text::new(msg::PLAN_VERIFY)
            .arg(
                "backup",
                match (&w.backup, &w.latest) {
                    (Some(b), _) => b.source.clone(),
                    (None, Some(t)) => format!("latest of {t}"),
                    (None, None) => "-".into(),
                },
            )
            .arg("repo", &w.repo)
            .arg("sanity", w.sanity.len()),
        Action::Prune(w) => Text::new(if w.dry_run {
            msg::PLAN_PRUNE_DRY
        } else {
            msg::PLAN_PRUNE
        })
        .arg("repo", &w.repo),
        Action::Sql(w) => Text::new(msg::PLAN_SQL)
            .arg("target", &w.target)
            .arg("query", one_line(&w.query))
            .arg(
                "expect",
                w.expect
                    .as_ref()
                    .map_or_else(|| "-".to_string(), ToString::to_string),
            ),
        Action::Notify(w) => Text::new(msg::PLAN_NOTIFY).arg("channels", w.channels.join(", ")),
        other => Text::new(msg::PLAN_RESERVED).arg("action", other.name()),
    }
}

fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(59).collect::<String>())
    } else {
        flat
    }
}
