use super::probe::Probe;
use super::{combination, news, Checks, Found, Side, Sod};
use crate::catalog::aws::catalog;
use crate::compare::Limits;
use crate::model::route::{anywhere, concrete, on, Actions, Capability, Novelty, On, Place, Route};
use crate::model::{Clause, Effect, Match, Scope, Severity, Statement};
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
        format!("arn:aws:iam::{ACCT}:role/<any-name>")
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
        // The name that stands for any other is no word a prefix pattern could start.
        (&format!("arn:aws:iam::{ACCT}:role/a*"), false),
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
        format!("arn:aws:ec2:<region>:{ACCT}:instance/<any-name>")
    );
    // In a plan that names its partition and region, examples use them.
    let mut names = crate::model::PlanNames::default();
    names.places.insert("Partition".into(), "aws-cn".into());
    names.places.insert("Region".into(), "cn-north-1".into());
    let p = probe(scope(json!([allow("ec2:*", "*")]))).in_plan(&std::sync::Arc::new(names));
    let r = &p
        .holds(&parts(&[(&["ec2:GetPasswordData"], On::Any)]))
        .unwrap()[0];
    assert_eq!(
        r.resource,
        format!("arn:aws-cn:ec2:cn-north-1:{ACCT}:instance/<any-name>")
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
    let named = crate::providers::aws::routes::TABLE
        .routes
        .iter()
        .flat_map(|r| r.parts.iter())
        .flat_map(|p| match p.actions {
            Actions::Listed(list) => list.iter().map(|a| a.to_string()).collect(),
            Actions::Catalog(read) => read(),
        });
    let wrong: Vec<String> = named
        .filter(|a| {
            c.action(a)
                .map(|f| format!("{}:{}", f.service, f.name))
                .as_deref()
                != Some(a.as_str())
        })
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
    let (_, groups) = checks.of(crate::model::Provider::Aws).unwrap();
    let duties = groups.last().unwrap();
    assert_eq!(duties.completes, Capability::SeparationOfDuties);
    assert!(duties.each);
    let own = duties.combinations.last().unwrap();
    assert!(own.configured && own.label.contains("deploy-and-approve"));
    assert_eq!(own.severity, Some(Severity::Low));
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
        format!("arn:aws:ec2:<region>:{ACCT}:instance/<any-name>")
    );
}

// Routes judged where they land (GCP, Azure, Kubernetes): a part holds on a place the
// identity's own statements name, and a route is news when one of its requests is.

/// An Allow of `actions` on `resources`, under an opaque condition if one is given.
fn on_places(actions: &[&str], resources: &[&str], condition: Option<&str>) -> Statement {
    let pairs = |v: &[&str]| {
        v.iter()
            .map(|s| (s.to_lowercase(), s.to_string()))
            .collect()
    };
    let conditions: Vec<Clause> = condition
        .map(|t| Clause::Opaque { text: t.into() })
        .into_iter()
        .collect();
    Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions: Match::new(false, pairs(actions)),
        resources: Match::new(
            false,
            resources
                .iter()
                .map(|r| (r.to_string(), r.to_string()))
                .collect(),
        ),
        conditions: conditions.into(),
        condition_text: Vec::new().into(),
        origin: 0,
        except: None,
    }
}

fn statements(statements: Vec<Statement>) -> Scope {
    Scope {
        statements,
        boundary: None,
    }
}

fn side(scope: &Scope, concrete: fn(&str) -> String) -> Side<'static> {
    static LIMITS: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
    Side {
        probe: Probe::new(
            scope.clone(),
            Vec::new(),
            None,
            LIMITS.get_or_init(Limits::default),
        ),
        concrete,
    }
}

/// The requests through which `route` is news after the change, judged where it lands.
fn holds_where(
    route: &Route,
    after: &Scope,
    before: Option<&Scope>,
    concrete: fn(&str) -> String,
) -> Option<Vec<Found>> {
    let c = combination(route);
    let before = before.map(|b| side(b, concrete));
    news(
        Novelty::OfRequest,
        &side(after, concrete),
        before.as_ref(),
        &[&c],
    )
    .map(|(_, found)| found)
}

const PROJECT: Place = |r| r.starts_with("projects/") && r.matches('/').count() == 1;

const SET_POLICY: Route = Route {
    completes: Capability::PrivilegeEscalation,
    label: "change a project's IAM policy",
    severity: None,
    parts: &[on(&["resourcemanager.projects.setIamPolicy"], PROJECT)],
};

#[test]
fn a_part_holds_on_a_place_the_statements_name() {
    let after = statements(vec![on_places(
        &["resourcemanager.projects.setIamPolicy"],
        &["projects/p", "projects/p/*"],
        None,
    )]);
    let got = holds_where(&SET_POLICY, &after, None, concrete).unwrap();
    assert_eq!(got[0].request.resource, "projects/p");
    assert!(got[0].new);
    // On a resource under the project only, the place is not a project.
    let under = statements(vec![on_places(
        &["resourcemanager.projects.setIamPolicy"],
        &["projects/p/secrets/s"],
        None,
    )]);
    assert!(holds_where(&SET_POLICY, &under, None, concrete).is_none());
}

#[test]
fn the_same_power_on_another_place_is_news_and_on_the_same_place_is_not() {
    let at = |p: &str| {
        statements(vec![on_places(
            &["resourcemanager.projects.*"],
            &[p, &format!("{p}/*")],
            None,
        )])
    };
    let a = at("projects/a");
    assert!(holds_where(&SET_POLICY, &a, Some(&a), concrete).is_none());
    let got = holds_where(&SET_POLICY, &at("projects/b"), Some(&a), concrete).unwrap();
    assert_eq!(got[0].request.resource, "projects/b");
}

#[test]
fn a_conditional_grant_still_grants_and_the_example_says_when() {
    let after = statements(vec![on_places(
        &["*"],
        &["projects/p"],
        Some("request.time < timestamp(\"2030-01-01T00:00:00Z\")"),
    )]);
    let got = holds_where(&SET_POLICY, &after, None, concrete).unwrap();
    assert_eq!(got[0].request.context.len(), 1);
    // The same conditional grant before: nothing new.
    assert!(holds_where(&SET_POLICY, &after, Some(&after), concrete).is_none());
}

#[test]
fn every_part_must_hold_and_one_must_be_new() {
    const TWO: Route = Route {
        completes: Capability::PassroleCompute,
        label: "act as a service account on new compute",
        severity: None,
        parts: &[
            on(&["iam.serviceAccounts.actAs"], anywhere),
            on(&["compute.instances.create"], anywhere),
        ],
    };
    let act = on_places(&["iam.serviceAccounts.actAs"], &["projects/p"], None);
    let run = on_places(&["compute.instances.create"], &["projects/p"], None);
    assert!(holds_where(&TWO, &statements(vec![act.clone()]), None, concrete).is_none());
    let both = statements(vec![act.clone(), run]);
    assert!(holds_where(&TWO, &both, Some(&statements(vec![act])), concrete).is_some());
    assert!(holds_where(&TWO, &both, Some(&both), concrete).is_none());
}

/// The first Kubernetes route that holds on `after` alone.
fn first_kubernetes(after: &Scope) -> Option<&'static str> {
    let table = &crate::providers::kubernetes::routes::TABLE;
    table
        .routes
        .iter()
        .find(|r| holds_where(r, after, None, table.concrete).is_some())
        .map(|r| r.label)
}

fn objects(actions: &[&str], objects: &[&str]) -> Scope {
    statements(vec![on_places(actions, objects, None)])
}

#[test]
fn kubernetes_routes_hold_where_the_binding_reaches() {
    let table = &crate::providers::kubernetes::routes::TABLE;
    let cluster = ["namespaces/*", "cluster/*"];
    assert_eq!(
        first_kubernetes(&objects(&["*:*:*"], &cluster)),
        Some(table.routes[0].label),
        "cluster-admin"
    );
    assert_eq!(
        first_kubernetes(&objects(&["*:*:*"], &["namespaces/ci/*"])),
        Some(table.routes[1].label),
        "admin of one namespace"
    );
    let read = objects(&["core:secrets:get"], &["namespaces/ci/*"]);
    assert_eq!(
        first_kubernetes(&read),
        Some("read the secrets of a namespace")
    );
    let all = objects(&["core:secrets:get"], &cluster);
    assert_eq!(
        first_kubernetes(&all),
        Some("read the secrets of every namespace")
    );
    // One named secret is least privilege, not a namespace's secrets.
    assert_eq!(
        first_kubernetes(&objects(&["core:secrets:get"], &["namespaces/ci/token"])),
        None
    );
    // `pods` is not `pods/exec`, and `*/scale` is not exec either.
    assert_eq!(
        first_kubernetes(&objects(&["core:pods:get", "*:*/scale:*"], &cluster)),
        None
    );
    // `create` on every core resource is every subresource's create too.
    let any_create = objects(&["core:*:create"], &["namespaces/ci/*"]);
    let holding: Vec<&str> = table
        .routes
        .iter()
        .filter(|r| holds_where(r, &any_create, None, table.concrete).is_some())
        .map(|r| r.label)
        .collect();
    assert!(
        holding.contains(&"run commands in running pods"),
        "{holding:?}"
    );
    assert!(
        holding.contains(&"request tokens for service accounts"),
        "{holding:?}"
    );
}
