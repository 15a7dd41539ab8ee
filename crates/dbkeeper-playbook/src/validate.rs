//! `dbkeeper validate FILE…`: playbooks and schedules, every problem of every file at once.

use std::path::{Path, PathBuf};

use dbkeeper_config::yaml::{Document, Node};
use dbkeeper_config::Config;
use dbkeeper_core::{Error, ErrorKind, Result};

use crate::model::Playbook;
use crate::schedule::Job;

/// A file that passed.
#[derive(Clone, Debug)]
pub enum Checked {
    Playbook(Box<Playbook>),
    Schedule(Box<Job>),
}

impl Checked {
    pub fn path(&self) -> &Path {
        match self {
            Checked::Playbook(p) => &p.path,
            Checked::Schedule(j) => &j.path,
        }
    }
}

/// Checks every file; a schedule is a file with a top-level `cron:`, anything else a playbook.
/// `Ok` with what each file holds, or one config error (exit 78) with the problems of all files.
pub fn validate(paths: &[PathBuf], config: Option<&Config>) -> Result<Vec<Checked>> {
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let result = if is_schedule(path) {
            crate::schedule::load(path).map(|j| Checked::Schedule(Box::new(j)))
        } else {
            crate::read::load(path, config).map(|p| Checked::Playbook(Box::new(p)))
        };
        match result {
            Ok(c) => ok.push(c),
            Err(e) => problems.extend(e.diagnostics().cloned()),
        }
    }
    match Error::many(ErrorKind::Config, problems) {
        Some(e) => Err(e),
        None => Ok(ok),
    }
}

fn is_schedule(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(doc) = Document::parse(&path.display().to_string(), &text) else {
        return false;
    };
    match doc.root().node() {
        Node::Mapping(m) => m.get_node("cron").is_some() && m.get_node("steps").is_none(),
        _ => false,
    }
}
