//! `PD014` privilege-escalation.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD014",
    name: "privilege-escalation",
    severity: Severity::Critical,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
