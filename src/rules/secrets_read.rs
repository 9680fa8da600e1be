//! `PD018` secrets-read.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD018",
    name: "secrets-read",
    severity: Severity::High,
    summary: "The identity newly can read any secret or parameter: Secrets Manager values or Systems Manager Parameter Store parameters.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before: `secretsmanager:GetSecretValue` on any secret, or `ssm:GetParameter`, `ssm:GetParameters` or `ssm:GetParametersByPath` on any parameter. Any means a pattern that admits an arbitrary name: `*`, `arn:aws:secretsmanager:*:*:secret:*`, `arn:aws:ssm:eu-west-1:111122223333:parameter/*`; a fixed ARN or a path the application owns, such as `secret:orders/*` or `parameter/orders/*`, does not count. Conditions do not suppress the finding.",
    why: "Secrets are other identities' credentials: database passwords, API keys, signing keys, third-party tokens. An identity that can read all of them holds the union of what they unlock, inside AWS and outside it, and reading leaves nothing behind but a CloudTrail event. A customer managed KMS key is a second gate only where the identity lacks `kms:Decrypt` on it.",
    example: "`aws_iam_role_policy.config_reader` changes `secretsmanager:GetSecretValue` on `aws_iam_role.config_reader` from one secret's ARN to `*`.",
    fix: "Name the secrets by ARN, or give each application its own path (`secret:orders/*`, `parameter/orders/*`) and grant only that path.",
    references: &[
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html",
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html",
        "https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/",
    ],
    standards: &["OWASP NHI2:2025 Secret Leakage", "OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 IA-5", "NIST SP 800-53 AC-6"],
};
