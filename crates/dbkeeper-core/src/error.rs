//! Errors that say what went wrong, where, and the one thing to try — in both languages.
//!
//! Every library function returns [`Error`]; the binary renders it as
//! `error: …` / `  at …` / `  hint: …` and exits with [`ErrorKind::exit_code`]. Server error texts
//! are kept verbatim in `detail`, never passwords: connection parameters are built from a
//! [`crate::target::Target`], whose `Display` has no secret in it.

use crate::i18n::{Lang, Text};

/// What kind of failure it was; decides the exit code (DESIGN §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A job ran and failed (a backup that did not complete, a drill that failed): 2.
    Failed,
    /// Could not run the check at all (target unreachable during inspect): 3.
    CouldNotCheck,
    /// The command line is wrong: 64.
    Usage,
    /// Bad data: a corrupt object, a wrong key, a tampered log: 65.
    Data,
    /// A service (database, S3) is unavailable: 69.
    Unavailable,
    /// A bug in dbkeeper: 70.
    Internal,
    /// A local file or directory could not be created or written: 73.
    CantCreate,
    /// Temporary failure worth retrying (a lock is held): 75.
    TempFail,
    /// Configuration, credentials or playbook are wrong: 78.
    Config,
}

impl ErrorKind {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Failed => 2,
            ErrorKind::CouldNotCheck => 3,
            ErrorKind::Usage => 64,
            ErrorKind::Data => 65,
            ErrorKind::Unavailable => 69,
            ErrorKind::Internal => 70,
            ErrorKind::CantCreate => 73,
            ErrorKind::TempFail => 75,
            ErrorKind::Config => 78,
        }
    }
}

/// One problem at one place; a config file with five mistakes yields five of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub what: Text,
    /// `file:line:col`, a target name, an object key.
    pub at: Option<String>,
    /// The offending source line with a caret under the column, when there is one.
    pub snippet: Option<String>,
    pub hint: Option<Text>,
}

impl Diagnostic {
    pub fn new(what: Text) -> Diagnostic {
        Diagnostic {
            what,
            at: None,
            snippet: None,
            hint: None,
        }
    }

    #[must_use]
    pub fn at(mut self, at: impl Into<String>) -> Diagnostic {
        self.at = Some(at.into());
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: Text) -> Diagnostic {
        self.hint = Some(hint);
        self
    }

    #[must_use]
    pub fn snippet(mut self, snippet: impl Into<String>) -> Diagnostic {
        self.snippet = Some(snippet.into());
        self
    }
}

/// The error every dbkeeper library returns.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{}", self.render(Lang::En))]
pub struct Error {
    pub kind: ErrorKind,
    /// The first (or only) problem.
    pub main: Diagnostic,
    /// Further problems found in the same pass (all errors of a config file at once).
    pub more: Vec<Diagnostic>,
    /// The underlying cause in the words of the server or OS, shown after the message.
    pub detail: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, what: Text) -> Error {
        Error {
            kind,
            main: Diagnostic::new(what),
            more: Vec::new(),
            detail: None,
        }
    }

    /// Many problems at once; `None` when the list is empty.
    pub fn many(kind: ErrorKind, mut all: Vec<Diagnostic>) -> Option<Error> {
        if all.is_empty() {
            return None;
        }
        let main = all.remove(0);
        Some(Error {
            kind,
            main,
            more: all,
            detail: None,
        })
    }

    #[must_use]
    pub fn at(mut self, at: impl Into<String>) -> Error {
        self.main.at = Some(at.into());
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: Text) -> Error {
        self.main.hint = Some(hint);
        self
    }

    #[must_use]
    pub fn detail(mut self, detail: impl std::fmt::Display) -> Error {
        self.detail = Some(detail.to_string());
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        std::iter::once(&self.main).chain(self.more.iter())
    }

    /// The full human rendering: one block per diagnostic.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (i, d) in self.diagnostics().enumerate() {
            if i > 0 {
                // A blank line between the problems of one file reads as a list.
                out.push_str("\n\n");
            }
            out.push_str(&render_diagnostic(
                d,
                lang,
                if i == 0 { self.detail.as_deref() } else { None },
            ));
        }
        out
    }
}

fn render_diagnostic(d: &Diagnostic, lang: Lang, detail: Option<&str>) -> String {
    let (err, at, hint) = match lang {
        Lang::En => ("error", "at", "hint"),
        Lang::ZhCn => ("错误", "位置", "提示"),
    };
    let mut s = format!("{err}: {}", d.what.render(lang));
    if let Some(detail) = detail {
        s.push_str(": ");
        s.push_str(detail);
    }
    if let Some(a) = &d.at {
        s.push_str(&format!("\n  {at}: {a}"));
    }
    if let Some(snippet) = &d.snippet {
        for line in snippet.lines() {
            s.push_str("\n    ");
            s.push_str(line);
        }
    }
    if let Some(h) = &d.hint {
        s.push_str(&format!("\n  {hint}: {}", h.render(lang)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Msg;

    const WHAT: Msg = Msg {
        id: "w",
        en: "cannot open {path}",
        zh: "无法打开 {path}",
    };
    const HINT: Msg = Msg {
        id: "h",
        en: "check the permissions",
        zh: "请检查权限",
    };

    #[test]
    fn renders_what_where_hint() {
        let e = Error::new(ErrorKind::CantCreate, Text::new(WHAT).arg("path", "/x"))
            .at("/x")
            .hint(Text::new(HINT))
            .detail("permission denied");
        assert_eq!(
            e.render(Lang::En),
            "error: cannot open /x: permission denied\n  at: /x\n  hint: check the permissions"
        );
        assert!(e.render(Lang::ZhCn).starts_with("错误: 无法打开 /x"));
        assert_eq!(e.exit_code(), 73);
    }

    #[test]
    fn many_keeps_every_problem() {
        let ds = vec![
            Diagnostic::new(Text::verbatim("a")),
            Diagnostic::new(Text::verbatim("b")),
        ];
        let e = Error::many(ErrorKind::Config, ds).expect("two problems");
        assert_eq!(e.diagnostics().count(), 2);
        assert!(Error::many(ErrorKind::Config, vec![]).is_none());
    }
}
