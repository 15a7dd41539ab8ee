//! Tokens and the syntax tree of `when` expressions, each piece with its place in the text.

use dbkeeper_core::Text;

use super::ExprError;
use crate::msg;

/// A node of the tree and where it starts (character offset in the expression).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub at: usize,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Bool(bool),
    Num(f64),
    Str(String),
    /// `steps.backup.outputs.backup_id`: the segments, and where each starts.
    Path(Vec<(String, usize)>),
    /// `success()`, `failure()`, `always()`.
    Call(String),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    In(Box<Node>, Vec<Node>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    pub fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Num(f64),
    Str(String),
    True,
    False,
    In,
    AndAnd,
    OrOr,
    Bang,
    Op(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
}

impl Tok {
    fn shown(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Num(n) => n.to_string(),
            Tok::Str(s) => format!("'{s}'"),
            Tok::True => "true".into(),
            Tok::False => "false".into(),
            Tok::In => "in".into(),
            Tok::AndAnd => "&&".into(),
            Tok::OrOr => "||".into(),
            Tok::Bang => "!".into(),
            Tok::Op(o) => o.symbol().into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::LBracket => "[".into(),
            Tok::RBracket => "]".into(),
            Tok::Comma => ",".into(),
            Tok::Dot => ".".into(),
        }
    }
}

fn err(at: usize, what: Text, hint: Text) -> ExprError {
    ExprError { at, what, hint }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Splits the text into tokens, each with its character offset.
pub(crate) fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let two = |a: char, b: char| c == a && chars.get(i + 1) == Some(&b);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (tok, len) = if two('&', '&') {
            (Tok::AndAnd, 2)
        } else if two('|', '|') {
            (Tok::OrOr, 2)
        } else if two('=', '=') {
            (Tok::Op(CmpOp::Eq), 2)
        } else if two('!', '=') {
            (Tok::Op(CmpOp::Ne), 2)
        } else if two('<', '=') {
            (Tok::Op(CmpOp::Le), 2)
        } else if two('>', '=') {
            (Tok::Op(CmpOp::Ge), 2)
        } else {
            match c {
                '!' => (Tok::Bang, 1),
                '<' => (Tok::Op(CmpOp::Lt), 1),
                '>' => (Tok::Op(CmpOp::Gt), 1),
                '(' => (Tok::LParen, 1),
                ')' => (Tok::RParen, 1),
                '[' => (Tok::LBracket, 1),
                ']' => (Tok::RBracket, 1),
                ',' => (Tok::Comma, 1),
                '.' => (Tok::Dot, 1),
                '=' => {
                    return Err(err(
                        start,
                        Text::new(msg::EXPR_SINGLE_EQ),
                        Text::new(msg::EXPR_SINGLE_EQ_HINT),
                    ))
                }
                '&' | '|' => {
                    return Err(err(
                        start,
                        Text::new(msg::EXPR_SINGLE_AND_OR).arg("op", c),
                        Text::new(msg::EXPR_SINGLE_AND_OR_HINT).arg("op", format!("{c}{c}")),
                    ))
                }
                '\'' | '"' => {
                    let (s, len) = string(&chars, i)?;
                    out.push((Tok::Str(s), start));
                    i += len;
                    continue;
                }
                c if c.is_ascii_digit()
                    || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
                {
                    let mut j = i + 1;
                    while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                        j += 1;
                    }
                    let text: String = chars[i..j].iter().collect();
                    let n: f64 = text.parse().map_err(|_| {
                        err(
                            start,
                            Text::new(msg::EXPR_NUMBER).arg("got", &text),
                            Text::new(msg::EXPR_NUMBER_HINT),
                        )
                    })?;
                    (Tok::Num(n), j - i)
                }
                c if is_ident_start(c) => {
                    let mut j = i + 1;
                    while j < chars.len() && is_ident_char(chars[j]) {
                        j += 1;
                    }
                    let word: String = chars[i..j].iter().collect();
                    let tok = match word.as_str() {
                        "true" => Tok::True,
                        "false" => Tok::False,
                        "in" => Tok::In,
                        "and" | "or" | "not" => {
                            return Err(err(
                                start,
                                Text::new(msg::EXPR_WORD_OP).arg("word", &word),
                                Text::new(msg::EXPR_WORD_OP_HINT),
                            ))
                        }
                        _ => Tok::Ident(word),
                    };
                    (tok, j - i)
                }
                other => {
                    return Err(err(
                        start,
                        Text::new(msg::EXPR_CHAR).arg("char", other),
                        Text::new(msg::EXPR_SYNTAX_HINT),
                    ))
                }
            }
        };
        out.push((tok, start));
        i += len;
    }
    Ok(out)
}

/// A quoted string starting at `chars[i]`; returns its text and its length in the source.
fn string(chars: &[char], i: usize) -> Result<(String, usize), ExprError> {
    let quote = chars[i];
    let mut s = String::new();
    let mut j = i + 1;
    while j < chars.len() {
        match chars[j] {
            '\\' if j + 1 < chars.len() => {
                s.push(chars[j + 1]);
                j += 2;
            }
            c if c == quote => return Ok((s, j + 1 - i)),
            c => {
                s.push(c);
                j += 1;
            }
        }
    }
    Err(err(
        i,
        Text::new(msg::EXPR_UNTERMINATED),
        Text::new(msg::EXPR_UNTERMINATED_HINT).arg("quote", quote),
    ))
}

/// Parses a whole expression.
pub fn parse(src: &str) -> Result<Node, ExprError> {
    let toks = lex(src)?;
    let end = src.chars().count();
    if toks.is_empty() {
        return Err(err(
            0,
            Text::new(msg::EXPR_EMPTY),
            Text::new(msg::EXPR_SYNTAX_HINT),
        ));
    }
    let mut p = Parser { toks, i: 0, end };
    let node = p.or()?;
    if let Some((t, at)) = p.toks.get(p.i) {
        return Err(err(
            *at,
            Text::new(msg::EXPR_UNEXPECTED).arg("token", t.shown()),
            Text::new(msg::EXPR_TRAILING_HINT),
        ));
    }
    Ok(node)
}

/// Parses `steps.x.outputs.y` alone (the inside of a `${…}`).
pub fn parse_path(src: &str) -> Result<Node, ExprError> {
    let toks = lex(src)?;
    let end = src.chars().count();
    let mut p = Parser { toks, i: 0, end };
    let node = match p.peek() {
        Some(Tok::Ident(_)) => p.primary()?,
        _ => {
            return Err(err(
                p.at(),
                Text::new(msg::TEMPLATE_PATH),
                Text::new(msg::TEMPLATE_PATH_HINT),
            ))
        }
    };
    if !matches!(node.kind, Kind::Path(_)) || p.i < p.toks.len() {
        let at = if matches!(node.kind, Kind::Path(_)) {
            p.at()
        } else {
            node.at
        };
        return Err(err(
            at,
            Text::new(msg::TEMPLATE_PATH),
            Text::new(msg::TEMPLATE_PATH_HINT),
        ));
    }
    Ok(node)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    /// Offset of the end of the text, for "expected … at the end".
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.i).map_or(self.end, |(_, a)| *a)
    }

    fn bump(&mut self) -> Option<(Tok, usize)> {
        let t = self.toks.get(self.i).cloned();
        self.i += 1;
        t
    }

    fn expect(&mut self, want: &Tok, shown: &str) -> Result<(), ExprError> {
        if self.peek() == Some(want) {
            self.i += 1;
            return Ok(());
        }
        Err(self.unexpected(shown))
    }

    fn unexpected(&self, wanted: &str) -> ExprError {
        match self.toks.get(self.i) {
            Some((t, at)) => err(
                *at,
                Text::new(msg::EXPR_EXPECTED)
                    .arg("wanted", wanted)
                    .arg("got", t.shown()),
                Text::new(msg::EXPR_SYNTAX_HINT),
            ),
            None => err(
                self.end,
                Text::new(msg::EXPR_EXPECTED_END).arg("wanted", wanted),
                Text::new(msg::EXPR_SYNTAX_HINT),
            ),
        }
    }

    fn or(&mut self) -> Result<Node, ExprError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::OrOr) {
            let at = self.at();
            self.i += 1;
            let right = self.and()?;
            left = Node {
                at: left.at.min(at),
                kind: Kind::Or(Box::new(left), Box::new(right)),
            };
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ExprError> {
        let mut left = self.not()?;
        while self.peek() == Some(&Tok::AndAnd) {
            let at = self.at();
            self.i += 1;
            let right = self.not()?;
            left = Node {
                at: left.at.min(at),
                kind: Kind::And(Box::new(left), Box::new(right)),
            };
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, ExprError> {
        if self.peek() == Some(&Tok::Bang) {
            let at = self.at();
            self.i += 1;
            let inner = self.not()?;
            return Ok(Node {
                at,
                kind: Kind::Not(Box::new(inner)),
            });
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Node, ExprError> {
        let left = self.primary()?;
        match self.peek() {
            Some(Tok::Op(op)) => {
                let op = *op;
                self.i += 1;
                let right = self.primary()?;
                // `a < b < c` reads as maths but would compare a boolean: refuse it.
                if let Some(Tok::Op(_)) = self.peek() {
                    return Err(err(
                        self.at(),
                        Text::new(msg::EXPR_CHAINED),
                        Text::new(msg::EXPR_CHAINED_HINT),
                    ));
                }
                Ok(Node {
                    at: left.at,
                    kind: Kind::Cmp(op, Box::new(left), Box::new(right)),
                })
            }
            Some(Tok::In) => {
                self.i += 1;
                self.expect(&Tok::LBracket, "[")?;
                let mut items = Vec::new();
                loop {
                    items.push(self.literal()?);
                    match self.bump() {
                        Some((Tok::Comma, _)) => continue,
                        Some((Tok::RBracket, _)) => break,
                        _ => {
                            self.i -= 1;
                            return Err(self.unexpected(", or ]"));
                        }
                    }
                }
                Ok(Node {
                    at: left.at,
                    kind: Kind::In(Box::new(left), items),
                })
            }
            _ => Ok(left),
        }
    }

    fn literal(&mut self) -> Result<Node, ExprError> {
        let at = self.at();
        let kind = match self.peek() {
            Some(Tok::Num(n)) => Kind::Num(*n),
            Some(Tok::Str(s)) => Kind::Str(s.clone()),
            Some(Tok::True) => Kind::Bool(true),
            Some(Tok::False) => Kind::Bool(false),
            _ => return Err(self.unexpected("a value")),
        };
        self.i += 1;
        Ok(Node { at, kind })
    }

    fn primary(&mut self) -> Result<Node, ExprError> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.i += 1;
                let inner = self.or()?;
                self.expect(&Tok::RParen, ")")?;
                Ok(inner)
            }
            Some(Tok::Ident(first)) => {
                self.i += 1;
                if self.peek() == Some(&Tok::LParen) {
                    self.i += 1;
                    self.expect(&Tok::RParen, ")")?;
                    return Ok(Node {
                        at,
                        kind: Kind::Call(first),
                    });
                }
                let mut segs = vec![(first, at)];
                while self.peek() == Some(&Tok::Dot) {
                    self.i += 1;
                    match self.bump() {
                        Some((Tok::Ident(s), a)) => segs.push((s, a)),
                        // `steps.x.outputs.true` or `.in`: keywords are fine as names here.
                        Some((t @ (Tok::True | Tok::False | Tok::In), a)) => {
                            segs.push((t.shown(), a));
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.unexpected("a name after `.`"));
                        }
                    }
                }
                Ok(Node {
                    at,
                    kind: Kind::Path(segs),
                })
            }
            Some(Tok::Num(_) | Tok::Str(_) | Tok::True | Tok::False) => self.literal(),
            _ => Err(self.unexpected("a value, a name or `(`")),
        }
    }
}

/// One literal alone (an expectation's value): `None` for empty text.
pub(crate) fn lex_literal(src: &str) -> Result<Option<super::Value>, ExprError> {
    let toks = lex(src)?;
    let mut it = toks.into_iter();
    let Some((first, at)) = it.next() else {
        return Ok(None);
    };
    let value = match first {
        Tok::Num(n) => super::Value::Num(n),
        Tok::Str(s) => super::Value::Str(s),
        Tok::True => super::Value::Bool(true),
        Tok::False => super::Value::Bool(false),
        other => {
            return Err(err(
                at,
                Text::new(msg::EXPR_UNEXPECTED).arg("token", other.shown()),
                Text::new(msg::EXPECT_SYNTAX_HINT),
            ))
        }
    };
    if let Some((t, at2)) = it.next() {
        return Err(err(
            at2,
            Text::new(msg::EXPR_UNEXPECTED).arg("token", t.shown()),
            Text::new(msg::EXPECT_SYNTAX_HINT),
        ));
    }
    Ok(Some(value))
}
