//! The message catalogue: every human-facing text exists in English and Simplified Chinese.
//!
//! Each crate declares its own messages with [`catalogue!`]; a message is a pair of templates with
//! `{name}` placeholders. A [`Text`] is a message plus its arguments, rendered in the language the
//! user chose only at the edge, so libraries never decide the language. The macro also produces an
//! `ALL` list that a unit test in every crate runs through [`check_catalogue`], so a Chinese text
//! that drops or misspells a placeholder fails the build's tests.

use std::fmt;

/// The languages every human-facing text exists in.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Lang {
    /// Picks the language from `LC_ALL`, `LC_MESSAGES`, then `LANG` (POSIX precedence).
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Lang::from_locale(&v);
                }
            }
        }
        Lang::En
    }

    /// `zh_CN.UTF-8`, `zh-CN`, `zh` → Chinese; everything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// One catalogue entry: a stable id and its two templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Msg {
    pub fn template(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh,
        }
    }
}

/// A message with its arguments, or a verbatim string (a server's own error text, a path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    Msg {
        msg: Msg,
        args: Vec<(&'static str, String)>,
    },
    Verbatim(String),
}

impl Text {
    pub fn new(msg: Msg) -> Text {
        Text::Msg {
            msg,
            args: Vec::new(),
        }
    }

    /// Text that is the same in every language (server messages, identifiers).
    pub fn verbatim(s: impl Into<String>) -> Text {
        Text::Verbatim(s.into())
    }

    /// Adds an argument; `{name}` in both templates is replaced by `value`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Text {
        if let Text::Msg { args, .. } = &mut self {
            args.push((name, value.to_string()));
        }
        self
    }

    pub fn id(&self) -> &'static str {
        match self {
            Text::Msg { msg, .. } => msg.id,
            Text::Verbatim(_) => "verbatim",
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Verbatim(s) => s.clone(),
            Text::Msg { msg, args } => fill(msg.template(lang), args),
        }
    }
}

/// English rendering, for logs and `Display`.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Checks that both templates of every message use the same placeholders and that ids are unique.
/// Each crate calls it from a unit test on its own `ALL`.
pub fn check_catalogue(all: &[Msg]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for m in all {
        if !seen.insert(m.id) {
            return Err(format!("duplicate message id {}", m.id));
        }
        if m.en.trim().is_empty() || m.zh.trim().is_empty() {
            return Err(format!("message {} has an empty text", m.id));
        }
        if placeholders(m.en) != placeholders(m.zh) {
            return Err(format!(
                "message {}: placeholders differ: en {:?} zh {:?}",
                m.id,
                placeholders(m.en),
                placeholders(m.zh)
            ));
        }
    }
    Ok(())
}

/// Declares messages: `catalogue! { CONN_REFUSED = "conn_refused" { en: "...", zh: "..." } }`.
#[macro_export]
macro_rules! catalogue {
    ($( $(#[$meta:meta])* $name:ident = $id:literal { en: $en:literal, zh: $zh:literal } )*) => {
        $( $(#[$meta])* pub const $name: $crate::i18n::Msg = $crate::i18n::Msg { id: $id, en: $en, zh: $zh }; )*
        /// Every message of this catalogue, for the completeness test.
        #[allow(dead_code)]
        pub const ALL: &[$crate::i18n::Msg] = &[$($name),*];
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Msg = Msg {
        id: "t",
        en: "cannot reach {target} at {addr}",
        zh: "无法连接 {target}（{addr}）",
    };

    #[test]
    fn fills_both_languages() {
        let t = Text::new(M)
            .arg("target", "prod")
            .arg("addr", "10.0.0.1:5432");
        assert_eq!(t.render(Lang::En), "cannot reach prod at 10.0.0.1:5432");
        assert_eq!(t.render(Lang::ZhCn), "无法连接 prod（10.0.0.1:5432）");
    }

    #[test]
    fn missing_arg_stays_visible() {
        assert_eq!(
            Text::new(M).render(Lang::En),
            "cannot reach {target} at {addr}"
        );
    }

    #[test]
    fn locale_detection() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn catalogue_check_catches_drift() {
        let bad = Msg {
            id: "b",
            en: "{a} {b}",
            zh: "{a}",
        };
        assert!(check_catalogue(&[bad]).is_err());
        assert!(check_catalogue(&[M]).is_ok());
        assert!(check_catalogue(&[M, M]).is_err());
    }
}
