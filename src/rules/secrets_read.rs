//! `PD018` secrets-read.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD018",
    name: "secrets-read",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
