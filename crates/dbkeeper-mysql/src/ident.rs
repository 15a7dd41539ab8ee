//! Quoting of identifiers and string literals, so that names coming from input are never spliced
//! into SQL as they are.

/// Quotes an identifier with backticks, doubling any backtick inside (MySQL's rule, which holds
/// whatever the `ANSI_QUOTES` SQL mode says).
pub fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('`');
    for c in name.chars() {
        if c == '`' {
            out.push('`');
        }
        out.push(c);
    }
    out.push('`');
    out
}

/// Quotes a string literal with single quotes. Backslash and NUL are escaped as well, because
/// they start escape sequences in the default SQL mode; under `NO_BACKSLASH_ESCAPES` the escaped
/// form would be read literally, so use this only where that mode is known to be off (such as the
/// bootstrap file of a scratch instance) and bound parameters wherever a connection is at hand.
pub fn quote_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_backticks() {
        assert_eq!(quote_ident("hospitals"), "`hospitals`");
        assert_eq!(quote_ident("a`b"), "`a``b`");
        assert_eq!(quote_ident("`; DROP TABLE x; --"), "```; DROP TABLE x; --`");
        assert_eq!(quote_ident("互联网医院"), "`互联网医院`");
    }

    #[test]
    fn escapes_literals() {
        assert_eq!(quote_string("it's"), "'it''s'");
        assert_eq!(quote_string(r"a\b"), r"'a\\b'");
        assert_eq!(quote_string("x\0y"), r"'x\0y'");
    }
}
