//! Reads one side's RBAC objects: the `kubernetes_*` resources and RBAC kinds inside
//! `kubernetes_manifest`, through one path, once both are in the manifest's shape (`shape.rs`).

use super::shape::{self, Doc};
use crate::plan::side::{AttributeRef, World};
use serde_json::Value;
use std::collections::BTreeMap;

/// One RBAC policy rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub names: Vec<String>,
    pub urls: Vec<String>,
}

/// A label selector of an aggregation rule.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub labels: BTreeMap<String, String>,
    /// `(key, operator, values)`.
    pub expressions: Vec<(String, String, Vec<String>)>,
}

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.expressions.iter().all(|(k, op, values)| {
                let v = labels.get(k);
                match op.as_str() {
                    "In" => v.is_some_and(|v| values.contains(v)),
                    "NotIn" => !v.is_some_and(|v| values.contains(v)),
                    "Exists" => v.is_some(),
                    "DoesNotExist" => v.is_none(),
                    // The API server rejects other operators: such a selector selects nothing.
                    _ => false,
                }
            })
    }
}

/// A Role (with its namespace) or a ClusterRole.
#[derive(Debug, Clone)]
pub struct RoleDef {
    pub address: String,
    pub namespace: Option<String>,
    pub name: String,
    /// Known only after apply: the attribute.
    pub labels: Result<BTreeMap<String, String>, AttributeRef>,
    pub aggregation: Option<Result<Vec<Selector>, AttributeRef>>,
    pub rules: Result<Vec<Rule>, AttributeRef>,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubjectKind {
    ServiceAccount,
    User,
    Group,
}

#[derive(Debug, Clone)]
pub struct Subject {
    pub kind: SubjectKind,
    pub name: String,
    /// A ServiceAccount's namespace (the binding's, when the subject names none).
    pub namespace: String,
}

#[derive(Debug, Clone)]
pub enum Subjects {
    Known(Vec<Subject>),
    Unknown(AttributeRef),
    Sensitive(AttributeRef),
}

/// A RoleBinding (with its namespace) or a ClusterRoleBinding.
#[derive(Debug, Clone)]
pub struct BindingDef {
    pub address: String,
    pub namespace: Option<String>,
    /// `Role` or `ClusterRole`, and the name.
    pub role_ref: (String, String),
    pub subjects: Subjects,
    /// The namespace or roleRef is known only after apply.
    pub unknown: Option<AttributeRef>,
    /// The roleRef is marked sensitive.
    pub sensitive: bool,
}

/// A ServiceAccount the plan manages.
#[derive(Debug, Clone)]
pub struct ServiceAccountDef {
    pub address: String,
    pub namespace: String,
    pub name: String,
    /// What the plan does to it (`["create"]`, `["no-op"]`...).
    pub actions: Vec<String>,
}

impl ServiceAccountDef {
    /// The plan creates, updates or deletes it.
    pub fn changed(&self) -> bool {
        self.actions.iter().any(|a| a != "no-op" && a != "read")
    }
}

#[derive(Debug, Default)]
pub struct SideObjects {
    pub roles: Vec<RoleDef>,
    pub bindings: Vec<BindingDef>,
    pub service_accounts: Vec<ServiceAccountDef>,
}

/// The RBAC kind a provider resource type holds, or `Manifest` for `kubernetes_manifest`.
pub fn kind_of(ty: &str) -> Option<&'static str> {
    let base = ty.strip_suffix("_v1").unwrap_or(ty);
    Some(match base {
        "kubernetes_role" => "Role",
        "kubernetes_cluster_role" => "ClusterRole",
        "kubernetes_role_binding" => "RoleBinding",
        "kubernetes_cluster_role_binding" => "ClusterRoleBinding",
        "kubernetes_service_account" => "ServiceAccount",
        "kubernetes_manifest" if ty == base => "Manifest",
        _ => return None,
    })
}

pub fn read(world: &World) -> SideObjects {
    let mut out = SideObjects::default();
    for obj in world.objs.iter().filter(|o| !o.data) {
        let Some(kind) = kind_of(obj.kind) else {
            continue;
        };
        let doc = if kind == "Manifest" {
            match shape::manifest(obj) {
                Some(d) => d,
                None => continue,
            }
        } else {
            shape::provider_resource(obj, kind)
        };
        let Some(kind) = doc
            .v
            .get("kind")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        match kind.as_str() {
            "Role" | "ClusterRole" => out.roles.extend(role(&doc, kind == "Role")),
            "RoleBinding" | "ClusterRoleBinding" => {
                out.bindings.extend(binding(&doc, kind == "RoleBinding"))
            }
            // One named only after apply (`generate_name`) is no subject any binding can name.
            "ServiceAccount" => {
                if let Some(name) = doc.str(&["metadata", "name"]) {
                    out.service_accounts.push(ServiceAccountDef {
                        address: doc.address.clone(),
                        namespace: doc
                            .str(&["metadata", "namespace"])
                            .unwrap_or_else(|| "default".into()),
                        name,
                        actions: obj.actions.to_vec(),
                    })
                }
            }
            _ => {}
        }
    }
    out
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    match v {
        Some(Value::Object(m)) => m
            .iter()
            .filter_map(|(k, x)| Some((k.clone(), x.as_str()?.to_string())))
            .collect(),
        _ => BTreeMap::new(),
    }
}

fn role(doc: &Doc, namespaced: bool) -> Option<RoleDef> {
    // A role named only after apply (`generate_name`) can be referred to by no known name,
    // but a ClusterRole's labels still add its rules to the roles that aggregate them: it
    // takes a name no real role has.
    let name = match doc.str(&["metadata", "name"]) {
        Some(n) => n,
        None if !namespaced => format!("(name of {} known after apply)", doc.address),
        None => return None,
    };
    let namespace = if namespaced {
        Some(
            doc.str(&["metadata", "namespace"])
                .unwrap_or_else(|| "default".into()),
        )
    } else {
        None
    };
    let labels = if doc.is_unknown(&["metadata", "labels"]) {
        Err(doc.at(&["metadata", "labels"]))
    } else {
        Ok(string_map(doc.get(&["metadata", "labels"])))
    };
    let aggregation = match doc.get(&["aggregationRule"]) {
        _ if !namespaced && doc.is_unknown(&["aggregationRule"]) => {
            Some(Err(doc.at(&["aggregationRule"])))
        }
        Some(a) if !namespaced => Some(Ok(selectors(a))),
        _ => None,
    };
    let rules = if doc.is_unknown(&["rules"]) {
        Err(doc.at(&["rules"]))
    } else {
        Ok(match doc.get(&["rules"]) {
            Some(Value::Array(a)) => a.iter().map(rule).collect(),
            _ => Vec::new(),
        })
    };
    Some(RoleDef {
        address: doc.address.clone(),
        namespace,
        name,
        labels,
        aggregation,
        rules,
        sensitive: doc.is_sensitive(&["rules"]) || doc.is_sensitive(&["aggregationRule"]),
    })
}

fn rule(v: &Value) -> Rule {
    Rule {
        groups: strings(v.get("apiGroups")),
        resources: strings(v.get("resources")),
        verbs: strings(v.get("verbs")),
        names: strings(v.get("resourceNames")),
        urls: strings(v.get("nonResourceURLs")),
    }
}

fn selectors(a: &Value) -> Vec<Selector> {
    let list = match a.get("clusterRoleSelectors") {
        Some(Value::Array(l)) => l.as_slice(),
        _ => &[],
    };
    list.iter()
        .map(|s| Selector {
            labels: string_map(s.get("matchLabels")),
            expressions: match s.get("matchExpressions") {
                Some(Value::Array(es)) => es
                    .iter()
                    .map(|e| {
                        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("");
                        (
                            text("key").to_string(),
                            text("operator").to_string(),
                            strings(e.get("values")),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect()
}

fn binding(doc: &Doc, namespaced: bool) -> Option<BindingDef> {
    let mut unknown = None;
    let namespace = if namespaced {
        if doc.is_unknown(&["metadata", "namespace"]) {
            unknown = Some(doc.at(&["metadata", "namespace"]));
        }
        Some(
            doc.str(&["metadata", "namespace"])
                .unwrap_or_else(|| "default".into()),
        )
    } else {
        None
    };
    if doc.is_unknown(&["roleRef"]) && unknown.is_none() {
        unknown = Some(doc.at(&["roleRef"]));
    }
    let ref_kind = doc.str(&["roleRef", "kind"]).unwrap_or_default();
    let ref_name = doc.str(&["roleRef", "name"]).unwrap_or_default();
    if unknown.is_none() && (ref_kind.is_empty() || ref_name.is_empty()) {
        // Required by the provider and the API server: nothing is granted without it.
        return None;
    }
    let subjects = if doc.is_sensitive(&["subjects"]) {
        Subjects::Sensitive(doc.at(&["subjects"]))
    // A subject's `apiGroup` follows from its kind (the API server checks it), and the
    // provider computes it when unset: known kinds and names are the subjects.
    } else if doc.is_unknown(&["subjects"]) && !doc.unknown_only_in(&["subjects"], &["apiGroup"]) {
        Subjects::Unknown(doc.at(&["subjects"]))
    } else {
        let list = match doc.get(&["subjects"]) {
            Some(Value::Array(a)) => a.as_slice(),
            _ => &[],
        };
        Subjects::Known(list.iter().filter_map(|s| subject(s, &namespace)).collect())
    };
    Some(BindingDef {
        address: doc.address.clone(),
        namespace,
        role_ref: (ref_kind, ref_name),
        subjects,
        unknown,
        sensitive: doc.is_sensitive(&["roleRef"]),
    })
}

fn subject(v: &Value, binding_ns: &Option<String>) -> Option<Subject> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = text("name")?.to_string();
    let kind = match text("kind")? {
        "ServiceAccount" => SubjectKind::ServiceAccount,
        "User" => SubjectKind::User,
        "Group" => SubjectKind::Group,
        // The API server rejects other kinds.
        _ => return None,
    };
    let namespace = text("namespace")
        .map(str::to_string)
        .or_else(|| binding_ns.clone())
        .unwrap_or_default();
    Some(Subject {
        kind,
        name,
        namespace,
    })
}
