//! One scratch MariaDB without TLS and with a root password: facts, login and TLS failures,
//! the sample data, socket logins, and teardown on drop.

mod common;

use dbkeeper_core::engine::{Engine, Role};
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};
use dbkeeper_mysql::{connect, sample};

const PASSWORD: &str = "Pa55-密码-x9";

#[tokio::test]
async fn plain_scratch_server() {
    let scratch = common::start(
        "plain",
        ScratchOptions {
            password: Some(PASSWORD.into()),
            ..ScratchOptions::default()
        },
    );
    facts_match_the_server(&scratch).await;
    wrong_password_is_a_config_error_without_the_password(&scratch).await;
    missing_password_hints_at_mysql_pwd(&scratch).await;
    require_tls_without_server_tls_is_a_config_error(&scratch).await;
    prefer_falls_back_to_plain(&scratch).await;
    unknown_database_is_a_config_error(&scratch).await;
    sample_loads_with_chinese_text_and_emoji(&scratch).await;
    socket_login_without_password(&scratch).await;
    common::drop_and_check_gone(scratch);
}

async fn facts_match_the_server(scratch: &ScratchMysql) {
    let target = scratch.target();
    let engine = connect(target)
        .await
        .expect("connect with the password file");
    assert!(!format!("{engine:?}").contains(PASSWORD));
    let facts = engine.facts().await.expect("facts");
    let server_version = common::scalar(target, "SELECT VERSION()").await;
    let comment = common::scalar(target, "SELECT @@version_comment").await;
    let prefix: String = server_version
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    assert_eq!(facts.version, prefix);
    assert_eq!(facts.product, "MariaDB");
    assert_eq!(facts.version_full, format!("{server_version} ({comment})"));
    assert_eq!(
        std::path::Path::new(facts.data_directory.as_deref().expect("datadir")),
        scratch.data_dir()
    );
    assert!(
        facts.databases.iter().any(|d| d.name == "mysql"),
        "{:?}",
        facts.databases
    );
    assert!(
        facts.databases.iter().all(|d| d.name != "test"),
        "--skip-test-db"
    );
    assert_eq!(facts.role, Role::Primary);
    assert_eq!(facts.encoding, "utf8mb4");
    assert_eq!(facts.collation.as_deref(), Some("utf8mb4_unicode_ci"));
    let uptime = facts.uptime_seconds.expect("uptime");
    assert!(uptime < 600, "{uptime}");
    let started = facts.started_at.expect("started_at");
    let age = chrono::Utc::now() - started;
    assert!(
        age.num_seconds() >= -2 && age.num_seconds() < 600,
        "{started}"
    );
    let names: Vec<&str> = facts.settings.iter().map(|s| s.name.as_str()).collect();
    for want in [
        "innodb_buffer_pool_size",
        "max_connections",
        "log_bin",
        "server_id",
        "have_ssl",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let setting = |n: &str| {
        facts
            .settings
            .iter()
            .find(|s| s.name == n)
            .map(|s| s.value.clone())
    };
    assert_eq!(setting("log_bin").as_deref(), Some("OFF"));
    assert_eq!(setting("have_ssl").as_deref(), Some("DISABLED"));
    assert_eq!(
        setting("max_connections"),
        Some(common::scalar(target, "SELECT @@max_connections").await)
    );
    assert!(facts.host.is_some(), "127.0.0.1 is local");
    assert_eq!(engine.tls_cipher().await.expect("cipher"), None);
    engine.close().await;
}

async fn wrong_password_is_a_config_error_without_the_password(scratch: &ScratchMysql) {
    let wrong = "wr0ng-Secret-仅测试";
    let target = Target {
        password: Some(SecretRef::Command(vec!["printf".into(), wrong.into()])),
        ..scratch.target().clone()
    };
    let e = connect(&target).await.expect_err("wrong password refused");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "mysql.access_denied");
    for lang in [Lang::En, Lang::ZhCn] {
        let shown = format!("{}\n{:?}", e.render(lang), e);
        assert!(!shown.contains(wrong), "{shown}");
        assert!(!shown.contains(PASSWORD), "{shown}");
        assert!(shown.contains("MYSQL_PWD"), "{shown}");
    }
    let en = e.render(Lang::En);
    assert!(en.contains(&scratch.target().address()), "{en}");
    assert!(en.contains("Access denied"), "server message kept: {en}");
    assert!(
        e.render(Lang::ZhCn).contains("拒绝"),
        "{}",
        e.render(Lang::ZhCn)
    );
}

async fn missing_password_hints_at_mysql_pwd(scratch: &ScratchMysql) {
    if std::env::var_os("MYSQL_PWD").is_some() {
        return; // The environment would supply a password; nothing to test.
    }
    let target = Target {
        password: None,
        ..scratch.target().clone()
    };
    let e = connect(&target).await.expect_err("no password refused");
    assert_eq!(e.kind, ErrorKind::Config);
    let hint = e.main.hint.as_ref().expect("hint");
    assert_eq!(hint.id(), "mysql.access_denied_no_password_hint");
}

async fn require_tls_without_server_tls_is_a_config_error(scratch: &ScratchMysql) {
    let mut target = scratch.target().clone();
    target.tls.mode = TlsMode::Require;
    let e = connect(&target).await.expect_err("no TLS on the server");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "mysql.tls_not_offered");
    let shown = e.render(Lang::En);
    assert!(
        shown.contains("does not offer TLS") && shown.contains("require"),
        "{shown}"
    );
    assert!(e.render(Lang::ZhCn).contains("不支持 TLS"));

    target.tls.mode = TlsMode::VerifyFull;
    let e = connect(&target).await.expect_err("no TLS on the server");
    assert_eq!(e.main.what.id(), "mysql.tls_not_offered");
}

async fn prefer_falls_back_to_plain(scratch: &ScratchMysql) {
    assert_eq!(scratch.target().tls.mode, TlsMode::Prefer);
    let engine = connect(scratch.target()).await.expect("prefer connects");
    assert_eq!(engine.tls_cipher().await.expect("cipher"), None);
    engine.close().await;
}

async fn unknown_database_is_a_config_error(scratch: &ScratchMysql) {
    let target = Target {
        database: Some("no_such_db".into()),
        ..scratch.target().clone()
    };
    let e = connect(&target).await.expect_err("unknown database");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "mysql.unknown_database");
    assert!(e.render(Lang::En).contains("no_such_db"));
}

async fn sample_loads_with_chinese_text_and_emoji(scratch: &ScratchMysql) {
    let target = scratch.target();
    let summary = sample::load(target, "hospital`platform")
        .await
        .expect("sample loads");
    eprintln!(
        "sample loaded in {} ms: {:?}",
        summary.duration_ms, summary.tables
    );
    let expected: Vec<(String, u64)> = sample::TABLES
        .iter()
        .map(|(t, n)| ((*t).to_string(), *n))
        .collect();
    let got: Vec<(String, u64)> = summary
        .tables
        .iter()
        .map(|t| (t.table.clone(), t.rows))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(summary.database, "hospital`platform");

    let q = |sql: &str| {
        let sql = sql.replace("DB.", "`hospital``platform`.");
        async move { common::scalar(target, &sql).await }
    };
    assert_eq!(q("SELECT COUNT(*) FROM DB.patients").await, "2000");
    assert_eq!(q("SELECT name FROM DB.patients WHERE id = 1").await, "刘强");
    assert_eq!(
        q("SELECT name FROM DB.hospitals WHERE id = 1").await,
        "省人民医院"
    );
    assert_eq!(
        q("SELECT slogan FROM DB.hospitals WHERE id = 1").await,
        "守护全省人民健康 ❤️"
    );
    assert_eq!(
        q("SELECT remark FROM DB.patients WHERE id = 50").await,
        "高龄患者，需家属陪同 👨‍👩‍👧"
    );
    assert_eq!(
        q("SELECT COUNT(*) FROM DB.consultations WHERE complaint = '复诊开药 💊'").await,
        "250"
    );
    assert_eq!(
        q("SELECT phone FROM DB.patients WHERE id = 1").await,
        "139****7919"
    );
    // The trigger priced every line; the view and the procedure work.
    assert_eq!(
        q("SELECT COUNT(*) FROM DB.prescriptions WHERE amount <> ROUND(unit_price * quantity, 2) OR amount = 0").await,
        "0"
    );
    assert_eq!(q("SELECT COUNT(*) FROM DB.v_hospital_activity").await, "24");
    assert_eq!(
        q("SELECT SUM(consultations) FROM DB.v_hospital_activity").await,
        "3000"
    );
    assert_eq!(
        q("SELECT DB.mask_phone('13812345678')").await,
        "138****5678"
    );

    // Loaded twice, the same name is refused rather than overwritten.
    let e = sample::load(target, "hospital`platform")
        .await
        .expect_err("exists");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "mysql.sample_exists");

    // The facts see the new database with its size.
    let facts = connect(target)
        .await
        .expect("connect")
        .facts()
        .await
        .expect("facts");
    let db = facts
        .databases
        .iter()
        .find(|d| d.name == "hospital`platform")
        .expect("sample database listed");
    assert!(db.size_bytes > 0);
}

async fn socket_login_without_password(scratch: &ScratchMysql) {
    let target = scratch.socket_target();
    let engine = connect(&target).await.expect("socket login");
    let facts = engine.facts().await.expect("facts over the socket");
    assert_eq!(facts.product, "MariaDB");
    assert!(facts.host.is_some());
    engine.close().await;
}
