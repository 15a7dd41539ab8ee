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

    /// Inspect servers (巡检): a catalogue of checks, a verdict, reports, exit codes for monitors
    #[command(after_help = INSPECT_HELP)]
    Inspect(InspectArgs),

    /// The tamper-evident audit log
    #[command(subcommand)]
    Audit(AuditCommand),

    /// Check playbooks and schedules; every problem of every file at once, with file:line:col
    #[command(
        after_help = "Exit 0 when every file is valid (and, with --online, every target and repository answers as\nneeded), 78 for a file or privilege problem, 69 when a target or store cannot be reached.\nExamples:\n  dbkeeper validate playbooks/*.yaml schedules/*.yaml\n  dbkeeper validate --online playbooks/nightly-backup.yaml"
    )]
    Validate {
        /// Playbook or schedule files (a file with a top-level `cron:` is a schedule)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also connect to every target the playbooks use (checking the privileges their steps
        /// need) and open every repository
        #[arg(long)]
        online: bool,
    },

    /// Scheduled jobs: when they run next, launchers for systemd / cron / Kubernetes, a foreground loop
    #[command(subcommand)]
    Schedule(ScheduleCommand),

    /// Run a playbook: steps in dependency order, retries, failure handlers, notifications
    #[command(after_help = RUN_HELP)]
    Run(RunArgs),

    /// Back a target up into one or more repositories (zstd + age, manifest last)
    #[command(after_help = BACKUP_HELP)]
    Backup(BackupArgs),

    /// Restore a backup into a server (logical) or an empty data directory (physical)
    #[command(after_help = RESTORE_HELP)]
    Restore(RestoreArgs),

    /// Restore drill: restore a backup into a scratch server, check it, measure RTO/RPO, report
    #[command(after_help = VERIFY_HELP)]
    Verify(VerifyArgs),

    /// List, show, check, prune and pin the backups of the repositories
    #[command(subcommand)]
    Backups(BackupsCommand),

    /// Create an age identity for encrypting backups; prints its public recipient
    #[command(
        after_help = "The file holds the private key (mode 0600): keep it off the database host and put only
the printed recipient (age1…) into the config's repos:. Restores and drills need the file.
Example:
  dbkeeper keygen --out ~/.config/dbkeeper/backup.key"
    )]
    Keygen {
        /// Where to write the identity; refused if it exists
        #[arg(long, value_name = "KEYFILE")]
        out: PathBuf,
    },

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
    /// Write systemd timer + service units, crontab lines (with flock) or Kubernetes CronJobs
    /// that call `dbkeeper run PLAYBOOK --schedule FILE --scheduled-for now`
    #[command(
        after_help = "Nothing is installed for you: the files are written to --out for review.\nExamples:\n  dbkeeper schedule install --kind systemd --out /tmp/units\n  dbkeeper schedule install --kind cron --out .      (then: crontab dbkeeper.crontab)\n  dbkeeper schedule install --kind kubernetes --image registry.example.org/dbkeeper:1.0 --out k8s"
    )]
    Install {
        /// Which launcher to write
        #[arg(long, value_enum)]
        kind: InstallKindArg,
        /// The folder of schedule files
        #[arg(long, default_value = "schedules")]
        dir: PathBuf,
        /// Where to write the files
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
        /// Kubernetes: the container image with dbkeeper in it
        #[arg(long, default_value = "dbkeeper:latest")]
        image: String,
        /// Kubernetes: where the playbooks and schedules are mounted in the container
        #[arg(long, value_name = "DIR", default_value = "/etc/dbkeeper")]
        files_dir: PathBuf,
    },
    /// A foreground loop that runs every job at its times (for hosts without systemd or cron)
    Run {
        /// The folder of schedule files
        #[arg(long, default_value = "schedules")]
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InstallKindArg {
    Systemd,
    Cron,
    Kubernetes,
}

const RUN_HELP: &str = "\
Steps run in dependency order; outputs pass between them (${steps.backup.outputs.backup_id});
a failed step is retried as it says, then its on_failure handlers run. Quiet on success with -q.

Exit codes: 0 ok (or the schedule slot already ran, or is too late), 2 a step failed, 75 another
run of the playbook holds its lock, 78 the playbook or the config is wrong (every problem listed).

Examples:
  dbkeeper run playbooks/nightly-backup.yaml --dry-run
  dbkeeper -q run playbooks/nightly-backup.yaml
  dbkeeper run playbooks/nightly-backup.yaml --schedule schedules/nightly-backup.yaml --scheduled-for now";

/// `dbkeeper run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The playbook file
    pub playbook: PathBuf,

    /// Print the plan (steps in order, with what each would do); connect to nothing, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The schedule slot this run is for: `now` or an RFC 3339 time; each slot runs at most once
    #[arg(long, value_name = "TIME")]
    pub scheduled_for: Option<String>,

    /// The schedule the slot belongs to: `now` snaps to its latest slot; a slot later than its
    /// max_lateness is skipped
    #[arg(long, value_name = "FILE")]
    pub schedule: Option<PathBuf>,

    /// The job name slots are recorded under [default: the schedule's, else the playbook's name]
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,
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

const INSPECT_HELP: &str = "\
Exit codes: 0 every check ok, 1 warnings, 2 something critical, 3 could not inspect (the report
and the Prometheus file still say so); with several targets, the worst. 64 a usage error (an
unknown check id or profile), 73 a report file that cannot be written, 78 a config error.

Examples:
  dbkeeper inspect prod-pg                              every check, a table grouped by severity
  dbkeeper inspect                                      every target of the config
  dbkeeper inspect prod-pg --report daily.html          and a report for people (.html, .md, .json)
  dbkeeper --lang zh-CN inspect prod-pg --report 巡检报告.md
  dbkeeper inspect prod-my --profile djbh3              等保 2.0 level 3, a verdict per clause
  dbkeeper inspect prod-pg --only PG-IDX-001,vacuum --skip PG-VAC-003
  dbkeeper inspect postgres://dbkeeper@127.0.0.1/hospital --format json
  dbkeeper -q inspect --prom-out /var/lib/node_exporter/textfile/dbkeeper.prom
  dbkeeper inspect prod-pg --nagios                     one status line for Nagios / Icinga
  dbkeeper inspect --list --profile djbh3 --engine mysql
Thresholds per target: `inspect:` in dbkeeper.yaml (docs/inspect.md).";

/// `dbkeeper inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Target names or URLs; every configured target when none is given
    pub targets: Vec<String>,

    /// Run only these checks or groups (comma-separated, repeatable): PG-IDX-001,security
    #[arg(long, value_name = "IDS")]
    pub only: Vec<String>,

    /// Do not run these checks or groups (comma-separated, repeatable)
    #[arg(long, value_name = "IDS")]
    pub skip: Vec<String>,

    /// default (every check), djbh3 (等保 2.0 level 3 baseline) or quick (for monitors)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Also write a report for people; the extension picks the format: .html, .md or .json.
    /// With several targets, one file each (`-TARGET` before the extension)
    #[arg(long, value_name = "FILE", conflicts_with = "list")]
    pub report: Option<PathBuf>,

    /// Write the results as a Prometheus text file (node_exporter's textfile collector),
    /// replaced atomically
    #[arg(long, value_name = "FILE", conflicts_with = "list")]
    pub prom_out: Option<PathBuf>,

    /// Print one Nagios-style status line per target instead of the table
    #[arg(long, conflicts_with = "list")]
    pub nagios: bool,

    /// List the checks without connecting (narrowed by --profile, --only, --skip)
    #[arg(long)]
    pub list: bool,

    /// With --list: only this engine family's checks
    #[arg(long, value_enum, requires = "list")]
    pub engine: Option<EngineArg>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Postgres,
    Mysql,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the scratch server running until Enter is pressed (to explore it with psql)
    #[arg(long)]
    pub pause: bool,
}

const BACKUP_HELP: &str = "\
The dump is streamed once — zstd, then age to each repository's recipients — into every
repository named, and each gets its manifest last: a backup without one is incomplete and is
never restored. A second backup of the same target waits for nobody: it fails with exit 75 and
names the running one.

Exit codes: 0 complete in every repository, 2 failed or not complete everywhere, 64 usage,
69 server or store unavailable, 75 another backup of the target is running, 78 config error.

Examples:
  dbkeeper backup prod-pg --repo local --repo offsite
  dbkeeper backup prod-pg --repo local --kind physical
  dbkeeper backup his-mysql --repo local --jobs 4 --globals
  dbkeeper backup postgres://postgres@127.0.0.1/hospital --repo file:///var/backups/dbk \\
      --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

/// `dbkeeper backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The target: a name from the config or a URL
    pub target: String,

    /// Repositories to write to, all in one pass (names from the config or file:// / s3:// URLs)
    #[arg(long = "repo", value_name = "REPO", required = true)]
    pub repos: Vec<String>,

    /// logical (SQL and rows, restorable into any server of the engine) or physical (data files)
    #[arg(long, value_enum, default_value = "logical")]
    pub kind: KindArg,

    /// Tables dumped in parallel inside the one snapshot
    #[arg(long, short = 'j', default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,

    /// Only these databases (repeatable); default: the target URL's database
    #[arg(
        long = "database",
        value_name = "NAME",
        conflicts_with = "all_databases"
    )]
    pub databases: Vec<String>,

    /// Every database of the server, with the roles / users and grants
    #[arg(long)]
    pub all_databases: bool,

    /// Also the roles / users and grants
    #[arg(long)]
    pub globals: bool,

    /// Also encrypt to this age public key (age1…), on top of the repository's own recipients
    #[arg(long = "recipient", value_name = "KEY")]
    pub recipients: Vec<String>,

    /// File the backups under this name [default: the target's config name; for a URL, one made
    /// from engine, host, port and database]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// zstd level, 1 (fast) to 19 (small)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(i32).range(1..=19))]
    pub zstd_level: i32,

    /// zstd worker threads [default: CPU count]
    #[arg(long, value_name = "N")]
    pub zstd_threads: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Logical,
    Physical,
}

const RESTORE_HELP: &str = "\
Every object's size and SHA-256 are checked against the manifest and the key is tried before
anything is applied. A logical backup loads into a server: schema, then the tables in parallel,
then indexes, constraints and triggers; a database that already holds tables is refused unless
--force. A physical backup is extracted into an empty data directory and made startable
(PostgreSQL recovers to the backup's end on first start; MariaDB is prepared).

MySQL/MariaDB and the binary log: with --binlog auto (the default) a logical restore is left
out of the server's binary log when nothing reads that log, as myloader does: it would double
the restore's writes and, on MariaDB, cost a third of the server's CPU. It is written whenever
a replica or binlog archiver is connected, on a Galera node, or when dbkeeper cannot tell (the
user lacks PROCESS, or may not turn logging off). Say --binlog on when a replica is down right
now but will read the log later; the restore's output says what was done and why.

Examples:
  dbkeeper restore 20261125T013000Z-3f9c --repo local --to staging-pg --identity ~/.config/dbkeeper/backup.key
  dbkeeper restore latest --target prod-pg --repo offsite --to staging-pg --database hospital_copy
  dbkeeper restore latest --target prod-pg --repo local --to-dir /var/lib/postgresql/restore";

/// `dbkeeper restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup id, or `latest` with --target
    pub backup: String,

    /// The repository that holds it
    #[arg(long, value_name = "REPO")]
    pub repo: String,

    /// With `latest`: whose newest complete backup
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,

    /// Logical: the server to restore into (a name from the config or a URL)
    #[arg(
        long,
        value_name = "TARGET",
        required_unless_present = "to_dir",
        conflicts_with = "to_dir"
    )]
    pub to: Option<String>,

    /// Physical: the empty (or new) data directory to restore into
    #[arg(long, value_name = "DIR")]
    pub to_dir: Option<PathBuf>,

    /// The database to restore into [default: the --to URL's database when the backup holds
    /// one database; otherwise the original names]
    #[arg(long, value_name = "NAME")]
    pub database: Option<String>,

    /// Only this database of a backup that holds several
    #[arg(long, value_name = "NAME")]
    pub from_database: Option<String>,

    /// The age identity file that decrypts the backup [default: the repository's `identity` in the config]
    #[arg(long, value_name = "KEYFILE")]
    pub identity: Option<PathBuf>,

    /// Tables loaded in parallel
    #[arg(long, short = 'j', default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,

    /// Also restore roles / users and grants, when the backup has them
    #[arg(long)]
    pub globals: bool,

    /// Replace the tables of a database that already holds some
    #[arg(long)]
    pub force: bool,

    /// MySQL/MariaDB: write the restore to the server's binary log (auto: only when a replica,
    /// binlog archiver or Galera cluster reads it; see below)
    #[arg(long, value_enum, default_value_t = BinlogArg::Auto)]
    pub binlog: BinlogArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BinlogArg {
    Auto,
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum BackupsCommand {
    /// Backups in the repositories: complete or not, size, ratio, duration, rows, encryption
    #[command(
        after_help = "Examples:\n  dbkeeper backups list                       every repository of the config\n  dbkeeper backups list --repo offsite --target prod-pg --format json"
    )]
    List {
        /// Repositories [default: every repository of the config]
        #[arg(long = "repo", value_name = "REPO")]
        repos: Vec<String>,
        /// Only this target's backups
        #[arg(long, value_name = "TARGET")]
        target: Option<String>,
    },
    /// One backup's manifest: objects, tables and row counts, consistent point, keys
    Show {
        /// The backup id
        id: String,
        /// The repository that holds it [default: the first of the config that does]
        #[arg(long, value_name = "REPO")]
        repo: Option<String>,
    },
    /// Find missing, truncated, altered and orphaned objects and incomplete backups
    #[command(
        after_help = "Exit 0 clean, 2 damage found (named object by object).\nExamples:\n  dbkeeper backups check --repo offsite\n  dbkeeper backups check --repo local --read-data    re-hash every object"
    )]
    Check {
        /// Repositories [default: every repository of the config]
        #[arg(long = "repo", value_name = "REPO")]
        repos: Vec<String>,
        /// Re-read and re-hash every object, not only sizes
        #[arg(long)]
        read_data: bool,
    },
    /// Apply the retention policy: what goes and why; pinned and newest backups always stay
    #[command(
        after_help = "Examples:\n  dbkeeper backups prune --repo local --dry-run\n  dbkeeper backups prune                          every repository, each with its own policy"
    )]
    Prune {
        /// Repositories [default: every repository of the config]
        #[arg(long = "repo", value_name = "REPO")]
        repos: Vec<String>,
        /// Only this target's backups
        #[arg(long, value_name = "TARGET")]
        target: Option<String>,
        /// Say what would go, delete nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Put a backup on legal hold: never pruned, never deleted
    Pin {
        id: String,
        #[arg(long, value_name = "REPO")]
        repo: String,
    },
    /// Lift a legal hold
    Unpin {
        id: String,
        #[arg(long, value_name = "REPO")]
        repo: String,
    },
}

const VERIFY_HELP: &str = "\
A restore drill: every object of the backup is hashed against its manifest and the key is tried;
the backup is restored into a scratch server of its engine started from the installed binaries
(a physical one is prepared / recovered and started); the engine's integrity check runs (amcheck,
CHECK TABLE … EXTENDED); every table's rows and every kind of schema object are compared with
the manifest's counts from the backup's own snapshot. RTO (until the data is usable) and RPO (the
age of the backup's data) are measured against --rto-max / --rpo-max. The scratch server is torn
down and the report says so. The report's SHA-256 goes into the audit log and the ledger.

Exit codes: 0 the drill passed, 2 it failed (the report says which check), 64 usage,
65 unreadable backup, 69 store unavailable, 78 config (keys).

Examples:
  dbkeeper verify --latest prod-pg --repo offsite --identity ~/.config/dbkeeper/backup.key
  dbkeeper verify 20261125T013000Z-3f9c --repo local --report drill.html --report drill.json
  dbkeeper --lang zh-CN verify --latest his-mysql --repo local --rto-max 30m --rpo-max 26h --report 演练报告.md
  dbkeeper verify --all --repo offsite                 every target's newest backup, one drill each
  dbkeeper verify --sample 10 --repo offsite           daily: re-hash a rotating tenth of the objects";

/// `dbkeeper verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The backup id [or --latest TARGET, --all, --sample PCT]
    #[arg(required_unless_present_any = ["latest", "all", "sample"], conflicts_with_all = ["latest", "all", "sample"])]
    pub backup: Option<String>,

    /// Drill the newest complete backup of this target
    #[arg(long, value_name = "TARGET", conflicts_with_all = ["all", "sample"])]
    pub latest: Option<String>,

    /// Drill the newest complete backup of every target of the config, one after the other
    #[arg(long, conflicts_with = "sample")]
    pub all: bool,

    /// No restore: re-hash this share (1–100) of every backup's objects; the share rotates daily,
    /// so that 100/PCT daily runs cover the whole repository
    #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub sample: Option<u32>,

    /// The repository that holds it
    #[arg(long, value_name = "REPO")]
    pub repo: String,

    /// The age identity file that decrypts it [default: the repository's `identity` in the config]
    #[arg(long, value_name = "KEYFILE")]
    pub identity: Option<PathBuf>,

    /// Write the report; the extension picks the format: .html, .md or .json (repeatable)
    #[arg(long, value_name = "FILE")]
    pub report: Vec<PathBuf>,

    /// Longest acceptable recovery time, e.g. 30m
    #[arg(long, value_name = "DURATION")]
    pub rto_max: Option<String>,

    /// Oldest acceptable data at the drill, e.g. 26h
    #[arg(long, value_name = "DURATION")]
    pub rpo_max: Option<String>,

    /// Measure RPO from the newest value of this column in the restored copy
    /// (table.column or schema.table.column) instead of the backup's snapshot time
    #[arg(long, value_name = "COLUMN")]
    pub rpo_column: Option<String>,

    /// Restore into this configured drill server instead of a scratch instance (logical backups;
    /// refused when it is the backup's source: same address, server identity or data directory)
    #[arg(long, value_name = "TARGET", conflicts_with_all = ["sample", "all"])]
    pub into: Option<String>,

    /// Tables loaded in parallel
    #[arg(long, short = 'j', default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
}
