//! The gate: whether a report fails the run (exit code 1), by `--fail-on` or the config file's
//! `fail_on`.

use crate::model::{Severity, Verdict};

use crate::report::{Decision, Finding, Gate, Report};

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

/// The gate's decision on `report`, with the reason a reviewer reads first.
pub fn decide(report: &Report, fail_on: FailOn) -> Gate {
    let decision = match failed(report, fail_on) {
        true => Decision::Fail,
        false => Decision::Pass,
    };
    let why = match fail_on {
        FailOn::Never => "the gate is off".to_string(),
        FailOn::Severity(threshold) => {
            let counted = |f: &&Finding| f.suppression.is_none();
            let (at, below): (Vec<&Finding>, Vec<&Finding>) = report
                .findings
                .iter()
                .filter(counted)
                .partition(|f| f.severity >= threshold);
            let ignored = report.findings.len() - at.len() - below.len();
            let mut why = match (at.is_empty(), below.is_empty()) {
                (false, _) => findings(&at),
                (true, false) => format!("{}, below the gate", findings(&below)),
                (true, true) => "no findings".to_string(),
            };
            if ignored > 0 {
                why.push_str(&format!("; {ignored} ignored by the config file"));
            }
            why
        }
        FailOn::Widened | FailOn::Unverifiable => {
            let count = |list: &[crate::report::IdentityReport], what: fn(Verdict) -> bool| {
                list.iter().filter(|i| what(i.verdict)).count()
            };
            let widened = |v: Verdict| v.grants_new_access();
            let unverifiable = |v: Verdict| v == Verdict::Unverifiable;
            let mut parts = Vec::new();
            for (n, one, many) in [
                (count(&report.identities, widened), "identity", "identities"),
                (count(&report.resources, widened), "resource", "resources"),
            ] {
                if n > 0 {
                    let noun = if n == 1 { one } else { many };
                    parts.push(format!("{n} {noun} widened or created"));
                }
            }
            let unsure =
                count(&report.identities, unverifiable) + count(&report.resources, unverifiable);
            if unsure > 0 && fail_on == FailOn::Unverifiable {
                parts.push(format!("{unsure} unverifiable"));
            }
            match parts.is_empty() {
                true => "nothing widened or created".to_string(),
                false => parts.join(", "),
            }
        }
    };
    Gate {
        decision,
        fail_on: fail_on.as_str(),
        reason: format!("{why} (fail-on: {})", fail_on.as_str()),
    }
}

/// `1 critical and 2 high findings`, the most severe first.
fn findings(list: &[&Finding]) -> String {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| {
            let n = list.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {}", s.as_str()))
        })
        .collect();
    let noun = if list.len() == 1 {
        "finding"
    } else {
        "findings"
    };
    match counts.as_slice() {
        [one] => format!("{one} {noun}"),
        [init @ .., last] => format!("{} and {last} {noun}", init.join(", ")),
        [] => format!("no {noun}"),
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

    #[test]
    fn the_decision_says_why_in_the_reviewers_words() {
        let mut report = fixtures::no_findings();
        let finding = |severity| {
            let mut f = fixtures::report().findings[0].clone();
            f.severity = severity;
            f
        };
        let decide_on = |report: &Report, name: &str| decide(report, FailOn::parse(name).unwrap());
        let g = decide_on(&report, "high");
        assert_eq!(g.decision, Decision::Pass);
        assert_eq!(g.headline(), "Passes: no findings (fail-on: high)");
        report.findings = vec![
            finding(Severity::Critical),
            finding(Severity::High),
            finding(Severity::High),
            finding(Severity::Medium),
        ];
        let g = decide_on(&report, "high");
        assert_eq!(g.decision, Decision::Fail);
        assert_eq!(
            g.headline(),
            "Blocks this change: 1 critical and 2 high findings (fail-on: high)"
        );
        report.findings[0].suppression = Some(Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        report.findings.truncate(1);
        report.findings.push(finding(Severity::Medium));
        let g = decide_on(&report, "high");
        assert_eq!(
            g.headline(),
            "Passes: 1 medium finding, below the gate; 1 ignored by the config file (fail-on: high)"
        );
        assert_eq!(
            decide_on(&report, "never").headline(),
            "Passes: the gate is off (fail-on: never)"
        );
        assert_eq!(
            decide(&fixtures::report(), FailOn::Widened).headline(),
            "Blocks this change: 1 identity widened or created, 1 resource widened or created \
             (fail-on: widened)"
        );
        // The decision is the exit code's.
        for name in FailOn::NAMES {
            let fail_on = FailOn::parse(name).unwrap();
            let full = fixtures::report();
            assert_eq!(
                decide(&full, fail_on).decision == Decision::Fail,
                failed(&full, fail_on),
                "{name}"
            );
        }
    }
}
