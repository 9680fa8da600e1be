//! Caveats on a subject's verdict: what the extractors and the comparison want the reader to
//! know. The report carries them as sentences (`notes[]`).

use std::fmt;

/// One caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A conditional GCP grant whose condition expression was rewritten: whether the new
    /// expression allows more than the old cannot be told from their text (the expressions
    /// are not repeated: a condition may be sensitive, and the documents show them).
    ConditionRewritten {
        /// The binding's resource.
        binding: String,
        /// The role it grants, or "a role" when the role is sensitive.
        role: String,
        /// Where it grants it.
        on: String,
    },
    /// Before the change the identity also had grants privdiff cannot expand: what is listed
    /// as added may already have been allowed by them.
    UnexpandedBefore { count: usize, of: Unexpandeds },
    /// The same boundary privdiff cannot read stands on both sides and was left out.
    BoundaryLeftOut { arn: String },
    /// The exact comparison ran out of budget; additions were found by trying requests.
    Sampled,
    /// The comparison ran out of budget: the subject is unverifiable.
    TooComplex,
    /// The plan-wide budget was spent before this subject was compared.
    PlanBudgetSpent,
    /// Some condition was compared only by its text.
    ComparedByText,
    /// Values known only after apply may add more than the additions known now.
    KnownNow,
}

/// What kind of grants privdiff could not expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unexpandeds {
    /// Managed policies attached by ARN.
    Policies,
    /// GCP or Azure roles its tables lack.
    Roles,
    /// Policies by ARN and group memberships.
    Mixed,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::ConditionRewritten { binding, role, on } => write!(
                f,
                "the condition of {binding} ({role} on {on}) was rewritten: privdiff compares IAM conditions only by their text, so whether the new expression allows more than the old one cannot be told"
            ),
            Note::UnexpandedBefore { count: n, of } => {
                let what = match (of, n) {
                    (Unexpandeds::Policies, 1) => "1 managed policy".to_string(),
                    (Unexpandeds::Policies, _) => format!("{n} managed policies"),
                    (Unexpandeds::Roles, 1) => "1 role binding".to_string(),
                    (Unexpandeds::Roles, _) => format!("{n} role bindings"),
                    (Unexpandeds::Mixed, 1) => {
                        "1 grant (a policy by ARN or a group outside the plan)".to_string()
                    }
                    (Unexpandeds::Mixed, _) => {
                        format!("{n} grants (policies by ARN or groups outside the plan)")
                    }
                };
                write!(
                    f,
                    "before this change the identity also had {what} privdiff does not expand; requests listed as added may already have been allowed by {}",
                    if *n == 1 { "it" } else { "them" }
                )
            }
            Note::BoundaryLeftOut { arn } => write!(
                f,
                "the permissions boundary {arn} is not expanded; it is the same before and after, so it was left out of the comparison"
            ),
            Note::Sampled => f.write_str(
                "the scope is too complex to compare exactly within privdiff's analysis budget; the additions shown were found by trying requests and may be incomplete, and removals were not computed",
            ),
            Note::TooComplex => f.write_str(
                "the scope is too complex to compare within privdiff's analysis budget; it is reported as unverifiable",
            ),
            Note::PlanBudgetSpent => f.write_str(
                "the plan spent privdiff's analysis budget before this identity's scopes could be compared; it is reported as unverifiable",
            ),
            Note::ComparedByText => f.write_str(
                "some conditions use operators privdiff compares only by their exact text (binary comparisons, set operators on numbers, or a key used with two kinds of operator); an addition under such a condition may be narrower than shown",
            ),
            Note::KnownNow => f.write_str(
                "the additions listed are what is known now; values known only after apply may add more (or deny some)",
            ),
        }
    }
}
