//! Every config error path, one fixture each: the exact place, the message id, a hint, and no
//! secret anywhere in what the user sees.

use std::path::Path;
use std::time::Duration;

use dbkeeper_config::{parse_str, ChannelKind, Config, NotifyOn};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{EngineKind, TlsMode};
use dbkeeper_core::{Diagnostic, Error, Lang};

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Parses `bad/NAME`, shown as `NAME` in messages, expecting failure.
fn bad(name: &str) -> Error {
    match parse_str(name, &fixture(&format!("bad/{name}"))) {
        Ok(c) => panic!("{name} parsed: {c:?}"),
        Err(e) => e,
    }
}

/// The fixture's single diagnostic, checked for place, id and hint.
fn one(name: &str, at: &str, id: &str) -> (Error, Diagnostic) {
    let e = bad(name);
    assert_eq!(e.exit_code(), 78, "{name}");
    let all: Vec<&Diagnostic> = e.diagnostics().collect();
    assert_eq!(all.len(), 1, "{name}: {}", e.render(Lang::En));
    let d = all[0].clone();
    check(&d, &format!("{name}:{at}"), id);
    (e, d)
}

fn check(d: &Diagnostic, at: &str, id: &str) {
    assert_eq!(d.at.as_deref(), Some(at), "{}", d.what);
    assert_eq!(d.what.id(), id, "{}", d.what);
    assert!(d.hint.is_some(), "no hint for {}", d.what);
    let snippet = d.snippet.as_deref().expect("a snippet");
    assert!(snippet.ends_with('^'), "{snippet}");
}

fn hint(d: &Diagnostic) -> String {
    d.hint
        .as_ref()
        .map(|h| h.render(Lang::En))
        .unwrap_or_default()
}

fn assert_hidden(e: &Error, secrets: &[&str]) {
    for lang in [Lang::En, Lang::ZhCn] {
        let shown = format!("{}\n{e:?}", e.render(lang));
        for s in secrets {
            assert!(!shown.contains(s), "`{s}` shown in:\n{shown}");
        }
    }
}

#[test]
fn good_config_reads_fully() {
    let c = parse_str("good.yaml", &fixture("good.yaml")).expect("good config");
    assert_eq!(c.defaults.lang, Some(Lang::ZhCn));
    assert_eq!(c.defaults.format.as_deref(), Some("json"));
    assert_eq!(c.defaults.connect_timeout, Some(Duration::from_secs(15)));

    let names: Vec<&str> = c.targets.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["prod-pg", "his", "replica"], "file order");
    let pg = c.target("prod-pg").expect("prod-pg");
    assert_eq!(pg.target.engine, EngineKind::Postgres);
    assert_eq!(pg.target.host, "10.0.0.5");
    assert_eq!(pg.target.tls.mode, TlsMode::VerifyFull);
    assert_eq!(
        pg.target.password,
        Some(SecretRef::Env("PROD_PG_PASSWORD".into()))
    );
    assert_eq!(
        pg.target.connect_timeout,
        Duration::from_secs(15),
        "default"
    );
    assert_eq!(pg.description.as_deref(), Some("省平台主库"));
    assert_eq!(pg.tags, ["prod", "primary"]);
    let his = c.target("his").expect("his");
    assert_eq!(his.target.engine, EngineKind::Mysql);
    assert_eq!(
        his.target.connect_timeout,
        Duration::from_secs(3),
        "URL wins over defaults"
    );
    assert_eq!(
        his.target.password,
        Some(SecretRef::Command(vec![
            "pass".into(),
            "show".into(),
            "db/his".into()
        ]))
    );
    let replica = c.target("replica").expect("replica");
    assert_eq!(
        replica.target.connect_timeout,
        Duration::from_secs(120),
        "own key wins"
    );

    let local = c.repo("local").expect("local");
    assert_eq!(local.recipients.len(), 1);
    assert_eq!(local.retention.keep_last, Some(7));
    assert_eq!(local.retention.keep_hourly, Some(24));
    assert_eq!(
        local.retention.keep_within,
        Some(Duration::from_secs(2 * 86_400))
    );
    assert!(!local.is_offsite() && local.is_encrypted());
    let offsite = c.repo("offsite").expect("offsite");
    assert!(offsite.is_offsite() && offsite.is_encrypted());
    assert_eq!(
        offsite.passphrase,
        Some(SecretRef::Env("REPO_PASSPHRASE".into()))
    );
    let scratch = c.repo("scratch").expect("scratch");
    assert!(scratch.allow_unencrypted && !scratch.is_encrypted());

    assert_eq!(c.channels.len(), 3);
    let wecom = c.channel("ops-wecom").expect("wecom");
    assert_eq!(wecom.kind, ChannelKind::Wecom);
    assert_eq!(wecom.url, Some(SecretRef::Env("WECOM_WEBHOOK".into())));
    assert_eq!(wecom.lang, Some(Lang::ZhCn));
    let ding = c.channel("ding").expect("ding");
    assert_eq!(ding.secret, Some(SecretRef::Env("DING_SECRET".into())));
    assert_eq!(ding.on, [NotifyOn::Failure, NotifyOn::Recovery], "default");
    let mail = c.channel("dba-mail").expect("mail");
    let smtp = mail.smtp.as_ref().expect("smtp");
    assert_eq!(
        (smtp.host.as_str(), smtp.port, smtp.tls),
        ("smtp.example", 587, false)
    );
    assert_eq!(smtp.password, Some(SecretRef::Env("SMTP_PW".into())));
    assert_eq!(mail.to.len(), 2);
    assert_eq!(mail.on, [NotifyOn::Always]);
}

#[test]
fn shipped_example_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dbkeeper.yaml");
    let c: Config =
        dbkeeper_config::load(&path).unwrap_or_else(|e| panic!("{}", e.render(Lang::En)));
    assert_eq!(c.source.as_deref(), Some(path.as_path()));
    assert!(c.targets.len() >= 3 && c.repos.len() >= 2 && c.channels.len() >= 3);
}

#[test]
fn unknown_top_level_key() {
    let (_, d) = one("unknown-top-key.yaml", "2:1", "yaml.unknown_key");
    assert!(hint(&d).contains("did you mean `targets`?"), "{}", hint(&d));
}

#[test]
fn unknown_target_key_suggests() {
    let (e, d) = one("unknown-target-key.yaml", "5:5", "yaml.unknown_key");
    assert!(d.what.render(Lang::En).contains("targets.prod-pg.tsl"));
    assert!(hint(&d).contains("did you mean `tls`?"), "{}", hint(&d));
    assert_eq!(
        d.snippet.as_deref(),
        Some("    tsl: {mode: require}\n    ^")
    );
    let zh = e.render(Lang::ZhCn);
    assert!(
        zh.contains("无法识别的键") && zh.contains("是否想写 `tls`"),
        "{zh}"
    );
}

#[test]
fn wrong_type() {
    let (_, d) = one("wrong-type.yaml", "7:18", "yaml.want_integer");
    assert_eq!(
        d.what.render(Lang::En),
        "`repos.local.retention.keep_last` must be a whole number, got `seven`"
    );
}

#[test]
fn missing_url_points_at_the_target() {
    let (e, d) = one("missing-url.yaml", "3:3", "yaml.missing_key");
    assert_eq!(d.what.render(Lang::En), "`targets.prod-pg.url` is missing");
    assert!(e.render(Lang::ZhCn).contains("缺少 `targets.prod-pg.url`"));
}

#[test]
fn bad_tls_mode_lists_choices() {
    let (_, d) = one("bad-tls-mode.yaml", "5:17", "yaml.bad_value");
    let h = hint(&d);
    assert!(h.contains("did you mean `verify-full`?"), "{h}");
    assert!(h.contains("disable, prefer, require, verify-full"), "{h}");
}

#[test]
fn literal_password_is_refused_and_never_shown() {
    let (e, d) = one("literal-password.yaml", "5:15", "yaml.secret_literal");
    assert_eq!(
        d.what.render(Lang::En),
        "literal secret in literal-password.yaml: `targets.prod-pg.password` holds the secret itself"
    );
    assert!(hint(&d).contains("{env: VAR}"));
    assert_eq!(
        d.snippet.as_deref(),
        Some("    password: ***\n              ^")
    );
    assert_hidden(&e, &["Hunter2", "Very-Secret"]);
    assert!(e.render(Lang::ZhCn).contains("明文密钥"));
}

#[test]
fn password_in_url_is_refused_and_never_shown() {
    let (e, d) = one("password-in-url.yaml", "4:10", "core.url_password");
    assert!(hint(&d).contains("PGPASSWORD"));
    assert!(d
        .snippet
        .as_deref()
        .unwrap_or_default()
        .contains("dbkeeper:***@"));
    assert_hidden(&e, &["S3cretPw9"]);
}

#[test]
fn unknown_scheme() {
    one("unknown-scheme.yaml", "4:10", "core.url_scheme");
}

#[test]
fn bad_duration() {
    let (e, d) = one("bad-duration.yaml", "3:20", "yaml.duration");
    assert!(hint(&d).contains("30s"));
    assert!(e.render(Lang::ZhCn).contains("应为时长"));
}

#[test]
fn offsite_repo_without_encryption_fails_closed() {
    let (_, d) = one("s3-unencrypted.yaml", "3:3", "config.repo_unencrypted");
    assert!(hint(&d).contains("allow_unencrypted: true"));
}

#[test]
fn bad_recipient() {
    let (_, d) = one("bad-recipient.yaml", "8:11", "config.recipient");
    assert!(hint(&d).contains("age1"));
}

#[test]
fn recipients_and_a_passphrase_at_once() {
    let (_, d) = one(
        "recipients-and-passphrase.yaml",
        "5:5",
        "config.encryption_both",
    );
    assert!(hint(&d).contains("not both"), "{}", hint(&d));
}

#[test]
fn unknown_channel_kind() {
    let (_, d) = one("unknown-channel-kind.yaml", "4:11", "yaml.bad_value");
    assert!(
        hint(&d).contains("webhook, wecom, dingtalk, feishu, email"),
        "{}",
        hint(&d)
    );
}

#[test]
fn yaml_syntax_error_has_the_parser_position() {
    let (e, d) = one("bad-syntax.yaml", "5:8", "yaml.syntax");
    assert!(d
        .what
        .render(Lang::En)
        .starts_with("bad-syntax.yaml is not valid YAML: "));
    assert!(e.render(Lang::ZhCn).contains("不是有效的 YAML"));
}

#[test]
fn version_2_is_refused() {
    let (_, d) = one("version-2.yaml", "1:10", "config.version");
    assert_eq!(d.what.render(Lang::En), "config version 2 is not supported");
}

#[test]
fn three_errors_three_diagnostics() {
    let e = bad("three-errors.yaml");
    let all: Vec<&Diagnostic> = e.diagnostics().collect();
    assert_eq!(all.len(), 3, "{}", e.render(Lang::En));
    check(all[0], "three-errors.yaml:3:11", "yaml.bad_value");
    check(all[1], "three-errors.yaml:7:11", "yaml.want_list");
    check(all[2], "three-errors.yaml:10:10", "config.repo_scheme");
    let en = e.render(Lang::En);
    assert_eq!(en.matches("error: ").count(), 3, "{en}");
    let zh = e.render(Lang::ZhCn);
    assert_eq!(zh.matches("错误: ").count(), 3, "{zh}");
    assert!(
        zh.contains("应为列表") && zh.contains("必须以 file:// 或 s3:// 开头"),
        "{zh}"
    );
}

#[test]
fn duplicate_key() {
    let (_, d) = one("duplicate-key.yaml", "5:3", "yaml.duplicate_key");
    assert!(hint(&d).contains("line 3, column 3"), "{}", hint(&d));
}

#[test]
fn private_key_in_recipients_is_never_shown() {
    let (e, _) = one("private-key-recipient.yaml", "6:20", "config.identity");
    assert_hidden(&e, &["AGE-SECRET-KEY", "QQQQQQ"]);
}

#[test]
fn webhook_url_is_a_secret() {
    let (e, _) = one("webhook-literal-url.yaml", "3:27", "yaml.secret_literal");
    assert_hidden(&e, &["tok-5f3a9c", "qyapi"]);
}

#[test]
fn file_url_with_two_slashes() {
    let (_, d) = one("file-url-two-slashes.yaml", "4:10", "config.repo_file_host");
    assert!(
        hint(&d).contains("file:///var/backups/dbkeeper"),
        "{}",
        hint(&d)
    );
}

#[test]
fn missing_version_points_at_the_start() {
    let (_, d) = one("missing-version.yaml", "1:1", "yaml.missing_key");
    assert!(hint(&d).contains("top level"));
}

#[test]
fn key_that_does_not_apply_to_the_channel_kind() {
    let (_, d) = one("channel-key-kind.yaml", "6:5", "config.channel_key");
    assert_eq!(
        d.what.render(Lang::En),
        "`notify.ops.smtp` does not apply to a wecom channel"
    );
}

#[test]
fn ca_file_without_verification() {
    one(
        "ca-without-verify.yaml",
        "5:10",
        "core.tls_ca_without_verify",
    );
}

#[test]
fn unusable_name() {
    one("bad-name.yaml", "3:3", "config.name");
}

#[test]
fn misspelt_secret_key_hides_its_value() {
    let (e, d) = one("misspelt-secret-key.yaml", "5:32", "yaml.unknown_key");
    assert!(hint(&d).contains("did you mean `password`?"));
    assert_hidden(&e, &["Mail-Secret-77"]);
}

#[test]
fn relative_files_are_relative_to_the_config_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dbkeeper.yaml");
    std::fs::write(
        &path,
        "version: 1\ntargets:\n  pg:\n    url: postgres://u@h/db\n    password: {file: secrets/pg.pw}\n    tls: {mode: verify-full, ca_file: ca.pem}\n",
    )
    .expect("write");
    let config = dbkeeper_config::load(&path).expect("loads");
    let t = &config.targets[0].target;
    assert_eq!(
        t.password,
        Some(dbkeeper_core::secret::SecretRef::File(
            dir.path().join("secrets/pg.pw")
        ))
    );
    assert_eq!(
        t.tls.ca_file.as_deref(),
        Some(dir.path().join("ca.pem").as_path())
    );
}
