//! dbkeeper's PostgreSQL engine.
//!
//! - [`connect()`] opens a connection to a [`Target`](dbkeeper_core::target::Target) (TCP with
//!   the target's TLS mode, or a Unix socket) and returns a [`PgEngine`], this crate's
//!   [`Engine`](dbkeeper_core::engine::Engine);
//! - [`scratch`]: throwaway clusters on a free loopback port, for restore drills and tests;
//! - [`sample`]: a small synthetic internet-hospital database to load into one.

mod connect;
mod facts;
pub mod msg;
mod query;
pub mod sample;
pub mod scratch;
mod tls;

pub use connect::{connect, PgEngine};
pub use facts::SETTINGS;
pub use scratch::{ScratchOptions, ScratchPostgres};

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
