//! The chat robots' message formats and signatures: a generic JSON webhook, WeCom (企业微信),
//! DingTalk (钉钉) and Feishu (飞书). Pure functions, so that tests can check every byte.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use super::Message;

/// WeCom rejects markdown content over 4096 bytes; DingTalk and Feishu allow more, but a chat
/// message is a summary, not a report.
const MAX_BYTES: usize = 4000;

/// Cuts text at a character boundary to at most `max` bytes, marking the cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The generic webhook: the title and text for chat tools that show `text` (Slack-style), and
/// the run's figures as fields for scripts.
pub fn webhook_body(m: &Message) -> Value {
    json!({
        "text": format!("{}\n{}", m.title, m.text),
        "title": m.title,
        "body": m.text,
        "dbkeeper": m.fields,
    })
}

/// WeCom group robot: markdown.
pub fn wecom_body(m: &Message) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": { "content": clip(&format!("**{}**\n{}", m.title, m.text), MAX_BYTES) },
    })
}

/// DingTalk custom robot: markdown (its title shows in the notification list).
pub fn dingtalk_body(m: &Message) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": {
            "title": m.title,
            "text": clip(&format!("### {}\n\n{}", m.title, m.text), MAX_BYTES),
        },
    })
}

/// Feishu custom bot: text, with the signature fields when the bot has a secret.
pub fn feishu_body(m: &Message, signed: Option<(i64, String)>) -> Value {
    let mut body = json!({
        "msg_type": "text",
        "content": { "text": clip(&format!("{}\n{}", m.title, m.text), MAX_BYTES) },
    });
    if let (Some((ts, sign)), Some(obj)) = (signed, body.as_object_mut()) {
        obj.insert("timestamp".into(), Value::String(ts.to_string()));
        obj.insert("sign".into(), Value::String(sign));
    }
    body
}

/// DingTalk's signature: HMAC-SHA256 keyed with the secret over "{timestamp_ms}\n{secret}",
/// base64; sent as `&timestamp=…&sign=…` (URL-encoded) on the webhook URL.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// The webhook URL with DingTalk's signature parameters appended.
pub fn dingtalk_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let sign: String =
        url::form_urlencoded::byte_serialize(dingtalk_sign(secret, timestamp_ms).as_bytes())
            .collect();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}timestamp={timestamp_ms}&sign={sign}")
}

/// Feishu's signature: HMAC-SHA256 keyed with "{timestamp_s}\n{secret}" over nothing, base64.
pub fn feishu_sign(secret: &str, timestamp_s: i64) -> String {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

fn hmac_base64(key: &[u8], data: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The robots answer 200 with an error code in the body; `Some(reason)` when they refused.
pub fn refusal(kind: &str, body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let (code, text) = match kind {
        "wecom" | "dingtalk" => (v.get("errcode"), v.get("errmsg")),
        "feishu" => (
            v.get("code").or_else(|| v.get("StatusCode")),
            v.get("msg").or_else(|| v.get("StatusMessage")),
        ),
        _ => return None,
    };
    let code = code?.as_i64()?;
    if code == 0 {
        return None;
    }
    let text = text.and_then(Value::as_str).unwrap_or_default();
    Some(format!("code {code}: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_documented_recipes() {
        // Computed independently, with Python's hmac module, from the robots' documentation.
        assert_eq!(
            dingtalk_sign("SECabc", 1_700_000_000_000),
            "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="
        );
        assert_eq!(
            feishu_sign("SECabc", 1_700_000_000),
            "XprR1de+0SSBnwWyU/4k6x2TL+Q2SJlM5NNEdAv7MWg="
        );
        let url = dingtalk_url(
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            "s",
            5,
        );
        assert!(url
            .starts_with("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=5&sign="));
        assert!(
            !url["https://".len()..].contains('+'),
            "sign is URL-encoded: {url}"
        );
    }

    #[test]
    fn robots_refusals() {
        assert_eq!(refusal("wecom", r#"{"errcode":0,"errmsg":"ok"}"#), None);
        assert_eq!(
            refusal(
                "dingtalk",
                r#"{"errcode":310000,"errmsg":"sign not match"}"#
            )
            .as_deref(),
            Some("code 310000: sign not match")
        );
        assert_eq!(refusal("feishu", r#"{"code":0,"msg":"success"}"#), None);
        assert!(refusal("feishu", r#"{"code":19021,"msg":"sign match fail"}"#).is_some());
        assert_eq!(refusal("webhook", r#"{"errcode":1}"#), None);
    }

    #[test]
    fn clips_at_char_boundaries() {
        let s = "监".repeat(2000);
        let c = clip(&s, 100);
        assert!(c.len() <= 100 && c.ends_with('…'));
    }
}
