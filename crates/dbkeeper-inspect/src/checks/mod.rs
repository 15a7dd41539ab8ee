//! The catalogue, organised by engine: `postgres/` and `mysql/` hold the SQL (probes) and the
//! checks that read it; `common` holds what both families share (backups and drills, host
//! space and growth). [`check`] builds a [`Def`] in one expression, so adding a check is its
//! title, its remediation, and a few lines of evaluation.

pub(crate) mod common;
pub(crate) mod mysql;
pub(crate) mod postgres;

use dbkeeper_core::target::EngineKind;
use dbkeeper_core::Msg;

use crate::check::{CheckInfo, Ctx, Def, Eval};
use crate::model::Group;
use crate::threshold::ThresholdDef;

/// A check with no thresholds, tags or probes yet; the methods below add them.
pub(crate) fn check(
    id: &'static str,
    group: Group,
    title: Msg,
    fix: Msg,
    eval: fn(&Ctx<'_>) -> Eval,
) -> Def {
    Def {
        info: CheckInfo {
            id,
            engine: if id.starts_with("PG-") {
                EngineKind::Postgres
            } else {
                EngineKind::Mysql
            },
            group,
            title,
            fix,
            thresholds: &[],
            tags: &[],
            needs: None,
            uses_counters: false,
            source: "",
        },
        probes: &[],
        eval,
    }
}

impl Def {
    /// The check's thresholds and their defaults. The catalogue is built once per process, so
    /// the list lives for the program's life.
    pub(crate) fn th(mut self, defs: Vec<ThresholdDef>) -> Def {
        self.info.thresholds = Box::leak(defs.into_boxed_slice());
        self
    }

    pub(crate) fn tags(mut self, tags: &'static [&'static str]) -> Def {
        self.info.tags = tags;
        self
    }

    pub(crate) fn probes(mut self, probes: &'static [&'static str]) -> Def {
        self.probes = probes;
        self
    }

    /// The check reads cumulative statistics (its report shows uptime and stats reset).
    pub(crate) fn counters(mut self) -> Def {
        self.info.uses_counters = true;
        self
    }

    pub(crate) fn needs(mut self, m: Msg) -> Def {
        self.info.needs = Some(m);
        self
    }

    /// Where the check and its thresholds come from (research notes' anchors).
    pub(crate) fn src(mut self, s: &'static str) -> Def {
        self.info.source = s;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::defs;

    /// Ids are unique and well formed, every check has a source, every threshold a default,
    /// and every compliance tag names a known clause.
    #[test]
    fn catalogue_is_well_formed() {
        for engine in [EngineKind::Postgres, EngineKind::Mysql] {
            let all = defs(engine);
            assert!(all.len() >= 70, "{engine}: only {} checks", all.len());
            let mut seen = std::collections::HashSet::new();
            let prefix = if engine == EngineKind::Postgres {
                "PG-"
            } else {
                "MY-"
            };
            for d in all {
                let i = &d.info;
                assert!(seen.insert(i.id), "duplicate {}", i.id);
                assert!(i.id.starts_with(prefix), "{} in {engine}", i.id);
                let parts: Vec<&str> = i.id.split('-').collect();
                assert!(
                    parts.len() == 3
                        && parts[2].len() == 3
                        && parts[2].chars().all(|c| c.is_ascii_digit()),
                    "id {}",
                    i.id
                );
                assert!(!i.source.is_empty(), "{} has no source", i.id);
                assert_ne!(i.title.id, i.fix.id, "{}", i.id);
                // Titles and `needs` are shown without arguments (`--list`): no placeholders.
                for m in [Some(i.title), i.needs].into_iter().flatten() {
                    assert!(
                        !m.en.contains('{') && !m.zh.contains('{'),
                        "{}: {}",
                        i.id,
                        m.id
                    );
                }
                for t in i.tags {
                    let clause = t
                        .strip_prefix("djbh3:")
                        .unwrap_or_else(|| panic!("{}: tag {t}", i.id));
                    assert!(
                        crate::djbh3::CLAUSES.iter().any(|c| c.id == clause),
                        "{}: unknown clause {t}",
                        i.id
                    );
                }
                for p in d.probes {
                    let known = match engine {
                        EngineKind::Postgres => {
                            postgres::probes::PROBES.iter().any(|x| x.name == *p)
                        }
                        EngineKind::Mysql => mysql::probes::PROBES.iter().any(|x| x.name == *p),
                    };
                    assert!(known, "{}: unknown probe {p}", i.id);
                }
            }
            // Every 等保 clause is decided by at least one check of each engine.
            for c in crate::djbh3::CLAUSES {
                let tag = format!("djbh3:{}", c.id);
                assert!(
                    all.iter().any(|d| d.info.tags.contains(&tag.as_str())),
                    "{engine}: no check for {}",
                    c.id
                );
            }
        }
    }

    /// Every check's title and remediation is in a catalogue that the completeness tests run.
    #[test]
    fn every_message_is_catalogued() {
        let all: Vec<Msg> = postgres::all_msgs()
            .into_iter()
            .chain(mysql::all_msgs())
            .chain(common::msg::ALL.iter().copied())
            .collect();
        for engine in [EngineKind::Postgres, EngineKind::Mysql] {
            for d in defs(engine) {
                for m in [d.info.title, d.info.fix] {
                    assert!(all.contains(&m), "{}: {} not catalogued", d.info.id, m.id);
                }
            }
        }
    }
}
