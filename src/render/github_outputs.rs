//! `--github-output`: the step outputs a GitHub Actions workflow reads from the file named by
//! `GITHUB_OUTPUT`, one `name=value` line each:
//!
//! ```text
//! widened=2
//! unverifiable=1
//! findings=9
//! gate=fail
//! ```
//!
//! `widened` counts the identities and resources widened or created, `unverifiable` those whose
//! scope could not be verified, `findings` the findings no `ignore` block accepts, and `gate` is
//! `pass` or `fail`. Every value is a count or a fixed word: no report text reaches the file,
//! where a newline in it could set an output of its own.

use crate::model::Verdict;

use crate::report::{IdentityReport, Report};

pub fn render(report: &Report, gate_failed: bool) -> String {
    let count = |p: fn(&IdentityReport) -> bool| report.subjects().filter(|i| p(i)).count();
    format!(
        "widened={}\nunverifiable={}\nfindings={}\ngate={}\n",
        count(|i| i.verdict.grants_new_access()),
        count(|i| i.verdict == Verdict::Unverifiable),
        report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .count(),
        if gate_failed { "fail" } else { "pass" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;
    use crate::report::Suppression;

    #[test]
    fn github_outputs_count_identities_resources_and_findings_not_ignored() {
        // One widened role, one unverifiable role, one widened bucket.
        let mut report = fixtures::report();
        assert_eq!(
            render(&report, true),
            "widened=2\nunverifiable=1\nfindings=9\ngate=fail\n"
        );
        report.findings[0].suppression = Some(Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        assert!(render(&report, false).contains("\nfindings=8\ngate=pass\n"));
        report.resources.clear();
        assert!(render(&report, true).starts_with("widened=1\nunverifiable=1\n"));
    }
}
