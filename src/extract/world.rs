//! One side of the plan as a list of resource objects with their values.

use crate::plan::Plan;
use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// One resource instance on one side. `unknown` and `sensitive` mirror `values` with `true` at
/// leaves known only after apply / marked sensitive (`Value::Null` when there are none).
#[derive(Debug, Clone)]
pub struct Obj<'p> {
    pub address: &'p str,
    pub kind: &'p str,
    pub data: bool,
    pub values: Value,
    pub unknown: Value,
    pub sensitive: Value,
    /// Terraform actions of the change (empty for prior-state-only resources).
    pub actions: &'p [String],
}

impl Obj<'_> {
    /// The value at `path`, if known.
    pub fn get(&self, path: &[Step]) -> Option<&Value> {
        walk(&self.values, path).filter(|v| !v.is_null())
    }

    /// The value at `path` is known only after apply.
    pub fn is_unknown(&self, path: &[Step]) -> bool {
        marked(&self.unknown, path)
    }

    pub fn is_sensitive(&self, path: &[Step]) -> bool {
        marked(&self.sensitive, path)
    }

    pub fn str(&self, attr: &str) -> Option<&str> {
        self.get(&[Step::Key(attr)]).and_then(Value::as_str)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Step<'s> {
    Key(&'s str),
    Index(usize),
}

fn walk<'v>(mut v: &'v Value, path: &[Step]) -> Option<&'v Value> {
    for s in path {
        v = match s {
            Step::Key(k) => v.get(k)?,
            Step::Index(i) => v.get(i)?,
        };
    }
    Some(v)
}

/// `true` at `path` or at any prefix of it.
fn marked(mut v: &Value, path: &[Step]) -> bool {
    if v == &Value::Bool(true) {
        return true;
    }
    for s in path {
        let next = match s {
            Step::Key(k) => v.get(k),
            Step::Index(i) => v.get(i),
        };
        match next {
            Some(Value::Bool(true)) => return true,
            Some(n) => v = n,
            None => return false,
        }
    }
    false
}

/// The resources of one side whose type `wanted` accepts.
pub struct World<'p> {
    pub side: Side,
    pub objs: Vec<Obj<'p>>,
}

impl<'p> World<'p> {
    pub fn build(plan: &'p Plan<'p>, side: Side, wanted: &dyn Fn(&str) -> bool) -> World<'p> {
        let parse = |raw: Option<&serde_json::value::RawValue>| -> Value {
            raw.and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or(Value::Null)
        };
        let mut objs = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for rc in &plan.resource_changes {
            if rc.deposed.is_some() || !wanted(&rc.kind) {
                continue;
            }
            seen.insert(rc.address.as_str());
            let c = &rc.change;
            // `forget` removes the object from Terraform's state, not from the cloud: its grants
            // stay in force after apply.
            let forgotten =
                c.actions.iter().any(|a| a == "forget") && !c.actions.iter().any(|a| a == "create");
            let (values, unknown, sensitive) = match side {
                Side::Before => (parse(c.before), Value::Null, parse(c.before_sensitive)),
                Side::After if forgotten => {
                    (parse(c.before), Value::Null, parse(c.before_sensitive))
                }
                Side::After => (
                    parse(c.after),
                    parse(c.after_unknown),
                    parse(c.after_sensitive),
                ),
            };
            // Null: created (before) or deleted (after).
            if values.is_null() {
                continue;
            }
            objs.push(Obj {
                address: &rc.address,
                kind: &rc.kind,
                data: rc.mode == "data",
                values,
                unknown,
                sensitive,
                actions: &c.actions,
            });
        }
        for r in &plan.prior_state {
            if seen.contains(r.address.as_str()) || !wanted(&r.kind) {
                continue;
            }
            objs.push(Obj {
                address: &r.address,
                kind: &r.kind,
                data: r.mode == "data",
                values: parse(r.values),
                unknown: Value::Null,
                sensitive: parse(r.sensitive_values),
                actions: &[],
            });
        }
        World { side, objs }
    }

    pub fn of_kind<'w>(&'w self, kind: &'w str) -> impl Iterator<Item = &'w Obj<'p>> + 'w {
        self.objs.iter().filter(move |o| o.kind == kind)
    }

    pub fn by_address(&self, address: &str) -> Option<&Obj<'p>> {
        self.objs.iter().find(|o| o.address == address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marks_apply_to_prefixes() {
        let v = json!({"a": [{"b": true}], "c": true});
        assert!(marked(&v, &[Step::Key("c")]));
        assert!(marked(&v, &[Step::Key("c"), Step::Key("d")]));
        assert!(marked(
            &v,
            &[Step::Key("a"), Step::Index(0), Step::Key("b")]
        ));
        assert!(!marked(
            &v,
            &[Step::Key("a"), Step::Index(0), Step::Key("x")]
        ));
        assert!(marked(&json!(true), &[Step::Key("x")]));
        assert!(!marked(&Value::Null, &[Step::Key("x")]));
    }
}
