//! `PD022` separation-of-duties.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD022",
    name: "separation-of-duties",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
