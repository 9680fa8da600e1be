//! `--format markdown`: a pull-request comment for GitHub or GitLab.
//!
//! A bold one-line summary (public and foreign-account access first), a "Who can reach it" table
//! when principals newly reach a role or resource, a table of the findings (above `info`, not
//! ignored, the most severe first), a table of the changed identities and one of
//! the changed resources, a table of the findings the config file ignores (and how many there
//! are, in the head), one collapsed `<details>` section per changed identity or resource, the
//! plan's notes, and, when the comment had to be cut to fit, a note saying what was cut. The plan
//! is written by whoever opens the pull request, so every string from the report goes through
//! [`escape`](super::escape): nothing in it can close a section, add markup, run script or
//! mention anyone.

mod details;
mod fit;

use super::escape::markdown_inline;
use super::phrase;
use crate::model::Severity;
use crate::report::{Counts, Decision, Finding, IdentityReport, Reach, Report};
use std::collections::HashMap;

/// GitHub rejects comments longer than 65,536 characters; this leaves room for a bot's own
/// header. Counted in bytes, which are never fewer than characters however a host counts them.
pub const MAX_COMMENT_BYTES: usize = 65_000;

const TABLE_HEADER: &str = "\
| Identity | Verdict | Added | Removed | Most important addition |
| --- | --- | ---: | ---: | --- |
";

const REACH_HEADER: &str = "\
#### Who can reach it

| Class | Subject | Principal | Newly allowed | Concerns |
| --- | --- | --- | --- | --- |
";

const IDENTITIES_HEADING: &str = "#### What it can do\n\n";

const RESOURCES_HEADER: &str = "\
#### Resource policies

| Resource | Verdict | Added | Removed | Most important addition |
| --- | --- | ---: | ---: | --- |
";

const FINDINGS_HEADER: &str = "\
#### Findings

| Severity | Rule | Subject | Finding |
| --- | --- | --- | --- |
";

/// Longest finding message in a row, in characters: the JSON report has them whole.
const FINDING_CHARS: usize = 400;

const IGNORED_HEADER: &str = "\
#### Ignored findings

| Finding | Severity | Subject | Why it is ignored |
| --- | --- | --- | --- |
";

/// The pieces of a comment, each with the blank lines that must come before it, so a comment
/// is their concatenation and its length the sum of theirs.
pub struct Parts {
    head: String,
    /// Who can reach it, findings, identities, resources, ignored findings: in the order shown
    /// (see [`fit::REACH`]...).
    tables: [fit::Table; 5],
    details: Vec<details::Section>,
    notes: Vec<String>,
}

pub fn render(report: &Report) -> String {
    render_within(report, MAX_COMMENT_BYTES)
}

/// The comment cut to at most `max_bytes`: details go first, the summary and the reach table
/// last.
pub fn render_within(report: &Report, max_bytes: usize) -> String {
    let identities = phrase::changed_by_urgency(report);
    let resources = phrase::changed_resources_by_urgency(report);
    let listed = phrase::listed(report);
    // A plan about identities alone, without findings, reads as it always has: one table, no
    // headings.
    let headed = !report.reach.is_empty() || !resources.is_empty() || !listed.is_empty();
    let identities_header = if headed {
        format!("\n{IDENTITIES_HEADING}{TABLE_HEADER}")
    } else {
        format!("\n{TABLE_HEADER}")
    };
    let parts = Parts {
        head: head(report),
        tables: [
            fit::Table {
                header: format!("\n{REACH_HEADER}"),
                rows: report.reach.iter().map(reach_row).collect(),
            },
            fit::Table {
                header: format!("\n{FINDINGS_HEADER}"),
                rows: listed.into_iter().map(finding_row).collect(),
            },
            fit::Table {
                header: identities_header,
                rows: identities.iter().map(|i| table_row(i)).collect(),
            },
            fit::Table {
                header: format!("\n{RESOURCES_HEADER}"),
                rows: resources.iter().map(|i| table_row(i)).collect(),
            },
            fit::Table {
                header: format!("\n{IGNORED_HEADER}"),
                rows: phrase::ignored(report)
                    .into_iter()
                    .map(ignored_row)
                    .collect(),
            },
        ],
        details: sections(report, &identities, &resources),
        notes: report
            .notes
            .iter()
            .chain(&phrase::unlisted_notes(report))
            .map(|n| format!("- {}\n", markdown_inline(n)))
            .collect(),
    };
    fit::assemble(&parts, max_bytes)
}

/// One section per changed identity and resource, the most urgent verdicts first (identities
/// before resources within a verdict), so that cutting from the end loses the least urgent.
fn sections(
    report: &Report,
    identities: &[&IdentityReport],
    resources: &[&IdentityReport],
) -> Vec<details::Section> {
    let mut subjects: Vec<(&IdentityReport, bool)> = identities
        .iter()
        .map(|&i| (i, false))
        .chain(resources.iter().map(|&r| (r, true)))
        .collect();
    subjects.sort_by_key(|(subject, _)| subject.verdict);
    let mut reach: HashMap<&str, Vec<&Reach>> = HashMap::new();
    for r in &report.reach {
        reach.entry(r.subject.as_str()).or_default().push(r);
    }
    subjects
        .into_iter()
        .map(|(subject, resource)| {
            let reach = reach
                .get(subject.address.as_str())
                .map_or(&[][..], Vec::as_slice);
            details::Section {
                resource,
                ..details::section(subject, reach)
            }
        })
        .collect()
}

/// `**privdiff:** ⚠ 1 public, 1 foreign-account access; 1 identity widened, 2 unchanged; 1
/// resource widened`, and a warning when the plan is partial.
fn head(report: &Report) -> String {
    let summary = &report.summary;
    // The decision first: whether the change may merge is what a reviewer needs before the rest.
    let decision = report.gate.as_ref().map(|g| {
        let mark = match g.decision {
            Decision::Fail => "⛔",
            Decision::Pass => "✅",
        };
        format!(
            "**{mark} {}:** {}\n\n",
            g.verb(),
            markdown_inline(&g.reason)
        )
    });
    let mut head = decision.unwrap_or_default();
    head.push_str(&if !phrase::anything_changed(report) {
        let analysed = phrase::identities(summary.identities);
        match summary.resources.total {
            0 => format!(
                "**privdiff:** no identity's permissions changed ({analysed} analysed)\n"
            ),
            n => format!(
                "**privdiff:** no identity's permissions and no resource policy changed ({analysed}, {} analysed)\n",
                phrase::resources(n)
            ),
        }
    } else {
        let mut groups = Vec::new();
        if let Some(exposure) = phrase::exposure(summary) {
            groups.push(format!("⚠ {exposure}"));
        }
        let identities = phrase::identity_counts(summary);
        groups.extend(counts(&identities, phrase::identities));
        groups.extend(counts(&summary.resources, phrase::resources));
        format!("**privdiff:** {}\n", groups.join("; "))
    });
    if let Some(findings) = phrase::severity_counts(report) {
        head.push_str(&format!("\n{}.\n", capitalized(&findings)));
    }
    if let Some(ignored) = phrase::ignored_count(report) {
        head.push_str(&format!("\n{ignored} by the config file.\n"));
    }
    if report.plan.errored {
        head.push_str(
            "\n**Warning:** Terraform reported that planning failed; changes may be partial.\n",
        );
    }
    head
}

/// `findings: …` → `Findings: …`.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `1 identity widened, 1 unverifiable, 2 unchanged`: the noun with the first count only; `None`
/// when there is nothing to count.
fn counts(counts: &Counts, noun: fn(usize) -> String) -> Option<String> {
    let counts: Vec<String> = phrase::counts(counts)
        .iter()
        .enumerate()
        .map(|(k, (n, word))| match k {
            0 => format!("{} {word}", noun(*n)),
            _ => format!("{n} {word}"),
        })
        .collect();
    (!counts.is_empty()).then(|| counts.join(", "))
}

fn table_row(identity: &IdentityReport) -> String {
    let top =
        phrase::top_addition(identity).map_or_else(|| "-".to_string(), |t| markdown_inline(&t));
    format!(
        "| {} | {} | +{} | −{} | {} |\n",
        markdown_inline(&identity.label()),
        identity.verdict.as_str(),
        identity.added.len(),
        identity.removed.len(),
        top,
    )
}

/// `| **high** | PD015 passrole-compute | aws_iam_role.ci | aws_iam_role.ci can now … |`: critical
/// and high in bold.
fn finding_row(finding: &Finding) -> String {
    let severity = match finding.severity {
        Severity::Critical | Severity::High => format!("**{}**", finding.severity),
        s => s.to_string(),
    };
    format!(
        "| {severity} | {} {} | {} | {} |\n",
        finding.code,
        finding.name,
        markdown_inline(&finding.identity),
        markdown_inline(&phrase::message(finding, FINDING_CHARS)),
    )
}

/// `| PD001 permissions-widened | medium | aws_iam_role.ci | CI needs this (ignore block 1) |`.
fn ignored_row(finding: &Finding) -> String {
    format!(
        "| {} {} | {} | {} | {} |\n",
        finding.code,
        finding.name,
        finding.severity,
        markdown_inline(&finding.identity),
        markdown_inline(&phrase::ignore_reason(finding)),
    )
}

/// `| ⚠ public | aws_s3_bucket.logs | * | s3:GetObject on … | - |`: public and foreign-account
/// principals are marked, the rest of the row is report text, escaped.
fn reach_row(reach: &Reach) -> String {
    let mark = if phrase::is_exposed(reach) {
        "⚠ "
    } else {
        ""
    };
    format!(
        "| {mark}{} | {} | {} | {} | {} |\n",
        reach.class.as_str(),
        markdown_inline(&reach.subject),
        markdown_inline(&phrase::principal(reach)),
        markdown_inline(&phrase::reach_allowed(reach)),
        if reach.concerns.is_empty() {
            "-".to_string()
        } else {
            markdown_inline(&phrase::concern_text(reach))
        },
    )
}

#[cfg(test)]
mod tests;
