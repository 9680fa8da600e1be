//! `PD001` permissions-widened.

use super::{Rule, Severity};

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
