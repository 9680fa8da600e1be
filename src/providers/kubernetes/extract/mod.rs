//! Kubernetes RBAC through the `kubernetes` provider: Roles, ClusterRoles (aggregation
//! included), RoleBindings and ClusterRoleBindings, as provider resources or inside
//! `kubernetes_manifest`, per binding subject.
//!
//! An identity is a subject as the API server authenticates it: a ServiceAccount is
//! `system:serviceaccount:{namespace}:{name}`, a user `User:{name}`, a group `Group:{name}`,
//! prefixed with the provider configuration key (`kubernetes.prod/…`) when the plan configures
//! more than one cluster.
//! Each rule of the role a binding refers to is one Allow statement (see `encode.rs` for the
//! action and object syntax), limited to the binding's namespace for a RoleBinding. Roles come
//! from the plan or, for ClusterRoles, from [`crate::catalog::kubernetes`]. See
//! `docs/kubernetes.md`.

mod clusters;
mod encode;
mod objects;
mod roles;
mod shape;

pub use encode::{Reach, NON_RESOURCE};

use crate::model::{mark, Document, Extracted, IdentityScopes, Note, Unexpanded};
use crate::plan::side::{AttributeRef, Side, World};
use crate::plan::Plan;
use clusters::Clusters;
use objects::{BindingDef, SideObjects, Subject, SubjectKind, Subjects};
use roles::{Missing, Roles};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// Identity kinds.
pub const SERVICE_ACCOUNT: &str = "k8s_service_account";
pub const USER: &str = "k8s_user";
pub const GROUP: &str = "k8s_group";
/// The placeholder for subjects known only after apply, or sensitive.
pub const SUBJECTS: &str = "k8s_subjects";

const SA_PREFIX: &str = "system:serviceaccount:";

/// Whether a resource type matters to Kubernetes analysis.
pub fn relevant(kind: &str) -> bool {
    objects::kind_of(kind).is_some()
}

/// Every subject the plan's RBAC bindings touch, with their grants before and after.
pub fn extract(plan: &Plan) -> Extracted {
    let mut ids: BTreeMap<String, IdentityScopes> = BTreeMap::new();
    // Plan address of a binding → the subjects it had before: who may lose (or keep) access
    // when its subjects are known only after apply.
    let mut before_subjects: HashMap<String, BTreeSet<(String, &'static str)>> = HashMap::new();
    let clusters = Clusters::read(plan.configuration);
    let sides: Vec<_> = [Side::Before, Side::After]
        .into_iter()
        .map(|side| {
            let found = objects::read(&World::build(plan, side, &relevant));
            (side, by_cluster(found, clusters.as_ref()))
        })
        .collect();
    let keys: BTreeSet<&String> = sides.iter().flat_map(|(_, c)| c.keys()).collect();
    let none = SideObjects::default();
    for (i, (side, by_cluster)) in sides.iter().enumerate() {
        for &cluster in &keys {
            let found = by_cluster.get(cluster).unwrap_or(&none);
            let roles = Roles::new(found, sides[1 - i].1.get(cluster).unwrap_or(&none));
            for b in &found.bindings {
                let at = Place {
                    side: *side,
                    cluster,
                };
                apply(&mut ids, at, b, &roles, &mut before_subjects);
            }
        }
    }
    managed_service_accounts(&mut ids, &sides);
    Extracted {
        identities: ids.into_values().collect(),
        ..Extracted::default()
    }
}

/// One side's objects per cluster (provider configuration key; "" when the plan has one).
fn by_cluster(found: SideObjects, clusters: Option<&Clusters>) -> BTreeMap<String, SideObjects> {
    let key = |address: &str| {
        clusters
            .and_then(|c| c.of(address))
            .unwrap_or_default()
            .to_string()
    };
    let mut out: BTreeMap<String, SideObjects> = BTreeMap::new();
    for r in found.roles {
        out.entry(key(&r.address)).or_default().roles.push(r);
    }
    for b in found.bindings {
        out.entry(key(&b.address)).or_default().bindings.push(b);
    }
    for sa in found.service_accounts {
        out.entry(key(&sa.address))
            .or_default()
            .service_accounts
            .push(sa);
    }
    out
}

/// Makes each service account the plan manages exist only on the sides the plan has it, so
/// that one created (or deleted) with its bindings is `created` (or `deleted`). One left
/// unchanged is listed only when a binding names it.
fn managed_service_accounts(
    ids: &mut BTreeMap<String, IdentityScopes>,
    sides: &[(Side, BTreeMap<String, SideObjects>)],
) {
    let mut present: BTreeMap<String, [bool; 2]> = BTreeMap::new();
    for (i, (_, by_cluster)) in sides.iter().enumerate() {
        for (cluster, found) in by_cluster {
            for sa in &found.service_accounts {
                let address = format!("{SA_PREFIX}{}:{}", sa.namespace, sa.name);
                let address = match cluster.is_empty() {
                    true => address,
                    false => format!("{cluster}/{address}"),
                };
                if !sa.changed() && !ids.contains_key(&address) {
                    continue;
                }
                let e = entry(ids, &address, SERVICE_ACCOUNT);
                e.actions = sa.actions.clone();
                present.entry(address).or_default()[i] = true;
            }
        }
    }
    for (address, [before, after]) in present {
        let e = ids.get_mut(&address).expect("entered above");
        e.managed_in_plan = true;
        e.before.exists = before;
        e.after.exists = after;
    }
}

/// The side, and the cluster a binding is in.
#[derive(Clone, Copy)]
struct Place<'a> {
    side: Side,
    cluster: &'a str,
}

/// A subject's address split into its cluster (the provider configuration key, `""` when the
/// plan configures one cluster) and the subject as the API server names it: the inverse of the
/// prefix [`apply`] gives the subjects of several clusters. A key may be a module's
/// (`module.eks:kubernetes`), and a user's name may hold a `/`, so the subject is recognised by
/// its own prefix.
pub fn cluster_and_subject(address: &str) -> (&str, &str) {
    let subject =
        |a: &str| a.starts_with(SA_PREFIX) || a.starts_with("User:") || a.starts_with("Group:");
    match address.split_once('/') {
        Some((cluster, rest)) if !subject(address) && subject(rest) => (cluster, rest),
        _ => ("", address),
    }
}

/// The address and kind of a subject. A User named like a service account's user name is
/// that service account: the API server authenticates both the same way.
pub fn identity(s: &Subject) -> (String, &'static str) {
    match s.kind {
        SubjectKind::ServiceAccount => (
            format!("{SA_PREFIX}{}:{}", s.namespace, s.name),
            SERVICE_ACCOUNT,
        ),
        SubjectKind::User if s.name.starts_with(SA_PREFIX) => (s.name.clone(), SERVICE_ACCOUNT),
        SubjectKind::User => (format!("User:{}", s.name), USER),
        SubjectKind::Group => (format!("Group:{}", s.name), GROUP),
    }
}

fn apply(
    ids: &mut BTreeMap<String, IdentityScopes>,
    Place { side, cluster }: Place,
    b: &BindingDef,
    roles: &Roles,
    before_subjects: &mut HashMap<String, BTreeSet<(String, &'static str)>>,
) {
    match &b.subjects {
        Subjects::Known(list) => {
            for s in list {
                let (address, kind) = identity(s);
                // Two clusters' subjects of the same name are different identities.
                let address = if cluster.is_empty() {
                    address
                } else {
                    format!("{cluster}/{address}")
                };
                if side == Side::Before {
                    before_subjects
                        .entry(b.address.clone())
                        .or_default()
                        .insert((address.clone(), kind));
                }
                let e = entry(ids, &address, kind);
                if let Some(who) = group_of_many(s) {
                    e.side_mut(side).note(Note::GroupOfMany {
                        group: address.clone(),
                        who,
                    });
                }
                grant(e, side, b, roles);
            }
        }
        Subjects::Unknown(at) => {
            // Anyone may be a subject after apply: one placeholder stands for them and gains
            // the grant, where the role and place are known (a binding to cluster-admin is then
            // judged as one). Those who were subjects before may or may not stay.
            let placeholder = format!("(subjects of {} known after apply)", b.address);
            let e = entry(ids, &placeholder, SUBJECTS);
            if b.unknown.is_none() {
                e.side_mut(side).note(Note::MembersAfterApply {
                    binding: b.address.clone(),
                    who: "subjects",
                });
                grant(e, side, b, roles);
            } else {
                mark(&mut e.side_mut(side).unknown, at);
            }
            let others = before_subjects.get(&b.address).cloned();
            for (address, kind) in others.into_iter().flatten() {
                mark(&mut entry(ids, &address, kind).side_mut(side).unknown, at);
            }
        }
        Subjects::Sensitive(at) => {
            // Who they are may not be printed: one placeholder stands for all of them, and
            // what they are granted is not expanded.
            let placeholder = format!("(sensitive subjects of {})", b.address);
            let s = entry(ids, &placeholder, SUBJECTS).side_mut(side);
            mark(&mut s.sensitive, at);
            s.not_expanded.insert(Unexpanded::Role {
                role: crate::model::sensitive::HIDDEN.into(),
                resource: b.address.clone(),
            });
        }
    }
}

/// Who a group the API server fills itself stands for.
fn group_of_many(s: &Subject) -> Option<String> {
    if s.kind != SubjectKind::Group {
        return None;
    }
    Some(match s.name.as_str() {
        "system:serviceaccounts" => "every service account in the cluster".into(),
        "system:authenticated" => "every authenticated user and service account".into(),
        "system:unauthenticated" => "every request that is not authenticated".into(),
        n => format!(
            "every service account in namespace {}",
            n.strip_prefix("system:serviceaccounts:")?
        ),
    })
}

/// Adds one binding's grant to one subject's side.
fn grant(e: &mut IdentityScopes, side: Side, b: &BindingDef, roles: &Roles) {
    if let Some(at) = &b.unknown {
        mark(&mut e.side_mut(side).unknown, at);
        return;
    }
    let (kind, name) = &b.role_ref;
    let (reach, place, on) = match &b.namespace {
        Some(ns) => (
            Reach::Namespace(ns.clone()),
            format!("in namespace {ns}"),
            format!("namespace {ns}"),
        ),
        None => (
            Reach::Cluster,
            "cluster-wide".to_string(),
            "the cluster".to_string(),
        ),
    };
    let resolved = match (kind.as_str(), &b.namespace) {
        ("Role", Some(ns)) => roles.role(ns, name),
        ("ClusterRole", _) => roles.cluster_role(name),
        // The API server rejects any other roleRef (a Role from a ClusterRoleBinding).
        _ => Err(Missing::NotFound),
    };
    let role = match resolved {
        Ok(r) => r,
        Err(Missing::Unknown(at)) => {
            mark(&mut e.side_mut(side).unknown, &at);
            return;
        }
        Err(Missing::NotFound) => {
            let role = match (kind.as_str(), &b.namespace) {
                ("Role", Some(ns)) => format!("Role {ns}/{name}"),
                _ => format!("{kind} {name}"),
            };
            e.side_mut(side).not_expanded.insert(Unexpanded::Role {
                role,
                resource: format!("{on} ({})", b.address),
            });
            return;
        }
    };
    let sensitive = role.sensitive || b.sensitive;
    let source = format!("{} {kind} {name} {place}", b.address);
    let mut causes = vec![b.address.clone()];
    causes.extend(role.addresses.iter().cloned());
    let binding = crate::model::Binding {
        role: format!("{kind} {name}"),
        at: place.clone(),
    };
    let origin = e.add_binding_origin(&source, sensitive, &causes, binding);
    let statements: Vec<_> = role
        .rules
        .iter()
        .flat_map(|r| encode::statements(r, &reach, origin))
        .collect();
    let s = e.side_mut(side);
    s.permissions.statements.extend(statements.iter().cloned());
    if sensitive {
        mark(
            &mut s.sensitive,
            &AttributeRef {
                address: b.address.clone(),
                attribute: "role_ref".into(),
            },
        );
    }
    s.documents
        .push(Document::binding(source, &Rc::new(statements), sensitive));
}

/// The entry for a subject: subjects live outside the plan, so they exist on both sides.
fn entry<'m>(
    ids: &'m mut BTreeMap<String, IdentityScopes>,
    address: &str,
    kind: &'static str,
) -> &'m mut IdentityScopes {
    ids.entry(address.to_string()).or_insert_with(|| {
        IdentityScopes::outside_plan(address, crate::model::Provider::Kubernetes, kind, false)
    })
}

#[cfg(test)]
mod tests;
