//! Thresholds: every check's defaults (from the anchors the research notes cite), overridable
//! per target from the config, parsed with the config's own grammars (`5m`, `1GiB`, `90%`).

use std::collections::BTreeMap;

use dbkeeper_core::{Diagnostic, Text};

use crate::msg;

/// What a threshold measures; decides how an override is written and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A plain number (rows, sessions, transaction ids).
    Count,
    /// 0–100; written `90` or `90%`.
    Percent,
    /// A duration, written `30s`, `5m`, `26h`, `7d`.
    Seconds,
    /// A size, written `512MiB`, `1GiB` or plain bytes.
    Bytes,
}

/// One threshold of a check and its default.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct ThresholdDef {
    pub name: &'static str,
    pub unit: Unit,
    pub default: f64,
}

/// Shorthands for the catalogue tables.
pub(crate) const fn count(name: &'static str, default: f64) -> ThresholdDef {
    ThresholdDef {
        name,
        unit: Unit::Count,
        default,
    }
}
pub(crate) const fn pct(name: &'static str, default: f64) -> ThresholdDef {
    ThresholdDef {
        name,
        unit: Unit::Percent,
        default,
    }
}
pub(crate) const fn secs(name: &'static str, default: f64) -> ThresholdDef {
    ThresholdDef {
        name,
        unit: Unit::Seconds,
        default,
    }
}
pub(crate) const fn bytes(name: &'static str, default: f64) -> ThresholdDef {
    ThresholdDef {
        name,
        unit: Unit::Bytes,
        default,
    }
}

/// Threshold overrides by check id, then threshold name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    map: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Overrides {
    pub fn set(&mut self, check: &str, name: &str, value: f64) {
        self.map
            .entry(check.to_string())
            .or_default()
            .insert(name.to_string(), value);
    }

    pub fn get(&self, check: &str, name: &str) -> Option<f64> {
        self.map.get(check)?.get(name).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Later overrides win (target over defaults).
    pub fn merge(&mut self, other: &Overrides) {
        for (check, names) in &other.map {
            for (name, v) in names {
                self.set(check, name, *v);
            }
        }
    }
}

/// Parses an override as written in the config. `plain` is true for an unquoted YAML scalar.
pub fn parse_value(unit: Unit, text: &str) -> Option<f64> {
    let t = text.trim();
    let number = || t.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
    match unit {
        Unit::Count => number(),
        Unit::Percent => t
            .strip_suffix('%')
            .map_or_else(number, |p| p.trim().parse::<f64>().ok())
            .filter(|v| (0.0..=100.0).contains(v)),
        Unit::Seconds => dbkeeper_config::yaml::parse_duration(t).map(|d| d.as_secs_f64()),
        Unit::Bytes => dbkeeper_config::yaml::parse_size(t).map(|b| b as f64),
    }
}

/// How a value of this unit is shown to people.
pub fn show(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Count => fmt_num(v),
        Unit::Percent => format!("{}%", fmt_num(v)),
        Unit::Seconds => human_secs(v),
        Unit::Bytes => human_bytes(v),
    }
}

/// A number without a pointless `.0`, and with at most two decimals.
pub fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e15 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `90061` → `1d 1h 1m`; under a minute in seconds.
pub fn human_secs(v: f64) -> String {
    if v < 1.0 && v > 0.0 {
        return format!("{}ms", (v * 1000.0).round() as i64);
    }
    let s = v.max(0.0).round() as u64;
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 && d == 0 {
        parts.push(format!("{m}m"));
    }
    if sec > 0 && d == 0 && h == 0 {
        parts.push(format!("{sec}s"));
    }
    if parts.is_empty() {
        "0s".into()
    } else {
        parts.join(" ")
    }
}

/// Binary units, as DESIGN §10 asks (`1.5 GiB`).
pub fn human_bytes(v: f64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let v = v.max(0.0);
    if v < 1024.0 {
        return format!("{} B", v.round() as u64);
    }
    let mut x = v / 1024.0;
    let mut unit = 0;
    while x >= 1024.0 && unit < UNITS.len() - 1 {
        x /= 1024.0;
        unit += 1;
    }
    if x >= 100.0 {
        format!("{x:.0} {}", UNITS[unit])
    } else {
        format!("{x:.1} {}", UNITS[unit])
    }
}

/// The problem for a threshold value that does not parse, naming what is expected.
pub(crate) fn bad_value(check: &str, name: &str, unit: Unit, got: &str, at: &str) -> Diagnostic {
    let expected = match unit {
        Unit::Count => msg::TH_EXPECT_COUNT,
        Unit::Percent => msg::TH_EXPECT_PERCENT,
        Unit::Seconds => msg::TH_EXPECT_DURATION,
        Unit::Bytes => msg::TH_EXPECT_SIZE,
    };
    Diagnostic::new(
        Text::new(msg::TH_BAD_VALUE)
            .arg("check", check)
            .arg("name", name)
            .arg("got", got),
    )
    .at(at)
    .hint(Text::new(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(parse_value(Unit::Count, "1500000000"), Some(1.5e9));
        assert_eq!(parse_value(Unit::Count, "-1"), None);
        assert_eq!(parse_value(Unit::Percent, "90%"), Some(90.0));
        assert_eq!(parse_value(Unit::Percent, "85"), Some(85.0));
        assert_eq!(parse_value(Unit::Percent, "120%"), None);
        assert_eq!(parse_value(Unit::Seconds, "5m"), Some(300.0));
        assert_eq!(parse_value(Unit::Seconds, "300"), None);
        assert_eq!(parse_value(Unit::Bytes, "1GiB"), Some(1_073_741_824.0));
        assert_eq!(parse_value(Unit::Bytes, "lots"), None);
    }

    #[test]
    fn shows_people_units() {
        assert_eq!(show(Unit::Percent, 90.0), "90%");
        assert_eq!(show(Unit::Seconds, 93_784.0), "1d 2h");
        assert_eq!(show(Unit::Seconds, 300.0), "5m");
        assert_eq!(show(Unit::Seconds, 0.25), "250ms");
        assert_eq!(show(Unit::Bytes, 1_610_612_736.0), "1.5 GiB");
        assert_eq!(show(Unit::Count, 1.5), "1.5");
        assert_eq!(fmt_num(99.456), "99.46");
    }
}
