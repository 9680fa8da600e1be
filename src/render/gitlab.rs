//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the subset
//! of the Code Climate issue format that GitLab reads: a JSON array with one issue per finding,
//! in report order, leaving out findings an `ignore` block of the config file accepts.
//!
//! | field | value |
//! | --- | --- |
//! | `type` | `issue` |
//! | `check_name` | the finding code, e.g. `PD001` |
//! | `description` | the finding message, on one line without control characters |
//! | `categories` | `["Security"]` |
//! | `severity` | critical → `blocker`, high → `critical`, medium → `major`, low → `minor`, info → `info` |
//! | `fingerprint` | [`fingerprint::all`]: unique per finding, unchanged by a new message or line |
//! | `location.path` | the file the finding's resource is declared in, else its plan address |
//! | `location.lines` | `begin` and `end` of the block, else `begin` 1 |
//!
//! GitLab requires `location.path` and `location.lines.begin` even for a finding that has no
//! place in the sources. Naming the plan address there (as the SARIF output does) keeps the
//! finding in the merge request widget under the name reviewers know; its link leads nowhere,
//! which is better than a link to an unrelated file.

use super::escape::plain;
use super::fingerprint;
use crate::model::Severity;
use crate::report::{Finding, Report};
use serde::Serialize;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
}

/// The Code Quality severity of a finding severity.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

fn issue(finding: &Finding, print: String) -> Issue {
    let location = match &finding.location {
        Some(at) => Location {
            path: plain(&at.file),
            lines: Lines {
                begin: at.line,
                end: Some(at.end_line),
            },
        },
        None => Location {
            path: plain(&finding.address),
            lines: Lines {
                begin: 1,
                end: None,
            },
        },
    };
    Issue {
        kind: "issue",
        check_name: finding.code,
        description: plain(&finding.message),
        categories: ["Security"],
        severity: severity(finding.severity),
        fingerprint: print,
        location,
    }
}

/// The report's findings as a Code Quality report: pretty JSON with a trailing newline (`[]`
/// when there are none). Findings an `ignore` block accepts are left out: Code Quality has no
/// way to mark an issue suppressed.
pub fn render(report: &Report) -> String {
    // Fingerprints come from every finding, so that ignoring one leaves the others' unchanged.
    let issues: Vec<Issue> = report
        .findings
        .iter()
        .zip(fingerprint::all(&report.findings))
        .filter(|(finding, _)| finding.suppression.is_none())
        .map(|(finding, print)| issue(finding, print))
        .collect();
    // Cannot fail: plain structs with string keys.
    let mut out = serde_json::to_string_pretty(&issues).expect("the issues serialise to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;
    use serde_json::Value;

    fn issues(report: &Report) -> Vec<Value> {
        let out = render(report);
        serde_json::from_str::<Vec<Value>>(&out).expect("a JSON array")
    }

    #[test]
    fn ignored_findings_are_left_out_and_the_rest_keep_their_fingerprints() {
        let mut report = fixtures::report();
        let all = issues(&report);
        report.findings[0].suppression = Some(crate::report::Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        let kept = issues(&report);
        assert_eq!(kept.len(), all.len() - 1);
        assert_eq!(kept[..], all[1..]);
    }

    #[test]
    fn every_issue_has_the_fields_gitlab_requires() {
        for report in [fixtures::report(), fixtures::hostile()] {
            let issues = issues(&report);
            let shown = report.findings.iter().filter(|f| f.suppression.is_none());
            assert_eq!(issues.len(), shown.count());
            for issue in &issues {
                for field in ["description", "check_name", "fingerprint", "severity"] {
                    assert!(
                        issue[field].as_str().is_some_and(|s| !s.is_empty()),
                        "{issue}"
                    );
                }
                assert!(issue["location"]["path"].is_string(), "{issue}");
                assert!(
                    issue["location"]["lines"]["begin"].as_u64() >= Some(1),
                    "{issue}"
                );
            }
        }
    }

    #[test]
    fn a_located_finding_points_at_its_block() {
        let issue = &issues(&fixtures::report())[0];
        assert_eq!(issue["check_name"], "PD001");
        assert_eq!(issue["severity"], "major");
        assert_eq!(issue["type"], "issue");
        assert_eq!(issue["categories"][0], "Security");
        assert_eq!(issue["location"]["path"], "iam/policies.tf");
        assert_eq!(issue["location"]["lines"]["begin"], 14);
        assert_eq!(issue["location"]["lines"]["end"], 30);
        assert_eq!(
            issue["fingerprint"],
            fingerprint::of(&fixtures::report().findings[0])
        );
    }

    #[test]
    fn an_unlocated_finding_names_its_address_as_the_path() {
        let issue = &issues(&fixtures::report())[2];
        assert_eq!(issue["location"]["path"], "aws_iam_role_policy.ci");
        assert_eq!(issue["location"]["lines"]["begin"], 1);
        assert!(issue["location"]["lines"].get("end").is_none());
        assert_eq!(issue["severity"], "minor");
    }

    #[test]
    fn severities_map_as_documented() {
        let doc = include_str!("gitlab.rs");
        for s in Severity::ALL {
            let pair = format!("{s} → `{}`", severity(s));
            assert!(doc.contains(&pair), "the module doc lacks {pair}");
        }
    }

    #[test]
    fn fingerprints_are_unique_and_survive_a_new_message_and_line() {
        let mut report = fixtures::report();
        let before: Vec<Value> = issues(&report)
            .iter()
            .map(|i| i["fingerprint"].clone())
            .collect();
        for (i, f) in before.iter().enumerate() {
            assert!(!before[..i].contains(f), "{before:?}");
        }
        for f in &mut report.findings {
            f.message = "changed".to_string();
            if let Some(at) = &mut f.location {
                at.line += 3;
            }
        }
        let after: Vec<Value> = issues(&report)
            .iter()
            .map(|i| i["fingerprint"].clone())
            .collect();
        assert_eq!(after, before);
    }

    #[test]
    fn reach_findings_are_severe_at_the_policy_that_opens_the_subject() {
        let report = fixtures::report();
        let issues = issues(&report);
        let issue = |code: &str| issues.iter().find(|i| i["check_name"] == code).unwrap();
        assert_eq!(issue("PD006")["severity"], "blocker");
        for code in ["PD007", "PD008", "PD010"] {
            assert_eq!(issue(code)["severity"], "critical", "{code}");
        }
        assert_eq!(issue("PD009")["severity"], "major");
        assert_eq!(
            issue("PD010")["location"]["path"],
            "aws_s3_bucket_public_access_block.logs"
        );
        assert_eq!(issue("PD007")["location"]["path"], "iam/roles.tf");
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        assert_eq!(render(&fixtures::no_findings()), "[]\n");
    }

    #[test]
    fn hostile_text_is_one_line_of_plain_text() {
        let report = fixtures::hostile();
        let issue = &issues(&report)[0];
        let description = issue["description"].as_str().unwrap();
        assert!(
            !description.chars().any(char::is_control),
            "{description:?}"
        );
        assert!(
            description.contains("</details><img src=x"),
            "{description}"
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(path.starts_with("iam/policies.tf</details>"), "{path}");
        assert!(!path.chars().any(char::is_control), "{path:?}");
    }
}
