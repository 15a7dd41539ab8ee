//! A scratch server is gone after a panic, and a server that cannot start leaves nothing behind.

mod common;

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;

use dbkeeper_core::engine::Engine;
use dbkeeper_core::scratch::{ScratchInstance, DIR_PREFIX};
use dbkeeper_core::ErrorKind;
use dbkeeper_mysql::connect;
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};

/// The tests below look at this process's scratch directories, so they take turns.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn panic_inside_catch_unwind_tears_down() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let seen: Mutex<Option<(u32, std::path::PathBuf)>> = Mutex::new(None);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let scratch = common::start("panic", ScratchOptions::default());
        *seen.lock().expect("lock") = Some((scratch.pid(), scratch.dir().to_path_buf()));
        // Without a password, root logs in over TCP from 127.0.0.1.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let engine = connect(scratch.target())
                .await
                .expect("password-less TCP login");
            assert_eq!(engine.facts().await.expect("facts").product, "MariaDB");
            engine.close().await;
        });
        panic!("a test failing while the scratch server runs");
    }));
    assert!(outcome.is_err());
    let (pid, dir) = seen
        .lock()
        .expect("lock")
        .take()
        .expect("server was started");
    common::assert_gone(pid, &dir);
}

#[test]
fn failed_start_leaves_nothing_behind() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let before = scratch_dirs();
    let e = ScratchMysql::start(ScratchOptions {
        settings: vec![("surely_not_a_server_option".into(), "1".into())],
        ..ScratchOptions::default()
    })
    .expect_err("unknown option refused by the server");
    assert_eq!(
        e.kind,
        ErrorKind::Failed,
        "{}",
        e.render(dbkeeper_core::Lang::En)
    );
    let detail = e.detail.clone().unwrap_or_default();
    assert!(
        detail.contains("surely_not_a_server_option"),
        "log tail in detail: {detail}"
    );
    let after = scratch_dirs();
    assert!(
        after.iter().all(|d| before.contains(d)),
        "left behind: {after:?}"
    );
}

/// This process's scratch directories.
fn scratch_dirs() -> Vec<std::path::PathBuf> {
    let mine = format!("{DIR_PREFIX}{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .expect("tmp")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&mine))
        .map(|e| e.path())
        .collect()
}
