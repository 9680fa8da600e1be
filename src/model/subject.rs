//! Subjects and their scopes: what each identity (or resource) is granted on each side of the
//! plan, as the providers' extractors read it.

use super::statement::{Scope, Statement};
use super::{Note, Provider};
use crate::plan::side::{AttributeRef, Side};
use std::collections::BTreeSet;

/// Where a statement came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `aws_iam_role_policy.x`, `inline_policy "name"`, `aws_iam_policy.p via aws_iam_role_policy_attachment.a`...
    pub source: String,
    /// The document is marked sensitive: nothing from it may be printed.
    pub sensitive: bool,
    /// Plan addresses of the resources that bring the statements, the likeliest cause first.
    pub resources: Vec<String>,
    /// The role binding or assignment the statements come from, where they come from one.
    pub binding: Option<super::grant::Binding>,
}

/// A grant privdiff sees but cannot expand into statements.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unexpanded {
    /// A policy attached by ARN whose document is not in the plan: an AWS managed policy
    /// privdiff's data does not have (`aws_managed`), or a policy of the account's own.
    Policy { arn: String, aws_managed: bool },
    /// Membership of a group whose policies are not in the plan, by the group's label.
    Group { label: String },
    /// A GCP or Azure role privdiff's tables do not have (nor the plan, for a custom role),
    /// granted on one resource or scope.
    Role { role: String, resource: String },
}

/// The permissions boundary on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Boundary {
    None,
    /// A policy document privdiff can read (its statements are in `Scope::boundary`).
    Document {
        source: String,
    },
    /// A policy ARN whose document is not in the plan.
    NotExpanded {
        arn: String,
    },
    /// Known only after apply.
    Unknown,
}

/// What one identity is granted on one side.
#[derive(Debug, Clone)]
pub struct SideScope {
    /// The identity exists on this side.
    pub exists: bool,
    pub name: Option<String>,
    /// What the cloud calls the kind of principal, where the plan says (Azure's
    /// `principal_type`: `User`, `Group`, `ServicePrincipal`...).
    pub principal_type: Option<String>,
    /// Its ARN (AWS), or its resource ID in lower case (an Azure user-assigned identity).
    pub arn: Option<String>,
    pub permissions: Scope,
    /// Who may become the identity (roles only).
    pub trust: Option<Scope>,
    /// Who may use the resource (resource subjects only): its resource policy.
    pub resource_policy: Option<Scope>,
    /// The S3 public access block settings on this side (buckets and the account block only).
    pub public_access_block: Option<PublicAccessBlock>,
    /// Long-lived credentials of the identity that the plan manages (IAM users only).
    pub credentials: Vec<Credential>,
    /// Grants privdiff sees but cannot expand into statements.
    pub not_expanded: BTreeSet<Unexpanded>,
    pub boundary: Boundary,
    pub unknown: Vec<AttributeRef>,
    pub sensitive: Vec<AttributeRef>,
    /// The documents behind the statements, for review diffs.
    pub documents: Vec<Document>,
    /// What the extractor wants the reader to know about this side (the after side's notes
    /// join the identity's report).
    pub notes: Vec<Note>,
    /// Known now, but privdiff cannot tell whether it allows more than the other side (a
    /// rewritten IAM condition): the identity is unverifiable, and the notes say why.
    pub incomparable: bool,
}

impl SideScope {
    /// Adds a caveat on this side's verdict, once: many statements or bindings may give the
    /// same one.
    pub fn note(&mut self, note: super::Note) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub fn absent() -> SideScope {
        SideScope {
            exists: false,
            name: None,
            principal_type: None,
            arn: None,
            permissions: Scope::default(),
            trust: None,
            resource_policy: None,
            public_access_block: None,
            credentials: Vec::new(),
            not_expanded: BTreeSet::new(),
            boundary: Boundary::None,
            unknown: Vec::new(),
            sensitive: Vec::new(),
            documents: Vec::new(),
            notes: Vec::new(),
            incomparable: false,
        }
    }
}

/// The four settings of an S3 public access block; `None` for a setting known only after apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicAccessBlock {
    /// The resource that holds the settings.
    pub address: String,
    /// `block_public_acls`, `block_public_policy`, `ignore_public_acls`,
    /// `restrict_public_buckets`, in that order.
    pub settings: [Option<bool>; 4],
}

impl PublicAccessBlock {
    pub const NAMES: [&'static str; 4] = [
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ];
}

/// A long-lived credential: whoever holds it may act as the identity, from anywhere, until it
/// is revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The resource that creates it (`aws_iam_access_key.deploy`).
    pub address: String,
    /// What it is, in words (`access key`, `console password`).
    pub what: &'static str,
    /// Its secret is written to the Terraform state in plain text (no `pgp_key`): whoever
    /// reads the state holds it too.
    pub in_state: bool,
}

/// A policy document as the identity received it, for review diffs.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: String,
    /// `None` when the document is sensitive.
    pub statements: Option<std::rc::Rc<Vec<Statement>>>,
    /// A trust (or resource) policy, whose statements name principals.
    pub names_principals: bool,
    /// A role binding or assignment: shown as its source line (the binding), not as the
    /// statements it expands to.
    pub binding: bool,
}

impl Document {
    /// A role binding or assignment, shown as `source`.
    pub fn binding(
        source: String,
        statements: &std::rc::Rc<Vec<Statement>>,
        sensitive: bool,
    ) -> Document {
        Document {
            binding: true,
            ..Document::new(source, statements, sensitive)
        }
    }

    pub fn new(
        source: String,
        statements: &std::rc::Rc<Vec<Statement>>,
        sensitive: bool,
    ) -> Document {
        Document {
            source,
            statements: (!sensitive).then(|| statements.clone()),
            names_principals: false,
            binding: false,
        }
    }
}

/// What the extractors find in a plan.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Identities (roles, users, groups), by address.
    pub identities: Vec<IdentityScopes>,
    /// Resources whose resource policy or public access block the plan touches, by address.
    pub resources: Vec<IdentityScopes>,
    /// The AWS accounts this plan's own resources live in, learned from their ARNs.
    pub accounts: BTreeSet<String>,
    /// What the plan calls its resources and places, for examples.
    pub names: std::sync::Arc<super::PlanNames>,
    /// The plan's workloads and the identities they run as, before and after.
    pub workloads: [super::usage::Workloads; 2],
    /// Who may act as each identity after the change, read from grants.
    pub callers: super::usage::Callers,
    /// The resources the plan manages after the change that a grant can name, for who a
    /// grant reaches.
    pub inventory: Vec<super::usage::PlanResource>,
}

/// One identity (or resource), both sides, with the origins its statements index into.
#[derive(Debug, Clone)]
pub struct IdentityScopes {
    pub address: String,
    pub provider: Provider,
    pub kind: &'static str,
    pub managed_in_plan: bool,
    pub actions: Vec<String>,
    /// For a resource: the AWS service prefix of its requests (`s3`, `kms`...), when known.
    pub service: Option<String>,
    pub before: SideScope,
    pub after: SideScope,
    pub origins: Vec<Origin>,
}

impl IdentityScopes {
    /// What it is granted on `side`.
    pub fn side(&self, side: Side) -> &SideScope {
        match side {
            Side::Before => &self.before,
            Side::After => &self.after,
        }
    }

    /// An identity that lives outside the plan (a GCP member, a Kubernetes subject, an Azure
    /// principal by object id): it exists on both sides, whatever the plan grants it.
    pub fn outside_plan(
        address: &str,
        provider: Provider,
        kind: &'static str,
        managed_in_plan: bool,
    ) -> IdentityScopes {
        let mut side = SideScope::absent();
        side.exists = true;
        IdentityScopes {
            address: address.to_string(),
            provider,
            kind,
            managed_in_plan,
            actions: Vec::new(),
            service: None,
            before: side.clone(),
            after: side,
            origins: Vec::new(),
        }
    }

    pub fn side_mut(&mut self, side: Side) -> &mut SideScope {
        match side {
            Side::Before => &mut self.before,
            Side::After => &mut self.after,
        }
    }

    /// Adds statements from one document to a side, registering their origin.
    pub fn add_origin(&mut self, source: &str, sensitive: bool, resources: &[String]) -> usize {
        if let Some(i) = self
            .origins
            .iter()
            .position(|o| o.source == source && o.sensitive == sensitive)
        {
            return i;
        }
        self.origins.push(Origin {
            source: source.to_string(),
            sensitive,
            resources: resources.to_vec(),
            binding: None,
        });
        self.origins.len() - 1
    }

    /// The index of the origin of a role binding or assignment, `binding`, added if new. A
    /// sensitive one keeps no binding: its role may not be printed.
    pub fn add_binding_origin(
        &mut self,
        source: &str,
        sensitive: bool,
        resources: &[String],
        binding: super::grant::Binding,
    ) -> usize {
        let i = self.add_origin(source, sensitive, resources);
        if !sensitive {
            self.origins[i].binding = Some(binding);
        }
        i
    }
}

/// Adds `at` to a list of unknown or sensitive attributes, once.
pub fn mark(list: &mut Vec<AttributeRef>, at: &AttributeRef) {
    if !list.contains(at) {
        list.push(at.clone());
    }
}

/// Statements with their origin index set.
pub fn with_origin(statements: &[Statement], origin: usize) -> Vec<Statement> {
    statements
        .iter()
        .map(|s| Statement {
            origin,
            ..s.clone()
        })
        .collect()
}
