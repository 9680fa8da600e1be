//! `Principal` / `NotPrincipal` → patterns over `TYPE:ID` strings.
//!
//! `"*"` and `{"AWS":"*"}` both mean anyone and become the pattern `*`. An account (`123456789012`
//! or `arn:aws:iam::123456789012:root`) stands for every principal of that account, so it becomes
//! `AWS:arn:aws:iam::123456789012:*` and `AWS:arn:aws:sts::123456789012:*`. Principal values
//! take no wildcards, so other values are escaped literals.

use super::{kind_of, not_strings, strings, PolicyError};
use crate::model::Match;
use serde_json::Value;

pub fn parse(
    obj: &serde_json::Map<String, Value>,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<Match>, PolicyError> {
    let (negated, name, v) = match (obj.get("Principal"), obj.get("NotPrincipal")) {
        (Some(v), None) => (false, "Principal", v),
        (None, Some(v)) => (true, "NotPrincipal", v),
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(PolicyError(format!(
                "policy {} and NotPrincipal cannot both be set",
                at("Principal")
            )))
        }
    };
    let mut pairs = Vec::new();
    match v {
        Value::String(s) if s == "*" => pairs.push(("*".to_string(), "*".to_string())),
        Value::Object(types) => {
            for (ty, ids) in types {
                let ids = strings(ids).ok_or_else(|| {
                    PolicyError(format!(
                        "policy {}.{ty} must be a string or an array of strings, found {}",
                        at(name),
                        not_strings(ids)
                    ))
                })?;
                for id in ids {
                    pairs.extend(one(ty, id));
                }
            }
        }
        other => {
            return Err(PolicyError(format!(
                "policy {} must be \"*\" or an object, found {}",
                at(name),
                kind_of(other)
            )))
        }
    }
    Ok(Some(Match::new(negated, pairs)))
}

/// (pattern, display) pairs for one principal value. An account stands for every principal of
/// it: IAM users and roles (`arn:aws:iam::ACCOUNT:...`) and role sessions
/// (`arn:aws:sts::ACCOUNT:...`). Each pattern's only wildcard comes after the account field, so
/// the patterns of two accounts never meet in one string.
fn one(ty: &str, id: &str) -> Vec<(String, String)> {
    let display = format!("{ty}:{id}");
    // `aws_iam_policy_document` writes `principals { type = "*" identifiers = ["*"] }` as
    // `"Principal": "*"`.
    if id == "*" && (ty == "AWS" || ty == "*") {
        return vec![("*".into(), "*".into())];
    }
    if id == "*" {
        return vec![(format!("{ty}:*"), display)];
    }
    if ty == "AWS" {
        if let Some((partition, account)) = account_of(id) {
            return ["iam", "sts"]
                .iter()
                .map(|svc| {
                    (
                        format!("AWS:arn:{partition}:{svc}::{account}:*"),
                        display.clone(),
                    )
                })
                .collect();
        }
    }
    vec![(format!("{ty}:{}", escape(id)), display)]
}

/// The account a principal value names as a whole (bare id or `:root` ARN).
fn account_of(id: &str) -> Option<(&str, &str)> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(("aws", id));
    }
    let rest = id.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let account = rest.strip_suffix(":root")?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then_some((partition, account))
}

/// Makes a literal value safe to use as a wildcard pattern.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '*' => out.push_str("${*}"),
            '?' => out.push_str("${?}"),
            '$' => out.push_str("${$}"),
            c => out.push(c),
        }
    }
    out
}
