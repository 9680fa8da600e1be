//! Azure RBAC: role assignments per principal, with built-in and custom role definitions.
//!
//! An identity is the principal an `azurerm_role_assignment` grants to: the plan address of the
//! managed identity it belongs to when the plan has that resource (a user-assigned identity, or
//! the system-assigned identity of an app, VM, function...), otherwise `principal:<object id>`.
//! Each assignment is one Allow statement per permission block of its role: the role's
//! operations minus its `NotActions`/`NotDataActions` (the statement's `except`), on the
//! assignment's scope and everything under it. Control-plane and data-plane operations are kept
//! apart by a prefix in their matching form. See `docs/azure.md`.

mod assignments;
mod definitions;
mod hierarchy;
mod workloads;

use crate::catalog::azure::{Role, RoleTable};
use crate::model::{
    mark, Clause, Document, Effect, Extracted, IdentityScopes, Match, Note, Statement, Unexpanded,
};
use crate::plan::refs::Config;
use crate::plan::side::{attr_ref, key, AttributeRef, Side, World};
use crate::plan::Plan;
use crate::providers::azure::applicable;
use crate::providers::azure::principal_names::PrincipalNames;
use crate::providers::azure::vocabulary::{AZURE_ACTION, AZURE_DATA_ACTION};
use assignments::{Assignment, Principal, RoleRef};
use definitions::Custom;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

pub use assignments::{KIND_DEPLOYER, KIND_PRINCIPAL, KIND_SYSTEM_ASSIGNED, KIND_USER_ASSIGNED};

/// Whether a resource type matters to Azure analysis: any `azurerm_` resource may hold the
/// managed identity an assignment grants to.
pub fn relevant(kind: &str) -> bool {
    kind.starts_with("azurerm_")
}

/// What one side of the plan assigns, with what it needs to expand the assignments.
struct SideView {
    assignments: Vec<Assignment>,
    custom: Vec<Custom>,
    children: hierarchy::Children,
    /// Plan addresses of the resources present on this side, with their `name` if known, and
    /// for a user-assigned identity its resource ID (lower case, as requests name it).
    present: BTreeMap<String, Present>,
}

/// A resource's `name` if known, and a user-assigned identity's resource ID.
type Present = (Option<String>, Option<String>);

fn view(
    world: &World,
    config: Option<&Config>,
    subscription: Option<&str>,
    deployers: &HashMap<String, String>,
) -> SideView {
    let principals = assignments::principals(world);
    let custom: Vec<Custom> = world
        .objs
        .iter()
        .filter(|o| !o.data && o.kind == definitions::KIND)
        .map(definitions::read)
        .collect();
    let mut children = hierarchy::Children::default();
    for o in world.objs.iter().filter(|o| hierarchy::relevant(o.kind)) {
        children.read(o);
    }
    let reader = assignments::Reader {
        world,
        config,
        principals: &principals,
        deployers,
        custom: &custom,
        subscription,
    };
    let assignments = world
        .objs
        .iter()
        .filter(|o| !o.data && o.kind == assignments::KIND)
        .map(|o| reader.read(o))
        .collect();
    SideView {
        assignments,
        custom,
        children,
        present: world
            .objs
            .iter()
            .map(|o| {
                let name = o.str("name").filter(|_| !o.is_sensitive(&key("name")));
                let id = (o.kind == assignments::USER_ASSIGNED)
                    .then(|| identity_id(o, name.as_deref(), subscription))
                    .flatten();
                (o.address.to_string(), (name, id))
            })
            .collect(),
    }
}

/// The resource ID of a user-assigned identity: its `id`, or, for one the plan creates, the ID
/// its resource group, name and the provider's subscription make. Lower case, the matching form
/// of Azure scopes.
fn identity_id(
    o: &crate::plan::side::Obj,
    name: Option<&str>,
    subscription: Option<&str>,
) -> Option<String> {
    let known = |attr: &str| {
        o.str(attr)
            .filter(|v| !v.is_empty() && !o.is_sensitive(&key(attr)))
    };
    let id = match known("id") {
        Some(id) => id,
        None => format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
            subscription?,
            known("resource_group_name")?,
            name?
        ),
    };
    Some(id.to_lowercase())
}

/// Every Azure principal the plan's role assignments touch, with their grants before and after;
/// those the plan knows only by object id named as `names` says.
pub fn extract(
    plan: &Plan,
    config: Option<&Config>,
    roles: &RoleTable,
    names: &PrincipalNames,
) -> Extracted {
    let mut ids: BTreeMap<String, IdentityScopes> = BTreeMap::new();
    // Assignment address → the principal it granted to before: it may lose the grant when the
    // new principal is known only after apply.
    let mut before_principal: HashMap<String, String> = HashMap::new();
    let mut resources: [BTreeMap<String, Present>; 2] = Default::default();
    let subscription = provider_subscription(plan);
    let worlds = [Side::Before, Side::After].map(|side| World::build(plan, side, &relevant));
    let deployers = assignments::deployers(&[&worlds[0], &worlds[1]]);
    for (i, (side, world)) in [Side::Before, Side::After]
        .into_iter()
        .zip(&worlds)
        .enumerate()
    {
        let v = view(world, config, subscription.as_deref(), &deployers);
        for a in &v.assignments {
            apply(&mut ids, side, a, &v, roles, &mut before_principal);
            if let Principal::Known {
                address,
                resource: false,
                object_id: Some(id),
                ..
            } = &a.principal
            {
                if let (Some(name), Some(e)) = (names.get(id), ids.get_mut(address)) {
                    e.side_mut(side).name = Some(name.to_string());
                }
            }
        }
        resources[i] = v.present;
    }
    // A managed identity exists where its resource does; a principal outside the plan, on both
    // sides.
    for e in ids.values_mut().filter(|e| e.managed_in_plan) {
        for (i, side) in [Side::Before, Side::After].into_iter().enumerate() {
            let found = resources[i].get(&e.address);
            let s = e.side_mut(side);
            s.exists = found.is_some();
            s.name = found.and_then(|f| f.0.clone());
            s.arn = found.and_then(|f| f.1.clone());
        }
    }
    Extracted {
        identities: ids.into_values().collect(),
        workloads: [&worlds[0], &worlds[1]].map(|w| workloads::workloads(w, config)),
        ..Extracted::default()
    }
}

fn apply(
    ids: &mut BTreeMap<String, IdentityScopes>,
    side: Side,
    a: &Assignment,
    v: &SideView,
    roles: &RoleTable,
    before_principal: &mut HashMap<String, String>,
) {
    match &a.principal {
        Principal::Known {
            address,
            kind,
            resource,
            ..
        } => {
            if side == Side::Before {
                before_principal.insert(a.address.clone(), address.clone());
            }
            let e = entry(ids, address, kind, *resource);
            if let Some(t) = &a.principal_type {
                e.side_mut(side)
                    .principal_type
                    .get_or_insert_with(|| t.clone());
            }
            grant(e, side, a, v, roles);
        }
        Principal::Unknown(at) => {
            // Anyone may hold the assignment after apply: one placeholder stands for them and
            // gains the grant (what else is unknown, `grant` marks). Who held it before may or
            // may not keep it.
            let placeholder = format!("(principal of {} known after apply)", a.address);
            let before = before_principal.get(&a.address).cloned();
            let e = entry(ids, &placeholder, KIND_PRINCIPAL, false);
            if a.scope.is_ok() && a.condition.is_ok() {
                e.side_mut(side).note(Note::MembersAfterApply {
                    binding: a.address.clone(),
                    who: "principal",
                });
                grant(e, side, a, v, roles);
            } else {
                mark(&mut e.side_mut(side).unknown, at);
            }
            if let Some(b) = before {
                if let Some(e) = ids.get_mut(&b) {
                    mark(&mut e.side_mut(side).unknown, at);
                }
            }
        }
        Principal::Sensitive(at) => {
            let placeholder = format!("(sensitive principal of {})", a.address);
            let s = entry(ids, &placeholder, KIND_PRINCIPAL, false).side_mut(side);
            mark(&mut s.sensitive, at);
            s.not_expanded.insert(Unexpanded::Role {
                role: crate::model::sensitive::HIDDEN.into(),
                resource: a.address.clone(),
            });
        }
    }
}

/// Adds one assignment's grant to its principal's side.
fn grant(e: &mut IdentityScopes, side: Side, a: &Assignment, v: &SideView, roles: &RoleTable) {
    let scope = match &a.scope {
        Ok(s) => s,
        Err(at) => return mark(&mut e.side_mut(side).unknown, at),
    };
    let condition = match &a.condition {
        Ok(c) => c.as_ref(),
        Err(at) => return mark(&mut e.side_mut(side).unknown, at),
    };
    if let Some(of) = &a.scope_after_apply {
        // Built wholly from what the plan knows, it is the scope; with a part standing for a
        // value known after apply, a scope of its own.
        let note = match scope.contains('⟨') {
            true => Note::NamedAfterApply {
                binding: a.address.clone(),
                attribute: "scope".into(),
                shown: scope.clone(),
            },
            false => Note::ScopeOfResource {
                binding: a.address.clone(),
                resource: of.clone(),
                scope: scope.clone(),
            },
        };
        e.side_mut(side).note(note);
    }
    // A sensitive scope is never printed: not in the grant's source either.
    let shown = match a.sensitive {
        Some(_) => crate::model::sensitive::HIDDEN,
        None => scope.as_str(),
    };
    let (label, role) = match &a.role {
        RoleRef::Sensitive => {
            let at = AttributeRef::new(&a.address, "role_definition_name");
            let s = e.side_mut(side);
            mark(&mut s.sensitive, &at);
            s.not_expanded.insert(Unexpanded::Role {
                role: crate::model::sensitive::HIDDEN.into(),
                resource: a.address.clone(),
            });
            return;
        }
        RoleRef::Unknown(at) => return mark(&mut e.side_mut(side).unknown, at),
        RoleRef::Custom(c) => (c.address.clone(), Some(c.role.clone())),
        RoleRef::Named(n) => {
            // The plan's own custom roles first: they are what this plan defines.
            let role = match v.custom.iter().find(|c| c.named(n)) {
                Some(c) => Some(c.role.clone()),
                None => roles.find(n).map(Ok),
            };
            (n.clone(), role)
        }
    };
    let role: Role = match role {
        Some(Ok(r)) => r,
        Some(Err(at)) => return mark(&mut e.side_mut(side).unknown, &at),
        None => {
            e.side_mut(side).not_expanded.insert(Unexpanded::Role {
                role: label,
                resource: shown.to_string(),
            });
            return;
        }
    };
    let source = match condition {
        Some(_) => format!("{} {} on {shown} (with a condition)", a.address, role.name),
        None => format!("{} {} on {shown}", a.address, role.name),
    };
    let sensitive = a.sensitive.is_some();
    let under = v.children.under(scope);
    // On one resource, only the operations of its type and what lies under it take effect. A
    // sensitive scope is not narrowed: its type would show in a note.
    let on_type = applicable::resource_type(scope).filter(|_| !sensitive);
    let narrow = |ops: &[String]| -> Vec<String> {
        match &on_type {
            Some(ty) => ops
                .iter()
                .flat_map(|o| applicable::at_resource(o, ty))
                .collect(),
            None => ops.to_vec(),
        }
    };
    let binding = crate::model::Binding {
        role: role.name.clone(),
        at: match &on_type {
            Some(ty) => format!("on {shown} ({ty})"),
            None => format!("on {shown}"),
        },
    };
    let origin = e.add_binding_origin(
        &source,
        sensitive,
        std::slice::from_ref(&a.address),
        binding,
    );
    let statements: Vec<Statement> = role
        .permissions
        .iter()
        .filter_map(|p| {
            let (ops, data_ops) = (narrow(&p.actions), narrow(&p.data_actions));
            let actions = plane(&ops, AZURE_ACTION, "Action:")
                .chain(plane(&data_ops, AZURE_DATA_ACTION, "DataAction:"))
                .collect();
            let except = plane(&p.not_actions, AZURE_ACTION, "Action:")
                .chain(plane(&p.not_data_actions, AZURE_DATA_ACTION, "DataAction:"))
                .collect();
            let conditions = [condition, p.condition.as_ref()];
            statement(actions, except, scope, &under, &conditions, origin)
        })
        .collect();
    if let (true, Some(ty)) = (statements.is_empty(), &on_type) {
        e.side_mut(side).note(Note::GrantsNothingHere {
            binding: a.address.clone(),
            role: role.name.clone(),
            on: ty.clone(),
        });
        return;
    }
    let statements = Rc::new(statements);
    let s = e.side_mut(side);
    s.permissions.statements.extend(statements.iter().cloned());
    if let Some(at) = &a.sensitive {
        mark(&mut s.sensitive, at);
    }
    s.documents
        .push(Document::binding(source, &statements, sensitive));
}

/// Operations of one plane as (matching form, display) pairs.
fn plane<'a>(
    ops: &'a [String],
    prefix: &'a str,
    shown: &'a str,
) -> impl Iterator<Item = (String, String)> + 'a {
    ops.iter().map(move |o| {
        (
            format!("{prefix}{}", o.to_lowercase()),
            format!("{shown}{o}"),
        )
    })
}

/// The subscription every `azurerm` provider configuration that names one as a constant
/// agrees on (azurerm 4 requires one, unless the environment gives it).
fn provider_subscription(plan: &Plan) -> Option<String> {
    #[derive(serde::Deserialize, Default)]
    struct Top {
        #[serde(default)]
        provider_config: HashMap<String, Provider>,
    }
    #[derive(serde::Deserialize)]
    struct Provider {
        #[serde(default)]
        name: String,
        #[serde(default)]
        expressions: HashMap<String, serde_json::Value>,
    }
    let top: Top = serde_json::from_str(plan.configuration?.get()).ok()?;
    let mut found: Vec<&str> = top
        .provider_config
        .values()
        .filter(|p| p.name == "azurerm")
        .filter_map(|p| {
            p.expressions
                .get("subscription_id")?
                .get("constant_value")?
                .as_str()
        })
        .filter(|s| !s.is_empty())
        .collect();
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// One Allow statement: `actions` minus `except` on `scope` and everything under it (and on
/// the subscriptions `under` a management group scope), under optional conditions compared by
/// their text. `None` when it grants nothing.
pub fn statement(
    actions: Vec<(String, String)>,
    except: Vec<(String, String)>,
    scope: &str,
    under: &[String],
    conditions: &[Option<&String>],
    origin: usize,
) -> Option<Statement> {
    if actions.is_empty() {
        return None;
    }
    let mut resources = Vec::new();
    for s in std::iter::once(scope).chain(under.iter().map(String::as_str)) {
        let m = literal(&normal(s));
        resources.push((m.clone(), s.to_string()));
        // Everything under the root scope `/` is `/*`, not `//*`.
        let (m_under, s_under) = (m.trim_end_matches('/'), s.trim_end_matches('/'));
        resources.push((format!("{m_under}/*"), format!("{s_under}/*")));
    }
    let (clauses, text): (Vec<Clause>, Vec<String>) = conditions
        .iter()
        .flatten()
        .map(|c| (Clause::Opaque { text: (*c).clone() }, (*c).clone()))
        .unzip();
    let mut clauses = clauses;
    clauses.sort();
    clauses.dedup();
    Some(Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions: Match::new(false, actions),
        resources: Match::new(false, resources),
        except: (!except.is_empty()).then(|| Match::new(false, except)),
        conditions: clauses.into(),
        condition_text: text.into(),
        origin,
    })
}

/// A scope in the form it is compared in: Azure compares resource ids case-insensitively, and
/// a trailing `/` names the same scope.
pub(crate) fn normal(scope: &str) -> String {
    trimmed(scope).to_lowercase()
}

/// A scope without the trailing `/` that names the same scope; the root scope stays `/`.
fn trimmed(scope: &str) -> &str {
    match scope.trim().trim_end_matches('/') {
        "" if scope.contains('/') => "/",
        s => s,
    }
}

/// A scope as a pattern that matches only itself (an id with `*` or `?` in it is not a
/// wildcard to Azure).
fn literal(scope: &str) -> String {
    scope
        .replace('$', "${$}")
        .replace('*', "${*}")
        .replace('?', "${?}")
}

/// The entry for an identity. One named by a plan resource exists where the resource does
/// (set once both sides are read); any other exists on both sides.
fn entry<'m>(
    ids: &'m mut BTreeMap<String, IdentityScopes>,
    address: &str,
    kind: &'static str,
    resource: bool,
) -> &'m mut IdentityScopes {
    ids.entry(address.to_string()).or_insert_with(|| {
        IdentityScopes::outside_plan(address, crate::model::Provider::Azure, kind, resource)
    })
}

#[cfg(test)]
mod tests;
