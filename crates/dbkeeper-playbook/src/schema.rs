//! JSON Schemas for playbooks and schedules, generated from [`crate::spec`] — the same tables
//! the reader takes its keys and types from — for editors and CI. The committed copies
//! (`playbooks/playbook.schema.json`, `schedules/schedule.schema.json`) are checked against
//! these by a test, which says how to regenerate them.
//!
//! `dbkeeper validate` stays the authority: a schema cannot say that a name is defined, that the
//! steps have no cycle or that a `when` type-checks.

use serde_json::{json, Map, Value};

use crate::spec::{self, ActionSpec, Field, Ty};

const NAME_PATTERN: &str = r"^[\p{L}\p{N}][\p{L}\p{N}._-]*$";
const STEP_ID_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_-]*$";
const DURATION_PATTERN: &str = "^([0-9]+(ms|s|m|h|d|w))+$";

/// The keys of dbkeeper.yaml's entries, which playbooks share (read by the config crate; a test
/// checks that it accepts each of them).
pub const TARGET_KEYS: &[&str] = &[
    "url",
    "password",
    "tls",
    "connect_timeout",
    "description",
    "tags",
    "inspect",
];
pub const REPO_KEYS: &[&str] = &["url", "encryption", "retention", "allow_unencrypted"];
pub const CHANNEL_KEYS: &[&str] = &["kind", "url", "secret", "on", "lang", "smtp", "from", "to"];

/// The playbook schema.
pub fn playbook() -> Value {
    let mut defs = Map::new();
    defs.insert("duration".into(), duration());
    defs.insert("secret_ref".into(), secret_ref());
    defs.insert("target".into(), target());
    defs.insert("repo".into(), repo());
    defs.insert("channel".into(), channel());
    defs.insert("step".into(), step_like(spec::STEP, "a step"));
    defs.insert(
        "handler".into(),
        step_like(spec::HANDLER, "an on_failure handler"),
    );
    for a in spec::ACTIONS {
        defs.insert(format!("with_{}", a.name), with(a));
    }
    let mut schema = object(spec::TOP, "A dbkeeper playbook (playbooks/*.yaml)");
    if let Some(o) = schema.as_object_mut() {
        let mut top = Map::new();
        top.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        top.insert("title".into(), json!("dbkeeper playbook"));
        top.extend(std::mem::take(o));
        top.insert("$defs".into(), Value::Object(defs));
        *o = top;
    }
    schema
}

/// The schedule schema.
pub fn schedule() -> Value {
    let mut schema = object(
        spec::SCHEDULE,
        "A dbkeeper schedule (schedules/*.yaml); the job's name is the file's",
    );
    if let Some(o) = schema.as_object_mut() {
        let mut top = Map::new();
        top.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        top.insert("title".into(), json!("dbkeeper schedule"));
        top.extend(std::mem::take(o));
        top.insert("$defs".into(), json!({ "duration": duration() }));
        *o = top;
    }
    schema
}

/// Pretty JSON with a final newline, as committed.
pub fn to_text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn object(fields: &[Field], description: &str) -> Value {
    let mut props = Map::new();
    for f in fields {
        let mut p = ty(&f.ty);
        if let Some(o) = p.as_object_mut() {
            o.insert("description".into(), json!(f.doc));
        }
        props.insert(f.name.into(), p);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut o = json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "properties": props,
    });
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

/// A step or handler: its keys, and `with` by action.
fn step_like(fields: &[Field], description: &str) -> Value {
    let mut o = object(fields, description);
    let cases: Vec<Value> = spec::ACTIONS
        .iter()
        .map(|a| {
            let needs_with = a.with.iter().any(|f| f.required) || !a.one_of.is_empty();
            let mut then = json!({
                "properties": { "with": { "$ref": format!("#/$defs/with_{}", a.name) } }
            });
            if needs_with {
                then["required"] = json!(["with"]);
            }
            json!({
                "if": { "properties": { "action": { "const": a.name } }, "required": ["action"] },
                "then": then,
            })
        })
        .collect();
    o["allOf"] = Value::Array(cases);
    o
}

fn with(a: &ActionSpec) -> Value {
    let mut o = object(a.with, a.doc);
    if !a.one_of.is_empty() {
        // Exactly one key of each group.
        let all: Vec<Value> = a
            .one_of
            .iter()
            .map(|group| {
                json!({
                    "oneOf": group
                        .iter()
                        .map(|k| json!({ "required": [k] }))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        o["allOf"] = Value::Array(all);
    }
    let outputs: Vec<String> = a
        .outputs
        .iter()
        .map(|x| format!("{} ({})", x.name, x.doc))
        .collect();
    if let Some(d) = o.get_mut("description") {
        *d = json!(format!("{}. Outputs: {}", a.doc, outputs.join("; ")));
    }
    o
}

fn ty(t: &Ty) -> Value {
    match t {
        Ty::Text => json!({ "type": "string" }),
        Ty::Template => json!({
            "type": "string",
            "$comment": "may contain ${steps.ID.outputs.NAME}, ${vars.NAME} or ${run.FIELD}",
        }),
        Ty::Sql => json!({ "type": "string", "$comment": "SQL, taken literally" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Int { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Ty::Duration => json!({ "$ref": "#/$defs/duration" }),
        Ty::Target => {
            json!({ "type": "string", "$comment": "a target name or a postgres:// or mysql:// URL" })
        }
        Ty::Repo => {
            json!({ "type": "string", "$comment": "a repository name or a file:/// or s3:// URL" })
        }
        Ty::Channel => json!({ "type": "string", "$comment": "a notification channel name" }),
        Ty::Secret => json!({ "type": "string", "$comment": "the name of an entry of secrets:" }),
        Ty::Enum(values) => json!({ "enum": values }),
        Ty::Expect => json!({
            "type": ["string", "number", "boolean"],
            "$comment": "a value, or an operator and a value: \"> 0\", \"= 0\", \"!= 'x'\"",
        }),
        Ty::List(inner) => json!({ "type": "array", "items": ty(inner) }),
        Ty::Object(fields) => object(fields, ""),
        Ty::Version => json!({ "const": 1 }),
        Ty::Name => json!({ "type": "string", "pattern": NAME_PATTERN }),
        Ty::Path => json!({ "type": "string", "minLength": 1 }),
        Ty::StepId => json!({ "type": "string", "pattern": STEP_ID_PATTERN }),
        Ty::Action => json!({ "enum": spec::ACTIONS.iter().map(|a| a.name).collect::<Vec<_>>() }),
        Ty::With => json!({ "type": "object" }),
        Ty::Needs => json!({
            "oneOf": [
                { "type": "string", "pattern": STEP_ID_PATTERN },
                { "type": "array", "items": { "type": "string", "pattern": STEP_ID_PATTERN } },
            ]
        }),
        Ty::When => json!({
            "type": ["string", "boolean"],
            "$comment": "steps.ID.ok|failed|skipped|status|outputs.NAME, vars.NAME, run.FIELD; == != < <= > >= in && || ! ( ); success() failure() always()",
        }),
        Ty::Steps => json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/step" } }),
        Ty::Handlers => json!({ "type": "array", "items": { "$ref": "#/$defs/handler" } }),
        Ty::Targets => named("#/$defs/target"),
        Ty::Repos => named("#/$defs/repo"),
        Ty::Channels => named("#/$defs/channel"),
        Ty::Secrets => named("#/$defs/secret_ref"),
        Ty::Vars => json!({
            "type": "object",
            "propertyNames": { "pattern": STEP_ID_PATTERN },
            "additionalProperties": { "type": ["string", "number", "boolean"] },
        }),
        Ty::Cron => json!({
            "type": "string",
            "$comment": "minute hour day-of-month month day-of-week, or @daily, @weekly, @monthly, @yearly, @hourly",
        }),
        Ty::TimeZone => {
            json!({ "type": "string", "$comment": "an IANA zone such as Asia/Shanghai" })
        }
    }
}

fn named(item: &str) -> Value {
    json!({
        "type": "object",
        "propertyNames": { "pattern": NAME_PATTERN },
        "additionalProperties": { "$ref": item },
    })
}

fn duration() -> Value {
    json!({ "type": "string", "pattern": DURATION_PATTERN, "$comment": "30s, 10m, 2h, 7d, 1h30m, 500ms" })
}

fn secret_ref() -> Value {
    let one = |key: &str, v: Value| {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": [key],
            "properties": { key: v },
        })
    };
    json!({
        "description": "where a secret comes from; never the secret itself",
        "oneOf": [
            one("env", json!({ "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" })),
            one("file", json!({ "type": "string", "$comment": "must be mode 0600" })),
            one("command", json!({ "type": "array", "minItems": 1, "items": { "type": "string" } })),
        ]
    })
}

fn loose(keys: &[&str], required: &[&str], description: &str, typed: Value) -> Value {
    let mut props = Map::new();
    for k in keys {
        props.insert(
            (*k).to_string(),
            typed.get(*k).cloned().unwrap_or(json!({})),
        );
    }
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": required,
        "properties": props,
    })
}

fn target() -> Value {
    loose(
        TARGET_KEYS,
        &["url"],
        "a database server, as in dbkeeper.yaml",
        json!({
            "url": { "type": "string", "pattern": "^(postgres|postgresql|mysql|mariadb)://" },
            "password": { "$ref": "#/$defs/secret_ref" },
            "tls": { "type": "object" },
            "connect_timeout": { "$ref": "#/$defs/duration" },
            "description": { "type": "string" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "inspect": { "type": "object" },
        }),
    )
}

fn repo() -> Value {
    loose(
        REPO_KEYS,
        &["url"],
        "a backup repository, as in dbkeeper.yaml",
        json!({
            "url": { "type": "string", "pattern": "^(file:///|s3://)" },
            "encryption": { "type": "object" },
            "retention": { "type": "object" },
            "allow_unencrypted": { "type": "boolean" },
        }),
    )
}

fn channel() -> Value {
    loose(
        CHANNEL_KEYS,
        &["kind"],
        "a notification channel, as in dbkeeper.yaml",
        json!({
            "kind": { "enum": ["webhook", "wecom", "dingtalk", "feishu", "email"] },
            "url": { "$ref": "#/$defs/secret_ref" },
            "secret": { "$ref": "#/$defs/secret_ref" },
            "on": { "type": "array", "items": { "enum": ["failure", "recovery", "always"] } },
            "lang": { "enum": ["en", "zh-CN"] },
            "smtp": { "type": "object" },
            "from": { "type": "string" },
            "to": { "type": "array", "items": { "type": "string" } },
        }),
    )
}
