//! A typed, span-aware reader over YAML that reports every problem of a file in one pass.
//!
//! [`Document::parse`] turns text into nodes (syntax errors stop there, with the parser's
//! position). Reading then goes through [`Item`] (one located node) and [`Map`] (a mapping with
//! a closed set of keys); each getter returns `Option<T>` and, when the value is wrong, records a
//! [`Diagnostic`] with `FILE:LINE:COL`, the source line with a caret, and a hint — instead of
//! stopping. [`Document::finish`] turns the collected problems into one
//! [`Error`] of kind [`ErrorKind::Config`] (exit 78).
//!
//! ```
//! use dbkeeper_config::yaml::Document;
//! let doc = Document::parse("x.yaml", "name: a\nport: 5432\n")?;
//! let top = doc.root().mapping(&["name", "port", "tags"]);
//! let name: Option<String> = top.required("name");
//! let port: Option<u16> = top.optional("port");
//! let tags: Vec<String> = top.optional("tags").unwrap_or_default();
//! doc.finish()?;
//! assert_eq!((name.as_deref(), port, tags.len()), (Some("a"), Some(5432), 0));
//! # Ok::<(), dbkeeper_core::Error>(())
//! ```
//!
//! Secrets never reach a message: values of secret-looking keys and of secret references are
//! blanked out of every snippet, and URLs in snippets lose their password.

mod item;
mod secret;
mod snippet;
mod value;

use std::cell::RefCell;
use std::collections::BTreeMap;

use dbkeeper_core::{Diagnostic, Error, ErrorKind, Result, Text};
use marked_yaml::{LoadError, LoaderOptions};

use crate::msg;

pub use item::{Item, Map};
/// The node types [`Item::node`] and [`Pos::of`] expose, so that users need no marked-yaml of
/// their own (and no second version of it).
pub use marked_yaml::{Node, Span};
pub use value::{did_you_mean, parse_duration, parse_size, ByteSize, FromYaml};

/// A 1-based line and column (in characters), as editors show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };

    /// The start of a span; the file's start when the parser gave none.
    pub fn of(span: &Span) -> Pos {
        span.start()
            .map(|m| Pos {
                line: m.line().max(1),
                col: m.column().max(1),
            })
            .unwrap_or(Pos::START)
    }
}

/// One problem, kept until the end so that snippets can be blanked with everything known.
struct Problem {
    pos: Option<Pos>,
    what: Text,
    hint: Option<Text>,
}

/// Collects the problems of one file. Shared by reference between every [`Item`] and [`Map`] of a
/// document; interior mutability lets nested readers report while their parents are alive.
pub struct Reader {
    path: String,
    lines: Vec<String>,
    problems: RefCell<Vec<Problem>>,
    /// Line → first column to hide: a secret starts there.
    blanked: RefCell<BTreeMap<usize, usize>>,
}

impl Reader {
    fn new(path: &str, text: &str) -> Reader {
        Reader {
            path: path.to_string(),
            lines: text.lines().map(str::to_string).collect(),
            problems: RefCell::new(Vec::new()),
            blanked: RefCell::new(BTreeMap::new()),
        }
    }

    /// The file name as shown in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Records a problem at a place in the file.
    pub fn report(&self, pos: Option<Pos>, what: Text, hint: Text) {
        self.problems.borrow_mut().push(Problem {
            pos,
            what,
            hint: Some(hint),
        });
    }

    /// Hides the rest of `pos`'s line in every snippet: a secret (or what may be one) starts there.
    pub fn blank(&self, pos: Pos) {
        let mut b = self.blanked.borrow_mut();
        let col = b.entry(pos.line).or_insert(pos.col);
        *col = (*col).min(pos.col);
    }

    pub fn has_problems(&self) -> bool {
        !self.problems.borrow().is_empty()
    }

    /// `FILE:LINE:COL`.
    pub fn at(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.path, pos.line, pos.col)
    }

    /// Every problem so far, in file order, as diagnostics with place and snippet.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let blanked = self.blanked.borrow();
        let mut problems: Vec<(Option<Pos>, Diagnostic)> = self
            .problems
            .borrow()
            .iter()
            .map(|p| {
                let mut d = Diagnostic::new(p.what.clone());
                d.hint = p.hint.clone();
                if let Some(pos) = p.pos {
                    d = d.at(self.at(pos));
                    if let Some(line) = self.lines.get(pos.line - 1) {
                        let blank_from = blanked.get(&pos.line).copied();
                        d = d.snippet(snippet::render(line, pos.col, blank_from));
                    }
                }
                (p.pos, d)
            })
            .collect();
        // Stable: problems at the same place keep the order they were found in.
        problems.sort_by_key(|(pos, _)| pos.map_or((usize::MAX, 0), |p| (p.line, p.col)));
        problems.into_iter().map(|(_, d)| d).collect()
    }
}

/// A parsed YAML file and the problems found while reading it.
pub struct Document {
    reader: Reader,
    root: Node,
}

impl Document {
    /// Parses `text`, shown as `path` in messages. The top level must be a mapping; duplicate
    /// keys, anchors, aliases and tags are refused. Syntax errors end reading here, as one error.
    pub fn parse(path: &str, text: &str) -> Result<Document> {
        let reader = Reader::new(path, text);
        // Coercion only for plain scalars: `"5"` stays text and `5` is a number, as YAML means.
        let options = LoaderOptions::default()
            .error_on_duplicate_keys(true)
            .prevent_coercion(true);
        match marked_yaml::parse_yaml_with_options(0, text, options) {
            Ok(root) => {
                // The loader reads the first document only; a second would be silently ignored.
                if let Some(line) = second_document(text) {
                    reader.report(
                        Some(Pos { line, col: 1 }),
                        Text::new(msg::MULTI_DOC).arg("file", path),
                        Text::new(msg::MULTI_DOC_HINT),
                    );
                    return Err(reader_error(&reader));
                }
                Ok(Document { reader, root })
            }
            Err(e) => {
                load_problem(&reader, &e);
                Err(reader_error(&reader))
            }
        }
    }

    /// The top-level node, at path "".
    pub fn root(&self) -> Item<'_> {
        Item::root(&self.reader, &self.root)
    }

    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    pub fn path(&self) -> &str {
        &self.reader.path
    }

    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.reader.diagnostics()
    }

    /// `Ok` when reading found nothing wrong; otherwise every problem, as one config error.
    pub fn finish(&self) -> Result<()> {
        finish(self.diagnostics())
    }
}

/// Every diagnostic (of one file or several) as one error of kind [`ErrorKind::Config`].
pub fn finish(diagnostics: Vec<Diagnostic>) -> Result<()> {
    match Error::many(ErrorKind::Config, diagnostics) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The line of a `---` that starts a second document, if any. A `---` before any content only
/// opens the first one. Block-scalar text is indented, so a `---` at column 1 is always a marker.
fn second_document(text: &str) -> Option<usize> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if marker && content {
            return Some(i + 1);
        }
        let t = line.trim();
        if !marker && !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
            content = true;
        }
    }
    None
}

fn reader_error(reader: &Reader) -> Error {
    Error::many(ErrorKind::Config, reader.diagnostics())
        .unwrap_or_else(|| Error::new(ErrorKind::Config, Text::verbatim("invalid YAML")))
}

fn load_problem(r: &Reader, e: &LoadError) {
    let file = r.path.clone();
    let pos = |m: &marked_yaml::Marker| Pos {
        line: m.line().max(1),
        col: m.column().max(1),
    };
    let (at, what, hint) = match e {
        LoadError::TopLevelMustBeMapping(m) | LoadError::TopLevelMustBeSequence(m) => (
            pos(m),
            Text::new(msg::TOP_LEVEL).arg("file", file),
            Text::new(msg::TOP_LEVEL_HINT),
        ),
        LoadError::UnexpectedAnchor(m) => (
            pos(m),
            Text::new(msg::ANCHOR).arg("file", file),
            Text::new(msg::ANCHOR_HINT),
        ),
        LoadError::MappingKeyMustBeScalar(m) => (
            pos(m),
            Text::new(msg::KEY_NOT_SCALAR).arg("file", file),
            Text::new(msg::KEY_NOT_SCALAR_HINT),
        ),
        LoadError::UnexpectedTag(m) => (
            pos(m),
            Text::new(msg::TAG).arg("file", file),
            Text::new(msg::TAG_HINT),
        ),
        LoadError::ScanError(m, scan) => (
            pos(m),
            Text::new(msg::SYNTAX)
                .arg("file", file)
                .arg("detail", scan.info()),
            Text::new(msg::SYNTAX_HINT),
        ),
        LoadError::DuplicateKey(dup) => {
            let first = Pos::of(dup.prev_key.span());
            (
                Pos::of(dup.key.span()),
                Text::new(msg::DUPLICATE_KEY).arg("key", dup.key.as_str()),
                Text::new(msg::DUPLICATE_KEY_HINT)
                    .arg("line", first.line)
                    .arg("col", first.col),
            )
        }
    };
    r.report(Some(at), what, hint);
}

#[cfg(test)]
mod tests;
