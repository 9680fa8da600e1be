//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).
//!
//! One run; its rules are generated from [`rules::RULES`](crate::rules::RULES), one result per finding in report
//! order. Levels and GitHub's `security-severity` (which ranks alerts: 9.0 and above shows as critical, 7.0–8.9 high,
//! 4.0–6.9 medium, 0.1–3.9 low) come from the finding's severity:
//!
//! | severity | `level`   | `security-severity` |
//! | -------- | --------- | ------------------- |
//! | critical | `error`   | `9.5`               |
//! | high     | `error`   | `8.0`               |
//! | medium   | `warning` | `5.5`               |
//! | low      | `note`    | `3.0`               |
//! | info     | `note`    | `1.0`               |
//!
//! Each rule carries its documentation as `help` (`privdiff explain CODE` as `markdown`, its
//! summary and fix as `text`), which GitHub shows beside an alert, and `helpUri`, its page, when
//! the caller says where the pages are (`--rules-url`).
//!
//! Every result has one location: a `physicalLocation` and a `logicalLocation` naming the plan
//! address (`kind` `resource`). The physical location is where the address is declared when the
//! report knows it (relative to the repository root, `uriBaseId` `%SRCROOT%`). When it does not,
//! the physical location names the plan address itself, line 1, without a `uriBaseId`: GitHub
//! rejects the whole upload when a result has a location without a physical one ("expected a
//! physical location"), and shows no result without an artifact URI, so a logical location alone
//! is not enough. The alert then lists the address where a file would be.
//!
//! A finding an `ignore` block of the config file accepts keeps its result, with `suppressions`
//! `[{"kind": "external", "status": "accepted", "justification": REASON}]` (§3.27.23, §3.35):
//! GitHub code scanning closes such alerts as dismissed.
//!
//! `partialFingerprints` holds [`fingerprint::VERSION`] → [`fingerprint::all`], which is unique
//! within the report and stays the same when the message or the line changes. No timestamps: the same report gives the same bytes.

use super::escape::{plain, sarif_text, uri_path};
use super::fingerprint;
use crate::model::Severity;
use crate::report::{Finding, Report};
use crate::rules::{Pages, RULES};
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool<'a>,
    /// The plan's notes ("not analysed: …"), as notifications of the one invocation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    /// The gate's decision (`decision`, `fail_on`, `reason`), as the JSON report's `gate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    gate: &'a crate::report::Gate,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    /// The rule's documentation, shown with an alert: what `privdiff explain CODE` prints.
    help: Help,
    /// The rule's page, when the caller said where the pages are.
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

/// SARIF 2.1.0 §3.35: an `ignore` block of the config file, outside the analysed sources
/// (`external`), accepted the result.
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

/// The SARIF `level` of a finding severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` of a finding severity: a score out of 10, as a string.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `permissions-widened` → `PermissionsWidened`: SARIF's convention for a rule's friendly name.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

fn rules(pages: Option<&Pages>) -> Vec<Rule> {
    RULES
        .iter()
        .map(|r| Rule {
            id: r.code,
            name: pascal_case(r.name),
            short_description: Message {
                text: r.summary.to_string(),
            },
            full_description: Message {
                text: r.detects.to_string(),
            },
            help: Help {
                text: format!("{}\n\nHow to fix: {}", r.summary, r.fix),
                markdown: r.markdown(),
            },
            help_uri: pages.map(|p| p.page(r.code)),
            default_configuration: Configuration {
                level: level(r.severity),
            },
            properties: RuleProperties {
                tags: ["security"],
                security_severity: security_severity(r.severity),
            },
        })
        .collect()
}

fn location(finding: &Finding) -> Location {
    let physical = match &finding.location {
        Some(at) => PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_path(&at.file),
                uri_base_id: Some("%SRCROOT%"),
            },
            region: Region {
                start_line: at.line,
                end_line: Some(at.end_line),
            },
        },
        None => PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_path(&finding.address),
                uri_base_id: None,
            },
            region: Region {
                start_line: 1,
                end_line: None,
            },
        },
    };
    Location {
        physical_location: physical,
        logical_locations: [LogicalLocation {
            fully_qualified_name: plain(&finding.address),
            kind: "resource",
        }],
    }
}

fn result(finding: &Finding, print: String) -> SarifResult {
    SarifResult {
        rule_id: finding.code,
        rule_index: RULES.iter().position(|r| r.code == finding.code),
        level: level(finding.severity),
        message: Message {
            text: sarif_text(&finding.message),
        },
        locations: [location(finding)],
        partial_fingerprints: BTreeMap::from([(fingerprint::VERSION, print)]),
        suppressions: finding.suppression.as_ref().map(|s| {
            [Suppression {
                kind: "external",
                status: "accepted",
                justification: sarif_text(&s.reason),
            }]
        }),
    }
}

/// The plan's notes as notifications of a successful invocation; none without notes.
fn invocations(report: &Report) -> Vec<Invocation> {
    if report.notes.is_empty() {
        return Vec::new();
    }
    let notes = report.notes.iter().map(|n| Notification {
        level: "note",
        message: Message {
            text: sarif_text(n),
        },
    });
    vec![Invocation {
        execution_successful: true,
        tool_execution_notifications: notes.collect(),
    }]
}

/// The report's findings as a SARIF 2.1.0 log: pretty JSON with a trailing newline.
pub fn render(report: &Report, pages: Option<&Pages>) -> String {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name,
                    version: report.tool.version,
                    rules: rules(pages),
                },
            },
            invocations: invocations(report),
            results: report
                .findings
                .iter()
                .zip(fingerprint::all(&report.findings))
                .map(|(finding, print)| result(finding, print))
                .collect(),
            properties: report.gate.as_ref().map(|gate| RunProperties { gate }),
        }],
    };
    // Cannot fail: plain structs with string keys.
    let mut out = serde_json::to_string_pretty(&log).expect("the SARIF log serialises to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests;
