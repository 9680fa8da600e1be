//! What privdiff writes to standard error besides a panic: one line per message.

use crate::render::escape;

/// Text from the plan, the sources or an API may hold control characters or bidi overrides:
/// none may reach the terminal, split a message over lines or reorder it.
pub fn one_line(text: &str) -> String {
    escape::log_text(escape::plain(text))
}

/// A problem that does not stop the run, on one line of standard error.
pub fn warn(message: &str) {
    eprintln!("privdiff: warning: {}", one_line(message));
}
