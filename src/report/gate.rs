//! The gate's decision on a report, as every output states it first.

use serde::Serialize;

/// Whether the change passes `--fail-on` (or the config file's `fail_on`), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub decision: Decision,
    /// The gate in effect: `high`, `widened`, `never`...
    pub fail_on: &'static str,
    /// Why, in one line: `1 critical finding (fail-on: high)`.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The run exits 0.
    Pass,
    /// The run exits 1: the change should not be merged as it is.
    Fail,
}

impl Gate {
    /// `Blocks this change` or `Passes`.
    pub fn verb(&self) -> &'static str {
        match self.decision {
            Decision::Fail => "Blocks this change",
            Decision::Pass => "Passes",
        }
    }

    /// `Blocks this change: 1 critical finding (fail-on: high)`.
    pub fn headline(&self) -> String {
        format!("{}: {}", self.verb(), self.reason)
    }
}
