//! The GCP routes of the content rules, from Rhino Security Labs' GCP escalation methods and
//! the CIS GCP Foundations benchmark (see `../shared/knowledge/risks.md` §5 and §8).

use crate::model::route::{anywhere, at, concrete, on, route, Capability, Novelty, Route, Table};
use crate::model::{Provider, Severity};

pub const TABLE: Table = Table {
    provider: Provider::Gcp,
    novelty: Novelty::OfRequest,
    any: Some(ANY_PERMISSION),
    concrete,
    routes: ROUTES,
    separate: &[],
    // Ranked as the witnesses are: plain reads of metadata. Reading data (objects, secret
    // values, table rows) is as consequential as a write.
    reads: |p| crate::providers::gcp::vocabulary::gcp_rank(p) == 3,
    public: &[
        ("allUsers", "anyone on the internet, without signing in"),
        (
            "allAuthenticatedUsers",
            "anyone with a Google account or service account",
        ),
    ],
};

/// A permission no role lists: only a grant of every permission (`*`, `roles/owner`) allows it.
pub const ANY_PERMISSION: &str = "privdiff.anyPermission.example";

/// Permissions that rewrite who may use a resource of a kind that holds data or runs code.
const EXPOSING: &[&str] = &[
    "storage.buckets.setIamPolicy",
    "secretmanager.secrets.setIamPolicy",
    "pubsub.topics.setIamPolicy",
    "pubsub.subscriptions.setIamPolicy",
    "cloudfunctions.functions.setIamPolicy",
    "run.services.setIamPolicy",
    "bigquery.datasets.setIamPolicy",
    "cloudkms.cryptoKeys.setIamPolicy",
    "compute.instances.setIamPolicy",
    "artifactregistry.repositories.setIamPolicy",
];

/// One resource below a container (`projects/_/buckets/b`), not a container itself.
fn one_resource(r: &str) -> bool {
    !container(r) && !r.ends_with("/*")
}

/// A project, folder or organization itself (`projects/p`), where a grant reaches every
/// resource below.
fn container(r: &str) -> bool {
    ["projects", "folders", "organizations"]
        .iter()
        .any(|kind| is(kind, r))
}

/// Whether `r` is the name of one `kind` of container: `projects/p` for `projects`.
fn is(kind: &str, r: &str) -> bool {
    r.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

fn organization(r: &str) -> bool {
    is("organizations", r)
}

fn folder(r: &str) -> bool {
    is("folders", r)
}

fn project(r: &str) -> bool {
    is("projects", r)
}

/// A service account (`projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com`), or a
/// container, whose grants reach every service account below.
fn service_accounts(r: &str) -> bool {
    container(r) || r.contains("/serviceAccounts/")
}

const MINT: &[&str] = &[
    "iam.serviceAccountKeys.create",
    "iam.serviceAccounts.getAccessToken",
    "iam.serviceAccounts.signJwt",
    "iam.serviceAccounts.signBlob",
    "iam.serviceAccounts.implicitDelegation",
    "iam.serviceAccounts.getOpenIdToken",
];

/// What creates compute that runs as a service account the caller may act as.
pub const RUN_AS: &[&str] = &[
    "compute.instances.create",
    "cloudfunctions.functions.create",
    "cloudfunctions.functions.update",
    "run.services.create",
    "run.jobs.create",
    "cloudscheduler.jobs.create",
    "composer.environments.create",
    "dataflow.jobs.create",
];

const ROUTES: &[Route] = &[
    route(
        Capability::AdminEquivalent,
        "use every permission on a project, folder or organization (roles/owner or `*`)",
        &[on(&[ANY_PERMISSION], container)],
    ),
    route(
        Capability::PrivilegeEscalation,
        "change the IAM policy of an organization",
        &[on(
            &["resourcemanager.organizations.setIamPolicy"],
            organization,
        )],
    ),
    route(
        Capability::PrivilegeEscalation,
        "change the IAM policy of a folder",
        &[on(&["resourcemanager.folders.setIamPolicy"], folder)],
    ),
    route(
        Capability::PrivilegeEscalation,
        "change the IAM policy of a project",
        &[on(&["resourcemanager.projects.setIamPolicy"], project)],
    ),
    route(
        Capability::PrivilegeEscalation,
        "change the permissions of custom roles",
        &[on(&["iam.roles.update", "iam.roles.create"], container)],
    ),
    at(
        Severity::High,
        route(
            Capability::PrivilegeEscalation,
            "change who may use or impersonate a service account",
            &[on(&["iam.serviceAccounts.setIamPolicy"], service_accounts)],
        ),
    ),
    at(
        Severity::High,
        route(
            Capability::PrivilegeEscalation,
            "set organization policies",
            &[on(&["orgpolicy.policy.set"], container)],
        ),
    ),
    route(
        Capability::CredentialsExposure,
        "mint keys or tokens for every service account of a project, folder or organization",
        &[on(MINT, container)],
    ),
    route(
        Capability::CredentialsExposure,
        "mint keys or tokens for a service account",
        &[on(MINT, service_accounts)],
    ),
    route(
        Capability::CredentialsExposure,
        "create HMAC keys or API keys",
        &[on(
            &[
                "storage.hmacKeys.create",
                "apikeys.keys.create",
                "apikeys.keys.getKeyString",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::PassroleCompute,
        "run new compute as any service account of a project, folder or organization",
        &[
            on(&["iam.serviceAccounts.actAs"], container),
            on(RUN_AS, anywhere),
        ],
    ),
    route(
        Capability::PassroleCompute,
        "run new compute as a service account",
        &[
            on(&["iam.serviceAccounts.actAs"], service_accounts),
            on(RUN_AS, anywhere),
        ],
    ),
    // CIS GCP 1.6: actAs on a whole project covers every service account in it, today's and
    // tomorrow's; whatever runs code in the project can then run it as any of them.
    at(
        Severity::Medium,
        route(
            Capability::PassroleCompute,
            "act as every service account of a project, folder or organization",
            &[on(&["iam.serviceAccounts.actAs"], container)],
        ),
    ),
    route(
        Capability::CodeExecution,
        "run builds or deployments as the project's own service accounts",
        &[on(
            &[
                "cloudbuild.builds.create",
                "deploymentmanager.deployments.create",
                "compute.instances.setMetadata",
                "compute.projects.setCommonInstanceMetadata",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::SecretsRead,
        "read secret values from Secret Manager",
        &[on(&["secretmanager.versions.access"], anywhere)],
    ),
    route(
        Capability::ResourceExposure,
        "change who may use every resource of a kind in a project, folder or organization (their IAM policies), for example to make them public",
        // As for AWS, "any resource": every bucket, secret or topic below a container.
        &[on(EXPOSING, container)],
    ),
    // Bound on one resource, the same permission lets its holder share that one: worth a line
    // in review, not the alarm of every bucket in a project.
    at(
        Severity::Medium,
        route(
            Capability::ResourceExposure,
            "change who may use the resource it is granted on (its IAM policy), for example to make it public",
            &[on(EXPOSING, one_resource)],
        ),
    ),
    route(
        Capability::DataExfiltration,
        "read every object or table of a project, folder or organization",
        &[on(
            &["storage.objects.get", "bigquery.tables.getData"],
            container,
        )],
    ),
    at(
        Severity::High,
        route(
            Capability::SeparationOfDuties,
            "administer service accounts and act as them (CIS GCP 1.8)",
            &[
                on(
                    &["iam.serviceAccounts.create", "iam.serviceAccounts.delete"],
                    anywhere,
                ),
                on(&["iam.serviceAccounts.actAs"], anywhere),
            ],
        ),
    ),
    at(
        Severity::High,
        route(
            Capability::SeparationOfDuties,
            "administer KMS keys and decrypt with them (CIS GCP 1.11)",
            &[
                on(
                    &[
                        "cloudkms.cryptoKeys.setIamPolicy",
                        "cloudkms.cryptoKeys.update",
                    ],
                    anywhere,
                ),
                on(&["cloudkms.cryptoKeyVersions.useToDecrypt"], anywhere),
            ],
        ),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::optional;

    #[test]
    fn containers_are_the_places_themselves() {
        assert!(container("projects/p"));
        assert!(container("organizations/123"));
        assert!(!container("projects/p/example"));
        assert!(!container("projects/"));
        assert!(!container("storage_bucket/b"));
        assert!(service_accounts(
            "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com"
        ));
    }

    #[test]
    fn curated_roles_are_exact_on_the_permissions_the_routes_need() {
        // The curated table approximates large roles with wildcards; on these permissions it
        // must be exact, or a finding would claim what the role cannot do (or miss it).
        // `roles/owner` is `*` by design: it may grant itself anything.
        let Some(path) = optional::shared("catalogs/gcp-roles.json") else {
            return;
        };
        let text = std::fs::read_to_string(path).expect("the shared GCP role catalog");
        let catalog: serde_json::Value = serde_json::from_str(&text).unwrap();
        let real = |name: &str| -> Vec<String> {
            catalog
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == name)
                .map(|r| {
                    r["includedPermissions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let covers = |patterns: &[&str], p: &str| {
            patterns.iter().any(|x| {
                crate::model::pattern::Glob::wildcard(&x.to_lowercase()).matches(&p.to_lowercase())
            })
        };
        let mut wrong = Vec::new();
        for (name, entries) in crate::catalog::gcp::ROLES {
            if *name == "roles/owner" {
                continue;
            }
            let (allow, except) = crate::catalog::gcp::split(entries);
            let has = real(name);
            for p in ROUTES
                .iter()
                .flat_map(|r| r.parts.iter().flat_map(|p| p.listed().iter()))
            {
                let curated = covers(&allow, p) && !covers(&except, p);
                if curated != has.iter().any(|h| h == p) {
                    wrong.push(format!("{name}: {p} curated {curated}"));
                }
            }
        }
        wrong.sort();
        wrong.dedup();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_permission_of_the_routes_is_a_real_one() {
        // Spelled as IAM spells them: a typo would make a route that can never hold.
        let Some(path) = optional::shared("catalogs/gcp-roles.json") else {
            return;
        };
        let text = std::fs::read_to_string(path).expect("the shared GCP role catalog");
        for r in ROUTES {
            for p in r.parts.iter().flat_map(|p| p.listed().iter()) {
                if *p == ANY_PERMISSION {
                    continue;
                }
                assert!(text.contains(&format!("\"{p}\"")), "{p} is in no GCP role");
            }
        }
    }
}
