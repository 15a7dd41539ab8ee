//! Evaluation at run time, over the values the steps produced.

use std::cmp::Ordering;

use dbkeeper_core::Text;

use super::parse::{CmpOp, Kind, Node};
use crate::msg;

/// A value an expression sees.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Num(f64),
    Str(String),
    /// SQL NULL (the first value of a query that returned NULL).
    Null,
}

impl Value {
    /// A step output as an expression sees it. Arrays and objects are compared as their JSON text.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => n.as_f64().map_or(Value::Null, Value::Num),
            serde_json::Value::String(s) => Value::Str(s.clone()),
            other => Value::Str(other.to_string()),
        }
    }

    /// How a value is written into text (`${…}`) and messages.
    pub fn render(&self) -> String {
        match self {
            Value::Bool(b) => b.to_string(),
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Num(n) => n.to_string(),
            Value::Str(s) => s.clone(),
            Value::Null => "NULL".into(),
        }
    }

    fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            // Decimals arrive as text to keep every digit (Engine::query); compare them as numbers.
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// What evaluation reads: values by path, and the run's state for the status functions.
pub trait Values {
    /// The value at a path; `None` when it is not set (an output of a step that was skipped).
    fn get(&self, path: &[&str]) -> Option<Value>;
    /// `success()`, `failure()`, `always()`.
    fn status(&self, function: &str) -> bool;
}

/// Compares two values the way `==`, `<` … do. `None` when they cannot be compared (text with a
/// number that is not one), which an ordering turns into an error and an equality into "unequal".
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => a.as_num()?.partial_cmp(&b.as_num()?),
    }
}

/// Applies a comparison operator. NULL compares unequal to everything and is never ordered, as in
/// SQL: `value > 0` is false for NULL, `value != 0` is true.
pub fn apply(op: CmpOp, a: &Value, b: &Value) -> Result<bool, Text> {
    let ord = compare(a, b);
    Ok(match op {
        CmpOp::Eq => ord == Some(Ordering::Equal),
        CmpOp::Ne => ord != Some(Ordering::Equal),
        _ if matches!(a, Value::Null) || matches!(b, Value::Null) => false,
        _ => {
            let Some(ord) = ord else {
                return Err(Text::new(msg::EXPR_RUNTIME_COMPARE)
                    .arg("left", a.render())
                    .arg("right", b.render()));
            };
            match op {
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    })
}

/// Evaluates an expression that was type-checked. Errors say which value was missing or wrong.
pub fn eval(node: &Node, values: &dyn Values) -> Result<Value, Text> {
    let truth = |n: &Node| -> Result<bool, Text> {
        match eval(n, values)? {
            Value::Bool(b) => Ok(b),
            other => Err(Text::new(msg::EXPR_RUNTIME_NOT_BOOL).arg("got", other.render())),
        }
    };
    Ok(match &node.kind {
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Num(n) => Value::Num(*n),
        Kind::Str(s) => Value::Str(s.clone()),
        Kind::Path(segs) => {
            let path: Vec<&str> = segs.iter().map(|(s, _)| s.as_str()).collect();
            values
                .get(&path)
                .ok_or_else(|| Text::new(msg::EXPR_UNSET).arg("path", path.join(".")))?
        }
        Kind::Call(f) => Value::Bool(values.status(f)),
        Kind::Not(a) => Value::Bool(!truth(a)?),
        // Short-circuit, so `steps.x.ok && steps.x.outputs.rows > 0` is safe when x was skipped.
        Kind::And(a, b) => Value::Bool(truth(a)? && truth(b)?),
        Kind::Or(a, b) => Value::Bool(truth(a)? || truth(b)?),
        Kind::Cmp(op, a, b) => Value::Bool(apply(*op, &eval(a, values)?, &eval(b, values)?)?),
        Kind::In(a, items) => {
            let v = eval(a, values)?;
            let mut found = false;
            for i in items {
                if apply(CmpOp::Eq, &v, &eval(i, values)?)? {
                    found = true;
                    break;
                }
            }
            Value::Bool(found)
        }
    })
}
