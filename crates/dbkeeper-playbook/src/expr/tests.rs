//! The `when` language on its own: precedence, types, evaluation.

use std::collections::BTreeSet;

use super::*;
use crate::spec::{self, OutTy};

struct V;

impl Values for V {
    fn get(&self, path: &[&str]) -> Option<Value> {
        match path {
            ["vars", "env"] => Some(Value::Str("prod".into())),
            ["vars", "keep"] => Some(Value::Num(7.0)),
            ["steps", "b", "ok"] => Some(Value::Bool(true)),
            ["steps", "b", "outputs", "size_bytes"] => Some(Value::Num(1024.0)),
            ["steps", "q", "outputs", "value"] => Some(Value::Str("12.50".into())),
            ["steps", "q", "outputs", "rows"] => None,
            _ => None,
        }
    }
    fn status(&self, f: &str) -> bool {
        f != "failure"
    }
}

fn t(src: &str) -> bool {
    let n = parse(src).unwrap_or_else(|e| panic!("{src}: {}", e.what));
    match eval(&n, &V) {
        Ok(Value::Bool(b)) => b,
        other => panic!("{src}: {other:?}"),
    }
}

#[test]
fn precedence_and_short_circuit() {
    assert!(t("true || false && false"), "&& binds tighter");
    assert!(!t("(true || false) && false"));
    assert!(t("!false && !(1 > 2)"));
    assert!(t("steps.b.ok && steps.b.outputs.size_bytes > 1000"));
    assert!(t("vars.env == 'prod' && vars.keep >= 7"));
    assert!(t("vars.env in ['test', \"prod\"]"));
    assert!(
        t("steps.q.outputs.value > 12"),
        "decimals as text compare as numbers"
    );
    assert!(t("success() && !failure() && always()"));
    // Short-circuit: the missing value is never read.
    assert!(t("true || steps.q.outputs.rows > 0"));
    let missing = eval(&parse("steps.q.outputs.rows > 0").expect("parses"), &V);
    assert_eq!(missing.expect_err("unset").id(), "playbook.expr_unset");
}

fn scope_check(src: &str) -> Result<OutTy, ExprError> {
    let steps = vec![
        ("b".to_string(), spec::action("backup").expect("backup")),
        ("q".to_string(), spec::action("sql").expect("sql")),
        ("late".to_string(), spec::action("prune").expect("prune")),
    ];
    let readable: BTreeSet<String> = ["b", "q"].iter().map(|s| s.to_string()).collect();
    let vars = vec![
        ("env".to_string(), OutTy::Str),
        ("keep".to_string(), OutTy::Num),
    ];
    let scope = Scope {
        steps: &steps,
        readable: &readable,
        vars: &vars,
        this_step: Some("me"),
    };
    let n = parse(src)?;
    check_condition(&n, &scope).map(|_| OutTy::Bool)
}

#[test]
fn type_errors_with_positions() {
    let cases: &[(&str, usize, &str)] = &[
        ("vars.env > 1", 0, "playbook.expr_order_str"),
        ("vars.keep == 'x'", 13, "playbook.expr_compare_str_num"),
        (
            "steps.b.outputs.size_bytes",
            0,
            "playbook.expr_not_condition_num",
        ),
        ("!vars.env", 1, "playbook.expr_want_bool_str"),
        ("steps.late.ok", 6, "playbook.expr_not_needed"),
        (
            "steps.b.outputs.nope == 1",
            16,
            "playbook.expr_unknown_output",
        ),
        ("steps.b.okay", 8, "playbook.expr_unknown_field"),
        ("steps.b.ok.more", 11, "playbook.expr_path_too_long"),
        ("step.b.ok", 0, "playbook.expr_unknown_root"),
        ("vars.keep in [1, 'x']", 17, "playbook.expr_compare_str_num"),
        ("a < b < c", 6, "playbook.expr_chained"),
        ("vars.env == 'x", 12, "playbook.expr_unterminated"),
        ("", 0, "playbook.expr_empty"),
        ("(true", 5, "playbook.expr_expected_end"),
        ("true false", 5, "playbook.expr_unexpected"),
        ("1.2.3 > 0", 0, "playbook.expr_number"),
        ("vars.env == 'a' | true", 16, "playbook.expr_single_and_or"),
        ("succes()", 0, "playbook.expr_unknown_function"),
    ];
    for (src, at, id) in cases {
        let e = scope_check(src).expect_err(src);
        assert_eq!((e.at, e.what.id()), (*at, *id), "{src}");
    }
    // `value` of a query is known only at run time: it compares with anything.
    scope_check("steps.q.outputs.value == 'x' || steps.q.outputs.value > 3").expect("any");
}
