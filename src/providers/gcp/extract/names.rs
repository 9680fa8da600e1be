//! The resource a resource-level IAM resource (`google_storage_bucket_iam_member`,
//! `google_secret_manager_secret_iam_binding`...) is on, as a GCP full resource name under its
//! project where the service's naming is known (`projects/p/secrets/s`), so that a grant on
//! `projects/p` covers it.

use super::attr_ref;
use crate::plan::refs::Config;
use crate::plan::side::{AttributeRef, Obj, Step};
use serde_json::Value;

/// A value that names the resource a grant is on, known only after apply, and the name that
/// stands for it meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterApply {
    pub at: AttributeRef,
    /// `⟨project from random_string.suffix, known after apply⟩`.
    pub shown: String,
}

/// The name a naming value known only after apply stands as: what the configuration computes
/// it from, where it refers to other resources. The name is one no other resource has and no
/// pattern reads as a wildcard or a path, so a grant on it is judged as a grant on a resource
/// of its own: for a widening, the worst case.
pub fn after_apply(obj: &Obj, attr: &str, config: Option<&Config>) -> AfterApply {
    let from: Vec<String> = config
        .map(|c| c.targets(obj.address, attr))
        .unwrap_or_default()
        .iter()
        .map(|t| t.address())
        .collect();
    let text = match from.as_slice() {
        [] => format!("⟨{attr} of {}, known after apply⟩", obj.address),
        from => format!("⟨{attr} from {}, known after apply⟩", from.join(", ")),
    };
    // A `/` would make it a path, `*`, `?` and `$` a pattern; addresses rarely hold them.
    let shown = text
        .chars()
        .map(|c| {
            if matches!(c, '/' | '*' | '?' | '$') {
                '_'
            } else {
                c
            }
        })
        .collect();
    AfterApply {
        at: attr_ref(obj, attr),
        shown,
    }
}

/// Attributes of an IAM resource that say what is granted, not on what.
const NOT_NAMING: &[&str] = &[
    "condition",
    "etag",
    "id",
    "member",
    "members",
    "policy_data",
    "role",
];

/// Full resource names by type noun, from the resource's attributes. A name is used only when
/// every naming attribute is in it (otherwise two resources could share one name).
const TEMPLATES: &[(&str, &str)] = &[
    (
        "secret_manager_secret",
        "projects/{project}/secrets/{secret_id}",
    ),
    ("pubsub_topic", "projects/{project}/topics/{topic}"),
    (
        "pubsub_subscription",
        "projects/{project}/subscriptions/{subscription}",
    ),
    (
        "cloud_run_service",
        "projects/{project}/locations/{location}/services/{service}",
    ),
    (
        "cloud_run_v2_service",
        "projects/{project}/locations/{location}/services/{name}",
    ),
    (
        "cloud_run_v2_job",
        "projects/{project}/locations/{location}/jobs/{name}",
    ),
    (
        "cloudfunctions_function",
        "projects/{project}/locations/{region}/functions/{cloud_function}",
    ),
    (
        "cloudfunctions2_function",
        "projects/{project}/locations/{location}/functions/{cloud_function}",
    ),
    (
        "bigquery_dataset",
        "projects/{project}/datasets/{dataset_id}",
    ),
    (
        "bigquery_table",
        "projects/{project}/datasets/{dataset_id}/tables/{table_id}",
    ),
    (
        "compute_instance",
        "projects/{project}/zones/{zone}/instances/{instance_name}",
    ),
    (
        "spanner_instance",
        "projects/{project}/instances/{instance}",
    ),
    (
        "spanner_database",
        "projects/{project}/instances/{instance}/databases/{database}",
    ),
    (
        "artifact_registry_repository",
        "projects/{project}/locations/{location}/repositories/{repository}",
    ),
    // Bucket names are global: GCP names a bucket under no project (`projects/_`), and its IAM
    // resources do not say which project holds it.
    ("storage_bucket", "projects/_/buckets/{bucket}"),
];

/// The resource's name: one of its attributes that is already a full resource name
/// (`projects/…`, `organizations/…`, `folders/…`) if any; else the service's own naming
/// ([`TEMPLATES`], KMS ids); else `projects/{project}/{type noun}/{other values in
/// attribute-name order}`, or `{type noun}/{values}` for a resource without a project.
///
/// `project`, when known only after apply, is the provider's default project
/// (`default_project`) if the configuration tells it. Without a full name, a naming attribute
/// known only after apply stands as `after_apply` names it, and is listed.
pub fn resource_level(
    obj: &Obj,
    default_project: Option<&str>,
    after_apply: &dyn Fn(&str) -> AfterApply,
) -> (String, Vec<AfterApply>) {
    let mut named: Vec<(String, String)> = obj
        .attribute_names()
        .filter(|k| !NOT_NAMING.contains(k))
        .filter_map(|k| Some((k.to_string(), obj.str(k)?)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    named.sort();
    named.dedup();
    let full = ["projects/", "organizations/", "folders/"];
    if let Some((_, v)) = named
        .iter()
        .find(|(_, v)| full.iter().any(|p| v.starts_with(p)))
    {
        return (v.clone(), Vec::new());
    }
    let mut assumed = Vec::new();
    if let Value::Object(marks) = obj.unknown_marks(&[]) {
        let unknown = marks.iter().filter(|(k, v)| {
            **v == Value::Bool(true) && !NOT_NAMING.contains(&k.as_str()) && *k != "project"
        });
        for (k, _) in unknown {
            let a = after_apply(k);
            named.push((k.clone(), a.shown.clone()));
            assumed.push(a);
        }
        named.sort();
    }
    let project = match named.iter().position(|(k, _)| k == "project") {
        Some(i) => Some(named.remove(i).1),
        None if obj.is_unknown(&[Step::Key("project")]) => match default_project {
            Some(d) => Some(d.to_string()),
            None => {
                let a = after_apply("project");
                let shown = a.shown.clone();
                assumed.push(a);
                Some(shown)
            }
        },
        None => None,
    };
    let noun = noun(obj.kind).unwrap_or(obj.kind);
    // The provider stores a bucket as `b/{name}` in state but plans the name as configured.
    if noun == "storage_bucket" {
        for (_, v) in &mut named {
            if let Some(b) = v.strip_prefix("b/") {
                *v = b.to_string();
            }
        }
    }
    if let Some(name) = kms(noun, &named, project.as_deref().or(default_project)) {
        return (name, assumed);
    }
    if let Some(name) = from_template(noun, &named, project.as_deref()) {
        return (name, assumed);
    }
    let values: Vec<&str> = named.iter().map(|(_, v)| v.as_str()).collect();
    let name = match project {
        Some(p) => format!("projects/{p}/{noun}/{}", values.join("/")),
        None => format!("{noun}/{}", values.join("/")),
    };
    (name, assumed)
}

/// The resource noun of an IAM resource type: `storage_bucket` for
/// `google_storage_bucket_iam_member`.
pub fn noun(kind: &str) -> Option<&str> {
    Some(kind.strip_prefix("google_")?.rsplit_once("_iam_")?.0)
}

fn from_template(noun: &str, named: &[(String, String)], project: Option<&str>) -> Option<String> {
    let (_, template) = TEMPLATES.iter().find(|(n, _)| *n == noun)?;
    let mut out = String::new();
    let mut used = 0;
    let mut rest = *template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        out.push_str(&rest[..open]);
        let attr = &rest[open + 1..close];
        let value = if attr == "project" {
            project?
        } else {
            used += 1;
            named.iter().find(|(k, _)| k == attr)?.1.as_str()
        };
        // A value that is itself a path would make a name that means something else.
        if value.contains('/') {
            return None;
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (used == named.len()).then_some(out)
}

/// KMS ids are `{project}/{location}/{ring}[/{key}]`, or without the project, which is then
/// the provider's.
fn kms(noun: &str, named: &[(String, String)], project: Option<&str>) -> Option<String> {
    let (attr, parts) = match noun {
        "kms_key_ring" => ("key_ring_id", 3),
        "kms_crypto_key" => ("crypto_key_id", 4),
        _ => return None,
    };
    let [(k, v)] = named else { return None };
    if k != attr {
        return None;
    }
    let mut p: Vec<&str> = v.split('/').collect();
    if p.len() == parts - 1 {
        p.insert(0, project?);
    }
    if p.len() != parts || p.iter().any(|s| s.is_empty()) {
        return None;
    }
    let ring = format!("projects/{}/locations/{}/keyRings/{}", p[0], p[1], p[2]);
    Some(match p.get(3) {
        Some(key) => format!("{ring}/cryptoKeys/{key}"),
        None => ring,
    })
}

/// A service account's name from `service_account_id`: the full name as given; an email of a
/// project's own account (`{id}@{project}.iam.gserviceaccount.com`, App Engine's
/// `{project}@appspot.gserviceaccount.com`) under that project; any other email under any
/// project (`projects/-`), as the IAM API writes it.
pub fn service_account(v: &str) -> String {
    if v.starts_with("projects/") {
        return v.to_string();
    }
    let project = v.split_once('@').and_then(|(local, domain)| {
        match domain.strip_suffix(".iam.gserviceaccount.com") {
            Some(p) => Some(p),
            None => (domain == "appspot.gserviceaccount.com").then_some(local),
        }
    });
    match project.filter(|p| !p.is_empty() && !p.contains('/')) {
        Some(p) => format!("projects/{p}/serviceAccounts/{v}"),
        None => format!("projects/-/serviceAccounts/{v}"),
    }
}
