//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request and the run.
//!
//! One line per finding, in report order, leaving out findings an `ignore` block of the config
//! file accepts (annotations have no way to mark one suppressed):
//!
//! ```text
//! ::warning file=iam/policies.tf,line=14,endLine=30,title=PD001 permissions-widened%3A aws_iam_role.app::aws_iam_role.app gained ...
//! ```
//!
//! The command is `error` for a high finding, `warning` for medium and `notice` for low and info.
//! `file`, `line` and `endLine` are there when the report knows where the finding's resource is
//! declared; without them GitHub attaches the annotation to the run instead of a line. When
//! Terraform reported that planning failed, a `warning` without a file says so.
//!
//! The output ends with one line that is not a command, `privdiff: N finding(s) ...`, so a run
//! without findings still prints something (every format's output ends with a newline) and the
//! log says what was checked.
//!
//! Every value is escaped as the `@actions/core` toolkit does and reduced to one line, so report
//! text can neither end a property nor start a command of its own.

use super::escape::{workflow_data, workflow_property};
use super::phrase;
use crate::model::Severity;
use crate::report::{Finding, Report};

/// The workflow command of a finding severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

fn annotation(finding: &Finding) -> String {
    let mut properties = Vec::new();
    if let Some(at) = &finding.location {
        properties.push(format!("file={}", workflow_property(&at.file)));
        properties.push(format!("line={}", at.line));
        properties.push(format!("endLine={}", at.end_line));
    }
    let title = format!("{} {}: {}", finding.code, finding.name, finding.identity);
    properties.push(format!("title={}", workflow_property(&title)));
    format!(
        "::{} {}::{}\n",
        command(finding.severity),
        properties.join(","),
        workflow_data(&finding.message)
    )
}

/// One annotation line per finding, then a summary line.
pub fn render(report: &Report) -> String {
    let mut out: String = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none())
        .map(annotation)
        .collect();
    if report.plan.errored {
        out.push_str(
            "::warning title=privdiff::Terraform reported that planning failed; changes may be partial\n",
        );
    }
    // The plan's notes ("not analysed: …"); planning having failed is the warning above.
    let notes = report
        .notes
        .iter()
        .filter(|n| !n.starts_with("Terraform reported that planning failed"));
    for note in notes {
        out.push_str(&format!(
            "::notice title=privdiff::{}\n",
            workflow_data(note)
        ));
    }
    let ignored = phrase::ignored(report).len();
    let mut findings = match report.findings.len() - ignored {
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    };
    if ignored > 0 {
        findings.push_str(&format!(", {ignored} ignored"));
    }
    let mut analysed = phrase::identities(report.summary.identities);
    if report.summary.resources.total > 0 {
        analysed.push_str(&format!(
            ", {}",
            phrase::resources(report.summary.resources.total)
        ));
    }
    out.push_str(&format!("privdiff: {findings} ({analysed} analysed)\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn a_located_finding_annotates_its_block() {
        let out = render(&fixtures::report());
        let first = out.lines().next().unwrap();
        assert_eq!(
            first,
            "::warning file=iam/policies.tf,line=14,endLine=30,title=PD001 permissions-widened%3A \
             aws_iam_role.app::aws_iam_role.app gained 2 actions (2 Read in s3): s3:GetObject, \
             s3:GetObjectAcl on arn:aws:s3:::b/x (Allow s3:GetObject*) (e.g. s3:GetObject on \
             arn:aws:s3:::b/x)"
        );
    }

    #[test]
    fn an_unlocated_finding_annotates_the_run() {
        let out = render(&fixtures::report());
        let third = out.lines().nth(2).unwrap();
        assert!(
            third.starts_with("::notice title=PD003 scope-unverifiable%3A aws_iam_role.ci::"),
            "{third}"
        );
    }

    #[test]
    fn ignored_findings_are_left_out_and_counted() {
        let mut report = fixtures::report();
        report.findings[0].suppression = Some(crate::report::Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        let out = render(&report);
        assert!(!out.contains("title=PD001 "), "{out}");
        // The findings but one, the plan's note, the summary.
        assert_eq!(out.lines().count(), report.findings.len() - 1 + 1 + 1);
        assert_eq!(
            out.lines().last().unwrap(),
            "privdiff: 8 findings, 1 ignored (4 identities, 1 resource analysed)"
        );
    }

    #[test]
    fn commands_follow_severity() {
        assert_eq!(command(Severity::Critical), "error");
        assert_eq!(command(Severity::High), "error");
        assert_eq!(command(Severity::Medium), "warning");
        assert_eq!(command(Severity::Low), "notice");
        assert_eq!(command(Severity::Info), "notice");
    }

    #[test]
    fn one_line_per_finding_then_the_summary() {
        let out = render(&fixtures::report());
        let lines: Vec<&str> = out.lines().collect();
        // Nine findings, the plan's note, the summary.
        assert_eq!(lines.len(), 11, "{out}");
        assert_eq!(
            lines[9],
            "::notice title=privdiff::module.legacy was skipped: its provider is not supported"
        );
        assert_eq!(
            lines[10],
            "privdiff: 9 findings (4 identities, 1 resource analysed)"
        );
    }

    #[test]
    fn reach_findings_are_errors_on_the_policy_that_opens_the_subject() {
        let out = render(&fixtures::report());
        let line = |code: &str| {
            out.lines()
                .find(|l| l.contains(&format!("title={code} ")))
                .unwrap_or_else(|| panic!("no {code} in {out}"))
        };
        // Public access has no location in the fixture: it annotates the run.
        assert!(line("PD006").starts_with(
            "::error title=PD006 public-access%3A aws_s3_bucket.logs::aws_s3_bucket.logs is open to anyone: "
        ));
        assert!(line("PD007").starts_with(
            "::error file=iam/roles.tf,line=3,endLine=9,title=PD007 foreign-account-access%3A aws_iam_role.app::"
        ));
        assert!(line("PD008").starts_with("::error "));
        assert!(line("PD009").starts_with("::warning "));
        assert!(line("PD010").starts_with(
            "::error title=PD010 public-access-block-disabled%3A aws_s3_bucket.logs::"
        ));
    }

    #[test]
    fn no_findings_is_one_summary_line_after_the_plans_notes() {
        assert_eq!(
            render(&fixtures::no_findings()),
            "::notice title=privdiff::module.legacy was skipped: its provider is not supported\n\
             privdiff: 0 findings (2 identities analysed)\n"
        );
    }

    #[test]
    fn a_failed_plan_is_a_warning_on_the_run() {
        let mut report = fixtures::report();
        report.plan.errored = true;
        let out = render(&report);
        assert!(out.contains("\n::warning title=privdiff::Terraform reported that planning failed"));
    }

    #[test]
    fn hostile_text_cannot_start_a_command_or_end_a_property() {
        let report = fixtures::hostile();
        let out = render(&report);
        let lines: Vec<&str> = out.lines().collect();
        // The fixture ignores one finding, which is not annotated.
        let shown: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .collect();
        assert_eq!(shown.len(), report.findings.len() - 1);
        // Exactly one line per finding, one per plan note and the summary: nothing in a name
        // broke a line.
        assert_eq!(lines.len(), shown.len() + report.notes.len() + 1, "{out}");
        let (annotations, rest) = lines.split_at(shown.len());
        let (notes, summary) = rest.split_at(report.notes.len());
        for line in notes {
            let text = line.strip_prefix("::notice title=privdiff::").unwrap();
            assert!(!text.contains("::") && !text.contains('\n'), "{line}");
        }
        for (line, finding) in annotations.iter().zip(shown) {
            let expected = format!("::{} ", command(finding.severity));
            assert!(line.starts_with(&expected), "{line}");
            // The properties end at the first `::`; the report text in them has no `:` or `,`
            // left, so the properties are exactly the ones written.
            let (properties, message) = line[expected.len()..].split_once("::").unwrap();
            let keys: Vec<&str> = properties
                .split(',')
                .map(|p| p.split_once('=').unwrap().0)
                .collect();
            let want: &[&str] = if finding.location.is_some() {
                &["file", "line", "endLine", "title"]
            } else {
                &["title"]
            };
            assert_eq!(keys, want, "{line}");
            assert!(message.ends_with("https://e.x)"), "{message}");
        }
        assert!(!summary[0].starts_with("::"));
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'));
    }
}
