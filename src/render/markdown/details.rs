//! One block per changed identity or resource: a heading with its verdict, what it is and
//! whose, the change in one line, who acts as it, what its new grants reach and its findings,
//! then a collapsed `<details>` section with the grants, the witness and the policy diff.
//!
//! Markdown is not parsed on the `<summary>` line (it is raw HTML), so that line is escaped with
//! [`html`]; everything else is Markdown and escaped with [`markdown_inline`].

use crate::model::{Grant, Witness};
use crate::plan::side::AttributeRef;
use crate::render::escape::{html, html_block, markdown_inline as md};
use crate::render::phrase;
use crate::report::{IdentityReport, Path, Reach};
use similar::TextDiff;

/// A block whose details, and within them the policy diff, can be left out on their own when
/// the comment is too long.
pub struct Block {
    /// The heading, the facts, the one-line change and the findings: shown while the block is.
    pub head: String,
    /// The `<details>` section without its diff and its close: a blank line, the `<details>`
    /// line and the body.
    pub body: String,
    /// The diff block, when the documents differ.
    pub diff: Option<String>,
    /// Whether the block is about a resource rather than an identity (for the cut note).
    pub resource: bool,
}

/// Closes a section; the blank line first ends any list so `</details>` is raw HTML again.
pub const CLOSE: &str = "\n</details>\n";

impl Block {
    pub fn len(&self, with_body: bool, with_diff: bool) -> usize {
        if !with_body {
            return self.head.len();
        }
        let diff = if with_diff {
            self.diff.as_ref().map_or(0, String::len)
        } else {
            0
        };
        self.head.len() + self.body.len() + diff + CLOSE.len()
    }
}

/// The block of an identity or resource; `reach` holds the report's reach entries for it and
/// `findings` its finding lines, already written.
pub fn block(identity: &IdentityReport, reach: &[&Reach], findings: &[String]) -> Block {
    let mut head = format!(
        "\n#### {}: {}\n\n{}\n",
        md(&identity.label()),
        phrase::verdict_heading(identity),
        about(identity),
    );
    for (label, line) in phrase::block_facts(identity) {
        head.push_str(&format!("\n**{}:** {}\n", capitalized(label), md(&line)));
    }
    if !findings.is_empty() {
        head.push('\n');
        for f in findings {
            head.push_str(f);
        }
    }
    let mut body = format!(
        "\n<details><summary>{}</summary>\n",
        html(&summary_of(identity))
    );
    grants(&mut body, "Added", &identity.added);
    grants(&mut body, "Removed", &identity.removed);
    reach_list(&mut body, reach, &identity.added);
    for path in &identity.paths {
        hops(&mut body, path);
        grants(
            &mut body,
            &format!("Gained by becoming {}", md(&path.target)),
            &path.gained,
        );
    }
    if let Some(witness) = &identity.witness {
        body.push_str(&witness_list(witness));
    }
    attributes(
        &mut body,
        "Known only after apply",
        &identity.unknown,
        phrase::unknown,
    );
    attributes(
        &mut body,
        "Sensitive",
        &identity.sensitive,
        phrase::sensitive,
    );
    if !identity.notes.is_empty() {
        body.push_str("\n**Notes**\n\n");
        for note in &identity.notes {
            body.push_str(&format!("- {}\n", md(note)));
        }
    }
    Block {
        head,
        body,
        diff: diff(&identity.documents.before, &identity.documents.after),
        resource: false,
    }
}

/// `who may act as it` → `Who may act as it`.
fn capitalized(label: &str) -> String {
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `Details of aws_iam_role.app: +3 −1`, the section's one line when collapsed.
fn summary_of(identity: &IdentityReport) -> String {
    format!(
        "Details of {}: +{} −{}",
        identity.label(),
        identity.added.len(),
        identity.removed.len()
    )
}

/// `Kind: aws_iam_role · Name: app · Terraform actions: update · Declared in: iam.tf line 3`.
fn about(identity: &IdentityReport) -> String {
    let mut facts = vec![format!("Kind: {}", md(identity.kind))];
    if let Some(name) = &identity.name {
        facts.push(format!("Name: {}", md(name)));
    }
    if let Some(t) = &identity.principal_type {
        facts.push(format!("Principal type: {}", md(t)));
    }
    if let Some(owner) = &identity.owner {
        facts.push(format!(
            "Owner: {} ({})",
            md(&owner.name),
            md(&owner.source)
        ));
    }
    if !identity.actions.is_empty() {
        facts.push(format!(
            "Terraform actions: {}",
            md(&identity.actions.join(", "))
        ));
    }
    if !identity.managed_in_plan {
        facts.push("not managed in this plan".to_string());
    }
    if let Some(at) = &identity.location {
        facts.push(format!("Declared in: {} line {}", md(&at.file), at.line));
    }
    facts.join(" · ")
}

/// Items of a grant's lists shown in full; a managed policy such as ReadOnlyAccess names over
/// a thousand action patterns, which belong in the JSON report, not in a comment.
const LONG_LIST: usize = 40;

/// A titled list of grants, each with its conditions, source, kind and detail below it.
fn grants(body: &mut String, title: &str, grants: &[Grant]) {
    if grants.is_empty() {
        return;
    }
    body.push_str(&format!("\n**{title}**\n\n"));
    for grant in grants {
        body.push_str(&format!("- {}\n", md(&grant.describe(LONG_LIST))));
        for condition in &grant.conditions {
            body.push_str(&format!("  - condition: {}\n", md(condition)));
        }
        if let Some(access) = grant.access.as_ref().filter(|a| !a.exact) {
            body.push_str(&format!("  - covers {}\n", md(&access.describe(10))));
        }
        for change in &grant.condition_change {
            body.push_str(&format!("  - condition change: {}\n", md(change)));
        }
        body.push_str(&format!("  - source: {}\n", md(&grant.source)));
        if let Some(reaches) = phrase::grant_reaches(grant) {
            body.push_str(&format!("  - {}\n", md(&reaches)));
        }
        if let Some(detail) = &grant.detail {
            body.push_str(&format!("  - detail: {}\n", md(detail)));
        }
        if let Some(example) = &grant.example {
            body.push_str(&format!("  - e.g. {}\n", md(&phrase::witness(example))));
        }
    }
}

/// Who can newly reach the subject, one item per principal with its concerns and its example
/// (unless an added grant above shows the same one).
fn reach_list(body: &mut String, reach: &[&Reach], added: &[Grant]) {
    if reach.is_empty() {
        return;
    }
    body.push_str("\n**Who can newly reach it**\n\n");
    for r in reach {
        body.push_str(&format!("- {}\n", md(&phrase::reach(r))));
        if let Some(account) = &r.account {
            body.push_str(&format!("  - account: {}\n", md(account)));
        }
        for concern in &r.concerns {
            body.push_str(&format!(
                "  - concern: {} ({})\n",
                md(&concern.message),
                md(concern.code.as_str())
            ));
        }
        let shown = |e: &Witness| added.iter().any(|g| g.example.as_ref() == Some(e));
        if let Some(example) = r.example.as_ref().filter(|e| !shown(e)) {
            body.push_str(&format!("  - e.g. {}\n", md(&phrase::witness(example))));
        }
    }
}

/// How the subject becomes a path's target: one item per hop with its request, and the
/// resources that opened the new ones.
fn hops(body: &mut String, path: &Path) {
    body.push_str(&format!("\n**Can now become {}**\n\n", md(&path.target)));
    for hop in &path.hops {
        body.push_str(&format!(
            "- {} → {} ({}): {}\n",
            md(&hop.from),
            md(&hop.to),
            md(hop.via.as_deref().unwrap_or(hop.edge)),
            md(&phrase::witness(&hop.request))
        ));
        for w in &hop.with {
            body.push_str(&format!("  - with {}\n", md(&phrase::witness(w))));
        }
        if !hop.opened_by.is_empty() {
            body.push_str(&format!(
                "  - new, opened by {}\n",
                md(&hop.opened_by.join(", "))
            ));
        }
    }
}

fn witness_list(witness: &Witness) -> String {
    let mut out =
        String::from("\n**Witness** (a request the new scope allows and the old denied)\n\n");
    out.push_str(&format!("- action: {}\n", md(&witness.action)));
    out.push_str(&format!("- resource: {}\n", md(&witness.resource)));
    if let Some(principal) = &witness.principal {
        out.push_str(&format!("- principal: {}\n", md(principal)));
    }
    if witness.context.is_empty() {
        out.push_str("- context: none\n");
    } else {
        out.push_str("- context:\n");
        for (key, value) in &witness.context {
            out.push_str(&format!("  - {} = {}\n", md(key), md(value)));
        }
    }
    out
}

fn attributes(
    body: &mut String,
    title: &str,
    attrs: &[AttributeRef],
    say: fn(&AttributeRef) -> String,
) {
    if attrs.is_empty() {
        return;
    }
    body.push_str(&format!("\n**{title}**\n\n"));
    for attr in attrs {
        body.push_str(&format!("- {}\n", md(&say(attr))));
    }
}

/// Larger documents get no diff: a comment could not hold it anyway, and the diff's cost
/// grows with the product of the documents' lengths (a deadline would make output vary).
const MAX_DIFF_INPUT: usize = 256 * 1024;

/// The unified diff of the two documents, or `None` when they are equal.
///
/// Why `<pre><code>` and not a ```` ```diff ```` fence: a fence is closed by any line of enough
/// backticks, and raw HTML such as `</details>` is still recognised around it on some hosts.
/// In a `<pre>` block (an HTML block that only `</pre>` ends, blank lines included) every `<`
/// of the content is escaped to `&lt;`, so no line can end the block, open a tag or close the
/// section. The price is no diff colouring on hosts that ignore `lang`.
fn diff(before: &str, after: &str) -> Option<String> {
    if before == after {
        return None;
    }
    if before.len() + after.len() > MAX_DIFF_INPUT {
        return Some(format!(
            "\n**Policy documents**\n\nThe documents are too large to diff here ({} bytes); the added and removed grants above are complete.\n",
            before.len() + after.len()
        ));
    }
    let diff = TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header("before", "after")
        .to_string();
    // The content starts right after `<code>`: a newline there would show as an empty line.
    Some(format!(
        "\n**Policy documents**\n\n<pre lang=\"diff\"><code>{}</code></pre>\n",
        html_block(&diff)
    ))
}
