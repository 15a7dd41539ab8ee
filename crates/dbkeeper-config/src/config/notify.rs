//! Reading `notify:`: channels, the keys each kind takes, SMTP settings and addresses.

use dbkeeper_core::Text;

use super::{ChannelEntry, ChannelKind, NotifyOn, Smtp};
use crate::msg;
use crate::yaml::{Item, Map};

const CHANNEL_KEYS: &[&str] = &["kind", "url", "secret", "on", "lang", "smtp", "from", "to"];
const SMTP_KEYS: &[&str] = &["host", "port", "tls", "username", "password"];

/// The keys each kind of channel takes.
fn channel_keys(kind: ChannelKind) -> &'static [&'static str] {
    match kind {
        ChannelKind::Webhook | ChannelKind::Wecom => &["kind", "url", "on", "lang"],
        ChannelKind::Dingtalk | ChannelKind::Feishu => &["kind", "url", "secret", "on", "lang"],
        ChannelKind::Email => &["kind", "on", "lang", "smtp", "from", "to"],
    }
}

pub(super) fn channel(name: &str, item: &Item<'_>) -> Option<ChannelEntry> {
    let m = item.mapping(CHANNEL_KEYS);
    let kind = m.need("kind").and_then(|k| k.one_of(ChannelKind::ALL));
    let on = match m.get("on") {
        Some(i) => i
            .list()
            .unwrap_or_default()
            .iter()
            .filter_map(|x| x.one_of(NotifyOn::ALL))
            .collect(),
        None => vec![NotifyOn::Failure, NotifyOn::Recovery],
    };
    let lang = m.optional("lang");
    let kind = kind?;
    let takes = channel_keys(kind);
    for key in CHANNEL_KEYS.iter().filter(|k| !takes.contains(k)) {
        m.reject(
            key,
            Text::new(msg::CHANNEL_KEY)
                .arg("key", m.path_of(key))
                .arg("kind", kind.as_str()),
            Text::new(msg::CHANNEL_KEY_HINT)
                .arg("kind", kind.as_str())
                .arg("allowed", takes.join(", ")),
        );
    }
    let mut entry = ChannelEntry {
        name: name.to_string(),
        kind,
        url: None,
        secret: None,
        on,
        lang,
        smtp: None,
        from: None,
        to: Vec::new(),
    };
    if kind == ChannelKind::Email {
        entry.smtp = m.need("smtp").and_then(|i| smtp(&i.mapping(SMTP_KEYS)));
        entry.from = m.need("from").and_then(|i| email(&i));
        if let Some(to) = m.need("to") {
            let list = to.list();
            if list.as_ref().is_some_and(Vec::is_empty) {
                to.error(
                    Text::new(msg::EMPTY_VALUE).arg("key", to.path()),
                    Text::new(msg::EMPTY_VALUE_HINT),
                );
            }
            entry.to = list.unwrap_or_default().iter().filter_map(email).collect();
        }
    } else {
        entry.url = m.required("url");
        if takes.contains(&"secret") {
            entry.secret = m.optional("secret");
        }
    }
    Some(entry)
}

fn smtp(m: &Map<'_>) -> Option<Smtp> {
    let host = m.required("host");
    let port = m.optional("port").unwrap_or(465);
    let tls = m.optional("tls").unwrap_or(true);
    let username = m.optional("username");
    let password = m.optional("password");
    Some(Smtp {
        host: host?,
        port,
        tls,
        username,
        password,
    })
}

/// `a@b.example` or `Name <a@b.example>`.
fn email(item: &Item<'_>) -> Option<String> {
    let s: String = item.get()?;
    let addr = s
        .rsplit_once('<')
        .map_or(s.as_str(), |(_, r)| r.trim_end_matches('>'));
    let ok = addr
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && !host.is_empty() && !host.contains('@'))
        && !addr.contains(char::is_whitespace);
    if !ok {
        item.error(
            Text::new(msg::EMAIL).arg("got", item.shown()),
            Text::new(msg::EMAIL_HINT),
        );
        return None;
    }
    Some(s)
}
