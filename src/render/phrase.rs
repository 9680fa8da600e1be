//! Plain-text phrases for report items, shared by the table and Markdown renderers so both say
//! the same thing in the same words.
//!
//! Phrases are made of raw report text and are NOT escaped: each renderer escapes a whole phrase
//! for its medium, which is why a phrase never contains markup of its own.

use crate::report::{AttributeRef, Grant, IdentityReport, Report, Summary, Witness};

/// How many items of a list a one-line summary names before saying "+N more".
pub const SHORT_LIST: usize = 2;

/// Longest one-line summary of a grant, in characters; one hostile action name could otherwise
/// be thousands of characters wide.
pub const SHORT_GRANT_CHARS: usize = 120;

/// Whether the identity's row and details are shown: everything but `unchanged`.
pub fn is_changed(identity: &IdentityReport) -> bool {
    identity.verdict != crate::report::Verdict::Unchanged
}

/// Changed identities, the most urgent verdicts first (the order of `Verdict`), by address within
/// a verdict. Renderers that must cut output cut from the end, so they lose the least urgent.
pub fn changed_by_urgency(report: &Report) -> Vec<&IdentityReport> {
    let mut changed: Vec<&IdentityReport> =
        report.identities.iter().filter(|i| is_changed(i)).collect();
    // Stable: the report's own address order is kept within a verdict.
    changed.sort_by_key(|i| i.verdict);
    changed
}

/// Non-zero verdict counts, most urgent first, always ending with `unchanged` when non-zero.
pub fn counts(summary: &Summary) -> Vec<(usize, &'static str)> {
    [
        (summary.widened, "widened"),
        (summary.created, "created"),
        (summary.unverifiable, "unverifiable"),
        (summary.deleted, "deleted"),
        (summary.narrowed, "narrowed"),
        (summary.unchanged, "unchanged"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .collect()
}

/// `1 identity` / `3 identities`.
pub fn identities(n: usize) -> String {
    if n == 1 {
        "1 identity".to_string()
    } else {
        format!("{n} identities")
    }
}

/// One-line summary of a grant for a table cell: short lists, conditions counted, length capped.
pub fn grant_short(grant: &Grant) -> String {
    let mut s = grant.describe(SHORT_LIST);
    let mut notes = Vec::new();
    match grant.access.as_ref().map(|a| a.actions) {
        Some(1) => notes.push("1 action".to_string()),
        Some(n) => notes.push(format!("{n} actions")),
        None => {}
    }
    match grant.conditions.len() {
        0 => {}
        1 => notes.push("under 1 condition".to_string()),
        n => notes.push(format!("under {n} conditions")),
    }
    if !notes.is_empty() {
        s.push_str(&format!(" ({})", notes.join(", ")));
    }
    truncate(&s, SHORT_GRANT_CHARS)
}

/// `policy of aws_iam_role_policy.x is known only after apply`.
pub fn unknown(attr: &AttributeRef) -> String {
    format!(
        "{} of {} is known only after apply",
        attr.attribute, attr.address
    )
}

/// `policy of aws_iam_role_policy.x: value is sensitive and not shown`.
pub fn sensitive(attr: &AttributeRef) -> String {
    format!(
        "{} of {}: value is sensitive and not shown",
        attr.attribute, attr.address
    )
}

/// The "most important addition" of an identity: for an unverifiable one, the first value known
/// only after apply (that is why it is unverifiable); otherwise the first added grant; failing
/// both, for an unverifiable identity, its first note.
pub fn top_addition(identity: &IdentityReport) -> Option<String> {
    let first_unknown = identity
        .unknown
        .first()
        .map(|a| truncate(&unknown(a), SHORT_GRANT_CHARS));
    if identity.verdict == crate::report::Verdict::Unverifiable && first_unknown.is_some() {
        return first_unknown;
    }
    identity
        .added
        .first()
        .map(grant_short)
        .or(first_unknown)
        // An identity too complex to compare has neither; its note says why.
        .or_else(|| {
            (identity.verdict == crate::report::Verdict::Unverifiable)
                .then(|| {
                    identity
                        .notes
                        .first()
                        .map(|n| truncate(n, SHORT_GRANT_CHARS))
                })
                .flatten()
        })
}

/// `s3:GetBucketPolicy on arn:aws:s3:::b/x by AWS:arn:... with aws:SourceIp=10.0.0.1`.
pub fn witness(w: &Witness) -> String {
    let mut s = format!("{} on {}", w.action, w.resource);
    if let Some(principal) = &w.principal {
        s.push_str(&format!(" by {principal}"));
    }
    if !w.context.is_empty() {
        let context: Vec<String> = w.context.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!(" with {}", context.join(", ")));
    }
    s
}

/// Cuts `s` to at most `max` characters, the last being `…` when anything was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use crate::report::list;

    #[test]
    fn list_names_a_few_and_counts_the_rest() {
        let items: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(list(&items, 2), "a, b (+1 more)");
        assert_eq!(list(&items, 3), "a, b, c");
        assert_eq!(list(&[], 3), "(none)");
    }

    #[test]
    fn grants_read_as_a_sentence() {
        let report = fixtures::report();
        let app = fixtures::identity_at(&report, "aws_iam_role.app");
        assert_eq!(
            Grant::describe(&app.added[0], usize::MAX),
            "Allow s3:GetBucketPolicy, s3:GetObject on arn:aws:s3:::b/x"
        );
        assert_eq!(
            Grant::describe(&app.added[1], usize::MAX),
            "trust: Allow sts:AssumeRole for AWS:arn:aws:iam::999999999999:root"
        );
        assert_eq!(
            Grant::describe(&app.removed[0], usize::MAX),
            "Allow every action except iam:* on every resource except arn:aws:iam::*:role/admin"
        );
        let ci = fixtures::identity_at(&report, "aws_iam_role.ci");
        assert_eq!(
            Grant::describe(&ci.added[0], usize::MAX),
            "managed-policy-unexpanded: arn:aws:iam::aws:policy/ReadOnlyAccess"
        );
    }

    #[test]
    fn top_addition_of_unverifiable_is_its_unknown_value() {
        let report = fixtures::report();
        let ci = fixtures::identity_at(&report, "aws_iam_role.ci");
        assert_eq!(
            top_addition(ci).unwrap(),
            "policy of aws_iam_role_policy.ci is known only after apply"
        );
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("ééé", 3), "ééé");
        assert_eq!(truncate("éééé", 3), "éé…");
    }

    #[test]
    fn changed_by_urgency_puts_widened_first() {
        let report = fixtures::report();
        let order: Vec<&str> = changed_by_urgency(&report)
            .iter()
            .map(|i| i.address.as_str())
            .collect();
        assert_eq!(
            order,
            ["aws_iam_role.app", "aws_iam_role.ci", "aws_iam_group.vault"]
        );
    }
}
