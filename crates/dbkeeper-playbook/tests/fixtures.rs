//! Every validation error path, one invalid file each: the exact FILE:LINE:COL and message id of
//! each problem, a hint and a snippet for every one, and no secret anywhere in what is shown.

use std::path::{Path, PathBuf};

use dbkeeper_core::{Error, Lang};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

/// Validates one fixture, expecting failure.
fn bad(name: &str) -> Error {
    let path = dir().join(format!("{name}.yaml"));
    match dbkeeper_playbook::validate(&[path], None) {
        Ok(_) => panic!("{name} validated"),
        Err(e) => e,
    }
}

/// (file:line:col, id) of every diagnostic, with the folder taken off.
fn found(name: &str) -> (Error, Vec<(String, &'static str)>) {
    let e = bad(name);
    let prefix = format!("{}/", dir().display());
    let all = e
        .diagnostics()
        .map(|d| {
            let at = d.at.clone().unwrap_or_default();
            (
                at.strip_prefix(&prefix).unwrap_or(&at).to_string(),
                d.what.id(),
            )
        })
        .collect();
    (e, all)
}

/// Each fixture and what it must report: (LINE:COL, message id), in file order.
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    ("bad-backup-kind", &[("10:46", "yaml.bad_value")]),
    ("bad-duration", &[("11:14", "yaml.duration")]),
    ("bad-expectation", &[("10:51", "playbook.expect_order")]),
    ("bad-playbook-name", &[("2:7", "playbook.name")]),
    ("bad-step-id", &[("8:9", "playbook.step_id")]),
    ("bad-var-name", &[("8:3", "playbook.var_name")]),
    ("continue-on-error-yes", &[("11:24", "yaml.want_boolean")]),
    (
        "cron-backwards-range",
        &[("3:11", "schedule.cron_range_order")],
    ),
    ("cron-bad-weekday", &[("3:17", "schedule.cron_value")]),
    ("cron-never-fires", &[("3:12", "schedule.cron_never")]),
    (
        "cron-out-of-range",
        &[("3:8", "schedule.cron_out_of_range")],
    ),
    ("cron-reboot", &[("3:8", "schedule.cron_macro")]),
    ("cron-six-fields", &[("3:19", "schedule.cron_fields")]),
    (
        "cron-step-without-range",
        &[("3:8", "schedule.cron_step_without_range")],
    ),
    ("cron-step-zero", &[("3:10", "schedule.cron_step")]),
    ("cycle", &[("14:13", "playbook.cycle")]),
    ("cycle-of-three", &[("14:13", "playbook.cycle")]),
    ("defined-twice", &[("4:3", "playbook.defined_twice")]),
    ("duplicate-key", &[("10:5", "yaml.duplicate_key")]),
    ("duplicate-step-id", &[("11:9", "playbook.step_duplicate")]),
    ("empty-repos", &[("10:31", "playbook.empty_list")]),
    ("empty-steps", &[("7:8", "playbook.steps_empty")]),
    ("handler-unknown-action", &[("8:13", "yaml.bad_value")]),
    ("handler-unknown-key", &[("13:9", "yaml.unknown_key")]),
    (
        "inventory-missing",
        &[("7:12", "playbook.inventory_missing")],
    ),
    ("jobs-not-a-number", &[("10:46", "yaml.want_integer")]),
    ("jobs-out-of-range", &[("10:46", "playbook.int_range")]),
    ("literal-secret", &[("8:17", "yaml.secret_literal")]),
    (
        "literal-target-password",
        &[("4:54", "yaml.secret_literal")],
    ),
    ("missed-unknown", &[("5:9", "yaml.bad_value")]),
    ("missing-action", &[("8:5", "yaml.missing_key")]),
    ("missing-name", &[("1:1", "yaml.missing_key")]),
    ("missing-step-id", &[("8:5", "yaml.missing_key")]),
    ("missing-steps", &[("1:1", "yaml.missing_key")]),
    ("missing-version", &[("1:1", "yaml.missing_key")]),
    ("missing-with", &[("8:5", "yaml.missing_key")]),
    ("missing-with-key", &[("10:5", "yaml.missing_key")]),
    ("needs-self", &[("10:12", "playbook.needs_self")]),
    (
        "notify-without-channel",
        &[("10:5", "playbook.one_of_missing")],
    ),
    ("password-in-step-url", &[("10:20", "core.url_password")]),
    ("password-in-url", &[("4:13", "core.url_password")]),
    ("secret-looking-var", &[("6:3", "playbook.var_secret")]),
    ("s3-unencrypted", &[("7:3", "config.repo_unencrypted")]),
    (
        "schedule-playbook-missing",
        &[("2:11", "schedule.playbook_missing")],
    ),
    ("schedule-unknown-key", &[("5:1", "yaml.unknown_key")]),
    (
        "template-in-sql",
        &[("12:59", "playbook.template_not_here")],
    ),
    (
        "template-unclosed",
        &[("16:43", "playbook.template_unclosed")],
    ),
    (
        "template-unknown-output",
        &[("16:66", "playbook.expr_unknown_output")],
    ),
    (
        "three-problems",
        &[
            ("10:14", "yaml.want_integer"),
            ("11:20", "playbook.unknown_ref"),
            ("12:17", "playbook.expr_unknown_step"),
        ],
    ),
    ("timeout-zero", &[("11:14", "playbook.duration_zero")]),
    ("timezone-typo", &[("4:11", "schedule.tz_unknown")]),
    ("too-many-retries", &[("11:14", "playbook.int_range")]),
    ("unknown-action", &[("9:13", "yaml.bad_value")]),
    ("unknown-channel", &[("13:21", "playbook.unknown_ref")]),
    ("unknown-needs", &[("13:13", "playbook.unknown_ref")]),
    ("unknown-repo", &[("10:39", "playbook.unknown_ref")]),
    ("unknown-secret", &[("12:47", "playbook.unknown_ref")]),
    ("unknown-step-key", &[("11:5", "yaml.unknown_key")]),
    ("unknown-target", &[("10:20", "playbook.unknown_ref")]),
    ("unknown-top-key", &[("7:1", "yaml.unknown_key")]),
    ("unknown-with-key", &[("10:40", "yaml.unknown_key")]),
    ("var-is-a-list", &[("8:9", "playbook.var_type")]),
    (
        "verify-backup-and-latest",
        &[("10:23", "playbook.one_of_both")],
    ),
    ("version-2", &[("1:10", "playbook.version")]),
    (
        "when-not-a-condition",
        &[("14:11", "playbook.expr_not_condition_num")],
    ),
    ("when-not-needed", &[("13:17", "playbook.expr_not_needed")]),
    (
        "when-order-on-text",
        &[("14:11", "playbook.expr_order_str")],
    ),
    ("when-reads-itself", &[("14:17", "playbook.expr_self")]),
    (
        "when-single-equals",
        &[("16:21", "playbook.expr_single_eq")],
    ),
    ("when-syntax", &[("14:30", "playbook.expr_expected_end")]),
    (
        "when-type-mismatch",
        &[("16:23", "playbook.expr_compare_str_num")],
    ),
    (
        "when-unknown-function",
        &[("14:11", "playbook.expr_unknown_function")],
    ),
    (
        "when-unknown-output",
        &[("14:32", "playbook.expr_unknown_output")],
    ),
    (
        "when-unknown-step",
        &[("14:17", "playbook.expr_unknown_step")],
    ),
    (
        "when-unknown-var",
        &[("16:16", "playbook.expr_unknown_var")],
    ),
    ("when-word-operator", &[("16:27", "playbook.expr_word_op")]),
    ("wrong-type-needs", &[("11:12", "yaml.want_list")]),
    ("yaml-tab", &[("11:4", "yaml.syntax")]),
];

#[test]
fn every_fixture_reports_exactly_its_problems() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".yaml")
                .to_string()
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(n, _)| (*n).to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "every fixture has its expectations, and only those"
    );
    assert!(EXPECTED.len() >= 40);
    for (name, want) in EXPECTED {
        let (e, got) = found(name);
        assert_eq!(e.exit_code(), 78, "{name}");
        let want: Vec<(String, &str)> = want
            .iter()
            .map(|(at, id)| (format!("{name}.yaml:{at}"), *id))
            .collect();
        assert_eq!(got, want, "{name}:\n{}", e.render(Lang::En));
        for d in e.diagnostics() {
            assert!(d.hint.is_some(), "{name}: no hint for {}", d.what);
            let snippet = d.snippet.as_deref().unwrap_or_default();
            assert!(snippet.ends_with('^'), "{name}: no snippet for {}", d.what);
        }
    }
}

#[test]
fn secrets_never_shown() {
    for name in [
        "literal-secret",
        "literal-target-password",
        "password-in-url",
        "password-in-step-url",
        "secret-looking-var",
    ] {
        let e = bad(name);
        for lang in [Lang::En, Lang::ZhCn] {
            let shown = format!("{}\n{e:?}", e.render(lang));
            for secret in ["hunter2", "AGE-SECRET-KEY-1QQQ"] {
                assert!(
                    !shown.contains(secret),
                    "{name}: `{secret}` shown in\n{shown}"
                );
            }
        }
    }
}

#[test]
fn messages_exist_in_chinese() {
    let e = bad("when-type-mismatch");
    let zh = e.render(Lang::ZhCn);
    assert!(zh.starts_with("错误: 文本与数字之间不能比较"), "{zh}");
    assert!(zh.contains("提示: "), "{zh}");
}

#[test]
fn cycles_are_named_in_order() {
    let e = bad("cycle-of-three");
    let en = e.render(Lang::En);
    assert!(en.contains("a → c → b → a"), "{en}");
}

#[test]
fn did_you_mean() {
    for (name, suggestion) in [
        ("unknown-action", "backup"),
        ("unknown-target", "pg"),
        ("unknown-needs", "backup"),
        ("when-unknown-step", "backup"),
        ("when-unknown-output", "size_bytes"),
        ("when-unknown-var", "env"),
        ("timezone-typo", "Asia/Shanghai"),
    ] {
        let e = bad(name);
        let hint = e
            .main
            .hint
            .as_ref()
            .map(|h| h.render(Lang::En))
            .unwrap_or_default();
        assert!(hint.contains(&format!("`{suggestion}`")), "{name}: {hint}");
    }
}
