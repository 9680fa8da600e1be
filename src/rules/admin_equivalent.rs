//! `PD011` admin-equivalent.

use super::finding::{broadest, every};
use super::{Rule, Severity};
use crate::model::Grant;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD011",
    name: "admin-equivalent",
    severity: Severity::Critical,
    summary: "The identity newly gains administrator access: every action on every resource.",
    detects: "An added Allow grant in the identity's permissions whose actions include `*` (or `*:*`) on resource `*`: a statement of its own or an attached policy such as `AdministratorAccess`. Also an identity that, after the change, can become an administrator role of the plan it could not become before (see `path-opened`): the finding names the chain of roles and the plan change that opened it.",
    why: "Whoever controls an administrator identity controls the account: it can read every secret, change every policy and erase its own tracks. A workload identity almost never needs it.",
    example: "`aws_iam_role_policy_attachment.ops_admin` attaches `arn:aws:iam::aws:policy/AdministratorAccess` to `aws_iam_role.ops_admin`.",
    fix: "Grant the services and resources the workload uses; keep administrator access for break-glass human roles with MFA.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "CIS AWS Foundations 1.16", "NIST SP 800-53 AC-6(5)"],
};

/// An Allow of every action (`*`, `*:*`) on every resource.
pub fn fires(g: &Grant) -> bool {
    !g.not_actions
        && g.actions.iter().any(every)
        && !g.not_resources
        && g.resources.iter().any(|r| r == "*")
}

pub fn check(id: &IdentityReport) -> Option<Finding> {
    broadest(&RULE, id, fires)
}
