//! Generic queries for the area crates: rows as JSON values, typed by the column's declared type.

use dbkeeper_core::engine::Row;
use dbkeeper_core::target::Target;
use dbkeeper_core::Result;
use mysql_async::consts::ColumnType;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Value};
use serde_json::Value as Json;

use crate::facts::query_error;

pub(crate) async fn query(target: &Target, conn: &mut Conn, sql: &str) -> Result<Vec<Row>> {
    let rows: Vec<mysql_async::Row> = conn
        .query(sql)
        .await
        .map_err(|e| query_error(target, sql, &e))?;
    Ok(rows.iter().map(to_json).collect())
}

fn to_json(row: &mysql_async::Row) -> Row {
    let columns = row.columns_ref();
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v = row
                .as_ref(i)
                .map_or(Json::Null, |v| cell(v, c.column_type()));
            (c.name_str().into_owned(), v)
        })
        .collect()
}

/// The text protocol sends every value as bytes; the column type says what they mean. Decimals
/// stay text so that no digit is lost; dates and times stay as the server wrote them.
fn cell(v: &Value, ty: ColumnType) -> Json {
    use ColumnType as T;
    match v {
        Value::NULL => Json::Null,
        Value::Int(i) => Json::from(*i),
        Value::UInt(u) => Json::from(*u),
        Value::Float(f) => Json::from(f64::from(*f)),
        Value::Double(d) => Json::from(*d),
        Value::Bytes(b) => {
            let text = String::from_utf8_lossy(b);
            match ty {
                T::MYSQL_TYPE_TINY
                | T::MYSQL_TYPE_SHORT
                | T::MYSQL_TYPE_INT24
                | T::MYSQL_TYPE_LONG
                | T::MYSQL_TYPE_LONGLONG
                | T::MYSQL_TYPE_YEAR => text
                    .parse::<i64>()
                    .map(Json::from)
                    .or_else(|_| text.parse::<u64>().map(Json::from))
                    .unwrap_or_else(|_| Json::from(text.into_owned())),
                T::MYSQL_TYPE_FLOAT | T::MYSQL_TYPE_DOUBLE => text
                    .parse::<f64>()
                    .ok()
                    .and_then(|f| serde_json::Number::from_f64(f).map(Json::Number))
                    .unwrap_or_else(|| Json::from(text.into_owned())),
                _ => Json::from(text.into_owned()),
            }
        }
        other => Json::from(other.as_sql(true).trim_matches('\'').to_string()),
    }
}
