//! AWS IAM: roles, users and groups, and every resource that grants them permissions.

mod accounts;
mod acl;
mod credentials;
mod docs;
mod inventory;
mod judged;
mod lambda;
mod names;
mod provider_config;
mod resources;
mod targets;
mod workloads;

use crate::model::usage::Workloads;
use crate::model::Scope;
use crate::model::{
    with_origin, Boundary, Document, Extracted, IdentityScopes, SideScope, Unexpanded,
};
use crate::plan::refs::{Address, Config, Configured};
use crate::plan::side::{Obj, Side, Step, World};
use crate::plan::{InputError, Plan};
use docs::is_aws_managed;
use docs::{attr_ref, Doc, PolicyCache};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use targets::Who;

pub const ROLE: &str = "aws_iam_role";
pub const USER: &str = "aws_iam_user";
pub const GROUP: &str = "aws_iam_group";

/// Resource types this extractor reads.
const TYPES: &[&str] = &[
    ROLE,
    USER,
    GROUP,
    "aws_iam_policy",
    "aws_iam_policy_document",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_iam_role_policy_attachments_exclusive",
    "aws_iam_user_policy_attachments_exclusive",
    "aws_iam_group_policy_attachments_exclusive",
    "aws_iam_user_group_membership",
    "aws_iam_group_membership",
];

/// Whether a resource type matters to AWS analysis (everything else is never parsed).
pub fn relevant(kind: &str) -> bool {
    TYPES.contains(&kind) || resources::relevant(kind) || credentials::relevant(kind)
}

/// Every AWS identity and resource policy subject touched by the plan, with their grants
/// before and after.
pub fn extract(plan: &Plan, config: Option<&Config>) -> Result<Extracted, InputError> {
    let cache = RefCell::new(PolicyCache::default());
    let mut ids: BTreeMap<String, IdentityScopes> = BTreeMap::new();
    let mut subjects: BTreeMap<String, IdentityScopes> = BTreeMap::new();
    let mut present: [HashMap<String, Seen>; 2] = Default::default();
    let mut accounts = BTreeSet::new();
    let mut names = names::Collector::default();
    let mut workloads: [Workloads; 2] = Default::default();
    let mut inventory = inventory::Inventory::default();
    for (i, side) in [Side::Before, Side::After].into_iter().enumerate() {
        // One world for both jobs: the own accounts read every AWS resource, and building a
        // second world cost a tenth of a large plan's analysis.
        let world = World::build(plan, side, &|kind| {
            relevant(kind) || accounts::read(kind) || workloads::read(kind)
        });
        accounts::in_side(&world, config, &mut accounts);
        for o in world.objs.iter().filter(|o| accounts::read(o.kind)) {
            names.read(o);
            if side == Side::After {
                inventory.read(o);
            }
        }
        let reader = SideReader::new(&world, config, &cache);
        reader.collect(&mut ids)?;
        reader.collect_resources(&mut subjects)?;
        reader.collect_acls(&mut subjects)?;
        reader.workloads(&mut workloads[i]);
        present[i] = world
            .objs
            .iter()
            .filter(|o| !o.data && resources::relevant(o.kind))
            .map(|o| (o.address.to_string(), Seen::of(o)))
            .collect();
    }
    // A subject the plan manages exists on a side when its resource is there.
    for (address, e) in subjects.iter_mut() {
        if !e.managed_in_plan {
            continue;
        }
        for (i, side) in [Side::Before, Side::After].into_iter().enumerate() {
            let seen = present[i].get(address);
            let s = e.side_mut(side);
            s.exists = seen.is_some();
            if let Some(seen) = seen {
                s.name = seen.name.clone();
                s.arn = seen.arn.clone();
                if !seen.actions.is_empty() {
                    e.actions = seen.actions.clone();
                }
                if let Some(svc) = &seen.service {
                    e.service = Some(svc.clone());
                }
            }
        }
    }
    for e in subjects.values_mut() {
        judged::judge(e);
    }
    let settings = provider_config::read(plan);
    accounts.extend(settings.accounts.iter().cloned());
    let names = names.finish(&accounts, &settings);
    Ok(Extracted {
        identities: ids.into_values().collect(),
        resources: subjects.into_values().collect(),
        inventory: inventory.finish(&names),
        names: std::sync::Arc::new(names),
        accounts,
        workloads,
        callers: Default::default(),
    })
}

/// What the subject fix-up needs of a resource on one side.
struct Seen {
    name: Option<String>,
    arn: Option<String>,
    actions: Vec<String>,
    service: Option<String>,
}

impl Seen {
    fn of(o: &Obj) -> Seen {
        // Names are shown; a sensitive one is not.
        let name = [
            "bucket",
            "name",
            "function_name",
            "domain_name",
            "key_id",
            "account_id",
            "repository",
            "domain",
            "creation_token",
        ]
        .iter()
        .find_map(|a| {
            o.str(a)
                .filter(|_| !o.is_sensitive(&[Step::Key(a)]))
                .filter(|v| !v.is_empty())
        });
        // A VPC endpoint's requests go to the service it fronts
        // (`com.amazonaws.eu-west-1.s3` → `s3`).
        let service = o
            .str("service_name")
            .and_then(|s| s.rsplit('.').next().map(str::to_string))
            .filter(|s| !s.is_empty());
        Seen {
            arn: o.str("arn").filter(|_| name.is_some()),
            name,
            actions: o.actions.to_vec(),
            service,
        }
    }
}

/// Lookups over one side's objects.
#[derive(Default)]
pub struct Index {
    pub policy_by_arn: HashMap<String, usize>,
    /// Policies whose ARN is unknown (created in this plan), by name.
    pub policy_by_name: HashMap<String, usize>,
    /// Module-local address (`aws_iam_policy.p`) → objects, for configuration references.
    pub by_local: HashMap<String, Vec<usize>>,
    pub identity_by_name: HashMap<(&'static str, String), usize>,
    /// (type, value of one of its naming attributes) → object, for resource policy targets.
    pub subject_by: HashMap<(&'static str, String), usize>,
    /// Roles by ARN and instance profiles by name and by ARN, for the workloads that name them.
    pub role_by_arn: HashMap<String, usize>,
    pub profile_by: HashMap<String, usize>,
}

/// Reads one side of the plan into the identities map.
pub struct SideReader<'w, 'p> {
    pub world: &'w World<'p>,
    pub config: Option<&'w Config<'p>>,
    pub cache: &'w RefCell<PolicyCache>,
    pub idx: Index,
}

impl<'w, 'p> SideReader<'w, 'p> {
    fn new(
        world: &'w World<'p>,
        config: Option<&'w Config<'p>>,
        cache: &'w RefCell<PolicyCache>,
    ) -> Self {
        let mut idx = Index::default();
        for (i, o) in world.objs.iter().enumerate() {
            if let Some(a) = Address::parse(o.address) {
                idx.by_local.entry(a.local).or_default().push(i);
            }
            match o.kind {
                "aws_iam_policy" if !o.data => match o.str("arn") {
                    Some(arn) => {
                        idx.policy_by_arn.insert(arn.to_string(), i);
                    }
                    None => {
                        if let Some(n) = o.str("name") {
                            idx.policy_by_name.insert(n.to_string(), i);
                        }
                    }
                },
                ROLE | USER | GROUP => {
                    if let Some(n) = o.str("name") {
                        let kind = identity_kind(o.kind);
                        idx.identity_by_name.insert((kind, n.to_string()), i);
                    }
                    if let Some(arn) = o.str("arn").filter(|_| o.kind == ROLE && !o.data) {
                        idx.role_by_arn.insert(arn, i);
                    }
                }
                workloads::PROFILE if !o.data => {
                    for v in [o.str("name"), o.str("arn")].into_iter().flatten() {
                        idx.profile_by.entry(v).or_insert(i);
                    }
                }
                _ => {}
            }
            if o.data {
                continue;
            }
            for (kind, attr) in resources::target_keys() {
                if kind == o.kind {
                    if let Some(v) = o.str(attr).filter(|v| !v.is_empty()) {
                        idx.subject_by.entry((kind, v)).or_insert(i);
                    }
                }
            }
        }
        SideReader {
            world,
            config,
            cache,
            idx,
        }
    }

    fn side(&self) -> Side {
        self.world.side
    }

    fn configured(&self, obj: &Obj, attr: &str) -> bool {
        self.config
            .map(|c| c.configured(obj.address, attr))
            .unwrap_or(Configured::Unknown)
            != Configured::No
    }

    fn collect(&self, ids: &mut BTreeMap<String, IdentityScopes>) -> Result<(), InputError> {
        for obj in &self.world.objs {
            if obj.data || !matches!(obj.kind, ROLE | USER | GROUP) {
                continue;
            }
            let kind = identity_kind(obj.kind);
            let e = entry(ids, obj.address, kind, true);
            if !obj.actions.is_empty() {
                e.actions = obj.actions.to_vec();
            }
            let s = e.side_mut(self.side());
            s.exists = true;
            if obj.is_sensitive(&[Step::Key("name")]) {
                s.sensitive.push(attr_ref(obj, "name"));
            } else {
                s.name = obj.str("name");
            }
            // The ARN spells the name, so a sensitive name keeps the ARN out of output too.
            s.arn = obj
                .str("arn")
                .filter(|_| s.name.is_some() && !obj.is_sensitive(&[Step::Key("arn")]));
            if kind == ROLE {
                self.role_attributes(obj, e)?;
            }
            if kind != GROUP {
                let b = obj.str("permissions_boundary");
                let docs = match b.as_deref() {
                    Some("") => Vec::new(),
                    b => self.policy_by_arn(obj, "permissions_boundary", None, b)?,
                };
                for d in &docs {
                    add_as(e, self.side(), d, Role::Boundary);
                }
            }
        }
        let mut memberships = Vec::new();
        for obj in &self.world.objs {
            match obj.kind {
                "aws_iam_role_policy" => self.inline(ids, obj, "role", ROLE)?,
                "aws_iam_user_policy" => self.inline(ids, obj, "user", USER)?,
                "aws_iam_group_policy" => self.inline(ids, obj, "group", GROUP)?,
                "aws_iam_role_policy_attachment" => self.attachment(ids, obj, &[("role", ROLE)])?,
                "aws_iam_user_policy_attachment" => self.attachment(ids, obj, &[("user", USER)])?,
                "aws_iam_group_policy_attachment" => {
                    self.attachment(ids, obj, &[("group", GROUP)])?
                }
                "aws_iam_policy_attachment" => self.attachment(
                    ids,
                    obj,
                    &[("roles", ROLE), ("users", USER), ("groups", GROUP)],
                )?,
                "aws_iam_role_policy_attachments_exclusive" => {
                    self.exclusive(ids, obj, "role_name", ROLE)?
                }
                "aws_iam_user_policy_attachments_exclusive" => {
                    self.exclusive(ids, obj, "user_name", USER)?
                }
                "aws_iam_group_policy_attachments_exclusive" => {
                    self.exclusive(ids, obj, "group_name", GROUP)?
                }
                "aws_iam_user_group_membership" => {
                    for u in self.who(obj, "user", USER) {
                        for g in self.who(obj, "groups", GROUP) {
                            memberships.push((u.clone(), g, obj));
                        }
                    }
                }
                "aws_iam_group_membership" => {
                    for g in self.who(obj, "group", GROUP) {
                        for u in self.who(obj, "users", USER) {
                            memberships.push((u, g.clone(), obj));
                        }
                    }
                }
                _ => {}
            }
        }
        for (user, group, via) in memberships {
            self.membership(ids, &user, &group, via);
        }
        self.collect_credentials(ids);
        Ok(())
    }

    fn role_attributes(&self, obj: &Obj, e: &mut IdentityScopes) -> Result<(), InputError> {
        let side = self.side();
        match self.policy_value(
            obj,
            &[Step::Key("assume_role_policy")],
            "assume_role_policy",
        )? {
            Doc::Statements {
                statements,
                at,
                sensitive,
                assumed,
                ..
            } => {
                let source = format!("{} assume_role_policy", obj.address);
                if !assumed.is_empty() {
                    add_assumed(e.side_mut(side), &source, &assumed);
                }
                let origin = e.add_origin(&source, sensitive, &[obj.address.to_string()]);
                let s = e.side_mut(side);
                s.trust = Some(Scope {
                    statements: with_origin(&statements, origin),
                    boundary: None,
                });
                if sensitive {
                    s.sensitive.push(at);
                }
                s.documents.push(Document {
                    names_principals: true,
                    ..Document::new(source, &statements, sensitive)
                });
            }
            Doc::Unknown(at) => e.side_mut(side).unknown.push(at),
            Doc::Empty | Doc::NotExpanded(_) => e.side_mut(side).trust = Some(Scope::default()),
        }
        // Unset, these two only mirror what other resources attach; reading them too would
        // count grants twice or hide a detachment.
        if self.configured(obj, "inline_policy") {
            if obj.is_unknown(&[Step::Key("inline_policy")]) {
                e.side_mut(side)
                    .unknown
                    .push(attr_ref(obj, "inline_policy"));
            }
            let blocks = match obj.get(&[Step::Key("inline_policy")]) {
                Some(Value::Array(blocks)) => blocks,
                _ => Vec::new(),
            };
            for (i, b) in blocks.iter().enumerate() {
                let name = b.get("name").and_then(Value::as_str).unwrap_or("");
                let path = [
                    Step::Key("inline_policy"),
                    Step::Index(i),
                    Step::Key("policy"),
                ];
                let doc = self.policy_value(obj, &path, "inline_policy")?;
                add(
                    e,
                    side,
                    &relabel(doc, &format!("{} inline_policy {name:?}", obj.address)),
                );
            }
        }
        if self.configured(obj, "managed_policy_arns") {
            let docs = self.arn_list(obj, "managed_policy_arns")?;
            for d in &docs {
                add(e, side, d);
            }
        }
        Ok(())
    }

    /// `aws_iam_role_policy` and friends: a document for one identity.
    fn inline(
        &self,
        ids: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
        attr: &str,
        kind: &'static str,
    ) -> Result<(), InputError> {
        let doc = self.policy_value(obj, &[Step::Key("policy")], "policy")?;
        self.give(ids, obj, &[(attr, kind)], &[doc]);
        Ok(())
    }

    /// Adds `docs` to every identity that the `targets` attributes of `obj` name.
    fn give(
        &self,
        ids: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
        targets: &[(&str, &'static str)],
        docs: &[Doc],
    ) {
        for (attr, kind) in targets {
            for w in self.who(obj, attr, kind) {
                let e = self.identity(ids, &w);
                for d in docs {
                    add(e, self.side(), d);
                }
            }
        }
    }

    fn attachment(
        &self,
        ids: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
        targets: &[(&str, &'static str)],
    ) -> Result<(), InputError> {
        let arn = obj.str("policy_arn");
        let docs = self.policy_by_arn(obj, "policy_arn", None, arn.as_deref())?;
        self.give(ids, obj, targets, &docs);
        Ok(())
    }

    fn exclusive(
        &self,
        ids: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
        attr: &str,
        kind: &'static str,
    ) -> Result<(), InputError> {
        let docs = self.arn_list(obj, "policy_arns")?;
        self.give(ids, obj, &[(attr, kind)], &docs);
        Ok(())
    }

    /// The documents of a list of policy ARNs (`managed_policy_arns`, `policy_arns`), where the
    /// list or some of its elements may be known only after apply.
    fn arn_list(&self, obj: &Obj, attr: &str) -> Result<Vec<Doc>, InputError> {
        let path = [Step::Key(attr)];
        let mut docs = Vec::new();
        match obj.get(&path) {
            Some(Value::Array(arns)) => {
                for (i, a) in arns.iter().enumerate() {
                    docs.extend(self.policy_by_arn(obj, attr, Some(i), a.as_str())?);
                }
            }
            _ => docs.extend(self.policy_by_arn(obj, attr, None, None)?),
        }
        Ok(docs)
    }

    /// The entry for a grant's target, created for identities outside the plan.
    fn identity<'m>(
        &self,
        ids: &'m mut BTreeMap<String, IdentityScopes>,
        w: &Who,
    ) -> &'m mut IdentityScopes {
        let e = entry(ids, &w.address, w.kind, w.managed);
        if let Some(at) = &w.unresolved {
            let s = e.side_mut(self.side());
            if !s.unknown.contains(at) {
                s.unknown.push(at.clone());
            }
        }
        e
    }

    /// Adds a group's grants (on this side) to a member user.
    fn membership(
        &self,
        ids: &mut BTreeMap<String, IdentityScopes>,
        user: &Who,
        group: &Who,
        via: &Obj,
    ) {
        let side = self.side();
        let group_label = group.label.clone();
        let copied = ids.get(&group.address).map(|g| {
            let s = match side {
                Side::Before => &g.before,
                Side::After => &g.after,
            };
            (s.clone(), g.origins.clone())
        });
        let u = self.identity(ids, user);
        let us = u.side_mut(side);
        if let Some(at) = &group.unresolved {
            us.unknown.push(at.clone());
        }
        let Some((gs, origins)) = copied.filter(|(gs, _)| gs.exists) else {
            us.not_expanded
                .insert(Unexpanded::Group { label: group_label });
            return;
        };
        for st in &gs.permissions.statements {
            let o = &origins[st.origin];
            // A new membership is the cause of the access it brings; an edited group policy
            // is its own.
            let mut resources = o.resources.clone();
            if docs::changes(via) {
                resources.insert(0, via.address.to_string());
            } else {
                resources.push(via.address.to_string());
            }
            let origin = u.add_origin(
                &format!("group {group_label}: {}", o.source),
                o.sensitive,
                &resources,
            );
            let mut st = st.clone();
            st.origin = origin;
            u.side_mut(side).permissions.statements.push(st);
        }
        let us = u.side_mut(side);
        us.not_expanded.extend(gs.not_expanded.iter().cloned());
        us.unknown.extend(gs.unknown.iter().cloned());
        us.sensitive.extend(gs.sensitive.iter().cloned());
        us.documents.extend(gs.documents.iter().map(|d| Document {
            source: format!("group {group_label}: {}", d.source),
            ..d.clone()
        }));
    }
}

fn identity_kind(kind: &str) -> &'static str {
    match kind {
        ROLE => ROLE,
        USER => USER,
        _ => GROUP,
    }
}

fn entry<'m>(
    ids: &'m mut BTreeMap<String, IdentityScopes>,
    address: &str,
    kind: &'static str,
    managed: bool,
) -> &'m mut IdentityScopes {
    ids.entry(address.to_string()).or_insert_with(|| {
        // An identity managed elsewhere exists on both sides, whatever this plan does.
        let mut side = SideScope::absent();
        side.exists = !managed;
        IdentityScopes {
            address: address.to_string(),
            provider: crate::model::Provider::Aws,
            kind,
            managed_in_plan: managed,
            actions: Vec::new(),
            service: resources::service_of(kind).map(str::to_string),
            before: side.clone(),
            after: side,
            origins: Vec::new(),
        }
    })
}

/// A note that part of `source` is known only after apply and what was assumed for it.
fn add_assumed(s: &mut SideScope, source: &str, assumed: &[String]) {
    s.note(crate::model::Note::AssumedAfterApply {
        source: source.to_string(),
        assumed: assumed.to_vec(),
    });
}

fn relabel(doc: Doc, label: &str) -> Doc {
    match doc {
        Doc::Statements {
            statements,
            resources,
            at,
            sensitive,
            assumed,
            ..
        } => Doc::Statements {
            statements,
            source: label.to_string(),
            resources,
            at,
            sensitive,
            assumed,
        },
        other => other,
    }
}

/// What a document is to the identity it is added to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Grants permissions.
    Grants,
    /// Caps them (`permissions_boundary`).
    Boundary,
    /// Says who may use a resource (a resource policy).
    ResourcePolicy,
}

/// Adds a document to one side of an identity (or resource).
fn add_as(e: &mut IdentityScopes, side: Side, doc: &Doc, role: Role) {
    match doc {
        Doc::Statements {
            statements,
            source,
            resources,
            at,
            sensitive,
            assumed,
        } => {
            if !assumed.is_empty() {
                add_assumed(e.side_mut(side), source, assumed);
            }
            let label = match role {
                Role::Grants | Role::ResourcePolicy => source.clone(),
                Role::Boundary => format!("permissions_boundary {source}"),
            };
            let origin = e.add_origin(&label, *sensitive, resources);
            let s = e.side_mut(side);
            let st = with_origin(statements, origin);
            match role {
                Role::Grants => s.permissions.statements.extend(st),
                Role::Boundary => {
                    s.permissions
                        .boundary
                        .get_or_insert_with(Vec::new)
                        .extend(st);
                    s.boundary = Boundary::Document {
                        source: source.clone(),
                    };
                }
                Role::ResourcePolicy => s
                    .resource_policy
                    .get_or_insert_with(Scope::default)
                    .statements
                    .extend(st),
            }
            if *sensitive && !s.sensitive.contains(at) {
                s.sensitive.push(at.clone());
            }
            s.documents.push(Document {
                names_principals: role == Role::ResourcePolicy,
                ..Document::new(label, statements, *sensitive)
            });
        }
        // A resource whose policy is empty still has one: nobody beyond its account may use it.
        Doc::Empty if role == Role::ResourcePolicy => {
            e.side_mut(side)
                .resource_policy
                .get_or_insert_with(Scope::default);
        }
        Doc::Empty => {}
        Doc::NotExpanded(arn) => {
            let s = e.side_mut(side);
            match role {
                Role::Grants | Role::ResourcePolicy => {
                    s.not_expanded.insert(Unexpanded::Policy {
                        arn: arn.clone(),
                        aws_managed: is_aws_managed(arn),
                    });
                }
                Role::Boundary => s.boundary = Boundary::NotExpanded { arn: arn.clone() },
            }
        }
        Doc::Unknown(at) => {
            let s = e.side_mut(side);
            if !s.unknown.contains(at) {
                s.unknown.push(at.clone());
            }
            if role == Role::Boundary {
                s.boundary = Boundary::Unknown;
            }
        }
    }
}

fn add(e: &mut IdentityScopes, side: Side, doc: &Doc) {
    add_as(e, side, doc, Role::Grants);
}

/// Adds a resource policy document to one side of a resource.
fn add_resource_policy(e: &mut IdentityScopes, side: Side, doc: &Doc) {
    add_as(e, side, doc, Role::ResourcePolicy);
}
