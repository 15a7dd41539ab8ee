//! Reading result cells as text, whatever type the server sent them as.

use mysql_async::{Row, Value};

/// The cell at `idx` as text; `None` for SQL NULL or a missing column.
pub(crate) fn text(row: &Row, idx: usize) -> Option<String> {
    Some(match row.as_ref(idx)? {
        Value::NULL => return None,
        // The text protocol sends every value as bytes; server strings are UTF-8 (utf8mb4).
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Double(d) => d.to_string(),
        Value::Date(y, mo, d, h, mi, s, us) => {
            format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{us:06}")
        }
        Value::Time(neg, days, h, mi, s, us) => {
            let sign = if *neg { "-" } else { "" };
            let hours = u64::from(*days) * 24 + u64::from(*h);
            format!("{sign}{hours:02}:{mi:02}:{s:02}.{us:06}")
        }
    })
}

/// The cell at `idx` as a whole number, if it is one.
pub(crate) fn number(row: &Row, idx: usize) -> Option<u64> {
    text(row, idx).and_then(|t| t.trim().parse().ok())
}
