//! Mangled config files never panic: each gives a config or an error with a place.

use dbkeeper_config::parse_str;

/// A small xorshift generator: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % (usize::MAX as u64)) as usize
    }
}

#[test]
fn mangled_configs_never_panic() {
    let base = include_str!("fixtures/good.yaml");
    let chars: Vec<char> = base.chars().collect();
    let specials = [
        '{', '}', '[', ']', ':', '-', '&', '*', '!', '|', '>', '\t', '\n', ' ', '"', '\'', '#',
        '%', '@', '`', '?', ',', '\\', '~', '主',
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut bad) = (0, 0);
    for _ in 0..3000 {
        let mut c = chars.clone();
        for _ in 0..=rng.next() % 4 {
            let i = rng.next() % c.len();
            let s = specials[rng.next() % specials.len()];
            match rng.next() % 3 {
                0 => {
                    c.remove(i);
                }
                1 => c.insert(i, s),
                _ => c[i] = s,
            }
        }
        let text: String = c.into_iter().collect();
        match parse_str("m.yaml", &text) {
            Ok(_) => ok += 1,
            Err(e) => {
                bad += 1;
                assert!(
                    e.diagnostics().all(|d| d.at.is_some() && d.hint.is_some()),
                    "{}\n---\n{text}",
                    e.render(dbkeeper_core::Lang::En)
                );
            }
        }
    }
    assert!(ok > 0 && bad > 0, "ok {ok}, bad {bad}");
}
