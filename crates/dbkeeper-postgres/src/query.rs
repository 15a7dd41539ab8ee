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
        Type::TEXT_ARRAY | Type::NAME_ARRAY | Type::VARCHAR_ARRAY => {
            get::<Vec<String>>(row, i).map(Value::from)
        }
        _ => get::<String>(row, i).map(Value::from),
    };
    v.unwrap_or(Value::Null)
}
