//! The Kubernetes routes of the content rules, from the Kubernetes RBAC good practices, the
//! CIS Kubernetes benchmark §5.1 and rbac-police (see `../shared/knowledge/risks.md` §7).
//!
//! Requests are written as the Kubernetes extractor encodes them: the action
//! `{group}:{resource}[/{subresource}]:{verb}` (core group `core`) on `namespaces/{ns}/{name}`
//! or `cluster/{name}`. A ClusterRoleBinding grants on `namespaces/*` and `cluster/*`, a
//! RoleBinding on `namespaces/{ns}/*`.

use crate::checks::cloud::{anywhere, at, part, route, Route, Table};
use crate::model::Severity;
use crate::rules::{
    admin_equivalent, code_execution, credentials_exposure, privilege_escalation, secrets_read,
};

pub const TABLE: Table = Table {
    provider: "kubernetes",
    any: ANY_VERB,
    concrete,
    routes: ROUTES,
    reads: |a| {
        a.rsplit(':')
            .next()
            .is_some_and(|v| matches!(v, "get" | "list" | "watch"))
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
        _ => crate::checks::cloud::concrete(pattern),
    }
}

const SECRETS: &[&str] = &[
    "core:secrets:get",
    "core:secrets:list",
    "core:secrets:watch",
];

pub const ROUTES: &[Route] = &[
    route(
        &admin_equivalent::RULE,
        "use every verb on every resource of the cluster (cluster-admin)",
        &[part(&[ANY_VERB], cluster_wide)],
    ),
    at(
        Severity::High,
        route(
            &admin_equivalent::RULE,
            "use every verb on every resource of a namespace",
            &[part(&[ANY_VERB], namespace)],
        ),
    ),
    route(
        &privilege_escalation::RULE,
        "escalate or bind roles beyond its own permissions",
        &[part(
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
        &privilege_escalation::RULE,
        "impersonate users, groups or service accounts",
        &[part(
            &[
                "core:users:impersonate",
                "core:groups:impersonate",
                "core:serviceaccounts:impersonate",
            ],
            anywhere,
        )],
    ),
    route(
        &privilege_escalation::RULE,
        "issue itself client certificates (create and approve signing requests)",
        &[
            part(
                &["certificates.k8s.io:certificatesigningrequests:create"],
                anywhere,
            ),
            part(
                &["certificates.k8s.io:certificatesigningrequests/approval:update"],
                anywhere,
            ),
        ],
    ),
    route(
        &privilege_escalation::RULE,
        "change admission webhooks, which see and mutate every object",
        &[part(
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
        &credentials_exposure::RULE,
        "request tokens for service accounts",
        &[part(&["core:serviceaccounts/token:create"], anywhere)],
    ),
    at(
        Severity::Critical,
        route(
            &secrets_read::RULE,
            "read the secrets of every namespace",
            &[part(SECRETS, cluster_wide)],
        ),
    ),
    route(
        &secrets_read::RULE,
        "read the secrets of a namespace",
        &[part(SECRETS, namespace)],
    ),
    at(
        Severity::Critical,
        route(
            &code_execution::RULE,
            "run commands in any pod of a node through the kubelet (nodes/proxy)",
            &[part(
                &["core:nodes/proxy:get", "core:nodes/proxy:create"],
                anywhere,
            )],
        ),
    ),
    route(
        &code_execution::RULE,
        "run commands in running pods",
        &[part(
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
        &code_execution::RULE,
        "start pods or workloads, as any service account of their namespace",
        &[part(
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

    fn scope(actions: &[&str], objects: &[&str]) -> crate::model::Scope {
        let pairs = |v: &[&str]| v.iter().map(|s| (s.to_string(), s.to_string())).collect();
        crate::model::Scope {
            statements: vec![crate::model::Statement {
                effect: crate::model::Effect::Allow,
                principals: crate::model::Match::any(),
                actions: crate::model::Match::new(false, pairs(actions)),
                resources: crate::model::Match::new(false, pairs(objects)),
                conditions: Vec::new().into(),
                condition_text: Vec::new().into(),
                origin: 0,
                except: None,
            }],
            boundary: None,
        }
    }

    fn first(after: &crate::model::Scope) -> Option<&'static str> {
        ROUTES
            .iter()
            .find(|r| crate::checks::cloud::holds(r, after, None, concrete).is_some())
            .map(|r| r.label)
    }

    #[test]
    fn routes_hold_where_the_binding_reaches() {
        let cluster = ["namespaces/*", "cluster/*"];
        assert_eq!(
            first(&scope(&["*:*:*"], &cluster)),
            Some(ROUTES[0].label),
            "cluster-admin"
        );
        assert_eq!(
            first(&scope(&["*:*:*"], &["namespaces/ci/*"])),
            Some(ROUTES[1].label),
            "admin of one namespace"
        );
        let read = scope(&["core:secrets:get"], &["namespaces/ci/*"]);
        assert_eq!(first(&read), Some("read the secrets of a namespace"));
        let all = scope(&["core:secrets:get"], &cluster);
        assert_eq!(first(&all), Some("read the secrets of every namespace"));
        // One named secret is least privilege, not a namespace's secrets.
        assert_eq!(
            first(&scope(&["core:secrets:get"], &["namespaces/ci/token"])),
            None
        );
        // `pods` is not `pods/exec`, and `*/scale` is not exec either.
        assert_eq!(
            first(&scope(&["core:pods:get", "*:*/scale:*"], &cluster)),
            None
        );
        // `create` on every core resource is every subresource's create too.
        let any_create = scope(&["core:*:create"], &["namespaces/ci/*"]);
        let holding: Vec<&str> = ROUTES
            .iter()
            .filter(|r| crate::checks::cloud::holds(r, &any_create, None, concrete).is_some())
            .map(|r| r.label)
            .collect();
        assert!(
            holding.contains(&"run commands in running pods"),
            "{holding:?}"
        );
        assert!(
            holding.contains(&"request tokens for service accounts"),
            "{holding:?}"
        );
    }

    #[test]
    fn every_action_has_the_extractors_shape() {
        // `{group}:{resource}[/{subresource}]:{verb}`, lower case: a route in any other shape
        // could never hold.
        for r in ROUTES {
            for p in r.parts.iter().flat_map(|p| p.permissions.iter()) {
                let fields: Vec<&str> = p.split(':').collect();
                assert_eq!(fields.len(), 3, "{p}");
                assert!(fields.iter().all(|f| !f.is_empty()), "{p}");
                assert_eq!(*p, p.to_lowercase(), "{p}");
            }
        }
    }
}
