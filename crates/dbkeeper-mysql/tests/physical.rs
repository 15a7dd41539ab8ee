//! Physical backup and restore with mariabackup on real scratch servers: the hard fixture
//! backed up from a server with a binlog, restored into an empty directory, prepared, started
//! with `ScratchMysql::start_from`, and compared with the source independently (see
//! `common::compare`). A damaged stream and a directory that is not empty are refused, and a
//! server that is not on this machine gets a clear error.

mod common;

use std::time::Duration;

use common::compare;
use common::objects::{copy_tree, DirSink, DirSource};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::Target;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions, SCRATCH_ADMIN};
use dbkeeper_mysql::{backup_physical, connect, restore_physical, STREAM_OBJECT};

const DATABASES: &[&str] = &["hard", "互联网医院_审计", "legacy"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn physical_backup_restores_and_starts() {
    let source = common::start(
        "physical source",
        ScratchOptions {
            password: Some("phys #\"密码\\".into()),
            settings: vec![
                ("log-bin".into(), "binlog".into()),
                ("server-id".into(), "11".into()),
            ],
            ..ScratchOptions::default()
        },
    );
    compare::run_file(source.socket(), &common::hard_fixture());

    let tmp = tempfile::tempdir().expect("tempdir");
    let objects = tmp.path().join("objects");
    let sink = DirSink::new(&objects);
    let contents = backup_physical(source.target(), &sink)
        .await
        .expect("physical backup");
    let point = &contents.consistent_point;
    eprintln!("physical consistent point: {point}");
    assert_eq!(contents.method, "mariabackup");
    assert!(point["binlog_file"]
        .as_str()
        .expect("file")
        .starts_with("binlog."));
    assert!(point["binlog_position"].as_u64().expect("position") > 4);
    assert!(
        point["gtid"].as_str().expect("gtid").starts_with("0-11-"),
        "{point}"
    );
    assert_eq!(
        contents.object_counts.get("hard"),
        Some(&compare::object_counts(source.socket(), "hard"))
    );
    let manifest = sink.manifest();
    assert_eq!(manifest.keys().collect::<Vec<_>>(), [STREAM_OBJECT]);
    let objects_source = |root: &std::path::Path| DirSource {
        root: root.to_path_buf(),
        manifest: manifest.clone(),
        verify: true,
    };

    // A directory that holds anything is refused, and left as it was.
    let busy = tmp.path().join("busy");
    std::fs::create_dir_all(&busy).expect("mkdir");
    std::fs::write(busy.join("keep.txt"), "mine").expect("write");
    let e = restore_physical(&objects_source(&objects), &busy)
        .await
        .expect_err("a non-empty directory is refused");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.render(Lang::En).contains("not empty"),
        "{}",
        e.render(Lang::En)
    );
    assert!(
        e.render(Lang::ZhCn).contains("不是空的"),
        "{}",
        e.render(Lang::ZhCn)
    );
    assert_eq!(
        std::fs::read_to_string(busy.join("keep.txt")).expect("kept"),
        "mine"
    );

    // A damaged stream fails loudly and leaves the directory empty.
    let damaged = tmp.path().join("damaged");
    copy_tree(&objects, &damaged);
    let path = damaged.join(STREAM_OBJECT);
    let mut bytes = std::fs::read(&path).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&path, bytes).expect("write");
    let into = tmp.path().join("from-damaged");
    let e = restore_physical(&objects_source(&damaged), &into)
        .await
        .expect_err("a damaged stream fails");
    assert_eq!(e.kind, ErrorKind::Data, "{}", e.render(Lang::En));
    assert_eq!(std::fs::read_dir(&into).expect("dir").count(), 0);

    // Extract, prepare, start, compare.
    let data = tmp.path().join("restored");
    let restored = restore_physical(&objects_source(&objects), &data)
        .await
        .expect("physical restore");
    eprintln!(
        "restored in {} ms: {}",
        restored.duration_ms, restored.consistent_point
    );
    assert_eq!(
        restored.consistent_point["binlog_file"],
        point["binlog_file"]
    );
    assert_eq!(
        restored.consistent_point["binlog_position"],
        point["binlog_position"]
    );
    assert_eq!(restored.consistent_point["gtid"], point["gtid"]);
    assert!(restored.bytes_read > 1_000_000);

    let copy = ScratchMysql::start_from(data.clone(), ScratchOptions::default())
        .expect("a server starts on the restored directory");
    assert!(!data.exists(), "the data directory moved into the instance");
    assert_eq!(copy.target().user, SCRATCH_ADMIN);
    let engine = connect(copy.target())
        .await
        .expect("connect as the scratch admin");
    let facts = engine.facts().await.expect("facts");
    assert!(facts.databases.iter().any(|d| d.name == "hard"));
    engine.close().await;
    for db in DATABASES {
        compare::assert_same_restarted(source.socket(), db, copy.socket(), db);
    }
    assert_eq!(
        compare::accounts(source.socket()),
        compare::accounts(copy.socket())
    );
    common::drop_and_check_gone(copy);

    // Not on this machine: said before anything is tried.
    let remote = Target {
        host: "db.example.invalid".into(),
        connect_timeout: Duration::from_secs(1),
        ..source.target().clone()
    };
    let e = backup_physical(&remote, &DirSink::new(&tmp.path().join("remote")))
        .await
        .expect_err("a remote server is refused");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.render(Lang::En).contains("database host"),
        "{}",
        e.render(Lang::En)
    );
}

#[tokio::test]
async fn start_from_refuses_a_directory_that_is_not_a_data_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let e = ScratchMysql::start_from(tmp.path().to_path_buf(), ScratchOptions::default())
        .expect_err("not a data directory");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.render(Lang::En).contains("data directory"),
        "{}",
        e.render(Lang::En)
    );
}
