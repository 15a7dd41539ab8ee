//! Writing results: JSON documents or tables to stdout, notes to stderr (quiet under `-q`).

use std::io::Write;

use dbkeeper_core::{Error, ErrorKind, Text};

use crate::msg;

/// Prints one JSON document (pretty, stable field names) to stdout.
pub fn json<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::new(ErrorKind::Internal, Text::new(msg::JSON_FAILED)).detail(e))?;
    stdout_line(&text);
    Ok(())
}

/// A line of data on stdout. A closed pipe (`| head`) is not an error worth a message.
pub fn stdout_line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// A line for people on stderr. A closed stderr (the reader went away) must not turn into a
/// panic in the middle of tearing down a scratch server, so write errors are ignored.
pub fn stderr_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// A JSON value for an error, for `--format json` results that include failures.
pub fn error_json(e: &Error, lang: dbkeeper_core::Lang) -> serde_json::Value {
    serde_json::json!({
        "kind": e.kind,
        "exit_code": e.exit_code(),
        "message": e.main.what.render(lang),
        "message_id": e.main.what.id(),
        "detail": e.detail,
        "at": e.main.at,
        "hint": e.main.hint.as_ref().map(|h| h.render(lang)),
    })
}
