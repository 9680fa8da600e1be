//! Which identity a grant resource names: by name on this side, through `configuration` when the
//! name is unknown until apply, or an identity outside the plan.

use super::docs::attr_ref;
use super::SideReader;
use crate::plan::side::{AttributeRef, Obj, Step};
use serde_json::Value;

/// The resource a carrier points at: the attribute that names it, its type, and the attributes
/// of that type whose value the name can be.
pub struct Target {
    pub attr: &'static str,
    pub kind: &'static str,
    pub by: &'static [&'static str],
}

/// A grant's target identity.
#[derive(Debug, Clone)]
pub struct Who {
    /// Key of the identity: its address, `external:KIND/NAME`, or the grant's own address when
    /// the target cannot be told before apply.
    pub address: String,
    pub kind: &'static str,
    pub managed: bool,
    /// How to name it in messages (a name, or the address).
    pub label: String,
    /// Set when the target is known only after apply.
    pub unresolved: Option<AttributeRef>,
}

impl SideReader<'_, '_> {
    /// The identities that attribute `attr` (a name or a list of names) of `obj` designates.
    pub fn who(&self, obj: &Obj, attr: &str, kind: &'static str) -> Vec<Who> {
        let path = [Step::Key(attr)];
        let sensitive = obj.is_sensitive(&path);
        let mut out = Vec::new();
        let mut unknown = obj.is_unknown(&path);
        match obj.get(&path) {
            // An empty name designates nobody (the provider rejects it at apply).
            Some(Value::String(name)) if name.is_empty() => {}
            Some(Value::String(name)) => out.push(self.by_name(obj, kind, &name, sensitive)),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some("") => {}
                        Some(name) => out.push(self.by_name(obj, kind, name, sensitive)),
                        None => unknown |= obj.is_unknown(&[Step::Key(attr), Step::Index(i)]),
                    }
                }
            }
            _ => {}
        }
        if unknown {
            let found: Vec<Who> = self
                .targets(obj, attr)
                .iter()
                .filter(|t| t.local.starts_with(&format!("{kind}.")))
                .flat_map(|t| self.resolve_all(t))
                .map(|o| Who {
                    address: o.address.to_string(),
                    kind,
                    managed: true,
                    label: o.address.to_string(),
                    unresolved: None,
                })
                .collect();
            if found.is_empty() {
                out.push(Who {
                    address: obj.address.to_string(),
                    kind,
                    managed: false,
                    label: obj.address.to_string(),
                    unresolved: Some(attr_ref(obj, attr)),
                });
            }
            out.extend(found);
        }
        out
    }

    /// The resources that attribute `t.attr` of `obj` names (see [`Target`]).
    pub fn who_by(&self, obj: &Obj, t: &Target) -> Vec<Who> {
        let path = [Step::Key(t.attr)];
        let sensitive = obj.is_sensitive(&path);
        match obj.get(&path) {
            Some(Value::String(v)) if !v.is_empty() => {
                if let Some(&i) = self.idx.subject_by.get(&(t.kind, v.clone())) {
                    let o = &self.world.objs[i];
                    return vec![Who {
                        address: o.address.to_string(),
                        kind: t.kind,
                        managed: true,
                        label: if sensitive { o.address.to_string() } else { v },
                        unresolved: None,
                    }];
                }
                let shown = if sensitive {
                    format!("(sensitive name from {})", obj.address)
                } else {
                    v
                };
                vec![Who {
                    address: format!("external:{}/{shown}", t.kind),
                    kind: t.kind,
                    managed: false,
                    label: shown,
                    unresolved: None,
                }]
            }
            None if obj.is_unknown(&path) => {
                let found: Vec<Who> = self
                    .targets(obj, t.attr)
                    .iter()
                    .filter(|r| r.local.starts_with(&format!("{}.", t.kind)))
                    .flat_map(|r| self.resolve_all(r))
                    .map(|o| Who {
                        address: o.address.to_string(),
                        kind: t.kind,
                        managed: true,
                        label: o.address.to_string(),
                        unresolved: None,
                    })
                    .collect();
                if found.is_empty() {
                    vec![Who {
                        address: obj.address.to_string(),
                        kind: t.kind,
                        managed: false,
                        label: obj.address.to_string(),
                        unresolved: Some(attr_ref(obj, t.attr)),
                    }]
                } else {
                    found
                }
            }
            _ => Vec::new(),
        }
    }

    fn by_name(&self, obj: &Obj, kind: &'static str, name: &str, sensitive: bool) -> Who {
        if let Some(&i) = self.idx.identity_by_name.get(&(kind, name.to_string())) {
            let o = &self.world.objs[i];
            return Who {
                address: o.address.to_string(),
                kind,
                managed: true,
                label: if sensitive {
                    o.address.to_string()
                } else {
                    name.to_string()
                },
                unresolved: None,
            };
        }
        let shown = if sensitive {
            format!("(sensitive name from {})", obj.address)
        } else {
            name.to_string()
        };
        Who {
            address: format!("external:{kind}/{shown}"),
            kind,
            managed: false,
            label: shown,
            unresolved: None,
        }
    }
}
