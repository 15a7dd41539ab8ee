//! A fresh scratch PostgreSQL gives a sensible verdict: every check either ran or says why
//! not, and the scratch's deliberate shortcuts (fsync off) are what make it critical.

mod common;

use dbkeeper_core::scratch::ScratchInstance;
use dbkeeper_core::Lang;
use dbkeeper_inspect::Status;
use dbkeeper_postgres::scratch::{ScratchOptions, ScratchPostgres};

#[tokio::test]
async fn fresh_scratch_gives_a_sensible_verdict() {
    let pg = ScratchPostgres::start(ScratchOptions::default()).expect("scratch");
    let target = pg.target().clone();
    let engine = dbkeeper_postgres::connect(&target).await.expect("connect");
    let r = common::run(&engine, &target, &[], &[], None).await;
    assert!(r.reachable);
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
    assert_eq!(
        critical,
        ["PG-CFG-001", "PG-CFG-002"],
        "{}",
        common::dump(&r)
    );
    assert_eq!(r.exit_code(), 2);
    assert!(r.duration_ms < 5_000, "{} ms", r.duration_ms);
}
