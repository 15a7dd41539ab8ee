//! The values a run's expressions and templates read: step results so far, variables, facts.

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

use super::report::{StepReport, StepStatus};
use crate::expr::{Value, Values};
use crate::model::{Var, VarValue};

/// Facts about the run (`run.FIELD`).
#[derive(Clone, Debug)]
pub(crate) struct RunFacts {
    pub(crate) scheduled: bool,
    pub(crate) dry_run: bool,
    /// The slot, or the start, in the run's time zone.
    pub(crate) local: DateTime<Tz>,
    pub(crate) run_id: i64,
}

pub(crate) struct RunValues<'a> {
    pub(crate) steps: Vec<StepReport>,
    pub(crate) vars: &'a [Var],
    pub(crate) facts: RunFacts,
    /// A step failed (without `continue_on_error`): `success()` is false from here on.
    pub(crate) failed: bool,
}

impl RunValues<'_> {
    fn step(&self, id: &str) -> Option<&StepReport> {
        self.steps.iter().find(|s| s.id == id)
    }
}

impl Values for RunValues<'_> {
    fn get(&self, path: &[&str]) -> Option<Value> {
        match path {
            ["steps", id, "outputs", name] => {
                let s = self.step(id)?;
                s.outputs.get(*name).map(Value::from_json)
            }
            ["steps", id, field] => {
                let s = self.step(id)?;
                Some(match *field {
                    "ok" => Value::Bool(s.status == StepStatus::Ok),
                    "failed" => Value::Bool(s.status == StepStatus::Failed),
                    "skipped" => Value::Bool(s.status == StepStatus::Skipped),
                    "status" => Value::Str(s.status.as_str().to_string()),
                    "attempts" => Value::Num(f64::from(s.attempts)),
                    "duration_ms" => Value::Num(s.duration_ms as f64),
                    _ => return None,
                })
            }
            ["vars", name] => self
                .vars
                .iter()
                .find(|v| v.name == *name)
                .map(|v| match &v.value {
                    VarValue::Str(s) => Value::Str(s.clone()),
                    VarValue::Num(n) => Value::Num(*n),
                    VarValue::Bool(b) => Value::Bool(*b),
                }),
            ["run", field] => {
                let f = &self.facts;
                Some(match *field {
                    "scheduled" => Value::Bool(f.scheduled),
                    "dry_run" => Value::Bool(f.dry_run),
                    "failed" => Value::Bool(self.failed),
                    "day_of_month" => Value::Num(f64::from(f.local.day())),
                    "weekday" => Value::Num(f64::from(f.local.weekday().num_days_from_sunday())),
                    "month" => Value::Num(f64::from(f.local.month())),
                    "hour" => Value::Num(f64::from(f.local.hour())),
                    "date" => Value::Str(f.local.format("%Y-%m-%d").to_string()),
                    "id" => Value::Num(f.run_id as f64),
                    _ => return None,
                })
            }
            _ => None,
        }
    }

    fn status(&self, function: &str) -> bool {
        match function {
            "success" => !self.failed,
            "failure" => self.failed,
            _ => true,
        }
    }
}
