//! Who a principal is: public, an account (own, trusted, foreign), an organisation, a service,
//! a federated issuer. `*` counts as public unless a condition pins it, following S3's definition
//! of a public policy: a fixed value (no wildcard, not negated, not `...IfExists`) of a key that
//! names an account, an organisation, a source, a network or a VPC.

use super::Accounts;
use crate::model::{Clause, Statement};
use crate::providers::aws::arn::{in_arn, is_account};
use crate::report::PrincipalClass;

/// A principal's class and the account it is tied to, when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub class: PrincipalClass,
    pub account: Option<String>,
}

/// Keys whose fixed value ties a request to one account.
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceowner",
    "kms:calleraccount",
    "s3:dataaccesspointaccount",
];

/// Keys whose fixed value is an ARN (its account, if it has one, is the request's).
const ARN_KEYS: &[&str] = &["aws:principalarn", "aws:sourcearn", "s3:dataaccesspointarn"];

/// Keys whose fixed value ties a request to an organisation.
const ORG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:resourceorgid",
];

/// Keys whose fixed value restricts where a request comes from without naming an account.
const NETWORK_KEYS: &[&str] = &["aws:sourcevpc", "aws:sourcevpce", "aws:userid"];

/// Keys by which a service principal's request is tied to a source resource or account (the
/// confused-deputy guard).
pub const SOURCE_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

/// Classifies principal `display` (as written: `*`, `AWS:…`, `Service:…`, `Federated:…`) of
/// statement `st`.
pub fn classify(display: &str, st: &Statement, accounts: &Accounts) -> Who {
    let (ty, id) = display.split_once(':').unwrap_or(("AWS", display));
    match ty {
        _ if display == "*" => anyone(st, accounts),
        "AWS" if id == "*" || id.contains('*') => anyone(st, accounts),
        "AWS" => {
            let account = if is_account(id) {
                Some(id.to_string())
            } else {
                in_arn(id).map(str::to_string)
            };
            Who {
                class: match &account {
                    Some(a) => accounts.class_of(a),
                    None => PrincipalClass::ForeignAccount,
                },
                account,
            }
        }
        "Service" => Who {
            class: PrincipalClass::Service,
            account: None,
        },
        "Federated" => Who {
            class: PrincipalClass::Federated,
            account: in_arn(id).map(str::to_string),
        },
        _ => Who {
            class: PrincipalClass::ForeignAccount,
            account: None,
        },
    }
}

/// `*`: public unless pinned; the most exposed pin wins when several apply.
fn anyone(st: &Statement, accounts: &Accounts) -> Who {
    let mut best: Option<Who> = None;
    let mut consider = |w: Who| {
        // A request must satisfy every clause, so the least exposed pin decides.
        if best.as_ref().is_none_or(|b| w.class > b.class) {
            best = Some(w);
        }
    };
    for c in st.conditions.iter() {
        let Some((key, values)) = fixed(c) else {
            if let Clause::Ip {
                negated: false,
                if_exists: false,
                ranges,
                ..
            } = c
            {
                // S3 does not count a range wider than /8 (IPv4) or /32 (IPv6) as a limit.
                let narrow = ranges.iter().all(|r| {
                    let span = r.hi - r.lo;
                    if r.v6 {
                        span < (1u128 << 96)
                    } else {
                        span < (1u128 << 24)
                    }
                });
                if narrow && !ranges.is_empty() {
                    consider(restricted());
                }
            }
            continue;
        };
        if ACCOUNT_KEYS.contains(&key) {
            consider(worst_account(
                values.iter().map(|v| Some(v.as_str())),
                accounts,
            ));
        } else if ARN_KEYS.contains(&key) {
            consider(worst_account(values.iter().map(|v| in_arn(v)), accounts));
        } else if ORG_KEYS.contains(&key) {
            consider(Who {
                class: PrincipalClass::Organization,
                account: None,
            });
        } else if NETWORK_KEYS.contains(&key) {
            consider(restricted());
        }
    }
    best.unwrap_or(Who {
        class: PrincipalClass::Public,
        account: None,
    })
}

fn restricted() -> Who {
    Who {
        class: PrincipalClass::Restricted,
        account: None,
    }
}

/// The most exposed of several allowed accounts (`None`: a value that names no account, such as
/// a bucket ARN, which still pins the source).
fn worst_account<'a>(values: impl Iterator<Item = Option<&'a str>>, accounts: &Accounts) -> Who {
    let mut worst: Option<Who> = None;
    for v in values {
        let w = match v {
            Some(a) if is_account(a) => Who {
                class: accounts.class_of(a),
                account: Some(a.to_string()),
            },
            _ => restricted(),
        };
        if worst.as_ref().is_none_or(|b| w.class < b.class) {
            worst = Some(w);
        }
    }
    worst.unwrap_or_else(restricted)
}

/// A clause that allows only fixed values of a key: (lower-case key, values).
pub fn fixed(c: &Clause) -> Option<(&str, &[String])> {
    match c {
        Clause::Str {
            key,
            negated: false,
            if_exists: false,
            values,
            ..
        } if !values.is_empty() && values.iter().all(|v| !has_wildcard(v)) => {
            Some((key.as_str(), values.as_slice()))
        }
        _ => None,
    }
}

fn has_wildcard(v: &str) -> bool {
    v.contains('*') || v.contains('?') || v.contains("${")
}

/// Whether statement `st` has a clause on `key` (lower-case) at all.
pub fn mentions(st: &Statement, key: &str) -> bool {
    st.conditions.iter().any(|c| c.key() == Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aws::policy;
    use serde_json::json;

    fn accounts() -> Accounts {
        Accounts {
            own: ["111122223333".to_string()].into(),
            trusted: ["222233334444".to_string()].into(),
        }
    }

    fn statement(principal: serde_json::Value, condition: serde_json::Value) -> Statement {
        let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "*"});
        if !condition.is_null() {
            st["Condition"] = condition;
        }
        policy::parse(&json!({ "Statement": [st] }))
            .unwrap()
            .remove(0)
    }

    fn class(principal: serde_json::Value, condition: serde_json::Value) -> PrincipalClass {
        let st = statement(principal, condition);
        let display = st.principals.display[0].clone();
        classify(&display, &st, &accounts()).class
    }

    #[test]
    fn star_is_public_unless_pinned() {
        use PrincipalClass::*;
        let n = serde_json::Value::Null;
        assert_eq!(class(json!("*"), n.clone()), Public);
        assert_eq!(class(json!({"AWS": "*"}), n.clone()), Public);
        let org = json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}});
        assert_eq!(class(json!("*"), org), Organization);
        let own = json!({"StringEquals": {"aws:SourceAccount": "111122223333"}});
        assert_eq!(class(json!("*"), own), OwnAccount);
        let foreign =
            json!({"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}});
        assert_eq!(class(json!("*"), foreign), ForeignAccount);
        let wild = json!({"StringLike": {"aws:PrincipalAccount": "1111*"}});
        assert_eq!(class(json!("*"), wild), Public);
        let if_exists = json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}});
        assert_eq!(class(json!("*"), if_exists), Public);
        let vpce = json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}});
        assert_eq!(class(json!("*"), vpce), Restricted);
        let wide = json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}});
        assert_eq!(class(json!("*"), wide), Public);
        let office = json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}});
        assert_eq!(class(json!("*"), office), Restricted);
        let bucket = json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::logs"}});
        assert_eq!(class(json!("*"), bucket), Restricted);
    }

    #[test]
    fn accounts_by_id_or_arn() {
        use PrincipalClass::*;
        let n = serde_json::Value::Null;
        assert_eq!(class(json!({"AWS": "111122223333"}), n.clone()), OwnAccount);
        assert_eq!(
            class(json!({"AWS": "arn:aws:iam::111122223333:root"}), n.clone()),
            OwnAccount
        );
        assert_eq!(
            class(
                json!({"AWS": "arn:aws:iam::222233334444:role/x"}),
                n.clone()
            ),
            TrustedAccount
        );
        assert_eq!(
            class(json!({"AWS": "444455556666"}), n.clone()),
            ForeignAccount
        );
        assert_eq!(
            class(json!({"AWS": "AROAEXAMPLEID"}), n.clone()),
            ForeignAccount
        );
        assert_eq!(
            class(json!({"Service": "sns.amazonaws.com"}), n.clone()),
            Service
        );
        assert_eq!(
            class(
                json!({"Federated": "arn:aws:iam::111122223333:oidc-provider/x"}),
                n
            ),
            Federated
        );
    }
}
