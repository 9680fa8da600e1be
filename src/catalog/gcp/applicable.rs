//! Where a GCP permission takes effect. A permission is `service.type.verb`, and IAM checks it
//! on a resource of `service.type`, except `create` and `list`, which it checks on the parent
//! that holds such resources. A role bound on a resource therefore grants only those of its
//! permissions whose type is that resource's own (other than `create` and `list`) or the type
//! of something that lives under it; bound on a project, folder or organization it grants all
//! of them. The types under each resource follow the services' IAM documentation (the
//! resource hierarchy each "Access control" page describes); a resource type not listed here
//! is not narrowed, which for a widening is the worst case.

/// A resource type and the types that live under it.
const UNDER: &[(&str, &[&str])] = &[
    (
        "artifactregistry.repositories",
        &[
            "artifactregistry.aptartifacts",
            "artifactregistry.attachments",
            "artifactregistry.dockerimages",
            "artifactregistry.files",
            "artifactregistry.kfpartifacts",
            "artifactregistry.mavenartifacts",
            "artifactregistry.npmpackages",
            "artifactregistry.packages",
            "artifactregistry.pythonpackages",
            "artifactregistry.rules",
            "artifactregistry.tags",
            "artifactregistry.versions",
            "artifactregistry.yumartifacts",
        ],
    ),
    (
        "bigquery.datasets",
        &[
            "bigquery.models",
            "bigquery.routines",
            "bigquery.rowAccessPolicies",
            "bigquery.tables",
        ],
    ),
    ("bigquery.tables", &["bigquery.rowAccessPolicies"]),
    ("cloudfunctions.functions", &[]),
    (
        "cloudkms.keyRings",
        &[
            "cloudkms.cryptoKeyVersions",
            "cloudkms.cryptoKeys",
            "cloudkms.importJobs",
        ],
    ),
    ("cloudkms.cryptoKeys", &["cloudkms.cryptoKeyVersions"]),
    ("compute.instances", &[]),
    ("iam.serviceAccounts", &["iam.serviceAccountKeys"]),
    ("pubsub.subscriptions", &[]),
    ("pubsub.topics", &[]),
    ("run.jobs", &["run.executions", "run.tasks"]),
    (
        "run.services",
        &["run.configurations", "run.revisions", "run.routes"],
    ),
    ("secretmanager.secrets", &["secretmanager.versions"]),
    (
        "spanner.databases",
        &[
            "spanner.backupSchedules",
            "spanner.databaseOperations",
            "spanner.databaseRoles",
            "spanner.sessions",
        ],
    ),
    (
        "spanner.instances",
        &[
            "spanner.backupOperations",
            "spanner.backupSchedules",
            "spanner.backups",
            "spanner.databaseOperations",
            "spanner.databaseRoles",
            "spanner.databases",
            "spanner.instanceOperations",
            "spanner.instancePartitionOperations",
            "spanner.instancePartitions",
            "spanner.sessions",
        ],
    ),
    (
        "storage.buckets",
        &[
            "storage.anywhereCaches",
            "storage.bucketOperations",
            "storage.folders",
            "storage.managedFolders",
            "storage.multipartUploads",
            "storage.objects",
        ],
    ),
];

/// Whether the table knows what lives under resources of `on` (`storage.buckets`).
pub fn known(on: &str) -> bool {
    UNDER.iter().any(|(t, _)| *t == on)
}

/// Whether `permission`, granted on a resource of the known type `on`, takes effect there.
pub fn applies(permission: &str, on: &str) -> bool {
    let Some((ty, verb)) = permission.rsplit_once('.') else {
        return false;
    };
    if ty.eq_ignore_ascii_case(on) {
        return !(verb.eq_ignore_ascii_case("create") || verb.eq_ignore_ascii_case("list"));
    }
    UNDER
        .iter()
        .find(|(t, _)| *t == on)
        .is_some_and(|(_, under)| under.iter().any(|u| u.eq_ignore_ascii_case(ty)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_holds_its_own_permissions_and_those_of_what_lies_under_it() {
        assert!(applies("storage.objects.get", "storage.buckets"));
        assert!(applies("storage.buckets.setIamPolicy", "storage.buckets"));
        // Checked on the project that holds buckets, not on a bucket.
        assert!(!applies("storage.buckets.create", "storage.buckets"));
        assert!(!applies("storage.buckets.list", "storage.buckets"));
        assert!(!applies("storage.hmacKeys.create", "storage.buckets"));
        assert!(!applies("cloudbuild.builds.create", "bigquery.datasets"));
        assert!(applies("bigquery.tables.getData", "bigquery.datasets"));
        // What lies under a table does not hold its dataset.
        assert!(!applies("bigquery.datasets.get", "bigquery.tables"));
        assert!(applies("iam.serviceAccounts.actAs", "iam.serviceAccounts"));
        assert!(!applies("nodots", "storage.buckets"));
    }

    #[test]
    fn every_type_in_the_table_is_a_type_of_the_catalog() {
        let types: std::collections::BTreeSet<&str> = super::super::embedded::permissions()
            .iter()
            .filter_map(|p| p.rsplit_once('.').map(|(t, _)| t))
            .collect();
        let mut missing = Vec::new();
        for (t, under) in UNDER {
            for x in std::iter::once(t).chain(under.iter()) {
                if !types.contains(x) {
                    missing.push(*x);
                }
            }
        }
        assert!(missing.is_empty(), "types no permission has: {missing:?}");
    }
}
