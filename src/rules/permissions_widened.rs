//! `PD001` permissions-widened.

use super::finding::{gained, of_grant, summary};
use super::{Rule, Severity};
use crate::model::{Grant, ScopeKind, Witness};
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD001",
    name: "permissions-widened",
    severity: Severity::Medium,
    summary: "The identity may perform requests it could not perform before.",
    detects: "An identity's permissions scope (identity policies, capped by its permissions boundary) allows a request after the change that it did not allow before: a new statement, a wider action or resource pattern, a removed Deny, a loosened condition, or a removed or widened boundary.",
    why: "A non-human identity's permissions tend to grow one pull request at a time until a compromise of the workload inherits far more than it needs. Each widening is a decision a reviewer should make on purpose.",
    example: "`aws_iam_role_policy.ci` changes `s3:GetObject` to `s3:Get*`: the role can now read bucket policies and ACLs too (e.g. `s3:GetBucketPolicy` on `arn:aws:s3:::artifacts`).",
    fix: "Grant the narrowest actions and resources the workload needs; if the widening is intended, say why in the pull request.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// The broadest permissions grant an identity gained, and the request that shows it.
pub struct Gained<'a> {
    pub id: &'a IdentityReport,
    pub grant: &'a Grant,
    pub example: Option<&'a Witness>,
}

impl Gained<'_> {
    pub fn finding(self) -> Finding {
        let mut m = format!("{} gained {}", self.id.address, summary(self.grant));
        if let Some(w) = self.example {
            m.push_str(&format!(" (e.g. {} on {})", w.action, w.resource));
        }
        of_grant(&RULE, self.id, self.grant, m)
    }
}

pub fn check(id: &IdentityReport) -> Option<Finding> {
    let grant = gained(id, ScopeKind::Permissions).next()?;
    let example = id
        .witness
        .as_ref()
        .filter(|w| w.scope == ScopeKind::Permissions);
    Some(Gained { id, grant, example }.finding())
}
