//! Steps and handlers, and the graph their `needs` make.

use std::collections::BTreeSet;
use std::time::Duration;

use dbkeeper_config::yaml::{Item, Map, Pos};
use dbkeeper_core::Text;

use super::{actions, Ctx, Fields, Owner};
use crate::expr;
use crate::model::{Action, Handler, Step, When};
use crate::msg;
use crate::spec::{self, ActionSpec, Ty, MAX_RETRIES};

/// The wait before the first retry when neither the step nor `defaults:` sets one.
const DEFAULT_BACKOFF: Duration = Duration::from_secs(10);

const ACTION_NAMES: &[(&str, &str)] = &[
    ("inspect", "inspect"),
    ("backup", "backup"),
    ("verify", "verify"),
    ("prune", "prune"),
    ("sql", "sql"),
    ("notify", "notify"),
    ("advise", "advise"),
    ("export", "export"),
    ("import", "import"),
    ("copy", "copy"),
    ("report", "report"),
];

/// What pass 1 learns about a step.
struct Head<'a> {
    map: Map<'a>,
    id: Option<String>,
    spec: Option<&'static ActionSpec>,
}

/// Reads every step and handler. Returns the steps, the playbook's handlers, and every step id
/// with its action (for expressions), including steps that had problems.
pub(super) fn read_all(
    ctx: &Ctx<'_>,
    steps_item: Option<&Item<'_>>,
    on_failure: Option<&Item<'_>>,
    defaults: Option<&Fields>,
) -> (Vec<Step>, Vec<Handler>, Vec<(String, &'static ActionSpec)>) {
    let items = steps_item.and_then(Item::list).unwrap_or_default();
    if let Some(s) = steps_item {
        if items.is_empty() && s.list().is_some() {
            s.error(
                Text::new(msg::STEPS_EMPTY),
                Text::new(msg::STEPS_EMPTY_HINT),
            );
        }
    }

    // Pass 1: ids and actions, so that needs and expressions can refer to any step.
    let step_keys = spec::keys(spec::STEP);
    let mut heads: Vec<Head<'_>> = Vec::new();
    let mut seen: Vec<(String, Pos)> = Vec::new();
    for item in &items {
        let map = item.mapping(&step_keys);
        let id = map.need("id").and_then(|i| {
            let s: String = i.get()?;
            if !super::is_ident(&s) {
                i.error(
                    Text::new(msg::STEP_ID).arg("id", &s),
                    Text::new(msg::STEP_ID_HINT),
                );
                return None;
            }
            if let Some((_, first)) = seen.iter().find(|(x, _)| *x == s) {
                i.error(
                    Text::new(msg::STEP_DUPLICATE).arg("id", &s),
                    Text::new(msg::STEP_DUPLICATE_HINT)
                        .arg("line", first.line)
                        .arg("col", first.col),
                );
                return None;
            }
            seen.push((s.clone(), i.pos()));
            Some(s)
        });
        let spec = map
            .need("action")
            .and_then(|i| i.one_of(ACTION_NAMES))
            .and_then(spec::action);
        heads.push(Head { map, id, spec });
    }
    let specs: Vec<(String, &'static ActionSpec)> = heads
        .iter()
        .filter_map(|h| Some((h.id.clone()?, h.spec?)))
        .collect();
    let ids: Vec<String> = seen.iter().map(|(s, _)| s.clone()).collect();

    // Pass 2: everything else.
    let mut steps = Vec::new();
    let mut needs_at: Vec<(String, Vec<(String, Pos)>)> = Vec::new();
    for h in &heads {
        let owner = h.id.clone().map_or(Owner::Playbook, Owner::Step);
        *ctx.owner.borrow_mut() = owner;
        if let Some((step, needs)) = step(ctx, h, &ids, defaults) {
            needs_at.push((step.id.clone(), needs));
            steps.push(step);
        }
    }
    *ctx.owner.borrow_mut() = Owner::Playbook;
    let handlers = on_failure
        .map(|i| handlers(ctx, i, "on_failure"))
        .unwrap_or_default();
    cycles(ctx, &needs_at);
    (steps, handlers, specs)
}

fn step(
    ctx: &Ctx<'_>,
    h: &Head<'_>,
    ids: &[String],
    defaults: Option<&Fields>,
) -> Option<(Step, Vec<(String, Pos)>)> {
    let m = &h.map;
    let name: Option<String> = m.optional("name");
    let action = h.spec.and_then(|spec| with(ctx, m, spec));
    let needs = needs(ctx, m, h.id.as_deref(), ids);
    let when = m.get("when").and_then(|i| {
        let src: String = i.get()?;
        match expr::parse(&src) {
            Ok(node) => {
                ctx.defer_when(&i, node.clone());
                Some(When {
                    has_status: expr::calls_status(&node),
                    source: src,
                    expr: node,
                })
            }
            Err(e) => {
                ctx.inline(&i, e);
                None
            }
        }
    });
    let duration = |key: &str| -> Option<Duration> {
        match ctx.value(&m.get(key)?, &Ty::Duration)? {
            super::Val::Duration(d) => Some(d),
            _ => None,
        }
    };
    let timeout = duration("timeout").or_else(|| defaults.and_then(|d| d.duration("timeout")));
    let backoff = duration("backoff")
        .or_else(|| defaults.and_then(|d| d.duration("backoff")))
        .unwrap_or(DEFAULT_BACKOFF);
    let retries = m
        .get("retries")
        .and_then(|i| {
            match ctx.value(
                &i,
                &Ty::Int {
                    min: 0,
                    max: MAX_RETRIES,
                },
            )? {
                super::Val::Int(n) => Some(n),
                _ => None,
            }
        })
        .or_else(|| defaults.and_then(|d| d.int("retries")))
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0);
    let continue_on_error: bool = m.optional("continue_on_error").unwrap_or(false);
    let id = h.id.clone()?;
    let on_failure = match m.get("on_failure") {
        Some(i) => {
            *ctx.owner.borrow_mut() = Owner::StepHandler(id.clone());
            handlers(ctx, &i, &format!("{id}.on_failure"))
        }
        None => Vec::new(),
    };
    let at = ctx.doc.reader().at(m.item().pos());
    Some((
        Step {
            id,
            name,
            action: action?,
            needs: needs.iter().map(|(n, _)| n.clone()).collect(),
            when,
            timeout,
            retries,
            backoff,
            continue_on_error,
            on_failure,
            at,
        },
        needs,
    ))
}

/// `with:` of an action; required when the action has required keys.
fn with(ctx: &Ctx<'_>, m: &Map<'_>, spec: &'static ActionSpec) -> Option<Action> {
    let needs_with = spec.with.iter().any(|f| f.required) || !spec.one_of.is_empty();
    let item = if needs_with {
        m.need("with")
    } else {
        m.get("with")
    };
    let fields = match item {
        Some(i) => ctx.fields(&i, spec.with, spec.one_of)?,
        None => return actions::build(spec.name, &empty_fields(spec)),
    };
    actions::build(spec.name, &fields)
}

fn empty_fields(spec: &'static ActionSpec) -> Fields {
    Fields::empty(spec.with)
}

/// `needs: [a, b]` or `needs: a`; each a known step other than this one.
fn needs(ctx: &Ctx<'_>, m: &Map<'_>, this: Option<&str>, ids: &[String]) -> Vec<(String, Pos)> {
    let Some(item) = m.get("needs") else {
        return Vec::new();
    };
    let items = if item.scalar().is_some() {
        vec![item]
    } else {
        item.list().unwrap_or_default()
    };
    let mut out: Vec<(String, Pos)> = Vec::new();
    for i in items {
        let Some(s) = i.get::<String>() else { continue };
        if this == Some(s.as_str()) {
            i.error(
                Text::new(msg::NEEDS_SELF).arg("id", &s),
                Text::new(msg::NEEDS_SELF_HINT),
            );
            continue;
        }
        if ctx.reference(&i, &s, "step", ids).is_some() && !out.iter().any(|(x, _)| *x == s) {
            out.push((s, i.pos()));
        }
    }
    out
}

/// A list of handlers: `[{action: notify, with: {...}}]`.
fn handlers(ctx: &Ctx<'_>, item: &Item<'_>, prefix: &str) -> Vec<Handler> {
    let handler_keys = spec::keys(spec::HANDLER);
    let mut out = Vec::new();
    for (i, h) in item.list().unwrap_or_default().iter().enumerate() {
        let m = h.mapping(&handler_keys);
        let id = match m.get("id") {
            Some(idi) => idi.get::<String>().and_then(|s| {
                if super::is_ident(&s) {
                    Some(s)
                } else {
                    idi.error(
                        Text::new(msg::STEP_ID).arg("id", &s),
                        Text::new(msg::STEP_ID_HINT),
                    );
                    None
                }
            }),
            None => Some(format!("{prefix}[{i}]")),
        };
        let spec = m
            .need("action")
            .and_then(|a| a.one_of(ACTION_NAMES))
            .and_then(spec::action);
        let action = spec.and_then(|s| with(ctx, &m, s));
        let timeout = m
            .get("timeout")
            .and_then(|t| match ctx.value(&t, &Ty::Duration)? {
                super::Val::Duration(d) => Some(d),
                _ => None,
            });
        if let (Some(id), Some(action)) = (id, action) {
            out.push(Handler {
                id,
                action,
                timeout,
                at: ctx.doc.reader().at(m.item().pos()),
            });
        }
    }
    out
}

/// Reports every cycle in the `needs` graph once, naming its steps in order.
fn cycles(ctx: &Ctx<'_>, graph: &[(String, Vec<(String, Pos)>)]) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let index = |id: &str| graph.iter().position(|(s, _)| s == id);
    let mut marks = vec![Mark::New; graph.len()];
    let mut reported: Vec<BTreeSet<usize>> = Vec::new();

    fn visit(
        ctx: &Ctx<'_>,
        graph: &[(String, Vec<(String, Pos)>)],
        index: &dyn Fn(&str) -> Option<usize>,
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        reported: &mut Vec<BTreeSet<usize>>,
        u: usize,
    ) {
        marks[u] = Mark::Open;
        stack.push(u);
        for (need, pos) in &graph[u].1 {
            let Some(v) = index(need) else { continue };
            match marks[v] {
                Mark::New => visit(ctx, graph, index, marks, stack, reported, v),
                Mark::Open => {
                    let from = stack.iter().position(|x| *x == v).unwrap_or(0);
                    let members: BTreeSet<usize> = stack[from..].iter().copied().collect();
                    if !reported.contains(&members) {
                        // In the direction of `needs`, from the earliest step of the cycle.
                        let mut path: Vec<&str> =
                            stack[from..].iter().map(|i| graph[*i].0.as_str()).collect();
                        path.push(graph[v].0.as_str());
                        ctx.doc.reader().report(
                            Some(*pos),
                            Text::new(msg::CYCLE).arg("cycle", path.join(" → ")),
                            Text::new(msg::CYCLE_HINT),
                        );
                        reported.push(members);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[u] = Mark::Done;
    }

    for u in 0..graph.len() {
        if marks[u] == Mark::New {
            let mut stack = Vec::new();
            visit(ctx, graph, &index, &mut marks, &mut stack, &mut reported, u);
        }
    }
}

/// Every step `id` needs, directly or through others.
pub(crate) fn ancestors(steps: &[Step], id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<&str> = vec![id];
    while let Some(s) = todo.pop() {
        if let Some(step) = steps.iter().find(|x| x.id == s) {
            for n in &step.needs {
                if out.insert(n.clone()) {
                    todo.push(n);
                }
            }
        }
    }
    out.remove(id);
    out
}
