//! `validate --online`: what a playbook will touch, tried now — every target connected to and
//! asked for the privileges its steps need, every repository opened — so that a nightly job
//! does not find out at 3 a.m.

use std::collections::BTreeMap;

use dbkeeper_backup::repos;
use dbkeeper_config::RepoEntry;
use dbkeeper_core::target::{EngineKind, Target};
use dbkeeper_core::{Error, ErrorKind, Lang, Text};
use dbkeeper_playbook::model::{Action, BackupKind, Playbook};
use dbkeeper_repo::S3Options;

use crate::app::Ctx;
use crate::commands::engines;
use crate::commands::run_msg as m;

/// What a playbook needs of one target.
#[derive(Default)]
struct Needs {
    inspect: bool,
    logical: bool,
    physical: bool,
}

/// One thing tried.
#[derive(Debug, serde::Serialize)]
pub struct Probe {
    pub playbook: String,
    /// `target` or `repo`.
    pub kind: &'static str,
    pub name: String,
    pub ok: bool,
    /// What was found (version, role, "will be created") or what is wrong.
    pub detail: String,
    #[serde(skip)]
    pub exit_code: u8,
}

pub async fn probe(ctx: &Ctx, playbooks: &[&Playbook]) -> Result<Vec<Probe>, Error> {
    let config = ctx.config()?;
    let mut out = Vec::new();
    for p in playbooks {
        let mut targets: BTreeMap<String, Needs> = BTreeMap::new();
        let mut repo_names: Vec<String> = Vec::new();
        let actions = p
            .steps
            .iter()
            .map(|s| &s.action)
            .chain(
                p.steps
                    .iter()
                    .flat_map(|s| s.on_failure.iter().map(|h| &h.action)),
            )
            .chain(p.on_failure.iter().map(|h| &h.action));
        for a in actions {
            match a {
                Action::Inspect(w) => targets.entry(w.target.clone()).or_default().inspect = true,
                Action::Backup(w) => {
                    let n = targets.entry(w.target.clone()).or_default();
                    match w.kind {
                        BackupKind::Logical => n.logical = true,
                        BackupKind::Physical => n.physical = true,
                    }
                    repo_names.extend(w.repos.iter().cloned());
                }
                Action::Sql(w) => {
                    targets.entry(w.target.clone()).or_default();
                }
                Action::Prune(w) => repo_names.push(w.repo.clone()),
                Action::Verify(w) => repo_names.push(w.repo.clone()),
                _ => {}
            }
        }
        repo_names.sort();
        repo_names.dedup();
        for (name, needs) in &targets {
            let found = p
                .targets
                .iter()
                .find(|t| &t.name == name)
                .map(|t| t.target.clone());
            let target = match found {
                Some(t) => Ok(t),
                None => dbkeeper_config::resolve_target(config, name),
            };
            let result = match target {
                Ok(t) => target_probe(&t, needs, ctx.lang).await,
                Err(e) => Err(e),
            };
            out.push(done(p, "target", name, result, ctx.lang));
        }
        for name in &repo_names {
            let found = p.repos.iter().find(|r| &r.name == name).cloned();
            let entry = match found {
                Some(r) => Ok(r),
                None => dbkeeper_config::resolve_repo(config, name),
            };
            let result = match entry {
                Ok(e) => repo_probe(&e, ctx.lang).await,
                Err(e) => Err(e),
            };
            out.push(done(p, "repo", name, result, ctx.lang));
        }
    }
    Ok(out)
}

fn done(
    p: &Playbook,
    kind: &'static str,
    name: &str,
    r: Result<String, Error>,
    lang: Lang,
) -> Probe {
    let (ok, detail, exit_code) = match r {
        Ok(d) => (true, d, 0),
        Err(e) => (false, e.render(lang), e.exit_code()),
    };
    Probe {
        playbook: p.name.clone(),
        kind,
        name: name.to_string(),
        ok,
        detail,
        exit_code,
    }
}

async fn target_probe(t: &Target, needs: &Needs, lang: Lang) -> Result<String, Error> {
    let engine = engines::connect(t).await?;
    let facts = engine.facts().await?;
    let mut missing: Vec<&str> = Vec::new();
    match t.engine {
        EngineKind::Postgres => {
            let rows = engine
                .query(
                    "SELECT r.rolsuper AS su, r.rolreplication AS repl,
                            pg_has_role(current_user, 'pg_monitor', 'member') AS monitor,
                            pg_has_role(current_user, 'pg_read_all_data', 'member') AS read_all
                       FROM pg_roles r WHERE r.rolname = current_user",
                )
                .await?;
            let flag = |k: &str| {
                rows.first()
                    .and_then(|r| r.get(k))
                    .and_then(serde_json::Value::as_bool)
                    .unwrap_or(false)
            };
            let su = flag("su");
            if needs.inspect && !su && !flag("monitor") {
                missing.push("pg_monitor (inspect)");
            }
            if needs.logical && !su && !flag("read_all") {
                missing.push("pg_read_all_data or superuser (logical backup)");
            }
            if needs.physical && !su && !flag("repl") {
                missing.push("REPLICATION (physical backup)");
            }
        }
        EngineKind::Mysql => {
            let rows = engine.query("SHOW GRANTS FOR CURRENT_USER").await?;
            let grants: String = rows
                .iter()
                .flat_map(|r| r.values())
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
                .to_ascii_uppercase();
            let global = |p: &str| {
                grants.lines().any(|l| {
                    l.contains(" ON *.*") && (l.contains("ALL PRIVILEGES") || l.contains(p))
                })
            };
            if needs.inspect && !global("PROCESS") {
                missing.push("PROCESS (inspect)");
            }
            if needs.logical {
                for p in [
                    "SELECT",
                    "RELOAD",
                    "LOCK TABLES",
                    "SHOW VIEW",
                    "EVENT",
                    "TRIGGER",
                ] {
                    if !global(p) {
                        missing.push(match p {
                            "SELECT" => "SELECT ON *.* (logical backup)",
                            "RELOAD" => "RELOAD (logical backup)",
                            "LOCK TABLES" => "LOCK TABLES (logical backup)",
                            "SHOW VIEW" => "SHOW VIEW (logical backup)",
                            "EVENT" => "EVENT (logical backup)",
                            _ => "TRIGGER (logical backup)",
                        });
                    }
                }
            }
            if needs.physical && !global("RELOAD") {
                missing.push("RELOAD (physical backup)");
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            Text::new(m::ONLINE_PRIVILEGES)
                .arg("user", &t.user)
                .arg("target", t)
                .arg("missing", missing.join(", ")),
        )
        .hint(Text::new(m::ONLINE_PRIVILEGES_HINT)));
    }
    Ok(Text::new(m::ONLINE_TARGET_OK)
        .arg("product", &facts.product)
        .arg("version", &facts.version)
        .arg("role", format!("{:?}", facts.role).to_lowercase())
        .render(lang))
}

async fn repo_probe(e: &RepoEntry, lang: Lang) -> Result<String, Error> {
    match repos::open_for_read(e, &S3Options::default()).await {
        Ok(r) => {
            let n = r.list(None).await?.len();
            Ok(Text::new(m::ONLINE_REPO_OK)
                .arg("backups", n)
                .arg("encryption", r.format().encryption.describe())
                .render(lang))
        }
        // An empty location is fine: the first backup creates the repository there.
        Err(err) if err.main.what.id() == dbkeeper_repo::msg::REPO_MISSING.id => {
            Ok(Text::new(m::ONLINE_REPO_NEW).render(lang))
        }
        Err(err) => Err(err),
    }
}
