//! Thousands of mangled playbooks, schedules, expressions and cron lines (fixed seeds): no panic,
//! and every error names its place and has a hint.

use std::path::{Path, PathBuf};

use dbkeeper_core::Lang;
use dbkeeper_playbook::expr;
use dbkeeper_playbook::schedule::{job, Cron};
use dbkeeper_playbook::template::Template;

/// xorshift64: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % (usize::MAX as u64)) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.next() % v.len()]
    }
}

const SPECIALS: &[char] = &[
    '{', '}', '[', ']', ':', '-', '&', '*', '!', '|', '>', '<', '=', '\t', '\n', ' ', '"', '\'',
    '#', '%', '@', '`', '?', ',', '\\', '~', '$', '(', ')', '.', '0', '7', 'x', '主', '\u{200b}',
];

fn mangle(rng: &mut Rng, base: &[char]) -> String {
    let mut c = base.to_vec();
    for _ in 0..=rng.next() % 4 {
        if c.is_empty() {
            break;
        }
        let i = rng.next() % c.len();
        let s = *rng.pick(SPECIALS);
        match rng.next() % 4 {
            0 => {
                c.remove(i);
            }
            1 => c.insert(i, s),
            2 => c[i] = s,
            // Swap two lines' worth of text: moves keys between mappings.
            _ => {
                let j = rng.next() % c.len();
                c.swap(i, j);
            }
        }
    }
    c.into_iter().collect()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn mangled_playbooks_never_panic_and_every_error_has_a_place() {
    let dir = root().join("playbooks");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut bad) = (0, 0);
    for name in [
        "nightly-backup.yaml",
        "daily-inspection.yaml",
        "monthly-restore-drill.yaml",
    ] {
        let base: Vec<char> = std::fs::read_to_string(dir.join(name))
            .expect("example")
            .chars()
            .collect();
        for _ in 0..1500 {
            let text = mangle(&mut rng, &base);
            match dbkeeper_playbook::parse_str("m.yaml", &text, Some(&dir), None) {
                Ok(_) => ok += 1,
                Err(e) => {
                    bad += 1;
                    for d in e.diagnostics() {
                        assert!(
                            d.at.as_deref().is_some_and(|a| a.contains(".yaml:")),
                            "no position: {}\n---\n{text}",
                            e.render(Lang::En)
                        );
                        assert!(
                            d.hint.is_some(),
                            "no hint: {}\n---\n{text}",
                            e.render(Lang::En)
                        );
                    }
                    let _ = e.render(Lang::ZhCn);
                }
            }
        }
    }
    assert!(ok > 100 && bad > 1000, "ok {ok}, bad {bad}");
}

#[test]
fn mangled_schedules_never_panic() {
    let dir = root().join("schedules");
    let base: Vec<char> = std::fs::read_to_string(dir.join("nightly-backup.yaml"))
        .expect("example")
        .chars()
        .collect();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut ok, mut bad) = (0, 0);
    for _ in 0..3000 {
        let text = mangle(&mut rng, &base);
        match job::parse_str("s.yaml", &text, "nightly", Some(&dir)) {
            Ok(_) => ok += 1,
            Err(e) => {
                bad += 1;
                assert!(
                    e.diagnostics().all(|d| d.at.is_some() && d.hint.is_some()),
                    "{}\n---\n{text}",
                    e.render(Lang::En)
                );
            }
        }
    }
    assert!(ok > 100 && bad > 1000, "ok {ok}, bad {bad}");
}

#[test]
fn random_expressions_cron_lines_and_templates_never_panic() {
    const PIECES: &[&str] = &[
        "steps",
        ".",
        "backup",
        "ok",
        "outputs",
        "size_bytes",
        "vars",
        "env",
        "run",
        "weekday",
        "&&",
        "||",
        "!",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "[",
        "]",
        ",",
        "(",
        ")",
        "'a'",
        "\"b",
        "5",
        "-1",
        "1.5",
        "true",
        "false",
        "always()",
        "failure",
        "=",
        "&",
        " ",
        "主",
        "${",
        "}",
        "$${",
        "*",
        "/",
        "-",
        "7",
        "sun",
        "JAN",
        "@daily",
        "@",
        "0",
    ];
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    for _ in 0..20_000 {
        let n = 1 + rng.next() % 9;
        let s: String = (0..n).map(|_| *rng.pick(PIECES)).collect();
        if let Err(e) = expr::parse(&s) {
            assert!(e.at <= s.chars().count(), "{s}: at {}", e.at);
        }
        if let Err(e) = Cron::parse(&s) {
            assert!(e.at <= s.chars().count(), "{s}: at {}", e.at);
        }
        if let Err(e) = Template::parse(&s) {
            assert!(e.at <= s.chars().count(), "{s}: at {}", e.at);
        }
        let _ = dbkeeper_playbook::expect::Expect::parse(&s);
    }
}
