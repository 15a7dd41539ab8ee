//! Scratch clusters leave nothing behind: not after a drop, not after a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Mutex;

use dbkeeper_core::scratch::{process_alive, ScratchInstance};
use dbkeeper_postgres::{ScratchOptions, ScratchPostgres};

#[test]
fn drop_stops_the_server_and_removes_the_directory() {
    let scratch = ScratchPostgres::start(ScratchOptions::default()).expect("scratch starts");
    let pid = scratch.pid();
    let dir = scratch
        .data_dir()
        .parent()
        .expect("scratch dir")
        .to_path_buf();
    assert!(process_alive(pid));
    assert!(scratch.data_dir().join("PG_VERSION").is_file());
    assert!(scratch.major_version() >= 10);
    drop(scratch);
    assert!(!process_alive(pid), "server {pid} still running");
    assert!(!dir.exists(), "{} still exists", dir.display());
}

#[test]
fn a_panic_stops_the_server_and_removes_the_directory() {
    let seen: Mutex<Option<(u32, std::path::PathBuf)>> = Mutex::new(None);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let scratch = ScratchPostgres::start(ScratchOptions::default()).expect("scratch starts");
        let dir = scratch.data_dir().parent().expect("dir").to_path_buf();
        *seen.lock().expect("lock") = Some((scratch.pid(), dir));
        panic!("a test failing while the scratch server runs");
    }));
    assert!(result.is_err());
    let (pid, dir) = seen.lock().expect("lock").clone().expect("started");
    assert!(!process_alive(pid), "server {pid} still running");
    assert!(!dir.exists(), "{} still exists", dir.display());
}

#[test]
fn missing_version_names_the_package() {
    let e = ScratchPostgres::start(ScratchOptions {
        version: Some(3),
        ..ScratchOptions::default()
    })
    .expect_err("PostgreSQL 3 is not installed");
    assert_eq!(e.kind, dbkeeper_core::ErrorKind::Unavailable);
    let shown = e.render(dbkeeper_core::Lang::En);
    assert!(shown.contains("apt-get install postgresql"), "{shown}");
}
