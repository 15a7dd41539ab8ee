//! `targets check`: a server's facts as three tables (summary, databases, settings).

use dbkeeper_core::engine::{Facts, Role};
use dbkeeper_core::{Lang, Text};

use crate::msg;
use crate::table::Table;
use crate::units;

fn t(m: dbkeeper_core::Msg, lang: Lang) -> String {
    Text::new(m).render(lang)
}

/// The summary table: one row per fact.
pub fn summary(f: &Facts, lang: Lang) -> Table {
    let mut table = Table::new(vec![t(msg::FIELD, lang), t(msg::VALUE, lang)]);
    let unknown = || t(msg::UNKNOWN, lang);
    table
        .row(vec![t(msg::TARGET, lang), f.target.clone()])
        .row(vec![t(msg::PRODUCT, lang), f.product.clone()])
        .row(vec![t(msg::VERSION, lang), f.version_full.clone()])
        .row(vec![
            t(msg::ROLE, lang),
            match f.role {
                Role::Primary => t(msg::ROLE_PRIMARY, lang),
                Role::Replica => t(msg::ROLE_REPLICA, lang),
            },
        ])
        .row(vec![
            t(msg::STARTED, lang),
            f.started_at
                .map(|s| {
                    s.with_timezone(&chrono::Local)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                })
                .unwrap_or_else(unknown),
        ])
        .row(vec![
            t(msg::UPTIME, lang),
            f.uptime_seconds
                .map(units::duration_secs)
                .unwrap_or_else(unknown),
        ])
        .row(vec![
            t(msg::DATA_DIR, lang),
            f.data_directory.clone().unwrap_or_else(unknown),
        ])
        .row(vec![t(msg::ENCODING, lang), f.encoding.clone()])
        .row(vec![
            t(msg::COLLATION, lang),
            f.collation.clone().unwrap_or_else(unknown),
        ])
        .row(vec![
            t(msg::TOTAL_SIZE, lang),
            units::bytes(f.total_size_bytes()),
        ]);
    if let Some(h) = &f.host {
        table
            .row(vec![t(msg::HOST, lang), h.hostname.clone()])
            .row(vec![t(msg::CPUS, lang), h.cpus.to_string()])
            .row(vec![
                t(msg::MEMORY, lang),
                h.memory_total_bytes
                    .map(units::bytes)
                    .unwrap_or_else(unknown),
            ]);
        if let Some(fs) = &h.data_fs {
            table.row(vec![
                t(msg::DISK, lang),
                format!(
                    "{} / {}",
                    units::bytes(fs.free_bytes),
                    units::bytes(fs.total_bytes)
                ),
            ]);
        }
    }
    table
}

/// Databases, largest first.
pub fn databases(f: &Facts, lang: Lang) -> Table {
    let mut dbs = f.databases.clone();
    dbs.sort_by(|a, b| b.size_bytes.cmp(&a.size_bytes).then(a.name.cmp(&b.name)));
    let mut table = Table::new(vec![t(msg::DATABASE, lang), t(msg::SIZE, lang)]);
    for d in dbs {
        table.row(vec![d.name, units::bytes(d.size_bytes)]);
    }
    table
}

pub fn settings(f: &Facts, lang: Lang) -> Table {
    let mut table = Table::new(vec![t(msg::SETTING, lang), t(msg::VALUE, lang)]);
    for s in &f.settings {
        table.row(vec![
            s.name.clone(),
            units::setting(&s.value, s.unit.as_deref()),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbkeeper_core::engine::{DatabaseSize, Setting};
    use dbkeeper_core::target::EngineKind;

    fn sample() -> Facts {
        Facts {
            target: "pg".into(),
            engine: EngineKind::Postgres,
            product: "PostgreSQL".into(),
            version: "15.20".into(),
            version_full: "PostgreSQL 15.20 on x86_64".into(),
            role: Role::Primary,
            started_at: None,
            uptime_seconds: Some(3700),
            data_directory: Some("/var/lib/postgresql/15/main".into()),
            encoding: "UTF8".into(),
            collation: Some("C.UTF-8".into()),
            databases: vec![
                DatabaseSize {
                    name: "small".into(),
                    size_bytes: 1024,
                },
                DatabaseSize {
                    name: "big".into(),
                    size_bytes: 10 * 1024 * 1024,
                },
            ],
            settings: vec![Setting {
                name: "work_mem".into(),
                value: "4096".into(),
                unit: Some("kB".into()),
            }],
            host: None,
        }
    }

    #[test]
    fn summary_in_both_languages() {
        let f = sample();
        let en = summary(&f, Lang::En).width(100).to_string();
        assert!(
            en.contains("PostgreSQL 15.20 on x86_64")
                && en.contains("1h 1m")
                && en.contains("primary"),
            "{en}"
        );
        assert!(en.contains("10.0 MiB"), "{en}");
        let zh = summary(&f, Lang::ZhCn).width(100).to_string();
        assert!(zh.contains("版本") && zh.contains("主库"), "{zh}");
    }

    #[test]
    fn databases_largest_first() {
        let s = databases(&sample(), Lang::En).width(80).to_string();
        let big = s.find("big").expect("big");
        let small = s.find("small").expect("small");
        assert!(big < small, "{s}");
    }
}
