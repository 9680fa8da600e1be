//! `PD020` resource-exposure.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD020",
    name: "resource-exposure",
    severity: Severity::High,
    summary: "The identity newly can change who may use any resource: bucket, key, queue or topic policies, ACLs, grants and shares.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before, an action outside IAM that AWS's Service Authorization Reference classes as \"Permissions management\", on any resource (a pattern that admits an arbitrary name: `*`, `arn:aws:s3:::*`; not a fixed bucket, key or queue): for example `s3:PutBucketPolicy`, `s3:PutBucketAcl`, `s3:PutObjectAcl`, `s3:PutBucketPublicAccessBlock`, `kms:PutKeyPolicy`, `kms:CreateGrant`, `lambda:AddPermission`, `sqs:AddPermission`, `sns:AddPermission`, `ecr:SetRepositoryPolicy`, `secretsmanager:PutResourcePolicy`, `glacier:SetVaultAccessPolicy`, `ec2:ModifySnapshotAttribute`; `ram:CreateResourceShare`, which AWS files under Write, counts too. IAM's own permission changes are `privilege-escalation`'s concern. Conditions do not suppress the finding.",
    why: "Resource policies decide who outside the identity's account can reach a resource. An identity that can rewrite them on every bucket, key or queue can open any of them to another account or to everyone, and the principals who then gain access never appear in a plan. It is also a quiet way for data to leave: share a snapshot or a key with an outside account and copy from there.",
    example: "`aws_iam_role_policy.bucket_admin` adds `s3:PutBucketPolicy` on `*` to `aws_iam_role.bucket_admin`: it can make any bucket in the account public.",
    fix: "Keep resource policies in Terraform and give workloads no permissions-management actions; where one must set them, name the resources it owns. Account-level S3 Block Public Access and a service control policy that denies these actions to all but the deploy role limit the damage.",
    references: &[
        "https://cloudsplaining.readthedocs.io/en/latest/glossary/resource-exposure/",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3", "NIST SP 800-53 AC-6(1)"],
};
