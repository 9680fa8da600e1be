//! `--format markdown`: a pull-request comment for GitHub or GitLab.
//!
//! A bold one-line summary, a table of the changed identities, one collapsed `<details>` section
//! per changed identity, the plan's notes, and, when the comment had to be cut to fit, a note
//! saying what was cut. The plan is written by whoever opens the pull request, so every string
//! from the report goes through [`escape`](super::escape): nothing in it can close a section,
//! add markup, run script or mention anyone.

mod details;
mod fit;

use super::escape::markdown_inline;
use super::phrase;
use crate::report::{IdentityReport, Report};

/// GitHub rejects comments longer than 65,536 characters; this leaves room for a bot's own
/// header. Counted in bytes, which are never fewer than characters however a host counts them.
pub const MAX_COMMENT_BYTES: usize = 65_000;

const TABLE_HEADER: &str = "\
| Identity | Verdict | Added | Removed | Most important addition |
| --- | --- | ---: | ---: | --- |
";

/// The pieces of a comment, each with the blank lines that must come before it, so a comment
/// is their concatenation and its length the sum of theirs.
pub struct Parts {
    head: String,
    rows: Vec<String>,
    details: Vec<details::Section>,
    notes: Vec<String>,
}

pub fn render(report: &Report) -> String {
    render_within(report, MAX_COMMENT_BYTES)
}

/// The comment cut to at most `max_bytes`: details go first, the summary and table never.
pub fn render_within(report: &Report, max_bytes: usize) -> String {
    let changed = phrase::changed_by_urgency(report);
    let parts = Parts {
        head: head(report, changed.is_empty()),
        rows: changed.iter().map(|i| table_row(i)).collect(),
        details: changed.iter().map(|i| details::section(i)).collect(),
        notes: report
            .notes
            .iter()
            .map(|n| format!("- {}\n", markdown_inline(n)))
            .collect(),
    };
    fit::assemble(&parts, max_bytes)
}

/// `**privdiff:** 1 identity widened, 1 unverifiable, 2 unchanged`, and a warning when the plan
/// is partial.
fn head(report: &Report, nothing_changed: bool) -> String {
    let mut head = if nothing_changed {
        let analysed = phrase::identities(report.summary.identities);
        format!("**privdiff:** no identity's permissions changed ({analysed} analysed)\n")
    } else {
        let counts: Vec<String> = phrase::counts(&report.summary)
            .iter()
            .enumerate()
            .map(|(k, (n, word))| match k {
                0 => format!("{} {word}", phrase::identities(*n)),
                _ => format!("{n} {word}"),
            })
            .collect();
        format!("**privdiff:** {}\n", counts.join(", "))
    };
    if report.plan.errored {
        head.push_str(
            "\n**Warning:** Terraform reported that planning failed; changes may be partial.\n",
        );
    }
    head
}

fn table_row(identity: &IdentityReport) -> String {
    let top =
        phrase::top_addition(identity).map_or_else(|| "-".to_string(), |t| markdown_inline(&t));
    format!(
        "| {} | {} | +{} | −{} | {} |\n",
        markdown_inline(&identity.address),
        identity.verdict.as_str(),
        identity.added.len(),
        identity.removed.len(),
        top,
    )
}

#[cfg(test)]
mod tests;
