//! S3 failures against a real server: stopped mid-upload, unreachable, bad credentials, a
//! missing bucket, and an upload abandoned by its writer.

mod common;

use std::time::Duration;

use common::*;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_repo::*;

const MIB: usize = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_stopped_mid_upload_fails_that_repository_only() {
    let mut server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let local = local_repo(&dir.path().join("repo"), &keys).await;
    let s3 = s3_repo(&server, "down", &keys).await;
    let id = BackupId::new();
    let backup = BackupWriter::begin(
        "prod",
        id,
        vec![(local.clone(), keys.clone()), (s3.clone(), keys.clone())],
        WriteOptions::default(),
    )
    .expect("begin");

    // Random bytes do not compress: every MiB written is a MiB to upload.
    let mut gen = Gen::new(99);
    let mut obj = backup.object("data.copy").expect("object");
    for _ in 0..24 {
        obj.write(gen.chunk(MIB))
            .await
            .expect("write before the outage");
    }
    tokio::task::block_in_place(|| server.stop());
    for _ in 0..24 {
        obj.write(gen.chunk(MIB))
            .await
            .expect("the local copy goes on while S3 is down");
    }
    let record = obj.finish().await.expect("the object is stored locally");
    assert_eq!(record.copies.len(), 1);
    assert_eq!(record.copies[0].repo, "local");
    assert_eq!(record.failed.len(), 1);
    let failure = &record.failed[0].error;
    assert_eq!(failure.kind, ErrorKind::Unavailable, "{failure}");
    assert_eq!(failure.exit_code(), 69);
    let text = failure.render(Lang::En);
    assert!(
        text.contains(&server.endpoint),
        "names the endpoint: {text}"
    );
    assert!(text.contains("cannot be reached"), "{text}");
    assert!(failure.main.hint.is_some());
    assert!(failure.render(Lang::ZhCn).contains("无法连接"));

    // Later objects skip the failed repository; the manifest goes only where everything is.
    let mut small = backup.object("schema.sql").expect("object");
    small
        .write(&b"CREATE TABLE t ();\n"[..])
        .await
        .expect("write");
    let rec = small.finish().await.expect("finish");
    assert_eq!(rec.copies.len(), 1);
    let report = backup.commit(facts()).await.expect("committed locally");
    assert!(!report.is_complete_everywhere());
    assert_eq!(report.committed.len(), 1);
    assert_eq!(report.committed[0].0, "local");
    assert_eq!(report.failed[0].repo, "offsite");
    assert_eq!(report.failed[0].error.kind, ErrorKind::Unavailable);

    let m = local
        .latest("prod")
        .await
        .expect("latest")
        .expect("local backup");
    read_object(&local, &m, "data.copy", &identity(&key_file))
        .await
        .expect("local copy reads");

    // The server comes back: no manifest there, the backup is not listed as good.
    server.restart();
    let s3 = s3_repo(&server, "down", &keys).await;
    assert!(s3.latest("prod").await.expect("latest").is_none());
    for e in s3.list(None).await.expect("list") {
        assert!(!e.is_complete(), "{:?}", e.id);
    }
    let check = s3.check(false).await.expect("check");
    assert!(!check.has_damage(), "{:?}", check.findings);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_repository_down_fails_the_write_with_unavailable() {
    let mut server = S3Server::start();
    let keys = RepoKeys::unencrypted(true);
    let s3 = s3_repo(&server, "only", &keys).await;
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(s3.clone(), keys)],
        WriteOptions::default(),
    )
    .expect("begin");
    let mut gen = Gen::new(5);
    let mut obj = backup.object("data").expect("object");
    for _ in 0..12 {
        obj.write(gen.noise(MIB)).await.expect("write");
    }
    tokio::task::block_in_place(|| server.stop());
    let mut failed = None;
    for _ in 0..64 {
        if let Err(e) = obj.write(gen.noise(MIB)).await {
            failed = Some(e);
            break;
        }
    }
    let e = match failed {
        Some(e) => e,
        None => obj.finish().await.expect_err("no repository left"),
    };
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    let e = backup.commit(facts()).await.expect_err("nothing committed");
    assert_eq!(e.kind, ErrorKind::Failed, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_upload_is_aborted_and_leaves_no_parts() {
    let server = S3Server::start();
    let store = s3_store(&server, "abort").await;
    let keys = RepoKeys::unencrypted(true);
    let repo = Repository::init(store.clone(), "offsite", &keys)
        .await
        .expect("init");
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), keys)],
        WriteOptions::default(),
    )
    .expect("begin");
    let mut gen = Gen::new(11);
    let mut obj = backup.object("data").expect("object");
    // More than the pipeline buffers (about 25 MiB between the caller and the store), so that
    // parts reach the server.
    for _ in 0..40 {
        obj.write(gen.noise(MIB)).await.expect("write");
    }
    // At least one part is on the server now.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while server.pending_uploads().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !server.pending_uploads().is_empty(),
        "a multipart upload is in progress"
    );
    obj.abort().await;
    // The abort reached the server: no upload and no parts left, and no object.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !server.pending_uploads().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(server.pending_uploads(), Vec::<std::path::PathBuf>::new());
    let keys_left: Vec<String> = store
        .list("backups/")
        .await
        .expect("list")
        .into_iter()
        .map(|m| m.key)
        .collect();
    assert!(keys_left.is_empty(), "{keys_left:?}");
    let e = backup.commit(facts()).await.expect_err("aborted object");
    assert_eq!(e.kind, ErrorKind::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_endpoint_is_unavailable_with_a_hint() {
    let port = dbkeeper_core::scratch::free_port().expect("port");
    let url = format!(
        "s3://bucket/x?endpoint=http://127.0.0.1:{port}&region=cn-hangzhou&path_style=true"
    );
    let server = S3Server::start(); // only for its credentials
    let store = open_store(
        &RepoLocation::parse(&url).expect("url"),
        &s3_options(&server),
    )
    .await
    .expect("client");
    let e = Repository::open(store, "offsite")
        .await
        .expect_err("nobody listens");
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
    assert!(
        e.render(Lang::En).contains(&format!("127.0.0.1:{port}")),
        "{e}"
    );
    assert!(e.main.hint.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_and_missing_bucket_are_config_errors() {
    let server = S3Server::start();
    let mut opts = s3_options(&server);
    if let Some(c) = opts.credentials.as_mut() {
        c.secret_access_key = dbkeeper_core::secret::Secret::new("not-the-secret");
    }
    let store = open_store(&RepoLocation::parse(&server.url("x")).expect("url"), &opts)
        .await
        .expect("client");
    let e = Repository::open(store, "offsite")
        .await
        .expect_err("bad secret");
    assert_eq!(e.kind, ErrorKind::Config, "{e}");
    assert!(
        !e.render(Lang::En).contains("not-the-secret"),
        "never the secret: {e}"
    );

    let url = server
        .url("x")
        .replacen(&server.bucket, "no-such-bucket", 1);
    let store = open_store(
        &RepoLocation::parse(&url).expect("url"),
        &s3_options(&server),
    )
    .await
    .expect("client");
    let e = Repository::open(store, "offsite")
        .await
        .expect_err("no bucket");
    assert_eq!(e.kind, ErrorKind::Config, "{e}");
    assert!(e.render(Lang::En).contains("no-such-bucket"), "{e}");
}
