//! `Condition` blocks → clauses. Operators ANDed, keys within an operator ANDed, values ORed.
//!
//! String, `Bool`, `Null`, numeric, date and IP operators, and the set operators over strings,
//! are modelled exactly (see `model::Clause`); everything else becomes an opaque clause,
//! identified by its normalised text.

use super::{kind_of, PolicyError};
use crate::model::{values, Clause, Num, NumOp, Syntax};
use serde_json::Value;

/// Returns the clauses (sorted) and their display text (sorted the same way).
pub fn parse(
    v: Option<&Value>,
    at: &dyn Fn(&str) -> String,
) -> Result<(Vec<Clause>, Vec<String>), PolicyError> {
    let Some(v) = v else {
        return Ok((Vec::new(), Vec::new()));
    };
    let ops = match v {
        Value::Object(o) => o,
        Value::Null => return Ok((Vec::new(), Vec::new())),
        other => {
            return Err(PolicyError(format!(
                "policy {} must be an object, found {}",
                at("Condition"),
                kind_of(other)
            )))
        }
    };
    let mut out: Vec<(Clause, String)> = Vec::new();
    for (op, keys) in ops {
        let keys = keys.as_object().ok_or_else(|| {
            PolicyError(format!(
                "policy {}.{op} must be an object of keys, found {}",
                at("Condition"),
                kind_of(keys)
            ))
        })?;
        for (key, values) in keys {
            let values = scalars(values).ok_or_else(|| {
                PolicyError(format!(
                    "policy {}.{op}.{key} must be a value or an array of values, found {}",
                    at("Condition"),
                    kind_of(values)
                ))
            })?;
            out.push(clause(op, key, values));
        }
    }
    out.sort();
    out.dedup();
    Ok(out.into_iter().unzip())
}

/// Condition values may be strings, booleans or numbers; they compare as strings.
fn scalars(v: &Value) -> Option<Vec<String>> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        x => one(x).map(|s| vec![s]),
    }
}

fn clause(op: &str, key: &str, mut values: Vec<String>) -> (Clause, String) {
    values.sort();
    values.dedup();
    let text = format!("{op} {key} {}", values.join(", "));
    // Condition keys are case-insensitive; values are not (except for Bool and Null).
    let key = key.to_ascii_lowercase();
    let (quantifier, op_rest) = match op.split_once(':') {
        Some((q, rest)) => (Some(q), rest),
        None => (None, op),
    };
    let (base, if_exists) = match op_rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (op_rest, false),
    };
    if let Some(q) = quantifier {
        let all = match q {
            "ForAllValues" => true,
            "ForAnyValue" => false,
            _ => return (opaque(op, &key, &values), text),
        };
        let (syntax, negated) = match base {
            "StringEquals" => (Syntax::Literal, false),
            "StringNotEquals" => (Syntax::Literal, true),
            "StringLike" => (Syntax::Wildcard, false),
            "StringNotLike" => (Syntax::Wildcard, true),
            "ArnLike" | "ArnEquals" => (Syntax::ConditionArn, false),
            "ArnNotLike" | "ArnNotEquals" => (Syntax::ConditionArn, true),
            _ => return (opaque(op, &key, &values), text),
        };
        let c = Clause::Set {
            key,
            all,
            syntax,
            negated,
            if_exists,
            values,
        };
        return (c, text);
    }
    let str_clause = |syntax: Syntax, negated: bool, values: Vec<String>| Clause::Str {
        key: key.clone(),
        syntax,
        fold: false,
        negated,
        if_exists,
        values,
    };
    let folded = |negated: bool, values: &[String]| Clause::Str {
        key: key.clone(),
        syntax: Syntax::Literal,
        fold: true,
        negated,
        if_exists,
        values: values.iter().map(|s| s.to_lowercase()).collect(),
    };
    let c = match base {
        "StringEquals" => str_clause(Syntax::Literal, false, values),
        "StringNotEquals" => str_clause(Syntax::Literal, true, values),
        "StringLike" => str_clause(Syntax::Wildcard, false, values),
        "StringNotLike" => str_clause(Syntax::Wildcard, true, values),
        "ArnEquals" | "ArnLike" => str_clause(Syntax::ConditionArn, false, values),
        "ArnNotEquals" | "ArnNotLike" => str_clause(Syntax::ConditionArn, true, values),
        "Bool" | "StringEqualsIgnoreCase" => folded(false, &values),
        "StringNotEqualsIgnoreCase" => folded(true, &values),
        "Null" if !if_exists && values.len() == 1 => {
            match values[0].to_ascii_lowercase().as_str() {
                "true" => Clause::Null {
                    key: key.clone(),
                    is_null: true,
                },
                "false" => Clause::Null {
                    key: key.clone(),
                    is_null: false,
                },
                _ => opaque(op, &key, &values),
            }
        }
        "IpAddress" | "NotIpAddress" => {
            match values
                .iter()
                .map(|v| values::parse_cidr(v))
                .collect::<Option<Vec<_>>>()
            {
                Some(ranges) => Clause::Ip {
                    key: key.clone(),
                    negated: base == "NotIpAddress",
                    if_exists,
                    ranges,
                },
                None => opaque(op, &key, &values),
            }
        }
        _ => match numeric(base) {
            Some((op_kind, negated, date)) => {
                let parse = if date {
                    values::parse_date
                } else {
                    values::parse_number
                };
                match values
                    .iter()
                    .map(|v| parse(v).map(Num))
                    .collect::<Option<Vec<_>>>()
                {
                    Some(nums) => Clause::Num {
                        key: key.clone(),
                        op: op_kind,
                        negated,
                        if_exists,
                        date,
                        values: nums,
                    },
                    None => opaque(op, &key, &values),
                }
            }
            None => opaque(op, &key, &values),
        },
    };
    (c, text)
}

/// `NumericLessThan` → (`Lt`, not negated, not a date); `DateNotEquals` → (`Eq`, negated, date).
fn numeric(base: &str) -> Option<(NumOp, bool, bool)> {
    let (rest, date) = match (base.strip_prefix("Numeric"), base.strip_prefix("Date")) {
        (Some(r), _) => (r, false),
        (_, Some(r)) => (r, true),
        _ => return None,
    };
    let (op, negated) = match rest {
        "Equals" => (NumOp::Eq, false),
        "NotEquals" => (NumOp::Eq, true),
        "LessThan" => (NumOp::Lt, false),
        "LessThanEquals" => (NumOp::Le, false),
        "GreaterThan" => (NumOp::Gt, false),
        "GreaterThanEquals" => (NumOp::Ge, false),
        _ => return None,
    };
    Some((op, negated, date))
}

fn opaque(op: &str, key: &str, values: &[String]) -> Clause {
    Clause::Opaque {
        text: format!("{op} {key} {}", values.join(", ")),
    }
}
