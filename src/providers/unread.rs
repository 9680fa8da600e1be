//! Changes privdiff does not analyse but a reviewer must: resources that carry a policy, an
//! ACL, a role binding or credentials of a kind no extractor reads. Each is named in a plan
//! note, in every format, so that nothing that grants access is skipped without a word.

use crate::plan::Plan;
use serde_json::Value;

/// Type names that hold a `_policy` but govern no access (scaling, lifecycle, load balancers,
/// firewalls, DNS, passwords), and ones another issue's guardrail reading will take.
const NOT_ACCESS: &[&str] = &[
    "autoscaling",
    "lifecycle",
    "load_balancer",
    "_lb_",
    "_alb_",
    "ssl_",
    "scaling",
    "retention",
    "data_protection",
    "security_policy",
    "dns_policy",
    "password_policy",
    "placement",
    "routing",
    "cookie",
    "stickiness",
    "proxy_protocol",
    "sampling",
    "google_compute_resource_policy",
    "backup_policy",
    "snapshot_policy",
    "network_acl",
    "_firewall_policy",
    "_waf",
];

/// At most this many resources are named; the rest are counted.
const NAMED: usize = 20;

/// What a resource type carries that privdiff would have to read, if it carries access.
fn carries(kind: &str) -> Option<&'static str> {
    if NOT_ACCESS.iter().any(|n| kind.contains(n)) {
        return None;
    }
    let policy = ["_policy", "_policies", "_permissions_policy"];
    if policy.iter().any(|s| kind.ends_with(s)) || kind.contains("_policy_attachment") {
        return Some("a policy");
    }
    if kind.ends_with("_bucket_acl") || kind.starts_with("google_storage") && kind.ends_with("_acl")
    {
        return Some("an access control list");
    }
    let credentials = [
        "_access_key",
        "_service_account_key",
        "_user_login_profile",
        "_service_specific_credential",
        "_signing_certificate",
        "_user_ssh_key",
    ];
    if credentials.iter().any(|s| kind.ends_with(s)) {
        return Some("credentials");
    }
    if kind == "aws_lambda_function_url" {
        return Some("a function URL (public when its authorization type is NONE)");
    }
    if kind.ends_with("_permission") || kind.ends_with("_grant") {
        return Some("a permission grant");
    }
    let binding = (kind.starts_with("google_") && kind.contains("_iam_"))
        || kind.contains("role_binding")
        || kind.contains("role_assignment");
    binding.then_some("a role binding")
}

/// Whether a resource's planned values hold an inline policy (`policy`, `access_policies`).
fn inline_policy(after: Option<&serde_json::value::RawValue>) -> bool {
    let Some(raw) = after else {
        return false;
    };
    let text = raw.get();
    // Most resources name neither attribute: no parse for them.
    if !text.contains("\"policy\"") && !text.contains("\"access_policies\"") {
        return false;
    }
    let Ok(Value::Object(values)) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    ["policy", "access_policies"].iter().any(|k| {
        values
            .get(*k)
            .and_then(Value::as_str)
            .is_some_and(|p| !p.trim().is_empty() && p.trim() != "{}")
    })
}

/// A note for each changed resource that carries access and that `read` says no extractor
/// reads.
pub fn notes(plan: &Plan, read: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut named = Vec::new();
    for rc in &plan.resource_changes {
        let acts = &rc.change.actions;
        let changed = !acts.is_empty() && acts.iter().all(|a| a != "no-op" && a != "read");
        if rc.mode == "data" || !changed || read(&rc.kind) {
            continue;
        }
        let what = match carries(&rc.kind) {
            Some(what) => what,
            None if inline_policy(rc.change.after.or(rc.change.before)) => "an inline policy",
            None => continue,
        };
        named.push(format!(
            "not analysed: {} ({}) carries {what} that privdiff does not read yet; review it by hand",
            rc.address,
            acts.join(", ")
        ));
    }
    if named.len() > NAMED {
        let more = named.len() - NAMED;
        named.truncate(NAMED);
        named.push(format!(
            "not analysed: {more} more resources that carry access privdiff does not read yet"
        ));
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_carrying_types_are_told_from_others() {
        for kind in [
            "aws_glue_resource_policy",
            "aws_elasticsearch_domain_policy",
            "aws_codeartifact_domain_permissions_policy",
            "aws_s3tables_table_bucket_policy",
            "aws_s3_bucket_acl",
            "aws_iam_access_key",
            "aws_iam_user_login_profile",
            "aws_lambda_function_url",
            "google_storage_bucket_acl",
            "google_bigquery_dataset_iam_member",
        ] {
            assert!(carries(kind).is_some(), "{kind}");
        }
        for kind in [
            "aws_autoscaling_policy",
            "aws_appautoscaling_policy",
            "aws_lb_ssl_negotiation_policy",
            "aws_iam_account_password_policy",
            "aws_ecr_lifecycle_policy",
            "aws_network_acl",
            "google_compute_security_policy",
            "aws_iam_openid_connect_provider",
            "aws_iam_instance_profile",
            "aws_instance",
        ] {
            assert!(carries(kind).is_none(), "{kind}");
        }
    }
}
