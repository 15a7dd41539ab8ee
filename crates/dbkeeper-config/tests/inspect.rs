//! `inspect:` in `defaults:` and in targets: every value kept with its place; shape errors
//! reported at their place.

use dbkeeper_config::parse_str;
use dbkeeper_core::Lang;

const GOOD: &str = "\
version: 1
defaults:
  inspect:
    profile: default
    skip: [PG-CFG-017]
    thresholds:
      PG-CON-001: {warning: 80%, critical: 90%}
    versions_file: versions.json
targets:
  prod:
    url: postgres://dbkeeper@10.0.0.5/hospital
    inspect:
      profile: djbh3
      only: [security, PG-BAK-001]
      thresholds:
        PG-SES-001:
          warning: 5m
";

#[test]
fn reads_defaults_and_target_sections() {
    let c = parse_str("dbkeeper.yaml", GOOD).expect("valid");
    let d = &c.defaults.inspect;
    assert_eq!(
        d.profile.as_ref().map(|p| p.value.as_str()),
        Some("default")
    );
    assert_eq!(d.skip[0].value, "PG-CFG-017");
    assert_eq!(d.skip[0].at, "dbkeeper.yaml:5:12");
    assert_eq!(d.thresholds.len(), 2);
    assert_eq!(
        (
            d.thresholds[1].check.as_str(),
            d.thresholds[1].name.as_str()
        ),
        ("PG-CON-001", "critical")
    );
    assert_eq!(d.thresholds[1].value, "90%");
    assert!(d.versions_file.is_some());
    let t = c.target("prod").expect("prod");
    assert_eq!(
        t.inspect.profile.as_ref().map(|p| p.value.as_str()),
        Some("djbh3")
    );
    assert_eq!(t.inspect.only.len(), 2);
    assert_eq!(t.inspect.thresholds[0].value, "5m");
    assert_eq!(t.inspect.thresholds[0].at, "dbkeeper.yaml:17:20");
}

#[test]
fn shape_errors_are_reported_at_their_place() {
    let text = "\
version: 1
targets:
  prod:
    url: postgres://dbkeeper@10.0.0.5/hospital
    inspect:
      onyl: [PG-CFG-001]
      skip: [\"no spaces here\"]
      thresholds:
        PG-CON-001: {}
        PG-SES-001: {warning: [1, 2]}
";
    let e = parse_str("x.yaml", text).expect_err("invalid");
    let all: Vec<String> = e
        .diagnostics()
        .map(|d| format!("{} {}", d.at.clone().unwrap_or_default(), d.what.id()))
        .collect();
    assert_eq!(
        all,
        vec![
            "x.yaml:6:7 yaml.unknown_key",
            "x.yaml:7:14 config.inspect_check_id",
            "x.yaml:9:9 config.inspect_thresholds_empty",
            "x.yaml:10:31 config.inspect_threshold_scalar",
        ],
        "{}",
        e.render(Lang::En)
    );
    assert!(e.render(Lang::ZhCn).contains("阈值"));
}
