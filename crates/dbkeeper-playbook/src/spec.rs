//! The playbook vocabulary as data: every key, its type, whether it is required, and what it means.
//!
//! This table is the single source of truth. The reader ([`crate::read`]) takes its allowed keys
//! and value types from it, and the JSON Schema ([`crate::schema`]) is generated from it, so the
//! two cannot disagree; a unit test builds a playbook that sets every field of every action and
//! checks that the typed structs pick each one up.

/// The type of one value.
#[derive(Debug)]
pub enum Ty {
    /// Text, taken literally (`${…}` is refused, so nothing is ever substituted by surprise).
    Text,
    /// Text in which `${steps.ID.outputs.NAME}`, `${vars.NAME}` and `${run.FIELD}` are replaced.
    Template,
    /// SQL text, taken literally: values are never spliced into SQL.
    Sql,
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    /// `30s`, `10m`, `2h`, `7d`, `1h30m`.
    Duration,
    /// A target name (from the playbook, its inventory or the config) or a `postgres://` /
    /// `mysql://` URL without a password.
    Target,
    /// A repository name or a `file:///` / `s3://` URL.
    Repo,
    /// A notification channel name.
    Channel,
    /// The name of an entry of `secrets:`.
    Secret,
    Enum(&'static [&'static str]),
    /// A check of one value: `> 0`, `= 0`, `!= 'x'`, `true`.
    Expect,
    List(&'static Ty),
    Object(&'static [Field]),
    // The types below are read by hand-written code (they need the whole file); the table still
    // names them so that the allowed keys and the JSON Schema come from here.
    /// `1`.
    Version,
    /// A name: letters, digits, `-`, `_`, `.`.
    Name,
    /// A file path, relative to the file it is written in.
    Path,
    /// A step id: a letter or `_`, then letters, digits, `_`, `-`.
    StepId,
    /// One of [`ACTIONS`].
    Action,
    /// The action's `with:`, by [`ActionSpec::with`].
    With,
    /// `needs: a` or `needs: [a, b]`: step ids.
    Needs,
    /// A `when` expression ([`crate::expr`]).
    When,
    Steps,
    Handlers,
    /// `targets:` as in dbkeeper.yaml.
    Targets,
    /// `repos:` as in dbkeeper.yaml.
    Repos,
    /// `notify:` as in dbkeeper.yaml.
    Channels,
    /// name → `{env: VAR}` | `{file: PATH}` | `{command: [ARGV…]}`.
    Secrets,
    /// name → text, number or true/false.
    Vars,
    /// A 5-field cron expression.
    Cron,
    /// An IANA time zone name.
    TimeZone,
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

const fn req(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

const fn opt(name: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}

/// The type of a step output, as `when` expressions see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutTy {
    Bool,
    Num,
    Str,
    /// Known only at run time (the first value of a query).
    Any,
}

#[derive(Debug)]
pub struct Output {
    pub name: &'static str,
    pub ty: OutTy,
    pub doc: &'static str,
}

const fn out(name: &'static str, ty: OutTy, doc: &'static str) -> Output {
    Output { name, ty, doc }
}

/// What an action takes and gives.
#[derive(Debug)]
pub struct ActionSpec {
    pub name: &'static str,
    pub doc: &'static str,
    pub with: &'static [Field],
    /// Groups of keys of which exactly one must be given.
    pub one_of: &'static [&'static [&'static str]],
    pub outputs: &'static [Output],
    /// Reserved: the format is fixed now, the implementation comes with its capability.
    pub reserved: bool,
}

pub const PROFILES: &[&str] = &["default", "djbh3", "quick"];
pub const SEVERITIES: &[&str] = &["warning", "critical"];
pub const BACKUP_KINDS: &[&str] = &["logical", "physical"];
pub const WORKLOADS: &[&str] = &["oltp", "olap", "mixed"];
pub const EXPORT_FORMATS: &[&str] = &["csv", "jsonl", "sql"];
pub const IMPORT_FORMATS: &[&str] = &["csv", "jsonl"];
pub const REPORT_KINDS: &[&str] = &["monthly"];

const SANITY: &[Field] = &[
    opt("name", Ty::Text, "a name for the check in the drill report"),
    req(
        "sql",
        Ty::Sql,
        "a query run on the restored copy; its first value is checked",
    ),
    opt(
        "expect",
        Ty::Expect,
        "what the first value must be: `> 0`, `= 0`, `!= 'x'`; without it the query must only succeed",
    ),
];

const INSPECT: &[Field] = &[
    req("target", Ty::Target, "the server to inspect"),
    opt(
        "profile",
        Ty::Enum(PROFILES),
        "the check profile (default: default)",
    ),
    opt("only", Ty::List(&Ty::Text), "check ids or groups to run"),
    opt(
        "skip",
        Ty::List(&Ty::Text),
        "check ids or groups not to run",
    ),
    opt(
        "report",
        Ty::Template,
        "write the report here (.md, .html or .json)",
    ),
    opt(
        "fail_on",
        Ty::Enum(SEVERITIES),
        "the finding severity that fails the step (default: critical)",
    ),
];

const BACKUP: &[Field] = &[
    req("target", Ty::Target, "the server to back up"),
    req(
        "repos",
        Ty::List(&Ty::Repo),
        "the repositories to write to, in one pass",
    ),
    opt(
        "kind",
        Ty::Enum(BACKUP_KINDS),
        "logical (default) or physical",
    ),
    opt(
        "jobs",
        Ty::Int { min: 1, max: 64 },
        "parallel dump jobs (default 1)",
    ),
    opt(
        "recipients",
        Ty::List(&Ty::Text),
        "age public keys to encrypt to, besides the repositories' own",
    ),
];

const VERIFY: &[Field] = &[
    opt(
        "backup",
        Ty::Template,
        "the backup id to verify, e.g. `${steps.backup.outputs.backup_id}`",
    ),
    opt(
        "latest",
        Ty::Target,
        "verify the latest backup of this target",
    ),
    req("repo", Ty::Repo, "the repository holding the backup"),
    opt(
        "sanity",
        Ty::List(&Ty::Object(SANITY)),
        "queries run on the restored copy",
    ),
    opt(
        "rto_max",
        Ty::Duration,
        "the restore must take at most this long",
    ),
    opt(
        "rpo_max",
        Ty::Duration,
        "the backup must be at most this old",
    ),
    opt(
        "rpo_column",
        Ty::Text,
        "measure RPO from the newest value of this column (table.column or schema.table.column) in the restored copy",
    ),
    opt(
        "identity",
        Ty::Secret,
        "the secret holding the age identity that decrypts the backup",
    ),
    opt("report", Ty::Template, "write the drill report here"),
];

const PRUNE: &[Field] = &[
    req("repo", Ty::Repo, "the repository to prune by its retention"),
    opt("target", Ty::Target, "only backups of this target"),
    opt("dry_run", Ty::Bool, "only say what would be deleted"),
];

const SQL: &[Field] = &[
    req("target", Ty::Target, "the server to run the query on"),
    req(
        "query",
        Ty::Sql,
        "one statement; its rows are the step's outputs",
    ),
    opt(
        "expect",
        Ty::Expect,
        "what the first value must be: `> 0`, `= 0`, `!= 'x'`",
    ),
    opt(
        "database",
        Ty::Text,
        "the database to connect to instead of the target's",
    ),
];

const NOTIFY: &[Field] = &[
    opt("channel", Ty::Channel, "the channel to tell"),
    opt("channels", Ty::List(&Ty::Channel), "the channels to tell"),
    opt(
        "title",
        Ty::Template,
        "the title (default: the playbook's name)",
    ),
    req("message", Ty::Template, "the text"),
];

const ADVISE: &[Field] = &[
    req("target", Ty::Target, "the server to advise on"),
    opt("workload", Ty::Enum(WORKLOADS), "oltp, olap or mixed"),
    opt("plan_out", Ty::Template, "write the change plan here"),
];

const EXPORT: &[Field] = &[
    req("target", Ty::Target, "the server to export from"),
    opt("table", Ty::Text, "the table to export"),
    opt("query", Ty::Sql, "the query to export"),
    req("out", Ty::Template, "a path or s3:// URL"),
    opt("format", Ty::Enum(EXPORT_FORMATS), "csv, jsonl or sql"),
];

const IMPORT: &[Field] = &[
    req("target", Ty::Target, "the server to import into"),
    req("table", Ty::Text, "the table to load"),
    req("from", Ty::Template, "a path or s3:// URL"),
    opt("format", Ty::Enum(IMPORT_FORMATS), "csv or jsonl"),
];

const COPY: &[Field] = &[
    req("source", Ty::Target, "the server to copy from"),
    req("dest", Ty::Target, "the server to copy to"),
    opt("tables", Ty::List(&Ty::Text), "only these tables"),
    opt(
        "verify",
        Ty::Bool,
        "compare row counts and checksums afterwards",
    ),
];

const REPORT: &[Field] = &[
    req("kind", Ty::Enum(REPORT_KINDS), "the report to write"),
    opt("month", Ty::Text, "YYYY-MM (default: the previous month)"),
    req("out", Ty::Template, "the file to write (.md or .html)"),
];

/// Every action, in the order the documentation lists them.
pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        name: "inspect",
        doc: "run the inspection checks on a server",
        with: INSPECT,
        one_of: &[],
        outputs: &[
            out("status", OutTy::Str, "ok, warning or critical"),
            out("verdict", OutTy::Str, "the same as status"),
            out("warnings", OutTy::Num, "findings at warning"),
            out("criticals", OutTy::Num, "findings at critical"),
            out("checks", OutTy::Num, "checks run"),
            out("report_path", OutTy::Str, "where the report was written"),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "backup",
        doc: "back a server up to one or more repositories",
        with: BACKUP,
        one_of: &[],
        outputs: &[
            out("backup_id", OutTy::Str, "the new backup's id"),
            out("target", OutTy::Str, "the name the backup is filed under"),
            out(
                "repos",
                OutTy::Any,
                "the repositories that hold it (a list)",
            ),
            out("plain_bytes", OutTy::Num, "bytes before compression"),
            out("stored_bytes", OutTy::Num, "bytes stored (per repository)"),
            out("size_bytes", OutTy::Num, "bytes stored (per repository)"),
            out("duration_ms", OutTy::Num, "how long the backup took"),
            out("tables", OutTy::Num, "tables in the backup"),
            out("rows", OutTy::Num, "rows counted in the backup's snapshot"),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "verify",
        doc: "restore a backup into a scratch instance and check it (a restore drill)",
        with: VERIFY,
        one_of: &[&["backup", "latest"]],
        outputs: &[
            out("ok", OutTy::Bool, "every check passed"),
            out("backup_id", OutTy::Str, "the backup verified"),
            out("rto_ms", OutTy::Num, "measured restore time"),
            out("rpo_ms", OutTy::Num, "age of the backup's consistent point"),
            out("sanity_failed", OutTy::Num, "sanity queries that failed"),
            out(
                "report_path",
                OutTy::Str,
                "where the drill report was written",
            ),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "prune",
        doc: "delete the backups a repository's retention no longer keeps",
        with: PRUNE,
        one_of: &[],
        outputs: &[
            out("deleted", OutTy::Num, "backups deleted (or that would be)"),
            out("kept", OutTy::Num, "backups kept"),
            out("freed_bytes", OutTy::Num, "bytes freed"),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "sql",
        doc: "run one query and check its first value",
        with: SQL,
        one_of: &[],
        outputs: &[
            out("rows", OutTy::Num, "rows returned"),
            out("value", OutTy::Any, "the first column of the first row"),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "notify",
        doc: "send a message to notification channels",
        with: NOTIFY,
        one_of: &[&["channel", "channels"]],
        outputs: &[
            out("delivered", OutTy::Num, "channels that took the message"),
            out("failed", OutTy::Num, "channels that did not"),
        ],
        reserved: false,
    },
    ActionSpec {
        name: "advise",
        doc: "write tuning advice and a change plan (reserved)",
        with: ADVISE,
        one_of: &[],
        outputs: &[
            out("advice", OutTy::Num, "pieces of advice"),
            out("plan_path", OutTy::Str, "where the plan was written"),
        ],
        reserved: true,
    },
    ActionSpec {
        name: "export",
        doc: "export a table or query (reserved)",
        with: EXPORT,
        one_of: &[&["table", "query"]],
        outputs: &[
            out("rows", OutTy::Num, "rows exported"),
            out("bytes", OutTy::Num, "bytes written"),
        ],
        reserved: true,
    },
    ActionSpec {
        name: "import",
        doc: "load a file into a table (reserved)",
        with: IMPORT,
        one_of: &[],
        outputs: &[out("rows", OutTy::Num, "rows loaded")],
        reserved: true,
    },
    ActionSpec {
        name: "copy",
        doc: "copy tables between servers (reserved)",
        with: COPY,
        one_of: &[],
        outputs: &[
            out("rows", OutTy::Num, "rows copied"),
            out("tables", OutTy::Num, "tables copied"),
        ],
        reserved: true,
    },
    ActionSpec {
        name: "report",
        doc: "write a report, e.g. the monthly operations report (reserved)",
        with: REPORT,
        one_of: &[],
        outputs: &[out("path", OutTy::Str, "where the report was written")],
        reserved: true,
    },
];

/// The action of this name.
pub fn action(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

/// What every step has besides its action's outputs: `steps.ID.ok` and friends.
pub const STEP_FIELDS: &[Output] = &[
    out("ok", OutTy::Bool, "the step ran and succeeded"),
    out("failed", OutTy::Bool, "the step ran and failed"),
    out("skipped", OutTy::Bool, "the step did not run"),
    out("status", OutTy::Str, "ok, failed or skipped"),
    out("attempts", OutTy::Num, "how many times it was tried"),
    out("duration_ms", OutTy::Num, "how long it ran, all attempts"),
];

/// `run.FIELD`: facts about the run itself. Calendar fields are of the slot being run (or of now)
/// in the run's time zone.
pub const RUN_FIELDS: &[Output] = &[
    out("scheduled", OutTy::Bool, "the run is for a schedule slot"),
    out("dry_run", OutTy::Bool, "the run only plans"),
    out("failed", OutTy::Bool, "a step has failed so far"),
    out("day_of_month", OutTy::Num, "1-31"),
    out("weekday", OutTy::Num, "0-6, Sunday is 0"),
    out("month", OutTy::Num, "1-12"),
    out("hour", OutTy::Num, "0-23"),
    out("date", OutTy::Str, "YYYY-MM-DD"),
    out(
        "id",
        OutTy::Num,
        "the run's number in the ledger (0 when not recorded)",
    ),
];

/// The top level of a playbook.
pub const TOP: &[Field] = &[
    req("version", Ty::Version, "the format version: 1"),
    req("name", Ty::Name, "the playbook's name, as the ledger and notifications show it"),
    opt("description", Ty::Text, "what the playbook is for"),
    opt(
        "inventory",
        Ty::Path,
        "a file in the format of dbkeeper.yaml whose targets, repos and notify channels the playbook may use",
    ),
    opt("targets", Ty::Targets, "database servers, as in dbkeeper.yaml"),
    opt("repos", Ty::Repos, "backup repositories, as in dbkeeper.yaml"),
    opt(
        "secrets",
        Ty::Secrets,
        "secret references ({env: VAR}, {file: PATH} with mode 0600, {command: [ARGV]}); never a value",
    ),
    opt("vars", Ty::Vars, "values that conditions read as vars.NAME"),
    opt("defaults", Ty::Object(DEFAULTS), "timeout, retries and backoff for every step"),
    req("steps", Ty::Steps, "what to do, in dependency order"),
    opt(
        "on_failure",
        Ty::Handlers,
        "actions run once after the steps when the run failed",
    ),
    opt(
        "notify",
        Ty::Channels,
        "channels, as in dbkeeper.yaml, told of the run's outcome by their `on:`",
    ),
];

pub const DEFAULTS: &[Field] = &[
    opt("timeout", Ty::Duration, "for steps that set none"),
    opt(
        "retries",
        Ty::Int {
            min: 0,
            max: MAX_RETRIES,
        },
        "for steps that set none",
    ),
    opt("backoff", Ty::Duration, "for steps that set none"),
];

/// A step.
pub const STEP: &[Field] = &[
    req(
        "id",
        Ty::StepId,
        "how other steps and conditions refer to it: steps.ID",
    ),
    opt("name", Ty::Text, "a name for reports"),
    req("action", Ty::Action, "what the step does"),
    opt("with", Ty::With, "the action's settings"),
    opt("needs", Ty::Needs, "steps that must run first"),
    opt(
        "when",
        Ty::When,
        "run only if this is true, e.g. `steps.backup.ok && vars.env == 'prod'`",
    ),
    opt(
        "timeout",
        Ty::Duration,
        "give up an attempt after this long",
    ),
    opt(
        "retries",
        Ty::Int {
            min: 0,
            max: MAX_RETRIES,
        },
        "further attempts after a failure",
    ),
    opt(
        "backoff",
        Ty::Duration,
        "the wait before the first retry (doubling each time; default 10s)",
    ),
    opt(
        "continue_on_error",
        Ty::Bool,
        "a failure is recorded but does not fail the run",
    ),
    opt(
        "on_failure",
        Ty::Handlers,
        "actions run when this step fails",
    ),
];

/// An `on_failure` handler.
pub const HANDLER: &[Field] = &[
    opt(
        "id",
        Ty::StepId,
        "a name for the ledger (default: STEP.on_failure[N])",
    ),
    req("action", Ty::Action, "what the handler does"),
    opt("with", Ty::With, "the action's settings"),
    opt("timeout", Ty::Duration, "give up after this long"),
];

/// A schedule file.
pub const SCHEDULE: &[Field] = &[
    req("version", Ty::Version, "the format version: 1"),
    req(
        "playbook",
        Ty::Path,
        "the playbook to run, relative to this file",
    ),
    req(
        "cron",
        Ty::Cron,
        "5 fields: minute hour day-of-month month day-of-week (Vixie cron's meaning)",
    ),
    opt(
        "timezone",
        Ty::TimeZone,
        "an IANA zone (default Asia/Shanghai)",
    ),
    opt(
        "missed",
        Ty::Enum(MISSED),
        "after downtime: skip missed slots, or run the latest once (default run_once)",
    ),
    opt(
        "max_lateness",
        Ty::Duration,
        "a slot is not run when its run would start later than this (default 1h)",
    ),
    opt("description", Ty::Text, "what the job is for"),
    opt(
        "enabled",
        Ty::Bool,
        "false keeps the file but installs and runs nothing",
    ),
];

/// The keys of a table, for the reader's closed mappings.
pub fn keys(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

pub const MISSED: &[&str] = &["skip", "run_once"];

/// Caps that keep a typo from turning into a week of retrying.
pub const MAX_RETRIES: i64 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_names_are_fields_and_optional() {
        for a in ACTIONS {
            for group in a.one_of {
                for k in *group {
                    let f = a.with.iter().find(|f| f.name == *k);
                    assert!(f.is_some_and(|f| !f.required), "{}.{k}", a.name);
                }
            }
            let mut names: Vec<&str> = a.with.iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), a.with.len(), "{}: duplicate field", a.name);
        }
    }
}
