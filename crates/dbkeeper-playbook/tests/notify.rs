//! Notifications against servers started here on 127.0.0.1: the body and signature of each robot
//! format, e-mail over SMTP, and the failure paths — retried, recorded, shown, and never changing
//! the job's own result.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use dbkeeper_config::{ChannelEntry, ChannelKind, NotifyOn, Smtp};
use dbkeeper_core::engine::Engine;
use dbkeeper_core::ledger::Ledger;
use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};
use dbkeeper_playbook::notify::{robots, Message, Notifier};
use dbkeeper_playbook::{
    parse_str, Action, Actions, Connector, Deps, Outcome, Outputs, RunOptions, StepContext,
};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request the test server received.
#[derive(Clone, Debug)]
struct Req {
    target: String,
    body: Value,
}

/// A tiny HTTP/1.1 server: answers each request with the next queued (status, body), or 200
/// `{"errcode":0}` when none is queued.
struct Hook {
    addr: SocketAddr,
    got: Arc<Mutex<Vec<Req>>>,
    answers: Arc<Mutex<VecDeque<(u16, String)>>>,
}

impl Hook {
    async fn start() -> Hook {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let got = Arc::new(Mutex::new(Vec::new()));
        let answers: Arc<Mutex<VecDeque<(u16, String)>>> = Arc::new(Mutex::new(VecDeque::new()));
        let (g, a) = (got.clone(), answers.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (g, a) = (g.clone(), a.clone());
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let target = line
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    let mut len = 0usize;
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).await.unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; len];
                    let _ = r.read_exact(&mut body).await;
                    g.lock().expect("lock").push(Req {
                        target,
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                    });
                    let (status, text) = a
                        .lock()
                        .expect("lock")
                        .pop_front()
                        .unwrap_or((200, r#"{"errcode":0,"errmsg":"ok"}"#.into()));
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                        text.len()
                    );
                    let _ = w.write_all(resp.as_bytes()).await;
                });
            }
        });
        Hook { addr, got, answers }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn answer(&self, status: u16, body: &str) {
        self.answers
            .lock()
            .expect("lock")
            .push_back((status, body.to_string()));
    }

    fn requests(&self) -> Vec<Req> {
        self.got.lock().expect("lock").clone()
    }
}

/// A secret reference that yields `value` without touching the environment.
fn secret(value: &str) -> SecretRef {
    SecretRef::Command(vec!["printf".into(), "%s".into(), value.into()])
}

fn channel(kind: ChannelKind, url: &str, sign: Option<&str>) -> ChannelEntry {
    ChannelEntry {
        name: format!("ops-{}", kind.as_str()),
        kind,
        url: Some(secret(url)),
        secret: sign.map(secret),
        on: vec![NotifyOn::Failure],
        lang: None,
        smtp: None,
        from: None,
        to: Vec::new(),
    }
}

fn message() -> Message {
    Message {
        title: "[dbkeeper] nightly-backup FAILED".into(),
        text: "✗ backup (backup): cannot reach prod-pg".into(),
        fields: json!({"playbook": "nightly-backup", "exit_code": 2}),
    }
}

fn quick() -> Notifier {
    let mut n = Notifier::new().expect("notifier");
    n.attempts = 3;
    n.backoff = Duration::from_millis(10);
    n
}

/// The query parameters of a request target.
fn query(target: &str) -> Vec<(String, String)> {
    url::Url::parse(&format!("http://x{target}"))
        .expect("url")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn generic_webhook_body() {
    let hook = Hook::start().await;
    let d = quick()
        .send(
            &channel(ChannelKind::Webhook, &hook.url("/hook"), None),
            &message(),
            "failure",
        )
        .await;
    assert!(d.delivered, "{d:?}");
    assert_eq!((d.attempts, d.event.as_str()), (1, "failure"));
    let r = &hook.requests()[0];
    assert_eq!(r.target, "/hook");
    assert_eq!(
        r.body["text"],
        "[dbkeeper] nightly-backup FAILED\n✗ backup (backup): cannot reach prod-pg"
    );
    assert_eq!(r.body["title"], "[dbkeeper] nightly-backup FAILED");
    assert_eq!(r.body["dbkeeper"]["exit_code"], 2);
}

#[tokio::test]
async fn wecom_markdown() {
    let hook = Hook::start().await;
    let d = quick()
        .send(
            &channel(
                ChannelKind::Wecom,
                &hook.url("/cgi-bin/webhook/send?key=k-123"),
                None,
            ),
            &message(),
            "failure",
        )
        .await;
    assert!(d.delivered, "{d:?}");
    let r = &hook.requests()[0];
    assert_eq!(r.target, "/cgi-bin/webhook/send?key=k-123");
    assert_eq!(r.body["msgtype"], "markdown");
    assert_eq!(
        r.body["markdown"]["content"],
        "**[dbkeeper] nightly-backup FAILED**\n✗ backup (backup): cannot reach prod-pg"
    );
}

#[tokio::test]
async fn dingtalk_markdown_with_signature() {
    let hook = Hook::start().await;
    let before = chrono::Utc::now().timestamp_millis();
    let d = quick()
        .send(
            &channel(
                ChannelKind::Dingtalk,
                &hook.url("/robot/send?access_token=tok"),
                Some("SECsign"),
            ),
            &message(),
            "failure",
        )
        .await;
    assert!(d.delivered, "{d:?}");
    let r = &hook.requests()[0];
    let q = query(&r.target);
    assert_eq!(q[0], ("access_token".into(), "tok".into()));
    assert_eq!(q[1].0, "timestamp");
    let ts: i64 = q[1].1.parse().expect("millis");
    assert!(ts >= before && ts - before < 60_000, "milliseconds, now");
    assert_eq!(q[2], ("sign".into(), robots::dingtalk_sign("SECsign", ts)));
    assert_eq!(r.body["msgtype"], "markdown");
    assert_eq!(
        r.body["markdown"]["title"],
        "[dbkeeper] nightly-backup FAILED"
    );
    assert!(r.body["markdown"]["text"]
        .as_str()
        .unwrap_or_default()
        .starts_with("### [dbkeeper] nightly-backup FAILED\n\n"));
}

#[tokio::test]
async fn feishu_text_with_signature() {
    let hook = Hook::start().await;
    let d = quick()
        .send(
            &channel(
                ChannelKind::Feishu,
                &hook.url("/open-apis/bot/v2/hook/0123456789abcdef0123"),
                Some("fs-secret"),
            ),
            &message(),
            "failure",
        )
        .await;
    assert!(d.delivered, "{d:?}");
    let b = &hook.requests()[0].body;
    assert_eq!(b["msg_type"], "text");
    let ts: i64 = b["timestamp"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("seconds as text");
    assert!((ts - chrono::Utc::now().timestamp()).abs() < 60);
    assert_eq!(b["sign"], robots::feishu_sign("fs-secret", ts));
    assert!(b["content"]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("cannot reach prod-pg"));
}

#[tokio::test]
async fn a_refusing_robot_is_retried_and_reported() {
    let hook = Hook::start().await;
    hook.answer(500, "busy");
    hook.answer(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#);
    hook.answer(200, r#"{"errcode":0,"errmsg":"ok"}"#);
    let d = quick()
        .send(
            &channel(
                ChannelKind::Dingtalk,
                &hook.url("/robot/send?access_token=t"),
                Some("s"),
            ),
            &message(),
            "failure",
        )
        .await;
    assert!(d.delivered);
    assert_eq!(d.attempts, 3);
    hook.answer(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#);
    let mut once = quick();
    once.attempts = 1;
    let d = once
        .send(
            &channel(
                ChannelKind::Dingtalk,
                &hook.url("/robot/send?access_token=t"),
                Some("s"),
            ),
            &message(),
            "failure",
        )
        .await;
    assert!(!d.delivered);
    assert_eq!(d.error.as_deref(), Some("code 310000: sign not match"));
}

/// A port nothing listens on.
async fn dead_url(path: &str) -> String {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    drop(l);
    format!("http://{addr}{path}")
}

#[tokio::test]
async fn a_dead_server_is_retried_and_the_token_never_shown() {
    let url = dead_url("/cgi-bin/webhook/send?key=SECRET-TOKEN-0123456789").await;
    let d = quick()
        .send(
            &channel(ChannelKind::Wecom, &url, None),
            &message(),
            "failure",
        )
        .await;
    assert!(!d.delivered);
    assert_eq!(d.attempts, 3);
    let error = d.error.clone().unwrap_or_default();
    assert!(!error.is_empty());
    assert!(!error.contains("SECRET-TOKEN"), "{error}");
    // A secret that cannot be read is not retried: it would not appear by waiting.
    let mut ch = channel(ChannelKind::Wecom, &url, None);
    ch.url = Some(SecretRef::Env("DBKEEPER_TEST_SURELY_UNSET_HOOK".into()));
    let d = quick().send(&ch, &message(), "failure").await;
    assert_eq!((d.delivered, d.attempts), (false, 1));
    assert!(d
        .error
        .unwrap_or_default()
        .contains("DBKEEPER_TEST_SURELY_UNSET_HOOK"));
}

// --- e-mail ---

/// A minimal SMTP server: 250 to everything, 354 for DATA; keeps each message's data. With
/// `refuse_data`, answers DATA with 554.
async fn smtp_sink(refuse_data: bool) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let m = mails.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let m = m.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut r = BufReader::new(r);
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("DATA") {
                        if refuse_data {
                            b"554 no thanks\r\n"
                        } else {
                            let _ = w.write_all(b"354 go on\r\n").await;
                            let mut data = String::new();
                            loop {
                                let mut l = String::new();
                                if r.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                                    break;
                                }
                                data.push_str(&l);
                            }
                            m.lock().expect("lock").push(data);
                            b"250 queued\r\n"
                        }
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, mails)
}

fn email(port: u16, password: Option<&str>) -> ChannelEntry {
    ChannelEntry {
        name: "dba-mail".into(),
        kind: ChannelKind::Email,
        url: None,
        secret: None,
        on: vec![NotifyOn::Always],
        lang: Some(Lang::En),
        smtp: Some(Smtp {
            host: "127.0.0.1".into(),
            port,
            tls: false,
            username: password.map(|_| "dbkeeper".into()),
            password: password.map(secret),
        }),
        from: Some("dbkeeper <dbkeeper@example.org>".into()),
        to: vec![
            "dba@example.org".into(),
            "运维值班 <oncall@example.org>".into(),
        ],
    }
}

#[tokio::test]
async fn email_to_a_local_smtp_server() {
    let (port, mails) = smtp_sink(false).await;
    let d = quick()
        .send(&email(port, None), &message(), "failure")
        .await;
    assert!(d.delivered, "{d:?}");
    let mail = mails.lock().expect("lock")[0].clone();
    assert!(
        mail.contains("Subject: [dbkeeper] nightly-backup FAILED"),
        "{mail}"
    );
    assert!(mail.contains("To: dba@example.org"), "{mail}");
    assert!(
        mail.contains("From: dbkeeper <dbkeeper@example.org>"),
        "{mail}"
    );
}

#[tokio::test]
async fn email_failures_are_reported_and_passwords_never_go_out_in_clear() {
    let (port, mails) = smtp_sink(true).await;
    let d = quick()
        .send(&email(port, None), &message(), "failure")
        .await;
    assert!(!d.delivered);
    assert_eq!(d.attempts, 3);
    assert!(d.error.unwrap_or_default().contains("no thanks"));
    // With a password, a server that offers no STARTTLS gets nothing.
    let (port, mails2) = smtp_sink(false).await;
    let d = quick()
        .send(&email(port, Some("smtp-pass-123")), &message(), "failure")
        .await;
    assert!(!d.delivered, "{d:?}");
    assert!(!d.error.unwrap_or_default().contains("smtp-pass-123"));
    assert!(mails.lock().expect("lock").is_empty());
    assert!(mails2.lock().expect("lock").is_empty());
}

// --- through the runner ---

struct Fails(bool);

#[async_trait(?Send)]
impl Actions for Fails {
    async fn run(&self, _: &StepContext<'_>, _: &Action) -> Result<Outputs> {
        if self.0 {
            Err(Error::new(
                ErrorKind::Unavailable,
                Text::verbatim("cannot reach prod-pg"),
            ))
        } else {
            Ok(json!({"backup_id": "20260301T013000Z-3f9c", "size_bytes": 3_221_225_472u64, "report_path": "/var/lib/dbkeeper/r.md"})
                .as_object()
                .cloned()
                .unwrap_or_default())
        }
    }
}

struct NoEngines;

#[async_trait(?Send)]
impl Connector for NoEngines {
    async fn connect(&self, _: &Target) -> Result<Box<dyn Engine>> {
        Err(Error::new(ErrorKind::Unavailable, Text::verbatim("none")))
    }
}

fn playbook(hook_url: &str, on: &str, lang: &str) -> dbkeeper_playbook::Playbook {
    let text = format!(
        "version: 1
name: nightly-backup
targets:
  pg: {{url: postgres://u@h/db}}
repos:
  local: {{url: file:///tmp/r}}
steps:
  - id: backup
    action: backup
    with: {{target: pg, repos: [local]}}
notify:
  ops:
    kind: wecom
    url: {{command: [printf, '%s', '{hook_url}']}}
    on: [{on}]
    lang: {lang}
"
    );
    match parse_str("n.yaml", &text, None, None) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render(Lang::En)),
    }
}

async fn run(
    pb: &dbkeeper_playbook::Playbook,
    fail: bool,
    ledger: &Ledger,
    notifier: &Notifier,
) -> dbkeeper_playbook::RunReport {
    let deps = Deps {
        actions: &Fails(fail),
        connector: &NoEngines,
        notifier,
        ledger: Some(ledger),
        config: None,
    };
    dbkeeper_playbook::run(pb, &deps, &RunOptions::default())
        .await
        .expect("run")
}

#[tokio::test]
async fn failure_and_recovery_summaries_in_the_channel_language() {
    let hook = Hook::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    let pb = playbook(&hook.url("/send?key=k"), "failure, recovery", "zh-CN");
    let n = quick();

    let ok = run(&pb, false, &ledger, &n).await;
    assert!(ok.notifications.is_empty(), "a plain success is not news");

    let failed = run(&pb, true, &ledger, &n).await;
    assert_eq!(failed.exit_code(), 2);
    assert_eq!(failed.notifications.len(), 1);
    let content = hook.requests()[0].body["markdown"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        content.starts_with("**[dbkeeper] nightly-backup 运行失败**"),
        "{content}"
    );
    assert!(
        content.contains("✗ backup (backup): cannot reach prod-pg"),
        "{content}"
    );

    let recovered = run(&pb, false, &ledger, &n).await;
    assert_eq!(recovered.notifications[0].event, "recovery");
    let content = hook.requests()[1].body["markdown"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(content.contains("已恢复正常"), "{content}");
    assert!(
        content.contains("size_bytes=3.0 GiB"),
        "key figures in people's units: {content}"
    );
    assert!(
        content.contains("报告：/var/lib/dbkeeper/r.md"),
        "where the report is: {content}"
    );

    let recorded = ledger
        .notifications(recovered.playbook_run_id.expect("run"))
        .expect("notifications");
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].delivered);
}

#[tokio::test]
async fn an_undelivered_summary_is_recorded_and_shown_but_the_result_stands() {
    let url = dead_url("/send?key=TOKEN-abcdef0123456789").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    let pb = playbook(&url, "always", "en");
    let n = quick();
    for fail in [false, true] {
        let r = run(&pb, fail, &ledger, &n).await;
        assert_eq!(r.outcome, if fail { Outcome::Failed } else { Outcome::Ok });
        assert_eq!(
            r.exit_code(),
            if fail { 2 } else { 0 },
            "the job's own result"
        );
        let d = &r.notifications[0];
        assert_eq!((d.delivered, d.attempts), (false, 3));
        let shown = r.problems(Lang::En).join("\n");
        assert!(
            shown
                .contains("the notification to `ops` (wecom) was not delivered after 3 attempt(s)"),
            "{shown}"
        );
        assert!(!shown.contains("TOKEN-abcdef"), "{shown}");
        let recorded = ledger
            .notifications(r.playbook_run_id.expect("run"))
            .expect("notifications");
        assert_eq!(recorded.len(), 1);
        assert!(!recorded[0].delivered);
        assert!(!recorded[0]
            .error
            .clone()
            .unwrap_or_default()
            .contains("TOKEN-abcdef"));
    }
}

#[tokio::test]
async fn a_notify_step_fails_when_its_channel_is_down() {
    let url = dead_url("/send?key=k").await;
    let text = format!(
        "version: 1
name: tell
steps:
  - id: tell
    action: notify
    with: {{channel: ops, message: 'hello from ${{run.date}}'}}
notify:
  ops: {{kind: webhook, url: {{command: [printf, '%s', '{url}']}}, on: [failure]}}
"
    );
    let pb = parse_str("t.yaml", &text, None, None).expect("valid");
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    let r = run(&pb, false, &ledger, &quick()).await;
    assert_eq!(r.outcome, Outcome::Failed);
    assert_eq!(
        r.steps[0].error_full.as_ref().map(|e| e.main.what.id()),
        Some("run.notify_step_failed")
    );
    // The step's delivery and the failure summary to the same (dead) channel: both recorded.
    assert_eq!(r.notifications.len(), 2);
    assert_eq!(r.notifications[0].event, "step");
}
