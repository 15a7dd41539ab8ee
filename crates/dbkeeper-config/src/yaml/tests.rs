//! The reader on its own, independent of the config model.

use std::path::PathBuf;
use std::time::Duration;

use dbkeeper_core::secret::SecretRef;
use dbkeeper_core::{Diagnostic, ErrorKind, Lang};

use super::*;

/// Runs `read` over `text` and returns what it produced and every diagnostic as (at, id).
fn read<T>(text: &str, read: impl FnOnce(Item<'_>) -> T) -> (T, Vec<(String, &'static str)>) {
    let doc = Document::parse("t.yaml", text).expect("parses");
    let out = read(doc.root());
    let diags = doc
        .diagnostics()
        .into_iter()
        .map(|d| (d.at.unwrap_or_default(), d.what.id()))
        .collect();
    (out, diags)
}

fn parse_error(text: &str) -> Vec<Diagnostic> {
    let e = match Document::parse("t.yaml", text) {
        Ok(_) => panic!("parsed: {text}"),
        Err(e) => e,
    };
    assert_eq!(e.kind, ErrorKind::Config);
    e.diagnostics().cloned().collect()
}

fn ids<'d>(diags: &'d [(String, &'static str)]) -> Vec<(&'d str, &'static str)> {
    diags.iter().map(|(a, i)| (a.as_str(), *i)).collect()
}

#[test]
fn typed_values_and_every_problem_at_once() {
    let text = "\
name: db
port: 70000
on: \"true\"
count: 3
ratio: 12
list: [1, x, 3, y]
when: 1h30m
size: 512MiB
nothing:
";
    let ((name, port, on, count, list, when, size, nothing), diags) = read(text, |root| {
        let m = root.mapping(&[
            "name", "port", "on", "count", "ratio", "list", "when", "size", "nothing",
        ]);
        (
            m.required::<String>("name"),
            m.optional::<u16>("port"),
            m.optional::<bool>("on"),
            m.optional::<u32>("count"),
            m.optional::<Vec<u8>>("list"),
            m.optional::<Duration>("when"),
            m.optional::<ByteSize>("size"),
            m.optional::<String>("nothing"),
        )
    });
    assert_eq!(name.as_deref(), Some("db"));
    assert_eq!((port, on, count, list), (None, None, Some(3), None));
    assert_eq!(when, Some(Duration::from_secs(5400)));
    assert_eq!(size, Some(ByteSize(512 << 20)));
    assert_eq!(nothing, None, "an empty optional value is absent");
    let doc = Document::parse("t.yaml", "on: \"true\"\n").expect("parses");
    let _: Option<bool> = doc.root().mapping(&["on"]).optional("on");
    let e = doc.finish().expect_err("quoted");
    assert_eq!(
        e.main.what.render(Lang::En),
        "`on` must be true or false, got `\"true\"`"
    );
    assert_eq!(
        ids(&diags),
        [
            ("t.yaml:2:7", "yaml.int_range"),
            ("t.yaml:3:5", "yaml.want_boolean"),
            ("t.yaml:6:11", "yaml.want_integer"),
            ("t.yaml:6:17", "yaml.want_integer"),
        ]
    );
}

#[test]
fn unknown_missing_and_empty_keys() {
    let (_, diags) = read("a:\n  b: 1\n  cc: 2\n  e:\n", |root| {
        let top = root.mapping(&["a"]);
        let a = top.mapping("a", &["b", "c", "d", "e"]).expect("a");
        let _: Option<u8> = a.required("d");
        let _: Option<String> = a.required("e");
    });
    assert_eq!(
        ids(&diags),
        [
            ("t.yaml:1:1", "yaml.missing_key"),
            ("t.yaml:3:3", "yaml.unknown_key"),
            ("t.yaml:4:3", "yaml.empty_value"),
        ]
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_reported_once() {
    let (_, diags) = read("tls: require\n", |root| {
        let top = root.mapping(&["tls"]);
        let tls = top.mapping("tls", &["mode"]).expect("present");
        assert!(!tls.is_valid());
        // Nothing more is reported about the missing `mode`.
        let _: Option<String> = tls.required("mode");
    });
    assert_eq!(ids(&diags), [("t.yaml:1:6", "yaml.want_mapping")]);
}

#[test]
fn entries_keep_file_order_and_paths() {
    let (names, diags) = read("t:\n  z: {x: 1}\n  a: {x: nope}\n", |root| {
        let top = root.mapping(&["t"]);
        let entries = top.get("t").and_then(|t| t.entries()).expect("entries");
        for (_, item) in &entries {
            let m = item.mapping(&["x"]);
            let _: Option<u8> = m.required("x");
        }
        entries
            .iter()
            .map(|(n, i)| format!("{n}={}", i.path()))
            .collect::<Vec<_>>()
    });
    assert_eq!(names, ["z=t.z", "a=t.a"]);
    assert_eq!(ids(&diags), [("t.yaml:3:10", "yaml.want_integer")]);
}

#[test]
fn one_of_suggests() {
    let doc = Document::parse("t.yaml", "mode: requir\n").expect("parses");
    let m = doc.root().mapping(&["mode"]);
    let got = m
        .get("mode")
        .and_then(|i| i.one_of(&[("require", 1), ("disable", 2)]));
    assert_eq!(got, None);
    let e = doc.finish().expect_err("bad value");
    assert_eq!(e.exit_code(), 78);
    let hint = e.main.hint.as_ref().map(|h| h.render(Lang::En));
    assert_eq!(
        hint.as_deref(),
        Some("did you mean `require`? use one of: require, disable")
    );
}

#[test]
fn secret_references() {
    let text = "\
a: {env: PG_PW}
b: {file: /etc/x.pw}
c: {command: [pass, show, db]}
";
    let (refs, diags) = read(text, |root| {
        let m = root.mapping(&["a", "b", "c"]);
        ["a", "b", "c"].map(|k| m.required::<SecretRef>(k))
    });
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        refs,
        [
            Some(SecretRef::Env("PG_PW".into())),
            Some(SecretRef::File(PathBuf::from("/etc/x.pw"))),
            Some(SecretRef::Command(vec![
                "pass".into(),
                "show".into(),
                "db".into()
            ])),
        ]
    );
}

#[test]
fn bad_secret_references_show_nothing_of_themselves() {
    let text = "\
p1: Plain-Secret-1
p2: {env: \"Plain Secret 2\"}
p3: {command: \"pass show db\"}
p4: {command: []}
p5: {env: X, file: Plain-Secret-5}
p6: {value: Plain-Secret-6}
p7: [Plain-Secret-7]
p8: |
  Plain-Secret-8
";
    let doc = Document::parse("t.yaml", text).expect("parses");
    let keys = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"];
    let m = doc.root().mapping(&keys);
    for k in keys {
        assert_eq!(m.required::<SecretRef>(k), None, "{k}");
    }
    let e = doc.finish().expect_err("all bad");
    let got: Vec<(String, &'static str)> = e
        .diagnostics()
        .map(|d| (d.at.clone().unwrap_or_default(), d.what.id()))
        .collect();
    assert_eq!(
        ids(&got),
        [
            ("t.yaml:1:5", "yaml.secret_literal"),
            ("t.yaml:2:11", "yaml.secret_env_name"),
            ("t.yaml:3:15", "yaml.secret_command"),
            ("t.yaml:4:15", "yaml.secret_command"),
            ("t.yaml:5:14", "yaml.secret_shape"),
            ("t.yaml:6:6", "yaml.unknown_key"),
            ("t.yaml:7:5", "yaml.secret_shape"),
            ("t.yaml:9:3", "yaml.secret_literal"),
        ]
    );
    for lang in [Lang::En, Lang::ZhCn] {
        let shown = e.render(lang);
        assert!(!shown.contains("Plain"), "{shown}");
    }
}

#[test]
fn syntax_problems() {
    let d = parse_error("a: [1, 2\n");
    assert_eq!(d[0].what.id(), "yaml.syntax");
    let d = parse_error("a: &x 1\nb: *x\n");
    assert_eq!(
        (d[0].at.as_deref(), d[0].what.id()),
        (Some("t.yaml:1:7"), "yaml.anchor")
    );
    let d = parse_error("a: !!str 1\n");
    assert_eq!(d[0].what.id(), "yaml.tag");
    let d = parse_error("- a\n- b\n");
    assert_eq!(
        (d[0].at.as_deref(), d[0].what.id()),
        (Some("t.yaml:1:1"), "yaml.top_level")
    );
    let d = parse_error("a: 1\na: 2\n");
    assert_eq!(
        (d[0].at.as_deref(), d[0].what.id()),
        (Some("t.yaml:2:1"), "yaml.duplicate_key")
    );
    let d = parse_error("---\na: 1\n---\nb: 2\n");
    assert_eq!(
        (d[0].at.as_deref(), d[0].what.id()),
        (Some("t.yaml:3:1"), "yaml.multi_doc")
    );
    let d = parse_error("a:\n\tb: 1\n");
    assert_eq!(d[0].what.id(), "yaml.syntax");
    // Each of these has a hint and a snippet where the line exists.
    assert!(d[0].hint.is_some());
}

#[test]
fn empty_file_is_an_empty_mapping() {
    let (v, diags) = read("# only a comment\n", |root| {
        root.mapping(&["version"]).required::<u32>("version")
    });
    assert_eq!(v, None);
    assert_eq!(ids(&diags), [("t.yaml:1:1", "yaml.missing_key")]);
}

#[test]
fn reject_blanks_the_value() {
    let doc = Document::parse("t.yaml", "kind: x\nurl: https://h/?key=tok123\n").expect("ok");
    let m = doc.root().mapping(&["kind", "url"]);
    m.reject(
        "url",
        dbkeeper_core::Text::verbatim("no url here"),
        dbkeeper_core::Text::verbatim("remove it"),
    );
    let e = doc.finish().expect_err("rejected");
    assert_eq!(e.main.snippet.as_deref(), Some("url: ***\n^"));
    assert!(!e.render(Lang::En).contains("tok123"));
}
