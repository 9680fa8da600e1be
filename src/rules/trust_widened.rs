//! `PD002` trust-widened.

use super::finding::{gained, Gained};
use super::{Rule, Severity};
use crate::model::ScopeKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD002",
    name: "trust-widened",
    severity: Severity::Medium,
    summary: "More principals may assume the role than before.",
    detects: "A role's trust policy (`assume_role_policy`) admits a principal, action (`sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`, `sts:AssumeRoleWithSAML`, `sts:TagSession`...) or condition context it did not admit before. Not reported when every principal newly admitted is anyone or an outside account: `public-access` and `foreign-account-access` report each of them.",
    why: "Whoever can become the role has all of its permissions: a wider trust policy widens the role's blast radius without touching its permissions.",
    example: "The trust of `aws_iam_role.deploy` goes from `repo:acme/api:ref:refs/heads/main` to `repo:acme/*`: any repository of acme can now assume it (e.g. `repo:acme/other:pull_request`).",
    fix: "Keep the trust to the principals and claims that must assume the role; pin web-identity subjects to one repository and branch or environment.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "OWASP NHI6:2025 Insecure Cloud Deployment Configurations", "NIST SP 800-53 AC-3"],
};

/// The broadest trust statement a role gained, and a principal that may now assume it.
pub fn check(role: &IdentityReport) -> Option<Finding> {
    let grant = gained(role, ScopeKind::Trust).find(|g| g.kind.is_none())?;
    let example = role
        .witness
        .as_ref()
        .and_then(|w| w.principal.as_ref())
        .map(|p| format!("assumed by {p}"));
    let gained = Gained {
        subject: role,
        who: None,
        grant,
        example,
    };
    Some(gained.finding(&RULE))
}
