//! The source line under a message, with a caret under the column — and with secrets taken out.
//!
//! Three layers keep a secret off the screen, because a snippet shows raw text: the reader's
//! explicit blanking (a value it knows to be secret), a line heuristic (any `password:`-like key
//! hides its value unless it is a reference), and URL redaction (`user:***@host`).

/// Renders `line` and a caret line pointing at character column `col` (1-based).
pub(crate) fn render(line: &str, col: usize, blank_from: Option<usize>) -> String {
    let line = line.trim_end();
    let mut shown = match blank_from {
        Some(from) => {
            let keep: String = line.chars().take(from.saturating_sub(1)).collect();
            format!("{keep}***")
        }
        None => line.to_string(),
    };
    shown = hide_secret_values(&shown);
    shown = redact_urls(&shown);
    let caret: String = line
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| {
            if c == '\t' {
                "\t"
            } else if is_wide(c) {
                "  "
            } else {
                " "
            }
        })
        .collect();
    format!("{shown}\n{caret}^")
}

/// True for key names that usually hold secrets — misspelt ones too (`pasword`, `secert`):
/// their values are never shown.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let contains = [
        "pass",
        "secret",
        "token",
        "pwd",
        "credential",
        "private",
        "apikey",
        "api_key",
        "access_key",
    ]
    .iter()
    .any(|s| n.contains(s));
    contains
        || ["password", "passphrase", "secret", "token"]
            .iter()
            .any(|s| strsim::jaro_winkler(&n, s) >= 0.85)
}

/// Replaces the value after every secret-looking `key:` with `***`, unless it is visibly a
/// reference (`{env: …}`, `{file: …}`, `{command: …}`), which is safe and useful to show.
fn hide_secret_values(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_word(chars[i]) || (i > 0 && is_word(chars[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if j >= chars.len() || chars[j] != ':' || !is_secret_name(&word) {
            continue;
        }
        let mut v = j + 1;
        while v < chars.len() && chars[v] == ' ' {
            v += 1;
        }
        let rest: String = chars[v..].iter().collect();
        if rest.is_empty() || rest.starts_with("***") || is_reference(&rest) {
            continue;
        }
        let kept: String = chars[..v].iter().collect();
        return format!("{kept}***");
    }
    line.to_string()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn is_reference(rest: &str) -> bool {
    let compact: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    ["{env:", "{file:", "{command:"]
        .iter()
        .any(|p| compact.starts_with(p))
}

/// Hides the password of every `scheme://user:password@host` in the line.
pub(crate) fn redact_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        // Up to where the URL surely ends; a `/` in an unencoded password must not end it early,
        // so the user part is what precedes the last `@` before any query or fragment.
        let end = after
            .find(|c: char| c.is_whitespace() || "\"',}]".contains(c))
            .unwrap_or(after.len());
        let end = after[..end].find(['?', '#']).unwrap_or(end);
        let authority = &after[..end];
        match authority.rfind('@') {
            Some(at) if authority[..at].contains(':') => {
                let user = authority[..at].split(':').next().unwrap_or_default();
                out.push_str(user);
                out.push_str(":***");
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Characters a terminal shows two columns wide (CJK, full-width forms), so that the caret stays
/// under the right character in lines with Chinese text.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_column() {
        assert_eq!(render("  url: x", 3, None), "  url: x\n  ^");
        assert_eq!(render("\tkey: x", 2, None), "\tkey: x\n\t^");
        // Two wide characters before the column: four spaces.
        assert_eq!(render("主库: x", 5, None), "主库: x\n      ^");
    }

    #[test]
    fn blanks_from_column() {
        assert_eq!(
            render("    url: https://hook/tok", 10, Some(10)),
            "    url: ***\n         ^"
        );
    }

    #[test]
    fn hides_secret_looking_values() {
        assert_eq!(hide_secret_values("password: hunter2"), "password: ***");
        assert_eq!(
            hide_secret_values("{url: x, pasword: hunter2, tls: y}"),
            "{url: x, pasword: ***"
        );
        assert_eq!(
            hide_secret_values("password: {env: PG_PW}"),
            "password: {env: PG_PW}"
        );
        assert_eq!(
            hide_secret_values("password: {valu: hunter2}"),
            "password: ***"
        );
        assert_eq!(hide_secret_values("description: pass"), "description: pass");
        assert_eq!(hide_secret_values("password:"), "password:");
        assert_eq!(hide_secret_values("secert: x"), "secert: ***");
        assert_eq!(hide_secret_values("url: x"), "url: x");
    }

    #[test]
    fn redacts_url_passwords() {
        assert_eq!(
            redact_urls("url: postgres://u:topsecret@h:5432/db"),
            "url: postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_urls("url: postgres://u@h/db"),
            "url: postgres://u@h/db"
        );
        assert_eq!(
            redact_urls("{a: mysql://x:y@h, b: s3://k:s@b/p}"),
            "{a: mysql://x:***@h, b: s3://k:***@b/p}"
        );
        assert_eq!(
            redact_urls("postgres://u:p/w@h/db"),
            "postgres://u:***@h/db"
        );
    }
}
