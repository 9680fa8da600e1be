//! `PD006` public-access.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD006",
    name: "public-access",
    severity: Severity::Critical,
    summary: "Anyone (a public principal with no condition that pins it) may newly reach the role or resource.",
    detects: "A trust or resource policy newly allows `*` (or `{\"AWS\": \"*\"}`) with no condition that pins it to a fixed account, organization, source ARN or account, VPC, VPC endpoint or narrow IP range (S3's definition of a public policy).",
    why: "A public grant is reachable by every AWS account and, for some services, by anonymous callers: one policy line can expose a bucket's data or let anyone assume a role.",
    example: "`aws_s3_bucket_policy.assets` allows `s3:GetObject` on `arn:aws:s3:::acme-site-assets/*` for `*`.",
    fix: "Name the principals, or pin `*` with `aws:PrincipalOrgID`, `aws:SourceVpce` or `aws:SourceAccount`; serve public content through CloudFront with origin access control instead of a public bucket.",
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3"],
};
