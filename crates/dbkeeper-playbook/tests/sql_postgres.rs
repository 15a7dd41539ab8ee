//! `sql` steps end to end against a scratch PostgreSQL holding the regulatory-platform sample:
//! rows and values as outputs, expectations, outputs read by a later step's `when`, the ledger.

use async_trait::async_trait;
use dbkeeper_core::engine::Engine;
use dbkeeper_core::ledger::Ledger;
use dbkeeper_core::target::Target;
use dbkeeper_core::{Error, ErrorKind, Lang, Result, Text};
use dbkeeper_playbook::notify::Notifier;
use dbkeeper_playbook::{
    parse_str, Action, Actions, Connector, Deps, Outcome, Outputs, RunOptions, StepContext,
    StepStatus,
};
use dbkeeper_postgres::{ScratchOptions, ScratchPostgres};

struct Postgres;

#[async_trait(?Send)]
impl Connector for Postgres {
    async fn connect(&self, t: &Target) -> Result<Box<dyn Engine>> {
        Ok(Box::new(dbkeeper_postgres::connect(t).await?))
    }
}

struct NoActions;

#[async_trait(?Send)]
impl Actions for NoActions {
    async fn run(&self, _: &StepContext<'_>, a: &Action) -> Result<Outputs> {
        Err(Error::new(
            ErrorKind::Usage,
            Text::verbatim(format!("{} is not part of this test", a.name())),
        ))
    }
}

#[tokio::test]
async fn sql_steps_against_a_scratch_postgres() {
    let scratch = tokio::task::spawn_blocking(|| ScratchPostgres::start(ScratchOptions::default()))
        .await
        .expect("join")
        .expect("scratch PostgreSQL");
    let t = dbkeeper_core::scratch::ScratchInstance::target(&scratch).clone();
    dbkeeper_postgres::sample::load(&t, "hospital")
        .await
        .expect("sample");
    let url = format!("postgres://{}@{}/hospital", t.user, t.address());
    let text = format!(
        "version: 1
name: sql-e2e
targets:
  hospital: {{url: \"{url}\"}}
steps:
  - id: hospitals
    action: sql
    with:
      target: hospital
      query: select count(*) from hospitals
      expect: \"= 12\"
  - id: orphans
    action: sql
    needs: [hospitals]
    when: steps.hospitals.outputs.value > 10
    with:
      target: hospital
      query: >-
        select count(*) from prescriptions p
        left join consultations c on c.id = p.consultation_id where c.id is null
      expect: \"= 0\"
  - id: top-city
    action: sql
    with:
      target: hospital
      query: select city, count(*) as n from hospitals group by city order by n desc, city limit 1
  - id: fees
    action: sql
    needs: [top-city]
    when: \"steps.top-city.outputs.rows == 1\"
    with:
      target: hospital
      query: select sum(fee)::text from consultations
      expect: \"> 0\"
  - id: impossible
    action: sql
    continue_on_error: true
    with:
      target: hospital
      query: select count(*) from nurses where qualified_on > now()
      expect: \"> 0\"
  - id: no-such-table
    action: sql
    continue_on_error: true
    with:
      target: hospital
      query: select count(*) from doctor
"
    );
    let pb = match parse_str("sql.yaml", &text, None, None) {
        Ok(p) => p,
        Err(e) => panic!("{}", e.render(Lang::En)),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let ledger = Ledger::open(&dir.path().join("l.sqlite")).expect("ledger");
    let notifier = Notifier::new().expect("notifier");
    let deps = Deps {
        actions: &NoActions,
        connector: &Postgres,
        notifier: &notifier,
        ledger: Some(&ledger),
        config: None,
    };
    let r = dbkeeper_playbook::run(&pb, &deps, &RunOptions::default())
        .await
        .expect("run");
    let status: Vec<(&str, StepStatus)> =
        r.steps.iter().map(|s| (s.id.as_str(), s.status)).collect();
    assert_eq!(
        status,
        [
            ("hospitals", StepStatus::Ok),
            ("orphans", StepStatus::Ok),
            ("top-city", StepStatus::Ok),
            ("fees", StepStatus::Ok),
            ("impossible", StepStatus::Failed),
            ("no-such-table", StepStatus::Failed),
        ],
        "{}\n{}",
        r.render(Lang::En),
        r.problems(Lang::En).join("\n")
    );
    assert_eq!(
        r.outcome,
        Outcome::Ok,
        "failures allowed by continue_on_error"
    );
    assert_eq!(r.steps[0].outputs["rows"], 1);
    assert_eq!(r.steps[0].outputs["value"], 12);
    assert!(
        r.steps[2].outputs["value"].is_string(),
        "the first column: a city"
    );
    let impossible = r.steps[4].error_full.as_ref().expect("error");
    assert_eq!(impossible.main.what.id(), "playbook.expect_failed");
    assert_eq!(
        impossible.main.what.render(Lang::En),
        "the query returned 0, expected > 0"
    );
    let missing = r.steps[5].error.clone().unwrap_or_default();
    assert!(
        missing.contains("doctor"),
        "the server's own words: {missing}"
    );
    let rows = ledger
        .playbook_steps(r.playbook_run_id.expect("recorded"))
        .expect("steps");
    assert_eq!(rows.len(), 6);
    assert!(rows[0]
        .outputs
        .as_deref()
        .unwrap_or_default()
        .contains("\"value\":12"));
    drop(scratch);
}
