//! `PD013` notaction-allow.

use super::finding::broadest;
use super::{Rule, Severity};
use crate::model::Grant;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD013",
    name: "notaction-allow",
    severity: Severity::Medium,
    summary: "The identity newly gains an Allow with `NotAction`: every action except the ones listed.",
    detects: "An added Allow grant in the identity's permissions written with `NotAction`.",
    why: "`NotAction` with Allow grants every action of every service except those listed, including services and actions that do not exist yet: it is an allow-list written as a deny-list.",
    example: "`aws_iam_role_policy.ops` allows `NotAction: iam:*` on `*`: everything outside IAM.",
    fix: "Allow the actions needed with `Action`; to exclude actions, add a Deny statement instead.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// An Allow of every action but the listed ones.
pub fn fires(g: &Grant) -> bool {
    g.not_actions
}

pub fn check(id: &IdentityReport) -> Option<Finding> {
    broadest(&RULE, id, fires)
}
