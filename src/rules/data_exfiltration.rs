//! `PD019` data-exfiltration.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD019",
    name: "data-exfiltration",
    severity: Severity::Medium,
    summary: "The identity newly can copy data out of any bucket, database or table.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before: `s3:GetObject` on the objects of any bucket (`*`, `arn:aws:s3:::*/*`; `arn:aws:s3:::acme-artifacts/*` names its bucket and does not count), or `rds:CreateDBSnapshot`, `rds:CopyDBSnapshot`, `rds:CreateDBClusterSnapshot` or `dynamodb:ExportTableToPointInTime` on any resource (a pattern that admits an arbitrary name). Conditions do not suppress the finding.",
    why: "Read access to every bucket reaches data the workload has no business with: backups, logs, other teams' exports, Terraform state and the secrets in it. A snapshot or a table export copies a whole database in one call. Medium rather than high because no code runs and no permission changes, but a leaked credential of this identity now exposes every dataset in the account.",
    example: "`aws_iam_role_policy.analytics_export` widens `s3:GetObject` on `aws_iam_role.analytics_export` from `arn:aws:s3:::acme-analytics/*` to `arn:aws:s3:::*/*`.",
    fix: "List the buckets (`arn:aws:s3:::acme-reports/*`), clusters and tables the workload reads, and keep snapshot and export rights with the identity that runs backups.",
    references: &[
        "https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};
