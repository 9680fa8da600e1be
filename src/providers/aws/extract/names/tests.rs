use super::*;
use crate::plan::side::{Side, World};
use serde_json::{json, Value};

const OWN: &str = "111122223333";
const FOREIGN: &str = "444455556666";

/// One resource change from `before` to `after` (`null` for a resource being created).
fn change(address: &str, before: Value, after: Value, unknown: Value) -> Value {
    let (mode, local) = match address.strip_prefix("data.") {
        Some(rest) => ("data", rest),
        None => ("managed", address),
    };
    let (kind, name) = local.split_once('.').unwrap();
    let actions = if before.is_null() { "create" } else { "no-op" };
    json!({"address": address, "mode": mode, "type": kind, "name": name,
           "change": {"actions": [actions], "before": before, "after": after,
                      "after_unknown": unknown}})
}

fn kept(address: &str, values: Value) -> Value {
    change(address, values.clone(), values, json!({}))
}

/// A resource the plan creates: its `arn` is known only after apply.
fn created(address: &str, values: Value) -> Value {
    change(address, Value::Null, values, json!({"arn": true}))
}

/// The names a plan of these changes and this configuration gives, with `own` its accounts.
fn names(changes: Value, configuration: Value, own: &[&str]) -> PlanNames {
    let plan = json!({"format_version": "1.2", "planned_values": {},
                      "configuration": configuration, "resource_changes": changes});
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    let mut c = Collector::default();
    for side in [Side::Before, Side::After] {
        let world = World::build(&plan, side, &|k| k.starts_with("aws_"));
        for o in &world.objs {
            c.read(o);
        }
    }
    let own = own.iter().map(|a| a.to_string()).collect();
    c.finish(&own, &super::super::provider_config::read(&plan))
}

#[test]
fn known_arns_name_resources_and_places() {
    let n = names(
        json!([
            kept(
                "aws_s3_bucket.a",
                json!({"bucket": "acme-a", "arn": "arn:aws:s3:::acme-a"})
            ),
            kept(
                "aws_sqs_queue.q",
                json!({"name": "jobs",
                "arn": format!("arn:aws:sqs:eu-west-1:{OWN}:jobs")})
            ),
            kept(
                "data.aws_kms_key.k",
                json!({
                "arn": format!("arn:aws:kms:eu-west-1:{FOREIGN}:key/k")})
            ),
        ]),
        json!({}),
        &[OWN],
    );
    assert_eq!(n.of_service("s3"), ["arn:aws:s3:::acme-a"]);
    assert_eq!(
        n.of_service("sqs"),
        [format!("arn:aws:sqs:eu-west-1:{OWN}:jobs")]
    );
    // Another account's key is still a name the plan uses; the plan's account stays its own.
    assert_eq!(n.of_service("kms").len(), 1);
    assert_eq!(n.place("Account"), Some(OWN));
    assert_eq!(n.place("Region"), Some("eu-west-1"));
    assert_eq!(n.place("Partition"), Some("aws"));
}

#[test]
fn created_resources_are_named_from_their_names() {
    let n = names(
        json!([
            created("aws_s3_bucket.b", json!({"bucket": "acme-new"})),
            created(
                "aws_iam_role.r",
                json!({"name": "deployer", "path": "/ci/"})
            ),
            created(
                "aws_lambda_function.f",
                json!({"function_name": "orders-api"})
            ),
            created("aws_ssm_parameter.p", json!({"name": "/app/db-url"})),
        ]),
        json!({"provider_config": {"aws": {"name": "aws",
            "expressions": {"region": {"constant_value": "eu-central-1"}}}}}),
        &[OWN],
    );
    assert_eq!(n.of_service("s3"), ["arn:aws:s3:::acme-new"]);
    assert_eq!(
        n.of_service("iam"),
        [format!("arn:aws:iam::{OWN}:role/ci/deployer")]
    );
    assert_eq!(
        n.of_service("lambda"),
        [format!(
            "arn:aws:lambda:eu-central-1:{OWN}:function:orders-api"
        )]
    );
    assert_eq!(
        n.of_service("ssm"),
        [format!(
            "arn:aws:ssm:eu-central-1:{OWN}:parameter/app/db-url"
        )]
    );
}

#[test]
fn what_the_plan_does_not_say_stays_a_marked_placeholder() {
    // No account of the plan's own, no region: a built ARN says so.
    let n = names(
        json!([created("aws_sqs_queue.q", json!({"name": "jobs"}))]),
        json!({}),
        &[],
    );
    assert_eq!(n.of_service("sqs"), ["arn:aws:sqs:<region>:<account>:jobs"]);
    assert_eq!(n.place("Account"), None);
    assert_eq!(n.place("Region"), None);
}

#[test]
fn the_account_is_one_of_the_plans_own_and_the_partition_follows_the_region() {
    let n = names(
        json!([
            kept(
                "data.aws_iam_role.x",
                json!({
                "arn": format!("arn:aws-cn:iam::{FOREIGN}:role/x")})
            ),
            kept(
                "data.aws_iam_role.y",
                json!({
                "arn": format!("arn:aws-cn:iam::{FOREIGN}:role/y")})
            ),
            kept(
                "aws_iam_role.z",
                json!({"arn": format!("arn:aws-cn:iam::{OWN}:role/z")})
            ),
        ]),
        json!({}),
        &[OWN, "555566667777"],
    );
    assert_eq!(n.place("Account"), Some(OWN));
    assert_eq!(n.place("Partition"), Some("aws-cn"));
    let built = names(
        json!([created("aws_s3_bucket.b", json!({"bucket": "b"}))]),
        json!({"provider_config": {"aws": {"name": "aws",
            "expressions": {"region": {"constant_value": "us-gov-west-1"}}}}}),
        &[],
    );
    assert_eq!(built.of_service("s3"), ["arn:aws-us-gov:s3:::b"]);
}

#[test]
fn sensitive_and_odd_names_are_not_read() {
    let secret = json!({"address": "aws_iam_role.s", "mode": "managed", "type": "aws_iam_role",
        "name": "s", "change": {"actions": ["no-op"],
        "before": {"arn": format!("arn:aws:iam::{OWN}:role/hidden")},
        "after": {"arn": format!("arn:aws:iam::{OWN}:role/hidden")},
        "after_unknown": {}, "before_sensitive": {"arn": true}, "after_sensitive": {"arn": true}}});
    let braces = created("aws_s3_bucket.b", json!({"bucket": "x{A}"}));
    let n = names(json!([secret, braces]), json!({}), &[OWN]);
    assert!(n.resources.is_empty(), "{:?}", n.resources);
}
