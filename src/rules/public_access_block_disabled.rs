//! `PD010` public-access-block-disabled.

use super::finding::of_reach;
use super::{Rule, Severity};
use crate::report::{Concern, Finding, Reach};

pub const RULE: Rule = Rule {
    code: "PD010",
    name: "public-access-block-disabled",
    severity: Severity::High,
    summary: "An S3 public access block setting was turned off or removed, so public policies and ACLs are no longer blocked.",
    detects: "An `aws_s3_bucket_public_access_block` or `aws_s3_account_public_access_block` setting (`block_public_acls`, `block_public_policy`, `ignore_public_acls`, `restrict_public_buckets`) goes from true to false, or the block is removed.",
    why: "The public access block is the guard that keeps a mistaken public policy or ACL from taking effect; turning it off makes every later mistake live.",
    example: "`aws_s3_bucket_public_access_block.site` sets `block_public_policy = false` and `restrict_public_buckets = false`.",
    fix: "Keep all four settings on, at the account level if possible; publish content through CloudFront instead.",
    references: &["https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3"],
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
