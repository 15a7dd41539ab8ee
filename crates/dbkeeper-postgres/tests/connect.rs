//! Connections against real scratch servers: facts, every failure's kind and message, TLS modes.

mod common;

use std::time::Duration;

use dbkeeper_core::engine::{Engine, Role};
use dbkeeper_core::scratch::{free_port, ScratchInstance};
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_postgres::{connect, ScratchOptions, ScratchPostgres};

use common::{all_renderings, TestPki};

async fn scalar(engine: &dbkeeper_postgres::PgEngine, sql: &str) -> String {
    engine
        .client()
        .query_one(sql, &[])
        .await
        .expect(sql)
        .get::<_, String>(0)
}

/// One plain server (no TLS, no password) for everything that needs no special setup.
#[tokio::test]
async fn plain_server_facts_and_failures() {
    let scratch = ScratchPostgres::start(ScratchOptions::default()).expect("scratch starts");
    let target = scratch.target().clone();
    assert_eq!(target.host, "127.0.0.1");
    assert_eq!(target.tls.mode, TlsMode::Prefer);

    // Facts agree with what the server says of itself.
    let engine = connect(&target).await.expect("connects");
    let facts = engine.facts().await.expect("facts");
    assert_eq!(facts.product, "PostgreSQL");
    assert_eq!(
        facts.version_full,
        scalar(&engine, "SELECT version()").await
    );
    let shown = engine
        .client()
        .simple_query("SHOW server_version")
        .await
        .expect("show");
    let server_version = shown
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .expect("a row");
    assert_eq!(
        facts.version,
        server_version.split_whitespace().next().expect("token")
    );
    assert!(facts
        .version
        .starts_with(&format!("{}.", scratch.major_version())));
    assert_eq!(facts.role, Role::Primary);
    assert!(facts.started_at.is_some());
    assert!(facts.uptime_seconds.is_some());
    assert_eq!(facts.encoding, "UTF8");
    assert!(facts.collation.is_some());
    assert_eq!(
        facts.data_directory.as_deref().map(std::path::Path::new),
        Some(scratch.data_dir())
    );
    let postgres_db = facts
        .databases
        .iter()
        .find(|d| d.name == "postgres")
        .expect("postgres database listed");
    assert!(postgres_db.size_bytes > 0);
    assert!(
        !facts.databases.iter().any(|d| d.name == "template0"),
        "template0 does not allow connections"
    );
    let shared_buffers = facts
        .settings
        .iter()
        .find(|s| s.name == "shared_buffers")
        .expect("shared_buffers");
    assert_eq!(shared_buffers.unit.as_deref(), Some("8kB"));
    assert_eq!(facts.settings.len(), dbkeeper_postgres::SETTINGS.len());
    let host = facts.host.as_ref().expect("host facts for a local server");
    assert!(host.cpus >= 1);
    assert!(host.data_fs.is_some(), "data directory measured");

    // An ordinary user: data_directory is hidden from it (None, not an error), and a database
    // it may not connect to is left out rather than failing the whole call.
    for sql in [
        "CREATE ROLE reader LOGIN",
        "CREATE DATABASE closed_db",
        "REVOKE CONNECT ON DATABASE closed_db FROM PUBLIC",
    ] {
        engine.client().batch_execute(sql).await.expect(sql);
    }
    let reader = connect(&Target {
        user: "reader".into(),
        ..target.clone()
    })
    .await
    .expect("reader connects");
    let seen_by_reader = reader.facts().await.expect("facts as reader");
    assert_eq!(seen_by_reader.data_directory, None);
    assert!(seen_by_reader
        .databases
        .iter()
        .any(|d| d.name == "postgres"));
    assert!(!seen_by_reader
        .databases
        .iter()
        .any(|d| d.name == "closed_db"));
    assert!(facts.databases.iter().all(|d| d.name != "closed_db"));
    let as_superuser = engine.facts().await.expect("facts again");
    assert!(as_superuser.databases.iter().any(|d| d.name == "closed_db"));
    drop(reader);

    // Area crates hold it as a trait object.
    let boxed: Box<dyn Engine> = Box::new(engine);
    assert_eq!(boxed.kind(), dbkeeper_core::target::EngineKind::Postgres);
    drop(boxed);

    // The Unix socket works too, with TLS modes ignored as libpq does.
    let socket = Target {
        tls: dbkeeper_core::target::Tls {
            mode: TlsMode::Require,
            ca_file: None,
        },
        ..scratch.socket_target()
    };
    let engine = connect(&socket).await.expect("socket connects");
    assert_eq!(
        scalar(&engine, "SELECT current_user::text").await,
        target.user
    );
    drop(engine);

    // sslmode=disable connects in clear.
    let disable = Target {
        tls: dbkeeper_core::target::Tls {
            mode: TlsMode::Disable,
            ca_file: None,
        },
        ..target.clone()
    };
    connect(&disable).await.expect("disable connects");

    // sslmode=require against a server without TLS is a configuration error.
    let require = Target {
        tls: dbkeeper_core::target::Tls {
            mode: TlsMode::Require,
            ca_file: None,
        },
        ..target.clone()
    };
    let e = connect(&require).await.expect_err("no TLS on the server");
    eprintln!("{}\n{}", e.render(Lang::En), e.render(Lang::ZhCn));
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.tls_not_supported");
    assert!(e.render(Lang::En).contains("does not support TLS"), "{e}");
    assert!(e.render(Lang::ZhCn).contains("不支持 TLS"), "{e}");
    assert!(e.main.hint.is_some());

    // A database that does not exist.
    let missing = Target {
        database: Some("no_such_db".into()),
        ..target.clone()
    };
    let e = connect(&missing).await.expect_err("no such database");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.database_missing");
    assert!(e.detail.as_deref().unwrap_or("").contains("3D000"), "{e}");

    // Explicit stop: the process and the directory are gone.
    let pid = scratch.pid();
    let dir = scratch
        .data_dir()
        .parent()
        .expect("scratch dir")
        .to_path_buf();
    scratch.stop();
    assert!(!dbkeeper_core::scratch::process_alive(pid));
    assert!(!dir.exists());
}

#[tokio::test]
async fn nothing_listening_is_unavailable() {
    let port = free_port().expect("port");
    let target = Target::from_url(
        None,
        &format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    )
    .expect("url");
    let e = connect(&target).await.expect_err("nothing listens");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(e.exit_code(), 69);
    assert_eq!(e.main.what.id(), "pg.connect_unreachable");
    let shown = e.render(Lang::En);
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    assert!(e.main.hint.is_some());

    // Something that accepts the connection and never answers: the attempt is bounded.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let silent_port = silent.local_addr().expect("addr").port();
    let mut hung = Target::from_url(
        None,
        &format!("postgres://postgres@127.0.0.1:{silent_port}/postgres?connect_timeout=1"),
    )
    .expect("url");
    hung.tls.mode = TlsMode::Disable;
    let started = std::time::Instant::now();
    let e = connect(&hung).await.expect_err("no answer");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(e.main.what.id(), "pg.connect_timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(silent);

    // A host name that cannot resolve (.invalid never does) is unavailable as well, whether
    // the resolver says so or the timeout fires first.
    let mut unknown = Target::from_url(
        None,
        "postgres://postgres@surely-no-such-host.invalid/postgres",
    )
    .expect("url");
    unknown.connect_timeout = Duration::from_secs(3);
    let e = connect(&unknown).await.expect_err("cannot resolve");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Unavailable, "{e}");
}

#[tokio::test]
async fn wrong_password_is_a_config_error_without_the_password() {
    const RIGHT: &str = "Right-Pa55word-1";
    const WRONG: &str = "wrong-secret-4711";
    let scratch = ScratchPostgres::start(ScratchOptions {
        password: Some(RIGHT.into()),
        ..ScratchOptions::default()
    })
    .expect("scratch with password");
    let with = |password: &str| Target {
        password: Some(SecretRef::Command(vec!["printf".into(), password.into()])),
        ..scratch.target().clone()
    };

    let e = connect(&with(WRONG)).await.expect_err("wrong password");
    eprintln!("{}\n{}", e.render(Lang::En), e.render(Lang::ZhCn));
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.exit_code(), 78);
    assert_eq!(e.main.what.id(), "pg.auth_failed");
    let shown = all_renderings(&e);
    assert!(!shown.contains(WRONG), "{shown}");
    assert!(!shown.contains(RIGHT), "{shown}");
    assert!(
        e.detail.as_deref().unwrap_or("").contains("28P01"),
        "{shown}"
    );
    assert!(e.render(Lang::En).contains("PGPASSWORD"), "{shown}");

    let engine = connect(&with(RIGHT)).await.expect("right password");
    assert!(!format!("{engine:?}").contains(RIGHT));

    // No password at all: the server asks for one and we say none was given (unless the
    // environment supplies PGPASSWORD, which the target would then use).
    if std::env::var_os("PGPASSWORD").is_none() {
        let e = connect(scratch.target()).await.expect_err("no password");
        assert_eq!(e.kind, ErrorKind::Config);
        assert_eq!(e.main.what.id(), "pg.password_missing");
    }

    // The Unix socket stays trust, for the tool's own administration of the scratch server.
    connect(&scratch.socket_target())
        .await
        .expect("socket trust");
}

#[tokio::test]
async fn tls_modes_against_a_tls_server() {
    let pki_dir = tempfile::tempdir().expect("tempdir");
    let pki = TestPki::create(pki_dir.path());
    // With a password too, so that SCRAM runs over TLS (with channel binding), as in production.
    let scratch = ScratchPostgres::start(ScratchOptions {
        tls: Some((pki.server_cert_pem.clone(), pki.server_key_pem.clone())),
        password: Some("tls-Pa55".into()),
        ..ScratchOptions::default()
    })
    .expect("scratch with TLS");
    let with = |mode: TlsMode, ca: Option<&std::path::Path>, host: &str| Target {
        host: host.to_string(),
        password: Some(SecretRef::Command(vec!["printf".into(), "tls-Pa55".into()])),
        tls: dbkeeper_core::target::Tls {
            mode,
            ca_file: ca.map(std::path::Path::to_path_buf),
        },
        ..scratch.target().clone()
    };
    let uses_tls = |engine: dbkeeper_postgres::PgEngine| async move {
        engine
            .client()
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .expect("pg_stat_ssl")
            .get::<_, bool>(0)
    };

    for mode in [TlsMode::Prefer, TlsMode::Require] {
        let engine = connect(&with(mode, None, "127.0.0.1"))
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert!(uses_tls(engine).await, "{mode} encrypts");
    }
    for host in ["127.0.0.1", "localhost"] {
        let engine = connect(&with(TlsMode::VerifyFull, Some(&pki.ca_pem), host))
            .await
            .unwrap_or_else(|e| panic!("verify-full {host}: {e}"));
        assert!(uses_tls(engine).await);
    }

    let e = connect(&with(
        TlsMode::VerifyFull,
        Some(&pki.other_ca_pem),
        "127.0.0.1",
    ))
    .await
    .expect_err("signed by another CA");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Config, "{e}");
    assert_eq!(e.main.what.id(), "pg.tls_cert", "{e}");

    // Without a CA file verify-full trusts only the web roots, which did not sign this.
    let e = connect(&with(TlsMode::VerifyFull, None, "127.0.0.1"))
        .await
        .expect_err("not a public CA");
    assert_eq!(e.main.what.id(), "pg.tls_cert", "{e}");

    let e = connect(&with(
        TlsMode::VerifyFull,
        Some(&pki_dir.path().join("missing.pem")),
        "127.0.0.1",
    ))
    .await
    .expect_err("CA file missing");
    eprintln!("{}", e.render(Lang::En));
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "pg.tls_ca_file");
}

#[tokio::test]
async fn generic_query_returns_typed_json() {
    let pg =
        dbkeeper_postgres::scratch::ScratchPostgres::start(Default::default()).expect("scratch");
    let engine: Box<dyn dbkeeper_core::engine::Engine> = Box::new(
        dbkeeper_postgres::connect(dbkeeper_core::scratch::ScratchInstance::target(&pg))
            .await
            .expect("connect"),
    );
    let rows = engine
        .query("SELECT 1::int8 AS n, true AS b, 'é中'::text AS t, NULL::text AS z, 2.5::float8 AS f, 12.30::numeric::text AS d, '{\"a\":1}'::jsonb AS j, now() AS ts")
        .await
        .expect("query");
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        r.keys().cloned().collect::<Vec<_>>(),
        ["n", "b", "t", "z", "f", "d", "j", "ts"],
        "column order kept"
    );
    assert_eq!(r["n"], 1);
    assert_eq!(r["b"], true);
    assert_eq!(r["t"], "é中");
    assert!(r["z"].is_null());
    assert_eq!(r["f"], 2.5);
    assert_eq!(r["d"], "12.30");
    assert_eq!(r["j"]["a"], 1);
    assert!(r["ts"].as_str().is_some_and(|s| s.contains('T')));
    let e = engine
        .query("SELECT * FROM no_such_table")
        .await
        .expect_err("fails");
    assert!(e.detail.as_deref().unwrap_or("").contains("42P01"), "{e}");
}
