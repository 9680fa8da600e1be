//! A plan object as an RBAC document in Kubernetes' own shape. A provider resource's attributes
//! (and their unknown and sensitive marks) are rewritten into the manifest's shape:
//! `metadata[0].name` → `metadata.name`, `rule` → `rules`, `api_groups` → `apiGroups`...; a
//! `kubernetes_manifest` already has it.

use crate::plan::side::{AttributeRef, Obj, Step};
use serde_json::{Map, Value};

/// A value, its unknown marks and its sensitive marks, all in manifest shape.
pub struct Doc {
    pub v: Value,
    unknown: Value,
    sensitive: Value,
    pub address: String,
    /// The plan attribute the document is in (`manifest`), or none for a provider resource.
    root: Option<&'static str>,
}

/// A `kubernetes_manifest` holding an RBAC object (`apiVersion: rbac.authorization.k8s.io/…`).
/// Its `object` attribute is the server's copy, known only after apply; `manifest` is what the
/// plan sets.
pub fn manifest(obj: &Obj) -> Option<Doc> {
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
    let service_account =
        api == "v1" && v.get("kind").and_then(Value::as_str) == Some("ServiceAccount");
    if !api.starts_with("rbac.authorization.k8s.io/") && !service_account {
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

pub fn provider_resource(obj: &Obj, kind: &str) -> Doc {
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
    pub fn get(&self, path: &[&str]) -> Option<&Value> {
        path.iter()
            .try_fold(&self.v, |v, k| v.get(*k))
            .filter(|v| !v.is_null())
    }

    pub fn str(&self, path: &[&str]) -> Option<String> {
        self.get(path).and_then(Value::as_str).map(str::to_string)
    }

    pub fn is_unknown(&self, path: &[&str]) -> bool {
        marked(&self.unknown, path)
    }

    /// Whether every value under `path` known only after apply is under one of `keys`.
    pub fn unknown_only_in(&self, path: &[&str], keys: &[&str]) -> bool {
        fn only(v: &Value, keys: &[&str]) -> bool {
            match v {
                Value::Bool(b) => !*b,
                Value::Array(a) => a.iter().all(|x| only(x, keys)),
                Value::Object(m) => m
                    .iter()
                    .all(|(k, x)| keys.contains(&k.as_str()) || only(x, keys)),
                _ => true,
            }
        }
        let mut v = &self.unknown;
        for k in path {
            match v {
                Value::Bool(b) => return !*b,
                Value::Object(m) => match m.get(*k) {
                    Some(next) => v = next,
                    None => return true,
                },
                _ => return true,
            }
        }
        only(v, keys)
    }

    pub fn is_sensitive(&self, path: &[&str]) -> bool {
        marked(&self.sensitive, path)
    }

    /// The plan attribute a manifest-shape path is in, for notes.
    pub fn at(&self, path: &[&str]) -> AttributeRef {
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
