//! A curated table of GCP predefined roles and their permissions, written by hand from the
//! public IAM documentation (<https://cloud.google.com/iam/docs/roles-permissions>).
//!
//! Only the roles that matter most for privilege review are here: the basic roles and the
//! roles that let an identity change IAM, mint credentials or run code as another identity. A
//! role not in this table is reported as not expanded (its grant makes the identity
//! unverifiable, never safe).
//!
//! Small roles are listed permission by permission. Large roles (the basic roles, `*.admin`)
//! are a list of their high-risk permissions plus wildcard patterns such as `compute.*` that
//! stand for "the rest of this service". The wildcards over-approximate: `compute.*` matches
//! every `compute.` permission, including ones the role does not have. That can report a
//! widening that is narrower than shown, never hide one. An entry `-pattern` takes out what a
//! wildcard covers but the role lacks (editor's `storage.*` without `storage.objects.*`), so
//! that the permissions the content rules look for are exact for every curated role but
//! `roles/owner`, which is `*`. The test
//! `curated_permissions_belong_to_their_roles` checks every literal permission against the
//! complete role catalog, and that every wildcard matches at least one permission of the role.
//!
//! A complete catalog the user loads with `--gcp-roles` is read by [`roles_file`] and takes
//! precedence over this table.

pub mod embedded;
pub mod roles_file;

/// A role's entries as (permissions, exceptions): `-pattern` entries are exceptions.
pub fn split<'a>(entries: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let (except, allow): (Vec<&str>, Vec<&str>) = entries.iter().partition(|e| e.starts_with('-'));
    (allow, except.iter().map(|e| &e[1..]).collect())
}

/// The permissions (literal names or `*` patterns) of a predefined role, if the table has it.
pub fn role(name: &str) -> Option<&'static [&'static str]> {
    ROLES.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// Every curated role, by name.
pub const ROLES: &[(&str, &[&str])] = &[
    (
        "roles/owner",
        &[
            // Everything, including setting the project's IAM policy.
            "*",
            "resourcemanager.projects.setIamPolicy",
            "iam.serviceAccounts.actAs",
            "iam.serviceAccountKeys.create",
            "iam.roles.update",
        ],
    ),
    (
        "roles/editor",
        &[
            "iam.serviceAccounts.actAs",
            "iam.serviceAccountKeys.create",
            "iam.serviceAccounts.create",
            "resourcemanager.projects.get",
            "compute.*",
            "storage.*",
            "cloudfunctions.*",
            "run.*",
            "container.*",
            "secretmanager.*",
            "cloudbuild.*",
            "pubsub.*",
            "bigquery.*",
            "cloudsql.*",
            "apikeys.*",
            "cloudscheduler.*",
            "composer.*",
            "dataflow.*",
            "deploymentmanager.*",
            "cloudkms.cryptoKeys.update",
            "iam.serviceAccounts.delete",
            // What the wildcards above cover but editor lacks: every IAM policy change, object
            // data, secret values and table data.
            "-*.setIamPolicy",
            "-storage.objects.*",
            "-secretmanager.versions.access",
            "-bigquery.tables.getData",
        ],
    ),
    (
        "roles/viewer",
        &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.getIamPolicy",
            "iam.serviceAccounts.list",
            "*.get",
            "*.list",
            "apikeys.keys.getKeyString",
            // Object data is not a viewer's, though `*.get` covers it.
            "-storage.objects.get",
        ],
    ),
    (
        "roles/iam.serviceAccountUser",
        &[
            "iam.serviceAccounts.actAs",
            "iam.serviceAccounts.get",
            "iam.serviceAccounts.list",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/iam.serviceAccountTokenCreator",
        &[
            "iam.serviceAccounts.get",
            "iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.getOpenIdToken",
            "iam.serviceAccounts.implicitDelegation",
            "iam.serviceAccounts.list",
            "iam.serviceAccounts.signBlob",
            "iam.serviceAccounts.signJwt",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/iam.serviceAccountKeyAdmin",
        &[
            "iam.serviceAccountKeys.create",
            "iam.serviceAccountKeys.delete",
            "iam.serviceAccountKeys.disable",
            "iam.serviceAccountKeys.enable",
            "iam.serviceAccountKeys.get",
            "iam.serviceAccountKeys.list",
            "iam.serviceAccounts.get",
            "iam.serviceAccounts.list",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/iam.serviceAccountAdmin",
        &[
            "iam.serviceAccounts.create",
            "iam.serviceAccounts.delete",
            "iam.serviceAccounts.disable",
            "iam.serviceAccounts.enable",
            "iam.serviceAccounts.get",
            "iam.serviceAccounts.getIamPolicy",
            "iam.serviceAccounts.list",
            "iam.serviceAccounts.setIamPolicy",
            "iam.serviceAccounts.undelete",
            "iam.serviceAccounts.update",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/iam.securityAdmin",
        &[
            "resourcemanager.projects.getIamPolicy",
            "resourcemanager.projects.setIamPolicy",
            "resourcemanager.folders.setIamPolicy",
            "resourcemanager.organizations.setIamPolicy",
            "iam.serviceAccounts.setIamPolicy",
            "iam.serviceAccountKeys.list",
            "*.getIamPolicy",
            "*.setIamPolicy",
        ],
    ),
    (
        "roles/iam.roleAdmin",
        &[
            "iam.roles.create",
            "iam.roles.delete",
            "iam.roles.get",
            "iam.roles.list",
            "iam.roles.undelete",
            "iam.roles.update",
            "resourcemanager.projects.get",
            "resourcemanager.projects.getIamPolicy",
        ],
    ),
    (
        "roles/resourcemanager.projectIamAdmin",
        &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.getIamPolicy",
            "resourcemanager.projects.setIamPolicy",
        ],
    ),
    (
        "roles/resourcemanager.organizationAdmin",
        &[
            "resourcemanager.organizations.get",
            "resourcemanager.organizations.getIamPolicy",
            "resourcemanager.organizations.setIamPolicy",
            "resourcemanager.folders.getIamPolicy",
            "resourcemanager.folders.setIamPolicy",
            "resourcemanager.projects.getIamPolicy",
            "resourcemanager.projects.setIamPolicy",
            "resourcemanager.*",
        ],
    ),
    (
        "roles/storage.admin",
        &[
            "storage.buckets.create",
            "storage.buckets.delete",
            "storage.buckets.setIamPolicy",
            "storage.objects.get",
            "storage.objects.setIamPolicy",
            "storage.*",
            // HMAC keys belong to storage.hmacKeyAdmin.
            "-storage.hmacKeys.*",
        ],
    ),
    (
        "roles/storage.objectViewer",
        &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
            "storage.folders.get",
            "storage.folders.list",
            "storage.managedFolders.get",
            "storage.managedFolders.list",
            "storage.objects.get",
            "storage.objects.list",
        ],
    ),
    (
        "roles/storage.objectAdmin",
        &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
            "storage.objects.create",
            "storage.objects.delete",
            "storage.objects.get",
            "storage.objects.getIamPolicy",
            "storage.objects.list",
            "storage.objects.setIamPolicy",
            "storage.objects.update",
            "storage.objects.*",
            "storage.folders.*",
            "storage.managedFolders.*",
            "storage.multipartUploads.*",
        ],
    ),
    (
        "roles/secretmanager.admin",
        &[
            "secretmanager.secrets.create",
            "secretmanager.secrets.delete",
            "secretmanager.secrets.setIamPolicy",
            "secretmanager.versions.access",
            "secretmanager.versions.add",
            "secretmanager.*",
        ],
    ),
    (
        "roles/secretmanager.secretAccessor",
        &[
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
            "secretmanager.versions.access",
        ],
    ),
    (
        "roles/compute.admin",
        &[
            "compute.instances.create",
            "compute.instances.setMetadata",
            "compute.instances.setServiceAccount",
            "compute.instances.setIamPolicy",
            "compute.*",
        ],
    ),
    (
        "roles/cloudfunctions.admin",
        &[
            "cloudfunctions.functions.create",
            "cloudfunctions.functions.update",
            "cloudfunctions.functions.sourceCodeSet",
            "cloudfunctions.functions.setIamPolicy",
            "cloudfunctions.*",
            // Second-generation functions are Cloud Run services and jobs.
            "run.jobs.create",
            "run.services.create",
            "run.services.setIamPolicy",
        ],
    ),
    (
        "roles/run.admin",
        &[
            "run.services.create",
            "run.services.update",
            "run.services.setIamPolicy",
            "run.jobs.run",
            "run.*",
        ],
    ),
    (
        "roles/container.admin",
        &[
            "container.clusters.create",
            "container.clusters.getCredentials",
            "container.secrets.get",
            "container.pods.exec",
            "container.*",
        ],
    ),
    (
        "roles/container.developer",
        &[
            // Not `container.*`: the developer lacks cluster administration, so a swap for
            // `roles/container.admin` must stay visible. Whole resource types it holds only.
            "container.clusters.get",
            "container.clusters.connect",
            "container.pods.exec",
            "container.pods.attach",
            "container.secrets.get",
            "container.secrets.list",
            "resourcemanager.projects.get",
            "container.pods.*",
            "container.secrets.*",
            "container.deployments.*",
            "container.configMaps.*",
            "container.services.*",
            "container.jobs.*",
            "container.cronJobs.*",
            "container.serviceAccounts.*",
        ],
    ),
    (
        "roles/compute.instanceAdmin.v1",
        &[
            "compute.instances.create",
            "compute.instances.setMetadata",
            "compute.instances.setServiceAccount",
            "compute.instances.setIamPolicy",
            "compute.projects.setCommonInstanceMetadata",
            "compute.instances.attachDisk",
            "compute.disks.setIamPolicy",
            "resourcemanager.projects.get",
            "compute.instances.*",
            "compute.disks.*",
            "compute.instanceTemplates.*",
            "compute.instanceGroupManagers.*",
            "compute.images.*",
            "compute.snapshots.*",
        ],
    ),
    (
        "roles/browser",
        &[
            "resourcemanager.folders.get",
            "resourcemanager.folders.list",
            "resourcemanager.organizations.get",
            "resourcemanager.projects.get",
            "resourcemanager.projects.getIamPolicy",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/cloudkms.admin",
        &[
            // Not `cloudkms.*`: the KMS admin manages keys but cannot use them to encrypt or
            // decrypt, so a swap for the encrypter/decrypter role must stay visible.
            "cloudkms.cryptoKeys.setIamPolicy",
            "cloudkms.keyRings.setIamPolicy",
            "cloudkms.cryptoKeyVersions.create",
            "cloudkms.cryptoKeyVersions.destroy",
            "cloudkms.cryptoKeyVersions.useToDecryptViaDelegation",
            "cloudkms.importJobs.create",
            "cloudkms.locations.list",
            "resourcemanager.projects.get",
            "cloudkms.cryptoKeys.*",
            "cloudkms.keyRings.*",
            "cloudkms.importJobs.*",
            "cloudkms.ekmConnections.*",
            "cloudkms.ekmConfigs.*",
        ],
    ),
    (
        "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        &[
            "cloudkms.cryptoKeyVersions.useToDecrypt",
            "cloudkms.cryptoKeyVersions.useToEncrypt",
            "cloudkms.locations.get",
            "cloudkms.locations.list",
            "resourcemanager.projects.get",
        ],
    ),
    (
        "roles/bigquery.admin",
        &[
            "bigquery.datasets.setIamPolicy",
            "bigquery.tables.setIamPolicy",
            "bigquery.tables.getData",
            "bigquery.tables.updateData",
            "bigquery.jobs.create",
            "resourcemanager.projects.get",
            "bigquery.*",
        ],
    ),
    (
        "roles/bigquery.dataEditor",
        &[
            "bigquery.datasets.create",
            "bigquery.datasets.get",
            "bigquery.datasets.getIamPolicy",
            "bigquery.tables.create",
            "bigquery.tables.delete",
            "bigquery.tables.export",
            "bigquery.tables.get",
            "bigquery.tables.getData",
            "bigquery.tables.list",
            "bigquery.tables.update",
            "bigquery.tables.updateData",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
            "bigquery.models.*",
            "bigquery.routines.*",
        ],
    ),
    (
        "roles/bigquery.dataViewer",
        &[
            "bigquery.datasets.get",
            "bigquery.datasets.getIamPolicy",
            "bigquery.models.export",
            "bigquery.models.getData",
            "bigquery.models.getMetadata",
            "bigquery.models.list",
            "bigquery.propertyGraphs.get",
            "bigquery.propertyGraphs.list",
            "bigquery.routines.get",
            "bigquery.routines.list",
            "bigquery.tables.createSnapshot",
            "bigquery.tables.export",
            "bigquery.tables.get",
            "bigquery.tables.getData",
            "bigquery.tables.getIamPolicy",
            "bigquery.tables.list",
            "bigquery.tables.replicateData",
            "dataplex.datascans.get",
            "dataplex.datascans.getData",
            "dataplex.datascans.getIamPolicy",
            "dataplex.datascans.list",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    (
        "roles/run.invoker",
        &["run.instances.invoke", "run.jobs.run", "run.routes.invoke"],
    ),
    (
        "roles/cloudfunctions.invoker",
        &["cloudfunctions.functions.invoke"],
    ),
    (
        "roles/iam.workloadIdentityUser",
        &[
            "iam.serviceAccounts.get",
            "iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.getOpenIdToken",
            "iam.serviceAccounts.list",
        ],
    ),
    (
        "roles/cloudbuild.builds.editor",
        &[
            "cloudbuild.builds.create",
            "cloudbuild.builds.get",
            "cloudbuild.builds.list",
            "cloudbuild.builds.update",
            "cloudbuild.locations.get",
            "cloudbuild.locations.list",
            "cloudbuild.operations.get",
            "cloudbuild.operations.list",
            "remotebuildexecution.blobs.get",
            "resourcemanager.projects.get",
            "resourcemanager.projects.list",
        ],
    ),
    ("roles/pubsub.publisher", &["pubsub.topics.publish"]),
    (
        "roles/pubsub.subscriber",
        &[
            "pubsub.snapshots.seek",
            "pubsub.subscriptions.consume",
            "pubsub.topics.attachSubscription",
        ],
    ),
    (
        "roles/logging.admin",
        &[
            "logging.sinks.create",
            "logging.sinks.update",
            "logging.privateLogEntries.list",
            "logging.views.setIamPolicy",
            "logging.buckets.delete",
            "resourcemanager.projects.get",
            "logging.*",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    use crate::testing::optional;

    /// The complete catalog is test data kept outside the project (`../shared/catalogs/`).
    fn complete() -> Option<BTreeMap<String, BTreeSet<String>>> {
        let path = optional::shared("catalogs/gcp-roles.json")?;
        let text = std::fs::read_to_string(path).unwrap();
        let roles: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        Some(
            roles
                .iter()
                .map(|r| {
                    let perms = r["includedPermissions"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|p| p.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (r["name"].as_str().unwrap().to_string(), perms)
                })
                .collect(),
        )
    }

    #[test]
    fn curated_permissions_belong_to_their_roles() {
        let Some(all) = complete() else {
            return;
        };
        let mut wrong = Vec::new();
        for (name, perms) in ROLES {
            let Some(real) = all.get(*name) else {
                wrong.push(format!("{name}: not a predefined role"));
                continue;
            };
            let (allow, except) = split(perms);
            for p in allow {
                let ok = if p.contains('*') {
                    let g = crate::model::pattern::Glob::wildcard(p);
                    real.iter().any(|r| g.matches(r))
                } else {
                    real.contains(p)
                };
                if !ok {
                    wrong.push(format!("{name}: {p}"));
                }
            }
            // An exception never takes out what the role has.
            for x in except {
                let g = crate::model::pattern::Glob::wildcard(x);
                if let Some(r) = real.iter().find(|r| g.matches(r)) {
                    wrong.push(format!("{name}: -{x} takes out {r}"));
                }
            }
        }
        assert!(wrong.is_empty(), "not in the role:\n{}", wrong.join("\n"));
    }

    #[test]
    fn names_are_unique_and_lookups_work() {
        let names: BTreeSet<&str> = ROLES.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), ROLES.len());
        assert!(role("roles/iam.serviceAccountUser")
            .unwrap()
            .contains(&"iam.serviceAccounts.actAs"));
        assert!(role("roles/no.such").is_none());
    }
}
