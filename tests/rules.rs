//! `privdiff rules` and `privdiff explain`, and for every rule a fixture plan that fires it and
//! one that does not.

mod common;

use common::*;

/// (code, a plan that fires it, a plan that does not). The plans that do not fire are near
/// misses where one exists: the same kind of change, made safely.
const CASES: &[(&str, &str, &str)] = &[
    ("PD001", "ci-role-widened.json", "equivalent-rewrite.json"),
    ("PD002", "trust-widened.json", "narrowed.json"),
    ("PD003", "unknown-policy.json", "ci-role-widened.json"),
    ("PD004", "created-deleted.json", "narrowed.json"),
    (
        "PD005",
        "resource-policies-storage.json",
        "public-access-block.json",
    ),
    ("PD006", "resource-policies-storage.json", "trust-oidc.json"),
    ("PD007", "trust-cross-account.json", "trust-oidc.json"),
    ("PD008", "trust-oidc.json", "trust-cross-account.json"),
    ("PD009", "trust-cross-account.json", "trust-oidc.json"),
    (
        "PD010",
        "public-access-block.json",
        "resource-policies-storage.json",
    ),
    ("PD011", "managed-attachments.json", "ci-role-widened.json"),
    ("PD012", "conditions.json", "ci-role-widened.json"),
    ("PD013", "notaction.json", "ci-role-widened.json"),
];

/// Rules about the config file rather than the plan: `tests/config.rs` fires each and not.
const CONFIG_RULES: &[&str] = &["PD023"];

fn codes(file: &str) -> Vec<String> {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap_or_else(|e| panic!("{e}"));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_rule_has_a_plan_that_fires_it_and_one_that_does_not() {
    let listed = run(&["rules"], None);
    assert_eq!(listed.code(), Some(0), "{}", listed.describe());
    let listed: Vec<String> = listed
        .stdout()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|code| !CONFIG_RULES.contains(&code.as_str()))
        .collect();
    let covered: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    assert_eq!(listed, covered, "every rule needs a case here");
    for (code, fires, quiet) in CASES {
        assert!(
            codes(fires).iter().any(|c| c == code),
            "{code} does not fire on {fires}"
        );
        assert!(
            !codes(quiet).iter().any(|c| c == code),
            "{code} fires on {quiet}"
        );
    }
}

#[test]
fn explain_prints_a_rule_and_refuses_an_unknown_code() {
    let r = run(&["explain", "pd006"], None);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let out = r.stdout();
    assert!(out.starts_with("# PD006 public-access\n"), "{out}");
    for section in [
        "## What it detects",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ] {
        assert!(out.contains(section), "{section} missing:\n{out}");
    }
    let r = run(&["explain", "PD999\u{1b}[31m"], None);
    assert_eq!(r.code(), Some(2), "{}", r.describe());
    let err = r.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no rule") && !err.contains('\u{1b}'), "{err}");
}
