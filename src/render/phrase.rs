//! Plain-text phrases for report items, shared by the table and Markdown renderers so both say
//! the same thing in the same words.
//!
//! Phrases are made of raw report text and are NOT escaped: each renderer escapes a whole phrase
//! for its medium, which is why a phrase never contains markup of its own.

use crate::model::usage::{describe_resources, describe_workloads};
use crate::model::{list, Grant, Severity, Verdict, Witness};

use crate::plan::side::AttributeRef;
use crate::rules::admin_equivalent;

use crate::report::{Counts, Finding, IdentityReport, PrincipalClass, Reach, Report, Summary};

/// How many items of a list a one-line summary names before saying "+N more".
pub const SHORT_LIST: usize = 2;

/// Longest one-line summary of a grant, in characters; one hostile action name could otherwise
/// be thousands of characters wide.
pub const SHORT_GRANT_CHARS: usize = 120;

/// Whether the identity's (or resource's) row and details are shown: everything but
/// `unchanged`.
pub fn is_changed(identity: &IdentityReport) -> bool {
    identity.verdict != Verdict::Unchanged || !identity.paths.is_empty()
}

/// A subject's verdict as its block's heading says it: `widened`, or `unchanged itself, can
/// become 1 more identity` when it gains only through paths.
pub fn verdict_heading(identity: &IdentityReport) -> String {
    let more = match identity.paths.len() {
        0 => return identity.verdict.as_str().to_string(),
        1 => "can become 1 more identity".to_string(),
        n => format!("can become {n} more identities"),
    };
    match identity.verdict {
        Verdict::Unchanged => format!("unchanged itself, {more}"),
        v => format!("{}, {more}", v.as_str()),
    }
}

/// The identities a subject can newly become, in one line: `aws_iam_role.admin (assumes it,
/// opened by aws_iam_role.admin), gaining …`.
pub fn paths(identity: &IdentityReport) -> Option<String> {
    let said: Vec<String> = identity
        .paths
        .iter()
        .take(WORKLOADS_NAMED)
        .map(|p| {
            let mut s = p.target.clone();
            if p.hops.len() > 1 {
                let through: Vec<&str> = p.hops[..p.hops.len() - 1]
                    .iter()
                    .map(|h| h.to.as_str())
                    .collect();
                s.push_str(&format!(" through {}", through.join(", ")));
            }
            if !p.opened_by.is_empty() {
                s.push_str(&format!(" (opened by {})", list(&p.opened_by, SHORT_LIST)));
            }
            let named = p.gained.iter().find(|g| admin_equivalent::fires(g));
            match (p.administrator, named.or(p.gained.first())) {
                (true, Some(g)) => {
                    s.push_str(&format!(", gaining administrator access ({})", g.source))
                }
                (true, None) => s.push_str(", gaining administrator access"),
                (false, _) => match p.gained.first() {
                    Some(g) => s.push_str(&format!(", gaining {}", grant_short(g))),
                    None => s.push_str("; what it gains was not worked out (analysis budget)"),
                },
            }
            s
        })
        .collect();
    let more = identity.paths.len().saturating_sub(said.len());
    match (said.is_empty(), more) {
        (true, _) => None,
        (false, 0) => Some(said.join("; ")),
        (false, n) => Some(format!("{}; and {n} more", said.join("; "))),
    }
}

/// Changed identities, the most urgent verdicts first (the order of `Verdict`), by address within
/// a verdict. Renderers that must cut output cut from the end, so they lose the least urgent.
pub fn changed_by_urgency(report: &Report) -> Vec<&IdentityReport> {
    by_urgency(&report.identities)
}

/// Changed resources, in the order of [`changed_by_urgency`].
pub fn changed_resources_by_urgency(report: &Report) -> Vec<&IdentityReport> {
    by_urgency(&report.resources)
}

fn by_urgency(subjects: &[IdentityReport]) -> Vec<&IdentityReport> {
    let mut changed: Vec<&IdentityReport> = subjects.iter().filter(|i| is_changed(i)).collect();
    // Stable: the report's own address order is kept within a verdict.
    changed.sort_by_key(|i| i.verdict);
    changed
}

/// Whether the plan changes anything a renderer reports: a subject's scope or who can reach one.
pub fn anything_changed(report: &Report) -> bool {
    report.subjects().any(is_changed) || !report.reach.is_empty()
}

/// The notes of subjects no table lists (their scope did not change), as `address: note`: a
/// statement that grants nothing through a likely mistake, a resource policy statement on
/// another resource, are worth a reviewer's eye even when nothing changed.
pub fn unlisted_notes(report: &Report) -> Vec<String> {
    report
        .subjects()
        .filter(|s| !is_changed(s))
        .flat_map(|s| s.notes.iter().map(move |n| format!("{}: {n}", s.address)))
        .collect()
}

/// The verdict counts over identities, in the shape of the counts over resources.
pub fn identity_counts(summary: &Summary) -> Counts {
    Counts {
        total: summary.identities,
        widened: summary.widened,
        narrowed: summary.narrowed,
        unchanged: summary.unchanged,
        unverifiable: summary.unverifiable,
        created: summary.created,
        deleted: summary.deleted,
    }
}

/// Non-zero verdict counts, most urgent first, always ending with `unchanged` when non-zero.
pub fn counts(counts: &Counts) -> Vec<(usize, &'static str)> {
    [
        (counts.widened, "widened"),
        (counts.created, "created"),
        (counts.unverifiable, "unverifiable"),
        (counts.deleted, "deleted"),
        (counts.narrowed, "narrowed"),
        (counts.unchanged, "unchanged"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .collect()
}

/// `1 public, 1 foreign-account access`: the reach entries that call for attention first, or
/// `None` when there are none.
pub fn exposure(summary: &Summary) -> Option<String> {
    let parts: Vec<String> = [
        (summary.public_reach, PrincipalClass::Public),
        (summary.foreign_reach, PrincipalClass::ForeignAccount),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, class)| format!("{n} {}", class.as_str()))
    .collect();
    (!parts.is_empty()).then(|| format!("{} access", parts.join(", ")))
}

/// Whether a reach entry's principal is one a reviewer must look at first: anyone, or an
/// account neither the plan's own nor trusted.
pub fn is_exposed(reach: &Reach) -> bool {
    matches!(
        reach.class,
        PrincipalClass::Public | PrincipalClass::ForeignAccount
    )
}

/// `1 identity` / `3 identities`.
pub fn identities(n: usize) -> String {
    plural(n, "identity", "identities")
}

/// `1 resource` / `3 resources`.
pub fn resources(n: usize) -> String {
    plural(n, "resource", "resources")
}

/// `1 principal` / `3 principals`.
pub fn principals(n: usize) -> String {
    plural(n, "principal", "principals")
}

/// The findings an `ignore` block of the config file accepts, in report order.
pub fn ignored(report: &Report) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect()
}

/// The findings a reviewer acts on, as listed in the table and the comment: not ignored, above
/// `info`, the most severe first (report order within a severity).
pub fn listed(report: &Report) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && f.severity > Severity::Info)
        .collect();
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// `findings: 1 critical, 2 high, 4 medium` over the findings not ignored; `None` without any.
pub fn severity_counts(report: &Report) -> Option<String> {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|&s| {
            let n = report
                .findings
                .iter()
                .filter(|f| f.suppression.is_none() && f.severity == s)
                .count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    (!counts.is_empty()).then(|| format!("findings: {}", counts.join(", ")))
}

/// A finding's message cut to `max` characters, for a table cell.
pub fn message(f: &Finding, max: usize) -> String {
    match f.message.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &f.message[..at]),
        None => f.message.clone(),
    }
}

/// `9 findings, 2 of them ignored`: `None` when none is ignored, so that a report without a
/// config file reads as it always has.
pub fn ignored_count(report: &Report) -> Option<String> {
    match ignored(report).len() {
        0 => None,
        n => Some(format!(
            "{}, {n} of them ignored",
            plural(report.findings.len(), "finding", "findings")
        )),
    }
}

/// Why a finding is ignored: `CI needs this (ignore block 1, until 2027-03-01)`.
pub fn ignore_reason(finding: &Finding) -> String {
    let Some(s) = &finding.suppression else {
        return String::new();
    };
    match &s.expires {
        Some(date) => format!("{} (ignore block {}, until {date})", s.reason, s.ignore),
        None => format!("{} (ignore block {})", s.reason, s.ignore),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What a reach entry newly allows, for a table cell: `s3:GetObject on arn:aws:s3:::b/*
/// (under 1 condition)`, short lists, length capped. A public access block change allows no
/// action of its own: it lets public policies and ACLs take effect.
pub fn reach_allowed(reach: &Reach) -> String {
    let mut s = if reach.not_actions {
        format!("every action except {}", list(&reach.actions, SHORT_LIST))
    } else if reach.actions.is_empty() {
        "whatever a public policy or ACL allows".to_string()
    } else {
        list(&reach.actions, SHORT_LIST)
    };
    if !reach.resources.is_empty() {
        s.push_str(&format!(" on {}", list(&reach.resources, SHORT_LIST)));
    }
    match reach.conditions.len() {
        0 => {}
        1 => s.push_str(" (under 1 condition)"),
        n => s.push_str(&format!(" (under {n} conditions)")),
    }
    truncate(&s, SHORT_GRANT_CHARS)
}

/// A reach entry in one line: `* may s3:GetObject on arn:aws:s3:::b/* — public`.
pub fn reach(reach: &Reach) -> String {
    let verb = if reach.not_actions || reach.actions.is_empty() {
        "do "
    } else {
        ""
    };
    format!(
        "{} may {verb}{} — {}",
        principal(reach),
        reach_allowed(reach),
        reach.class.as_str()
    )
}

/// The principal of a reach entry, length capped: a policy can name anything.
pub fn principal(reach: &Reach) -> String {
    truncate(&reach.principal, SHORT_GRANT_CHARS)
}

/// The codes of a reach entry's concerns, `-` when it has none.
pub fn concern_codes(reach: &Reach) -> String {
    if reach.concerns.is_empty() {
        return "-".to_string();
    }
    let codes: Vec<&str> = reach.concerns.iter().map(|c| c.code.as_str()).collect();
    codes.join(", ")
}

/// A reach entry's concerns in words for a table cell (`code: message`, each length capped),
/// `-` when it has none.
pub fn concern_text(reach: &Reach) -> String {
    if reach.concerns.is_empty() {
        return "-".to_string();
    }
    let each: Vec<String> = reach
        .concerns
        .iter()
        .map(|c| {
            truncate(
                &format!("{}: {}", c.code.as_str(), c.message),
                SHORT_GRANT_CHARS,
            )
        })
        .collect();
    each.join("; ")
}

/// Who may act as the identity, by its trust: `GitHub Actions: repo acme/app, environment
/// production; service lambda.amazonaws.com`.
pub fn callers(identity: &IdentityReport) -> Option<String> {
    let usage = identity
        .used_by
        .as_ref()
        .filter(|u| !u.callers.is_empty())?;
    Some(usage.callers.join("; "))
}

/// The plan's workloads that run as the identity: `3 workloads share it (2 before): EC2
/// instance worker (instance profile worker), Lambda functions a, b`.
pub fn workloads(identity: &IdentityReport) -> Option<String> {
    let usage = identity.used_by.as_ref()?;
    let n = usage.workloads.len();
    let before = match usage.workloads_before {
        b if b == n => String::new(),
        b => format!(" ({b} before)"),
    };
    let listed = describe_workloads(&usage.workloads, WORKLOADS_NAMED);
    match n {
        0 if usage.workloads_before == 0 => None,
        0 => Some(format!("no workload of the plan{before}")),
        1 => Some(format!("1 workload{before}: {listed}")),
        n => Some(format!("{n} workloads share it{before}: {listed}")),
    }
}

/// Workloads of one kind named before "+N more".
const WORKLOADS_NAMED: usize = 5;

/// What one added grant reaches among the plan's resources: `reaches 2 of the plan's S3
/// buckets: a, b`.
pub fn grant_reaches(grant: &Grant) -> Option<String> {
    let r = grant.reaches.as_ref()?;
    Some(format!(
        "reaches {}",
        describe_resources(&r.resources, r.count, WORKLOADS_NAMED)
    ))
}

/// What the identity's added grants reach together, each resource once: `3 of the plan's S3
/// buckets: a, b, c`. When a grant reaches
/// more than it lists, the count is a lower bound and says so.
pub fn reaches(identity: &IdentityReport) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let mut listed = Vec::new();
    let mut most = 0;
    let mut partial = false;
    for r in identity.added.iter().filter_map(|g| g.reaches.as_ref()) {
        most = most.max(r.count);
        partial |= r.count > r.resources.len();
        for res in &r.resources {
            if seen.insert(res.address.as_str()) {
                listed.push(res.clone());
            }
        }
    }
    if listed.is_empty() {
        return None;
    }
    let count = most.max(listed.len());
    let text = describe_resources(&listed, count, WORKLOADS_NAMED);
    Some(match partial {
        true => format!("at least {text}"),
        false => text,
    })
}

/// The change in one line, for the head of a subject's block: the most important added grant
/// as [`Grant::describe`] writes it with short lists, and how many more there are.
pub fn delta(identity: &IdentityReport) -> Option<String> {
    let Some(first) = identity.added.first() else {
        return top_addition(identity);
    };
    let mut s = truncate(&first.describe(SHORT_LIST), DELTA_CHARS);
    match identity.added.len() - 1 {
        0 => {}
        1 => s.push_str(" (and 1 more grant)"),
        n => s.push_str(&format!(" (and {n} more grants)")),
    }
    Some(s)
}

/// What a subject's block says before its findings, as (label, text): the change in one line
/// (`gained`, `lost` when it only narrowed, `cannot tell` when unverifiable), `who may act as
/// it`, `used by`, `new grants reach`. The table and the comment show the same facts.
pub fn block_facts(identity: &IdentityReport) -> Vec<(&'static str, String)> {
    let change = match (delta(identity), identity.removed.first()) {
        (Some(top), _) if identity.verdict == Verdict::Unverifiable => Some(("cannot tell", top)),
        (Some(top), _) => Some(("gained", top)),
        (None, Some(lost)) => Some(("lost", grant_short(lost))),
        (None, None) => None,
    };
    [
        change,
        callers(identity).map(|t| ("who may act as it", t)),
        workloads(identity).map(|t| ("used by", t)),
        reaches(identity).map(|t| ("new grants reach", t)),
        paths(identity).map(|t| ("can now become", t)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Longest one-line change in a block's head, in characters.
const DELTA_CHARS: usize = 300;

/// One-line summary of a grant for a table cell: short lists, conditions counted, length capped.
pub fn grant_short(grant: &Grant) -> String {
    let mut s = grant.describe(SHORT_LIST);
    let mut notes = Vec::new();
    // An exact summary is the description itself.
    match grant
        .access
        .as_ref()
        .filter(|a| !a.exact)
        .map(|a| a.actions)
    {
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
    if identity.verdict == Verdict::Unverifiable && first_unknown.is_some() {
        return first_unknown;
    }
    identity
        .added
        .first()
        .map(grant_short)
        .or(first_unknown)
        // An identity too complex to compare has neither; its note says why.
        .or_else(|| {
            (identity.verdict == Verdict::Unverifiable)
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
    use crate::report::fixtures;

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
            "2 actions (2 Read in s3): s3:GetObject, s3:GetObjectAcl on arn:aws:s3:::b/x, without `Bool aws:SecureTransport false` (Allow s3:GetObject*)"
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
