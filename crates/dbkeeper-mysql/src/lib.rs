//! dbkeeper's engine for MySQL and MariaDB.
//!
//! - [`connect`] opens one connection to a [`Target`](dbkeeper_core::target::Target) over TCP
//!   (with the target's TLS mode) or a Unix socket, and returns a [`MysqlEngine`];
//! - [`MysqlEngine`] implements [`Engine`](dbkeeper_core::engine::Engine): server facts (version,
//!   role, uptime, sizes, key settings, host);
//! - [`scratch`] starts throw-away MariaDB/MySQL servers for restore drills and tests;
//! - [`sample`] loads a small synthetic internet-hospital data set for demos and tests;
//! - [`quote_ident`] is the one way SQL identifiers are written into statements.
//!
//! Every error comes as a [`dbkeeper_core::Error`] with English and Chinese texts from [`msg`];
//! passwords never appear in errors or logs.

mod connect;
mod engine;
mod facts;
mod ident;
pub mod msg;
mod query;
pub mod sample;
pub mod scratch;
mod value;

pub use connect::connect;
pub use engine::MysqlEngine;
pub use ident::{quote_ident, quote_string};
