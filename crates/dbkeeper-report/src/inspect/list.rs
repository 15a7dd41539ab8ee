//! `dbkeeper inspect --list`: every check of an engine family with its group, thresholds,
//! compliance tags, needs and source.

use dbkeeper_core::target::EngineKind;
use dbkeeper_core::{Lang, Text};
use dbkeeper_inspect::{catalogue, threshold};
use serde_json::{json, Value};

use super::{msg, t};
use crate::table::Table;

pub fn catalogue_table(engine: EngineKind, lang: Lang, width: Option<u16>) -> String {
    let mut tbl = Table::new(vec![
        t(msg::COL_CHECK, lang),
        t(msg::COL_GROUP, lang),
        t(msg::COL_TITLE, lang),
        t(msg::COL_THRESHOLDS, lang),
        t(msg::COL_COMPLIANCE, lang),
    ]);
    for c in catalogue(engine) {
        let th = c
            .thresholds
            .iter()
            .map(|d| format!("{} {}", d.name, threshold::show(d.unit, d.default)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut title = Text::new(c.title).render(lang);
        if let Some(n) = c.needs {
            title.push_str(&format!(
                "\n({}: {})",
                t(msg::LIST_NEEDS, lang),
                Text::new(n).render(lang)
            ));
        }
        tbl.row(vec![
            c.id.to_string(),
            t(c.group.label(), lang),
            title,
            th,
            c.tags.join(" "),
        ]);
    }
    if let Some(w) = width {
        tbl.width(w);
    }
    tbl.to_string()
}

pub fn catalogue_json(engine: EngineKind, lang: Lang) -> Value {
    Value::Array(
        catalogue(engine)
            .iter()
            .map(|c| {
                json!({
                    "check": c.id,
                    "engine": c.engine,
                    "group": c.group,
                    "title": Text::new(c.title).render(lang),
                    "remediation": Text::new(c.fix).render(lang),
                    "thresholds": c.thresholds.iter().map(|d| json!({
                        "name": d.name,
                        "unit": d.unit,
                        "default": d.default,
                        "shown": threshold::show(d.unit, d.default),
                    })).collect::<Vec<_>>(),
                    "compliance": c.tags,
                    "needs": c.needs.map(|n| Text::new(n).render(lang)),
                    "uses_counters": c.uses_counters,
                    "source": c.source,
                })
            })
            .collect(),
    )
}
