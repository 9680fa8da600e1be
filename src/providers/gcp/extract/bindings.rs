//! Reads one side's `google_*_iam_member/_binding/_policy` resources into bindings, and its
//! custom roles into permission lists.

use super::default_project::DefaultProjects;
use super::names::AfterApply;
use super::parts::{condition, Condition, Members};
use super::{attr_ref, key, names, policy_source};
use crate::plan::refs::Config;
use crate::plan::side::{AttributeRef, Obj, Step, World};
use crate::plan::InputError;
use serde_json::Value;
use std::collections::HashMap;

/// How a resource type sets members: one member, all members of one role, or the whole policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Member,
    Binding,
    Policy,
}

/// A family of IAM resources: the attribute naming the resource the policy is on and how its
/// value becomes a resource name, or `None` for a resource-level family named generically
/// (see [`names::resource_level`]).
pub struct Family {
    pub shape: Shape,
    pub on: Option<(&'static str, Namer)>,
}

/// Resource-name prefix `prefix/` added unless the value already has it.
fn prefixed(prefix: &str, v: &str) -> String {
    if v.starts_with(&format!("{prefix}/")) {
        v.to_string()
    } else {
        format!("{prefix}/{v}")
    }
}

/// Turns the value of a family's resource attribute into a resource name.
type Namer = fn(&str) -> String;

/// The policy families read in this increment, by type-name prefix.
const FAMILIES: &[(&str, &str, Namer)] = &[
    ("google_project_iam_", "project", |v| {
        prefixed("projects", v)
    }),
    ("google_folder_iam_", "folder", |v| prefixed("folders", v)),
    ("google_organization_iam_", "org_id", |v| {
        prefixed("organizations", v)
    }),
    (
        "google_service_account_iam_",
        "service_account_id",
        names::service_account,
    ),
];

pub fn family(kind: &str) -> Option<Family> {
    let (rest, shape) = [
        ("_iam_member", Shape::Member),
        ("_iam_binding", Shape::Binding),
        ("_iam_policy", Shape::Policy),
    ]
    .into_iter()
    .find_map(|(suffix, shape)| Some((kind.strip_suffix(suffix)?, shape)))?;
    let rest = rest.strip_prefix("google_")?;
    let on = FAMILIES
        .iter()
        .find(|(prefix, _, _)| prefix.strip_prefix("google_") == Some(&format!("{rest}_iam_")))
        .map(|(_, attr, name)| (*attr, *name));
    Some(Family { shape, on })
}

/// For a custom role type: the attribute naming its parent and the parent's name prefix.
pub fn custom_role_scope(kind: &str) -> Option<(&'static str, &'static str)> {
    match kind {
        "google_project_iam_custom_role" => Some(("project", "projects")),
        "google_organization_iam_custom_role" => Some(("org_id", "organizations")),
        _ => None,
    }
}

/// One role bound to members on one resource.
#[derive(Debug, Clone)]
pub struct Binding {
    pub address: String,
    pub members: Members,
    pub role: String,
    pub resource: String,
    pub condition: Option<Condition>,
    /// The role or condition is known only after apply.
    pub unknown: Option<AttributeRef>,
    /// Values naming the resource that are known only after apply, and what `resource` shows
    /// in their place.
    pub after_apply: Vec<AfterApply>,
    /// The role or condition is marked sensitive.
    pub sensitive: bool,
    /// The type of the resource bound on, where it narrows what a role grants there.
    pub on_type: Option<&'static str>,
}

/// What one side of the plan binds, and the custom roles it defines.
#[derive(Debug, Default)]
pub struct SideBindings {
    pub bindings: Vec<Binding>,
    /// Custom role name (`projects/p/roles/id`) → its permissions, `None` if known only after
    /// apply (with the attribute that is unknown).
    pub custom: HashMap<String, Result<Vec<String>, AttributeRef>>,
}

pub fn read(
    world: &World,
    defaults: &DefaultProjects,
    config: Option<&Config>,
) -> Result<SideBindings, InputError> {
    let mut out = SideBindings::default();
    for obj in world.objs.iter().filter(|o| !o.data) {
        if let Some((attr, prefix)) = custom_role_scope(obj.kind) {
            custom_role(obj, attr, prefix, &mut out);
        }
        let Some(f) = family(obj.kind) else {
            continue;
        };
        let default_project = defaults.of(obj.address);
        let after_apply = |attr: &str| names::after_apply(obj, attr, config);
        let resource = match f.on {
            None => names::resource_level(obj, default_project, &after_apply),
            Some((attr, name)) => match obj.str(attr) {
                Some(v) if !v.is_empty() => (name(&v), Vec::new()),
                // Not set on the resource: the provider's project.
                _ if attr == "project"
                    && obj.is_unknown(&key(attr))
                    && default_project.is_some() =>
                {
                    (name(default_project.unwrap_or_default()), Vec::new())
                }
                _ if obj.is_unknown(&key(attr)) => {
                    let a = after_apply(attr);
                    (name(&a.shown), vec![a])
                }
                // Required by the provider: a plan without it is not one this code reads.
                _ => continue,
            },
        };
        match f.shape {
            Shape::Member => {
                let members = match obj.str("member") {
                    _ if obj.is_sensitive(&key("member")) => {
                        Members::Sensitive(attr_ref(obj, "member"))
                    }
                    Some(m) => Members::Known(vec![m]),
                    None if obj.is_unknown(&key("member")) => {
                        match deployer_of(obj, world, config) {
                            // Read at apply, the e-mail is unknown; whose it is is not.
                            Some(source) => Members::Known(vec![source]),
                            None => Members::Unknown(attr_ref(obj, "member")),
                        }
                    }
                    None => continue,
                };
                out.bindings.push(one(obj, members, &resource));
            }
            Shape::Binding => {
                let members = members_list(obj);
                out.bindings.push(one(obj, members, &resource));
            }
            Shape::Policy => policy(obj, &resource, (world, config), &mut out.bindings)?,
        }
    }
    Ok(out)
}

/// The data source reading the identity running Terraform that `member` is built from, when
/// it is the only resource the configuration's expression refers to.
fn deployer_of(obj: &Obj, world: &World, config: Option<&Config>) -> Option<String> {
    let config = config?;
    // Anything else in the expression (a variable, a local) could make it someone else.
    let only_it = config
        .references_of(obj.address, "member")?
        .iter()
        .all(|r| r.starts_with(&format!("data.{}.", super::DEPLOYER_SOURCE)));
    if !only_it {
        return None;
    }
    let targets = config.targets(obj.address, "member");
    let [target] = targets.as_slice() else {
        return None;
    };
    let source = world.objs.iter().find(|o| {
        o.data
            && o.kind == super::DEPLOYER_SOURCE
            && crate::plan::refs::Address::parse(o.address).is_some_and(|a| target.matches(&a))
    })?;
    Some(source.address.to_string())
}

/// The resource a binding is on: its name, and the naming values known only after apply.
type Named = (String, Vec<AfterApply>);

/// A `_member` or `_binding` resource: `role` and `condition` are attributes of `obj`.
fn one(obj: &Obj, members: Members, resource: &Named) -> Binding {
    let mut unknown = None;
    let role = obj.str("role").unwrap_or_default();
    if role.is_empty() && unknown.is_none() {
        unknown = Some(attr_ref(obj, "role"));
    }
    let cond_path = [Step::Key("condition"), Step::Index(0)];
    let marks_unknown = obj.is_unknown(&key("condition"))
        || ["expression", "title"]
            .iter()
            .any(|k| obj.is_unknown(&[Step::Key("condition"), Step::Index(0), Step::Key(k)]));
    if marks_unknown && unknown.is_none() {
        unknown = Some(attr_ref(obj, "condition"));
    }
    let condition = obj.get(&cond_path).and_then(|c| condition(&c));
    Binding {
        address: obj.address.to_string(),
        members,
        role,
        resource: resource.0.clone(),
        condition,
        unknown,
        after_apply: resource.1.clone(),
        sensitive: obj.is_sensitive(&key("role")) || obj.is_sensitive(&key("condition")),
        on_type: super::bound::bound_type(obj.kind),
    }
}

/// `members` of a `_binding`: a set of strings, any of which may be unknown.
fn members_list(obj: &Obj) -> Members {
    let path = key("members");
    if obj.is_sensitive(&path) {
        return Members::Sensitive(attr_ref(obj, "members"));
    }
    let marks = obj.unknown_marks(&path);
    let any_unknown = match &marks {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(|m| m == &Value::Bool(true)),
        _ => false,
    };
    if any_unknown {
        return Members::Unknown(attr_ref(obj, "members"));
    }
    let list = match obj.get(&path) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|m| m.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Members::Known(list)
}

/// A `_policy` resource: every binding of its `policy_data` document.
fn policy(
    obj: &Obj,
    resource: &Named,
    (world, config): (&World, Option<&Config>),
    out: &mut Vec<Binding>,
) -> Result<(), InputError> {
    let at = attr_ref(obj, "policy_data");
    let blank = |members| Binding {
        address: obj.address.to_string(),
        members,
        role: String::new(),
        resource: String::new(),
        condition: None,
        unknown: None,
        after_apply: Vec::new(),
        sensitive: false,
        on_type: super::bound::bound_type(obj.kind),
    };
    if obj.is_sensitive(&key("policy_data")) {
        out.push(blank(Members::Sensitive(at)));
        return Ok(());
    }
    let Some(text) = obj.str("policy_data") else {
        if !obj.is_unknown(&key("policy_data")) {
            return Ok(());
        }
        let Some(blocks) = policy_source::blocks(obj, world, config) else {
            out.push(blank(Members::Unknown(at)));
            return Ok(());
        };
        for b in blocks {
            out.push(Binding {
                role: b.role,
                resource: resource.0.clone(),
                condition: b.condition,
                unknown: b.unknown,
                after_apply: resource.1.clone(),
                ..blank(b.members)
            });
        }
        return Ok(());
    };
    let bad = |message: String| InputError {
        address: obj.address.to_string(),
        attribute: "policy_data".into(),
        message,
    };
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a JSON IAM policy: {e}")))?;
    let bindings = match doc.get("bindings") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(b)) => b,
        Some(_) => return Err(bad("`bindings` is not a list".into())),
    };
    for b in bindings {
        let Some(role) = b.get("role").and_then(Value::as_str) else {
            return Err(bad("a binding has no `role`".into()));
        };
        let members = b
            .get("members")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Binding {
            role: role.to_string(),
            resource: resource.0.clone(),
            condition: b.get("condition").and_then(condition),
            after_apply: resource.1.clone(),
            ..blank(Members::Known(members))
        });
    }
    Ok(())
}

/// A custom role: its full name and permissions.
fn custom_role(obj: &Obj, attr: &str, prefix: &str, out: &mut SideBindings) {
    let name = match (obj.str(attr), obj.str("role_id")) {
        (Some(parent), Some(id)) => format!("{}/roles/{id}", prefixed(prefix, &parent)),
        _ => match obj.str("name") {
            Some(n) if n.contains("/roles/") => n,
            // Nothing names the role yet: no binding can refer to it by a known name.
            _ => return,
        },
    };
    let deleted = obj.get(&key("deleted")) == Some(Value::Bool(true));
    let perms = if deleted {
        Ok(Vec::new())
    } else if obj.is_unknown(&key("permissions")) {
        Err(attr_ref(obj, "permissions"))
    } else {
        Ok(match obj.get(&key("permissions")) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
    };
    out.custom.insert(name, perms);
}
