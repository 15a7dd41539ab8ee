//! The `when` language: a small, typed expression language checked when the playbook is read.
//!
//! ```text
//! steps.backup.ok && steps.backup.outputs.size_bytes > 0
//! vars.env == "prod" || !run.scheduled
//! steps.inspect.outputs.status in ['warning', 'critical']
//! failure()            # status functions: success(), failure(), always()
//! ```
//!
//! Values are booleans, numbers and text; paths name step results (`steps.ID.ok`,
//! `steps.ID.outputs.NAME`), variables (`vars.NAME`) and facts about the run (`run.weekday`).
//! Every path and every operator is type-checked at validate time, so a typo in a step id or an
//! output name, or a number compared with text, is a `dbkeeper validate` error with its column —
//! not a silent `false` at 01:30 at night.

mod check;
pub(crate) mod eval;
pub(crate) mod parse;

use dbkeeper_core::Text;

pub use check::{check, check_condition, ty_name, Scope};
pub use eval::{apply, compare, eval, Value, Values};
pub use parse::{parse, parse_path, CmpOp, Kind, Node};

/// A problem in an expression, at a character offset within its text.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    pub at: usize,
    pub what: Text,
    pub hint: Text,
}

/// The status functions a `when` may call. A `when` that calls none of them runs only when no
/// earlier step has failed, as if written `success() && (…)`.
pub const STATUS_FUNCTIONS: &[&str] = &["success", "failure", "always"];

/// True when the expression calls a status function anywhere.
pub fn calls_status(node: &Node) -> bool {
    match &node.kind {
        Kind::Call(_) => true,
        Kind::Not(a) => calls_status(a),
        Kind::And(a, b) | Kind::Or(a, b) | Kind::Cmp(_, a, b) => calls_status(a) || calls_status(b),
        Kind::In(a, _) => calls_status(a),
        Kind::Bool(_) | Kind::Num(_) | Kind::Str(_) | Kind::Path(_) => false,
    }
}

/// Every step id the expression reads (`steps.ID.…`), for ordering checks.
pub fn steps_read(node: &Node, out: &mut Vec<String>) {
    match &node.kind {
        Kind::Path(segs) => {
            if segs.first().is_some_and(|(s, _)| s == "steps") {
                if let Some((id, _)) = segs.get(1) {
                    out.push(id.clone());
                }
            }
        }
        Kind::Not(a) => steps_read(a, out),
        Kind::And(a, b) | Kind::Or(a, b) | Kind::Cmp(_, a, b) => {
            steps_read(a, out);
            steps_read(b, out);
        }
        Kind::In(a, _) => steps_read(a, out),
        Kind::Bool(_) | Kind::Num(_) | Kind::Str(_) | Kind::Call(_) => {}
    }
}

#[cfg(test)]
mod tests;
