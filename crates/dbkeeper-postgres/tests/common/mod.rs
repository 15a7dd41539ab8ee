//! Helpers shared by the integration tests: test certificates and error checks.
#![allow(dead_code, unreachable_pub)]

pub mod pg;
pub mod store;

use std::path::{Path, PathBuf};

use dbkeeper_core::{Error, Lang};

/// Both renderings and the debug form, to check that nothing secret leaks into any of them.
pub fn all_renderings(e: &Error) -> String {
    format!("{}\n{}\n{:?}", e.render(Lang::En), e.render(Lang::ZhCn), e)
}

/// A CA and a server certificate for 127.0.0.1 and localhost, written as PEM files.
pub struct TestPki {
    pub ca_pem: PathBuf,
    pub server_cert_pem: PathBuf,
    pub server_key_pem: PathBuf,
    /// A second CA that signed nothing the server has.
    pub other_ca_pem: PathBuf,
}

fn ca(name: &str) -> (rcgen::Certificate, rcgen::KeyPair) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let key = KeyPair::generate().expect("ca key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let cert = params.self_signed(&key).expect("self-signed ca");
    (cert, key)
}

impl TestPki {
    pub fn create(dir: &Path) -> TestPki {
        use rcgen::{CertificateParams, DnType, KeyPair};
        let (ca_cert, ca_key) = ca("dbkeeper test CA");
        let (other_ca, _) = ca("some other CA");
        let key = KeyPair::generate().expect("server key");
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
                .expect("server params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let cert = params
            .signed_by(&key, &ca_cert, &ca_key)
            .expect("server cert");
        let write = |name: &str, text: String| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write pem");
            p
        };
        TestPki {
            ca_pem: write("ca.pem", ca_cert.pem()),
            server_cert_pem: write("server.crt", cert.pem()),
            server_key_pem: write("server.key", key.serialize_pem()),
            other_ca_pem: write("other-ca.pem", other_ca.pem()),
        }
    }
}
