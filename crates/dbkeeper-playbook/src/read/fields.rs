//! Reading a mapping by its [`Field`] table: allowed keys, value types and references all come
//! from [`crate::spec`], so what is read is exactly what the JSON Schema describes.

use std::time::Duration;

use dbkeeper_config::yaml::{did_you_mean, Item};
use dbkeeper_core::target::Target;
use dbkeeper_core::Text;

use super::Ctx;
use crate::expect::Expect;
use crate::msg;
use crate::spec::{Field, Ty};
use crate::template::{has_reference, Template};

/// A value read by its type.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    Text(String),
    Template(Template),
    Bool(bool),
    Int(i64),
    Duration(Duration),
    Expect(Expect),
    List(Vec<Val>),
    Object(Fields),
}

/// The values of one mapping, by key; only keys that were present and valid.
#[derive(Clone, Debug)]
pub(crate) struct Fields {
    spec: &'static [Field],
    vals: Vec<(&'static str, Val)>,
}

impl Fields {
    /// No values: an action written without `with:`.
    pub(crate) fn empty(spec: &'static [Field]) -> Fields {
        Fields {
            spec,
            vals: Vec::new(),
        }
    }

    fn get(&self, key: &str) -> Option<&Val> {
        debug_assert!(
            self.spec.iter().any(|f| f.name == key),
            "`{key}` is read but not declared in the spec"
        );
        self.vals.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub(crate) fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Val::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub(crate) fn texts(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Val::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Val::Text(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn template(&self, key: &str) -> Option<Template> {
        match self.get(key)? {
            Val::Template(t) => Some(t.clone()),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(crate) fn int(&self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Val::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub(crate) fn duration(&self, key: &str) -> Option<Duration> {
        match self.get(key)? {
            Val::Duration(d) => Some(*d),
            _ => None,
        }
    }

    pub(crate) fn expect(&self, key: &str) -> Option<Expect> {
        match self.get(key)? {
            Val::Expect(e) => Some(e.clone()),
            _ => None,
        }
    }

    pub(crate) fn objects(&self, key: &str) -> Vec<&Fields> {
        match self.get(key) {
            Some(Val::List(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Val::Object(f) => Some(f),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Ctx<'_> {
    /// Reads a mapping by its field table; `None` when it is not a mapping (reported). Problems
    /// with single fields are reported and the field left out, so every problem shows at once.
    pub(crate) fn fields(
        &self,
        item: &Item<'_>,
        spec: &'static [Field],
        one_of: &[&[&str]],
    ) -> Option<Fields> {
        let names: Vec<&str> = spec.iter().map(|f| f.name).collect();
        let m = item.mapping(&names);
        if !m.is_valid() {
            return None;
        }
        let mut vals = Vec::new();
        for f in spec {
            let value = if f.required {
                m.need(f.name)
            } else {
                m.get(f.name)
            };
            let Some(i) = value else { continue };
            let Some(v) = self.value(&i, &f.ty) else {
                continue;
            };
            // A required list, or one of a choice, with nothing in it says nothing at all.
            let must_fill = f.required || one_of.iter().any(|g| g.contains(&f.name));
            if must_fill && matches!(&v, Val::List(l) if l.is_empty()) {
                i.error(
                    Text::new(msg::EMPTY_LIST).arg("key", i.path()),
                    Text::new(msg::EMPTY_LIST_HINT),
                );
                continue;
            }
            vals.push((f.name, v));
        }
        for group in one_of {
            let given: Vec<&str> = group.iter().copied().filter(|k| m.has(k)).collect();
            let keys = group
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            match given.as_slice() {
                [] => m.error(
                    Text::new(msg::ONE_OF_MISSING)
                        .arg("keys", &keys)
                        .arg("key", item.path()),
                    Text::new(msg::ONE_OF_HINT).arg("keys", &keys),
                ),
                [_] => {}
                [_, second, ..] => {
                    if let Some(i) = m.get(second) {
                        i.error_at_key(
                            Text::new(msg::ONE_OF_BOTH)
                                .arg("keys", &keys)
                                .arg("key", item.path()),
                            Text::new(msg::ONE_OF_HINT).arg("keys", &keys),
                        );
                    }
                }
            }
        }
        Some(Fields { spec, vals })
    }

    /// One value by its type; `None` when it is wrong (reported).
    pub(crate) fn value(&self, item: &Item<'_>, ty: &'static Ty) -> Option<Val> {
        match ty {
            Ty::Text | Ty::Sql => self.literal_text(item).map(Val::Text),
            Ty::Template => {
                let s: String = item.get()?;
                match Template::parse(&s) {
                    Ok(t) => {
                        self.defer_template(item, &t);
                        Some(Val::Template(t))
                    }
                    Err(e) => {
                        self.inline(item, e);
                        None
                    }
                }
            }
            Ty::Bool => item.get::<bool>().map(Val::Bool),
            Ty::Int { min, max } => {
                let n: i64 = item.get()?;
                if n < *min || n > *max {
                    item.error(
                        Text::new(msg::INT_RANGE)
                            .arg("key", item.path())
                            .arg("min", min)
                            .arg("max", max)
                            .arg("got", n),
                        Text::new(msg::INT_RANGE_HINT),
                    );
                    return None;
                }
                Some(Val::Int(n))
            }
            Ty::Duration => {
                let d: Duration = item.get()?;
                if d.is_zero() {
                    item.error(
                        Text::new(msg::DURATION_ZERO).arg("key", item.path()),
                        Text::new(msg::DURATION_ZERO_HINT),
                    );
                    return None;
                }
                Some(Val::Duration(d))
            }
            Ty::Target => {
                let name = self.literal_text(item)?;
                if name.contains("://") {
                    if let Err(e) = Target::from_url(None, &name) {
                        self.core_error(item, &e);
                        return None;
                    }
                    return Some(Val::Text(name));
                }
                self.reference(item, &name, "target", &self.known.targets)
                    .map(Val::Text)
            }
            Ty::Repo => {
                let name = self.literal_text(item)?;
                if name.contains("://") {
                    if let Err(e) = dbkeeper_config::resolve_repo(None, &name) {
                        self.core_error(item, &e);
                        return None;
                    }
                    return Some(Val::Text(name));
                }
                self.reference(item, &name, "repo", &self.known.repos)
                    .map(Val::Text)
            }
            Ty::Channel => {
                let name = self.literal_text(item)?;
                self.reference(item, &name, "channel", &self.known.channels)
                    .map(Val::Text)
            }
            Ty::Secret => {
                let name = self.literal_text(item)?;
                self.reference(item, &name, "secret", &self.known.secrets)
                    .map(Val::Text)
            }
            Ty::Enum(choices) => {
                let pairs: Vec<(&str, &str)> = choices.iter().map(|c| (*c, *c)).collect();
                item.one_of(&pairs).map(|s| Val::Text(s.to_string()))
            }
            Ty::Expect => {
                // `expect: 0` and `expect: true` are fine unquoted: read the scalar as written.
                let s: String = item.get()?;
                let s = if item.is_plain() || !is_quoted_literal(&s) {
                    s
                } else {
                    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
                };
                match Expect::parse(&s) {
                    Ok(e) => Some(Val::Expect(e)),
                    Err(e) => {
                        self.inline(item, e);
                        None
                    }
                }
            }
            Ty::List(inner) => {
                let items = item.list()?;
                let vals: Vec<Option<Val>> = items.iter().map(|i| self.value(i, inner)).collect();
                vals.into_iter().collect::<Option<Vec<_>>>().map(Val::List)
            }
            Ty::Object(spec) => self.fields(item, spec, &[]).map(Val::Object),
            // Read by the code that understands them (see spec::Ty); never part of a `with:`.
            _ => {
                debug_assert!(false, "{ty:?} is not read generically");
                None
            }
        }
    }

    /// Text in which `${…}` would be taken literally: refused, since the user surely meant a
    /// reference and would get the characters instead.
    fn literal_text(&self, item: &Item<'_>) -> Option<String> {
        let s: String = item.get()?;
        if let Some(at) = has_reference(&s) {
            self.inline(
                item,
                crate::expr::ExprError {
                    at,
                    what: Text::new(msg::TEMPLATE_NOT_HERE).arg("key", item.path()),
                    hint: Text::new(msg::TEMPLATE_NOT_HERE_HINT),
                },
            );
            return None;
        }
        Some(s)
    }

    /// A name that must be defined somewhere; reported with a did-you-mean when it is not.
    pub(crate) fn reference(
        &self,
        item: &Item<'_>,
        name: &str,
        kind: &str,
        known: &[String],
    ) -> Option<String> {
        if known.iter().any(|k| k == name) {
            return Some(name.to_string());
        }
        let hint = match did_you_mean(name, known.iter().map(String::as_str)) {
            Some(s) => Text::new(msg::UNKNOWN_REF_SUGGEST_HINT).arg("suggestion", s),
            None if known.is_empty() => Text::new(msg::UNKNOWN_REF_NONE_HINT).arg("kind", kind),
            None => Text::new(msg::UNKNOWN_REF_HINT)
                .arg("kind", kind)
                .arg("known", known.join(", ")),
        };
        item.error(
            Text::new(msg::UNKNOWN_REF)
                .arg("kind", kind)
                .arg("name", name)
                .arg("key", item.path()),
            hint,
        );
        None
    }
}

/// `expect: "0"` in quotes is the text "0", which rarely is what was meant for a count; but a
/// quoted `"> 0"` is how an operator must be written in YAML. Quoted text that is not an
/// expression of its own is compared as text.
fn is_quoted_literal(s: &str) -> bool {
    let t = s.trim_start();
    !(t.starts_with(['=', '!', '<', '>', '\'', '"']) || t == "true" || t == "false")
        && t.parse::<f64>().is_err()
}
