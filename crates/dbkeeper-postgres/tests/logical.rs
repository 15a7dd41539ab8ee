//! Logical backup and restore of the hard fixture on real scratch servers, compared with an
//! independent view (pg_dump --schema-only, every table's sorted rows hashed, catalog
//! counts, sequences, large objects, database properties, roles).

mod common;

use std::time::Instant;

use dbkeeper_core::dump::{DumpContents, LogicalRequest, RestoreRequest};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::Target;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_postgres::{connect, ScratchOptions, ScratchPostgres};

use common::pg::{assert_same, assert_substantial, difference, hard_server, Pg};
use common::store::{DirStore, Faults};

fn on(target: &Target, db: &str) -> Target {
    Target {
        database: Some(db.to_string()),
        ..target.clone()
    }
}

/// The manifest agrees with the server: row counts and object counts, taken independently.
fn check_contents(contents: &DumpContents, pg: &Pg, db: &str) {
    assert_eq!(contents.method, "pg_dump+copy");
    assert!(contents.server_version.starts_with("15") || !contents.server_version.is_empty());
    let tables: Vec<_> = contents
        .tables
        .iter()
        .filter(|t| t.database == db)
        .collect();
    let leaf_tables: usize = pg
        .sql(
            db,
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')",
        )
        .trim()
        .parse()
        .expect("count");
    assert_eq!(tables.len(), leaf_tables, "{db}: one entry per table");
    for t in tables {
        let n: u64 = pg
            .sql(
                db,
                &format!(
                    "SELECT count(*) FROM ONLY {}.{}",
                    quote(&t.schema),
                    quote(&t.table)
                ),
            )
            .trim()
            .parse()
            .expect("count");
        assert_eq!(t.rows, n, "{db}.{}.{}", t.schema, t.table);
    }
    let counts = contents.object_counts.get(db).expect("object counts");
    for kind in [
        "tables",
        "partitioned_tables",
        "views",
        "materialized_views",
        "routines",
        "triggers",
        "sequences",
        "indexes",
        "policies",
        "schemas",
        "types",
        "extensions",
    ] {
        assert!(counts.contains_key(kind), "{kind} missing in {counts:?}");
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[tokio::test]
async fn round_trip_of_every_database_into_a_new_server() {
    let (src, pg) = hard_server();
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let engine = connect(src.target()).await.expect("connect");

    let started = Instant::now();
    let contents = engine
        .backup_logical(
            &LogicalRequest {
                all_databases: true,
                jobs: 2,
                ..LogicalRequest::default()
            },
            &store,
        )
        .await
        .expect("backup");
    println!(
        "backup of every database: {:?}, {} bytes in {} objects",
        started.elapsed(),
        store.total_bytes(),
        store.objects().len()
    );
    let objects = store.objects();
    for name in [
        "globals.sql",
        "toc.json",
        "db/hard/pre-data.sql",
        "db/hard/post-data.dump",
        "db/hard/sequences.sql",
        "db/hard/large-objects.lo",
        "db/hard/data/app.all_types.copy",
        "db/hard/data/app.events_2024_h0.copy",
        "db/hard2/data/reporting.daily.copy",
        "db/postgres/pre-data.sql",
    ] {
        assert!(objects.contains_key(name), "{name} missing: {objects:?}");
    }
    // Partitioned parents hold no rows of their own: only leaves are dumped.
    assert!(!objects.contains_key("db/hard/data/app.events.copy"));
    assert!(objects
        .keys()
        .any(|k| k.starts_with("db/hard/data/%E7%9B%91%E7%AE%A1%20Schema%2Ex.")));
    for db in ["hard", "hard2", "postgres"] {
        check_contents(&contents, &pg, db);
    }
    let point = &contents.consistent_point;
    let dbs = point["databases"].as_array().expect("databases");
    assert_eq!(dbs.len(), 3);
    for p in dbs {
        assert!(p["snapshot"].as_str().is_some_and(|s| !s.is_empty()), "{p}");
        assert!(p["lsn"].as_str().is_some_and(|s| s.contains('/')), "{p}");
        assert!(p["txid_snapshot"].as_str().is_some(), "{p}");
    }
    assert_eq!(
        contents.newest_commit, None,
        "track_commit_timestamp is off"
    );
    let rows = |t: &str| {
        contents
            .tables
            .iter()
            .find(|r| r.database == "hard" && r.table == t)
            .map(|r| r.rows)
    };
    assert_eq!(rows("all_types"), Some(20006));
    assert_eq!(rows("no_columns"), Some(2));
    assert_eq!(
        rows("parent_t"),
        Some(1),
        "inheritance children are their own table"
    );

    // A new server: roles first (globals), then every database.
    let dst = ScratchPostgres::start(ScratchOptions::default()).expect("second scratch");
    let dst_pg = Pg::of(&dst);
    let dst_engine = connect(dst.target()).await.expect("connect");
    let started = Instant::now();
    let report = dst_engine
        .restore_logical(
            &RestoreRequest {
                jobs: 2,
                globals: true,
                ..RestoreRequest::default()
            },
            &contents,
            &store,
        )
        .await
        .expect("restore");
    println!("restore of every database: {:?}", started.elapsed());
    assert_eq!(report.databases, vec!["hard", "hard2", "postgres"]);
    assert_eq!(report.tables.len(), contents.tables.len());
    for t in &report.tables {
        let want = contents
            .tables
            .iter()
            .find(|c| c.database == t.database && c.schema == t.schema && c.table == t.table)
            .expect("table in the manifest");
        assert_eq!(t.rows, want.rows, "{}.{}", t.schema, t.table);
    }
    assert!(report.bytes_read > 0);

    // What a drill does with the manifest's object counts: the same statement on the copy.
    for db in ["hard", "hard2", "postgres"] {
        let e = connect(&on(dst.target(), db)).await.expect("connect");
        let rows = e
            .query(dbkeeper_postgres::dump::OBJECT_COUNTS_SQL)
            .await
            .expect("object counts");
        let got: std::collections::BTreeMap<String, u64> = rows
            .iter()
            .map(|r| {
                (
                    r["kind"].as_str().expect("kind").to_string(),
                    r["count"].as_u64().expect("count"),
                )
            })
            .collect();
        assert_eq!(&got, &contents.object_counts[db], "{db}");
    }
    let hard_counts = &contents.object_counts["hard"];
    assert_eq!(hard_counts["partitioned_tables"], 2, "{hard_counts:?}");
    assert_eq!(hard_counts["materialized_views"], 1);
    assert_eq!(hard_counts["large_objects"], 3);
    assert_eq!(hard_counts["policies"], 2);

    assert_eq!(pg.roles(), dst_pg.roles(), "roles and memberships");
    assert!(pg.roles().contains("审计 \"员\""), "{}", pg.roles());
    let hard = pg.snapshot("hard");
    assert_substantial(&hard);
    assert_same("hard", &hard, &dst_pg.snapshot("hard"));
    for db in ["hard2", "postgres"] {
        assert_same(db, &pg.snapshot(db), &dst_pg.snapshot(db));
    }
    // The comparison does notice one changed value.
    dst_pg.sql(
        "hard2",
        "UPDATE reporting.daily SET visits = visits + 1 WHERE day = '2024-06-01'",
    );
    let d = difference(&pg.snapshot("hard2"), &dst_pg.snapshot("hard2"));
    assert!(
        d.as_deref().is_some_and(|d| d.contains("reporting.daily")),
        "a changed row went unnoticed: {d:?}"
    );
    // Nothing fired on load: the audit log has exactly the fixture's rows.
    assert_eq!(
        dst_pg
            .sql("hard", "SELECT count(*) FROM app.audit_log")
            .trim(),
        "101"
    );
    assert_eq!(
        dst_pg
            .sql("hard", "SELECT DISTINCT stamped FROM app.audited")
            .trim(),
        "+trigger"
    );
    // Sequences and identities continue exactly where the source's do.
    let next = "SELECT nextval('app.seq_near_max'), nextval('app.seq_desc'), nextval('app.seq_uncalled'), \
                nextval('app.seq_cycle'), nextval('app.serials_id_seq')";
    assert_eq!(pg.sql("hard", next), dst_pg.sql("hard", next));
    let ins = "INSERT INTO app.events (at) VALUES ('2024-03-01') RETURNING id";
    assert_eq!(pg.sql("hard", ins), dst_pg.sql("hard", ins));
    // The restored triggers, policies and rules work.
    assert_eq!(
        dst_pg
            .sql(
                "hard",
                "INSERT INTO app.audited (id, v) VALUES (1000, 'new') RETURNING stamped"
            )
            .trim(),
        "+trigger"
    );
    assert_eq!(
        dst_pg
            .sql(
                "hard",
                "SET ROLE hard_reader; SELECT count(*) FROM app.patients"
            )
            .trim(),
        "2"
    );
}

#[tokio::test]
async fn restore_under_a_new_name_refuses_data_and_forces() {
    let (src, pg) = hard_server();
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let engine = connect(&on(src.target(), "hard")).await.expect("connect");
    let contents = engine
        .backup_logical(
            &LogicalRequest {
                jobs: 3,
                ..LogicalRequest::default()
            },
            &store,
        )
        .await
        .expect("backup of the target's database");
    assert!(contents.tables.iter().all(|t| t.database == "hard"));
    assert!(!store.objects().contains_key("globals.sql"));

    let admin = connect(src.target()).await.expect("connect");
    let new_name = "hard copy \"二\"; drop";
    let req = RestoreRequest {
        into: Some(new_name.to_string()),
        jobs: 3,
        ..RestoreRequest::default()
    };
    let report = admin
        .restore_logical(&req, &contents, &store)
        .await
        .expect("restore under a new name");
    assert_eq!(report.databases, vec![new_name]);
    let original = pg.snapshot("hard");
    assert_same("new name", &original, &pg.snapshot(new_name));

    // Again into the same, now non-empty, database: refused, and nothing is touched.
    let e = admin
        .restore_logical(&req, &contents, &store)
        .await
        .expect_err("refuses a database with tables");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.restore_not_empty");
    let en = e.render(Lang::En);
    let zh = e.render(Lang::ZhCn);
    println!("{en}\n{zh}");
    assert!(en.contains("--force") && en.contains(new_name), "{en}");
    assert!(zh.contains("--force") && zh.contains("拒绝"), "{zh}");
    // The original database too.
    let e = admin
        .restore_logical(&RestoreRequest::default(), &contents, &store)
        .await
        .expect_err("refuses the original");
    assert_eq!(e.main.what.id(), "pg.restore_not_empty");
    assert_same("after refusals", &original, &pg.snapshot("hard"));

    // With force, the copy is dropped and restored anew (and its changes are gone).
    pg.sql(new_name, "DELETE FROM app.bookings");
    admin
        .restore_logical(
            &RestoreRequest {
                force: true,
                ..req.clone()
            },
            &contents,
            &store,
        )
        .await
        .expect("forced restore");
    assert_same("forced", &original, &pg.snapshot(new_name));

    // Asking for a database the backup does not hold, or a new name for several.
    let e = admin
        .restore_logical(
            &RestoreRequest {
                database: Some("nope".into()),
                ..RestoreRequest::default()
            },
            &contents,
            &store,
        )
        .await
        .expect_err("no such database");
    assert_eq!(e.kind, ErrorKind::Usage);
    assert!(
        e.render(Lang::En).contains("hard"),
        "{}",
        e.render(Lang::En)
    );
}

#[tokio::test]
async fn damaged_backups_fail_loudly_and_leave_nothing() {
    let (src, pg) = hard_server();
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let engine = connect(&on(src.target(), "hard")).await.expect("connect");
    let contents = engine
        .backup_logical(&LogicalRequest::default(), &store)
        .await
        .expect("backup");
    let restore = |into: &str| RestoreRequest {
        into: Some(into.to_string()),
        jobs: 2,
        ..RestoreRequest::default()
    };
    let gone = |db: &str| {
        assert!(
            !pg.databases().iter().any(|d| d == db),
            "the half-restored {db} was left behind"
        );
    };
    let table = "db/hard/data/app.all_types.copy";
    let bytes = std::fs::read(store.path(table)).expect("read object");

    // One flipped byte: the source's hash check fails the read at the end of the object.
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x01;
    std::fs::write(store.path(table), &flipped).expect("write");
    let e = engine
        .restore_logical(&restore("flipped"), &contents, &store)
        .await
        .expect_err("a flipped byte fails the restore");
    println!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Data);
    gone("flipped");

    // A short object from a source that cannot check: the row count catches it.
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .expect("a newline");
    std::fs::write(store.path(table), &bytes[..=cut]).expect("write");
    store.set_faults(Faults {
        no_verify: true,
        ..Faults::default()
    });
    let e = engine
        .restore_logical(&restore("short"), &contents, &store)
        .await
        .expect_err("a short object fails the restore");
    println!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(e.main.what.id(), "pg.restore_rows");
    gone("short");
    std::fs::write(store.path(table), &bytes).expect("restore the object");

    // The store going away in the middle of the schema script and of the large objects.
    for object in ["db/hard/pre-data.sql", "db/hard/large-objects.lo", table] {
        store.set_faults(Faults {
            fail_after: Some((object.to_string(), 10_000)),
            ..Faults::default()
        });
        let e = engine
            .restore_logical(&restore("cut"), &contents, &store)
            .await
            .expect_err("a failed read fails the restore");
        println!("{object}: {}", e.render(Lang::En));
        assert!(
            e.render(Lang::En).contains("injected")
                || e.detail.as_deref().unwrap_or("").contains("injected"),
            "{object}: {e:?}"
        );
        gone("cut");
    }
    store.set_faults(Faults::default());

    // A backup that is not one of ours.
    let other = DumpContents {
        method: "mariadb-dump+select".into(),
        ..contents.clone()
    };
    let e = engine
        .restore_logical(&restore("other"), &other, &store)
        .await
        .expect_err("not ours");
    assert_eq!(e.kind, ErrorKind::Data);

    // After all that, an intact restore still works.
    engine
        .restore_logical(&restore("intact"), &contents, &store)
        .await
        .expect("intact restore");
    assert_same("intact", &pg.snapshot("hard"), &pg.snapshot("intact"));
}

#[tokio::test]
async fn backup_over_tcp_with_a_password_from_the_environment() {
    use dbkeeper_core::secret::SecretRef;
    const PASSWORD: &str = "dump-Pa55-不要泄露";
    let src = ScratchPostgres::start(ScratchOptions {
        password: Some(PASSWORD.into()),
        settings: vec![("track_commit_timestamp".into(), "on".into())],
        ..ScratchOptions::default()
    })
    .expect("scratch with password");
    dbkeeper_postgres::sample::load(&src.socket_target(), "hospital")
        .await
        .expect("sample");
    let target = Target {
        database: Some("hospital".into()),
        password: Some(SecretRef::Command(vec!["printf".into(), PASSWORD.into()])),
        ..src.target().clone()
    };
    let engine = connect(&target).await.expect("connect with password");
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let contents = engine
        .backup_logical(
            &LogicalRequest {
                jobs: 2,
                globals: true,
                ..LogicalRequest::default()
            },
            &store,
        )
        .await
        .expect("backup over TCP: pg_dump gets the password from its environment");
    let rows: u64 = contents.tables.iter().map(|t| t.rows).sum();
    // With commit timestamps on, the newest commit before the snapshot is reported.
    let newest = contents.newest_commit.as_deref().expect("newest commit");
    let newest = chrono::DateTime::parse_from_rfc3339(newest).expect("RFC 3339");
    let age = chrono::Utc::now().signed_duration_since(newest);
    assert!(age.num_seconds() >= 0 && age.num_seconds() < 300, "{age}");
    assert_eq!(rows, 12 + 240 + 360 + 1500 + 2000 + 3200);
    // The password is in no object and nowhere in the manifest.
    let manifest = serde_json::to_string(&contents).expect("json");
    assert!(!manifest.contains(PASSWORD));
    for name in store.objects().keys() {
        let text = std::fs::read(store.path(name)).expect("read");
        assert!(
            !String::from_utf8_lossy(&text).contains(PASSWORD),
            "{name} holds the password"
        );
    }

    // A restore over TCP, under a new name, with a wrong password: a clear error, no secret.
    let wrong = Target {
        password: Some(SecretRef::Command(vec!["printf".into(), "wrong".into()])),
        ..target.clone()
    };
    let e = match connect(&wrong).await {
        Ok(engine) => engine
            .restore_logical(&RestoreRequest::default(), &contents, &store)
            .await
            .expect_err("wrong password"),
        Err(e) => e,
    };
    assert!(!common::all_renderings(&e).contains(PASSWORD));
    let report = engine
        .restore_logical(
            &RestoreRequest {
                into: Some("hospital_copy".into()),
                jobs: 2,
                ..RestoreRequest::default()
            },
            &contents,
            &store,
        )
        .await
        .expect("restore over TCP: psql gets the password from its environment");
    assert_eq!(report.tables.len(), 6);
}
