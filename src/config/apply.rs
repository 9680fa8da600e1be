//! What the config file does to a report once analysis is done: drops the findings of disabled
//! rules, overrides severities, marks findings that an `ignore` accepts, and reports expired
//! ignores (PD023) and ignores that match nothing. Renderers and the gate then read the result.

use super::{Config, Date, Ignore};
use crate::report::{Finding, Report, Suppression};
use crate::rules::ignore_expired;

/// Applies `config` to `report` as of `today` (UTC).
pub fn apply(report: &mut Report, config: &Config, today: Date) {
    let mut findings = std::mem::take(&mut report.findings);
    for ignore in config.ignores.iter().filter(|i| i.expired(today)) {
        findings.push(expired(ignore, &config.file));
    }
    findings.retain(|f| config.rule(f.code).is_none_or(|r| r.enabled));
    for f in &mut findings {
        if let Some(severity) = config.rule(f.code).and_then(|r| r.severity) {
            f.severity = severity;
        }
    }
    let active: Vec<&Ignore> = config
        .ignores
        .iter()
        .filter(|i| !i.expired(today))
        .collect();
    let mut matched = vec![false; active.len()];
    for f in &mut findings {
        // The first matching block explains the suppression; every matching block is in use.
        for (k, ignore) in active.iter().enumerate() {
            if !ignore.matches(f) {
                continue;
            }
            matched[k] = true;
            f.suppression.get_or_insert_with(|| Suppression {
                reason: ignore.reason.clone(),
                expires: ignore.expires.map(|d| d.to_string()),
                ignore: ignore.index,
            });
        }
    }
    for (ignore, _) in active.iter().zip(&matched).filter(|(_, &m)| !m) {
        report.notes.push(format!(
            "{}: ignore block {} ({}) matches no finding",
            config.file,
            ignore.index,
            ignore.selectors()
        ));
    }
    // The order analysis gives: by subject, then code, stable within them.
    findings.sort_by(|a, b| (&a.identity, a.code).cmp(&(&b.identity, b.code)));
    report.findings = findings;
}

/// The PD023 finding of an ignore past its date.
fn expired(ignore: &Ignore, file: &str) -> Finding {
    ignore_expired::Expired {
        file,
        index: ignore.index,
        selectors: ignore.selectors(),
        reason: &ignore.reason,
        expires: ignore.expires.map(|d| d.to_string()).unwrap_or_default(),
        identity: ignore
            .identity
            .as_ref()
            .or(ignore.address.as_ref())
            .map(|p| p.as_str()),
        address: ignore
            .address
            .as_ref()
            .or(ignore.identity.as_ref())
            .map(|p| p.as_str()),
    }
    .finding()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use crate::model::Severity;
    use crate::report::fixtures;

    fn today() -> Date {
        Date::parse("2026-06-15").unwrap()
    }

    fn applied(text: &str) -> Report {
        let mut report = fixtures::report();
        apply(&mut report, &parse(text, ".privdiff.hcl").unwrap(), today());
        report
    }

    fn codes(report: &Report) -> Vec<&str> {
        report.findings.iter().map(|f| f.code).collect()
    }

    fn suppressed(report: &Report) -> Vec<(&str, &str)> {
        report
            .findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .map(|f| (f.code, f.identity.as_str()))
            .collect()
    }

    #[test]
    fn an_empty_config_changes_nothing() {
        let mut before = fixtures::report();
        // The order analysis gives them, which the fixture does not keep.
        before
            .findings
            .sort_by(|a, b| (&a.identity, a.code).cmp(&(&b.identity, b.code)));
        let after = applied("");
        assert_eq!(
            serde_json::to_value(&after).unwrap(),
            serde_json::to_value(&before).unwrap()
        );
    }

    #[test]
    fn a_disabled_rule_loses_its_findings() {
        let before = fixtures::report();
        let report = applied("rule \"pd006\" {\n  enabled = false\n}\n");
        assert!(codes(&before).contains(&"PD006"));
        assert!(!codes(&report).contains(&"PD006"));
        assert_eq!(report.findings.len(), before.findings.len() - 1);
        let report = applied("rule \"PD006\" {\n  enabled = true\n}\n");
        assert_eq!(report.findings.len(), before.findings.len());
    }

    #[test]
    fn a_severity_override_applies_to_every_finding_of_the_rule() {
        let report = applied("rule \"PD001\" {\n  severity = \"critical\"\n}\n");
        let pd001: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == "PD001")
            .collect();
        assert!(!pd001.is_empty());
        assert!(pd001.iter().all(|f| f.severity == Severity::Critical));
        let pd002 = report.findings.iter().find(|f| f.code == "PD002").unwrap();
        assert_eq!(pd002.severity, Severity::Medium);
    }

    #[test]
    fn an_ignore_suppresses_what_matches_every_selector_it_sets() {
        let report = applied(
            "ignore {\n  rule = \"PD001\"\n  identity = \"aws_iam_role.app\"\n  reason = \"accepted\"\n  expires = \"2026-06-15\"\n}\n",
        );
        assert_eq!(suppressed(&report), [("PD001", "aws_iam_role.app")]);
        let f = report.findings.iter().find(|f| f.code == "PD001").unwrap();
        assert_eq!(
            f.suppression,
            Some(Suppression {
                reason: "accepted".into(),
                expires: Some("2026-06-15".into()),
                ignore: 1
            })
        );
        // The rule matches, the identity does not: nothing is suppressed, and a note says so.
        let report = applied(
            "ignore {\n  rule = \"PD001\"\n  identity = \"aws_iam_role.ci\"\n  reason = \"r\"\n}\n",
        );
        assert!(suppressed(&report).is_empty());
        assert_eq!(
            report.notes.last().unwrap(),
            ".privdiff.hcl: ignore block 1 (rule PD001, identity aws_iam_role.ci) matches no finding"
        );
    }

    #[test]
    fn address_and_identity_selectors_take_wildcards() {
        let report = applied(
            "ignore {\n  identity = \"aws_iam_role.*\"\n  reason = \"r\"\n}\nignore {\n  address = \"*_policy.logs\"\n  reason = \"r\"\n}\n",
        );
        let mut got = suppressed(&report);
        got.sort();
        let before = fixtures::report();
        let mut expected: Vec<(&str, &str)> = before
            .findings
            .iter()
            .filter(|f| {
                f.identity.starts_with("aws_iam_role.") || f.address.ends_with("_policy.logs")
            })
            .map(|f| (f.code, f.identity.as_str()))
            .collect();
        expected.sort();
        assert!(got.len() >= 3, "{got:?}");
        assert_eq!(got, expected);
        assert!(report
            .notes
            .iter()
            .all(|n| !n.contains("matches no finding")));
    }

    #[test]
    fn an_expired_ignore_suppresses_nothing_and_is_a_finding() {
        let text = "ignore {\n  rule = \"PD001\"\n  reason = \"until the Q2 migration\"\n  expires = \"2026-06-14\"\n}\n";
        let report = applied(text);
        assert!(suppressed(&report).is_empty());
        let pd023: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.code == "PD023")
            .collect();
        assert_eq!(pd023.len(), 1);
        assert_eq!(pd023[0].identity, ".privdiff.hcl");
        assert_eq!(pd023[0].severity, Severity::Medium);
        assert_eq!(
            pd023[0].message,
            ".privdiff.hcl: ignore block 1 (rule PD001; reason: until the Q2 migration) expired after 2026-06-14: it no longer suppresses anything"
        );
        // An expired block gets its finding (every format lists findings), and neither a note
        // repeating it nor a "matches no finding" note.
        assert!(report
            .notes
            .iter()
            .all(|n| !n.contains("matches no finding") && *n != pd023[0].message));
        // The findings stay sorted by subject: `.privdiff.hcl` sorts first.
        assert_eq!(report.findings[0].code, "PD023");
        // PD023 is a rule like any other: its severity can be changed, or it can be turned off.
        let quiet = applied(&format!("{text}rule \"PD023\" {{\n  enabled = false\n}}\n"));
        assert!(!codes(&quiet).contains(&"PD023"));
    }

    #[test]
    fn an_expired_ignore_names_what_it_selected() {
        let report = applied(
            "ignore {\n  identity = \"aws_iam_role.ci\"\n  address = \"aws_iam_role_policy.ci\"\n  reason = \"r\"\n  expires = \"2020-01-01\"\n}\n",
        );
        let f = report.findings.iter().find(|f| f.code == "PD023").unwrap();
        assert_eq!(
            (f.identity.as_str(), f.address.as_str()),
            ("aws_iam_role.ci", "aws_iam_role_policy.ci")
        );
    }

    #[test]
    fn the_first_matching_block_explains_and_every_matching_block_counts_as_used() {
        let report = applied(
            "ignore {\n  rule = \"PD002\"\n  reason = \"first\"\n}\nignore {\n  identity = \"aws_iam_role.app\"\n  reason = \"second\"\n}\n",
        );
        let pd002 = report.findings.iter().find(|f| f.code == "PD002").unwrap();
        assert_eq!(pd002.suppression.as_ref().unwrap().reason, "first");
        assert_eq!(pd002.suppression.as_ref().unwrap().ignore, 1);
        let pd001 = report.findings.iter().find(|f| f.code == "PD001").unwrap();
        assert_eq!(pd001.suppression.as_ref().unwrap().ignore, 2);
        assert!(report
            .notes
            .iter()
            .all(|n| !n.contains("matches no finding")));
    }

    #[test]
    fn a_disabled_rule_is_gone_before_ignores_look() {
        let report = applied(
            "rule \"PD006\" {\n  enabled = false\n}\nignore {\n  rule = \"PD006\"\n  reason = \"r\"\n}\n",
        );
        assert!(report
            .notes
            .last()
            .unwrap()
            .contains("ignore block 1 (rule PD006) matches no finding"));
    }
}
