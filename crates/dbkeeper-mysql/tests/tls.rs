//! One scratch MariaDB with TLS (a throw-away CA made with rcgen): every TLS mode, certificate
//! verification against the right and a wrong CA, and an explicit stop.

mod common;

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{ErrorKind, Lang};
use dbkeeper_mysql::connect;
use dbkeeper_mysql::scratch::ScratchOptions;

#[tokio::test]
async fn tls_scratch_server() {
    let certs = tempfile::tempdir().expect("tempdir");
    let (ca, cert, key) = common::make_certs(certs.path(), "good");
    let (other_ca, _, _) = common::make_certs(certs.path(), "other");
    let scratch = common::start(
        "tls",
        ScratchOptions {
            tls: Some((cert, key)),
            ..ScratchOptions::default()
        },
    );
    let with = |mode: TlsMode, ca_file: Option<&std::path::Path>| {
        let mut t: Target = scratch.target().clone();
        t.tls.mode = mode;
        t.tls.ca_file = ca_file.map(std::path::Path::to_path_buf);
        t
    };

    // require, prefer: encrypted, certificate not checked (it is from an unknown CA).
    for mode in [TlsMode::Require, TlsMode::Prefer] {
        let engine = connect(&with(mode, None)).await.expect("TLS login");
        let cipher = engine.tls_cipher().await.expect("cipher");
        assert!(cipher.is_some(), "{mode} must encrypt");
        engine.close().await;
    }
    // disable: plain even though the server could.
    let engine = connect(&with(TlsMode::Disable, None))
        .await
        .expect("plain login");
    assert_eq!(engine.tls_cipher().await.expect("cipher"), None);
    engine.close().await;

    // verify-full with the CA that signed the server certificate (which names 127.0.0.1).
    let engine = connect(&with(TlsMode::VerifyFull, Some(&ca)))
        .await
        .expect("verified TLS login");
    assert!(engine.tls_cipher().await.expect("cipher").is_some());
    engine.close().await;

    // verify-full with another CA, or with only the public web roots: refused.
    for ca_file in [Some(other_ca.as_path()), None] {
        let e = connect(&with(TlsMode::VerifyFull, ca_file))
            .await
            .expect_err("unverifiable certificate refused");
        assert_eq!(e.kind, ErrorKind::Config);
        assert_eq!(e.main.what.id(), "mysql.tls_cert", "{}", e.render(Lang::En));
        assert!(e.render(Lang::ZhCn).contains("无法校验"));
    }

    // A CA file that is not there is a configuration error naming the file.
    let missing = certs.path().join("missing-ca.pem");
    let e = connect(&with(TlsMode::VerifyFull, Some(&missing)))
        .await
        .expect_err("missing CA file");
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.main.what.id(), "mysql.ca_file");
    assert!(e.render(Lang::En).contains("missing-ca.pem"));

    let pid = scratch.pid();
    let dir = scratch.dir().to_path_buf();
    scratch.stop();
    common::assert_gone(pid, &dir);
}
