//! [`FromYaml`]: the value types a reader can ask for, and the scalar grammars they use.

use std::path::PathBuf;
use std::time::Duration;

use dbkeeper_core::{Lang, Text};

use super::item::Item;
use crate::msg;

/// A type that can be read from one YAML value. `None` means "wrong, and already reported".
pub trait FromYaml: Sized {
    fn from_yaml(item: &Item<'_>) -> Option<Self>;
}

/// Any scalar that is not null is text: `port: 5` read as text is "5". Lists and mappings are not.
impl FromYaml for String {
    fn from_yaml(item: &Item<'_>) -> Option<String> {
        match item.scalar() {
            Some(s) if !item.is_null() => Some(s.to_string()),
            _ => {
                item.wrong_type(msg::WANT_STRING, msg::WANT_STRING_HINT);
                None
            }
        }
    }
}

impl FromYaml for PathBuf {
    fn from_yaml(item: &Item<'_>) -> Option<PathBuf> {
        String::from_yaml(item).map(PathBuf::from)
    }
}

/// Only unquoted `true` / `false`: `"true"` in quotes is text, and `yes`/`on` are YAML 1.1 traps.
impl FromYaml for bool {
    fn from_yaml(item: &Item<'_>) -> Option<bool> {
        let b = item.node().as_scalar().and_then(|s| s.as_bool());
        if b.is_none() {
            item.wrong_type(msg::WANT_BOOLEAN, msg::WANT_BOOLEAN_HINT);
        }
        b
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        /// Unquoted decimal digits, within the type's range.
        impl FromYaml for $t {
            fn from_yaml(item: &Item<'_>) -> Option<$t> {
                let wide = item
                    .is_plain()
                    .then(|| item.scalar())
                    .flatten()
                    .and_then(|s| s.parse::<i128>().ok());
                let Some(wide) = wide else {
                    item.wrong_type(msg::WANT_INTEGER, msg::WANT_INTEGER_HINT);
                    return None;
                };
                let v = <$t>::try_from(wide).ok();
                if v.is_none() {
                    item.error(
                        Text::new(msg::INT_RANGE)
                            .arg("key", item.path())
                            .arg("min", <$t>::MIN)
                            .arg("max", <$t>::MAX)
                            .arg("got", wide),
                        Text::new(msg::INT_RANGE_HINT),
                    );
                }
                v
            }
        }
    )*};
}

integers!(u8, u16, u32, u64, usize, i32, i64);

impl<T: FromYaml> FromYaml for Vec<T> {
    /// Every item is read (and every bad one reported) even after the first failure.
    fn from_yaml(item: &Item<'_>) -> Option<Vec<T>> {
        let items = item.list()?;
        let read: Vec<Option<T>> = items.iter().map(|i| i.get::<T>()).collect();
        read.into_iter().collect()
    }
}

/// `30s`, `10m`, `2h`, `7d`, `1h30m`, `500ms`, `2w`.
impl FromYaml for Duration {
    fn from_yaml(item: &Item<'_>) -> Option<Duration> {
        let d = item
            .scalar()
            .filter(|_| !item.is_null())
            .and_then(parse_duration);
        if d.is_none() {
            item.wrong_type(msg::DURATION, msg::DURATION_HINT);
        }
        d
    }
}

/// A size in bytes, written `512MiB`, `4GiB` or plain bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

impl FromYaml for ByteSize {
    fn from_yaml(item: &Item<'_>) -> Option<ByteSize> {
        let s = item
            .scalar()
            .filter(|_| !item.is_null())
            .and_then(parse_size);
        if s.is_none() {
            item.wrong_type(msg::SIZE, msg::SIZE_HINT);
        }
        s.map(ByteSize)
    }
}

/// `en` or `zh-CN` (also `zh`, `zh_CN`, as the locale is spelt).
impl FromYaml for Lang {
    fn from_yaml(item: &Item<'_>) -> Option<Lang> {
        let s: String = item.get()?;
        let lang = Lang::parse(&s);
        if lang.is_none() {
            item.bad_value(&["en", "zh-CN"]);
        }
        lang
    }
}

/// Parses `30s`, `10m`, `2h`, `7d`, `2w`, `500ms` and sums such as `1h30m`. A bare number has no
/// unit and is refused: `30` could mean seconds or minutes, and a guess is worse than an error.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let part = match &rest[..unit_len] {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.checked_mul(60)?),
            "h" => Duration::from_secs(n.checked_mul(3600)?),
            "d" => Duration::from_secs(n.checked_mul(86_400)?),
            "w" => Duration::from_secs(n.checked_mul(7 * 86_400)?),
            _ => return None,
        };
        total = total.checked_add(part)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// Parses `512MiB`, `4 GiB`, `10MB` (decimal units too, since vendors write them) or plain bytes.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits == 0 {
        return None;
    }
    let n: u64 = s[..digits].parse().ok()?;
    let factor: u64 = match s[digits..].trim_start() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "TiB" => 1 << 40,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// The candidate closest to `got`, if it is close enough to be what was meant: a typo or two
/// (edit distance, which catches `tsl` for `tls` in short words) or a similar spelling
/// (Jaro-Winkler, which favours a shared start in long ones).
pub fn did_you_mean<'c>(
    got: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let got = got.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let edits = strsim::damerau_levenshtein(&got, &lower);
            let similar = strsim::jaro_winkler(&got, &lower);
            let typo = edits <= (lower.chars().count() / 4).max(1);
            (typo || similar >= 0.8).then_some((c, edits, similar))
        })
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map(|(c, _, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("10m"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("2h"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2w"), Some(Duration::from_secs(14 * 86_400)));
        for bad in [
            "",
            "30",
            "s",
            "10 min",
            "1.5h",
            "-1s",
            "3y",
            "99999999999999999999d",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512MiB"), Some(512 << 20));
        assert_eq!(parse_size("4 GiB"), Some(4 << 30));
        assert_eq!(parse_size("10MB"), Some(10_000_000));
        assert_eq!(parse_size("123"), Some(123));
        for bad in ["", "MiB", "1.5GiB", "12mib", "99999999999TiB"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn suggestions() {
        let keys = ["url", "password", "tls", "description", "tags"];
        assert_eq!(did_you_mean("pasword", keys), Some("password"));
        assert_eq!(did_you_mean("descripton", keys), Some("description"));
        assert_eq!(did_you_mean("TLS", keys), Some("tls"));
        assert_eq!(did_you_mean("tsl", keys), Some("tls"));
        assert_eq!(did_you_mean("urll", keys), Some("url"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
