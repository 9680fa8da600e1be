use super::probe::Probe;
use super::{Checks, On};
use crate::analyze::Sod;
use crate::catalog::aws::catalog;
use crate::compare::Limits;
use crate::model::Scope;
use crate::model::Severity;
use crate::providers::aws::routes::{DUTIES, EXPOSING, ROUTES};
use serde_json::json;

const ACCT: &str = "111122223333";

fn scope(statements: serde_json::Value) -> Scope {
    Scope {
        statements: crate::providers::aws::policy::parse(
            &json!({ "Version": "2012-10-17", "Statement": statements }),
        )
        .unwrap(),
        boundary: None,
    }
}

fn allow(action: &str, resource: &str) -> serde_json::Value {
    json!({ "Effect": "Allow", "Action": action, "Resource": resource })
}

fn parts(list: &[(&[&str], On)]) -> Vec<(Vec<String>, On)> {
    list.iter()
        .map(|(a, on)| (a.iter().map(|s| s.to_string()).collect(), *on))
        .collect()
}

fn probe(s: Scope) -> Probe<'static> {
    static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
    Probe::new(
        s,
        vec![format!("arn:aws:iam::{ACCT}:role/ci")],
        Some(ACCT.into()),
        LIMITS.get_or_init(Limits::default),
    )
}

const PASS_ANY: (&[&str], On) = (&["iam:PassRole"], On::Any);
const RUN: (&[&str], On) = (&["ec2:RunInstances"], On::Some);

#[test]
fn a_route_holds_when_every_part_is_allowed_each_with_its_own_example() {
    let p = probe(scope(json!([
        allow("iam:PassRole", "*"),
        allow("ec2:RunInstances", "*"),
    ])));
    let requests = p.holds(&parts(&[PASS_ANY, RUN])).expect("holds");
    assert_eq!(requests[0].action, "iam:PassRole");
    assert_eq!(
        requests[0].resource,
        format!("arn:aws:iam::{ACCT}:role/anything")
    );
    assert_eq!(requests[1].action, "ec2:RunInstances");
    // One part missing: the route does not hold.
    let half = probe(scope(json!([allow("iam:PassRole", "*")])));
    assert!(half.holds(&parts(&[PASS_ANY, RUN])).is_none());
}

#[test]
fn any_means_a_pattern_that_covers_every_name() {
    for (resource, any) in [
        ("*", true),
        ("arn:aws:iam::*:role/*", true),
        (&format!("arn:aws:iam::{ACCT}:role/*") as &str, true),
        (&format!("arn:aws:iam::{ACCT}:role/app-*"), false),
        (&format!("arn:aws:iam::{ACCT}:role/deploy-exec"), false),
        ("arn:aws:s3:::*", false),
    ] {
        let p = probe(scope(json!([allow("iam:PassRole", resource)])));
        assert_eq!(
            p.holds(&parts(&[PASS_ANY])).is_some(),
            any,
            "iam:PassRole on {resource}"
        );
        // On some resource, every one of them but the S3 pattern counts.
        let some = probe(scope(json!([allow("iam:PassRole", resource)])));
        assert_eq!(
            some.holds(&parts(&[(&["iam:PassRole"], On::Some)]))
                .is_some(),
            !resource.starts_with("arn:aws:s3"),
            "{resource}"
        );
    }
}

#[test]
fn a_trailing_star_of_the_policy_cannot_meet_the_open_fields_across_colons() {
    // `acme/*` may match past colons; the example's open partition and account must not let
    // it pass for "any bucket".
    let p = probe(scope(json!([allow(
        "s3:PutBucketPolicy",
        "arn:aws:s3:::acme-*"
    )])));
    assert!(p
        .holds(&parts(&[(&["s3:PutBucketPolicy"], On::Any)]))
        .is_none());
}

#[test]
fn deny_statements_and_boundaries_take_parts_away() {
    let denied = probe(scope(json!([
        allow("iam:*", "*"),
        { "Effect": "Deny", "Action": "iam:PassRole", "Resource": "*" },
    ])));
    assert!(denied.holds(&parts(&[PASS_ANY])).is_none());
    // A Deny on some roles leaves "any role" standing.
    let partly = probe(scope(json!([
        allow("iam:*", "*"),
        { "Effect": "Deny", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/admin-*" },
    ])));
    assert!(partly.holds(&parts(&[PASS_ANY])).is_some());
    let mut capped = scope(json!([allow("*", "*")]));
    capped.boundary = Some(scope(json!([allow("s3:*", "*")])).statements);
    let capped = probe(capped);
    assert!(capped.holds(&parts(&[PASS_ANY])).is_none());
    assert!(capped
        .holds(&parts(&[(&["s3:GetObject"], On::Any)]))
        .is_some());
}

#[test]
fn conditions_do_not_stop_a_part_and_show_in_its_example() {
    let p = probe(scope(json!([{
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": { "StringEquals": { "iam:PassedToService": "ec2.amazonaws.com" } }
    }])));
    let r = &p.holds(&parts(&[PASS_ANY])).expect("holds")[0];
    assert!(
        r.context
            .iter()
            .any(|(k, v)| k == "iam:passedtoservice" && v == "ec2.amazonaws.com"),
        "{:?}",
        r.context
    );
}

#[test]
fn self_counts_where_the_route_says_so() {
    let own = format!("arn:aws:iam::{ACCT}:role/ci");
    let p = probe(scope(json!([allow("iam:PutRolePolicy", &own)])));
    assert!(p
        .holds(&parts(&[(&["iam:PutRolePolicy"], On::AnyOrSelf)]))
        .is_some());
    assert!(p
        .holds(&parts(&[(&["iam:PutRolePolicy"], On::Any)]))
        .is_none());
}

#[test]
fn an_action_that_takes_only_star_counts_only_through_resource_star() {
    // `ec2:DescribeInstances`-style actions are granted only by `"Resource": "*"`.
    let action = catalog()
        .actions()
        .find(|a| a.wildcard_only && a.service == "sts" && a.name == "GetCallerIdentity")
        .map(|a| format!("{}:{}", a.service, a.name))
        .expect("sts:GetCallerIdentity takes only *");
    let names: &[&str] = &[&action];
    let narrow = probe(scope(json!([allow(&action, "arn:aws:iam::*:role/x")])));
    assert!(narrow.holds(&parts(&[(names, On::Any)])).is_none());
    let wide = probe(scope(json!([allow(&action, "*")])));
    assert_eq!(
        wide.holds(&parts(&[(names, On::Any)])).unwrap()[0].resource,
        "*"
    );
}

#[test]
fn examples_spell_actions_as_aws_does() {
    let p = probe(scope(json!([allow("EC2:get*", "*")])));
    let r = &p
        .holds(&parts(&[(&["ec2:GetPasswordData"], On::Any)]))
        .unwrap()[0];
    assert_eq!(r.action, "ec2:GetPasswordData");
    assert_eq!(
        r.resource,
        format!("arn:aws:ec2:us-east-1:{ACCT}:instance/anything")
    );
}

#[test]
fn a_search_over_budget_finds_nothing_rather_than_guessing() {
    let tiny = Limits {
        max_evaluations: 0,
        max_states: 1,
        max_steps: 1,
        ..Limits::default()
    };
    let limits: &'static Limits = Box::leak(Box::new(tiny));
    let p = Probe::new(
        scope(json!([allow("iam:PassRole", "*")])),
        Vec::new(),
        None,
        limits,
    );
    assert!(p.holds(&parts(&[PASS_ANY])).is_none());
}

#[test]
fn every_action_the_tables_name_is_in_the_catalog() {
    let c = catalog();
    let named = ROUTES
        .iter()
        .flat_map(|(_, routes)| routes.iter())
        .chain(DUTIES)
        .flat_map(|r| r.parts.iter())
        .flat_map(|p| p.actions.iter())
        .chain(EXPOSING);
    let wrong: Vec<String> = named
        .filter(|a| {
            c.action(a)
                .map(|f| format!("{}:{}", f.service, f.name))
                .as_deref()
                != Some(**a)
        })
        .map(|a| a.to_string())
        .collect();
    assert!(
        wrong.is_empty(),
        "not AWS actions as AWS spells them: {wrong:?}"
    );
}

#[test]
fn the_configuration_s_combinations_join_the_built_in_duties() {
    let sod = Sod {
        name: "deploy-and-approve".into(),
        actions: vec![
            vec!["codepipeline:PutApprovalResult".into()],
            vec!["s3:Put*".into()],
        ],
        severity: Severity::Low,
    };
    let checks = Checks::new(std::slice::from_ref(&sod));
    let duties = checks.0.last().unwrap();
    assert!(duties.each);
    let own = duties.combinations.last().unwrap();
    assert!(own.configured && own.label.contains("deploy-and-approve"));
    assert_eq!(own.severity, Severity::Low);
    // A wildcard group is probed as written.
    let p = probe(scope(json!([
        allow("codepipeline:PutApprovalResult", "*"),
        allow("s3:PutObject", "arn:aws:s3:::b/*"),
    ])));
    let r = p.holds(&own.parts).expect("holds");
    assert_eq!(r[1].action, "s3:PutObject");
}

#[test]
fn a_part_of_some_resource_types_counts_only_on_those() {
    const ON_INSTANCES: On = On::AnyOf(&["instance", "managed-instance"]);
    let run: &[&str] = &["ssm:SendCommand"];
    // Any document, but one fixed instance: the command runs nowhere new.
    let documents = probe(scope(json!([
        allow("ssm:SendCommand", "arn:aws:ssm:*:*:document/*"),
        allow(
            "ssm:SendCommand",
            "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc"
        ),
    ])));
    assert!(documents.holds(&parts(&[(run, ON_INSTANCES)])).is_none());
    assert!(documents.holds(&parts(&[(run, On::Any)])).is_some());
    let instances = probe(scope(json!([allow(
        "ssm:SendCommand",
        "arn:aws:ec2:*:*:instance/*"
    )])));
    let r = &instances.holds(&parts(&[(run, ON_INSTANCES)])).unwrap()[0];
    assert_eq!(
        r.resource,
        format!("arn:aws:ec2:us-east-1:{ACCT}:instance/anything")
    );
}
