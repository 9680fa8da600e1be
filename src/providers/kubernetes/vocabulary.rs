//! Kubernetes' vocabulary for witnesses: real requests (see `extract/encode.rs` for their
//! encoding), the consequential ones first, and example objects. A candidate is used only when
//! it has exactly the atom's signature, so this affects how a witness reads, never whether it
//! is correct.

use crate::model::vocabulary::Vocabulary;
use crate::model::Statement;

/// Kubernetes' words.
pub struct Kubernetes;

impl Vocabulary for Kubernetes {
    fn known_actions(&self, _: &Statement, _: &[&Statement]) -> Vec<String> {
        actions()
    }

    /// An empty verb reads badly.
    fn few_actions(&self, displays: &[String]) -> Vec<String> {
        few(displays)
    }

    /// An atom of a literal request is that request: its representative says which.
    fn rank(&self, action: &str) -> usize {
        2 * rank(action)
    }

    /// A request in a namespace reads as one only for a namespaced resource type.
    fn rank_on(&self, action: &str, object: &str) -> usize {
        usize::from(!fits(action, object))
    }

    fn resource_examples(&self, _: &str) -> Vec<String> {
        OBJECTS.iter().map(|o| o.to_string()).collect()
    }

    /// Kubernetes examples are objects of the right shape, better than filled patterns.
    fn resource_examples_first(&self) -> bool {
        true
    }

    /// A Kubernetes object fixes whether the resource type must be namespaced.
    fn actions_on(&self, actions: &[String], object: &str) -> Option<Vec<String>> {
        Some(fitting(actions, object))
    }
}

/// Real Kubernetes requests, the most consequential first: changing RBAC or acting as another
/// identity, then reaching into workloads, nodes and secrets, then writes, then reads.
const FIRST: &[&str] = &[
    "rbac.authorization.k8s.io:clusterroles:escalate",
    "rbac.authorization.k8s.io:clusterroles:bind",
    "rbac.authorization.k8s.io:roles:escalate",
    "rbac.authorization.k8s.io:roles:bind",
    "core:users:impersonate",
    "core:groups:impersonate",
    "core:serviceaccounts:impersonate",
    "core:serviceaccounts/token:create",
    "rbac.authorization.k8s.io:clusterrolebindings:create",
    "rbac.authorization.k8s.io:rolebindings:create",
    "core:pods/exec:create",
    "core:nodes/proxy:get",
    "core:pods/attach:create",
    "core:pods/ephemeralcontainers:patch",
    "certificates.k8s.io:certificatesigningrequests/approval:update",
    "admissionregistration.k8s.io:mutatingwebhookconfigurations:create",
    "admissionregistration.k8s.io:validatingwebhookconfigurations:delete",
    "core:secrets:get",
    "core:secrets:list",
    "core:pods:create",
    "apps:deployments:create",
    "apps:daemonsets:create",
    "batch:jobs:create",
    "batch:cronjobs:create",
    "core:persistentvolumes:create",
    "core:namespaces:patch",
    "core:configmaps:update",
    "core:secrets:create",
    "core:pods:delete",
    "core:nodes:delete",
    "core:pods/log:get",
    "core:pods:get",
    "core:pods:list",
    "apps:deployments:get",
    "core:configmaps:get",
    "core:nodes:get",
    "core:namespaces:get",
    "nonresource:get",
    "nonresource:post",
];

/// Real Kubernetes requests to try as witnesses: [`FIRST`], then every literal
/// request of the default ClusterRoles.
pub fn actions() -> Vec<String> {
    let mut out: Vec<String> = FIRST.iter().map(|a| a.to_string()).collect();
    for role in crate::catalog::kubernetes::CLUSTER_ROLES {
        for r in role.rules {
            for g in r.groups.iter().filter(|g| **g != "*") {
                let g = if g.is_empty() { "core" } else { g };
                for res in r.resources.iter().filter(|x| !x.contains('*')) {
                    for v in r.verbs.iter().filter(|v| **v != "*") {
                        out.push(format!("{g}:{res}:{v}"));
                    }
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|a| seen.insert(a.clone()));
    out
}

/// How consequential a Kubernetes request reads: its place in [`FIRST`], anything
/// else after.
pub fn rank(action: &str) -> usize {
    FIRST
        .iter()
        .position(|a| a.eq_ignore_ascii_case(action))
        .unwrap_or(FIRST.len())
}

/// Example objects and URL paths, for requests whose object is otherwise unconstrained.
pub const OBJECTS: &[&str] = &[
    "namespaces/default/example",
    "cluster/example",
    "namespaces/default/",
    "cluster/",
    "/healthz",
    "/metrics",
    "/api",
];

/// Whether a request's resource type fits its object: a cluster-scoped type for `cluster/…`,
/// a namespaced one for `namespaces/…` (a URL path fits any).
pub fn fits(action: &str, object: &str) -> bool {
    let resource = action.split(':').nth(1).unwrap_or("");
    let base = resource.split('/').next().unwrap_or("");
    let scoped = crate::catalog::kubernetes::CLUSTER_SCOPED
        .iter()
        .any(|c| c.eq_ignore_ascii_case(base));
    match object.split('/').next() {
        Some("cluster") => scoped,
        Some("namespaces") => !scoped,
        _ => true,
    }
}

/// `actions` reordered so that those whose resource type fits `object` come first.
pub fn fitting(actions: &[String], object: &str) -> Vec<String> {
    let (mut fit, other): (Vec<String>, Vec<String>) =
        actions.iter().cloned().partition(|a| fits(a, object));
    fit.extend(other);
    fit
}

/// A few readable requests for a comparison with too many patterns to try them all: the
/// first of `display` with wildcards filled (a verb for `*`), then the consequential ones.
pub fn few(display: &[String]) -> Vec<String> {
    let fill = |d: &String| {
        let mut parts: Vec<String> = d.splitn(3, ':').map(str::to_string).collect();
        let defaults = ["core", "pods", "get"];
        for (p, default) in parts.iter_mut().zip(defaults) {
            if p.as_str() == "*" {
                *p = default.to_string();
            }
        }
        parts.join(":")
    };
    display
        .iter()
        .take(16)
        .map(fill)
        .chain(FIRST.iter().map(|a| a.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_requests_in_the_encoding() {
        for a in actions() {
            let nonresource = a.starts_with("nonresource:") && a.matches(':').count() == 1;
            assert!(a.matches(':').count() == 2 || nonresource, "{a}");
            assert!(!a.contains('*') && a == a.to_lowercase(), "{a}");
        }
        assert!(rank("rbac.authorization.k8s.io:clusterroles:escalate") < rank("core:pods:get"));
        assert_eq!(rank("example.com:widgets:get"), FIRST.len());
    }

    #[test]
    fn a_resource_type_fits_the_scope_of_its_object() {
        assert!(fits("core:nodes:get", "cluster/n1"));
        assert!(!fits("core:nodes:get", "namespaces/a/n1"));
        assert!(fits("core:pods/exec:create", "namespaces/a/web"));
        assert!(!fits("core:pods:get", "cluster/web"));
        assert!(fits("nonresource:get", "/healthz"));
        let ordered = fitting(
            &["core:pods:get".into(), "core:nodes:get".into()],
            "cluster/x",
        );
        assert_eq!(ordered[0], "core:nodes:get");
    }
}
