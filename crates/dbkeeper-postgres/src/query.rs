//! Generic queries for the area crates: rows as JSON values, whatever the column types.

use dbkeeper_core::engine::Row;
use dbkeeper_core::Result;
use serde_json::Value;
use tokio_postgres::types::Type;

use crate::connect::query_error;
use crate::PgEngine;

/// The statement as messages name it: its first line, cut at 80 characters.
fn short(sql: &str) -> String {
    let line = sql.trim().lines().next().unwrap_or_default();
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("`{}…`", &line[..cut]),
        None => format!("`{line}`"),
    }
}

pub(crate) async fn query(engine: &PgEngine, sql: &str) -> Result<Vec<Row>> {
    let rows = engine
        .client()
        .query(sql, &[])
        .await
        .map_err(|e| query_error(engine.target(), &short(sql), &e))?;
    Ok(rows.iter().map(to_json).collect())
}

fn to_json(row: &tokio_postgres::Row) -> Row {
    row.columns()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name().to_string(), cell(row, i, c.type_())))
        .collect()
}

/// One cell by its type. Types without a direct mapping come back as null; catalogue queries
/// cast those to text in SQL (`::text`), which keeps this list short.
fn cell(row: &tokio_postgres::Row, i: usize, ty: &Type) -> Value {
    fn get<'a, T: tokio_postgres::types::FromSql<'a>>(
        row: &'a tokio_postgres::Row,
        i: usize,
    ) -> Option<T> {
        row.try_get::<_, Option<T>>(i).ok().flatten()
    }
    let v = match *ty {
        Type::BOOL => get::<bool>(row, i).map(Value::from),
        Type::INT2 => get::<i16>(row, i).map(Value::from),
        Type::INT4 => get::<i32>(row, i).map(Value::from),
        Type::INT8 => get::<i64>(row, i).map(Value::from),
        Type::OID | Type::XID => get::<u32>(row, i).map(Value::from),
        Type::FLOAT4 => get::<f32>(row, i).map(Value::from),
        Type::FLOAT8 => get::<f64>(row, i).map(Value::from),
        Type::TIMESTAMPTZ => {
            get::<chrono::DateTime<chrono::Utc>>(row, i).map(|t| Value::from(t.to_rfc3339()))
        }
        Type::TIMESTAMP => get::<chrono::NaiveDateTime>(row, i).map(|t| Value::from(t.to_string())),
        Type::JSON | Type::JSONB => get::<Value>(row, i),
        Type::NUMERIC => get::<NumericText>(row, i).map(|n| Value::from(n.0)),
        Type::TEXT_ARRAY | Type::NAME_ARRAY | Type::VARCHAR_ARRAY => {
            get::<Vec<String>>(row, i).map(Value::from)
        }
        _ => get::<String>(row, i).map(Value::from),
    };
    v.unwrap_or(Value::Null)
}

/// NUMERIC as exact decimal text (tokio-postgres has no numeric type without an extra crate, and
/// a float would lose digits of money amounts).
struct NumericText(String);

impl<'a> tokio_postgres::types::FromSql<'a> for NumericText {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        numeric_to_text(raw)
            .map(NumericText)
            .ok_or_else(|| "malformed numeric".into())
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// Decodes PostgreSQL's binary NUMERIC: ndigits, weight, sign, dscale (each 16 bits), then
/// `ndigits` base-10000 digits; the first digit is worth 10000^weight.
fn numeric_to_text(raw: &[u8]) -> Option<String> {
    let word = |i: usize| -> Option<u16> {
        Some(u16::from_be_bytes([*raw.get(2 * i)?, *raw.get(2 * i + 1)?]))
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    let dscale = usize::from(word(3)?);
    match sign {
        0xC000 => return Some("NaN".into()),
        0xD000 => return Some("Infinity".into()),
        0xF000 => return Some("-Infinity".into()),
        _ => {}
    }
    let digits: Vec<u16> = (0..ndigits).map(|i| word(4 + i)).collect::<Option<_>>()?;
    let mut int_part = String::new();
    for w in 0..=weight.max(-1) {
        let d = usize::try_from(w)
            .ok()
            .and_then(|w| digits.get(w))
            .copied()
            .unwrap_or(0);
        if int_part.is_empty() {
            if d != 0 {
                int_part = d.to_string();
            }
        } else {
            int_part.push_str(&format!("{d:04}"));
        }
    }
    if int_part.is_empty() {
        int_part.push('0');
    }
    let mut frac = String::new();
    let mut w = weight + 1;
    while frac.len() < dscale {
        let d = usize::try_from(w)
            .ok()
            .and_then(|w| digits.get(w))
            .copied()
            .unwrap_or(0);
        frac.push_str(&format!("{d:04}"));
        w += 1;
    }
    frac.truncate(dscale);
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    out.push_str(&int_part);
    if dscale > 0 {
        out.push('.');
        out.push_str(&frac);
    }
    Some(out)
}
