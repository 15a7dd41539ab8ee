//! Text with `${…}` references — `${steps.backup.outputs.backup_id}`, `${vars.env}`,
//! `${run.date}` — filled in when the step runs. Only paths, no expressions: a template says
//! which value goes where, nothing more. `$${` writes a literal `${`.

use dbkeeper_core::Text;

use crate::expr::{self, ExprError, Kind, Node, Values};
use crate::msg;

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    /// A reference; `at` is the character offset of its `${`.
    Ref {
        node: Node,
        at: usize,
    },
}

/// Parsed text with references.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// As written.
    pub source: String,
    pub parts: Vec<Part>,
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

impl Template {
    pub fn parse(src: &str) -> Result<Template, ExprError> {
        let chars: Vec<char> = src.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '$' && chars.get(i + 1) == Some(&'$') && chars.get(i + 2) == Some(&'{') {
                lit.push_str("${");
                i += 3;
                continue;
            }
            if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                let Some(close) = chars[i + 2..].iter().position(|c| *c == '}') else {
                    return Err(ExprError {
                        at: i,
                        what: Text::new(msg::TEMPLATE_UNCLOSED),
                        hint: Text::new(msg::TEMPLATE_UNCLOSED_HINT),
                    });
                };
                let inner: String = chars[i + 2..i + 2 + close].iter().collect();
                let node = expr::parse_path(&inner).map_err(|e| ExprError {
                    at: i + 2 + e.at,
                    ..e
                })?;
                let node = shift(node, i + 2);
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Ref { node, at: i });
                i += close + 3;
                continue;
            }
            lit.push(chars[i]);
            i += 1;
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(Template {
            source: src.to_string(),
            parts,
        })
    }

    /// A template without references.
    pub fn literal(s: &str) -> Template {
        Template {
            source: s.to_string(),
            parts: vec![Part::Lit(s.to_string())],
        }
    }

    /// The references, with offsets relative to the whole text.
    pub fn refs(&self) -> impl Iterator<Item = &Node> {
        self.parts.iter().filter_map(|p| match p {
            Part::Ref { node, .. } => Some(node),
            Part::Lit(_) => None,
        })
    }

    /// Fills in every reference; a value that is not set is an error naming it.
    pub fn render(&self, values: &dyn Values) -> Result<String, Text> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Ref { node, .. } => out.push_str(&expr::eval(node, values)?.render()),
            }
        }
        Ok(out)
    }
}

/// Moves every offset of a node parsed from a substring to the offsets of the whole text.
fn shift(node: Node, by: usize) -> Node {
    match node.kind {
        Kind::Path(segs) => Node {
            at: node.at + by,
            kind: Kind::Path(segs.into_iter().map(|(s, a)| (s, a + by)).collect()),
        },
        kind => Node {
            at: node.at + by,
            kind,
        },
    }
}

/// True when text contains a `${` that is not escaped: used to refuse references in fields that
/// take text literally (names, SQL).
pub fn has_reference(s: &str) -> Option<usize> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).find(|&i| {
        chars[i] == '$' && chars.get(i + 1) == Some(&'{') && (i == 0 || chars[i - 1] != '$')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Value;

    struct V;
    impl Values for V {
        fn get(&self, path: &[&str]) -> Option<Value> {
            match path {
                ["steps", "b", "outputs", "backup_id"] => {
                    Some(Value::Str("20260101T0130Z-ab".into()))
                }
                ["vars", "n"] => Some(Value::Num(3.0)),
                _ => None,
            }
        }
        fn status(&self, _: &str) -> bool {
            true
        }
    }

    #[test]
    fn renders_references() {
        let t = Template::parse("id ${steps.b.outputs.backup_id}, n=${ vars.n }, $${x}")
            .expect("valid");
        assert_eq!(
            t.render(&V).expect("render"),
            "id 20260101T0130Z-ab, n=3, ${x}"
        );
        let missing = Template::parse("${vars.nope}").expect("valid");
        assert_eq!(
            missing.render(&V).expect_err("unset").id(),
            "playbook.expr_unset"
        );
    }

    #[test]
    fn positions() {
        assert_eq!(Template::parse("ab ${x").expect_err("unclosed").at, 3);
        assert_eq!(Template::parse("ab ${ }").expect_err("empty").at, 6);
        assert_eq!(Template::parse("ab ${a == 1}").expect_err("expr").at, 7);
        let t = Template::parse("ab ${steps.x.ok}").expect("valid");
        let node = t.refs().next().expect("one ref");
        assert_eq!(node.at, 5);
        assert_eq!(has_reference("a $${b} ${c}"), Some(8));
        assert_eq!(has_reference("a $${b}"), None);
    }
}
