//! RBAC rules as statements of the provider-neutral model.
//!
//! A resource request is the action `{group}:{resource}[/{subresource}]:{verb}` (the core group
//! spelled `core`) on the object `namespaces/{namespace}/{name}`, or `cluster/{name}` for a
//! cluster-scoped object or a request across all namespaces; a request without a name (create,
//! list) has an empty name. A non-resource request is the action `nonresource:{verb}` on the
//! URL path. Group, resource and verb never hold `:`, and namespaces and names never hold `/`,
//! so every real action has exactly two colons (one for a URL) and every object exactly two
//! slashes or one: a whole-field `*` of RBAC becomes a glob `*` that, on real requests, covers
//! exactly that field (see `docs/kubernetes.md`).

use super::objects::Rule;
use crate::model::{Effect, Match, Statement};

/// Where a binding grants its role's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// A RoleBinding: requests in this namespace only.
    Namespace(String),
    /// A ClusterRoleBinding: every namespace, cluster-scoped objects and non-resource URLs.
    Cluster,
}

/// The action family of non-resource URLs.
pub const NON_RESOURCE: &str = "nonresource";

/// Literal text for the glob syntax: RBAC has no wildcards inside a name or path.
fn escape(text: &str) -> String {
    text.replace('$', "${$}")
        .replace('*', "${*}")
        .replace('?', "${?}")
}

/// A literal action field: `:` would add a field separator. Actions match case-insensitively,
/// but the authorizer compares them exactly and real requests are lower-case, so an upper-case
/// letter is marked (`GET` → `%g%e%t`) to match no real request, as it does not in a cluster.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape(text).replace(':', "%3A").chars() {
        if c.is_uppercase() {
            out.push('%');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn field(text: &str) -> String {
    if text == "*" {
        "*".into()
    } else {
        lit(text)
    }
}

/// `pods`, `pods/exec`, `*` (every resource and subresource) or `*/scale` (that subresource
/// of every resource).
fn resource(text: &str) -> String {
    match text.strip_prefix("*/") {
        Some(sub) => format!("*/{}", lit(sub)),
        None => field(text),
    }
}

/// The API group as a request names it: the core group `""` is `core`, and a group written
/// `core` (a common mistake, which grants nothing in the core group) is kept apart.
pub fn group(text: &str) -> String {
    match text {
        "" => "core".into(),
        "core" => "%core".into(),
        _ => field(text),
    }
}

/// One action in matching form and as shown.
fn action(g: &str, r: &str, v: &str) -> (String, String) {
    let shown = |s: &str| s.replace(':', "%3A");
    let shown_group = match g {
        "" => "core".to_string(),
        "core" => "%core".to_string(),
        g => shown(g),
    };
    let display = format!("{shown_group}:{}:{}", shown(r), shown(v));
    let pattern = format!("{}:{}:{}", group(g), resource(r), field(v)).to_lowercase();
    (pattern, display)
}

/// A non-resource URL as a path pattern: only a trailing `*` is a wildcard (a prefix match).
fn url(text: &str) -> String {
    match text.strip_suffix('*') {
        Some(prefix) => format!("{}*", escape(prefix)),
        None => escape(text),
    }
}

/// The objects a rule's names cover where a binding reaches.
fn objects(names: &[String], reach: &Reach) -> Vec<(String, String)> {
    let both = |p: String| (p.clone(), p);
    match (reach, names.is_empty()) {
        (Reach::Namespace(ns), true) => vec![both(format!("namespaces/{}/*", escape(ns)))],
        (Reach::Namespace(ns), false) => names
            .iter()
            .map(|n| both(format!("namespaces/{}/{}", escape(ns), escape(n))))
            .collect(),
        (Reach::Cluster, true) => vec![both("namespaces/*".into()), both("cluster/*".into())],
        (Reach::Cluster, false) => names
            .iter()
            .flat_map(|n| {
                [
                    both(format!("namespaces/*/{}", escape(n))),
                    both(format!("cluster/{}", escape(n))),
                ]
            })
            .collect(),
    }
}

fn allow(
    actions: Vec<(String, String)>,
    resources: Vec<(String, String)>,
    origin: usize,
) -> Statement {
    Statement {
        effect: Effect::Allow,
        principals: Match::any(),
        actions: Match::new(false, actions),
        resources: Match::new(false, resources),
        conditions: Vec::new().into(),
        condition_text: Vec::new().into(),
        origin,
        except: None,
    }
}

/// The statements one rule grants where a binding reaches: its resource part (groups ×
/// resources × verbs on the named objects) and, through a ClusterRoleBinding only, its
/// non-resource URLs. A dimension with no values matches nothing, so gives no statement.
pub fn statements(rule: &Rule, reach: &Reach, origin: usize) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut actions = Vec::new();
    // Through a RoleBinding a role's rules hold in the namespace only, where no cluster-scoped
    // object is: `nodes` or `clusterroles` named there grant nothing. (A `*` resource still
    // stands for every type, cluster-scoped ones included: the worst case.)
    let in_namespace = matches!(reach, Reach::Namespace(_));
    let cluster_scoped = |r: &str| {
        let base = r.split('/').next().unwrap_or(r);
        crate::catalog::kubernetes::CLUSTER_SCOPED.contains(&base)
    };
    for g in &rule.groups {
        for r in rule
            .resources
            .iter()
            .filter(|r| !(in_namespace && cluster_scoped(r)))
        {
            for v in &rule.verbs {
                actions.push(action(g, r, v));
            }
        }
    }
    if !actions.is_empty() {
        out.push(allow(actions, objects(&rule.names, reach), origin));
    }
    if *reach == Reach::Cluster && !rule.urls.is_empty() && !rule.verbs.is_empty() {
        let actions = rule
            .verbs
            .iter()
            .map(|v| {
                let shown = format!("{NON_RESOURCE}:{}", v.replace(':', "%3A"));
                (format!("{NON_RESOURCE}:{}", field(v)).to_lowercase(), shown)
            })
            .collect();
        let paths = rule.urls.iter().map(|u| (url(u), u.clone())).collect();
        out.push(allow(actions, paths, origin));
    }
    out
}
