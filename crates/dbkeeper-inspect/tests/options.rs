//! Options from the config and the command line: every id, threshold name and value checked
//! against the catalogue and reported at its place; profiles select what they promise.

use dbkeeper_config::parse_str;
use dbkeeper_core::target::EngineKind;
use dbkeeper_core::Lang;
use dbkeeper_inspect::{catalogue, InspectOptions, Profile};

fn options(yaml: &str, target: &str) -> Result<InspectOptions, dbkeeper_core::Error> {
    let c = parse_str("dbkeeper.yaml", yaml).expect("config parses");
    let t = c.target(target).expect("target");
    InspectOptions::from_config(t.target.engine, &c.defaults.inspect, Some(&t.inspect))
}

#[test]
fn shipped_example_is_valid_for_every_target() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dbkeeper-config/examples/dbkeeper.yaml");
    let c = dbkeeper_config::load(&path).expect("example");
    for t in &c.targets {
        let o = InspectOptions::from_config(t.target.engine, &c.defaults.inspect, Some(&t.inspect))
            .unwrap_or_else(|e| panic!("{}: {}", t.name, e.render(Lang::En)));
        if t.name == "prod-pg" {
            assert_eq!(o.overrides.get("PG-SES-001", "warning"), Some(120.0));
            assert_eq!(o.overrides.get("PG-CON-001", "critical"), Some(90.0));
            assert!(o.skip.contains(&"PG-CFG-014".to_string()));
        }
    }
}

#[test]
fn every_problem_is_reported_at_its_place_with_a_suggestion() {
    let yaml = "\
version: 1
defaults:
  inspect:
    profile: djbh4
targets:
  pg:
    url: postgres://u@h/db
    inspect:
      only: [PG-CON-01, security]
      thresholds:
        PG-CON-001: {warnng: 80%}
        PG-SES-001: {warning: 5 minutes}
        MY-SES-001: {warning: 1m}
";
    let e = options(yaml, "pg").expect_err("four problems");
    assert_eq!(e.exit_code(), 78);
    let all: Vec<_> = e.diagnostics().collect();
    let at: Vec<&str> = all.iter().filter_map(|d| d.at.as_deref()).collect();
    assert_eq!(
        at,
        vec![
            "dbkeeper.yaml:4:14",
            "dbkeeper.yaml:9:14",
            "dbkeeper.yaml:11:30",
            "dbkeeper.yaml:12:31",
            "dbkeeper.yaml:13:31",
        ],
        "{}",
        e.render(Lang::En)
    );
    let en = e.render(Lang::En);
    assert!(en.contains("did you mean `PG-CON-001`?"), "{en}");
    assert!(en.contains("did you mean `warning`?"), "{en}");
    assert!(en.contains("30s, 5m, 26h or 7d"), "{en}");
    assert!(en.contains("default, djbh3, quick"), "{en}");
    // A MySQL id in a PostgreSQL target's own section is unknown there.
    assert!(
        en.contains("`MY-SES-001` is not a postgresql check id"),
        "{en}"
    );
    assert!(e.render(Lang::ZhCn).contains("检查项"));
}

#[test]
fn defaults_may_name_checks_of_either_engine() {
    let yaml = "\
version: 1
defaults:
  inspect:
    skip: [MY-CFG-014, PG-CFG-014]
    thresholds:
      MY-SES-001: {warning: 2m}
      PG-SES-002: {warning: 2m}
targets:
  pg:
    url: postgres://u@h/db
  my:
    url: mysql://u@h/db
";
    let pg = options(yaml, "pg").expect("valid");
    assert_eq!(pg.skip, vec!["PG-CFG-014".to_string()]);
    assert_eq!(pg.overrides.get("PG-SES-002", "warning"), Some(120.0));
    let my = options(yaml, "my").expect("valid");
    assert_eq!(my.skip, vec!["MY-CFG-014".to_string()]);
    assert_eq!(my.overrides.get("MY-SES-001", "warning"), Some(120.0));
}

#[test]
fn command_line_selection() {
    let mut o = InspectOptions::default();
    o.apply_cli(
        EngineKind::Postgres,
        Some("quick"),
        &["PG-SEC-001,security".into()],
        &["PG-SEC-026".into()],
    )
    .expect("valid");
    let selected: Vec<&str> = catalogue(EngineKind::Postgres)
        .iter()
        .filter(|c| o.selects(c))
        .map(|c| c.id)
        .collect();
    assert!(selected.contains(&"PG-SEC-001") && selected.contains(&"PG-SEC-027"));
    assert!(!selected.contains(&"PG-SEC-026"));
    assert!(selected.iter().all(|id| id.starts_with("PG-SEC-")));
    let e = o
        .apply_cli(
            EngineKind::Postgres,
            Some("fast"),
            &["PG-VAC-01".into()],
            &[],
        )
        .expect_err("bad");
    assert_eq!(e.exit_code(), 64);
    assert_eq!(e.diagnostics().count(), 2);
    assert_eq!(e.main.at.as_deref(), Some("--profile"));
}

#[test]
fn profiles_select_what_they_promise() {
    for engine in [EngineKind::Postgres, EngineKind::Mysql] {
        let all = catalogue(engine);
        let mut o = InspectOptions::default();
        assert!(all.iter().all(|c| o.selects(c)));
        o.profile = Profile::Djbh3;
        let dj: Vec<_> = all.iter().filter(|c| o.selects(c)).collect();
        assert!(dj.len() >= 20, "{engine}: {}", dj.len());
        assert!(dj
            .iter()
            .all(|c| c.tags.iter().any(|t| t.starts_with("djbh3:"))));
        o.profile = Profile::Quick;
        assert!(all
            .iter()
            .filter(|c| o.selects(c))
            .all(|c| c.group.as_str() != "configuration"));
    }
}
