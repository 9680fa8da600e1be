use super::*;
use crate::report::{fixtures, IdentityReport};

use crate::testing::golden;

/// The comment without links to the rules' pages, as most tests read it.
fn render(report: &Report) -> String {
    super::render(report, None)
}

fn render_within(report: &Report, max_bytes: usize) -> String {
    super::render_within(report, max_bytes, None)
}

/// The HTML tags the renderer itself writes; any other `<` in a comment came from the report.
const OUR_TAGS: &[&str] = &[
    "<details>",
    "</details>",
    "<summary>",
    "</summary>",
    "<pre lang=\"diff\">",
    "</pre>",
    "<code>",
    "</code>",
];

fn tags(out: &str) -> Vec<&str> {
    out.match_indices('<')
        .map(|(at, _)| &out[at..=at + out[at..].find('>').expect("an unclosed tag")])
        .collect()
}

/// The headings the renderer itself writes, besides one per block.
const OUR_HEADINGS: &[&str] = &[
    "#### Who can reach it",
    "#### Other findings",
    "#### Ignored findings",
];

/// The headings of the blocks: one per changed identity or resource.
fn block_headings(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("#### ") && !OUR_HEADINGS.contains(l))
        .collect()
}

/// The lines where Markdown is parsed: not in `<pre>` blocks and not the raw-HTML `<summary>`,
/// less the renderer's own headings and the heading marker of a block's.
fn markdown_lines(out: &str) -> Vec<&str> {
    let mut in_pre = false;
    let mut lines = Vec::new();
    for line in out.lines() {
        if line.starts_with("<pre") {
            in_pre = true;
        }
        if !in_pre && !line.starts_with("<details><summary>") && !OUR_HEADINGS.contains(&line) {
            lines.push(line.strip_prefix("#### ").unwrap_or(line));
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
    }
    lines
}

/// How many times `special` occurs not escaped by a backslash (a backslash that is itself
/// escaped escapes nothing).
fn unescaped(line: &str, special: char) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        if c == special && !escaped {
            count += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    count
}

/// [`fixtures::report`] without resources and reach: a plan about identities alone.
fn identities_only() -> Report {
    let mut report = fixtures::report();
    report.resources.clear();
    report.reach.clear();
    report.summary.resources = crate::report::Counts::default();
    report.summary.public_reach = 0;
    report.summary.foreign_reach = 0;
    report
}

/// [`fixtures::report`] with no identity or resource changed: one unchanged user and `resources` unchanged
/// copies of the bucket.
fn unchanged(resources: usize) -> Report {
    let mut report = fixtures::report();
    // Nothing changed, so nothing was found.
    report.findings.clear();
    report.identities.retain(|i| !phrase::is_changed(i));
    report.reach.clear();
    let bucket = report.resources[0].clone();
    report.resources = (0..resources)
        .map(|_| IdentityReport {
            verdict: crate::model::Verdict::Unchanged,
            added: vec![],
            ..bucket.clone()
        })
        .collect();
    report.summary = crate::report::Summary {
        identities: 1,
        unchanged: 1,
        resources: crate::report::Counts::of(&report.resources),
        ..Default::default()
    };
    report
}

#[test]
fn summary_line_puts_public_and_foreign_access_first() {
    let out = render(&fixtures::report());
    assert_eq!(
        out.lines().next().unwrap(),
        "**privdiff:** ⚠ 2 public, 1 foreign-account access; \
         1 identity widened, 1 unverifiable, 1 narrowed, 1 unchanged; 1 resource widened"
    );
    let mut report = fixtures::report();
    report.summary.public_reach = 0;
    let out = render(&report);
    assert!(out.starts_with("**privdiff:** ⚠ 1 foreign-account access; 1 identity widened"));
}

#[test]
fn summary_line_counts_verdicts() {
    let out = render(&identities_only());
    assert_eq!(
        out.lines().next().unwrap(),
        "**privdiff:** 1 identity widened, 1 unverifiable, 1 narrowed, 1 unchanged"
    );
}

#[test]
fn says_so_when_nothing_changed() {
    let out = render(&unchanged(0));
    assert!(
        out.starts_with("**privdiff:** no identity's permissions changed (1 identity analysed)\n")
    );
    assert!(!out.contains("<details>"));
    assert!(!out.contains("| Identity"));
    let out = render(&unchanged(2));
    assert!(out.starts_with(
        "**privdiff:** no identity's permissions and no resource policy changed \
         (1 identity, 2 resources analysed)\n"
    ));
    assert!(!out.contains('|'));
}

#[test]
fn one_block_per_changed_identity_and_resource() {
    let out = render(&fixtures::report());
    assert_eq!(block_headings(&out).len(), 4);
    assert_eq!(out.matches("<details>").count(), 4);
    assert_eq!(out.matches("</details>").count(), 4);
    assert!(!out.contains("alice"));
    assert!(out.contains("\n#### aws\\_s3\\_bucket.logs: widened\n"));
    assert!(out.contains("\n**Gained:** resource policy: "));
    assert!(out.contains("<details><summary>Details of aws_s3_bucket.logs: +2 −0</summary>"));
}

#[test]
fn blocks_go_most_severe_first_and_carry_their_findings() {
    let out = render(&fixtures::report());
    let headings = block_headings(&out);
    // The bucket's public access is critical; the role's findings are high at most.
    assert_eq!(headings[0], "#### aws\\_s3\\_bucket.logs: widened");
    assert_eq!(headings[1], "#### aws\\_iam\\_role.app: widened");
    let bucket = &out[out.find(headings[0]).unwrap()..out.find(headings[1]).unwrap()];
    assert!(bucket.contains("\n- **critical** PD006 public-access: "));
    // The subject is the block's: not repeated at the start of each finding.
    assert!(!bucket.contains("PD006 public-access: aws\\_s3\\_bucket.logs is"));
    assert!(!out.contains("#### Other findings"));
}

#[test]
fn a_finding_said_of_several_subjects_is_written_out_once() {
    let mut report = fixtures::report();
    let mut copy = report.identities[1].clone();
    copy.address = "aws_iam_role.twin".into();
    let twin: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.identity == "aws_iam_role.app" && f.code == "PD001")
        .map(|f| crate::report::Finding {
            identity: copy.address.clone(),
            message: f.message.replace("aws_iam_role.app", "aws_iam_role.twin"),
            ..f.clone()
        })
        .collect();
    assert_eq!(twin.len(), 1);
    report.identities.push(copy);
    report.findings.extend(twin);
    let out = render(&report);
    assert_eq!(out.matches("PD001 permissions-widened: gained").count(), 1);
    assert!(out.contains("(also on 1 more: aws\\_iam\\_role.twin)"));
    assert!(out.contains("PD001 permissions-widened: as on aws\\_iam\\_role.app\n"));
}

#[test]
fn a_resource_that_only_narrowed_is_listed() {
    let mut report = unchanged(1);
    report.resources[0].verdict = crate::model::Verdict::Narrowed;
    report.resources[0].removed = fixtures::report().resources[0].added.clone();
    report.summary.resources = crate::report::Counts::of(&report.resources);
    let out = render(&report);
    assert!(out.starts_with("**privdiff:** 1 identity unchanged; 1 resource narrowed\n"));
    assert!(out.contains("\n#### aws\\_s3\\_bucket.logs: narrowed\n"));
    assert!(out.contains("\n**Lost:** resource policy: "));
    assert!(!out.contains("Who can reach it"));
}

#[test]
fn who_can_reach_it_comes_first_the_most_exposed_at_the_top() {
    let out = render(&fixtures::report());
    let at = |text: &str| out.find(text).unwrap_or_else(|| panic!("no {text}"));
    assert!(at("#### Who can reach it") < at(block_headings(&out)[0]));
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "#### Who can reach it")
        .filter(|l| l.starts_with("| "))
        .take(6)
        .collect();
    assert_eq!(
        rows[2],
        "| ⚠ public | aws\\_s3\\_bucket.logs | \\* | s3:GetObject on arn:aws:s3:::acme-logs/\\* | - |"
    );
    assert!(rows[3].starts_with("| ⚠ public | aws\\_s3\\_bucket.logs | \\* | whatever a public policy or ACL allows | public-access-block-disabled: public access block turned off"));
    assert!(rows[4].starts_with("| ⚠ foreign-account | aws\\_iam\\_role.app | AWS:arn:aws:iam::999999999999:root | sts:AssumeRole | external-id-removed: sts:ExternalId is no longer required"));
    assert!(rows[5].starts_with("| federated | aws\\_iam\\_role.app | Federated:"));
}

#[test]
fn sections_say_who_can_newly_reach_the_subject() {
    let out = render(&fixtures::report());
    assert!(out.contains(
        "\n**Who can newly reach it**\n\n- AWS:arn:aws:iam::999999999999:root may sts:AssumeRole — foreign-account\n  - account: 999999999999\n  - concern: sts:ExternalId is no longer required"
    ));
    assert!(out.contains("(oidc-subject-broad)\n"));
    // The bucket's example is its grant's, already shown above: not repeated.
    let details = &out[out.find("<details>").unwrap()..];
    assert_eq!(
        details
            .matches("e.g. s3:GetObject on arn:aws:s3:::acme-logs/&lt;object-name&gt;")
            .count(),
        1
    );
}

#[test]
fn sections_hold_grants_witness_unknowns_and_sensitive_values() {
    let out = render(&fixtures::report());
    assert!(out.contains(
        "- 2 actions (2 Read in s3): s3:GetObject, s3:GetObjectAcl on arn:aws:s3:::b/x, without \\`Bool aws:SecureTransport false\\` (Allow s3:GetObject\\*)\n"
    ));
    assert!(out.contains("  - condition change: without \\`Bool aws:SecureTransport false\\`\n"));
    assert!(out.contains("  - condition: StringEquals aws:SourceVpc vpc-1\n"));
    assert!(out.contains("- resource: arn:aws:s3:::b/x\n"));
    assert!(out.contains("- policy of aws\\_iam\\_role\\_policy.ci is known only after apply\n"));
    assert!(out.contains(
        "- policy of aws\\_iam\\_group\\_policy.vault: value is sensitive and not shown\n"
    ));
    assert!(out.contains("\n**Plan notes**\n\n- module.legacy was skipped"));
}

#[test]
fn diff_only_where_documents_differ() {
    let out = render(&fixtures::report());
    // The widened role and the bucket: the narrowed group's documents are both sensitive.
    assert_eq!(
        out.matches("<pre lang=\"diff\"><code>--- before\n+++ after\n")
            .count(),
        2
    );
    assert!(out.contains("\n-  &quot;Action&quot;: &quot;s3:ListBucket&quot;,\n"));
}

#[test]
fn hostile_text_cannot_break_out() {
    let out = render(&fixtures::hostile());
    for tag in tags(&out) {
        assert!(OUR_TAGS.contains(&tag), "foreign tag {tag:?}");
    }
    assert_eq!(out.matches("<details>").count(), 4);
    assert_eq!(out.matches("</details>").count(), 4);
    assert_eq!(out.matches("</pre>").count(), 4);
    assert!(!out.contains("@acme"));
    assert!(!out.contains('\u{1b}') && !out.contains('\0') && !out.contains('\r'));
    // Who can reach it (4 rows) with 2 header lines and 5 columns, then the ignored findings
    // (1) with 2 header lines and 4 columns; every other finding is in its subject's block.
    let table: Vec<&str> = out.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 9);
    let (reach, ignored) = table.split_at(6);
    for (rows, columns) in [(reach, 5), (ignored, 4)] {
        assert!(
            rows.iter().all(|row| unescaped(row, '|') == columns + 1),
            "{table:#?}"
        );
    }
    assert_eq!(block_headings(&out).len(), 4);
    assert!(out.contains("\n9 findings, 1 of them ignored by the config file.\n"));
    // No code span, emphasis, link or math can start where Markdown is parsed.
    for line in markdown_lines(&out).into_iter().skip(1) {
        for special in ['`', '_', '[', ']', '~', '$', '#'] {
            assert_eq!(unescaped(line, special), 0, "{special} in {line}");
        }
        let bare_url = line
            .match_indices("://")
            .any(|(at, _)| !line[..at].ends_with('\\'));
        assert!(!bare_url, "a URL in {line}");
        // The renderer's own bold: the summary line and a severe finding's severity.
        let own = ["- **critical** ", "- **high** "]
            .iter()
            .find_map(|p| line.strip_prefix(p));
        let stars = unescaped(own.unwrap_or(line), '*');
        assert!(stars == 0 || line.starts_with("**"), "* in {line}");
    }
}

#[test]
fn summary_line_of_a_section_is_html_not_markdown() {
    let out = render(&fixtures::hostile());
    let summary = out
        .lines()
        .find(|l| l.starts_with("<details><summary>"))
        .unwrap();
    assert!(
        summary.contains("&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;@\u{200B}acme/team")
    );
    // Markdown is not parsed there, so a backslash would be shown.
    assert!(!summary.contains('\\'));
}

#[test]
fn the_decision_comes_first_and_survives_any_cut() {
    let mut report = fixtures::huge(2000);
    report.gate = Some(crate::gate::decide(
        &report,
        crate::gate::FailOn::Severity(crate::model::Severity::Info),
    ));
    let reason = report.gate.as_ref().unwrap().reason.clone();
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("**⛔ Blocks this change:** "), "{first}");
    assert!(first.ends_with(&markdown_inline(&reason)), "{first}");
    assert!(out.lines().nth(2).unwrap().starts_with("**privdiff:** "));
    // Passing, it says so, and why.
    report.gate = Some(crate::gate::decide(&report, crate::gate::FailOn::Never));
    let out = render(&report);
    assert!(out.starts_with("**✅ Passes:** the gate is off (fail-on: never)\n"));
}

#[test]
fn long_comments_are_cut_to_the_limit_with_a_note() {
    let report = fixtures::huge(2000);
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    let sections = out.matches("<details>").count();
    let blocks = block_headings(&out).len();
    assert!(
        sections < blocks && blocks < 2000,
        "{sections} sections, {blocks} blocks"
    );
    assert_eq!(out.matches("</details>").count(), sections);
    assert!(out.contains(&format!(
        "the details of {} identities were cut",
        blocks - sections
    )));
    assert!(out.contains(&format!("{} identities are not shown", 2000 - blocks)));
    assert!(out.contains("The full report is available with `--format json`."));
    assert!(out.trim_end().ends_with("`--format json`."));
}

#[test]
fn diffs_go_before_sections() {
    // 30 sections of ~2 kB diffs: the sections fit without their diffs, not with all of them.
    let out = render(&fixtures::huge(30));
    assert!(out.len() <= MAX_COMMENT_BYTES);
    assert_eq!(out.matches("<details>").count(), 30);
    let diffs = out.matches("<pre lang=").count();
    assert!(diffs > 0 && diffs < 30, "{diffs} diffs");
    assert!(out.contains(&format!(
        "the policy diffs of {} identities were left out",
        30 - diffs
    )));
    assert!(!out.contains("were cut"));
}

#[test]
fn short_comments_are_not_cut() {
    assert!(!render(&fixtures::report()).contains("**Note:**"));
}

/// What a user sees for the shared fixture, like the golden files in tests/snapshots.
#[test]
fn shows_the_fixture_as_expected() {
    golden::check(
        "src/render/markdown/expected_fixture.md",
        &render(&fixtures::report()),
    );
}

#[test]
fn one_enormous_name_cannot_push_the_comment_over_the_limit() {
    let mut report = fixtures::report();
    report.identities[1].address = "a".repeat(100_000);
    report.notes.push("n".repeat(100_000));
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    // The enormous identity's block cannot fit, so it and every block after it go, then the
    // enormous note; the head and the reach table stay.
    assert!(out.contains("are not shown"), "{out}");
    assert!(out.contains("1 plan note was left out"));
    assert!(out.contains("- module.legacy was skipped"));
    assert!(out.contains("#### Who can reach it"));
    assert!(!out.contains(&"a".repeat(1000)));
    assert_eq!(out.lines().filter(|l| l.starts_with("| ")).count(), 2 + 4);
}

#[test]
fn the_reach_table_stays_when_details_and_rows_go() {
    let mut report = fixtures::huge(2000);
    let full = fixtures::report();
    report.reach = full.reach.clone();
    report.summary.public_reach = full.summary.public_reach;
    report.summary.foreign_reach = full.summary.foreign_reach;
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    assert!(out.starts_with("**privdiff:** ⚠ 2 public, 1 foreign-account access; 2000 identities widened\n\nFindings: 1 critical, 3 high, 4 medium, 1 low.\n\n#### Who can reach it\n"));
    let reach_rows = out
        .lines()
        .filter(|l| l.starts_with("| ⚠ ") || l.starts_with("| federated"))
        .count();
    assert_eq!(reach_rows, 4);
    assert!(out.contains("identities were cut"));
    assert!(out.contains("identities are not shown"));
    assert!(!out.contains("who can reach it"), "no reach row was cut");
}

/// Which parts a rendered comment shows: the reach table, blocks, their details, plan notes.
fn present(out: &str) -> [bool; 4] {
    [
        out.contains("#### Who can reach it"),
        !block_headings(out).is_empty(),
        out.contains("<details>"),
        out.contains("**Plan notes**"),
    ]
}

#[test]
fn every_budget_is_kept_and_parts_go_in_their_order() {
    // From a budget that holds little more than the head to one that holds everything: the
    // comment never exceeds it, blocks go only once every block's details are gone, reach rows
    // only once every block and note is gone, and the head is always there.
    let report = fixtures::report();
    let full = render_within(&report, usize::MAX);
    let head = full.lines().next().unwrap();
    // Below about 700 bytes even the head and a note that everything was cut do not fit.
    for budget in (700..=full.len() + 1000).step_by(7) {
        let out = render_within(&report, budget);
        assert!(out.len() <= budget, "{budget}: {} bytes", out.len());
        assert!(out.starts_with(head), "{budget}");
        let [reach, blocks, details, notes] = present(&out);
        if details {
            assert!(reach && blocks, "{budget}: details without their block");
            // Details go from the last block back: a block with details has every block
            // before it with details too.
            let blocks: Vec<&str> = out
                .split("\n#### ")
                .skip(1)
                .filter(|b| !OUR_HEADINGS.iter().any(|h| b.starts_with(&h[5..])))
                .collect();
            let first_without = blocks.iter().position(|b| !b.contains("<details>"));
            let last_with = blocks.iter().rposition(|b| b.contains("<details>"));
            if let (Some(w), Some(l)) = (first_without, last_with) {
                assert!(l < w, "{budget}: details kept after a block without");
            }
        }
        if blocks || notes {
            assert!(reach, "{budget}: the reach table went before other parts");
        }
        let reach_rows = out
            .lines()
            .filter(|l| l.starts_with("| ⚠ ") || l.starts_with("| federated"))
            .count();
        if blocks {
            assert_eq!(reach_rows, 4, "{budget}");
        }
    }
    assert_eq!(render_within(&report, full.len()), full);
}

#[test]
fn ignored_findings_go_after_the_blocks_and_before_the_notes() {
    let mut report = fixtures::report();
    for f in &mut report.findings[..2] {
        f.suppression = Some(crate::report::Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
    }
    let full = render_within(&report, usize::MAX);
    assert!(full.contains("\n9 findings, 2 of them ignored by the config file.\n"));
    assert!(full.contains("\n#### Ignored findings\n"));
    let mut cut_seen = false;
    for budget in (700..=full.len() + 100).step_by(7) {
        let out = render_within(&report, budget);
        assert!(out.len() <= budget, "{budget}: {} bytes", out.len());
        let ignored = out.contains("#### Ignored findings");
        let [_, blocks, _, notes] = present(&out);
        if blocks {
            assert!(ignored, "{budget}: a block outlived the ignored findings");
        }
        if ignored {
            assert!(notes, "{budget}: plan notes went before ignored findings");
        }
        if !ignored && notes {
            cut_seen = true;
            assert!(
                out.contains("2 ignored findings are not in their table"),
                "{budget}: {out}"
            );
        }
    }
    assert!(
        cut_seen,
        "some budget cuts the ignored findings and keeps the notes"
    );
}

#[test]
fn other_findings_go_after_the_blocks_and_before_the_reach_table() {
    let mut report = fixtures::huge(500);
    let full = fixtures::report();
    report.reach = full.reach.clone();
    let first = full.findings[0].clone();
    // Findings about roles that have no block (they did not change).
    report.findings = (0..3000)
        .map(|n| crate::report::Finding {
            identity: format!("aws_iam_role.r{n}"),
            ..first.clone()
        })
        .collect();
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    assert!(out.contains("500 identities are not shown"));
    assert!(out.contains("findings are not in the table of other findings"));
    assert!(
        out.contains("#### Other findings"),
        "the most severe rows stay"
    );
    assert!(!out.contains("who can reach it"), "no reach row was cut");
}

#[test]
fn rule_codes_link_to_their_pages_when_the_caller_says_where() {
    let mut report = fixtures::report();
    report.findings[0].suppression = Some(crate::report::Suppression {
        reason: "accepted".into(),
        expires: None,
        ignore: 1,
    });
    // A finding about a subject that did not change: a row of "Other findings".
    report.findings.push(crate::report::Finding {
        identity: "aws_iam_role.untouched".into(),
        ..report.findings[1].clone()
    });
    let pages = Pages::parse("https://example.com/rules/").unwrap();
    let linked = super::render(&report, Some(&pages));
    let plain = render(&report);
    assert!(linked.contains("#### Other findings") && linked.contains("#### Ignored findings"));
    for f in &report.findings {
        let link = format!(
            "[{0}](https://example.com/rules/{0}.md) {1}",
            f.code, f.name
        );
        assert!(linked.contains(&link), "no {link} in {linked}");
        let bare = format!("{} {}", f.code, f.name);
        assert!(!linked.contains(&bare), "{bare} unlinked in {linked}");
        assert!(plain.contains(&bare) && !plain.contains("](https://example.com"));
    }
    for budget in (1_000..linked.len()).step_by(97) {
        let out = super::render_within(&report, budget, Some(&pages));
        assert!(out.len() <= budget, "{budget}: {} bytes", out.len());
    }
}
