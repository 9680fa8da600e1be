//! AWS policy documents (identity, trust and resource policies) → statements in matching form.
//!
//! The policy language: `Statement` is an object or an array; `Action`/`NotAction`,
//! `Resource`/`NotResource`, `Principal`/`NotPrincipal` are a string or an array (principals an
//! object of such per type); actions are case-insensitive, resources and principals are not.

mod condition;
mod principal;
mod strict;

pub use principal::escape as escape_literal;

use crate::model::{Effect, Match, Statement};
use serde_json::Value;
use std::fmt;

/// A policy document that is not a valid IAM policy (wrong types, not JSON...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}

/// Parses a policy given as the JSON string Terraform stores. An empty string means "no policy".
pub fn parse_str(text: &str) -> Result<Option<Vec<Statement>>, PolicyError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    // One pass, which also refuses a key given twice (see `strict.rs`).
    let strict::Strict(doc) = serde_json::from_str(text).map_err(|e| {
        if e.is_data() && e.to_string().starts_with(strict::DUPLICATE_KEY) {
            let at = e.to_string();
            let at = at
                .rsplit_once(" at line ")
                .map_or("", |(_, l)| l)
                .to_owned();
            PolicyError(format!(
                "policy has a key twice in one object (at line {at}); AWS rejects such a document"
            ))
        } else {
            PolicyError(format!("policy is not valid JSON ({e})"))
        }
    })?;
    parse(&doc).map(Some)
}

/// Parses a policy document. Statements get `origin` 0; the caller sets the real origin.
pub fn parse(doc: &Value) -> Result<Vec<Statement>, PolicyError> {
    let obj = doc.as_object().ok_or_else(|| {
        PolicyError(format!(
            "policy must be a JSON object, found {}",
            kind_of(doc)
        ))
    })?;
    let statements: Vec<&Value> = match obj.get("Statement") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        Some(other) => {
            return Err(PolicyError(format!(
                "policy Statement must be an object or an array, found {}",
                kind_of(other)
            )))
        }
    };
    statements
        .into_iter()
        .enumerate()
        .map(|(i, s)| statement(i, s))
        .collect()
}

fn statement(i: usize, v: &Value) -> Result<Statement, PolicyError> {
    let at = |field: &str| format!("Statement[{i}].{field}");
    let obj = v.as_object().ok_or_else(|| {
        PolicyError(format!(
            "policy Statement[{i}] must be an object, found {}",
            kind_of(v)
        ))
    })?;
    let effect = match obj.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
        _ => {
            return Err(PolicyError(format!(
                "policy {} must be \"Allow\" or \"Deny\"",
                at("Effect")
            )))
        }
    };
    let actions = pick(obj, "Action", "NotAction", &at, |s| {
        (s.to_ascii_lowercase(), s.to_string())
    })?;
    let resources = pick(obj, "Resource", "NotResource", &at, |s| {
        (s.to_string(), s.to_string())
    })?;
    let principals = principal::parse(obj, &at)?;
    let (conditions, condition_text) = condition::parse(obj.get("Condition"), &at)?;
    Ok(Statement {
        effect,
        principals: principals.unwrap_or_else(Match::any),
        actions: actions.unwrap_or_else(Match::any),
        resources: resources.unwrap_or_else(Match::any),
        conditions: conditions.into(),
        except: None,
        condition_text: condition_text.into(),
        origin: 0,
    })
}

/// Reads `field` or `not_field` (string or array of strings) into a match.
fn pick(
    obj: &serde_json::Map<String, Value>,
    field: &str,
    not_field: &str,
    at: &dyn Fn(&str) -> String,
    norm: impl Fn(&str) -> (String, String),
) -> Result<Option<Match>, PolicyError> {
    let (negated, name, v) = match (obj.get(field), obj.get(not_field)) {
        (Some(v), None) => (false, field, v),
        (None, Some(v)) => (true, not_field, v),
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(PolicyError(format!(
                "policy {} and {not_field} cannot both be set",
                at(field)
            )))
        }
    };
    let items = strings(v).ok_or_else(|| {
        PolicyError(format!(
            "policy {} must be a string or an array of strings, found {}",
            at(name),
            not_strings(v)
        ))
    })?;
    Ok(Some(Match::new(
        negated,
        items.iter().map(|s| norm(s)).collect(),
    )))
}

/// A string or an array of strings, as the policy language allows almost everywhere.
pub(crate) fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(a) => a.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// What a value that should have been a string or an array of strings is, for messages:
/// `a number`, `an array holding an object`...
pub(crate) fn not_strings(v: &Value) -> String {
    match v {
        Value::Array(a) => match a.iter().find(|x| !x.is_string()) {
            Some(x) => format!("an array holding {}", kind_of(x)),
            None => "an array".into(),
        },
        other => kind_of(other).into(),
    }
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A normalised, order-independent JSON rendering of statements, for review diffs.
/// `names_principals` is set for trust and resource policies.
pub fn normalised(statements: &[Statement], names_principals: bool) -> Value {
    let mut sts: Vec<&Statement> = statements.iter().collect();
    sts.sort();
    sts.dedup_by(|a, b| a.same_meaning(b));
    let list: Vec<Value> = sts
        .iter()
        .map(|s| {
            let mut m = serde_json::Map::new();
            let eff = match s.effect {
                Effect::Allow => "Allow",
                Effect::Deny => "Deny",
            };
            m.insert("Effect".into(), eff.into());
            // Actions in matching (lower-case) form so re-casing is no change; principals as
            // written, since their matching form is internal.
            let mut put = |name: &str, not: &str, x: &Match, shown: &[String]| {
                let key = if x.negated { not } else { name };
                // An account is two patterns with one spelling; list it once.
                let mut list: Vec<String> = Vec::new();
                for v in shown {
                    if !list.contains(v) {
                        list.push(v.clone());
                    }
                }
                m.insert(key.into(), list.into());
            };
            if names_principals {
                put(
                    "Principal",
                    "NotPrincipal",
                    &s.principals,
                    &s.principals.display,
                );
            }
            put("Action", "NotAction", &s.actions, &s.actions.patterns);
            // Azure's own name for what its role takes out of `Action` (control and data plane).
            if let Some(x) = &s.except {
                put("NotActions", "NotActions", x, &x.patterns);
            }
            if !(names_principals && s.resources == Match::any()) {
                put(
                    "Resource",
                    "NotResource",
                    &s.resources,
                    &s.resources.patterns,
                );
            }
            if !s.condition_text.is_empty() {
                m.insert("Condition".into(), s.condition_text.to_vec().into());
            }
            Value::Object(m)
        })
        .collect();
    serde_json::json!({ "Statement": list })
}

#[cfg(test)]
mod tests;
