//! `PD001` permissions-widened.

use super::finding::{gained, Gained};
use super::{Rule, Severity};
use crate::model::ScopeKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD001",
    name: "permissions-widened",
    severity: Severity::Medium,
    summary: "The identity may perform requests it could not perform before.",
    detects: "An identity's permissions scope (identity policies, capped by its permissions boundary) allows a request after the change that it did not allow before: a new statement, a wider action or resource pattern, a removed Deny, a loosened condition, or a removed or widened boundary. Not reported for a member that stands for everyone (GCP `allUsers`, Kubernetes `system:anonymous`): `public-access` reports the same grant.",
    why: "A non-human identity's permissions tend to grow one pull request at a time until a compromise of the workload inherits far more than it needs. Each widening is a decision a reviewer should make on purpose.",
    example: "`aws_iam_role_policy.ci` changes `s3:GetObject` to `s3:Get*`: the role can now read bucket policies and ACLs too (e.g. `s3:GetBucketPolicy` on `arn:aws:s3:::artifacts`).",
    fix: "Grant the narrowest actions and resources the workload needs; if the widening is intended, say why in the pull request.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// The broadest permissions grant an identity gained, and the request that shows it.
pub fn check(id: &IdentityReport) -> Option<Finding> {
    let grant = gained(id, ScopeKind::Permissions).next()?;
    let example = id
        .witness
        .as_ref()
        .filter(|w| w.scope == ScopeKind::Permissions)
        .map(|w| format!("{} on {}", w.action, w.resource));
    let gained = Gained {
        subject: id,
        who: None,
        grant,
        example,
    };
    Some(gained.finding(&RULE))
}
