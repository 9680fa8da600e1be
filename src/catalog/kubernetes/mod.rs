//! The default Kubernetes ClusterRoles that matter for privilege review, written by hand from
//! the RBAC bootstrap policy (kubernetes/kubernetes
//! `plugin/pkg/auth/authorizer/rbac/bootstrappolicy`, its `testdata/cluster-roles.yaml` at
//! commit 025f2834) and the documentation's "User-facing roles".
//!
//! `admin`, `edit` and `view` have no rules of their own: like the API server's aggregation
//! controller, privdiff computes them from every ClusterRole whose labels match their
//! `aggregationRule`, the `system:aggregate-to-*` roles below included, and any role in the plan
//! that carries the same labels. A roleRef to a ClusterRole neither here nor in the plan is
//! reported as not expanded (the subject is unverifiable, never safe).

/// One RBAC policy rule; an empty list in a dimension matches nothing.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub groups: &'static [&'static str],
    pub resources: &'static [&'static str],
    pub verbs: &'static [&'static str],
    pub names: &'static [&'static str],
    pub urls: &'static [&'static str],
}

/// A default ClusterRole: its labels, the label it aggregates (a `matchLabels` selector of
/// `{label: "true"}`), and its own rules.
#[derive(Debug, Clone, Copy)]
pub struct ClusterRole {
    pub name: &'static str,
    pub labels: &'static [&'static str],
    pub aggregates: Option<&'static str>,
    pub rules: &'static [Rule],
}

/// The label that adds a role's rules to `admin`.
pub const TO_ADMIN: &str = "rbac.authorization.k8s.io/aggregate-to-admin";
/// The label that adds a role's rules to `edit`.
pub const TO_EDIT: &str = "rbac.authorization.k8s.io/aggregate-to-edit";
/// The label that adds a role's rules to `view`.
pub const TO_VIEW: &str = "rbac.authorization.k8s.io/aggregate-to-view";

/// A default ClusterRole by name.
pub fn cluster_role(name: &str) -> Option<&'static ClusterRole> {
    CLUSTER_ROLES.iter().find(|r| r.name == name)
}

const fn res(
    groups: &'static [&'static str],
    resources: &'static [&'static str],
    verbs: &'static [&'static str],
) -> Rule {
    Rule {
        groups,
        resources,
        verbs,
        names: &[],
        urls: &[],
    }
}

const fn urls(urls: &'static [&'static str], verbs: &'static [&'static str]) -> Rule {
    Rule {
        groups: &[],
        resources: &[],
        verbs,
        names: &[],
        urls,
    }
}

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// Built-in resource types that are not namespaced (`kubectl api-resources --namespaced=false`):
/// a request for one in a namespace cannot happen, and a RoleBinding never grants one.
pub const CLUSTER_SCOPED: &[&str] = &[
    "nodes",
    "namespaces",
    "persistentvolumes",
    "clusterroles",
    "clusterrolebindings",
    "certificatesigningrequests",
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "customresourcedefinitions",
    "storageclasses",
    "priorityclasses",
    "apiservices",
    "users",
    "groups",
    "tokenreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "subjectaccessreviews",
    "userextras",
    "componentstatuses",
    "podsecuritypolicies",
    "runtimeclasses",
    "csidrivers",
    "csinodes",
    "volumeattachments",
    "ingressclasses",
    "flowschemas",
    "prioritylevelconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies",
    "mutatingadmissionpolicybindings",
    "clustertrustbundles",
    "ipaddresses",
    "servicecidrs",
    "deviceclasses",
    "resourceslices",
];

pub const CLUSTER_ROLES: &[ClusterRole] = &[
    ClusterRole {
        name: "cluster-admin",
        labels: &[],
        aggregates: None,
        rules: &[res(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])],
    },
    ClusterRole {
        name: "admin",
        labels: &[],
        aggregates: Some(TO_ADMIN),
        rules: &[],
    },
    ClusterRole {
        name: "edit",
        labels: &[TO_ADMIN],
        aggregates: Some(TO_EDIT),
        rules: &[],
    },
    ClusterRole {
        name: "view",
        labels: &[TO_EDIT],
        aggregates: Some(TO_VIEW),
        rules: &[],
    },
    ClusterRole {
        name: "system:aggregate-to-admin",
        labels: &[TO_ADMIN],
        aggregates: None,
        rules: &[
            res(
                &["authorization.k8s.io"],
                &["localsubjectaccessreviews"],
                &["create"],
            ),
            res(
                &["rbac.authorization.k8s.io"],
                &["rolebindings", "roles"],
                ALL,
            ),
        ],
    },
    ClusterRole {
        name: "system:aggregate-to-edit",
        labels: &[TO_EDIT],
        aggregates: None,
        rules: &[
            res(
                &[""],
                &[
                    "pods/attach",
                    "pods/exec",
                    "pods/portforward",
                    "pods/proxy",
                    "secrets",
                    "services/proxy",
                ],
                READ,
            ),
            res(&[""], &["serviceaccounts"], &["impersonate"]),
            res(
                &[""],
                &[
                    "pods",
                    "pods/attach",
                    "pods/exec",
                    "pods/portforward",
                    "pods/proxy",
                ],
                WRITE,
            ),
            res(&[""], &["pods/eviction"], &["create"]),
            res(
                &[""],
                &[
                    "configmaps",
                    "events",
                    "persistentvolumeclaims",
                    "replicationcontrollers",
                    "replicationcontrollers/scale",
                    "secrets",
                    "serviceaccounts",
                    "services",
                    "services/proxy",
                ],
                WRITE,
            ),
            res(&[""], &["serviceaccounts/token"], &["create"]),
            res(
                &["apps"],
                &[
                    "daemonsets",
                    "deployments",
                    "deployments/rollback",
                    "deployments/scale",
                    "replicasets",
                    "replicasets/scale",
                    "statefulsets",
                    "statefulsets/scale",
                ],
                WRITE,
            ),
            res(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
            res(&["batch"], &["cronjobs", "jobs"], WRITE),
            res(
                &["extensions"],
                &[
                    "daemonsets",
                    "deployments",
                    "deployments/rollback",
                    "deployments/scale",
                    "ingresses",
                    "networkpolicies",
                    "replicasets",
                    "replicasets/scale",
                    "replicationcontrollers/scale",
                ],
                WRITE,
            ),
            res(&["policy"], &["poddisruptionbudgets"], WRITE),
            res(
                &["networking.k8s.io"],
                &["ingresses", "networkpolicies"],
                WRITE,
            ),
            res(&["coordination.k8s.io"], &["leases"], ALL),
        ],
    },
    ClusterRole {
        name: "system:aggregate-to-view",
        labels: &[TO_VIEW],
        aggregates: None,
        rules: &[
            res(
                &[""],
                &[
                    "configmaps",
                    "endpoints",
                    "persistentvolumeclaims",
                    "persistentvolumeclaims/status",
                    "pods",
                    "replicationcontrollers",
                    "replicationcontrollers/scale",
                    "serviceaccounts",
                    "services",
                    "services/status",
                ],
                READ,
            ),
            res(
                &[""],
                &[
                    "bindings",
                    "events",
                    "limitranges",
                    "namespaces/status",
                    "pods/log",
                    "pods/status",
                    "replicationcontrollers/status",
                    "resourcequotas",
                    "resourcequotas/status",
                ],
                READ,
            ),
            res(&[""], &["namespaces"], READ),
            res(&["discovery.k8s.io"], &["endpointslices"], READ),
            res(
                &["apps"],
                &[
                    "controllerrevisions",
                    "daemonsets",
                    "daemonsets/status",
                    "deployments",
                    "deployments/scale",
                    "deployments/status",
                    "replicasets",
                    "replicasets/scale",
                    "replicasets/status",
                    "statefulsets",
                    "statefulsets/scale",
                    "statefulsets/status",
                ],
                READ,
            ),
            res(
                &["autoscaling"],
                &[
                    "horizontalpodautoscalers",
                    "horizontalpodautoscalers/status",
                ],
                READ,
            ),
            res(
                &["batch"],
                &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
                READ,
            ),
            res(
                &["extensions"],
                &[
                    "daemonsets",
                    "daemonsets/status",
                    "deployments",
                    "deployments/scale",
                    "deployments/status",
                    "ingresses",
                    "ingresses/status",
                    "networkpolicies",
                    "replicasets",
                    "replicasets/scale",
                    "replicasets/status",
                    "replicationcontrollers/scale",
                ],
                READ,
            ),
            res(
                &["policy"],
                &["poddisruptionbudgets", "poddisruptionbudgets/status"],
                READ,
            ),
            res(
                &["networking.k8s.io"],
                &["ingresses", "ingresses/status", "networkpolicies"],
                READ,
            ),
        ],
    },
    // Bound to system:authenticated (discovery, basic-user) and also to system:unauthenticated
    // (public-info-viewer) by the default ClusterRoleBindings.
    ClusterRole {
        name: "system:discovery",
        labels: &[],
        aggregates: None,
        rules: &[urls(
            &[
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
                "/healthz",
                "/livez",
                "/openapi",
                "/openapi/*",
                "/readyz",
                "/version",
                "/version/",
            ],
            &["get"],
        )],
    },
    ClusterRole {
        name: "system:basic-user",
        labels: &[],
        aggregates: None,
        rules: &[
            res(
                &["authorization.k8s.io"],
                &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                &["create"],
            ),
            res(
                &["authentication.k8s.io"],
                &["selfsubjectreviews"],
                &["create"],
            ),
        ],
    },
    ClusterRole {
        name: "system:public-info-viewer",
        labels: &[],
        aggregates: None,
        rules: &[urls(
            &["/healthz", "/livez", "/readyz", "/version", "/version/"],
            &["get"],
        )],
    },
    ClusterRole {
        name: "system:monitoring",
        labels: &[],
        aggregates: None,
        rules: &[urls(
            &[
                "/healthz",
                "/healthz/*",
                "/livez",
                "/livez/*",
                "/metrics",
                "/metrics/slis",
                "/readyz",
                "/readyz/*",
            ],
            &["get"],
        )],
    },
    ClusterRole {
        name: "system:auth-delegator",
        labels: &[],
        aggregates: None,
        rules: &[
            res(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
            res(
                &["authorization.k8s.io"],
                &["subjectaccessreviews"],
                &["create"],
            ),
        ],
    },
    ClusterRole {
        name: "system:kubelet-api-admin",
        labels: &[],
        aggregates: None,
        rules: &[
            res(&[""], &["nodes"], READ),
            res(&[""], &["nodes"], &["proxy"]),
            res(
                &[""],
                &["nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats"],
                &["*"],
            ),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_aggregation_labels_chain() {
        let mut names: Vec<&str> = CLUSTER_ROLES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CLUSTER_ROLES.len());
        // view ⊂ edit ⊂ admin, through the labels the built-ins carry.
        assert!(cluster_role("view").unwrap().labels.contains(&TO_EDIT));
        assert!(cluster_role("edit").unwrap().labels.contains(&TO_ADMIN));
        assert_eq!(cluster_role("admin").unwrap().aggregates, Some(TO_ADMIN));
        assert!(cluster_role("no-such-role").is_none());
    }

    #[test]
    fn every_rule_grants_something() {
        for r in CLUSTER_ROLES {
            for rule in r.rules {
                assert!(!rule.verbs.is_empty(), "{}", r.name);
                // A rule is about resources or about URLs, never both.
                let resources = !rule.groups.is_empty() && !rule.resources.is_empty();
                assert_eq!(resources, rule.urls.is_empty(), "{}", r.name);
            }
        }
    }
}
