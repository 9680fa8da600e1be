//! The plan's own AWS accounts: the accounts in the ARNs of the resources it manages, and the
//! account `aws_caller_identity` reports.

use crate::plan::side::World;
use crate::providers::aws::arn::{in_arn, is_account};

/// Accounts named by the ARNs of this side's resources.
pub fn of(world: &World) -> Vec<String> {
    let mut out = Vec::new();
    // Identities and policies carry their account in their ARN, and so do most resources a
    // policy protects; attachments and inline policies have no ARN to read.
    let has_arn = |kind: &str| {
        matches!(
            kind,
            super::ROLE | super::USER | super::GROUP | "aws_iam_policy"
        ) || super::resources::service_of(kind).is_some()
    };
    for o in &world.objs {
        let found = match (o.data, o.kind) {
            (true, "aws_caller_identity") => o.str("account_id"),
            (false, kind) if has_arn(kind) => o
                .str("arn")
                .and_then(|arn| in_arn(&arn).map(str::to_string)),
            _ => None,
        };
        if let Some(a) = found.filter(|a| is_account(a)) {
            out.push(a);
        }
    }
    out
}
