//! `backup`, `restore` and `backups` through the binary on real PostgreSQL servers, a local
//! repository and a real S3 server on loopback. Every comparison uses pg_dump and psql, never
//! dbkeeper's own code.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use dbkeeper_testkit::s3::S3Server;
use dbkeeper_testkit::{run, url_of, Cli, PgOptions, ScratchInstance, ScratchPostgres};

fn with_s3(cmd: &mut assert_cmd::Command, s3: &S3Server) {
    cmd.env("AWS_ACCESS_KEY_ID", &s3.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &s3.secret_key);
}

fn config(c: &Cli, src: &str, repos: &str) -> std::path::PathBuf {
    c.write(
        "dbkeeper.yaml",
        &format!("version: 1\ntargets:\n  src:\n    url: {src}\nrepos:\n{repos}"),
    )
}

fn hard_source() -> ScratchPostgres {
    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE DATABASE hard");
    psql_file(&pg, "hard", &pg_fixture("hard.sql"));
    pg
}

#[test]
fn logical_round_trip_through_a_local_and_an_s3_repository() {
    let src = hard_source();
    let c = cli();
    let (key, recipient) = keygen(&c, "backup.key");
    let s3 = S3Server::start();
    let repo_dir = c.work_dir().join("repo");
    config(
        &c,
        &url_of(&src, Some("hard")),
        &format!(
            "  local:\n    url: file://{}\n    encryption: {{recipients: [{recipient}], identity: {}}}\n    retention: {{keep_last: 2}}\n  offsite:\n    url: \"{}\"\n    encryption: {{recipients: [{recipient}]}}\n",
            repo_dir.display(),
            key.display(),
            s3.url("pg")
        ),
    );

    // One dump, two repositories, globals included (the fixture's roles own its objects).
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, out, err) = run(cmd.args([
        "--format",
        "json",
        "backup",
        "src",
        "--repo",
        "local",
        "--repo",
        "offsite",
        "--globals",
        "--jobs",
        "3",
    ]));
    assert_eq!(code, 0, "{err}\n{out}");
    let b = json(&out);
    let id = b["id"].as_str().expect("id").to_string();
    let repos = b["repos"].as_array().expect("repos");
    assert_eq!(repos.len(), 2);
    for r in repos {
        assert!(r["manifest"].is_object(), "complete in {}: {r}", r["repo"]);
    }
    // Row counts in the manifest come from the backup's snapshot: equal to what psql counts.
    let tables = b["repos"][0]["manifest"]["tables"]
        .as_array()
        .expect("tables");
    assert!(tables.len() >= 5, "{tables:?}");
    for t in tables {
        let q = format!(
            "SELECT count(*) FROM ONLY {}.{}",
            quote(t["schema"].as_str().expect("schema")),
            quote(t["table"].as_str().expect("table"))
        );
        assert_eq!(psql(&src, "hard", &q), t["rows"].to_string(), "rows of {t}");
    }
    // Encrypted at rest: not even a role's password hash or a row's text is readable.
    for f in files(&repo_dir)
        .iter()
        .chain(files(&s3.bucket_dir()).iter())
    {
        let bytes = std::fs::read(f).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SCRAM-SHA-256$"),
            "{} holds a password hash",
            f.display()
        );
        assert!(
            !text.contains("CREATE TABLE"),
            "{} holds clear SQL",
            f.display()
        );
    }

    // Inspections now see a fresh local and offsite backup of the target (from the ledger).
    let (_, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "inspect",
        "src",
        "--only",
        "PG-BAK-001,PG-BAK-003",
    ]));
    let report = json(&out);
    for id in ["PG-BAK-001", "PG-BAK-003"] {
        let f = finding(&report, id, &err);
        assert_eq!(f["status"], "ok", "{id}: {f}");
    }

    let (code, out, err) = run(c
        .cmd()
        .args(["--format", "json", "backups", "list", "--repo", "local"]));
    assert_eq!(code, 0, "{err}");
    let list = json(&out);
    assert_eq!(list[0]["backup"]["id"], id.as_str());
    assert_eq!(list[0]["backup"]["status"], "complete");

    // Restore from S3 into a fresh server: schema and every row as pg_dump and psql see them.
    let dst = dbkeeper_testkit::postgres();
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, out, err) = run(cmd
        .args([
            "restore",
            "latest",
            "--target",
            "src",
            "--repo",
            "offsite",
            "--globals",
            "--identity",
        ])
        .arg(&key)
        .args(["--to", &url_of(&dst, Some("hard"))]));
    assert_eq!(code, 0, "{err}\n{out}");
    assert_eq!(pg_schema(&src, "hard"), pg_schema(&dst, "hard"));
    let before = pg_data(&src, "hard");
    assert_same_maps("restored from S3", &before, &pg_data(&dst, "hard"));

    // Never over data unasked: the second restore is refused and changes nothing.
    psql(&dst, "hard", "CREATE TABLE public.added_after (x int)");
    let (code, _, err) = run(c.cmd().args([
        "restore",
        &id,
        "--repo",
        "local",
        "--to",
        &url_of(&dst, Some("hard")),
    ]));
    assert_ne!(
        code, 0,
        "restore over a database with tables must be refused"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(
        psql(
            &dst,
            "hard",
            "SELECT to_regclass('public.added_after') IS NOT NULL"
        ) == "t"
    );
    // With --force it is replaced: the extra table is gone, the rest equal again. The key
    // comes from the config's `identity:` this time.
    let (code, _, err) = run(c.cmd().args([
        "restore",
        &id,
        "--repo",
        "local",
        "--force",
        "--to",
        &url_of(&dst, Some("hard")),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        psql(
            &dst,
            "hard",
            "SELECT to_regclass('public.added_after') IS NULL"
        ),
        "t"
    );
    assert_same_maps("forced restore", &before, &pg_data(&dst, "hard"));

    // Into another database name on the same server.
    let (code, _, err) = run(c.cmd().args([
        "restore",
        &id,
        "--repo",
        "local",
        "--database",
        "hard_copy",
        "--to",
        &url_of(&dst, Some("postgres")),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_same_maps("renamed restore", &before, &pg_data(&dst, "hard_copy"));

    // The audit log has every action, and its chain holds.
    let audit = std::fs::read_to_string(c.audit_path()).expect("audit");
    for action in ["\"backup\"", "\"restore\""] {
        assert!(audit.contains(action), "{action} in {audit}");
    }
    let (code, _, err) = run(c.cmd().args(["audit", "verify"]));
    assert_eq!(code, 0, "{err}");
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// A small database for the fault tests.
fn small_source() -> ScratchPostgres {
    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE DATABASE shop");
    psql(
        &pg,
        "shop",
        "CREATE TABLE orders (id int PRIMARY KEY, note text);
         INSERT INTO orders SELECT g, repeat('订单 ' || g, 20) FROM generate_series(1, 20000) g;
         CREATE TABLE big (id int PRIMARY KEY, v text);
         INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 5000) g;",
    );
    pg
}

fn db_exists(s: &dyn ScratchInstance, db: &str) -> bool {
    psql(
        s,
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{db}'"),
    ) == "1"
}

#[test]
fn damage_wrong_keys_and_clear_text_are_refused() {
    let src = small_source();
    let c = cli();
    let (wrong, _) = keygen(&c, "wrong.key");
    let repo_dir = c.work_dir().join("repo");
    let url = url_of(&src, Some("shop"));
    let Encrypted { key, repo, id } = encrypted_backup(&c, &url);
    let dst = dbkeeper_testkit::postgres();
    let to = url_of(&dst, Some("shop"));

    // A wrong key: refused before anything reaches the destination.
    let (code, _, err) = run(c
        .cmd()
        .args(["restore", &id, "--repo", &repo, "--to", &to, "--identity"])
        .arg(&wrong));
    assert_eq!(code, 65, "{err}");
    assert!(!db_exists(&dst, "shop"), "nothing applied with a wrong key");
    // No key at all for an encrypted repository: says how to give one.
    let (code, _, err) = run(c.cmd().args(["restore", &id, "--repo", &repo, "--to", &to]));
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("--identity"), "{err}");
    // Clear text into the encrypted repository: refused (fail closed), nothing written.
    let (code, _, err) = run(c.cmd().args(["backup", &url, "--repo", &repo]));
    assert_eq!(code, 78, "{err}");
    // An S3 repository without encryption: refused before the dump starts.
    let s3 = S3Server::start();
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, _, err) = run(cmd.args(["backup", &url, "--repo", &s3.url("clear")]));
    assert_eq!(code, 78, "{err}");
    assert!(files(&s3.bucket_dir())
        .iter()
        .all(|f| !f.to_string_lossy().contains("/backups/")));

    // One flipped byte in the biggest object: check --read-data names it; restore refuses.
    let objects: Vec<_> = files(&repo_dir.join("backups"))
        .into_iter()
        .filter(|f| !f.ends_with("manifest.json"))
        .collect();
    let biggest = objects
        .iter()
        .max_by_key(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .expect("objects")
        .clone();
    let mut bytes = std::fs::read(&biggest).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&biggest, &bytes).expect("write");
    let name = biggest
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let (code, out, err) = run(c
        .cmd()
        .args(["backups", "check", "--repo", &repo, "--read-data"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains(&name),
        "names the altered object {name}:\n{out}"
    );
    let (code, _, err) = run(c
        .cmd()
        .args(["restore", &id, "--repo", &repo, "--to", &to, "--identity"])
        .arg(&key));
    assert_eq!(code, 65, "{err}");
    assert!(err.contains(&name), "{err}");
    assert!(
        !db_exists(&dst, "shop"),
        "nothing applied from a damaged backup"
    );

    // A truncated object is found without reading data; a missing one too.
    bytes[mid] ^= 0x01;
    std::fs::write(&biggest, &bytes[..bytes.len() - 7]).expect("truncate");
    let (code, out, _) = run(c
        .cmd()
        .args(["--format", "json", "backups", "check", "--repo", &repo]));
    assert_eq!(code, 2);
    assert!(out.contains("truncated_object"), "{out}");
    std::fs::remove_file(&biggest).expect("remove");
    let (code, out, _) = run(c
        .cmd()
        .args(["--format", "json", "backups", "check", "--repo", &repo]));
    assert_eq!(code, 2);
    assert!(out.contains("missing_object"), "{out}");
}

/// Holds an exclusive lock on a table so that a backup blocks inside its dump, at a known point.
fn hold_lock(s: &dyn ScratchInstance, db: &str, table: &str) -> Child {
    let t = s.target();
    let child = Command::new("psql")
        .args([
            "-X",
            "-h",
            "127.0.0.1",
            "-p",
            &t.port.to_string(),
            "-U",
            &t.user,
            "-d",
            db,
            "-c",
        ])
        .arg(format!(
            "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(300);"
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("psql");
    let deadline = Instant::now() + Duration::from_secs(20);
    while psql(s, db, &format!("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '{table}' AND l.mode = 'AccessExclusiveLock' AND l.granted")) != "1" {
        assert!(Instant::now() < deadline, "lock not taken");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

/// Ends the session holding the lock (killing psql alone would leave its backend asleep).
fn release_lock(s: &dyn ScratchInstance, db: &str, table: &str, locker: &mut Child) {
    psql(
        s,
        db,
        &format!(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = '{table}' AND l.mode = 'AccessExclusiveLock' AND l.granted"
        ),
    );
    let _ = locker.kill();
    let _ = locker.wait();
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_killed_backup_is_incomplete_and_a_second_one_waits_for_nobody() {
    let src = small_source();
    let c = cli();
    let repo_dir = c.work_dir().join("repo");
    config(
        &c,
        &url_of(&src, Some("shop")),
        &format!(
            "  local:\n    url: file://{}\n    retention: {{keep_last: 1}}\n",
            repo_dir.display()
        ),
    );
    // The first backup blocks inside its dump (the table is locked) after writing the globals.
    let mut locker = hold_lock(&src, "shop", "big");
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_dbkeeper"));
    first
        .current_dir(c.work_dir())
        .env("DBKEEPER_STATE_DIR", c.state_dir())
        .env("HOME", c.work_dir())
        .args(["-q", "backup", "src", "--repo", "local", "--globals"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut first = first.spawn().expect("spawn");
    wait_for("the lock and a first object", || {
        repo_dir.join("locks/src.lock").exists() && !files(&repo_dir.join("backups/src")).is_empty()
    });

    // A second backup of the same target: refused at once, naming the running one.
    let (code, _, err) = run(c.cmd().args(["backup", "src", "--repo", "local"]));
    assert_eq!(code, 75, "{err}");
    assert!(
        err.contains(&first.id().to_string()),
        "names the holder's pid: {err}"
    );

    // kill -9 mid-dump: the folder stays, without a manifest, and every command says so.
    first.kill().expect("kill -9");
    first.wait().expect("reap");
    release_lock(&src, "shop", "big", &mut locker);
    let (code, out, _) = run(c.cmd().args(["--format", "json", "backups", "list"]));
    assert_eq!(code, 0);
    let list = json(&out);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{out}");
    assert_eq!(list[0]["backup"]["status"], "incomplete", "{out}");
    let (code, out, _) = run(c.cmd().args(["backups", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("INCOMPLETE"), "{out}");
    let dead = list[0]["backup"]["id"].as_str().expect("id").to_string();
    let (code, _, err) = run(c.cmd().args([
        "restore",
        &dead,
        "--repo",
        "local",
        "--to",
        &url_of(&src, Some("x")),
    ]));
    assert_eq!(code, 65, "an incomplete backup is never restored: {err}");

    // The next backup takes the dead process's lock over and completes. (Ids are per second:
    // a second later it is unambiguously the newer one.)
    std::thread::sleep(Duration::from_millis(1100));
    let (code, _, err) = run(c.cmd().args(["backup", "src", "--repo", "local"]));
    assert_eq!(code, 0, "{err}");
    // Retention: the incomplete one goes (never restorable), the complete one stays.
    let (code, out, _) = run(c
        .cmd()
        .args(["--format", "json", "backups", "prune", "--dry-run"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("\"incomplete\""), "{out}");
    assert!(
        repo_dir.join("backups/src").join(&dead).exists(),
        "dry run deletes nothing"
    );
    let (code, _, err) = run(c.cmd().args(["backups", "prune"]));
    assert_eq!(code, 0, "{err}");
    assert!(!repo_dir.join("backups/src").join(&dead).exists());
    let (_, out, _) = run(c.cmd().args(["--format", "json", "backups", "list"]));
    let list = json(&out);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["backup"]["status"], "complete");
}

/// Post-data goes through `pg_restore --jobs`: a failure there (a policy for a role the
/// destination lacks) stops the restore with pg_restore's own words and drops the database it
/// had created; once the role exists, the same backup restores with every index, constraint and
/// policy.
#[test]
fn a_failing_post_data_step_leaves_no_half_restored_database() {
    let src = small_source();
    psql(
        &src,
        "shop",
        "CREATE ROLE auditor;
         CREATE TABLE lines (order_id int REFERENCES orders (id), n int, PRIMARY KEY (order_id, n));
         INSERT INTO lines SELECT g, 1 FROM generate_series(1, 100) g;
         CREATE INDEX orders_note ON orders (note);
         ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
         CREATE POLICY audit_read ON orders FOR SELECT TO auditor USING (id > 0);",
    );
    let c = cli();
    let Encrypted { key, repo, id } = encrypted_backup(&c, &url_of(&src, Some("shop")));
    let dst = dbkeeper_testkit::postgres();
    let to = url_of(&dst, Some("shop"));
    let restore = || {
        run(c
            .cmd()
            .args([
                "restore",
                &id,
                "--repo",
                &repo,
                "--to",
                &to,
                "--jobs",
                "2",
                "--identity",
            ])
            .arg(&key))
    };

    let (code, _, err) = restore();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("post-data.dump"), "names the object: {err}");
    assert!(
        err.contains("role \"auditor\" does not exist"),
        "pg_restore's words: {err}"
    );
    assert!(
        !db_exists(&dst, "shop"),
        "the half-restored database is dropped"
    );

    psql(&dst, "postgres", "CREATE ROLE auditor");
    let (code, _, err) = restore();
    assert_eq!(code, 0, "{err}");
    let schema = |s: &dyn ScratchInstance| {
        psql(
            s,
            "shop",
            "SELECT string_agg(x, E'\\n' ORDER BY x) FROM (
               SELECT indexdef AS x FROM pg_indexes WHERE schemaname = 'public'
               UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE connamespace = 'public'::regnamespace
               UNION ALL SELECT policyname || ' ' || array_to_string(roles, ',') || ' ' || qual
                 FROM pg_policies) s",
        )
    };
    let restored = schema(&dst);
    assert_eq!(restored, schema(&src));
    assert!(restored.contains("audit_read auditor"), "{restored}");
    assert!(restored.contains("FOREIGN KEY (order_id)"), "{restored}");
    assert_eq!(
        psql(&dst, "shop", "SELECT count(*) FROM lines"),
        "100",
        "rows are there"
    );
}

#[test]
fn retention_keeps_pinned_and_newest_and_says_why() {
    let src = small_source();
    let c = cli();
    let repo_dir = c.work_dir().join("repo");
    config(
        &c,
        &url_of(&src, Some("shop")),
        &format!(
            "  local:\n    url: file://{}\n    retention: {{keep_last: 1}}\n",
            repo_dir.display()
        ),
    );
    let mut ids = Vec::new();
    for _ in 0..3 {
        let (code, out, err) = run(c
            .cmd()
            .args(["--format", "json", "backup", "src", "--repo", "local"]));
        assert_eq!(code, 0, "{err}");
        ids.push(json(&out)["id"].as_str().expect("id").to_string());
        std::thread::sleep(Duration::from_millis(1100)); // ids are per second
    }
    let (code, _, err) = run(c.cmd().args(["backups", "pin", &ids[0], "--repo", "local"]));
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(c.cmd().args(["backups", "prune", "--dry-run"]));
    assert_eq!(code, 0);
    assert!(out.contains("would delete"), "{out}");
    let (code, out, _) = run(c.cmd().args(["--format", "json", "backups", "prune"]));
    assert_eq!(code, 0, "{out}");
    let o = json(&out);
    let deleted: Vec<&str> = o[0]["deleted"]
        .as_array()
        .expect("deleted")
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(
        deleted,
        vec![ids[1].as_str()],
        "only the unpinned older one goes: {out}"
    );
    for kept in [&ids[0], &ids[2]] {
        assert!(repo_dir
            .join("backups/src")
            .join(kept)
            .join("manifest.json")
            .exists());
    }
    let audit = std::fs::read_to_string(c.audit_path()).expect("audit");
    assert!(
        audit.contains("backups.prune") && audit.contains("backups.pin"),
        "{audit}"
    );
}

#[test]
fn physical_backup_restores_into_a_data_directory_that_starts() {
    let src = hard_source();
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let url = url_of(&src, Some("hard"));
    let (code, _, err) = run(c.cmd().args([
        "backup",
        &url,
        "--name",
        "src",
        "--kind",
        "physical",
        "--repo",
        &repo,
        "--recipient",
        &recipient,
    ]));
    assert_eq!(code, 0, "{err}");
    // A physical backup is not loaded into a running server.
    let (code, _, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "src",
            "--repo",
            &repo,
            "--to",
            &url,
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 64, "{err}");
    assert!(err.contains("--to-dir"), "{err}");

    let dir = dbkeeper_postgres::scratch::ScratchDataDir::create().expect("data dir");
    let (code, out, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "src",
            "--repo",
            &repo,
            "--identity",
        ])
        .arg(&key)
        .arg("--to-dir")
        .arg(dir.path()));
    assert_eq!(code, 0, "{err}\n{out}");
    // A second restore into the now non-empty directory is refused.
    let (code, _, err) = run(c
        .cmd()
        .args([
            "restore",
            "latest",
            "--target",
            "src",
            "--repo",
            &repo,
            "--identity",
        ])
        .arg(&key)
        .arg("--to-dir")
        .arg(dir.path()));
    assert_ne!(code, 0, "{err}");
    let restored = ScratchPostgres::start_from(dir, PgOptions::default())
        .expect("starts on the restored files");
    assert_same_maps(
        "physical",
        &pg_data_logged(&src, "hard"),
        &pg_data_logged(&restored, "hard"),
    );
    assert_eq!(pg_schema(&src, "hard"), pg_schema(&restored, "hard"));
}

#[test]
fn an_s3_server_that_stops_mid_backup_leaves_no_complete_looking_backup() {
    let src = small_source();
    let c = cli();
    let (_key, recipient) = keygen(&c, "k.key");
    let mut s3 = S3Server::start();
    config(
        &c,
        &url_of(&src, Some("shop")),
        &format!(
            "  offsite:\n    url: \"{}\"\n    encryption: {{recipients: [{recipient}]}}\n    retention: {{keep_last: 1}}\n",
            s3.url("pg")
        ),
    );
    // The dump blocks on a locked table after the globals are stored.
    let mut locker = hold_lock(&src, "shop", "big");
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_dbkeeper"));
    first
        .current_dir(c.work_dir())
        .env("DBKEEPER_STATE_DIR", c.state_dir())
        .env("HOME", c.work_dir())
        .env("AWS_ACCESS_KEY_ID", &s3.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &s3.secret_key)
        .args(["-q", "backup", "src", "--repo", "offsite", "--globals"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let first = first.spawn().expect("spawn");
    let stored = s3.bucket_dir().join("pg/backups/src");
    wait_for("the first object in S3", || !files(&stored).is_empty());
    // The store goes away; then the dump goes on and has nowhere to write.
    s3.stop();
    release_lock(&src, "shop", "big", &mut locker);
    let out = first.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a backup whose store went away fails: {err}"
    );
    assert!(err.contains("127.0.0.1"), "says which store: {err}");

    s3.restart();
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, out, err) = run(cmd.args(["--format", "json", "backups", "list"]));
    assert_eq!(code, 0, "{err}");
    let list = json(&out);
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|b| b["backup"]["status"] != "complete"),
        "nothing looks complete: {out}"
    );
    // The next backup completes; retention then clears what the failed one left.
    std::thread::sleep(Duration::from_millis(1100));
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, _, err) = run(cmd.args(["backup", "src", "--repo", "offsite"]));
    assert_eq!(code, 0, "{err}");
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, _, err) = run(cmd.args(["backups", "prune"]));
    assert_eq!(code, 0, "{err}");
    let mut cmd = c.cmd();
    with_s3(&mut cmd, &s3);
    let (code, out, err) = run(cmd.args(["--format", "json", "backups", "check", "--read-data"]));
    assert_eq!(code, 0, "clean after prune: {out}{err}");
    assert!(
        s3.pending_uploads().is_empty(),
        "{:?}",
        s3.pending_uploads()
    );
}
