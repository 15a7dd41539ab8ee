//! `Engine::query` returns typed JSON rows in column order.

use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_mysql::scratch::ScratchMysql;

#[tokio::test]
async fn generic_query_returns_typed_json() {
    let db = tokio::task::spawn_blocking(|| ScratchMysql::start(Default::default()))
        .await
        .expect("join")
        .expect("scratch");
    let engine: Box<dyn Engine> =
        Box::new(dbkeeper_mysql::connect(db.target()).await.expect("connect"));
    let rows = engine
        .query("SELECT CAST(1 AS SIGNED) AS n, 'é中😀' AS t, NULL AS z, CAST(2.5 AS DOUBLE) AS f, CAST(12.30 AS DECIMAL(10,2)) AS d, 18446744073709551615 AS big")
        .await
        .expect("query");
    let r = &rows[0];
    assert_eq!(
        r.keys().cloned().collect::<Vec<_>>(),
        ["n", "t", "z", "f", "d", "big"]
    );
    assert_eq!(r["n"], 1);
    assert_eq!(r["t"], "é中😀");
    assert!(r["z"].is_null());
    assert_eq!(r["f"], 2.5);
    assert_eq!(r["d"], "12.30");
    assert_eq!(r["big"], 18_446_744_073_709_551_615_u64);
    let e = engine
        .query("SELECT * FROM no_such_table")
        .await
        .expect_err("fails");
    assert!(
        e.detail.as_deref().unwrap_or("").contains("1046")
            || e.detail.as_deref().unwrap_or("").contains("1146"),
        "{e:?}"
    );
}
