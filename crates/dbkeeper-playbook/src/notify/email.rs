//! E-mail over SMTP through lettre with rustls.
//!
//! `tls: true` (the default) is implicit TLS (SMTPS, port 465). `tls: false` upgrades with
//! STARTTLS: required when there is a password — a password never crosses the network in clear —
//! and opportunistic otherwise (a relay on the local network that takes mail without login).

use std::time::Duration;

use dbkeeper_config::{ChannelEntry, Smtp};
use dbkeeper_core::secret::Secret;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::Message;

pub(super) async fn send(
    ch: &ChannelEntry,
    smtp: &Smtp,
    password: Option<&Secret>,
    m: &Message,
    timeout: Duration,
) -> Result<(), String> {
    let from: Mailbox = ch
        .from
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e| format!("{}from: {e}", super::PERMANENT))?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(&m.title)
        .header(ContentType::TEXT_PLAIN);
    for to in &ch.to {
        let mb: Mailbox = to
            .parse()
            .map_err(|e| format!("{}to `{to}`: {e}", super::PERMANENT))?;
        builder = builder.to(mb);
    }
    let mail = builder
        .body(m.text.clone())
        .map_err(|e| format!("{}{e}", super::PERMANENT))?;

    let tls_params =
        TlsParameters::new(smtp.host.clone()).map_err(|e| format!("{}{e}", super::PERMANENT))?;
    let tls = match (smtp.tls, password.is_some()) {
        (true, _) => Tls::Wrapper(tls_params),
        (false, true) => Tls::Required(tls_params),
        (false, false) => Tls::Opportunistic(tls_params),
    };
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(timeout));
    if let (Some(user), Some(pw)) = (&smtp.username, password) {
        transport = transport.credentials(Credentials::new(user.clone(), pw.expose().to_string()));
    }
    transport
        .build()
        .send(mail)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
