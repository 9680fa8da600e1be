//! `PD004` identity-created.

use super::finding::finding;
use super::{Rule, Severity};
use crate::model::Verdict;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD004",
    name: "identity-created",
    severity: Severity::Info,
    summary: "A new identity is created with the access listed.",
    detects: "The plan creates an identity (role, user or group); everything it is granted is new access.",
    why: "A new non-human identity is the start of its privilege history: its first grants are the ones least often questioned later.",
    example: "`aws_iam_role.report_generator` is created with `s3:PutObject` on `arn:aws:s3:::reports/*`.",
    fix: "Check that the identity is needed, owned, and granted only what its function needs.",
    references: &[],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-2"],
};

/// The finding for an identity the plan creates, with the number of grants it starts with.
pub fn check(id: &IdentityReport) -> Option<Finding> {
    (id.verdict == Verdict::Created).then(|| {
        let message = format!("{} is created with {} grant(s)", id.address, id.added.len());
        finding(&RULE, &id.address, &id.address, message)
    })
}
