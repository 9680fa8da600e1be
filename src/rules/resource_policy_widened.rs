//! `PD005` resource-policy-widened.

use super::finding::{gained, request, Gained};
use super::{Rule, Severity};
use crate::model::ScopeKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD005",
    name: "resource-policy-widened",
    severity: Severity::Medium,
    summary: "More principals may use the resource, or may do more with it, than before.",
    detects: "A resource policy (S3 bucket, KMS key, SQS queue, SNS topic, ECR repository, secret, Lambda permission, API Gateway, OpenSearch, backup or Glacier vault, CloudWatch Logs, VPC endpoint) allows a request on its resource that it did not allow before. Not reported when every principal newly admitted is anyone or an outside account: `public-access` and `foreign-account-access` report each of them.",
    why: "Resource policies grant access to principals outside the identity policies a reviewer usually reads, including other accounts and anonymous callers.",
    example: "`aws_kms_key_policy.backup` adds `kms:Decrypt` for `arn:aws:iam::444455556666:root`.",
    fix: "Grant the resource to the principals that need it, with `aws:SourceArn`/`aws:SourceAccount` or organization conditions where they apply.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3"],
};

/// The broadest statement a resource policy gained (not a public access block setting), and
/// the request that shows it.
pub fn check(resource: &IdentityReport) -> Option<Finding> {
    let grant = gained(resource, ScopeKind::Resource).find(|g| g.kind.is_none())?;
    let example = resource
        .witness
        .as_ref()
        .filter(|w| w.scope == ScopeKind::Resource)
        .map(request);
    let gained = Gained {
        subject: resource,
        who: None,
        grant,
        example,
    };
    Some(gained.finding(&RULE))
}
