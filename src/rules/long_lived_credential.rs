//! `PD024` long-lived-credential.

use super::finding::of_grant;
use super::{Rule, Severity};
use crate::model::GrantKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD024",
    name: "long-lived-credential",
    severity: Severity::High,
    summary: "A long-lived credential is created for the identity: whoever holds it may act as the identity, from anywhere, until it is revoked.",
    detects: "An `aws_iam_access_key` (not `Inactive`), `aws_iam_user_login_profile` or `aws_iam_service_specific_credential` the plan creates for an IAM user, whether the user is new or not. The message says when the secret is written to the Terraform state in plain text: an access key or login profile without `pgp_key`, and every service-specific credential.",
    why: "A static key does not expire, works outside the network and the CI system it was made for, and is the most common way non-human identities leak: copied into a pipeline variable, a laptop or a log. A secret kept in the state is held by everyone who can read the state (the backend bucket, every plan's runner). Roles with short-lived sessions give the same access without a secret to lose.",
    example: "`aws_iam_access_key.deploy` creates an active access key for `aws_iam_user.deploy-bot` without `pgp_key`: its secret access key is in the state.",
    fix: "Use a role the workload assumes (OIDC federation for CI, instance or task roles, IAM Roles Anywhere) instead of a user key. Where a key is unavoidable, create it outside Terraform or with `pgp_key`, store it in a secrets manager, and rotate it.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key",
    ],
    standards: &[
        "OWASP NHI7:2025 Long-Lived Secrets",
        "OWASP NHI2:2025 Secret Leakage",
        "CIS AWS Foundations 1.11",
        "NIST SP 800-53 IA-5",
    ],
};

/// A finding for each credential created for the identity.
pub fn check(id: &IdentityReport) -> Vec<Finding> {
    id.added
        .iter()
        .filter(|g| g.kind == Some(GrantKind::CredentialCreated))
        .map(|g| {
            let detail = g.detail.as_deref().unwrap_or_default();
            let m = format!("{} gains a credential ({}): {detail}", id.address, g.source);
            of_grant(&RULE, id, g, m)
        })
        .collect()
}
