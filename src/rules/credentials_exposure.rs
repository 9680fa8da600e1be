//! `PD017` credentials-exposure.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD017",
    name: "credentials-exposure",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
