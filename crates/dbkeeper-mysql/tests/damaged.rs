//! Damaged logical backups fail loudly: a flipped byte or a short object that the store
//! notices, a short object it does not notice, a broken table of contents or schema script,
//! and a manifest that disagrees with the backup. None leaves a table half-loaded, and every
//! failure after the first change says in both languages that the database is incomplete.

mod common;

use std::path::Path;

use common::compare;
use common::objects::{copy_tree, DirSink, DirSource, Manifest};
use dbkeeper_core::dump::{DumpContents, LogicalRequest, RestoreRequest};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::{Error, ErrorKind, Lang};
use dbkeeper_mysql::scratch::ScratchOptions;
use dbkeeper_mysql::{connect, MysqlEngine};

const TEXTS: &str = "db/hard/data/texts.tsv";
const PARTS: &str = "db/hard/data/parts.tsv";

/// A copy of the backup in `dir` with `damage` applied to one file.
fn damaged(from: &Path, to: &Path, object: &str, damage: impl FnOnce(&mut Vec<u8>)) {
    copy_tree(from, to);
    let path = to.join(object);
    let mut bytes = std::fs::read(&path).expect("read object");
    damage(&mut bytes);
    std::fs::write(&path, bytes).expect("write object");
}

async fn restore(
    engine: &MysqlEngine,
    contents: &DumpContents,
    root: &Path,
    manifest: &Manifest,
    verify: bool,
    into: &str,
) -> Result<(), Error> {
    let source = DirSource {
        root: root.to_path_buf(),
        manifest: manifest.clone(),
        verify,
    };
    engine
        .restore_logical(
            &RestoreRequest {
                database: Some("hard".into()),
                into: Some(into.into()),
                jobs: 2,
                ..RestoreRequest::default()
            },
            contents,
            &source,
        )
        .await
        .map(|_| ())
}

fn says_incomplete(e: &Error, db: &str) {
    let en = e.render(Lang::En);
    let zh = e.render(Lang::ZhCn);
    assert!(
        en.contains(&format!("`{db}`")) && en.contains("incomplete") && en.contains("--force"),
        "{en}"
    );
    assert!(zh.contains("未恢复完整"), "{zh}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_backups_fail_loudly() {
    let server = common::start("damaged", ScratchOptions::default());
    compare::run_file(server.socket(), &common::hard_fixture());
    let engine = connect(server.target()).await.expect("connect");
    let tmp = tempfile::tempdir().expect("tempdir");
    let good = tmp.path().join("good");
    let sink = DirSink::new(&good);
    let contents = engine
        .backup_logical(
            &LogicalRequest {
                databases: vec!["hard".into()],
                jobs: 2,
                ..LogicalRequest::default()
            },
            &sink,
        )
        .await
        .expect("backup");
    // This server writes no binlog: the consistent point says so instead of a position.
    let point = &contents.consistent_point;
    assert_eq!(point["binlog_enabled"], false, "{point}");
    assert!(point["binlog_file"].is_null());
    assert!(point["note"]
        .as_str()
        .expect("note")
        .contains("log_bin=OFF"));
    let manifest = sink.manifest();
    let count = |db: &str, table: &str| {
        compare::sql(
            server.socket(),
            &format!("SELECT COUNT(*) FROM {db}.{table}"),
        )
        .trim()
        .to_string()
    };

    // One flipped byte in the middle of the biggest table's data: the store's hash check fails
    // at the object's end, after the server has received nearly all rows.
    let dir = tmp.path().join("flipped");
    damaged(&good, &dir, TEXTS, |b| {
        let mid = b.len() / 2;
        b[mid] ^= 0x01;
    });
    let e = restore(&engine, &contents, &dir, &manifest, true, "bad_flip")
        .await
        .expect_err("a flipped byte fails the restore");
    eprintln!("{}\n\n{}\n", e.render(Lang::En), e.render(Lang::ZhCn));
    assert_eq!(e.kind, ErrorKind::Data, "{}", e.render(Lang::En));
    assert!(e.render(Lang::En).contains(TEXTS), "{}", e.render(Lang::En));
    says_incomplete(&e, "bad_flip");
    assert_eq!(
        count("bad_flip", "texts"),
        "0",
        "the damaged table was rolled back"
    );
    // No trigger exists yet in a restore that failed during the data.
    assert_eq!(
        compare::sql(
            server.socket(),
            "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'bad_flip'"
        )
        .trim(),
        "0"
    );

    // A short object: the store notices the size.
    let dir = tmp.path().join("short");
    damaged(&good, &dir, TEXTS, |b| b.truncate(b.len() / 3));
    let e = restore(&engine, &contents, &dir, &manifest, true, "bad_short")
        .await
        .expect_err("a short object fails the restore");
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(count("bad_short", "texts"), "0");

    // A short object the store does not notice (whole rows cut off): the row count does.
    let dir = tmp.path().join("cut");
    damaged(&good, &dir, PARTS, |b| {
        let cut = b
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == b'\n')
            .nth(99)
            .map(|(i, _)| i + 1)
            .expect("100 lines");
        b.truncate(cut);
    });
    let e = restore(&engine, &contents, &dir, &manifest, false, "bad_cut")
        .await
        .expect_err("missing rows fail the restore");
    assert_eq!(e.kind, ErrorKind::Data);
    let en = e.render(Lang::En);
    eprintln!("{en}\n");
    assert!(en.contains("100 rows") && en.contains("900"), "{en}");
    assert!(
        e.render(Lang::ZhCn).contains("加载了 100 行"),
        "{}",
        e.render(Lang::ZhCn)
    );
    assert_eq!(count("bad_cut", "parts"), "0");

    // A row cut in half: the server warns about the missing columns.
    let dir = tmp.path().join("half");
    damaged(&good, &dir, PARTS, |b| {
        let cut = b.iter().position(|c| *c == b'\t').expect("a tab") + 1;
        b.truncate(cut);
    });
    let e = restore(&engine, &contents, &dir, &manifest, false, "bad_half")
        .await
        .expect_err("a broken row fails the restore");
    assert_eq!(e.kind, ErrorKind::Data, "{}", e.render(Lang::En));
    assert_eq!(count("bad_half", "parts"), "0");

    // A damaged table of contents, noticed by the store or by its parser; nothing is created.
    let dir = tmp.path().join("toc");
    damaged(&good, &dir, "toc.json", |b| b[10] = b'#');
    for verify in [true, false] {
        let e = restore(&engine, &contents, &dir, &manifest, verify, "bad_toc")
            .await
            .expect_err("a damaged toc fails the restore");
        assert_eq!(e.kind, ErrorKind::Data, "{}", e.render(Lang::En));
        assert!(
            e.render(Lang::En).contains("toc.json"),
            "{}",
            e.render(Lang::En)
        );
    }
    assert_eq!(
        compare::sql(server.socket(), "SHOW DATABASES LIKE 'bad_toc'").trim(),
        ""
    );

    // A broken schema script: the client's error, with the statement's line.
    let dir = tmp.path().join("schema");
    damaged(&good, &dir, "db/hard/tables.sql", |b| {
        let text =
            String::from_utf8_lossy(b).replace("CREATE TABLE `gen`", "CREATE TABLE `gen` oops");
        *b = text.into_bytes();
    });
    let e = restore(&engine, &contents, &dir, &manifest, false, "bad_schema")
        .await
        .expect_err("a broken schema fails the restore");
    assert_eq!(e.kind, ErrorKind::Failed);
    let en = e.render(Lang::En);
    eprintln!("{en}\n");
    assert!(en.contains("mariadb") && en.contains("ERROR 1064"), "{en}");
    says_incomplete(&e, "bad_schema");

    // The manifest and the backup's own table of contents disagree: refused before any change.
    let mut wrong = contents.clone();
    let t = wrong
        .tables
        .iter_mut()
        .find(|t| t.table == "parts")
        .expect("parts");
    t.rows += 1;
    let e = restore(&engine, &wrong, &good, &manifest, true, "bad_manifest")
        .await
        .expect_err("disagreeing row counts fail the restore");
    assert_eq!(e.kind, ErrorKind::Data);
    assert_eq!(
        compare::sql(server.socket(), "SHOW DATABASES LIKE 'bad_manifest'").trim(),
        ""
    );

    // And the undamaged backup restores.
    restore(&engine, &contents, &good, &manifest, true, "good")
        .await
        .expect("the good backup restores");
    compare::assert_same(server.socket(), "hard", server.socket(), "good");
    // The comparison is not vacuous: one changed byte shows.
    compare::sql(
        server.socket(),
        "UPDATE good.bins SET vb = 0x01 WHERE id = 1",
    );
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let differs = std::panic::catch_unwind(|| {
        compare::assert_same(server.socket(), "hard", server.socket(), "good")
    });
    std::panic::set_hook(hook);
    assert!(differs.is_err(), "the comparison missed a changed byte");
    engine.close().await;
}
