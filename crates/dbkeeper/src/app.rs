//! The run of one command: parse, set up logging, language, config and state, dispatch, record
//! the run in the ledger, render errors, and turn the outcome into an exit code.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Parser;
use dbkeeper_config::Config;
use dbkeeper_core::audit::NewEntry;
use dbkeeper_core::state::State;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Text};

use crate::cli::{Cli, Command, Format};
use crate::{commands, logging, msg, output};

/// Exit code when interrupted by Ctrl-C (128 + SIGINT), as shells do.
const EXIT_INTERRUPTED: u8 = 130;

/// What every command gets: the chosen language and format, the config, the state directory.
pub struct Ctx {
    pub lang: Lang,
    pub format: Format,
    pub quiet: bool,
    config: Result<Option<Config>, Error>,
    pub state: State,
    pub run_id: i64,
}

impl Ctx {
    /// The config file, if there is one; a broken one is an error only for commands that use it.
    pub fn config(&self) -> Result<Option<&Config>, Error> {
        self.config
            .as_ref()
            .map(Option::as_ref)
            .map_err(Clone::clone)
    }

    /// A target name from the config, or a URL.
    pub fn target(&self, name_or_url: &str) -> Result<Target, Error> {
        dbkeeper_config::resolve_target(self.config()?, name_or_url)
    }

    /// Records an action on a target in the audit log (and names the target in the ledger).
    pub fn audit(
        &self,
        action: &str,
        target: Option<&str>,
        exit_code: u8,
        details: serde_json::Value,
    ) -> Result<(), Error> {
        if let Some(t) = target {
            self.state.ledger.set_target(self.run_id, t)?;
        }
        self.state.audit(NewEntry {
            action: action.to_string(),
            target: target.map(str::to_string),
            exit_code,
            run_id: Some(self.run_id),
            details,
        })?;
        Ok(())
    }

    /// A progress note on stderr for people at a terminal; silent with `-q` and `--format json`.
    pub fn note(&self, text: Text) {
        if !self.quiet && self.format == Format::Table {
            output::stderr_line(&text.render(self.lang));
        }
    }

    pub fn render_error(&self, e: &Error) {
        output::stderr_line(&e.render(self.lang));
    }
}

pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind as K;
            let _ = e.print();
            return match e.kind() {
                K::DisplayHelp | K::DisplayVersion => 0,
                _ => ErrorKind::Usage.exit_code(),
            };
        }
    };
    logging::init(cli.global.verbose, cli.global.quiet);
    dbkeeper_core::scratch::sweep_stale();

    let config = dbkeeper_config::discover(cli.global.config.as_deref());
    let lang = cli
        .global
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| {
            config
                .as_ref()
                .ok()
                .and_then(Option::as_ref)
                .and_then(|c| c.defaults.lang)
        })
        .unwrap_or_else(Lang::from_env);
    let format = cli
        .global
        .format
        .or_else(|| {
            let c = config.as_ref().ok().and_then(Option::as_ref)?;
            match c.defaults.format.as_deref() {
                Some("json") => Some(Format::Json),
                Some("table") => Some(Format::Table),
                _ => None,
            }
        })
        .unwrap_or(Format::Table);

    let state_dir: PathBuf = cli
        .global
        .state_dir
        .clone()
        .unwrap_or_else(State::default_dir);
    let state = match State::open(&state_dir) {
        Ok(s) => s,
        Err(e) => {
            output::stderr_line(&e.render(lang));
            return e.exit_code();
        }
    };
    let (command_name, recorded_args) = describe(&cli, &args);
    let run_id = match state.ledger.begin_run(&command_name, &recorded_args, None) {
        Ok(id) => id,
        Err(e) => {
            output::stderr_line(&e.render(lang));
            return e.exit_code();
        }
    };
    let ctx = Ctx {
        lang,
        format,
        quiet: cli.global.quiet,
        config,
        state,
        run_id,
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let e = Error::new(ErrorKind::Internal, Text::new(msg::RUNTIME)).detail(e);
            ctx.render_error(&e);
            return e.exit_code();
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = dispatch(&ctx, cli.command) => r,
            // Dropping the command's future drops its scratch servers, which stops them.
            _ = tokio::signal::ctrl_c() => Err(Error::new(ErrorKind::Failed, Text::new(msg::INTERRUPTED))),
        }
    });
    // Waits for blocking work (a scratch server still starting) so that it is torn down too;
    // bounded, so that a stuck thread cannot keep dbkeeper from exiting.
    runtime.shutdown_timeout(std::time::Duration::from_secs(120));

    let (code, error_text) = match &outcome {
        Ok(code) => (*code, None),
        Err(e) => {
            ctx.render_error(e);
            let code = if e.main.what.id() == msg::INTERRUPTED.id {
                EXIT_INTERRUPTED
            } else {
                e.exit_code()
            };
            (code, Some(e.render(Lang::En)))
        }
    };
    if let Err(e) = ctx
        .state
        .ledger
        .finish_run(ctx.run_id, code, error_text.as_deref())
    {
        ctx.render_error(&e);
    }
    code
}

async fn dispatch(ctx: &Ctx, command: Command) -> Result<u8, Error> {
    match command {
        Command::Targets(c) => commands::targets::run(ctx, c).await,
        Command::Inspect(a) => commands::inspect::run(ctx, a).await,
        Command::Audit(c) => commands::audit::run(ctx, c),
        Command::Validate { files, online } => {
            commands::playbooks::validate(ctx, &files, online).await
        }
        Command::Schedule(c) => commands::playbooks::schedule(ctx, c).await,
        Command::Run(a) => commands::run::run(ctx, a).await,
        Command::Backup(a) => commands::backup::backup(ctx, a).await,
        Command::Restore(a) => commands::backup::restore(ctx, a).await,
        Command::Verify(a) => commands::verify::run(ctx, a).await,
        Command::Backups(c) => commands::backup::backups::run(ctx, c).await,
        Command::Keygen { out } => commands::backup::keygen(ctx, &out),
        Command::Demo(a) => commands::demo::run(ctx, a).await,
    }
}

/// The command's name (`targets check`) and its arguments with anything secret removed, for the
/// ledger. Passwords are refused on the command line, but a URL with one is still redacted here
/// so that even a refused attempt does not land on disk.
fn describe(cli: &Cli, args: &[OsString]) -> (String, Vec<String>) {
    let name = match &cli.command {
        Command::Targets(crate::cli::TargetsCommand::List) => "targets list",
        Command::Targets(crate::cli::TargetsCommand::Check { .. }) => "targets check",
        Command::Inspect(_) => "inspect",
        Command::Audit(crate::cli::AuditCommand::Show { .. }) => "audit show",
        Command::Audit(crate::cli::AuditCommand::Verify) => "audit verify",
        Command::Backup(_) => "backup",
        Command::Restore(_) => "restore",
        Command::Verify(_) => "verify",
        Command::Backups(c) => {
            use crate::cli::BackupsCommand as B;
            match c {
                B::List { .. } => "backups list",
                B::Show { .. } => "backups show",
                B::Check { .. } => "backups check",
                B::Prune { .. } => "backups prune",
                B::Pin { .. } => "backups pin",
                B::Unpin { .. } => "backups unpin",
            }
        }
        Command::Keygen { .. } => "keygen",
        Command::Demo(_) => "demo",
        Command::Validate { .. } => "validate",
        Command::Schedule(crate::cli::ScheduleCommand::List { .. }) => "schedule list",
        Command::Schedule(crate::cli::ScheduleCommand::Next { .. }) => "schedule next",
        Command::Schedule(crate::cli::ScheduleCommand::Install { .. }) => "schedule install",
        Command::Schedule(crate::cli::ScheduleCommand::Run { .. }) => "schedule run",
        Command::Run(_) => "run",
    };
    let recorded = args
        .iter()
        .skip(1)
        .map(|a| dbkeeper_core::target::redact_url(&a.to_string_lossy()))
        .collect();
    (name.to_string(), recorded)
}
