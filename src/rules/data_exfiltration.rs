//! `PD019` data-exfiltration.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD019",
    name: "data-exfiltration",
    severity: Severity::Medium,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
