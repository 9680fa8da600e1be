//! The gate: whether a report fails the run (exit code 1), by `--fail-on` or the config file's
//! `fail_on`.

use crate::model::{Severity, Verdict};

use crate::report::Report;

/// What fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Nothing.
    Never,
    /// A finding that is not ignored, of this severity or above.
    Severity(Severity),
    /// An identity or resource widened or created, whatever its findings say.
    Widened,
    /// As `Widened`, and also one whose scope could not be verified.
    Unverifiable,
}

impl FailOn {
    /// `high`: a finding a reviewer must not wave through (a foreign account, an unpinned
    /// federated subject, administrator or public access) fails; a plain widening does not.
    pub const DEFAULT: FailOn = FailOn::Severity(Severity::High);

    /// Every value, as `--fail-on` and `fail_on` take them.
    pub const NAMES: [&'static str; 8] = [
        "never",
        "info",
        "low",
        "medium",
        "high",
        "critical",
        "widened",
        "unverifiable",
    ];

    pub fn parse(name: &str) -> Option<FailOn> {
        match name {
            "never" => Some(FailOn::Never),
            "widened" => Some(FailOn::Widened),
            "unverifiable" => Some(FailOn::Unverifiable),
            other => Severity::parse(other).map(FailOn::Severity),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Never => "never",
            FailOn::Severity(s) => s.as_str(),
            FailOn::Widened => "widened",
            FailOn::Unverifiable => "unverifiable",
        }
    }
}

/// Whether `report` fails the gate.
pub fn failed(report: &Report, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Never => false,
        FailOn::Severity(threshold) => report
            .findings
            .iter()
            .any(|f| f.suppression.is_none() && f.severity >= threshold),
        FailOn::Widened => report.subjects().any(|i| i.verdict.grants_new_access()),
        FailOn::Unverifiable => report
            .subjects()
            .any(|i| i.verdict.grants_new_access() || i.verdict == Verdict::Unverifiable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;
    use crate::report::Suppression;

    #[test]
    fn every_name_parses_back() {
        for name in FailOn::NAMES {
            assert_eq!(FailOn::parse(name).map(FailOn::as_str), Some(name));
        }
        assert_eq!(FailOn::parse("High"), None);
        assert_eq!(FailOn::parse("sometimes"), None);
        assert_eq!(FailOn::DEFAULT.as_str(), "high");
    }

    #[test]
    fn a_severity_fails_at_or_above_it() {
        let mut report = fixtures::no_findings();
        let mut finding = fixtures::report().findings[0].clone();
        finding.severity = Severity::Medium;
        report.findings = vec![finding];
        for (threshold, fails) in [
            ("info", true),
            ("low", true),
            ("medium", true),
            ("high", false),
            ("critical", false),
            ("never", false),
        ] {
            let fail_on = FailOn::parse(threshold).unwrap();
            assert_eq!(failed(&report, fail_on), fails, "{threshold}");
        }
        report.findings[0].severity = Severity::Critical;
        assert!(failed(&report, FailOn::parse("critical").unwrap()));
    }

    #[test]
    fn an_ignored_finding_does_not_fail_a_severity_gate() {
        let mut report = fixtures::no_findings();
        let mut finding = fixtures::report().findings[0].clone();
        finding.severity = Severity::Critical;
        finding.suppression = Some(Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        report.findings = vec![finding.clone()];
        assert!(!failed(&report, FailOn::Severity(Severity::Info)));
        finding.suppression = None;
        report.findings.push(finding);
        assert!(failed(&report, FailOn::Severity(Severity::Critical)));
    }

    #[test]
    fn widened_and_unverifiable_read_verdicts() {
        // One widened role, one unverifiable role, one widened bucket.
        let report = fixtures::report();
        assert!(failed(&report, FailOn::Widened));
        let mut report = fixtures::no_findings();
        assert!(!failed(&report, FailOn::Widened));
        assert!(!failed(&report, FailOn::Unverifiable));
        report.resources = fixtures::report().resources;
        assert!(failed(&report, FailOn::Widened));
        let mut unverifiable = fixtures::no_findings();
        unverifiable.identities[0].verdict = Verdict::Unverifiable;
        assert!(!failed(&unverifiable, FailOn::Widened));
        assert!(failed(&unverifiable, FailOn::Unverifiable));
    }
}
