//! Type checking: every path resolves and every operator gets the types it works on.

use std::collections::BTreeSet;

use dbkeeper_config::yaml::did_you_mean;
use dbkeeper_core::Text;

use super::parse::{Kind, Node};
use super::{ExprError, STATUS_FUNCTIONS};
use crate::msg;
use crate::spec::{ActionSpec, OutTy, RUN_FIELDS, STEP_FIELDS};

/// What an expression may read: the steps (with their actions, for output names and types),
/// which of them it may read (those that surely ran before it: what it needs, directly or not),
/// and the playbook's variables.
pub struct Scope<'a> {
    pub steps: &'a [(String, &'static ActionSpec)],
    pub readable: &'a BTreeSet<String>,
    pub vars: &'a [(String, OutTy)],
    /// The step the expression belongs to, if any (a handler's or the playbook's have none).
    pub this_step: Option<&'a str>,
}

fn err(at: usize, what: Text, hint: Text) -> ExprError {
    ExprError { at, what, hint }
}

pub fn ty_name(t: OutTy) -> &'static str {
    match t {
        OutTy::Bool => "true/false",
        OutTy::Num => "number",
        OutTy::Str => "text",
        OutTy::Any => "any",
    }
}

/// The message for two types that cannot be compared (each pair has its own, so that both
/// languages read naturally).
fn compare_msg(a: OutTy, b: OutTy) -> dbkeeper_core::Msg {
    use OutTy::*;
    match (a, b) {
        (Str, Num) | (Num, Str) => msg::EXPR_COMPARE_STR_NUM,
        (Str, Bool) | (Bool, Str) => msg::EXPR_COMPARE_STR_BOOL,
        _ => msg::EXPR_COMPARE_NUM_BOOL,
    }
}

fn suggest(got: &str, names: &[&str]) -> Text {
    let list = names.join(", ");
    match did_you_mean(got, names.iter().copied()) {
        Some(s) => Text::new(msg::EXPR_SUGGEST_HINT)
            .arg("suggestion", s)
            .arg("allowed", list),
        None => Text::new(msg::EXPR_ALLOWED_HINT).arg("allowed", list),
    }
}

impl Scope<'_> {
    /// The type of a path such as `steps.b.outputs.backup_id`.
    pub fn type_of(&self, segs: &[(String, usize)]) -> Result<OutTy, ExprError> {
        let full: Vec<&str> = segs.iter().map(|(s, _)| s.as_str()).collect();
        let path = full.join(".");
        let (root, root_at) = (&segs[0].0, segs[0].1);
        let seg = |i: usize| segs.get(i).map(|(s, a)| (s.as_str(), *a));
        // What comes after a complete path is an error at its first extra segment.
        let too_long = |n: usize| -> Result<(), ExprError> {
            match seg(n) {
                Some((_, at)) => Err(err(
                    at,
                    Text::new(msg::EXPR_PATH_TOO_LONG).arg("path", &path),
                    Text::new(msg::EXPR_PATH_TOO_LONG_HINT).arg("path", full[..n].join(".")),
                )),
                None => Ok(()),
            }
        };
        match root.as_str() {
            "steps" => {
                let Some((id, id_at)) = seg(1) else {
                    return Err(err(
                        root_at,
                        Text::new(msg::EXPR_PATH_SHORT).arg("path", &path),
                        Text::new(msg::EXPR_STEPS_PATH_HINT),
                    ));
                };
                let Some((_, spec)) = self.steps.iter().find(|(s, _)| s == id) else {
                    let ids: Vec<&str> = self.steps.iter().map(|(s, _)| s.as_str()).collect();
                    return Err(err(
                        id_at,
                        Text::new(msg::EXPR_UNKNOWN_STEP).arg("step", id),
                        suggest(id, &ids),
                    ));
                };
                if self.this_step == Some(id) {
                    return Err(err(
                        id_at,
                        Text::new(msg::EXPR_SELF).arg("step", id),
                        Text::new(msg::EXPR_SELF_HINT),
                    ));
                }
                if !self.readable.contains(id) {
                    let this = self.this_step.unwrap_or_default();
                    return Err(err(
                        id_at,
                        Text::new(msg::EXPR_NOT_NEEDED)
                            .arg("step", id)
                            .arg("this", this),
                        Text::new(msg::EXPR_NOT_NEEDED_HINT).arg("step", id),
                    ));
                }
                let Some((field, field_at)) = seg(2) else {
                    return Err(err(
                        id_at,
                        Text::new(msg::EXPR_PATH_SHORT).arg("path", &path),
                        Text::new(msg::EXPR_STEPS_PATH_HINT),
                    ));
                };
                if field == "outputs" {
                    let names: Vec<&str> = spec.outputs.iter().map(|o| o.name).collect();
                    let Some((name, name_at)) = seg(3) else {
                        return Err(err(
                            field_at,
                            Text::new(msg::EXPR_PATH_SHORT).arg("path", &path),
                            Text::new(msg::EXPR_ALLOWED_HINT).arg("allowed", names.join(", ")),
                        ));
                    };
                    let Some(o) = spec.outputs.iter().find(|o| o.name == name) else {
                        return Err(err(
                            name_at,
                            Text::new(msg::EXPR_UNKNOWN_OUTPUT)
                                .arg("name", name)
                                .arg("action", spec.name),
                            suggest(name, &names),
                        ));
                    };
                    too_long(4)?;
                    return Ok(o.ty);
                }
                let Some(f) = STEP_FIELDS.iter().find(|f| f.name == field) else {
                    let mut names: Vec<&str> = STEP_FIELDS.iter().map(|f| f.name).collect();
                    names.push("outputs");
                    return Err(err(
                        field_at,
                        Text::new(msg::EXPR_UNKNOWN_FIELD)
                            .arg("name", field)
                            .arg("path", format!("steps.{id}")),
                        suggest(field, &names),
                    ));
                };
                too_long(3)?;
                Ok(f.ty)
            }
            "vars" => {
                let names: Vec<&str> = self.vars.iter().map(|(n, _)| n.as_str()).collect();
                let Some((name, name_at)) = seg(1) else {
                    return Err(err(
                        root_at,
                        Text::new(msg::EXPR_PATH_SHORT).arg("path", &path),
                        Text::new(msg::EXPR_ALLOWED_HINT).arg("allowed", names.join(", ")),
                    ));
                };
                let Some((_, t)) = self.vars.iter().find(|(n, _)| n == name) else {
                    return Err(err(
                        name_at,
                        Text::new(msg::EXPR_UNKNOWN_VAR).arg("name", name),
                        if names.is_empty() {
                            Text::new(msg::EXPR_NO_VARS_HINT).arg("name", name)
                        } else {
                            suggest(name, &names)
                        },
                    ));
                };
                too_long(2)?;
                Ok(*t)
            }
            "run" => {
                let names: Vec<&str> = RUN_FIELDS.iter().map(|f| f.name).collect();
                let Some((name, name_at)) = seg(1) else {
                    return Err(err(
                        root_at,
                        Text::new(msg::EXPR_PATH_SHORT).arg("path", &path),
                        Text::new(msg::EXPR_ALLOWED_HINT).arg("allowed", names.join(", ")),
                    ));
                };
                let Some(f) = RUN_FIELDS.iter().find(|f| f.name == name) else {
                    return Err(err(
                        name_at,
                        Text::new(msg::EXPR_UNKNOWN_FIELD)
                            .arg("name", name)
                            .arg("path", "run"),
                        suggest(name, &names),
                    ));
                };
                too_long(2)?;
                Ok(f.ty)
            }
            other => Err(err(
                root_at,
                Text::new(msg::EXPR_UNKNOWN_ROOT).arg("name", other),
                suggest(other, &["steps", "vars", "run"]),
            )),
        }
    }
}

fn compatible(a: OutTy, b: OutTy) -> bool {
    a == b || a == OutTy::Any || b == OutTy::Any
}

fn want_bool(node: &Node, t: OutTy) -> Result<(), ExprError> {
    if compatible(t, OutTy::Bool) {
        return Ok(());
    }
    let what = if t == OutTy::Num {
        msg::EXPR_WANT_BOOL_NUM
    } else {
        msg::EXPR_WANT_BOOL_STR
    };
    Err(err(
        node.at,
        Text::new(what),
        Text::new(msg::EXPR_WANT_BOOL_HINT),
    ))
}

/// The type of an expression, or the first problem in it.
pub fn check(node: &Node, scope: &Scope<'_>) -> Result<OutTy, ExprError> {
    match &node.kind {
        Kind::Bool(_) => Ok(OutTy::Bool),
        Kind::Num(_) => Ok(OutTy::Num),
        Kind::Str(_) => Ok(OutTy::Str),
        Kind::Path(segs) => scope.type_of(segs),
        Kind::Call(name) => {
            if STATUS_FUNCTIONS.contains(&name.as_str()) {
                Ok(OutTy::Bool)
            } else {
                Err(err(
                    node.at,
                    Text::new(msg::EXPR_UNKNOWN_FUNCTION).arg("name", name),
                    suggest(name, STATUS_FUNCTIONS),
                ))
            }
        }
        Kind::Not(a) => {
            let t = check(a, scope)?;
            want_bool(a, t)?;
            Ok(OutTy::Bool)
        }
        Kind::And(a, b) | Kind::Or(a, b) => {
            let ta = check(a, scope)?;
            want_bool(a, ta)?;
            let tb = check(b, scope)?;
            want_bool(b, tb)?;
            Ok(OutTy::Bool)
        }
        Kind::Cmp(op, a, b) => {
            let ta = check(a, scope)?;
            let tb = check(b, scope)?;
            if op.is_ordering() {
                for (n, t) in [(a, ta), (b, tb)] {
                    if !compatible(t, OutTy::Num) {
                        return Err(err(
                            n.at,
                            Text::new(if t == OutTy::Bool {
                                msg::EXPR_ORDER_BOOL
                            } else {
                                msg::EXPR_ORDER_STR
                            })
                            .arg("op", op.symbol()),
                            Text::new(msg::EXPR_ORDER_TYPE_HINT),
                        ));
                    }
                }
            } else if !compatible(ta, tb) {
                return Err(err(
                    b.at,
                    Text::new(compare_msg(ta, tb)),
                    Text::new(msg::EXPR_COMPARE_TYPES_HINT),
                ));
            }
            Ok(OutTy::Bool)
        }
        Kind::In(a, items) => {
            let ta = check(a, scope)?;
            for item in items {
                let ti = check(item, scope)?;
                if !compatible(ta, ti) {
                    return Err(err(
                        item.at,
                        Text::new(compare_msg(ta, ti)),
                        Text::new(msg::EXPR_COMPARE_TYPES_HINT),
                    ));
                }
            }
            Ok(OutTy::Bool)
        }
    }
}

/// Checks a whole `when`: it must be true or false.
pub fn check_condition(node: &Node, scope: &Scope<'_>) -> Result<(), ExprError> {
    let t = check(node, scope)?;
    if compatible(t, OutTy::Bool) {
        return Ok(());
    }
    Err(err(
        node.at,
        Text::new(if t == OutTy::Num {
            msg::EXPR_NOT_CONDITION_NUM
        } else {
            msg::EXPR_NOT_CONDITION_STR
        }),
        Text::new(msg::EXPR_NOT_CONDITION_HINT),
    ))
}
