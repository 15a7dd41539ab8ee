//! Secret references: `{env: VAR}`, `{file: PATH}`, `{command: [argv...]}`.
//!
//! A plain value where a secret is expected is the one mistake this reader treats most carefully:
//! the message names the key and the file, never the value, and the line is blanked in snippets.

use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::Text;
use marked_yaml::Node;

use super::item::Item;
use super::value::{did_you_mean, FromYaml};
use super::Pos;
use crate::msg;

const SOURCES: &[&str] = &["env", "file", "command"];

impl FromYaml for SecretRef {
    fn from_yaml(item: &Item<'_>) -> Option<SecretRef> {
        let item = item.clone().into_secret();
        let map = match item.node() {
            Node::Mapping(m) => m,
            Node::Scalar(_) => {
                item.error(
                    Text::new(msg::SECRET_LITERAL)
                        .arg("file", item.reader().path())
                        .arg("key", item.path()),
                    Text::new(msg::SECRET_LITERAL_HINT),
                );
                return None;
            }
            Node::Sequence(_) => {
                shape_error(&item);
                return None;
            }
        };
        let mut found = None;
        for (k, v) in map.iter() {
            if !SOURCES.contains(&k.as_str()) {
                // `{value: hunter2}`: the unknown key's value may be the secret itself.
                item.reader().blank(Pos::of(k.span()));
                let hint = match did_you_mean(k.as_str(), SOURCES.iter().copied()) {
                    Some(s) => Text::new(msg::UNKNOWN_KEY_SUGGEST_HINT)
                        .arg("suggestion", s)
                        .arg("allowed", SOURCES.join(", ")),
                    None => Text::new(msg::SECRET_SHAPE_HINT),
                };
                item.reader().report(
                    Some(Pos::of(k.span())),
                    Text::new(msg::UNKNOWN_KEY)
                        .arg("key", format!("{}.{}", item.path(), k.as_str())),
                    hint,
                );
                return None;
            }
            if found.is_some() {
                item.reader().blank(Pos::of(k.span()));
                item.reader().report(
                    Some(Pos::of(k.span())),
                    Text::new(msg::SECRET_SHAPE).arg("key", item.path()),
                    Text::new(msg::SECRET_SHAPE_HINT),
                );
                return None;
            }
            found = Some((k.as_str(), v));
        }
        let Some((source, _)) = found else {
            shape_error(&item);
            return None;
        };
        let m = item.mapping(SOURCES);
        match source {
            "env" => {
                let var = m.need("env")?;
                let name: String = var.get()?;
                if !is_env_name(&name) {
                    var.error(
                        Text::new(msg::SECRET_ENV_NAME).arg("key", var.path()),
                        Text::new(msg::SECRET_ENV_NAME_HINT),
                    );
                    return None;
                }
                Some(SecretRef::Env(name))
            }
            "file" => m.required("file").map(SecretRef::File),
            _ => {
                let cmd = m.need("command")?;
                let command_error = || {
                    cmd.error(
                        Text::new(msg::SECRET_COMMAND).arg("key", cmd.path()),
                        Text::new(msg::SECRET_COMMAND_HINT),
                    )
                };
                if !matches!(cmd.node(), Node::Sequence(_)) {
                    command_error();
                    return None;
                }
                let argv: Vec<String> = cmd.get()?;
                if argv.first().is_none_or(|p| p.trim().is_empty()) {
                    command_error();
                    return None;
                }
                Some(SecretRef::Command(argv))
            }
        }
    }
}

fn shape_error(item: &Item<'_>) {
    item.error(
        Text::new(msg::SECRET_SHAPE).arg("key", item.path()),
        Text::new(msg::SECRET_SHAPE_HINT),
    );
}

fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
