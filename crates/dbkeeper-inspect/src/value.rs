//! Reading JSON cells whatever type the engine sent them as: PostgreSQL sends numbers as
//! numbers and decimals as text; MySQL's text protocol may send everything as text.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

pub(crate) fn f64_of(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

pub(crate) fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

pub(crate) fn opt_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

pub(crate) fn bool_of(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "on" | "yes" | "1" | "y" => Some(true),
            "f" | "false" | "off" | "no" | "0" | "n" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// RFC 3339 (PostgreSQL timestamptz) or `YYYY-MM-DD HH:MM:SS[.f]` (MySQL, taken as UTC).
pub(crate) fn time_of(v: Option<&Value>) -> Option<DateTime<Utc>> {
    let s = match v? {
        Value::String(s) => s,
        _ => return None,
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_numbers_from_anything() {
        assert_eq!(f64_of(Some(&json!(3))), Some(3.0));
        assert_eq!(f64_of(Some(&json!("12.5"))), Some(12.5));
        assert_eq!(f64_of(Some(&json!(null))), None);
        assert_eq!(bool_of(Some(&json!("ON"))), Some(true));
        assert_eq!(text_of(Some(&json!(7))), "7");
        assert!(time_of(Some(&json!("2026-11-25T10:00:00+08:00"))).is_some());
        assert!(time_of(Some(&json!("2026-11-25 10:00:00.000000"))).is_some());
    }
}
