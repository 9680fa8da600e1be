//! Typed AWS requests and the exact delta, through the binary: statements no request can meet
//! grant nothing, and an added grant says exactly which actions it adds (`access`), how its
//! conditions changed (`condition_change`) or why the request was refused before (`detail`).
//! The plans are `typed-delta.json` (see `testdata/generate/typed.py`) and the README's
//! `ci-role-widened.json`.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;

fn report(file: &str) -> Value {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The identity at `address`, which must have `verdict`.
fn subject(report: &Value, address: &str, verdict: &str) -> Value {
    let id = identity(report, address)
        .unwrap_or_else(|| panic!("{address} is not in the report"))
        .clone();
    assert_eq!(id["verdict"], verdict, "{address}: {id:#}");
    id
}

/// The one grant the identity gains.
fn only_added(id: &Value) -> &Value {
    let added = id["added"].as_array().expect("added is an array");
    assert_eq!(added.len(), 1, "{}: added {added:#?}", id["address"]);
    &added[0]
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("not a string: {s}")))
        .collect()
}

/// `access` of an exact typed comparison: `exact` set, `named` listing `actions` actions.
fn exact_access(grant: &Value, actions: u64) -> Vec<&str> {
    let access = &grant["access"];
    assert_eq!(access["exact"], true, "{grant:#}");
    assert_eq!(access["actions"], actions, "{grant:#}");
    let named = strings(&access["named"]);
    assert_eq!(named.len() as u64, actions, "{grant:#}");
    assert_eq!(
        named.iter().collect::<BTreeSet<_>>().len(),
        named.len(),
        "named twice: {named:?}"
    );
    named
}

#[test]
fn statements_no_request_can_meet_grant_nothing() {
    // s3:ListBucket on objects, iam:PassRole on users, s3:ListAllMyBuckets on a bucket ARN.
    let r = report("typed-delta.json");
    let id = subject(&r, "aws_iam_role.list_objects", "unchanged");
    assert_eq!(id["added"], serde_json::json!([]), "{id:#}");
    assert_eq!(id["removed"], serde_json::json!([]), "{id:#}");
    assert!(id["witness"].is_null(), "{id:#}");
    // Each part that grants nothing is named in a note, as a likely mistake.
    let notes = id["notes"].to_string();
    for action in ["s3:ListBucket", "iam:PassRole", "s3:ListAllMyBuckets"] {
        assert!(
            notes.contains(&format!("{action} takes")),
            "{action}: {notes}"
        );
    }
    assert!(notes.contains("allows nothing"), "{notes}");
}

#[test]
fn a_dropped_deny_adds_exactly_the_actions_it_denied() {
    let r = report("typed-delta.json");
    let id = subject(&r, "aws_iam_role.deny_dropped", "widened");
    let grant = only_added(&id);
    assert_eq!(grant["effect"], "Allow", "{grant:#}");
    assert_eq!(strings(&grant["actions"]), ["ec2:*"], "{grant:#}");
    let named = exact_access(grant, 2);
    // Both are Write actions, listed in rank order; the test takes no side on which comes first.
    assert_eq!(
        named.iter().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(["ec2:DeleteVolume", "ec2:TerminateInstances"]),
        "{grant:#}"
    );
    assert_eq!(
        grant["access"]["levels"],
        serde_json::json!([["Write", 2]]),
        "{grant:#}"
    );
    let detail = grant["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("previously denied by a Deny statement")
            && detail.contains("aws_iam_role_policy.deny_dropped"),
        "{grant:#}"
    );
    // Refused by a Deny, not by a condition: no condition change to report.
    assert!(grant.get("condition_change").is_none(), "{grant:#}");
    let action = id["witness"]["action"].as_str().unwrap_or_default();
    assert!(named.contains(&action), "witness {}", id["witness"]);
}

#[test]
fn a_dropped_condition_is_named() {
    let r = report("typed-delta.json");
    let id = subject(&r, "aws_iam_role.vpc_dropped", "widened");
    let grant = only_added(&id);
    assert_eq!(exact_access(grant, 1), ["s3:PutObject"], "{grant:#}");
    let changes = strings(&grant["condition_change"]);
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("without") && c.contains("aws:SourceVpc")),
        "{changes:?}"
    );
    assert!(grant.get("detail").is_none(), "{grant:#}");
    assert_eq!(id["witness"]["action"], "s3:PutObject", "{}", id["witness"]);
}

#[test]
fn a_value_a_condition_now_accepts_is_named() {
    let r = report("typed-delta.json");
    let id = subject(&r, "aws_iam_role.team_beta", "widened");
    let grant = only_added(&id);
    assert_eq!(exact_access(grant, 1), ["s3:GetObject"], "{grant:#}");
    let changes = strings(&grant["condition_change"]);
    assert!(
        changes.contains(&"now also when `aws:PrincipalTag/team` is `beta`"),
        "{changes:?}"
    );
    assert_eq!(
        id["witness"]["context"]["aws:PrincipalTag/team"], "beta",
        "{}",
        id["witness"]
    );
}

/// `s3:GetObject` → `s3:Get*` on a bucket's objects: the 15 object-level `s3:GetObject…`
/// actions besides `s3:GetObject` itself (the bucket-level `s3:Get…` actions never meet an
/// object ARN), witnessed by one of them on one of the bucket's objects.
fn check_get_star(file: &str, address: &str) {
    let r = report(file);
    let id = subject(&r, address, "widened");
    let grant = only_added(&id);
    assert_eq!(strings(&grant["actions"]), ["s3:Get*"], "{grant:#}");
    let named = exact_access(grant, 15);
    for a in &named {
        assert!(
            a.starts_with("s3:GetObject") && *a != "s3:GetObject",
            "{file} {address}: {a} in {named:?}"
        );
    }
    let witness = &id["witness"];
    let action = witness["action"].as_str().unwrap_or_default();
    assert!(
        action.starts_with("s3:GetObject") && action != "s3:GetObject",
        "{file} {address}: witness {witness}"
    );
    assert!(
        named.contains(&action),
        "{file} {address}: witness {witness}"
    );
    let resource = witness["resource"].as_str().unwrap_or_default();
    assert!(
        resource.starts_with("arn:aws:s3:::acme-artifacts/"),
        "{file} {address}: witness {witness}"
    );
    assert_eq!(grant["example"], *witness, "{file} {address}");
}

#[test]
fn get_star_on_objects_adds_the_15_object_gets() {
    check_get_star("typed-delta.json", "aws_iam_role.get_star");
}

#[test]
fn the_readme_example_adds_the_15_object_gets() {
    check_get_star("ci-role-widened.json", "aws_iam_role.ci");
}

#[test]
fn examples_name_what_the_plan_names() {
    // The plan creates the bucket acme-reports-2026 and keeps the function orders-api, in
    // eu-west-1 and account 111122223333; it has no queue.
    let r = report("typed-examples.json");
    let witness = |address: &str| {
        let id = subject(&r, address, "widened");
        let w = &id["witness"];
        (
            w["action"].as_str().unwrap().to_string(),
            w["resource"].as_str().unwrap().to_string(),
        )
    };
    // An object of the plan's own bucket, outside the prefix allowed before; its key marked.
    assert_eq!(
        witness("aws_iam_role.exporter"),
        (
            "s3:GetObject".into(),
            "arn:aws:s3:::acme-reports-2026/<object-name>".into()
        )
    );
    // The plan's function, in the plan's region and account, where the policy leaves both open.
    assert_eq!(
        witness("aws_iam_role.deployer"),
        (
            "lambda:UpdateFunctionCode".into(),
            "arn:aws:lambda:eu-west-1:111122223333:function:orders-api".into()
        )
    );
    // No queue in the plan: its region and account, and a marked name, never a made-up one.
    assert_eq!(
        witness("aws_iam_role.notifier"),
        (
            "sqs:SendMessage".into(),
            "arn:aws:sqs:eu-west-1:111122223333:<queue-name>".into()
        )
    );
    let text = r.to_string();
    for invented in ["123456789012", "us-east-1", "/example"] {
        assert!(!text.contains(invented), "{invented} in {text}");
    }
}

#[test]
fn an_arn_a_condition_now_accepts_reads_as_an_arn() {
    // The invoker's `aws:SourceArn` condition now accepts Lambda functions of any region but the
    // plan's: the value shown is a function ARN with its open parts marked, not `example`.
    let r = report("typed-conditions.json");
    let id = subject(&r, "aws_iam_role.invoker", "widened");
    assert_eq!(
        id["witness"]["context"]["aws:SourceArn"],
        "arn:aws:lambda:<region>:111122223333:function:<function-name>",
        "{}",
        id["witness"]
    );
}
