//! One pass to a local directory and a real S3 server at once, and back; keys and fail-closed
//! rules. Real stores only (a temp directory and s3s-fs on loopback).

mod common;

use common::*;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_repo::*;

const MIB: usize = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_pass_to_local_and_s3_then_back_byte_identical() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, recipient) = keypair(dir.path(), "backup.key");
    let keys = RepoKeys::recipients(vec![recipient.clone()]);
    let local = local_repo(&dir.path().join("repo"), &keys).await;
    let s3 = s3_repo(&server, "prod/pg", &keys).await;

    let id = BackupId::new();
    let (report, plain) = write_backup(
        &[(local.clone(), keys.clone()), (s3.clone(), keys.clone())],
        "prod",
        id,
        // 40 MiB: several 8 MiB multipart parts on S3 after compression; an empty object; a small one.
        &[
            ("data/big.copy", 40 * MIB),
            ("empty", 0),
            ("schema.sql", 1000),
        ],
    )
    .await;
    assert!(report.is_complete_everywhere(), "{:?}", report.failed);
    assert_eq!(report.committed.len(), 2);
    let (_, m_local) = &report.committed[0];
    let (_, m_s3) = &report.committed[1];
    assert_eq!(m_local.objects.len(), 3);
    for (a, b) in m_local.objects.iter().zip(&m_s3.objects) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.plain_size_bytes, b.plain_size_bytes);
        // Each repository's copy has its own file key: other bytes, other hashes.
        assert_ne!(a.sha256, b.sha256, "{}", a.name);
    }
    let big = m_local.object("data/big.copy").expect("big");
    assert_eq!(big.plain_size_bytes, 40 * MIB as u64);
    assert!(big.stored_size_bytes < big.plain_size_bytes, "compressed");
    assert!(
        m_s3.object("data/big.copy").expect("big").stored_size_bytes > 8 * MIB as u64,
        "multipart on S3"
    );
    assert_eq!(m_local.encryption, keys.encryption.params());
    assert_eq!(m_local.compression.kind, "zstd");
    assert_eq!(m_local.compression.level, 3);

    let decrypt = identity(&key_file);
    for repo in [&local, &s3] {
        let manifest = repo
            .latest("prod")
            .await
            .expect("latest")
            .expect("a backup");
        assert_eq!(manifest.id, id);
        for (name, sha) in &plain {
            let (size, got) = read_object(repo, &manifest, name, &decrypt)
                .await
                .unwrap_or_else(|e| panic!("{} {name}: {e}", repo.label()));
            assert_eq!(&got, sha, "{} {name}", repo.label());
            assert_eq!(size, manifest.object(name).expect("entry").plain_size_bytes);
        }
        let entries = repo.list(None).await.expect("list");
        assert_eq!(entries.len(), 1);
        assert!(entries[0].is_complete());
        let report = repo.check(true).await.expect("check");
        assert!(report.is_clean(), "{} {:?}", repo.label(), report.findings);
        assert_eq!(report.objects_checked, 3);
        assert!(report.bytes_read > 0);
    }

    // The S3 keys mirror the folder layout; the format file names fingerprints, never keys.
    let in_bucket = server
        .bucket_dir()
        .join(format!("prod/pg/backups/prod/{id}/manifest.json"));
    assert!(in_bucket.exists(), "{}", in_bucket.display());
    let format =
        std::fs::read_to_string(dir.path().join("repo/dbkeeper-repo.json")).expect("format");
    assert!(format.contains(&recipient.fingerprint()), "{format}");
    assert!(!format.contains(&recipient.to_string()), "{format}");
    let manifest_text = std::fs::read_to_string(
        dir.path()
            .join(format!("repo/backups/prod/{id}/manifest.json")),
    )
    .expect("manifest");
    assert!(
        manifest_text.contains("\"处方\""),
        "manifest is clear JSON: {manifest_text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copied_repository_lists_and_restores_with_nothing_else() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, recipient) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![recipient]);
    let repo = local_repo(&dir.path().join("a"), &keys).await;
    let (_, plain) =
        write_backup(&[(repo, keys)], "prod", BackupId::new(), &[("x", 300_000)]).await;
    // `cp -r` elsewhere, then open with only the directory.
    let copy = dir.path().join("b");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(dir.path().join("a"))
        .arg(&copy)
        .status()
        .expect("cp");
    assert!(status.success());
    let repo = Repository::open(local_store(&copy), "copy")
        .await
        .expect("open copy");
    let m = repo.latest("prod").await.expect("latest").expect("backup");
    let (_, sha) = read_object(&repo, &m, "x", &identity(&key_file))
        .await
        .expect("read");
    assert_eq!(sha, plain["x"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_key_is_a_data_error_naming_the_fingerprints() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (_, recipient) = keypair(dir.path(), "right.key");
    let (wrong_file, wrong) = keypair(dir.path(), "wrong.key");
    let keys = RepoKeys::recipients(vec![recipient.clone()]);
    let s3 = s3_repo(&server, "x", &keys).await;
    write_backup(
        &[(s3.clone(), keys)],
        "prod",
        BackupId::new(),
        &[("a", 200_000)],
    )
    .await;
    let m = s3.latest("prod").await.expect("latest").expect("backup");
    let err = match s3.open_object(&m, "a", &identity(&wrong_file)).await {
        Ok(_) => panic!("a wrong key must not open the object"),
        Err(e) => e,
    };
    assert_eq!(err.kind, ErrorKind::Data);
    assert_eq!(err.exit_code(), 65);
    let en = err.render(Lang::En);
    assert!(
        en.contains("does not match any recipient of the repository"),
        "{en}"
    );
    assert!(en.contains(wrong_file.to_str().expect("utf-8")), "{en}");
    let short = |fp: String| dbkeeper_repo::crypt::short_fingerprint(&fp);
    assert!(
        en.contains(&short(recipient.fingerprint())),
        "names the repository's key: {en}"
    );
    assert!(
        en.contains(&short(wrong.fingerprint())),
        "names the key given: {en}"
    );
    assert!(!en.contains("AGE-SECRET-KEY"), "{en}");
    assert!(err.render(Lang::ZhCn).contains("不匹配"));
    // Without any key: a config error that says a key is needed.
    let e = match s3.open_object(&m, "a", &Decryption::None).await {
        Ok(_) => panic!("no key"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::Config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passphrase_repository_round_trip_and_wrong_passphrase() {
    let dir = tempfile::tempdir().expect("tmp");
    let pass = dbkeeper_core::secret::Secret::new("correct horse battery staple");
    let keys = RepoKeys::passphrase(pass.clone());
    let repo = local_repo(dir.path(), &keys).await;
    let (_, plain) = write_backup(
        &[(repo.clone(), keys)],
        "prod",
        BackupId::new(),
        &[("a", 50_000)],
    )
    .await;
    let m = repo.latest("prod").await.expect("latest").expect("backup");
    assert_eq!(m.encryption.describe(), "passphrase");
    let (_, sha) = read_object(&repo, &m, "a", &Decryption::Passphrase(pass))
        .await
        .expect("read");
    assert_eq!(sha, plain["a"]);
    let wrong = Decryption::Passphrase(dbkeeper_core::secret::Secret::new("wrong"));
    let e = match repo.open_object(&m, "a", &wrong).await {
        Ok(_) => panic!("wrong passphrase"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(!e.to_string().contains("correct horse"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_repository_never_receives_clear_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, recipient) = keypair(dir.path(), "k");
    let repo = local_repo(
        &dir.path().join("r"),
        &RepoKeys::recipients(vec![recipient]),
    )
    .await;
    // A writer without recipients (config lost its `encryption:`) is refused before any byte.
    let err = match BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), RepoKeys::unencrypted(true))],
        WriteOptions::default(),
    ) {
        Ok(_) => panic!("clear text into an encrypted repository"),
        Err(e) => e,
    };
    assert_eq!(err.kind, ErrorKind::Config);
    assert_eq!(err.exit_code(), 78);
    assert!(err
        .render(Lang::En)
        .contains("refusing to write clear text"));
    // Other recipients than the repository's are refused too: nobody could read those backups.
    let (_, other) = keypair(dir.path(), "other");
    assert!(BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), RepoKeys::recipients(vec![other]))],
        WriteOptions::default(),
    )
    .is_err());
    assert!(repo.list(None).await.expect("list").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unencrypted_s3_is_refused_unless_allowed() {
    let server = S3Server::start();
    let store = s3_store(&server, "clear").await;
    let err = Repository::init(store.clone(), "offsite", &RepoKeys::unencrypted(false))
        .await
        .expect_err("clear text offsite without consent");
    assert_eq!(err.kind, ErrorKind::Config);
    assert!(err.render(Lang::En).contains("allow_unencrypted"));
    assert!(
        store.list("").await.expect("list").is_empty(),
        "nothing written"
    );

    let repo = Repository::init(store, "offsite", &RepoKeys::unencrypted(true))
        .await
        .expect("allowed in words");
    // Consent is needed on every write, not only at creation.
    assert!(BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), RepoKeys::unencrypted(false))],
        WriteOptions::default(),
    )
    .is_err());
    let keys = RepoKeys::unencrypted(true);
    let (_, plain) = write_backup(
        &[(repo.clone(), keys)],
        "prod",
        BackupId::new(),
        &[("a", 9 * MIB)],
    )
    .await;
    let m = repo.latest("prod").await.expect("latest").expect("backup");
    assert_eq!(m.encryption, EncryptionParams::None);
    let (_, sha) = read_object(&repo, &m, "a", &Decryption::None)
        .await
        .expect("read");
    assert_eq!(sha, plain["a"]);

    // A local repository may be unencrypted without consent.
    let dir = tempfile::tempdir().expect("tmp");
    Repository::init(
        local_store(dir.path()),
        "local",
        &RepoKeys::unencrypted(false),
    )
    .await
    .expect("local clear text is fine");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writer_copies_from_a_reader_and_reader_copies_to_a_writer() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let repo = local_repo(&dir.path().join("r"), &keys).await;
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), keys)],
        WriteOptions::default(),
    )
    .expect("begin");
    let data = Gen::new(3).chunk(5 * MIB + 3);
    let mut obj = backup.object("dump.sql").expect("object");
    let copied = obj.write_from(&mut &data[..]).await.expect("copy in");
    assert_eq!(copied, data.len() as u64);
    let rec = obj.finish().await.expect("finish");
    assert_eq!(rec.plain_size_bytes, data.len() as u64);
    backup.commit(facts()).await.expect("commit");
    let m = repo.latest("prod").await.expect("latest").expect("backup");
    let reader = repo
        .open_object(&m, "dump.sql", &identity(&key_file))
        .await
        .expect("open");
    let mut out = Vec::new();
    let n = reader.copy_to(&mut out).await.expect("copy out");
    assert_eq!(n, data.len() as u64);
    assert!(out == data[..], "byte-identical");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_object_makes_commit_refuse() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = RepoKeys::unencrypted(false);
    let repo = local_repo(dir.path(), &keys).await;
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(repo.clone(), keys)],
        WriteOptions::default(),
    )
    .expect("begin");
    let mut obj = backup.object("a").expect("object");
    obj.write(&b"half a dump"[..]).await.expect("write");
    drop(obj); // the dump failed and the caller returned early
    let e = backup.commit(facts()).await.expect_err("must not commit");
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(repo.latest("prod").await.expect("latest").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engines_write_and_read_through_the_core_dump_boundary() {
    use dbkeeper_core::dump::{ObjectSink, ObjectSource};
    use tokio::io::AsyncReadExt;
    let server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let local = local_repo(&dir.path().join("repo"), &keys).await;
    let s3 = s3_repo(&server, "sink", &keys).await;
    let backup = BackupWriter::begin(
        "prod",
        BackupId::new(),
        vec![(local.clone(), keys.clone()), (s3.clone(), keys)],
        WriteOptions::default(),
    )
    .expect("begin");
    // Two tables dumped concurrently, as an engine with --jobs 2 does.
    let sink: &dyn ObjectSink = &backup;
    let write = |name: &'static str, seed: u64| async move {
        let mut w = sink.create(name).await.expect("create");
        let mut gen = Gen::new(seed);
        for _ in 0..5 {
            w.write(gen.chunk(300_000)).await.expect("write");
        }
        w.finish().await.expect("finish");
    };
    tokio::join!(
        write("data/his/public.a.copy", 1),
        write("data/his/public.b.copy", 2)
    );
    let report = backup.commit(facts()).await.expect("commit");
    assert!(report.is_complete_everywhere());

    for repo in [&local, &s3] {
        let m = repo.latest("prod").await.expect("latest").expect("backup");
        assert_eq!(m.facts.contents.tables[0].table, "处方");
        let source = BackupSource::new(repo.clone(), m, identity(&key_file));
        assert!(source.verify_all().await.expect("verify") > 0);
        let src: &dyn ObjectSource = &source;
        assert_eq!(
            src.names(),
            ["data/his/public.a.copy", "data/his/public.b.copy"]
        );
        let mut r = src.open("data/his/public.b.copy").await.expect("open");
        let mut got = Vec::new();
        r.read_to_end(&mut got).await.expect("read");
        let mut gen = Gen::new(2);
        let want: Vec<u8> = (0..5).flat_map(|_| gen.chunk(300_000).to_vec()).collect();
        assert!(got == want, "{}", repo.label());
    }
    // A damaged object stops a restore before anything is applied.
    let m = local.latest("prod").await.expect("latest").expect("backup");
    let victim = dir
        .path()
        .join(format!("repo/backups/prod/{}/data/his/public.a.copy", m.id));
    flip_byte(&victim, 100);
    let source = BackupSource::new(local.clone(), m, identity(&key_file));
    let e = source.verify_all().await.expect_err("damaged");
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(e.render(Lang::En).contains("public.a.copy"), "{e}");
}
