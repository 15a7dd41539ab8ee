//! Damage and leftovers on real stores: flipped bytes, truncated and missing objects, backups
//! without a manifest, orphans; deletion, pinning and retention on a real repository.

mod common;

use common::*;
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_repo::*;

const MIB: usize = 1024 * 1024;

/// Where a local repository keeps an object of a backup.
fn object_path(root: &std::path::Path, id: &BackupId, name: &str) -> std::path::PathBuf {
    root.join(format!("backups/prod/{id}/{name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flipped_byte_is_named_by_check_and_fails_the_reader() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let root = dir.path().join("repo");
    let local = local_repo(&root, &keys).await;
    let s3 = s3_repo(&server, "flip", &keys).await;
    let id = BackupId::new();
    write_backup(
        &[(local.clone(), keys.clone()), (s3.clone(), keys.clone())],
        "prod",
        id,
        &[("data", 3 * MIB), ("head", 100_000), ("ok", 1000)],
    )
    .await;
    // One flipped bit in the middle of "data" (in the payload) and one in the age header of
    // "head", in both stores' files.
    let s3_root = server.bucket_dir().join("flip");
    for base in [&root, &s3_root] {
        let data = object_path(base, &id, "data");
        let len = std::fs::metadata(&data).expect("data").len();
        flip_byte(&data, len / 2);
        flip_byte(&object_path(base, &id, "head"), 10);
    }
    let keys_in = identity(&key_file);
    for repo in [&local, &s3] {
        let quick = repo.check(false).await.expect("check");
        assert!(
            quick.is_clean(),
            "sizes are unchanged: {:?}",
            quick.findings
        );

        let full = repo.check(true).await.expect("check --read-data");
        let altered: Vec<&str> = full
            .findings
            .iter()
            .filter(|f| matches!(f.kind, FindingKind::AlteredObject { .. }))
            .map(|f| f.key.as_str())
            .collect();
        assert_eq!(
            altered,
            [
                format!("backups/prod/{id}/data"),
                format!("backups/prod/{id}/head")
            ],
            "{}",
            repo.label()
        );
        assert!(full.has_damage());
        let text = full.findings[0].text().render(Lang::En);
        assert!(text.starts_with("altered: `backups/prod/"), "{text}");

        let m = repo.latest("prod").await.expect("latest").expect("backup");
        for name in ["data", "head"] {
            let e = read_object(repo, &m, name, &keys_in)
                .await
                .expect_err("a damaged object must fail the reader");
            assert_eq!(e.kind, ErrorKind::Data, "{} {name}: {e}", repo.label());
            assert!(
                e.render(Lang::En).contains("was altered"),
                "{} {name}: {e}",
                repo.label()
            );
        }
        read_object(repo, &m, "ok", &keys_in)
            .await
            .expect("the intact object still reads");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_and_missing_objects_are_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let (key_file, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let root = dir.path().join("repo");
    let repo = local_repo(&root, &keys).await;
    let id = BackupId::new();
    write_backup(
        &[(repo.clone(), keys)],
        "prod",
        id,
        &[("a", 2 * MIB), ("b", 1000), ("c", 10)],
    )
    .await;
    let a = object_path(&root, &id, "a");
    let len = std::fs::metadata(&a).expect("a").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&a)
        .expect("open")
        .set_len(len / 3)
        .expect("truncate");
    std::fs::remove_file(object_path(&root, &id, "b")).expect("remove");

    let report = repo.check(false).await.expect("check");
    let kinds: Vec<(String, FindingKind)> = report
        .findings
        .iter()
        .map(|f| (f.key.clone(), f.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                format!("backups/prod/{id}/a"),
                FindingKind::TruncatedObject {
                    expected_bytes: len,
                    found_bytes: len / 3
                }
            ),
            (format!("backups/prod/{id}/b"), FindingKind::MissingObject),
        ]
    );
    let m = repo.latest("prod").await.expect("latest").expect("backup");
    let e = read_object(&repo, &m, "a", &identity(&key_file))
        .await
        .expect_err("truncated");
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(e.render(Lang::En).contains("its manifest says"), "{e}");
    let e = read_object(&repo, &m, "b", &identity(&key_file))
        .await
        .expect_err("missing");
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(e.render(Lang::En).contains("is missing"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_without_manifest_is_listed_as_incomplete() {
    let server = S3Server::start();
    let dir = tempfile::tempdir().expect("tmp");
    let (_, r) = keypair(dir.path(), "k");
    let keys = RepoKeys::recipients(vec![r]);
    let root = dir.path().join("repo");
    let local = local_repo(&root, &keys).await;
    let s3 = s3_repo(&server, "inc", &keys).await;
    let id = BackupId::new();
    // Objects stored, then the process "dies" before the manifest.
    {
        let backup = BackupWriter::begin(
            "prod",
            id,
            vec![(local.clone(), keys.clone()), (s3.clone(), keys.clone())],
            WriteOptions::default(),
        )
        .expect("begin");
        let mut o = backup.object("schema.sql").expect("object");
        o.write(Gen::new(1).chunk(70_000)).await.expect("write");
        o.finish().await.expect("finish");
    }
    // And a second one killed mid-object on the local disk: only a `.partial` is left.
    let killed = BackupId::new();
    let partial = root.join(format!("backups/prod/{killed}/data.copy.partial"));
    std::fs::create_dir_all(partial.parent().expect("parent")).expect("mkdir");
    std::fs::write(&partial, b"half").expect("partial");

    for repo in [&local, &s3] {
        let list = repo.list(Some("prod")).await.expect("list");
        let first = list.iter().find(|e| e.id == id).expect("listed");
        assert!(
            matches!(first.state, BackupState::Incomplete),
            "{:?}",
            first.state
        );
        assert!(!first.is_complete());
        assert_eq!(first.stored.len(), 1);
        assert_eq!(first.stored[0].key, "schema.sql");
        assert!(first.stored_size_bytes > 0);
        assert!(
            repo.latest("prod").await.expect("latest").is_none(),
            "never as good"
        );
        let report = repo.check(false).await.expect("check");
        assert!(report
            .findings
            .iter()
            .any(|f| f.key == format!("backups/prod/{id}/")
                && matches!(f.kind, FindingKind::IncompleteBackup { objects: 1, .. })));
        assert!(!report.has_damage(), "leftovers are not damage");
    }
    let list = local.list(None).await.expect("list");
    let k = list
        .iter()
        .find(|e| e.id == killed)
        .expect("killed backup listed");
    assert!(matches!(k.state, BackupState::Incomplete));
    assert_eq!(k.stored[0].key, "data.copy.partial");
    // JSON output says so in a stable field.
    let json = serde_json::to_value(k).expect("json");
    assert_eq!(json["status"], "incomplete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orphaned_and_stray_objects_are_found() {
    let dir = tempfile::tempdir().expect("tmp");
    let keys = RepoKeys::unencrypted(false);
    let root = dir.path().join("repo");
    let repo = local_repo(&root, &keys).await;
    let id = BackupId::new();
    write_backup(&[(repo.clone(), keys)], "prod", id, &[("a", 100)]).await;
    std::fs::write(object_path(&root, &id, "leftover.copy"), b"x").expect("orphan");
    std::fs::write(root.join("backups/prod/README"), b"x").expect("stray");
    let report = repo.check(false).await.expect("check");
    let found: Vec<(&str, &FindingKind)> = report
        .findings
        .iter()
        .map(|f| (f.key.as_str(), &f.kind))
        .collect();
    assert!(
        found.contains(&("backups/prod/README", &FindingKind::StrayObject)),
        "{found:?}"
    );
    let orphan = format!("backups/prod/{id}/leftover.copy");
    assert!(
        found.contains(&(orphan.as_str(), &FindingKind::OrphanedObject)),
        "{found:?}"
    );
    // Deleting the backup takes its orphans along.
    assert_eq!(repo.delete_backup("prod", &id).await.expect("delete"), 2);
    assert!(!root.join(format!("backups/prod/{id}")).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_backup_cannot_be_deleted_until_unpinned() {
    let server = S3Server::start();
    let keys = RepoKeys::unencrypted(true);
    let repo = s3_repo(&server, "pin", &keys).await;
    let id = BackupId::new();
    write_backup(
        &[(repo.clone(), keys)],
        "prod",
        id,
        &[("a", 100), ("b", 200)],
    )
    .await;
    let m = repo.set_pinned("prod", &id, true).await.expect("pin");
    assert!(m.pinned);
    assert!(repo.list(None).await.expect("list")[0].summary().pinned);
    let e = repo.delete_backup("prod", &id).await.expect_err("pinned");
    assert_eq!(e.kind, ErrorKind::Usage);
    assert!(e.render(Lang::En).contains("legal hold"), "{e}");
    repo.set_pinned("prod", &id, false).await.expect("unpin");
    assert_eq!(repo.delete_backup("prod", &id).await.expect("delete"), 2);
    assert!(repo.list(None).await.expect("list").is_empty());
    let e = repo.delete_backup("prod", &id).await.expect_err("gone");
    assert_eq!(e.kind, ErrorKind::Usage);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_plan_prunes_a_real_repository() {
    use chrono::TimeZone;
    let dir = tempfile::tempdir().expect("tmp");
    let keys = RepoKeys::unencrypted(false);
    let root = dir.path().join("repo");
    let repo = local_repo(&root, &keys).await;
    let day = |d: u32| {
        BackupId::with_suffix(
            chrono::Utc
                .with_ymd_and_hms(2026, 11, d, 17, 30, 0)
                .single()
                .expect("time"),
            0x1000 + d as u16,
        )
    };
    for d in 20..=24 {
        write_backup(
            &[(repo.clone(), keys.clone())],
            "prod",
            day(d),
            &[("a", 100)],
        )
        .await;
    }
    // An older killed backup, and a pinned old one.
    std::fs::create_dir_all(root.join(format!("backups/prod/{}", day(19)))).expect("mkdir");
    std::fs::write(root.join(format!("backups/prod/{}/a", day(19))), b"x").expect("leftover");
    repo.set_pinned("prod", &day(20), true).await.expect("pin");

    let entries = repo.list(Some("prod")).await.expect("list");
    let summaries: Vec<BackupSummary> = entries.iter().map(BackupEntry::summary).collect();
    let policy = Retention {
        keep_last: Some(2),
        ..Retention::default()
    };
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 25, 0, 0, 0)
        .single()
        .expect("now");
    let decisions = plan(&summaries, &policy, now);
    for d in decisions.iter().filter(|d| !d.keep) {
        repo.delete_backup(&d.target, &d.id).await.expect("prune");
    }
    let left: Vec<BackupId> = repo
        .list(Some("prod"))
        .await
        .expect("list")
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(left, [day(20), day(23), day(24)]);
    assert!(repo.check(true).await.expect("check").is_clean());
}
