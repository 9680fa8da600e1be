//! What values known only after apply could turn out to be: only names of the plan's own
//! resources, or anything. The severity of `PD003` follows it.

use crate::plan::refs::Config;
use crate::plan::side::AttributeRef;
use crate::report::UnknownBound;

/// Attributes that name a resource (or an identity) rather than describe what it may do.
const NAMING: &[&str] = &[
    "arn",
    "id",
    "name",
    "bucket",
    "email",
    "member",
    "metadata",
    "project",
    "project_id",
    "number",
    "folder_id",
    "key_id",
    "function_name",
    "unique_id",
    "principal_id",
    "object_id",
    "client_id",
    "url",
    "queue_url",
    "invoke_arn",
    "qualified_arn",
    "self_link",
];

/// `Names` when the configuration computes every value in `unknown` from nothing but names of
/// resources the plan manages; `Anything` otherwise, and without a configuration to tell.
pub fn bound(unknown: &[AttributeRef], config: Option<&Config>) -> UnknownBound {
    let names_only = |u: &AttributeRef| {
        config
            .and_then(|c| c.references_of(&u.address, &u.attribute))
            .is_some_and(|refs| !refs.is_empty() && refs.iter().all(|r| names_a_resource(r)))
    };
    if unknown.iter().all(names_only) {
        UnknownBound::Names
    } else {
        UnknownBound::Anything
    }
}

/// `aws_s3_bucket.new.arn` or `aws_s3_bucket.new` (Terraform lists the resource beside each
/// attribute it reads), of a managed resource: not a variable, a local, a data source (its
/// document could be anything), a module's output or an iteration value.
fn names_a_resource(reference: &str) -> bool {
    let parts: Vec<&str> = reference.split('.').collect();
    let other = [
        "var",
        "local",
        "data",
        "module",
        "each",
        "count",
        "path",
        "terraform",
        "self",
    ];
    if parts.len() < 2 || other.contains(&parts[0]) {
        return false;
    }
    match parts.get(2) {
        None => true,
        Some(attr) => {
            let attr = attr.split('[').next().unwrap_or(attr);
            NAMING.contains(&attr)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_names_of_resources_are_names_and_others_anything() {
        for r in [
            "aws_s3_bucket.new.arn",
            "aws_s3_bucket.new",
            "google_project.sandbox.project_id",
            "kubernetes_service_account_v1.bot.metadata[0].name",
            "aws_s3_bucket.logs[\"a\"].arn",
        ] {
            assert!(names_a_resource(r), "{r}");
        }
        for r in [
            "var.policy",
            "local.doc",
            "data.aws_iam_policy_document.x.json",
            "module.iam.policy",
            "each.value",
            "aws_iam_policy.p.policy",
            "random_string.suffix.result",
        ] {
            assert!(!names_a_resource(r), "{r}");
        }
    }
}
