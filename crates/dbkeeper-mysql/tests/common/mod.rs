//! Helpers shared by the integration tests (each test file includes this module).
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use dbkeeper_core::scratch::process_alive;
use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::target::Target;
use dbkeeper_mysql::scratch::{ScratchMysql, ScratchOptions};
use mysql_async::prelude::Queryable;

/// Starts a scratch server and reports how long that took (visible with --nocapture).
pub fn start(label: &str, opts: ScratchOptions) -> ScratchMysql {
    let t = Instant::now();
    let s = ScratchMysql::start(opts).expect("scratch server starts");
    eprintln!(
        "scratch {label}: started in {:.2}s (pid {}, port {})",
        t.elapsed().as_secs_f64(),
        s.pid(),
        s.port()
    );
    s
}

/// Stops a scratch server by dropping it and checks that nothing is left.
pub fn drop_and_check_gone(s: ScratchMysql) {
    let pid = s.pid();
    let dir = s.dir().to_path_buf();
    let t = Instant::now();
    drop(s);
    eprintln!("scratch stopped in {:.2}s", t.elapsed().as_secs_f64());
    assert_gone(pid, &dir);
}

pub fn assert_gone(pid: u32, dir: &Path) {
    assert!(!process_alive(pid), "server process {pid} still alive");
    assert!(!dir.exists(), "scratch dir {} still exists", dir.display());
}

/// One value straight from the server, bypassing the crate's own code.
pub async fn scalar(target: &Target, sql: &str) -> String {
    let mut opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(target.host.as_str())
        .tcp_port(target.port)
        .user(Some(target.user.as_str()))
        .prefer_socket(false);
    if let Some(r) = target.password_ref() {
        opts = opts.pass(Some(r.resolve().expect("password").expose().to_string()));
    }
    let mut conn = mysql_async::Conn::new(opts)
        .await
        .expect("direct connection");
    let v: Option<String> = conn.query_first(sql).await.expect("query");
    conn.disconnect().await.expect("disconnect");
    v.unwrap_or_default()
}

/// A CA and a server certificate for 127.0.0.1 and localhost signed by it, as PEM files in
/// `dir`: (ca.pem, server-cert.pem, server-key.pem).
pub fn make_certs(dir: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, format!("dbkeeper test CA {name}"));
    let ca_key = KeyPair::generate().expect("ca key");
    let ca = ca_params.self_signed(&ca_key).expect("ca cert");

    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("server params");
    params
        .distinguished_name
        .push(DnType::CommonName, "dbkeeper scratch server");
    let key = KeyPair::generate().expect("server key");
    let cert = params.signed_by(&key, &ca, &ca_key).expect("server cert");

    let ca_path = dir.join(format!("{name}-ca.pem"));
    let cert_path = dir.join(format!("{name}-server-cert.pem"));
    let key_path = dir.join(format!("{name}-server-key.pem"));
    std::fs::write(&ca_path, ca.pem()).expect("write ca");
    std::fs::write(&cert_path, cert.pem()).expect("write cert");
    std::fs::write(&key_path, key.serialize_pem()).expect("write key");
    // Private to us: the scratch instance must copy it for the server's own OS user.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    (ca_path, cert_path, key_path)
}

pub mod compare;
pub mod objects;

/// The hard fixture's SQL file.
pub fn hard_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hard.sql")
}
