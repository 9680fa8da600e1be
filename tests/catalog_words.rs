//! Every GCP permission and Azure operation privdiff writes as an example request (a subject's
//! witness, each added or removed grant's example, each finding's requests), over the fixtures
//! and the shared corpus, checked against the clouds' own role catalogs in `../shared/catalogs/`
//! rather than against privdiff's data: the permission exists, belongs to the role of the grant
//! that shows it, and can take effect on the resource that grant is bound to. Without the
//! catalogs the test says it skipped, and fails under `CI`.

mod common;

use common::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One Azure role's permission block: its patterns, in lower case with their plane.
struct Block {
    allow: Vec<String>,
    except: Vec<String>,
}

struct Catalogs {
    gcp_roles: HashMap<String, HashSet<String>>,
    gcp_all: HashSet<String>,
    /// Role name in lower case → its blocks.
    azure_roles: HashMap<String, Vec<Block>>,
    /// Every literal operation of some role, `action:…`/`dataaction:…` in lower case.
    azure_ops: HashSet<String>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn catalogs() -> Option<Catalogs> {
    let gcp = optional::shared("catalogs/gcp-roles.json")?;
    let azure = optional::shared("catalogs/azure-role-definitions.json")?;
    let read = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let mut gcp_roles = HashMap::new();
    for r in read(gcp).as_array().unwrap() {
        let perms: HashSet<String> = strings(&r["includedPermissions"]).into_iter().collect();
        gcp_roles.insert(r["name"].as_str().unwrap().to_string(), perms);
    }
    let gcp_all = gcp_roles.values().flatten().cloned().collect();
    let (mut azure_roles, mut azure_ops) = (HashMap::new(), HashSet::new());
    for r in read(azure).as_array().unwrap() {
        let mut blocks = Vec::new();
        for p in r["permissions"].as_array().into_iter().flatten() {
            let planed = |key: &str, plane: &str| -> Vec<String> {
                strings(&p[key])
                    .iter()
                    .map(|o| format!("{plane}{}", o.to_lowercase()))
                    .collect()
            };
            let allow = [
                planed("actions", "action:"),
                planed("dataActions", "dataaction:"),
            ]
            .concat();
            let except = [
                planed("notActions", "action:"),
                planed("notDataActions", "dataaction:"),
            ]
            .concat();
            azure_ops.extend(
                allow
                    .iter()
                    .chain(&except)
                    .filter(|o| !o.contains('*'))
                    .cloned(),
            );
            blocks.push(Block { allow, except });
        }
        let name = r["roleName"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        azure_roles.insert(name, blocks);
    }
    Some(Catalogs {
        gcp_roles,
        gcp_all,
        azure_roles,
        azure_ops,
    })
}

/// `*` as any run of characters, as both clouds write their patterns.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob(rest, &tail[i..]))
        }
    }
}

/// An example request with the grant that shows it (none for a witness or a finding's).
struct Example {
    file: String,
    subject: String,
    action: String,
    source: Option<String>,
    addresses: Vec<String>,
}

impl Example {
    /// `action` shown for `subject` in `file`, by `grant` where a grant shows it.
    fn new(file: &str, subject: &str, action: &str, grant: Option<&Value>) -> Example {
        Example {
            file: file.to_string(),
            subject: subject.to_string(),
            action: action.to_string(),
            source: grant.and_then(|g| g["source"].as_str().map(str::to_string)),
            addresses: grant.map(|g| strings(&g["addresses"])).unwrap_or_default(),
        }
    }
}

fn examples(file: &Path, report: &Value, out: &mut Vec<(String, Example)>) {
    let name = file.display().to_string();
    let mut providers = HashMap::new();
    for id in ["identities", "resources"]
        .iter()
        .filter_map(|k| report[k].as_array())
        .flatten()
    {
        let subject = id["address"].as_str().unwrap_or_default();
        let provider = id["provider"].as_str().unwrap_or_default().to_string();
        providers.insert(subject.to_string(), provider.clone());
        let grants = ["added", "removed"]
            .iter()
            .filter_map(|k| id[k].as_array())
            .flatten();
        let shown = std::iter::once((&id["witness"]["action"], None))
            .chain(grants.map(|g| (&g["example"]["action"], Some(g))));
        for (action, grant) in shown {
            if let Some(action) = action.as_str() {
                let e = Example::new(&name, subject, action, grant);
                out.push((provider.clone(), e));
            }
        }
    }
    for f in report["findings"].as_array().into_iter().flatten() {
        let subject = f["identity"].as_str().unwrap_or_default();
        let Some(provider) = providers.get(subject) else {
            continue;
        };
        for action in request_actions(f) {
            out.push((provider.clone(), Example::new(&name, subject, action, None)));
        }
    }
}

/// The Terraform resource type of a plan address (`module.m.google_x.y["k"]` → `google_x`).
fn resource_type(address: &str) -> &str {
    let mut parts = address.split('.').collect::<Vec<_>>();
    while parts.first() == Some(&"module") {
        parts.drain(..2.min(parts.len()));
    }
    parts.first().copied().unwrap_or_default()
}

/// The service whose permissions a GCP resource-level IAM family can grant: the resource's
/// own API, by the Terraform type (an independent reading of the provider's type names).
fn gcp_service(kind: &str) -> Option<&'static str> {
    let noun = kind.strip_prefix("google_")?.rsplit_once("_iam_")?.0;
    Some(match noun {
        "project" | "folder" | "organization" => return None,
        "storage_bucket" => "storage",
        "service_account" => "iam",
        "secret_manager_secret" => "secretmanager",
        "bigquery_dataset" | "bigquery_table" => "bigquery",
        "spanner_instance" | "spanner_database" => "spanner",
        "cloud_run_service" | "cloud_run_v2_service" | "cloud_run_v2_job" => "run",
        "cloudfunctions_function" | "cloudfunctions2_function" => "cloudfunctions",
        "artifact_registry_repository" => "artifactregistry",
        n if n.starts_with("kms_") => "cloudkms",
        n if n.starts_with("pubsub_") => "pubsub",
        n if n.starts_with("compute_") => "compute",
        _ => return None,
    })
}

fn check_gcp(c: &Catalogs, e: &Example) -> Option<String> {
    if !c.gcp_all.contains(&e.action) {
        return Some("no predefined role has it".into());
    }
    let source = e.source.as_deref()?;
    // `ADDRESS ROLE on RESOURCE[ if …]`.
    let mut words = source.split(' ');
    let (address, role) = (words.next()?, words.next()?);
    if let Some(perms) = c.gcp_roles.get(role) {
        if !perms.contains(&e.action) {
            return Some(format!("not a permission of {role}"));
        }
    }
    let service = gcp_service(resource_type(address))?;
    (!e.action.starts_with(&format!("{service}.")))
        .then(|| format!("cannot take effect on a {service} resource ({address})"))
}

/// Resource providers whose operations apply to any resource (role assignments, locks,
/// diagnostic settings, tags...).
const AZURE_EXTENSIONS: &[&str] = &[
    "microsoft.advisor",
    "microsoft.authorization",
    "microsoft.changeanalysis",
    "microsoft.guestconfiguration",
    "microsoft.insights",
    "microsoft.maintenance",
    "microsoft.policyinsights",
    "microsoft.resourcehealth",
    "microsoft.resources",
    "microsoft.security",
    "microsoft.support",
];

fn check_azure(c: &Catalogs, e: &Example) -> Option<String> {
    let (plane, op) = e.action.split_once(':')?;
    let matching = format!("{}:{}", plane.to_lowercase(), op.to_lowercase());
    if !c.azure_ops.contains(&matching) {
        return Some("no built-in role names it".into());
    }
    let source = e.source.as_deref()?;
    let address = e.addresses.first()?;
    // `ADDRESS ROLE NAME on SCOPE[ (with a condition)]`.
    let rest = source.strip_prefix(address.as_str())?.trim_start();
    let (role, scope) = rest.rsplit_once(" on ")?;
    if let Some(blocks) = c.azure_roles.get(&role.trim().to_lowercase()) {
        let granted = blocks.iter().any(|b| {
            b.allow.iter().any(|p| glob(p, &matching))
                && !b.except.iter().any(|p| glob(p, &matching))
        });
        if !granted {
            return Some(format!("not an operation of {role}"));
        }
    }
    // On one resource (`…/providers/NS/type/name…`): its own namespace and type, or an
    // extension's.
    let scope = scope.trim_end_matches(" (with a condition)").to_lowercase();
    let (_, tail) = scope.rsplit_once("/providers/")?;
    let segments: Vec<&str> = tail.split('/').collect();
    if segments.len() < 3 || segments[1] == "managementgroups" {
        return None;
    }
    let ty: Vec<&str> = std::iter::once(segments[0])
        .chain(segments[1..].iter().step_by(2).copied())
        .collect();
    let ty = ty.join("/");
    let namespace = op.split('/').next()?.to_lowercase();
    let own = op.to_lowercase().starts_with(&format!("{ty}/"));
    (!own && !AZURE_EXTENSIONS.contains(&namespace.as_str()))
        .then(|| format!("cannot take effect on a {ty}"))
}

#[test]
fn every_gcp_and_azure_example_is_a_real_permission_of_its_role_where_it_is_bound() {
    let Some(c) = catalogs() else {
        return;
    };
    let mut files = plan_files();
    if let Some(corpus) = optional::shared("corpus") {
        files.extend(files_under(&corpus, "json"));
    }
    let mut all = Vec::new();
    for file in &files {
        let r = analyze(file, &["--format", "json", "--fail-on", "never"]);
        if r.code() != Some(0) {
            // Rejected inputs are the hostile-input tests' concern.
            continue;
        }
        examples(file, &r.json().unwrap(), &mut all);
    }
    let mut wrong = Vec::new();
    let mut checked = (0, 0);
    for (provider, e) in &all {
        // PD011's example of "every permission" is `*` itself, not one request.
        if e.action == "*" && e.source.is_none() {
            continue;
        }
        let problem = match provider.as_str() {
            "gcp" => {
                checked.0 += 1;
                check_gcp(&c, e)
            }
            "azure" => {
                checked.1 += 1;
                check_azure(&c, e)
            }
            _ => continue,
        };
        if let Some(p) = problem {
            wrong.push(format!(
                "{}: {}: {} ({}): {p}",
                e.file,
                e.subject,
                e.action,
                e.source.as_deref().unwrap_or("witness or finding")
            ));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        checked.0 > 50 && checked.1 > 20,
        "too few examples: {checked:?}"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_independent_checks_catch_what_they_are_for() {
    let Some(c) = catalogs() else {
        return;
    };
    let example = |action: &str, source: &str, address: &str| {
        let grant = serde_json::json!({"source": source, "addresses": [address]});
        Example::new("", "", action, Some(&grant))
    };
    let on_dataset = "google_bigquery_dataset_iam_member.x roles/editor on projects/p/datasets/d";
    let bucket = "google_storage_bucket_iam_member.x";
    let gcp = [
        (example("apikeys.setiampolicy", on_dataset, ""), true),
        (example("cloudbuild.builds.create", on_dataset, ""), true),
        (example("bigquery.models.getData", on_dataset, ""), false),
        (
            example(
                "storage.objects.delete",
                &format!("{bucket} roles/storage.objectViewer on projects/_/buckets/b"),
                "",
            ),
            true,
        ),
    ];
    for (e, flagged) in gcp {
        assert_eq!(check_gcp(&c, &e).is_some(), flagged, "{}", e.action);
    }
    let address = "azurerm_role_assignment.x";
    let firewall = format!(
        "{address} Contributor on /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/azureFirewalls/fw"
    );
    let azure = [
        (
            "Action:Microsoft.Compute/virtualMachines/runCommand/action",
            true,
        ),
        ("Action:Microsoft.Authorization/roleAssignments/write", true),
        ("Action:Microsoft.Insights/AlertRules/Write", false),
        ("Action:Microsoft.Advisor/Example", true),
    ];
    for (action, flagged) in azure {
        let e = example(action, &firewall, address);
        assert_eq!(check_azure(&c, &e).is_some(), flagged, "{action}");
    }
}
