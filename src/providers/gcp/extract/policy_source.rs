//! A `_policy` resource's `policy_data` is known only after apply when the
//! `data.google_iam_policy` it comes from depends on values known only after apply. That data
//! source's `binding` blocks are still in the plan, most of them known: each one whose role and
//! members are known is read as a binding; the others stay unknown.

use super::attr_ref;
use super::parts::{condition, Condition, Members};
use crate::plan::refs::{Address, Config};
use crate::plan::side::{AttributeRef, Obj, Step, World};
use serde_json::Value;

/// One `binding` block of the data source.
pub struct Block {
    pub role: String,
    pub members: Members,
    pub condition: Option<Condition>,
    /// The role or condition is known only after apply.
    pub unknown: Option<AttributeRef>,
}

/// The blocks of the one `data.google_iam_policy` that `obj`'s `policy_data` refers to, if the
/// configuration names exactly one such data source on this side.
pub fn blocks(obj: &Obj, world: &World, config: Option<&Config>) -> Option<Vec<Block>> {
    let targets = config?.targets(obj.address, "policy_data");
    let mut sources = world.objs.iter().filter(|o| {
        o.data
            && o.kind == "google_iam_policy"
            && Address::parse(o.address).is_some_and(|a| targets.iter().any(|t| t.matches(&a)))
    });
    let source = sources.next()?;
    if sources.next().is_some() {
        return None;
    }
    let Some(Value::Array(list)) = source.get(&[Step::Key("binding")]) else {
        return Some(Vec::new());
    };
    let at = attr_ref(source, "binding");
    let mut out = Vec::new();
    for i in 0..list.len() {
        let path = |k: &'static str| [Step::Key("binding"), Step::Index(i), Step::Key(k)];
        let members_path = path("members");
        let members = if source.is_sensitive(&members_path) {
            Members::Sensitive(at.clone())
        } else if unknown_anywhere(&source.unknown_marks(&members_path)) {
            Members::Unknown(at.clone())
        } else {
            Members::Known(match source.get(&members_path) {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            })
        };
        let role = source
            .get(&path("role"))
            .and_then(|r| r.as_str().map(str::to_string));
        let cond_path = [Step::Key("binding"), Step::Index(i), Step::Key("condition")];
        let unknown = (role.is_none()
            || unknown_anywhere(&source.unknown_marks(&cond_path))
            || source.is_sensitive(&path("role"))
            || source.is_sensitive(&cond_path))
        .then(|| at.clone());
        let condition = source
            .get(&[cond_path[0], cond_path[1], cond_path[2], Step::Index(0)])
            .and_then(|c| condition(&c));
        out.push(Block {
            role: role.unwrap_or_default(),
            members,
            condition,
            unknown,
        });
    }
    Some(out)
}

fn unknown_anywhere(marks: &Value) -> bool {
    match marks {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(unknown_anywhere),
        Value::Object(o) => o.values().any(unknown_anywhere),
        _ => false,
    }
}
