//! The example playbooks and schedules in playbooks/ and schedules/ all validate, and the
//! committed JSON Schemas match the code.

use std::path::{Path, PathBuf};

use dbkeeper_core::Lang;
use dbkeeper_playbook::schedule::Missed;
use dbkeeper_playbook::{schema, validate, Action, Checked};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_in(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_validates() {
    let mut files = yaml_in("playbooks");
    files.extend(yaml_in("schedules"));
    assert_eq!(files.len(), 6, "{files:?}");
    let checked = match validate(&files, None) {
        Ok(c) => c,
        Err(e) => panic!("{}", e.render(Lang::En)),
    };
    let mut names: Vec<String> = checked
        .iter()
        .map(|c| match c {
            Checked::Playbook(p) => format!("playbook {}", p.name),
            Checked::Schedule(j) => format!("schedule {}", j.name),
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "playbook daily-inspection",
            "playbook monthly-restore-drill",
            "playbook nightly-backup",
            "schedule daily-inspection",
            "schedule monthly-restore-drill",
            "schedule nightly-backup",
        ]
    );
    for c in &checked {
        match c {
            Checked::Playbook(p) if p.name == "nightly-backup" => {
                let Action::Backup(b) = &p.steps[0].action else {
                    panic!("backup first")
                };
                assert_eq!(b.repos, ["local", "offsite"]);
                assert!(p.repos.iter().all(|r| !r.retention.is_empty()), "retention");
                assert_eq!(p.on_failure.len(), 1);
            }
            Checked::Playbook(p) if p.name == "monthly-restore-drill" => {
                let Action::Verify(v) = &p.steps[0].action else {
                    panic!("verify first")
                };
                assert_eq!(v.sanity.len(), 8);
                for table in [
                    "hospitals",
                    "doctors",
                    "nurses",
                    "patients",
                    "consultations",
                    "prescriptions",
                ] {
                    assert!(v.sanity.iter().any(|s| s.sql.contains(table)), "{table}");
                }
            }
            Checked::Schedule(j) if j.name == "nightly-backup" => {
                assert_eq!(j.missed, Missed::RunOnce);
                assert_eq!(j.tz, chrono_tz::Asia::Shanghai);
            }
            _ => {}
        }
    }
}

/// Compares a committed schema with the generated one; `DBKEEPER_BLESS=1` rewrites it.
fn check_schema(rel: &str, generated: &str) {
    let path = root().join(rel);
    if std::env::var_os("DBKEEPER_BLESS").is_some() {
        std::fs::write(&path, generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{rel} does not match the code that reads playbooks.\n\
         Regenerate it with:\n    DBKEEPER_BLESS=1 cargo test -p dbkeeper-playbook --test examples\n\
         and commit the result."
    );
}

#[test]
fn committed_schemas_match_the_code() {
    check_schema(
        "playbooks/playbook.schema.json",
        &schema::to_text(&schema::playbook()),
    );
    check_schema(
        "schedules/schedule.schema.json",
        &schema::to_text(&schema::schedule()),
    );
}

/// The schema describes targets, repos and channels with the config crate's keys: each of those
/// keys must be one the config reader accepts (a key it dropped would fail here).
#[test]
fn config_owned_keys_in_the_schema_are_accepted() {
    let value = |k: &str| -> &str {
        match k {
            "url" => "postgres://u@h/db",
            "password" => "{env: PGPW}",
            "tls" => "{mode: require}",
            "connect_timeout" => "5s",
            "description" => "x",
            "tags" => "[a]",
            "inspect" => "{}",
            _ => "",
        }
    };
    let target: Vec<String> = schema::TARGET_KEYS
        .iter()
        .map(|k| format!("{k}: {}", value(k)))
        .collect();
    let text = format!(
        "version: 1
targets:
  t: {{{}}}
repos:
  r: {{url: file:///x, encryption: {{recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]}}, retention: {{keep_last: 1}}, allow_unencrypted: false}}
notify:
  d: {{kind: dingtalk, url: {{env: U}}, secret: {{env: S}}, on: [failure], lang: en}}
  m: {{kind: email, smtp: {{host: h}}, from: a@b.c, to: [d@e.f]}}
",
        target.join(", ")
    );
    if let Err(e) = dbkeeper_config::parse_str("c.yaml", &text) {
        panic!("{}", e.render(Lang::En));
    }
    let used_repo = ["url", "encryption", "retention", "allow_unencrypted"];
    assert_eq!(schema::REPO_KEYS, used_repo);
    let used_channel = ["kind", "url", "secret", "on", "lang", "smtp", "from", "to"];
    assert_eq!(schema::CHANNEL_KEYS, used_channel);
}
