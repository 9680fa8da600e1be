//! `PD015` passrole-compute.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD015",
    name: "passrole-compute",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
