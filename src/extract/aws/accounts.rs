//! The plan's own AWS accounts: the accounts in the ARNs of the resources it manages, and the
//! account `aws_caller_identity` reports.

use crate::extract::world::World;

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

/// The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:...`), when it is one.
pub fn in_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let account = parts.nth(3)?;
    is_account(account).then_some(account)
}

/// A 12-digit AWS account id.
pub fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_account_field_of_an_arn() {
        assert_eq!(
            in_arn("arn:aws:iam::111122223333:role/x"),
            Some("111122223333")
        );
        assert_eq!(
            in_arn("arn:aws-cn:kms:cn-north-1:444455556666:key/k"),
            Some("444455556666")
        );
        assert_eq!(in_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(in_arn("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(in_arn("not-an-arn:a:b:c:111122223333:d"), None);
    }
}
