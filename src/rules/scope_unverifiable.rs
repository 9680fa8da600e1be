//! `PD003` scope-unverifiable.

use super::finding::{cause, finding};
use super::{Rule, Severity};
use crate::model::{Grant, Verdict};
use crate::report::{Finding, IdentityReport, UnknownBound};

pub const RULE: Rule = Rule {
    code: "PD003",
    name: "scope-unverifiable",
    severity: Severity::Low,
    summary: "A value that decides the identity's scope is known only after apply.",
    detects: "A policy, attachment or target that decides a scope is known only after apply, a grant privdiff cannot expand was added (a policy by ARN whose document is not in the plan, a group outside the plan), or the comparison ran out of its analysis budget. Its severity follows what could be true: low when the configuration computes every unknown value from nothing but names of resources the plan manages (`Resource = aws_s3_bucket.new.arn`), high when a value could be anything (a variable, a data source's document, a module output) or a grant cannot be expanded, medium when everything is known but could not be compared.",
    why: "privdiff never calls such a change safe: what apply will grant cannot be told from the plan, so it needs a human look.",
    example: "`aws_iam_role_policy.exporter` sets `policy = jsonencode({... Resource = aws_s3_bucket.new.arn ...})` for a bucket created in the same plan: the policy text is known only after apply.",
    fix: "Make the policy known at plan time where possible (reference names instead of computed ARNs, or build it with `aws_iam_policy_document` from known values); otherwise review the Terraform source of the value.",
    references: &["https://developer.hashicorp.com/terraform/internals/json-format"],
    standards: &["NIST SP 800-53 AC-6(7)"],
};

/// Why a scope could not be compared: values known only after apply, grants privdiff cannot
/// expand, or else the first note (a rewritten condition, the analysis budget).
pub struct Unverifiable<'a> {
    pub id: &'a IdentityReport,
    pub unexpanded: Vec<&'a Grant>,
}

impl Unverifiable<'_> {
    pub fn finding(self) -> Finding {
        let id = self.id;
        let unknown: Vec<String> = id
            .unknown
            .iter()
            .map(|u| format!("{} of {}", u.attribute, u.address))
            .collect();
        let mut reasons = Vec::new();
        if !unknown.is_empty() {
            reasons.push(format!(
                "depends on values known only after apply: {}",
                unknown.join(", ")
            ));
        }
        if !self.unexpanded.is_empty() {
            let what: Vec<&str> = self.unexpanded.iter().map(|g| g.source.as_str()).collect();
            reasons.push(format!(
                "gained grants privdiff cannot expand: {}",
                what.join(", ")
            ));
        }
        let m = if reasons.is_empty() {
            match id.notes.first() {
                Some(note) => format!("the scope of {} could not be compared: {note}", id.address),
                None => format!("the scope of {} could not be compared", id.address),
            }
        } else {
            format!("the scope of {} {}", id.address, reasons.join("; "))
        };
        let address = match (id.unknown.first(), self.unexpanded.first()) {
            (Some(u), _) => &u.address,
            (None, Some(g)) => cause(id, g),
            // Known but not comparable (a rewritten condition): the grant that changed.
            (None, None) => id
                .added
                .first()
                .map_or(id.address.as_str(), |g| cause(id, g)),
        };
        finding(&RULE, &id.address, address, m)
    }
}

/// The finding, its severity by what the unknown part could be: low when it can only name
/// resources the plan manages (the grant is what it reads, on them), high when it could be
/// anything (a policy from a variable, a grant privdiff cannot expand), medium when everything
/// is known but could not be compared (the analysis budget, a rewritten condition).
pub fn check(id: &IdentityReport) -> Option<Finding> {
    (id.verdict == Verdict::Unverifiable).then(|| {
        let unexpanded: Vec<&Grant> = id.added.iter().filter(|g| g.is_unexpanded()).collect();
        let severity = if !unexpanded.is_empty() || id.unknown_bound == Some(UnknownBound::Anything)
        {
            Severity::High
        } else if id.unknown.is_empty() {
            Severity::Medium
        } else {
            Severity::Low
        };
        let mut f = Unverifiable { id, unexpanded }.finding();
        f.severity = severity;
        f
    })
}
