//! `PD007` foreign-account-access.

use super::finding::{of_reach, reach_summary};
use super::{Rule, Severity};
use crate::report::{Finding, PrincipalClass, Reach};

pub const RULE: Rule = Rule {
    code: "PD007",
    name: "foreign-account-access",
    severity: Severity::High,
    summary: "An AWS account that is neither the plan's own nor trusted may newly reach the role or resource.",
    detects: "A trust or resource policy newly admits a principal of an account that is not one of the plan's own (learned from the ARNs and ids of the resources it manages or reads, roles passed to services, `aws_caller_identity` and the AWS provider's `allowed_account_ids`; see docs/resource-policies.md) nor passed with `--trusted-account`.",
    why: "Cross-account access hands part of the decision to another account's administrators: whoever controls that account controls the access.",
    example: "`aws_iam_role.partner_ingest` adds `444455556666` to its trust policy.",
    fix: "Confirm the account is a known partner and pass it with `--trusted-account`; for third parties require `sts:ExternalId`.",
    references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"],
    standards: &["OWASP NHI3:2025 Vulnerable Third-Party NHI", "OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-3"],
};

/// A subject a principal of another account (not the plan's, not trusted) may now reach.
pub fn for_reach(r: &Reach) -> Option<Finding> {
    (r.class == PrincipalClass::ForeignAccount).then(|| {
        let whose = match &r.account {
            Some(a) => format!("account {a}"),
            None => "a principal outside the plan's accounts".to_string(),
        };
        let m = format!("{} is open to {whose}: {}", r.subject, reach_summary(r));
        of_reach(&RULE, r, None, m)
    })
}
