//! Five-field cron expressions with the classic (Vixie cron / cronie) meaning.
//!
//! Why our own matcher rather than the `cron` crate: that crate wants a seconds field, counts
//! Sunday as 1 (and rejects 0), ANDs day-of-month with day-of-week, skips local times that fall in
//! a DST gap and fires twice in an overlap. Translating all of that would leave four places for
//! the two meanings to drift apart; matching five small bit sets against a date is less code than
//! the translation, and every rule below is tested against known fire times.
//!
//! The rules, as in Vixie cron's `entry.c` and crontab(5):
//! - fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or `jan`-`dec`, day of week
//!   0-7 or `sun`-`sat`, where both 0 and 7 are Sunday; names are case-insensitive;
//! - each field is a comma list of `*`, `N`, `A-B`, `*/S` or `A-B/S`;
//! - when both day fields are restricted, a day matches if EITHER matches (`0 4 1-7 * 0` is the
//!   first seven days and every Sunday); when either day field starts with `*` (even `*/2`),
//!   both must match;
//! - `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`), `@hourly`.

use chrono::{Datelike, NaiveDate};
use dbkeeper_core::Text;

use crate::expr::ExprError;
use crate::msg;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    /// Bit d for day d (1-31).
    days: u32,
    /// Bit m for month m (1-12).
    months: u16,
    /// Bit w for weekday w (0 = Sunday … 6).
    weekdays: u8,
    /// The day-of-month field starts with `*`.
    days_star: bool,
    /// The day-of-week field starts with `*`.
    weekdays_star: bool,
    source: String,
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct FieldDef {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// The value the first name stands for (jan = 1, sun = 0).
    names_from: u32,
}

const FIELDS: [FieldDef; 5] = [
    FieldDef {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
        names_from: 0,
    },
    FieldDef {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
        names_from: 0,
    },
    FieldDef {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
        names_from: 0,
    },
    FieldDef {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        names_from: 1,
    },
    FieldDef {
        name: "day of week",
        min: 0,
        max: 7,
        names: WEEKDAYS,
        names_from: 0,
    },
];

fn err(at: usize, what: Text, hint: Text) -> ExprError {
    ExprError { at, what, hint }
}

impl Cron {
    /// Parses an expression; errors carry the character offset of the offending part.
    pub fn parse(src: &str) -> Result<Cron, ExprError> {
        let lead = src.chars().take_while(|c| c.is_whitespace()).count();
        let text = src.trim();
        let expanded = match text.to_ascii_lowercase().as_str() {
            "@yearly" | "@annually" => Some("0 0 1 1 *"),
            "@monthly" => Some("0 0 1 * *"),
            "@weekly" => Some("0 0 * * 0"),
            "@daily" | "@midnight" => Some("0 0 * * *"),
            "@hourly" => Some("0 * * * *"),
            _ => None,
        };
        if let Some(e) = expanded {
            let mut c = Cron::parse(e)?;
            c.source = text.to_string();
            return Ok(c);
        }
        if text.starts_with('@') {
            return Err(err(
                lead,
                Text::new(msg::CRON_MACRO).arg("got", text),
                Text::new(msg::CRON_MACRO_HINT),
            ));
        }
        // Fields and where each starts.
        let chars: Vec<char> = src.chars().collect();
        let mut fields: Vec<(String, usize)> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            fields.push((chars[start..i].iter().collect(), start));
        }
        if fields.len() != 5 {
            let at = fields.get(5).map_or(lead, |(_, a)| *a);
            let hint = if fields.len() == 6 {
                msg::CRON_SIX_FIELDS_HINT
            } else {
                msg::CRON_FIELDS_HINT
            };
            return Err(err(
                at,
                Text::new(msg::CRON_FIELDS).arg("count", fields.len()),
                Text::new(hint),
            ));
        }
        let mut bits = [0u64; 5];
        for (k, (field, at)) in fields.iter().enumerate() {
            bits[k] = parse_field(field, *at, &FIELDS[k])?;
        }
        // Sunday is 0 or 7.
        let mut weekdays = bits[4];
        if weekdays & (1 << 7) != 0 {
            weekdays = (weekdays & !(1 << 7)) | 1;
        }
        let cron = Cron {
            minutes: bits[0],
            hours: bits[1] as u32,
            days: bits[2] as u32,
            months: bits[3] as u16,
            weekdays: weekdays as u8,
            days_star: fields[2].0.starts_with('*'),
            weekdays_star: fields[4].0.starts_with('*'),
            source: text.to_string(),
        };
        if !cron.can_fire() {
            return Err(err(
                fields[2].1,
                Text::new(msg::CRON_NEVER).arg("cron", text),
                Text::new(msg::CRON_NEVER_HINT),
            ));
        }
        Ok(cron)
    }

    /// As written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True when both day fields are restricted, so that either may match (Vixie's OR).
    pub fn days_or(&self) -> bool {
        !self.days_star && !self.weekdays_star
    }

    pub fn matches_date(&self, d: NaiveDate) -> bool {
        if self.months & (1 << d.month()) == 0 {
            return false;
        }
        let dom = self.days & (1 << d.day()) != 0;
        let dow = self.weekdays & (1 << d.weekday().num_days_from_sunday()) != 0;
        if self.days_or() {
            dom || dow
        } else {
            dom && dow
        }
    }

    pub fn hours(&self) -> impl DoubleEndedIterator<Item = u32> + '_ {
        (0..24).filter(|h| self.hours & (1 << h) != 0)
    }

    pub fn minutes(&self) -> impl DoubleEndedIterator<Item = u32> + '_ {
        (0..60).filter(|m| self.minutes & (1 << m) != 0)
    }

    pub fn days(&self) -> Vec<u32> {
        (1..=31).filter(|d| self.days & (1 << d) != 0).collect()
    }

    pub fn months(&self) -> Vec<u32> {
        (1..=12).filter(|m| self.months & (1 << m) != 0).collect()
    }

    /// 0 = Sunday.
    pub fn weekdays(&self) -> Vec<u32> {
        (0..7).filter(|w| self.weekdays & (1 << w) != 0).collect()
    }

    pub fn all_days(&self) -> bool {
        self.days().len() == 31
    }

    pub fn all_weekdays(&self) -> bool {
        self.weekdays().len() == 7
    }

    pub fn all_months(&self) -> bool {
        self.months().len() == 12
    }

    /// Whether some date can ever match: `0 0 30 2 *` never does. Every month/day pair that exists
    /// falls on every weekday within 28 years, so only the month and day fields decide — and with
    /// Vixie's OR, a weekday alone is enough.
    fn can_fire(&self) -> bool {
        if self.days_or() {
            return true;
        }
        const LONGEST: [u32; 13] = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        self.months()
            .iter()
            .any(|m| self.days().iter().any(|d| *d <= LONGEST[*m as usize]))
    }
}

impl std::fmt::Display for Cron {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

/// One field: a comma list of `*`, `N`, `A-B`, `*/S`, `A-B/S`.
fn parse_field(field: &str, at: usize, def: &FieldDef) -> Result<u64, ExprError> {
    let mut bits = 0u64;
    let mut offset = 0;
    for part in field.split(',') {
        let part_at = at + offset;
        offset += part.chars().count() + 1;
        if part.is_empty() {
            return Err(err(
                part_at,
                Text::new(msg::CRON_EMPTY_ITEM).arg("field", def.name),
                Text::new(msg::CRON_SYNTAX_HINT),
            ));
        }
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                let s_at = part_at + r.chars().count() + 1;
                let step: u32 = s.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    err(
                        s_at,
                        Text::new(msg::CRON_STEP).arg("got", s),
                        Text::new(msg::CRON_STEP_HINT),
                    )
                })?;
                (r, Some(step))
            }
            None => (part, None),
        };
        let (lo, hi) = if range == "*" {
            (def.min, def.max)
        } else if let Some((a, b)) = range.split_once('-') {
            let lo = value(a, part_at, def)?;
            let hi = value(b, part_at + a.chars().count() + 1, def)?;
            if lo > hi {
                return Err(err(
                    part_at,
                    Text::new(msg::CRON_RANGE_ORDER).arg("got", range),
                    Text::new(msg::CRON_RANGE_ORDER_HINT),
                ));
            }
            (lo, hi)
        } else {
            let v = value(range, part_at, def)?;
            if step.is_some() {
                // Vixie reads `5/10` as an error; cronie as `5-MAX/10`. Say which is meant.
                return Err(err(
                    part_at,
                    Text::new(msg::CRON_STEP_WITHOUT_RANGE).arg("got", part),
                    Text::new(msg::CRON_STEP_WITHOUT_RANGE_HINT)
                        .arg("fixed", format!("{v}-{}/{}", def.max, step.unwrap_or(1))),
                ));
            }
            (v, v)
        };
        let step = step.unwrap_or(1);
        let mut v = lo;
        while v <= hi {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok(bits)
}

/// A number or (in the month and weekday fields) a three-letter name.
fn value(s: &str, at: usize, def: &FieldDef) -> Result<u32, ExprError> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = def.names.iter().position(|n| *n == lower) {
        return Ok(def.names_from + i as u32);
    }
    let n: u32 = s.parse().map_err(|_| {
        let hint = if def.names.is_empty() {
            Text::new(msg::CRON_RANGE_HINT)
                .arg("field", def.name)
                .arg("min", def.min)
                .arg("max", def.max)
        } else {
            Text::new(msg::CRON_NAMES_HINT)
                .arg("field", def.name)
                .arg("min", def.min)
                .arg("max", def.max)
                .arg("names", def.names.join(", "))
        };
        err(
            at,
            Text::new(msg::CRON_VALUE)
                .arg("got", s)
                .arg("field", def.name),
            hint,
        )
    })?;
    if n < def.min || n > def.max {
        return Err(err(
            at,
            Text::new(msg::CRON_OUT_OF_RANGE)
                .arg("got", n)
                .arg("field", def.name),
            Text::new(msg::CRON_RANGE_HINT)
                .arg("field", def.name)
                .arg("min", def.min)
                .arg("max", def.max),
        ));
    }
    Ok(n)
}
