//! Expectations on one value — `> 0`, `= 0`, `!= 'x'`, `true` — for `sql` steps and a drill's
//! sanity queries. Parsed when the playbook is read; checked against the first value of a query.

use std::fmt;

use dbkeeper_core::Text;

use crate::expr::{CmpOp, ExprError, Value};
use crate::msg;

/// A comparison with a literal.
#[derive(Clone, Debug, PartialEq)]
pub struct Expect {
    pub op: CmpOp,
    pub value: Value,
    /// As written, for messages and reports.
    pub source: String,
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Expect {
    /// Parses `OP VALUE` or `VALUE` (meaning `= VALUE`); `=` and `==` are the same here.
    pub fn parse(src: &str) -> Result<Expect, ExprError> {
        let lead = src.len() - src.trim_start().len();
        let s = src.trim();
        let ops: [(&str, CmpOp); 7] = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("=", CmpOp::Eq),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ];
        let (op, rest, skipped) = ops
            .iter()
            .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r, p.len())))
            .unwrap_or((CmpOp::Eq, s, 0));
        let at = src[..lead].chars().count() + skipped;
        let bad = |at: usize| ExprError {
            at,
            what: Text::new(msg::EXPECT_SYNTAX).arg("got", src.trim()),
            hint: Text::new(msg::EXPECT_SYNTAX_HINT),
        };
        let toks =
            crate::expr::parse::lex_literal(rest).map_err(|e| ExprError { at: at + e.at, ..e })?;
        let value = toks.ok_or_else(|| bad(at + (rest.len() - rest.trim_start().len())))?;
        if op.is_ordering() && !matches!(value, Value::Num(_)) {
            return Err(ExprError {
                at,
                what: Text::new(msg::EXPECT_ORDER).arg("op", op.symbol()),
                hint: Text::new(msg::EXPECT_ORDER_HINT),
            });
        }
        Ok(Expect {
            op,
            value,
            source: s.to_string(),
        })
    }

    /// Checks a value; `Err` says what was found instead, in words for the step's error.
    pub fn check(&self, got: &serde_json::Value) -> Result<(), Text> {
        let v = Value::from_json(got);
        let ok = crate::expr::eval::apply(self.op, &v, &self.value).unwrap_or(false);
        if ok {
            return Ok(());
        }
        Err(Text::new(msg::EXPECT_FAILED)
            .arg("got", v.render())
            .arg("expect", &self.source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_and_checks() {
        let e = Expect::parse("> 0").expect("valid");
        assert!(e.check(&json!(3)).is_ok());
        assert!(e.check(&json!("12.50")).is_ok(), "decimals arrive as text");
        assert!(e.check(&json!(0)).is_err());
        assert!(e.check(&json!(null)).is_err());
        let e = Expect::parse("= 0").expect("valid");
        assert!(e.check(&json!(0)).is_ok());
        let e = Expect::parse("'三级甲等'").expect("valid");
        assert!(e.check(&json!("三级甲等")).is_ok());
        let e = Expect::parse("!= 'x'").expect("valid");
        assert!(e.check(&json!("y")).is_ok());
        assert!(
            e.check(&json!(null)).is_ok(),
            "NULL is unequal to everything"
        );
        let e = Expect::parse("true").expect("valid");
        assert!(e.check(&json!(true)).is_ok());
        assert!(e.check(&json!(false)).is_err());
    }

    #[test]
    fn positions_of_mistakes() {
        assert_eq!(Expect::parse(">").expect_err("no value").at, 1);
        assert_eq!(Expect::parse("> 'a'").expect_err("order text").at, 1);
        assert_eq!(Expect::parse("  > 1 2").expect_err("two values").at, 6);
        assert_eq!(Expect::parse("=> 1").expect_err("bad op").at, 1);
    }
}
