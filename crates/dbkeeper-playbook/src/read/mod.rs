//! Reading a playbook file: strict, every problem at once, each at `file:line:col` with the line
//! and a hint — built on the config crate's YAML reader, whose targets, repos and channels
//! readers the playbook's sections of the same names reuse.
//!
//! Reading happens in three passes because some checks need the whole file: (1) the sections that
//! define names (targets, repos, notify, secrets, vars, the step ids); (2) the steps, whose
//! references are checked against those names; (3) the step graph — cycles, and the `when`
//! expressions and `${…}` references, which may only read steps that surely ran before.

mod actions;
mod fields;
mod steps;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dbkeeper_config::yaml::{Document, Item, Node, Pos};
use dbkeeper_config::{ChannelEntry, Config, RepoEntry, TargetEntry};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::{Diagnostic, Error, ErrorKind, Result, Text};
use sha2::{Digest, Sha256};

use crate::expr::{self, ExprError, Scope};
use crate::model::{Playbook, Var, VarValue};
use crate::msg;
use crate::spec::{self, OutTy};
use crate::template::Template;

pub(crate) use fields::{Fields, Val};

/// Names defined anywhere the playbook can see: its own sections, its inventory, the config.
#[derive(Default)]
pub(crate) struct Known {
    pub(crate) targets: Vec<String>,
    pub(crate) repos: Vec<String>,
    pub(crate) channels: Vec<String>,
    pub(crate) secrets: Vec<String>,
}

/// Where the characters of a scalar are, so that a problem inside it (a `when` expression, a
/// cron field) points at its own column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Locator {
    base: Pos,
    /// How many characters of the scalar are on its first line, as written; offsets beyond
    /// (or scalars written with escapes) fall back to the scalar's start.
    exact_len: usize,
}

impl Locator {
    pub(crate) fn at(&self, offset: usize) -> Pos {
        if offset <= self.exact_len {
            Pos {
                line: self.base.line,
                col: self.base.col + offset,
            }
        } else {
            self.base
        }
    }
}

/// Whose expression a deferred check belongs to: it decides which steps it may read.
#[derive(Clone, Debug)]
pub(crate) enum Owner {
    Step(String),
    /// A handler of a step: it may also read the step itself.
    StepHandler(String),
    /// A playbook-level handler: it runs after every step.
    Playbook,
}

enum Deferred {
    When(expr::Node),
    Template(Template),
}

/// Reading state shared by the passes.
pub(crate) struct Ctx<'a> {
    pub(crate) doc: &'a Document,
    lines: Vec<&'a str>,
    pub(crate) known: Known,
    pub(crate) vars: Vec<(String, OutTy)>,
    deferred: RefCell<Vec<(Locator, Owner, Deferred)>>,
    pub(crate) owner: RefCell<Owner>,
    /// Problems found in other files (the inventory), reported with this file's.
    extra: RefCell<Vec<Diagnostic>>,
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Document, text: &'a str) -> Ctx<'a> {
        Ctx {
            doc,
            lines: text.lines().collect(),
            known: Known::default(),
            vars: Vec::new(),
            deferred: RefCell::new(Vec::new()),
            owner: RefCell::new(Owner::Playbook),
            extra: RefCell::new(Vec::new()),
        }
    }

    /// Where the characters of a scalar item start.
    pub(crate) fn locator(&self, item: &Item<'_>) -> Locator {
        let base = item.pos();
        let text = item.scalar().unwrap_or_default();
        let first = text.lines().next().unwrap_or_default();
        let fallback = Locator { base, exact_len: 0 };
        let Some(line) = self.lines.get(base.line.saturating_sub(1)) else {
            return fallback;
        };
        let rest: String = line.chars().skip(base.col.saturating_sub(1)).collect();
        let (skip, body) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (1, rest.trim_start_matches(q).to_string()),
            _ => (0, rest),
        };
        if !body.starts_with(first) {
            return fallback;
        }
        Locator {
            base: Pos {
                line: base.line,
                col: base.col + skip,
            },
            exact_len: first.chars().count(),
        }
    }

    /// Reports a problem inside a scalar at its own column.
    pub(crate) fn inline(&self, item: &Item<'_>, e: ExprError) {
        let pos = self.locator(item).at(e.at);
        self.doc.reader().report(Some(pos), e.what, e.hint);
    }

    /// Reports an error from another crate (a URL that does not parse) at an item.
    pub(crate) fn core_error(&self, item: &Item<'_>, e: &Error) {
        let hint = e
            .main
            .hint
            .clone()
            .unwrap_or_else(|| Text::new(msg::SEE_DOCS_HINT));
        item.error(e.main.what.clone(), hint);
    }

    pub(crate) fn defer_when(&self, item: &Item<'_>, node: expr::Node) {
        let owner = self.owner.borrow().clone();
        self.deferred
            .borrow_mut()
            .push((self.locator(item), owner, Deferred::When(node)));
    }

    pub(crate) fn defer_template(&self, item: &Item<'_>, t: &Template) {
        if t.refs().next().is_none() {
            return;
        }
        let owner = self.owner.borrow().clone();
        self.deferred
            .borrow_mut()
            .push((self.locator(item), owner, Deferred::Template(t.clone())));
    }
}

/// Parses a playbook from text. `display_path` names it in messages; relative paths in it (the
/// inventory) are taken from `base_dir`. Names may also come from `config` (dbkeeper.yaml).
pub fn parse_str(
    display_path: &str,
    text: &str,
    base_dir: Option<&Path>,
    config: Option<&Config>,
) -> Result<Playbook> {
    let doc = Document::parse(display_path, text)?;
    let ctx = Ctx::new(&doc, text);
    let playbook = read(ctx, text, base_dir, config, display_path)?;
    Ok(playbook)
}

/// Reads and parses a playbook file.
pub fn load(path: &Path, config: Option<&Config>) -> Result<Playbook> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Config, Text::new(msg::READ).arg("path", &shown))
            .at(shown.clone())
            .hint(Text::new(msg::READ_HINT))
            .detail(e)
    })?;
    let mut pb = parse_str(&shown, &text, path.parent(), config)?;
    pb.path = path.to_path_buf();
    Ok(pb)
}

fn read(
    mut ctx: Ctx<'_>,
    text: &str,
    base_dir: Option<&Path>,
    config: Option<&Config>,
    display_path: &str,
) -> Result<Playbook> {
    let doc = ctx.doc;
    let top_keys = spec::keys(spec::TOP);
    let top = doc.root().mapping(&top_keys);
    // A wrong version means the rest was written for other rules: stop there.
    if let Some(v) = top.need("version") {
        if let Some(n) = v.get::<u64>() {
            if n != 1 {
                v.error(
                    Text::new(msg::VERSION).arg("version", n),
                    Text::new(msg::VERSION_HINT),
                );
                return finish(&ctx, None);
            }
        }
    }
    let name = top.need("name").and_then(|i| {
        let s: String = i.get()?;
        if !is_name(&s) {
            i.error(
                Text::new(msg::PLAYBOOK_NAME).arg("name", &s),
                Text::new(msg::NAME_HINT),
            );
            return None;
        }
        Some(s)
    });
    let description: Option<String> = top.optional("description");

    // Pass 1: everything that defines names.
    let defaults = config.map(|c| c.defaults.clone()).unwrap_or_default();
    let (inv_targets, inv_repos, inv_channels) = match top.get("inventory") {
        Some(i) => inventory(&ctx, &i, base_dir),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let section = |key: &str| top.get(key);
    let targets = section("targets")
        .map(|s| dbkeeper_config::config::read_targets(&s, &defaults))
        .unwrap_or_default();
    let repos = section("repos")
        .map(|s| dbkeeper_config::config::read_repos(&s))
        .unwrap_or_default();
    let notify = section("notify")
        .map(|s| dbkeeper_config::config::read_channels(&s))
        .unwrap_or_default();
    let secrets = section("secrets")
        .map(|s| read_secrets(&s))
        .unwrap_or_default();
    let vars = section("vars").map(|s| read_vars(&s)).unwrap_or_default();

    // Names count as defined even when their entry had a problem (reported already), so that
    // one mistake in a target does not also make every step that uses it "unknown".
    let defined = |key: &str| names_of(section(key).as_ref());
    duplicates(section("targets").as_ref(), &inv_targets, "target");
    duplicates(section("repos").as_ref(), &inv_repos, "repo");
    duplicates(section("notify").as_ref(), &inv_channels, "channel");
    ctx.known = Known {
        targets: merge(
            defined("targets"),
            inv_targets.iter().map(|t| t.name.clone()),
            config.map(|c| c.targets.iter().map(|t| t.name.clone()).collect()),
        ),
        repos: merge(
            defined("repos"),
            inv_repos.iter().map(|r| r.name.clone()),
            config.map(|c| c.repos.iter().map(|r| r.name.clone()).collect()),
        ),
        channels: merge(
            defined("notify"),
            inv_channels.iter().map(|c| c.name.clone()),
            config.map(|c| c.channels.iter().map(|c| c.name.clone()).collect()),
        ),
        secrets: defined("secrets"),
    };
    ctx.vars = vars
        .iter()
        .map(|v| {
            let t = match v.value {
                VarValue::Str(_) => OutTy::Str,
                VarValue::Num(_) => OutTy::Num,
                VarValue::Bool(_) => OutTy::Bool,
            };
            (v.name.clone(), t)
        })
        .collect();

    // Pass 2 and 3: the steps and the graph.
    let step_defaults = top
        .get("defaults")
        .and_then(|i| ctx.fields(&i, spec::DEFAULTS, &[]));
    let steps_item = top.need("steps");
    let (steps, on_failure, step_specs) = steps::read_all(
        &ctx,
        steps_item.as_ref(),
        top.get("on_failure").as_ref(),
        step_defaults.as_ref(),
    );
    check_deferred(&ctx, &steps, &step_specs);

    let mut all_targets = targets;
    all_targets.extend(inv_targets);
    let mut all_repos = repos;
    all_repos.extend(inv_repos);
    let playbook = name.map(|name| Playbook {
        name,
        description,
        path: PathBuf::from(display_path),
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
        vars,
        targets: all_targets,
        repos: all_repos,
        notify,
        channels: inv_channels,
        secrets,
        steps,
        on_failure,
    });
    finish(&ctx, playbook)
}

fn finish(ctx: &Ctx<'_>, playbook: Option<Playbook>) -> Result<Playbook> {
    let mut all = ctx.doc.diagnostics();
    all.extend(ctx.extra.borrow().iter().cloned());
    if let Some(e) = Error::many(ErrorKind::Config, all) {
        return Err(e);
    }
    playbook.ok_or_else(|| {
        Error::new(
            ErrorKind::Internal,
            Text::verbatim("playbook reader gave up without a reason"),
        )
    })
}

/// `inventory: PATH`: a file in the config format (targets, repos, notify), relative to the
/// playbook. Its problems are reported with its own positions.
fn inventory(
    ctx: &Ctx<'_>,
    item: &Item<'_>,
    base_dir: Option<&Path>,
) -> (Vec<TargetEntry>, Vec<RepoEntry>, Vec<ChannelEntry>) {
    let Some(rel) = item.get::<PathBuf>() else {
        return Default::default();
    };
    let path = match base_dir {
        Some(dir) if rel.is_relative() => dir.join(&rel),
        _ => rel.clone(),
    };
    if !path.is_file() {
        item.error(
            Text::new(msg::INVENTORY_MISSING).arg("path", path.display()),
            Text::new(msg::INVENTORY_MISSING_HINT),
        );
        return Default::default();
    }
    match dbkeeper_config::load(&path) {
        Ok(c) => (c.targets, c.repos, c.channels),
        Err(e) => {
            ctx.extra.borrow_mut().extend(e.diagnostics().cloned());
            Default::default()
        }
    }
}

fn names_of(section: Option<&Item<'_>>) -> Vec<String> {
    match section.map(Item::node) {
        Some(Node::Mapping(m)) => m.keys().map(|k| k.as_str().to_string()).collect(),
        _ => Vec::new(),
    }
}

fn merge(
    own: Vec<String>,
    inventory: impl Iterator<Item = String>,
    config: Option<Vec<String>>,
) -> Vec<String> {
    let mut all = own;
    for n in inventory.chain(config.unwrap_or_default()) {
        if !all.contains(&n) {
            all.push(n);
        }
    }
    all
}

/// A name defined both in the playbook and in its inventory is ambiguous.
fn duplicates<T: HasName>(section: Option<&Item<'_>>, inventory: &[T], kind: &str) {
    let Some(entries) = section.filter(|s| matches!(s.node(), Node::Mapping(_))) else {
        return;
    };
    for (name, item) in entries.entries().unwrap_or_default() {
        if inventory.iter().any(|t| t.name() == name) {
            item.error_at_key(
                Text::new(msg::DEFINED_TWICE)
                    .arg("kind", kind)
                    .arg("name", name),
                Text::new(msg::DEFINED_TWICE_HINT),
            );
        }
    }
}

trait HasName {
    fn name(&self) -> &str;
}
impl HasName for TargetEntry {
    fn name(&self) -> &str {
        &self.name
    }
}
impl HasName for RepoEntry {
    fn name(&self) -> &str {
        &self.name
    }
}
impl HasName for ChannelEntry {
    fn name(&self) -> &str {
        &self.name
    }
}

fn read_secrets(section: &Item<'_>) -> Vec<(String, SecretRef)> {
    section
        .entries()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, item)| {
            if !is_name(name) {
                item.error_at_key(
                    Text::new(msg::ENTRY_NAME).arg("name", name),
                    Text::new(msg::NAME_HINT),
                );
            }
            item.get::<SecretRef>().map(|s| (name.to_string(), s))
        })
        .collect()
}

/// `vars:` take text, numbers and true/false, and their type is what `when` checks against.
fn read_vars(section: &Item<'_>) -> Vec<Var> {
    section
        .entries()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, item)| {
            if !is_ident(name) {
                item.error_at_key(
                    Text::new(msg::VAR_NAME).arg("name", name),
                    Text::new(msg::VAR_NAME_HINT),
                );
                return None;
            }
            // `vars: {db_password: hunter2}` is a literal password by another name.
            if looks_secret(name) {
                if let Some(pos) = item.key_pos() {
                    item.reader().blank(pos);
                }
                item.error_at_key(
                    Text::new(msg::VAR_SECRET).arg("name", name),
                    Text::new(msg::VAR_SECRET_HINT).arg("name", name),
                );
                return None;
            }
            let Some(s) = item.scalar().filter(|_| !item.is_null()) else {
                item.error(
                    Text::new(msg::VAR_TYPE).arg("key", item.path()),
                    Text::new(msg::VAR_TYPE_HINT),
                );
                return None;
            };
            let value = if item.is_plain() {
                match s {
                    "true" => VarValue::Bool(true),
                    "false" => VarValue::Bool(false),
                    _ => match s.parse::<f64>() {
                        Ok(n) if n.is_finite() => VarValue::Num(n),
                        _ => VarValue::Str(s.to_string()),
                    },
                }
            } else {
                VarValue::Str(s.to_string())
            };
            Some(Var {
                name: name.to_string(),
                value,
            })
        })
        .collect()
}

/// Variable names that say they hold a secret.
fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "pass",
        "pwd",
        "secret",
        "token",
        "credential",
        "private",
        "apikey",
        "api_key",
    ]
    .iter()
    .any(|s| n.contains(s))
}

/// Names of playbooks, targets, secrets: they appear on command lines and in file names.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(['-', '.'])
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Step ids and variable names: they appear in expressions (`steps.ID.ok`), so no dots.
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Pass 3: type-checks every `when` and `${…}` now that the graph is known.
fn check_deferred(
    ctx: &Ctx<'_>,
    steps: &[crate::model::Step],
    specs: &[(String, &'static spec::ActionSpec)],
) {
    let all: BTreeSet<String> = specs.iter().map(|(id, _)| id.clone()).collect();
    let deferred = std::mem::take(&mut *ctx.deferred.borrow_mut());
    for (loc, owner, what) in deferred {
        let (readable, this_step) = match &owner {
            Owner::Step(id) => (steps::ancestors(steps, id), Some(id.as_str())),
            Owner::StepHandler(id) => {
                let mut r = steps::ancestors(steps, id);
                r.insert(id.clone());
                (r, None)
            }
            Owner::Playbook => (all.clone(), None),
        };
        let scope = Scope {
            steps: specs,
            readable: &readable,
            vars: &ctx.vars,
            this_step,
        };
        let result = match &what {
            Deferred::When(node) => expr::check_condition(node, &scope),
            Deferred::Template(t) => t
                .refs()
                .try_for_each(|n| expr::check(n, &scope).map(|_| ())),
        };
        if let Err(e) = result {
            ctx.doc.reader().report(Some(loc.at(e.at)), e.what, e.hint);
        }
    }
}

#[cfg(test)]
mod tests;
