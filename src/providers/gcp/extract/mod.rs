//! GCP IAM: role bindings on projects, folders, organizations and service accounts, per member.
//!
//! An identity is a member string as IAM writes it (`serviceAccount:ci@p.iam.gserviceaccount.com`,
//! `user:…`, `group:…`, `domain:…`, `principal://…`, `principalSet://…`, `allUsers`,
//! `allAuthenticatedUsers`). Each binding of a role to a member on a resource is one Allow
//! statement: the role's permissions (from [`crate::catalog::gcp`] or a custom role in the plan)
//! on the resource's name and everything under it (`projects/p`, `projects/p/*`). A binding's
//! condition is an opaque clause compared by its expression text. See `docs/gcp.md`.

mod bindings;
mod bound;
mod conditions;
mod default_project;
mod hierarchy;
mod names;
mod parts;
mod policy_source;
mod workloads;

pub use names::service_account;

use crate::catalog::gcp as roles;
use crate::catalog::gcp::roles_file::RoleCatalog;
use crate::model::{
    mark, Clause, Document, Effect, Extracted, IdentityScopes, Match, Note, SideScope, Statement,
    Unexpanded,
};
use crate::plan::side::{attr_ref, key, AttributeRef, Side, World};
use crate::plan::{InputError, Plan};
use bindings::{Binding, SideBindings};
use parts::Members;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// The kind of every GCP identity: a member of IAM policies.
pub const MEMBER: &str = "gcp_member";
/// The member running Terraform, as `data.google_client_openid_userinfo` reads it.
pub const DEPLOYER: &str = "gcp_deploying_identity";
/// The data source that reads the identity running Terraform (`google_client_config` reads
/// only its project, region and token: no identity).
pub(super) const DEPLOYER_SOURCE: &str = "google_client_openid_userinfo";

/// Whether a resource type matters to GCP analysis.
pub fn relevant(kind: &str) -> bool {
    bindings::family(kind).is_some()
        || bindings::custom_role_scope(kind).is_some()
        || hierarchy::relevant(kind)
        || kind == "google_iam_policy"
        || kind == DEPLOYER_SOURCE
}

/// Every GCP member the plan's IAM bindings touch, with their grants before and after. Roles
/// expand from the plan's custom roles, then `loaded`, then the curated table.
pub fn extract(
    plan: &Plan,
    config: Option<&crate::plan::refs::Config>,
    loaded: &RoleCatalog,
) -> Result<Extracted, InputError> {
    let mut ids: BTreeMap<String, IdentityScopes> = BTreeMap::new();
    // Plan address of a binding → the members it granted before: who may lose (or keep) access
    // when its members are known only after apply.
    let mut before_members: HashMap<String, BTreeSet<String>> = HashMap::new();
    let defaults = default_project::DefaultProjects::parse(plan.configuration);
    let wanted = |kind: &str| relevant(kind) || workloads::read(kind);
    let worlds = [Side::Before, Side::After].map(|side| World::build(plan, side, &wanted));
    let before = bindings::read(&worlds[0], &defaults, config)?;
    let after = bindings::read(&worlds[1], &defaults, config)?;
    let tree = hierarchy::Hierarchy::read(&[&worlds[0], &worlds[1]]);
    let rewritten = conditions::rewritten(&before.bindings, &after.bindings);
    let none = HashSet::new();
    let sides = [
        (Side::Before, &before, &none),
        (Side::After, &after, &rewritten),
    ];
    for (side, found, rewritten) in sides {
        let cx = Context {
            found,
            loaded,
            tree: &tree,
        };
        apply(&mut ids, side, &cx, &mut before_members, rewritten);
    }
    name_deployers(&mut ids, &[&worlds[0], &worlds[1]]);
    Ok(Extracted {
        identities: ids.into_values().collect(),
        workloads: [&worlds[0], &worlds[1]].map(|w| workloads::workloads(w, config)),
        callers: workloads::callers(&after.bindings),
        ..Extracted::default()
    })
}

/// What one side's grants are read against.
struct Context<'a> {
    found: &'a SideBindings,
    loaded: &'a RoleCatalog,
    tree: &'a hierarchy::Hierarchy,
}

fn apply(
    ids: &mut BTreeMap<String, IdentityScopes>,
    side: Side,
    cx: &Context,
    before_members: &mut HashMap<String, BTreeSet<String>>,
    rewritten: &HashSet<conditions::Key>,
) {
    for b in &cx.found.bindings {
        match &b.members {
            Members::Known(members) => {
                for m in members {
                    if side == Side::Before {
                        before_members
                            .entry(b.address.clone())
                            .or_default()
                            .insert(m.clone());
                    }
                    let e = entry(ids, m);
                    if let Some(c) = &b.condition {
                        let key = (
                            m.clone(),
                            b.role.clone(),
                            b.resource.clone(),
                            c.expression.clone(),
                        );
                        if rewritten.contains(&key) {
                            condition_rewritten(e.side_mut(side), b);
                        }
                    }
                    grant(e, side, b, cx);
                }
            }
            Members::Unknown(at) => {
                // Anyone may be a member after apply: one member stands for them and gains the
                // grant, where the grant itself is known. Those who were members before may or
                // may not stay.
                let placeholder = format!("(members of {} known after apply)", b.address);
                let known_grant = !b.role.is_empty() && b.unknown.is_none();
                if known_grant {
                    let e = entry(ids, &placeholder);
                    e.side_mut(side).note(Note::MembersAfterApply {
                        binding: b.address.clone(),
                        who: "members",
                    });
                    grant(e, side, b, cx);
                } else {
                    mark(&mut entry(ids, &placeholder).side_mut(side).unknown, at);
                }
                let others = before_members.get(&b.address).cloned();
                for m in others.into_iter().flatten() {
                    mark(&mut entry(ids, &m).side_mut(side).unknown, at);
                }
            }
            Members::Sensitive(at) => {
                // Who they are may not be printed: one placeholder stands for all of them, and
                // what they are granted is not expanded.
                let placeholder = format!("(sensitive members of {})", b.address);
                let s = entry(ids, &placeholder).side_mut(side);
                mark(&mut s.sensitive, at);
                s.not_expanded.insert(Unexpanded::Role {
                    role: crate::model::sensitive::HIDDEN.into(),
                    resource: b.address.clone(),
                });
            }
        }
    }
}

/// A grant whose condition expression was rewritten: whether the new expression allows more
/// than the old cannot be told from their text, so the side is unverifiable (the value is
/// known: it is not marked unknown). The expressions are not repeated in the note (a condition
/// may be sensitive; the documents show them).
fn condition_rewritten(s: &mut SideScope, b: &Binding) {
    s.incomparable = true;
    let role = if b.sensitive {
        "a role"
    } else {
        b.role.as_str()
    };
    let note = Note::ConditionRewritten {
        binding: b.address.clone(),
        role: role.to_string(),
        on: b.resource.clone(),
    };
    s.note(note);
}

/// Adds one binding's grant to one member's side.
fn grant(e: &mut IdentityScopes, side: Side, b: &Binding, cx: &Context) {
    if let Some(at) = &b.unknown {
        // The role or condition is known only after apply.
        mark(&mut e.side_mut(side).unknown, at);
        return;
    }
    for a in &b.after_apply {
        e.side_mut(side).note(Note::NamedAfterApply {
            binding: a.at.address.clone(),
            attribute: a.at.attribute.clone(),
            shown: a.shown.clone(),
        });
    }
    let (role, resource) = (&b.role, &b.resource);
    // A sensitive role or condition is never named: not in a grant's source, nor as a role
    // privdiff cannot expand.
    let shown = if b.sensitive {
        "(sensitive role or condition)"
    } else {
        role.as_str()
    };
    let (perms, except) = match resolve(role, b.on_type, cx) {
        Resolved::Permissions(allow, except) => (allow, except),
        Resolved::Unknown(at) => {
            mark(&mut e.side_mut(side).unknown, &at);
            return;
        }
        Resolved::NotExpanded => {
            let s = e.side_mut(side);
            s.not_expanded.insert(Unexpanded::Role {
                role: shown.to_string(),
                resource: resource.clone(),
            });
            if b.sensitive {
                mark(&mut s.sensitive, &AttributeRef::new(&b.address, "role"));
            }
            return;
        }
    };
    if perms.is_empty() {
        // None of the role's permissions takes effect on this kind of resource.
        e.side_mut(side).note(Note::GrantsNothingHere {
            binding: b.address.clone(),
            role: shown.to_string(),
            on: b.on_type.unwrap_or_default().to_string(),
        });
        return;
    }
    let source = match &b.condition {
        _ if b.sensitive => format!("{} {shown} on {resource}", b.address),
        Some(c) => format!("{} {role} on {resource} if {:?}", b.address, c.title),
        None => format!("{} {role} on {resource}", b.address),
    };
    let binding = crate::model::Binding {
        role: role.clone(),
        at: format!("on {resource}"),
    };
    let origin = e.add_binding_origin(
        &source,
        b.sensitive,
        std::slice::from_ref(&b.address),
        binding,
    );
    let condition = b.condition.as_ref().map(|c| &c.expression);
    let mut st = statement(&perms, resource, condition, origin);
    if !except.is_empty() {
        st.except = Some(Match::new(false, matching(&except)));
    }
    cover_descendants(&mut st, &cx.tree.descendants(resource));
    let statements = Rc::new(vec![st.clone()]);
    let s = e.side_mut(side);
    s.permissions.statements.push(st);
    if b.sensitive {
        mark(
            &mut s.sensitive,
            &AttributeRef {
                address: b.address.clone(),
                attribute: "role".into(),
            },
        );
    }
    s.documents
        .push(Document::binding(source, &statements, b.sensitive));
}

/// A role's permissions where it is bound, as (permissions, exceptions).
enum Resolved {
    Permissions(Vec<String>, Vec<String>),
    /// A custom role of the plan whose permissions are known only after apply.
    Unknown(AttributeRef),
    /// A role privdiff has no permissions for.
    NotExpanded,
}

/// What the plan defines is what will be in force; then a role the user loaded; then the
/// complete catalog, except that a basic role bound on a project, folder or organization is
/// read in the curated table's compact form, which keeps its thousands of permissions to a few
/// patterns. Bound on a resource of a known type, only the permissions that take effect there
/// are kept: few, so the exact role is used.
fn resolve(role: &str, on_type: Option<&str>, cx: &Context) -> Resolved {
    let owned = |v: &[&str]| -> Vec<String> { v.iter().map(|p| p.to_string()).collect() };
    let (allow, except) = match cx.found.custom.get(role) {
        Some(Ok(p)) => (p.clone(), Vec::new()),
        Some(Err(at)) => return Resolved::Unknown(at.clone()),
        None => match cx.loaded.role(role) {
            Some(p) => (p.to_vec(), Vec::new()),
            None => {
                let compact = roles::role(role).map(|c| {
                    let (allow, except) = roles::split(c);
                    (owned(&allow), owned(&except))
                });
                // The compact form spares expanding thousands of permissions, only to drop
                // them, for a basic role on a project.
                match compact {
                    Some(c) if on_type.is_none() => c,
                    _ => match (roles::embedded::role(role), compact) {
                        (Some(exact), _) => (owned(&exact), Vec::new()),
                        (None, Some(c)) => c,
                        (None, None) => return Resolved::NotExpanded,
                    },
                }
            }
        },
    };
    match on_type {
        Some(on) => Resolved::Permissions(taking_effect(&allow, &except, on), Vec::new()),
        None => Resolved::Permissions(allow, except),
    }
}

/// The permissions of `allow` but not `except` (either may hold `*` patterns) that take effect
/// on a resource of type `on`, as literal names: a pattern stands for the catalog permissions
/// it matches.
fn taking_effect(allow: &[String], except: &[String], on: &str) -> Vec<String> {
    use crate::catalog::gcp::applicable::applies;
    use crate::model::pattern::Glob;
    let globs = |v: &mut dyn Iterator<Item = &String>| -> Vec<Glob> {
        v.map(|p| Glob::wildcard(&p.to_lowercase())).collect()
    };
    let wild = globs(&mut allow.iter().filter(|p| p.contains('*')));
    let except = globs(&mut except.iter());
    let expanded: Vec<&str> = roles::embedded::matching(&wild).collect();
    let literal = allow
        .iter()
        .filter(|p| !p.contains('*'))
        .map(String::as_str);
    let mut out: Vec<String> = literal
        .chain(expanded)
        .filter(|p| applies(p, on))
        .filter(|p| {
            let p = p.to_lowercase();
            !except.iter().any(|g| g.matches(&p))
        })
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// One Allow statement: `permissions` on `resource` and everything under it, under an
/// optional condition (compared by its text).
pub fn statement(
    permissions: &[String],
    resource: &str,
    condition: Option<&String>,
    origin: usize,
) -> Statement {
    // Permission names match case-insensitively in the model, as AWS actions do; the display
    // keeps IAM's spelling.
    let actions = matching(permissions);
    let under = format!("{resource}/*");
    let resources = vec![
        (resource.to_string(), resource.to_string()),
        (under.clone(), under),
    ];
    let (conditions, text): (Vec<Clause>, Vec<String>) = match condition {
        Some(expr) => (
            vec![Clause::Opaque { text: expr.clone() }],
            vec![expr.clone()],
        ),
        None => (Vec::new(), Vec::new()),
    };
    Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions: Match::new(false, actions),
        resources: Match::new(false, resources),
        conditions: conditions.into(),
        except: None,
        condition_text: text.into(),
        origin,
    }
}

/// Permissions as (matching form, display) pairs.
fn matching(permissions: &[String]) -> Vec<(String, String)> {
    permissions
        .iter()
        .map(|p| (p.to_lowercase(), p.clone()))
        .collect()
}

/// A grant on a folder or organization also holds on the projects and folders the plan places
/// under it, and everything under those.
fn cover_descendants(st: &mut Statement, descendants: &[String]) {
    if descendants.is_empty() {
        return;
    }
    let mut pairs: Vec<(String, String)> = st
        .resources
        .patterns
        .iter()
        .cloned()
        .zip(st.resources.display.iter().cloned())
        .collect();
    for d in descendants {
        pairs.push((d.clone(), d.clone()));
        let under = format!("{d}/*");
        pairs.push((under.clone(), under));
    }
    st.resources = Match::new(false, pairs);
}

/// The member running Terraform, granted or granting itself, is named as the plan reads it: by
/// the data source that reads its e-mail (read again each plan, so either side tells).
fn name_deployers(ids: &mut BTreeMap<String, IdentityScopes>, worlds: &[&World]) {
    let mut by_email: HashMap<String, String> = HashMap::new();
    let mut sources: HashSet<&str> = HashSet::new();
    for o in worlds.iter().flat_map(|w| &w.objs) {
        if !(o.data && o.kind == DEPLOYER_SOURCE) {
            continue;
        }
        sources.insert(o.address);
        if o.is_sensitive(&key("email")) {
            continue;
        }
        if let Some(email) = o.str("email").filter(|e| !e.is_empty()) {
            by_email
                .entry(email.to_lowercase())
                .or_insert_with(|| o.address.to_string());
        }
    }
    for e in ids.values_mut() {
        // Read only at apply, the data source itself names the member (see `bindings`).
        if sources.contains(e.address.as_str()) {
            e.kind = DEPLOYER;
            continue;
        }
        let email = match e.address.split_once(':') {
            Some(("user" | "serviceAccount", email)) => email.to_lowercase(),
            _ => continue,
        };
        if let Some(source) = by_email.get(&email) {
            e.kind = DEPLOYER;
            e.before.name = Some(source.clone());
            e.after.name = Some(source.clone());
        }
    }
}

/// The entry for a member: members live outside the plan, so they exist on both sides.
fn entry<'m>(
    ids: &'m mut BTreeMap<String, IdentityScopes>,
    member: &str,
) -> &'m mut IdentityScopes {
    ids.entry(member.to_string()).or_insert_with(|| {
        IdentityScopes::outside_plan(member, crate::model::Provider::Gcp, MEMBER, false)
    })
}

#[cfg(test)]
mod tests;
