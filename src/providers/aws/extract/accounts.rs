//! The plan's own AWS accounts: the accounts its resources live in, so that a principal of one
//! of them is not called foreign.
//!
//! # The rule
//! An account is the plan's own when something the plan itself manages or reads is in it, or
//! its provider configuration says so. Nothing else counts: an account named in a policy
//! document (a trust policy's principal, a bucket policy's grantee) is exactly what
//! who-can-reach-it must judge, and an ARN a resource merely points at (an event target, a
//! subscription's topic, an encryption key) may be another account's. So an account counts
//! when it is
//! - in the ARN of a resource the plan manages (`arn`, or `id` when that is an ARN), unless the
//!   configuration sets that attribute (then it names another resource: an event target's
//!   `arn`, a topic policy's topic) or the resource type ties it to another account's resource
//!   (a topic subscription's ARN is the topic's account; an `..._accepter` accepts what another
//!   account offers);
//! - the `owner_id` of a resource the plan manages (where the configuration does not set it),
//!   or the `account_id` of an `aws_s3_account_public_access_block` (elsewhere `account_id`
//!   often names a member or a grantee: `aws_guardduty_member`, `aws_ami_launch_permission`);
//! - in the ARN of a role the plan passes to a service (`role_arn`, `execution_role_arn`,
//!   `task_role_arn`, `iam_role_arn`, `service_role`, `role`): AWS refuses to pass a role of
//!   another account ("Cross-account pass role is not allowed");
//! - in the ARN of a customer managed policy attached to an identity (`policy_arn`,
//!   `permissions_boundary`, `managed_policy_arns`, `policy_arns` of `aws_iam_*`): IAM attaches
//!   only policies of the identity's own account (AWS managed ones name no account);
//! - in the ARN of an IAM role, user, group or instance profile, an SNS topic, an SQS queue or a
//!   log group a data source reads: these look up by name in the caller's own account (data
//!   sources that take an ARN, such as `aws_kms_key` or `aws_lambda_function`, may read another
//!   account's resource, and `aws_iam_policy_document` is only a document);
//! - the `account_id` of the `aws_caller_identity` data source;
//! - in the AWS provider configuration: each of `allowed_account_ids`, and the account of the
//!   role in `assume_role` (or `assume_role_with_web_identity`), given as constants (read in
//!   `provider_config.rs`).

use crate::plan::refs::{Config, Configured};
use crate::plan::side::{Obj, Step, World};
use crate::providers::aws::arn::{in_arn, is_account};
use serde_json::Value;
use std::collections::BTreeSet;

/// Attributes that pass a role to a service.
const PASSED_ROLES: &[&str] = &[
    "role_arn",
    "execution_role_arn",
    "task_role_arn",
    "iam_role_arn",
    "service_role",
    "role",
];

/// Attributes of `aws_iam_*` resources that attach a policy to an identity (a string or a
/// list).
const ATTACHED: &[&str] = &[
    "policy_arn",
    "permissions_boundary",
    "managed_policy_arns",
    "policy_arns",
];

/// Data sources that look a resource up by name in the caller's own account.
const READ_BY_NAME: &[&str] = &[
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_instance_profile",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_cloudwatch_log_group",
];

/// The kinds of resource [`in_side`] reads: every AWS one.
pub fn read(kind: &str) -> bool {
    kind.starts_with("aws_")
}

/// The accounts one side shows to be the plan's own, by the rule in the module docs, added to
/// `out`. The side's world must hold every kind [`read`] accepts.
pub fn in_side(world: &World, config: Option<&Config>, out: &mut BTreeSet<String>) {
    for o in world.objs.iter().filter(|o| read(o.kind)) {
        let found = named_by(o, config, out);
        out.extend(found);
    }
}

/// The accounts one resource (or data source) of a side shows to be the plan's own.
/// `known`: accounts found already. Whether the configuration sets an attribute is asked only
/// of an account not known yet: the question reads the configuration, and a plan names its
/// own account thousands of times.
fn named_by(o: &Obj, config: Option<&Config>, known: &BTreeSet<String>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let arn = |attr: &str| o.text(attr).and_then(|a| in_arn(&a).map(str::to_string));
    if o.data {
        match o.kind {
            "aws_caller_identity" => found.extend(o.str("account_id")),
            kind if READ_BY_NAME.contains(&kind) => found.extend(arn("arn")),
            _ => {}
        }
        return keep_accounts(found);
    }
    // An attribute the configuration sets names what the user points at, not the resource.
    let own = |attr: &str| {
        config.map_or(Configured::Unknown, |c| c.configured(o.address, attr)) != Configured::Yes
    };
    let elsewhere = o.kind == "aws_sns_topic_subscription" || o.kind.ends_with("_accepter");
    if !elsewhere {
        let mut named = |attr: &str, account: Option<String>| {
            if let Some(a) = account.filter(|a| !known.contains(a) && own(attr)) {
                found.push(a);
            }
        };
        named("arn", arn("arn"));
        named("id", arn("id"));
        named("owner_id", o.str("owner_id"));
    }
    if o.kind == super::resources::ACCOUNT_PAB {
        found.extend(o.str("account_id"));
    }
    for attr in PASSED_ROLES {
        found.extend(
            o.str(attr)
                .filter(|v| is_role_arn(v))
                .and_then(|v| in_arn(&v).map(str::to_string)),
        );
    }
    if o.kind.starts_with("aws_iam_") {
        for attr in ATTACHED {
            match o.get(&[Step::Key(attr)]) {
                Some(Value::String(a)) => found.extend(in_arn(&a).map(str::to_string)),
                Some(Value::Array(list)) => found.extend(
                    list.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|a| in_arn(a).map(str::to_string)),
                ),
                _ => {}
            }
        }
    }
    keep_accounts(found)
}

fn keep_accounts(found: Vec<String>) -> Vec<String> {
    found.into_iter().filter(|a| is_account(a)).collect()
}

/// `arn:PARTITION:iam::ACCOUNT:role/...`.
fn is_role_arn(v: &str) -> bool {
    let mut parts = v.splitn(6, ':');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("arn"), Some(_), Some("iam"), Some(""), Some(_), Some(rest)) if rest.starts_with("role/")
    )
}

#[cfg(test)]
mod tests;
