//! Discovery through the real process environment, and resolving TARGET / REPO arguments.
//!
//! Environment variables and the working directory are process-global, so everything that
//! changes them is one test; the other tests here neither change nor depend on them.

use std::path::Path;

use dbkeeper_config::{discover, parse_str, resolve_repo, resolve_target};
use dbkeeper_core::{ErrorKind, Lang};

const CONFIG: &str = "\
version: 1
defaults: {connect_timeout: 7s}
targets:
  prod-pg: {url: postgres://dbkeeper@10.0.0.5/hospital}
  his-mysql: {url: mysql://backup@10.0.0.7/his}
repos:
  local: {url: file:///var/backups/dbkeeper}
";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn discovery_order_through_the_environment() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let flag = root.join("flag.yaml");
    let from_env = root.join("env.yaml");
    let work = root.join("work");
    let xdg = root.join("xdg");
    write(
        &flag,
        "version: 1\ntargets: {flag: {url: postgres://u@h/db}}\n",
    );
    write(
        &from_env,
        "version: 1\ntargets: {env: {url: postgres://u@h/db}}\n",
    );
    std::fs::create_dir_all(&work).expect("mkdir");
    std::env::set_current_dir(&work).expect("cd");
    std::env::set_var("DBKEEPER_CONFIG", &from_env);
    std::env::set_var("XDG_CONFIG_HOME", &xdg);
    std::env::set_var("HOME", root.join("home"));

    let only_target =
        |c: Option<dbkeeper_config::Config>| c.expect("a config").targets[0].name.clone();
    assert_eq!(only_target(discover(Some(&flag)).expect("flag")), "flag");
    assert_eq!(only_target(discover(None).expect("env")), "env");

    std::env::set_var("DBKEEPER_CONFIG", root.join("missing.yaml"));
    let e = discover(None).expect_err("missing file named by the environment");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(e.render(Lang::En).contains("DBKEEPER_CONFIG"));

    std::env::remove_var("DBKEEPER_CONFIG");
    assert!(discover(None).expect("nothing").is_none());
    write(
        &xdg.join("dbkeeper/dbkeeper.yaml"),
        "version: 1\ntargets: {xdg: {url: postgres://u@h/db}}\n",
    );
    assert_eq!(only_target(discover(None).expect("xdg")), "xdg");
    write(
        &work.join("dbkeeper.yaml"),
        "version: 1\ntargets: {cwd: {url: postgres://u@h/db}}\n",
    );
    assert_eq!(only_target(discover(None).expect("cwd")), "cwd");

    // A file found but broken is an error, not "no config".
    write(&work.join("dbkeeper.yaml"), "version: 1\ntargetz: {}\n");
    let e = discover(None).expect_err("broken");
    let at = e.main.at.clone().unwrap_or_default();
    // Shown as found: the path under the working directory, then line and column.
    assert_eq!(at, format!("{}:2:1", work.join("dbkeeper.yaml").display()));

    let e = discover(Some(&root.join("nope.yaml"))).expect_err("missing --config");
    assert!(e.render(Lang::En).contains("--config"));
    assert_eq!(e.exit_code(), 78);
}

#[test]
fn resolving_targets() {
    let config = parse_str("/etc/dbkeeper/dbkeeper.yaml", CONFIG).expect("config");
    let t = resolve_target(Some(&config), "prod-pg").expect("by name");
    assert_eq!((t.name.as_str(), t.host.as_str()), ("prod-pg", "10.0.0.5"));
    assert_eq!(t.connect_timeout.as_secs(), 7);

    let t = resolve_target(Some(&config), "mysql://root@127.0.0.1:3307/x").expect("by URL");
    assert_eq!(t.port, 3307);
    assert_eq!(
        t.connect_timeout.as_secs(),
        7,
        "the config's default applies to URLs too"
    );
    let t = resolve_target(None, "postgres://u@h/db?connect_timeout=3").expect("no config");
    assert_eq!(t.connect_timeout.as_secs(), 3);

    let e = resolve_target(Some(&config), "prod-gp").expect_err("typo");
    assert_eq!(e.kind, ErrorKind::Usage);
    assert_eq!(e.exit_code(), 64);
    assert_eq!(e.main.what.id(), "config.no_target");
    let en = e.render(Lang::En);
    assert!(en.contains("did you mean `prod-pg`?"), "{en}");
    assert!(en.contains("/etc/dbkeeper/dbkeeper.yaml"), "{en}");
    let zh = e.render(Lang::ZhCn);
    assert!(zh.contains("没有名为 `prod-gp` 的目标"), "{zh}");

    let e = resolve_target(Some(&config), "staging").expect_err("unknown");
    assert!(!e.render(Lang::En).contains("did you mean"));
    let e = resolve_target(None, "prod-pg").expect_err("no config at all");
    assert!(e.render(Lang::En).contains("./dbkeeper.yaml"));
    let e = resolve_target(None, "postgres://u:pw123@h/db").expect_err("password");
    assert!(!e.render(Lang::En).contains("pw123"));
    let e = resolve_target(None, "oracle://u:pw456@h/db").expect_err("scheme");
    assert_eq!(e.main.what.id(), "core.url_scheme");
    assert!(
        !e.render(Lang::En).contains("pw456"),
        "{}",
        e.render(Lang::En)
    );
}

#[test]
fn resolving_repos() {
    let config = parse_str("dbkeeper.yaml", CONFIG).expect("config");
    let r = resolve_repo(Some(&config), "local").expect("by name");
    assert_eq!(r.url, "file:///var/backups/dbkeeper");
    let r = resolve_repo(Some(&config), "s3://b/p?region=x").expect("by URL");
    assert!(r.is_offsite() && r.recipients.is_empty());
    let e = resolve_repo(Some(&config), "s3://KEY:SECRETXYZ@b/p").expect_err("credentials");
    assert_eq!(e.exit_code(), 64);
    assert!(!e.render(Lang::En).contains("SECRETXYZ"));
    let e = resolve_repo(Some(&config), "locl").expect_err("typo");
    assert!(e.render(Lang::En).contains("did you mean `local`?"));
}
