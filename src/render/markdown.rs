//! `--format markdown`: a pull-request comment for GitHub or GitLab.
//!
//! The gate's decision, a bold one-line summary (public and foreign-account access first) and
//! the findings by severity; a "Who can reach it" table when principals newly reach a role or
//! resource; then one block per changed identity or resource, the most severe first: what it is
//! and whose, the change in one line, who acts as it and what its new grants reach, its
//! findings (a finding repeated on several subjects written out once, with a count; each rule
//! code linked to its page when the caller says where the pages are), and a
//! collapsed `<details>` section with the grants, the witness and the policy diff. Then the
//! findings about no block, the findings the config file ignores, the plan's notes, and, when
//! the comment had to be cut to fit, a note saying what was cut. The plan is written by whoever
//! opens the pull request, so every string from the report goes through
//! [`escape`](super::escape): nothing in it can close a section, add markup, run script or
//! mention anyone.

mod details;
mod fit;

use super::blocks::{self, BlockFinding};
use super::escape::markdown_inline;
use super::phrase;
use crate::model::Severity;
use crate::report::{Counts, Decision, Finding, Reach, Report};
use crate::rules::Pages;
use std::collections::HashMap;

/// GitHub rejects comments longer than 65,536 characters; this leaves room for a bot's own
/// header. Counted in bytes, which are never fewer than characters however a host counts them.
pub const MAX_COMMENT_BYTES: usize = 65_000;

const REACH_HEADER: &str = "\
#### Who can reach it

| Class | Subject | Principal | Newly allowed | Concerns |
| --- | --- | --- | --- | --- |
";

/// Findings about no block (a subject that did not change).
const FINDINGS_HEADER: &str = "\
#### Other findings

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
    /// Who can reach it, other findings, ignored findings: in the order shown (see
    /// [`fit::REACH`]...). The blocks come between the first and the second.
    tables: [fit::Table; 3],
    blocks: Vec<details::Block>,
    notes: Vec<String>,
}

pub fn render(report: &Report, pages: Option<&Pages>) -> String {
    render_within(report, MAX_COMMENT_BYTES, pages)
}

/// The comment cut to at most `max_bytes`: details go first, the summary and the reach table
/// last.
pub fn render_within(report: &Report, max_bytes: usize, pages: Option<&Pages>) -> String {
    let (blocks, others) = blocks::blocks(report, FINDING_CHARS);
    let mut reach: HashMap<&str, Vec<&Reach>> = HashMap::new();
    for r in &report.reach {
        reach.entry(r.subject.as_str()).or_default().push(r);
    }
    let parts = Parts {
        head: head(report),
        tables: [
            fit::Table {
                header: format!("\n{REACH_HEADER}"),
                rows: report.reach.iter().map(reach_row).collect(),
            },
            fit::Table {
                header: format!("\n{FINDINGS_HEADER}"),
                rows: others.into_iter().map(|f| finding_row(f, pages)).collect(),
            },
            fit::Table {
                header: format!("\n{IGNORED_HEADER}"),
                rows: phrase::ignored(report)
                    .into_iter()
                    .map(|f| ignored_row(f, pages))
                    .collect(),
            },
        ],
        blocks: blocks
            .iter()
            .map(|b| {
                let reach = reach
                    .get(b.subject.address.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let lines: Vec<String> =
                    b.findings.iter().map(|f| finding_line(f, pages)).collect();
                details::Block {
                    resource: b.resource,
                    ..details::block(b.subject, reach, &lines)
                }
            })
            .collect(),
        notes: report
            .notes
            .iter()
            .chain(&phrase::unlisted_notes(report))
            .map(|n| format!("- {}\n", markdown_inline(n)))
            .collect(),
    };
    fit::assemble(&parts, max_bytes)
}

/// `- **high** PD020 resource-exposure: can now …`, with the other subjects it says the same
/// of, or the subject whose block says it.
fn finding_line(f: &BlockFinding, pages: Option<&Pages>) -> String {
    let badge = format!(
        "{} {} {}",
        severity_badge(f.finding.severity),
        rule_code(f.finding.code, pages),
        f.finding.name
    );
    format!("- {badge}: {}\n", markdown_inline(&f.said()))
}

/// `[PD011](…/PD011.md)`: the code linked to its page when the caller said where the pages
/// are. The address was checked when it was given ([`Pages::parse`]): it needs no escaping.
fn rule_code(code: &str, pages: Option<&Pages>) -> String {
    match pages {
        Some(pages) => format!("[{code}]({})", pages.page(code)),
        None => code.to_string(),
    }
}

/// `**critical**`, `**high**`, `medium`...: the severities that block by default in bold.
fn severity_badge(severity: Severity) -> String {
    match severity {
        Severity::Critical | Severity::High => format!("**{severity}**"),
        s => s.to_string(),
    }
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

/// `| **high** | PD015 passrole-compute | aws_iam_role.ci | aws_iam_role.ci can now … |`: critical
/// and high in bold.
fn finding_row(finding: &Finding, pages: Option<&Pages>) -> String {
    format!(
        "| {} | {} {} | {} | {} |\n",
        severity_badge(finding.severity),
        rule_code(finding.code, pages),
        finding.name,
        markdown_inline(&finding.identity),
        markdown_inline(&phrase::message(finding, FINDING_CHARS)),
    )
}

/// `| PD001 permissions-widened | medium | aws_iam_role.ci | CI needs this (ignore block 1) |`.
fn ignored_row(finding: &Finding, pages: Option<&Pages>) -> String {
    format!(
        "| {} {} | {} | {} | {} |\n",
        rule_code(finding.code, pages),
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
