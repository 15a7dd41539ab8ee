//! TLS client settings for the four modes of [`TlsMode`], with rustls and the ring provider.
//!
//! `prefer` and `require` encrypt without checking who is on the other end, exactly as libpq does
//! in those modes: the certificate is accepted whatever it says, but the handshake signatures are
//! still checked, so the session keys belong to whoever holds the certificate's private key.
//! `verify-full` checks the chain against the target's CA file (else the web roots) and the host
//! name against the certificate.

use std::sync::Arc;

use dbkeeper_core::target::{Target, TlsMode};
use dbkeeper_core::{Error, ErrorKind, Result, Text};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::msg;

/// The tokio-postgres TLS mode and connector for a target.
pub(crate) fn connector(target: &Target) -> Result<(SslMode, MakeRustlsConnect)> {
    // PostgreSQL never speaks TLS over a Unix socket (the server answers `N`), and libpq ignores
    // sslmode there; so do we, or `require` could never work on a local socket.
    let mode = if target.socket.is_some() {
        TlsMode::Disable
    } else {
        target.tls.mode
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = match mode {
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => {
            let verifier = Arc::new(AcceptAnyCertificate {
                provider: provider.clone(),
            });
            builder(target, provider)?
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth()
        }
        TlsMode::VerifyFull => {
            let roots = root_store(target)?;
            builder(target, provider)?
                .with_root_certificates(roots)
                .with_no_client_auth()
        }
    };
    let ssl_mode = match mode {
        TlsMode::Disable => SslMode::Disable,
        TlsMode::Prefer => SslMode::Prefer,
        TlsMode::Require | TlsMode::VerifyFull => SslMode::Require,
    };
    Ok((ssl_mode, MakeRustlsConnect::new(config)))
}

fn builder(
    target: &Target,
    provider: Arc<CryptoProvider>,
) -> Result<rustls::ConfigBuilder<ClientConfig, rustls::WantsVerifier>> {
    // The provider is named explicitly: the process-wide default is ambiguous when another crate
    // in the binary enables a second rustls provider.
    ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                Text::new(msg::TLS_SETUP).arg("target", &target.name),
            )
            .detail(e)
        })
}

/// The CA file's certificates, or the web roots when the target names none.
fn root_store(target: &Target) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    let Some(path) = &target.tls.ca_file else {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        return Ok(roots);
    };
    let bad = |detail: String| {
        Error::new(
            ErrorKind::Config,
            Text::new(msg::TLS_CA_FILE)
                .arg("path", path.display())
                .arg("target", &target.name),
        )
        .at(path.display().to_string())
        .hint(Text::new(msg::TLS_CA_FILE_HINT))
        .detail(detail)
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certs = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no CERTIFICATE block in the file".into()));
    }
    for cert in certs {
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    Ok(roots)
}

/// Accepts any server certificate (modes `prefer` and `require`) but verifies the handshake
/// signatures with the provider's algorithms, so a broken or forged handshake still fails.
#[derive(Debug)]
struct AcceptAnyCertificate {
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What went wrong in a TLS handshake, found by walking the error's causes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TlsFailure {
    /// The certificate was rejected (unknown issuer, wrong name, expired…).
    Certificate,
    /// Any other rustls error: protocol versions, ciphers, a bad signature.
    Handshake,
}

/// Finds a rustls error among the causes of `err`.
///
/// tokio-rustls wraps rustls errors in `io::Error`, and `io::Error::source` skips the wrapped
/// error itself, so each `io::Error` is opened with `get_ref`.
pub(crate) fn tls_failure(err: &(dyn std::error::Error + 'static)) -> Option<TlsFailure> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|i| i as &(dyn std::error::Error + 'static));
        for candidate in [Some(e), inner].into_iter().flatten() {
            if let Some(r) = candidate.downcast_ref::<rustls::Error>() {
                return Some(match r {
                    rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::InvalidCertRevocationList(_) => TlsFailure::Certificate,
                    _ => TlsFailure::Handshake,
                });
            }
        }
        next = inner.and_then(|i| i.source()).or_else(|| e.source());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rustls_errors_inside_io_errors() {
        let cert = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, cert);
        assert_eq!(tls_failure(&io), Some(TlsFailure::Certificate));
        let other = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::HandshakeNotComplete,
        );
        assert_eq!(tls_failure(&other), Some(TlsFailure::Handshake));
        let plain = std::io::Error::other("connection reset");
        assert_eq!(tls_failure(&plain), None);
    }
}
