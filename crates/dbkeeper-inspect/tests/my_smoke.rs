//! A fresh scratch MariaDB gives a sensible verdict: every check either ran or says why not,
//! and the scratch's password-less root accounts are what make it critical.

mod common;

use dbkeeper_core::Lang;
use dbkeeper_inspect::Status;

#[tokio::test]
async fn fresh_scratch_gives_a_sensible_verdict() {
    let (_my, engine, target) = common::my(&[]).await;
    let r = common::run(&engine, &target, &[], &[], None).await;
    assert!(r.reachable, "{:?}", r.error);
    assert!(r.findings.len() >= 70, "{}", r.findings.len());
    for f in &r.findings {
        if f.status == Status::NotRun {
            assert!(f.reason.is_some(), "{} has no reason", f.check);
        } else if f.status != Status::Ok {
            assert!(f.remediation.is_some(), "{} has no remediation", f.check);
        }
        assert!(!f.title.render(Lang::ZhCn).is_empty());
    }
    let critical: Vec<&str> = r.with_status(Status::Critical).map(|f| f.check).collect();
    assert_eq!(critical, ["MY-SEC-002"], "{}", common::dump(&r));
    assert_eq!(r.exit_code(), 2);
    assert!(r.duration_ms < 5_000, "{} ms", r.duration_ms);
}
