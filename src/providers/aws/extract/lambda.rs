//! `aws_lambda_permission`: one statement of a function's resource policy, written as
//! attributes. privdiff builds the statement Lambda would add and reads it like any other.

use super::docs::{attr_ref, Doc};
use super::targets::Target;
use super::SideReader;
use crate::plan::side::{Obj, Step};
use crate::plan::InputError;
use crate::providers::aws::policy;
use serde_json::{json, Map, Value};
use std::rc::Rc;

pub const FUNCTION: &str = "aws_lambda_function";

/// `function_name` is a name, an ARN, or a partial ARN.
pub const TARGET: Target = Target {
    attr: "function_name",
    kind: FUNCTION,
    by: &["function_name", "arn", "id"],
};

/// Attributes that become conditions: (attribute, operator, condition key).
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("source_arn", "ArnLike", "AWS:SourceArn"),
    ("source_account", "StringEquals", "AWS:SourceAccount"),
    ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
    (
        "function_url_auth_type",
        "StringEquals",
        "lambda:FunctionUrlAuthType",
    ),
    (
        "event_source_token",
        "StringEquals",
        "lambda:EventSourceToken",
    ),
];

/// The statement `obj` adds to the policy of the function at `subject`.
pub fn statement(reader: &SideReader, obj: &Obj, subject: &str) -> Result<Doc, InputError> {
    let mut sensitive = false;
    let mut assumed = Vec::new();
    let mut text = |attr: &str| -> Result<Option<String>, Doc> {
        let path = [Step::Key(attr)];
        if obj.is_unknown(&path) {
            return Err(Doc::Unknown(attr_ref(obj, attr)));
        }
        sensitive |= obj.is_sensitive(&path);
        Ok(obj.str(attr).filter(|s| !s.is_empty()))
    };
    let read = (|| {
        let principal = text("principal")?;
        let action = text("action")?;
        let name = text("function_name")?;
        let qualifier = text("qualifier")?;
        let mut conditions = Vec::new();
        for (attr, op, key) in CONDITIONS {
            let v = match text(attr) {
                Ok(v) => v,
                Err(unknown) => match made_by_plan(reader, obj, attr) {
                    Some(shown) => {
                        assumed.push(format!(
                            "{attr} is a value of {shown}: a pin to it, standing as a value of its own"
                        ));
                        Some(symbol(attr, &shown))
                    }
                    None => return Err(unknown),
                },
            };
            if let Some(v) = v {
                conditions.push((*op, *key, v));
            }
        }
        Ok((principal, action, name, qualifier, conditions))
    })();
    let (principal, action, name, qualifier, conditions) = match read {
        Ok(r) => r,
        Err(doc) => return Ok(doc),
    };
    let Some(principal) = principal else {
        return Ok(Doc::Empty);
    };
    let function_arn = name
        .filter(|n| n.starts_with("arn:"))
        .or_else(|| subject_arn(reader, subject))
        .unwrap_or_else(|| "*".to_string());
    let resource = match qualifier {
        Some(q) if function_arn != "*" => format!("{function_arn}:{q}"),
        _ => function_arn,
    };
    let mut statement = Map::new();
    statement.insert("Effect".into(), "Allow".into());
    statement.insert("Principal".into(), principal_value(&principal));
    statement.insert(
        "Action".into(),
        action
            .unwrap_or_else(|| "lambda:InvokeFunction".into())
            .into(),
    );
    statement.insert("Resource".into(), resource.into());
    if !conditions.is_empty() {
        let mut ops: Map<String, Value> = Map::new();
        for (op, key, v) in conditions {
            ops.entry(op)
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .expect("an object")
                .insert(key.into(), v.into());
        }
        statement.insert("Condition".into(), Value::Object(ops));
    }
    let doc = json!({ "Statement": [Value::Object(statement)] });
    let statements = policy::parse(&doc).map_err(|e| InputError {
        address: obj.address.to_string(),
        attribute: "principal".into(),
        message: if sensitive {
            "the permission (a sensitive value, not shown) is not a valid policy statement".into()
        } else {
            e.0
        },
    })?;
    Ok(Doc::Statements {
        statements: Rc::new(statements),
        source: obj.address.to_string(),
        resources: vec![obj.address.to_string()],
        at: attr_ref(obj, "principal"),
        sensitive,
        assumed: assumed.into(),
    })
}

/// The resources of the plan (not data sources, variables or anything else) that the
/// configuration computes a condition attribute from, when it names some: the value is then
/// theirs (a rule's or an API's ARN, known after apply), a pin, not anything.
fn made_by_plan(reader: &SideReader, obj: &Obj, attr: &str) -> Option<String> {
    let targets = reader.config?.targets(obj.address, attr);
    let managed = targets.iter().all(|t| !t.local.starts_with("data."));
    (!targets.is_empty() && managed).then(|| {
        targets
            .iter()
            .map(|t| t.address())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// A condition value known only after apply, as a literal no real value equals and no pattern
/// reads as a wildcard.
fn symbol(attr: &str, from: &str) -> String {
    format!("⟨{attr} from {from}, known after apply⟩")
        .chars()
        .map(|c| if matches!(c, '*' | '?' | '$') { '_' } else { c })
        .collect()
}

/// Lambda's principal: a service (`s3.amazonaws.com`), an account or ARN, or `*`.
fn principal_value(p: &str) -> Value {
    if p == "*" {
        return "*".into();
    }
    let service = p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn");
    if service {
        json!({ "Service": p })
    } else {
        json!({ "AWS": p })
    }
}

fn subject_arn(reader: &SideReader, subject: &str) -> Option<String> {
    let local = crate::plan::refs::Address::parse(subject)?.local;
    reader
        .idx
        .by_local
        .get(&local)?
        .iter()
        .map(|&i| &reader.world.objs[i])
        .find(|o| o.address == subject && o.kind == FUNCTION)
        .and_then(|o| o.str("arn"))
}
