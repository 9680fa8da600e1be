//! Edges the caller's own permissions make: a request on the target that hands the caller the
//! target's credentials or lets it run code as the target. An access key created for an AWS
//! user, a token minted for a GCP service account, a pod started as a Kubernetes service
//! account: each needs no consent from the target, only the caller's grant.

use super::graph::{
    allowed_in, only_action, refused_anyway, search, Budget, Edge, Graph, Nodes, Unchecked, Via,
};
use crate::compare::Limits;
use crate::model::pattern::arn_matches;
use crate::model::vocabulary::Vocabulary;
use crate::model::{Effect, Match, Provider, Request, Scope, Statement};
use crate::providers::aws::extract::{ROLE, USER};
use crate::providers::azure::extract::KIND_USER_ASSIGNED;
use crate::providers::azure::routes::RUN_WITH_IDENTITY;
use crate::providers::gcp::routes::RUN_AS;
use crate::providers::kubernetes::extract::SERVICE_ACCOUNT;
use std::rc::Rc;

/// One way to become an identity by a grant of the caller's own.
pub struct Way {
    pub provider: Provider,
    /// The kind of identity it becomes; `None` for any the cloud can name as a target.
    target: Option<&'static str>,
    /// The requests that make it, any one of them: the first allowed is shown.
    actions: &'static [&'static str],
    /// What the hop is, as the report's `edge` says it.
    pub edge: &'static str,
    /// What the caller does, in words: `getting an access token for it`.
    pub label: &'static str,
    on: On,
    /// Another request it needs, on any resource, any one of these: the compute that runs as
    /// the target.
    with: &'static [&'static str],
    /// IAM still evaluates the `sts:AssumeRole` that follows (a trust the caller rewrote to
    /// name itself): the caller's own Deny and a role's boundary can refuse it.
    then_assume: bool,
}

/// What a way's request is made on.
enum On {
    /// The target itself.
    Target,
    /// A new object in the target's Kubernetes namespace.
    Namespace,
}

impl Way {
    /// The resource of this way's request on the target named `name`.
    pub fn on(&self, name: &str) -> String {
        match self.on {
            On::Target => name.to_string(),
            On::Namespace => match name.rsplit_once('/') {
                Some((namespace, _)) => format!("{namespace}/example"),
                None => name.to_string(),
            },
        }
    }
}

const fn way(
    provider: Provider,
    target: Option<&'static str>,
    actions: &'static [&'static str],
    (edge, label): (&'static str, &'static str),
) -> Way {
    Way {
        provider,
        target,
        actions,
        edge,
        label,
        on: On::Target,
        with: &[],
        then_assume: false,
    }
}

/// Kubernetes objects whose creation starts pods, which may name any service account of
/// their namespace.
const STARTS_PODS: &[&str] = &[
    "core:pods:create",
    "apps:deployments:create",
    "apps:statefulsets:create",
    "apps:daemonsets:create",
    "apps:replicasets:create",
    "batch:jobs:create",
    "batch:cronjobs:create",
    "core:replicationcontrollers:create",
];

pub const WAYS: &[Way] = &[
    way(
        Provider::Aws,
        Some(USER),
        &["iam:CreateAccessKey"],
        ("create-key", "creating an access key for it"),
    ),
    way(
        Provider::Aws,
        Some(USER),
        &["iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
        ("login-profile", "setting its console password"),
    ),
    Way {
        then_assume: true,
        ..way(
            Provider::Aws,
            Some(ROLE),
            &["iam:UpdateAssumeRolePolicy"],
            (
                "rewrite-trust",
                "rewriting its trust policy to admit itself, then assuming it",
            ),
        )
    },
    way(
        Provider::Gcp,
        None,
        &[
            "iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.signJwt",
            "iam.serviceAccounts.signBlob",
        ],
        (
            "impersonate",
            "minting an access token or a signed JWT as it",
        ),
    ),
    way(
        Provider::Gcp,
        None,
        &["iam.serviceAccountKeys.create"],
        ("create-key", "creating a key for it"),
    ),
    Way {
        with: RUN_AS,
        ..way(
            Provider::Gcp,
            None,
            &["iam.serviceAccounts.actAs"],
            ("run-as", "acting as it in new compute it creates"),
        )
    },
    Way {
        with: RUN_WITH_IDENTITY,
        ..way(
            Provider::Azure,
            Some(KIND_USER_ASSIGNED),
            &["Action:Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
            ("run-as", "attaching it to compute it creates or changes"),
        )
    },
    way(
        Provider::Kubernetes,
        Some(SERVICE_ACCOUNT),
        &["core:serviceaccounts:impersonate"],
        ("impersonate", "impersonating it"),
    ),
    way(
        Provider::Kubernetes,
        Some(SERVICE_ACCOUNT),
        &["core:serviceaccounts/token:create"],
        ("create-token", "requesting a token for it"),
    ),
    Way {
        on: On::Namespace,
        ..way(
            Provider::Kubernetes,
            Some(SERVICE_ACCOUNT),
            STARTS_PODS,
            ("run-as", "starting a pod in its namespace that runs as it"),
        )
    },
];

/// Adds the edges of one side's grants to `graph`.
pub(super) fn edges(
    graph: &mut Graph,
    nodes: &Nodes,
    names: &[Option<String>],
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) {
    let side = graph.side;
    // `linked[b] == a` when `a` has an edge to `b` already: one way to become it is enough.
    let mut linked = vec![usize::MAX; nodes.ids.len()];
    for (w, way) in WAYS.iter().enumerate() {
        if way.provider != nodes.provider {
            continue;
        }
        let targets: Vec<usize> = (0..nodes.ids.len())
            .filter(|&b| names[b].is_some())
            .filter(|&b| way.target.is_none_or(|k| nodes.ids[b].kind == k))
            .collect();
        if targets.is_empty() {
            continue;
        }
        for (a, id) in nodes.ids.iter().enumerate() {
            let s = id.side(side);
            if !s.exists {
                continue;
            }
            // Only the statements about the way's actions can allow it: most callers have none.
            let scopes: Vec<(&'static str, Scope, Option<Plain>)> = way
                .actions
                .iter()
                .map(|&action| only_action(&s.permissions, &action.to_lowercase()))
                .zip(way.actions)
                .filter(|(sc, _)| sc.statements.iter().any(|st| st.effect == Effect::Allow))
                .map(|(sc, &action)| {
                    let plain = Plain::of(&sc);
                    (action, sc, plain)
                })
                .collect();
            if scopes.is_empty() {
                continue;
            }
            let with = match compute(&s.permissions, way.with, how, budget) {
                Ok(Some(with)) => with,
                Ok(None) => continue,
                Err(Unchecked) => {
                    graph.unchecked += targets.len();
                    continue;
                }
            };
            for e in &graph.edges[a] {
                linked[e.to] = a;
            }
            let principal = nodes.principal(a, names[a].as_deref());
            for &b in targets.iter() {
                if b == a || linked[b] == a || !nodes.together(a, b, names) {
                    continue;
                }
                if budget.candidates == 0 {
                    graph.unchecked += 1;
                    continue;
                }
                budget.candidates -= 1;
                let Some(name) = &names[b] else { continue };
                let mut request = Request {
                    principal: principal.clone(),
                    action: String::new(),
                    resource: way.on(name),
                    context: Vec::new(),
                };
                for (action, scope, plain) in &scopes {
                    request.action = action.to_string();
                    let decided = plain.as_ref().map(|p| p.allows(&request.resource));
                    let context = match decided.map_or_else(
                        || allowed_in(scope, &request, how, budget),
                        |allows| Ok(allows.then(Vec::new)),
                    ) {
                        Ok(Some(context)) => context,
                        Ok(None) => continue,
                        Err(Unchecked) => {
                            graph.unchecked += 1;
                            break;
                        }
                    };
                    if way.then_assume && !may_assume(&s.permissions, &request, name) {
                        break;
                    }
                    graph.edges[a].push(Edge {
                        to: b,
                        context,
                        needs_caller: true,
                        via: Via::Grant {
                            way: w,
                            action,
                            with: with.clone(),
                        },
                    });
                    break;
                }
            }
        }
    }
}

/// A caller's statements about one action when only their resources can refuse a request
/// (Allows without conditions, for any principal, no boundary): most grants, and then a
/// target whose name none of their resources matches needs no evaluation.
struct Plain(Vec<Match>);

impl Plain {
    fn of(scope: &Scope) -> Option<Plain> {
        if scope.boundary.is_some() {
            return None;
        }
        let plain = |st: &Statement| {
            st.effect == Effect::Allow
                && st.conditions.is_empty()
                && !st.principals.negated
                && st.principals.patterns.iter().any(|p| p == "*")
        };
        scope.statements.iter().all(plain).then(|| {
            Plain(
                scope
                    .statements
                    .iter()
                    .map(|st| st.resources.clone())
                    .collect(),
            )
        })
    }

    fn allows(&self, resource: &str) -> bool {
        self.0
            .iter()
            .any(|m| m.patterns.iter().any(|p| arn_matches(p, resource)) != m.negated)
    }
}

/// Whether IAM lets the caller assume the role `role` once its trust names the caller alone:
/// what its own policies still refuse ([`refused_anyway`]) it cannot.
fn may_assume(permissions: &Scope, rewrite: &Request, role: &str) -> bool {
    let request = Request {
        action: super::graph::ASSUME_ROLE.to_string(),
        resource: role.to_string(),
        context: Vec::new(),
        ..rewrite.clone()
    };
    !refused_anyway(permissions, &request)
}

/// One request `permissions` allow on any resource, by one of `actions`: the compute a way
/// needs. No request when `actions` is empty; `None` when none is allowed.
fn compute(
    permissions: &Scope,
    actions: &[&str],
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Rc<[Request]>>, Unchecked> {
    if actions.is_empty() {
        return Ok(Some(Rc::from([])));
    }
    for action in actions {
        let scope = only_action(permissions, &action.to_lowercase());
        if !scope.statements.iter().any(|st| st.effect == Effect::Allow) {
            continue;
        }
        let request = Request {
            principal: String::new(),
            action: action.to_string(),
            resource: String::new(),
            context: Vec::new(),
        };
        if let Some(r) = search(&scope, &request, false, how, budget)? {
            return Ok(Some(Rc::from([r])));
        }
    }
    Ok(None)
}
