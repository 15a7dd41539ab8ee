//! dbkeeper's engine for MySQL and MariaDB.
//!
//! - [`connect`] opens one connection to a [`Target`](dbkeeper_core::target::Target) over TCP
//!   (with the target's TLS mode) or a Unix socket, and returns a [`MysqlEngine`];
//! - [`MysqlEngine`] implements [`Engine`](dbkeeper_core::engine::Engine): server facts (version,
//!   role, uptime, sizes, key settings, host);
//! - [`scratch`] starts throw-away MariaDB/MySQL servers for restore drills and tests;
//! - [`sample`] loads a small synthetic internet-hospital data set for demos and tests;
//! - logical backup and restore are the engine's [`Engine`](dbkeeper_core::engine::Engine)
//!   methods ([`dump`] explains the format); [`backup_physical`] and [`restore_physical`] drive
//!   mariabackup;
//! - [`quote_ident`] is the one way SQL identifiers are written into statements.
//!
//! Every error comes as a [`dbkeeper_core::Error`] with English and Chinese texts from [`msg`];
//! passwords never appear in errors or logs.

mod connect;
pub mod dump;
mod engine;
mod facts;
mod ident;
pub mod msg;
mod physical;
mod query;
pub mod sample;
pub mod scratch;
mod tools;
mod value;

pub use connect::connect;
pub use dump::{DumpOptions, LockMethod};
pub use engine::MysqlEngine;
pub use ident::{quote_ident, quote_string};
pub use physical::{
    backup_physical, restore_physical, PhysicalRestore, PHYSICAL_METHOD, STREAM_OBJECT,
};
