//! The Kubernetes routes of the content rules, from the Kubernetes RBAC good practices, the
//! CIS Kubernetes benchmark §5.1 and rbac-police (see `../shared/knowledge/risks.md` §7).
//!
//! Requests are written as the Kubernetes extractor encodes them: the action
//! `{group}:{resource}[/{subresource}]:{verb}` (core group `core`) on `namespaces/{ns}/{name}`
//! or `cluster/{name}`. A ClusterRoleBinding grants on `namespaces/*` and `cluster/*`, a
//! RoleBinding on `namespaces/{ns}/*`.

use crate::model::route::{anywhere, at, on, route, Capability, Novelty, Route, Table};
use crate::model::{Provider, Severity};

pub const TABLE: Table = Table {
    provider: Provider::Kubernetes,
    novelty: Novelty::OfRequest,
    any: Some(ANY_VERB),
    concrete,
    routes: ROUTES,
    separate: &[],
    // Reading a Secret reads credentials: as consequential as a write.
    reads: |a| {
        a.rsplit(':')
            .next()
            .is_some_and(|v| matches!(v, "get" | "list" | "watch"))
            && !a.to_lowercase().contains("secrets")
    },
    public: &[
        (
            "User:system:anonymous",
            "anyone who can reach the API server, without credentials",
        ),
        (
            "Group:system:unauthenticated",
            "anyone who can reach the API server, without credentials",
        ),
        (
            "Group:system:authenticated",
            "anyone with any credential the cluster accepts (on GKE, any Google account)",
        ),
    ],
};

/// A verb on a resource no role names: only `*` verbs on `*` resources of `*` groups allow it.
pub const ANY_VERB: &str = "example.privdiff.dev:anythings:anything";

/// Every namespace, or every cluster-scoped object: what a ClusterRoleBinding reaches.
fn cluster_wide(p: &str) -> bool {
    p == "namespaces/*" || p == "cluster/*"
}

/// One namespace's objects, each of them: what a RoleBinding reaches.
fn namespace(p: &str) -> bool {
    p.strip_prefix("namespaces/")
        .and_then(|rest| rest.strip_suffix("/*"))
        .is_some_and(|ns| !ns.is_empty() && !ns.contains(['/', '*']))
}

/// A request's object for a pattern: `namespaces/*` is an object in some namespace.
fn concrete(pattern: &str) -> String {
    match pattern {
        "namespaces/*" => "namespaces/example/example".into(),
        _ => crate::model::route::concrete(pattern),
    }
}

const SECRETS: &[&str] = &[
    "core:secrets:get",
    "core:secrets:list",
    "core:secrets:watch",
];

const ROUTES: &[Route] = &[
    route(
        Capability::AdminEquivalent,
        "use every verb on every resource of the cluster (cluster-admin)",
        &[on(&[ANY_VERB], cluster_wide)],
    ),
    at(
        Severity::High,
        route(
            Capability::AdminEquivalent,
            "use every verb on every resource of a namespace",
            &[on(&[ANY_VERB], namespace)],
        ),
    ),
    route(
        Capability::PrivilegeEscalation,
        "escalate or bind roles beyond its own permissions",
        &[on(
            &[
                "rbac.authorization.k8s.io:clusterroles:escalate",
                "rbac.authorization.k8s.io:clusterroles:bind",
                "rbac.authorization.k8s.io:roles:escalate",
                "rbac.authorization.k8s.io:roles:bind",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::PrivilegeEscalation,
        "impersonate users, groups or service accounts",
        &[on(
            &[
                "core:users:impersonate",
                "core:groups:impersonate",
                "core:serviceaccounts:impersonate",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::PrivilegeEscalation,
        "issue itself client certificates (create and approve signing requests)",
        &[
            on(
                &["certificates.k8s.io:certificatesigningrequests:create"],
                anywhere,
            ),
            on(
                &["certificates.k8s.io:certificatesigningrequests/approval:update"],
                anywhere,
            ),
        ],
    ),
    route(
        Capability::PrivilegeEscalation,
        "change admission webhooks, which see and mutate every object",
        &[on(
            &[
                "admissionregistration.k8s.io:mutatingwebhookconfigurations:create",
                "admissionregistration.k8s.io:mutatingwebhookconfigurations:update",
                "admissionregistration.k8s.io:mutatingwebhookconfigurations:patch",
                "admissionregistration.k8s.io:validatingwebhookconfigurations:create",
                "admissionregistration.k8s.io:validatingwebhookconfigurations:update",
                "admissionregistration.k8s.io:validatingwebhookconfigurations:patch",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::CredentialsExposure,
        "request tokens for service accounts",
        &[on(&["core:serviceaccounts/token:create"], anywhere)],
    ),
    at(
        Severity::Critical,
        route(
            Capability::SecretsRead,
            "read the secrets of every namespace",
            &[on(SECRETS, cluster_wide)],
        ),
    ),
    route(
        Capability::SecretsRead,
        "read the secrets of a namespace",
        &[on(SECRETS, namespace)],
    ),
    at(
        Severity::Critical,
        route(
            Capability::CodeExecution,
            "run commands in any pod of a node through the kubelet (nodes/proxy)",
            &[on(
                &["core:nodes/proxy:get", "core:nodes/proxy:create"],
                anywhere,
            )],
        ),
    ),
    route(
        Capability::CodeExecution,
        "run commands in running pods",
        &[on(
            &[
                "core:pods/exec:create",
                "core:pods/attach:create",
                "core:pods/ephemeralcontainers:patch",
                "core:pods/ephemeralcontainers:update",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::CodeExecution,
        "start pods or workloads, as any service account of their namespace",
        &[on(
            &[
                "core:pods:create",
                "apps:deployments:create",
                "apps:daemonsets:create",
                "apps:statefulsets:create",
                "apps:replicasets:create",
                "batch:jobs:create",
                "batch:cronjobs:create",
                "core:replicationcontrollers:create",
            ],
            anywhere,
        )],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_tell_cluster_bindings_from_namespace_ones() {
        assert!(cluster_wide("namespaces/*"));
        assert!(cluster_wide("cluster/*"));
        assert!(!cluster_wide("namespaces/ci/*"));
        assert!(namespace("namespaces/ci/*"));
        assert!(!namespace("namespaces/*"));
        assert!(!namespace("namespaces/ci/runner"));
        assert_eq!(concrete("namespaces/*"), "namespaces/example/example");
        assert_eq!(concrete("namespaces/ci/*"), "namespaces/ci/example");
    }

    #[test]
    fn every_action_has_the_extractors_shape() {
        // `{group}:{resource}[/{subresource}]:{verb}`, lower case: a route in any other shape
        // could never hold.
        for r in ROUTES {
            for p in r.parts.iter().flat_map(|p| p.listed()) {
                let fields: Vec<&str> = p.split(':').collect();
                assert_eq!(fields.len(), 3, "{p}");
                assert!(fields.iter().all(|f| !f.is_empty()), "{p}");
                assert_eq!(*p, p.to_lowercase(), "{p}");
            }
        }
    }
}
