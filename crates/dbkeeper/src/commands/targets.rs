//! `targets list` and `targets check`.

use dbkeeper_core::engine::Facts;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Text};
use dbkeeper_report::{facts as render, msg as label, Table};

use crate::app::Ctx;
use crate::cli::{Format, TargetsCommand};
use crate::commands::engines;
use crate::{msg, output};

pub async fn run(ctx: &Ctx, cmd: TargetsCommand) -> Result<u8, Error> {
    match cmd {
        TargetsCommand::List => list(ctx),
        TargetsCommand::Check { targets } => check(ctx, &targets).await,
    }
}

fn list(ctx: &Ctx) -> Result<u8, Error> {
    let config = ctx.config()?.ok_or_else(no_config)?;
    if ctx.format == Format::Json {
        let rows: Vec<_> = config
            .targets
            .iter()
            .map(|t| {
                serde_json::json!({
                    "name": t.name,
                    "engine": t.target.engine,
                    "host": t.target.host,
                    "port": t.target.port,
                    "socket": t.target.socket,
                    "user": t.target.user,
                    "database": t.target.database,
                    "tls_mode": t.target.tls.mode,
                    "password_from": t.target.password.as_ref().map(ToString::to_string),
                    "description": t.description,
                    "tags": t.tags,
                })
            })
            .collect();
        output::json(&rows)?;
        return Ok(0);
    }
    let l = |m| Text::new(m).render(ctx.lang);
    let mut table = Table::new(vec![
        l(label::NAME),
        l(label::ENGINE),
        l(label::ADDRESS),
        l(label::USER),
        l(label::DATABASE),
        l(label::TLS),
        l(label::PASSWORD),
        l(label::TAGS),
        l(label::DESCRIPTION),
    ]);
    for t in &config.targets {
        table.row(vec![
            t.name.clone(),
            t.target.engine.to_string(),
            t.target.address(),
            t.target.user.clone(),
            t.target.database.clone().unwrap_or_default(),
            t.target.tls.mode.to_string(),
            t.target
                .password
                .as_ref()
                .map_or_else(|| l(label::NONE), ToString::to_string),
            t.tags.join(", "),
            t.description.clone().unwrap_or_default(),
        ]);
    }
    output::stdout_line(&table.to_string());
    Ok(0)
}

async fn check(ctx: &Ctx, names: &[String]) -> Result<u8, Error> {
    let targets: Vec<Target> = if names.is_empty() {
        let config = ctx.config()?.ok_or_else(no_config)?;
        if config.targets.is_empty() {
            return Err(no_config());
        }
        config.targets.iter().map(|t| t.target.clone()).collect()
    } else {
        names
            .iter()
            .map(|n| ctx.target(n))
            .collect::<Result<_, _>>()?
    };

    let mut results = Vec::new();
    let mut worst: Option<Error> = None;
    for target in &targets {
        ctx.note(
            Text::new(msg::CHECKING)
                .arg("target", target)
                .arg("address", target.address()),
        );
        let result = facts_of(target).await;
        let code = result.as_ref().map_or_else(Error::exit_code, |_| 0);
        ctx.audit(
            "targets.check",
            Some(&target.name),
            code,
            match &result {
                Ok(f) => serde_json::json!({ "version": f.version, "product": f.product }),
                Err(e) => serde_json::json!({ "error": e.main.what.id() }),
            },
        )?;
        match result {
            Ok(f) => {
                if ctx.format == Format::Table {
                    print_facts(ctx, &f);
                }
                results.push(serde_json::json!({ "target": target.name, "ok": true, "facts": f }));
            }
            Err(e) => {
                if ctx.format == Format::Json {
                    results.push(serde_json::json!({
                        "target": target.name, "ok": false, "error": output::error_json(&e, ctx.lang)
                    }));
                }
                // With several targets, report each failure and go on to the next.
                if targets.len() > 1 {
                    ctx.render_error(&e);
                }
                worst.get_or_insert(e);
            }
        }
    }
    if ctx.format == Format::Json {
        output::json(&results)?;
    }
    match worst {
        None => Ok(0),
        Some(e) if targets.len() == 1 => Err(e),
        Some(e) => Ok(e.exit_code()),
    }
}

/// Connects and reads the facts; the connection is closed when the engine is dropped.
pub async fn facts_of(target: &Target) -> Result<Facts, Error> {
    let engine = engines::connect(target).await?;
    engine.facts().await
}

pub fn print_facts(ctx: &Ctx, f: &Facts) {
    output::stdout_line(&render::summary(f, ctx.lang).to_string());
    output::stdout_line(&render::databases(f, ctx.lang).to_string());
    output::stdout_line(&render::settings(f, ctx.lang).to_string());
}

fn no_config() -> Error {
    Error::new(ErrorKind::Config, Text::new(msg::NO_TARGETS)).hint(Text::new(msg::NO_TARGETS_HINT))
}
