//! Who acts as a GCP service account: the plan's compute that runs as it (an instance, a node
//! pool, a Cloud Run service, a function...) and the members its own IAM policy lets act as it
//! (GKE workload identity and workload identity federation through
//! `roles/iam.workloadIdentityUser`, token creators, service account users).

use super::bindings::Binding;
use super::parts::Members;
use crate::model::usage::{add, Callers, Workload, Workloads};
use crate::plan::refs::{Address, Config};
use crate::plan::side::{Obj, Step, World};
use serde_json::Value;

/// A workload type: its type, the path to the service account it runs as, what it is called.
struct Runs {
    kind: &'static str,
    path: &'static [Step<'static>],
    noun: &'static str,
}

const fn runs(kind: &'static str, path: &'static [Step<'static>], noun: &'static str) -> Runs {
    Runs { kind, path, noun }
}

use Step::{Index as I, Key as K};

const RUNS: &[Runs] = &[
    runs(
        "google_compute_instance",
        &[K("service_account"), I(0), K("email")],
        "Compute Engine instance",
    ),
    runs(
        "google_compute_instance_template",
        &[K("service_account"), I(0), K("email")],
        "instance template",
    ),
    runs(
        "google_container_node_pool",
        &[K("node_config"), I(0), K("service_account")],
        "GKE node pool",
    ),
    runs(
        "google_container_cluster",
        &[K("node_config"), I(0), K("service_account")],
        "GKE cluster",
    ),
    runs(
        "google_cloud_run_v2_service",
        &[K("template"), I(0), K("service_account")],
        "Cloud Run service",
    ),
    runs(
        "google_cloud_run_service",
        &[
            K("template"),
            I(0),
            K("spec"),
            I(0),
            K("service_account_name"),
        ],
        "Cloud Run service",
    ),
    runs(
        "google_cloud_run_v2_job",
        &[
            K("template"),
            I(0),
            K("template"),
            I(0),
            K("service_account"),
        ],
        "Cloud Run job",
    ),
    runs(
        "google_cloudfunctions_function",
        &[K("service_account_email")],
        "Cloud Function",
    ),
    runs(
        "google_cloudfunctions2_function",
        &[K("service_config"), I(0), K("service_account_email")],
        "Cloud Function",
    ),
    runs(
        "google_cloudbuild_trigger",
        &[K("service_account")],
        "Cloud Build trigger",
    ),
    runs(
        "google_workflows_workflow",
        &[K("service_account")],
        "Workflow",
    ),
    runs(
        "google_dataflow_job",
        &[K("service_account_email")],
        "Dataflow job",
    ),
    runs(
        "google_cloud_scheduler_job",
        &[
            K("http_target"),
            I(0),
            K("oidc_token"),
            I(0),
            K("service_account_email"),
        ],
        "Cloud Scheduler job",
    ),
];

const SERVICE_ACCOUNT: &str = "google_service_account";

/// Types this reader needs in the GCP extractor's world.
pub fn read(kind: &str) -> bool {
    kind == SERVICE_ACCOUNT || RUNS.iter().any(|r| r.kind == kind)
}

/// The workloads of one side, by the member they run as (`serviceAccount:EMAIL`).
pub fn workloads(world: &World, config: Option<&Config>) -> Workloads {
    let mut out = Workloads::new();
    let accounts: Vec<&Obj> = world
        .objs
        .iter()
        .filter(|s| s.kind == SERVICE_ACCOUNT && !s.data)
        .collect();
    for o in world.objs.iter().filter(|o| !o.data) {
        for r in RUNS.iter().filter(|r| r.kind == o.kind) {
            let name = o
                .str("name")
                .filter(|n| !n.is_empty() && !o.is_sensitive(&[Step::Key("name")]))
                .unwrap_or_else(|| o.address.to_string());
            let w = Workload {
                kind: r.noun,
                name,
                address: o.address.to_string(),
                via: None,
            };
            for email in emails(&accounts, config, o, r.path) {
                add(&mut out, &format!("serviceAccount:{email}"), w.clone());
            }
        }
    }
    out
}

/// The service account `path` of `o` names: its e-mail as written or in a resource name
/// (`projects/p/serviceAccounts/EMAIL`), or, when known only after apply, the e-mail of the
/// plan's service account (of `accounts`) the configuration refers to, where that is known.
fn emails(accounts: &[&Obj], config: Option<&Config>, o: &Obj, path: &[Step]) -> Vec<String> {
    match o.get(path) {
        Some(Value::String(v)) if !v.is_empty() && !o.is_sensitive(path) => {
            let email = v.rsplit("/serviceAccounts/").next().unwrap_or(&v);
            vec![email.to_string()]
        }
        None if o.is_unknown(path) => {
            let (Some(config), Some(Step::Key(top))) = (config, path.first()) else {
                return Vec::new();
            };
            let prefix = format!("{SERVICE_ACCOUNT}.");
            config
                .targets_within(o.address, top)
                .iter()
                .filter(|t| t.local.starts_with(&prefix))
                .flat_map(|t| {
                    accounts
                        .iter()
                        .filter(move |s| Address::parse(s.address).is_some_and(|a| t.matches(&a)))
                })
                .filter(|s| !s.is_sensitive(&[Step::Key("email")]))
                .filter_map(|s| s.str("email").filter(|e| !e.is_empty()))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Roles on a service account that let their members act as it, and how to say so.
const ACT_AS: &[(&str, &str)] = &[
    ("roles/iam.workloadIdentityUser", "workload identity"),
    ("roles/iam.serviceAccountTokenCreator", "token creator"),
    ("roles/iam.serviceAccountUser", "service account user"),
    (
        "roles/iam.serviceAccountOpenIdTokenCreator",
        "OpenID token creator",
    ),
];

/// Who the after side's service-account bindings let act as each service account.
pub fn callers(bindings: &[Binding]) -> Callers {
    let mut out = Callers::new();
    for b in bindings {
        let Some((_, email)) = b.resource.split_once("/serviceAccounts/") else {
            continue;
        };
        let Some((_, how)) = ACT_AS.iter().find(|(role, _)| *role == b.role) else {
            continue;
        };
        let Members::Known(members) = &b.members else {
            continue;
        };
        let conditioned = if b.condition.is_some() {
            " (under a condition)"
        } else {
            ""
        };
        let list = out.entry(format!("serviceAccount:{email}")).or_default();
        for m in members {
            let line = format!("{}{conditioned}", caller(m, how));
            if !list.contains(&line) {
                list.push(line);
            }
        }
    }
    out
}

/// One member of a binding that lets it act as a service account.
fn caller(member: &str, how: &str) -> String {
    // `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]`: a GKE workload.
    if let Some(ksa) = member
        .strip_prefix("serviceAccount:")
        .and_then(|m| m.split_once(".svc.id.goog["))
        .and_then(|(_, rest)| rest.strip_suffix(']'))
    {
        return format!("GKE workload identity: Kubernetes service account {ksa}");
    }
    // `principal://…/workloadIdentityPools/POOL/subject/SUB`,
    // `principalSet://…/workloadIdentityPools/POOL/attribute.repository/acme/app`.
    if let Some((_, rest)) = member.split_once("/workloadIdentityPools/") {
        let (pool, who) = rest.split_once('/').unwrap_or((rest, "*"));
        let who = match who.split_once('/') {
            Some(("subject", sub)) => format!("subject {sub}"),
            Some((attr, value)) => match attr.strip_prefix("attribute.") {
                Some(a) => format!("{a} {value}"),
                None => format!("{attr} {value}"),
            },
            None if who == "*" => "any identity".to_string(),
            None => who.to_string(),
        };
        return format!("workload identity pool {pool}: {who}");
    }
    format!("{member} ({how})")
}

#[cfg(test)]
mod tests {
    use super::caller;

    #[test]
    fn members_read_as_who_they_are() {
        assert_eq!(
            caller(
                "serviceAccount:acme-prod.svc.id.goog[payments/api]",
                "workload identity"
            ),
            "GKE workload identity: Kubernetes service account payments/api"
        );
        assert_eq!(
            caller(
                "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/attribute.repository/acme/app",
                "workload identity"
            ),
            "workload identity pool github: repository acme/app"
        );
        assert_eq!(
            caller(
                "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gitlab/subject/project_path:acme/app:ref_type:branch:ref:main",
                "workload identity"
            ),
            "workload identity pool gitlab: subject project_path:acme/app:ref_type:branch:ref:main"
        );
        assert_eq!(
            caller("user:ann@acme.example", "token creator"),
            "user:ann@acme.example (token creator)"
        );
    }
}
