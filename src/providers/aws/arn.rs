//! AWS ARNs: the account an ARN names.

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
