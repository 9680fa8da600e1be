//! Combinations of requests that make an identity dangerous, as each provider lists them in its
//! `routes.rs`: a route completes a capability (escalate privileges, mint credentials...) when
//! every one of its parts is allowed, each part some action of a list on the resources it names.
//! The checks (`crate::checks`) judge the routes; the rules (`crate::rules`) report them.

use super::{Provider, Severity};

/// What an identity can do through a route: each is reported by one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// Every action on every resource (where a provider has a route for it).
    AdminEquivalent,
    /// Rewrite its own or another identity's permissions.
    PrivilegeEscalation,
    /// Hand a role to compute it creates.
    PassroleCompute,
    /// Run code in compute that already exists.
    CodeExecution,
    /// Mint credentials for an identity.
    CredentialsExposure,
    /// Read any secret.
    SecretsRead,
    /// Read or copy out any data.
    DataExfiltration,
    /// Open resources to others.
    ResourceExposure,
    /// Hold two duties that should stay apart.
    SeparationOfDuties,
}

/// A place a part's requests may name, by the resource pattern (in matching form) of a
/// statement that grants them: `projects/p` but not `projects/p/*`.
pub type Place = fn(&str) -> bool;

/// Which resources of a part count.
#[derive(Debug, Clone, Copy)]
pub enum On {
    /// At least one.
    Some,
    /// One whose name the policy does not single out: its pattern covers an arbitrary name
    /// (`*`, `arn:aws:iam::*:role/*`), not a fixed ARN or a prefix like `role/app-*`.
    Any,
    /// As [`On::Any`], or the identity itself (a role that may put a policy on itself).
    AnyOrSelf,
    /// As [`On::Any`], among resources of these types only: for an action whose request names
    /// several resources (`ssm:SendCommand` names a document and an instance), the one that
    /// says where the code runs.
    AnyOf(&'static [&'static str]),
    /// A place the identity's own grants name that this accepts (GCP, Azure and Kubernetes
    /// grants are Allow statements on named places and everything under them).
    At(Place),
}

/// The actions of a part.
#[derive(Debug, Clone, Copy)]
pub enum Actions {
    /// Named in the table (`service:Action` or a permission; wildcards allowed).
    Listed(&'static [&'static str]),
    /// Read from the provider's catalog when the checks are built, in the order given.
    Catalog(fn() -> Vec<String>),
}

/// Some action of `actions` on the resources `on` says.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub actions: Actions,
    pub on: On,
}

/// A combination that completes a capability: every part, each on its own request.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub completes: Capability,
    /// What the identity can do through it, e.g. "pass any role to a new EC2 instance".
    pub label: &'static str,
    /// Overrides the severity of the rule that reports it.
    pub severity: Option<Severity>,
    pub parts: &'static [Part],
}

impl Part {
    /// The actions the table names (none for a part read from a catalog).
    pub fn listed(&self) -> &'static [&'static str] {
        match self.actions {
            Actions::Listed(list) => list,
            Actions::Catalog(_) => &[],
        }
    }
}

/// Some action of `actions` on the resources `on` says.
pub const fn part(actions: &'static [&'static str], on: On) -> Part {
    Part {
        actions: Actions::Listed(actions),
        on,
    }
}

/// Some permission of `permissions` on a place `place` accepts.
pub const fn on(permissions: &'static [&'static str], place: Place) -> Part {
    part(permissions, On::At(place))
}

/// A route at the severity of the rule that reports it.
pub const fn route(completes: Capability, label: &'static str, parts: &'static [Part]) -> Route {
    Route {
        completes,
        label,
        severity: None,
        parts,
    }
}

/// `r` at another severity than its rule's.
pub const fn at(severity: Severity, r: Route) -> Route {
    Route {
        severity: Some(severity),
        ..r
    }
}

/// When a route that holds after the change is news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Novelty {
    /// When no route of its capability held before: where a route lands does not matter,
    /// because its parts ask for *any* resource (AWS).
    OfCapability,
    /// When one of its requests was not allowed before: owner of one more project is news even
    /// for the owner of another (clouds whose grants land on named places).
    OfRequest,
}

/// One provider's routes and what reading them takes.
pub struct Table {
    pub provider: Provider,
    pub novelty: Novelty,
    /// In order of precedence: within a capability, the first route that holds is reported.
    pub routes: &'static [Route],
    /// Capabilities each of whose routes is reported on its own (duties kept apart), rather
    /// than the first route that holds.
    pub separate: &'static [Capability],
    /// A permission no role names: only a grant of every permission allows it. Examples show
    /// it as `*`.
    pub any: Option<&'static str>,
    /// A request's resource for a resource pattern: `projects/p/*` → `projects/p/example`.
    pub concrete: fn(&str) -> String,
    /// Whether a permission (as a witness names it) only reads.
    pub reads: fn(&str) -> bool,
    /// The identities that stand for everyone, and who that is ("anyone on the internet").
    pub public: &'static [(&'static str, &'static str)],
}

/// A place a resource pattern covers: `projects/p/*` → `projects/p/example`.
pub fn concrete(pattern: &str) -> String {
    pattern.replace('*', "example").replace('?', "x")
}

/// Places of any kind.
pub fn anywhere(_: &str) -> bool {
    true
}
