//! `PD009` safeguard-missing.

use super::finding::of_reach;
use super::{Rule, Severity};
use crate::report::{Concern, Finding, Reach};

pub const RULE: Rule = Rule {
    code: "PD009",
    name: "safeguard-missing",
    severity: Severity::Medium,
    summary: "A trust or resource policy safeguard was removed or is missing: sts:ExternalId, an organization condition, or a service's source condition.",
    detects: "The old policy admitted the same request only with the `sts:ExternalId` or `aws:PrincipalOrgID`/`aws:PrincipalOrgPaths` value it required, and the new one no longer requires it; or a service principal is added to a resource policy without `aws:SourceArn` or `aws:SourceAccount`.",
    why: "These conditions are what stops the confused-deputy problem: without them a third party or an AWS service can be made to act on this resource for someone else.",
    example: "`aws_lambda_permission.thumbnailer` lets `s3.amazonaws.com` invoke the function with no `source_arn`: any account's bucket notifications can call it.",
    fix: "Keep `sts:ExternalId` on third-party trust; add `aws:SourceArn` and `aws:SourceAccount` to service principals; keep organization conditions on `*` principals.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"],
    standards: &["OWASP NHI3:2025 Vulnerable Third-Party NHI", "NIST SP 800-53 AC-3"],
};

/// The finding for concern `c` of reach entry `r`.
pub fn for_concern(r: &Reach, c: &Concern) -> Finding {
    of_reach(
        &RULE,
        r,
        Some(c.code),
        format!("{}: {}", r.subject, c.message),
    )
}
