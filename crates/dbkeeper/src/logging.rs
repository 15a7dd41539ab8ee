//! Logs go to stderr through tracing; data goes to stdout.
//!
//! `-q` shows only errors, the default shows warnings, `-v` debug and `-vv` trace for dbkeeper's
//! own crates. `DBKEEPER_LOG` (an EnvFilter directive such as `dbkeeper_postgres=trace`) overrides.

use tracing_subscriber::EnvFilter;

pub fn init(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "warn,dbkeeper=debug,dbkeeper_core=debug,dbkeeper_postgres=debug,dbkeeper_mysql=debug,dbkeeper_config=debug",
        (false, _) => "debug,dbkeeper=trace,dbkeeper_core=trace,dbkeeper_postgres=trace,dbkeeper_mysql=trace,dbkeeper_config=trace",
    };
    let filter = std::env::var("DBKEEPER_LOG")
        .ok()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(verbose > 0)
        .try_init();
}
