//! Physical backup (pg_basebackup streamed), restore into an empty data directory, start on
//! it, and the same independent comparison as the logical round trip.

mod common;

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::Target;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_postgres::{
    backup_physical, connect, restore_physical, ScratchDataDir, ScratchOptions, ScratchPostgres,
};

use common::pg::{assert_same, assert_substantial, hard_server, Pg};
use common::store::{DirStore, Faults};

#[tokio::test]
async fn physical_round_trip_starts_and_matches() {
    let (src, pg) = hard_server();
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let started = std::time::Instant::now();
    let contents = backup_physical(src.target(), &store)
        .await
        .expect("physical backup");
    println!(
        "physical backup: {:?}, {} bytes",
        started.elapsed(),
        store.total_bytes()
    );
    assert_eq!(contents.method, "pg_basebackup");
    assert_eq!(store.objects().keys().collect::<Vec<_>>(), vec!["base.tar"]);
    let p = &contents.consistent_point;
    println!("{p}");
    assert_eq!(p["timeline"], 1);
    for key in ["start_lsn", "stop_lsn", "start_wal_file", "stop_wal_file"] {
        assert!(p[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {p}");
    }
    assert_eq!(p["start_wal_file"].as_str().map(str::len), Some(24));

    // Not into a directory that holds anything.
    let busy = tempfile::tempdir().expect("tempdir");
    std::fs::write(busy.path().join("keep-me"), "x").expect("write");
    let e = restore_physical(&store, busy.path())
        .await
        .expect_err("non-empty directory");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.phys_dir_not_empty");
    assert!(busy.path().join("keep-me").exists());

    let data = ScratchDataDir::create().expect("data dir");
    let report = restore_physical(&store, data.path())
        .await
        .expect("physical restore");
    println!("{report:?}");
    assert!(report.files > 100);
    assert!(report.manifest_verified, "pg_verifybackup ran");
    let restored =
        ScratchPostgres::start_from(data, ScratchOptions::default()).expect("start restored");
    let rpg = Pg::of(&restored);

    assert_eq!(pg.roles(), rpg.roles());
    let mut before = pg.snapshot("hard");
    let mut after = rpg.snapshot("hard");
    assert_substantial(&before);
    // PostgreSQL never copies unlogged tables' rows into a base backup: they come back empty.
    assert!(after.tables["app.scratchpad"].starts_with("0 rows"));
    before.tables.remove("app.scratchpad");
    after.tables.remove("app.scratchpad");
    assert_same("hard", &before, &after);
    for db in ["hard2", "postgres"] {
        assert_same(db, &pg.snapshot(db), &rpg.snapshot(db));
    }
    // It is a primary of its own now, and continues the sequences where the source is.
    let next = "SELECT nextval('app.seq_near_max'), nextval('app.serials_id_seq')";
    assert_eq!(pg.sql("hard", next), rpg.sql("hard", next));
    rpg.sql(
        "hard",
        "INSERT INTO app.audited (id, v) VALUES (5000, 'after restore')",
    );

    // Dropped, the restored server and its directory are gone.
    let dir = restored.data_dir().parent().expect("dir").to_path_buf();
    let pid = restored.pid();
    drop(restored);
    assert!(!dir.exists());
    assert!(!dbkeeper_core::scratch::process_alive(pid));
}

#[tokio::test]
async fn physical_restore_of_a_damaged_archive_fails() {
    let src = ScratchPostgres::start(ScratchOptions::default()).expect("scratch");
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    backup_physical(src.target(), &store)
        .await
        .expect("physical backup");
    let path = store.path("base.tar");
    let bytes = std::fs::read(&path).expect("read");

    // A flipped byte inside a file's contents: the object's hash check fails the read.
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 0x20;
    std::fs::write(&path, &flipped).expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    let e = restore_physical(&store, &dir.path().join("a"))
        .await
        .expect_err("flipped byte");
    println!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(
        format!("{e:?}").contains("does not match the manifest"),
        "the object's own check, before pg_verifybackup: {e:?}"
    );

    // Cut short, from a source that cannot check: the archive's own structure tells.
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    store.set_faults(Faults {
        no_verify: true,
        ..Faults::default()
    });
    let e = restore_physical(&store, &dir.path().join("b"))
        .await
        .expect_err("short archive");
    println!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(e.main.what.id(), "pg.phys_tar");

    // The store going away part-way.
    std::fs::write(&path, &bytes).expect("write");
    store.set_faults(Faults {
        fail_after: Some(("base.tar".into(), 1 << 20)),
        ..Faults::default()
    });
    let e = restore_physical(&store, &dir.path().join("c"))
        .await
        .expect_err("read failure");
    assert!(format!("{e:?}").contains("injected"), "{e:?}");
}

#[tokio::test]
async fn physical_backup_needs_a_replication_user() {
    let src = ScratchPostgres::start(ScratchOptions::default()).expect("scratch");
    let pg = Pg::of(&src);
    pg.sql("postgres", "CREATE ROLE plain_user LOGIN");
    let store_dir = tempfile::tempdir().expect("tempdir");
    let store = DirStore::new(store_dir.path());
    let target = Target {
        user: "plain_user".into(),
        ..src.target().clone()
    };
    connect(&target).await.expect("plain user connects");
    let e = backup_physical(&target, &store)
        .await
        .expect_err("no replication privilege");
    let en = e.render(Lang::En);
    let zh = e.render(Lang::ZhCn);
    println!("{en}\n{zh}");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.phys_no_replication");
    assert!(en.contains("REPLICATION") && zh.contains("REPLICATION"));
    assert!(store.objects().is_empty());
}
