//! One side of the plan as a list of resource objects with their values.

use crate::plan::Plan;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// One resource instance on one side. `unknown` and `sensitive` mirror its values with `true`
/// at leaves known only after apply / marked sensitive (`Value::Null` when there are none).
#[derive(Debug, Clone)]
pub struct Obj<'p> {
    pub address: &'p str,
    pub kind: &'p str,
    pub data: bool,
    /// Top-level attributes, left as raw JSON borrowed from the input until read: holding
    /// every IAM object of a large plan as parsed trees would double the memory it needs.
    attrs: Attrs<'p>,
    /// `after_unknown` / `before_sensitive`-style marks, left unparsed: most objects are asked
    /// about a few paths, and a parsed tree of a large resource's marks costs kilobytes.
    unknown: Option<&'p RawValue>,
    sensitive: Option<&'p RawValue>,
    /// Terraform actions of the change (empty for prior-state-only resources).
    pub actions: &'p [String],
}

impl<'p> Obj<'p> {
    /// The value at `path`, if known and not null.
    pub fn get(&self, path: &[Step]) -> Option<Value> {
        let (Step::Key(first), rest) = path.split_first()? else {
            return None;
        };
        let raw = self.attrs.0.iter().rev().find(|(k, _)| k == first)?.1;
        let mut v: Value = serde_json::from_str(raw.get()).ok()?;
        for s in rest {
            v = match s {
                Step::Key(k) => v.get_mut(*k)?.take(),
                Step::Index(i) => v.get_mut(*i)?.take(),
            };
        }
        (!v.is_null()).then_some(v)
    }

    /// The value at `path` is known only after apply.
    pub fn is_unknown(&self, path: &[Step]) -> bool {
        marked(self.unknown, path)
    }

    pub fn is_sensitive(&self, path: &[Step]) -> bool {
        marked(self.sensitive, path)
    }

    /// The unknown-marks under `path` (`Value::Null` when there are none).
    pub fn unknown_marks(&self, path: &[Step]) -> Value {
        at(self.unknown, path)
            .and_then(|r| serde_json::from_str(r.get()).ok())
            .unwrap_or(Value::Null)
    }

    /// The sensitive-marks under `path` (`Value::Null` when there are none).
    pub fn sensitive_marks(&self, path: &[Step]) -> Value {
        at(self.sensitive, path)
            .and_then(|r| serde_json::from_str(r.get()).ok())
            .unwrap_or(Value::Null)
    }

    /// The names of the top-level attributes whose values are present (known).
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        self.attrs.0.iter().map(|(k, _)| k.as_ref())
    }

    /// A string attribute, if known, borrowed from the input where it holds no escape: an
    /// attribute every object has (`arn`) is read once per object of a large plan.
    pub fn text(&self, attr: &str) -> Option<Cow<'p, str>> {
        let raw = self.attrs.0.iter().rev().find(|(k, _)| k == attr)?.1.get();
        let inner = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
        match inner {
            Some(text) if !text.contains('\\') => Some(Cow::Borrowed(text)),
            _ => match serde_json::from_str(raw).ok()? {
                Value::String(s) => Some(Cow::Owned(s)),
                _ => None,
            },
        }
    }

    /// A string attribute, if known.
    pub fn str(&self, attr: &str) -> Option<String> {
        self.text(attr).map(Cow::into_owned)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Step<'s> {
    Key(&'s str),
    Index(usize),
}

/// A JSON object's members, values unparsed. Not an object (or null): no members.
#[derive(Debug, Clone, Default)]
struct Attrs<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de> Deserialize<'de> for Attrs<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Attrs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Attrs<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(Key(k)) = m.next_key()? {
                    out.push((k, m.next_value()?));
                }
                Ok(Attrs(out))
            }
        }
        d.deserialize_map(Members)
    }
}

/// `true` at `path` or at any prefix of it.
fn marked(marks: Option<&RawValue>, path: &[Step]) -> bool {
    let is_true = |r: &RawValue| r.get().trim() == "true";
    let Some(mut v) = marks else {
        return false;
    };
    // Most marks never name the attribute asked about: a look at their text spares parsing
    // them (unless an escape could spell the name another way).
    if let Some(Step::Key(k)) = path.first() {
        let text = v.get();
        let named = text
            .match_indices(k)
            .any(|(i, _)| text[..i].ends_with('"') && text[i + k.len()..].starts_with('"'));
        if !named && !text.contains('\\') && !is_true(v) {
            return false;
        }
    }
    for s in path {
        if is_true(v) {
            return true;
        }
        match step(v, s) {
            Some(next) => v = next,
            None => return false,
        }
    }
    is_true(v)
}

/// The marks at `path`, if there are any.
fn at<'a>(marks: Option<&'a RawValue>, path: &[Step]) -> Option<&'a RawValue> {
    path.iter().try_fold(marks?, |v, s| step(v, s))
}

/// One step into a JSON object or array, reading only its top level.
fn step<'a>(v: &'a RawValue, s: &Step) -> Option<&'a RawValue> {
    match s {
        Step::Key(k) => {
            let Attrs(members) = serde_json::from_str(v.get()).ok()?;
            members
                .into_iter()
                .rev()
                .find(|(key, _)| key == k)
                .map(|(_, r)| r)
        }
        Step::Index(i) => {
            let items: Vec<&RawValue> = serde_json::from_str(v.get()).ok()?;
            items.get(*i).copied()
        }
    }
}

/// The resources of one side whose type `wanted` accepts.
pub struct World<'p> {
    pub side: Side,
    pub objs: Vec<Obj<'p>>,
}

impl<'p> World<'p> {
    pub fn build(plan: &'p Plan<'p>, side: Side, wanted: &dyn Fn(&str) -> bool) -> World<'p> {
        // `None`: absent or null (created before apply, deleted after).
        let attrs = |raw: Option<&'p RawValue>| -> Option<Attrs<'p>> {
            let raw = raw.filter(|r| r.get() != "null")?;
            Some(serde_json::from_str(raw.get()).unwrap_or_default())
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
                Side::Before => (c.before, None, c.before_sensitive),
                Side::After if forgotten => (c.before, None, c.before_sensitive),
                Side::After => (c.after, c.after_unknown, c.after_sensitive),
            };
            let Some(attrs) = attrs(values) else {
                continue;
            };
            objs.push(Obj {
                address: &rc.address,
                kind: &rc.kind,
                data: rc.mode == "data",
                attrs,
                unknown: unknown.filter(|r| r.get() != "null"),
                sensitive: sensitive.filter(|r| r.get() != "null"),
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
                attrs: attrs(r.values).unwrap_or_default(),
                unknown: None,
                sensitive: r.sensitive_values.filter(|r| r.get() != "null"),
                actions: &[],
            });
        }
        World { side, objs }
    }
}

/// The reference to `obj`'s `attribute`, for naming an unknown or sensitive value.
pub fn attr_ref(obj: &Obj, attribute: &str) -> AttributeRef {
    AttributeRef::new(obj.address, attribute)
}

/// A top-level attribute's path.
pub fn key(attr: &str) -> [Step<'_>; 1] {
    [Step::Key(attr)]
}

/// A plan attribute of some resource, e.g. `aws_iam_role_policy.x` / `policy`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct AttributeRef {
    pub address: String,
    pub attribute: String,
}

impl AttributeRef {
    pub fn new(address: &str, attribute: &str) -> AttributeRef {
        AttributeRef {
            address: address.to_string(),
            attribute: attribute.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_apply_to_prefixes() {
        let raw = |text: &str| RawValue::from_string(text.to_string()).unwrap();
        let v = raw(r#"{"a": [{"b": true}], "c": true, "c2": false}"#);
        let v = Some(v.as_ref());
        assert!(marked(v, &[Step::Key("c")]));
        assert!(marked(v, &[Step::Key("c"), Step::Key("d")]));
        assert!(marked(v, &[Step::Key("a"), Step::Index(0), Step::Key("b")]));
        assert!(!marked(
            v,
            &[Step::Key("a"), Step::Index(0), Step::Key("x")]
        ));
        assert!(!marked(v, &[Step::Key("a"), Step::Index(3)]));
        assert!(!marked(v, &[Step::Key("c2")]));
        assert!(!marked(v, &[Step::Key("x")]));
        let t = raw("true");
        assert!(marked(Some(t.as_ref()), &[Step::Key("x")]));
        assert!(!marked(None, &[Step::Key("x")]));
        let marks = at(v, &[Step::Key("a")]).unwrap();
        assert_eq!(marks.get(), r#"[{"b": true}]"#);
    }
}
