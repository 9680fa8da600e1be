//! `PD020` resource-exposure.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD020",
    name: "resource-exposure",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
