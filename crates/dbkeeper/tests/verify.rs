//! `dbkeeper verify` (restore drills) through the binary: a backup is restored into a scratch
//! server the drill starts itself, checked, timed and reported.

mod common;

use common::*;
use dbkeeper_testkit::{run, url_of, Cli, ScratchInstance};
use sha2::{Digest, Sha256};

/// A backup with the roles / users, so that a fresh server can own what it restores.
fn backup(c: &Cli, url: &str, repo: &str, recipient: &str, kind: &str) -> String {
    let (code, out, err) = run(c.cmd().args([
        "--format",
        "json",
        "backup",
        url,
        "--name",
        "src",
        "--repo",
        repo,
        "--recipient",
        recipient,
        "--kind",
        kind,
        "--globals",
    ]));
    assert_eq!(code, 0, "{err}");
    json(&out)["id"].as_str().expect("id").to_string()
}

/// `verify ID --repo REPO --identity KEY --format json`: (exit code, stdout, stderr).
fn drill(c: &Cli, id: &str, repo: &str, key: &std::path::Path) -> (i32, String, String) {
    run(c
        .cmd()
        .args([
            "--format",
            "json",
            "verify",
            id,
            "--repo",
            repo,
            "--identity",
        ])
        .arg(key))
}

fn check<'a>(report: &'a serde_json::Value, kind: &str, name: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["kind"] == kind && c["name"].as_str().is_some_and(|n| n.contains(name)))
        .unwrap_or_else(|| panic!("no {kind} check {name} in {report:#}"))
}

#[test]
fn a_postgres_drill_passes_reports_and_catches_a_lying_manifest() {
    let src = dbkeeper_testkit::postgres();
    psql(&src, "postgres", "CREATE DATABASE hard");
    psql_file(&src, "hard", &pg_fixture("hard.sql"));
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo_dir = c.work_dir().join("repo");
    let repo = format!("file://{}", repo_dir.display());
    let id = backup(
        &c,
        &url_of(&src, Some("hard")),
        &repo,
        &recipient,
        "logical",
    );

    let html = c.work_dir().join("drill.html");
    let js = c.work_dir().join("drill.json");
    let (code, out, err) = run(c
        .cmd()
        .args([
            "--format",
            "json",
            "verify",
            &id,
            "--repo",
            &repo,
            "--rto-max",
            "10m",
            "--identity",
        ])
        .arg(&key)
        .arg("--report")
        .arg(&html)
        .arg("--report")
        .arg(&js));
    assert_eq!(code, 0, "{err}\n{out}");
    let r = json(&out);
    assert_eq!(r["verdict"], "pass", "{r:#}");
    assert_eq!(r["backup_id"], id.as_str());
    // Every table of the manifest was counted in the restored copy, by psql-independent SQL.
    let tables = r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["kind"] == "rows")
        .count();
    assert!(tables >= 5, "{r:#}");
    assert_eq!(check(&r, "engine", "amcheck")["verdict"], "pass");
    assert_eq!(check(&r, "objects", "triggers")["verdict"], "pass");
    assert_eq!(check(&r, "rto", "RTO")["verdict"], "pass");
    assert_eq!(r["teardown"]["process_left"], false);
    assert_eq!(r["teardown"]["directory_left"], false);
    let pid = r["teardown"]["server_pid"]
        .as_u64()
        .expect("a scratch server ran");
    assert!(!dbkeeper_core::scratch::process_alive(pid as u32));
    // The report files; the JSON one's hash is what the audit log keeps.
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("PASS") && page.contains(&id), "{page}");
    let file_sha = hex::encode(Sha256::digest(std::fs::read(&js).expect("json report")));
    let audit = std::fs::read_to_string(c.audit_path()).expect("audit");
    assert!(
        audit.contains(&file_sha),
        "report hash {file_sha} in the audit log:\n{audit}"
    );
    // `backups list` says when each backup was last proven, and how it went.
    let (_, out, _) = run(c
        .cmd()
        .args(["--format", "json", "backups", "list", "--repo", &repo]));
    let list = json(&out);
    assert_eq!(list[0]["last_drill"]["passed"], true, "{list:#}");
    assert_eq!(list[0]["last_drill"]["report_sha256"], file_sha.as_str());
    let (_, out, _) = run(c.cmd().args(["backups", "list", "--repo", &repo]));
    assert!(out.contains("passed"), "{out}");

    // Inspections of the target named `src` now know its last drill.
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  src: {{url: \"{}\"}}\n",
            url_of(&src, Some("hard"))
        ),
    );
    let (_, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", "src", "--only", "PG-BAK-004"]));
    let f = &json(&out)[0]["findings"][0];
    assert_eq!(f["status"], "ok", "{f}");

    // In Chinese, for the customer's file.
    let md = c.work_dir().join("演练报告.md");
    let (code, _, err) = run(c
        .cmd()
        .args([
            "--lang",
            "zh-CN",
            "verify",
            "--latest",
            "src",
            "--repo",
            &repo,
            "--identity",
        ])
        .arg(&key)
        .arg("--report")
        .arg(&md));
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&md).expect("md");
    assert!(
        text.contains("还原演练报告") && text.contains("通过"),
        "{text}"
    );
    assert!(
        text.contains("每个对象的大小和 SHA-256"),
        "check names in Chinese too: {text}"
    );
    assert!(!text.contains("every object's size"), "{text}");

    // A manifest whose counts do not match the data: the drill says which table.
    let manifest = repo_dir.join("backups/src").join(&id).join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("read")).expect("json");
    let t = &mut m["tables"][0];
    let name = t["table"].as_str().expect("table").to_string();
    let rows = t["rows"].as_u64().expect("rows");
    t["rows"] = serde_json::json!(rows + 1);
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let (code, out, _) = drill(&c, &id, &repo, &key);
    assert_eq!(code, 2, "{out}");
    let r = json(&out);
    assert_eq!(r["verdict"], "fail");
    // (The restore itself cross-checks the manifest with the backup's table of contents.)
    let named = r["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["verdict"] == "fail")
        .any(|c| c.to_string().contains(&name) && c.to_string().contains(&(rows + 1).to_string()));
    assert!(named, "a failed check names {name} and the count: {r:#}");
}

#[test]
fn a_damaged_backup_fails_before_anything_is_restored() {
    let src = dbkeeper_testkit::postgres();
    psql(&src, "postgres", "CREATE DATABASE shop");
    psql(
        &src,
        "shop",
        "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 5000) g",
    );
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo_dir = c.work_dir().join("repo");
    let repo = format!("file://{}", repo_dir.display());
    let id = backup(
        &c,
        &url_of(&src, Some("shop")),
        &repo,
        &recipient,
        "logical",
    );
    // Every configured target's newest backup: one drill each.
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  src: {{url: \"{}\"}}\n",
            url_of(&src, Some("shop"))
        ),
    );
    let (code, out, err) = run(c
        .cmd()
        .args([
            "--format",
            "json",
            "verify",
            "--all",
            "--repo",
            &repo,
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 0, "{err}\n{out}");
    let all = json(&out);
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    assert_eq!(all[0]["verdict"], "pass");
    // The cheap pass: all of it at 100 %, no key needed.
    let (code, out, err) = run(c.cmd().args([
        "--format", "json", "verify", "--sample", "100", "--repo", &repo,
    ]));
    assert_eq!(code, 0, "{err}");
    let sampled = json(&out);
    assert!(sampled["objects_checked"].as_u64() > Some(0));
    assert_eq!(sampled["objects_checked"], sampled["objects_total"]);

    let victim = files(&repo_dir.join("backups/src").join(&id))
        .into_iter()
        .filter(|f| !f.ends_with("manifest.json"))
        .max_by_key(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .expect("objects");
    let mut bytes = std::fs::read(&victim).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    std::fs::write(&victim, &bytes).expect("write");
    let name = victim
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let (code, out, _) = run(c.cmd().args(["verify", "--sample", "100", "--repo", &repo]));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(&name) && out.contains("1 damaged"), "{out}");
    let (code, _, _) = run(c
        .cmd()
        .args(["verify", "--all", "--repo", &repo, "--identity"])
        .arg(&key));
    assert_eq!(code, 2);
    let (code, out, _) = drill(&c, &id, &repo, &key);
    assert_eq!(code, 2, "{out}");
    let r = json(&out);
    assert_eq!(r["verdict"], "fail");
    let integrity = check(&r, "integrity", "SHA-256");
    assert_eq!(integrity["verdict"], "fail");
    assert!(
        integrity["actual"]
            .as_str()
            .is_some_and(|a| a.contains(&name)),
        "{integrity}"
    );
    assert!(
        r["teardown"]["server_pid"].is_null(),
        "no scratch server for a damaged backup"
    );
}

#[test]
fn mariadb_logical_and_postgres_physical_drills_pass() {
    let my = dbkeeper_testkit::mariadb();
    mariadb_file(&my, &my_fixture());
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let id = backup(&c, &url_of(&my, None), &repo, &recipient, "logical");
    let (code, out, err) = drill(&c, &id, &repo, &key);
    assert_eq!(code, 0, "{err}\n{out}");
    let r = json(&out);
    assert_eq!(check(&r, "engine", "CHECK TABLE")["verdict"], "pass");
    assert_eq!(check(&r, "objects", "routines")["verdict"], "pass");
    // Inspections of the target named `src` see the drill (MY-BAK-004).
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  src: {{url: \"{}\"}}\n",
            url_of(&my, None)
        ),
    );
    let (_, out, _) =
        run(c
            .cmd()
            .args(["--format", "json", "inspect", "src", "--only", "MY-BAK-004"]));
    let f = json(&out)[0]["findings"][0].clone();
    assert_eq!(
        (f["check"].as_str(), f["status"].as_str()),
        (Some("MY-BAK-004"), Some("ok")),
        "{f}"
    );
    // The same server, physically: prepared with mariabackup and started by the drill.
    let id = backup(&c, &url_of(&my, None), &repo, &recipient, "physical");
    let (code, out, err) = drill(&c, &id, &repo, &key);
    assert_eq!(code, 0, "{err}\n{out}");
    let r = json(&out);
    assert_eq!(r["kind"], "physical");
    assert_eq!(check(&r, "engine", "CHECK TABLE")["verdict"], "pass");
    assert_eq!(r["teardown"]["directory_left"], false);

    let pg = dbkeeper_testkit::postgres();
    psql(&pg, "postgres", "CREATE DATABASE shop");
    psql(
        &pg,
        "shop",
        "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g; CREATE INDEX ON t (id)",
    );
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let id = backup(
        &c,
        &url_of(&pg, Some("shop")),
        &repo,
        &recipient,
        "physical",
    );
    let (code, out, err) = drill(&c, &id, &repo, &key);
    assert_eq!(code, 0, "{err}\n{out}");
    let r = json(&out);
    assert_eq!(r["kind"], "physical");
    assert_eq!(r["teardown"]["directory_left"], false);
    let _ = pg.target();
}

#[test]
fn a_drill_server_is_used_but_never_the_source() {
    let src = dbkeeper_testkit::postgres();
    psql(&src, "postgres", "CREATE DATABASE shop");
    psql(
        &src,
        "shop",
        "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 777) g",
    );
    psql(
        &src,
        "shop",
        "CREATE TABLE ev (at timestamptz); INSERT INTO ev VALUES ('2020-01-01 08:00:00+08')",
    );
    let dst = dbkeeper_testkit::postgres();
    let c = cli();
    let (key, recipient) = keygen(&c, "k.key");
    let repo = format!("file://{}", c.work_dir().join("repo").display());
    let port = src.target().port;
    c.write(
        "dbkeeper.yaml",
        &format!(
            "version: 1\ntargets:\n  src: {{url: \"{}\"}}\n  alias: {{url: \"postgres://{}@localhost:{port}/shop\"}}\n  drill: {{url: \"{}\"}}\n",
            url_of(&src, Some("shop")),
            src.target().user,
            url_of(&dst, Some("postgres")),
        ),
    );
    let (code, _, err) =
        run(c
            .cmd()
            .args(["backup", "src", "--repo", &repo, "--recipient", &recipient]));
    assert_eq!(code, 0, "{err}");
    // The source itself, by its address, and by another name for the same server (its system
    // identifier gives it away): refused before anything is restored.
    for into in ["src", "alias"] {
        let (code, _, err) = run(c
            .cmd()
            .args([
                "verify",
                "--latest",
                "src",
                "--repo",
                &repo,
                "--into",
                into,
                "--identity",
            ])
            .arg(&key));
        assert_eq!(code, 78, "{into}: {err}");
        assert!(err.contains("source"), "{err}");
    }
    assert_eq!(psql(&src, "shop", "SELECT count(*) FROM t"), "777");
    // A separate drill server: restored there and checked.
    let (code, out, err) = run(c
        .cmd()
        .args([
            "--format",
            "json",
            "verify",
            "--latest",
            "src",
            "--repo",
            &repo,
            "--into",
            "drill",
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 0, "{err}\n{out}");
    assert_eq!(json(&out)["verdict"], "pass");
    assert_eq!(psql(&dst, "shop", "SELECT count(*) FROM t"), "777");

    // RPO from the newest business record rather than the snapshot: years old, so over 26h.
    let (code, out, _) = run(c
        .cmd()
        .args([
            "--format",
            "json",
            "verify",
            "--latest",
            "src",
            "--repo",
            &repo,
            "--rpo-column",
            "public.ev.at",
            "--rpo-max",
            "26h",
            "--identity",
        ])
        .arg(&key));
    assert_eq!(code, 2, "{out}");
    let r = json(&out);
    assert_eq!(r["backup_point"], "2020-01-01T00:00:00Z");
    assert!(
        r["rpo_basis"]
            .as_str()
            .is_some_and(|b| b.contains("public.ev.at")),
        "{r:#}"
    );
    assert_eq!(check(&r, "rpo", "RPO")["verdict"], "fail");
}

#[test]
fn bad_arguments_are_refused_before_anything_is_read() {
    let c = cli();
    let repo = format!("file://{}", c.work_dir().join("nowhere").display());
    for (args, code, says) in [
        (vec!["--rto-max", "soon"], 64, "90s, 30m, 26h, 7d"),
        (vec!["--report", "drill.pdf"], 64, ".html"),
        (vec!["--report", "missing-dir/drill.html"], 73, "mkdir -p"),
    ] {
        let (got, _, err) = run(c
            .cmd()
            .args(["verify", "20261125T013000Z-3f9c", "--repo", &repo])
            .args(&args));
        assert_eq!(got, code, "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (got, _, err) = run(c.cmd().args([
        "--lang",
        "zh-CN",
        "verify",
        "x",
        "--repo",
        &repo,
        "--rpo-max",
        "昨天",
    ]));
    assert_eq!(got, 64, "{err}");
    assert!(err.contains("不是有效的时长"), "{err}");
    assert!(!c.work_dir().join("nowhere").exists(), "nothing created");
}
