//! Reading `inspect:` (in `defaults:` and in each target): the profile, which checks to run or
//! skip, threshold overrides by check id, and a replacement version-data file.
//!
//! The config crate knows no check catalogue (it depends on core only), so it checks the shape
//! and keeps every value with its `file:line:col`; the inspect crate checks ids, names and
//! values against its catalogue and reports problems at those places.

use std::path::PathBuf;

use dbkeeper_core::Text;

use super::{InspectSettings, Located, ThresholdSetting};
use crate::msg;
use crate::yaml::{Item, Map};

pub(super) const INSPECT_KEYS: &[&str] =
    &["profile", "only", "skip", "thresholds", "versions_file"];

pub(super) fn read_inspect(m: &Map<'_>) -> InspectSettings {
    let located = |item: &Item<'_>| item.reader().at(item.pos());
    let profile = m.get("profile").and_then(|i| {
        let v: String = i.get()?;
        Some(Located {
            value: v,
            at: located(&i),
        })
    });
    let list = |key: &str| -> Vec<Located<String>> {
        m.get(key)
            .and_then(|i| i.list())
            .unwrap_or_default()
            .iter()
            .filter_map(|i| {
                let v: String = i.get()?;
                if !is_check_word(&v) {
                    i.error(
                        Text::new(msg::INSPECT_CHECK_ID).arg("got", i.shown()),
                        Text::new(msg::INSPECT_CHECK_ID_HINT),
                    );
                    return None;
                }
                Some(Located {
                    value: v,
                    at: located(i),
                })
            })
            .collect()
    };
    let only = list("only");
    let skip = list("skip");
    let mut thresholds = Vec::new();
    if let Some(section) = m.get("thresholds") {
        for (check, item) in section.entries().unwrap_or_default() {
            if !is_check_word(check) {
                item.error_at_key(
                    Text::new(msg::INSPECT_CHECK_ID).arg("got", check),
                    Text::new(msg::INSPECT_CHECK_ID_HINT),
                );
                continue;
            }
            let Some(names) = item.entries() else {
                continue;
            };
            if names.is_empty() {
                item.error_at_key(
                    Text::new(msg::INSPECT_THRESHOLDS_EMPTY).arg("check", check),
                    Text::new(msg::INSPECT_THRESHOLDS_EMPTY_HINT),
                );
            }
            for (name, value) in names {
                if value.node().as_scalar().is_none() || value.is_null() {
                    value.error(
                        Text::new(msg::INSPECT_THRESHOLD_SCALAR)
                            .arg("check", check)
                            .arg("name", name),
                        Text::new(msg::INSPECT_THRESHOLD_SCALAR_HINT),
                    );
                    continue;
                }
                let Some(text) = value.scalar() else { continue };
                thresholds.push(ThresholdSetting {
                    check: check.to_string(),
                    name: name.to_string(),
                    value: text.to_string(),
                    at: located(&value),
                });
            }
        }
    }
    let versions_file = m.get("versions_file").and_then(|i| {
        let p: PathBuf = i.get()?;
        Some(Located {
            value: p,
            at: located(&i),
        })
    });
    InspectSettings {
        profile,
        only,
        skip,
        thresholds,
        versions_file,
    }
}

/// A check id (`PG-VAC-001`) or a group name (`security`): letters, digits and dashes.
fn is_check_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
