//! Reads one side's RBAC objects: the `kubernetes_*` resources and RBAC kinds inside
//! `kubernetes_manifest`, through one path. A provider resource's attributes (and their
//! unknown and sensitive marks) are first rewritten into the manifest's own shape:
//! `metadata[0].name` → `metadata.name`, `rule` → `rules`, `api_groups` → `apiGroups`...

use crate::extract::world::{Obj, Step, World};
use crate::report::AttributeRef;
use serde_json::{Map, Value};
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

#[derive(Debug, Default)]
pub struct SideObjects {
    pub roles: Vec<RoleDef>,
    pub bindings: Vec<BindingDef>,
}

/// The RBAC kind a provider resource type holds, or `Manifest` for `kubernetes_manifest`.
pub fn kind_of(ty: &str) -> Option<&'static str> {
    let base = ty.strip_suffix("_v1").unwrap_or(ty);
    Some(match base {
        "kubernetes_role" => "Role",
        "kubernetes_cluster_role" => "ClusterRole",
        "kubernetes_role_binding" => "RoleBinding",
        "kubernetes_cluster_role_binding" => "ClusterRoleBinding",
        "kubernetes_manifest" if ty == base => "Manifest",
        _ => return None,
    })
}

/// A value, its unknown marks and its sensitive marks, all in manifest shape.
struct Doc {
    v: Value,
    unknown: Value,
    sensitive: Value,
    address: String,
    /// The plan attribute the document is in (`manifest`), or none for a provider resource.
    root: Option<&'static str>,
}

pub fn read(world: &World) -> SideObjects {
    let mut out = SideObjects::default();
    for obj in world.objs.iter().filter(|o| !o.data) {
        let Some(kind) = kind_of(obj.kind) else {
            continue;
        };
        let doc = if kind == "Manifest" {
            match manifest(obj) {
                Some(d) => d,
                None => continue,
            }
        } else {
            provider_resource(obj, kind)
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
            _ => {}
        }
    }
    out
}

/// A `kubernetes_manifest` holding an RBAC object (`apiVersion: rbac.authorization.k8s.io/…`).
/// Its `object` attribute is the server's copy, known only after apply; `manifest` is what the
/// plan sets.
fn manifest(obj: &Obj) -> Option<Doc> {
    let path = [Step::Key("manifest")];
    let mut v = obj.get(&path)?;
    let (mut unknown, mut sensitive) = (obj.unknown_marks(&path), obj.sensitive_marks(&path));
    // A dynamic value may come wrapped with its type.
    if let (Some(inner), Some(_), 2) = (v.get("value"), v.get("type"), object_len(&v)) {
        let inner = inner.clone();
        v = inner;
        unknown = unknown.get("value").cloned().unwrap_or(unknown);
        sensitive = sensitive.get("value").cloned().unwrap_or(sensitive);
    }
    let api = v.get("apiVersion").and_then(Value::as_str)?;
    if !api.starts_with("rbac.authorization.k8s.io/") {
        return None;
    }
    Some(Doc {
        v,
        unknown,
        sensitive,
        address: obj.address.to_string(),
        root: Some("manifest"),
    })
}

fn object_len(v: &Value) -> usize {
    v.as_object().map_or(0, Map::len)
}

const ATTRIBUTES: &[&str] = &[
    "metadata",
    "rule",
    "aggregation_rule",
    "role_ref",
    "subject",
];

fn provider_resource(obj: &Obj, kind: &str) -> Doc {
    let mut v = Map::new();
    let mut unknown = Map::new();
    let mut sensitive = Map::new();
    for a in ATTRIBUTES {
        let path = [Step::Key(a)];
        if let Some(x) = obj.get(&path) {
            v.insert(a.to_string(), x);
        }
        let u = obj.unknown_marks(&path);
        if !u.is_null() {
            unknown.insert(a.to_string(), u);
        }
        let s = obj.sensitive_marks(&path);
        if !s.is_null() {
            sensitive.insert(a.to_string(), s);
        }
    }
    let mut v = normalise(Value::Object(v));
    if let Value::Object(m) = &mut v {
        m.insert("kind".into(), Value::String(kind.into()));
    }
    Doc {
        v,
        unknown: normalise(Value::Object(unknown)),
        sensitive: normalise(Value::Object(sensitive)),
        address: obj.address.to_string(),
        root: None,
    }
}

/// Provider attribute names → manifest field names.
const RENAMES: &[(&str, &str)] = &[
    ("rule", "rules"),
    ("subject", "subjects"),
    ("role_ref", "roleRef"),
    ("aggregation_rule", "aggregationRule"),
    ("cluster_role_selectors", "clusterRoleSelectors"),
    ("match_labels", "matchLabels"),
    ("match_expressions", "matchExpressions"),
    ("api_groups", "apiGroups"),
    ("api_group", "apiGroup"),
    ("resource_names", "resourceNames"),
    ("non_resource_urls", "nonResourceURLs"),
];

/// Blocks the provider holds as one-element lists that a manifest holds as objects.
const SINGLE: &[&str] = &["metadata", "role_ref", "aggregation_rule"];

/// Maps whose keys are data (label names), not field names.
const DATA_MAPS: &[&str] = &["labels", "annotations", "match_labels"];

fn normalise(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, x)| {
                    let x = if DATA_MAPS.contains(&k.as_str()) {
                        x
                    } else {
                        normalise(x)
                    };
                    let x = match x {
                        Value::Array(mut a) if SINGLE.contains(&k.as_str()) => {
                            if a.is_empty() {
                                Value::Null
                            } else {
                                a.swap_remove(0)
                            }
                        }
                        x => x,
                    };
                    let name = RENAMES
                        .iter()
                        .find(|(from, _)| *from == k)
                        .map_or(k, |(_, to)| to.to_string());
                    (name, x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(normalise).collect()),
        x => x,
    }
}

impl Doc {
    fn get(&self, path: &[&str]) -> Option<&Value> {
        path.iter()
            .try_fold(&self.v, |v, k| v.get(*k))
            .filter(|v| !v.is_null())
    }

    fn str(&self, path: &[&str]) -> Option<String> {
        self.get(path).and_then(Value::as_str).map(str::to_string)
    }

    fn is_unknown(&self, path: &[&str]) -> bool {
        marked(&self.unknown, path)
    }

    fn is_sensitive(&self, path: &[&str]) -> bool {
        marked(&self.sensitive, path)
    }

    /// The plan attribute a manifest-shape path is in, for notes.
    fn at(&self, path: &[&str]) -> AttributeRef {
        let attribute = match self.root {
            Some(root) => std::iter::once(root)
                .chain(path.iter().copied())
                .collect::<Vec<_>>()
                .join("."),
            None => {
                let first = path.first().copied().unwrap_or("");
                RENAMES
                    .iter()
                    .find(|(_, to)| *to == first)
                    .map_or(first, |(from, _)| from)
                    .to_string()
            }
        };
        AttributeRef {
            address: self.address.clone(),
            attribute,
        }
    }
}

/// `true` at `path`, at a prefix of it, or anywhere under it.
fn marked(marks: &Value, path: &[&str]) -> bool {
    let mut v = marks;
    for k in path {
        match v {
            Value::Bool(b) => return *b,
            Value::Object(m) => match m.get(*k) {
                Some(next) => v = next,
                None => return false,
            },
            _ => return false,
        }
    }
    any_true(v)
}

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(any_true),
        Value::Object(m) => m.values().any(any_true),
        _ => false,
    }
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
    // Without a known name no binding can refer to the role by one.
    let name = doc.str(&["metadata", "name"])?;
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
    } else if doc.is_unknown(&["subjects"]) {
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
