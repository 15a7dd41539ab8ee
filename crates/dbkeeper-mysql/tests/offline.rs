//! Connection failures that need no server: nothing listening, a server that never answers,
//! a target of the wrong engine, and configuration mistakes caught before connecting.

use std::time::{Duration, Instant};

use dbkeeper_core::scratch::free_port;
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_mysql::connect;

fn target(port: u16) -> Target {
    Target::from_url(Some("nowhere"), &format!("mysql://root@127.0.0.1:{port}")).expect("url")
}

#[tokio::test]
async fn unreachable_port_is_unavailable() {
    let port = free_port().expect("port");
    let e = connect(&target(port)).await.expect_err("nothing listens");
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(e.exit_code(), 69);
    assert_eq!(e.main.what.id(), "mysql.unreachable");
    let shown = e.render(Lang::En);
    assert!(shown.contains("`nowhere`"), "{shown}");
    assert!(shown.contains(&format!("127.0.0.1:{port}")), "{shown}");
    assert!(shown.contains("hint:"), "{shown}");
    assert!(e.render(Lang::ZhCn).starts_with("错误: 无法连接"));
}

#[tokio::test]
async fn silent_server_times_out() {
    // The kernel completes the TCP handshake for a listener that never accepts; the MySQL
    // greeting then never comes.
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut t = target(port);
    t.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = connect(&t).await.expect_err("no greeting");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(e.main.what.id(), "mysql.timeout");
    assert!(e.render(Lang::En).contains("within 1s"));
    drop(listener);
}

#[tokio::test]
async fn wrong_engine_is_refused() {
    let t = Target::from_url(None, "postgres://u@127.0.0.1:1/x").expect("url");
    let e = connect(&t).await.expect_err("not mysql");
    assert_eq!(e.kind, ErrorKind::Usage);
    assert_eq!(e.main.what.id(), "mysql.wrong_engine");
}

#[tokio::test]
async fn config_mistakes_are_caught_before_connecting() {
    let port = free_port().expect("port");
    let mut t = target(port);
    t.password = Some(SecretRef::Env("DBKEEPER_TEST_SURELY_UNSET_PW".into()));
    let e = connect(&t).await.expect_err("unset variable");
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(e.render(Lang::En).contains("DBKEEPER_TEST_SURELY_UNSET_PW"));

    let mut t = target(port);
    t.tls.mode = TlsMode::Require;
    t.tls.ca_file = Some("/etc/ssl/some-ca.pem".into());
    let e = connect(&t).await.expect_err("CA without verify-full");
    assert_eq!(e.kind, ErrorKind::Config);
}
