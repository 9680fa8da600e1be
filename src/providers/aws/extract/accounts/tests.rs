use super::*;
use serde_json::{json, Value};

const OWN: &str = "111122223333";
const FOREIGN: &str = "444455556666";

/// One resource change that keeps `values` as they are.
fn kept(address: &str, values: Value) -> Value {
    let (mode, local) = match address.strip_prefix("data.") {
        Some(rest) => ("data", rest),
        None => ("managed", address),
    };
    let (kind, name) = local.split_once('.').unwrap();
    json!({"address": address, "mode": mode, "type": kind, "name": name,
           "change": {"actions": ["no-op"], "before": values, "after": values, "after_unknown": {}}})
}

/// The accounts a plan of these changes and this configuration names as its own.
fn accounts(changes: Value, configuration: Value) -> Vec<String> {
    let plan = json!({"format_version": "1.2", "planned_values": {},
                      "configuration": configuration, "resource_changes": changes});
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    let config = Config::parse(plan.configuration);
    let mut out = std::collections::BTreeSet::new();
    for side in [
        crate::plan::side::Side::Before,
        crate::plan::side::Side::After,
    ] {
        let world = World::build(&plan, side, &read);
        in_side(&world, config.as_ref(), &mut out);
    }
    out.extend(super::super::provider_config::read(&plan).accounts);
    out.into_iter().collect()
}

fn none() -> Value {
    json!({})
}

#[test]
fn the_arn_of_a_resource_the_plan_manages_names_its_account() {
    let table = kept(
        "aws_dynamodb_table.orders",
        json!({"name": "orders", "arn": format!("arn:aws:dynamodb:eu-west-1:{OWN}:table/orders")}),
    );
    assert_eq!(accounts(json!([table]), none()), [OWN]);
    let vpc = kept("aws_vpc.main", json!({"id": "vpc-1", "owner_id": OWN}));
    assert_eq!(accounts(json!([vpc]), none()), [OWN]);
}

#[test]
fn an_arn_a_resource_points_at_is_not_its_own() {
    // An event target's `arn` is set in the configuration: it names the target, here a bus of
    // another account.
    let target = kept(
        "aws_cloudwatch_event_target.bus",
        json!({"arn": format!("arn:aws:events:eu-west-1:{FOREIGN}:event-bus/central"), "rule": "r"}),
    );
    let configuration = json!({"root_module": {"resources": [
        {"address": "aws_cloudwatch_event_target.bus", "mode": "managed", "type": "aws_cloudwatch_event_target",
         "name": "bus", "expressions": {"arn": {"constant_value": "x"}, "rule": {"constant_value": "r"}}}]}});
    assert!(accounts(json!([target]), configuration).is_empty());
    // A subscription's ARN is in its topic's account.
    let subscription = kept(
        "aws_sns_topic_subscription.feed",
        json!({"arn": format!("arn:aws:sns:eu-west-1:{FOREIGN}:feed:0b1c"), "protocol": "sqs"}),
    );
    assert!(accounts(json!([subscription]), none()).is_empty());
    // Nor is a principal in a policy, an account a permission grants to, or a key it encrypts
    // with.
    let role = kept(
        "aws_iam_role.partner",
        json!({"name": "partner", "assume_role_policy": json!({"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{FOREIGN}:root")}, "Action": "sts:AssumeRole"}]}).to_string()}),
    );
    let permission = kept(
        "aws_lambda_permission.p",
        json!({"principal": FOREIGN, "source_arn": "arn:aws:s3:::b", "function_name": "f"}),
    );
    let encryption = kept(
        "aws_s3_bucket_server_side_encryption_configuration.b",
        json!({"bucket": "b", "kms_master_key_id": format!("arn:aws:kms:eu-west-1:{FOREIGN}:key/k")}),
    );
    assert!(accounts(json!([role, permission, encryption]), none()).is_empty());
}

#[test]
fn a_role_passed_to_a_service_or_a_policy_attached_is_of_the_plan() {
    let function = kept(
        "aws_lambda_function.f",
        json!({"function_name": "f", "role": format!("arn:aws:iam::{OWN}:role/f")}),
    );
    assert_eq!(accounts(json!([function]), none()), [OWN]);
    let task = kept(
        "aws_ecs_task_definition.t",
        json!({"family": "t", "execution_role_arn": format!("arn:aws:iam::{OWN}:role/exec")}),
    );
    assert_eq!(accounts(json!([task]), none()), [OWN]);
    let attachment = kept(
        "aws_iam_role_policy_attachment.a",
        json!({"role": "r", "policy_arn": format!("arn:aws:iam::{OWN}:policy/p")}),
    );
    assert_eq!(accounts(json!([attachment]), none()), [OWN]);
    // An AWS managed policy names no account; a role given by name names none either.
    let managed = kept(
        "aws_iam_role_policy_attachment.m",
        json!({"role": "r", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    );
    let profile = kept(
        "aws_iam_instance_profile.p",
        json!({"name": "p", "role": "r"}),
    );
    assert!(accounts(json!([managed, profile]), none()).is_empty());
}

#[test]
fn data_sources_count_where_they_read_the_callers_own_account() {
    let caller = kept(
        "data.aws_caller_identity.me",
        json!({"account_id": OWN, "id": OWN}),
    );
    assert_eq!(accounts(json!([caller]), none()), [OWN]);
    let role = kept(
        "data.aws_iam_role.reader",
        json!({"name": "reader", "arn": format!("arn:aws:iam::{OWN}:role/reader")}),
    );
    assert_eq!(accounts(json!([role]), none()), [OWN]);
    // A key read by ARN may be another account's; a policy document names principals.
    let key = kept(
        "data.aws_kms_key.shared",
        json!({"key_id": "k", "arn": format!("arn:aws:kms:eu-west-1:{FOREIGN}:key/k")}),
    );
    let document = kept(
        "data.aws_iam_policy_document.d",
        json!({"json": "{}", "statement": [{"principals": [{"type": "AWS",
            "identifiers": [format!("arn:aws:iam::{FOREIGN}:root")]}]}]}),
    );
    let ami = kept("data.aws_ami.ubuntu", json!({"owner_id": "099720109477"}));
    assert!(accounts(json!([key, document, ami]), none()).is_empty());
}

#[test]
fn the_provider_configuration_names_its_accounts() {
    let configuration = json!({"provider_config": {
        "aws": {"name": "aws", "expressions": {
            "allowed_account_ids": {"constant_value": [OWN]}}},
        "aws.dr": {"name": "aws", "alias": "dr", "expressions": {
            "assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::555566667777:role/terraform"}}]}},
        "aws.other": {"name": "aws", "alias": "other", "expressions": {
            "allowed_account_ids": {"references": ["var.accounts"]},
            "forbidden_account_ids": {"constant_value": [FOREIGN]}}},
        "google": {"name": "google", "expressions": {"allowed_account_ids": {"constant_value": ["999988887777"]}}}
    }});
    assert_eq!(accounts(json!([]), configuration), [OWN, "555566667777"]);
}
