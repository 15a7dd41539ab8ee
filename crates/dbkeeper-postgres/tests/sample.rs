//! The sample database loads quickly, with the row counts it promises, and never over data.

use std::time::Instant;

use dbkeeper_core::target::Target;
use dbkeeper_core::ErrorKind;
use dbkeeper_postgres::sample::{self, TABLES};
use dbkeeper_postgres::{connect, quote_ident, ScratchOptions, ScratchPostgres};

/// The rows each table must hold; the data is deterministic.
const EXPECTED: &[(&str, u64)] = &[
    ("hospitals", 12),
    ("doctors", 240),
    ("nurses", 360),
    ("patients", 1500),
    ("consultations", 2000),
    ("prescriptions", 3200),
];

#[tokio::test]
async fn sample_loads_with_the_right_counts() {
    let scratch = ScratchPostgres::start(ScratchOptions::default()).expect("scratch starts");
    let target = dbkeeper_core::scratch::ScratchInstance::target(&scratch).clone();

    let started = Instant::now();
    let summary = sample::load(&target, sample::DEFAULT_DATABASE)
        .await
        .expect("sample loads");
    let took = started.elapsed();
    println!("sample loaded in {took:?}: {summary:?}");
    assert!(took.as_secs_f64() < 10.0, "load took {took:?}");
    assert_eq!(summary.database, "hospital");
    let got: Vec<&str> = summary.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(got, TABLES);
    for (table, rows) in EXPECTED {
        assert_eq!(summary.rows(table), Some(*rows), "{table}");
    }
    assert_eq!(sample::EXPECTED_ROWS, EXPECTED);

    // The summary agrees with the server, and the other objects work.
    let db = connect(&Target {
        database: Some("hospital".into()),
        ..target.clone()
    })
    .await
    .expect("connect to the sample");
    for t in &summary.tables {
        let n: i64 = db
            .client()
            .query_one(
                &format!("SELECT count(*) FROM {}", quote_ident(&t.table)),
                &[],
            )
            .await
            .expect("count")
            .get(0);
        assert_eq!(u64::try_from(n).expect("count"), t.rows);
    }
    let c = db.client();
    let daily: i64 = c
        .query_one(
            "SELECT sum(consultations)::bigint FROM daily_consultations",
            &[],
        )
        .await
        .expect("view")
        .get(0);
    assert_eq!(u64::try_from(daily).ok(), summary.rows("consultations"));
    let per_hospital: i64 = c
        .query_one("SELECT hospital_consultation_count(1001)", &[])
        .await
        .expect("function")
        .get(0);
    assert!(per_hospital > 0);
    let name: String = c
        .query_one("SELECT name FROM hospitals ORDER BY id LIMIT 1", &[])
        .await
        .expect("hospital")
        .get(0);
    assert!(name.ends_with("医院"), "{name}");
    // The trigger moves updated_at on update.
    let moved: bool = c
        .query_one(
            "UPDATE hospitals SET city = city WHERE id = 1001 \
             RETURNING updated_at > '2025-01-01 00:00:00+08'",
            &[],
        )
        .await
        .expect("update")
        .get(0);
    assert!(moved);
    drop(db);

    // Loading again over the same tables is refused, and nothing is touched.
    let e = sample::load(&target, "hospital")
        .await
        .expect_err("refuses to load twice");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.sample_exists");

    // A database name that needs quoting is created and loaded as given.
    let odd = "医院 \"二\"; drop";
    let again = sample::load(&target, odd).await.expect("odd name loads");
    assert_eq!(again.tables, summary.tables);
    assert_eq!(again.database, odd);
}
