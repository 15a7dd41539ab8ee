//! The command line (DESIGN §3): clap types only, no logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "dbkeeper",
    version,
    about = "Keeps PostgreSQL and MySQL/MariaDB databases healthy, backed up, provably restorable and auditable",
    long_about = "Keeps PostgreSQL and MySQL/MariaDB databases healthy, backed up, provably restorable and auditable.\n\n\
        A TARGET is a name from the config file (dbkeeper.yaml) or a URL such as\n\
        postgres://dbkeeper@db1:5432/hospital?sslmode=verify-full or mysql://root@127.0.0.1:3306.\n\
        Passwords never go on the command line: set PGPASSWORD / MYSQL_PWD, or give the target a\n\
        password reference ({env: VAR}, {file: PATH}, {command: [...]}) in the config.",
    after_help = "Exit codes: 0 ok, 1 warnings, 2 a job failed, 3 could not check, 64 usage, 65 bad data,\n\
        69 service unavailable, 70 internal error, 73 cannot create output, 75 try again (lock held),\n\
        78 configuration error. Run `dbkeeper demo` for a tour on a scratch server."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Config file [default: $DBKEEPER_CONFIG, ./dbkeeper.yaml, ~/.config/dbkeeper/dbkeeper.yaml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Where the ledger and the audit log live [default: ~/.local/state/dbkeeper]
    #[arg(long, global = true, value_name = "DIR", env = "DBKEEPER_STATE_DIR")]
    pub state_dir: Option<PathBuf>,

    /// Language of messages, tables and reports [default: from LC_ALL / LANG]
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "zh-CN"])]
    pub lang: Option<String>,

    /// Output for people (table) or programs (json)
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,

    /// More log output on stderr (-v debug, -vv trace); DBKEEPER_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr (for cron)
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Configured targets, and a connectivity check with the server's facts
    #[command(subcommand)]
    Targets(TargetsCommand),

    /// The tamper-evident audit log
    #[command(subcommand)]
    Audit(AuditCommand),

    /// Check playbooks and schedules; every problem of every file at once, with file:line:col
    #[command(
        after_help = "Exit 0 when every file is valid, 78 otherwise.\nExamples:\n  dbkeeper validate playbooks/*.yaml schedules/*.yaml"
    )]
    Validate {
        /// Playbook or schedule files (a file with a top-level `cron:` is a schedule)
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },

    /// When each scheduled job runs next
    #[command(subcommand)]
    Schedule(ScheduleCommand),

    /// A tour on a scratch PostgreSQL with sample data; needs no setup and leaves nothing behind
    Demo(DemoArgs),
}

#[derive(Debug, Subcommand)]
pub enum TargetsCommand {
    /// List the targets of the config file
    List,
    /// Connect and show version, role, uptime, sizes, settings and host facts
    #[command(
        after_help = "Examples:\n  dbkeeper targets check prod-pg\n  dbkeeper targets check postgres://dbkeeper@127.0.0.1:5432/hospital --format json\n  dbkeeper targets check            (every target in the config)"
    )]
    Check {
        /// Target names or URLs; every configured target when none is given
        targets: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Every job of the schedules directory: cron, zone, missed-run policy, next run, last run
    List {
        /// The folder of schedule files
        #[arg(long, default_value = "schedules")]
        dir: PathBuf,
    },
    /// The next fire times of every job (in the job's zone and in UTC)
    Next {
        /// How many fire times per job
        #[arg(default_value_t = 5)]
        count: usize,
        /// The folder of schedule files
        #[arg(long, default_value = "schedules")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Show the newest entries
    Show {
        /// How many entries, newest last
        #[arg(long, short = 'n', default_value_t = 50)]
        limit: usize,
    },
    /// Check the hash chain; names the first line that was changed, removed, reordered or inserted
    Verify,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the scratch server running until Enter is pressed (to explore it with psql)
    #[arg(long)]
    pub pause: bool,
}
