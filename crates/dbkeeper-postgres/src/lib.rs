//! dbkeeper's PostgreSQL engine.
//!
//! - [`connect()`] opens a connection to a [`Target`](dbkeeper_core::target::Target) (TCP with
//!   the target's TLS mode, or a Unix socket) and returns a [`PgEngine`], this crate's
//!   [`Engine`](dbkeeper_core::engine::Engine);
//! - [`dump`]: logical backup and restore (`Engine::backup_logical` / `restore_logical` of
//!   [`PgEngine`]): pg_dump's schema plus parallel COPY inside one exported snapshot;
//! - [`physical`]: [`backup_physical`] (pg_basebackup streamed) and [`restore_physical`] into
//!   an empty data directory;
//! - [`scratch`]: throwaway clusters on a free loopback port, for restore drills and tests,
//!   also on a restored data directory ([`ScratchPostgres::start_from`]);
//! - [`sample`]: a small synthetic internet-hospital database to load into one.
//!
//! The client programs (pg_dump, pg_dumpall, psql, pg_basebackup, pg_verifybackup) are the
//! server's major version's, found under `/usr/lib/postgresql/<major>/bin`, on `PATH`, or in
//! [`BINDIR_ENV`]; they get the connection and password through their environment.

mod connect;
pub mod dump;
mod facts;
pub mod msg;
pub mod physical;
mod query;
pub mod sample;
pub mod scratch;
mod tls;
mod tools;

pub use connect::{connect, PgEngine};
pub use facts::SETTINGS;
pub use physical::{backup_physical, restore_physical, PhysicalRestoreReport};
pub use scratch::{ScratchDataDir, ScratchOptions, ScratchPostgres};
pub use tools::BINDIR_ENV;

/// Quotes an SQL identifier by PostgreSQL's rules: in double quotes, with inner double quotes
/// doubled. Every identifier that reaches SQL text goes through this; values go as parameters.
pub fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote_ident;

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_ident("hospital"), "\"hospital\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("医院 x; DROP"), "\"医院 x; DROP\"");
        assert_eq!(quote_ident(""), "\"\"");
    }
}
