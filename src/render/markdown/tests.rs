use super::*;
use crate::render::fixtures;

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

/// The lines where Markdown is parsed: not in `<pre>` blocks and not the raw-HTML `<summary>`.
fn markdown_lines(out: &str) -> Vec<&str> {
    let mut in_pre = false;
    let mut lines = Vec::new();
    for line in out.lines() {
        if line.starts_with("<pre") {
            in_pre = true;
        }
        if !in_pre && !line.starts_with("<details><summary>") {
            lines.push(line);
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

#[test]
fn summary_line_counts_verdicts() {
    let out = render(&fixtures::report());
    assert_eq!(
        out.lines().next().unwrap(),
        "**privdiff:** 1 identity widened, 1 unverifiable, 1 narrowed, 1 unchanged"
    );
}

#[test]
fn says_so_when_nothing_changed() {
    let mut report = fixtures::report();
    report.identities.retain(|i| !phrase::is_changed(i));
    report.summary = crate::report::Summary {
        identities: 1,
        unchanged: 1,
        ..Default::default()
    };
    let out = render(&report);
    assert!(
        out.starts_with("**privdiff:** no identity's permissions changed (1 identity analysed)\n")
    );
    assert!(!out.contains("<details>"));
    assert!(!out.contains("| Identity"));
}

#[test]
fn one_row_and_one_section_per_changed_identity() {
    let out = render(&fixtures::report());
    assert_eq!(out.lines().filter(|l| l.starts_with("| aws")).count(), 3);
    assert_eq!(out.matches("<details>").count(), 3);
    assert_eq!(out.matches("</details>").count(), 3);
    assert!(!out.contains("alice"));
}

#[test]
fn sections_hold_grants_witness_unknowns_and_sensitive_values() {
    let out = render(&fixtures::report());
    assert!(out.contains("- Allow s3:GetBucketPolicy, s3:GetObject on arn:aws:s3:::b/x\n"));
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
    assert_eq!(
        out.matches("<pre lang=\"diff\"><code>--- before\n+++ after\n")
            .count(),
        1
    );
    assert!(out.contains("\n-  &quot;Action&quot;: &quot;s3:ListBucket&quot;,\n"));
}

#[test]
fn hostile_text_cannot_break_out() {
    let out = render(&fixtures::hostile());
    for tag in tags(&out) {
        assert!(OUR_TAGS.contains(&tag), "foreign tag {tag:?}");
    }
    assert_eq!(out.matches("<details>").count(), 3);
    assert_eq!(out.matches("</details>").count(), 3);
    assert_eq!(out.matches("</pre>").count(), 3);
    assert!(!out.contains("@acme"));
    assert!(!out.contains('\u{1b}') && !out.contains('\0') && !out.contains('\r'));
    let table: Vec<&str> = out.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 5);
    assert!(
        table.iter().all(|row| unescaped(row, '|') == 6),
        "{table:#?}"
    );
    // No code span, emphasis, link or math can start where Markdown is parsed.
    for line in markdown_lines(&out).into_iter().skip(1) {
        for special in ['`', '_', '[', ']', '~', '$', '#'] {
            assert_eq!(unescaped(line, special), 0, "{special} in {line}");
        }
        let bare_url = line
            .match_indices("://")
            .any(|(at, _)| !line[..at].ends_with('\\'));
        assert!(!bare_url, "a URL in {line}");
        let stars = unescaped(line, '*');
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
fn long_comments_are_cut_to_the_limit_with_a_note() {
    let report = fixtures::huge(2000);
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    let sections = out.matches("<details>").count();
    let rows = out.lines().filter(|l| l.starts_with("| module.")).count();
    assert_eq!(out.matches("</details>").count(), sections);
    assert!(out.contains(&format!(
        "the details of {} identities were cut",
        2000 - sections
    )));
    assert!(out.contains(&format!("{} identities are not in the table", 2000 - rows)));
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

#[test]
fn shows_the_fixture_as_expected() {
    assert_eq!(
        render(&fixtures::report()),
        include_str!("expected_fixture.md")
    );
}

#[test]
fn one_enormous_name_cannot_push_the_comment_over_the_limit() {
    let mut report = fixtures::report();
    report.identities[1].address = "a".repeat(100_000);
    report.notes.push("n".repeat(100_000));
    let out = render(&report);
    assert!(out.len() <= MAX_COMMENT_BYTES, "{} bytes", out.len());
    // The enormous identity is the most urgent, so its row is first and everything goes.
    assert!(out.contains("the details of 3 identities were cut"));
    assert!(out.contains("3 identities are not in the table"));
    assert!(out.contains("1 plan note was left out"));
    assert!(out.contains("- module.legacy was skipped"));
}
