//! [`Item`]: one located node; [`Map`]: a mapping with a closed set of keys.

use dbkeeper_core::Text;
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::Node;

use super::snippet::is_secret_name;
use super::value::{did_you_mean, FromYaml};
use super::{Pos, Reader};
use crate::msg;

/// A node, where it is (file position and dotted path such as `targets.prod.tls.mode`), and the
/// reader its problems go to.
#[derive(Clone)]
pub struct Item<'a> {
    reader: &'a Reader,
    node: &'a Node,
    path: String,
    /// The key this value belongs to; empty values and missing keys are reported there.
    key: Option<&'a MarkedScalarNode>,
    /// Inside a secret reference: nothing of it may be shown.
    secret: bool,
}

impl<'a> Item<'a> {
    pub(super) fn root(reader: &'a Reader, node: &'a Node) -> Item<'a> {
        Item {
            reader,
            node,
            path: String::new(),
            key: None,
            secret: false,
        }
    }

    fn child(&self, segment: &str, key: Option<&'a MarkedScalarNode>, node: &'a Node) -> Item<'a> {
        let path = match (self.path.is_empty(), segment.starts_with('[')) {
            (true, _) | (false, true) => format!("{}{segment}", self.path),
            (false, false) => format!("{}.{segment}", self.path),
        };
        Item {
            reader: self.reader,
            node,
            secret: self.secret || is_secret_name(segment),
            path,
            key,
        }
    }

    /// The same node, marked as part of a secret: its problems blank their line.
    pub(super) fn into_secret(mut self) -> Item<'a> {
        self.secret = true;
        self
    }

    pub fn reader(&self) -> &'a Reader {
        self.reader
    }

    pub fn node(&self) -> &'a Node {
        self.node
    }

    /// The dotted path, for messages: `targets.prod-pg.tls.mode`, `repos.local.recipients[2]`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The last segment of the path: the key name.
    pub fn name(&self) -> &str {
        let tail = self.path.rsplit('.').next().unwrap_or_default();
        tail.split('[').next().unwrap_or(tail)
    }

    /// Where the value is; for an empty value (`key:` and nothing), where its key is.
    pub fn pos(&self) -> Pos {
        match (self.node, self.key) {
            (Node::Scalar(s), Some(k)) if s.as_str().is_empty() && s.may_coerce() => {
                Pos::of(k.span())
            }
            // A block mapping's span starts after its first key (a quirk of the loader); a
            // flow mapping's at its `{`. The earlier of the two is where it visibly begins.
            (Node::Mapping(m), _) => {
                let start = Pos::of(m.span());
                m.keys()
                    .next()
                    .map_or(start, |k| start.min(Pos::of(k.span())))
            }
            _ => Pos::of(self.node.span()),
        }
    }

    /// Where the key of this value is, when it has one (list items and the root have none).
    pub fn key_pos(&self) -> Option<Pos> {
        self.key.map(|k| Pos::of(k.span()))
    }

    /// `null`, `~` or nothing at all: YAML's absent value.
    pub fn is_null(&self) -> bool {
        match self.node {
            Node::Scalar(s) => {
                s.may_coerce() && matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// The scalar's text, `None` for lists and mappings (no problem is recorded).
    pub fn scalar(&self) -> Option<&'a str> {
        self.node.as_scalar().map(|s| s.as_str())
    }

    /// True for an unquoted scalar (`5`, `true`), which YAML reads as a number or boolean.
    pub fn is_plain(&self) -> bool {
        self.node.as_scalar().is_some_and(|s| s.may_coerce())
    }

    /// Reads the value as `T`, recording a problem when it is not one.
    pub fn get<T: FromYaml>(&self) -> Option<T> {
        T::from_yaml(self)
    }

    /// Records a problem at this value. Inside a secret (or under a secret-looking key) the rest
    /// of the line is blanked in every snippet.
    pub fn error(&self, what: Text, hint: Text) {
        let pos = self.pos();
        if self.secret {
            self.reader.blank(pos);
        }
        self.reader.report(Some(pos), what, hint);
    }

    /// Records a problem at this value's key (or the value, when it has no key).
    pub fn error_at_key(&self, what: Text, hint: Text) {
        let pos = self.key_pos().unwrap_or_else(|| self.pos());
        self.reader.report(Some(pos), what, hint);
    }

    /// A short, safe rendering of the value for "got `…`": never the value of a secret.
    pub fn shown(&self) -> String {
        match self.node {
            Node::Mapping(_) => "{…}".into(),
            Node::Sequence(_) => "[…]".into(),
            Node::Scalar(_) if self.is_null() => "null".into(),
            Node::Scalar(_) if self.secret => "***".into(),
            Node::Scalar(s) => {
                let first = s.as_str().lines().next().unwrap_or_default();
                let mut short: String = first.chars().take(40).collect();
                if short.len() < s.as_str().len() {
                    short.push('…');
                }
                // `"5"` is text, not a number: show the quotes that make the difference.
                if s.may_coerce() {
                    short
                } else {
                    format!("\"{short}\"")
                }
            }
        }
    }

    /// Records "`path` must be …, got `…`" with the message and hint given.
    pub fn wrong_type(&self, what: dbkeeper_core::Msg, hint: dbkeeper_core::Msg) {
        self.error(
            Text::new(what)
                .arg("key", &self.path)
                .arg("got", self.shown()),
            Text::new(hint).arg("name", self.name()),
        );
    }

    /// Reads a mapping whose keys must all be in `allowed`; unknown keys are reported now, with a
    /// did-you-mean. A value that is not a mapping is reported, and the returned [`Map`] is empty
    /// so that the caller's reads find nothing and report nothing more.
    pub fn mapping(&self, allowed: &'a [&'a str]) -> Map<'a> {
        let (map, invalid) = match self.node {
            Node::Mapping(m) => (Some(m), false),
            _ if self.is_null() => (None, false),
            _ => {
                self.wrong_type(msg::WANT_MAPPING, msg::WANT_MAPPING_HINT);
                (None, true)
            }
        };
        let m = Map {
            item: self.clone(),
            map,
            invalid,
            allowed,
        };
        m.check_keys();
        m
    }

    /// The items of a list (`None`, reported, when it is not one; empty for a null value).
    pub fn list(&self) -> Option<Vec<Item<'a>>> {
        match self.node {
            Node::Sequence(seq) => Some(
                seq.iter()
                    .enumerate()
                    .map(|(i, n)| self.child(&format!("[{i}]"), None, n))
                    .collect(),
            ),
            _ if self.is_null() => Some(Vec::new()),
            _ => {
                self.wrong_type(msg::WANT_LIST, msg::WANT_LIST_HINT);
                None
            }
        }
    }

    /// The entries of a mapping with free keys (names of targets, repos…), in file order.
    pub fn entries(&self) -> Option<Vec<(&'a str, Item<'a>)>> {
        match self.node {
            Node::Mapping(m) => Some(
                m.iter()
                    .map(|(k, v)| {
                        // Free names (a target called `token-db`) say nothing about secrecy.
                        let mut item = self.child(k.as_str(), Some(k), v);
                        item.secret = self.secret;
                        (k.as_str(), item)
                    })
                    .collect(),
            ),
            _ if self.is_null() => Some(Vec::new()),
            _ => {
                self.wrong_type(msg::WANT_MAPPING, msg::WANT_MAPPING_HINT);
                None
            }
        }
    }

    /// Text that must be one of `choices`; otherwise a problem listing them, with a did-you-mean.
    pub fn one_of<T: Copy>(&self, choices: &[(&str, T)]) -> Option<T> {
        let s: String = self.get()?;
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == s) {
            return Some(*v);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        self.bad_value(&names);
        None
    }

    /// Records "`path` cannot be `value`" with the allowed values and a did-you-mean.
    pub fn bad_value(&self, allowed: &[&str]) {
        let got = self.scalar().unwrap_or_default();
        let list = allowed.join(", ");
        let hint = match did_you_mean(got, allowed.iter().copied()) {
            Some(s) => Text::new(msg::BAD_VALUE_SUGGEST_HINT)
                .arg("suggestion", s)
                .arg("allowed", list),
            None => Text::new(msg::BAD_VALUE_HINT).arg("allowed", list),
        };
        self.error(
            Text::new(msg::BAD_VALUE)
                .arg("key", &self.path)
                .arg("got", self.shown()),
            hint,
        );
    }
}

/// A mapping with a closed set of keys. Getters take the key name; a key outside `allowed` is
/// a bug in the caller (checked in debug builds), not a user error.
pub struct Map<'a> {
    item: Item<'a>,
    /// `None` for a null value, read as an empty mapping (so required keys are reported missing).
    map: Option<&'a MarkedMappingNode>,
    /// The value was not a mapping at all (already reported): reads find nothing, silently.
    invalid: bool,
    allowed: &'a [&'a str],
}

impl<'a> Map<'a> {
    /// The mapping itself, as an item (its path, its key's position).
    pub fn item(&self) -> &Item<'a> {
        &self.item
    }

    /// False when the value was not a mapping (already reported): nothing in it can be read.
    pub fn is_valid(&self) -> bool {
        !self.invalid
    }

    fn check_keys(&self) {
        let Some(map) = self.map else { return };
        for (k, v) in map.iter() {
            if self.allowed.contains(&k.as_str()) {
                continue;
            }
            let allowed = self.allowed.join(", ");
            let hint = match did_you_mean(k.as_str(), self.allowed.iter().copied()) {
                Some(s) => Text::new(msg::UNKNOWN_KEY_SUGGEST_HINT)
                    .arg("suggestion", s)
                    .arg("allowed", allowed),
                None => Text::new(msg::UNKNOWN_KEY_HINT).arg("allowed", allowed),
            };
            let child = self.item.child(k.as_str(), Some(k), v);
            // A misspelt `pasword: hunter2` holds a secret all the same.
            if child.secret {
                self.item.reader.blank(child.pos());
            }
            self.item.reader.report(
                Some(Pos::of(k.span())),
                Text::new(msg::UNKNOWN_KEY).arg("key", child.path()),
                hint,
            );
        }
    }

    fn entry(&self, key: &str) -> Option<(&'a MarkedScalarNode, &'a Node)> {
        debug_assert!(
            self.allowed.contains(&key),
            "key `{key}` is read but not in the allowed list of `{}`",
            self.item.path
        );
        self.map?.get_key_value(key)
    }

    /// True when the key is present, even with an empty value.
    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// The value under `key`, unless it is absent or null.
    pub fn get(&self, key: &str) -> Option<Item<'a>> {
        let (k, v) = self.entry(key)?;
        let item = self.item.child(key, Some(k), v);
        (!item.is_null()).then_some(item)
    }

    /// Like [`Map::get`], but an absent or empty key is a problem.
    pub fn need(&self, key: &str) -> Option<Item<'a>> {
        if self.invalid {
            return None;
        }
        match self.entry(key) {
            None => {
                self.missing(key);
                None
            }
            Some((k, v)) => {
                let item = self.item.child(key, Some(k), v);
                if item.is_null() {
                    item.error(
                        Text::new(msg::EMPTY_VALUE).arg("key", item.path()),
                        Text::new(msg::EMPTY_VALUE_HINT),
                    );
                    return None;
                }
                Some(item)
            }
        }
    }

    /// Records "`path.key` is missing", at this mapping's key (or the file's start for the root).
    pub fn missing(&self, key: &str) {
        let path = self.path_of(key);
        let hint = if self.item.key.is_some() {
            Text::new(msg::MISSING_KEY_HINT).arg("name", key)
        } else {
            Text::new(msg::MISSING_TOP_KEY_HINT).arg("name", key)
        };
        let pos = self.item.key_pos().unwrap_or_else(|| {
            if self.item.path.is_empty() {
                Pos::START
            } else {
                self.item.pos()
            }
        });
        self.item.reader.report(
            Some(pos),
            Text::new(msg::MISSING_KEY).arg("key", path),
            hint,
        );
    }

    /// An optional value; absent or null gives `None` without a problem.
    pub fn optional<T: FromYaml>(&self, key: &str) -> Option<T> {
        self.get(key)?.get()
    }

    /// A required value; absent or null is a problem.
    pub fn required<T: FromYaml>(&self, key: &str) -> Option<T> {
        self.need(key)?.get()
    }

    /// An optional nested mapping with its own allowed keys.
    pub fn mapping(&self, key: &str, allowed: &'a [&'a str]) -> Option<Map<'a>> {
        self.get(key).map(|i| i.mapping(allowed))
    }

    /// The dotted path of a key of this mapping.
    pub fn path_of(&self, key: &str) -> String {
        if self.item.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.item.path)
        }
    }

    /// Records a problem about a key that is present but must not be (it does not apply here).
    /// Its value is not shown: it was never read, so nothing says it is not a secret.
    pub fn reject(&self, key: &str, what: Text, hint: Text) {
        if let Some((k, v)) = self.entry(key) {
            let item = self.item.child(key, Some(k), v);
            self.item.reader.blank(item.pos());
            self.item.reader.report(Some(Pos::of(k.span())), what, hint);
        }
    }

    /// Records a problem about the mapping as a whole, at its key.
    pub fn error(&self, what: Text, hint: Text) {
        self.item.error_at_key(what, hint);
    }
}
