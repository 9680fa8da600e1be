//! What a comparison finds: grants added or removed, the request that proves a change, and
//! the verdict on a subject.

use super::{Effect, Request};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Widened,
    Unverifiable,
    Created,
    Deleted,
    Narrowed,
    Unchanged,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Widened => "widened",
            Verdict::Narrowed => "narrowed",
            Verdict::Unchanged => "unchanged",
            Verdict::Unverifiable => "unverifiable",
            Verdict::Created => "created",
            Verdict::Deleted => "deleted",
        }
    }

    /// Whether this verdict means new access may exist after apply (created counts as widened).
    pub fn grants_new_access(self) -> bool {
        matches!(self, Verdict::Widened | Verdict::Created)
    }
}

/// Which question a grant answers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    /// What the identity may do (identity policies, capped by the permissions boundary).
    Permissions,
    /// Who may become the identity (a role's trust policy).
    Trust,
    /// Who may use the resource (its resource policy, or a permission such as
    /// `aws_lambda_permission` that is one statement of it).
    Resource,
}

impl ScopeKind {
    /// Whether grants of this scope name principals (who may reach the subject).
    pub fn names_principals(self) -> bool {
        matches!(self, ScopeKind::Trust | ScopeKind::Resource)
    }
}

/// A group of added or removed access: the product of actions × resources (× principals for
/// trust), under conditions, as written in one statement.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Grant {
    pub scope: ScopeKind,
    /// Where the statement comes from: `aws_iam_role_policy.x`, `inline_policy "name"`, a managed
    /// policy ARN, `permissions_boundary`, `assume_role_policy`...
    pub source: String,
    /// `Allow`, or `Deny` for a removed or added deny statement.
    pub effect: Effect,
    /// Action patterns; when `not_actions` is true these are the *excluded* actions (NotAction).
    pub actions: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_actions: bool,
    /// Actions the grant's own role takes out of `actions` (Azure `NotActions` and
    /// `NotDataActions`): subtracted from this grant only, not denied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except_actions: Vec<String>,
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_resources: bool,
    /// Principals (trust and resource scopes only), `TYPE:ID` such as
    /// `AWS:arn:aws:iam::123456789012:root`, or `*`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// Conditions as written, one entry per `Operator key values` clause.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// How the conditions changed for the example: `without \`StringEquals aws:SourceVpc
    /// vpc-1\`` when a condition that refused it before fell, `now also when \`key\` is
    /// \`value\`` when it takes a new value (for a removal, `now only when …` and `no longer
    /// when …`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub condition_change: Vec<String>,
    /// A change that is not a statement (a boundary removed, a policy privdiff cannot expand).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<GrantKind>,
    /// Plan addresses of the resources that bring this statement, the likeliest cause of the
    /// change first: an edited policy before the attachment that attaches it, a new attachment
    /// of an unchanged policy before the policy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The real AWS actions the grant's action patterns cover (for `NotAction`, the actions
    /// they leave out), from the embedded catalog: permissions grants that are statements and
    /// not hidden only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessSummary>,
    /// The role binding or assignment the grant comes from (GCP, Azure, Kubernetes), whose
    /// permissions `actions` lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<Binding>,
    /// The plan's own resources the grant reaches (added permissions grants only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reaches: Option<Reached>,
    /// Free-text detail, e.g. "previously denied by a Deny statement in aws_iam_policy.guard".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A request this change concerns: newly allowed (in `added`) or no longer allowed (in
    /// `removed`). Absent for changes that are not statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Witness>,
    /// Index of the statement in the scope it was read from (the new scope for additions),
    /// for later analysis stages; not part of the report.
    #[serde(skip)]
    pub statement: Option<usize>,
    /// For an added trust or resource grant: a request by each of `principals`, in order, that
    /// the new policy allows and the old did not, where one was found. For later analysis
    /// stages (who can newly reach the subject); not part of the report.
    #[serde(skip)]
    pub by_principal: Vec<Option<Witness>>,
}

/// The plan's resources an added grant reaches: each named, up to [`Reached::LISTED`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reached {
    /// How many of the plan's resources it reaches.
    pub count: usize,
    /// The first [`Reached::LISTED`] of them, in plan order.
    pub resources: Vec<super::usage::PlanResource>,
}

impl Reached {
    pub const LISTED: usize = 25;
}

/// A change that is not a statement: its code in the JSON report (`kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GrantKind {
    /// A policy attached by ARN whose document is not in the plan.
    ManagedPolicyUnexpanded,
    /// Membership of a group whose policies are not in the plan.
    GroupMembershipUnexpanded,
    /// A GCP or Azure role privdiff's tables do not have, granted on some place.
    RoleUnexpanded,
    /// The permissions boundary that capped the identity was removed.
    BoundaryRemoved,
    /// A permissions boundary now caps the identity.
    BoundaryAdded,
    /// The permissions boundary changed to one privdiff cannot compare with the old one.
    BoundaryChanged,
    /// S3 public access block settings turned off, or the block removed.
    PublicAccessBlockDisabled,
    /// S3 public access block settings turned on.
    PublicAccessBlockEnabled,
    /// A long-lived credential created for the identity (an access key, a password).
    CredentialCreated,
    /// A long-lived credential of the identity deleted or deactivated.
    CredentialRemoved,
}

impl GrantKind {
    /// The code, e.g. `boundary-removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantKind::ManagedPolicyUnexpanded => "managed-policy-unexpanded",
            GrantKind::GroupMembershipUnexpanded => "group-membership-unexpanded",
            GrantKind::RoleUnexpanded => "role-unexpanded",
            GrantKind::BoundaryRemoved => "boundary-removed",
            GrantKind::BoundaryAdded => "boundary-added",
            GrantKind::BoundaryChanged => "boundary-changed",
            GrantKind::PublicAccessBlockDisabled => "public-access-block-disabled",
            GrantKind::PublicAccessBlockEnabled => "public-access-block-enabled",
            GrantKind::CredentialCreated => "credential-created",
            GrantKind::CredentialRemoved => "credential-removed",
        }
    }

    /// Whether it stands for a grant privdiff cannot expand: it may add nothing or anything.
    pub fn is_unexpanded(self) -> bool {
        matches!(
            self,
            GrantKind::ManagedPolicyUnexpanded
                | GrantKind::GroupMembershipUnexpanded
                | GrantKind::RoleUnexpanded
        )
    }
}

impl Grant {
    /// Whether it stands for a grant privdiff cannot expand (see [`GrantKind::is_unexpanded`]).
    pub fn is_unexpanded(&self) -> bool {
        self.kind.is_some_and(GrantKind::is_unexpanded)
    }

    /// What a grant allows: `Allow s3:GetObject on arn:aws:s3:::b/*`, `trust: Allow sts:AssumeRole
    /// for AWS:arn:aws:iam::1:root`, with at most `max` items of each list. Conditions, source and
    /// detail are left to the caller, which shows them in full or counts them.
    pub fn describe(&self, max: usize) -> String {
        if let Some(access) = self.access.as_ref().filter(|a| a.exact) {
            return self.describe_exact(access, max);
        }
        let grant = self;
        let mut s = String::new();
        if grant.actions.is_empty() && !grant.not_actions {
            // Not a statement but another kind of change (a boundary removed...): its kind names it.
            let kind = match grant.kind {
                Some(kind) => kind.as_str(),
                None => grant.effect.as_str(),
            };
            s.push_str(&format!("{kind}: {}", grant.source));
            return s;
        }
        if let Some(b) = &grant.binding {
            // The role and where it is bound first, as the cloud says it; its permissions as
            // the detail.
            s.push_str(&format!(
                "{} {}: {}",
                b.role,
                b.at,
                list(&grant.actions, max)
            ));
            if !grant.except_actions.is_empty() {
                s.push_str(&format!(" except {}", list(&grant.except_actions, max)));
            }
            return s;
        }
        match grant.scope {
            ScopeKind::Trust => s.push_str("trust: "),
            ScopeKind::Resource => s.push_str("resource policy: "),
            ScopeKind::Permissions => {}
        }
        s.push_str(grant.effect.as_str());
        if grant.not_actions {
            s.push_str(&format!(
                " every action except {}",
                list(&grant.actions, max)
            ));
        } else {
            s.push_str(&format!(" {}", list(&grant.actions, max)));
        }
        if !grant.except_actions.is_empty() {
            s.push_str(&format!(" except {}", list(&grant.except_actions, max)));
        }
        if grant.not_resources {
            s.push_str(&format!(
                " on every resource except {}",
                list(&grant.resources, max)
            ));
        } else if !grant.resources.is_empty() {
            s.push_str(&format!(" on {}", list(&grant.resources, max)));
        }
        if !grant.principals.is_empty() {
            s.push_str(&format!(" for {}", list(&grant.principals, max)));
        }
        if let Some(kind) = grant.kind {
            s.push_str(&format!(" [{}]", kind.as_str()));
        }
        s
    }
}

impl Grant {
    /// The change in real requests: `15 actions (15 Read in s3): s3:GetObjectAcl, … (+12 more)
    /// on arn:aws:s3:::b/*, without \`StringEquals aws:SourceVpc vpc-1\` (Allow s3:Get*)`: the
    /// actions, the resources they are on, how the conditions changed, then the statement.
    fn describe_exact(&self, access: &AccessSummary, max: usize) -> String {
        let mut s = String::new();
        match self.scope {
            ScopeKind::Trust => s.push_str("trust: "),
            ScopeKind::Resource => s.push_str("resource policy: "),
            ScopeKind::Permissions => {}
        }
        s.push_str(&access.headline(max));
        if self.not_resources {
            s.push_str(&format!(
                " on every resource except {}",
                list(&self.resources, max)
            ));
        } else if !self.resources.is_empty() {
            s.push_str(&format!(" on {}", list(&self.resources, max)));
        }
        if !self.principals.is_empty() {
            s.push_str(&format!(" for {}", list(&self.principals, max)));
        }
        for change in &self.condition_change {
            s.push_str(&format!(", {change}"));
        }
        // The statement only says where the actions come from: a few of its patterns.
        let few = max.min(5);
        let statement = if self.not_actions {
            format!("every action except {}", list(&self.actions, few))
        } else {
            list(&self.actions, few)
        };
        // Literal actions are the ones named already.
        let wild = self.not_actions || self.actions.iter().any(|a| a.contains(['*', '?']));
        if wild {
            s.push_str(&format!(" ({} {statement})", self.effect.as_str()));
        }
        s
    }
}

/// `a, b (+3 more)` naming at most `max` items; `(none)` for an empty list.
pub fn list(items: &[String], max: usize) -> String {
    if items.is_empty() {
        return "(none)".to_string();
    }
    let shown = items[..items.len().min(max)].join(", ");
    match items.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} (+{more} more)"),
    }
}

/// Catalog actions a grant covers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccessSummary {
    /// How many catalog actions.
    pub actions: usize,
    /// `[access level, count]`, most consequential first: Permissions management, Write, Read,
    /// List, Tagging (levels with no action left out).
    pub levels: Vec<(String, usize)>,
    /// Service prefixes of those actions, sorted.
    pub services: Vec<String>,
    /// Action patterns that match no catalog action (a new or unknown service or action).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
    /// Whether the summary is of exactly the actions whose requests the change adds or removes
    /// (the comparison typed its requests), rather than of all the actions the grant's patterns
    /// cover.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
    /// The actions by name, most consequential first, when the summary is of exactly the
    /// actions a change adds or removes: all of them when they are at most 20, otherwise the
    /// Permissions management and Write ones (at most 20).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub named: Vec<String>,
}

impl AccessSummary {
    /// `15 actions (15 Read in s3): a, b, c (+12 more)` with at most `max` names; beyond 20
    /// actions, `826 actions (…), including a, b, c (+17 more)`, naming the Permissions
    /// management and Write ones; then the patterns that add actions the catalog lacks.
    pub fn headline(&self, max: usize) -> String {
        let mut s = match self.actions {
            0 => String::new(),
            1 => "1 action".to_string(),
            n => format!("{n} actions"),
        };
        if self.actions > 0 {
            let levels: Vec<String> = self
                .levels
                .iter()
                .map(|(level, n)| format!("{n} {level}"))
                .collect();
            s.push_str(&format!(
                " ({} in {})",
                levels.join(", "),
                list(&self.services, max)
            ));
        }
        if !self.named.is_empty() {
            let all = self.named.len() == self.actions;
            s.push_str(if all { ": " } else { ", including " });
            s.push_str(&list(&self.named, max));
        }
        if !self.unknown.is_empty() {
            if !s.is_empty() {
                s.push_str(", and ");
            }
            s.push_str(&format!(
                "{} (not in the catalog)",
                list(&self.unknown, max)
            ));
        }
        s
    }

    /// `63 actions: 2 Permissions management, 12 Write, 49 Read in s3`.
    pub fn describe(&self, max_services: usize) -> String {
        let levels: Vec<String> = self
            .levels
            .iter()
            .map(|(level, n)| format!("{n} {level}"))
            .collect();
        let mut s = match self.actions {
            1 => "1 action".to_string(),
            n => format!("{n} actions"),
        };
        if !levels.is_empty() {
            s.push_str(&format!(": {}", levels.join(", ")));
        }
        if !self.services.is_empty() {
            s.push_str(&format!(" in {}", list(&self.services, max_services)));
        }
        if !self.unknown.is_empty() {
            s.push_str(&format!(
                ", and {} not in the catalog",
                list(&self.unknown, max_services)
            ));
        }
        s
    }
}

/// A role bound to the subject somewhere, in the words of its cloud: `roles/editor` `on
/// projects/acme-prod`, `Contributor` `on …/nsg-edge (Microsoft.Network/networkSecurityGroups)`,
/// `ClusterRole edit` `in namespace payments`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Binding {
    pub role: String,
    /// Where, with its preposition.
    pub at: String,
}

/// A request that proves a widening.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Witness {
    pub scope: ScopeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    pub action: String,
    pub resource: String,
    /// Condition keys and the value they take in the request; `(absent)` when the key is missing.
    pub context: BTreeMap<String, String>,
}

impl Witness {
    /// The value of a context key, matched without regard to case as IAM does.
    pub fn context_value(&self, key: &str) -> Option<&String> {
        self.context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// Sets a context key, keeping the spelling already there.
    pub fn set_context(&mut self, key: &str, value: String) {
        let existing = self
            .context
            .keys()
            .find(|k| k.eq_ignore_ascii_case(key))
            .cloned();
        self.context
            .insert(existing.unwrap_or_else(|| key.to_string()), value);
    }

    /// The request it stands for.
    pub fn request(&self) -> Request {
        Request {
            principal: self.principal.clone().unwrap_or_default(),
            action: self.action.clone(),
            resource: self.resource.clone(),
            context: self
                .context
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}
