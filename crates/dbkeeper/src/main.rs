//! The `dbkeeper` binary: parse, run, exit. Everything else lives in the modules and crates.

// A binary has no public API; `pub` here only means "shared between this crate's modules".
#![allow(unreachable_pub)]

mod app;
mod cli;
mod commands;
mod logging;
mod msg;
mod output;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(app::main(std::env::args_os()))
}
