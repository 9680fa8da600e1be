//! `PD012` service-wildcard.

use super::finding::{broadest, every};
use super::{Rule, Severity};
use crate::model::Grant;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD012",
    name: "service-wildcard",
    severity: Severity::Medium,
    summary: "The identity newly gains every action of a service (`s3:*`, `iam:*`...).",
    detects: "An added Allow grant in the identity's permissions with a service-wide action pattern such as `s3:*` (not `*` itself, which `admin-equivalent` reports when it applies to every resource).",
    why: "A service-wide wildcard grants the service's administrative actions along with the ones the workload uses (`s3:*` includes `s3:PutBucketPolicy`, `iam:*` everything in IAM), and every action AWS adds to the service later.",
    example: "`aws_iam_role_policy.region_locked` allows `ec2:*` on `*`.",
    fix: "List the actions the workload calls; `privdiff`'s access summary names how many actions and access levels the wildcard covers.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// An Allow of every action of a service (`s3:*`), but not of every service.
pub fn fires(g: &Grant) -> bool {
    !g.not_actions && g.actions.iter().any(|a| a.ends_with(":*") && !every(a))
}

pub fn check(id: &IdentityReport) -> Option<Finding> {
    broadest(&RULE, id, fires)
}
