//! dbkeeper's core: the types every other crate shares and depends on no workspace crate.
//!
//! - [`target`]: database servers and how to reach them; [`secret`]: where passwords come from;
//! - [`engine`]: the [`engine::Engine`] trait the PostgreSQL and MySQL crates implement;
//! - [`error`] and [`i18n`]: errors with a place and a hint, in English and Chinese;
//! - [`ledger`], [`audit`], [`state`]: the work log and the tamper-evident audit log;
//! - [`host`]: facts about the local machine.

pub mod audit;
pub mod dump;
pub mod engine;
pub mod error;
pub mod host;
pub mod i18n;
pub mod ledger;
pub mod msg;
pub mod scratch;
pub mod secret;
pub mod state;
pub mod target;

pub use error::{Diagnostic, Error, ErrorKind, Result};
pub use i18n::{Lang, Msg, Text};

/// Now, as RFC 3339 with the local offset, to the second (DESIGN §10).
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
