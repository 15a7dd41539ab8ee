//! Reading SQL scripts the way the server does, far enough to know where a line starts outside
//! any literal, quoted identifier, dollar-quoted body or comment.
//!
//! Used for the globals script: `pg_dumpall` writes `CREATE ROLE name;` for every role,
//! including ones the restore server already has (its own superuser at least), and expects the
//! reader to ignore those failures. A restore that ignores errors would also ignore real ones,
//! so instead each such line becomes a block that tolerates exactly "role already exists", and
//! the script runs with `ON_ERROR_STOP`.

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Normal,
    /// `'…'`; `escapes` for `E'…'`, where a backslash escapes the next character.
    Literal {
        escapes: bool,
    },
    Ident,
    Dollar(String),
    LineComment,
    BlockComment(u32),
}

/// Rewrites every top-level `CREATE ROLE <name>;` line so that an existing role is not an
/// error. Everything else is passed through byte for byte.
pub(crate) fn guard_create_roles(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 1024);
    let mut state = State::Normal;
    for line in script.split_inclusive('\n') {
        if state == State::Normal {
            if let Some(block) = guarded(line) {
                out.push_str(&block);
                continue;
            }
        }
        state = scan(line, state);
        out.push_str(line);
    }
    out
}

const TAG: &str = "$dbkeeper_role$";

fn guarded(line: &str) -> Option<String> {
    let body = line.trim_end_matches(['\n', '\r']);
    let name = body.strip_prefix("CREATE ROLE ")?.strip_suffix(';')?;
    if !is_identifier(name) || name.contains(TAG) {
        return None;
    }
    Some(format!(
        "DO {TAG}BEGIN CREATE ROLE {name}; EXCEPTION WHEN duplicate_object THEN NULL; END{TAG};\n"
    ))
}

/// A plain identifier or one double-quoted identifier, as pg_dumpall's `fmtId` writes them.
fn is_identifier(s: &str) -> bool {
    if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        // Inside, quotes only come doubled.
        return !inner.is_empty() && inner.replace("\"\"", "").find('"').is_none();
    }
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
}

/// The lexical state after `line`, starting in `state`.
fn scan(line: &str, mut state: State) -> State {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match &mut state {
            State::Normal => match c {
                b'\'' => {
                    let escapes =
                        i > 0 && matches!(b[i - 1], b'E' | b'e') && !ident_char_before(b, i - 1);
                    state = State::Literal { escapes };
                }
                b'"' => state = State::Ident,
                b'-' if b.get(i + 1) == Some(&b'-') => state = State::LineComment,
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    state = State::BlockComment(1);
                    i += 1;
                }
                b'$' if !ident_char_before(b, i) => {
                    if let Some(len) = dollar_tag(&b[i..]) {
                        state = State::Dollar(line[i..i + len].to_string());
                        i += len - 1;
                    }
                }
                _ => {}
            },
            State::Literal { escapes } => match c {
                b'\\' if *escapes => i += 1,
                b'\'' if b.get(i + 1) == Some(&b'\'') => i += 1,
                b'\'' => state = State::Normal,
                _ => {}
            },
            State::Ident => {
                if c == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        state = State::Normal;
                    }
                }
            }
            State::Dollar(tag) => {
                if line[i..].starts_with(tag.as_str()) {
                    i += tag.len() - 1;
                    state = State::Normal;
                }
            }
            State::LineComment => {
                if c == b'\n' {
                    state = State::Normal;
                }
            }
            State::BlockComment(depth) => {
                if c == b'*' && b.get(i + 1) == Some(&b'/') {
                    *depth -= 1;
                    i += 1;
                    if *depth == 0 {
                        state = State::Normal;
                    }
                } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                    *depth += 1;
                    i += 1;
                }
            }
        }
        i += 1;
    }
    state
}

fn ident_char_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] >= 0x80)
}

/// The length of a dollar-quote tag (`$$`, `$body$`) at the start of `b`.
fn dollar_tag(b: &[u8]) -> Option<usize> {
    let mut j = 1;
    while j < b.len() {
        let c = b[j];
        if c == b'$' {
            return Some(j + 1);
        }
        let ok = c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 || (j > 1 && c.is_ascii_digit());
        if !ok {
            return None;
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_create_role_lines_only_at_top_level() {
        let script = "\
SET standard_conforming_strings = on;
CREATE ROLE postgres;
ALTER ROLE postgres WITH SUPERUSER;
CREATE ROLE \"审计 \"\"员\"\"\";
COMMENT ON ROLE app IS 'a comment
CREATE ROLE inside_literal;
';
CREATE ROLE \"x\"; DROP ROLE y;
DO $f$BEGIN
CREATE ROLE inside_dollar;
END$f$;
/* CREATE ROLE
CREATE ROLE in_comment;
*/
CREATE ROLE after_comment;
";
        let out = guard_create_roles(script);
        assert!(out.contains(
            "DO $dbkeeper_role$BEGIN CREATE ROLE postgres; EXCEPTION WHEN duplicate_object THEN NULL; END$dbkeeper_role$;\n"
        ));
        assert!(out.contains("BEGIN CREATE ROLE \"审计 \"\"员\"\"\"; EXCEPTION"));
        assert!(out.contains("\nCREATE ROLE inside_literal;\n"));
        assert!(out.contains("\nCREATE ROLE inside_dollar;\n"));
        assert!(out.contains("\nCREATE ROLE in_comment;\n"));
        assert!(out.contains("BEGIN CREATE ROLE after_comment; EXCEPTION"));
        // Not a lone CREATE ROLE statement: left alone.
        assert!(out.contains("\nCREATE ROLE \"x\"; DROP ROLE y;\n"));
        assert!(out.contains("ALTER ROLE postgres WITH SUPERUSER;"));
    }

    #[test]
    fn escape_strings_and_identifiers() {
        assert_eq!(scan("E'it\\'s'", State::Normal), State::Normal);
        assert_eq!(
            scan("'it\\'", State::Normal),
            State::Normal,
            "backslash is plain in a standard literal"
        );
        assert_eq!(scan("\"a\"\"b", State::Normal), State::Ident);
        assert!(!is_identifier("a b"));
        assert!(is_identifier("role_1"));
        assert!(is_identifier("\"Role\"\"1\""));
        assert!(!is_identifier("\"a\"b\""));
    }
}
