//! `PD003` scope-unverifiable.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD003",
    name: "scope-unverifiable",
    severity: Severity::Low,
    summary: "A value that decides the identity's scope is known only after apply.",
    detects: "A policy, attachment or target that decides a scope is known only after apply, a grant privdiff cannot expand was added (a policy by ARN whose document is not in the plan, a group outside the plan), or the comparison ran out of its analysis budget.",
    why: "privdiff never calls such a change safe: what apply will grant cannot be told from the plan, so it needs a human look.",
    example: "`aws_iam_role_policy.exporter` sets `policy = jsonencode({... Resource = aws_s3_bucket.new.arn ...})` for a bucket created in the same plan: the policy text is known only after apply.",
    fix: "Make the policy known at plan time where possible (reference names instead of computed ARNs, or build it with `aws_iam_policy_document` from known values); otherwise review the Terraform source of the value.",
    references: &["https://developer.hashicorp.com/terraform/internals/json-format"],
    standards: &["NIST SP 800-53 AC-6(7)"],
};
