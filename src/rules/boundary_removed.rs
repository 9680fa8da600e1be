//! `PD021` boundary-removed.

use super::finding::of_grant;
use super::{Rule, Severity};
use crate::model::GrantKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD021",
    name: "boundary-removed",
    severity: Severity::High,
    summary: "The permissions boundary that capped the identity is removed: its policies now apply in full.",
    detects: "The identity had a permissions boundary before the change and has none after: the plan sets `permissions_boundary` on an `aws_iam_role` or `aws_iam_user` to null or drops it. The rule does no scope reasoning: it fires even when the identity's present policies stay inside the old boundary, because nothing caps the next policy attached to it. A boundary replaced by another is judged by scope instead, as `permissions-widened` when the new one allows more.",
    why: "A boundary is the guardrail that lets a team delegate IAM: developers or pipelines may create and edit roles as long as every role carries the boundary, and the boundary, not the role's policies, decides the ceiling. Removing it hands the identity whatever its policies grant, including anything they grant outside the boundary today, and usually means the delegation model itself is being bypassed.",
    example: "`aws_iam_role.sandbox` sets `permissions_boundary` from `arn:aws:iam::111122223333:policy/sandbox-boundary` to null.",
    fix: "Keep the boundary; if the role needs more, widen the boundary policy in a reviewed change or move the role to a boundary made for its job. Where boundaries are mandatory, a service control policy can deny `iam:DeleteRolePermissionsBoundary` and `iam:DeleteUserPermissionsBoundary`.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6", "NIST SP 800-53 AC-6(1)"],
};

pub fn check(id: &IdentityReport) -> Option<Finding> {
    let g = id
        .added
        .iter()
        .find(|g| g.kind == Some(GrantKind::BoundaryRemoved))?;
    let m = format!(
        "{} lost its permissions boundary ({}): its policies alone now decide what it may do",
        id.address, g.source
    );
    Some(of_grant(&RULE, id, g, m))
}
