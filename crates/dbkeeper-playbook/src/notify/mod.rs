//! Notifications: chat robots over HTTPS and e-mail over SMTP, retried, recorded, and shown.
//!
//! A delivery never fails silently and never changes the job's result: [`Notifier::send`] always
//! returns a [`Delivery`] saying what happened, which the runner records in the ledger and puts in
//! its report, and every error text in it has the channel's secrets (webhook tokens, signing
//! secrets, SMTP passwords) replaced by `***`.

mod email;
pub mod robots;
pub mod summary;

use std::time::Duration;

use dbkeeper_config::{ChannelEntry, ChannelKind, NotifyOn};
use dbkeeper_core::secret::Secret;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};

use crate::msg;

/// What is sent: a title and text in the channel's language, and the run's figures as fields for
/// the generic webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub title: String,
    pub text: String,
    pub fields: serde_json::Value,
}

/// The outcome of sending one message to one channel.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub channel: String,
    pub kind: String,
    /// `failure`, `recovery`, `always` or `step`.
    pub event: String,
    pub delivered: bool,
    pub attempts: u32,
    /// Why not, in English, with every secret removed.
    pub error: Option<String>,
}

/// Sends messages, retrying each delivery a bounded number of times with exponential backoff.
#[derive(Clone, Debug)]
pub struct Notifier {
    http: reqwest::Client,
    /// Attempts per delivery (at least 1).
    pub attempts: u32,
    /// Wait before the second attempt; doubled before each further one.
    pub backoff: Duration,
    /// Per attempt.
    pub timeout: Duration,
}

impl Notifier {
    /// Three attempts, 2 s then 4 s apart, 15 s each: about a minute at most per channel, so
    /// that a dead robot delays the end of a job a little, never by hours.
    pub fn new() -> Result<Notifier> {
        let timeout = Duration::from_secs(15);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("dbkeeper/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::new(ErrorKind::Internal, Text::new(msg::HTTP_CLIENT)).detail(e))?;
        Ok(Notifier {
            http,
            attempts: 3,
            backoff: Duration::from_secs(2),
            timeout,
        })
    }

    /// Sends `m` to `channel`; retried, never an error: the result says what happened.
    pub async fn send(&self, channel: &ChannelEntry, m: &Message, event: &str) -> Delivery {
        let mut attempts = 0;
        let mut last = String::new();
        let max = self.attempts.max(1);
        while attempts < max {
            attempts += 1;
            match self.send_once(channel, m).await {
                Ok(()) => {
                    return Delivery {
                        channel: channel.name.clone(),
                        kind: channel.kind.as_str().to_string(),
                        event: event.to_string(),
                        delivered: true,
                        attempts,
                        error: None,
                    }
                }
                Err(e) => {
                    last = e;
                    tracing::warn!(channel = %channel.name, attempt = attempts, error = %last, "notification not delivered");
                    // A missing secret or a bad address does not fix itself: do not wait for it.
                    if last.starts_with(PERMANENT) || attempts >= max {
                        break;
                    }
                    tokio::time::sleep(self.backoff.saturating_mul(1 << (attempts - 1).min(16)))
                        .await;
                }
            }
        }
        Delivery {
            channel: channel.name.clone(),
            kind: channel.kind.as_str().to_string(),
            event: event.to_string(),
            delivered: false,
            attempts,
            error: Some(last.trim_start_matches(PERMANENT).to_string()),
        }
    }

    /// One attempt; the error is already free of secrets.
    async fn send_once(&self, ch: &ChannelEntry, m: &Message) -> std::result::Result<(), String> {
        let mut secrets: Vec<Secret> = Vec::new();
        let resolve = |r: &Option<dbkeeper_core::secret::SecretRef>,
                       secrets: &mut Vec<Secret>|
         -> std::result::Result<Option<Secret>, String> {
            match r {
                None => Ok(None),
                Some(r) => match r.resolve() {
                    Ok(s) => {
                        secrets.push(s.clone());
                        Ok(Some(s))
                    }
                    Err(e) => Err(format!("{PERMANENT}{}", e.render(Lang::En))),
                },
            }
        };
        let result = match ch.kind {
            ChannelKind::Email => {
                let Some(smtp) = &ch.smtp else {
                    return Err(format!("{PERMANENT}no smtp settings"));
                };
                let password = resolve(&smtp.password, &mut secrets)?;
                email::send(ch, smtp, password.as_ref(), m, self.timeout).await
            }
            kind => {
                let Some(url) = resolve(&ch.url, &mut secrets)? else {
                    return Err(format!("{PERMANENT}no url"));
                };
                let secret = resolve(&ch.secret, &mut secrets)?;
                self.post(kind, url.expose(), secret.as_ref(), m).await
            }
        };
        result.map_err(|e| redact(&e, &secrets))
    }

    async fn post(
        &self,
        kind: ChannelKind,
        url: &str,
        secret: Option<&Secret>,
        m: &Message,
    ) -> std::result::Result<(), String> {
        let now = chrono::Utc::now();
        let (url, body) = match kind {
            ChannelKind::Wecom => (url.to_string(), robots::wecom_body(m)),
            ChannelKind::Dingtalk => {
                let url = match secret {
                    Some(s) => robots::dingtalk_url(url, s.expose(), now.timestamp_millis()),
                    None => url.to_string(),
                };
                (url, robots::dingtalk_body(m))
            }
            ChannelKind::Feishu => {
                let ts = now.timestamp();
                let signed = secret.map(|s| (ts, robots::feishu_sign(s.expose(), ts)));
                (url.to_string(), robots::feishu_body(m, signed))
            }
            ChannelKind::Webhook | ChannelKind::Email => (url.to_string(), robots::webhook_body(m)),
        };
        let resp = self
            .http
            .post(&url)
            .json(&body)
            .send()
            .await
            // The URL carries the robot's token: never in an error.
            .map_err(|e| e.without_url().to_string())?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("HTTP {status}: {}", robots::clip(text.trim(), 300)));
        }
        match robots::refusal(kind.as_str(), &text) {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }
}

/// Marks an error that retrying cannot fix.
const PERMANENT: &str = "\u{0}permanent:";

/// Replaces every secret, and the token-like parts of a webhook URL, with `***`.
pub fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut out = text.to_string();
    let mut parts: Vec<String> = Vec::new();
    for s in secrets {
        let v = s.expose();
        parts.push(v.to_string());
        // A URL's query values and long path segments are tokens (WeCom `key=`, DingTalk
        // `access_token=`, Feishu `/hook/<uuid>`), also when an error quotes them alone.
        if let Ok(u) = url::Url::parse(v) {
            parts.extend(u.query_pairs().map(|(_, v)| v.into_owned()));
            parts.extend(
                u.path_segments()
                    .into_iter()
                    .flatten()
                    .filter(|p| p.len() >= 16)
                    .map(str::to_string),
            );
        }
    }
    parts.retain(|p| p.len() >= 4);
    // Longest first, so that a URL is hidden whole before its token is.
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in parts {
        out = out.replace(&p, "***");
    }
    out
}

/// Which event, if any, a channel is told of: failure, recovery (this run succeeded and the one
/// before it failed), or always.
pub fn event_for(on: &[NotifyOn], failed: bool, previous_failed: bool) -> Option<&'static str> {
    let has = |x: NotifyOn| on.contains(&x);
    if failed && (has(NotifyOn::Failure) || has(NotifyOn::Always)) {
        return Some("failure");
    }
    if !failed && previous_failed && (has(NotifyOn::Recovery) || has(NotifyOn::Always)) {
        return Some("recovery");
    }
    if has(NotifyOn::Always) {
        return Some("always");
    }
    None
}

/// The channel's language, else the run's.
pub fn lang_of(channel: &ChannelEntry, fallback: Lang) -> Lang {
    channel.lang.unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_told_when() {
        use NotifyOn::*;
        assert_eq!(event_for(&[Failure], true, false), Some("failure"));
        assert_eq!(event_for(&[Failure], false, true), None);
        assert_eq!(
            event_for(&[Failure, Recovery], false, true),
            Some("recovery")
        );
        assert_eq!(event_for(&[Recovery], false, false), None);
        assert_eq!(event_for(&[Always], false, false), Some("always"));
        assert_eq!(event_for(&[Always], true, false), Some("failure"));
        assert_eq!(event_for(&[Always], false, true), Some("recovery"));
    }

    #[test]
    fn redacts_urls_tokens_and_secrets() {
        let url = Secret::new("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx");
        let sec = Secret::new("SEC0123456789");
        let text = "error sending to https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx: bad key 693a91f6-7xxx, signed with SEC0123456789";
        let r = redact(text, &[url, sec]);
        assert!(!r.contains("693a91f6"), "{r}");
        assert!(!r.contains("SEC0123456789"), "{r}");
        assert!(r.contains("***"));
    }
}
