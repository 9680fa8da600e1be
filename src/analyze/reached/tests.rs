use super::*;
use crate::model::usage::UNKNOWN_PART;

fn resource(kind: &'static str, service: &'static str, name: &str, arn: &str) -> PlanResource {
    PlanResource {
        address: format!("r.{name}"),
        kind,
        name: name.into(),
        service,
        arn: arn.into(),
    }
}

fn inventory() -> Vec<PlanResource> {
    let unknown = UNKNOWN_PART;
    vec![
        resource(
            "S3 bucket",
            "s3",
            "acme-artifacts",
            "arn:aws:s3:::acme-artifacts",
        ),
        resource("S3 bucket", "s3", "acme-pii", "arn:aws:s3:::acme-pii"),
        resource("S3 bucket", "s3", "logs", "arn:aws:s3:::logs"),
        resource(
            "DynamoDB table",
            "dynamodb",
            "orders",
            "arn:aws:dynamodb:eu-west-1:1:table/orders",
        ),
        resource(
            "KMS key",
            "kms",
            "new-key",
            &format!("arn:aws:kms:eu-west-1:1:key/{unknown}"),
        ),
    ]
}

fn grant(actions: &[&str], resources: &[&str]) -> Grant {
    Grant {
        scope: ScopeKind::Permissions,
        source: "p".into(),
        effect: Effect::Allow,
        actions: actions.iter().map(|s| s.to_string()).collect(),
        not_actions: false,
        except_actions: vec![],
        resources: resources.iter().map(|s| s.to_string()).collect(),
        not_resources: false,
        principals: vec![],
        conditions: vec![],
        condition_change: vec![],
        kind: None,
        addresses: vec![],
        access: None,
        binding: None,
        reaches: None,
        detail: None,
        example: None,
        statement: None,
        by_principal: vec![],
    }
}

fn names(g: &Grant) -> Vec<String> {
    let inv = inventory();
    let index = Index::new(&inv);
    let mut marks = vec![false; inv.len()];
    let mut budget = BUDGET;
    let r = index
        .reached(g, &inv, &mut marks, &mut budget)
        .expect("within the budget");
    assert!(
        marks.iter().all(|m| !m),
        "marks are cleared for the next grant"
    );
    r.map(|r| r.resources.into_iter().map(|r| r.name).collect())
        .unwrap_or_default()
}

#[test]
fn a_wildcard_reaches_the_resources_of_its_service_only() {
    assert_eq!(
        names(&grant(&["s3:*"], &["*"])),
        ["acme-artifacts", "acme-pii", "logs"]
    );
    assert_eq!(names(&grant(&["*"], &["*"])).len(), 5);
    assert!(names(&grant(&["sqs:SendMessage"], &["*"])).is_empty());
}

#[test]
fn a_pattern_reaches_what_it_matches_or_holds_inside() {
    // Objects in a bucket reach the bucket.
    assert_eq!(
        names(&grant(&["s3:GetObject"], &["arn:aws:s3:::acme-*/*"])),
        ["acme-artifacts", "acme-pii"]
    );
    assert_eq!(
        names(&grant(&["s3:Get*"], &["arn:aws:s3:::acme-pii/reports/*"])),
        ["acme-pii"]
    );
    assert_eq!(
        names(&grant(
            &["dynamodb:Query"],
            &["arn:aws:dynamodb:*:*:table/orders/index/*"]
        )),
        ["orders"]
    );
    assert!(names(&grant(&["s3:GetObject"], &["arn:aws:s3:::acme"])).is_empty());
}

#[test]
fn a_part_known_only_after_apply_is_reached_by_a_wildcard_only() {
    assert_eq!(
        names(&grant(&["kms:Decrypt"], &["arn:aws:kms:eu-west-1:1:key/*"])),
        ["new-key"]
    );
    assert!(names(&grant(
        &["kms:Decrypt"],
        &["arn:aws:kms:eu-west-1:1:key/abc"]
    ))
    .is_empty());
}

#[test]
fn not_action_and_not_resource_reach_what_they_leave_in() {
    let mut g = grant(&["s3:*"], &["*"]);
    g.not_actions = true;
    assert_eq!(names(&g), ["orders", "new-key"]);
    let mut g = grant(&["s3:*"], &["arn:aws:s3:::logs"]);
    g.not_resources = true;
    assert_eq!(names(&g), ["acme-artifacts", "acme-pii"]);
}

#[test]
fn denies_hidden_grants_and_other_scopes_reach_nothing() {
    let mut g = grant(&["s3:*"], &["*"]);
    g.effect = Effect::Deny;
    assert!(names(&g).is_empty());
    let g = grant(&["s3:*"], &[HIDDEN]);
    assert!(names(&g).is_empty());
    let mut g = grant(&["s3:*"], &["*"]);
    g.scope = ScopeKind::Trust;
    assert!(names(&g).is_empty());
}

#[test]
fn a_grant_past_the_budget_is_left_without_and_counted() {
    let inv = inventory();
    let index = Index::new(&inv);
    let mut marks = vec![false; inv.len()];
    let mut budget = 2;
    // Patterns tried resource by resource are paid for; `*` alone costs nothing.
    let g = grant(&["s3:*"], &["*", "arn:aws:s3:::*-*"]);
    assert!(index.reached(&g, &inv, &mut marks, &mut budget).is_none());
    assert_eq!(budget, 0);
    assert!(marks.iter().all(|m| !m));
}
