//! What every source of bindings reads the same way: a binding's members and its condition.

use crate::plan::side::AttributeRef;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Condition {
    pub expression: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub enum Members {
    Known(Vec<String>),
    /// Known only after apply: the attribute that holds them.
    Unknown(AttributeRef),
    /// Marked sensitive: never printed, so never an identity's address.
    Sensitive(AttributeRef),
}

pub fn condition(c: &Value) -> Option<Condition> {
    let expression = c.get("expression")?.as_str()?.to_string();
    let title = c
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Some(Condition { expression, title })
}
