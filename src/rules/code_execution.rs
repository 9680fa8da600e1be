//! `PD016` code-execution.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD016",
    name: "code-execution",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
