//! Splitting big tables into parts by ranges of their integer primary key, as mydumper does
//! with `--rows`: one table of millions of rows would otherwise keep one worker busy while the
//! others idle, in the backup and again in the restore, where each part is loaded over its own
//! connection. The ranges only divide the work: the first is open below and the last open
//! above, so every row belongs to exactly one part whatever the key's actual values, and the
//! bounds may be read outside the snapshot.

use dbkeeper_core::target::Target;
use dbkeeper_core::Result;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

use crate::dump::catalog::Table;
use crate::dump::query_error;
use crate::quote_ident;
use crate::value::text;

/// The size of a part when nothing else is asked for; tables of more than twice this are split.
pub const DEFAULT_PART_BYTES: u64 = 64 << 20;
/// More parts only add statements.
const MAX_PARTS: u64 = 64;

/// The `WHERE` conditions of a table's parts of about `part_bytes` each; empty when it is read
/// whole (no integer key, or not more than twice that size).
pub(crate) async fn plan(
    target: &Target,
    conn: &mut Conn,
    database: &str,
    table: &Table,
    part_bytes: u64,
) -> Result<Vec<String>> {
    let Some(key) = &table.int_key else {
        return Ok(Vec::new());
    };
    let part_bytes = part_bytes.max(1);
    if table.size <= part_bytes.saturating_mul(2) {
        return Ok(Vec::new());
    }
    let q = quote_ident(key);
    let sql = format!(
        "SELECT MIN({q}), MAX({q}) FROM {}.{}",
        quote_ident(database),
        quote_ident(&table.name)
    );
    let row: Option<Row> = conn
        .query_first(&sql)
        .await
        .map_err(|e| query_error(target, &sql, &e))?;
    let bound = |i| {
        row.as_ref()
            .and_then(|r| text(r, i))
            .and_then(|v| v.parse::<i128>().ok())
    };
    let (Some(min), Some(max)) = (bound(0), bound(1)) else {
        return Ok(Vec::new());
    };
    let parts = table.size.div_ceil(part_bytes).min(MAX_PARTS);
    Ok(conditions(&q, &boundaries(min, max, parts)))
}

/// `parts - 1` distinct boundaries dividing `min..=max` evenly (fewer for a narrow range).
fn boundaries(min: i128, max: i128, parts: u64) -> Vec<i128> {
    let parts = i128::from(parts);
    let span = max - min;
    if parts < 2 || span < parts {
        return Vec::new();
    }
    let mut out: Vec<i128> = (1..parts).map(|i| min + span * i / parts).collect();
    out.dedup();
    out
}

/// `key < b1`, `key >= b1 AND key < b2`, …, `key >= bn`: every value in exactly one.
fn conditions(key: &str, bounds: &[i128]) -> Vec<String> {
    if bounds.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(bounds.len() + 1);
    out.push(format!("{key} < {}", bounds[0]));
    for w in bounds.windows(2) {
        out.push(format!("{key} >= {} AND {key} < {}", w[0], w[1]));
    }
    out.push(format!("{key} >= {}", bounds[bounds.len() - 1]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_divide_the_range() {
        assert_eq!(boundaries(1, 100, 4), vec![25, 50, 75]);
        assert_eq!(boundaries(-10, 10, 2), vec![0]);
        assert!(boundaries(1, 2, 4).is_empty());
        assert!(boundaries(1, 1000, 1).is_empty());
        // The full unsigned BIGINT range fits in i128.
        let b = boundaries(0, i128::from(u64::MAX), 3);
        assert_eq!(b.len(), 2);
        assert!(b[0] > 0 && b[1] < i128::from(u64::MAX));
    }

    #[test]
    fn conditions_cover_everything_once() {
        assert_eq!(
            conditions("`id`", &[25, 50]),
            vec!["`id` < 25", "`id` >= 25 AND `id` < 50", "`id` >= 50"]
        );
        assert!(conditions("`id`", &[]).is_empty());
    }
}
