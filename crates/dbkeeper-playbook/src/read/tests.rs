//! The reader on small inline playbooks; the fixtures in tests/ cover every error path.

use super::*;
use dbkeeper_core::Lang;

fn ok(text: &str) -> Playbook {
    match parse_str("p.yaml", text, None, None) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render(Lang::En)),
    }
}

fn errs(text: &str) -> Vec<(String, &'static str)> {
    match parse_str("p.yaml", text, None, None) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e
            .diagnostics()
            .map(|d| (d.at.clone().unwrap_or_default(), d.what.id()))
            .collect(),
    }
}

const BASE: &str = "\
version: 1
name: t
targets:
  pg: {url: postgres://u@h/db}
repos:
  local: {url: file:///tmp/r}
";

#[test]
fn reads_steps_in_dependency_order() {
    let p = ok(&format!(
        "{BASE}steps:
  - id: check
    action: sql
    needs: [backup]
    when: steps.backup.ok && steps.backup.outputs.size_bytes > 0
    with: {{target: pg, query: select 1, expect: \"= 1\"}}
  - id: backup
    action: backup
    retries: 2
    backoff: 1s
    with: {{target: pg, repos: [local]}}
"
    ));
    let order: Vec<&str> = p.order().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["backup", "check"]);
    assert_eq!(p.step("backup").map(|s| s.retries), Some(2));
    assert!(p.step("check").and_then(|s| s.when.as_ref()).is_some());
}

#[test]
fn expression_errors_point_into_the_expression() {
    let e = errs(&format!(
        "{BASE}steps:
  - id: backup
    action: backup
    with: {{target: pg, repos: [local]}}
  - id: check
    action: sql
    needs: backup
    when: steps.backup.outputs.size_byte > 0
    with: {{target: pg, query: select 1}}
"
    ));
    assert_eq!(
        e,
        [("p.yaml:14:32".to_string(), "playbook.expr_unknown_output")]
    );
}

/// A valid value of a type, as YAML; unique text where the type is free text, so that the test
/// can see it arrive in the typed struct.
fn sample(ty: &crate::spec::Ty, name: &str) -> String {
    use crate::spec::Ty;
    match ty {
        Ty::Text | Ty::Template => format!("v_{name}"),
        Ty::Sql => format!("\"select v_{name}\""),
        Ty::Bool => "true".into(),
        Ty::Int { min, .. } => min.to_string(),
        Ty::Duration => "1m".into(),
        Ty::Target => "pg".into(),
        Ty::Repo => "local".into(),
        Ty::Channel => "ops".into(),
        Ty::Secret => "s1".into(),
        Ty::Enum(v) => v.last().copied().unwrap_or_default().to_string(),
        Ty::Expect => "\"> 0\"".into(),
        Ty::List(inner) => format!("[{}]", sample(inner, name)),
        Ty::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.name, sample(&f.ty, f.name)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => panic!("{other:?} in a with:"),
    }
}

#[test]
fn every_declared_field_of_every_action_reaches_its_struct() {
    for a in crate::spec::ACTIONS {
        // Of each exactly-one group, only the first key.
        let skipped: Vec<&str> = a
            .one_of
            .iter()
            .flat_map(|g| g.iter().skip(1).copied())
            .collect();
        let fields: Vec<&crate::spec::Field> = a
            .with
            .iter()
            .filter(|f| !skipped.contains(&f.name))
            .collect();
        let with = fields
            .iter()
            .map(|f| format!("{}: {}", f.name, sample(&f.ty, f.name)))
            .collect::<Vec<_>>()
            .join(", ");
        let p = ok(&format!(
            "{BASE}secrets:
  s1: {{env: S1}}
notify:
  ops: {{kind: webhook, url: {{env: HOOK}}}}
steps:
  - id: x
    action: {}
    with: {{{with}}}
",
            a.name
        ));
        let shown = format!("{:?}", p.steps[0].action);
        assert_eq!(p.steps[0].action.name(), a.name);
        for f in fields {
            if matches!(
                f.ty,
                crate::spec::Ty::Text | crate::spec::Ty::Template | crate::spec::Ty::Sql
            ) {
                assert!(
                    shown.contains(&format!("v_{}", f.name)),
                    "{}.{} not read: {shown}",
                    a.name,
                    f.name
                );
            }
        }
    }
}
