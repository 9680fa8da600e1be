//! `PD021` boundary-removed.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD021",
    name: "boundary-removed",
    severity: Severity::High,
    summary: "(documentation being written)",
    detects: "(documentation being written)",
    why: "(documentation being written)",
    example: "(documentation being written)",
    fix: "(documentation being written)",
    references: &[],
    standards: &[],
};
